/**
 * One bucket table of a Dict: 2^k slots, each the first row of a chain plus one (0 = empty).
 *
 * Stored as Int32Array chunks of BUCKET_CHUNK_SLOTS that are allocated on first write, so that
 * a 2^25-slot table costs nothing when created and its memory arrives bit by bit as rehashing
 * fills it. One big ArrayBuffer would not do: V8 accounts a large backing store at once (a young
 * 64 MB ArrayBuffer measured 20-80 ms of collector work when allocated), and its pages would all
 * be first touched within the same rehash. Chunks of the old table are dropped as soon as
 * rehashing has emptied them, so old and new tables do not coexist in full.
 */

/** Slots per chunk: 64 KB of memory. */
export const BUCKET_CHUNK_BITS = 14;
export const BUCKET_CHUNK_SLOTS = 1 << BUCKET_CHUNK_BITS;
const SLOT_MASK = BUCKET_CHUNK_SLOTS - 1;

export class BucketTable {
  readonly size: number;
  readonly mask: number;
  private readonly chunks: (Int32Array | undefined)[];

  constructor(size: number) {
    this.size = size;
    this.mask = size === 0 ? 0 : size - 1;
    const n = Math.ceil(size / BUCKET_CHUNK_SLOTS);
    this.chunks = new Array<Int32Array | undefined>(n).fill(undefined);
    // Small tables (hash, set and sorted-set encodings) get their one chunk at once, exactly sized.
    if (size > 0 && size <= BUCKET_CHUNK_SLOTS) this.chunks[0] = new Int32Array(size);
  }

  /** Row + 1 of the chain's first entry, 0 when the bucket is empty. */
  head(b: number): number {
    const c = this.chunks[b >>> BUCKET_CHUNK_BITS];
    return c === undefined ? 0 : c[b & SLOT_MASK]!;
  }

  setHead(b: number, link: number): void {
    let c = this.chunks[b >>> BUCKET_CHUNK_BITS];
    if (c === undefined) {
      if (link === 0) return;
      c = new Int32Array(BUCKET_CHUNK_SLOTS);
      this.chunks[b >>> BUCKET_CHUNK_BITS] = c;
    }
    c[b & SLOT_MASK] = link;
  }

  /** The first bucket >= b whose chunk has been allocated (size when none): skips empty chunks. */
  nextAllocated(b: number): number {
    while (b < this.size && this.chunks[b >>> BUCKET_CHUNK_BITS] === undefined) {
      b = ((b >>> BUCKET_CHUNK_BITS) + 1) << BUCKET_CHUNK_BITS;
    }
    return Math.min(b, this.size);
  }

  /** Forget the chunk holding bucket b (every bucket in it must be empty). */
  dropChunkOf(b: number): void {
    if (this.size > BUCKET_CHUNK_SLOTS) this.chunks[b >>> BUCKET_CHUNK_BITS] = undefined;
  }

  /** Whether b is the last bucket of its chunk. */
  static endsChunk(b: number): boolean {
    return (b & SLOT_MASK) === SLOT_MASK;
  }
}
