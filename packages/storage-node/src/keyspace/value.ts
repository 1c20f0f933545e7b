/**
 * What a key holds.
 *
 * Strings are kept as cheaply as V8 allows, because most keys are strings:
 *  - `number` (a safe integer) or `bigint` (the rest of int64): Redis's `int` encoding;
 *  - `Bytes` (latin1 string, see resp/bytes.ts): `embstr` up to 44 bytes, `raw` above;
 *  - a `RawString` object (SDS-like Buffer with spare room, made by APPEND/SETRANGE): `raw`.
 * Every other type is an object implementing `RObject`, whose encoding is one of Redis's
 * OBJECT ENCODING names. `typeOf` and `encodingOf` are the only places that tell them apart.
 */
import type { Bytes } from '@swarmkv/resp';

export type TypeName = 'string' | 'list' | 'hash' | 'set' | 'zset';
export type EncodingName =
  | 'int' | 'embstr' | 'raw' | 'listpack' | 'quicklist' | 'hashtable' | 'intset' | 'skiplist';

export interface RObject {
  readonly type: TypeName;
  /** Redis's OBJECT ENCODING name for the current representation. */
  encoding(): EncodingName;
  /** A deep copy (COPY). */
  clone(): RObject;
}

export type Value = Bytes | number | bigint | RObject;

/** Redis: OBJ_ENCODING_EMBSTR_SIZE_LIMIT. */
export const EMBSTR_SIZE_LIMIT = 44;

export function typeOf(v: Value): TypeName {
  return typeof v === 'object' ? v.type : 'string';
}

export function encodingOf(v: Value): EncodingName {
  switch (typeof v) {
    case 'number':
    case 'bigint':
      return 'int';
    case 'string':
      return v.length <= EMBSTR_SIZE_LIMIT ? 'embstr' : 'raw';
    default:
      return v.encoding();
  }
}

export function cloneValue(v: Value): Value {
  return typeof v === 'object' ? v.clone() : v;
}
