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

export interface Database {
  readonly id: number;
  /** Number of keys (DBSIZE), expired-but-not-yet-deleted keys included, as Redis. */
  size(): number;
  /** Number of keys with a TTL (INFO keyspace `expires=`). */
  expiresCount(): number;
  /** Read a key: lazily expires, updates the access time. undefined when missing. */
  lookupRead(key: Bytes): Value | undefined;
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
  /** Set the expire time (ms since the epoch) of an existing key. */
  setExpire(key: Bytes, whenMs: number): void;
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
}
