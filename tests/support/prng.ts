/** The seeded PRNG of the random test streams: the benchmarks' own (one copy, plain JavaScript). */
export { prng } from '../../scripts/bench/prng.mjs';
