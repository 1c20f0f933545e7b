/**
 * Listpack: Redis's compact sequence encoding (small hashes, small sorted sets, quicklist nodes).
 *
 * Layout, byte for byte Redis's (src/listpack.c, so a DUMP payload can carry it as is):
 *   <total-bytes u32 LE> <num-elements u16 LE, 65535 = "count it"> <entry>* <0xFF>
 *   entry = <encoding byte(s)> <data> <backlen>, backlen = size of encoding+data in 1..5 bytes,
 *   read right to left (7 bits per byte, high bit = "more bytes to the left").
 * Integers are stored in the smallest of 7-bit uint / 13 / 16 / 24 / 32 / 64-bit signed; strings
 * with a 6-bit, 12-bit or 32-bit length. A string that is the canonical decimal form of an int64
 * ("12", "-7", not "012", "+1" or "-0") is stored as that integer, as Redis does, so reading it
 * back and printing it gives the same bytes.
 *
 * Representation: a listpack is an immutable latin1 JS string (`Listpack = string`, one char per
 * byte, like `Bytes`), and every operation is a pure function returning a new listpack. Measured
 * on Node 20 (1M objects each holding one 110-byte payload, RSS per object): latin1 string 211 B,
 * pooled Buffer 294 B (and a pooled slice pins its whole 8 KB slab), Buffer with its own
 * ArrayBuffer 546 B. Hashes of a few fields are the common case and must stay near Redis's
 * memory, so strings win. The cost of immutability is a copy per change, which Redis pays too
 * (realloc + memmove). The new string is built by concatenation (V8 ropes) and flattened at once
 * by reading a byte of it (V8 then drops the rope pieces at the next GC), which measured faster
 * than copying through a scratch Buffer.
 *
 * Positions are byte offsets into the string (`p`): lpFirst/lpNext/lpPrev/lpLast/lpSeek return
 * one, or -1 when there is none. Values are `LpValue = Bytes | number`: lpGet returns integer
 * entries as numbers when they are safe integers and as their decimal Bytes otherwise
 * (int64 beyond 2^53), so callers never see a lossy number.
 */
import type { Bytes } from '@swarmkv/resp';

export type Listpack = string;
export type LpValue = Bytes | number;

/** Header: total bytes (4) + number of elements (2). */
export const LP_HDR_SIZE = 6;
export const LP_EOF = 0xff;
/** num-elements value meaning "too many to store, count them". */
export const LP_HDR_NUMELE_UNKNOWN = 65535;

/** One-char strings for every byte, so building entries allocates no tiny strings. */
const CHR: readonly string[] = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i));

/** The empty listpack: 7 bytes. */
export const LP_EMPTY: Listpack = header(7, 0) + CHR[LP_EOF];

export function lpNew(): Listpack {
  return LP_EMPTY;
}

function header(total: number, count: number): string {
  const c = count >= LP_HDR_NUMELE_UNKNOWN ? LP_HDR_NUMELE_UNKNOWN : count;
  return (
    CHR[total & 0xff]! +
    CHR[(total >>> 8) & 0xff]! +
    CHR[(total >>> 16) & 0xff]! +
    CHR[(total >>> 24) & 0xff]! +
    CHR[c & 0xff]! +
    CHR[c >>> 8]!
  );
}

/** Size in bytes (Redis lpBytes). */
export function lpBytes(lp: Listpack): number {
  return lp.length;
}

/** Number of elements. O(1) unless there are 65535 or more (then counted, as Redis). */
export function lpLength(lp: Listpack): number {
  const n = lp.charCodeAt(4) | (lp.charCodeAt(5) << 8);
  if (n !== LP_HDR_NUMELE_UNKNOWN) return n;
  let count = 0;
  for (let p = LP_HDR_SIZE; lp.charCodeAt(p) !== LP_EOF; p = skip(lp, p)) count++;
  return count;
}

// ---------------------------------------------------------------------------------------------
// Entry geometry

