/**
 * Active expiry: Redis 7.0's activeExpireCycle (expire.c), which removes keys whose TTL passed
 * even if nobody reads them again.
 *
 * The algorithm. Keys expire lazily when touched; the active cycle reclaims the rest by sampling.
 * A cycle visits up to CRON_DBS_PER_CALL databases, resuming after the last one it visited. In
 * each database it samples ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP keys that have a TTL, deletes the
 * expired ones, and repeats while more than ACTIVE_EXPIRE_CYCLE_ACCEPTABLE_STALE percent of the
 * sample had expired (plenty of garbage left: keep going), then moves to the next database. Every
 * 16 sampling loops it checks the clock and stops when its time budget is spent:
 *  - the "slow" cycle runs from the cron (serverCron, `hz` times per second) and may use
 *    ACTIVE_EXPIRE_CYCLE_SLOW_TIME_PERC percent of a cron period: 25 ms at hz 10;
 *  - the "fast" cycle runs before the event loop sleeps (Redis's beforeSleep), lasts at most
 *    ACTIVE_EXPIRE_CYCLE_FAST_DURATION microseconds, never starts within two such durations of
 *    the previous fast cycle, and only runs when the last slow cycle hit its time limit (or the
 *    estimated stale share is high; see the note on `expiredStalePerc` below).
 * When a slow cycle hit its time limit, the next cycle visits every database, not just 16.
 * Stats are kept as Redis does: a running average TTL per database (avg_ttl), the estimated share
 * of stale keys (expired_stale_perc), and how often the time cap was reached.
 *
 * Differences from Redis, and why:
 *  - Sampling walks the rows of the expires dict with a cursor instead of dictScan-ing buckets:
 *    rows are dense (dict.ts), so there are no empty buckets to bound and Redis's "less than 1%
 *    of slots filled, wait for a resize" escape is unnecessary.
 *  - Redis compares `stat_expired_stale_perc` (a 0..1 ratio) with the acceptable stale
 *    *percentage* (10), so in practice the fast cycle only follows a slow cycle that ran out of
 *    time. Kept as is: that is the behaviour Redis 7.0 has.
 *  - `active-expire-effort` is fixed at its default (1).
 */
import type { Db } from './db.js';

/** Keys sampled per database per loop. */
export const ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP = 20;
/** Length of a fast cycle, microseconds. */
export const ACTIVE_EXPIRE_CYCLE_FAST_DURATION = 1000;
/** Share of the cron period a slow cycle may use, percent. */
export const ACTIVE_EXPIRE_CYCLE_SLOW_TIME_PERC = 25;
/** Keep sampling a database while more than this percentage of a sample had expired. */
export const ACTIVE_EXPIRE_CYCLE_ACCEPTABLE_STALE = 10;
/** Databases visited per cycle (unless the previous one ran out of time). */
export const CRON_DBS_PER_CALL = 16;

export type ExpireCycleKind = 'slow' | 'fast';

/** Per-server state Redis keeps in statics, kept per database array here. */
interface CycleState {
  currentDb: number;
  timelimitExit: boolean;
  lastFastCycleUs: number;
}

const STATES = new WeakMap<readonly Db[], CycleState>();

function stateOf(dbs: readonly Db[]): CycleState {
  let s = STATES.get(dbs);
  if (s === undefined) {
    s = { currentDb: 0, timelimitExit: false, lastFastCycleUs: -Infinity };
    STATES.set(dbs, s);
  }
  return s;
}

/**
 * Run one active expire cycle over `dbs` (the server's database array: the cycle state is kept
 * per array). `nowMs` is the wall clock the keys' times are compared with (it advances with the
 * elapsed time during the cycle). Returns true when the cycle stopped on its time limit, i.e.
 * expired keys are probably left and a fast cycle should follow.
 */
