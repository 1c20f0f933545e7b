/**
 * Set commands (Redis 7.0.15 t_set.c semantics, replies and errors): SADD SREM SMEMBERS
 * SISMEMBER SMISMEMBER SCARD SPOP SRANDMEMBER SMOVE SINTER SINTERCARD SINTERSTORE SUNION
 * SUNIONSTORE SDIFF SDIFFSTORE SSCAN, plus the SSCAN/ZSCAN option parsing they share.
 *
 * Results that Redis builds as a new set (SINTERSTORE & co., SPOP's leftovers) are built the same
 * way here (start as an intset, add members in Redis's order), so OBJECT ENCODING agrees.
 * Multi-member replies are RESP3 sets (`~`) where Redis uses addReplySetLen, arrays elsewhere
 * (SRANDMEMBER with a count, SMISMEMBER).
 */
import type { Bytes, Reply } from '@swarmkv/resp';
import { Err, R } from '@swarmkv/resp';
import type { Ctx, HandlerTable } from './context.js';
import { argLong, argLongNotMin, argPositiveLong, argRangeLong, isKw } from './args.js';
import type { Value } from '../keyspace/value.js';
import { RSet } from '../types/set/set.js';
import { stringMatch } from '../keyspace/glob.js';

function asSet(v: Value | undefined): RSet | undefined {
  if (v === undefined) return undefined;
  if (!(v instanceof RSet)) throw Err.wrongType();
  return v;
}

const readSet = (ctx: Ctx, key: Bytes): RSet | undefined => asSet(ctx.db.lookupRead(key));
const writeSet = (ctx: Ctx, key: Bytes): RSet | undefined => asSet(ctx.db.lookupWrite(key));

const EMPTY_SET: Reply = Object.freeze({ t: 'set', v: Object.freeze([]) as readonly Reply[] }) as Reply;

function setReply(members: readonly Bytes[]): Reply {
  if (members.length === 0) return EMPTY_SET;
  return R.set(members.map((m) => R.bulk(m)));
}

// ---------------------------------------------------------------------------------------------
// SSCAN / ZSCAN helpers (Redis scanGenericCommand)

/** parseScanCursorOrReply: strtoul over the whole argument (a sign is allowed, spaces are not). */
export function parseScanCursor(b: Bytes): number {
  if (!/^[+-]?\d+$/.test(b)) throw Err.msg('ERR', 'invalid cursor');
  const neg = b.charCodeAt(0) === 45;
  const mag = BigInt(b.replace(/^[+-]/, ''));
  if (mag > 0xffffffffffffffffn) throw Err.msg('ERR', 'invalid cursor');
  const v = BigInt.asUintN(64, neg ? -mag : mag);
  // Dict cursors only use the bits of the table mask: the low 32 bits carry everything.
  return Number(v & 0xffffffffn);
}

export interface ScanOpts {
  count: number;
  pattern: Bytes | undefined;
}

/** COUNT / MATCH after the cursor (TYPE is SCAN-only, so a syntax error here). */
export function parseScanOpts(argv: Bytes[], from: number): ScanOpts {
  let count = 10;
  let pattern: Bytes | undefined;
  for (let i = from; i < argv.length; ) {
    const left = argv.length - i;
    if (isKw(argv[i], 'COUNT') && left >= 2) {
      count = argLong(argv[i + 1]!);
      if (count < 1) throw Err.syntax();
      i += 2;
    } else if (isKw(argv[i], 'MATCH') && left >= 2) {
      const p = argv[i + 1]!;
      pattern = p === '*' ? undefined : p;
      i += 2;
    } else {
      throw Err.syntax();
    }
  }
  return { count, pattern };
}

/** [cursor, [elements]] with MATCH applied (to the member of each pair when `pairs`). */
export function scanReply(cursor: number, items: readonly Bytes[], pattern?: Bytes, pairs = false): Reply {
  const out: Reply[] = [];
  const step = pairs ? 2 : 1;
  for (let i = 0; i < items.length; i += step) {
    if (pattern !== undefined && !stringMatch(pattern, items[i]!)) continue;
    out.push(R.bulk(items[i]!));
    if (pairs) out.push(R.bulk(items[i + 1]!));
  }
  return R.arr([R.bulk(String(cursor)), out.length === 0 ? R.emptyArray : R.arr(out)]);
}

const EMPTY_SCAN: Reply = R.arr([R.bulk('0'), R.emptyArray]);

