/**
 * Sorted-set commands (Redis 7.0.15 t_zset.c semantics, replies and errors):
 * ZADD ZINCRBY ZREM ZCARD ZSCORE ZMSCORE ZRANK ZREVRANK ZCOUNT ZLEXCOUNT, the ZRANGE family
 * (ZRANGE with BYSCORE/BYLEX/REV/LIMIT/WITHSCORES, ZRANGESTORE and the deprecated
 * Z[REV]RANGE[BYSCORE|BYLEX]), ZREMRANGEBY*, ZPOPMIN/ZPOPMAX/ZMPOP and their blocking forms,
 * ZUNION/ZINTER/ZDIFF(+STORE), ZINTERCARD, ZRANDMEMBER and ZSCAN.
 *
 * Argument errors come before the key lookup (WRONGTYPE) exactly where Redis parses them first.
 * WITHSCORES replies are flat in RESP2 and [member, score] pairs in RESP3; scores go out as
 * R.dbl (RESP2 bulk "%.17g", RESP3 double).
 */
import type { Bytes, Reply } from '@swarmkv/resp';
import { Err, R } from '@swarmkv/resp';
import type { BlockRequest, Ctx, HandlerTable } from './context.js';
import { argLong, argLongNotMin, argPositiveLong, argRangeLong, isKw } from './args.js';
import { parseBlockingTimeout } from './blocking-timeout.js';
import type { Value } from '../keyspace/value.js';
import {
  RZset,
  ZADD_IN_GT,
  ZADD_IN_INCR,
  ZADD_IN_LT,
  ZADD_IN_NONE,
  ZADD_IN_NX,
  ZADD_IN_XX,
  ZADD_OUT_ADDED,
  ZADD_OUT_NAN,
  ZADD_OUT_NOP,
  ZADD_OUT_UPDATED,
  lastZaddScore,
} from '../types/zset/zset.js';
import { parseLexRange, parseScore, parseScoreRange, type LexRange, type ScoreRange } from '../types/zset/ranges.js';
import { RSet } from '../types/set/set.js';
import { parseScanCursor, parseScanOpts, scanReply } from './set.js';

const NAN_ERR = () => Err.msg('ERR', 'resulting score is not a number (NaN)');
const NOT_FLOAT_RANGE = () => Err.msg('ERR', 'min or max is not a float');
const NOT_LEX_RANGE = () => Err.msg('ERR', 'min or max not valid string range item');

function asZset(v: Value | undefined): RZset | undefined {
  if (v === undefined) return undefined;
  if (!(v instanceof RZset)) throw Err.wrongType();
  return v;
}

const readZset = (ctx: Ctx, key: Bytes): RZset | undefined => asZset(ctx.db.lookupRead(key));
const writeZset = (ctx: Ctx, key: Bytes): RZset | undefined => asZset(ctx.db.lookupWrite(key));

const resp3 = (ctx: Ctx): boolean => ctx.client.protocol === 3;

/** Collects (member, score) results into the reply shape of the client's protocol. */
class PairsOut {
  readonly items: Reply[] = [];
  constructor(
    private readonly withScores: boolean,
    private readonly nested: boolean,
  ) {}
  readonly emit = (ele: Bytes, score: number): void => {
    if (!this.withScores) this.items.push(R.bulk(ele));
    else if (this.nested) this.items.push(R.arr([R.bulk(ele), R.dbl(score)]));
    else this.items.push(R.bulk(ele), R.dbl(score));
  };
  reply(): Reply {
    return this.items.length === 0 ? R.emptyArray : R.arr(this.items);
  }
}

function pairsOut(ctx: Ctx, withScores: boolean): PairsOut {
  return new PairsOut(withScores, withScores && resp3(ctx));
}

/** Deletes a key emptied by a command (dbDelete + the "del" event). */
function deleteIfEmpty(ctx: Ctx, key: Bytes, z: RZset): boolean {
  if (z.length() !== 0) return false;
  ctx.db.delete(key);
  ctx.notify('g', 'del', key);
  return true;
}

/** Stores a computed zset at dst (setKey) or deletes dst when the result is empty. */
function storeResult(ctx: Ctx, dst: Bytes, z: RZset, event: string): Reply {
  const n = z.length();
  if (n > 0) {
    ctx.db.set(dst, z);
    ctx.notify('z', event, dst);
    ctx.signalReady(dst);
    return R.int(n);
  }
  if (ctx.db.delete(dst)) {
    ctx.signalModified(dst);
    ctx.notify('g', 'del', dst);
  }
  return R.int(0);
}

