/**
 * Node configuration: one zod schema, parsed once at start-up (flags > environment > file >
 * defaults, see server/config-load.ts), then changed only by CONFIG SET through
 * server/config-table.ts.
 *
 * Field names are camelCase here; CONFIG GET/SET, flags and the config file use Redis's names
 * (`hash-max-listpack-entries`), environment variables SWARMKV_<NAME_IN_CAPS> (SWARMKV_PORT).
 * Defaults are Redis 7.0.15's. Redis parameters that change nothing in swarmkv (maxmemory,
 * appendonly, ...) are still accepted and reported; their values live in `redis`.
 */
import { z } from 'zod';

const OutputBufferLimit = z.object({
  hard: z.number().int().min(0),
  soft: z.number().int().min(0),
  softSeconds: z.number().int().min(0),
});
export type OutputBufferLimit = z.infer<typeof OutputBufferLimit>;

export const NodeConfigSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(6379),
  /** Space-separated addresses, as Redis's `bind`. */
  bind: z.string().min(1).default('127.0.0.1'),
  databases: z.coerce.number().int().min(1).max(1_000_000).default(16),
  requirepass: z.string().default(''),
  hz: z.coerce.number().int().min(1).max(500).default(10),
  maxclients: z.coerce.number().int().min(1).default(10000),
  /** Redis's flags string, e.g. "KEA" ("" = off). */
  notifyKeyspaceEvents: z.string().default(''),
  protoMaxBulkLen: z.coerce.number().int().min(1024 * 1024).default(512 * 1024 * 1024),
  /** client-output-buffer-limit per class (bytes, seconds; 0 = no limit). Enforced for pubsub. */
  clientOutputBufferLimitNormal: OutputBufferLimit.default({ hard: 0, soft: 0, softSeconds: 0 }),
  clientOutputBufferLimitReplica: OutputBufferLimit.default({ hard: 256 * 1024 * 1024, soft: 64 * 1024 * 1024, softSeconds: 60 }),
  clientOutputBufferLimitPubsub: OutputBufferLimit.default({ hard: 32 * 1024 * 1024, soft: 8 * 1024 * 1024, softSeconds: 60 }),
  listMaxListpackSize: z.coerce.number().int().default(-2),
  listCompressDepth: z.coerce.number().int().min(0).default(0),
  hashMaxListpackEntries: z.coerce.number().int().min(0).default(512),
  hashMaxListpackValue: z.coerce.number().int().min(0).default(64),
  setMaxIntsetEntries: z.coerce.number().int().min(0).default(512),
  zsetMaxListpackEntries: z.coerce.number().int().min(0).default(128),
  zsetMaxListpackValue: z.coerce.number().int().min(0).default(64),
  activeExpireEnabled: z.boolean().default(true),
  logLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  /** Other Redis parameters by Redis name (accepted, reported by CONFIG GET, otherwise inert). */
  redis: z.record(z.string(), z.string()).default({}),
});

export type NodeConfig = z.infer<typeof NodeConfigSchema>;

/** The defaults, for tests and in-process use. */
export function defaultConfig(overrides: Partial<NodeConfig> = {}): NodeConfig {
  return { ...NodeConfigSchema.parse({}), ...overrides };
}
