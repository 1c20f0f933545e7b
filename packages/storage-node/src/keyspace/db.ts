/**
 * One logical database (SELECT n): the `Database` contract of db-api.ts over two dicts, as Redis
 * keeps them: `main` (key -> value) and `expires` (key -> expire time in ms).
 *
 * Per key the main dict also keeps a 32-bit meta word: the LRU clock of the last access (Redis's
 * 24-bit `lru` field in seconds, for OBJECT IDLETIME) and a VOLATILE bit telling that the key is
 * in `expires`. Reads of keys without a TTL (most of them) therefore never touch `expires`.
 * The expires dict stores the time in its float64 column and shares the main dict's key string,
 * so a TTL costs ~32 bytes per key and no extra string.
 *
 * Times beyond 2^53 ms (PEXPIREAT k 9223372036854770000) are legal in Redis; the float column
 * holds them rounded (right for every comparison with the clock) and `big` keeps the exact value
 * for PEXPIRETIME / PTTL.
 *
 * Lazy expiry compares against `hooks.now()` (Redis's command time snapshot), default Date.now.
 * Active expiry (expire.ts) samples the rows of `expires`, which are dense (see dict.ts): no empty
 * buckets to skip, and reading a time is one typed-array load.
 *
 * The server plugs in through KeyspaceHooks (WATCH, keyspace events, stats); its DbHooks is
 * exactly that shape.
 */
import type { Bytes } from '@swarmkv/resp';
import {
  LOOKUP_NONOTIFY,
  LOOKUP_NOSTATS,
  LOOKUP_NOTOUCH,
  type Database,
  type KeyspaceStats,
} from './db-api.js';
import { Dict } from './dict.js';
import type { Value } from './value.js';

/** Redis: LRU_CLOCK_MAX (24-bit clock) and LRU_CLOCK_RESOLUTION (ms per tick). */
export const LRU_CLOCK_MAX = (1 << 24) - 1;
export const LRU_CLOCK_RESOLUTION = 1000;
/** Meta bit: the key has an entry in `expires`. Bits 0..23 hold the LRU clock. */
const VOLATILE = 1 << 24;
const LRU_MASK = LRU_CLOCK_MAX;

export interface KeyspaceHooks {
  /** signalModifiedKey (WATCH): a key was added, overwritten or deleted by add/set/delete. */
  modified(dbId: number, key: Bytes): void;
  /**
   * A key was deleted because its TTL passed, lazily or by active expiry (Redis
   * deleteExpiredKeyAndPropagate): fire 'x' 'expired', touch WATCH, count expired_keys.
   */
  expired(dbId: number, key: Bytes): void;
  /** dbAdd created a key: fire 'n' 'new'. */
  added?(dbId: number, key: Bytes): void;
  /** A read lookup missed: fire 'm' 'keymiss'. */
  keyMiss?(dbId: number, key: Bytes): void;
  /** The command clock in ms since the epoch; default Date.now. */
  now?(): number;
}

const NO_HOOKS: KeyspaceHooks = { modified() {}, expired() {} };

export function newKeyspaceStats(): KeyspaceStats {
  return {
    dirty: 0,
    keyspaceHits: 0,
    keyspaceMisses: 0,
    expiredKeys: 0,
    expiredStalePerc: 0,
    expiredTimeCapReachedCount: 0,
    expireCycleCpuMicros: 0,
  };
}

/** Redis LRU_CLOCK(): seconds, 24 bits. */
export function lruClock(nowMs: number): number {
  return Math.floor(nowMs / LRU_CLOCK_RESOLUTION) & LRU_CLOCK_MAX;
}

function isSafe(ms: bigint): boolean {
  return ms <= BigInt(Number.MAX_SAFE_INTEGER) && ms >= BigInt(Number.MIN_SAFE_INTEGER);
}

export class Db implements Database {
  /** key -> value, meta = LRU clock | VOLATILE. Internal to the keyspace (expire.ts). */
  main = new Dict<Value>({ meta: true, offHeap: true });
  /** key -> expire time (num column). Internal to the keyspace (expire.ts). */
  expires = new Dict<undefined>({ values: false, numeric: true, offHeap: true });
  /** Exact expire times beyond 2^53 (rare). */
  private big: Map<Bytes, bigint> | null = null;
  /** Next row of `expires` active expiry samples (Redis db->expires_cursor). */
  expireCursor = 0;
  /** Running average TTL of sampled keys (Redis db->avg_ttl). */
  avgTtlMs = 0;
  readonly stats: KeyspaceStats;
  private readonly clock: () => number;

