/**
 * Dict against a Map model: random adds, overwrites, deletes, explicit rehash steps and resizes
 * never lose or invent an entry; every row stays linked exactly once (checkInvariants); SCAN
 * returns every key present for the whole scan at least once even while the table grows and
 * shrinks between calls; iteration survives deleting the visited key; the column chunks beyond
 * DICT_CHUNK_SIZE rows grow and are released correctly.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DICT_CHUNK_SIZE, Dict } from './dict.js';

type Op =
  | { op: 'set'; k: number; v: number }
  | { op: 'add'; k: number; v: number }
  | { op: 'del'; k: number }
  | { op: 'get'; k: number }
  | { op: 'step'; n: number }
  | { op: 'resize' }
  | { op: 'expand'; n: number };

const key = (k: number) => `k${k}`;

/** What the column tests store for key(i): a value and both columns. */
interface RowsOf<V> {
  value: (i: number) => V;
  num: (i: number) => number;
  meta: (i: number) => number;
}

function fillRows<V>(d: Dict<V>, n: number, rows: RowsOf<V>): void {
  for (let i = 0; i < n; i++) {
    const row = d.findOrInsert(key(i));
    d.setValueAt(row, rows.value(i));
    d.setNumAt(row, rows.num(i));
    d.setMetaAt(row, rows.meta(i));
  }
}

/** Every key(i) is gone where `gone(i)`, else its row holds what fillRows stored; `each` sees those rows. */
function expectRows<V>(d: Dict<V>, n: number, rows: RowsOf<V>, gone: (i: number) => boolean, each?: (i: number, row: number) => void): void {
  for (let i = 0; i < n; i++) {
    const row = d.findIndex(key(i));
    if (gone(i)) {
      expect(row).toBe(-1);
      continue;
    }
    expect(d.keyAt(row)).toBe(key(i));
    expect(d.valueAt(row)).toBe(rows.value(i));
    expect(d.numAt(row)).toBe(rows.num(i));
    expect(d.metaAt(row)).toBe(rows.meta(i));
    each?.(i, row);
  }
}

const opArb = (keys: number): fc.Arbitrary<Op> =>
  fc.oneof(
    { weight: 5, arbitrary: fc.record({ op: fc.constant('set' as const), k: fc.nat(keys), v: fc.nat() }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('add' as const), k: fc.nat(keys), v: fc.nat() }) },
    { weight: 4, arbitrary: fc.record({ op: fc.constant('del' as const), k: fc.nat(keys) }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('get' as const), k: fc.nat(keys) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('step' as const), n: fc.integer({ min: 1, max: 50 }) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('resize' as const) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('expand' as const), n: fc.integer({ min: 1, max: 600 }) }) },
  );

function apply(d: Dict<number>, m: Map<string, number>, o: Op): void {
  switch (o.op) {
    case 'set':
      expect(d.set(key(o.k), o.v)).toBe(!m.has(key(o.k)));
      m.set(key(o.k), o.v);
      break;
    case 'add': {
      const had = m.has(key(o.k));
      expect(d.add(key(o.k), o.v)).toBe(!had);
      if (!had) m.set(key(o.k), o.v);
      break;
    }
    case 'del':
      expect(d.delete(key(o.k))).toBe(m.delete(key(o.k)));
      break;
    case 'get':
      expect(d.get(key(o.k))).toBe(m.get(key(o.k)));
      break;
    case 'step':
      d.rehashStep(o.n);
      break;
    case 'resize':
      d.resizeIfNeeded();
      break;
    case 'expand':
      d.expand(o.n);
      break;
  }
  expect(d.size).toBe(m.size);
}

function sameContents(d: Dict<number>, m: Map<string, number>): void {
  d.checkInvariants();
  const seen = new Map<string, number>();
  d.forEach((k, v) => {
    expect(seen.has(k)).toBe(false);
    seen.set(k, v);
  });
  expect(seen).toEqual(m);
  for (const [k, v] of m) expect(d.get(k)).toBe(v);
}

