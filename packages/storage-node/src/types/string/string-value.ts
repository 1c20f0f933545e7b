/**
 * The string type's representations and the helpers every command group uses to read them.
 *
 * A string value is one of (see keyspace/value.ts):
 *  - a number (safe integer) or bigint (rest of int64): Redis's `int` encoding;
 *  - Bytes: `embstr` up to 44 bytes, `raw` above;
 *  - a RawString (after APPEND/SETRANGE): `raw`.
 *
 * `createStringValue` is Redis's tryObjectEncoding for a value arriving from a client (SET, MSET,
 * GETSET, SETEX, APPEND on a missing key ...): a canonical int64 of at most 20 chars becomes a
 * number, anything else stays the Bytes it is. Commands that build strings themselves choose
 * their representation on purpose (INCRBYFLOAT stores Bytes, so "3" is embstr there as in Redis).
 */
import { Err, type Bytes } from '@swarmkv/resp';
import type { Ctx } from '../../commands/context.js';
import type { Value } from '../../keyspace/value.js';
import { string2ll, type Int64 } from '../../util/numbers.js';
import { RawString } from './raw-string.js';

export type StringValue = Bytes | number | bigint | RawString;

/** True for every representation of the string type. */
export function isStringValue(v: Value): v is StringValue {
  return typeof v !== 'object' || v instanceof RawString;
}

/**
 * tryObjectEncoding: the representation Redis would store for client-supplied bytes. Allocation
 * free; returns `b` itself unless it is a canonical int64.
 */
export function createStringValue(b: Bytes): Bytes | Int64 {
  const n = b.length;
  if (n === 0 || n > 20) return b;
  const c = b.charCodeAt(0);
  // Only '-' and digits can start an integer: most values are rejected on their first byte.
  if (c > 57 || (c < 48 && c !== 45)) return b;
  const v = string2ll(b);
  return v === undefined ? b : v;
}

/** The bytes of a string value (getDecodedObject). */
export function stringBytes(v: StringValue): Bytes {
  switch (typeof v) {
    case 'string':
      return v;
    case 'number':
      return String(v);
    case 'bigint':
      return v.toString();
    default:
      return v.toBytes();
  }
}

/** The length in bytes of a string value (stringObjectLen). */
export function stringLength(v: StringValue): number {
  switch (typeof v) {
    case 'string':
      return v.length;
    case 'number':
      return String(v).length;
    case 'bigint':
      return v.toString().length;
    default:
      return v.length;
  }
}

/** The bytes of any Value that must be a string; WRONGTYPE otherwise. */
export function bytesOf(v: Value): Bytes {
  if (typeof v === 'object' && !(v instanceof RawString)) throw Err.wrongType();
  return stringBytes(v);
}

/** The int64 a string value holds (getLongLongFromObject), or undefined when it is not one. */
export function stringToInt64(v: StringValue): Int64 | undefined {
  switch (typeof v) {
    case 'number':
    case 'bigint':
      return v;
    case 'string':
      return string2ll(v);
    default:
      return v.length > 20 ? undefined : string2ll(v.toBytes());
  }
}

/**
 * The string at `key` in the client's db as Bytes (lookupKeyRead): undefined when missing,
 * WRONGTYPE when the key holds another type. For other groups (SORT BY/GET, COPY, DUMP ...).
 */
export function getString(ctx: Ctx, key: Bytes): Bytes | undefined {
  const v = ctx.db.lookupRead(key);
  return v === undefined ? undefined : bytesOf(v);
}

/** Like getString, but returns the stored representation (no conversion to Bytes). */
export function getStringValue(ctx: Ctx, key: Bytes): StringValue | undefined {
  const v = ctx.db.lookupRead(key);
  if (v === undefined) return undefined;
  if (!isStringValue(v)) throw Err.wrongType();
  return v;
}
