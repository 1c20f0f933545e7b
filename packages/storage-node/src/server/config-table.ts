/**
 * CONFIG GET/SET parameters: Redis's names (and aliases such as hash-max-ziplist-entries),
 * their parsing, validation messages and CONFIG GET formatting, mapped onto NodeConfig.
 *
 * Parameters that drive swarmkv are bound to NodeConfig fields; the rest of Redis 7.0.15's
 * parameters are accepted with Redis's validation and stored in `config.redis`, so tools that
 * read or set them (maxmemory, save, appendonly ...) see what a Redis would show. Two swarmkv
 * parameters (active-expire-enabled, log-level) exist for flags and files only and are hidden
 * from CONFIG GET globs.
 */
import type { NodeConfig, OutputBufferLimit } from '../config.js';

const LLONG_MAX = 9223372036854775807n;
const LLONG_MIN = -9223372036854775808n;
const INT_MAX = 2147483647n;
const INT_MIN = -2147483648n;
const UINT_MAX = 4294967295n;

export interface ConfigParam {
  readonly name: string;
  readonly alias?: string;
  /** Not listed by CONFIG GET (swarmkv-only start-up options). */
  readonly hidden?: boolean;
  /** CONFIG SET refuses it ('immutable') or, unless enable-protected-configs, ('protected'). */
  readonly mutability?: 'immutable' | 'protected';
  /** The value as CONFIG GET prints it. */
  get(cfg: NodeConfig): string;
  /** Parse and store into cfg; returns Redis's error text, or undefined on success. */
  set(cfg: NodeConfig, value: string): string | undefined;
}

/** Redis's string2ll as a bigint, or undefined. */
function parseLL(s: string): bigint | undefined {
  if (!/^-?(0|[1-9][0-9]*)$/.test(s) || s === '-0' || s.length > 20) return undefined;
  const v = BigInt(s);
  return v > LLONG_MAX || v < LLONG_MIN ? undefined : v;
}

/** Redis's memtoull: a number with an optional k/kb/m/mb/g/gb unit (case-insensitive). */
export function parseMemory(s: string): bigint | undefined {
  const m = /^([0-9]+)(k|kb|m|mb|g|gb|b)?$/i.exec(s);
  if (m === null) return undefined;
  const mul: Record<string, bigint> = {
    '': 1n, b: 1n, k: 1000n, kb: 1024n, m: 1000n ** 2n, mb: 1024n ** 2n, g: 1000n ** 3n, gb: 1024n ** 3n,
  };
  const v = BigInt(m[1]!) * mul[(m[2] ?? '').toLowerCase()]!;
  return v > 18446744073709551615n ? undefined : v;
}

type NumField = {
  [K in keyof NodeConfig]: NodeConfig[K] extends number ? K : never;
}[keyof NodeConfig];

interface NumOpts {
  alias?: string;
  memory?: boolean;
  mutability?: 'immutable' | 'protected';
  /** Clamp instead of storing as given (Redis's hz is kept within 1..500). */
  clamp?: [number, number];
}

function parseNumber(value: string, min: bigint, max: bigint, memory: boolean): bigint | string {
  const v = memory ? parseMemory(value) : parseLL(value);
  if (v === undefined) return memory ? 'argument must be a memory value' : "argument couldn't be parsed into an integer";
  if (v < min || v > max) return `argument must be between ${min} and ${max} inclusive`;
  return v;
}

/** A numeric parameter bound to a NodeConfig field. */
function num(name: string, field: NumField, min: bigint, max: bigint, o: NumOpts = {}): ConfigParam {
  return {
    name,
    alias: o.alias,
    mutability: o.mutability,
    get: (cfg) => String(cfg[field]),
    set: (cfg, value) => {
      const v = parseNumber(value, min, max, o.memory ?? false);
      if (typeof v === 'string') return v;
      let n = Number(v);
      if (o.clamp) n = Math.min(o.clamp[1], Math.max(o.clamp[0], n));
      (cfg[field] as number) = n;
      return undefined;
    },
  };
}

/** A parameter swarmkv accepts but does not act on, stored in cfg.redis. */
function extra(
  name: string,
  def: string,
  check: (value: string) => string | { value: string },
  o: { alias?: string; mutability?: 'immutable' | 'protected' } = {},
): ConfigParam {
  return {
    name,
    alias: o.alias,
    mutability: o.mutability,
    get: (cfg) => cfg.redis[name] ?? def,
    set: (cfg, value) => {
      const r = check(value);
      if (typeof r === 'string') return r;
      cfg.redis[name] = r.value;
      return undefined;
    },
  };
}

