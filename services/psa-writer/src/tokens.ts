/** Nest injection token for psa-writer's parsed environment. */
export const PSA_WRITER_ENV = Symbol('PSA_WRITER_ENV');
