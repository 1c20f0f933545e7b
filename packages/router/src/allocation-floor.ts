/**
 * Keeps V8 from treating a quiet router as an idle isolate.
 *
 * V8 measures how fast the program allocates at each garbage collection, over its last ten or
 * so. Below 1,000 bytes/ms it decides the isolate has gone idle and gives memory back: each
 * young-generation collection shrinks the young generation and uncommits its spare half, and
 * the memory reducer runs full collections that release pages. When load comes back, the router
 * allocates into pages the kernel must hand out afresh, until ten collections at the new rate
 * have pushed the idle one out of V8's window: 2,000-4,000 page faults (~15 us each on these
 * VMs) in the first seconds of a run, and a p99 0.3-1.7 ms worse than the same run a second
 * later. A router that has sat idle for 20 s is exactly what a benchmark or a morning's first
 * traffic meets.
 *
 * So while the router's own traffic allocates less than FLOOR_BYTES_PER_SECOND, `topUp` makes up
 * the difference with short-lived arrays. Under load (above ~20,000 commands/s) it allocates
 * nothing; idle, it costs ~2 MB/s of garbage, i.e. a young-generation collection of an almost
 * empty space every few seconds, and keeps the young generation at the size load made it.
 */

/** Comfortably above V8's 1,000 bytes/ms. */
export const FLOOR_BYTES_PER_SECOND = 2_000_000;
/** What the router allocates per command it routes (GET, unpipelined: ~100 bytes). */
export const BYTES_PER_COMMAND = 100;

/** Elements per array: 126 pointer-sized slots plus headers is ~1 KB. */
const ARRAY_LENGTH = 126;
const ARRAY_BYTES = 1024;

/** Written to so that the optimizing compiler cannot drop the allocations as unused. */
let sink: unknown[] | undefined;

/** Allocates about `bytes` of young-generation garbage. */
export function allocateGarbage(bytes: number): void {
  for (let n = Math.ceil(bytes / ARRAY_BYTES); n > 0; n--) sink = new Array(ARRAY_LENGTH);
}

/** The bytes to allocate after `ms` in which the router routed `commands`. */
export function shortfall(commands: number, ms: number): number {
  return Math.max(0, (FLOOR_BYTES_PER_SECOND * ms) / 1000 - commands * BYTES_PER_COMMAND);
}

/** Tops the allocation rate up to the floor; call it on a timer with the commands since the last call. */
export function topUp(commands: number, ms: number): void {
  const bytes = shortfall(commands, ms);
  if (bytes > 0) allocateGarbage(bytes);
}

/** For tests: the last array allocated. */
export function lastGarbage(): unknown[] | undefined {
  return sink;
}