/** Size of the encoding byte(s) plus data of the entry at p (Redis: lpCurrentEncodedSize). */
function encodedSize(lp: Listpack, p: number): number {
  const b = lp.charCodeAt(p);
  if (b < 0x80) return 1; // 7-bit uint
  if ((b & 0xc0) === 0x80) return 1 + (b & 0x3f); // 6-bit string length
  if ((b & 0xe0) === 0xc0) return 2; // 13-bit int
  if ((b & 0xf0) === 0xe0) return 2 + (((b & 0x0f) << 8) | lp.charCodeAt(p + 1)); // 12-bit str
  switch (b) {
    case 0xf0:
      return 5 + readU32(lp, p + 1); // 32-bit string length
    case 0xf1:
      return 3;
    case 0xf2:
      return 4;
    case 0xf3:
      return 5;
    case 0xf4:
      return 9;
    default:
      throw new Error(`listpack: bad encoding byte 0x${b.toString(16)} at ${p}`);
  }
}

function backlenSize(l: number): number {
  if (l <= 127) return 1;
  if (l < 16383) return 2;
  if (l < 2097151) return 3;
  if (l < 268435455) return 4;
  return 5;
}

function encodeBacklen(l: number): string {
  if (l <= 127) return CHR[l]!;
  if (l < 16383) return CHR[l >>> 7]! + CHR[(l & 127) | 128]!;
  if (l < 2097151) return CHR[l >>> 14]! + CHR[((l >>> 7) & 127) | 128]! + CHR[(l & 127) | 128]!;
  if (l < 268435455)
    return CHR[l >>> 21]! + CHR[((l >>> 14) & 127) | 128]! + CHR[((l >>> 7) & 127) | 128]! + CHR[(l & 127) | 128]!;
  return (
    CHR[Math.floor(l / 2 ** 28)]! +
    CHR[((l >>> 21) & 127) | 128]! +
    CHR[((l >>> 14) & 127) | 128]! +
    CHR[((l >>> 7) & 127) | 128]! +
    CHR[(l & 127) | 128]!
  );
}

/** Offset just past the entry at p (its backlen included). */
function skip(lp: Listpack, p: number): number {
  const l = encodedSize(lp, p);
  return p + l + backlenSize(l);
}

function readU32(lp: Listpack, p: number): number {
  return (
    (lp.charCodeAt(p) | (lp.charCodeAt(p + 1) << 8) | (lp.charCodeAt(p + 2) << 16)) +
    lp.charCodeAt(p + 3) * 0x1000000
  );
}

// ---------------------------------------------------------------------------------------------
// Navigation

export function lpFirst(lp: Listpack): number {
  return lp.charCodeAt(LP_HDR_SIZE) === LP_EOF ? -1 : LP_HDR_SIZE;
}

export function lpNext(lp: Listpack, p: number): number {
  const q = skip(lp, p);
  return lp.charCodeAt(q) === LP_EOF ? -1 : q;
}

export function lpPrev(lp: Listpack, p: number): number {
  if (p <= LP_HDR_SIZE) return -1;
  // Decode the previous entry's backlen, right to left.
  let q = p - 1;
  let l = 0;
  let shift = 1;
  for (;;) {
    const b = lp.charCodeAt(q);
    l += (b & 127) * shift;
    if (!(b & 128)) break;
    shift *= 128;
    q--;
  }
  return q - l;
}

export function lpLast(lp: Listpack): number {
  return lpPrev(lp, lp.length - 1);
}

/** Offset of element `index` (negative counts from the end), -1 when out of range. */
export function lpSeek(lp: Listpack, index: number): number {
  const n = lpLength(lp);
  if (index < 0) index += n;
  if (index < 0 || index >= n) return -1;
  if (index <= n >> 1) {
    let p = LP_HDR_SIZE;
    for (let i = 0; i < index; i++) p = skip(lp, p);
    return p;
  }
  let p = lp.length - 1;
  for (let i = n; i > index; i--) p = lpPrev(lp, p);
  return p;
}

/** Offset of the EOF byte: inserting "before" it appends. */
export function lpEnd(lp: Listpack): number {
  return lp.length - 1;
}

// ---------------------------------------------------------------------------------------------
// Reading

const TWO_32 = 0x100000000;

