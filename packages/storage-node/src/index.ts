/**
 * @swarmkv/storage-node: a single Redis-compatible storage node (the `swarmkv-node` binary),
 * usable in-process too.
 */
export { NodeServer, type NodeServerOptions } from './server/server.js';
export { NodeCore, type DatabasesFactory, type DbHooks } from './server/core.js';
export { NodeConfigSchema, defaultConfig, type NodeConfig } from './config.js';
export { loadConfig, ConfigError } from './server/config-load.js';
export { main } from './main.js';
export { HANDLERS } from './commands/index.js';
export type { Ctx, Handler, HandlerTable } from './commands/context.js';
export { STORAGE_NODE_V8_FLAGS, missingV8Flags, relaunchWithV8Flags } from './v8-flags.js';
