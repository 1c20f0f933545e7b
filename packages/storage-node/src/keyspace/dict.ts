/**
 * Dict: Redis's incrementally rehashed hash table (dict.c), rebuilt for V8.
 *
 * Why not a JS Map: a Map is one contiguous hash table that V8 rebuilds in a single step when it
 * grows (measured: a 1.04 s pause past 4,194,304 entries) and cannot hold more than 2^24 entries.
 * This dict never stops the world: like Redis it has two bucket tables and moves a few buckets
 * per operation (`rehashStep`) or per cron tick (`rehashMicroseconds`) from the old table to the
 * new one.
 *
 * Memory layout (the 8 million keys at <= 150 bytes RSS per key target):
 *  - Entries are rows, not objects. A row lives in two interleaved strips: `refs` (a JS array:
 *    key, value) and `ints` (an Int32Array: hash, next, meta), plus an optional float64 `nums`
 *    column. A row costs 8 + 8 + 4 + 4 (+ 4 meta) bytes instead of a ~56-byte object, the typed
 *    strip is never scanned by the garbage collector, and a lookup touches one cache line per
 *    strip instead of one per field. Strips grow by fixed 2^12-row chunks (the first chunk grows
 *    geometrically so small dicts stay small), so growing never copies a big array. Chunks are
 *    small (a 64 KB array, a 48 KB typed array) because a fresh allocation's cost is in touching
 *    new memory: a 1 MB chunk measured 5-20 ms in the VMs we test in (~40 us per first-touched
 *    page), a 64 KB one stays well under a millisecond, and it is an ordinary young object.
 *  - Rows are dense: row indices are 0..size-1. Deleting a row moves the last row into the hole
 *    (relinking its bucket chain), so iteration and `randomIndex` (uniform, O(1)) need no holes
 *    skipping, and trailing chunks are released as the dict shrinks. A row index is therefore
 *    only valid until the next add or delete.
 *  - Off the heap (`offHeap`, the keyspace's dicts): keys and string values of at most
 *    SLAB_MAX_LENGTH bytes live in a ByteSlab (byte-slab.ts), their handles in two more int
 *    columns; only longer keys and other values are references. Then a chunk's `refs` array is
 *    made only when a row of it needs one, and millions of string keys are no garbage-collector
 *    work at all (see byte-slab.ts for what that work cost). Keys and values read from the slab
 *    are fresh strings each time.
 *  - Bucket tables (bucket-table.ts) hold row + 1 per slot (0 = empty chain) in chunks allocated
 *    on first write, so creating a 2^25-slot table costs no pause either, and the old table's
 *    chunks are released as rehashing empties them.
 *
 * Resizing follows Redis 7.0: expand to the next power of two above `size` when size >= slots
 * (`dictResizeEnabled` false postpones it until the load factor passes DICT_FORCE_RESIZE_RATIO),
 * shrink when less than HASHTABLE_MIN_FILL percent of the slots are used (htNeedsResize; checked
 * on delete, as the hash/set/zset commands do after deletions, and by `resizeIfNeeded`).
 *
 * `scan` is dictScan with the reverse-binary cursor: a key present for the whole scan is returned
 * at least once even if the table grows or shrinks in between (it may be returned twice).
 *
 * The hash is FNV-1a over the char codes (one byte each, see resp/bytes.ts) with a random
 * per-process seed and a murmur3 finalizer so the low bits used as bucket index are well mixed:
 * siphash is too slow in JS and the keys' own V8 hash is not reachable from JS.
 */
import { randomBytes } from 'node:crypto';
import type { Bytes } from '@swarmkv/resp';
import { BucketTable } from './bucket-table.js';
import { ByteSlab, SLAB_MAX_LENGTH } from './byte-slab.js';

/** Redis: DICT_HT_INITIAL_SIZE (slots of a table's first allocation). */
export const DICT_HT_INITIAL_SIZE = 4;
/** Redis: HASHTABLE_MIN_FILL: shrink below this percentage of used slots. */
export const HASHTABLE_MIN_FILL = 10;
/** Redis: dict_force_resize_ratio: grow even when resizing is disabled past this load factor. */
export const DICT_FORCE_RESIZE_RATIO = 5;
/** Redis dictRehash: at most n*10 empty buckets are visited per step of n buckets. */
const REHASH_EMPTY_VISITS = 10;
/** Buckets moved between two clock reads in rehashMicroseconds (Redis: dictRehashMilliseconds). */
const REHASH_BATCH = 100;