// ---------------------------------------------------------------------------------------------
// ZADD / ZINCRBY

function zaddGeneric(ctx: Ctx, argv: Bytes[], flags: number): Reply {
  const key = argv[1]!;
  let idx = 2;
  let ch = false;
  for (; idx < argv.length; idx++) {
    const o = argv[idx]!;
    if (o.length > 4) break;
    const u = o.toUpperCase();
    if (u === 'NX') flags |= ZADD_IN_NX;
    else if (u === 'XX') flags |= ZADD_IN_XX;
    else if (u === 'CH') ch = true;
    else if (u === 'INCR') flags |= ZADD_IN_INCR;
    else if (u === 'GT') flags |= ZADD_IN_GT;
    else if (u === 'LT') flags |= ZADD_IN_LT;
    else break;
  }
  const incr = (flags & ZADD_IN_INCR) !== 0;
  const nx = (flags & ZADD_IN_NX) !== 0;
  const xx = (flags & ZADD_IN_XX) !== 0;
  const gt = (flags & ZADD_IN_GT) !== 0;
  const lt = (flags & ZADD_IN_LT) !== 0;
  const pairs = argv.length - idx;
  if (pairs % 2 !== 0 || pairs === 0) throw Err.syntax();
  const elements = pairs / 2;
  if (nx && xx) throw Err.msg('ERR', 'XX and NX options at the same time are not compatible');
  if ((gt && nx) || (lt && nx) || (gt && lt)) {
    throw Err.msg('ERR', 'GT, LT, and/or NX options at the same time are not compatible');
  }
  if (incr && elements > 1) throw Err.msg('ERR', 'INCR option supports a single increment-element pair');
  const scores = new Array<number>(elements);
  for (let j = 0; j < elements; j++) {
    const s = parseScore(argv[idx + 2 * j]!);
    if (s === undefined) throw Err.notFloat();
    scores[j] = s;
  }
  let z = writeZset(ctx, key);
  let added = 0;
  let updated = 0;
  let processed = 0;
  let score = 0;
  if (z === undefined) {
    if (xx) return incr ? R.nil : R.int(0);
    z = RZset.forFirstMember(argv[idx + 1]!.length, ctx.config);
    ctx.db.add(key, z);
    ctx.signalReady(key);
  }
  let failed = false;
  for (let j = 0; j < elements; j++) {
    const ret = z.add(scores[j]!, argv[idx + 1 + 2 * j]!, flags, ctx.config);
    if (ret & ZADD_OUT_NAN) {
      failed = true;
      break;
    }
    if (ret & ZADD_OUT_ADDED) added++;
    if (ret & ZADD_OUT_UPDATED) updated++;
    if (!(ret & ZADD_OUT_NOP)) {
      processed++;
      score = lastZaddScore();
    }
  }
  if (added || updated) {
    ctx.signalModified(key);
    ctx.notify('z', incr ? 'zincr' : 'zadd', key);
  }
  if (failed) throw NAN_ERR();
  if (incr) return processed ? R.dbl(score) : R.nil;
  return R.int(ch ? added + updated : added);
}

// ---------------------------------------------------------------------------------------------
// Simple reads and ZREM

function zrem(ctx: Ctx, argv: Bytes[]): Reply {
  const key = argv[1]!;
  const z = writeZset(ctx, key);
  if (z === undefined) return R.int(0);
  let deleted = 0;
  let keyRemoved = false;
  for (let j = 2; j < argv.length; j++) {
    if (z.del(argv[j]!)) deleted++;
    if (z.length() === 0) {
      ctx.db.delete(key);
      keyRemoved = true;
      break;
    }
  }
  if (deleted) {
    ctx.notify('z', 'zrem', key);
    if (keyRemoved) ctx.notify('g', 'del', key);
    ctx.signalModified(key);
  }
  return R.int(deleted);
}

function zcard(ctx: Ctx, argv: Bytes[]): Reply {
  const z = readZset(ctx, argv[1]!);
  return R.int(z === undefined ? 0 : z.length());
}

function zscore(ctx: Ctx, argv: Bytes[]): Reply {
  const z = readZset(ctx, argv[1]!);
  const s = z?.score(argv[2]!);
  return s === undefined ? R.nil : R.dbl(s);
}

function zmscore(ctx: Ctx, argv: Bytes[]): Reply {
  const z = readZset(ctx, argv[1]!);
  const out: Reply[] = new Array<Reply>(argv.length - 2);
  for (let j = 2; j < argv.length; j++) {
    const s = z?.score(argv[j]!);
    out[j - 2] = s === undefined ? R.nil : R.dbl(s);
  }
  return R.arr(out);
}

