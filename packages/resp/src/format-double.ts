/**
 * Doubles printed the way Redis 7.0 prints them in replies.
 *
 * Redis 7.0.15's addReplyDouble formats with C's `%.17g` (so ZSCORE of 1.1 is
 * "1.1000000000000001" and 1.5e-7 is "1.4999999999999999e-07"), and writes infinities as
 * "inf" / "-inf". JavaScript has no printf, so this takes 18 correctly rounded significant
 * digits from `toExponential(17)`, rounds them to 17 (exact whenever the 18th digit is not 5) and
 * applies C's %g layout: exponent form when the decimal exponent is < -4 or >= 17, trailing zeros
 * removed, at least two exponent digits.
 *
 * When the 18th digit is 5 the value may be an exact tie (e.g. 1000000000000000.25), which C
 * (glibc) breaks to even while JS breaks away from zero, or it may hide a double rounding; the
 * 17 digits are then computed from the exact binary value with BigInt (rare, slow path).
 */

/** `%.17g` of d, with Redis's "inf" / "-inf" (and "nan"). */
export function formatDouble(d: number): string {
  if (d !== d) return 'nan';
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  if (d === 0) return 1 / d < 0 ? '-0' : '0';
  // Integers below 2^53 print as themselves (at most 16 digits, so %.17g shows them exactly).
  if (Number.isInteger(d) && d < 9007199254740992 && d > -9007199254740992) return String(d);
  const neg = d < 0;
  const a = neg ? -d : d;
  // 18 significant digits, correctly rounded; rounding those to 17 is exact unless digit 18 is 5.
  const e18 = a.toExponential(17); // "d.ddddddddddddddddde+X"
  const ei = e18.indexOf('e');
  const d18 = e18.charCodeAt(ei - 1);
  let digits: string;
  let exp: number;
  if (d18 === 53 /* '5' */) {
    [digits, exp] = exactRound17(a);
  } else {
    digits = e18[0]! + e18.slice(2, ei - 1);
    exp = Number(e18.slice(ei + 1));
    if (d18 > 53) {
      digits = incrementDigits(digits);
      if (digits.length > 17) {
        digits = digits.slice(0, 17);
        exp++;
      }
    }
  }
  return (neg ? '-' : '') + layoutG(digits, exp);
}

/** C %g layout of 17 significant `digits` (d1 d2 ... d17) with decimal exponent `exp`. */
function layoutG(digits: string, exp: number): string {
  if (exp < -4 || exp >= 17) {
    const frac = stripZeros(digits.slice(1));
    const ae = exp < 0 ? -exp : exp;
    return digits[0]! + (frac ? '.' + frac : '') + 'e' + (exp < 0 ? '-' : '+') + (ae < 10 ? '0' + ae : String(ae));
  }
  if (exp >= 0) {
    const frac = stripZeros(digits.slice(exp + 1));
    return digits.slice(0, exp + 1) + (frac ? '.' + frac : '');
  }
  return '0.' + '0'.repeat(-exp - 1) + stripZeros(digits);
}

/** Decimal string + 1 ("199" -> "200", "99" -> "100"). */
function incrementDigits(s: string): string {
  let i = s.length - 1;
  while (i >= 0 && s.charCodeAt(i) === 57) i--;
  if (i < 0) return '1' + '0'.repeat(s.length);
  return s.slice(0, i) + String.fromCharCode(s.charCodeAt(i) + 1) + '0'.repeat(s.length - 1 - i);
}

function stripZeros(s: string): string {
  let n = s.length;
  while (n > 0 && s.charCodeAt(n - 1) === 48) n--;
  return n === s.length ? s : s.slice(0, n);
}

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * The exact decimal expansion of a (positive, finite) double rounded to 17 significant digits
 * with ties to even, as glibc printf does. Returns [17 digits, decimal exponent].
 */
function exactRound17(a: number): [string, number] {
  F64[0] = a;
  const hi = U32[LITTLE_ENDIAN ? 1 : 0]!;
  const lo = U32[LITTLE_ENDIAN ? 0 : 1]!;
  const biased = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e2: number;
  if (biased === 0) {
    e2 = -1074; // subnormal
  } else {
    mant |= 1n << 52n;
    e2 = biased - 1075;
  }
  // a = mant * 2^e2 = N * 10^-scale
  let n: bigint;
  let scale: number;
  if (e2 >= 0) {
    n = mant << BigInt(e2);
    scale = 0;
  } else {
    n = mant * 5n ** BigInt(-e2);
    scale = -e2;
  }
  let s = n.toString();
  const exp = s.length - 1 - scale;
  if (s.length <= 17) return [s.padEnd(17, '0'), exp];
  const head = BigInt(s.slice(0, 17));
  const rest = s.slice(17);
  const restFirst = rest.charCodeAt(0) - 48;
  const restTail = rest.length > 1 && /[1-9]/.test(rest.slice(1));
  let rounded = head;
  if (restFirst > 5 || (restFirst === 5 && (restTail || (head & 1n) === 1n))) rounded = head + 1n;
  s = rounded.toString();
  if (s.length > 17) return [s.slice(0, 17), exp + 1]; // 99..9 rounded up to 100..0
  return [s, exp];
}
