/** Recognising and parsing -MOVED / -ASK error lines. */
import { describe, expect, it } from 'vitest';
import { isRedirect, parseRedirect } from './redirect.js';

describe('redirect errors', () => {
  it('recognises MOVED and ASK from their first bytes only', () => {
    expect(isRedirect(Buffer.from('-MOVED 1 a:1\r\n'), 0)).toBe(true);
    expect(isRedirect(Buffer.from('xx-ASK 1 a:1\r\n'), 2)).toBe(true);
    expect(isRedirect(Buffer.from('-MOVEDX\r\n'), 0)).toBe(false);
    expect(isRedirect(Buffer.from('-ERR x\r\n'), 0)).toBe(false);
    expect(isRedirect(Buffer.from('-ASKING\r\n'), 0)).toBe(false);
  });
  it('parses slot and target', () => {
    expect(parseRedirect('-MOVED 3999 127.0.0.1:6381')).toEqual({ ask: false, slot: 3999, target: { host: '127.0.0.1', port: 6381 } });
    expect(parseRedirect('-ASK 1 redis-2:6379')).toEqual({ ask: true, slot: 1, target: { host: 'redis-2', port: 6379 } });
    expect(parseRedirect('-MOVED 16384 a:1')).toBeNull();
    expect(parseRedirect('-MOVED 1 nohost')).toBeNull();
  });
});
