/**
 * Hash commands (HSET ... HSCAN) with Redis 7.0.15's replies, errors and argument-checking order.
 * Side effects as Redis: `hset` (HSET, HSETNX, HMSET), `hdel` then `del` when the last field
 * goes, `hincrby`, `hincrbyfloat`; WATCH signals for every change. Encoding changes are the
 * Hash object's business (types/hash/hash.ts); the thresholds are read from the live config.
 */
import type { Bytes, Reply } from '@swarmkv/resp';
import { Err, R } from '@swarmkv/resp';
import type { Ctx, HandlerTable } from './context.js';
import { Hash } from '../types/hash/hash.js';
import { string2ll, string2ld, ldAdd, ld2string, ldFromInt, ldIsFinite, type LongDouble } from '../util/numbers.js';
import { stringMatch } from '../keyspace/glob.js';
import { parseScanCursor } from './keyspace.js';

const LLONG_MAX = 9223372036854775807n;
const LLONG_MIN = -9223372036854775808n;
/** -LONG_MAX .. LONG_MAX, and the WITHVALUES limit LONG_MAX / 2, for HRANDFIELD. */
const LONG_MAX_N = 9223372036854775807n;
const HALF_LONG_MAX_N = LONG_MAX_N / 2n;

function readHash(ctx: Ctx, key: Bytes): Hash | undefined {
  const v = ctx.db.lookupRead(key);
  if (v === undefined) return undefined;
  if (!(v instanceof Hash)) throw Err.wrongType();
  return v;
}

/** hashTypeLookupWriteOrCreate: the hash at key, created (empty, listpack) when missing. */
function writeHashOrCreate(ctx: Ctx, key: Bytes): Hash {
  const v = ctx.db.lookupWrite(key);
  if (v === undefined) {
    const h = new Hash();
    ctx.db.add(key, h);
    return h;
  }
  if (!(v instanceof Hash)) throw Err.wrongType();
  return v;
}

function writeHash(ctx: Ctx, key: Bytes): Hash | undefined {
  const v = ctx.db.lookupWrite(key);
  if (v === undefined) return undefined;
  if (!(v instanceof Hash)) throw Err.wrongType();
  return v;
}

// ---------------------------------------------------------------------------------------------
// Writes

function hset(ctx: Ctx, argv: Bytes[]): Reply {
  if (argv.length % 2 === 1) throw Err.wrongArity(argv[0]!);
  const key = argv[1]!;
  const h = writeHashOrCreate(ctx, key);
  const cfg = ctx.config;
  h.tryConversion(argv, 2, argv.length - 1, cfg.hashMaxListpackValue);
  let created = 0;
  for (let i = 2; i < argv.length; i += 2) {
    if (h.set(argv[i]!, argv[i + 1]!, cfg.hashMaxListpackEntries, cfg.hashMaxListpackValue)) created++;
  }
  ctx.signalModified(key);
  ctx.notify('h', 'hset', key);
  // HSET replies the number of new fields, HMSET OK (Redis tells them apart by argv[0][1]).
  const second = argv[0]!.charCodeAt(1) | 0x20;
  return second === 0x73 /* s */ ? R.int(created) : R.ok;
}

function hsetnx(ctx: Ctx, argv: Bytes[]): Reply {
  const key = argv[1]!;
  const h = writeHashOrCreate(ctx, key);
  if (h.exists(argv[2]!)) return R.int(0);
  const cfg = ctx.config;
  h.tryConversion(argv, 2, 3, cfg.hashMaxListpackValue);
  h.set(argv[2]!, argv[3]!, cfg.hashMaxListpackEntries, cfg.hashMaxListpackValue);
  ctx.signalModified(key);
  ctx.notify('h', 'hset', key);
  return R.int(1);
}

function hdel(ctx: Ctx, argv: Bytes[]): Reply {
  const key = argv[1]!;
  const h = writeHash(ctx, key);
  if (h === undefined) return R.int(0);
  let deleted = 0;
  let keyRemoved = false;
  for (let i = 2; i < argv.length; i++) {
    if (h.delete(argv[i]!)) {
      deleted++;
      if (h.length === 0) {
        ctx.db.delete(key);
        keyRemoved = true;
        break;
      }
    }
  }
  if (deleted > 0) {
    ctx.signalModified(key);
    ctx.notify('h', 'hdel', key);
    if (keyRemoved) ctx.notify('g', 'del', key);
  }
  return R.int(deleted);
}

