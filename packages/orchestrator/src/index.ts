/**
 * Library surface of the orchestrator, for tests and scripts that drive it in-process.
 */
export { run, main } from './main.js';
export { loadConfig, parseConfig, findConfigFile } from './config/load.js';
export type { ClusterConfig, Host } from './config/schema.js';
export { SwarmkvError } from './errors.js';
export { planCluster } from './swarm/plan.js';
export { renderStack } from './commands/stack.js';