function zrankGeneric(reverse: boolean) {
  return (ctx: Ctx, argv: Bytes[]): Reply => {
    const z = readZset(ctx, argv[1]!);
    if (z === undefined) return R.nil;
    const r = z.rank(argv[2]!, reverse);
    return r < 0 ? R.nil : R.int(r);
  };
}

function zcount(ctx: Ctx, argv: Bytes[]): Reply {
  const range = parseScoreRange(argv[2]!, argv[3]!);
  if (range === undefined) throw NOT_FLOAT_RANGE();
  const z = readZset(ctx, argv[1]!);
  return R.int(z === undefined ? 0 : z.countInRange(range));
}

function zlexcount(ctx: Ctx, argv: Bytes[]): Reply {
  const range = parseLexRange(argv[2]!, argv[3]!);
  if (range === undefined) throw NOT_LEX_RANGE();
  const z = readZset(ctx, argv[1]!);
  return R.int(z === undefined ? 0 : z.countInLexRange(range));
}

// ---------------------------------------------------------------------------------------------
// ZRANGE family

const enum RangeType {
  AUTO,
  RANK,
  SCORE,
  LEX,
}
const enum Dir {
  AUTO,
  FORWARD,
  REVERSE,
}

/** ZRANGESTORE's sink: builds the destination as Redis's zrangeResultBeginStore + zsetAdd. */
class StoreSink {
  z: RZset;
  constructor(
    length: number,
    private readonly ctx: Ctx,
  ) {
    this.z = length > ctx.config.zsetMaxListpackEntries ? RZset.skiplist() : RZset.listpack();
  }
  readonly emit = (ele: Bytes, score: number): void => {
    this.z.add(score, ele, ZADD_IN_NONE, this.ctx.config);
  };
}

/** Redis zrangeGenericCommand: argv[start] is the source key. */
function zrangeGeneric(ctx: Ctx, argv: Bytes[], start: number, store: boolean, rangeType: RangeType, dir: Dir): Reply {
  const key = argv[start]!;
  let minIdx = start + 1;
  let maxIdx = start + 2;
  let withScores = false;
  let offset = 0;
  let limit = -1;
  let limitGiven = false;
  for (let j = start + 3; j < argv.length; j++) {
    const a = argv[j]!;
    const left = argv.length - j - 1;
    if (!store && isKw(a, 'WITHSCORES')) {
      withScores = true;
    } else if (isKw(a, 'LIMIT') && left >= 2) {
      offset = argLong(argv[j + 1]!);
      limit = argLong(argv[j + 2]!);
      limitGiven = true;
      j += 2;
    } else if (dir === Dir.AUTO && isKw(a, 'REV')) {
      dir = Dir.REVERSE;
    } else if (rangeType === RangeType.AUTO && isKw(a, 'BYLEX')) {
      rangeType = RangeType.LEX;
    } else if (rangeType === RangeType.AUTO && isKw(a, 'BYSCORE')) {
      rangeType = RangeType.SCORE;
    } else {
      throw Err.syntax();
    }
  }
  if (dir === Dir.AUTO) dir = Dir.FORWARD;
  if (rangeType === RangeType.AUTO) rangeType = RangeType.RANK;
  // Redis tests opt_limit != -1: "LIMIT 0 -1" counts as no LIMIT.
  if (limitGiven && limit !== -1 && rangeType === RangeType.RANK) {
    throw Err.msg('ERR', 'syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX');
  }
  if (withScores && rangeType === RangeType.LEX) {
    throw Err.msg('ERR', 'syntax error, WITHSCORES not supported in combination with BYLEX');
  }
  const reverse = dir === Dir.REVERSE;
  if (reverse && rangeType !== RangeType.RANK) {
    const t = maxIdx;
    maxIdx = minIdx;
    minIdx = t;
  }
  let rs = 0;
  let re = 0;
  let scoreRange: ScoreRange | undefined;
  let lexRange: LexRange | undefined;
  if (rangeType === RangeType.RANK) {
    rs = argLong(argv[minIdx]!);
    re = argLong(argv[maxIdx]!);
  } else if (rangeType === RangeType.SCORE) {
    scoreRange = parseScoreRange(argv[minIdx]!, argv[maxIdx]!);
    if (scoreRange === undefined) throw NOT_FLOAT_RANGE();
  } else {
    lexRange = parseLexRange(argv[minIdx]!, argv[maxIdx]!);
    if (lexRange === undefined) throw NOT_LEX_RANGE();
  }
  const z = readZset(ctx, key);
  if (z === undefined) {
    if (store) return storeResult(ctx, argv[1]!, RZset.listpack(), 'zrangestore');
    return R.emptyArray;
  }

  if (rangeType === RangeType.RANK) {
    const llen = z.length();
    if (rs < 0) rs = llen + rs;
    if (re < 0) re = llen + re;
    if (rs < 0) rs = 0;
    const empty = rs > re || rs >= llen;
    if (!empty && re >= llen) re = llen - 1;
    if (store) {
      const sink = new StoreSink(empty ? 0 : re - rs + 1, ctx);
      if (!empty) z.rangeByRank(rs, re, reverse, sink.emit);
      return storeResult(ctx, argv[1]!, sink.z, 'zrangestore');
    }
    if (empty) return R.emptyArray;
    const out = pairsOut(ctx, withScores);
    z.rangeByRank(rs, re, reverse, out.emit);
    return out.reply();
  }
  if (store) {
    const sink = new StoreSink(-1, ctx);
    if (rangeType === RangeType.SCORE) z.rangeByScore(scoreRange!, offset, limit, reverse, sink.emit);
    else z.rangeByLex(lexRange!, offset, limit, reverse, sink.emit);
    return storeResult(ctx, argv[1]!, sink.z, 'zrangestore');
  }
  const out = pairsOut(ctx, withScores);
  if (rangeType === RangeType.SCORE) z.rangeByScore(scoreRange!, offset, limit, reverse, out.emit);
  else z.rangeByLex(lexRange!, offset, limit, reverse, out.emit);
  return out.reply();
}