function hincrby(ctx: Ctx, argv: Bytes[]): Reply {
  const incrV = string2ll(argv[3]!);
  if (incrV === undefined) throw Err.notInt();
  const key = argv[1]!;
  const field = argv[2]!;
  const h = writeHashOrCreate(ctx, key);
  const cur = h.get(field);
  let value: number | bigint = 0;
  if (cur !== undefined) {
    const v = string2ll(cur);
    if (v === undefined) throw Err.msg('ERR', 'hash value is not an integer');
    value = v;
  }
  let next: number | bigint;
  const sum = typeof value === 'number' && typeof incrV === 'number' ? value + incrV : undefined;
  if (sum !== undefined && Number.isSafeInteger(sum)) {
    next = sum;
  } else {
    const b = BigInt(value) + BigInt(incrV);
    if (b > LLONG_MAX || b < LLONG_MIN) throw Err.overflow();
    next = b;
  }
  const s = String(next);
  const cfg = ctx.config;
  h.set(field, s, cfg.hashMaxListpackEntries, cfg.hashMaxListpackValue);
  ctx.signalModified(key);
  ctx.notify('h', 'hincrby', key);
  return R.int(next);
}

function hincrbyfloat(ctx: Ctx, argv: Bytes[]): Reply {
  const incr = string2ld(argv[3]!);
  if (incr === undefined) throw Err.notFloat();
  if (!ldIsFinite(incr)) throw Err.msg('ERR', 'value is NaN or Infinity');
  const key = argv[1]!;
  const field = argv[2]!;
  const h = writeHashOrCreate(ctx, key);
  const cur = h.get(field);
  let value: LongDouble = ldFromInt(0);
  if (cur !== undefined) {
    // Integers stored in the listpack come back as their decimal text, which parses exactly.
    const v = string2ld(cur);
    if (v === undefined) throw Err.msg('ERR', 'hash value is not a float');
    value = v;
  }
  const sum = ldAdd(value, incr);
  if (!ldIsFinite(sum)) throw Err.msg('ERR', 'increment would produce NaN or Infinity');
  const s = ld2string(sum);
  const cfg = ctx.config;
  h.set(field, s, cfg.hashMaxListpackEntries, cfg.hashMaxListpackValue);
  ctx.signalModified(key);
  ctx.notify('h', 'hincrbyfloat', key);
  return R.bulk(s);
}

// ---------------------------------------------------------------------------------------------
// Reads

function hget(ctx: Ctx, argv: Bytes[]): Reply {
  const h = readHash(ctx, argv[1]!);
  return h === undefined ? R.nil : R.bulkOrNil(h.get(argv[2]!));
}

function hmget(ctx: Ctx, argv: Bytes[]): Reply {
  const h = readHash(ctx, argv[1]!);
  const out: Reply[] = [];
  for (let i = 2; i < argv.length; i++) out.push(h === undefined ? R.nil : R.bulkOrNil(h.get(argv[i]!)));
  return R.arr(out);
}

function hlen(ctx: Ctx, argv: Bytes[]): Reply {
  const h = readHash(ctx, argv[1]!);
  return R.int(h === undefined ? 0 : h.length);
}

function hstrlen(ctx: Ctx, argv: Bytes[]): Reply {
  const h = readHash(ctx, argv[1]!);
  return R.int(h === undefined ? 0 : h.strlen(argv[2]!));
}

function hexists(ctx: Ctx, argv: Bytes[]): Reply {
  const h = readHash(ctx, argv[1]!);
  return R.int(h !== undefined && h.exists(argv[2]!) ? 1 : 0);
}

function hgetall(ctx: Ctx, argv: Bytes[]): Reply {
  const h = readHash(ctx, argv[1]!);
  if (h === undefined) return R.map([]);
  return R.map(h.pairs().map((b) => R.bulk(b)));
}

function hkeysOrVals(ctx: Ctx, argv: Bytes[], offset: 0 | 1): Reply {
  const h = readHash(ctx, argv[1]!);
  if (h === undefined) return R.emptyArray;
  const pairs = h.pairs();
  const out: Reply[] = [];
  for (let i = offset; i < pairs.length; i += 2) out.push(R.bulk(pairs[i]!));
  return R.arr(out);
}

