/**
 * Blocked clients (BLPOP, BLMOVE, BZPOPMIN, ...): who waits on which key, serving them when a
 * key is signalled ready, timeouts, CLIENT UNBLOCK and disconnects.
 *
 * As in Redis, clients blocked on the same key are served first come, first served; readiness is
 * only recorded while a command runs (signalReady) and acted on after it (serveReady), so a
 * client sees the effect of a whole command (or a whole EXEC). Serving may make more keys ready
 * (BLMOVE pushes elsewhere): the loop runs until nothing is left. Timeouts use one Node timer
 * armed for the earliest deadline, so they are accurate to a millisecond or so, not to `hz`.
 */
import type { Bytes, Reply } from '@swarmkv/resp';
import { R, RespError } from '@swarmkv/resp';
import type { BlockRequest, Ctx } from '../commands/context.js';
import type { BlockedState, Client } from './client.js';

/** What a blocking handler returns while its client waits: no reply is sent now. */
export const BLOCKED: Reply = Object.freeze({ t: 'raw', v: '' }) as Reply;

export const UNBLOCKED_ERROR: Reply = R.err('UNBLOCKED client unblocked via CLIENT UNBLOCK');

/** What the blocking manager needs from the server. */
export interface BlockingHost {
  /** The client's handler context. */
  ctxFor(c: Client): Ctx;
  /** Run `fn` with a command clock, as a command would (retries and timeout replies). */
  runAsCommand<T>(fn: () => T): T;
  /** Send a reply to a client that was blocked, then let it process its pending input. */
  unblocked(c: Client, reply: Reply): void;
}

interface TimeoutEntry {
  readonly deadline: number;
  readonly client: Client;
  readonly state: BlockedState;
}

export class BlockingManager {
  /** db id -> key -> clients in arrival order. */
  private readonly byDb = new Map<number, Map<Bytes, Client[]>>();
  private readyQueue: { dbId: number; key: Bytes }[] = [];
  private readonly readySet = new Set<string>();
  private readonly heap: TimeoutEntry[] = [];
  private timer: NodeJS.Timeout | null = null;
  private timerAt = 0;
  blockedCount = 0;

  constructor(private readonly host: BlockingHost) {}

  get hasReady(): boolean {
    return this.readyQueue.length > 0;
  }

  /** Ctx.block(): park the client, or answer the timeout reply at once inside MULTI/EXEC. */
  block(ctx: Ctx, req: BlockRequest, cmdName: string): Reply {
    const c = ctx.client as Client;
    if (c.inMulti) return req.timeoutReply(ctx);
    const state: BlockedState = { req, dbId: ctx.db.id, cmdName, since: ctx.now };
    c.blocked = state;
    let keys = this.byDb.get(state.dbId);
    if (keys === undefined) this.byDb.set(state.dbId, (keys = new Map()));
    const seen = new Set<Bytes>();
    for (const key of req.keys) {
      if (seen.has(key)) continue;
      seen.add(key);
      const q = keys.get(key);
      if (q === undefined) keys.set(key, [c]);
      else q.push(c);
    }
    this.blockedCount++;
    if (req.deadlineMs > 0) this.pushTimeout({ deadline: req.deadlineMs, client: c, state });
    return BLOCKED;
  }

  /** A key may now satisfy a blocked client (list push, zadd, ...). Cheap when nobody waits on it. */
  signalReady(dbId: number, key: Bytes): void {
    if (this.blockedCount === 0) return;
    const q = this.byDb.get(dbId)?.get(key);
    if (q === undefined || q.length === 0) return;
    const id = `${dbId}\0${key}`;
    if (this.readySet.has(id)) return;
    this.readySet.add(id);
    this.readyQueue.push({ dbId, key });
  }

  /** Every key in a db may be ready (SWAPDB, FLUSHALL of a source): signal all waited-on keys of it. */
  signalDbReady(dbId: number): void {
    const keys = this.byDb.get(dbId);
    if (keys === undefined) return;
    for (const key of keys.keys()) this.signalReady(dbId, key);
  }

