/**
 * The contract of one logical database (SELECT 0..15), implemented by keyspace/db.ts.
 *
 * Lookups expire lazily: a key whose time has passed is deleted on the spot (and the `expired`
 * keyspace event fired) before the lookup answers "missing". `add`, `set` and `delete` signal the
 * key as modified themselves (WATCH); a handler that changes a value in place (LPUSH onto an
 * existing list, APPEND on a RawString) calls `ctx.signalModified(key)` itself, as Redis's
 * commands call signalModifiedKey().
 */
import type { Bytes } from '@swarmkv/resp';
import type { Value } from './value.js';

/** Flags of `lookupRead`, Redis's LOOKUP_*: */
export const LOOKUP_NONE = 0;
/** Do not update the access time (EXISTS, TYPE, TTL, OBJECT ...). */
export const LOOKUP_NOTOUCH = 1 << 0;
/** No `keymiss` event on a miss. */
export const LOOKUP_NONOTIFY = 1 << 1;
/** Do not count the lookup in keyspace_hits / keyspace_misses. */
export const LOOKUP_NOSTATS = 1 << 2;

/** Counters a database keeps (shared by all databases made by keyspace/db.ts createDatabases). */
export interface KeyspaceStats {
  /** Changes since the last save (INFO rdb_changes_since_last_save). */
  dirty: number;
  keyspaceHits: number;
  keyspaceMisses: number;
  /** Keys removed because their TTL passed (lazy and active expiry). */
  expiredKeys: number;
  /** Estimated share (0..1) of keys with a TTL that are logically expired (INFO expired_stale_perc). */
  expiredStalePerc: number;
  /** Active expire cycles that stopped on their time limit (INFO expired_time_cap_reached_count). */
  expiredTimeCapReachedCount: number;
  /** Microseconds spent in active expire cycles (INFO expire_cycle_cpu_milliseconds * 1000). */
  expireCycleCpuMicros: number;
}

export interface Database {
  readonly id: number;
  /** Number of keys (DBSIZE), expired-but-not-yet-deleted keys included, as Redis. */
  size(): number;
  /** Number of keys with a TTL (INFO keyspace `expires=`). */
  expiresCount(): number;
  /**
   * Read a key: lazily expires, updates the access time (unless LOOKUP_NOTOUCH), counts a hit or a
   * miss, fires `keymiss` on a miss (unless LOOKUP_NONOTIFY). undefined when missing.
   */
  lookupRead(key: Bytes, flags?: number): Value | undefined;
  /** Read a key with the intent to write it: lazily expires, no LRU side effects on misses. */
  lookupWrite(key: Bytes): Value | undefined;
  /** Lookup without touching the access time or expiring (OBJECT, TYPE-less internals). */
  peek(key: Bytes): Value | undefined;
  /** Add a key that does not exist. */
  add(key: Bytes, value: Value): void;
  /** Create or overwrite (Redis setKey): drops the TTL unless keepTtl. */
  set(key: Bytes, value: Value, keepTtl?: boolean): void;
  /** Replace the value of an existing key keeping its TTL (encoding conversion, in-place string change). */
  replace(key: Bytes, value: Value): void;
  /** Delete; true when the key existed. */
  delete(key: Bytes): boolean;
  /** Expire time in ms since the epoch, or undefined when the key has none. */
  getExpire(key: Bytes): number | undefined;
  /**
   * Set the expire time (ms since the epoch) of an existing key. Pass a bigint beyond 2^53 to
   * keep it exact (PEXPIREAT k 9223372036854770000 then PEXPIRETIME answers it unchanged).
   */
  setExpire(key: Bytes, whenMs: number | bigint): void;
  /** Remove the TTL; true when there was one. */
  persist(key: Bytes): boolean;
  /** Seconds since the key was last accessed (OBJECT IDLETIME). */
  idleSeconds(key: Bytes): number | undefined;
  /** A random key that is not expired, or undefined in an empty db. */
  randomKey(): Bytes | undefined;
  /** One SCAN step over the keys from `cursor`: visits keys, returns the next cursor (0 = done). */
  scan(cursor: number, visit: (key: Bytes, value: Value) => void): number;
  /** Every key (KEYS, FLUSH, SWAPDB helpers); safe against deletion while iterating. */
  keys(): IterableIterator<Bytes>;
  /** Remove every key. */
  clear(): void;

  // Extensions implemented by keyspace/db.ts (optional so that stand-ins need not have them).

  /** Expire the key now if its time has passed (Redis expireIfNeeded); true when it was expired. */
  expireIfNeeded?(key: Bytes): boolean;
  /** Whether the key's time has passed, without deleting it (Redis keyIsExpired: KEYS). */
  isExpired?(key: Bytes): boolean;
  /** getExpire, exact beyond 2^53 (a bigint there). */
  getExpireExact?(key: Bytes): number | bigint | undefined;
  /** Exchange every key and TTL with `other` (SWAPDB); ids stay. */
  swapWith?(other: Database): void;
  /** Counters (dirty, hits/misses, expiry stats). */
  readonly stats?: KeyspaceStats;
  /** Average TTL in ms of the keys with one, estimated by active expiry (INFO keyspace avg_ttl). */
  avgTtl?(): number;
  /** Incremental rehashing for about `us` microseconds (serverCron); returns buckets moved. */
  rehashMicroseconds?(us: number): number;
}
