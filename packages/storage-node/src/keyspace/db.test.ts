/**
 * Db (keyspace/db.ts) directly: the Database contract, lazy expiry with a controlled clock, the
 * hooks the server plugs in, exact int64 expire times, LRU idle time, SWAPDB and flushing.
 */
import { describe, expect, it } from 'vitest';
import { LOOKUP_NONOTIFY, LOOKUP_NOTOUCH } from './db-api.js';
import { Db, createDatabases, type KeyspaceHooks } from './db.js';

function setup(start = 1_700_000_000_000) {
  const events: string[] = [];
  const clock = { t: start };
  const hooks: KeyspaceHooks = {
    modified: (db, k) => events.push(`modified ${db} ${k}`),
    expired: (db, k) => events.push(`expired ${db} ${k}`),
    added: (db, k) => events.push(`added ${db} ${k}`),
    keyMiss: (db, k) => events.push(`keymiss ${db} ${k}`),
    now: () => clock.t,
  };
  const db = new Db(3, hooks);
  return { db, events, clock };
}

describe('Db', () => {
  it('adds, sets, replaces and deletes, signalling as Redis does', () => {
    const { db, events } = setup();
    db.add('a', 'x');
    expect(events).toEqual(['added 3 a', 'modified 3 a']);
    expect(() => db.add('a', 'y')).toThrow();
    events.length = 0;
    db.set('a', 'y');
    db.set('b', 1);
    expect(events).toEqual(['modified 3 a', 'added 3 b', 'modified 3 b']);
    events.length = 0;
    db.replace('a', 'z');
    expect(events).toEqual([]);
    expect(db.lookupRead('a')).toBe('z');
    expect(db.size()).toBe(2);
    expect(db.delete('a')).toBe(true);
    expect(db.delete('a')).toBe(false);
    expect(events).toEqual(['modified 3 a']);
    expect(db.stats.dirty).toBe(4);
  });

  it('counts hits and misses and fires keymiss on read misses only', () => {
    const { db, events } = setup();
    db.set('a', 'x');
    events.length = 0;
    db.lookupRead('a');
    db.lookupRead('nope');
    db.lookupRead('nope', LOOKUP_NONOTIFY);
    db.lookupWrite('nope');
    expect(events).toEqual(['keymiss 3 nope']);
    expect(db.stats.keyspaceHits).toBe(1);
    expect(db.stats.keyspaceMisses).toBe(2);
  });

  it('expires lazily on lookup, once, with the expired hook', () => {
    const { db, events, clock } = setup();
    db.set('k', 'v');
    db.setExpire('k', clock.t + 1000);
    expect(db.expiresCount()).toBe(1);
    clock.t += 1000;
    // Redis expires when now > when, not at equality.
    expect(db.lookupRead('k')).toBe('v');
    clock.t += 1;
    events.length = 0;
    expect(db.peek('k')).toBe('v');
    expect(db.isExpired('k')).toBe(true);
    expect(db.lookupRead('k')).toBeUndefined();
    expect(events).toEqual(['expired 3 k', 'keymiss 3 k']);
    expect(db.size()).toBe(0);
    expect(db.expiresCount()).toBe(0);
    expect(db.stats.expiredKeys).toBe(1);
    expect(db.lookupWrite('k')).toBeUndefined();
    expect(db.expireIfNeeded('k')).toBe(false);
  });

  it('set drops the TTL unless keepTtl, and never keeps the TTL of an expired key', () => {
    const { db, clock, events } = setup();
    db.set('k', 'v');
    db.setExpire('k', clock.t + 100);
    db.set('k', 'w', true);
    expect(db.getExpire('k')).toBe(clock.t + 100);
    db.set('k', 'x');
    expect(db.getExpire('k')).toBeUndefined();
    expect(db.expiresCount()).toBe(0);
    db.setExpire('k', clock.t + 100);
    clock.t += 200;
    events.length = 0;
    db.set('k', 'y', true);
    expect(events).toEqual(['expired 3 k', 'added 3 k', 'modified 3 k']);
    expect(db.getExpire('k')).toBeUndefined();
    expect(db.lookupRead('k')).toBe('y');
  });

  it('keeps expire times beyond 2^53 exact', () => {
    const { db } = setup();
    db.set('k', 'v');
    db.setExpire('k', 9223372036854770000n);
    expect(db.getExpireExact('k')).toBe(9223372036854770000n);
    expect(db.getExpire('k')).toBe(Number(9223372036854770000n));
    db.setExpire('k', 5000);
    expect(db.getExpireExact('k')).toBe(5000);
    db.setExpire('k', 123n);
    expect(db.getExpireExact('k')).toBe(123);
  });

  it('persist removes the TTL', () => {
    const { db, clock } = setup();
    db.set('k', 'v');
    expect(db.persist('k')).toBe(false);
    db.setExpire('k', clock.t + 10);
    expect(db.persist('k')).toBe(true);
    expect(db.persist('k')).toBe(false);
    clock.t += 100;
    expect(db.lookupRead('k')).toBe('v');
  });

  it('tracks idle time in seconds; NOTOUCH lookups do not reset it', () => {
    const { db, clock } = setup();
    db.set('k', 'v');
    clock.t += 5000;
    expect(db.idleSeconds('k')).toBe(5);
    db.lookupRead('k', LOOKUP_NOTOUCH);
    expect(db.idleSeconds('k')).toBe(5);
    db.lookupRead('k');
    expect(db.idleSeconds('k')).toBe(0);
    clock.t += 2000;
    db.lookupWrite('k');
    expect(db.idleSeconds('k')).toBe(0);
    expect(db.idleSeconds('missing')).toBeUndefined();
  });

  it('randomKey never returns an expired key and deletes the ones it meets', () => {
    const { db, clock } = setup();
    expect(db.randomKey()).toBeUndefined();
    for (let i = 0; i < 50; i++) {
      db.set(`dead${i}`, 'v');
      db.setExpire(`dead${i}`, clock.t + 10);
    }
    db.set('live', 'v');
    clock.t += 100;
    for (let i = 0; i < 20; i++) expect(db.randomKey()).toBe('live');
    expect(db.size()).toBeLessThan(51);
  });

  it('swaps and clears whole databases', () => {
    const [a, b] = createDatabases(2);
    a!.set('x', 1);
    a!.setExpire('x', Date.now() + 100_000);
    b!.set('y', 2);
    a!.swapWith(b!);
    expect(a!.peek('y')).toBe(2);
    expect(b!.peek('x')).toBe(1);
    expect(b!.getExpire('x')).toBeGreaterThan(Date.now());
    expect(a!.id).toBe(0);
    expect(a!.stats).toBe(b!.stats);
    expect(b!.clear()).toBe(1);
    expect(b!.size()).toBe(0);
    expect(b!.expiresCount()).toBe(0);
  });

  it('scans and iterates keys', () => {
    const { db } = setup();
    for (let i = 0; i < 100; i++) db.set(`k${i}`, i);
    const seen = new Set<string>();
    let cursor = 0;
    do cursor = db.scan(cursor, (k) => seen.add(k));
    while (cursor !== 0);
    expect(seen.size).toBe(100);
    expect([...db.keys()].sort()).toEqual([...seen].sort());
  });

  it('holds many keys with TTLs consistently under churn', () => {
    const { db, clock } = setup();
    const live = new Map<string, number>();
    for (let i = 0; i < 20000; i++) {
      const k = `k${i % 5000}`;
      if (i % 7 === 0) {
        db.delete(k);
        live.delete(k);
      } else {
        db.set(k, i);
        live.set(k, i);
        if (i % 3 === 0) db.setExpire(k, clock.t + 1_000_000);
      }
    }
    db.main.checkInvariants();
    db.expires.checkInvariants();
    expect(db.size()).toBe(live.size);
    for (const [k, v] of live) expect(db.lookupRead(k)).toBe(v);
    // Every expires entry belongs to a live key flagged as volatile.
    db.expires.forEach((k) => expect(live.has(k)).toBe(true));
  });
});