/** The entry at p: a number for safe integers, Bytes otherwise (see the header). */
export function lpGet(lp: Listpack, p: number): LpValue {
  const b = lp.charCodeAt(p);
  if (b < 0x80) return b;
  if ((b & 0xc0) === 0x80) return lp.slice(p + 1, p + 1 + (b & 0x3f));
  if ((b & 0xe0) === 0xc0) {
    const v = ((b & 0x1f) << 8) | lp.charCodeAt(p + 1);
    return v >= 4096 ? v - 8192 : v;
  }
  if ((b & 0xf0) === 0xe0) {
    const len = ((b & 0x0f) << 8) | lp.charCodeAt(p + 1);
    return lp.slice(p + 2, p + 2 + len);
  }
  switch (b) {
    case 0xf0: {
      const len = readU32(lp, p + 1);
      return lp.slice(p + 5, p + 5 + len);
    }
    case 0xf1:
      return ((lp.charCodeAt(p + 1) | (lp.charCodeAt(p + 2) << 8)) << 16) >> 16;
    case 0xf2:
      return ((lp.charCodeAt(p + 1) | (lp.charCodeAt(p + 2) << 8) | (lp.charCodeAt(p + 3) << 16)) << 8) >> 8;
    case 0xf3:
      return lp.charCodeAt(p + 1) | (lp.charCodeAt(p + 2) << 8) | (lp.charCodeAt(p + 3) << 16) | (lp.charCodeAt(p + 4) << 24);
    case 0xf4: {
      const lo = readU32(lp, p + 1);
      const hi = readU32(lp, p + 5) | 0; // signed high word
      const v = hi * TWO_32 + lo; // exact whenever the result is a safe integer
      if (Number.isSafeInteger(v)) return v;
      return ((BigInt(hi) << 32n) + BigInt(lo)).toString();
    }
    default:
      throw new Error(`listpack: bad encoding byte 0x${b.toString(16)} at ${p}`);
  }
}

/** The entry at p as Bytes (integers printed in decimal, as Redis replies them). */
export function lpGetBytes(lp: Listpack, p: number): Bytes {
  const v = lpGet(lp, p);
  return typeof v === 'number' ? String(v) : v;
}

/** True when the entry at p is stored as an integer. */
export function lpIsInt(lp: Listpack, p: number): boolean {
  const b = lp.charCodeAt(p);
  return b < 0x80 || (b & 0xe0) === 0xc0 || (b >= 0xf1 && b <= 0xf4);
}

/** Byte length of the entry's value as a string (HSTRLEN): digits for integers. */
export function lpValueLength(lp: Listpack, p: number): number {
  const b = lp.charCodeAt(p);
  if ((b & 0xc0) === 0x80) return b & 0x3f;
  if ((b & 0xf0) === 0xe0) return ((b & 0x0f) << 8) | lp.charCodeAt(p + 1);
  if (b === 0xf0) return readU32(lp, p + 1);
  return lpGetBytes(lp, p).length;
}

/** Element at index (negative from the end), undefined when out of range. */
export function lpGetAt(lp: Listpack, index: number): LpValue | undefined {
  const p = lpSeek(lp, index);
  return p < 0 ? undefined : lpGet(lp, p);
}