function sscan(ctx: Ctx, argv: Bytes[]): Reply {
  const cursor = parseScanCursor(argv[2]!);
  const s = readSet(ctx, argv[1]!);
  if (s === undefined) return EMPTY_SCAN;
  const { count, pattern } = parseScanOpts(argv, 3);
  const [next, items] = s.scan(cursor, count);
  return scanReply(next, items, pattern);
}

// ---------------------------------------------------------------------------------------------
// Single-key commands

function sadd(ctx: Ctx, argv: Bytes[]): Reply {
  const key = argv[1]!;
  let s = writeSet(ctx, key);
  if (s === undefined) {
    s = RSet.forFirstMember(argv[2]!);
    ctx.db.add(key, s);
  }
  const max = ctx.config.setMaxIntsetEntries;
  let added = 0;
  for (let j = 2; j < argv.length; j++) if (s.add(argv[j]!, max)) added++;
  if (added) {
    ctx.signalModified(key);
    ctx.notify('s', 'sadd', key);
  }
  return R.int(added);
}

function srem(ctx: Ctx, argv: Bytes[]): Reply {
  const key = argv[1]!;
  const s = writeSet(ctx, key);
  if (s === undefined) return R.int(0);
  let deleted = 0;
  let removed = false;
  for (let j = 2; j < argv.length; j++) {
    if (!s.remove(argv[j]!)) continue;
    deleted++;
    if (s.size() === 0) {
      ctx.db.delete(key);
      removed = true;
      break;
    }
  }
  if (deleted) {
    ctx.signalModified(key);
    ctx.notify('s', 'srem', key);
    if (removed) ctx.notify('g', 'del', key);
  }
  return R.int(deleted);
}

function smove(ctx: Ctx, argv: Bytes[]): Reply {
  const [, srcKey, dstKey, ele] = argv as [Bytes, Bytes, Bytes, Bytes];
  const srcV = ctx.db.lookupWrite(srcKey);
  const dstV = ctx.db.lookupWrite(dstKey);
  if (srcV === undefined) return R.int(0);
  const src = asSet(srcV)!;
  let dst = asSet(dstV);
  if (src === dst) return R.int(src.has(ele) ? 1 : 0);
  if (!src.remove(ele)) return R.int(0);
  ctx.notify('s', 'srem', srcKey);
  if (src.size() === 0) {
    ctx.db.delete(srcKey);
    ctx.notify('g', 'del', srcKey);
  }
  if (dst === undefined) {
    dst = RSet.forFirstMember(ele);
    ctx.db.add(dstKey, dst);
  }
  ctx.signalModified(srcKey);
  if (dst.add(ele, ctx.config.setMaxIntsetEntries)) {
    ctx.signalModified(dstKey);
    ctx.notify('s', 'sadd', dstKey);
  }
  return R.int(1);
}

function sismember(ctx: Ctx, argv: Bytes[]): Reply {
  const s = readSet(ctx, argv[1]!);
  return R.int(s !== undefined && s.has(argv[2]!) ? 1 : 0);
}

function smismember(ctx: Ctx, argv: Bytes[]): Reply {
  const s = readSet(ctx, argv[1]!);
  const out = new Array<Reply>(argv.length - 2);
  for (let j = 2; j < argv.length; j++) out[j - 2] = R.int(s !== undefined && s.has(argv[j]!) ? 1 : 0);
  return R.arr(out);
}

function scard(ctx: Ctx, argv: Bytes[]): Reply {
  const s = readSet(ctx, argv[1]!);
  return R.int(s === undefined ? 0 : s.size());
}

// ---------------------------------------------------------------------------------------------
// SPOP / SRANDMEMBER

/** Redis SPOP_MOVE_STRATEGY_MUL. */
const SPOP_MOVE_STRATEGY_MUL = 5;
/** Redis SRANDMEMBER_SUB_STRATEGY_MUL. */
const SRANDMEMBER_SUB_STRATEGY_MUL = 3;
/** Replies are built in memory here (Redis streams them): refuse absurd repeat counts. */
const MAX_RANDOM_REPLY = 1 << 27;

function spop(ctx: Ctx, argv: Bytes[]): Reply {
  if (argv.length === 3) return spopWithCount(ctx, argv);
  if (argv.length > 3) throw Err.syntax();
  const key = argv[1]!;
  const s = writeSet(ctx, key);
  if (s === undefined) return R.nil;
  const m = s.pop();
  ctx.notify('s', 'spop', key);
  if (s.size() === 0) {
    ctx.db.delete(key);
    ctx.notify('g', 'del', key);
  } else {
    s.resizeIfNeeded();
  }
  ctx.signalModified(key);
  return R.bulk(m);
}

