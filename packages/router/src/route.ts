/**
 * The dispatcher: what happens to each command a client sends.
 *
 * Checks come first and in Redis's order (unknown command / subcommand, arity, NOAUTH, the
 * RESP2 subscribed context, MULTI queuing), so errors match a node's byte for byte without a
 * round trip. Then the command goes where its kind says:
 *  - keys (from the command table's key specs) -> the slot's owner, one slot required
 *    (-CROSSSLOT otherwise), except splittable multi-key commands (fanout/split.ts);
 *  - router-answered connection commands (local-commands.ts), CLUSTER (cluster-commands.ts),
 *    ROUTER and INFO (admin.ts), COMMAND (from the table);
 *  - keyless commands with fan-out tips (DBSIZE, KEYS, FLUSHDB ...) to every node (fanout/);
 *  - other keyless commands to the first node that is up;
 *  - transactions, blocking commands, pub/sub to their own modules.
 *
 * Routes are resolved once per distinct spelling of a command name and cached, so the hot path
 * is a Map lookup, an arity check, one CRC16 and a push onto a connection. Commands taken raw
 * (client-session.ts) with a raw route skip even the strings: the name is looked up by its bytes,
 * the key's slot is hashed from its bytes, and the command's bytes are copied to the node.
 */
import {
  encodeError,
  keyHashSlot,
  keyHashSlotOfBytes,
  type RawCommand,
  keyPositions,
  lookupCommand,
  type Bytes,
  type CommandSpec,
} from '@swarmkv/resp';
import type { ClientSession } from './client-session.js';
import { ForwardOp } from './pending.js';
import type { UpstreamNode } from './upstream/node.js';
import type { Request } from './upstream/connection.js';
import * as local from './local-commands.js';
import * as txn from './transaction.js';
import * as pubsub from './pubsub.js';
import { blocking } from './blocking.js';
import { splitKeys, splitKeysRaw, SPLITTABLE } from './fanout/split.js';
import { fanoutByPolicy, dbsize, keys, flush, randomkey, pubsubIntrospection } from './fanout/all-nodes.js';
import { scan } from './fanout/scan.js';
import { cluster } from './cluster-commands.js';
import { routerCommand, info } from './admin.js';
import { commandCommand } from './command-command.js';

export type Handler = (s: ClientSession, argv: Bytes[], r: Route) => void;
/** The same for a command still in its raw bytes (executeRaw); false: run it from argv instead. */
export type RawHandler = (s: ClientSession, cmd: RawCommand, r: Route) => boolean;

export interface Route {
  /** 'GET', 'CLIENT|SETNAME' */
  readonly name: string;
  /** Name as Redis prints it in errors: 'get', 'client|setname'. */
  readonly errName: string;
  readonly spec: CommandSpec;
  readonly arity: number;
  readonly handler: Handler;
  /** Set for commands that can be routed from their raw bytes (one key at a fixed place, splittable). */
  readonly raw: RawHandler | null;
  /** argv index of the only key, or 0 when keys are found through keyPositions (or there are none). */
  readonly keyAt: number;
  readonly hasKeys: boolean;
  readonly noAuth: boolean;
  readonly noMulti: boolean;
  /** Allowed while a RESP2 client is subscribed. */
  readonly pubsubContext: boolean;
  /** MULTI, EXEC, DISCARD, WATCH, QUIT, RESET: run even inside MULTI. */
  readonly txControl: boolean;
  /** Container: subcommand routes by upper-case name. */
  readonly subs: Map<string, Route> | null;
}

export const CROSSSLOT = "-CROSSSLOT Keys in request don't hash to the same slot\r\n";
const NOAUTH = '-NOAUTH Authentication required.\r\n';

// --- Handlers ---

/**
 * Sends a request (argv, or a raw command's kept bytes) to the node owning `slot` on the
 * client's lane (or its WATCH connection).
 */
export function forwardToSlot(s: ClientSession, request: Request, slot: number): void {
  const node = s.router.nodeForSlot(slot);
  if (node.isDown) return s.reply(encodeError(node.downText(s.router.rangeText(slot))));
  const op = new ForwardOp(s, request, slot);
  s.enqueue(op);
  const conn = (s.tx !== null && txn.watchLane(s, node)) || node.shared(s.db, s.proto, s.id);
  conn.send(request, op, 0);
}

/** The node keyless commands go to: the first one that is up. */
export function anyNode(s: ClientSession): UpstreamNode | null {
  const nodes = s.router.activeNodes;
  for (let i = 0; i < nodes.length; i++) if (!nodes[i]!.isDown) return nodes[i]!;
  return null;
}

