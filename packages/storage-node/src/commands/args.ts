/**
 * Argument parsers shared by the set, sorted-set and SORT commands, with Redis's exact errors:
 * getLongFromObjectOrReply (string2ll, optional custom message), getPositiveLongFromObjectOrReply
 * (non-integers get the "must be positive" message too) and getRangeLongFromObjectOrReply.
 * Blocking timeouts are parsed by blocking-timeout.ts (shared with the list commands).
 */
import type { Bytes } from '@swarmkv/resp';
import { Err } from '@swarmkv/resp';
import { parseCanonicalInt } from '../types/set/int-member.js';

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