function spopWithCount(ctx: Ctx, argv: Bytes[]): Reply {
  const key = argv[1]!;
  const count = argPositiveLong(argv[2]!);
  const s = writeSet(ctx, key);
  if (s === undefined) return EMPTY_SET;
  if (count === 0) return EMPTY_SET;
  const size = s.size();
  ctx.notify('s', 'spop', key);
  // CASE 1: everything. Redis answers with SUNION of the key, then deletes it.
  if (count >= size) {
    const u = RSet.intset();
    const max = ctx.config.setMaxIntsetEntries;
    s.forEach((m) => u.add(m, max));
    const reply = setReply(u.members());
    ctx.db.delete(key);
    ctx.notify('g', 'del', key);
    ctx.signalModified(key);
    return reply;
  }
  const remaining = size - count;
  const out: Bytes[] = [];
  if (remaining * SPOP_MOVE_STRATEGY_MUL > count) {
    // CASE 2: pop `count` random members one by one.
    for (let i = 0; i < count; i++) out.push(s.pop());
    s.resizeIfNeeded();
  } else {
    // CASE 3: move `remaining` random members to a new set, return what is left of the old one.
    let fresh: RSet | undefined;
    const max = ctx.config.setMaxIntsetEntries;
    for (let i = 0; i < remaining; i++) {
      const m = s.pop();
      if (fresh === undefined) fresh = RSet.forFirstMember(m);
      fresh.add(m, max);
    }
    s.forEach((m) => out.push(m));
    ctx.db.replace(key, fresh!);
  }
  ctx.signalModified(key);
  return setReply(out);
}

function srandmember(ctx: Ctx, argv: Bytes[]): Reply {
  if (argv.length === 3) return srandmemberWithCount(ctx, argv);
  if (argv.length > 3) throw Err.syntax();
  const s = readSet(ctx, argv[1]!);
  if (s === undefined) return R.nil;
  return R.bulk(s.random());
}

function srandmemberWithCount(ctx: Ctx, argv: Bytes[]): Reply {
  const l = argLongNotMin(argv[2]!);
  const uniq = l >= 0;
  const count = uniq ? l : -l;
  const s = readSet(ctx, argv[1]!);
  if (s === undefined) return R.emptyArray;
  const size = s.size();
  if (count === 0) return R.emptyArray;
  // CASE 1: repeats allowed (or a single member): independent uniform picks.
  if (!uniq || count === 1) {
    if (count > MAX_RANDOM_REPLY) throw Err.msg('ERR', 'value is out of range');
    const out = new Array<Reply>(count);
    for (let i = 0; i < count; i++) out[i] = R.bulk(s.random());
    return R.arr(out);
  }
  // CASE 2: the whole set, in its own order.
  if (count >= size) return R.bulks(s.members());
  // CASE 3 / 4: `count` distinct members (Redis answers them in dict order, i.e. unordered).
  const all = s.members();
  if (count * SRANDMEMBER_SUB_STRATEGY_MUL > size) {
    for (let left = size; left > count; left--) {
      const r = Math.floor(Math.random() * left);
      all[r] = all[left - 1]!;
    }
    all.length = count;
    return R.bulks(all);
  }
  const picked = new Set<Bytes>();
  while (picked.size < count) picked.add(s.random());
  return R.bulks([...picked]);
}

// ---------------------------------------------------------------------------------------------
// SINTER / SMEMBERS / SINTERSTORE / SINTERCARD

/** Looks every key up (WRONGTYPE on the first bad one); missing keys are undefined. */
function lookupSets(ctx: Ctx, keys: readonly Bytes[]): (RSet | undefined)[] {
  return keys.map((k) => readSet(ctx, k));
}

function storeSet(ctx: Ctx, dst: Bytes, s: RSet, event: string): Reply {
  const n = s.size();
  if (n > 0) {
    ctx.db.set(dst, s);
    ctx.notify('s', event, dst);
    return R.int(n);
  }
  if (ctx.db.delete(dst)) {
    ctx.signalModified(dst);
    ctx.notify('g', 'del', dst);
  }
  return R.int(0);
}

