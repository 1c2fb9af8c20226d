/** Nest injection tokens of the verifier. */
export const VERIFIER_ENV = Symbol('VERIFIER_ENV');
