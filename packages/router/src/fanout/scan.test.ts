/** SCAN cursor parsing with Redis's strtoull rules. */
import { describe, expect, it } from 'vitest';
import { parseCursor } from './scan.js';

describe('parseCursor', () => {
  it('accepts what strtoull accepts', () => {
    expect(parseCursor('0')).toBe(0n);
    expect(parseCursor('18446744073709551615')).toBe(18446744073709551615n);
    expect(parseCursor(' +12')).toBe(12n);
    expect(parseCursor('-1')).toBe(18446744073709551615n);
  });
  it('refuses junk and overflow', () => {
    expect(parseCursor('abc')).toBeNull();
    expect(parseCursor('1x')).toBeNull();
    expect(parseCursor('')).toBeNull();
    expect(parseCursor('18446744073709551616')).toBeNull();
  });
});