/** Every element, first to last (tests, conversions). */
export function lpToArray(lp: Listpack): LpValue[] {
  const out: LpValue[] = [];
  for (let p = lpFirst(lp); p >= 0; p = lpNext(lp, p)) out.push(lpGet(lp, p));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Integer recognition (Redis string2ll: the canonical decimal form of an int64, nothing else)

const INT64_MAX_STR = '9223372036854775807';
const INT64_MIN_ABS_STR = '9223372036854775808';

/**
 * The integer a Bytes stands for when it is an int64's canonical decimal form, else undefined.
 * Safe integers come back as numbers, the rest of int64 as bigint.
 */
export function lpStringToInt(s: Bytes): number | bigint | undefined {
  const len = s.length;
  if (len === 0 || len > 20) return undefined;
  let i = 0;
  const neg = s.charCodeAt(0) === 45; // '-'
  if (neg) {
    if (len === 1) return undefined;
    i = 1;
  }
  const first = s.charCodeAt(i);
  if (first === 48) return len === 1 ? 0 : undefined; // "0" only; "-0", "01" are strings
  if (first < 49 || first > 57) return undefined;
  const digits = len - i;
  if (digits > 19) return undefined;
  let v = 0;
  for (let j = i; j < len; j++) {
    const c = s.charCodeAt(j);
    if (c < 48 || c > 57) return undefined;
    v = v * 10 + (c - 48);
  }
  if (digits <= 15) return neg ? -v : v;
  if (digits === 19) {
    const abs = neg ? s.slice(1) : s;
    if (abs > (neg ? INT64_MIN_ABS_STR : INT64_MAX_STR)) return undefined;
  }
  const n = neg ? -v : v;
  return Number.isSafeInteger(n) ? n : BigInt(s);
}

// ---------------------------------------------------------------------------------------------
// Encoding one entry

function encodeInt(v: number): string {
  if (v >= 0 && v <= 127) return CHR[v]! + CHR[1]!;
  if (v >= -4096 && v <= 4095) {
    const u = v < 0 ? v + 8192 : v;
    return CHR[0xc0 | (u >>> 8)]! + CHR[u & 0xff]! + CHR[2]!;
  }
  if (v >= -32768 && v <= 32767) return CHR[0xf1]! + CHR[v & 0xff]! + CHR[(v >> 8) & 0xff]! + CHR[3]!;
  if (v >= -8388608 && v <= 8388607)
    return CHR[0xf2]! + CHR[v & 0xff]! + CHR[(v >> 8) & 0xff]! + CHR[(v >> 16) & 0xff]! + CHR[4]!;
  if (v >= -2147483648 && v <= 2147483647)
    return (
      CHR[0xf3]! + CHR[v & 0xff]! + CHR[(v >> 8) & 0xff]! + CHR[(v >> 16) & 0xff]! + CHR[(v >>> 24) & 0xff]! + CHR[5]!
    );
  const lo = v % TWO_32;
  const loU = lo < 0 ? lo + TWO_32 : lo;
  const hi = (v - loU) / TWO_32;
  return CHR[0xf4]! + u32(loU) + u32(hi >>> 0) + CHR[9]!;
}

function encodeBigInt(v: bigint): string {
  const u = BigInt.asUintN(64, v);
  return CHR[0xf4]! + u32(Number(u & 0xffffffffn)) + u32(Number(u >> 32n)) + CHR[9]!;
}

function u32(x: number): string {
  return CHR[x & 0xff]! + CHR[(x >>> 8) & 0xff]! + CHR[(x >>> 16) & 0xff]! + CHR[(x >>> 24) & 0xff]!;
}

function encodeString(s: Bytes): string {
  const len = s.length;
  if (len < 64) return CHR[0x80 | len]! + s + encodeBacklen(len + 1);
  if (len < 4096) return CHR[0xe0 | (len >>> 8)]! + CHR[len & 0xff]! + s + encodeBacklen(len + 2);
  return CHR[0xf0]! + u32(len) + s + encodeBacklen(len + 5);
}

/** The bytes of one entry (encoding + data + backlen) for a value. */
export function lpEncode(v: LpValue): string {
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) throw new Error(`listpack: not a safe integer: ${v}`);
    return encodeInt(v);
  }
  const n = lpStringToInt(v);
  if (n === undefined) return encodeString(v);
  return typeof n === 'number' ? encodeInt(n) : encodeBigInt(n);
}

// ---------------------------------------------------------------------------------------------
// Writing: every change is one splice of the byte string

/** Replace bytes [start, end) with `ins`, changing the element count by `delta`. */
function splice(lp: Listpack, start: number, end: number, ins: string, delta: number): Listpack {
  const total = lp.length - (end - start) + ins.length;
  const n = lp.charCodeAt(4) | (lp.charCodeAt(5) << 8);
  const count = n === LP_HDR_NUMELE_UNKNOWN ? LP_HDR_NUMELE_UNKNOWN : n + delta;
  const out = flat(header(total, count) + lp.slice(LP_HDR_SIZE, start) + ins + lp.slice(end));
  return count === LP_HDR_NUMELE_UNKNOWN ? recount(out) : out;
}

/**
 * Reading a byte flattens a rope into one sequential string (see the header); checking the
 * terminator uses the value, so the read cannot be optimised away.
 */
function flat(lp: Listpack): Listpack {
  if (lp.charCodeAt(lp.length - 1) !== LP_EOF) throw new Error('listpack: corrupt terminator');
  return lp;
}

