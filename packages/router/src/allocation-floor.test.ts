import { describe, expect, it } from 'vitest';
import { BYTES_PER_COMMAND, FLOOR_BYTES_PER_SECOND, allocateGarbage, lastGarbage, shortfall, topUp } from './allocation-floor.js';

describe('allocation floor', () => {
  it('asks for the whole floor when the router is idle, pro rata to the interval', () => {
    expect(shortfall(0, 1000)).toBe(FLOOR_BYTES_PER_SECOND);
    expect(shortfall(0, 100)).toBe(FLOOR_BYTES_PER_SECOND / 10);
  });

  it('counts what the traffic allocates, and asks for nothing under load', () => {
    const busy = FLOOR_BYTES_PER_SECOND / BYTES_PER_COMMAND / 10; // commands per 100 ms at the floor
    expect(shortfall(busy / 2, 100)).toBe(FLOOR_BYTES_PER_SECOND / 20);
    expect(shortfall(busy, 100)).toBe(0);
    expect(shortfall(busy * 100, 100)).toBe(0);
  });

  it('allocates fresh arrays when short, and none when not', () => {
    allocateGarbage(4096);
    const before = lastGarbage();
    expect(before).toBeInstanceOf(Array);
    topUp(1e9, 100);
    expect(lastGarbage()).toBe(before);
    topUp(0, 100);
    expect(lastGarbage()).not.toBe(before);
    expect(lastGarbage()!.length).toBeGreaterThanOrEqual(100);
  });

  it('allocates about the bytes asked for (young-generation growth between collections)', async () => {
    const v8 = await import('node:v8');
    const newSpaceUsed = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')!.space_used_size;
    // A collection in the middle resets the count: take the best of a few tries.
    let best = 0;
    for (let i = 0; i < 5; i++) {
      const before = newSpaceUsed();
      allocateGarbage(100_000);
      best = Math.max(best, newSpaceUsed() - before);
    }
    expect(best).toBeGreaterThanOrEqual(90_000);
    expect(best).toBeLessThan(200_000);
  });
});