const CHUNK_BITS = 12;
/** Rows per column chunk (all but the first chunk have exactly this many). */
export const DICT_CHUNK_SIZE = 1 << CHUNK_BITS;
const CHUNK_MASK = DICT_CHUNK_SIZE - 1;
/** Capacity of the first chunk of a new dict. */
const FIRST_CHUNK_ROWS = 8;

const EMPTY_TABLE = new BucketTable(0);

let hashSeed = randomBytes(4).readInt32LE(0);

/** Fix the hash seed (tests that need reproducible layouts). */
export function setDictHashSeed(seed: number): void {
  hashSeed = seed | 0;
}

let resizeEnabled = true;

/** Redis dictSetResizeEnabled (only tables past DICT_FORCE_RESIZE_RATIO grow while disabled). */
export function setDictResizeEnabled(enabled: boolean): void {
  resizeEnabled = enabled;
}

/** The seeded 32-bit string hash used by every dict. */
export function dictHash(key: Bytes): number {
  let h = hashSeed ^ 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  }
  h ^= key.length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

/** Reverse the 32 bits of x. */
function rev32(x: number): number {
  x = ((x >>> 1) & 0x55555555) | ((x & 0x55555555) << 1);
  x = ((x >>> 2) & 0x33333333) | ((x & 0x33333333) << 2);
  x = ((x >>> 4) & 0x0f0f0f0f) | ((x & 0x0f0f0f0f) << 4);
  x = ((x >>> 8) & 0x00ff00ff) | ((x & 0x00ff00ff) << 8);
  return ((x >>> 16) | (x << 16)) >>> 0;
}

/**
 * dictScan's cursor step for a table of mask m (2^k - 1): increment the reversed cursor.
 * Equal to Redis's 64-bit `v |= ~m; v = rev(v); v++; v = rev(v)`; 0 means the scan is over.
 */
function nextCursor(v: number, m: number): number {
  const low = (v & m) >>> 0;
  if (low === m) return 0;
  const bits = 32 - Math.clz32(m);
  const r = rev32(low) >>> (32 - bits);
  return rev32(r + 1) >>> (32 - bits);
}

export interface DictOptions {
  /** Keep a value per key (false for sets and the expires index). Default true. */
  values?: boolean;
  /** Keep a float64 per key (`numAt`): expire times, sorted-set scores. */
  numeric?: boolean;
  /** Keep a 31-bit unsigned int per key (`metaAt`): LRU clock and flags. */
  meta?: boolean;
  /** Keep short keys and short string values in a ByteSlab, off the V8 heap. Default false. */
  offHeap?: boolean;
}

export type DictVisitor<V> = (key: Bytes, value: V, row: number) => void;

export class Dict<V> {
  /**
   * Per chunk: key, value of each row (stride `rs`). Off-heap dicts make the arrays of chunks
   * after the first only when a row needs a reference (undefined until then).
   */
  private refs: (unknown[] | undefined)[] = [[]];
  /**
   * Per chunk: hash, next row + 1 (0 = end of chain), meta, then for off-heap dicts the slab
   * handles of key and value (0 = kept in `refs`), of each row (stride `is`).
   */
  private ints: Int32Array[];
  private nums: Float64Array[] | null;
  /** 2 with values, 1 without. */
  private readonly rs: number;
  /** Row stride of `ints`: 2, + 1 with meta, + 1 (keys) + 1 (values) off the heap. */
  private readonly is: number;
  /** Columns of the key and value slab handles in `ints` (-1 when absent). */
  private readonly ko: number;
  private readonly vo: number;
  private readonly hasMeta: boolean;
  private slab: ByteSlab | null;
  /** Rows allocated in the typed strips. */
  private capacity = FIRST_CHUNK_ROWS;
  private count = 0;

