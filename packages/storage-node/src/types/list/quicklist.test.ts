/**
 * Quicklist against an array model (fast-check), with fills small enough that nodes split,
 * fill up and empty all the time: -1/-2 byte limits with long values, and 1..4 entries a node.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { lpProbe, lpStringToInt, type LpValue } from '../listpack/listpack.js';
import { Quicklist } from './quicklist.js';

function canon(v: LpValue): LpValue {
  if (typeof v === 'number') return v;
  const n = lpStringToInt(v);
  return n === undefined ? v : typeof n === 'number' ? n : n.toString();
}

const value: fc.Arbitrary<LpValue> = fc.oneof(
  fc.constantFrom('a', 'b', 'c', '1', '-7'),
  fc.integer({ min: -100000, max: 100000 }),
  fc.nat(3000).map((n) => 'v'.repeat(n)),
);

type Op =
  | { op: 'lpush' | 'rpush'; v: LpValue }
  | { op: 'lpop' | 'rpop' }
  | { op: 'insert'; at: number; after: boolean; v: LpValue }
  | { op: 'set'; at: number; v: LpValue }
  | { op: 'delrange'; at: number; n: number }
  | { op: 'rem'; v: LpValue; limit: number; fromTail: boolean };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constantFrom('lpush' as const, 'rpush' as const), v: value }) },
  fc.record({ op: fc.constantFrom('lpop' as const, 'rpop' as const) }),
  { weight: 2, arbitrary: fc.record({ op: fc.constant('insert' as const), at: fc.nat(200), after: fc.boolean(), v: value }) },
  fc.record({ op: fc.constant('set' as const), at: fc.nat(200), v: value }),
  fc.record({ op: fc.constant('delrange' as const), at: fc.nat(200), n: fc.integer({ min: 1, max: 10 }) }),
  fc.record({ op: fc.constant('rem' as const), v: value, limit: fc.nat(3), fromTail: fc.boolean() }),
);

function run(fill: number, ops: Op[]): void {
  const ql = new Quicklist(fill);
  const model: LpValue[] = [];
  for (const o of ops) {
    switch (o.op) {
      case 'lpush':
        ql.pushHead(o.v);
        model.unshift(canon(o.v));
        break;
      case 'rpush':
        ql.pushTail(o.v);
        model.push(canon(o.v));
        break;
      case 'lpop':
        expect(ql.popHead()).toEqual(model.shift());
        break;
      case 'rpop':
        expect(ql.popTail()).toEqual(model.pop());
        break;
      case 'insert': {
        if (model.length === 0) break;
        const at = o.at % model.length;
        ql.insertAt(ql.seek(at)!, o.v, o.after);
        model.splice(o.after ? at + 1 : at, 0, canon(o.v));
        break;
      }
      case 'set': {
        if (model.length === 0) {
          expect(ql.replace(0, o.v)).toBe(false);
          break;
        }
        const at = o.at % model.length;
        // Odd draws address the element from the tail, as LSET -1 does.
        expect(ql.replace(o.at % 2 === 1 ? at - model.length : at, o.v)).toBe(true);
        model[at] = canon(o.v);
        break;
      }
      case 'delrange': {
        if (model.length === 0) break;
        const at = o.at % model.length;
        expect(ql.deleteRange(at, o.n)).toBe(Math.min(o.n, model.length - at));
        model.splice(at, o.n);
        break;
      }
      case 'rem': {
        const c = canon(o.v);
        let removed = 0;
        const idx = model.map((x, i) => (x === c ? i : -1)).filter((i) => i >= 0);
        if (o.fromTail) idx.reverse();
        const take = o.limit === 0 ? idx : idx.slice(0, o.limit);
        for (const i of [...take].sort((a, b) => b - a)) (model.splice(i, 1), removed++);
        expect(ql.removeMatching(lpProbe(o.v), o.limit, o.fromTail)).toBe(removed);
        break;
      }
    }
    ql.check();
  }
  expect(ql.toArray()).toEqual(model);
  expect(ql.count).toBe(model.length);
  expect(ql.range(0, model.length - 1)).toEqual(model.map(String));
  for (let i = 0; i < model.length; i += 7) expect(ql.get(i - model.length)).toEqual(model[i]);
  // walk both ways with positions
  if (model.length > 0) {
    const pos = ql.seek(0)!;
    const fwd: LpValue[] = [ql.valueAt(pos)];
    while (ql.next(pos)) fwd.push(ql.valueAt(pos));
    expect(fwd).toEqual(model);
    const back = ql.seek(-1)!;
    const bwd: LpValue[] = [ql.valueAt(back)];
    while (ql.prev(back)) bwd.push(ql.valueAt(back));
    expect(bwd.reverse()).toEqual(model);
    expect(pos.index).toBe(model.length - 1);
  }
  const copy = ql.clone();
  copy.check();
  expect(copy.toArray()).toEqual(model);
}

describe('quicklist', () => {
  for (const fill of [-2, -1, 1, 2, 4]) {
    it(`behaves like an array with fill ${fill}`, () => {
      fc.assert(
        fc.property(fc.array(op, { maxLength: 80 }), (ops) => run(fill, ops)),
        { numRuns: 120 },
      );
    });
  }

  it('splits nodes at 8 KB with the default fill and at N entries with a positive one', () => {
    const big = new Quicklist(-2);
    for (let i = 0; i < 1000; i++) big.pushTail('x'.repeat(100));
    big.check();
    expect(big.nodes).toBeGreaterThan(10);
    for (let n = big.head; n !== null; n = n.nextNode) expect(n.sz).toBeLessThanOrEqual(8192);
    const byCount = new Quicklist(5);
    for (let i = 0; i < 23; i++) byCount.pushHead(i);
    expect(byCount.nodes).toBe(5);
    expect(byCount.range(0, 22)).toEqual(Array.from({ length: 23 }, (_, i) => String(22 - i)));
  });

  it('clamps fill like Redis', () => {
    expect(new Quicklist(-10).fill).toBe(-5);
    expect(new Quicklist(100000).fill).toBe(32767);
  });
});

describe('Quicklist.rangeResp', () => {
  it('is range() encoded as a RESP array of bulks, for every kind of entry and any range', () => {
    const entry: fc.Arbitrary<LpValue> = fc.oneof(
      value,
      fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((n) => n.toString()),
      fc.uint8Array({ maxLength: 70 }).map((a) => Buffer.from(a).latin1Slice()),
      fc.constant('w'.repeat(5000)),
    );
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 60 }), fc.nat(70), fc.nat(70), fc.constantFrom(-2, 2, 3), (items, a, b, fill) => {
        const q = new Quicklist(fill);
        for (const v of items) q.pushTail(v);
        const [start, end] = [Math.min(a, b, Math.max(0, items.length - 1)), Math.min(Math.max(a, b), items.length - 1)];
        if (items.length === 0) return;
        const want = q.range(start, end);
        expect(q.rangeResp(start, end)).toBe(`*${want.length}\r\n` + want.map((s) => `$${s.length}\r\n${s}\r\n`).join(''));
      }),
      { numRuns: 300 },
    );
  });
});
