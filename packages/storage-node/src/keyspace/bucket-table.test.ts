/** BucketTable: lazily allocated chunks, empty-chunk skipping, and releasing emptied chunks. */
import { describe, expect, it } from 'vitest';
import { BUCKET_CHUNK_SLOTS, BucketTable } from './bucket-table.js';

describe('BucketTable', () => {
  it('reads 0 from chunks never written and allocates on the first non-zero write', () => {
    const t = new BucketTable(BUCKET_CHUNK_SLOTS * 4);
    expect(t.mask).toBe(BUCKET_CHUNK_SLOTS * 4 - 1);
    expect(t.head(5)).toBe(0);
    t.setHead(5, 0);
    expect(t.nextAllocated(0)).toBe(t.size);
    t.setHead(BUCKET_CHUNK_SLOTS * 2 + 7, 42);
    expect(t.head(BUCKET_CHUNK_SLOTS * 2 + 7)).toBe(42);
    expect(t.nextAllocated(0)).toBe(BUCKET_CHUNK_SLOTS * 2);
    expect(t.nextAllocated(BUCKET_CHUNK_SLOTS * 2 + 3)).toBe(BUCKET_CHUNK_SLOTS * 2 + 3);
    t.setHead(BUCKET_CHUNK_SLOTS * 2 + 7, 0);
    t.dropChunkOf(BUCKET_CHUNK_SLOTS * 2);
    expect(t.nextAllocated(0)).toBe(t.size);
    expect(BucketTable.endsChunk(BUCKET_CHUNK_SLOTS - 1)).toBe(true);
    expect(BucketTable.endsChunk(BUCKET_CHUNK_SLOTS)).toBe(false);
  });

  it('gives small tables one exactly sized chunk that is never dropped', () => {
    const t = new BucketTable(8);
    expect(t.nextAllocated(0)).toBe(0);
    t.setHead(7, 3);
    t.dropChunkOf(7);
    expect(t.head(7)).toBe(3);
    expect(new BucketTable(0).nextAllocated(0)).toBe(0);
  });
});
