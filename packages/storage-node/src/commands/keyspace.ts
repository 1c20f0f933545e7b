/**
 * Generic keyspace commands (Redis's db.c and expire.c): DEL UNLINK EXISTS TYPE RENAME RENAMENX
 * KEYS SCAN RANDOMKEY DBSIZE FLUSHDB FLUSHALL MOVE SWAPDB COPY TOUCH OBJECT, the EXPIRE family,
 * TTL PTTL EXPIRETIME PEXPIRETIME and PERSIST.
 *
 * Replies, errors, keyspace events and WATCH signals follow Redis 7.0.15 call for call:
 *  - Database.add/set/delete signal WATCH themselves; the handlers signal what the database cannot
 *    know (EXPIRE, PERSIST) and fire the keyspace events where Redis does (`del` per deleted key,
 *    `rename_from` then `rename_to`, `move_from`/`move_to` in their databases, `copy_to`, `expire`,
 *    `persist`; `new` comes from the database's add).
 *  - A key created by RENAME/MOVE/COPY may wake clients blocked on it (Redis's dbAdd signals the
 *    key as ready), which only lists and sorted sets can satisfy.
 *  - Lookups use Redis's flags: EXISTS/TYPE/TTL/OBJECT do not touch the access time, OBJECT
 *    fires no keymiss, DEL expires first so that an expired key counts as not deleted.
 *  - Expire times are kept exact as int64 (a bigint past 2^53), as Redis's long long.
 * Nothing is freed lazily in the background: dropping a JS reference is already O(1), so ASYNC
 * flushes and UNLINK behave like their synchronous forms.
 */
import { Err, R, type Bytes, type Reply } from '@swarmkv/resp';
import type { Ctx, Handler, HandlerTable } from './context.js';
import { LOOKUP_NONOTIFY, LOOKUP_NOTOUCH, type Database } from '../keyspace/db-api.js';
import { cloneValue, encodingOf, typeOf, type Value } from '../keyspace/value.js';
import { stringMatch } from '../keyspace/glob.js';
import { string2ll, type Int64 } from '../util/numbers.js';

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;
const LLONG_MAX = 9223372036854775807n;
const LLONG_MIN = -9223372036854775808n;
const ULONG_MAX = 18446744073709551615n;
/** Redis OBJ_SHARED_INTEGERS: small ints live in shared objects, reported with refcount INT_MAX. */
const OBJ_SHARED_INTEGERS = 10000;
const OBJ_SHARED_REFCOUNT = INT_MAX;
/** Redis SCAN default COUNT. */
const SCAN_DEFAULT_COUNT = 10;

/** Server-side signals the node's ctx offers for whole-database changes (server/ctx.ts). */
interface DbSignals {
  signalFlushDb?(db: Database): void;
  signalSwapDb?(a: Database, b: Database): void;
}

const sameObjectErr = () => Err.msg('ERR', 'source and destination objects are the same');
const dbRangeErr = () => Err.msg('ERR', 'DB index is out of range');

/** getIntFromObjectOrReply: an int argument, with an optional message for every failure. */
function argInt(b: Bytes, msg?: string): number {
  const v = string2ll(b);
  if (v === undefined) throw msg === undefined ? Err.notInt() : Err.msg('ERR', msg);
  if (typeof v !== 'number' || v < INT_MIN || v > INT_MAX) {
    throw Err.msg('ERR', msg ?? `value is out of range, value must between ${INT_MIN} and ${INT_MAX}`);
  }
  return v;
}

function dbAt(ctx: Ctx, id: number): Database {
  const db = id >= 0 ? ctx.dbs[id] : undefined;
  if (db === undefined) throw dbRangeErr();
  return db;
}

function lower(b: Bytes): string {
  return b.toLowerCase();
}

function expireIfNeeded(db: Database, key: Bytes): void {
  if (db.expireIfNeeded !== undefined) db.expireIfNeeded(key);
  else db.lookupWrite(key);
}

