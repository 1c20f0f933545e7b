/**
 * Server commands: INFO, CONFIG (GET, SET, RESETSTAT, REWRITE, HELP), TIME, LASTSAVE, SHUTDOWN
 * and COMMAND (its replies are built by @swarmkv/resp from the shared command table), plus the
 * cluster commands a standalone Redis refuses (CLUSTER, READONLY, READWRITE, ASKING). DBSIZE,
 * FLUSHDB, FLUSHALL and SWAPDB belong to the keyspace.
 *
 * INFO prints Redis 7.0's sections and field names in Redis's order. Values a JS process has
 * no equivalent for (allocator internals, fork stats) are reported as a Redis without activity
 * would report them, so parsers of INFO keep working.
 */
import os from 'node:os';
import { writeFileSync } from 'node:fs';
import type { Bytes, Reply } from '@swarmkv/resp';
import { Err, R, runCommandCommand } from '@swarmkv/resp';
import type { Ctx, HandlerTable } from './context.js';
import { clientOf, coreOf } from '../server/ctx.js';
import type { NodeCore } from '../server/core.js';
import type { KeyspaceStats } from '../keyspace/db-api.js';
import { CONFIG_PARAMS, findParam, type ConfigParam } from '../server/config-table.js';
import { formatNotifyFlags } from '../server/notify.js';
import { stringMatch } from '../keyspace/glob.js';
import { REDIS_VERSION } from './connection.js';

const RUN_ID = Array.from({ length: 40 }, () => '0123456789abcdef'[Math.floor(Math.random() * 16)]).join('');
const REPL_ID = Array.from({ length: 40 }, () => '0123456789abcdef'[Math.floor(Math.random() * 16)]).join('');

/** Redis's bytesToHuman: 1.11M, 12.65M, 200B ... */
export function bytesToHuman(n: number): string {
  const units: [number, string][] = [
    [1024 ** 5, 'P'], [1024 ** 4, 'T'], [1024 ** 3, 'G'], [1024 ** 2, 'M'], [1024, 'K'],
  ];
  for (const [size, unit] of units) if (n >= size) return `${(n / size).toFixed(2)}${unit}`;
  return `${n}B`;
}

const DEFAULT_SECTIONS = ['server', 'clients', 'memory', 'persistence', 'stats', 'replication', 'cpu', 'modules', 'errorstats', 'cluster', 'keyspace'];
const ALL_SECTIONS = ['server', 'clients', 'memory', 'persistence', 'stats', 'replication', 'cpu', 'modules', 'commandstats', 'errorstats', 'latencystats', 'cluster', 'keyspace'];

type Section = (core: NodeCore, now: number) => string[];

let peakMemory = 0;

