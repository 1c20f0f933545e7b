/**
 * String commands (Redis's t_string.c): GET/SET and friends, counters, ranges, LCS.
 *
 * Replies, errors, keyspace events and encodings follow Redis 7.0.15 exactly:
 *  - values arriving from clients are stored as Redis's tryObjectEncoding would (SET, SETNX,
 *    SETEX, PSETEX, GETSET, MSET, MSETNX, APPEND on a missing key): canonical int64 -> int,
 *    otherwise Bytes (embstr/raw by length);
 *  - INCR & co. store ints; INCRBYFLOAT stores the printed Bytes (embstr even for "3");
 *  - APPEND/SETRANGE on an existing key and SETRANGE on a missing one edit a RawString (raw).
 *
 * GET and the three-argument SET are the hottest commands of all: they allocate nothing beyond
 * the reply and parse no options.
 */
import { Err, R, type Bytes, type Reply } from '@swarmkv/resp';
import type { Ctx, Handler, HandlerTable } from './context.js';
import type { Value } from '../keyspace/value.js';
import { RawString } from '../types/string/raw-string.js';
import {
  bytesOf,
  createStringValue,
  isStringValue,
  stringBytes,
  stringLength,
  stringToInt64,
  type StringValue,
} from '../types/string/string-value.js';
import {
  expireAtMs,
  parseExtendedArgs,
  OPT_EXAT,
  OPT_GET,
  OPT_KEEPTTL,
  OPT_NX,
  OPT_PERSIST,
  OPT_PX,
  OPT_PXAT,
  OPT_XX,
  OPT_EX,
} from '../types/string/set-options.js';
import { lcsReply } from '../types/string/lcs.js';
import {
  ldAdd,
  ld2string,
  ldFromInt,
  ldIsFinite,
  normInt64,
  parseInteger,
  parseLongDouble,
  parseLongLong,
  string2ld,
  LLONG_MAX,
  LLONG_MIN,
  type Int64,
  type LongDouble,
} from '../util/numbers.js';

const EMPTY_BULK: Reply = Object.freeze(R.bulk(''));
const ONE: Reply = R.int(1);
const ZERO: Reply = R.int(0);
const LD_ZERO: LongDouble = ldFromInt(0);

function tooLong() {
  return Err.msg('ERR', 'string exceeds maximum allowed size (proto-max-bulk-len)');
}

/** The bulk reply for a value that must be a string (WRONGTYPE otherwise). */
function bulkOf(v: Value): Reply {
  return R.bulk(typeof v === 'string' ? v : bytesOf(v));
}

// ---------------------------------------------------------------------------------------------
// GET / SET family

const get: Handler = (ctx, argv) => {
  const v = ctx.db.lookupRead(argv[1]!);
  if (v === undefined) return R.nil;
  if (typeof v === 'string') return R.bulk(v);
  return R.bulk(bytesOf(v));
};

/**
 * setGenericCommand: expire validated first, then GET's reply (which may be WRONGTYPE), then
 * NX/XX, then the write.
 */
function setGeneric(
  ctx: Ctx,
  cmd: string,
  flags: number,
  key: Bytes,
  val: Bytes,
  expire: Bytes | undefined,
  okReply: Reply,
  abortReply: Reply,
): Reply {
  const db = ctx.db;
  const when = expire === undefined ? 0 : expireAtMs(expire, flags, ctx.now, cmd);
  let getReply: Reply | undefined;
  if (flags & OPT_GET) {
    const old = db.lookupRead(key);
    getReply = old === undefined ? R.nil : bulkOf(old);
  }
  if (flags & (OPT_NX | OPT_XX)) {
    const found = db.lookupWrite(key) !== undefined;
    if ((flags & OPT_NX && found) || (flags & OPT_XX && !found)) return getReply ?? abortReply;
  }
  db.set(key, createStringValue(val), (flags & OPT_KEEPTTL) !== 0);
  ctx.notify('$', 'set', key);
  if (expire !== undefined) {
    db.setExpire(key, when);
    ctx.notify('g', 'expire', key);
  }
  return getReply ?? okReply;
}

