export * from './bytes.js';
export * from './errors.js';
export * from './reply.js';
export * from './commands/spec.js';
