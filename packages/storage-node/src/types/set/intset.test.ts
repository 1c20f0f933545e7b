/**
 * intset vs a sorted-array model: order, uniqueness, width upgrades, search, removal, and the
 * string2ll rule that decides which members may live in an intset.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  EMPTY_INTSET,
  intsetAdd,
  intsetFind,
  intsetFromSorted,
  intsetGet,
  intsetKeep,
  intsetLen,
  intsetRemove,
  intsetSearch,
  intsetWidth,
  valueEncoding,
  type Intset,
} from './intset.js';
import { int64ToBytes, parseCanonicalInt, type Int64 } from './int-member.js';

const toBig = (v: Int64): bigint => (typeof v === 'bigint' ? v : BigInt(v));
const norm = (b: bigint): Int64 => (Number.isSafeInteger(Number(b)) && BigInt(Number(b)) === b ? Number(b) : b);
const all = (is: Intset): bigint[] => Array.from({ length: intsetLen(is) }, (_, i) => toBig(intsetGet(is, i)));

/** Values biased to the interesting widths and their edges. */
const int64 = fc.oneof(
  fc.integer({ min: -40000, max: 40000 }),
  fc.constantFrom(-32768, 32767, -32769, 32768, -2147483648, 2147483647, -2147483649, 2147483648),
  fc.integer({ min: -3_000_000_000, max: 3_000_000_000 }),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(norm),
  fc.constantFrom(norm(-(2n ** 63n)), norm(2n ** 63n - 1n), norm(2n ** 53n), norm(-(2n ** 53n)), 2 ** 53 - 1),
);

function widthFor(vals: bigint[]): number {
  let w = 2;
  for (const v of vals) w = Math.max(w, valueEncoding(norm(v)));
  return w;
}

describe('intset', () => {
  it('matches a sorted array model under random adds and removes', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), int64), { maxLength: 200 }), (ops) => {
        let is = EMPTY_INTSET;
        let model: bigint[] = [];
        let widest = 2;
        for (const [add, v] of ops) {
          const b = toBig(v);
          if (add) {
            is = intsetAdd(is, v);
            if (!model.includes(b)) model.push(b);
            model.sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
            widest = Math.max(widest, valueEncoding(v));
          } else {
            is = intsetRemove(is, v);
            model = model.filter((x) => x !== b);
          }
          expect(intsetFind(is, v)).toBe(add);
        }
        expect(all(is)).toEqual(model);
        expect(intsetLen(is)).toBe(model.length);
        // Never downgraded: the width is the widest value ever added (as Redis).
        expect(intsetWidth(is)).toBe(widest);
        expect(is.length).toBe(1 + model.length * widest);
        for (let i = 0; i < model.length; i++) {
          expect(intsetSearch(is, norm(model[i]!))).toBe(i);
          expect(typeof intsetGet(is, i)).toBe(typeof norm(model[i]!));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('search reports insertion points for missing values', () => {
    fc.assert(
      fc.property(fc.uniqueArray(int64, { maxLength: 60, selector: toBig }), int64, (vals, probe) => {
        const sorted = vals.map(toBig).sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
        const is = intsetFromSorted(sorted.map(norm));
        expect(intsetWidth(is)).toBe(widthFor(sorted));
        const p = toBig(probe);
        const idx = sorted.indexOf(p);
        const ins = sorted.filter((x) => x < p).length;
        expect(intsetSearch(is, probe)).toBe(idx >= 0 ? idx : -(ins + 1));
      }),
      { numRuns: 300 },
    );
  });

  it('upgrades 16 -> 32 -> 64 putting the new value at the right end', () => {
    let is = intsetAdd(intsetAdd(EMPTY_INTSET, 5), -3);
    expect(intsetWidth(is)).toBe(2);
    is = intsetAdd(is, -70000);
    expect(intsetWidth(is)).toBe(4);
    expect(all(is)).toEqual([-70000n, -3n, 5n]);
    is = intsetAdd(is, 2n ** 62n);
    expect(intsetWidth(is)).toBe(8);
    expect(all(is)).toEqual([-70000n, -3n, 5n, 2n ** 62n]);
    is = intsetAdd(is, norm(-(2n ** 63n)));
    expect(all(is)).toEqual([-(2n ** 63n), -70000n, -3n, 5n, 2n ** 62n]);
    expect(intsetAdd(is, 5)).toBe(is);
  });

  it('keeps only flagged positions', () => {
    const is = intsetFromSorted([1, 2, 3, 4, 5]);
    expect(all(intsetKeep(is, (i) => i % 2 === 0))).toEqual([1n, 3n, 5n]);
  });
});

describe('parseCanonicalInt (string2ll)', () => {
  it('accepts canonical int64 spellings only', () => {
    for (const ok of ['0', '1', '-1', '123', '9223372036854775807', '-9223372036854775808', '9007199254740993']) {
      const v = parseCanonicalInt(ok);
      expect(v, ok).not.toBeUndefined();
      expect(int64ToBytes(v!)).toBe(ok);
    }
    for (const bad of ['', '-', '+1', '01', '-0', ' 1', '1 ', '1.0', '9223372036854775808', '-9223372036854775809', 'a', '0x1', '1e3']) {
      expect(parseCanonicalInt(bad), bad).toBeUndefined();
    }
  });

  it('round-trips every int64', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (b) => {
        const v = parseCanonicalInt(b.toString());
        expect(toBig(v!)).toBe(b);
        expect(typeof v).toBe(typeof norm(b));
      }),
    );
  });
});