const set: Handler = (ctx, argv) => {
  const key = argv[1]!;
  if (argv.length === 3) {
    ctx.db.set(key, createStringValue(argv[2]!));
    ctx.notify('$', 'set', key);
    return R.ok;
  }
  const { flags, expire } = parseExtendedArgs(argv, 3, true);
  return setGeneric(ctx, 'set', flags, key, argv[2]!, expire, R.ok, R.nil);
};

const setnx: Handler = (ctx, argv) => setGeneric(ctx, 'setnx', OPT_NX, argv[1]!, argv[2]!, undefined, ONE, ZERO);

const setex: Handler = (ctx, argv) => setGeneric(ctx, 'setex', OPT_EX, argv[1]!, argv[3]!, argv[2]!, R.ok, R.nil);

const psetex: Handler = (ctx, argv) =>
  setGeneric(ctx, 'psetex', OPT_PX, argv[1]!, argv[3]!, argv[2]!, R.ok, R.nil);

const getset: Handler = (ctx, argv) => {
  const key = argv[1]!;
  const old = ctx.db.lookupRead(key);
  const reply = old === undefined ? R.nil : bulkOf(old);
  ctx.db.set(key, createStringValue(argv[2]!));
  ctx.notify('$', 'set', key);
  return reply;
};

const getdel: Handler = (ctx, argv) => {
  const key = argv[1]!;
  const v = ctx.db.lookupRead(key);
  if (v === undefined) return R.nil;
  const reply = bulkOf(v);
  if (ctx.db.delete(key)) ctx.notify('g', 'del', key);
  return reply;
};

const getex: Handler = (ctx, argv) => {
  const key = argv[1]!;
  let flags = 0;
  let expire: Bytes | undefined;
  if (argv.length > 2) ({ flags, expire } = parseExtendedArgs(argv, 2, false));
  const db = ctx.db;
  const v = db.lookupRead(key);
  if (v === undefined) return R.nil;
  const reply = bulkOf(v);
  if (expire !== undefined) {
    const when = expireAtMs(expire, flags, ctx.now, 'getex');
    if (flags & (OPT_EXAT | OPT_PXAT) && when <= ctx.now) {
      // An absolute time already past deletes the key right away.
      db.delete(key);
      ctx.notify('g', 'del', key);
    } else {
      db.setExpire(key, when);
      ctx.signalModified(key);
      ctx.notify('g', 'expire', key);
    }
  } else if (flags & OPT_PERSIST) {
    if (db.persist(key)) {
      ctx.signalModified(key);
      ctx.notify('g', 'persist', key);
    }
  }
  return reply;
};

const mget: Handler = (ctx, argv) => {
  const db = ctx.db;
  const out = new Array<Reply>(argv.length - 1);
  for (let i = 1; i < argv.length; i++) {
    const v = db.lookupRead(argv[i]!);
    out[i - 1] =
      v === undefined ? R.nil : typeof v === 'string' ? R.bulk(v) : isStringValue(v) ? R.bulk(stringBytes(v)) : R.nil;
  }
  return R.arr(out);
};

const mset: Handler = (ctx, argv) => {
  if (argv.length % 2 === 0) throw Err.wrongArity('mset');
  const db = ctx.db;
  for (let i = 1; i < argv.length; i += 2) {
    db.set(argv[i]!, createStringValue(argv[i + 1]!));
    ctx.notify('$', 'set', argv[i]!);
  }
  return R.ok;
};

const msetnx: Handler = (ctx, argv) => {
  if (argv.length % 2 === 0) throw Err.wrongArity('msetnx');
  const db = ctx.db;
  for (let i = 1; i < argv.length; i += 2) {
    if (db.lookupWrite(argv[i]!) !== undefined) return ZERO;
  }
  for (let i = 1; i < argv.length; i += 2) {
    db.set(argv[i]!, createStringValue(argv[i + 1]!));
    ctx.notify('$', 'set', argv[i]!);
  }
  return ONE;
};

// ---------------------------------------------------------------------------------------------
// Lengths and ranges

const strlen: Handler = (ctx, argv) => {
  const v = ctx.db.lookupRead(argv[1]!);
  if (v === undefined) return ZERO;
  if (!isStringValue(v)) throw Err.wrongType();
  return R.int(stringLength(v));
};

