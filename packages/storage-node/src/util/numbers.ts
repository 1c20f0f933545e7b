/**
 * Redis's number parsing, shared by every command group.
 *
 * Redis is strict about integers: `string2ll` accepts only the canonical decimal form of an int64
 * ("0", "-5", "123"; never "+1", "01", "-0", " 1", "1 "), and every integer argument
 * (getLongLongFromObjectOrReply) goes through it, so `EXPIRE k 010` is an error. The same test
 * decides whether a stored string is int-encoded. Doubles (ZADD scores, string2d) follow C's
 * strtod: decimal and hexadecimal forms, "inf"/"infinity" in any case, never NaN, never leading or
 * trailing blanks, and a value that overflows or underflows to zero is rejected (ERANGE).
 *
 * Integers come back as JS numbers when they are safe integers and as bigints beyond that, so a
 * caller always has the exact int64. `parseInteger` is the convenience form for arguments that only
 * ever matter as numbers (indexes, counts): exact up to 2^53, rounded beyond.
 *
 * Long doubles (INCRBYFLOAT, HINCRBYFLOAT) live in long-double.ts and are re-exported here; reply
 * doubles are formatted by @swarmkv/resp's formatDouble (%.17g).
 */
import { Err, type Bytes } from '@swarmkv/resp';

export { string2ld, parseLongDouble, ld2string, ldAdd, ldFromInt, ldIsFinite, type LongDouble } from './long-double.js';

export const LLONG_MAX = 9223372036854775807n;
export const LLONG_MIN = -9223372036854775808n;
const MAX_SAFE_BIG = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE_BIG = -MAX_SAFE_BIG;

/** An int64 as swarmkv keeps it: a number when it is a safe integer, a bigint otherwise. */
export type Int64 = number | bigint;

/** The canonical representation of an int64 given as a bigint (number when safe). */
export function normInt64(v: bigint): Int64 {
  return v >= MIN_SAFE_BIG && v <= MAX_SAFE_BIG ? Number(v) : v;
}

/**
 * Redis's string2ll: the int64 a canonical decimal string spells, or undefined. Allocation free
 * for values that are safe integers.
 */
export function string2ll(s: Bytes): Int64 | undefined {
  const n = s.length;
  // 20 chars is "-9223372036854775808"; Redis rejects anything longer outright.
  if (n === 0 || n > 20) return undefined;
  let i = 0;
  let c = s.charCodeAt(0);
  const neg = c === 45; /* '-' */
  if (neg) {
    if (n === 1) return undefined;
    i = 1;
    c = s.charCodeAt(1);
  }
  // "0" alone is the only number allowed to start with 0 ("-0" and "01" are not canonical).
  if (c === 48) return n === 1 ? 0 : undefined;
  if (c < 49 || c > 57) return undefined;
  let v = 0;
  for (; i < n; i++) {
    c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return undefined;
    v = v * 10 + c;
  }
  // Below 2^53 every step above was exact; the rounding is monotonic, so a true value above
  // 2^53 can never come out below it.
  if (v <= Number.MAX_SAFE_INTEGER) return neg ? -v : v;
  const b = BigInt(s);
  if (b > LLONG_MAX || b < LLONG_MIN) return undefined;
  return b;
}

/** Redis's string2l: the same as string2ll on a 64-bit platform. */
export const string2l = string2ll;

/** True when `s` is the canonical decimal form of an int64 (Redis would int-encode it). */
export function isCanonicalInt64(s: Bytes): boolean {
  return string2ll(s) !== undefined;
}

/**
 * An integer argument, exactly (getLongLongFromObjectOrReply): throws
 * `-ERR value is not an integer or out of range`.
 */
export function parseLongLong(s: Bytes): Int64 {
  const v = string2ll(s);
  if (v === undefined) throw Err.notInt();
  return v;
}

/**
 * An integer argument as a JS number (exact up to 2^53, rounded beyond, which does not change
 * comparisons against lengths, indexes or counts). Throws Redis's "not an integer" error.
 */
export function parseInteger(s: Bytes): number {
  const v = string2ll(s);
  if (v === undefined) throw Err.notInt();
  return typeof v === 'number' ? v : Number(v);
}