  /** Main table (the old one while rehashing). */
  private t0: BucketTable = EMPTY_TABLE;
  private m0 = 0;
  /** New table while rehashing, else EMPTY_TABLE. */
  private t1: BucketTable = EMPTY_TABLE;
  private m1 = 0;
  /** Next bucket of t0 to move into t1; -1 when not rehashing. */
  private rehashIdx = -1;
  private pauseRehash = 0;

  /** Set by findOrInsert: whether the returned row was just created. */
  inserted = false;
  /** Set by delete: the meta of the deleted row (0 without a meta column). */
  deletedMeta = 0;

  constructor(opts: DictOptions = {}) {
    this.rs = opts.values === false ? 1 : 2;
    this.hasMeta = opts.meta === true;
    let is = opts.meta ? 3 : 2;
    const offHeap = opts.offHeap === true;
    this.ko = offHeap ? is++ : -1;
    this.vo = offHeap && this.rs === 2 ? is++ : -1;
    this.is = is;
    this.slab = offHeap ? new ByteSlab() : null;
    this.ints = [new Int32Array(FIRST_CHUNK_ROWS * this.is)];
    this.nums = opts.numeric ? [new Float64Array(FIRST_CHUNK_ROWS)] : null;
  }

  // ---- sizes ---------------------------------------------------------------------------------

  get size(): number {
    return this.count;
  }

  /** Bucket slots of both tables (Redis dictSlots). */
  slots(): number {
    return this.t0.size + this.t1.size;
  }

  isRehashing(): boolean {
    return this.rehashIdx !== -1;
  }

  // ---- rows ----------------------------------------------------------------------------------

  keyAt(row: number): Bytes {
    const c = row >>> CHUNK_BITS;
    const o = row & CHUNK_MASK;
    if (this.slab !== null) {
      const h = this.ints[c]![o * this.is + this.ko]!;
      if (h !== 0) return this.slab.read(h);
    }
    return this.refs[c]![o * this.rs] as Bytes;
  }

  valueAt(row: number): V {
    if (this.rs === 1) return undefined as V;
    const c = row >>> CHUNK_BITS;
    const o = row & CHUNK_MASK;
    if (this.slab !== null) {
      const h = this.ints[c]![o * this.is + this.vo]!;
      if (h !== 0) return this.slab.read(h) as V;
      const refs = this.refs[c];
      return (refs === undefined ? undefined : refs[o * 2 + 1]) as V;
    }
    return this.refs[c]![o * 2 + 1] as V;
  }

  setValueAt(row: number, value: V): void {
    if (this.rs === 1) return;
    const c = row >>> CHUNK_BITS;
    const o = row & CHUNK_MASK;
    const slab = this.slab;
    if (slab !== null) {
      const ints = this.ints[c]!;
      const i = o * this.is + this.vo;
      if (ints[i] !== 0) slab.free(ints[i]!);
      if (typeof value === 'string' && value.length <= SLAB_MAX_LENGTH) {
        ints[i] = slab.alloc(value);
        const refs = this.refs[c];
        if (refs !== undefined) refs[o * 2 + 1] = undefined;
        return;
      }
      ints[i] = 0;
      this.refsFor(c)[o * 2 + 1] = value;
      return;
    }
    this.refs[c]![o * 2 + 1] = value;
  }

  /** The refs array of chunk c, made when missing (off-heap dicts). */
  private refsFor(c: number): unknown[] {
    let refs = this.refs[c];
    if (refs === undefined) this.refs[c] = refs = new Array<unknown>(DICT_CHUNK_SIZE * this.rs);
    return refs;
  }

  /** Whether row (chunk c, offset o) holds `key`. */
  private keyIs(c: number, o: number, key: Bytes): boolean {
    if (this.slab !== null) {
      const h = this.ints[c]![o * this.is + this.ko]!;
      if (h !== 0) return this.slab.equals(h, key);
    }
    return this.refs[c]![o * this.rs] === key;
  }

  numAt(row: number): number {
    return this.nums![row >>> CHUNK_BITS]![row & CHUNK_MASK]!;
  }