// ---------------------------------------------------------------------------------------------
// ZREMRANGEBY*

function zremrangeGeneric(rangeType: RangeType) {
  const event =
    rangeType === RangeType.RANK ? 'zremrangebyrank' : rangeType === RangeType.SCORE ? 'zremrangebyscore' : 'zremrangebylex';
  return (ctx: Ctx, argv: Bytes[]): Reply => {
    const key = argv[1]!;
    let start = 0;
    let end = 0;
    let sr: ScoreRange | undefined;
    let lr: LexRange | undefined;
    if (rangeType === RangeType.RANK) {
      start = argLong(argv[2]!);
      end = argLong(argv[3]!);
    } else if (rangeType === RangeType.SCORE) {
      sr = parseScoreRange(argv[2]!, argv[3]!);
      if (sr === undefined) throw NOT_FLOAT_RANGE();
    } else {
      lr = parseLexRange(argv[2]!, argv[3]!);
      if (lr === undefined) throw NOT_LEX_RANGE();
    }
    const z = writeZset(ctx, key);
    if (z === undefined) return R.int(0);
    let deleted: number;
    if (rangeType === RangeType.RANK) {
      const llen = z.length();
      if (start < 0) start = llen + start;
      if (end < 0) end = llen + end;
      if (start < 0) start = 0;
      if (start > end || start >= llen) return R.int(0);
      if (end >= llen) end = llen - 1;
      deleted = z.removeRangeByRank(start, end);
    } else if (rangeType === RangeType.SCORE) {
      deleted = z.removeRangeByScore(sr!);
    } else {
      deleted = z.removeRangeByLex(lr!);
    }
    const removed = z.length() === 0;
    if (removed) ctx.db.delete(key);
    if (deleted) {
      ctx.signalModified(key);
      ctx.notify('z', event, key);
      if (removed) ctx.notify('g', 'del', key);
    }
    return R.int(deleted);
  };
}

// ---------------------------------------------------------------------------------------------
// ZPOPMIN / ZPOPMAX / ZMPOP and the blocking forms

/**
 * Redis genericZpopCommand. count -1 is the plain single pop. Returns undefined when no key
 * had anything to pop (the caller answers empty array / null array or blocks).
 */
function popFrom(
  ctx: Ctx,
  key: Bytes,
  z: RZset,
  max: boolean,
  emitKey: boolean,
  count: number,
  nested: boolean,
): Reply {
  if (count === 0) return R.emptyArray;
  if (count === -1) count = 1;
  const llen = z.length();
  const n = count > llen ? llen : count;
  const items: Reply[] = [];
  let popped = 0;
  const take = (ele: Bytes, score: number): void => {
    if (nested) items.push(R.arr([R.bulk(ele), R.dbl(score)]));
    else items.push(R.bulk(ele), R.dbl(score));
    poppedEle = ele;
  };
  let poppedEle = '';
  for (let i = 0; i < n; i++) {
    z.at(max ? -1 : 0, take);
    z.del(poppedEle);
    if (popped++ === 0) {
      ctx.notify('z', max ? 'zpopmax' : 'zpopmin', key);
      ctx.signalModified(key);
    }
  }
  if (z.length() === 0) {
    ctx.db.delete(key);
    ctx.notify('g', 'del', key);
  }
  if (!emitKey) return R.arr(items);
  if (nested) return R.arr([R.bulk(key), R.arr(items)]);
  return R.arr([R.bulk(key), ...items]);
}

