/**
 * Pub/sub through the router.
 *
 * SUBSCRIBE/PUBLISH meet on the node that owns the channel name's slot (PUBLISH is routed like
 * a key), SSUBSCRIBE/SPUBLISH likewise (Redis 7 sharded pub/sub), and PSUBSCRIBE subscribes on
 * every node, since a matching channel may live on any of them. Each subscribed client has one
 * pub/sub connection per node it needs, speaking the client's protocol, so RESP3 push messages
 * pass through as the node wrote them.
 *
 * The subscription sets live here, and the confirmations the client sees are made here with
 * Redis's counts (channels + patterns for (P)SUBSCRIBE, shard channels for SSUBSCRIBE), since a
 * node only knows its own share. Both (P|S)SUBSCRIBE and (P|S)UNSUBSCRIBE are answered once the
 * nodes confirmed, so a PUBLISH sent after either sees the subscription as Redis would; messages
 * for channels no longer subscribed are dropped. Messages pass through as bytes.
 *
 * A pub/sub connection lost with its node is re-established, and its subscriptions renewed,
 * when the node comes back.
 */
import { encodeBulk, encodeInt, encodeNil, encodePushHeader, keyHashSlot, type Bytes } from '@swarmkv/resp';
import type { ClientSession } from './client-session.js';
import { Pending } from './pending.js';
import type { Connection } from './upstream/connection.js';
import type { UpstreamNode } from './upstream/node.js';
import { bulkValue, elements } from './fanout/reply-bytes.js';

export type SubKind = 'channel' | 'pattern' | 'shard';

const VERB: Record<SubKind, { sub: string; unsub: string; message: string }> = {
  channel: { sub: 'SUBSCRIBE', unsub: 'UNSUBSCRIBE', message: 'message' },
  pattern: { sub: 'PSUBSCRIBE', unsub: 'PUNSUBSCRIBE', message: 'pmessage' },
  shard: { sub: 'SSUBSCRIBE', unsub: 'SUNSUBSCRIBE', message: 'smessage' },
};

/** A (P|S)(UN)SUBSCRIBE waiting for its nodes' confirmations. */
class ConfirmOp extends Pending {
  remaining = 0;
  reply = '';
}

export class PubsubState {
  readonly channels = new Set<Bytes>();
  readonly patterns = new Set<Bytes>();
  readonly shardChannels = new Set<Bytes>();
  readonly conns = new Map<UpstreamNode, Connection>();
  /** "subscribe:<channel>" (or unsubscribe, ...) -> ops waiting for that confirmation. */
  readonly waiting = new Map<string, ConfirmOp[]>();
  /** Nodes whose connection was lost: subscriptions renewed when they are up again. */
  readonly onUp = new Map<UpstreamNode, () => void>();

  set(kind: SubKind): Set<Bytes> {
    return kind === 'channel' ? this.channels : kind === 'pattern' ? this.patterns : this.shardChannels;
  }

  get total(): number {
    return this.channels.size + this.patterns.size + this.shardChannels.size;
  }
}

/** All subscriptions (any kind): non-zero puts a RESP2 client in the subscribed context. */
export function subscriptionCount(s: ClientSession): number {
  return s.pubsub === null ? 0 : s.pubsub.total;
}

function confirmCount(ps: PubsubState, kind: SubKind): number {
  return kind === 'shard' ? ps.shardChannels.size : ps.channels.size + ps.patterns.size;
}

function frame(s: ClientSession, verb: string, name: Bytes | null, count: number): string {
  return encodePushHeader(3, s.proto) + encodeBulk(verb) + (name === null ? encodeNil(s.proto) : encodeBulk(name)) + encodeInt(count);
}

/** Nodes a subscription of this kind lives on. */
function nodesFor(s: ClientSession, kind: SubKind, name: Bytes): readonly UpstreamNode[] {
  if (kind === 'pattern') return s.router.activeNodes;
  return [s.router.nodeForSlot(keyHashSlot(name))];
}

function connFor(s: ClientSession, ps: PubsubState, node: UpstreamNode): Connection | null {
  const live = liveConn(ps, node);
  if (live !== null) return live;
  if (node.isDown) {
    watchForUp(s, ps, node);
    return null;
  }
  const conn: Connection = node.openPubsub(
    s.proto,
    (buf, start, end) => onPush(s, ps, buf.subarray(start, end)),
    () => {
      if (ps.conns.get(node) === conn) ps.conns.delete(node);
      if (s.closed || s.pubsub !== ps) return;
      watchForUp(s, ps, node);
      // Confirmations this node owed will not come: answer whoever waits (renewal follows).
      const ops = new Set([...ps.waiting.values()].flat());
      ps.waiting.clear();
      for (const op of ops) if (!op.done) finish(s, ps, op);
    },
  );
  ps.conns.set(node, conn);
  return conn;
}

/** Renew this client's subscriptions on `node` once it is up again. */
function watchForUp(s: ClientSession, ps: PubsubState, node: UpstreamNode): void {
  if (ps.onUp.has(node)) return;
  const handler = () => {
    ps.onUp.delete(node);
    node.off('up', handler);
    if (s.closed || s.pubsub !== ps) return;
    for (const kind of ['channel', 'pattern', 'shard'] as const) {
      const names = [...ps.set(kind)].filter((n) => nodesFor(s, kind, n).includes(node));
      if (names.length === 0) continue;
      const conn = connFor(s, ps, node);
      conn?.send([VERB[kind].sub, ...names], null, 0);
    }
  };
  ps.onUp.set(node, handler);
  node.on('up', handler);
}