  setNumAt(row: number, x: number): void {
    this.nums![row >>> CHUNK_BITS]![row & CHUNK_MASK] = x;
  }

  /** The meta word (31 bits unsigned) of a dict made with `meta: true`. */
  metaAt(row: number): number {
    return this.ints[row >>> CHUNK_BITS]![(row & CHUNK_MASK) * this.is + 2]!;
  }

  setMetaAt(row: number, x: number): void {
    this.ints[row >>> CHUNK_BITS]![(row & CHUNK_MASK) * this.is + 2] = x;
  }

  private hashAt(row: number): number {
    return this.ints[row >>> CHUNK_BITS]![(row & CHUNK_MASK) * this.is]!;
  }

  private nextAt(row: number): number {
    return this.ints[row >>> CHUNK_BITS]![(row & CHUNK_MASK) * this.is + 1]!;
  }

  private setNextAt(row: number, linkPlusOne: number): void {
    this.ints[row >>> CHUNK_BITS]![(row & CHUNK_MASK) * this.is + 1] = linkPlusOne;
  }

  // ---- lookups -------------------------------------------------------------------------------

  /** Row of `key`, or -1. Performs one rehash step like Redis's dictFind. */
  findIndex(key: Bytes): number {
    if (this.count === 0) return -1;
    if (this.rehashIdx !== -1 && this.pauseRehash === 0) this.rehashStep(1);
    return this.findHashed(key, dictHash(key));
  }

  private findHashed(key: Bytes, h: number): number {
    if (this.t0.size === 0) return -1;
    const b0 = h & this.m0;
    if (this.rehashIdx === -1 || b0 >= this.rehashIdx) {
      const r = this.findInChain(this.t0.head(b0) - 1, key, h);
      if (r !== -1 || this.rehashIdx === -1) return r;
    }
    return this.findInChain(this.t1.head(h & this.m1) - 1, key, h);
  }

  private findInChain(row: number, key: Bytes, h: number): number {
    const is = this.is;
    while (row !== -1) {
      const c = row >>> CHUNK_BITS;
      const o = row & CHUNK_MASK;
      const ints = this.ints[c]!;
      if (ints[o * is] === h && this.keyIs(c, o, key)) return row;
      row = ints[o * is + 1]! - 1;
    }
    return -1;
  }

  has(key: Bytes): boolean {
    return this.findIndex(key) !== -1;
  }

  get(key: Bytes): V | undefined {
    const row = this.findIndex(key);
    return row === -1 ? undefined : this.valueAt(row);
  }

  // ---- inserts -------------------------------------------------------------------------------

  /**
   * Row of `key`, inserting it (value undefined, num 0, meta 0) when missing; `inserted` tells
   * which happened (Redis dictAddOrFind).
   */
  findOrInsert(key: Bytes): number {
    if (this.rehashIdx !== -1 && this.pauseRehash === 0) this.rehashStep(1);
    const h = dictHash(key);
    const row = this.findHashed(key, h);
    if (row !== -1) {
      this.inserted = false;
      return row;
    }
    this.inserted = true;
    return this.insertHashed(key, h);
  }

  /** Add a key; false (nothing changed) when it exists (Redis dictAdd). */
  add(key: Bytes, value: V): boolean {
    const row = this.findOrInsert(key);
    if (!this.inserted) return false;
    this.setValueAt(row, value);
    return true;
  }

  /** Add or overwrite; true when the key is new (Redis dictReplace). */
  set(key: Bytes, value: V): boolean {
    const row = this.findOrInsert(key);
    this.setValueAt(row, value);
    return this.inserted;
  }