function sinterGeneric(ctx: Ctx, keys: readonly Bytes[], dst: Bytes | undefined, cardOnly: boolean, limit: number): Reply {
  const found = lookupSets(ctx, keys);
  if (found.some((s) => s === undefined)) {
    if (dst !== undefined) return storeSet(ctx, dst, RSet.intset(), 'sinterstore');
    if (cardOnly) return R.int(0);
    return EMPTY_SET;
  }
  const sets = (found as RSet[]).slice().sort((a, b) => a.size() - b.size());
  const first = sets[0]!;
  const out = dst !== undefined ? RSet.intset() : undefined;
  const members: Bytes[] = [];
  const max = ctx.config.setMaxIntsetEntries;
  let cardinality = 0;
  const all = first.members();
  for (const m of all) {
    let ok = true;
    for (let j = 1; j < sets.length; j++) {
      const sj = sets[j]!;
      if (sj === first) continue;
      if (!sj.has(m)) {
        ok = false;
        break;
      }
    }
    if (!ok) continue;
    if (cardOnly) {
      cardinality++;
      if (limit && cardinality >= limit) break;
    } else if (out !== undefined) {
      out.add(m, max);
    } else {
      members.push(m);
    }
  }
  if (cardOnly) return R.int(cardinality);
  if (out !== undefined) return storeSet(ctx, dst!, out, 'sinterstore');
  return setReply(members);
}

function sintercard(ctx: Ctx, argv: Bytes[]): Reply {
  const numkeys = argRangeLong(argv[1]!, 1, Number.MAX_SAFE_INTEGER, 'numkeys should be greater than 0');
  if (numkeys > argv.length - 2) throw Err.msg('ERR', "Number of keys can't be greater than number of args");
  let limit = 0;
  for (let j = 2 + numkeys; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    if (isKw(argv[j], 'LIMIT') && more > 0) {
      j++;
      limit = argPositiveLong(argv[j]!, "LIMIT can't be negative");
    } else {
      throw Err.syntax();
    }
  }
  return sinterGeneric(ctx, argv.slice(2, 2 + numkeys), undefined, true, limit);
}

// ---------------------------------------------------------------------------------------------
// SUNION / SDIFF (+STORE)

function sunionDiffGeneric(ctx: Ctx, keys: readonly Bytes[], dst: Bytes | undefined, diff: boolean): Reply {
  const sets = lookupSets(ctx, keys);
  let sameset = false;
  for (let j = 1; j < sets.length; j++) if (sets[0] === sets[j]) sameset = true;
  const out = RSet.intset();
  const max = ctx.config.setMaxIntsetEntries;
  const first = sets[0];
  if (!diff) {
    for (const s of sets) s?.forEach((m) => out.add(m, max));
  } else if (first !== undefined && !sameset) {
    // Redis picks one of two algorithms; the resulting encoding can differ, so pick the same way.
    let one = 0;
    let two = 0;
    for (const s of sets) {
      if (s === undefined) continue;
      one += first.size();
      two += s.size();
    }
    one = Math.floor(one / 2);
    if (one <= two) {
      const others = sets.slice(1).filter((s): s is RSet => s !== undefined);
      others.sort((a, b) => b.size() - a.size());
      first.forEach((m) => {
        for (const s of others) if (s === first || s.has(m)) return;
        out.add(m, max);
      });
    } else {
      first.forEach((m) => out.add(m, max));
      for (let j = 1; j < sets.length && out.size() > 0; j++) {
        const s = sets[j];
        if (s === undefined) continue;
        for (const m of s.members()) out.remove(m);
      }
    }
  }
  if (dst !== undefined) return storeSet(ctx, dst, out, diff ? 'sdiffstore' : 'sunionstore');
  return setReply(out.members());
}

export const SET_HANDLERS: HandlerTable = {
  SADD: sadd,
  SREM: srem,
  SMOVE: smove,
  SISMEMBER: sismember,
  SMISMEMBER: smismember,
  SCARD: scard,
  SPOP: spop,
  SRANDMEMBER: srandmember,
  SMEMBERS: (ctx, argv) => sinterGeneric(ctx, argv.slice(1), undefined, false, 0),
  SINTER: (ctx, argv) => sinterGeneric(ctx, argv.slice(1), undefined, false, 0),
  SINTERCARD: sintercard,
  SINTERSTORE: (ctx, argv) => sinterGeneric(ctx, argv.slice(2), argv[1]!, false, 0),
  SUNION: (ctx, argv) => sunionDiffGeneric(ctx, argv.slice(1), undefined, false),
  SUNIONSTORE: (ctx, argv) => sunionDiffGeneric(ctx, argv.slice(2), argv[1]!, false),
  SDIFF: (ctx, argv) => sunionDiffGeneric(ctx, argv.slice(1), undefined, true),
  SDIFFSTORE: (ctx, argv) => sunionDiffGeneric(ctx, argv.slice(2), argv[1]!, true),
  SSCAN: sscan,
};
