/**
 * intset: Redis's compact encoding for small sets of integers.
 *
 * Sorted, distinct int64 values packed little-endian in ONE byte string whose element width is
 * 2, 4 or 8 bytes (Redis's INTSET_ENC_INT16/32/64). The first byte holds the width; the length
 * is implied by the string length. Lookups are binary searches; an insert rebuilds the string
 * (Redis's intset reallocs and memmoves: O(n) too). A value too wide for the current width
 * upgrades the whole set, and as it is then the new minimum or maximum it goes at one end.
 *
 * Why a latin1 string and not an Int16Array/Int32Array/BigInt64Array: a typed array costs ~250
 * bytes of RSS per instance in V8 (JSTypedArray + JSArrayBuffer + backing store) while a set of
 * 10 small integers must cost well under 100 bytes; a sequential one-byte string costs 16 bytes
 * of header plus its bytes. Reads decode with charCodeAt; writes go through one scratch Buffer so
 * that the stored string is always flat (no cons strings kept alive).
 *
 * All functions are pure: they take an intset string and return a (possibly new) one.
 */
import type { Int64 } from './int-member.js';

export type Intset = string;

export const INTSET_ENC_INT16 = 2;
export const INTSET_ENC_INT32 = 4;
export const INTSET_ENC_INT64 = 8;

/** An empty intset (int16). */
export const EMPTY_INTSET: Intset = '\x02';

const TWO_32 = 4294967296;
const MASK_32 = 0xffffffffn;

let scratch = Buffer.allocUnsafe(8 * 1024 + 1);
function scratchFor(bytes: number): Buffer {
  if (scratch.length < bytes) scratch = Buffer.allocUnsafe(Math.max(bytes, scratch.length * 2));
  return scratch;
}

/** The width (2, 4 or 8 bytes) needed to store v. */
export function valueEncoding(v: Int64): number {
  if (typeof v === 'number') {
    if (v >= -32768 && v <= 32767) return INTSET_ENC_INT16;
    if (v >= -2147483648 && v <= 2147483647) return INTSET_ENC_INT32;
    return INTSET_ENC_INT64;
  }
  return INTSET_ENC_INT64; // bigints are outside the safe-integer range, so outside int32
}

export function intsetWidth(is: Intset): number {
  return is.charCodeAt(0);
}

export function intsetLen(is: Intset): number {
  return (is.length - 1) / is.charCodeAt(0);
}

/** Bytes used by the encoding (MEMORY USAGE, OBJECT ... debugging). */
export function intsetBlobLen(is: Intset): number {
  return is.length;
}

function u16(is: Intset, o: number): number {
  return is.charCodeAt(o) | (is.charCodeAt(o + 1) << 8);
}

/** Low 32 bits (unsigned) at byte offset o. */
function u32(is: Intset, o: number): number {
  return (u16(is, o) | (u16(is, o + 2) << 16)) >>> 0;
}

/** Signed 32 bits at byte offset o. */
function i32(is: Intset, o: number): number {
  return u16(is, o) | (u16(is, o + 2) << 16);
}

function i16(is: Intset, o: number): number {
  return (u16(is, o) << 16) >> 16;
}

/** The value at position i (0 = smallest). */
export function intsetGet(is: Intset, i: number): Int64 {
  const w = is.charCodeAt(0);
  const o = 1 + i * w;
  if (w === INTSET_ENC_INT16) return i16(is, o);
  if (w === INTSET_ENC_INT32) return i32(is, o);
  const lo = u32(is, o);
  const hi = i32(is, o + 4);
  const n = hi * TWO_32 + lo;
  if (n >= -9007199254740991 && n <= 9007199254740991) return n;
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** Splits a value into (hi signed 32, lo unsigned 32) for exact 64-bit comparisons. */
function split(v: Int64): [number, number] {
  if (typeof v === 'number') {
    const hi = Math.floor(v / TWO_32);
    return [hi, v - hi * TWO_32];
  }
  return [Number(BigInt.asIntN(32, v >> 32n)), Number(v & MASK_32)];
}

/**
 * Binary search: the index of v when present, else -(insertion point) - 1.
 */
export function intsetSearch(is: Intset, v: Int64): number {
  const w = is.charCodeAt(0);
  let lo = 0;
  let hi = (is.length - 1) / w - 1;
  if (w !== INTSET_ENC_INT64) {
    if (typeof v !== 'number' || v < -2147483648 || v > 2147483647 || (w === 2 && (v < -32768 || v > 32767))) {
      // Too wide for this encoding: it can only go at one end.
      return typeof v === 'number' ? (v < 0 ? -1 : -(hi + 2)) : v < 0n ? -1 : -(hi + 2);
    }
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const cur = w === 2 ? i16(is, 1 + mid * 2) : i32(is, 1 + mid * 4);
      if (cur < v) lo = mid + 1;
      else if (cur > v) hi = mid - 1;
      else return mid;
    }
    return -(lo + 1);
  }
  const [vh, vl] = split(v);
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const o = 1 + mid * 8;
    const ch = i32(is, o + 4);
    const cl = ch === vh ? u32(is, o) : 0;
    if (ch < vh || (ch === vh && cl < vl)) lo = mid + 1;
    else if (ch > vh || cl > vl) hi = mid - 1;
    else return mid;
  }
  return -(lo + 1);
}

