/** Nest injection token for intake's parsed environment. */
export const INTAKE_ENV = Symbol('INTAKE_ENV');
