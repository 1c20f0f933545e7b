/** CRC16 / key slot vectors from the Redis Cluster specification. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { crc16, crc16Buffer, keyHashSlot, keyHashSlotOfBytes } from './slots.js';

describe('slots', () => {
  it('crc16 XMODEM check value', () => {
    expect(crc16('123456789')).toBe(0x31c3);
    expect(crc16Buffer(Buffer.from('123456789'))).toBe(0x31c3);
    expect(crc16('')).toBe(0);
  });

  it('hashes keys like Redis', () => {
    expect(keyHashSlot('somekey')).toBe(11058);
    expect(keyHashSlot('foo')).toBe(12182);
    expect(keyHashSlot('foo{hash_tag}')).toBe(2515);
    expect(keyHashSlot('{hash_tag}bar')).toBe(2515);
    expect(keyHashSlot('hash_tag')).toBe(2515);
    expect(keyHashSlot('foo{}{bar}')).toBe(crc16('foo{}{bar}') & 16383);
    expect(keyHashSlot('foo{{bar}}zap')).toBe(keyHashSlot('{bar'));
    expect(keyHashSlot('foo{bar}{zap}')).toBe(keyHashSlot('bar'));
    expect(keyHashSlot('{user1000}.following')).toBe(keyHashSlot('{user1000}.followers'));
    expect(keyHashSlot('foo{')).toBe(crc16('foo{') & 16383);
    expect(keyHashSlot('\xff\x00')).toBe(crc16('\xff\x00') & 16383);
  });

  it('hashes a key held in a Buffer range exactly like the same key as a string', () => {
    const keys = ['foo{hash_tag}', '{hash_tag}bar', 'foo{}{bar}', 'foo{{bar}}zap', 'foo{bar}{zap}', 'foo{', '}{', '{}', '{a}', ''];
    const key = fc.oneof(fc.constantFrom(...keys), fc.string({ unit: fc.constantFrom('{', '}', 'a', 'b', '\xff', '\x00'), maxLength: 12 }));
    fc.assert(
      fc.property(key, fc.nat(5), fc.nat(5), (k, before, after) => {
        const buf = Buffer.from('x'.repeat(before) + k + '}'.repeat(after), 'latin1');
        expect(keyHashSlotOfBytes(buf, before, before + k.length)).toBe(keyHashSlot(k));
      }),
      { numRuns: 2000 },
    );
  });
});