const append: Handler = (ctx, argv) => {
  const key = argv[1]!;
  const add = argv[2]!;
  const db = ctx.db;
  const v = db.lookupWrite(key);
  let total: number;
  if (v === undefined) {
    // A new key gets the argument as SET would store it (int/embstr/raw), not a RawString.
    db.add(key, createStringValue(add));
    total = add.length;
  } else if (v instanceof RawString) {
    total = v.length + add.length;
    if (total > ctx.config.protoMaxBulkLen) throw tooLong();
    v.append(add);
    ctx.signalModified(key);
  } else {
    if (typeof v === 'object') throw Err.wrongType();
    const cur = stringBytes(v);
    total = cur.length + add.length;
    if (total > ctx.config.protoMaxBulkLen) throw tooLong();
    const raw = RawString.from(cur);
    raw.append(add);
    db.replace(key, raw);
    ctx.signalModified(key);
  }
  ctx.notify('$', 'append', key);
  return R.int(total);
};

const setrange: Handler = (ctx, argv) => {
  const key = argv[1]!;
  const offset = parseInteger(argv[2]!);
  if (offset < 0) throw Err.msg('ERR', 'offset is out of range');
  const val = argv[3]!;
  const db = ctx.db;
  const v = db.lookupWrite(key);
  let raw: RawString;
  if (v === undefined) {
    if (val.length === 0) return ZERO;
    if (offset + val.length > ctx.config.protoMaxBulkLen) throw tooLong();
    raw = RawString.zeroed(offset + val.length);
    raw.setRange(offset, val);
    db.add(key, raw);
  } else {
    if (!isStringValue(v)) throw Err.wrongType();
    if (val.length === 0) return R.int(stringLength(v));
    if (offset + val.length > ctx.config.protoMaxBulkLen) throw tooLong();
    if (v instanceof RawString) {
      raw = v;
    } else {
      raw = RawString.from(stringBytes(v));
      db.replace(key, raw);
    }
    raw.setRange(offset, val);
    ctx.signalModified(key);
  }
  ctx.notify('$', 'setrange', key);
  return R.int(raw.length);
};

const getrange: Handler = (ctx, argv) => {
  let start = parseInteger(argv[2]!);
  let end = parseInteger(argv[3]!);
  const v = ctx.db.lookupRead(argv[1]!);
  if (v === undefined) return EMPTY_BULK;
  if (!isStringValue(v)) throw Err.wrongType();
  if (start < 0 && end < 0 && start > end) return EMPTY_BULK;
  const len = stringLength(v);
  if (start < 0) start = len + start;
  if (end < 0) end = len + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= len) end = len - 1;
  if (start > end || len === 0) return EMPTY_BULK;
  if (v instanceof RawString) return R.bulk(v.slice(start, end + 1));
  const s = stringBytes(v);
  return R.bulk(start === 0 && end === len - 1 ? s : s.slice(start, end + 1));
};

// ---------------------------------------------------------------------------------------------
// Counters

/** The int64 a stored value holds for INCR & co.; throws WRONGTYPE or "not an integer". */
function counterOf(v: Value): Int64 {
  if (typeof v === 'number') return v;
  if (!isStringValue(v)) throw Err.wrongType();
  const n = stringToInt64(v);
  if (n === undefined) throw Err.notInt();
  return n;
}

/** incrDecrCommand: the exact int64 sum, or `increment or decrement would overflow`. */
function incrDecr(ctx: Ctx, key: Bytes, incr: Int64): Reply {
  const db = ctx.db;
  const v = db.lookupWrite(key);
  const cur = v === undefined ? 0 : counterOf(v);
  let next: Int64;
  if (typeof cur === 'number' && typeof incr === 'number') {
    next = cur + incr;
    // Both are safe integers, so the sum is exact whenever it is itself safe.
    if (next > Number.MAX_SAFE_INTEGER || next < -Number.MAX_SAFE_INTEGER) next = bigSum(cur, incr);
  } else {
    next = bigSum(cur, incr);
  }
  if (v === undefined) {
    db.add(key, next);
  } else {
    db.replace(key, next);
    ctx.signalModified(key);
  }
  ctx.notify('$', 'incrby', key);
  return R.int(next);
}

