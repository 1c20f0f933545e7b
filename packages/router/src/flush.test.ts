/**
 * flush.ts: when queued owners are written. Clients in the check phase of the turn that queued
 * them; node connections with a small batch (canWait) one (non-blocking) poll later, before that
 * turn's clients; node connections with a big batch at once, before the clients; owners dirtied
 * while flushing before the queue goes quiet.
 */
import { describe, expect, it } from 'vitest';
import { markDirty, markUpstreamDirty, type Flushable } from './flush.js';

/** An owner that records each flush in `log` (as `name@turn`). */
function owner(name: string, log: string[], turn: () => number, onFlush?: () => void): Flushable {
  return {
    dirty: false,
    flush() {
      log.push(`${name}@${turn()}`);
      onFlush?.();
    },
  };
}

/** A node connection whose batch is small (may wait) or big (may not). */
function nodeOwner(name: string, log: string[], turn: () => number, small: boolean): Flushable {
  return { ...owner(name, log, turn), canWait: () => small };
}

/** Counts event-loop turns: one per check phase. */
function turnCounter(): { turn: () => number; stop: () => void } {
  let n = 0;
  let running = true;
  const tick = (): void => {
    n++;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  return { turn: () => n, stop: () => (running = false) };
}

const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 20));

describe('flush', () => {
  it('writes clients this turn and node connections one poll later, first in that turn', async () => {
    const log: string[] = [];
    const t = turnCounter();
    await new Promise((r) => setImmediate(r));
    const node = nodeOwner('node', log, t.turn, true);
    const client = owner('client', log, t.turn);
    const client2 = owner('client2', log, t.turn);
    markUpstreamDirty(node);
    markDirty(client);
    await new Promise((r) => setImmediate(r)); // the first flush has run by now
    markDirty(client2); // queued for the turn that writes the node
    await settle();
    t.stop();
    expect(log.map((e) => e.split('@')[0])).toEqual(['client', 'node', 'client2']);
    const turnOf = (name: string): number => Number(log.find((e) => e.startsWith(name + '@'))!.split('@')[1]);
    expect(turnOf('node')).toBe(turnOf('client') + 1);
    expect(turnOf('client2')).toBe(turnOf('node'));
    expect(node.dirty || client.dirty || client2.dirty).toBe(false);
  });

  it('writes a node connection with a big batch at once, before the clients', async () => {
    const log: string[] = [];
    const t = turnCounter();
    await new Promise((r) => setImmediate(r));
    const client = owner('client', log, t.turn);
    const big = nodeOwner('big', log, t.turn, false);
    const small = nodeOwner('small', log, t.turn, true);
    markDirty(client);
    markUpstreamDirty(small);
    markUpstreamDirty(big);
    await settle();
    t.stop();
    const turnOf = (name: string): number => Number(log.find((e) => e.startsWith(name + '@'))!.split('@')[1]);
    expect(log.map((e) => e.split('@')[0])).toEqual(['big', 'client', 'small']);
    expect(turnOf('big')).toBe(turnOf('client'));
    expect(turnOf('small')).toBe(turnOf('client') + 1);
  });

  it('queues an owner once per turn however often it is marked', async () => {
    const log: string[] = [];
    const node = nodeOwner('node', log, () => 0, true);
    const client = owner('client', log, () => 0);
    for (let i = 0; i < 5; i++) {
      markUpstreamDirty(node);
      markDirty(client);
    }
    await settle();
    expect(log).toEqual(['client@0', 'node@0']);
  });

  it('writes owners dirtied while flushing before going quiet', async () => {
    const log: string[] = [];
    const late = owner('late', log, () => 0);
    const lateNode = owner('lateNode', log, () => 0);
    // A client whose flush sends a held command to a node and completes another client's reply.
    const first = owner('first', log, () => 0, () => {
      markUpstreamDirty(lateNode);
      markDirty(late);
    });
    markDirty(first);
    await settle();
    expect(log).toEqual(['first@0', 'lateNode@0', 'late@0']);
  });
});
