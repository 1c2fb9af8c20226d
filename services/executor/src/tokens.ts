/** Nest injection tokens of the executor. */
export const EXECUTOR_ENV = Symbol('EXECUTOR_ENV');
