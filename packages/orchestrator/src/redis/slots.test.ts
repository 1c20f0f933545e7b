/** Hash slots and CLUSTER SLOTS parsing, checked against values Redis itself gives. */
import { describe, expect, it } from 'vitest';
import { coveredSlots, crc16, evenRanges, keyInRange, keySlot, parseClusterSlots } from './slots.js';

describe('slots', () => {
  it('crc16 is CRC16/XMODEM (the check value of "123456789" is 0x31C3)', () => {
    expect(crc16(Buffer.from('123456789'))).toBe(0x31c3);
  });

  it('key slots match Redis CLUSTER KEYSLOT, hash tags included', () => {
    expect(keySlot('foo')).toBe(12182);
    expect(keySlot('bar')).toBe(5061);
    expect(keySlot('{user1000}.following')).toBe(keySlot('user1000'));
    expect(keySlot('foo{}{bar}')).toBe(keySlot('foo{}{bar}')); // empty tag: the whole key
    expect(keySlot('foo{{bar}}zap')).toBe(keySlot('{bar'));
  });

  it('splits slots like redis-cli --cluster create', () => {
    expect(evenRanges(3)).toEqual([
      { start: 0, end: 5460 },
      { start: 5461, end: 10922 },
      { start: 10923, end: 16383 },
    ]);
    expect(evenRanges(1)).toEqual([{ start: 0, end: 16383 }]);
    for (const n of [2, 5, 7, 64]) expect(coveredSlots(evenRanges(n).map((r) => ({ ...r, node: 'x' })))).toBe(16384);
  });

  it('finds a key inside a slot range', () => {
    const k = keyInRange(100, 200);
    expect(keySlot(k)).toBeGreaterThanOrEqual(100);
    expect(keySlot(k)).toBeLessThanOrEqual(200);
  });

  it('parses CLUSTER SLOTS replies and counts coverage', () => {
    const r = parseClusterSlots([
      [5461, 16383, ['b', 6379, 'id2']],
      [0, 5460, ['a', 6379]],
    ]);
    expect(r).toEqual([
      { start: 0, end: 5460, node: 'a:6379' },
      { start: 5461, end: 16383, node: 'b:6379' },
    ]);
    expect(coveredSlots(r)).toBe(16384);
    expect(coveredSlots([{ start: 0, end: 10, node: 'a' }, { start: 5, end: 20, node: 'b' }])).toBe(21);
    expect(parseClusterSlots('nope')).toEqual([]);
  });
});
