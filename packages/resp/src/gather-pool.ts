/**
 * Reusable buffers for gathering big commands and replies (a proxy's answer to V8's
 * external-memory GCs).
 *
 * A command or reply too big for one read is gathered into a buffer of its final size. Each such buffer is
 * a fresh ArrayBuffer; at hundreds of MB/s V8 counts them as external memory and runs a major GC
 * every few dozen milliseconds (200 KB SETs through the router: one every ~48 ms, ~25% of its
 * CPU). A GatherPool lends those buffers instead and takes them back once nothing can touch
 * their bytes any more:
 *  - the parser has moved on (`retire`);
 *  - every holder of the bytes has let go (`hold` / `release`: a kept raw command, until the node
 *    has answered it, which proves it received every byte; a forwarded reply, until the client's
 *    socket has taken its bytes);
 *  - no socket read is still aimed at it (`offered`: a read target handed to the socket, see
 *    read-target.ts, until that read has come back).
 * A holder that never releases only means the buffer is left to the garbage collector: the pool
 * never takes back a buffer early. Free buffers are kept per power-of-two size class up to a
 * budget of bytes.
 */

/** Commands from this size on are gathered in pooled buffers. */
export const GATHER_POOL_MIN = 64 * 1024;
/** Biggest buffer the pool lends (bigger ones are plain allocations). */
export const GATHER_POOL_MAX = 16 * 1024 * 1024;
/** Free buffers are dropped after this long without a big command or reply (see trimIfIdle). */
export const GATHER_POOL_IDLE_MS = 10_000;

export class GatherBuffer {
  private holds = 0;
  private retired = false;
  private returned = false;
  /** A socket read may still land in this buffer. */
  offered = false;

  constructor(
    readonly buf: Buffer,
    private readonly pool: GatherPool,
  ) {}

  /** Someone keeps (a view of) the bytes. */
  hold(): void {
    this.holds++;
  }

  /** ... and has let go of them. */
  release(): void {
    this.holds--;
    this.giveBack();
  }

  /** The parser no longer uses this buffer. */
  retire(): void {
    this.retired = true;
    this.giveBack();
  }

  /** The socket read aimed at this buffer has come back. */
  readDone(): void {
    this.offered = false;
    this.giveBack();
  }

  private giveBack(): void {
    if (this.returned || !this.retired || this.holds > 0 || this.offered) return;
    this.returned = true;
    this.pool.put(this.buf);
  }
}

/** Size class of a request: the power of two at or above it (from GATHER_POOL_MIN). */
function classSize(size: number): number {
  let c = GATHER_POOL_MIN;
  while (c < size) c *= 2;
  return c;
}

export class GatherPool {
  private readonly free = new Map<number, Buffer[]>();
  /** Bytes in free buffers. */
  freeBytes = 0;
  /** Buffers lent that were made anew, and lent again from the free lists (for tests and stats). */
  made = 0;
  reused = 0;
  /** performance.now() of the last take. */
  private lastTake = 0;

  constructor(
    /** Most bytes kept in free buffers. */
    readonly budget = 32 * 1024 * 1024,
  ) {}

  /** A buffer of at least `size` bytes (size <= GATHER_POOL_MAX), to be retired by its parser. */
  take(size: number): GatherBuffer {
    this.lastTake = performance.now();
    const c = classSize(size);
    const list = this.free.get(c);
    const buf = list?.pop();
    if (buf !== undefined) {
      this.freeBytes -= buf.length;
      this.reused++;
      return new GatherBuffer(buf, this);
    }
    this.made++;
    return new GatherBuffer(Buffer.allocUnsafeSlow(c), this);
  }

  /**
   * Drops the free buffers when nothing was taken for GATHER_POOL_IDLE_MS (a router that saw a
   * burst of big values does not keep up to `budget` bytes for ever). Call it now and then.
   */
  trimIfIdle(now = performance.now()): void {
    if (this.freeBytes === 0 || now - this.lastTake < GATHER_POOL_IDLE_MS) return;
    this.free.clear();
    this.freeBytes = 0;
  }

  /** Called by a GatherBuffer once nothing uses it. */
  put(buf: Buffer): void {
    if (this.freeBytes + buf.length > this.budget) return;
    let list = this.free.get(buf.length);
    if (list === undefined) this.free.set(buf.length, (list = []));
    list.push(buf);
    this.freeBytes += buf.length;
  }
}

/**
 * A gathering buffer of at least `cap` bytes: lent by `pool` when there is one and cap is from
 * `lendMin` to GATHER_POOL_MAX, else allocated with exactly `cap` bytes.
 */
export function lendOrAllocate(pool: GatherPool | null, cap: number, lendMin = GATHER_POOL_MIN): { buf: Buffer; lent: GatherBuffer | null } {
  if (pool !== null && cap >= lendMin && cap <= GATHER_POOL_MAX) {
    const lent = pool.take(cap);
    return { buf: lent.buf, lent };
  }
  return { buf: Buffer.allocUnsafe(cap), lent: null };
}

/**
 * `n` bytes of `src` (a buffer reused once the caller returns, e.g. a socket's shared read
 * buffer) in a Buffer of their own: a lent one when `pool` is given and n is at least `lendMin`
 * (the rest of a big command or reply can then be read into its tail), else a fresh one of n bytes.
 */
export function copyOut(pool: GatherPool | null, src: Uint8Array, n: number, lendMin: number): { buf: Buffer; lent: GatherBuffer | null } {
  const out = lendOrAllocate(pool, n, lendMin);
  out.buf.set(src.subarray(0, n));
  return out;
}
