/**
 * The RZset value: both encodings must answer every read alike, and conversions happen exactly at
 * Redis's boundaries (127/128/129 entries, 64/65-byte members, on insert only, never back on
 * deletion; ZUNIONSTORE-style results converted down when small). A fast-check model run
 * compares a listpack-encoded and a skiplist-encoded set after the same random operations.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RZset, ZADD_IN_GT, ZADD_IN_INCR, ZADD_IN_NONE, ZADD_IN_XX, ZADD_OUT_ADDED, ZADD_OUT_NAN, ZADD_OUT_NOP, ZADD_OUT_UPDATED, lastZaddScore } from './zset.js';
import { parseLexRange, parseScoreRange } from './ranges.js';

const DEFAULTS = { zsetMaxListpackEntries: 128, zsetMaxListpackValue: 64 };
const NEVER_LP = { zsetMaxListpackEntries: 0, zsetMaxListpackValue: 0 };

function dump(z: RZset): [string, number][] {
  const out: [string, number][] = [];
  z.forEach(false, (e, s) => out.push([e, s]));
  return out;
}

describe('RZset conversions', () => {
  it('stays a listpack up to 128 entries and converts on the 129th', () => {
    const z = RZset.listpack();
    for (let i = 0; i < 127; i++) z.add(i, `m${i}`, ZADD_IN_NONE, DEFAULTS);
    expect(z.encoding()).toBe('listpack');
    z.add(127, 'm127', ZADD_IN_NONE, DEFAULTS);
    expect(z.length()).toBe(128);
    expect(z.encoding()).toBe('listpack');
    // Updating an existing member never converts.
    z.add(1000, 'm0', ZADD_IN_NONE, DEFAULTS);
    expect(z.encoding()).toBe('listpack');
    z.add(128, 'm128', ZADD_IN_NONE, DEFAULTS);
    expect(z.encoding()).toBe('skiplist');
    expect(z.length()).toBe(129);
    // Deleting back below the limit keeps the skiplist.
    for (let i = 1; i < 100; i++) z.del(`m${i}`);
    expect(z.encoding()).toBe('skiplist');
    expect(z.score('m0')).toBe(1000);
  });

  it('converts for a 65-byte member, not a 64-byte one', () => {
    const z = RZset.listpack();
    z.add(1, 'a'.repeat(64), ZADD_IN_NONE, DEFAULTS);
    expect(z.encoding()).toBe('listpack');
    z.add(2, 'b'.repeat(65), ZADD_IN_NONE, DEFAULTS);
    expect(z.encoding()).toBe('skiplist');
    expect(dump(z)).toEqual([
      ['a'.repeat(64), 1],
      ['b'.repeat(65), 2],
    ]);
    expect(RZset.forFirstMember(64, DEFAULTS).encoding()).toBe('listpack');
    expect(RZset.forFirstMember(65, DEFAULTS).encoding()).toBe('skiplist');
    expect(RZset.forFirstMember(1, NEVER_LP).encoding()).toBe('skiplist');
  });

  it('converts results down only when small enough (zsetConvertToListpackIfNeeded)', () => {
    const z = RZset.skiplist();
    for (let i = 0; i < 128; i++) z.add(i, `m${i}`, ZADD_IN_NONE, DEFAULTS);
    z.toListpackIfNeeded(4, 4 * 128, DEFAULTS);
    expect(z.encoding()).toBe('listpack');
    const big = RZset.skiplist();
    for (let i = 0; i < 129; i++) big.add(i, `m${i}`, ZADD_IN_NONE, DEFAULTS);
    big.toListpackIfNeeded(4, 4 * 129, DEFAULTS);
    expect(big.encoding()).toBe('skiplist');
    const long = RZset.skiplist();
    long.add(1, 'x'.repeat(65), ZADD_IN_NONE, DEFAULTS);
    long.toListpackIfNeeded(65, 65, DEFAULTS);
    expect(long.encoding()).toBe('skiplist');
  });

  it('stores -0 as 0 in a listpack but keeps -0 in a skiplist (as Redis d2string does)', () => {
    const lp = RZset.listpack();
    lp.add(-0, 'z', ZADD_IN_NONE, DEFAULTS);
    expect(Object.is(lp.score('z'), 0)).toBe(true);
    const sl = RZset.skiplist();
    sl.add(-0, 'z', ZADD_IN_NONE, DEFAULTS);
    expect(Object.is(sl.score('z'), -0)).toBe(true);
  });

  it('keeps exact scores through the listpack text form', () => {
    const z = RZset.listpack();
    const scores = [1.1, 0.1, 1e-5, -2.5e-7, 2 ** 52, 2 ** 53 + 2, 1e300, Infinity, -Infinity, 123456789012345680];
    scores.forEach((s, i) => z.add(s, `m${i}`, ZADD_IN_NONE, DEFAULTS));
    scores.forEach((s, i) => expect(z.score(`m${i}`)).toBe(s));
  });

  it('reports ZADD flags like zsetAdd', () => {
    for (const lim of [DEFAULTS, NEVER_LP]) {
      const z = lim === DEFAULTS ? RZset.listpack() : RZset.skiplist();
      expect(z.add(1, 'a', ZADD_IN_NONE, lim)).toBe(ZADD_OUT_ADDED);
      expect(z.add(1, 'a', ZADD_IN_NONE, lim)).toBe(0);
      expect(z.add(2, 'a', ZADD_IN_NONE, lim)).toBe(ZADD_OUT_UPDATED);
      expect(z.add(1, 'a', ZADD_IN_GT, lim)).toBe(ZADD_OUT_NOP);
      expect(z.add(1, 'b', ZADD_IN_XX, lim)).toBe(ZADD_OUT_NOP);
      expect(z.add(Infinity, 'a', ZADD_IN_INCR, lim)).toBe(ZADD_OUT_UPDATED);
      expect(lastZaddScore()).toBe(Infinity);
      expect(z.add(-Infinity, 'a', ZADD_IN_INCR, lim)).toBe(ZADD_OUT_NAN);
      expect(z.add(NaN, 'c', ZADD_IN_NONE, lim)).toBe(ZADD_OUT_NAN);
    }
  });
});

type Op =
  | { k: 'add'; s: number; e: string }
  | { k: 'incr'; s: number; e: string }
  | { k: 'del'; e: string }
  | { k: 'rank'; a: number; b: number }
  | { k: 'score'; lo: number; hi: number }
  | { k: 'lex'; lo: string; hi: string };

const ele = fc.string({ unit: fc.constantFrom('a', 'b', 'c', '1', '2', '\xe9'), minLength: 1, maxLength: 3 });
// Zero often, so that runs with all-equal scores (where lex ranges are defined) are common.
const score = fc.oneof(
  { arbitrary: fc.constant(0), weight: 4 },
  { arbitrary: fc.integer({ min: -3, max: 3 }), weight: 1 },
  { arbitrary: fc.constantFrom(0.5, Infinity, -Infinity), weight: 1 },
);
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ k: fc.constant('add' as const), s: score, e: ele }),
  fc.record({ k: fc.constant('incr' as const), s: fc.integer({ min: -2, max: 2 }), e: ele }),
  fc.record({ k: fc.constant('del' as const), e: ele }),
  fc.record({ k: fc.constant('rank' as const), a: fc.integer({ min: -6, max: 6 }), b: fc.integer({ min: -6, max: 6 }) }),
  fc.record({ k: fc.constant('score' as const), lo: fc.integer({ min: -4, max: 4 }), hi: fc.integer({ min: -4, max: 4 }) }),
  fc.record({ k: fc.constant('lex' as const), lo: ele, hi: ele }),
);

describe('RZset: listpack and skiplist agree', () => {
  it('on random operations and range reads', () => {
    const BIG = { zsetMaxListpackEntries: 1_000_000, zsetMaxListpackValue: 1_000_000 };
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
        const a = RZset.listpack();
        const b = RZset.skiplist();
        for (const o of ops) {
          if (o.k === 'add' || o.k === 'incr') {
            const f = o.k === 'incr' ? ZADD_IN_INCR : ZADD_IN_NONE;
            expect(a.add(o.s, o.e, f, BIG)).toBe(b.add(o.s, o.e, f, NEVER_LP));
          } else if (o.k === 'del') {
            expect(a.del(o.e)).toBe(b.del(o.e));
          } else if (o.k === 'rank') {
            const n = a.length();
            let s = o.a < 0 ? n + o.a : o.a;
            let e = o.b < 0 ? n + o.b : o.b;
            if (s < 0) s = 0;
            if (s > e || s >= n) continue;
            if (e >= n) e = n - 1;
            for (const rev of [false, true]) {
              const ra: unknown[] = [];
              const rb: unknown[] = [];
              a.rangeByRank(s, e, rev, (x, y) => ra.push([x, y]));
              b.rangeByRank(s, e, rev, (x, y) => rb.push([x, y]));
              expect(ra).toEqual(rb);
            }
          } else if (o.k === 'score') {
            const r = parseScoreRange(`(${o.lo}`, String(o.hi))!;
            expect(a.countInRange(r)).toBe(b.countInRange(r));
            for (const rev of [false, true]) {
              const ra: unknown[] = [];
              const rb: unknown[] = [];
              a.rangeByScore(r, 1, 3, rev, (x, y) => ra.push([x, y]));
              b.rangeByScore(r, 1, 3, rev, (x, y) => rb.push([x, y]));
              expect(ra).toEqual(rb);
            }
          } else {
            // Lex ranges are only defined when every score is equal (Redis's own precondition).
            if (new Set(dump(b).map(([, sc]) => sc)).size > 1) continue;
            const r = parseLexRange(`[${o.lo}`, `(${o.hi}`)!;
            expect(a.countInLexRange(r)).toBe(b.countInLexRange(r));
            const ra: unknown[] = [];
            const rb: unknown[] = [];
            a.rangeByLex(r, 0, -1, false, (x) => ra.push(x));
            b.rangeByLex(r, 0, -1, false, (x) => rb.push(x));
            expect(ra).toEqual(rb);
          }
        }
        expect(a.encoding()).toBe('listpack');
        expect(dump(a)).toEqual(dump(b));
        for (const [m] of dump(a)) {
          expect(a.rank(m, false)).toBe(b.rank(m, false));
          expect(a.rank(m, true)).toBe(b.rank(m, true));
        }
        const c = a.clone();
        c.toSkiplist();
        expect(dump(c)).toEqual(dump(b));
        const d = b.clone();
        d.toListpack();
        expect(dump(d)).toEqual(dump(a));
      }),
      { numRuns: 300 },
    );
  });
});