  private insertHashed(key: Bytes, h: number): number {
    this.expandIfNeeded();
    const row = this.count;
    if (row === this.capacity) this.grow();
    const c = row >>> CHUNK_BITS;
    const o = row & CHUNK_MASK;
    const rs = this.rs;
    const ints = this.ints[c]!;
    const i = o * this.is;
    let keyRef: Bytes | undefined = key;
    if (this.slab !== null) {
      if (key.length <= SLAB_MAX_LENGTH) {
        ints[i + this.ko] = this.slab.alloc(key);
        keyRef = undefined;
      } else {
        ints[i + this.ko] = 0;
      }
      if (this.vo !== -1) ints[i + this.vo] = 0;
    }
    // Rows are appended in order, so in the first (growable) chunk these writes append.
    const refs = c === 0 || keyRef !== undefined ? this.refsFor(c) : this.refs[c];
    if (refs !== undefined) {
      refs[o * rs] = keyRef;
      if (rs === 2) refs[o * 2 + 1] = undefined;
    }
    if (this.nums !== null) this.nums[c]![o] = 0;
    ints[i] = h;
    if (this.hasMeta) ints[i + 2] = 0;
    // While rehashing, Redis puts new keys in the new table. Here a key whose old bucket has not
    // been moved yet goes to the old table (rehashing moves it with its bucket): so new keys only
    // touch new-table memory that rehashing has already reached. Inserting anywhere in a fresh
    // 2^22-slot table made the first few thousand inserts after an expand allocate and first-touch
    // all of its 256 chunks: a 40-50 ms stall at 2 and 4 million keys.
    const table = this.rehashIdx !== -1 && (h & this.m0) < this.rehashIdx ? this.t1 : this.t0;
    const b = h & table.mask;
    ints[i + 1] = table.head(b);
    table.setHead(b, row + 1);
    this.count = row + 1;
    return row;
  }

  /** Make room for one more row: double the first chunk, or append a full chunk. */
  private grow(): void {
    if (this.capacity < DICT_CHUNK_SIZE) {
      const cap = Math.min(this.capacity * 2, DICT_CHUNK_SIZE);
      const ints = new Int32Array(cap * this.is);
      ints.set(this.ints[0]!);
      this.ints[0] = ints;
      if (this.nums !== null) {
        const nums = new Float64Array(cap);
        nums.set(this.nums[0]!);
        this.nums[0] = nums;
      }
      this.capacity = cap;
      return;
    }
    // A preallocated (holey) array: a chunk never reallocates while it fills up.
    this.refs.push(this.slab !== null ? undefined : new Array<unknown>(DICT_CHUNK_SIZE * this.rs));
    this.ints.push(new Int32Array(DICT_CHUNK_SIZE * this.is));
    if (this.nums !== null) this.nums.push(new Float64Array(DICT_CHUNK_SIZE));
    this.capacity += DICT_CHUNK_SIZE;
  }

  /** Release trailing chunks once half a chunk of slack remains below them. */
  private releaseChunks(): void {
    let chunks = this.refs.length;
    while (chunks > 1 && this.count + DICT_CHUNK_SIZE / 2 <= (chunks - 1) * DICT_CHUNK_SIZE) {
      this.refs.pop();
      this.ints.pop();
      this.nums?.pop();
      this.capacity -= DICT_CHUNK_SIZE;
      chunks--;
    }
  }

  // ---- deletes -------------------------------------------------------------------------------

  /** Delete a key; true when it existed. */
  delete(key: Bytes): boolean {
    if (this.count === 0) return false;
    if (this.rehashIdx !== -1 && this.pauseRehash === 0) this.rehashStep(1);
    const h = dictHash(key);
    const b0 = h & this.m0;
    let row = -1;
    if (this.rehashIdx === -1 || b0 >= this.rehashIdx) row = this.unlink(this.t0, b0, key, h);
    if (row === -1 && this.rehashIdx !== -1) row = this.unlink(this.t1, h & this.m1, key, h);
    if (row === -1) return false;
    this.deletedMeta = this.hasMeta ? this.metaAt(row) : 0;
    if (this.slab !== null) this.freeCells(row);
    this.fillHole(row);
    this.shrinkIfNeeded();
    return true;
  }

  /** Unlink `key` from the chain of table[b]; returns its row or -1. */
  private unlink(table: BucketTable, b: number, key: Bytes, h: number): number {
    const is = this.is;
    let prev = -1;
    let row = table.head(b) - 1;
    while (row !== -1) {
      const c = row >>> CHUNK_BITS;
      const o = row & CHUNK_MASK;
      const ints = this.ints[c]!;
      const next = ints[o * is + 1]!;
      if (ints[o * is] === h && this.keyIs(c, o, key)) {
        if (prev === -1) table.setHead(b, next);
        else this.setNextAt(prev, next);
        return row;
      }
      prev = row;
      row = next - 1;
    }
    return -1;
  }

