/**
 * Glob-style matching with Redis's exact rules (util.c stringmatchlen), used by KEYS, SCAN MATCH,
 * PSUBSCRIBE patterns and CONFIG GET.
 *
 *   *        any run of bytes          ?      any one byte
 *   [abc]    one of a, b, c            [^ab]  any byte but a and b
 *   [a-z]    a range (ends may be given in either order)   \x  the byte x, literally
 *
 * Redis's quirks are kept because replies must match byte for byte:
 *  - the empty string matches only the empty pattern ("*" does not match "");
 *  - an unterminated class ("[abc") is a class that ends with the pattern;
 *  - "-" right before the closing "]" makes a range up to "]" ("[a-]" is "]".."a");
 *  - range ends compare as C `char`, i.e. signed: bytes >= 0x80 sort below "\0";
 *  - nocase folds ASCII A-Z only (C locale tolower); escaped bytes in a class ignore nocase.
 *
 * Redis matches recursively on each "*" (bounded in 7.0 by its "skip longer matches" cut);
 * here the same language is matched iteratively with one backtrack point: when the rest of the
 * pattern fails after a "*", only the latest "*" needs to absorb one more byte. Cost is
 * O(pattern * string) in the worst case and the stack never grows.
 */
import type { Bytes } from '@swarmkv/resp';

const STAR = 0x2a; // *
const QUESTION = 0x3f; // ?
const OPEN = 0x5b; // [
const CLOSE = 0x5d; // ]
const CARET = 0x5e; // ^
const BACKSLASH = 0x5c; // \
const DASH = 0x2d; // -

/** C tolower in the C locale. */
function lower(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
}

/** A byte as a signed C char. */
function signedChar(c: number): number {
  return c > 0x7f ? c - 0x100 : c;
}

/**
 * Match one non-star token of `p` at `pi` against the byte `sc`: the index after the token,
 * or -1 when it does not match.
 */
function matchToken(p: Bytes, pi: number, sc: number, nocase: boolean): number {
  const plen = p.length;
  let c = p.charCodeAt(pi);
  if (c === QUESTION) return pi + 1;
  if (c === OPEN) {
    let i = pi + 1;
    const not = i < plen && p.charCodeAt(i) === CARET;
    if (not) i++;
    let match = false;
    for (;;) {
      if (i < plen && p.charCodeAt(i) === BACKSLASH && plen - i >= 2) {
        i++;
        if (p.charCodeAt(i) === sc) match = true;
      } else if (i < plen && p.charCodeAt(i) === CLOSE) {
        break;
      } else if (i >= plen) {
        // Unterminated class: Redis steps back so the token ends with the pattern.
        i--;
        break;
      } else if (plen - i >= 3 && p.charCodeAt(i + 1) === DASH) {
        let start = signedChar(p.charCodeAt(i));
        let end = signedChar(p.charCodeAt(i + 2));
        let ch = signedChar(sc);
        if (start > end) {
          const t = start;
          start = end;
          end = t;
        }
        if (nocase) {
          start = lower(start);
          end = lower(end);
          ch = lower(ch);
        }
        i += 2;
        if (ch >= start && ch <= end) match = true;
      } else {
        const pc = p.charCodeAt(i);
        if (nocase ? lower(pc) === lower(sc) : pc === sc) match = true;
      }
      i++;
    }
    if (not) match = !match;
    return match ? i + 1 : -1;
  }
  if (c === BACKSLASH && plen - pi >= 2) {
    pi++;
    c = p.charCodeAt(pi);
  }
  return (nocase ? lower(c) === lower(sc) : c === sc) ? pi + 1 : -1;
}

/** Redis stringmatchlen(pattern, string, nocase) === 1. */
export function stringMatch(pattern: Bytes, str: Bytes, nocase = false): boolean {
  const plen = pattern.length;
  const slen = str.length;
  if (slen === 0) return plen === 0;
  let pi = 0;
  let si = 0;
  // Backtrack point: pattern index after the latest "*", and where its match currently ends.
  let starP = -1;
  let starS = -1;
  for (;;) {
    if (pi < plen) {
      if (pattern.charCodeAt(pi) === STAR) {
        while (pi + 1 < plen && pattern.charCodeAt(pi + 1) === STAR) pi++;
        if (pi + 1 === plen) return true; // a trailing "*" takes the (non-empty) rest
        starP = pi + 1;
        starS = si;
        pi = starP;
        continue;
      }
      const next = matchToken(pattern, pi, str.charCodeAt(si), nocase);
      if (next !== -1) {
        pi = next;
        si++;
        if (si < slen) continue;
        // String consumed: only "*"s may remain.
        while (pi < plen && pattern.charCodeAt(pi) === STAR) pi++;
        if (pi === plen) return true;
      }
    }
    // Mismatch, or one side ran out: let the latest "*" absorb one more byte.
    if (starP === -1) return false;
    starS++;
    if (starS >= slen) return false;
    si = starS;
    pi = starP;
  }
}