function bigSum(a: Int64, b: Int64): Int64 {
  const s = BigInt(a) + BigInt(b);
  if (s > LLONG_MAX || s < LLONG_MIN) throw Err.overflow();
  return normInt64(s);
}

const incr: Handler = (ctx, argv) => incrDecr(ctx, argv[1]!, 1);
const decr: Handler = (ctx, argv) => incrDecr(ctx, argv[1]!, -1);
const incrby: Handler = (ctx, argv) => incrDecr(ctx, argv[1]!, parseLongLong(argv[2]!));

const decrby: Handler = (ctx, argv) => {
  const by = parseLongLong(argv[2]!);
  // -LLONG_MIN does not exist.
  if (by === LLONG_MIN) throw Err.msg('ERR', 'decrement would overflow');
  return incrDecr(ctx, argv[1]!, typeof by === 'number' ? 0 - by : normInt64(-by));
};

const incrbyfloat: Handler = (ctx, argv) => {
  const key = argv[1]!;
  const db = ctx.db;
  const v = db.lookupWrite(key);
  let cur: LongDouble | undefined;
  if (v === undefined) cur = LD_ZERO;
  else if (typeof v === 'number' || typeof v === 'bigint') cur = ldFromInt(v);
  else if (typeof v === 'string') cur = string2ld(v);
  else if (v instanceof RawString) cur = string2ld(v.toBytes());
  else throw Err.wrongType();
  if (cur === undefined) throw Err.notFloat();
  const sum = ldAdd(cur, parseLongDouble(argv[2]!));
  if (!ldIsFinite(sum)) throw Err.msg('ERR', 'increment would produce NaN or Infinity');
  // Stored as the printed Bytes (createStringObjectFromLongDouble): embstr or raw, never int.
  const out = ld2string(sum);
  if (v === undefined) {
    db.add(key, out);
  } else {
    db.replace(key, out);
    ctx.signalModified(key);
  }
  ctx.notify('$', 'incrbyfloat', key);
  return R.bulk(out);
};

// ---------------------------------------------------------------------------------------------
// LCS

const lcs: Handler = (ctx, argv) => {
  const db = ctx.db;
  const a = db.lookupRead(argv[1]!);
  const b = db.lookupRead(argv[2]!);
  if ((a !== undefined && !isStringValue(a)) || (b !== undefined && !isStringValue(b))) {
    throw Err.msg('ERR', 'The specified keys must contain string values');
  }
  let len = false;
  let idx = false;
  let withMatchLen = false;
  let minMatchLen = 0;
  for (let j = 3; j < argv.length; j++) {
    const raw = argv[j]!;
    const nul = raw.indexOf('\0');
    const opt = (nul < 0 ? raw : raw.slice(0, nul)).toLowerCase();
    if (opt === 'idx') idx = true;
    else if (opt === 'len') len = true;
    else if (opt === 'withmatchlen') withMatchLen = true;
    else if (opt === 'minmatchlen' && j < argv.length - 1) {
      const n = parseInteger(argv[++j]!);
      minMatchLen = n < 0 ? 0 : n;
    } else throw Err.syntax();
  }
  if (idx && len) throw Err.msg('ERR', 'If you want both the length and indexes, please just use IDX.');
  const sa = a === undefined ? '' : stringBytes(a as StringValue);
  const sb = b === undefined ? '' : stringBytes(b as StringValue);
  return lcsReply(sa, sb, { len, idx, withMatchLen, minMatchLen }, ctx.config.protoMaxBulkLen);
};

export const STRING_HANDLERS: HandlerTable = {
  GET: get,
  SET: set,
  SETNX: setnx,
  SETEX: setex,
  PSETEX: psetex,
  GETSET: getset,
  GETDEL: getdel,
  GETEX: getex,
  MGET: mget,
  MSET: mset,
  MSETNX: msetnx,
  APPEND: append,
  STRLEN: strlen,
  GETRANGE: getrange,
  SUBSTR: getrange,
  SETRANGE: setrange,
  INCR: incr,
  DECR: decr,
  INCRBY: incrby,
  DECRBY: decrby,
  INCRBYFLOAT: incrbyfloat,
  LCS: lcs,
};