const bool = (value: string) => {
  const v = value.toLowerCase();
  return v === 'yes' || v === 'no' ? { value: v } : "argument must be 'yes' or 'no'";
};

const oneOf = (...allowed: string[]) => (value: string) => {
  const v = value.toLowerCase();
  return allowed.includes(v) ? { value: v } : `argument(s) must be one of the following: ${allowed.join(', ')}`;
};

const int = (min: bigint, max: bigint) => (value: string) => {
  const v = parseNumber(value, min, max, false);
  return typeof v === 'string' ? v : { value: String(v) };
};

const mem = (min: bigint, max: bigint) => (value: string) => {
  const v = parseNumber(value, min, max, true);
  return typeof v === 'string' ? v : { value: String(v) };
};

const str = (value: string) => ({ value });

/** "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60" */
function formatLimits(cfg: NodeConfig): string {
  const f = (l: OutputBufferLimit) => `${l.hard} ${l.soft} ${l.softSeconds}`;
  return `normal ${f(cfg.clientOutputBufferLimitNormal)} slave ${f(cfg.clientOutputBufferLimitReplica)} pubsub ${f(cfg.clientOutputBufferLimitPubsub)}`;
}

const LIMITS_ERROR = 'Error in hard, soft or soft_seconds setting in buffer limit configuration.';

function setLimits(cfg: NodeConfig, value: string): string | undefined {
  const parts = value.split(/\s+/).filter((p) => p.length > 0);
  if (parts.length % 4 !== 0) return 'Wrong number of arguments in buffer limit configuration.';
  const updates: [keyof NodeConfig, OutputBufferLimit][] = [];
  for (let i = 0; i < parts.length; i += 4) {
    const cls = parts[i]!.toLowerCase();
    const field =
      cls === 'normal' ? 'clientOutputBufferLimitNormal'
      : cls === 'slave' || cls === 'replica' ? 'clientOutputBufferLimitReplica'
      : cls === 'pubsub' ? 'clientOutputBufferLimitPubsub'
      : undefined;
    if (field === undefined) return 'Invalid client class specified in buffer limit configuration.';
    const hard = parseMemory(parts[i + 1]!);
    const soft = parseMemory(parts[i + 2]!);
    const secs = parseLL(parts[i + 3]!);
    if (hard === undefined || soft === undefined || secs === undefined || secs < 0n) return LIMITS_ERROR;
    updates.push([field, { hard: Number(hard), soft: Number(soft), softSeconds: Number(secs) }]);
  }
  for (const [field, limit] of updates) (cfg[field] as OutputBufferLimit) = limit;
  return undefined;
}

/** Redis loglevel names <-> pino levels. */
const LOGLEVEL_TO_PINO: Record<string, NodeConfig['logLevel']> = {
  debug: 'debug', verbose: 'debug', notice: 'info', warning: 'warn', nothing: 'silent',
};
const PINO_TO_LOGLEVEL: Record<string, string> = {
  trace: 'debug', debug: 'debug', info: 'notice', warn: 'warning', error: 'warning', fatal: 'warning', silent: 'warning',
};

const SAVE_ERROR = 'Invalid save parameters';