/** Once the count is "unknown", store it again as soon as it fits (Redis does so in lpLength). */
function recount(lp: Listpack): Listpack {
  let count = 0;
  for (let p = LP_HDR_SIZE; lp.charCodeAt(p) !== LP_EOF; p = skip(lp, p)) count++;
  if (count >= LP_HDR_NUMELE_UNKNOWN) return lp;
  return flat(header(lp.length, count) + lp.slice(LP_HDR_SIZE));
}

/** Insert `v` before the entry at p (p = lpEnd(lp) appends). */
export function lpInsertBefore(lp: Listpack, p: number, v: LpValue): Listpack {
  return splice(lp, p, p, lpEncode(v), 1);
}

/** Insert `v` after the entry at p. */
export function lpInsertAfter(lp: Listpack, p: number, v: LpValue): Listpack {
  const q = skip(lp, p);
  return splice(lp, q, q, lpEncode(v), 1);
}

export function lpAppend(lp: Listpack, v: LpValue): Listpack {
  const end = lp.length - 1;
  return splice(lp, end, end, lpEncode(v), 1);
}

export function lpPrepend(lp: Listpack, v: LpValue): Listpack {
  return splice(lp, LP_HDR_SIZE, LP_HDR_SIZE, lpEncode(v), 1);
}

/** Append several values in one copy. */
export function lpAppendAll(lp: Listpack, vs: readonly LpValue[]): Listpack {
  if (vs.length === 0) return lp;
  let ins = '';
  for (const v of vs) ins += lpEncode(v);
  const end = lp.length - 1;
  return splice(lp, end, end, ins, vs.length);
}

/** Insert so that `v` becomes element `index` (0..length; negative counts from the end + 1). */
export function lpInsert(lp: Listpack, index: number, v: LpValue): Listpack {
  const n = lpLength(lp);
  if (index < 0) index += n + 1;
  if (index < 0 || index > n) throw new RangeError(`listpack: insert index ${index} out of 0..${n}`);
  const p = index === n ? lp.length - 1 : lpSeek(lp, index);
  return splice(lp, p, p, lpEncode(v), 1);
}

/** Replace the entry at p with `v`. */
export function lpReplace(lp: Listpack, p: number, v: LpValue): Listpack {
  return splice(lp, p, skip(lp, p), lpEncode(v), 0);
}

/** Delete the entry at p. */
export function lpDelete(lp: Listpack, p: number): Listpack {
  return splice(lp, p, skip(lp, p), '', -1);
}

/** Delete `count` entries starting at the entry at p (fewer if the listpack ends first). */
export function lpDeleteRangeAt(lp: Listpack, p: number, count: number): Listpack {
  let q = p;
  let deleted = 0;
  while (deleted < count && lp.charCodeAt(q) !== LP_EOF) {
    q = skip(lp, q);
    deleted++;
  }
  return deleted === 0 ? lp : splice(lp, p, q, '', -deleted);
}

/** Delete `count` elements from `index` (negative from the end), clamped to the listpack. */
export function lpDeleteRange(lp: Listpack, index: number, count: number): Listpack {
  const p = lpSeek(lp, index);
  if (p < 0 || count <= 0) return lp;
  return lpDeleteRangeAt(lp, p, count);
}

/**
 * Delete the entries at the given offsets (ascending, each the start of an entry) in one copy:
 * LREM and filters that drop many entries of one listpack without a copy per entry.
 */
export function lpDeleteMany(lp: Listpack, offsets: readonly number[]): Listpack {
  if (offsets.length === 0) return lp;
  let body = '';
  let from = LP_HDR_SIZE;
  for (const p of offsets) {
    body += lp.slice(from, p);
    from = skip(lp, p);
  }
  return splice(lp, LP_HDR_SIZE, lp.length - 1, body + lp.slice(from, lp.length - 1), -offsets.length);
}

/** Split before the entry at p: [entries before p, entries from p]. */
export function lpSplit(lp: Listpack, p: number): [Listpack, Listpack] {
  const end = lp.length - 1;
  const left = splice(lp, p, end, '', 0);
  const right = splice(lp, LP_HDR_SIZE, p, '', 0);
  const nl = countEntries(left);
  return [withCount(left, nl), withCount(right, lpLength(lp) - nl)];
}