function expireOf(db: Database, key: Bytes): Int64 | undefined {
  return db.getExpireExact !== undefined ? db.getExpireExact(key) : db.getExpire(key);
}

function isExpired(ctx: Ctx, db: Database, key: Bytes): boolean {
  if (db.isExpired !== undefined) return db.isExpired(key);
  const when = db.getExpire(key);
  return when !== undefined && ctx.now > when;
}

function bumpDirty(db: Database): void {
  if (db.stats !== undefined) db.stats.dirty++;
}

/** Redis's dbAdd signals the new key as ready for clients blocked on lists and sorted sets. */
function signalReadyIfWaitable(ctx: Ctx, key: Bytes, value: Value, db: Database): void {
  const t = typeOf(value);
  if (t === 'list' || t === 'zset') ctx.signalReady(key, db);
}

// ---- DEL UNLINK EXISTS TYPE TOUCH ----------------------------------------------------------

const del: Handler = (ctx, argv) => {
  const db = ctx.db;
  let n = 0;
  for (let j = 1; j < argv.length; j++) {
    const key = argv[j]!;
    expireIfNeeded(db, key);
    if (db.delete(key)) {
      ctx.notify('g', 'del', key);
      n++;
    }
  }
  return R.int(n);
};

const exists: Handler = (ctx, argv) => {
  let n = 0;
  for (let j = 1; j < argv.length; j++) if (ctx.db.lookupRead(argv[j]!, LOOKUP_NOTOUCH) !== undefined) n++;
  return R.int(n);
};

const TYPE_REPLIES: Record<string, Reply> = {};
function typeReply(name: string): Reply {
  return (TYPE_REPLIES[name] ??= Object.freeze(R.simple(name)));
}

const type: Handler = (ctx, argv) => {
  const v = ctx.db.lookupRead(argv[1]!, LOOKUP_NOTOUCH);
  return typeReply(v === undefined ? 'none' : typeOf(v));
};

const touch: Handler = (ctx, argv) => {
  let n = 0;
  for (let j = 1; j < argv.length; j++) if (ctx.db.lookupRead(argv[j]!) !== undefined) n++;
  return R.int(n);
};

// ---- RENAME RENAMENX MOVE COPY SWAPDB ------------------------------------------------------

function renameGeneric(ctx: Ctx, argv: Bytes[], nx: boolean): Reply {
  const db = ctx.db;
  const src = argv[1]!;
  const dst = argv[2]!;
  const o = db.lookupWrite(src);
  if (o === undefined) throw Err.noSuchKey();
  if (src === dst) return nx ? R.int(0) : R.ok;
  const expire = expireOf(db, src);
  if (db.lookupWrite(dst) !== undefined) {
    if (nx) return R.int(0);
    // Overwrite: the old destination goes without a `del` event, as in Redis.
    db.delete(dst);
  }
  db.add(dst, o);
  if (expire !== undefined) db.setExpire(dst, expire);
  db.delete(src);
  signalReadyIfWaitable(ctx, dst, o, db);
  ctx.notify('g', 'rename_from', src);
  ctx.notify('g', 'rename_to', dst);
  return nx ? R.int(1) : R.ok;
}

const move: Handler = (ctx, argv) => {
  const key = argv[1]!;
  const src = ctx.db;
  const dst = dbAt(ctx, argInt(argv[2]!));
  if (src === dst) throw sameObjectErr();
  const o = src.lookupWrite(key);
  if (o === undefined) return R.int(0);
  const expire = expireOf(src, key);
  if (dst.lookupWrite(key) !== undefined) return R.int(0);
  dst.add(key, o);
  if (expire !== undefined) dst.setExpire(key, expire);
  src.delete(key);
  signalReadyIfWaitable(ctx, key, o, dst);
  ctx.notify('g', 'move_from', key, src);
  ctx.notify('g', 'move_to', key, dst);
  return R.int(1);
};

