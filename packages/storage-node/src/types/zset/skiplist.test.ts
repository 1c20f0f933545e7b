/**
 * Skiplist vs a sorted-array model under random inserts, deletes and score updates: order,
 * backward links, tail, and above all the span bookkeeping that rank queries depend on (every
 * level's spans must add up to the true distance between linked nodes).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { NIL, Skiplist, ZSKIPLIST_MAXLEVEL } from './skiplist.js';

interface Entry {
  ele: string;
  score: number;
}

const cmp = (a: Entry, b: Entry): number => a.score - b.score || (a.ele < b.ele ? -1 : a.ele > b.ele ? 1 : 0);

/** Walks every level checking forward order and spans against level-0 positions. */
function checkInvariants(zsl: Skiplist, model: Entry[]): void {
  expect(zsl.length).toBe(model.length);
  const pos = new Map<number, number>();
  let x = zsl.first();
  let prev = NIL;
  let i = 0;
  while (x !== NIL) {
    pos.set(x, i + 1);
    expect({ ele: zsl.ele(x), score: zsl.score(x) }).toEqual(model[i]);
    expect(zsl.prev(x)).toBe(prev);
    prev = x;
    x = zsl.next(x);
    i++;
  }
  expect(i).toBe(model.length);
  expect(zsl.tail).toBe(prev);
  const header = NIL; // the header's handle
  for (let lvl = 0; lvl < ZSKIPLIST_MAXLEVEL; lvl++) {
    let n = header;
    let at = 0;
    while (true) {
      const f = lvl < zsl.levelOf(n) ? zsl.forward(n, lvl) : NIL;
      if (lvl >= zsl.level) {
        expect(f).toBe(NIL);
        break;
      }
      if (f === NIL) break;
      const target = pos.get(f)!;
      expect(zsl.span(n, lvl)).toBe(target - at);
      n = f;
      at = target;
    }
  }
  expect(zsl.level === 1 || zsl.forward(header, zsl.level - 1) !== NIL).toBe(true);
}

/** The member of a node handle, undefined for NIL. */
const eleOf = (zsl: Skiplist, n: number): string | undefined => (n === NIL ? undefined : zsl.ele(n));

type Op = { k: 'add'; ele: string; score: number } | { k: 'del'; ele: string } | { k: 'upd'; ele: string; score: number };

const ele = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'd', '\xff', '\x00'), maxLength: 3 });
const score = fc.oneof(fc.integer({ min: -5, max: 5 }), fc.constantFrom(-Infinity, Infinity, 0.5));
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ k: fc.constant('add' as const), ele, score }),
  fc.record({ k: fc.constant('del' as const), ele }),
  fc.record({ k: fc.constant('upd' as const), ele, score }),
);