  /** Give the slab cells of `row` back (it is being deleted). */
  private freeCells(row: number): void {
    const ints = this.ints[row >>> CHUNK_BITS]!;
    const i = (row & CHUNK_MASK) * this.is;
    const k = ints[i + this.ko]!;
    if (k !== 0) this.slab!.free(k);
    if (this.vo !== -1) {
      const v = ints[i + this.vo]!;
      if (v !== 0) this.slab!.free(v);
    }
  }

  /** The row `hole` was unlinked: move the last row into it so rows stay dense. */
  private fillHole(hole: number): void {
    const last = this.count - 1;
    const lc = last >>> CHUNK_BITS;
    const lo = last & CHUNK_MASK;
    const rs = this.rs;
    const is = this.is;
    if (hole !== last) {
      const h = this.hashAt(last);
      // Repoint whichever link holds `last` (bucket head or predecessor's next) to `hole`.
      const b0 = h & this.m0;
      let done = false;
      if (this.rehashIdx === -1 || b0 >= this.rehashIdx) done = this.relink(this.t0, b0, last, hole);
      if (!done) this.relink(this.t1, h & this.m1, last, hole);
      const hc = hole >>> CHUNK_BITS;
      const ho = hole & CHUNK_MASK;
      const lr = this.refs[lc];
      const hr = lr !== undefined ? this.refsFor(hc) : this.refs[hc];
      if (hr !== undefined) {
        hr[ho * rs] = lr === undefined ? undefined : lr[lo * rs];
        if (rs === 2) hr[ho * 2 + 1] = lr === undefined ? undefined : lr[lo * 2 + 1];
      }
      const hi = this.ints[hc]!;
      const li = this.ints[lc]!;
      const a = ho * is;
      const b = lo * is;
      for (let k = 0; k < is; k++) hi[a + k] = li[b + k]!;
      if (this.nums !== null) this.nums[hc]![ho] = this.nums[lc]![lo]!;
    }
    // Drop the references so the collector can free the key and value.
    const lr = this.refs[lc];
    if (lr !== undefined) {
      lr[lo * rs] = undefined;
      if (rs === 2) lr[lo * 2 + 1] = undefined;
    }
    this.count = last;
    const chunks = this.refs.length;
    if (chunks > 1 && last + DICT_CHUNK_SIZE / 2 <= (chunks - 1) * DICT_CHUNK_SIZE) this.releaseChunks();
  }

  private relink(table: BucketTable, b: number, from: number, to: number): boolean {
    if (table.size === 0) return false;
    let link = table.head(b);
    if (link === from + 1) {
      table.setHead(b, to + 1);
      return true;
    }
    while (link !== 0) {
      const row = link - 1;
      link = this.nextAt(row);
      if (link === from + 1) {
        this.setNextAt(row, to + 1);
        return true;
      }
    }
    return false;
  }

  /** Remove every key (tables back to unallocated). */
  clear(): void {
    this.refs = [[]];
    if (this.slab !== null) this.slab = new ByteSlab();
    this.ints = [new Int32Array(FIRST_CHUNK_ROWS * this.is)];
    if (this.nums !== null) this.nums = [new Float64Array(FIRST_CHUNK_ROWS)];
    this.capacity = FIRST_CHUNK_ROWS;
    this.count = 0;
    this.t0 = EMPTY_TABLE;
    this.t1 = EMPTY_TABLE;
    this.m0 = 0;
    this.m1 = 0;
    this.rehashIdx = -1;
  }

  // ---- resizing ------------------------------------------------------------------------------

  private expandIfNeeded(): void {
    if (this.rehashIdx !== -1) return;
    const slots = this.t0.size;
    if (slots === 0) {
      this.expand(DICT_HT_INITIAL_SIZE);
    } else if (this.count >= slots && (resizeEnabled || this.count / slots > DICT_FORCE_RESIZE_RATIO)) {
      this.expand(this.count + 1);
    }
  }