const copy: Handler = (ctx, argv) => {
  const src = ctx.db;
  let dst = src;
  let replace = false;
  for (let j = 3; j < argv.length; j++) {
    const opt = lower(argv[j]!);
    if (opt === 'replace') {
      replace = true;
    } else if (opt === 'db' && j + 1 < argv.length) {
      dst = dbAt(ctx, argInt(argv[++j]!));
    } else {
      throw Err.syntax();
    }
  }
  const key = argv[1]!;
  const newkey = argv[2]!;
  if (src === dst && key === newkey) throw sameObjectErr();
  const o = src.lookupRead(key);
  if (o === undefined) return R.int(0);
  const expire = expireOf(src, key);
  let overwrite = false;
  if (dst.lookupWrite(newkey) !== undefined) {
    if (!replace) return R.int(0);
    overwrite = true;
  }
  const dup = cloneValue(o);
  if (overwrite) dst.delete(newkey);
  dst.add(newkey, dup);
  if (expire !== undefined) dst.setExpire(newkey, expire);
  signalReadyIfWaitable(ctx, newkey, dup, dst);
  ctx.notify('g', 'copy_to', newkey, dst);
  return R.int(1);
};

const swapdb: Handler = (ctx, argv) => {
  const id1 = argInt(argv[1]!, 'invalid first DB index');
  const id2 = argInt(argv[2]!, 'invalid second DB index');
  const a = dbAt(ctx, id1);
  const b = dbAt(ctx, id2);
  if (a !== b) {
    if (a.swapWith === undefined) throw new Error('SWAPDB needs a Database with swapWith');
    (ctx as Ctx & DbSignals).signalSwapDb?.(a, b);
    a.swapWith(b);
  }
  bumpDirty(a);
  return R.ok;
};

// ---- FLUSHDB FLUSHALL DBSIZE RANDOMKEY KEYS ------------------------------------------------

/** getFlushCommandFlags: nothing, SYNC or ASYNC (all synchronous here: see the file header). */
function checkFlushArgs(argv: Bytes[]): void {
  if (argv.length === 1) return;
  if (argv.length === 2) {
    const opt = lower(argv[1]!);
    if (opt === 'sync' || opt === 'async') return;
  }
  throw Err.syntax();
}

function flush(ctx: Ctx, db: Database): void {
  (ctx as Ctx & DbSignals).signalFlushDb?.(db);
  db.clear();
}

const flushdb: Handler = (ctx, argv) => {
  checkFlushArgs(argv);
  flush(ctx, ctx.db);
  return R.ok;
};

const flushall: Handler = (ctx, argv) => {
  checkFlushArgs(argv);
  for (const db of ctx.dbs) flush(ctx, db);
  return R.ok;
};

const dbsize: Handler = (ctx) => R.int(ctx.db.size());

const randomkey: Handler = (ctx) => R.bulkOrNil(ctx.db.randomKey());

const keys: Handler = (ctx, argv) => {
  const db = ctx.db;
  const pattern = argv[1]!;
  const all = pattern === '*';
  const out: Reply[] = [];
  for (const key of db.keys()) {
    if ((all || stringMatch(pattern, key)) && !isExpired(ctx, db, key)) out.push(R.bulk(key));
  }
  return R.arr(out);
};

// ---- SCAN ----------------------------------------------------------------------------------

function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

/**
 * parseScanCursorOrReply: C strtoul in base 10 over the whole argument ("" is 0, a sign is
 * allowed and "-1" wraps to 2^64-1), no leading blank, no overflow. Only the low 32 bits can
 * matter to a table of at most 2^31 buckets, so that is what comes back.
 */
