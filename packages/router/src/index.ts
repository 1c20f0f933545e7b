/**
 * @swarmkv/router: the hash-slot router clients connect to (binary: swarmkv-router).
 * Programmatic use: `startRouter(parseConfig([...flags]))`.
 */
export { main } from './main.js';
export { startRouter, initialTopology, type RunningRouter } from './server.js';
export { parseConfig, ConfigError, type RouterConfig } from './config.js';
export { Router } from './router.js';
export {
  evenTopology,
  parseTopologyText,
  readTopologyFile,
  topologyFrom,
  topologyToJson,
  parseAddress,
  formatAddress,
  SlotMap,
  TopologyError,
  SLOT_COUNT,
  type Topology,
  type Shard,
  type Address,
} from './topology.js';
