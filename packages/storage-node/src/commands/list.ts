/**
 * List commands (LPUSH ... BLMPOP) with Redis 7.0.15's replies, errors, argument-checking order
 * and side effects: keyspace events (`lpush`, `rpush`, `lpop`, `rpop`, `linsert`, `lset`,
 * `lrem`, `ltrim`, then `del` when a list empties), WATCH signals, and `signalReady` when a push
 * creates a list (clients block only on missing keys, so that is when they can be served).
 *
 * Blocking commands first try what the non-blocking command would do; otherwise they park the
 * client with ctx.block(). Inside MULTI (and scripts) they answer at once as on timeout, as
 * Redis does: null array for BLPOP/BRPOP/BLMPOP, null bulk for BLMOVE/BRPOPLPUSH, whose real
 * timeout reply is nevertheless a null *array* in Redis 7.0 (replyToBlockedClientTimedOut).
 */
import type { Bytes, Reply } from '@swarmkv/resp';
import { Err, R } from '@swarmkv/resp';
import type { BlockRequest, Ctx, HandlerTable } from './context.js';
import { List } from '../types/list/list.js';
import { lpStringToInt } from '../types/listpack/listpack.js';
import { parseBlockingTimeout } from './blocking-timeout.js';

// ---------------------------------------------------------------------------------------------
// Arguments

/** A long argument (Redis string2ll), as a JS number (int64 beyond 2^53 rounded: fine for indexes). */
function parseLong(arg: Bytes, err: () => Error = Err.notInt): number {
  const v = lpStringToInt(arg);
  if (v === undefined) throw err();
  return typeof v === 'number' ? v : Number(v);
}

/** LEFT / RIGHT: true for LEFT. */
function parseWhere(arg: Bytes): boolean {
  const a = arg.toUpperCase();
  if (a === 'LEFT') return true;
  if (a === 'RIGHT') return false;
  throw Err.syntax();
}

// ---------------------------------------------------------------------------------------------
// Lookups

function newList(ctx: Ctx): List {
  return new List(ctx.config.listMaxListpackSize, ctx.config.listCompressDepth);
}

function readList(ctx: Ctx, key: Bytes): List | undefined {
  const v = ctx.db.lookupRead(key);
  if (v === undefined) return undefined;
  if (!(v instanceof List)) throw Err.wrongType();
  return v;
}

function writeList(ctx: Ctx, key: Bytes): List | undefined {
  const v = ctx.db.lookupWrite(key);
  if (v === undefined) return undefined;
  if (!(v instanceof List)) throw Err.wrongType();
  return v;
}

/** After elements left a list: the pop event, `del` if it emptied, WATCH (listElementsRemoved). */
function elementsRemoved(ctx: Ctx, key: Bytes, list: List, left: boolean): void {
  ctx.notify('l', left ? 'lpop' : 'rpop', key);
  if (list.length === 0) {
    ctx.db.delete(key);
    ctx.notify('g', 'del', key);
  }
  ctx.signalModified(key);
}

// ---------------------------------------------------------------------------------------------
// Push

function push(ctx: Ctx, argv: Bytes[], left: boolean, onlyIfExists: boolean): Reply {
  const key = argv[1]!;
  let list = writeList(ctx, key);
  if (list === undefined) {
    if (onlyIfExists) return R.int(0);
    list = newList(ctx);
    ctx.db.add(key, list);
    ctx.signalReady(key);
  }
  for (let i = 2; i < argv.length; i++) list.push(argv[i]!, left);
  ctx.signalModified(key);
  ctx.notify('l', left ? 'lpush' : 'rpush', key);
  return R.int(list.length);
}

// ---------------------------------------------------------------------------------------------
// Pop

function pop(ctx: Ctx, argv: Bytes[], left: boolean): Reply {
  if (argv.length > 3) throw Err.wrongArity(argv[0]!);
  const hasCount = argv.length === 3;
  let count = 0;
  if (hasCount) {
    const v = lpStringToInt(argv[2]!);
    if (v === undefined || v < 0) throw Err.msg('ERR', 'value is out of range, must be positive');
    count = Number(v);
  }
  const key = argv[1]!;
  const list = writeList(ctx, key);
  if (list === undefined) return hasCount ? R.nilArray : R.nil;
  if (hasCount && count === 0) return R.emptyArray;
  if (!hasCount) {
    const v = list.pop(left)!;
    elementsRemoved(ctx, key, list, left);
    return R.bulk(v);
  }
  const out = list.popMany(count, left);
  elementsRemoved(ctx, key, list, left);
  return R.bulks(out);
}

