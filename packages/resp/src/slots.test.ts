/** CRC16 / key slot vectors from the Redis Cluster specification. */
import { describe, expect, it } from 'vitest';
import { crc16, crc16Buffer, keyHashSlot } from './slots.js';

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
});
