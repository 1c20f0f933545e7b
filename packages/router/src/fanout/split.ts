/**
 * Multi-key commands that can be split by node and merged back: MGET, MSET, DEL, UNLINK,
 * EXISTS, TOUCH (what Redis Cluster clients and twemproxy split too). Keys are grouped by the
 * node that owns their slot; each node gets one command with its keys in their original order;
 * results merge in argument order: MGET's values placed back where their keys were, counts
 * summed, MSET's +OK when every node said OK. When all keys live on one node the command is
 * forwarded whole (the common case with hash tags), with no merge at all.
 *
 * Like a cluster client, a split MSET is not atomic across nodes (MSETNX, which promises
 * atomicity, is not split: it needs one slot).
 */
import { encodeArrayHeader, encodeError, encodeInt, keyHashSlot, type Bytes } from '@swarmkv/resp';
import type { ClientSession } from '../client-session.js';
import type { Route } from '../route.js';
import { forwardToSlot } from '../route.js';
import { assemble, elements, intValue } from './reply-bytes.js';
import { FanoutOp, firstError, type Merge } from './fanout-op.js';

export const SPLITTABLE = new Set(['MGET', 'MSET', 'DEL', 'UNLINK', 'EXISTS', 'TOUCH']);

interface SplitData {
  /** Per part, the argument indexes of its keys. */
  keyIdx: number[][];
  keyCount: number;
}

const sumCounts: Merge = (replies) => {
  const err = firstError(replies);
  if (err !== null) return err;
  let sum: number | bigint = 0;
  for (const r of replies) {
    const v = intValue(r);
    if (v === null) return r; // unexpected shape: pass it on rather than invent a number
    sum = typeof sum === 'bigint' || typeof v === 'bigint' ? BigInt(sum) + BigInt(v) : sum + v;
  }
  return encodeInt(sum);
};

const allOk: Merge = (replies) => firstError(replies) ?? replies[0]!;

const mgetMerge: Merge = (replies, op) => {
  const err = firstError(replies);
  if (err !== null) return err;
  const { keyIdx, keyCount } = op.data as SplitData;
  const out = new Array<Buffer>(keyCount);
  for (let p = 0; p < replies.length; p++) {
    const items = elements(replies[p]!);
    const idx = keyIdx[p]!;
    if (items === null || items.length !== idx.length) return replies[p]!;
    for (let i = 0; i < idx.length; i++) out[idx[i]! - 1] = items[i]!;
  }
  return assemble(encodeArrayHeader(keyCount), out);
};

/** Scratch: part index per shard during one split (-1 = none yet); reset after each use. */
let partOfShard = new Int32Array(64).fill(-1);

export function splitKeys(s: ClientSession, argv: Bytes[], r: Route): void {
  const name = r.name;
  const step = name === 'MSET' ? 2 : 1;
  if (step === 2 && (argv.length - 1) % 2 !== 0) {
    return s.reply(encodeError(`ERR wrong number of arguments for '${r.errName}' command`));
  }
  const router = s.router;
  const owner = router.map.owner;
  const keyCount = ((argv.length - 1) / step) | 0;
  // Slots computed once; most commands touch one shard, and are forwarded whole.
  const slots = new Array<number>(keyCount);
  let oneShard = true;
  for (let k = 0; k < keyCount; k++) {
    const slot = keyHashSlot(argv[1 + k * step]!);
    slots[k] = slot;
    if (oneShard && owner[slot] !== owner[slots[0]!]) oneShard = false;
  }
  if (oneShard) return forwardToSlot(s, argv, slots[0]!);

  const shards = router.shardNodes.length;
  if (partOfShard.length < shards) partOfShard = new Int32Array(shards).fill(-1);
  const keyIdx: number[][] = [];
  const partSlot: number[] = [];
  for (let k = 0; k < keyCount; k++) {
    const shard = owner[slots[k]!]!;
    let part = partOfShard[shard]!;
    if (part < 0) {
      part = keyIdx.length;
      partOfShard[shard] = part;
      keyIdx.push([]);
      partSlot.push(slots[k]!);
    }
    keyIdx[part]!.push(1 + k * step);
  }
  for (let p = 0; p < partSlot.length; p++) partOfShard[owner[partSlot[p]!]!] = -1;

  const merge = name === 'MGET' ? mgetMerge : name === 'MSET' ? allOk : sumCounts;
  const op = new FanoutOp(s, keyIdx.length, merge, { keyIdx, keyCount } satisfies SplitData);
  s.enqueue(op);
  const cmd = argv[0]!;
  for (let p = 0; p < keyIdx.length; p++) {
    const idx = keyIdx[p]!;
    const slot = partSlot[p]!;
    op.send(router.nodeForSlot(slot), p, partArgv(cmd, argv, idx, step), slot);
  }
}

/** A part's request: the command name, then each of its keys (followed by its value for MSET). */
function partArgv(name: Bytes, argv: readonly Bytes[], keyIdx: readonly number[], step: number): Bytes[] {
  const out = new Array<Bytes>(keyIdx.length * step + 1);
  out[0] = name;
  let at = 1;
  for (let i = 0; i < keyIdx.length; i++) {
    const k = keyIdx[i]!;
    out[at++] = argv[k]!;
    if (step === 2) out[at++] = argv[k + 1]!;
  }
  return out;
}