  /**
   * Start moving to a table of the next power of two >= max(size, DICT_HT_INITIAL_SIZE) slots
   * (Redis dictExpand). False when rehashing already, or the size is the current one or too small.
   */
  expand(size: number): boolean {
    if (this.rehashIdx !== -1 || this.count > size) return false;
    let slots = DICT_HT_INITIAL_SIZE;
    while (slots < size && slots < 0x40000000) slots *= 2;
    if (slots === this.t0.size) return false;
    const table = new BucketTable(slots);
    if (this.t0.size === 0) {
      this.t0 = table;
      this.m0 = slots - 1;
      return true;
    }
    this.t1 = table;
    this.m1 = slots - 1;
    this.rehashIdx = 0;
    return true;
  }

  /** Redis htNeedsResize + dictResize: shrink a table used under HASHTABLE_MIN_FILL percent. */
  resizeIfNeeded(): boolean {
    if (this.rehashIdx !== -1) return false;
    const slots = this.t0.size;
    if (slots > DICT_HT_INITIAL_SIZE && (this.count * 100) / slots < HASHTABLE_MIN_FILL) {
      return this.expand(Math.max(this.count, DICT_HT_INITIAL_SIZE));
    }
    return false;
  }

  private shrinkIfNeeded(): void {
    if (this.rehashIdx === -1 && this.count * 100 < this.t0.size * HASHTABLE_MIN_FILL) {
      if (resizeEnabled) this.resizeIfNeeded();
    }
  }

  /**
   * Move up to n buckets of the old table (visiting at most n*10 empty ones): Redis dictRehash.
   * Returns true while there is more to move.
   */
  rehashStep(n: number): boolean {
    if (this.rehashIdx === -1) return false;
    const t0 = this.t0;
    const t1 = this.t1;
    const m1 = this.m1;
    const size0 = t0.size;
    const is = this.is;
    let idx = this.rehashIdx;
    let emptyVisits = n * REHASH_EMPTY_VISITS;
    while (n > 0 && idx < size0) {
      // A chunk that was never written holds only empty buckets: skip it whole, as one visit.
      const allocated = t0.nextAllocated(idx);
      if (allocated !== idx) {
        idx = allocated;
        if (--emptyVisits === 0) break;
        continue;
      }
      let row = t0.head(idx) - 1;
      if (row === -1) {
        if (BucketTable.endsChunk(idx)) t0.dropChunkOf(idx);
        idx++;
        if (--emptyVisits === 0) break;
        continue;
      }
      while (row !== -1) {
        const ints = this.ints[row >>> CHUNK_BITS]!;
        const i = (row & CHUNK_MASK) * is;
        const next = ints[i + 1]! - 1;
        const b = ints[i]! & m1;
        ints[i + 1] = t1.head(b);
        t1.setHead(b, row + 1);
        row = next;
      }
      t0.setHead(idx, 0);
      // The old table's memory goes as soon as a chunk of it is empty.
      if (BucketTable.endsChunk(idx)) t0.dropChunkOf(idx);
      idx++;
      n--;
    }
    this.rehashIdx = idx;
    return this.finishRehashIfDone();
  }

  private finishRehashIfDone(): boolean {
    if (this.rehashIdx < this.t0.size) return true;
    this.t0 = this.t1;
    this.m0 = this.m1;
    this.t1 = EMPTY_TABLE;
    this.m1 = 0;
    this.rehashIdx = -1;
    return false;
  }

  /** Rehash in batches for about `us` microseconds (Redis dictRehashMilliseconds); returns buckets moved. */
  rehashMicroseconds(us: number): number {
    if (this.pauseRehash > 0 || this.rehashIdx === -1) return 0;
    const start = performance.now();
    let moved = 0;
    while (this.rehashStep(REHASH_BATCH)) {
      moved += REHASH_BATCH;
      if ((performance.now() - start) * 1000 > us) break;
    }
    return moved;
  }

  /** Stop moving buckets (nested); every pause needs a resume. */
  pauseRehashing(): void {
    this.pauseRehash++;
  }