/** The raw form of `keyed`: the command's bytes go to the owner of its key's slot as they came. */
const keyedRaw: RawHandler = (s, cmd, r) => {
  const k = r.keyAt;
  if (cmd.argc <= k) return false;
  forwardToSlot(s, cmd.keep(), keyHashSlotOfBytes(cmd.buf, cmd.data[k]!, cmd.data[k]! + cmd.len[k]!));
  return true;
};

function forwardAnywhere(s: ClientSession, argv: Bytes[]): void {
  const node = anyNode(s);
  if (node === null) return s.reply(encodeError('CLUSTERDOWN No node is reachable'));
  const op = new ForwardOp(s, argv, -1);
  s.enqueue(op);
  node.shared(s.db, s.proto, s.id).send(argv, op, 0);
}

/** Shard channels (SSUBSCRIBE, SPUBLISH) route like keys. */
const ROUTING_KEYS = Object.freeze({ includeNotKeys: true });

/** The slot of argv's keys: >= 0 one slot, -1 no keys, -2 keys in several slots. */
export function slotOf(r: Route, argv: Bytes[]): number {
  if (r.keyAt > 0) return argv.length > r.keyAt ? keyHashSlot(argv[r.keyAt]!) : -1;
  if (!r.hasKeys) return -1;
  // Malformed argv (bad numkeys ...) gives no keys: a node then answers the error.
  const positions = keyPositions(r.spec, argv, ROUTING_KEYS);
  if (positions.length === 0) return -1;
  const slot = keyHashSlot(argv[positions[0]!]!);
  for (let i = 1; i < positions.length; i++) {
    if (keyHashSlot(argv[positions[i]!]!) !== slot) return -2;
  }
  return slot;
}

const keyed: Handler = (s, argv, r) => {
  const slot = slotOf(r, argv);
  if (slot >= 0) return forwardToSlot(s, argv, slot);
  if (slot === -2) return s.reply(CROSSSLOT);
  keyless(s, argv, r);
};

const keyless: Handler = (s, argv, r) => {
  const p = r.spec.request;
  if (p === 'all_nodes' || p === 'all_shards') return fanoutByPolicy(s, argv, r.spec.response ?? 'all_succeeded');
  forwardAnywhere(s, argv);
};

/** Barrier commands wait for the client's earlier commands (they switch connections or state). */
function barrier(h: Handler): Handler {
  return (s, argv, r) => {
    if (s.barrier(argv)) h(s, argv, r);
  };
}

const LOCAL: Record<string, Handler> = {
  PING: (s, argv) => local.ping(s, argv),
  ECHO: (s, argv) => local.echo(s, argv),
  TIME: (s) => local.time(s),
  AUTH: (s, argv) => local.auth(s, argv),
  HELLO: barrier((s, argv) => local.hello(s, argv)),
  SELECT: barrier((s, argv) => {
    local.select(s, argv);
    if (s.tx !== null) txn.selectWhileWatching(s, s.db);
  }),
  QUIT: (s) => local.quit(s),
  RESET: barrier((s) => local.reset(s)),
  CLIENT: (s, argv) => local.client(s, argv),
  READONLY: (s) => s.reply('+OK\r\n'),
  READWRITE: (s) => s.reply('+OK\r\n'),
  ASKING: (s) => s.reply('+OK\r\n'),
  COMMAND: (s, argv) => commandCommand(s, argv),
  CLUSTER: (s, argv) => cluster(s, argv),
  ROUTER: (s, argv) => routerCommand(s, argv),
  INFO: (s, argv) => info(s, argv),
  MULTI: barrier((s) => txn.multi(s)),
  EXEC: (s) => txn.exec(s),
  DISCARD: (s) => txn.discard(s),
  WATCH: barrier((s, argv, r) => {
    if (s.tx?.multi) return s.reply(encodeError('ERR WATCH inside MULTI is not allowed'));
    txn.watch(s, argv, slotOf(r, argv));
  }),
  UNWATCH: (s) => txn.unwatch(s),
  SUBSCRIBE: barrier((s, argv) => pubsub.subscribe(s, argv, 'channel')),
  PSUBSCRIBE: barrier((s, argv) => pubsub.subscribe(s, argv, 'pattern')),
  SSUBSCRIBE: barrier((s, argv, r) => {
    const slot = slotOf(r, argv);
    if (slot === -2) return s.reply(CROSSSLOT);
    pubsub.subscribe(s, argv, 'shard');
  }),
  UNSUBSCRIBE: barrier((s, argv) => pubsub.unsubscribe(s, argv, 'channel')),
  PUNSUBSCRIBE: barrier((s, argv) => pubsub.unsubscribe(s, argv, 'pattern')),
  SUNSUBSCRIBE: barrier((s, argv) => pubsub.unsubscribe(s, argv, 'shard')),
  PUBLISH: (s, argv) => forwardToSlot(s, argv, keyHashSlot(argv[1]!)),
  PUBSUB: (s, argv) => pubsubIntrospection(s, argv),
  DBSIZE: (s, argv) => dbsize(s, argv),
  KEYS: (s, argv) => keys(s, argv),
  SCAN: (s, argv) => scan(s, argv),
  FLUSHDB: (s, argv) => flush(s, argv),
  FLUSHALL: (s, argv) => flush(s, argv),
  RANDOMKEY: (s, argv) => randomkey(s, argv),
  SWAPDB: (s, argv) => fanoutByPolicy(s, argv, 'all_succeeded'),
};

