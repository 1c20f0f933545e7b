/**
 * Keyless commands that concern the whole keyspace, sent to every node and merged: DBSIZE
 * (summed), KEYS (concatenated), FLUSHDB/FLUSHALL/SWAPDB (+OK once all agree), RANDOMKEY (a
 * random non-nil answer), PUBSUB CHANNELS/NUMSUB/SHARDCHANNELS/SHARDNUMSUB, and any other command
 * by its table tips (Redis's request_policy/response_policy: agg_sum, agg_min, agg_max,
 * agg_logical_and/or, all_succeeded, one_succeeded).
 *
 * A node that is down makes the whole command fail with its -CLUSTERDOWN error: a DBSIZE that
 * silently skipped a third of the keyspace would be a wrong answer, not a degraded one.
 */
import {
  encodeArrayHeader,
  encodeBulk,
  encodeInt,
  encodeNil,
  type Bytes,
  type ResponsePolicy,
} from '@swarmkv/resp';
import type { ClientSession } from '../client-session.js';
import { assemble, bulkValue, elements, intValue } from './reply-bytes.js';
import { FanoutOp, firstError, type Merge } from './fanout-op.js';

/** Sends argv to every node of the topology; `merge` gets the replies in shard order. */
export function toAllNodes(s: ClientSession, argv: readonly Bytes[], merge: Merge, data: unknown = null): void {
  const nodes = s.router.activeNodes;
  const op = new FanoutOp(s, nodes.length, merge, data);
  s.enqueue(op);
  for (let i = 0; i < nodes.length; i++) op.send(nodes[i]!, i, argv, -1);
}

function aggregate(replies: readonly Buffer[], pick: (a: number | bigint, b: number | bigint) => number | bigint): Buffer | string {
  const err = firstError(replies);
  if (err !== null) return err;
  let acc: number | bigint | null = null;
  for (const r of replies) {
    const v = intValue(r);
    if (v === null) return r;
    acc = acc === null ? v : pick(acc, v);
  }
  return encodeInt(acc ?? 0);
}

const big = (x: number | bigint) => BigInt(x);
const SUM: Merge = (replies) =>
  aggregate(replies, (a, b) => (typeof a === 'number' && typeof b === 'number' ? a + b : big(a) + big(b)));
const MIN: Merge = (replies) => aggregate(replies, (a, b) => (a <= b ? a : b));
const MAX: Merge = (replies) => aggregate(replies, (a, b) => (a >= b ? a : b));
const AND: Merge = (replies) => aggregate(replies, (a, b) => (a && b ? 1 : 0));
const OR: Merge = (replies) => aggregate(replies, (a, b) => (a || b ? 1 : 0));
const ALL_SUCCEEDED: Merge = (replies) => firstError(replies) ?? replies[0]!;
const ONE_SUCCEEDED: Merge = (replies) => replies.find((r) => r[0] !== 45 && r[0] !== 33) ?? replies[0]!;

/** Concatenates the elements of every node's array reply. */
const CONCAT: Merge = (replies) => {
  const err = firstError(replies);
  if (err !== null) return err;
  const all: Buffer[] = [];
  for (const r of replies) {
    const items = elements(r);
    if (items === null) return r;
    for (const it of items) all.push(it);
  }
  return assemble(encodeArrayHeader(all.length), all);
};

const POLICIES: Record<ResponsePolicy, Merge> = {
  agg_sum: SUM,
  agg_min: MIN,
  agg_max: MAX,
  agg_logical_and: AND,
  agg_logical_or: OR,
  all_succeeded: ALL_SUCCEEDED,
  one_succeeded: ONE_SUCCEEDED,
  special: ALL_SUCCEEDED,
};

export function fanoutByPolicy(s: ClientSession, argv: Bytes[], policy: ResponsePolicy): void {
  toAllNodes(s, argv, POLICIES[policy]);
}

export function dbsize(s: ClientSession, argv: Bytes[]): void {
  toAllNodes(s, argv, SUM);
}

export function keys(s: ClientSession, argv: Bytes[]): void {
  toAllNodes(s, argv, CONCAT);
}

export function flush(s: ClientSession, argv: Bytes[]): void {
  toAllNodes(s, argv, ALL_SUCCEEDED);
}

/** A random key: a random node among those that have any keys (weighted by nothing: like Redis Cluster clients). */
export function randomkey(s: ClientSession, argv: Bytes[]): void {
  toAllNodes(s, argv, (replies, op) => {
    const err = firstError(replies);
    if (err !== null) return err;
    const found = replies.filter((r) => bulkValue(r) !== null);
    if (found.length === 0) return encodeNil(op.session.proto);
    return found[Math.floor(Math.random() * found.length)]!;
  });
}

/** PUBSUB CHANNELS/SHARDCHANNELS (union), NUMSUB/SHARDNUMSUB (summed per channel), NUMPAT (any node). */
export function pubsubIntrospection(s: ClientSession, argv: Bytes[]): void {
  const sub = argv[1]!.toUpperCase();
  if (sub === 'CHANNELS' || sub === 'SHARDCHANNELS') {
    return toAllNodes(s, argv, (replies) => {
      const err = firstError(replies);
      if (err !== null) return err;
      const seen = new Set<string>();
      for (const r of replies) for (const it of elements(r) ?? []) seen.add(bulkValue(it) ?? '');
      let out = encodeArrayHeader(seen.size);
      for (const c of seen) out += encodeBulk(c);
      return out;
    });
  }
  if (sub === 'NUMSUB' || sub === 'SHARDNUMSUB') {
    return toAllNodes(s, argv, (replies, op) => {
      const err = firstError(replies);
      if (err !== null) return err;
      const counts = new Array<number>(argv.length - 2).fill(0);
      for (const r of replies) {
        const items = elements(r) ?? [];
        for (let i = 1; i < items.length; i += 2) counts[(i - 1) / 2]! += Number(intValue(items[i]!) ?? 0);
      }
      // RESP3 answers a map; RESP2 a flat array.
      let out = op.session.proto === 3 ? `%${counts.length}\r\n` : encodeArrayHeader(counts.length * 2);
      for (let i = 0; i < counts.length; i++) out += encodeBulk(argv[i + 2]!) + encodeInt(counts[i]!);
      return out;
    });
  }
  // NUMPAT: router clients subscribe to patterns on every node, so any node counts them all.
  toAllNodes(s, argv, MAX);
}

