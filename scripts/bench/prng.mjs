/**
 * mulberry32: a small seeded PRNG. The same seed gives the same sequence, so benchmark servers
 * get the same "random" data and queries, and a failing random test can be replayed from the
 * seed it prints. Plain JavaScript so that the benchmarks (run without a build) and the tests
 * (tests/support/prng.ts) share this one copy.
 * @param {number} seed
 * @returns {() => number} uniform in [0, 1)
 */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