describe('Dict', () => {
  it('behaves like a Map through random operations, rehash steps and resizes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 400 }), fc.array(opArb(400), { maxLength: 800 }), (keys, ops) => {
        const d = new Dict<number>();
        const m = new Map<string, number>();
        for (const o of ops) apply(d, m, 'k' in o ? { ...o, k: o.k % keys } : o);
        sameContents(d, m);
      }),
      { numRuns: 300 },
    );
  });

  it('off the heap: behaves like a Map with short and long keys, and string, number and object values', () => {
    // Keys and string values of up to 63 bytes go to the slab, longer ones and objects stay refs.
    const keyOf = (k: number) => (k % 5 === 0 ? `long-key-${'x'.repeat(60)}-${k}` : k % 7 === 0 ? `\x00\xff${k}` : `k${k}`);
    const valueOf = (v: number): unknown =>
      v % 4 === 0 ? `v${v}` : v % 4 === 1 ? `${'y'.repeat(70)}${v}` : v % 4 === 2 ? v : { boxed: v };
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 300 }), fc.array(opArb(300), { maxLength: 800 }), (keys, ops) => {
        const d = new Dict<unknown>({ meta: true, offHeap: true });
        const m = new Map<string, unknown>();
        for (const raw of ops) {
          const o = 'k' in raw ? { ...raw, k: raw.k % keys } : raw;
          if (o.op === 'set') {
            expect(d.set(keyOf(o.k), valueOf(o.v))).toBe(!m.has(keyOf(o.k)));
            m.set(keyOf(o.k), valueOf(o.v));
          } else if (o.op === 'add') {
            const had = m.has(keyOf(o.k));
            expect(d.add(keyOf(o.k), valueOf(o.v))).toBe(!had);
            if (!had) m.set(keyOf(o.k), valueOf(o.v));
          } else if (o.op === 'del') {
            expect(d.delete(keyOf(o.k))).toBe(m.delete(keyOf(o.k)));
          } else if (o.op === 'get') {
            expect(d.get(keyOf(o.k))).toEqual(m.get(keyOf(o.k)));
          } else if (o.op === 'step') {
            d.rehashStep(o.n);
          } else if (o.op === 'resize') {
            d.resizeIfNeeded();
          } else {
            d.expand(o.n);
          }
          expect(d.size).toBe(m.size);
        }
        d.checkInvariants();
        const seen = new Map<string, unknown>();
        d.forEach((k, v) => seen.set(k, v));
        expect(seen).toEqual(m);
      }),
      { numRuns: 200 },
    );
  });

  it('off the heap: columns stay right across chunks and the slab gets its cells back', () => {
    const d = new Dict<unknown>({ meta: true, numeric: true, offHeap: true });
    const slab = () => (d as unknown as { slab: { usedBytes: number } }).slab;
    const n = DICT_CHUNK_SIZE * 6 + 77;
    const rows: RowsOf<unknown> = {
      value: (i) => (i % 3 === 0 ? `value-${i}` : i % 3 === 1 ? i : `${'z'.repeat(80)}${i}`),
      num: (i) => i + 0.25,
      meta: (i) => i * 5,
    };
    fillRows(d, n, rows);
    for (let i = 0; i < n; i += 2) expect(d.delete(key(i))).toBe(true);
    d.checkInvariants();
    // A slab string replaced by a number frees its cell.
    expectRows(d, n, rows, (i) => i % 2 === 0, (i, row) => d.setValueAt(row, i));
    for (let i = 0; i < n; i++) d.delete(key(i));
    expect(d.size).toBe(0);
    expect(slab().usedBytes).toBe(0);
    d.set('again', 'and again');
    expect(d.get('again')).toBe('and again');
    d.clear();
    expect(d.get('again')).toBe(undefined);
  });

  it('grows through the doubling sizes and shrinks below 10% fill', () => {
    const d = new Dict<number>();
    for (let i = 0; i < 1000; i++) d.set(key(i), i);
    while (d.isRehashing()) d.rehashStep(100);
    expect(d.slots()).toBe(1024);
    for (let i = 0; i < 950; i++) d.delete(key(i));
    while (d.isRehashing()) d.rehashStep(100);
    // 50 keys in <= 10% of the slots triggered shrinking to the next power of two >= 50.
    expect(d.slots()).toBeLessThanOrEqual(128);
    for (let i = 950; i < 1000; i++) expect(d.get(key(i))).toBe(i);
    d.checkInvariants();
  });

  it('keeps columns right across chunks, and releases them when emptied', () => {
    const d = new Dict<number>({ numeric: true, meta: true });
    const n = DICT_CHUNK_SIZE * 20 + 1234;
    const rows: RowsOf<number> = { value: (i) => i, num: (i) => i + 0.5, meta: (i) => i * 3 };
    fillRows(d, n, rows);
    d.checkInvariants();
    // Delete from everywhere: every delete moves the last row into the hole.
    for (let i = 0; i < n; i += 3) expect(d.delete(key(i))).toBe(true);
    d.checkInvariants();
    expectRows(d, n, rows, (i) => i % 3 === 0);
    for (let i = 0; i < n; i++) d.delete(key(i));
    expect(d.size).toBe(0);
    expect((d as unknown as { capacity: number }).capacity).toBe(DICT_CHUNK_SIZE);
    d.set('again', 1);
    expect(d.get('again')).toBe(1);
    d.checkInvariants();
  });

  it('scan returns every key that stays present, across expands and shrinks', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.array(fc.tuple(fc.integer({ min: -60, max: 120 }), fc.nat(20)), { maxLength: 200 }),
        fc.integer({ min: 0, max: 600 }),
        (stableCount, churn, startExtra) => {
          const d = new Dict<number>();
          const stable = new Set<string>();
          for (let i = 0; i < stableCount; i++) {
            stable.add(`s${i}`);
            d.set(`s${i}`, i);
          }
          let next = 0;
          const extra: string[] = [];
          for (let i = 0; i < startExtra; i++) {
            extra.push(`x${next}`);
            d.set(`x${next++}`, 0);
          }
          const returned = new Set<string>();
          let cursor = 0;
          let calls = 0;
          do {
            cursor = d.scan(cursor, (k) => returned.add(k));
            // Between calls: add (positive) or delete (negative) volatile keys, rehash a little.
            // The churn list is replayed once; extra keys stay under 3000 so scans terminate.
            const [delta, steps] = churn[calls] ?? [0, 0];
            if (delta > 0 && extra.length < 3000) {
              for (let i = 0; i < delta; i++) {
                extra.push(`x${next}`);
                d.set(`x${next++}`, 0);
              }
            } else {
              for (let i = 0; i < -delta && extra.length > 0; i++) d.delete(extra.pop()!);
            }
            d.rehashStep(steps);
            calls++;
          } while (cursor !== 0 && calls < 1_000_000);
          expect(cursor).toBe(0);
          for (const k of stable) expect(returned.has(k)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('scan of an unchanging dict returns each key exactly once, even mid-rehash', () => {
    const d = new Dict<number>();
    for (let i = 0; i < 5000; i++) d.set(key(i), i);
    expect(d.isRehashing()).toBe(true);
    const counts = new Map<string, number>();
    let cursor = 0;
    do {
      cursor = d.scan(cursor, (k) => counts.set(k, (counts.get(k) ?? 0) + 1));
    } while (cursor !== 0);
    expect(counts.size).toBe(5000);
    for (const c of counts.values()) expect(c).toBe(1);
  });

  it('iterates safely while deleting the visited keys', () => {
    const d = new Dict<number>();
    for (let i = 0; i < 3000; i++) d.set(key(i), i);
    const seen = new Set<string>();
    for (const k of d.keys()) {
      seen.add(k);
      if (Number(k.slice(1)) % 2 === 0) d.delete(k);
    }
    expect(seen.size).toBe(3000);
    expect(d.size).toBe(1500);
    d.checkInvariants();
  });

  it('randomIndex is uniform over the keys', () => {
    const d = new Dict<number>();
    for (let i = 0; i < 10; i++) d.set(key(i), i);
    const hits = new Array<number>(10).fill(0);
    for (let i = 0; i < 20000; i++) hits[d.valueAt(d.randomIndex())]!++;
    for (const h of hits) expect(h).toBeGreaterThan(1500);
    expect(new Dict().randomIndex()).toBe(-1);
  });

  it('rehashMicroseconds moves buckets within its budget and pausing stops it', () => {
    const d = new Dict<number>();
    for (let i = 0; i < 100_000; i++) d.add(key(i), i);
    while (d.isRehashing()) d.rehashStep(1000);
    expect(d.expand(1 << 20)).toBe(true);
    expect(d.isRehashing()).toBe(true);
    d.pauseRehashing();
    expect(d.rehashMicroseconds(1000)).toBe(0);
    d.resumeRehashing();
    while (d.isRehashing()) d.rehashMicroseconds(1000);
    expect(d.slots()).toBe(1 << 20);
    d.checkInvariants();
  });
});
