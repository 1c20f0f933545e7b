/**
 * Score and lex ranges of the sorted-set commands, parsed as Redis parses them, and the score
 * parser itself.
 *
 * Scores are IEEE doubles read with strtod's grammar: decimal, hex floats ("0x1p3"), "inf",
 * "infinity" (any case, optional sign). Two parsers exist in Redis and they differ:
 *  - a score argument (ZADD, ZINCRBY, WEIGHTS...) is getDoubleFromObject: the whole string must
 *    parse, no leading space, not empty, NaN refused, overflow ("1e400") refused;
 *  - a range bound (ZRANGEBYSCORE min max) is zslParseRange: a leading "(" makes it exclusive,
 *    strtod skips leading spaces, an empty string is 0, overflow gives inf, only NaN and
 *    trailing garbage are refused (`-ERR min or max is not a float`).
 * Lex bounds are "-" / "+" or "[x" / "(x" (`-ERR min or max not valid string range item`).
 */
import type { Bytes } from '@swarmkv/resp';

export interface ScoreRange {
  min: number;
  max: number;
  minex: boolean;
  maxex: boolean;
}

/** Lex bound: a member, or the sentinels below. */
export type LexBound = Bytes | typeof LEX_MIN | typeof LEX_MAX;
export const LEX_MIN: unique symbol = Symbol('-');
export const LEX_MAX: unique symbol = Symbol('+');

export interface LexRange {
  min: LexBound;
  max: LexBound;
  minex: boolean;
  maxex: boolean;
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const HEX = /^([+-]?)0[xX]((?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+))(?:[pP]([+-]?\d+))?$/;
const INFINITY = /^([+-]?)(?:inf|infinity)$/i;
const NAN = /^[+-]?nan(?:\([0-9a-zA-Z_]*\))?$/i;

/** strtod over the whole string (no spaces): the value, NaN for "nan", undefined when it is not a number. */
export function strtodWhole(s: string): number | undefined {
  if (DECIMAL.test(s)) return Number(s);
  const inf = INFINITY.exec(s);
  if (inf) return inf[1] === '-' ? -Infinity : Infinity;
  const hex = HEX.exec(s);
  if (hex) return parseHexFloat(hex[1]!, hex[2]!, hex[3]);
  if (NAN.test(s)) return NaN;
  return undefined;
}

function parseHexFloat(sign: string, digits: string, exp: string | undefined): number {
  const dot = digits.indexOf('.');
  const intPart = dot < 0 ? digits : digits.slice(0, dot);
  const frac = dot < 0 ? '' : digits.slice(dot + 1);
  // Exact for up to 13 hex digits of mantissa, which is all a double holds.
  let m = 0;
  for (const ch of intPart + frac) m = m * 16 + parseInt(ch, 16);
  const v = m * 2 ** (Number(exp ?? 0) - 4 * frac.length);
  return sign === '-' ? -v : v;
}

/** C isspace: space, \t \n \v \f \r. */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/**
 * A score argument (Redis getDoubleFromObject): undefined when it is not a valid float.
 * Underflow to zero of a non-zero spelling counts as an error, as strtod's ERANGE does there.
 */
export function parseScore(b: Bytes): number | undefined {
  if (b.length === 0 || isSpace(b.charCodeAt(0))) return undefined;
  const v = strtodWhole(b);
  if (v === undefined || Number.isNaN(v)) return undefined;
  if (!Number.isFinite(v) && !INFINITY.test(b)) return undefined; // overflow (1e400): ERANGE
  if (v === 0 && /[1-9a-fA-F]/.test(b.replace(/[eEpP][+-]?\d+$/, '').replace(/^[+-]?0[xX]/, ''))) return undefined;
  return v;
}

/** One bound of a score range (zslParseRange): [value, exclusive] or undefined when invalid. */
function parseBound(b: Bytes): [number, boolean] | undefined {
  let ex = false;
  let s = b;
  if (s.charCodeAt(0) === 40 /* ( */) {
    ex = true;
    s = s.slice(1);
  }
  // strtod skips leading white space and stops at a NUL (C strings).
  let i = 0;
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  const nul = s.indexOf('\0');
  const body = s.slice(i, nul < 0 ? s.length : nul);
  // Nothing to parse: strtod leaves its end pointer at the start, which must then be the end.
  if (body.length === 0) return i === 0 ? [0, ex] : undefined;
  const v = strtodWhole(body);
  if (v === undefined || Number.isNaN(v)) return undefined;
  return [v, ex];
}

/** ZRANGEBYSCORE-style range; undefined when a bound is not a float. */
export function parseScoreRange(min: Bytes, max: Bytes): ScoreRange | undefined {
  const lo = parseBound(min);
  const hi = parseBound(max);
  if (!lo || !hi) return undefined;
  return { min: lo[0], minex: lo[1], max: hi[0], maxex: hi[1] };
}

function parseLexBound(b: Bytes): [LexBound, boolean] | undefined {
  const c = b.charCodeAt(0);
  if (c === 43 /* + */ && b.length === 1) return [LEX_MAX, false];
  if (c === 45 /* - */ && b.length === 1) return [LEX_MIN, false];
  if (c === 40 /* ( */) return [b.slice(1), true];
  if (c === 91 /* [ */) return [b.slice(1), false];
  return undefined;
}

/** ZRANGEBYLEX-style range; undefined when a bound is not valid. */
export function parseLexRange(min: Bytes, max: Bytes): LexRange | undefined {
  const lo = parseLexBound(min);
  const hi = parseLexBound(max);
  if (!lo || !hi) return undefined;
  return { min: lo[0], minex: lo[1], max: hi[0], maxex: hi[1] };
}

export function scoreGteMin(v: number, r: ScoreRange): boolean {
  return r.minex ? v > r.min : v >= r.min;
}

export function scoreLteMax(v: number, r: ScoreRange): boolean {
  return r.maxex ? v < r.max : v <= r.max;
}

/** False when no score can be in the range (Redis zslIsInRange's first test). */
export function scoreRangeEmpty(r: ScoreRange): boolean {
  return r.min > r.max || (r.min === r.max && (r.minex || r.maxex));
}

function cmpLex(a: LexBound, b: LexBound): number {
  if (a === b) return 0;
  if (a === LEX_MIN || b === LEX_MAX) return -1;
  if (a === LEX_MAX || b === LEX_MIN) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function lexGteMin(v: Bytes, r: LexRange): boolean {
  const c = cmpLex(v, r.min);
  return r.minex ? c > 0 : c >= 0;
}

export function lexLteMax(v: Bytes, r: LexRange): boolean {
  const c = cmpLex(v, r.max);
  return r.maxex ? c < 0 : c <= 0;
}

/** Redis zslLexValueGteMin/LteMax first test: can anything be in the range? */
export function lexRangeEmpty(r: LexRange): boolean {
  const c = cmpLex(r.min, r.max);
  return c > 0 || (c === 0 && (r.minex || r.maxex));
}