/** Flat [f, v, ...] as HRANDFIELD replies it: RESP3 nests pairs, RESP2 stays flat. */
function pairsReply(ctx: Ctx, flat: Bytes[], withValues: boolean): Reply {
  const out: Reply[] = [];
  if (!withValues) {
    for (let i = 0; i < flat.length; i += 2) out.push(R.bulk(flat[i]!));
  } else if (ctx.client.protocol === 3) {
    for (let i = 0; i < flat.length; i += 2) out.push(R.arr([R.bulk(flat[i]!), R.bulk(flat[i + 1]!)]));
  } else {
    for (const b of flat) out.push(R.bulk(b));
  }
  return R.arr(out);
}

function hrandfield(ctx: Ctx, argv: Bytes[]): Reply {
  if (argv.length >= 3) {
    const v = string2ll(argv[2]!);
    if (v === undefined) throw Err.notInt();
    const big = BigInt(v);
    if (big < -LONG_MAX_N || big > LONG_MAX_N)
      throw Err.msg('ERR', 'value is out of range, value must between -9223372036854775807 and 9223372036854775807');
    let withValues = false;
    if (argv.length > 4 || (argv.length === 4 && argv[3]!.toUpperCase() !== 'WITHVALUES')) throw Err.syntax();
    if (argv.length === 4) {
      withValues = true;
      if (big < -HALF_LONG_MAX_N || big > HALF_LONG_MAX_N) throw Err.msg('ERR', 'value is out of range');
    }
    return hrandfieldWithCount(ctx, argv[1]!, Number(v), withValues);
  }
  const h = readHash(ctx, argv[1]!);
  if (h === undefined) return R.nil;
  return R.bulk(h.randomPair()[0]);
}

function hrandfieldWithCount(ctx: Ctx, key: Bytes, l: number, withValues: boolean): Reply {
  const h = readHash(ctx, key);
  if (h === undefined) return R.emptyArray;
  const size = h.length;
  const unique = l >= 0;
  const count = Math.abs(l);
  if (count === 0) return R.emptyArray;
  // Case 1: repetitions allowed (or a single field): sample count times.
  if (!unique || count === 1) return pairsReply(ctx, h.randomPairsWithRepeats(count), withValues);
  // Case 2: at least the whole hash: all of it, in its order.
  if (count >= size) return pairsReply(ctx, h.pairs(), withValues);
  // Cases 3 and 4: a random subset.
  return pairsReply(ctx, h.randomPairsUnique(count), withValues);
}

function hscan(ctx: Ctx, argv: Bytes[]): Reply {
  const cursor = parseScanCursor(argv[2]!);
  const h = readHash(ctx, argv[1]!);
  if (h === undefined) return R.arr([R.bulk('0'), R.emptyArray]);
  let count = 10;
  let pattern: Bytes | undefined;
  for (let i = 3; i < argv.length; ) {
    const opt = argv[i]!.toUpperCase();
    const left = argv.length - i;
    if (opt === 'COUNT' && left >= 2) {
      const v = string2ll(argv[i + 1]!);
      if (v === undefined) throw Err.notInt();
      if (v < 1) throw Err.syntax();
      count = Number(v);
      i += 2;
    } else if (opt === 'MATCH' && left >= 2) {
      const p = argv[i + 1]!;
      pattern = p === '*' ? undefined : p;
      i += 2;
    } else {
      throw Err.syntax();
    }
  }
  const [next, pairs] = h.scan(cursor, count);
  const out: Reply[] = [];
  for (let i = 0; i < pairs.length; i += 2) {
    if (pattern !== undefined && !stringMatch(pattern, pairs[i]!)) continue;
    out.push(R.bulk(pairs[i]!), R.bulk(pairs[i + 1]!));
  }
  return R.arr([R.bulk(String(next)), R.arr(out)]);
}

export const HASH_HANDLERS: HandlerTable = {
  HSET: hset,
  HMSET: hset,
  HSETNX: hsetnx,
  HDEL: hdel,
  HINCRBY: hincrby,
  HINCRBYFLOAT: hincrbyfloat,
  HGET: hget,
  HMGET: hmget,
  HLEN: hlen,
  HSTRLEN: hstrlen,
  HEXISTS: hexists,
  HGETALL: hgetall,
  HKEYS: (ctx, argv) => hkeysOrVals(ctx, argv, 0),
  HVALS: (ctx, argv) => hkeysOrVals(ctx, argv, 1),
  HRANDFIELD: hrandfield,
  HSCAN: hscan,
};