  resumeRehashing(): void {
    this.pauseRehash--;
  }

  // ---- sampling and iteration ----------------------------------------------------------------

  /** A uniformly random row, or -1 when empty (rows are dense: better than dictGetFairRandomKey). */
  randomIndex(): number {
    return this.count === 0 ? -1 : Math.floor(Math.random() * this.count);
  }

  /**
   * One dictScan step from `cursor`: visits every key of one bucket (two buckets' worth of the
   * bigger table while rehashing) and returns the next cursor, 0 when the scan is complete.
   * The visitor must not add or delete keys (collect them and act afterwards).
   */
  scan(cursor: number, visit: DictVisitor<V>): number {
    if (this.count === 0) return 0;
    this.pauseRehash++;
    try {
      if (this.rehashIdx === -1) {
        this.visitChain(this.t0.head(cursor & this.m0) - 1, visit);
        return nextCursor(cursor, this.m0);
      }
      // Scan the small table's bucket, then every bucket of the big table that expands it.
      let small = this.t0;
      let ms = this.m0;
      let big = this.t1;
      let mb = this.m1;
      if (small.size > big.size) {
        small = this.t1;
        ms = this.m1;
        big = this.t0;
        mb = this.m0;
      }
      this.visitChain(small.head(cursor & ms) - 1, visit);
      do {
        this.visitChain(big.head(cursor & mb) - 1, visit);
        cursor = nextCursor(cursor, mb);
      } while ((cursor & (ms ^ mb)) !== 0);
      return cursor;
    } finally {
      this.pauseRehash--;
    }
  }

  private visitChain(row: number, visit: DictVisitor<V>): void {
    while (row !== -1) {
      const next = this.nextAt(row) - 1;
      visit(this.keyAt(row), this.valueAt(row), row);
      row = next;
    }
  }

  /**
   * Visit every key, last row first. Safe against deleting the visited key or keys already
   * visited; a key deleted before its visit can make another key be visited twice, keys added
   * during the walk are not visited. Rehashing does not move rows, so it needs no pausing.
   */
  forEach(visit: DictVisitor<V>): void {
    for (let row = this.count - 1; row >= 0; row = Math.min(row, this.count) - 1) {
      visit(this.keyAt(row), this.valueAt(row), row);
    }
  }

  /** Keys, with the guarantees of forEach. */
  *keys(): IterableIterator<Bytes> {
    for (let row = this.count - 1; row >= 0; row = Math.min(row, this.count) - 1) {
      yield this.keyAt(row);
    }
  }

  /** [key, value] pairs, with the guarantees of forEach. */
  *entries(): IterableIterator<[Bytes, V]> {
    for (let row = this.count - 1; row >= 0; row = Math.min(row, this.count) - 1) {
      yield [this.keyAt(row), this.valueAt(row)];
    }
  }

  /** Internal consistency check for tests: every row reachable exactly once from the tables. */
  checkInvariants(): void {
    const seen = new Uint8Array(this.count);
    const walk = (table: BucketTable, from: number) => {
      for (let b = from; b < table.size; b++) {
        let row = table.head(b) - 1;
        while (row !== -1) {
          if (row >= this.count) throw new Error(`row ${row} beyond size ${this.count}`);
          if (seen[row]) throw new Error(`row ${row} linked twice`);
          seen[row] = 1;
          if ((this.hashAt(row) & table.mask) !== b) throw new Error(`row ${row} in wrong bucket`);
          if (dictHash(this.keyAt(row)) !== this.hashAt(row)) throw new Error(`row ${row} stale hash`);
          row = this.nextAt(row) - 1;
        }
      }
    };
    walk(this.t0, this.rehashIdx === -1 ? 0 : this.rehashIdx);
    if (this.rehashIdx !== -1) {
      for (let b = 0; b < this.rehashIdx; b++) if (this.t0.head(b) !== 0) throw new Error(`moved bucket ${b} not empty`);
      walk(this.t1, 0);
    }
    for (let r = 0; r < this.count; r++) if (!seen[r]) throw new Error(`row ${r} unreachable`);
  }
}
