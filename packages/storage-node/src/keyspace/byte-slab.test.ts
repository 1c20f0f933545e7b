/**
 * ByteSlab against a Map model: every stored string reads back byte for byte (all lengths 0..63,
 * all byte values), equals() tells it from others, freed cells are reused before new chunks are
 * made, and the used/allocated byte counts add up.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ByteSlab, SLAB_MAX_LENGTH } from './byte-slab.js';

const bytesArb = fc.uint8Array({ maxLength: SLAB_MAX_LENGTH }).map((a) => Buffer.from(a).latin1Slice());

describe('ByteSlab', () => {
  it('stores, reads, compares and frees like a Map of handles', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(bytesArb.map((s) => ({ add: s })), fc.nat().map((n) => ({ free: n }))), { maxLength: 600 }), (ops) => {
        const slab = new ByteSlab();
        const model = new Map<number, string>();
        for (const op of ops) {
          if ('add' in op) {
            const h = slab.alloc(op.add);
            expect(h).toBeGreaterThan(0);
            expect(model.has(h)).toBe(false);
            model.set(h, op.add);
          } else if (model.size > 0) {
            const handles = [...model.keys()];
            const h = handles[op.free % handles.length]!;
            slab.free(h);
            model.delete(h);
          }
        }
        let used = 0;
        for (const [h, s] of model) {
          expect(slab.read(h)).toBe(s);
          expect(slab.lengthOf(h)).toBe(s.length);
          expect(slab.equals(h, s)).toBe(true);
          expect(slab.equals(h, s + 'x')).toBe(false);
          if (s.length > 0) expect(slab.equals(h, s.slice(0, -1) + String.fromCharCode((s.charCodeAt(s.length - 1) + 1) & 255))).toBe(false);
          used += Math.ceil((s.length + 1) / 8) * 8;
        }
        expect(slab.usedBytes).toBe(used);
        expect(slab.allocatedBytes).toBeGreaterThanOrEqual(used);
      }),
      { numRuns: 200 },
    );
  });

  it('reuses freed cells before growing, and grows chunks up to 64 KB', () => {
    const slab = new ByteSlab();
    const handles: number[] = [];
    for (let i = 0; i < 100000; i++) handles.push(slab.alloc(`key:${String(i).padStart(12, '0')}`));
    const allocated = slab.allocatedBytes;
    // 100000 cells of 24 bytes: chunks of 1, 2, 4, ... 64 KB, then 64 KB each.
    expect(allocated).toBeGreaterThanOrEqual(100000 * 24);
    expect(allocated).toBeLessThan(100000 * 24 + 2 * 65536);
    for (const h of handles) slab.free(h);
    expect(slab.usedBytes).toBe(0);
    for (let i = 0; i < 100000; i++) expect(slab.read(slab.alloc(`val:${String(i).padStart(12, '0')}`))).toBe(`val:${String(i).padStart(12, '0')}`);
    expect(slab.allocatedBytes).toBe(allocated);
  });
});
