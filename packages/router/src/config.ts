/**
 * Router configuration: command-line flags, then SWARMKV_ROUTER_* environment variables, then
 * defaults, validated once by zod and frozen. An invalid value names the flag and the allowed
 * range; `main()` turns a ConfigError into exit code 2 (usage).
 *
 * Where the slots go is either `--nodes a:p,b:p,...` (even split) or `--topology <file>`
 * (JSON/YAML, re-read on SIGHUP).
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';

export class ConfigError extends Error {}

/** flag name -> (zod schema, help). Flag names are kebab-case; the env var is SWARMKV_ROUTER_<SNAKE>. */
const INT = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

export const ROUTER_CONFIG_SCHEMA = z
  .object({
    port: INT(0, 65535).default(7000),
    bind: z.string().min(1).default('0.0.0.0'),
    nodes: z.string().optional(),
    topology: z.string().optional(),
    requirepass: z.string().optional(),
    nodePassword: z.string().optional(),
    /** max client connections; more are refused with "-ERR max number of clients reached" */
    maxclients: INT(1, 1_000_000).default(10000),
    /** commands a client may have in flight before the router stops reading from it */
    maxQueuedCommands: INT(1, 10_000_000).default(100_000),
    /** bytes of replies a client may leave unread before it is disconnected (0: no limit) */
    clientOutputBufferLimit: INT(0, Number.MAX_SAFE_INTEGER).default(1024 * 1024 * 1024),
    /** pub/sub clients: Redis's default hard limit (client-output-buffer-limit pubsub 32mb) */
    pubsubOutputBufferLimit: INT(0, Number.MAX_SAFE_INTEGER).default(32 * 1024 * 1024),
    /**
     * shared pipelined connections per node, database and protocol. One is fastest (measured:
     * ~10% less CPU per request than two, as every write and read carries more commands, like
     * nutcracker's server_connections: 1); more spread head-of-line blocking by huge replies.
     */
    poolSize: INT(1, 64).default(1),
    databases: INT(1, 1_000_000).default(16),
    healthIntervalMs: INT(10, 3_600_000).default(500),
    /** a ping unanswered this long marks the node down (a hung node closes no socket) */
    healthTimeoutMs: INT(10, 3_600_000).default(5000),
    connectTimeoutMs: INT(10, 3_600_000).default(2000),
    reconnectMinMs: INT(1, 3_600_000).default(50),
    reconnectMaxMs: INT(1, 3_600_000).default(1000),
    /** the address CLUSTER SLOTS/NODES announce; default: the address the client connected to */
    announceIp: z.string().optional(),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .refine((c) => !(c.nodes && c.topology), { message: '--nodes and --topology are mutually exclusive', path: ['nodes'] })
  .refine((c) => c.nodes || c.topology, { message: 'one of --nodes or --topology is required', path: ['nodes'] });

export type RouterConfig = Readonly<z.infer<typeof ROUTER_CONFIG_SCHEMA>>;

const FLAGS = Object.keys(ROUTER_CONFIG_SCHEMA.def.shape ?? {});

function kebab(camel: string): string {
  return camel.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

export const USAGE = `usage: swarmkv-router (--nodes host:port,... | --topology file) [options]
  --port N                     listen port (default 7000)
  --bind ADDR                  listen address (default 0.0.0.0)
  --nodes a:p,b:p,...          split the 16384 slots evenly over these nodes, in order
  --topology FILE              JSON/YAML shards file (re-read on SIGHUP)
  --requirepass PASS           clients must AUTH
  --node-password PASS         AUTH sent to every node
  --maxclients N               (default 10000)
  --max-queued-commands N      per-client commands in flight before reading pauses (default 100000)
  --client-output-buffer-limit BYTES  (default 1 GiB, 0 = none)
  --pool-size N                shared connections per node, db and protocol (default 1)
  --databases N                (default 16)
  --health-interval-ms N  --health-timeout-ms N  --connect-timeout-ms N
  --reconnect-min-ms N  --reconnect-max-ms N  --announce-ip ADDR
  --log-level LEVEL            fatal|error|warn|info|debug|trace|silent (default info)
Every flag may also come from SWARMKV_ROUTER_<FLAG> (e.g. SWARMKV_ROUTER_NODE_PASSWORD).`;

/** Parses argv (without node and script) and the environment. Throws ConfigError on bad input. */
export function parseConfig(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): RouterConfig {
  const options: Record<string, { type: 'string' }> = {};
  for (const f of FLAGS) options[kebab(f)] = { type: 'string' };
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({ args: [...argv], options, allowPositionals: false, strict: true }) as {
      values: Record<string, string | undefined>;
    });
  } catch (e) {
    throw new ConfigError((e as Error).message);
  }
  const raw: Record<string, string> = {};
  for (const f of FLAGS) {
    const fromFlag = values[kebab(f)];
    const fromEnv = env[`SWARMKV_ROUTER_${kebab(f).replace(/-/g, '_').toUpperCase()}`];
    const v = fromFlag ?? fromEnv;
    if (v !== undefined) raw[f] = v;
  }
  const parsed = ROUTER_CONFIG_SCHEMA.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.length ? `--${kebab(String(issue.path[0]))}` : 'config';
    throw new ConfigError(`${field}: ${issue.message}`);
  }
  return Object.freeze(parsed.data);
}