const PUBSUB_CONTEXT = new Set(['SUBSCRIBE', 'PSUBSCRIBE', 'SSUBSCRIBE', 'UNSUBSCRIBE', 'PUNSUBSCRIBE', 'SUNSUBSCRIBE', 'PING', 'QUIT', 'RESET']);
const TX_CONTROL = new Set(['MULTI', 'EXEC', 'DISCARD', 'WATCH', 'QUIT', 'RESET']);

/** ROUTER is the router's own command (not in the node's table). */
const ROUTER_SPEC: CommandSpec = Object.freeze({ group: 'server', arity: -2, flags: ['admin'], keys: [] } satisfies CommandSpec);

function singleKeyIndex(spec: CommandSpec): number {
  if (spec.keys.length !== 1) return 0;
  const k = spec.keys[0]!;
  if (!('index' in k.begin) || !('range' in k.find)) return 0;
  return k.find.range.lastKey === 0 ? k.begin.index : 0;
}

function makeRoute(name: string, spec: CommandSpec, parent: string | null): Route {
  const full = parent === null ? name : `${parent}|${name}`;
  let handler: Handler;
  if (parent !== null) handler = LOCAL[parent] ?? (spec.keys.length > 0 ? keyed : keyless);
  else if (LOCAL[name] !== undefined) handler = LOCAL[name]!;
  else if (SPLITTABLE.has(name)) handler = splitKeys;
  else if (spec.flags.includes('blocking')) handler = barrier(blocking);
  else handler = spec.keys.length > 0 ? keyed : keyless;
  const keyAt = singleKeyIndex(spec);
  // Raw routes are looked up by top-level name only (executeRaw), so containers get none.
  let raw: RawHandler | null = null;
  if (parent === null && spec.subcommands === undefined) {
    if (handler === splitKeys) raw = splitKeysRaw;
    else if (handler === keyed && keyAt > 0) raw = keyedRaw;
  }
  let subs: Map<string, Route> | null = null;
  if (spec.subcommands !== undefined) {
    subs = new Map();
    for (const [sub, subSpec] of Object.entries(spec.subcommands)) subs.set(sub, makeRoute(sub, subSpec, name));
  }
  return {
    name: full,
    errName: full.toLowerCase(),
    spec,
    arity: spec.arity,
    handler,
    raw,
    keyAt,
    hasKeys: spec.keys.length > 0,
    noAuth: spec.flags.includes('no_auth'),
    noMulti: spec.flags.includes('no_multi') || spec.flags.includes('pubsub') && name !== 'PUBLISH' && name !== 'SPUBLISH' && parent === null,
    pubsubContext: PUBSUB_CONTEXT.has(full),
    txControl: TX_CONTROL.has(full),
    subs,
  };
}

/** Routes by exact spelling of argv[0]; bounded so random garbage names cannot grow it. */
const ROUTES = new Map<string, Route | null>();
const ROUTES_BY_NAME = new Map<string, Route>();
const MAX_SPELLINGS = 4096;

function resolve(name: Bytes): Route | null {
  let r = ROUTES.get(name);
  if (r !== undefined) return r;
  const upper = name.toUpperCase();
  r = ROUTES_BY_NAME.get(upper) ?? null;
  if (r === null) {
    const spec = upper === 'ROUTER' ? ROUTER_SPEC : lookupCommand(upper);
    if (spec !== undefined && !upper.includes('|')) {
      r = makeRoute(upper, spec, null);
      ROUTES_BY_NAME.set(upper, r);
    }
  }
  if (r !== null && ROUTES.size < MAX_SPELLINGS) ROUTES.set(name, r);
  return r;
}

