/**
 * WATCH bookkeeping: which clients watch which keys, and breaking their transactions.
 *
 * Redis's rule: any change to a watched key (a write, an expiry, FLUSHDB/FLUSHALL emptying it,
 * SWAPDB replacing it) between WATCH and EXEC makes EXEC answer a nil array. `touch()` runs on
 * every write, so with nobody watching it returns after one comparison.
 */
import type { Bytes } from '@swarmkv/resp';
import type { Client } from './client.js';

export class WatchRegistry {
  /** db id -> key -> clients watching it. */
  private readonly byDb = new Map<number, Map<Bytes, Set<Client>>>();
  /** Number of (client, key) pairs: the fast path of touch(). */
  private watchCount = 0;

  get size(): number {
    return this.watchCount;
  }

  watch(client: Client, dbId: number, key: Bytes, expiredAtWatch: boolean): void {
    for (const w of client.watched) if (w.dbId === dbId && w.key === key) return;
    let keys = this.byDb.get(dbId);
    if (keys === undefined) this.byDb.set(dbId, (keys = new Map()));
    let clients = keys.get(key);
    if (clients === undefined) keys.set(key, (clients = new Set()));
    clients.add(client);
    client.watched.push({ dbId, key, expiredAtWatch });
    this.watchCount++;
  }

  unwatchAll(client: Client): void {
    if (client.watched.length === 0) return;
    for (const w of client.watched) {
      const keys = this.byDb.get(w.dbId);
      const clients = keys?.get(w.key);
      if (clients === undefined) continue;
      clients.delete(client);
      this.watchCount--;
      if (clients.size === 0) {
        keys!.delete(w.key);
        if (keys!.size === 0) this.byDb.delete(w.dbId);
      }
    }
    client.watched = [];
  }

  /** A key was modified: every client watching it will fail its EXEC. */
  touch(dbId: number, key: Bytes): void {
    if (this.watchCount === 0) return;
    const clients = this.byDb.get(dbId)?.get(key);
    if (clients === undefined) return;
    for (const c of clients) c.dirtyCas = true;
  }

  /**
   * A database is about to be emptied (FLUSHDB/FLUSHALL) or replaced (SWAPDB): a watched key is
   * touched when it exists in the db now, or will exist after the swap (Redis's
   * touchAllWatchedKeysInDb). `exists` answers for the db being emptied, `existsAfter` for its
   * replacement.
   */
  touchDb(dbId: number, exists: (key: Bytes) => boolean, existsAfter?: (key: Bytes) => boolean): void {
    if (this.watchCount === 0) return;
    const keys = this.byDb.get(dbId);
    if (keys === undefined) return;
    for (const [key, clients] of keys) {
      if (exists(key) || (existsAfter !== undefined && existsAfter(key))) {
        for (const c of clients) c.dirtyCas = true;
      }
    }
  }

  /** Redis 7: a key that was alive at WATCH and is logically expired at EXEC breaks the transaction. */
  anyExpiredSinceWatch(client: Client, isExpired: (dbId: number, key: Bytes) => boolean): boolean {
    for (const w of client.watched) if (!w.expiredAtWatch && isExpired(w.dbId, w.key)) return true;
    return false;
  }
}