export function parseScanCursor(b: Bytes): number {
  const invalid = () => Err.msg('ERR', 'invalid cursor');
  if (b.length === 0) return 0;
  if (isSpace(b.charCodeAt(0))) throw invalid();
  let i = 0;
  const sign = b.charCodeAt(0);
  if (sign === 0x2b || sign === 0x2d) i = 1;
  if (i === b.length) throw invalid();
  for (let j = i; j < b.length; j++) {
    const c = b.charCodeAt(j);
    if (c < 0x30 || c > 0x39) throw invalid();
  }
  if (b.length - i <= 9 && sign !== 0x2d) return +b.slice(i);
  let v = BigInt(b.slice(i));
  if (v > ULONG_MAX) throw invalid();
  if (sign === 0x2d) v = (ULONG_MAX + 1n - v) & ULONG_MAX;
  return Number(v & 0xffffffffn);
}

const scan: Handler = (ctx, argv) => {
  const db = ctx.db;
  let cursor = parseScanCursor(argv[1]!);
  let count = SCAN_DEFAULT_COUNT;
  let pattern: Bytes | undefined;
  let typeName: string | undefined;
  for (let i = 2; i < argv.length; i += 2) {
    const opt = lower(argv[i]!);
    const hasValue = i + 1 < argv.length;
    if (opt === 'count' && hasValue) {
      const v = string2ll(argv[i + 1]!);
      if (v === undefined) throw Err.notInt();
      if (v < 1) throw Err.syntax();
      count = Number(v);
    } else if (opt === 'match' && hasValue) {
      const p = argv[i + 1]!;
      pattern = p === '*' ? undefined : p;
    } else if (opt === 'type' && hasValue) {
      typeName = lower(argv[i + 1]!);
    } else {
      throw Err.syntax();
    }
  }

  const found: Bytes[] = [];
  const collect = (key: Bytes) => {
    found.push(key);
  };
  // At most ten buckets per wanted key, so a sparse table cannot make one call run long.
  let maxIterations = count * 10;
  do {
    cursor = db.scan(cursor, collect);
  } while (cursor !== 0 && maxIterations-- > 0 && found.length < count);

  const out: Reply[] = [];
  for (const key of found) {
    if (pattern !== undefined && !stringMatch(pattern, key)) continue;
    if (typeName !== undefined) {
      const v = db.lookupRead(key, LOOKUP_NOTOUCH);
      if (typeName !== (v === undefined ? 'none' : typeOf(v))) continue;
    }
    if (db.expireIfNeeded !== undefined ? db.expireIfNeeded(key) : db.lookupWrite(key) === undefined) continue;
    out.push(R.bulk(key));
  }
  return R.arr([R.bulk(String(cursor)), R.arr(out)]);
};

// ---- OBJECT --------------------------------------------------------------------------------

const OBJECT_HELP = [
  'ENCODING <key>',
  '    Return the kind of internal representation used in order to store the value',
  '    associated with a <key>.',
  'FREQ <key>',
  '    Return the access frequency index of the <key>. The returned integer is',
  '    proportional to the logarithm of the recent access frequency of the key.',
  'IDLETIME <key>',
  '    Return the idle time of the <key>, that is the approximated number of',
  '    seconds elapsed since the last access to the key.',
  'REFCOUNT <key>',
  '    Return the number of references of the value associated with the specified',
  '    <key>.',
  'HELP',
  '    Prints this help.',
];

const LFU_NOT_SELECTED =
  'An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.';
const LFU_SELECTED =
  'An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.';

function lfuPolicy(ctx: Ctx): boolean {
  const policy = (ctx.config as { maxmemoryPolicy?: string }).maxmemoryPolicy;
  return typeof policy === 'string' && policy.endsWith('-lfu');
}