/** A frame from a node: a message to pass on, or a confirmation to count. */
function onPush(s: ClientSession, ps: PubsubState, frameBytes: Buffer): void {
  if (s.closed || s.pubsub !== ps) return;
  const items = elements(frameBytes);
  if (items === null || items.length < 3) return;
  const verb = bulkValue(items[0]!);
  const name = bulkValue(items[1]!);
  if (verb === null || name === null) return;
  switch (verb) {
    case 'message':
      if (ps.channels.has(name)) s.push(frameBytes);
      return;
    case 'pmessage':
      if (ps.patterns.has(name)) s.push(frameBytes);
      return;
    case 'smessage':
      if (ps.shardChannels.has(name)) s.push(frameBytes);
      return;
    default: {
      // A confirmation: (p|s)subscribe or (p|s)unsubscribe.
      const key = verb + ':' + name;
      const list = ps.waiting.get(key);
      const op = list?.shift();
      if (list !== undefined && list.length === 0) ps.waiting.delete(key);
      if (op !== undefined && --op.remaining === 0) finish(s, ps, op);
      return;
    }
  }
}

/** Answer a confirmed op; a client with no subscriptions left leaves pub/sub. */
function finish(s: ClientSession, ps: PubsubState, op: ConfirmOp): void {
  s.complete(op, op.reply);
  if (ps.total === 0 && s.pubsub === ps && ps.waiting.size === 0) closePubsub(s);
}

/** Send `verb names...` to each node and count the confirmations `op` waits for. */
function sendAndAwait(s: ClientSession, ps: PubsubState, op: ConfirmOp, verb: string, perNode: Map<UpstreamNode, Bytes[]>, open: boolean): void {
  s.enqueue(op);
  const replyVerb = verb.toLowerCase();
  for (const [node, names] of perNode) {
    const conn = open ? connFor(s, ps, node) : liveConn(ps, node);
    if (conn === null) continue; // node down: nothing to wait for (renewed when it is back)
    for (const name of names) {
      const key = replyVerb + ':' + name;
      let list = ps.waiting.get(key);
      if (list === undefined) ps.waiting.set(key, (list = []));
      list.push(op);
      op.remaining++;
    }
    conn.send([verb, ...names], null, 0);
  }
  if (op.remaining === 0) finish(s, ps, op);
}

function liveConn(ps: PubsubState, node: UpstreamNode): Connection | null {
  const conn = ps.conns.get(node);
  return conn !== undefined && !conn.closed ? conn : null;
}

/** Group names by the nodes they live on. */
function groupByNode(s: ClientSession, kind: SubKind, names: Iterable<Bytes>): Map<UpstreamNode, Bytes[]> {
  const perNode = new Map<UpstreamNode, Bytes[]>();
  for (const name of names) {
    for (const node of nodesFor(s, kind, name)) {
      let list = perNode.get(node);
      if (list === undefined) perNode.set(node, (list = []));
      list.push(name);
    }
  }
  return perNode;
}

export function subscribe(s: ClientSession, argv: Bytes[], kind: SubKind): void {
  const ps = (s.pubsub ??= new PubsubState());
  const set = ps.set(kind);
  const verb = VERB[kind].sub.toLowerCase();
  const op = new ConfirmOp(s);
  const added: Bytes[] = [];
  for (let i = 1; i < argv.length; i++) {
    const name = argv[i]!;
    if (!set.has(name)) {
      set.add(name);
      added.push(name);
    }
    op.reply += frame(s, verb, name, confirmCount(ps, kind));
  }
  sendAndAwait(s, ps, op, VERB[kind].sub, groupByNode(s, kind, added), true);
}

export function unsubscribe(s: ClientSession, argv: Bytes[], kind: SubKind): void {
  const ps = s.pubsub ?? new PubsubState();
  const set = ps.set(kind);
  const verb = VERB[kind].unsub.toLowerCase();
  const names = argv.length > 1 ? argv.slice(1) : [...set];
  if (names.length === 0) return s.reply(frame(s, verb, null, confirmCount(ps, kind)));
  const op = new ConfirmOp(s);
  const removed: Bytes[] = [];
  for (const name of names) {
    if (set.delete(name)) removed.push(name);
    op.reply += frame(s, verb, name, confirmCount(ps, kind));
  }
  sendAndAwait(s, ps, op, VERB[kind].unsub, groupByNode(s, kind, removed), false);
}

/** Client gone, RESET, or no subscriptions left: close its pub/sub connections. */
export function closePubsub(s: ClientSession): void {
  const ps = s.pubsub;
  if (ps === null) return;
  s.pubsub = null;
  for (const [node, handler] of ps.onUp) node.off('up', handler);
  ps.onUp.clear();
  for (const conn of ps.conns.values()) conn.destroy('unsubscribed');
  ps.conns.clear();
  // Subscribes still waiting for a node: answer them now, the client is leaving pub/sub anyway.
  for (const list of ps.waiting.values()) for (const op of list) if (!op.done) s.complete(op, op.reply);
  ps.waiting.clear();
}