export function intsetFind(is: Intset, v: Int64): boolean {
  return intsetSearch(is, v) >= 0;
}

function writeValue(buf: Buffer, o: number, w: number, v: Int64): void {
  if (w === INTSET_ENC_INT16) buf.writeInt16LE(v as number, o);
  else if (w === INTSET_ENC_INT32) buf.writeInt32LE(v as number, o);
  else buf.writeBigInt64LE(typeof v === 'number' ? BigInt(v) : v, o);
}

/** Re-encodes every element at width w, leaving a gap of one element at the front or back. */
function upgradeInto(is: Intset, w: number, gapAtFront: boolean): Buffer {
  const n = intsetLen(is);
  const buf = scratchFor(1 + (n + 1) * w);
  buf[0] = w;
  const shift = gapAtFront ? 1 : 0;
  for (let i = 0; i < n; i++) writeValue(buf, 1 + (i + shift) * w, w, intsetGet(is, i));
  return buf;
}

/** Adds v; returns the same string when v was already there. */
export function intsetAdd(is: Intset, v: Int64): Intset {
  const w = is.charCodeAt(0);
  const need = valueEncoding(v);
  const n = (is.length - 1) / w;
  if (need > w) {
    // Upgrade: v is out of range of every current element, so it is the new min or max.
    const neg = typeof v === 'number' ? v < 0 : v < 0n;
    const buf = upgradeInto(is, need, neg);
    writeValue(buf, 1 + (neg ? 0 : n) * need, need, v);
    return buf.latin1Slice(0, 1 + (n + 1) * need);
  }
  const pos = intsetSearch(is, v);
  if (pos >= 0) return is;
  const at = 1 + (-pos - 1) * w;
  const total = is.length + w;
  const buf = scratchFor(total);
  buf.latin1Write(is, 0);
  buf.copyWithin(at + w, at, is.length);
  writeValue(buf, at, w, v);
  return buf.latin1Slice(0, total);
}

/** Removes v; returns the same string when v was not there. */
export function intsetRemove(is: Intset, v: Int64): Intset {
  const pos = intsetSearch(is, v);
  if (pos < 0) return is;
  return intsetRemoveAt(is, pos);
}

/** Removes the element at position i. */
export function intsetRemoveAt(is: Intset, i: number): Intset {
  const w = is.charCodeAt(0);
  const at = 1 + i * w;
  // slice + concat would leave a cons string; rebuild flat through the scratch buffer.
  const buf = scratchFor(is.length);
  buf.latin1Write(is, 0);
  buf.copyWithin(at, at + w, is.length);
  return buf.latin1Slice(0, is.length - w);
}

/** Builds an intset from sorted, distinct values (conversions, SPOP rebuilds). */
export function intsetFromSorted(values: readonly Int64[]): Intset {
  let w = INTSET_ENC_INT16;
  for (const v of values) w = Math.max(w, valueEncoding(v));
  const buf = scratchFor(1 + values.length * w);
  buf[0] = w;
  for (let i = 0; i < values.length; i++) writeValue(buf, 1 + i * w, w, values[i]!);
  return buf.latin1Slice(0, 1 + values.length * w);
}

/** Keeps only the elements whose positions are flagged (SPOP with a count). */
export function intsetKeep(is: Intset, keep: (i: number) => boolean): Intset {
  const w = is.charCodeAt(0);
  const n = (is.length - 1) / w;
  const buf = scratchFor(is.length);
  buf[0] = w;
  let o = 1;
  for (let i = 0; i < n; i++) {
    if (!keep(i)) continue;
    buf.latin1Write(is.slice(1 + i * w, 1 + (i + 1) * w), o);
    o += w;
  }
  return buf.latin1Slice(0, o);
}
