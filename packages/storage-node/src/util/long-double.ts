/**
 * C `long double` (x87 80-bit extended precision) arithmetic, for INCRBYFLOAT and HINCRBYFLOAT.
 *
 * Redis parses both operands with strtold, adds them as long doubles and prints the sum with
 * `%.17Lf` before stripping trailing zeros (ld2string, LD_STR_HUMAN). The extra 11 bits of
 * mantissa are what make `INCRBYFLOAT k 0.1` three times print "0.3" where doubles would give
 * "0.30000000000000004", and huge values print every integer digit ("1e20" ->
 * "100000000000000000000"). JavaScript has no long double, so this emulates one exactly: a value
 * is `sign * m * 2^e` with a 64-bit mantissa, and every operation (decimal and hex parsing, the
 * sum, the fixed-point printing) is carried out exactly with BigInt and rounded once, to nearest
 * with ties to even, as glibc does. Subnormals (down to 2^-16445) and overflow to infinity behave
 * like the hardware type.
 *
 * Not a hot path: a few microseconds per INCRBYFLOAT is fine.
 */
import { Err, type Bytes } from '@swarmkv/resp';

/** A finite long double (m < 2^64, value = (neg ? -1 : 1) * m * 2^e), or an infinity / NaN. */
export type LongDouble =
  | { readonly kind: 'finite'; readonly neg: boolean; readonly m: bigint; readonly e: number }
  | { readonly kind: 'inf'; readonly neg: boolean }
  | { readonly kind: 'nan' };

const MANT_BITS = 64;
/** Exponent of the least significant bit of the smallest subnormal: 2^-16445. */
const MIN_LSB_EXP = -16445;
/** Every finite long double is below 2^16384. */
const MAX_EXP = 16384;
/** Redis's MAX_LONG_DOUBLE_CHARS: longer strings are refused by string2ld. */
const MAX_LONG_DOUBLE_CHARS = 5 * 1024;

const ZERO: LongDouble = Object.freeze({ kind: 'finite', neg: false, m: 0n, e: 0 });
const NAN: LongDouble = Object.freeze({ kind: 'nan' });

function bitLength(v: bigint): number {
  // toString(2) is plenty fast for the sizes INCRBYFLOAT sees.
  return v === 0n ? 0 : v.toString(2).length;
}

/**
 * Rounds the exact value `mant * 2^exp` (plus an infinitesimal when `sticky`: the bits below were
 * not all zero) to the nearest long double, ties to even.
 */
function round(neg: boolean, mant: bigint, exp: number, sticky = false): LongDouble {
  if (mant === 0n) return neg ? { kind: 'finite', neg: true, m: 0n, e: 0 } : ZERO;
  const bits = bitLength(mant);
  let shift = Math.max(bits - MANT_BITS, MIN_LSB_EXP - exp);
  if (shift > 0) {
    if (shift > bits + 1) {
      // Far below half of the smallest subnormal.
      mant = 0n;
    } else {
      const s = BigInt(shift);
      const q = mant >> s;
      const rem = mant - (q << s);
      const half = 1n << (s - 1n);
      mant = rem > half || (rem === half && (sticky || (q & 1n) === 1n)) ? q + 1n : q;
    }
    exp += shift;
    if (mant >> 64n) {
      mant >>= 1n; // rounded up to 2^64
      exp += 1;
    }
  } else {
    shift = 0;
  }
  if (mant === 0n) return { kind: 'finite', neg, m: 0n, e: 0 };
  if (bitLength(mant) + exp > MAX_EXP) return { kind: 'inf', neg };
  return { kind: 'finite', neg, m: mant, e: exp };
}

export function ldIsFinite(x: LongDouble): boolean {
  return x.kind === 'finite';
}

/** An int64 as a long double (always exact: 64 bits of mantissa). */
export function ldFromInt(v: number | bigint): LongDouble {
  const b = BigInt(v);
  return b < 0n ? round(true, -b, 0) : round(false, b, 0);
}

const DECIMAL_RE = /^([+-]?)(?:(\d+)(?:\.(\d*))?|\.(\d+))(?:[eE]([+-]?\d+))?$/;
const HEX_RE = /^([+-]?)0[xX](?:([0-9a-fA-F]+)(?:\.([0-9a-fA-F]*))?|\.([0-9a-fA-F]+))(?:[pP]([+-]?\d+))?$/;
const INF_RE = /^([+-]?)(?:inf|infinity)$/i;

/**
 * Redis's string2ld: strtold over the whole string. undefined when the string is not entirely a
 * number, starts with a blank, is NaN, overflows, or underflows to zero; infinities written as
 * "inf" / "infinity" are accepted (INCRBYFLOAT then reports the NaN-or-Infinity error).
 */
export function string2ld(s: Bytes): LongDouble | undefined {
  const n = s.length;
  if (n === 0 || n >= MAX_LONG_DOUBLE_CHARS) return undefined;
  let m = DECIMAL_RE.exec(s);
  if (m) return decimalToLd(m);
  m = HEX_RE.exec(s);
  if (m) return hexToLd(m);
  m = INF_RE.exec(s);
  if (m) return { kind: 'inf', neg: m[1] === '-' };
  return undefined;
}

