import { describe, expect, it } from 'vitest';
import { STORAGE_NODE_V8_FLAGS, missingV8Flags } from './v8-flags.js';

describe('storage node V8 flags', () => {
  it('all are missing from a bare node', () => {
    expect(missingV8Flags([], '')).toEqual([...STORAGE_NODE_V8_FLAGS]);
  });

  it('a flag given on the command line or in NODE_OPTIONS, with any value or spelling, counts', () => {
    expect(missingV8Flags(['--max-old-space-size=4096', '--initial-old-space-size=64'], '--max_semi_space_size=2')).toEqual([]);
    expect(missingV8Flags(['--max-semi-space-size=4'], '--initial_old_space_size=1')).toEqual(['--max-old-space-size=16384']);
  });
});
