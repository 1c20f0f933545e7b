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
import { encodeArrayHeader, encodeError, encodeInt, keyHashSlot, keyHashSlotOfBytes, type Bytes, type RawCommand } from '@swarmkv/resp';
import type { ClientSession } from '../client-session.js';
import type { Route } from '../route.js';
import { forwardToSlot } from '../route.js';
import { assemble, elements, intValue } from './reply-bytes.js';
import { partArgv } from './part-argv.js';
import { FanoutOp, firstError, type Merge } from './fanout-op.js';

export const SPLITTABLE = new Set(['MGET', 'MSET', 'DEL', 'UNLINK', 'EXISTS', 'TOUCH']);

/**
 * Which keys went to which part: part p's keys are the argument indexes
 * keyIdx[partStart[p]] .. keyIdx[partStart[p + 1] - 1], in argument order.
 */
export interface Parts {
  keyIdx: number[];
  partStart: number[];
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
  const { keyIdx, partStart } = op.data as Parts;
  const out = new Array<Buffer>(keyIdx.length);
  for (let p = 0; p < replies.length; p++) {
    const items = elements(replies[p]!);
    const from = partStart[p]!;
    if (items === null || items.length !== partStart[p + 1]! - from) return replies[p]!;
    for (let i = 0; i < items.length; i++) out[keyIdx[from + i]! - 1] = items[i]!;
  }
  return assemble(encodeArrayHeader(keyIdx.length), out);
};

/** Scratch for one split (reset after each use): part index per shard (-1 = none yet) ... */
let partOfShard = new Int32Array(64).fill(-1);
/** ... the slot of each key, and per part its first key's slot (for -CLUSTERDOWN) and a fill cursor. */
let keySlots = new Int32Array(64);
let partSlot = new Int32Array(64);
let partFill = new Int32Array(64);

/**
 * Groups the keys whose slots are in keySlots[0, keyCount) by shard, in order of first
 * appearance; null when they all live on one shard. Allocates only the two exact-size arrays it
 * returns; part p's first slot is left in partSlot[p] for the caller.
 */
function groupByShard(s: ClientSession, keyCount: number, step: number): Parts | null {
  const router = s.router;
  const owner = router.map.owner;
  const first = owner[keySlots[0]!];
  let k = 1;
  while (k < keyCount && owner[keySlots[k]!] === first) k++;
  if (k === keyCount) return null;
  const shards = router.shardNodes.length;
  if (partOfShard.length < shards) partOfShard = new Int32Array(shards).fill(-1);
  if (partSlot.length < shards + 1) {
    partSlot = new Int32Array(shards + 1);
    partFill = new Int32Array(shards + 1);
  }
  let parts = 0;
  for (k = 0; k < keyCount; k++) {
    const shard = owner[keySlots[k]!]!;
    let part = partOfShard[shard]!;
    if (part < 0) {
      part = parts++;
      partOfShard[shard] = part;
      partSlot[part] = keySlots[k]!;
      partFill[part] = 0;
    }
    partFill[part]! += 1;
  }
  const partStart = new Array<number>(parts + 1);
  let at = 0;
  for (let p = 0; p < parts; p++) {
    partStart[p] = at;
    at += partFill[p]!;
    partFill[p] = partStart[p]!;
  }
  partStart[parts] = at;
  const keyIdx = new Array<number>(keyCount);
  for (k = 0; k < keyCount; k++) keyIdx[partFill[partOfShard[owner[keySlots[k]!]!]!]!++] = 1 + k * step;
  for (let p = 0; p < parts; p++) partOfShard[owner[partSlot[p]!]!] = -1;
  return { keyIdx, partStart };
}

/** Arguments per key (2 for MSET's key-value pairs), or 0 when the count is wrong (Redis's error). */
function stepOf(s: ClientSession, argc: number, r: Route): number {
  const step = r.name === 'MSET' ? 2 : 1;
  if (step === 2 && (argc - 1) % 2 !== 0) {
    s.reply(encodeError(`ERR wrong number of arguments for '${r.errName}' command`));
    return 0;
  }
  return step;
}

/** The scratch keySlots, with room for `keyCount` slots. */
function keySlotsFor(keyCount: number): Int32Array {
  if (keySlots.length < keyCount) keySlots = new Int32Array(Math.max(keyCount, keySlots.length * 2));
  return keySlots;
}

function fanout(s: ClientSession, r: Route, parts: Parts): FanoutOp {
  const merge = r.name === 'MGET' ? mgetMerge : r.name === 'MSET' ? allOk : sumCounts;
  const op = new FanoutOp(s, parts.partStart.length - 1, merge, parts);
  s.enqueue(op);
  return op;
}

export function splitKeys(s: ClientSession, argv: Bytes[], r: Route): void {
  const step = stepOf(s, argv.length, r);
  if (step === 0) return;
  const keyCount = ((argv.length - 1) / step) | 0;
  const slots = keySlotsFor(keyCount);
  for (let k = 0; k < keyCount; k++) slots[k] = keyHashSlot(argv[1 + k * step]!);
  // Most commands touch one shard, and are forwarded whole.
  const parts = groupByShard(s, keyCount, step);
  if (parts === null) return forwardToSlot(s, argv, slots[0]!);
  const op = fanout(s, r, parts);
  for (let p = 0; p < parts.partStart.length - 1; p++) {
    const slot = partSlot[p]!;
    op.send(s.router.nodeForSlot(slot), p, partArgv(argv[0]!, argv, parts.keyIdx, parts.partStart[p]!, parts.partStart[p + 1]!, step), slot);
  }
}

/** splitKeys for a command still in its raw bytes: each part is copied from them, no strings made. */
export function splitKeysRaw(s: ClientSession, cmd: RawCommand, r: Route): boolean {
  const step = stepOf(s, cmd.argc, r);
  if (step === 0) return true;
  const keyCount = ((cmd.argc - 1) / step) | 0;
  const slots = keySlotsFor(keyCount);
  for (let k = 0; k < keyCount; k++) {
    const a = 1 + k * step;
    slots[k] = keyHashSlotOfBytes(cmd.buf, cmd.data[a]!, cmd.data[a]! + cmd.len[a]!);
  }
  const parts = groupByShard(s, keyCount, step);
  if (parts === null) {
    forwardToSlot(s, cmd.keep(), slots[0]!);
    return true;
  }
  const op = fanout(s, r, parts);
  op.keepRaw(cmd, parts, step);
  for (let p = 0; p < parts.partStart.length - 1; p++) {
    const slot = partSlot[p]!;
    op.sendPart(s.router.nodeForSlot(slot), p, cmd, parts.keyIdx, parts.partStart[p]!, parts.partStart[p + 1]!, step, slot);
  }
  return true;
}