const SECTIONS: Record<string, [string, Section]> = {
  server: ['Server', (core, now) => {
    const up = Math.floor((now - core.startedAt) / 1000);
    return [
      `redis_version:${REDIS_VERSION}`,
      'redis_git_sha1:00000000',
      'redis_git_dirty:0',
      'redis_build_id:0000000000000000',
      'redis_mode:standalone',
      `os:${os.type()} ${os.release()} ${os.machine()}`,
      'arch_bits:64',
      'monotonic_clock:POSIX clock_gettime',
      'multiplexing_api:epoll',
      'atomicvar_api:c11-builtin',
      'gcc_version:0.0.0',
      `process_id:${process.pid}`,
      'process_supervised:no',
      `run_id:${RUN_ID}`,
      `tcp_port:${core.tcpPort || core.config.port}`,
      `server_time_usec:${now * 1000}`,
      `uptime_in_seconds:${up}`,
      `uptime_in_days:${Math.floor(up / 86400)}`,
      `hz:${core.config.hz}`,
      `configured_hz:${core.config.hz}`,
      `lru_clock:${Math.floor(now / 1000) & ((1 << 24) - 1)}`,
      `executable:${process.argv[1] ?? ''}`,
      `config_file:${core.configFile ?? ''}`,
      'io_threads_active:0',
    ];
  }],
  clients: ['Clients', (core) => {
    let maxIn = 0;
    let maxOut = 0;
    for (const c of core.clients.values()) {
      if (c.qbuf > maxIn) maxIn = c.qbuf;
      const o = c.outputBytes();
      if (o > maxOut) maxOut = o;
    }
    return [
      `connected_clients:${core.clients.size}`,
      'cluster_connections:0',
      `maxclients:${core.config.maxclients}`,
      `client_recent_max_input_buffer:${maxIn}`,
      `client_recent_max_output_buffer:${maxOut}`,
      `blocked_clients:${core.blocking.blockedCount}`,
      'tracking_clients:0',
      `clients_in_timeout_table:${core.blocking.blockedCount}`,
    ];
  }],
  memory: ['Memory', (core) => {
    const m = process.memoryUsage();
    // `external` already includes `arrayBuffers` (the keyspace's byte slabs and int strips).
    const used = m.heapUsed + m.external;
    if (used > peakMemory) peakMemory = used;
    const maxmemory = Number(core.config.redis.maxmemory ?? '0');
    const total = os.totalmem();
    return [
      `used_memory:${used}`,
      `used_memory_human:${bytesToHuman(used)}`,
      `used_memory_rss:${m.rss}`,
      `used_memory_rss_human:${bytesToHuman(m.rss)}`,
      `used_memory_peak:${peakMemory}`,
      `used_memory_peak_human:${bytesToHuman(peakMemory)}`,
      `used_memory_peak_perc:${((used * 100) / peakMemory).toFixed(2)}%`,
      `used_memory_overhead:0`,
      `used_memory_startup:0`,
      `used_memory_dataset:${used}`,
      'used_memory_dataset_perc:100.00%',
      `allocator_allocated:${m.heapUsed}`,
      `allocator_active:${m.heapTotal}`,
      `allocator_resident:${m.rss}`,
      `total_system_memory:${total}`,
      `total_system_memory_human:${bytesToHuman(total)}`,
      'used_memory_lua:32768',
      'used_memory_vm_eval:32768',
      'used_memory_lua_human:32.00K',
      'used_memory_scripts_eval:0',
      'number_of_cached_scripts:0',
      'number_of_functions:0',
      'number_of_libraries:0',
      'used_memory_vm_functions:32768',
      'used_memory_vm_total:65536',
      'used_memory_vm_total_human:64.00K',
      'used_memory_functions:0',
      'used_memory_scripts:0',
      'used_memory_scripts_human:0B',
      `maxmemory:${maxmemory}`,
      `maxmemory_human:${bytesToHuman(maxmemory)}`,
      `maxmemory_policy:${core.config.redis['maxmemory-policy'] ?? 'noeviction'}`,
      `allocator_frag_ratio:${(m.heapTotal / Math.max(1, m.heapUsed)).toFixed(2)}`,
      `allocator_frag_bytes:${m.heapTotal - m.heapUsed}`,
      `allocator_rss_ratio:${(m.rss / Math.max(1, m.heapTotal)).toFixed(2)}`,
      `allocator_rss_bytes:${m.rss - m.heapTotal}`,
      `rss_overhead_ratio:1.00`,
      `rss_overhead_bytes:0`,
      `mem_fragmentation_ratio:${(m.rss / Math.max(1, used)).toFixed(2)}`,
      `mem_fragmentation_bytes:${m.rss - used}`,
      'mem_not_counted_for_evict:0',
      'mem_replication_backlog:0',
      'mem_total_replication_buffers:0',
      'mem_clients_slaves:0',
      'mem_clients_normal:0',
      'mem_cluster_links:0',
      'mem_aof_buffer:0',
      'mem_allocator:v8',
      'active_defrag_running:0',
      'lazyfree_pending_objects:0',
      'lazyfreed_objects:0',
    ];
  }],
  persistence: ['Persistence', (core) => [
    'loading:0',
    'async_loading:0',
    'current_cow_peak:0',
    'current_cow_size:0',
    'current_cow_size_age:0',
    'current_fork_perc:0.00',
    'current_save_keys_processed:0',
    'current_save_keys_total:0',
    `rdb_changes_since_last_save:${keyspaceStats(core)?.dirty ?? core.dirty}`,
    'rdb_bgsave_in_progress:0',
    `rdb_last_save_time:${core.lastSave}`,
    'rdb_last_bgsave_status:ok',
    'rdb_last_bgsave_time_sec:-1',
    'rdb_current_bgsave_time_sec:-1',
    'rdb_saves:0',
    'rdb_last_cow_size:0',
    'rdb_last_load_keys_expired:0',
    'rdb_last_load_keys_loaded:0',
    'aof_enabled:0',
    'aof_rewrite_in_progress:0',
    'aof_rewrite_scheduled:0',
    'aof_last_rewrite_time_sec:-1',
    'aof_current_rewrite_time_sec:-1',
    'aof_last_bgrewrite_status:ok',
    'aof_rewrites:0',
    'aof_rewrites_consecutive_failures:0',
    'aof_last_write_status:ok',
    'aof_last_cow_size:0',
    'module_fork_in_progress:0',
    'module_fork_last_cow_size:0',
  ]],
  stats: ['Stats', (core) => {
    const s = core.stats;
    const ks = keyspaceStats(core);
    return [
      `total_connections_received:${s.totalConnections}`,
      `total_commands_processed:${s.totalCommands}`,
      `instantaneous_ops_per_sec:${s.instantaneousOps()}`,
      `total_net_input_bytes:${s.netInputBytes}`,
      `total_net_output_bytes:${s.netOutputBytes}`,
      'total_net_repl_input_bytes:0',
      'total_net_repl_output_bytes:0',
      'instantaneous_input_kbps:0.00',
      'instantaneous_output_kbps:0.00',
      'instantaneous_input_repl_kbps:0.00',
      'instantaneous_output_repl_kbps:0.00',
      `rejected_connections:${s.rejectedConnections}`,
      'sync_full:0',
      'sync_partial_ok:0',
      'sync_partial_err:0',
      `expired_keys:${ks?.expiredKeys ?? s.expiredKeys}`,
      `expired_stale_perc:${((ks?.expiredStalePerc ?? 0) * 100).toFixed(2)}`,
      `expired_time_cap_reached_count:${ks?.expiredTimeCapReachedCount ?? 0}`,
      `expire_cycle_cpu_milliseconds:${Math.floor((ks?.expireCycleCpuMicros ?? 0) / 1000)}`,
      'evicted_keys:0',
      'evicted_clients:0',
      'total_eviction_exceeded_time:0',
      'current_eviction_exceeded_time:0',
      `keyspace_hits:${ks?.keyspaceHits ?? 0}`,
      `keyspace_misses:${ks?.keyspaceMisses ?? 0}`,
      `pubsub_channels:${core.pubsub.channels.size}`,
      `pubsub_patterns:${core.pubsub.numPatterns()}`,
      `pubsubshard_channels:${core.pubsub.shardChannels.size}`,
      'latest_fork_usec:0',
      'total_forks:0',
      'migrate_cached_sockets:0',
      'slave_expires_tracked_keys:0',
      'active_defrag_hits:0',
      'active_defrag_misses:0',
      'active_defrag_key_hits:0',
      'active_defrag_key_misses:0',
      'total_active_defrag_time:0',
      'current_active_defrag_time:0',
      'tracking_total_keys:0',
      'tracking_total_items:0',
      'tracking_total_prefixes:0',
      `unexpected_error_replies:${s.unexpectedErrorReplies}`,
      `total_error_replies:${s.totalErrorReplies}`,
      'dump_payload_sanitizations:0',
      `total_reads_processed:${s.totalCommands}`,
      `total_writes_processed:${s.totalCommands}`,
      'io_threaded_reads_processed:0',
      'io_threaded_writes_processed:0',
      'reply_buffer_shrinks:0',
      'reply_buffer_expands:0',
    ];
  }],
  replication: ['Replication', () => [
    'role:master',
    'connected_slaves:0',
    'master_failover_state:no-failover',
    `master_replid:${REPL_ID}`,
    'master_replid2:0000000000000000000000000000000000000000',
    'master_repl_offset:0',
    'second_repl_offset:-1',
    'repl_backlog_active:0',
    'repl_backlog_size:1048576',
    'repl_backlog_first_byte_offset:0',
    'repl_backlog_histlen:0',
  ]],
  cpu: ['CPU', () => {
    const u = process.resourceUsage();
    const sys = (u.systemCPUTime / 1e6).toFixed(6);
    const user = (u.userCPUTime / 1e6).toFixed(6);
    return [
      `used_cpu_sys:${sys}`,
      `used_cpu_user:${user}`,
      'used_cpu_sys_children:0.000000',
      'used_cpu_user_children:0.000000',
      `used_cpu_sys_main_thread:${sys}`,
      `used_cpu_user_main_thread:${user}`,
    ];
  }],
  modules: ['Modules', () => []],
  commandstats: ['Commandstats', (core) =>
    core.dispatcher.table
      .resolved()
      .filter((e) => e.calls > 0 || e.rejectedCalls > 0 || e.failedCalls > 0)
      .map((e) => {
        const usec = Math.round(e.usec);
        const per = e.calls > 0 ? (e.usec / e.calls).toFixed(2) : '0.00';
        return `cmdstat_${e.name}:calls=${e.calls},usec=${usec},usec_per_call=${per},rejected_calls=${e.rejectedCalls},failed_calls=${e.failedCalls}`;
      })],
  errorstats: ['Errorstats', (core) => [...core.stats.errors].map(([code, n]) => `errorstat_${code}:count=${n}`)],
  latencystats: ['Latencystats', () => []],
  cluster: ['Cluster', () => ['cluster_enabled:0']],
  keyspace: ['Keyspace', (core) => {
    const out: string[] = [];
    for (const db of core.dbs) {
      const keys = db.size();
      if (keys === 0) continue;
      const avgTtl = db.avgTtl?.() ?? 0;
      out.push(`db${db.id}:keys=${keys},expires=${db.expiresCount()},avg_ttl=${avgTtl}`);
    }
    return out;
  }],
};