export function activeExpireCycle(dbs: readonly Db[], kind: ExpireCycleKind, nowMs: number, hz: number): boolean {
  if (dbs.length === 0) return false;
  const state = stateOf(dbs);
  const stats = dbs[0]!.stats;
  const startUs = performance.now() * 1000;

  if (kind === 'fast') {
    if (!state.timelimitExit && stats.expiredStalePerc < ACTIVE_EXPIRE_CYCLE_ACCEPTABLE_STALE) return false;
    if (startUs < state.lastFastCycleUs + ACTIVE_EXPIRE_CYCLE_FAST_DURATION * 2) return false;
    state.lastFastCycleUs = startUs;
  }

  let dbsPerCall = CRON_DBS_PER_CALL;
  if (dbsPerCall > dbs.length || state.timelimitExit) dbsPerCall = dbs.length;

  let timelimitUs = Math.floor((ACTIVE_EXPIRE_CYCLE_SLOW_TIME_PERC * 1_000_000) / Math.max(1, hz) / 100);
  if (timelimitUs <= 0) timelimitUs = 1;
  if (kind === 'fast') timelimitUs = ACTIVE_EXPIRE_CYCLE_FAST_DURATION;
  state.timelimitExit = false;

  let totalSampled = 0;
  let totalExpired = 0;
  let iteration = 0;

  for (let j = 0; j < dbsPerCall && !state.timelimitExit; j++) {
    const db = dbs[state.currentDb % dbs.length]!;
    // Advance first so that running out of time here resumes with the next database.
    state.currentDb = (state.currentDb + 1) % dbs.length;
    let sampled = 0;
    let expired = 0;
    do {
      iteration++;
      const num = db.expires.size;
      if (num === 0) {
        db.avgTtlMs = 0;
        break;
      }
      const now = nowMs + (performance.now() * 1000 - startUs) / 1000;
      const r = sampleExpires(db, Math.min(num, ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP), now);
      sampled = r.sampled;
      expired = r.expired;
      totalSampled += sampled;
      totalExpired += expired;
      if (r.ttlSamples > 0) {
        const avg = r.ttlSum / r.ttlSamples;
        // Running average: the new estimate weighs 2%.
        if (db.avgTtlMs === 0) db.avgTtlMs = avg;
        db.avgTtlMs = Math.floor((db.avgTtlMs / 50) * 49 + avg / 50);
      }
      if ((iteration & 0xf) === 0 && performance.now() * 1000 - startUs > timelimitUs) {
        state.timelimitExit = true;
        stats.expiredTimeCapReachedCount++;
        break;
      }
    } while (sampled === 0 || (expired * 100) / sampled > ACTIVE_EXPIRE_CYCLE_ACCEPTABLE_STALE);
  }

  stats.expireCycleCpuMicros += performance.now() * 1000 - startUs;
  // Running estimate of the stale share; this sample weighs 5%.
  const perc = totalSampled > 0 ? totalExpired / totalSampled : 0;
  stats.expiredStalePerc = perc * 0.05 + stats.expiredStalePerc * 0.95;
  return state.timelimitExit;
}

const SAMPLE = { sampled: 0, expired: 0, ttlSum: 0, ttlSamples: 0 };

/** Look at `num` rows of db.expires from its cursor, deleting the expired keys. */
function sampleExpires(db: Db, num: number, now: number): typeof SAMPLE {
  const expires = db.expires;
  const r = SAMPLE;
  r.sampled = 0;
  r.expired = 0;
  r.ttlSum = 0;
  r.ttlSamples = 0;
  let pos = db.expireCursor;
  while (r.sampled < num && expires.size > 0) {
    if (pos >= expires.size) pos = 0;
    const when = expires.numAt(pos);
    r.sampled++;
    if (now > when) {
      // The last row moves into `pos`: look at the same position again.
      db.deleteExpired(expires.keyAt(pos));
      r.expired++;
    } else {
      if (when > now) {
        r.ttlSum += when - now;
        r.ttlSamples++;
      }
      pos++;
    }
  }
  db.expireCursor = pos;
  return r;
}