const object: Handler = (ctx, argv) => {
  const sub = lower(argv[1]!);
  if (sub === 'help' && argv.length === 2) {
    const header = `${argv[0]!.toUpperCase()} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`;
    return R.arr([header, ...OBJECT_HELP].map((l) => R.simple(l)));
  }
  const known = sub === 'encoding' || sub === 'refcount' || sub === 'idletime' || sub === 'freq' || sub === 'help';
  if (!known) {
    throw Err.msg('ERR', `unknown subcommand '${argv[1]!.slice(0, 128)}'. Try ${argv[0]!.toUpperCase()} HELP.`);
  }
  if (argv.length !== (sub === 'help' ? 2 : 3)) throw Err.wrongArity(`object|${sub}`);
  const key = argv[2]!;
  const v = ctx.db.lookupRead(key, LOOKUP_NOTOUCH | LOOKUP_NONOTIFY);
  if (v === undefined) return R.nil;
  switch (sub) {
    case 'encoding':
      return R.bulk(encodingOf(v));
    case 'refcount':
      return R.int(typeof v === 'number' && v >= 0 && v < OBJ_SHARED_INTEGERS ? OBJ_SHARED_REFCOUNT : 1);
    case 'idletime':
      if (lfuPolicy(ctx)) throw Err.msg('ERR', LFU_SELECTED);
      return R.int(ctx.db.idleSeconds(key) ?? 0);
    default:
      // FREQ: access frequencies are only kept under an LFU policy, which swarmkv does not run.
      throw Err.msg('ERR', LFU_NOT_SELECTED);
  }
};

// ---- EXPIRE PEXPIRE EXPIREAT PEXPIREAT -----------------------------------------------------

const EXPIRE_NX = 1;
const EXPIRE_XX = 2;
const EXPIRE_GT = 4;
const EXPIRE_LT = 8;

/** parseExtendedExpireArgumentsOrReply */
function expireFlags(argv: Bytes[]): number {
  let flags = 0;
  for (let j = 3; j < argv.length; j++) {
    const opt = lower(argv[j]!);
    if (opt === 'nx') flags |= EXPIRE_NX;
    else if (opt === 'xx') flags |= EXPIRE_XX;
    else if (opt === 'gt') flags |= EXPIRE_GT;
    else if (opt === 'lt') flags |= EXPIRE_LT;
    else throw Err.msg('ERR', `Unsupported option ${argv[j]!}`);
  }
  if (flags & EXPIRE_NX && flags & (EXPIRE_XX | EXPIRE_GT | EXPIRE_LT)) {
    throw Err.msg('ERR', 'NX and XX, GT or LT options at the same time are not compatible');
  }
  if (flags & EXPIRE_GT && flags & EXPIRE_LT) {
    throw Err.msg('ERR', 'GT and LT options at the same time are not compatible');
  }
  return flags;
}

/** Relative amounts up to this stay exact in doubles through the ms conversion and the addition. */
const SAFE_AMOUNT = 1e12;

/**
 * The absolute expire time in ms, exact as an int64, with Redis's overflow checks
 * (`-ERR invalid expire time in '<cmd>' command`).
 */
function expireWhen(argv: Bytes[], basetime: number, seconds: boolean): Int64 {
  const when = string2ll(argv[2]!);
  if (when === undefined) throw Err.notInt();
  if (typeof when === 'number' && Math.abs(when) <= SAFE_AMOUNT) return (seconds ? when * 1000 : when) + basetime;
  const invalid = () => Err.msg('ERR', `invalid expire time in '${lower(argv[0]!)}' command`);
  let w = BigInt(when);
  if (seconds) {
    if (w > LLONG_MAX / 1000n || w < LLONG_MIN / 1000n) throw invalid();
    w *= 1000n;
  }
  const base = BigInt(basetime);
  if (w > LLONG_MAX - base) throw invalid();
  w += base;
  return Number.isSafeInteger(Number(w)) ? Number(w) : w;
}