/** The keyspace's counters (keyspace/db.ts keeps one KeyspaceStats shared by all databases). */
function keyspaceStats(core: NodeCore): KeyspaceStats | undefined {
  return core.dbs[0]?.stats;
}

/** The INFO text for the requested section names (Redis: default, all, everything, or names). */
export function infoText(core: NodeCore, args: readonly Bytes[], now: number): string {
  let wanted: Set<string>;
  if (args.length === 0) wanted = new Set(DEFAULT_SECTIONS);
  else {
    wanted = new Set();
    for (const a of args) {
      const s = a.toLowerCase();
      if (s === 'default') {
        for (const d of DEFAULT_SECTIONS) wanted.add(d);
      } else if (s === 'all') {
        for (const d of ALL_SECTIONS) if (d !== 'modules') wanted.add(d);
      } else if (s === 'everything') {
        for (const d of ALL_SECTIONS) wanted.add(d);
      } else wanted.add(s);
    }
  }
  const parts: string[] = [];
  for (const name of ALL_SECTIONS) {
    if (!wanted.has(name)) continue;
    const [title, gen] = SECTIONS[name]!;
    const lines = gen(core, now);
    parts.push(`# ${title}\r\n${lines.map((l) => l + '\r\n').join('')}`);
  }
  return parts.join('\r\n');
}