function zpopMinMax(max: boolean) {
  return (ctx: Ctx, argv: Bytes[]): Reply => {
    if (argv.length > 3) throw Err.syntax();
    const count = argv.length === 3 ? argPositiveLong(argv[2]!) : -1;
    const nested = resp3(ctx) && count !== -1;
    const z = writeZset(ctx, argv[1]!);
    if (z === undefined) return R.emptyArray;
    return popFrom(ctx, argv[1]!, z, max, false, count, nested);
  };
}

/** The first key holding a non-empty zset, type-checked in order (WRONGTYPE stops the scan). */
function firstZset(ctx: Ctx, keys: readonly Bytes[]): [Bytes, RZset] | undefined {
  for (const key of keys) {
    const z = writeZset(ctx, key);
    if (z === undefined || z.length() === 0) continue;
    return [key, z];
  }
  return undefined;
}

/** ZMPOP / BZMPOP argument parsing: numkeys, keys, MIN|MAX, [COUNT n]. */
function parseMpop(argv: Bytes[], numkeysIdx: number): { keys: Bytes[]; max: boolean; count: number } {
  const numkeys = argRangeLong(argv[numkeysIdx]!, 1, Number.MAX_SAFE_INTEGER, 'numkeys should be greater than 0');
  const whereIdx = numkeysIdx + numkeys + 1;
  if (whereIdx >= argv.length) throw Err.syntax();
  let max: boolean;
  if (isKw(argv[whereIdx], 'MIN')) max = false;
  else if (isKw(argv[whereIdx], 'MAX')) max = true;
  else throw Err.syntax();
  let count = -1;
  for (let j = whereIdx + 1; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    if (count === -1 && isKw(argv[j], 'COUNT') && more > 0) {
      j++;
      count = argRangeLong(argv[j]!, 1, Number.MAX_SAFE_INTEGER, 'count should be greater than 0');
    } else {
      throw Err.syntax();
    }
  }
  if (count === -1) count = 1;
  return { keys: argv.slice(numkeysIdx + 1, numkeysIdx + 1 + numkeys), max, count };
}

function zmpop(ctx: Ctx, argv: Bytes[]): Reply {
  const { keys, max, count } = parseMpop(argv, 1);
  const found = firstZset(ctx, keys);
  if (found === undefined) return R.nilArray;
  return popFrom(ctx, found[0], found[1], max, true, count, true);
}

/** The BlockRequest of BZPOPMIN / BZPOPMAX / BZMPOP. */
function zpopBlock(keys: readonly Bytes[], deadlineMs: number, max: boolean, count: number, nested: boolean): BlockRequest {
  return {
    keys,
    deadlineMs,
    retry(ctx: Ctx, readyKey?: Bytes): Reply | undefined {
      // Redis serves the key that became ready; a key of another type leaves the client blocked.
      const candidates = readyKey !== undefined ? [readyKey] : keys;
      for (const key of candidates) {
        const v = ctx.db.lookupWrite(key);
        if (!(v instanceof RZset) || v.length() === 0) continue;
        return popFrom(ctx, key, v, max, true, count, nested);
      }
      return undefined;
    },
    timeoutReply: () => R.nilArray,
  };
}

function bzpopMinMax(max: boolean) {
  return (ctx: Ctx, argv: Bytes[]): Reply => {
    const deadline = parseBlockingTimeout(argv[argv.length - 1]!, ctx.now);
    const keys = argv.slice(1, argv.length - 1);
    const found = firstZset(ctx, keys);
    if (found !== undefined) return popFrom(ctx, found[0], found[1], max, true, -1, false);
    return ctx.block(zpopBlock(keys, deadline, max, -1, false));
  };
}

function bzmpop(ctx: Ctx, argv: Bytes[]): Reply {
  const { keys, max, count } = parseMpop(argv, 2);
  const deadline = parseBlockingTimeout(argv[1]!, ctx.now);
  const found = firstZset(ctx, keys);
  if (found !== undefined) return popFrom(ctx, found[0], found[1], max, true, count, true);
  return ctx.block(zpopBlock(keys, deadline, max, count, true));
}