const BOUND: ConfigParam[] = [
  num('port', 'port', 0n, 65535n, { mutability: 'immutable' }),
  {
    name: 'bind',
    mutability: 'immutable',
    get: (cfg) => cfg.bind,
    set: (cfg, v) => {
      cfg.bind = v;
      return undefined;
    },
  },
  num('databases', 'databases', 1n, INT_MAX, { mutability: 'immutable' }),
  {
    name: 'requirepass',
    get: (cfg) => cfg.requirepass,
    set: (cfg, v) => {
      cfg.requirepass = v;
      return undefined;
    },
  },
  num('hz', 'hz', 0n, INT_MAX, { clamp: [1, 500] }),
  num('maxclients', 'maxclients', 1n, UINT_MAX),
  {
    name: 'notify-keyspace-events',
    get: () => '', // replaced by the server with the live, normalised flags (see configGet)
    set: (cfg, v) => {
      if (!/^[Ag$lshzxeKEtmdn]*$/.test(v)) return "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.";
      cfg.notifyKeyspaceEvents = v;
      return undefined;
    },
  },
  num('proto-max-bulk-len', 'protoMaxBulkLen', 1024n * 1024n, LLONG_MAX, { memory: true }),
  { name: 'client-output-buffer-limit', get: formatLimits, set: setLimits },
  num('list-max-listpack-size', 'listMaxListpackSize', INT_MIN, INT_MAX, { alias: 'list-max-ziplist-size' }),
  num('list-compress-depth', 'listCompressDepth', 0n, INT_MAX),
  num('hash-max-listpack-entries', 'hashMaxListpackEntries', 0n, LLONG_MAX, { alias: 'hash-max-ziplist-entries' }),
  num('hash-max-listpack-value', 'hashMaxListpackValue', 0n, LLONG_MAX, { alias: 'hash-max-ziplist-value', memory: true }),
  num('set-max-intset-entries', 'setMaxIntsetEntries', 0n, LLONG_MAX),
  num('zset-max-listpack-entries', 'zsetMaxListpackEntries', 0n, LLONG_MAX, { alias: 'zset-max-ziplist-entries' }),
  num('zset-max-listpack-value', 'zsetMaxListpackValue', 0n, LLONG_MAX, { alias: 'zset-max-ziplist-value', memory: true }),
  {
    name: 'loglevel',
    get: (cfg) => PINO_TO_LOGLEVEL[cfg.logLevel] ?? 'notice',
    set: (cfg, v) => {
      const level = LOGLEVEL_TO_PINO[v.toLowerCase()];
      if (level === undefined || v.toLowerCase() === 'nothing') {
        return 'argument(s) must be one of the following: debug, verbose, notice, warning';
      }
      cfg.logLevel = level;
      return undefined;
    },
  },
  {
    name: 'active-expire-enabled',
    hidden: true,
    get: (cfg) => (cfg.activeExpireEnabled ? 'yes' : 'no'),
    set: (cfg, v) => {
      const b = bool(v);
      if (typeof b === 'string') return b;
      cfg.activeExpireEnabled = b.value === 'yes';
      return undefined;
    },
  },
  {
    name: 'log-level',
    hidden: true,
    get: (cfg) => cfg.logLevel,
    set: (cfg, v) => {
      const levels = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];
      if (!levels.includes(v)) return `argument(s) must be one of the following: ${levels.join(', ')}`;
      cfg.logLevel = v as NodeConfig['logLevel'];
      return undefined;
    },
  },
];

function saveCheck(value: string): string | { value: string } {
  const parts = value.split(/\s+/).filter((p) => p.length > 0);
  if (parts.length % 2 !== 0) return SAVE_ERROR;
  for (const p of parts) if (parseLL(p) === undefined || BigInt(p) < 0n) return SAVE_ERROR;
  return { value: parts.join(' ') };
}

const YES = 'yes';
const NO = 'no';
const NN = int(0n, INT_MAX);
const IMM = { mutability: 'immutable' as const };
const PROT = { mutability: 'protected' as const };

