/**
 * Integer members: Redis's string2ll rule for "is this member an integer?".
 *
 * A set stays intset-encoded only while every member is the canonical decimal spelling of an
 * int64 ("12", "-7", "0"; not "+1", "01", "-0", " 1", "1.0"), because the intset stores the number
 * and must give back exactly the bytes the client sent. Values are `number` when they are safe
 * integers and `bigint` for the rest of the int64 range, as string values are (keyspace/value.ts).
 */
import type { Bytes } from '@swarmkv/resp';

export type Int64 = number | bigint;

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;
/** Longest canonical int64: "-9223372036854775808". */
const MAX_INT64_CHARS = 20;

/** The int64 a member spells canonically, or undefined when it is not one. */
export function parseCanonicalInt(b: Bytes): Int64 | undefined {
  const n = b.length;
  if (n === 0 || n > MAX_INT64_CHARS) return undefined;
  let i = 0;
  let c = b.charCodeAt(0);
  if (c === 45 /* - */) {
    if (n === 1) return undefined;
    i = 1;
    c = b.charCodeAt(1);
  }
  // No leading zeros; "0" alone is fine, "-0" is not.
  if (c === 48) return n === 1 ? 0 : undefined;
  if (c < 49 || c > 57) return undefined;
  for (let j = i + 1; j < n; j++) {
    const d = b.charCodeAt(j);
    if (d < 48 || d > 57) return undefined;
  }
  if (n - i <= 15) return +b; // at most 15 digits: always a safe integer
  const big = BigInt(b);
  if (big > INT64_MAX || big < INT64_MIN) return undefined;
  return Number.isSafeInteger(Number(big)) && BigInt(Number(big)) === big ? Number(big) : big;
}

/** Decimal spelling of an int64 (the member bytes an intset gives back). */
export function int64ToBytes(v: Int64): Bytes {
  return typeof v === 'number' ? String(v) : v.toString();
}
