/**
 * glob.ts against (1) cases recorded from redis-server 7.0.15, (2) Redis's own test examples,
 * and (3) a line-by-line recursive model of util.c's stringmatchlen on random patterns, which
 * checks that the iterative single-backtrack matcher accepts exactly the same language.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { stringMatch } from './glob.js';
import { REDIS_GLOB_CASES } from './glob.fixtures.js';

/** util.c stringmatchlen_impl, transcribed (signed chars, C-locale tolower, NUL past the end). */
function redisModel(p: string, s: string, nocase: boolean): boolean {
  const at = (str: string, i: number) => (i < str.length ? str.charCodeAt(i) : 0);
  const sc = (c: number) => (c > 127 ? c - 256 : c);
  const low = (c: number) => (c >= 65 && c <= 90 ? c + 32 : c);
  const skip = { longer: false };
  const rec = (pi: number, plen: number, si: number, slen: number): boolean => {
    while (plen > 0 && slen > 0) {
      switch (at(p, pi)) {
        case 42: {
          while (plen > 0 && at(p, pi + 1) === 42) {
            pi++;
            plen--;
          }
          if (plen === 1) return true;
          while (slen > 0) {
            if (rec(pi + 1, plen - 1, si, slen)) return true;
            if (skip.longer) return false;
            si++;
            slen--;
          }
          skip.longer = true;
          return false;
        }
        case 63:
          si++;
          slen--;
          break;
        case 91: {
          pi++;
          plen--;
          const not = at(p, pi) === 94;
          if (not) {
            pi++;
            plen--;
          }
          let match = false;
          for (;;) {
            if (at(p, pi) === 92 && plen >= 2) {
              pi++;
              plen--;
              if (at(p, pi) === at(s, si)) match = true;
            } else if (at(p, pi) === 93) {
              break;
            } else if (plen === 0) {
              pi--;
              plen++;
              break;
            } else if (plen >= 3 && at(p, pi + 1) === 45) {
              let start = sc(at(p, pi));
              let end = sc(at(p, pi + 2));
              let c = sc(at(s, si));
              if (start > end) [start, end] = [end, start];
              if (nocase) {
                start = low(start);
                end = low(end);
                c = low(c);
              }
              pi += 2;
              plen -= 2;
              if (c >= start && c <= end) match = true;
            } else if (nocase ? low(at(p, pi)) === low(at(s, si)) : at(p, pi) === at(s, si)) {
              match = true;
            }
            pi++;
            plen--;
          }
          if (not) match = !match;
          if (!match) return false;
          si++;
          slen--;
          break;
        }
        default:
          // '\\' escapes the next byte, then it compares like any other byte.
          if (at(p, pi) === 92 && plen >= 2) {
            pi++;
            plen--;
          }
          if (nocase ? low(at(p, pi)) !== low(at(s, si)) : at(p, pi) !== at(s, si)) return false;
          si++;
          slen--;
      }
      pi++;
      plen--;
      if (slen === 0) {
        while (at(p, pi) === 42) {
          pi++;
          plen--;
        }
        break;
      }
    }
    return plen === 0 && slen === 0;
  };
  return rec(0, p.length, 0, s.length);
}

describe('stringMatch', () => {
  it('agrees with redis-server 7.0.15 on recorded cases', () => {
    const wrong = REDIS_GLOB_CASES.filter(([p, s, m]) => stringMatch(p, s) !== m);
    expect(wrong).toEqual([]);
    // The model used by the random test below must be right too.
    expect(REDIS_GLOB_CASES.filter(([p, s, m]) => redisModel(p, s, false) !== m)).toEqual([]);
    expect(REDIS_GLOB_CASES.length).toBeGreaterThan(1000);
  });

  it('handles the examples from the KEYS documentation and Redis tests', () => {
    for (const s of ['hello', 'hallo', 'hxllo']) expect(stringMatch('h?llo', s)).toBe(true);
    expect(stringMatch('h*llo', 'hllo')).toBe(true);
    expect(stringMatch('h*llo', 'heeeello')).toBe(true);
    expect(stringMatch('h[ae]llo', 'hello')).toBe(true);
    expect(stringMatch('h[ae]llo', 'hillo')).toBe(false);
    expect(stringMatch('h[^e]llo', 'hallo')).toBe(true);
    expect(stringMatch('h[^e]llo', 'hello')).toBe(false);
    expect(stringMatch('h[a-b]llo', 'hbllo')).toBe(true);
    expect(stringMatch('h\\*llo', 'h*llo')).toBe(true);
    expect(stringMatch('h\\*llo', 'hallo')).toBe(false);
    expect(stringMatch('*', '')).toBe(false);
    expect(stringMatch('', '')).toBe(true);
    expect(stringMatch('foo*', 'foo')).toBe(true);
  });

  it('folds ASCII case only with nocase', () => {
    expect(stringMatch('MAXMEMORY*', 'maxmemory-policy', true)).toBe(true);
    expect(stringMatch('MAXMEMORY*', 'maxmemory-policy')).toBe(false);
    expect(stringMatch('[A-C]x', 'bX', true)).toBe(true);
    expect(stringMatch('\xc0', '\xe0', true)).toBe(false);
    // An escaped byte inside a class compares exactly even with nocase.
    expect(stringMatch('[\\A]', 'a', true)).toBe(false);
  });

  it('is bounded on patterns that are exponential for naive backtracking', () => {
    const pattern = '*a'.repeat(40) + 'b';
    const str = 'a'.repeat(5000);
    const t = performance.now();
    expect(stringMatch(pattern, str)).toBe(false);
    expect(performance.now() - t).toBeLessThan(1000);
    // Deep star runs do not grow the stack.
    expect(stringMatch('*?'.repeat(50_000), 'x'.repeat(60_000))).toBe(true);
  });

  it('accepts exactly the language of Redis stringmatchlen (random patterns)', () => {
    const patChar = fc.constantFrom('a', 'b', 'A', '*', '?', '[', ']', '^', '-', '\\', '\xff', '\x00');
    const strChar = fc.constantFrom('a', 'b', 'A', 'B', ']', '-', '^', '\\', '*', '\xff', '\x00', '[');
    fc.assert(
      fc.property(
        fc.array(patChar, { maxLength: 10 }).map((a) => a.join('')),
        fc.array(strChar, { maxLength: 8 }).map((a) => a.join('')),
        fc.boolean(),
        (p, s, nocase) => {
          expect(stringMatch(p, s, nocase)).toBe(redisModel(p, s, nocase));
        },
      ),
      { numRuns: 20_000 },
    );
  });
});