// ---------------------------------------------------------------------------------------------
// ZUNION / ZINTER / ZDIFF (+STORE), ZINTERCARD

const enum SetOp {
  UNION,
  INTER,
  DIFF,
}
const enum Aggr {
  SUM,
  MIN,
  MAX,
}

/** An input of the set operations: a sorted set, a plain set (scores 1.0) or a missing key. */
interface Src {
  readonly obj: RZset | RSet | undefined;
  weight: number;
}

function srcLength(s: Src): number {
  return s.obj === undefined ? 0 : s.obj instanceof RZset ? s.obj.length() : s.obj.size();
}

/** Score of ele in a source, undefined when absent (zuiFind). */
function srcFind(s: Src, ele: Bytes): number | undefined {
  const o = s.obj;
  if (o === undefined) return undefined;
  if (o instanceof RZset) return o.score(ele);
  return o.has(ele) ? 1 : undefined;
}

/** Every element of a source; sorted sets are walked from the highest score down, as Redis. */
function srcForEach(s: Src, fn: (ele: Bytes, score: number) => void): void {
  const o = s.obj;
  if (o === undefined) return;
  if (o instanceof RZset) o.forEach(true, fn);
  else o.forEach((m) => fn(m, 1));
}

function aggregate(target: number, val: number, aggr: Aggr): number {
  if (aggr === Aggr.SUM) {
    const t = target + val;
    // +inf + -inf: Redis keeps the convention that the result is 0.
    return Number.isNaN(t) ? 0 : t;
  }
  if (aggr === Aggr.MIN) return val < target ? val : target;
  return val > target ? val : target;
}

function cmpPair(ae: Bytes, as: number, be: Bytes, bs: number): number {
  if (as < bs) return -1;
  if (as > bs) return 1;
  return ae < be ? -1 : ae > be ? 1 : 0;
}