  /** Serve the clients waiting on ready keys, FIFO per key, until no key is left ready. */
  serveReady(): void {
    while (this.readyQueue.length > 0) {
      const batch = this.readyQueue;
      this.readyQueue = [];
      this.readySet.clear();
      for (const { dbId, key } of batch) {
        const q = this.byDb.get(dbId)?.get(key);
        if (q === undefined) continue;
        // Only the clients waiting now: one re-blocked while being served waits for the next round.
        const waiting = q.slice();
        for (const c of waiting) {
          const state = c.blocked;
          if (state === null || state.dbId !== dbId) continue;
          const ctx = this.host.ctxFor(c);
          let reply: Reply | undefined;
          try {
            reply = state.req.retry(ctx, key);
          } catch (e) {
            reply = R.err(e instanceof Error && 'code' in e ? e.message : 'ERR internal error');
          }
          if (reply !== undefined) this.unblock(c, reply);
        }
      }
    }
  }

  /** Release a blocked client with `reply`. */
  unblock(c: Client, reply: Reply): void {
    if (c.blocked === null) return;
    this.detach(c);
    this.host.unblocked(c, reply);
  }

  /** CLIENT UNBLOCK: true when the client was blocked. */
  unblockByCommand(c: Client, mode: 'TIMEOUT' | 'ERROR'): boolean {
    const state = c.blocked;
    if (state === null) return false;
    const reply =
      mode === 'ERROR' ? UNBLOCKED_ERROR : this.host.runAsCommand(() => state.req.timeoutReply(this.host.ctxFor(c)));
    this.unblock(c, reply);
    return true;
  }

  /** The client went away: forget it without replying. */
  remove(c: Client): void {
    if (c.blocked !== null) this.detach(c);
  }

  /** Time out every client whose deadline has passed. */
  handleTimeouts(now: number): void {
    const heap = this.heap;
    while (heap.length > 0 && heap[0]!.deadline <= now) {
      const e = this.popTimeout();
      if (e.client.blocked !== e.state) continue;
      const ctx = this.host.ctxFor(e.client);
      this.unblock(e.client, this.host.runAsCommand(() => e.state.req.timeoutReply(ctx)));
    }
    this.armTimer();
  }

  /** Stop the timer (server shutdown, test node close). */
  close(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private detach(c: Client): void {
    const state = c.blocked!;
    c.blocked = null;
    this.blockedCount--;
    const keys = this.byDb.get(state.dbId);
    if (keys === undefined) return;
    for (const key of state.req.keys) {
      const q = keys.get(key);
      if (q === undefined) continue;
      const i = q.indexOf(c);
      if (i >= 0) q.splice(i, 1);
      if (q.length === 0) keys.delete(key);
    }
    if (keys.size === 0) this.byDb.delete(state.dbId);
  }

  private pushTimeout(e: TimeoutEntry): void {
    const heap = this.heap;
    heap.push(e);
    let i = heap.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (heap[p]!.deadline <= e.deadline) break;
      heap[i] = heap[p]!;
      i = p;
    }
    heap[i] = e;
    this.armTimer();
  }

  private popTimeout(): TimeoutEntry {
    const heap = this.heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= heap.length) break;
        const r = l + 1;
        const m = r < heap.length && heap[r]!.deadline < heap[l]!.deadline ? r : l;
        if (heap[m]!.deadline >= last.deadline) break;
        heap[i] = heap[m]!;
        i = m;
      }
      heap[i] = last;
    }
    return top;
  }

  private armTimer(): void {
    // Drop entries of clients no longer blocked so the timer is not armed for nothing.
    while (this.heap.length > 0 && this.heap[0]!.client.blocked !== this.heap[0]!.state) this.popTimeout();
    if (this.heap.length === 0) {
      this.close();
      return;
    }
    const at = this.heap[0]!.deadline;
    if (this.timer !== null && this.timerAt === at) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.handleTimeouts(Date.now());
    }, Math.max(0, at - Date.now()));
    this.timer.unref();
  }
}