/** The decimal form of an int64 (ll2string). */
export function ll2string(v: Int64): Bytes {
  return typeof v === 'number' ? String(v) : v.toString();
}

// strtod's grammar, less the blanks Redis refuses: [+-] then a decimal, a hex float or inf.
const DECIMAL_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const HEX_RE = /^([+-]?)0[xX](?:([0-9a-fA-F]+)(?:\.([0-9a-fA-F]*))?|\.([0-9a-fA-F]+))(?:[pP]([+-]?\d+))?$/;
const INF_RE = /^([+-]?)(?:inf|infinity)$/i;
const NONZERO_DIGIT_RE = /[1-9]/;

/**
 * Redis's string2d (ZADD scores, getDoubleFromObject): the double, or undefined when strtod would
 * not consume the whole string, the value is NaN, or it overflows / underflows to zero.
 */
export function string2d(s: Bytes): number | undefined {
  const n = s.length;
  if (n === 0) return undefined;
  // Fast path: plain integers of up to 15 digits ("1", "-42") are the common case.
  if (n <= 15) {
    let i = 0;
    let c = s.charCodeAt(0);
    const neg = c === 45;
    if (neg || c === 43) i = 1;
    if (i < n) {
      let v = 0;
      for (; i < n; i++) {
        c = s.charCodeAt(i) - 48;
        if (c < 0 || c > 9) break;
        v = v * 10 + c;
      }
      if (i === n) return neg ? (v === 0 ? -0 : -v) : v;
    }
  }
  if (DECIMAL_RE.test(s)) {
    const v = Number(s);
    if (v === Infinity || v === -Infinity) return undefined; // overflow: ERANGE
    if (v === 0) {
      // Underflow to zero is ERANGE; a genuine zero ("0.000", "0e99") is fine.
      const e = s.search(/[eE]/);
      if (NONZERO_DIGIT_RE.test(e < 0 ? s : s.slice(0, e))) return undefined;
    }
    return v;
  }
  const inf = INF_RE.exec(s);
  if (inf) return inf[1] === '-' ? -Infinity : Infinity;
  const hex = HEX_RE.exec(s);
  if (hex) return hexToDouble(hex);
  return undefined;
}

/** A double argument (ZADD score, ...): throws `-ERR value is not a valid float`. */
export function parseDouble(s: Bytes): number {
  const v = string2d(s);
  if (v === undefined) throw Err.notFloat();
  return v;
}

/** A C hexadecimal float ("0x1.8p3") as a double, rounded to nearest even; undefined on ERANGE. */
function hexToDouble(m: RegExpExecArray): number | undefined {
  const intDigits = m[2] ?? '';
  const fracDigits = m[3] ?? m[4] ?? '';
  let mant = BigInt('0x' + (intDigits + fracDigits || '0'));
  const pexp = m[5] === undefined ? 0 : Number(m[5]);
  const neg = m[1] === '-';
  if (mant === 0n) return neg ? -0 : 0;
  let exp = pexp - 4 * fracDigits.length;
  // Keep 53 significant bits (plus sticky rounding) so the final scaling is exact or rounds once.
  const bits = mant.toString(2).length;
  if (bits + exp > 1025) return undefined; // >= 2^1024: overflow
  if (bits + exp < -1075) return undefined; // below half the smallest subnormal: underflow
  if (bits > 53) {
    const shift = BigInt(bits - 53);
    const q = mant >> shift;
    const rem = mant - (q << shift);
    const half = 1n << (shift - 1n);
    mant = rem > half || (rem === half && (q & 1n) === 1n) ? q + 1n : q;
    exp += bits - 53;
  }
  let v = Number(mant);
  // Scale by 2^exp in steps that stay exact until the last one.
  while (exp > 0) {
    const step = Math.min(exp, 1000);
    v *= 2 ** step;
    exp -= step;
  }
  while (exp < 0) {
    const step = Math.max(exp, -1000);
    v *= 2 ** step;
    exp -= step;
  }
  if (v === Infinity || v === 0) return undefined;
  return neg ? -v : v;
}