/** Redis zunionInterDiffGenericCommand. */
function zsetOpGeneric(ctx: Ctx, argv: Bytes[], dst: Bytes | undefined, numkeysIdx: number, op: SetOp, cardOnly: boolean): Reply {
  const cmd = argv[0]!.toLowerCase();
  const setnum = argLong(argv[numkeysIdx]!);
  if (setnum < 1) throw Err.msg('ERR', `at least 1 input key is needed for '${cmd}' command`);
  if (setnum > argv.length - (numkeysIdx + 1)) throw Err.syntax();
  const src: Src[] = [];
  let j = numkeysIdx + 1;
  for (let i = 0; i < setnum; i++, j++) {
    const v = ctx.db.lookupRead(argv[j]!);
    if (v !== undefined && !(v instanceof RZset) && !(v instanceof RSet)) throw Err.wrongType();
    src.push({ obj: v as RZset | RSet | undefined, weight: 1 });
  }
  let aggr = Aggr.SUM;
  let withScores = false;
  let limit = 0;
  let remaining = argv.length - j;
  while (remaining > 0) {
    const a = argv[j]!;
    if (op !== SetOp.DIFF && !cardOnly && remaining >= setnum + 1 && isKw(a, 'WEIGHTS')) {
      j++;
      remaining--;
      for (let i = 0; i < setnum; i++, j++, remaining--) {
        const w = parseScore(argv[j]!);
        if (w === undefined) throw Err.msg('ERR', 'weight value is not a float');
        src[i]!.weight = w;
      }
    } else if (op !== SetOp.DIFF && !cardOnly && remaining >= 2 && isKw(a, 'AGGREGATE')) {
      j++;
      remaining--;
      const g = argv[j]!;
      if (isKw(g, 'SUM')) aggr = Aggr.SUM;
      else if (isKw(g, 'MIN')) aggr = Aggr.MIN;
      else if (isKw(g, 'MAX')) aggr = Aggr.MAX;
      else throw Err.syntax();
      j++;
      remaining--;
    } else if (remaining >= 1 && dst === undefined && !cardOnly && isKw(a, 'WITHSCORES')) {
      j++;
      remaining--;
      withScores = true;
    } else if (cardOnly && remaining >= 2 && isKw(a, 'LIMIT')) {
      j++;
      remaining--;
      limit = argPositiveLong(argv[j]!, "LIMIT can't be negative");
      j++;
      remaining--;
    } else {
      throw Err.syntax();
    }
  }
  // Smallest first (a stable sort, like glibc's merge-sorting qsort): fewer lookups.
  if (op !== SetOp.DIFF) src.sort((a, b) => srcLength(a) - srcLength(b));

  const members: Bytes[] = [];
  const scores: number[] = [];
  let cardinality = 0;
  if (op === SetOp.INTER) {
    const first = src[0]!;
    if (srcLength(first) > 0) {
      const visit = (ele: Bytes, s0: number): void => {
        if (cardOnly && limit && cardinality >= limit) return;
        let score = first.weight * s0;
        if (Number.isNaN(score)) score = 0;
        let k = 1;
        for (; k < src.length; k++) {
          const sk = src[k]!;
          if (sk.obj === first.obj) {
            score = aggregate(score, s0 * sk.weight, aggr);
            continue;
          }
          const v = srcFind(sk, ele);
          if (v === undefined) break;
          score = aggregate(score, v * sk.weight, aggr);
        }
        if (k !== src.length) return;
        cardinality++;
        if (!cardOnly) {
          members.push(ele);
          scores.push(score);
        }
      };
      srcForEach(first, visit);
    }
  } else if (op === SetOp.UNION) {
    const acc = new Map<Bytes, number>();
    for (const s of src) {
      srcForEach(s, (ele, sc) => {
        let score = s.weight * sc;
        if (Number.isNaN(score)) score = 0;
        const cur = acc.get(ele);
        acc.set(ele, cur === undefined ? score : aggregate(cur, score, aggr));
      });
    }
    for (const [ele, score] of acc) {
      members.push(ele);
      scores.push(score);
    }
  } else {
    const first = src[0]!;
    let same = false;
    for (let k = 1; k < src.length; k++) if (src[k]!.obj !== undefined && src[k]!.obj === first.obj) same = true;
    if (!same && srcLength(first) > 0) {
      srcForEach(first, (ele, sc) => {
        for (let k = 1; k < src.length; k++) if (srcFind(src[k]!, ele) !== undefined) return;
        members.push(ele);
        scores.push(sc);
      });
    }
  }

  if (cardOnly) return R.int(cardinality);

  // Order the result as the skiplist Redis builds would: by score, then member bytes.
  const order = members.map((_, i) => i);
  order.sort((a, b) => cmpPair(members[a]!, scores[a]!, members[b]!, scores[b]!));

  if (dst !== undefined) {
    const event = op === SetOp.UNION ? 'zunionstore' : op === SetOp.INTER ? 'zinterstore' : 'zdiffstore';
    const z = RZset.fromSorted(
      order.map((i) => members[i]!),
      order.map((i) => scores[i]!),
      ctx.config,
    );
    return storeResult(ctx, dst, z, event);
  }
  const out = pairsOut(ctx, withScores);
  for (const i of order) out.emit(members[i]!, scores[i]!);
  return out.reply();
}

// ---------------------------------------------------------------------------------------------
// ZRANDMEMBER

const MAX_RANDOM_REPLY = 1 << 27;
/** Redis ZRANDMEMBER_SUB_STRATEGY_MUL. */
const ZRANDMEMBER_SUB_STRATEGY_MUL = 3;

function zrandmember(ctx: Ctx, argv: Bytes[]): Reply {
  if (argv.length >= 3) {
    const l = argLongNotMin(argv[2]!);
    if (argv.length > 4 || (argv.length === 4 && !isKw(argv[3], 'WITHSCORES'))) throw Err.syntax();
    return zrandmemberWithCount(ctx, argv[1]!, l, argv.length === 4);
  }
  const z = readZset(ctx, argv[1]!);
  if (z === undefined) return R.nil;
  let ele = '';
  z.at(Math.floor(Math.random() * z.length()), (e) => (ele = e));
  return R.bulk(ele);
}

function zrandmemberWithCount(ctx: Ctx, key: Bytes, l: number, withScores: boolean): Reply {
  const z = readZset(ctx, key);
  if (z === undefined) return R.emptyArray;
  const size = z.length();
  const uniq = l >= 0;
  const count = uniq ? l : -l;
  if (count === 0) return R.emptyArray;
  const out = pairsOut(ctx, withScores);
  // CASE 1: repeats allowed (or one member): independent uniform picks.
  if (!uniq || count === 1) {
    // Replies are built in memory here (Redis streams them): refuse absurd repeat counts.
    if (count > MAX_RANDOM_REPLY) throw Err.msg('ERR', 'value is out of range');
    for (let i = 0; i < count; i++) z.at(Math.floor(Math.random() * size), out.emit);
    return out.reply();
  }
  // CASE 2: all of it, highest score first (Redis walks its iterator from the tail).
  if (count >= size) {
    z.forEach(true, out.emit);
    return out.reply();
  }
  // CASE 3 / 4: `count` distinct members in random order.
  const picked = new Set<number>();
  if (count * ZRANDMEMBER_SUB_STRATEGY_MUL > size) {
    // Remove random ranks from the full set until count are left.
    const keep = Array.from({ length: size }, (_, i) => i);
    for (let left = size; left > count; left--) {
      const r = Math.floor(Math.random() * left);
      keep[r] = keep[left - 1]!;
    }
    keep.length = count;
    for (const r of keep) z.at(r, out.emit);
    return out.reply();
  }
  while (picked.size < count) {
    const r = Math.floor(Math.random() * size);
    if (picked.has(r)) continue;
    picked.add(r);
    z.at(r, out.emit);
  }
  return out.reply();
}