function expireGeneric(ctx: Ctx, argv: Bytes[], basetime: number, seconds: boolean): Reply {
  const flags = expireFlags(argv);
  const when = expireWhen(argv, basetime, seconds);
  const db = ctx.db;
  const key = argv[1]!;
  if (db.lookupWrite(key) === undefined) return R.int(0);
  if (flags !== 0) {
    const current = expireOf(db, key);
    if (flags & EXPIRE_NX && current !== undefined) return R.int(0);
    if (flags & EXPIRE_XX && current === undefined) return R.int(0);
    // No TTL counts as infinite: GT always fails on it, LT always passes.
    if (flags & EXPIRE_GT && (current === undefined || when <= current)) return R.int(0);
    if (flags & EXPIRE_LT && current !== undefined && when >= current) return R.int(0);
  }
  if (when <= ctx.now) {
    // Already in the past: the key is deleted (and the deletion is what gets notified).
    db.delete(key);
    ctx.notify('g', 'del', key);
    return R.int(1);
  }
  db.setExpire(key, when);
  ctx.signalModified(key);
  ctx.notify('g', 'expire', key);
  return R.int(1);
}

const expire: Handler = (ctx, argv) => expireGeneric(ctx, argv, ctx.now, true);
const pexpire: Handler = (ctx, argv) => expireGeneric(ctx, argv, ctx.now, false);
const expireat: Handler = (ctx, argv) => expireGeneric(ctx, argv, 0, true);
const pexpireat: Handler = (ctx, argv) => expireGeneric(ctx, argv, 0, false);

// ---- TTL PTTL EXPIRETIME PEXPIRETIME PERSIST -----------------------------------------------

function ttlGeneric(ctx: Ctx, key: Bytes, ms: boolean, absolute: boolean): Reply {
  const db = ctx.db;
  if (db.lookupRead(key, LOOKUP_NOTOUCH) === undefined) return R.int(-2);
  const when = expireOf(db, key);
  if (when === undefined) return R.int(-1);
  if (typeof when === 'bigint') {
    let ttl = absolute ? when : when - BigInt(ctx.now);
    if (ttl < 0n) ttl = 0n;
    return R.int(ms ? ttl : (ttl + 500n) / 1000n);
  }
  let ttl = absolute ? when : when - ctx.now;
  if (ttl < 0) ttl = 0;
  return R.int(ms ? ttl : Math.floor((ttl + 500) / 1000));
}

const ttl: Handler = (ctx, argv) => ttlGeneric(ctx, argv[1]!, false, false);
const pttl: Handler = (ctx, argv) => ttlGeneric(ctx, argv[1]!, true, false);
const expiretime: Handler = (ctx, argv) => ttlGeneric(ctx, argv[1]!, false, true);
const pexpiretime: Handler = (ctx, argv) => ttlGeneric(ctx, argv[1]!, true, true);

const persist: Handler = (ctx, argv) => {
  const db = ctx.db;
  const key = argv[1]!;
  if (db.lookupWrite(key) === undefined || !db.persist(key)) return R.int(0);
  ctx.signalModified(key);
  ctx.notify('g', 'persist', key);
  return R.int(1);
};

export const KEYSPACE_HANDLERS: HandlerTable = {
  DEL: del,
  UNLINK: del,
  EXISTS: exists,
  TYPE: type,
  TOUCH: touch,
  RENAME: (ctx, argv) => renameGeneric(ctx, argv, false),
  RENAMENX: (ctx, argv) => renameGeneric(ctx, argv, true),
  MOVE: move,
  COPY: copy,
  SWAPDB: swapdb,
  FLUSHDB: flushdb,
  FLUSHALL: flushall,
  DBSIZE: dbsize,
  RANDOMKEY: randomkey,
  KEYS: keys,
  SCAN: scan,
  OBJECT: object,
  EXPIRE: expire,
  PEXPIRE: pexpire,
  EXPIREAT: expireat,
  PEXPIREAT: pexpireat,
  TTL: ttl,
  PTTL: pttl,
  EXPIRETIME: expiretime,
  PEXPIRETIME: pexpiretime,
  PERSIST: persist,
};