/** Concatenate two listpacks (quicklist node merges). */
export function lpMerge(a: Listpack, b: Listpack): Listpack {
  const out = splice(a, a.length - 1, a.length - 1, b.slice(LP_HDR_SIZE, b.length - 1), 0);
  return withCount(out, lpLength(a) + lpLength(b));
}

function countEntries(lp: Listpack): number {
  let count = 0;
  for (let p = LP_HDR_SIZE; lp.charCodeAt(p) !== LP_EOF; p = skip(lp, p)) count++;
  return count;
}

function withCount(lp: Listpack, count: number): Listpack {
  return flat(header(lp.length, count) + lp.slice(LP_HDR_SIZE));
}

/** Build a listpack from values in one go. */
export function lpFromArray(vs: readonly LpValue[]): Listpack {
  return lpAppendAll(LP_EMPTY, vs);
}

// ---------------------------------------------------------------------------------------------
// Comparing and finding

/**
 * A value prepared for repeated comparisons against entries: its integer form if it has one
 * (then it can only equal integer entries), else its bytes (then only string entries).
 */
export interface LpProbe {
  readonly bytes: Bytes;
  readonly int: number | bigint | undefined;
}

export function lpProbe(v: LpValue): LpProbe {
  if (typeof v === 'number') return { bytes: String(v), int: v };
  return { bytes: v, int: lpStringToInt(v) };
}

/** True when the entry at p equals the probe's value. */
export function lpEqualsProbe(lp: Listpack, p: number, probe: LpProbe): boolean {
  const b = lp.charCodeAt(p);
  let start: number;
  let len: number;
  if ((b & 0xc0) === 0x80) {
    len = b & 0x3f;
    start = p + 1;
  } else if ((b & 0xf0) === 0xe0) {
    len = ((b & 0x0f) << 8) | lp.charCodeAt(p + 1);
    start = p + 2;
  } else if (b === 0xf0) {
    len = readU32(lp, p + 1);
    start = p + 5;
  } else {
    if (probe.int === undefined) return false;
    const v = lpGet(lp, p);
    return typeof probe.int === 'number' ? v === probe.int : v === probe.bytes;
  }
  if (probe.int !== undefined || len !== probe.bytes.length) return false;
  return lp.startsWith(probe.bytes, start);
}

/** True when the entry at p equals v. */
export function lpEquals(lp: Listpack, p: number, v: LpValue): boolean {
  return lpEqualsProbe(lp, p, lpProbe(v));
}

/**
 * Offset of the first entry equal to v, starting at p and then looking only at every
 * (skip+1)-th entry (Redis lpFind: skip 1 walks the fields of field/value pairs); -1 if none.
 */
export function lpFind(lp: Listpack, p: number, v: LpValue | LpProbe, skipCount = 0): number {
  const probe = typeof v === 'object' ? v : lpProbe(v);
  if (p < 0) return -1;
  while (lp.charCodeAt(p) !== LP_EOF) {
    if (lpEqualsProbe(lp, p, probe)) return p;
    p = skip(lp, p);
    for (let i = 0; i < skipCount && lp.charCodeAt(p) !== LP_EOF; i++) p = skip(lp, p);
  }
  return -1;
}

/** Structural check (tests, RESTORE): true when every entry parses and the header agrees. */
export function lpValidate(lp: Listpack): boolean {
  if (lp.length < 7 || readU32(lp, 0) !== lp.length || lp.charCodeAt(lp.length - 1) !== LP_EOF) return false;
  let count = 0;
  let p = LP_HDR_SIZE;
  try {
    while (p < lp.length - 1) {
      const l = encodedSize(lp, p);
      const q = p + l + backlenSize(l);
      if (q > lp.length - 1) return false;
      if (lpPrev(lp, q) !== p) return false;
      p = q;
      count++;
    }
  } catch {
    return false;
  }
  if (p !== lp.length - 1) return false;
  const n = lp.charCodeAt(4) | (lp.charCodeAt(5) << 8);
  return n === LP_HDR_NUMELE_UNKNOWN ? count >= n : n === count;
}
