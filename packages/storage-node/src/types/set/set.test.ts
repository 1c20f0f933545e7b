/**
 * The RSet value: intset while members are canonical int64s and the count is within
 * set-max-intset-entries, hashtable otherwise (never back), checked at the boundaries, plus a
 * fast-check model run against a JS Set for both encodings.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RSet } from './set.js';

const sorted = (xs: string[]) => [...xs].sort();

describe('RSet encodings', () => {
  it('converts on the 513th integer with the default limit', () => {
    const s = RSet.intset();
    for (let i = 0; i < 512; i++) expect(s.add(String(i * 7 - 1000), 512)).toBe(true);
    expect(s.encoding()).toBe('intset');
    expect(s.add('-1000', 512)).toBe(false);
    expect(s.add('99999', 512)).toBe(true);
    expect(s.encoding()).toBe('hashtable');
    expect(s.size()).toBe(513);
    expect(s.has('-1000') && s.has('99999') && !s.has('-999')).toBe(true);
    for (let i = 0; i < 510; i++) s.remove(String(i * 7 - 1000));
    expect(s.encoding()).toBe('hashtable');
  });

  it('converts for a non-integer, a non-canonical integer or a 65-bit value', () => {
    for (const m of ['x', '01', '+1', '-0', ' 1', '1.0', '9223372036854775808', '-9223372036854775809']) {
      const s = RSet.intset();
      s.add('5', 512);
      s.add(m, 512);
      expect(s.encoding(), m).toBe('hashtable');
      expect(sorted(s.members())).toEqual(sorted(['5', m]));
    }
    const edge = RSet.intset();
    edge.add('9223372036854775807', 512);
    edge.add('-9223372036854775808', 512);
    expect(edge.encoding()).toBe('intset');
    expect(edge.members()).toEqual(['-9223372036854775808', '9223372036854775807']);
    expect(RSet.forFirstMember('12').encoding()).toBe('intset');
    expect(RSet.forFirstMember('a').encoding()).toBe('hashtable');
    expect(RSet.forFirstMember('18446744073709551616').encoding()).toBe('hashtable');
  });

  it('honours a small set-max-intset-entries and clones per encoding', () => {
    const s = RSet.intset();
    for (let i = 0; i < 4; i++) s.add(String(i), 4);
    expect(s.encoding()).toBe('intset');
    const c = s.clone();
    s.add('4', 4);
    expect(s.encoding()).toBe('hashtable');
    expect(c.encoding()).toBe('intset');
    expect(c.size()).toBe(4);
    const h = s.clone();
    h.remove('0');
    expect(s.has('0')).toBe(true);
    expect(h.encoding()).toBe('hashtable');
  });

  it('behaves like a JS Set under random operations', () => {
    const member = fc.oneof(fc.integer({ min: -5, max: 40 }).map(String), fc.constantFrom('a', 'b', '007'));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('add', 'rem', 'pop'), member), { maxLength: 120 }), fc.integer({ min: 1, max: 20 }), (ops, max) => {
        const s = RSet.intset();
        const model = new Set<string>();
        let sawString = false;
        for (const [k, m] of ops) {
          if (k === 'add') {
            expect(s.add(m, max)).toBe(!model.has(m));
            model.add(m);
            if (!/^-?(0|[1-9]\d*)$/.test(m)) sawString = true;
          } else if (k === 'rem') {
            expect(s.remove(m)).toBe(model.delete(m));
          } else if (model.size > 0) {
            const p = s.pop();
            expect(model.delete(p)).toBe(true);
          }
          expect(s.size()).toBe(model.size);
        }
        expect(sorted(s.members())).toEqual(sorted([...model]));
        if (sawString) expect(s.encoding()).toBe('hashtable');
        if (s.encoding() === 'intset') {
          const nums = s.members().map(Number);
          expect(nums).toEqual([...nums].sort((a, b) => a - b));
        }
        if (model.size > 0) expect(model.has(s.random())).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
