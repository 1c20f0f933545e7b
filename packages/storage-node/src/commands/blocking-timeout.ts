/**
 * The timeout argument of blocking commands (BLPOP ... 1.5, BZPOPMIN ... 0), parsed as Redis 7.0's
 * getTimeoutFromObjectOrReply with UNIT_SECONDS: the text must be something C's strtold accepts
 * in full (decimal or hex floats, "inf"; not "nan", not a leading space), the milliseconds are
 * ceil(seconds * 1000) converted to a long long (so "inf" or 1e16 overflow to LLONG_MIN and are
 * "negative", while -0.0001 becomes 0, i.e. "forever"), and long double's range decides what is
 * "out of range" (1e400 parses, 1e5000 does not).
 */
import type { Bytes } from '@swarmkv/resp';
import { Err } from '@swarmkv/resp';

const STRTOLD_SYNTAX =
  /^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?|0x(?:[0-9a-f]+\.?[0-9a-f]*|\.[0-9a-f]+)(?:p[+-]?\d+)?|inf(?:inity)?|nan(?:\([0-9a-z_]*\))?)$/i;
/** Redis's MAX_LONG_DOUBLE_CHARS: longer arguments are refused unread. */
const MAX_LONG_DOUBLE_CHARS = 5 * 1024;
/** Decimal exponents beyond long double's range (about 1.19e4932 .. 3.6e-4951). */
const LONG_DOUBLE_MAX_EXP10 = 4932;
const LONG_DOUBLE_MIN_EXP10 = -4951;
const LLONG_LIMIT = 2 ** 63;

const notFloat = () => Err.msg('ERR', 'timeout is not a float or out of range');
const negative = () => Err.msg('ERR', 'timeout is negative');

/** Decimal exponent of the leading significant digit of a decimal literal; undefined for zero. */
function decimalExponent(s: string): number | undefined {
  const m = /^[+-]?(\d*)\.?(\d*)(?:e([+-]?\d+))?$/i.exec(s);
  if (m === null) return undefined;
  const [, int = '', frac = '', exp = '0'] = m;
  const e = Number(exp);
  const i = int.search(/[1-9]/);
  if (i >= 0) return e + (int.length - i - 1);
  const f = frac.search(/[1-9]/);
  return f >= 0 ? e - f - 1 : undefined;
}

function parseHexFloat(s: string): number {
  const neg = s.startsWith('-');
  const body = s.replace(/^[+-]?0x/i, '');
  const [mant = '', exp = '0'] = body.split(/p/i);
  const [int = '', frac = ''] = mant.split('.');
  let v = 0;
  for (const c of int) v = v * 16 + parseInt(c, 16);
  let scale = 1 / 16;
  for (const c of frac) {
    v += parseInt(c, 16) * scale;
    scale /= 16;
  }
  v *= 2 ** Number(exp);
  return neg ? -v : v;
}

/** Seconds as Redis reads them (long double), or throws Redis's "not a float" error. */
function parseSeconds(arg: Bytes): number {
  if (arg.length === 0 || arg.length >= MAX_LONG_DOUBLE_CHARS || !STRTOLD_SYNTAX.test(arg)) throw notFloat();
  const lower = arg.toLowerCase();
  if (lower.includes('nan')) throw notFloat();
  if (lower.includes('inf')) return lower.startsWith('-') ? -Infinity : Infinity;
  if (lower.includes('x')) return parseHexFloat(arg);
  const v = Number(arg);
  const e10 = decimalExponent(arg);
  if (e10 !== undefined && (e10 > LONG_DOUBLE_MAX_EXP10 || e10 < LONG_DOUBLE_MIN_EXP10)) throw notFloat();
  return v;
}

/**
 * Absolute deadline in ms since the epoch for a blocking command's timeout argument, 0 for
 * "forever"; throws Redis's errors.
 */
export function parseBlockingTimeout(arg: Bytes, now: number): number {
  const seconds = parseSeconds(arg);
  const ms = Math.ceil(seconds * 1000);
  // (long long) of a value out of range gives LLONG_MIN on x86-64: "negative".
  if (!Number.isFinite(ms) || ms >= LLONG_LIMIT || ms < -LLONG_LIMIT) throw negative();
  if (ms < 0) throw negative();
  return ms > 0 ? now + ms : 0;
}
