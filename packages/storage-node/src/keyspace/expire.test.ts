/**
 * activeExpireCycle: reclaims expired keys nobody touches, leaves live ones, respects its time
 * budget (and reports hitting it), gates fast cycles as Redis 7.0 does, keeps the stats.
 */
import { describe, expect, it } from 'vitest';
import { createDatabases, type Db, type KeyspaceHooks } from './db.js';
import { ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP, activeExpireCycle } from './expire.js';

function fill(db: Db, prefix: string, n: number, when: number): void {
  for (let i = 0; i < n; i++) {
    db.set(`${prefix}${i}`, 'v');
    db.setExpire(`${prefix}${i}`, when);
  }
}

describe('activeExpireCycle', () => {
  it('reclaims expired keys in every database over a few slow cycles, and only those', () => {
    const expired: string[] = [];
    const hooks: KeyspaceHooks = { modified() {}, expired: (db, k) => expired.push(`${db}:${k}`) };
    const dbs = createDatabases(4, hooks);
    const now = Date.now();
    fill(dbs[0]!, 'a', 2000, now - 1);
    fill(dbs[2]!, 'c', 500, now - 1);
    fill(dbs[2]!, 'live', 300, now + 60_000);
    dbs[3]!.set('plain', 'v');
    for (let i = 0; i < 100 && dbs[0]!.size() + dbs[2]!.expiresCount() > 300; i++) {
      activeExpireCycle(dbs, 'slow', now, 10);
    }
    expect(dbs[0]!.size()).toBe(0);
    expect(dbs[2]!.size()).toBe(300);
    expect(dbs[3]!.size()).toBe(1);
    expect(expired.length).toBe(2500);
    expect(dbs[0]!.stats.expiredKeys).toBe(2500);
    // The average TTL of the live keys that were sampled (about 60 s).
    expect(dbs[2]!.avgTtl()).toBeGreaterThan(50_000);
    expect(dbs[2]!.avgTtl()).toBeLessThanOrEqual(60_000);
  });

  it('stops sampling a database once few of the sampled keys are expired', () => {
    const [db] = createDatabases(1);
    const dbs = [db!];
    const now = Date.now();
    fill(db!, 'live', 10_000, now + 60_000);
    fill(db!, 'dead', 5, now - 1);
    activeExpireCycle(dbs, 'slow', now, 10);
    // One loop of 20 samples with (at most) 5 expired keys among 10005 is not "more than 10%"
    // stale unless the sample hit them all; either way, far from everything was looked at.
    expect(db!.size()).toBeGreaterThanOrEqual(10_000);
    expect(db!.stats.expiredStalePerc).toBeLessThan(0.05);
  });

  it('stops on its time limit and reports it; then fast cycles may run, not twice within 2 ms', () => {
    const [db] = createDatabases(1);
    const dbs = [db!];
    const now = Date.now();
    fill(db!, 'k', 200_000, now - 1);
    // hz 500: a 500 us budget, far too little for 200k keys.
    expect(activeExpireCycle(dbs, 'slow', now, 500)).toBe(true);
    expect(db!.stats.expiredTimeCapReachedCount).toBe(1);
    const left = db!.size();
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThan(200_000 - ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP);
    const fastStart = performance.now();
    expect(activeExpireCycle(dbs, 'fast', now, 10)).toBe(true);
    const afterFast = db!.size();
    expect(afterFast).toBeLessThan(left);
    // Within 2 ms of the start of the last fast cycle nothing happens (only checkable when this
    // machine ran the first one quickly enough).
    activeExpireCycle(dbs, 'fast', now, 10);
    if (performance.now() - fastStart < 2) expect(db!.size()).toBe(afterFast);
  });

  it('skips fast cycles when the slow cycle finished in time', () => {
    const [db] = createDatabases(1);
    const dbs = [db!];
    const now = Date.now();
    fill(db!, 'k', 10, now - 1);
    expect(activeExpireCycle(dbs, 'slow', now, 10)).toBe(false);
    fill(db!, 'j', 100, now - 1);
    expect(activeExpireCycle(dbs, 'fast', now, 10)).toBe(false);
    expect(db!.size()).toBe(100);
  });
});