describe('skiplist', () => {
  it('matches a sorted array model, ranks and spans included', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 150 }), (ops) => {
        const zsl = new Skiplist();
        const nodes = new Map<string, number>();
        let model: Entry[] = [];
        for (const o of ops) {
          const cur = nodes.get(o.ele);
          if (o.k === 'add' && !cur) {
            nodes.set(o.ele, zsl.insert(o.score, o.ele));
            model.push({ ele: o.ele, score: o.score });
          } else if (o.k === 'del' && cur) {
            const s = zsl.score(cur);
            expect(zsl.delete(s, o.ele)).toBe(true);
            expect(zsl.delete(s, o.ele)).toBe(false);
            nodes.delete(o.ele);
            model = model.filter((e) => e.ele !== o.ele);
          } else if (o.k === 'upd' && cur) {
            nodes.set(o.ele, zsl.updateScore(zsl.score(cur), o.ele, o.score));
            model.find((e) => e.ele === o.ele)!.score = o.score;
          }
          model.sort(cmp);
        }
        checkInvariants(zsl, model);
        model.forEach((e, i) => {
          expect(zsl.getRank(e.score, e.ele)).toBe(i + 1);
          expect(zsl.ele(zsl.getByRank(i + 1))).toBe(e.ele);
        });
        expect(zsl.getByRank(model.length + 1)).toBe(NIL);
        expect(zsl.getRank(99, 'zz')).toBe(0);
      }),
      { numRuns: 400 },
    );
  });

  it('finds and deletes score, lex and rank ranges like the model', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.record({ ele, score: fc.integer({ min: -3, max: 3 }) }), { selector: (e) => e.ele, maxLength: 40 }),
        fc.integer({ min: -4, max: 4 }),
        fc.integer({ min: -4, max: 4 }),
        fc.boolean(),
        fc.boolean(),
        fc.nat(45),
        fc.nat(45),
        (entries, min, max, minex, maxex, r1, r2) => {
          const model = [...entries].sort(cmp);
          const r = { min, max, minex, maxex };
          const inR = (e: Entry) => (minex ? e.score > min : e.score >= min) && (maxex ? e.score < max : e.score <= max);
          const build = () => {
            const z = new Skiplist();
            for (const e of entries) z.insert(e.score, e.ele);
            return z;
          };
          const zsl = build();
          const hits = model.filter(inR);
          expect(eleOf(zsl, zsl.firstInScoreRange(r))).toBe(hits[0]?.ele);
          expect(eleOf(zsl, zsl.lastInScoreRange(r))).toBe(hits.at(-1)?.ele);
          const gone: string[] = [];
          expect(zsl.deleteRangeByScore(r, (m) => gone.push(m))).toBe(hits.length);
          expect(gone).toEqual(hits.map((e) => e.ele));
          checkInvariants(zsl, model.filter((e) => !inR(e)));

          // Lex: on equal scores only, as Redis requires.
          const lexModel = [...entries].map((e) => ({ ele: e.ele, score: 0 })).sort(cmp);
          const z2 = new Skiplist();
          for (const e of lexModel) z2.insert(0, e.ele);
          const lo = String.fromCharCode(97 + (r1 % 4));
          const hi = String.fromCharCode(97 + (r2 % 4));
          const lr = { min: lo, max: hi, minex, maxex };
          const inL = (e: Entry) => (minex ? e.ele > lo : e.ele >= lo) && (maxex ? e.ele < hi : e.ele <= hi);
          const lhits = lexModel.filter(inL);
          expect(eleOf(z2, z2.firstInLexRange(lr))).toBe(lhits[0]?.ele);
          expect(eleOf(z2, z2.lastInLexRange(lr))).toBe(lhits.at(-1)?.ele);
          expect(z2.deleteRangeByLex(lr, () => {})).toBe(lhits.length);
          checkInvariants(z2, lexModel.filter((e) => !inL(e)));

          // Rank (1-based, inclusive).
          const z3 = build();
          const s = Math.min(r1, r2) + 1;
          const e = Math.max(r1, r2) + 1;
          const rankGone: string[] = [];
          z3.deleteRangeByRank(s, e, (m) => rankGone.push(m));
          expect(rankGone).toEqual(model.slice(s - 1, e).map((x) => x.ele));
          checkInvariants(z3, [...model.slice(0, s - 1), ...model.slice(e)]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps links and spans across pool chunks, reused blocks and compaction', () => {
    let seed = 7;
    const rnd = (m: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return Math.floor((seed / 2147483648) * m);
    };
    const zsl = new Skiplist();
    const scores = new Map<string, number>();
    const add = (ele: string, score: number): void => {
      zsl.insert(score, ele);
      scores.set(ele, score);
    };
    const del = (ele: string): void => {
      expect(zsl.delete(scores.get(ele)!, ele)).toBe(true);
      scores.delete(ele);
    };
    const model = (): Entry[] => [...scores].map(([ele, score]) => ({ ele, score })).sort(cmp);
    // Enough nodes for several 64 KB chunks; scores collide so member order matters too.
    for (let i = 0; i < 20000; i++) add(`m${i}`, rnd(5000));
    for (let i = 0; i < 5000; i++) {
      const ele = `m${rnd(20000)}`;
      const score = rnd(5000);
      if (!scores.has(ele)) continue;
      expect(zsl.ele(zsl.updateScore(scores.get(ele)!, ele, score))).toBe(ele);
      scores.set(ele, score);
    }
    checkInvariants(zsl, model());
    // Delete most of it (compaction happens on the way), then grow again from free blocks.
    for (let i = 0; i < 20000; i++) if (i % 10 !== 0) del(`m${i}`);
    checkInvariants(zsl, model());
    for (let i = 0; i < 3000; i++) add(`n${i}`, rnd(5000));
    expect(zsl.deleteRangeByScore({ min: 1000, max: 2000, minex: false, maxex: true }, (m) => scores.delete(m))).toBeGreaterThan(0);
    expect(zsl.deleteRangeByRank(10, 2000, (m) => scores.delete(m))).toBe(1991);
    checkInvariants(zsl, model());
    model().forEach((e, i) => expect(zsl.getRank(e.score, e.ele)).toBe(i + 1));
  });
});
