/**
 * Argument parsers shared by the set, sorted-set and SORT commands, with Redis's exact errors:
 * getLongFromObjectOrReply (string2ll, optional custom message), getPositiveLongFromObjectOrReply
 * (non-integers get the "must be positive" message too), getRangeLongFromObjectOrReply, and the
 * blocking-timeout parser (getTimeoutFromObjectOrReply, seconds as a long double).
 */
import type { Bytes } from '@swarmkv/resp';
import { Err } from '@swarmkv/resp';
import { parseCanonicalInt } from '../types/set/int-member.js';
import { strtodWhole } from '../types/zset/ranges.js';

/** getLongFromObjectOrReply: a strict int64 as a number (exact below 2^53, clamping-safe above). */
export function argLong(b: Bytes, msg?: string): number {
  const v = parseCanonicalInt(b);
  if (v === undefined) throw msg === undefined ? Err.notInt() : Err.msg('ERR', msg);
  return typeof v === 'number' ? v : Number(v);
}

/** getPositiveLongFromObjectOrReply: >= 0, one message for every failure. */
export function argPositiveLong(b: Bytes, msg = 'value is out of range, must be positive'): number {
  const v = parseCanonicalInt(b);
  if (v === undefined || v < 0) throw Err.msg('ERR', msg);
  return typeof v === 'number' ? v : Number(v);
}

/** getRangeLongFromObjectOrReply(min, max, msg): one message for every failure. */
export function argRangeLong(b: Bytes, min: number, max: number, msg: string): number {
  const v = parseCanonicalInt(b);
  const n = v === undefined ? NaN : Number(v);
  if (!(n >= min && n <= max)) throw Err.msg('ERR', msg);
  return n;
}

/**
 * getRangeLongFromObjectOrReply(-LONG_MAX, LONG_MAX, NULL) (SRANDMEMBER / ZRANDMEMBER counts):
 * non-integers get the usual error, LONG_MIN the range message.
 */
export function argLongNotMin(b: Bytes): number {
  const v = parseCanonicalInt(b);
  if (v === undefined) throw Err.notInt();
  if (v === -9223372036854775808n) {
    throw Err.msg('ERR', 'value is out of range, value must between -9223372036854775807 and 9223372036854775807');
  }
  return Number(v);
}

/** Case-insensitive keyword test on an argument (strcasecmp with an upper-case literal). */
export function isKw(b: Bytes | undefined, upper: string): boolean {
  return b !== undefined && b.length === upper.length && b.toUpperCase() === upper;
}

/**
 * A blocking command's timeout in seconds -> absolute deadline in ms (0 = wait forever), with
 * Redis's errors. Redis reads a long double (strtold: decimal, hex, inf), multiplies by 1000 and
 * casts to long long: values beyond int64 (1e30, 1e400, inf) become LLONG_MIN on x86-64 and so
 * "timeout is negative"; -0.0001 truncates to 0 and waits forever.
 */
export function argTimeoutDeadline(b: Bytes, now: number): number {
  const secs = b.length === 0 || isSpaceByte(b.charCodeAt(0)) ? undefined : strtodWhole(b);
  if (secs === undefined || Number.isNaN(secs) || longDoubleOverflow(b, secs)) {
    throw Err.msg('ERR', 'timeout is not a float or out of range');
  }
  const ms = secs * 1000;
  if (!(ms > -9223372036854775808 && ms < 9223372036854775808)) throw Err.msg('ERR', 'timeout is negative');
  const t = Math.trunc(ms);
  if (t < 0) throw Err.msg('ERR', 'timeout is negative');
  if (t > 0 && t > 9223372036854775807 - now) throw Err.msg('ERR', 'timeout is out of range');
  return t === 0 ? 0 : now + t;
}

function isSpaceByte(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** A decimal that overflows even a long double (exponent beyond ~4932) is an ERANGE error. */
function longDoubleOverflow(b: Bytes, v: number): boolean {
  if (Number.isFinite(v) || /inf/i.test(b)) return false;
  const m = /^[+-]?(\d*)\.?(\d*)[eE]([+-]?\d+)$/.exec(b);
  if (!m) return false;
  return Number(m[3]) + m[1]!.replace(/^0+/, '').length > 4932;
}
