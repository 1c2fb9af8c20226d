export * from './catalog';
export * from './envelope';
export * from './ticket';
export * from './events';
export * from './rpc';
export * from './subjects';
export * from './make-event';
export * from './one-time-code';