const CONFIG_HELP = [
  'CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'GET <pattern>',
  '    Return parameters matching the glob-like <pattern> and their values.',
  'SET <directive> <value>',
  '    Set the configuration <directive> to <value>.',
  'RESETSTAT',
  '    Reset statistics reported by the INFO command.',
  'REWRITE',
  '    Rewrite the configuration file.',
  'HELP',
  '    Prints this help.',
];

function hasGlob(p: string): boolean {
  return /[*?[\\]/.test(p);
}

/** A parameter's value as CONFIG GET shows it (some come from live server state). */
function paramValue(core: NodeCore, p: ConfigParam): string {
  if (p.name === 'notify-keyspace-events') return formatNotifyFlags(core.notifier.flags);
  if (p.name === 'port') return String(core.tcpPort || core.config.port);
  return p.get(core.config);
}

function configGet(ctx: Ctx, argv: Bytes[]): Reply {
  const core = coreOf(ctx);
  const seen = new Set<string>();
  const out: Reply[] = [];
  const add = (name: string, p: ConfigParam) => {
    if (seen.has(name)) return;
    seen.add(name);
    out.push(R.bulk(name), R.bulk(paramValue(core, p)));
  };
  for (let i = 2; i < argv.length; i++) {
    const pattern = argv[i]!;
    if (!hasGlob(pattern)) {
      const p = findParam(pattern);
      if (p !== undefined && !p.hidden) add(pattern, p);
      continue;
    }
    for (const p of CONFIG_PARAMS) {
      if (p.hidden) continue;
      if (stringMatch(pattern, p.name, true)) add(p.name, p);
      if (p.alias !== undefined && stringMatch(pattern, p.alias, true)) add(p.alias, p);
    }
  }
  return R.map(out);
}

function configSet(ctx: Ctx, argv: Bytes[]): Reply {
  const core = coreOf(ctx);
  if ((argv.length - 2) % 2 !== 0) throw Err.syntax();
  const pairs: [Bytes, ConfigParam, Bytes][] = [];
  const seen = new Set<string>();
  const fail = (arg: Bytes, msg: string) =>
    Err.msg('ERR', `CONFIG SET failed (possibly related to argument '${arg}') - ${msg}`);
  for (let i = 2; i < argv.length; i += 2) {
    const name = argv[i]!;
    const p = findParam(name);
    if (p === undefined || p.hidden) {
      throw Err.msg('ERR', `Unknown option or number of arguments for CONFIG SET - '${name}'`);
    }
    if (p.mutability === 'immutable') throw fail(name, "can't set immutable config");
    if (p.mutability === 'protected') throw fail(name, "can't set protected config");
    // Redis compares the names as given: "hz 1 HZ 2" is a duplicate, a name and its alias are not.
    if (seen.has(name.toLowerCase())) throw fail(name, 'duplicate parameter');
    seen.add(name.toLowerCase());
    pairs.push([name, p, argv[i + 1]!]);
  }
  // All or nothing: set a copy, then adopt it.
  const draft = structuredClone(core.config);
  for (const [name, p, value] of pairs) {
    const err = p.set(draft, value);
    if (err !== undefined) throw fail(name, err);
  }
  Object.assign(core.config, draft);
  core.applyConfig();
  return R.ok;
}

/** CONFIG REWRITE: the config file gets one `name value` line per parameter that differs from its default. */
function configRewrite(ctx: Ctx): Reply {
  const core = coreOf(ctx);
  const file = core.configFile;
  if (file === undefined) throw Err.msg('ERR', 'The server is running without a config file');
  const defaults = core.defaultConfig();
  const lines: string[] = ['# Generated by CONFIG REWRITE'];
  for (const p of CONFIG_PARAMS) {
    const v = paramValue(core, p);
    if (p.name === 'notify-keyspace-events' ? v === '' : v === p.get(defaults)) continue;
    lines.push(`${p.name} ${/^[\x21-\x7e]+$/.test(v) && !v.includes('"') ? v : JSON.stringify(v)}`);
  }
  try {
    writeFileSync(file, lines.join('\n') + '\n');
  } catch (e) {
    core.log.warn({ err: (e as Error).message }, 'CONFIG REWRITE failed');
    throw Err.msg('ERR', `Rewriting config file: ${(e as Error).message}`);
  }
  return R.ok;
}

function shutdown(ctx: Ctx, argv: Bytes[]): Reply {
  let abort = false;
  for (let i = 1; i < argv.length; i++) {
    const opt = argv[i]!.toUpperCase();
    if (opt === 'ABORT') abort = true;
    else if (opt !== 'NOSAVE' && opt !== 'SAVE' && opt !== 'NOW' && opt !== 'FORCE') throw Err.syntax();
  }
  if (abort) {
    if (argv.length > 2) throw Err.syntax();
    throw Err.msg('ERR', 'No shutdown in progress.');
  }
  const core = coreOf(ctx);
  core.log.warn({ client: clientOf(ctx).id }, 'User requested shutdown...');
  clientOf(ctx).closeAfterReply = true;
  if (core.onShutdown !== undefined) setImmediate(core.onShutdown);
  // Redis sends no reply: the connection just closes.
  return R.raw('');
}

function clusterDisabled(): Reply {
  throw Err.msg('ERR', 'This instance has cluster support disabled');
}

export const SERVER_HANDLERS: HandlerTable = {
  INFO: (ctx, argv) => R.verb(infoText(coreOf(ctx), argv.slice(1), ctx.now)),
  'CONFIG|GET': configGet,
  'CONFIG|SET': configSet,
  'CONFIG|RESETSTAT': (ctx) => {
    coreOf(ctx).resetStats();
    return R.ok;
  },
  'CONFIG|REWRITE': configRewrite,
  'CONFIG|HELP': () => R.arr(CONFIG_HELP.map((l) => R.simple(l))),
  TIME: () => {
    const us = Math.floor((performance.timeOrigin + performance.now()) * 1000);
    return R.arr([R.bulk(String(Math.floor(us / 1e6))), R.bulk(String(us % 1e6))]);
  },
  LASTSAVE: (ctx) => R.int(coreOf(ctx).lastSave),
  SHUTDOWN: shutdown,
  COMMAND: (_ctx, argv) => runCommandCommand(argv, { match: (pattern, name) => stringMatch(pattern, name, true) }),
  // A storage node is a standalone Redis: the router owns the cluster view.
  CLUSTER: clusterDisabled,
  READONLY: clusterDisabled,
  READWRITE: clusterDisabled,
  ASKING: clusterDisabled,
};
