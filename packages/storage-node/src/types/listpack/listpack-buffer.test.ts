/**
 * The mutable Buffer listpack against an array model and against the string listpack: after
 * any sequence of edits both hold the very same bytes.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  LP_EMPTY, type LpValue, lpAppend, lpDeleteRange, lpInsert, lpProbe, lpReplace, lpSeek, lpStringToInt, lpFromArray,
} from './listpack.js';
import { LpBuffer } from './listpack-buffer.js';

function canon(v: LpValue): LpValue {
  if (typeof v === 'number') return v;
  const n = lpStringToInt(v);
  return n === undefined ? v : typeof n === 'number' ? n : n.toString();
}

const value: fc.Arbitrary<LpValue> = fc.oneof(
  fc.constantFrom(0, 127, 128, -4096, 4096, -32769, 8388608, -2147483649, Number.MAX_SAFE_INTEGER),
  fc.integer(),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String),
  fc.constantFrom(0, 1, 63, 64, 4095, 4096).map((n) => 'y'.repeat(n)),
  fc.string({ maxLength: 40 }),
  fc.constantFrom('01', '-0', 'abc'),
);

type Op =
  | { op: 'insert'; at: number; v: LpValue }
  | { op: 'delete'; at: number; n: number }
  | { op: 'replace'; at: number; v: LpValue }
  | { op: 'deleteMany'; picks: number[] };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant('insert' as const), at: fc.nat(60), v: value }) },
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(60), n: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ op: fc.constant('replace' as const), at: fc.nat(60), v: value }),
  fc.record({ op: fc.constant('deleteMany' as const), picks: fc.array(fc.nat(60), { maxLength: 4 }) }),
);

describe('LpBuffer', () => {
  it('matches the string listpack byte for byte and an array model', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const b = new LpBuffer();
        let lp = LP_EMPTY;
        const model: LpValue[] = [];
        for (const o of ops) {
          if (o.op === 'insert') {
            const at = o.at % (model.length + 1);
            b.insert(at === model.length ? b.end() : b.seek(at), o.v);
            lp = lpInsert(lp, at, o.v);
            model.splice(at, 0, canon(o.v));
          } else if (model.length === 0) {
            continue;
          } else if (o.op === 'delete') {
            const at = o.at % model.length;
            expect(b.deleteAt(b.seek(at), o.n)).toBe(Math.min(o.n, model.length - at));
            lp = lpDeleteRange(lp, at, o.n);
            model.splice(at, o.n);
          } else if (o.op === 'replace') {
            const at = o.at % model.length;
            b.replace(b.seek(at), o.v);
            lp = lpReplace(lp, lpSeek(lp, at), o.v);
            model[at] = canon(o.v);
          } else {
            const idx = [...new Set(o.picks.map((i) => i % model.length))].sort((x, y) => x - y);
            b.deleteMany(idx.map((i) => b.seek(i)));
            for (const i of [...idx].reverse()) {
              model.splice(i, 1);
              lp = lpDeleteRange(lp, i, 1);
            }
          }
          expect(b.validate()).toBe(true);
        }
        expect(b.toArray()).toEqual(model);
        expect(b.toListpack()).toBe(lp);
        const back: LpValue[] = [];
        for (let p = b.last(); p >= 0; p = b.prev(p)) back.push(b.get(p));
        expect(back.reverse()).toEqual(model);
        for (let i = 0; i < model.length; i++) {
          expect(b.equals(b.seek(i), lpProbe(model[i]!))).toBe(true);
          expect(b.getBytes(b.seek(i))).toBe(String(model[i]));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('splits and appends', () => {
    const vals: LpValue[] = ['a', 1, 'bb', -70000, 'x'.repeat(100), 5];
    const b = LpBuffer.fromListpack(lpFromArray(vals), vals.length);
    const right = new LpBuffer();
    b.moveTailTo(b.seek(2), 4, right);
    expect(b.toArray()).toEqual(['a', 1]);
    expect(right.toArray()).toEqual(['bb', -70000, 'x'.repeat(100), 5]);
    expect(b.validate() && right.validate()).toBe(true);
    b.appendAll(right);
    expect(b.toListpack()).toBe(lpFromArray(vals));
    b.pushHead('h');
    b.pushTail(7);
    expect(b.toListpack()).toBe(lpAppend(lpFromArray(['h', ...vals]), 7));
  });
});