  constructor(
    readonly id: number,
    private readonly hooks: KeyspaceHooks = NO_HOOKS,
    stats: KeyspaceStats = newKeyspaceStats(),
  ) {
    this.stats = stats;
    this.clock = hooks.now ? () => hooks.now!() : Date.now;
  }

  now(): number {
    return this.clock();
  }

  size(): number {
    return this.main.size;
  }

  expiresCount(): number {
    return this.expires.size;
  }

  avgTtl(): number {
    return this.avgTtlMs;
  }

  // ---- lookups -------------------------------------------------------------------------------

  lookupRead(key: Bytes, flags = 0): Value | undefined {
    const main = this.main;
    const row = main.findIndex(key);
    if (row !== -1) {
      const meta = main.metaAt(row);
      if ((meta & VOLATILE) === 0 || !this.expireVolatile(key)) {
        if ((flags & LOOKUP_NOTOUCH) === 0) main.setMetaAt(row, (meta & VOLATILE) | lruClock(this.clock()));
        if ((flags & LOOKUP_NOSTATS) === 0) this.stats.keyspaceHits++;
        return main.valueAt(row);
      }
    }
    if ((flags & LOOKUP_NONOTIFY) === 0 && this.hooks.keyMiss !== undefined) this.hooks.keyMiss(this.id, key);
    if ((flags & LOOKUP_NOSTATS) === 0) this.stats.keyspaceMisses++;
    return undefined;
  }

  lookupWrite(key: Bytes): Value | undefined {
    const main = this.main;
    const row = main.findIndex(key);
    if (row === -1) return undefined;
    const meta = main.metaAt(row);
    if ((meta & VOLATILE) !== 0 && this.expireVolatile(key)) return undefined;
    main.setMetaAt(row, (meta & VOLATILE) | lruClock(this.clock()));
    return main.valueAt(row);
  }

  peek(key: Bytes): Value | undefined {
    return this.main.get(key);
  }

  /** A volatile key: delete it if its time has passed. The main row stays valid when false. */
  private expireVolatile(key: Bytes): boolean {
    const er = this.expires.findIndex(key);
    if (er === -1 || !(this.clock() > this.expires.numAt(er))) return false;
    this.deleteExpired(key);
    return true;
  }

  expireIfNeeded(key: Bytes): boolean {
    const row = this.main.findIndex(key);
    if (row === -1 || (this.main.metaAt(row) & VOLATILE) === 0) return false;
    return this.expireVolatile(key);
  }

  isExpired(key: Bytes): boolean {
    const er = this.expires.size === 0 ? -1 : this.expires.findIndex(key);
    return er !== -1 && this.clock() > this.expires.numAt(er);
  }

  /** Remove a key whose TTL passed and tell the server (lazy and active expiry). */
  deleteExpired(key: Bytes): void {
    const existed = this.main.delete(key);
    this.dropExpire(key);
    if (!existed) return;
    this.stats.expiredKeys++;
    this.hooks.expired(this.id, key);
  }

  // ---- writes --------------------------------------------------------------------------------

  add(key: Bytes, value: Value): void {
    const main = this.main;
    let row = main.findOrInsert(key);
    if (!main.inserted) {
      // Only a logically expired key may be in the way (the caller looked the key up first).
      if ((main.metaAt(row) & VOLATILE) === 0 || !this.expireVolatile(key)) {
        throw new Error('Db.add: the key exists');
      }
      row = main.findOrInsert(key);
    }
    main.setValueAt(row, value);
    main.setMetaAt(row, lruClock(this.clock()));
    this.stats.dirty++;
    if (this.hooks.added !== undefined) this.hooks.added(this.id, key);
    this.hooks.modified(this.id, key);
  }

  set(key: Bytes, value: Value, keepTtl = false): void {
    const main = this.main;
    let row = main.findOrInsert(key);
    let isNew = main.inserted;
    let meta = isNew ? 0 : main.metaAt(row);
    if ((meta & VOLATILE) !== 0 && this.expireVolatile(key)) {
      // As Redis's setKey after lookupKeyWrite: an expired key is gone before the new one is made.
      row = main.findOrInsert(key);
      isNew = true;
      meta = 0;
    }
    main.setValueAt(row, value);
    if ((meta & VOLATILE) !== 0 && !keepTtl) {
      this.dropExpire(key);
      meta = 0;
    }
    main.setMetaAt(row, (meta & VOLATILE) | lruClock(this.clock()));
    this.stats.dirty++;
    if (isNew && this.hooks.added !== undefined) this.hooks.added(this.id, key);
    this.hooks.modified(this.id, key);
  }

  replace(key: Bytes, value: Value): void {
    const row = this.main.findIndex(key);
    if (row === -1) throw new Error('Db.replace: no such key');
    this.main.setValueAt(row, value);
  }