// ---------------------------------------------------------------------------------------------
// ZSCAN

function zscan(ctx: Ctx, argv: Bytes[]): Reply {
  const cursor = parseScanCursor(argv[2]!);
  const z = readZset(ctx, argv[1]!);
  if (z === undefined) return scanReply(0, []);
  const { count, pattern } = parseScanOpts(argv, 3);
  const [next, items] = z.scan(cursor, count);
  return scanReply(next, items, pattern, true);
}

export const ZSET_HANDLERS: HandlerTable = {
  ZADD: (ctx, argv) => zaddGeneric(ctx, argv, ZADD_IN_NONE),
  ZINCRBY: (ctx, argv) => zaddGeneric(ctx, argv, ZADD_IN_INCR),
  ZREM: zrem,
  ZCARD: zcard,
  ZSCORE: zscore,
  ZMSCORE: zmscore,
  ZRANK: zrankGeneric(false),
  ZREVRANK: zrankGeneric(true),
  ZCOUNT: zcount,
  ZLEXCOUNT: zlexcount,
  ZRANGE: (ctx, argv) => zrangeGeneric(ctx, argv, 1, false, RangeType.AUTO, Dir.AUTO),
  ZRANGESTORE: (ctx, argv) => zrangeGeneric(ctx, argv, 2, true, RangeType.AUTO, Dir.AUTO),
  ZREVRANGE: (ctx, argv) => zrangeGeneric(ctx, argv, 1, false, RangeType.RANK, Dir.REVERSE),
  ZRANGEBYSCORE: (ctx, argv) => zrangeGeneric(ctx, argv, 1, false, RangeType.SCORE, Dir.FORWARD),
  ZREVRANGEBYSCORE: (ctx, argv) => zrangeGeneric(ctx, argv, 1, false, RangeType.SCORE, Dir.REVERSE),
  ZRANGEBYLEX: (ctx, argv) => zrangeGeneric(ctx, argv, 1, false, RangeType.LEX, Dir.FORWARD),
  ZREVRANGEBYLEX: (ctx, argv) => zrangeGeneric(ctx, argv, 1, false, RangeType.LEX, Dir.REVERSE),
  ZREMRANGEBYRANK: zremrangeGeneric(RangeType.RANK),
  ZREMRANGEBYSCORE: zremrangeGeneric(RangeType.SCORE),
  ZREMRANGEBYLEX: zremrangeGeneric(RangeType.LEX),
  ZPOPMIN: zpopMinMax(false),
  ZPOPMAX: zpopMinMax(true),
  ZMPOP: zmpop,
  BZPOPMIN: bzpopMinMax(false),
  BZPOPMAX: bzpopMinMax(true),
  BZMPOP: bzmpop,
  ZUNION: (ctx, argv) => zsetOpGeneric(ctx, argv, undefined, 1, SetOp.UNION, false),
  ZINTER: (ctx, argv) => zsetOpGeneric(ctx, argv, undefined, 1, SetOp.INTER, false),
  ZDIFF: (ctx, argv) => zsetOpGeneric(ctx, argv, undefined, 1, SetOp.DIFF, false),
  ZUNIONSTORE: (ctx, argv) => zsetOpGeneric(ctx, argv, argv[1]!, 2, SetOp.UNION, false),
  ZINTERSTORE: (ctx, argv) => zsetOpGeneric(ctx, argv, argv[1]!, 2, SetOp.INTER, false),
  ZDIFFSTORE: (ctx, argv) => zsetOpGeneric(ctx, argv, argv[1]!, 2, SetOp.DIFF, false),
  ZINTERCARD: (ctx, argv) => zsetOpGeneric(ctx, argv, undefined, 1, SetOp.INTER, true),
  ZRANDMEMBER: zrandmember,
  ZSCAN: zscan,
};
