/**
 * RawString (SDS-like growable value) and the string-value helpers: growth policy, zero fill,
 * independence of clones, binary safety, and tryObjectEncoding's choice of representation.
 */
import { describe, expect, it } from 'vitest';
import { RespError } from '@swarmkv/resp';
import { RawString, SDS_MAX_PREALLOC } from './raw-string.js';
import {
  bytesOf,
  createStringValue,
  isStringValue,
  stringBytes,
  stringLength,
  stringToInt64,
} from './string-value.js';
import { encodingOf, typeOf, type RObject } from '../../keyspace/value.js';

const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i)).latin1Slice(0, 256);

describe('RawString', () => {
  it('is a raw string to the keyspace', () => {
    const r = RawString.from('abc');
    expect(typeOf(r)).toBe('string');
    expect(encodingOf(r)).toBe('raw');
    expect(r.toBytes()).toBe('abc');
    expect(r.length).toBe(3);
  });

  it('appends binary data and grows like sdsMakeRoomFor', () => {
    const r = RawString.from('');
    expect(r.available).toBe(0);
    r.append('ab');
    expect(r.available).toBe(2); // (0 + 2) * 2 - 2
    r.append(ALL_BYTES);
    expect(r.toBytes()).toBe('ab' + ALL_BYTES);
    expect(r.length).toBe(258);
    expect(r.available).toBe(258);
    const big = RawString.from('x'.repeat(SDS_MAX_PREALLOC));
    big.append('y');
    expect(big.available).toBe(SDS_MAX_PREALLOC); // past 1 MB: + 1 MB
    expect(big.slice(SDS_MAX_PREALLOC - 1, SDS_MAX_PREALLOC + 1)).toBe('xy');
  });

  it('SETRANGE zero-fills the gap, including over previously spare bytes', () => {
    const r = RawString.from('abc');
    r.append('defgh'); // leaves spare room holding arbitrary bytes
    r.setRange(0, 'X');
    expect(r.toBytes()).toBe('Xbcdefgh');
    r.setRange(12, 'Z');
    expect(r.toBytes()).toBe('Xbcdefgh\0\0\0\0Z');
    const z = RawString.zeroed(4);
    z.setRange(2, '\r\n');
    expect(z.toBytes()).toBe('\0\0\r\n');
    expect(z.byteAt(3)).toBe(10);
  });

  it('clones deeply', () => {
    const a = RawString.from('hello');
    const b = a.clone();
    a.setRange(0, 'J');
    b.append('!');
    expect(a.toBytes()).toBe('Jello');
    expect(b.toBytes()).toBe('hello!');
  });
});

describe('string values', () => {
  it('createStringValue chooses int only for canonical int64', () => {
    expect(createStringValue('123')).toBe(123);
    expect(createStringValue('-5')).toBe(-5);
    expect(createStringValue('0')).toBe(0);
    expect(createStringValue('9223372036854775807')).toBe(9223372036854775807n);
    expect(createStringValue('9223372036854775808')).toBe('9223372036854775808');
    for (const s of ['', '01', '-0', '+1', '1.0', ' 1', 'abc', '123456789012345678901', ALL_BYTES]) {
      expect(createStringValue(s)).toBe(s);
    }
  });

  it('reads every representation as bytes', () => {
    const raw = RawString.from('raw\0');
    for (const [v, bytes] of [
      ['abc', 'abc'],
      [42, '42'],
      [-9223372036854775808n, '-9223372036854775808'],
      [raw, 'raw\0'],
    ] as const) {
      expect(isStringValue(v)).toBe(true);
      expect(stringBytes(v)).toBe(bytes);
      expect(bytesOf(v)).toBe(bytes);
      expect(stringLength(v)).toBe(bytes.length);
    }
    expect(stringToInt64('12')).toBe(12);
    expect(stringToInt64('012')).toBeUndefined();
    expect(stringToInt64(RawString.from('-7'))).toBe(-7);
    expect(stringToInt64(7n)).toBe(7n);
  });

  it('refuses other types with WRONGTYPE', () => {
    const list: RObject = { type: 'list', encoding: () => 'quicklist', clone: () => list };
    expect(isStringValue(list)).toBe(false);
    expect(() => bytesOf(list)).toThrow(RespError);
    expect(() => bytesOf(list)).toThrow('WRONGTYPE Operation against a key holding the wrong kind of value');
  });
});
