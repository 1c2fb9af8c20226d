/** Nest injection tokens of the executor. */
export const EXECUTOR_ENV = Symbol('EXECUTOR_ENV');
export const ATTEMPT_STORE = Symbol('ATTEMPT_STORE');