  delete(key: Bytes): boolean {
    if (!this.main.delete(key)) return false;
    if ((this.main.deletedMeta & VOLATILE) !== 0) this.dropExpire(key);
    this.stats.dirty++;
    this.hooks.modified(this.id, key);
    return true;
  }

  private dropExpire(key: Bytes): void {
    this.expires.delete(key);
    if (this.big !== null) this.big.delete(key);
  }

  // ---- expire times --------------------------------------------------------------------------

  getExpire(key: Bytes): number | undefined {
    if (this.expires.size === 0) return undefined;
    const er = this.expires.findIndex(key);
    return er === -1 ? undefined : this.expires.numAt(er);
  }

  getExpireExact(key: Bytes): number | bigint | undefined {
    const ms = this.getExpire(key);
    if (ms === undefined || Number.isSafeInteger(ms) || this.big === null) return ms;
    return this.big.get(key) ?? ms;
  }

  setExpire(key: Bytes, whenMs: number | bigint): void {
    const main = this.main;
    const row = main.findIndex(key);
    if (row === -1) throw new Error('Db.setExpire: no such key');
    main.setMetaAt(row, main.metaAt(row) | VOLATILE);
    // A long key is kept as a string reference: the expires entry shares main's (short keys are
    // copied into the expires dict's slab either way).
    const shared = main.keyAt(row);
    const er = this.expires.findOrInsert(shared);
    this.expires.setNumAt(er, Number(whenMs));
    if (typeof whenMs === 'bigint' && !isSafe(whenMs)) {
      (this.big ??= new Map()).set(shared, whenMs);
    } else if (this.big !== null) {
      this.big.delete(shared);
    }
    this.stats.dirty++;
  }

  persist(key: Bytes): boolean {
    const main = this.main;
    const row = main.findIndex(key);
    if (row === -1) return false;
    const meta = main.metaAt(row);
    if ((meta & VOLATILE) === 0) return false;
    main.setMetaAt(row, meta & ~VOLATILE);
    this.dropExpire(key);
    this.stats.dirty++;
    return true;
  }

  // ---- misc ----------------------------------------------------------------------------------

  idleSeconds(key: Bytes): number | undefined {
    const row = this.main.findIndex(key);
    if (row === -1) return undefined;
    const lru = this.main.metaAt(row) & LRU_MASK;
    const clock = lruClock(this.clock());
    // Redis estimateObjectIdleTime: the 24-bit clock wraps every ~194 days.
    const ticks = clock >= lru ? clock - lru : clock + (LRU_CLOCK_MAX - lru);
    return Math.floor((ticks * LRU_CLOCK_RESOLUTION) / 1000);
  }

  randomKey(): Bytes | undefined {
    const main = this.main;
    for (;;) {
      const row = main.randomIndex();
      if (row === -1) return undefined;
      const key = main.keyAt(row);
      if ((main.metaAt(row) & VOLATILE) !== 0 && this.expireVolatile(key)) continue;
      return key;
    }
  }

  scan(cursor: number, visit: (key: Bytes, value: Value) => void): number {
    return this.main.scan(cursor, visit);
  }

  keys(): IterableIterator<Bytes> {
    return this.main.keys();
  }

  /** Remove every key; returns how many there were. */
  clear(): number {
    const n = this.main.size;
    this.main.clear();
    this.expires.clear();
    this.big = null;
    this.expireCursor = 0;
    this.avgTtlMs = 0;
    this.stats.dirty += n;
    return n;
  }

  swapWith(other: Database): void {
    if (!(other instanceof Db)) throw new Error('Db.swapWith: not a keyspace Db');
    if (other === this) return;
    const { main, expires, big, expireCursor, avgTtlMs } = this;
    this.main = other.main;
    this.expires = other.expires;
    this.big = other.big;
    this.expireCursor = other.expireCursor;
    this.avgTtlMs = other.avgTtlMs;
    other.main = main;
    other.expires = expires;
    other.big = big;
    other.expireCursor = expireCursor;
    other.avgTtlMs = avgTtlMs;
  }

  rehashMicroseconds(us: number): number {
    // Redis incrementallyRehash: the main dict first, the expires dict with what is left.
    const start = performance.now();
    let moved = this.main.rehashMicroseconds(us);
    const left = us - (performance.now() - start) * 1000;
    if (left > 0) moved += this.expires.rehashMicroseconds(left);
    return moved;
  }
}

/** `n` databases sharing one stats object, ids 0..n-1. */
export function createDatabases(n: number, hooks: KeyspaceHooks = NO_HOOKS): Db[] {
  const stats = newKeyspaceStats();
  return Array.from({ length: n }, (_, i) => new Db(i, hooks, stats));
}
