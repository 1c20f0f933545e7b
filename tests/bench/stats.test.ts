import { describe, expect, it } from 'vitest';
import { medianInterval } from '../../scripts/bench/stats.mjs';
import { prng } from '../support/prng.js';

describe('medianInterval (order-statistic interval for a median)', () => {
  it('cuts as many values off each end as the level allows', () => {
    const seven = [7, 1, 6, 2, 5, 3, 4];
    // n = 7: cutting one off each end covers only 1 - 2 * 8/128 = 0.875.
    expect(medianInterval(seven, 0.9)).toEqual({ lo: 1, hi: 7, coverage: 1 - 2 / 128 });
    expect(medianInterval(seven, 0.8)).toEqual({ lo: 2, hi: 6, coverage: 1 - 16 / 128 });
    // n = 25 at 0.9: P(B <= 7) = 0.0216 keeps 0.957; P(B <= 8) = 0.0539 would give 0.892.
    const r = medianInterval(Array.from({ length: 25 }, (_, i) => i + 1), 0.9);
    expect([r.lo, r.hi]).toEqual([8, 18]);
    expect(r.coverage).toBeCloseTo(0.9567, 4);
  });

  it('falls back to the whole range, with its coverage, for a handful of values', () => {
    expect(medianInterval([3, 1], 0.9)).toEqual({ lo: 1, hi: 3, coverage: 0.5 });
    expect(medianInterval([5], 0.9)).toEqual({ lo: 5, hi: 5, coverage: 0 });
    expect(medianInterval([], 0.9).coverage).toBe(0);
  });

  it('covers the true median about as often as it claims', () => {
    const rand = prng(42);
    let covered = 0;
    const trials = 4000;
    for (let t = 0; t < trials; t++) {
      // Skewed samples (exponential, median ln 2) of 15.
      const xs = Array.from({ length: 15 }, () => -Math.log(1 - rand()));
      const { lo, hi } = medianInterval(xs, 0.9);
      if (lo <= Math.LN2 && Math.LN2 <= hi) covered++;
    }
    // n = 15 at 0.9: k = 3, coverage 1 - 2 * P(B <= 3) = 0.9648.
    expect(covered / trials).toBeGreaterThan(0.95);
    expect(covered / trials).toBeLessThan(0.98);
  });
});