/** LMPOP / BLMPOP reply for one list: [key, [elements...]], popping up to count. */
function popRangeWithKey(ctx: Ctx, key: Bytes, list: List, left: boolean, count: number): Reply {
  const out = list.popMany(count, left);
  elementsRemoved(ctx, key, list, left);
  return R.arr([R.bulk(key), R.bulks(out)]);
}

// ---------------------------------------------------------------------------------------------
// Reading

function llen(ctx: Ctx, argv: Bytes[]): Reply {
  const list = readList(ctx, argv[1]!);
  return R.int(list === undefined ? 0 : list.length);
}

function lindex(ctx: Ctx, argv: Bytes[]): Reply {
  const list = readList(ctx, argv[1]!);
  if (list === undefined) return R.nil;
  const index = parseLong(argv[2]!);
  return R.bulkOrNil(list.index(index));
}

function lrange(ctx: Ctx, argv: Bytes[]): Reply {
  let start = parseLong(argv[2]!);
  let end = parseLong(argv[3]!);
  const list = readList(ctx, argv[1]!);
  if (list === undefined) return R.emptyArray;
  const len = list.length;
  if (start < 0) start += len;
  if (end < 0) end += len;
  if (start < 0) start = 0;
  if (start > end || start >= len) return R.emptyArray;
  if (end >= len) end = len - 1;
  // Pre-encoded: LRANGE replies are long arrays of bulks, identical in RESP2 and RESP3.
  return R.raw(list.rangeResp(start, end));
}

function lpos(ctx: Ctx, argv: Bytes[]): Reply {
  let rank = 1;
  let count = -1; // -1: COUNT not given
  let maxlen = 0;
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j]!.toUpperCase();
    const more = argv.length - 1 - j;
    if (opt === 'RANK' && more > 0) {
      rank = parseLong(argv[++j]!);
      if (rank === 0)
        throw Err.msg(
          'ERR',
          "RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list",
        );
    } else if (opt === 'COUNT' && more > 0) {
      count = parseLong(argv[++j]!);
      if (count < 0) throw Err.msg('ERR', "COUNT can't be negative");
    } else if (opt === 'MAXLEN' && more > 0) {
      maxlen = parseLong(argv[++j]!);
      if (maxlen < 0) throw Err.msg('ERR', "MAXLEN can't be negative");
    } else {
      throw Err.syntax();
    }
  }
  const list = readList(ctx, argv[1]!);
  if (list === undefined) return count !== -1 ? R.emptyArray : R.nil;
  // Redis negates LONG_MIN to itself and then stops at the first match from the tail.
  if (rank <= -(2 ** 63)) rank = -1;
  const found = list.positions(argv[2]!, rank, count === -1 ? 1 : count, maxlen);
  if (count !== -1) return R.arr(found.map((i) => R.int(i)));
  return found.length > 0 ? R.int(found[0]!) : R.nil;
}

// ---------------------------------------------------------------------------------------------
// Changing in place

function lset(ctx: Ctx, argv: Bytes[]): Reply {
  const key = argv[1]!;
  const list = writeList(ctx, key);
  if (list === undefined) throw Err.noSuchKey();
  const index = parseLong(argv[2]!);
  if (!list.set(index, argv[3]!)) throw Err.outOfRange();
  ctx.signalModified(key);
  ctx.notify('l', 'lset', key);
  return R.ok;
}

function linsert(ctx: Ctx, argv: Bytes[]): Reply {
  const where = argv[2]!.toUpperCase();
  let after: boolean;
  if (where === 'AFTER') after = true;
  else if (where === 'BEFORE') after = false;
  else throw Err.syntax();
  const key = argv[1]!;
  const list = writeList(ctx, key);
  if (list === undefined) return R.int(0);
  const n = list.insert(argv[3]!, argv[4]!, after);
  if (n < 0) return R.int(-1);
  ctx.signalModified(key);
  ctx.notify('l', 'linsert', key);
  return R.int(n);
}

function lrem(ctx: Ctx, argv: Bytes[]): Reply {
  const count = parseLong(argv[2]!);
  const key = argv[1]!;
  const list = writeList(ctx, key);
  if (list === undefined) return R.int(0);
  const removed = list.remove(count, argv[3]!);
  if (removed > 0) {
    ctx.notify('l', 'lrem', key);
    if (list.length === 0) {
      ctx.db.delete(key);
      ctx.notify('g', 'del', key);
    }
    ctx.signalModified(key);
  }
  return R.int(removed);
}

