/**
 * The `listpack` encoding of a hash: fields and values alternate in one listpack
 * (field1, value1, field2, value2 ...), in insertion order, as Redis 7.0 stores small hashes.
 * Pure functions over the immutable listpack string (see listpack/listpack.ts); hash.ts decides
 * when a hash is small enough for this and when it converts to a hashtable.
 */
import type { Bytes } from '@swarmkv/resp';
import {
  LP_EMPTY,
  type Listpack,
  lpAppendAll,
  lpDeleteRangeAt,
  lpFind,
  lpFirst,
  lpGetBytes,
  lpLength,
  lpNext,
  lpProbe,
  lpReplace,
  lpValueLength,
} from '../listpack/listpack.js';

export const HASH_LP_EMPTY: Listpack = LP_EMPTY;

/** Number of field/value pairs. */
export function hlpLength(lp: Listpack): number {
  return lpLength(lp) >>> 1;
}

/** Offset of the entry holding `field` (a field position, never a value), or -1. */
export function hlpFindField(lp: Listpack, field: Bytes): number {
  return lpFind(lp, lpFirst(lp), lpProbe(field), 1);
}

export function hlpGet(lp: Listpack, field: Bytes): Bytes | undefined {
  const p = hlpFindField(lp, field);
  return p < 0 ? undefined : lpGetBytes(lp, lpNext(lp, p));
}

/** HSTRLEN: length of the value's string form, 0 when the field is missing. */
export function hlpStrlen(lp: Listpack, field: Bytes): number {
  const p = hlpFindField(lp, field);
  return p < 0 ? 0 : lpValueLength(lp, lpNext(lp, p));
}

/**
 * Set field to value. Returns the new listpack; `inserted` (out) says whether the field is new.
 * An existing field keeps its position (Redis replaces the value entry in place).
 */
export function hlpSet(lp: Listpack, field: Bytes, value: Bytes, out: { inserted: boolean }): Listpack {
  const p = hlpFindField(lp, field);
  if (p >= 0) {
    out.inserted = false;
    return lpReplace(lp, lpNext(lp, p), value);
  }
  out.inserted = true;
  return lpAppendAll(lp, [field, value]);
}

/** Delete a field; the same listpack (by identity) when it was not there. */
export function hlpDelete(lp: Listpack, field: Bytes): Listpack {
  const p = hlpFindField(lp, field);
  return p < 0 ? lp : lpDeleteRangeAt(lp, p, 2);
}

/** Every field and value, in order: [f1, v1, f2, v2, ...]. */
export function hlpPairs(lp: Listpack): Bytes[] {
  const out: Bytes[] = [];
  for (let p = lpFirst(lp); p >= 0; p = lpNext(lp, p)) out.push(lpGetBytes(lp, p));
  return out;
}

/** Offsets of every field entry, in order (random sampling without seeking each time). */
export function hlpFieldOffsets(lp: Listpack): number[] {
  const out: number[] = [];
  for (let p = lpFirst(lp); p >= 0; p = lpNext(lp, lpNext(lp, p))) out.push(p);
  return out;
}