/** A long double argument: throws `-ERR value is not a valid float`. */
export function parseLongDouble(s: Bytes): LongDouble {
  const v = string2ld(s);
  if (v === undefined) throw Err.notFloat();
  return v;
}

function decimalToLd(m: RegExpExecArray): LongDouble | undefined {
  const neg = m[1] === '-';
  const intPart = m[2] ?? '';
  const fracPart = m[3] ?? m[4] ?? '';
  let digits = (intPart + fracPart).replace(/^0+/, '');
  const expNum = m[5] === undefined ? 0 : Number(m[5]);
  if (digits === '') return { kind: 'finite', neg, m: 0n, e: 0 }; // zero, whatever the exponent
  let exp10 = expNum - fracPart.length;
  // Trailing zeros only make the integers bigger.
  const trimmed = digits.replace(/0+$/, '');
  exp10 += digits.length - trimmed.length;
  digits = trimmed;
  // Magnitude is in [10^(exp10+len-1), 10^(exp10+len)): decide overflow/underflow early so that
  // absurd exponents ("1e999999999") never build giant integers.
  const mag = exp10 + digits.length;
  if (mag > 4934) return undefined; // > 1.19e4932: overflow (ERANGE, HUGE_VALL)
  if (mag < -4952) return undefined; // < 3.6e-4951 / 2: underflow to zero (ERANGE)
  const d = BigInt(digits);
  let r: LongDouble;
  if (exp10 >= 0) {
    r = round(neg, d * 10n ** BigInt(exp10), 0);
  } else {
    const p = 10n ** BigInt(-exp10);
    // Enough quotient bits for the 64-bit mantissa plus guard bits; the remainder is the sticky bit.
    const k = Math.max(0, MANT_BITS + 3 + bitLength(p) - bitLength(d));
    const num = d << BigInt(k);
    const q = num / p;
    r = round(neg, q, -k, q * p !== num);
  }
  return r.kind === 'inf' || (r.kind === 'finite' && r.m === 0n) ? undefined : r;
}

function hexToLd(m: RegExpExecArray): LongDouble | undefined {
  const neg = m[1] === '-';
  const intDigits = m[2] ?? '';
  const fracDigits = m[3] ?? m[4] ?? '';
  const mant = BigInt('0x' + (intDigits + fracDigits || '0'));
  if (mant === 0n) return { kind: 'finite', neg, m: 0n, e: 0 };
  const exp = (m[5] === undefined ? 0 : Number(m[5])) - 4 * fracDigits.length;
  const mag = bitLength(mant) + exp;
  if (mag > MAX_EXP + 1) return undefined;
  if (mag < MIN_LSB_EXP - 2) return undefined;
  const r = round(neg, mant, exp);
  return r.kind === 'inf' || (r.kind === 'finite' && r.m === 0n) ? undefined : r;
}

/** a + b, rounded once as the FPU would. */
export function ldAdd(a: LongDouble, b: LongDouble): LongDouble {
  if (a.kind === 'nan' || b.kind === 'nan') return NAN;
  if (a.kind === 'inf') return b.kind === 'inf' && b.neg !== a.neg ? NAN : a;
  if (b.kind === 'inf') return b;
  if (a.m === 0n) return b.m === 0n ? (a.neg && b.neg ? a : ZERO) : b;
  if (b.m === 0n) return a;
  const e = Math.min(a.e, b.e);
  const ma = a.m << BigInt(a.e - e);
  const mb = b.m << BigInt(b.e - e);
  const sum = (a.neg ? -ma : ma) + (b.neg ? -mb : mb);
  if (sum === 0n) return ZERO; // x + (-x) is +0 when rounding to nearest
  return sum < 0n ? round(true, -sum, e) : round(false, sum, e);
}

const TEN_17 = 10n ** 17n;

/**
 * Redis's ld2string in LD_STR_HUMAN mode: `%.17Lf`, trailing zeros (and a trailing point)
 * removed, "-0" printed as "0"; infinities as "inf" / "-inf".
 */
export function ld2string(x: LongDouble): Bytes {
  if (x.kind === 'nan') return 'nan';
  if (x.kind === 'inf') return x.neg ? '-inf' : 'inf';
  // n = |x| * 10^17 rounded to an integer, ties to even.
  let n: bigint;
  if (x.e >= 0) {
    n = (x.m << BigInt(x.e)) * TEN_17;
  } else {
    const s = BigInt(-x.e);
    const num = x.m * TEN_17;
    const q = num >> s;
    const rem = num - (q << s);
    const half = 1n << (s - 1n);
    n = rem > half || (rem === half && (q & 1n) === 1n) ? q + 1n : q;
  }
  if (n === 0n) return '0';
  const digits = n.toString().padStart(18, '0');
  const intPart = digits.slice(0, digits.length - 17);
  let end = digits.length;
  while (end > intPart.length && digits.charCodeAt(end - 1) === 48) end--;
  const frac = digits.slice(intPart.length, end);
  return (x.neg ? '-' : '') + intPart + (frac ? '.' + frac : '');
}