function ltrim(ctx: Ctx, argv: Bytes[]): Reply {
  let start = parseLong(argv[2]!);
  let end = parseLong(argv[3]!);
  const key = argv[1]!;
  const list = writeList(ctx, key);
  if (list === undefined) return R.ok;
  const len = list.length;
  if (start < 0) start += len;
  if (end < 0) end += len;
  if (start < 0) start = 0;
  let left: number;
  let right: number;
  if (start > end || start >= len) {
    left = len;
    right = 0;
  } else {
    if (end >= len) end = len - 1;
    left = start;
    right = len - end - 1;
  }
  list.trim(left, right);
  ctx.notify('l', 'ltrim', key);
  if (list.length === 0) {
    ctx.db.delete(key);
    ctx.notify('g', 'del', key);
  }
  ctx.signalModified(key);
  return R.ok;
}

// ---------------------------------------------------------------------------------------------
// Moving between lists

/**
 * LMOVE's core on a non-empty source (lmoveGenericCommand): the destination is looked up (and
 * type checked) before the pop, so moving within one list works on the same object.
 */
function moveOne(ctx: Ctx, src: Bytes, dst: Bytes, srcList: List, fromLeft: boolean, toLeft: boolean): Reply {
  let dstList = writeList(ctx, dst);
  const v = srcList.pop(fromLeft)!;
  if (dstList === undefined) {
    dstList = newList(ctx);
    ctx.db.add(dst, dstList);
    ctx.signalReady(dst);
  }
  ctx.signalModified(dst);
  dstList.push(v, toLeft);
  ctx.notify('l', toLeft ? 'lpush' : 'rpush', dst);
  elementsRemoved(ctx, src, srcList, fromLeft);
  return R.bulk(v);
}

function lmoveGeneric(ctx: Ctx, src: Bytes, dst: Bytes, fromLeft: boolean, toLeft: boolean): Reply {
  const srcList = writeList(ctx, src);
  if (srcList === undefined || srcList.length === 0) return R.nil;
  return moveOne(ctx, src, dst, srcList, fromLeft, toLeft);
}

function lmove(ctx: Ctx, argv: Bytes[]): Reply {
  const fromLeft = parseWhere(argv[3]!);
  const toLeft = parseWhere(argv[4]!);
  return lmoveGeneric(ctx, argv[1]!, argv[2]!, fromLeft, toLeft);
}

function rpoplpush(ctx: Ctx, argv: Bytes[]): Reply {
  return lmoveGeneric(ctx, argv[1]!, argv[2]!, false, true);
}

// ---------------------------------------------------------------------------------------------
// LMPOP and the blocking commands

interface MpopArgs {
  keys: Bytes[];
  left: boolean;
  count: number;
}

/** LMPOP numkeys key... LEFT|RIGHT [COUNT n], numkeys at argv[at]. */
function parseMpop(argv: Bytes[], at: number): MpopArgs {
  const numkeysErr = () => Err.msg('ERR', 'numkeys should be greater than 0');
  const numkeys = parseLong(argv[at]!, numkeysErr);
  if (numkeys < 1) throw numkeysErr();
  const whereIdx = at + numkeys + 1;
  if (whereIdx >= argv.length) throw Err.syntax();
  const left = parseWhere(argv[whereIdx]!);
  let count = -1;
  for (let j = whereIdx + 1; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    if (count === -1 && argv[j]!.toUpperCase() === 'COUNT' && more > 0) {
      const countErr = () => Err.msg('ERR', 'count should be greater than 0');
      count = parseLong(argv[++j]!, countErr);
      if (count < 1) throw countErr();
    } else {
      throw Err.syntax();
    }
  }
  return { keys: argv.slice(at + 1, whereIdx), left, count: count === -1 ? 1 : count };
}

/** The first non-empty list among keys: popped as LMPOP replies, or undefined. WRONGTYPE stops. */
function mpopFirst(ctx: Ctx, keys: readonly Bytes[], left: boolean, count: number): Reply | undefined {
  for (const key of keys) {
    const list = writeList(ctx, key);
    if (list === undefined || list.length === 0) continue;
    return popRangeWithKey(ctx, key, list, left, count);
  }
  return undefined;
}

/** BLPOP/BRPOP: pop one element of the first non-empty list, reply [key, element]. */
function popFirst(ctx: Ctx, keys: readonly Bytes[], left: boolean): Reply | undefined {
  for (const key of keys) {
    const list = writeList(ctx, key);
    if (list === undefined || list.length === 0) continue;
    const v = list.pop(left)!;
    elementsRemoved(ctx, key, list, left);
    return R.arr([R.bulk(key), R.bulk(v)]);
  }
  return undefined;
}

function lmpop(ctx: Ctx, argv: Bytes[]): Reply {
  const a = parseMpop(argv, 1);
  return mpopFirst(ctx, a.keys, a.left, a.count) ?? R.nilArray;
}