/**
 * resolve() for a raw command's name without making a string of it: a small direct-mapped
 * cache from the name's bytes (hashed, then compared byte by byte with the spelling it holds).
 */
const RAW_CACHE_SIZE = 256;
const RAW_NAME_MAX = 24;
const rawNames: string[] = new Array<string>(RAW_CACHE_SIZE).fill('');
const rawRoutes: (Route | null)[] = new Array<Route | null>(RAW_CACHE_SIZE).fill(null);

function resolveRaw(cmd: RawCommand): Route | null {
  const buf = cmd.buf;
  const at = cmd.data[0]!;
  const n = cmd.len[0]!;
  if (n > RAW_NAME_MAX || n === 0) return resolve(cmd.arg(0));
  let h = n;
  for (let i = 0; i < n; i++) h = (h * 31 + buf[at + i]!) | 0;
  const slot = (h ^ (h >>> 8)) & (RAW_CACHE_SIZE - 1);
  const name = rawNames[slot]!;
  if (name.length === n) {
    let i = 0;
    while (i < n && name.charCodeAt(i) === buf[at + i]) i++;
    if (i === n) return rawRoutes[slot]!;
  }
  const spelled = cmd.arg(0);
  const r = resolve(spelled);
  rawNames[slot] = spelled;
  rawRoutes[slot] = r;
  return r;
}

/** Redis's "unknown command" text: the name cut at 128 bytes, args quoted while under 128 bytes. */
export function unknownCommandError(argv: Bytes[]): string {
  let args = '';
  for (let i = 1; i < argv.length && args.length < 128; i++) {
    args += `'${argv[i]!.slice(0, 128 - args.length)}' `;
  }
  return encodeError(`ERR unknown command '${argv[0]!.slice(0, 128)}', with args beginning with: ${args}`);
}

function arityOk(arity: number, argc: number): boolean {
  return arity > 0 ? argc === arity : argc >= -arity;
}

/** Runs one command for a client. */
export function execute(s: ClientSession, argv: Bytes[]): void {
  let r = resolve(argv[0]!);
  if (r === null) return rejectCommand(s, unknownCommandError(argv));
  if (r.subs !== null && (argv.length >= 2 || !arityOk(r.arity, argv.length))) {
    if (argv.length < 2) return rejectCommand(s, encodeError(`ERR wrong number of arguments for '${r.errName}' command`));
    const sub = r.subs.get(argv[1]!.toUpperCase());
    if (sub === undefined) {
      return rejectCommand(s, encodeError(`ERR unknown subcommand '${argv[1]!.slice(0, 128)}'. Try ${r.name} HELP.`));
    }
    r = sub;
  }
  if (!arityOk(r.arity, argv.length)) return rejectCommand(s, encodeError(`ERR wrong number of arguments for '${r.errName}' command`));
  if (!s.authenticated && !r.noAuth) return rejectCommand(s, NOAUTH);
  s.lastCommand = r.errName;
  if (s.pubsub !== null && s.proto === 2 && !r.pubsubContext && pubsub.subscriptionCount(s) > 0) {
    return rejectCommand(
      s,
      encodeError(`ERR Can't execute '${r.errName}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`),
    );
  }
  if (s.tx !== null && s.tx.multi && !r.txControl) {
    return txn.queue(s, argv, r.hasKeys ? slotOf(r, argv) : -1, r.noMulti);
  }
  r.handler(s, argv, r);
}

/**
 * Runs one command still in its raw bytes, for a client in the plain state (authenticated, no
 * MULTI/WATCH, no subscriptions; the caller checks): commands with a raw route skip the strings,
 * everything else is made into argv and goes through `execute`.
 */
export function executeRaw(s: ClientSession, cmd: RawCommand): void {
  const r = resolveRaw(cmd);
  if (r !== null && r.raw !== null && arityOk(r.arity, cmd.argc)) {
    s.lastCommand = r.errName;
    if (r.raw(s, cmd, r)) return;
  }
  execute(s, cmd.argv());
}

/** An error before execution; inside MULTI it also dooms the transaction, as in Redis. */
function rejectCommand(s: ClientSession, error: string): void {
  if (s.tx !== null && s.tx.multi) s.tx.dirty = true;
  s.reply(error);
}
