/**
 * The node's periodic work, Redis's serverCron at `hz` times per second: the active expire
 * cycle, incremental rehashing, blocked-client timeouts (a safety net; blocking.ts has its own
 * precise timer), pub/sub output-buffer soft limits and the ops/sec sample for INFO.
 *
 * Redis also runs a "fast" expire cycle before sleeping; Node has no before-sleep hook, so while
 * the slow cycle is behind the fast one runs after each I/O batch and from a short timer chain
 * (see `fastCycle`). The keyspace's cycle functions own the time budgets.
 */
import type { NodeCore } from './core.js';
import { runActiveExpire } from './expire-hook.js';
/** Rehash budget per database per tick (Redis: databasesCron, 1 ms). */
const REHASH_MICROS = 1000;

export class Cron {
  private timer: NodeJS.Timeout | null = null;
  private hz = 0;
  private fastArmed = false;
  private lastIdleCheck = 0;

  constructor(private readonly core: NodeCore) {}

  start(): void {
    this.arm();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  private arm(): void {
    this.stop();
    this.hz = Math.min(500, Math.max(1, this.core.config.hz));
    this.timer = setInterval(() => this.tick(), Math.floor(1000 / this.hz));
    this.timer.unref();
  }

  /** One serverCron run. */
  tick(): void {
    const core = this.core;
    const now = Date.now();
    if (core.config.hz !== this.hz) this.arm();
    core.stats.sampleOps(now);
    core.fastExpireWanted = core.config.activeExpireEnabled && runActiveExpire(core, now);
    if (core.fastExpireWanted) this.fastCycle();
    for (const db of core.dbs) db.rehashMicroseconds?.(REHASH_MICROS);
    core.blocking.handleTimeouts(now);
    if (core.clients.size > 0) this.clientsCron(now);
    core.flushPending();
  }

  /**
   * Redis's clientsCron: pub/sub output-buffer soft limits, and the `timeout` idle limit (not for
   * blocked or subscribed clients, as in Redis), checked at most once per second.
   */
  private clientsCron(now: number): void {
    const core = this.core;
    const idleLimitMs = Number(core.config.redis.timeout ?? '0') * 1000;
    const checkIdle = idleLimitMs > 0 && now - this.lastIdleCheck >= 1000;
    if (checkIdle) this.lastIdleCheck = now;
    for (const c of [...core.clients.values()]) {
      const subscribed = c.subscriptionCount() > 0;
      if (subscribed) core.checkOutputLimits(c, now);
      else if (checkIdle && c.blocked === null && now - c.lastInteraction > idleLimitMs) {
        core.log.debug({ client: c.id }, 'closing idle client');
        core.killClient(c);
      }
    }
  }

  /**
   * Fast cycles while the slow one is behind: after every I/O batch (core.beforeSleep) and, when
   * the node is idle, from a chain of setImmediate until the next slow cycle.
   */
  private fastCycle(): void {
    if (this.fastArmed) return;
    this.fastArmed = true;
    const step = () => {
      const core = this.core;
      if (!core.fastExpireWanted || this.timer === null) {
        this.fastArmed = false;
        return;
      }
      core.beforeSleep();
      core.flushPending();
      // Spaced out so that I/O keeps priority (Redis: at most one fast cycle per 2 ms).
      setTimeout(step, 2).unref();
    };
    setImmediate(step);
  }
}