/**
 * While blocked, a client is served from the key that became ready (the blocking manager passes
 * it; without it, the first non-empty key in argument order). A key that is no list (any more)
 * leaves the client blocked, as Redis only serves keys holding a list.
 */
function readyKeys(keys: readonly Bytes[], readyKey: Bytes | undefined): readonly Bytes[] {
  return readyKey === undefined ? keys : [readyKey];
}

function servable(ctx: Ctx, key: Bytes): boolean {
  const v = ctx.db.peek(key);
  return v instanceof List && v.length > 0;
}

function blockingPop(ctx: Ctx, argv: Bytes[], left: boolean): Reply {
  const deadlineMs = parseBlockingTimeout(argv[argv.length - 1]!, ctx.now);
  const keys = argv.slice(1, -1);
  const now = popFirst(ctx, keys, left);
  if (now !== undefined) return now;
  if (ctx.client.inMulti) return R.nilArray;
  const req: BlockRequest = {
    keys,
    deadlineMs,
    retry: (c: Ctx, readyKey?: Bytes) => {
      const ks = readyKeys(keys, readyKey).filter((k) => servable(c, k));
      return ks.length === 0 ? undefined : popFirst(c, ks, left);
    },
    timeoutReply: () => R.nilArray,
  };
  return ctx.block(req);
}

function blmpop(ctx: Ctx, argv: Bytes[]): Reply {
  const a = parseMpop(argv, 2);
  const deadlineMs = parseBlockingTimeout(argv[1]!, ctx.now);
  const now = mpopFirst(ctx, a.keys, a.left, a.count);
  if (now !== undefined) return now;
  if (ctx.client.inMulti) return R.nilArray;
  const req: BlockRequest = {
    keys: a.keys,
    deadlineMs,
    retry: (c: Ctx, readyKey?: Bytes) => {
      const ks = readyKeys(a.keys, readyKey).filter((k) => servable(c, k));
      return ks.length === 0 ? undefined : mpopFirst(c, ks, a.left, a.count);
    },
    timeoutReply: () => R.nilArray,
  };
  return ctx.block(req);
}

function blmoveGeneric(ctx: Ctx, src: Bytes, dst: Bytes, fromLeft: boolean, toLeft: boolean, deadlineMs: number): Reply {
  const srcList = writeList(ctx, src);
  if (srcList !== undefined && srcList.length > 0) return moveOne(ctx, src, dst, srcList, fromLeft, toLeft);
  if (ctx.client.inMulti) return R.nil;
  const req: BlockRequest = {
    keys: [src],
    deadlineMs,
    retry: (c: Ctx) => {
      if (!servable(c, src)) return undefined;
      // A destination of the wrong type answers WRONGTYPE and unblocks (Redis 7.0).
      return moveOne(c, src, dst, c.db.lookupWrite(src) as List, fromLeft, toLeft);
    },
    timeoutReply: () => R.nilArray,
  };
  return ctx.block(req);
}

function blmove(ctx: Ctx, argv: Bytes[]): Reply {
  const fromLeft = parseWhere(argv[3]!);
  const toLeft = parseWhere(argv[4]!);
  const deadlineMs = parseBlockingTimeout(argv[5]!, ctx.now);
  return blmoveGeneric(ctx, argv[1]!, argv[2]!, fromLeft, toLeft, deadlineMs);
}

function brpoplpush(ctx: Ctx, argv: Bytes[]): Reply {
  const deadlineMs = parseBlockingTimeout(argv[3]!, ctx.now);
  return blmoveGeneric(ctx, argv[1]!, argv[2]!, false, true, deadlineMs);
}

export const LIST_HANDLERS: HandlerTable = {
  LPUSH: (ctx, argv) => push(ctx, argv, true, false),
  RPUSH: (ctx, argv) => push(ctx, argv, false, false),
  LPUSHX: (ctx, argv) => push(ctx, argv, true, true),
  RPUSHX: (ctx, argv) => push(ctx, argv, false, true),
  LPOP: (ctx, argv) => pop(ctx, argv, true),
  RPOP: (ctx, argv) => pop(ctx, argv, false),
  LLEN: llen,
  LINDEX: lindex,
  LRANGE: lrange,
  LPOS: lpos,
  LSET: lset,
  LINSERT: linsert,
  LREM: lrem,
  LTRIM: ltrim,
  LMOVE: lmove,
  RPOPLPUSH: rpoplpush,
  LMPOP: lmpop,
  BLPOP: (ctx, argv) => blockingPop(ctx, argv, true),
  BRPOP: (ctx, argv) => blockingPop(ctx, argv, false),
  BLMPOP: blmpop,
  BLMOVE: blmove,
  BRPOPLPUSH: brpoplpush,
};