const EXTRA: ConfigParam[] = [
  extra('acl-pubsub-default', 'resetchannels', oneOf('allchannels', 'resetchannels')),
  extra('aclfile', '', str, IMM),
  extra('acllog-max-len', '128', NN),
  extra('active-defrag-cycle-max', '25', int(1n, 99n)),
  extra('active-defrag-cycle-min', '1', int(1n, 99n)),
  extra('active-defrag-ignore-bytes', '104857600', mem(1n, LLONG_MAX)),
  extra('active-defrag-max-scan-fields', '1000', int(1n, LLONG_MAX)),
  extra('active-defrag-threshold-lower', '10', int(0n, 1000n)),
  extra('active-defrag-threshold-upper', '100', int(0n, 1000n)),
  extra('active-expire-effort', '1', int(1n, 10n)),
  extra('activedefrag', NO, bool),
  extra('activerehashing', YES, bool),
  extra('always-show-logo', NO, bool, IMM),
  extra('aof-disable-auto-gc', NO, bool),
  extra('aof-load-truncated', YES, bool),
  extra('aof-rewrite-incremental-fsync', YES, bool),
  extra('aof-timestamp-enabled', NO, bool),
  extra('aof-use-rdb-preamble', YES, bool),
  extra('aof_rewrite_cpulist', '', str, IMM),
  extra('appenddirname', 'appendonlydir', str, IMM),
  extra('appendfilename', 'appendonly.aof', str, IMM),
  extra('appendfsync', 'everysec', oneOf('always', 'everysec', 'no')),
  extra('appendonly', NO, bool),
  extra('auto-aof-rewrite-min-size', '67108864', mem(0n, LLONG_MAX)),
  extra('auto-aof-rewrite-percentage', '100', NN),
  extra('bgsave_cpulist', '', str, IMM),
  extra('bind-source-addr', '', str),
  extra('bio_cpulist', '', str, IMM),
  extra('busy-reply-threshold', '5000', int(0n, LLONG_MAX), { alias: 'lua-time-limit' }),
  extra('client-query-buffer-limit', '1073741824', mem(1024n * 1024n, LLONG_MAX)),
  extra('cluster-allow-pubsubshard-when-down', YES, bool),
  extra('cluster-allow-reads-when-down', NO, bool),
  extra('cluster-allow-replica-migration', YES, bool),
  extra('cluster-announce-bus-port', '0', int(0n, 65535n)),
  extra('cluster-announce-hostname', '', str),
  extra('cluster-announce-ip', '', str),
  extra('cluster-announce-port', '0', int(0n, 65535n)),
  extra('cluster-announce-tls-port', '0', int(0n, 65535n)),
  extra('cluster-config-file', 'nodes.conf', str, IMM),
  extra('cluster-enabled', NO, bool, IMM),
  extra('cluster-link-sendbuf-limit', '0', mem(0n, LLONG_MAX)),
  extra('cluster-migration-barrier', '1', NN),
  extra('cluster-node-timeout', '15000', int(0n, LLONG_MAX)),
  extra('cluster-port', '0', int(0n, 65535n), IMM),
  extra('cluster-preferred-endpoint-type', 'ip', oneOf('ip', 'hostname', 'unknown-endpoint')),
  extra('cluster-replica-no-failover', NO, bool, { alias: 'cluster-slave-no-failover' }),
  extra('cluster-replica-validity-factor', '10', NN, { alias: 'cluster-slave-validity-factor' }),
  extra('cluster-require-full-coverage', YES, bool),
  extra('crash-log-enabled', YES, bool),
  extra('crash-memcheck-enabled', YES, bool),
  extra('daemonize', NO, bool, IMM),
  extra('dbfilename', 'dump.rdb', str, PROT),
  extra('dir', process.cwd(), str, PROT),
  extra('disable-thp', YES, bool, IMM),
  extra('dynamic-hz', YES, bool),
  extra('enable-debug-command', NO, oneOf('no', 'yes', 'local'), IMM),
  extra('enable-module-command', NO, oneOf('no', 'yes', 'local'), IMM),
  extra('enable-protected-configs', NO, oneOf('no', 'yes', 'local'), IMM),
  extra('hll-sparse-max-bytes', '3000', mem(0n, LLONG_MAX)),
  extra('ignore-warnings', '', str),
  extra('io-threads', '1', int(1n, 128n), IMM),
  extra('io-threads-do-reads', NO, bool, IMM),
  extra('jemalloc-bg-thread', YES, bool),
  extra('latency-monitor-threshold', '0', int(0n, LLONG_MAX)),
  extra('latency-tracking', YES, bool),
  extra('latency-tracking-info-percentiles', '50 99 99.9', str),
  extra('lazyfree-lazy-eviction', NO, bool),
  extra('lazyfree-lazy-expire', NO, bool),
  extra('lazyfree-lazy-server-del', NO, bool),
  extra('lazyfree-lazy-user-del', NO, bool),
  extra('lazyfree-lazy-user-flush', NO, bool),
  extra('lfu-decay-time', '1', NN),
  extra('lfu-log-factor', '10', NN),
  extra('logfile', '', str, IMM),
  extra('masterauth', '', str),
  extra('masteruser', '', str),
  extra('maxmemory', '0', mem(0n, LLONG_MAX)),
  extra('maxmemory-clients', '0', mem(0n, LLONG_MAX)),
  extra('maxmemory-eviction-tenacity', '10', int(0n, 100n)),
  extra(
    'maxmemory-policy',
    'noeviction',
    oneOf('volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl', 'allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'noeviction'),
  ),
  extra('maxmemory-samples', '5', int(1n, 64n)),
  extra('min-replicas-max-lag', '10', NN, { alias: 'min-slaves-max-lag' }),
  extra('min-replicas-to-write', '0', NN, { alias: 'min-slaves-to-write' }),
  extra('no-appendfsync-on-rewrite', NO, bool),
  extra('oom-score-adj', NO, oneOf('no', 'yes', 'relative', 'absolute')),
  extra('oom-score-adj-values', '0 200 800', str),
  extra('pidfile', '', str, IMM),
  extra('proc-title-template', '{title} {listen-addr} {server-mode}', str),
  extra('propagation-error-behavior', 'ignore', oneOf('ignore', 'panic', 'panic-on-replicas')),
  extra('protected-mode', YES, bool),
  extra('rdb-del-sync-files', NO, bool),
  extra('rdb-save-incremental-fsync', YES, bool),
  extra('rdbchecksum', YES, bool, IMM),
  extra('rdbcompression', YES, bool),
  extra('repl-backlog-size', '1048576', mem(1n, LLONG_MAX)),
  extra('repl-backlog-ttl', '3600', int(0n, LLONG_MAX)),
  extra('repl-disable-tcp-nodelay', NO, bool),
  extra('repl-diskless-load', 'disabled', oneOf('disabled', 'on-empty-db', 'swapdb')),
  extra('repl-diskless-sync', YES, bool),
  extra('repl-diskless-sync-delay', '5', NN),
  extra('repl-diskless-sync-max-replicas', '0', NN),
  extra('repl-ping-replica-period', '10', int(1n, INT_MAX), { alias: 'repl-ping-slave-period' }),
  extra('repl-timeout', '60', int(1n, INT_MAX)),
  extra('replica-announce-ip', '', str, { alias: 'slave-announce-ip' }),
  extra('replica-announce-port', '0', int(0n, 65535n), { alias: 'slave-announce-port' }),
  extra('replica-announced', YES, bool),
  extra('replica-ignore-disk-write-errors', NO, bool),
  extra('replica-ignore-maxmemory', YES, bool, { alias: 'slave-ignore-maxmemory' }),
  extra('replica-lazy-flush', NO, bool, { alias: 'slave-lazy-flush' }),
  extra('replica-priority', '100', NN, { alias: 'slave-priority' }),
  extra('replica-read-only', YES, bool, { alias: 'slave-read-only' }),
  extra('replica-serve-stale-data', YES, bool, { alias: 'slave-serve-stale-data' }),
  extra('replicaof', '', str, { alias: 'slaveof' }),
  extra('sanitize-dump-payload', NO, oneOf('no', 'yes', 'clients')),
  extra('save', '', saveCheck),
  extra('server_cpulist', '', str, IMM),
  extra('set-proc-title', YES, bool, IMM),
  extra('shutdown-on-sigint', 'default', str),
  extra('shutdown-on-sigterm', 'default', str),
  extra('shutdown-timeout', '10', NN),
  extra('slowlog-log-slower-than', '10000', int(-1n, LLONG_MAX)),
  extra('slowlog-max-len', '128', int(0n, LLONG_MAX)),
  extra('socket-mark-id', '0', int(0n, UINT_MAX)),
  extra('stop-writes-on-bgsave-error', YES, bool),
  extra('stream-node-max-bytes', '4096', mem(0n, LLONG_MAX)),
  extra('stream-node-max-entries', '100', int(0n, LLONG_MAX)),
  extra('supervised', NO, oneOf('upstart', 'systemd', 'auto', 'no'), IMM),
  extra('syslog-enabled', NO, bool, IMM),
  extra('syslog-facility', 'local0', str, IMM),
  extra('syslog-ident', 'redis', str, IMM),
  extra('tcp-backlog', '511', NN, IMM),
  extra('tcp-keepalive', '300', NN),
  extra('timeout', '0', NN),
  extra('tls-auth-clients', YES, oneOf('no', 'yes', 'optional')),
  extra('tls-ca-cert-dir', '', str),
  extra('tls-ca-cert-file', '', str),
  extra('tls-cert-file', '', str),
  extra('tls-ciphers', '', str),
  extra('tls-ciphersuites', '', str),
  extra('tls-client-cert-file', '', str),
  extra('tls-client-key-file', '', str),
  extra('tls-client-key-file-pass', '', str),
  extra('tls-cluster', NO, bool),
  extra('tls-dh-params-file', '', str),
  extra('tls-key-file', '', str),
  extra('tls-key-file-pass', '', str),
  extra('tls-port', '0', int(0n, 65535n)),
  extra('tls-prefer-server-ciphers', NO, bool),
  extra('tls-protocols', '', str),
  extra('tls-replication', NO, bool),
  extra('tls-session-cache-size', '20480', NN),
  extra('tls-session-cache-timeout', '300', NN),
  extra('tls-session-caching', YES, bool),
  extra('tracking-table-max-keys', '1000000', int(0n, LLONG_MAX)),
  extra('unixsocket', '', str, IMM),
  extra('unixsocketperm', '0', int(0n, 777n), IMM),
];

export const CONFIG_PARAMS: readonly ConfigParam[] = [...BOUND, ...EXTRA];

const BY_NAME = new Map<string, ConfigParam>();
for (const p of CONFIG_PARAMS) {
  BY_NAME.set(p.name, p);
  if (p.alias !== undefined) BY_NAME.set(p.alias, p);
}

/** A parameter by Redis name or alias, case-insensitive. */
export function findParam(name: string): ConfigParam | undefined {
  return BY_NAME.get(name.toLowerCase());
}

/** NodeConfig field values settable by flags: every parameter name (and alias). */
export function allParamNames(): string[] {
  return [...BY_NAME.keys()];
}

