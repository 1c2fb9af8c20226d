/** Nest injection tokens of the dispatch / agreements / SLA providers. */
export const DISPATCH_ENV = Symbol('DISPATCH_ENV');
/** () => Date: replaced in tests so time is driven, not slept. */
export const DISPATCH_CLOCK = Symbol('DISPATCH_CLOCK');
export type Clock = () => Date;
