/**
 * Encoder tests: every Reply type in RESP2 and RESP3, and `%.17g` doubles checked against
 * vectors printed by C's printf (testdata/double-g17.json) and by redis-server 7.0.15.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { encodeReply, encodeReplies, formatDouble, encodeBulks, encodeError, writeRespHeader } from './encoder.js';
import { copyBytes, writeBytes } from './bytes.js';
import { R } from './reply.js';

const VECTORS: [string, string][] = JSON.parse(
  readFileSync(new URL('./testdata/double-g17.json', import.meta.url), 'utf8'),
);

describe('encodeReply', () => {
  it('encodes scalars', () => {
    for (const proto of [2, 3] as const) {
      expect(encodeReply(R.ok, proto)).toBe('+OK\r\n');
      expect(encodeReply(R.simple('QUEUED'), proto)).toBe('+QUEUED\r\n');
      expect(encodeReply(R.err('ERR syntax error'), proto)).toBe('-ERR syntax error\r\n');
      expect(encodeReply(R.int(5), proto)).toBe(':5\r\n');
      expect(encodeReply(R.int(-7), proto)).toBe(':-7\r\n');
      expect(encodeReply(R.int(123456789012), proto)).toBe(':123456789012\r\n');
      expect(encodeReply(R.int(-(2n ** 63n)), proto)).toBe(':-9223372036854775808\r\n');
      expect(encodeReply(R.bulk(''), proto)).toBe('$0\r\n\r\n');
      expect(encodeReply(R.bulk('\x00\xff\r\n'), proto)).toBe('$4\r\n\x00\xff\r\n\r\n');
      expect(encodeReply(R.bulk('x'.repeat(2000)), proto)).toBe('$2000\r\n' + 'x'.repeat(2000) + '\r\n');
      expect(encodeReply(R.raw(':1\r\n'), proto)).toBe(':1\r\n');
    }
  });

  it('degrades RESP3 types in RESP2', () => {
    const m = R.map([R.bulk('a'), R.int(1), R.bulk('b'), R.int(2)]);
    expect(encodeReply(m, 2)).toBe('*4\r\n$1\r\na\r\n:1\r\n$1\r\nb\r\n:2\r\n');
    expect(encodeReply(m, 3)).toBe('%2\r\n$1\r\na\r\n:1\r\n$1\r\nb\r\n:2\r\n');
    expect(encodeReply(R.set([R.bulk('x')]), 2)).toBe('*1\r\n$1\r\nx\r\n');
    expect(encodeReply(R.set([R.bulk('x')]), 3)).toBe('~1\r\n$1\r\nx\r\n');
    expect(encodeReply(R.nil, 2)).toBe('$-1\r\n');
    expect(encodeReply(R.nil, 3)).toBe('_\r\n');
    expect(encodeReply(R.nilArray, 2)).toBe('*-1\r\n');
    expect(encodeReply(R.nilArray, 3)).toBe('_\r\n');
    expect(encodeReply(R.bool(true), 2)).toBe(':1\r\n');
    expect(encodeReply(R.bool(false), 3)).toBe('#f\r\n');
    expect(encodeReply(R.dbl(1.5), 2)).toBe('$3\r\n1.5\r\n');
    expect(encodeReply(R.dbl(1.1), 3)).toBe(',1.1000000000000001\r\n');
    expect(encodeReply(R.dbl(-Infinity), 2)).toBe('$4\r\n-inf\r\n');
    expect(encodeReply(R.dbl(Infinity), 3)).toBe(',inf\r\n');
    expect(encodeReply(R.verb('hello', 'txt'), 3)).toBe('=9\r\ntxt:hello\r\n');
    expect(encodeReply(R.verb('hello', 'txt'), 2)).toBe('$5\r\nhello\r\n');
    expect(encodeReply(R.push([R.bulk('message')]), 3)).toBe('>1\r\n$7\r\nmessage\r\n');
    expect(encodeReply(R.push([R.bulk('message')]), 2)).toBe('*1\r\n$7\r\nmessage\r\n');
    expect(encodeReply(R.emptyArray, 3)).toBe('*0\r\n');
  });

  it('nests aggregates', () => {
    const r = R.arr([R.arr([R.int(0), R.int(1)]), R.map([R.bulk('k'), R.dbl(2)]), R.nil]);
    expect(encodeReply(r, 3)).toBe('*3\r\n*2\r\n:0\r\n:1\r\n%1\r\n$1\r\nk\r\n,2\r\n_\r\n');
  });

  it('keeps error replies on one line', () => {
    expect(encodeReply(R.err("ERR unknown command 'a\r\nb'"), 2)).toBe("-ERR unknown command 'a  b'\r\n");
    expect(encodeError('ERR x\ny')).toBe('-ERR x y\r\n');
  });

  it('encodes batches and bulk lists', () => {
    expect(encodeReplies([R.ok, R.int(1), R.nil], 2)).toBe('+OK\r\n:1\r\n$-1\r\n');
    expect(encodeBulks(['a', ''])).toBe('*2\r\n$1\r\na\r\n$0\r\n\r\n');
  });
});

describe('formatDouble (%.17g)', () => {
  it('matches redis-server 7.0.15 ZSCORE output', () => {
    expect(formatDouble(1.1)).toBe('1.1000000000000001');
    expect(formatDouble(0.1)).toBe('0.10000000000000001');
    expect(formatDouble(1e20)).toBe('1e+20');
    expect(formatDouble(1.5e-7)).toBe('1.4999999999999999e-07');
    expect(formatDouble(3)).toBe('3');
    expect(formatDouble(123456789.123)).toBe('123456789.123');
    expect(formatDouble(Infinity)).toBe('inf');
    expect(formatDouble(-Infinity)).toBe('-inf');
    expect(formatDouble(0)).toBe('0');
    expect(formatDouble(-0)).toBe('-0');
  });

  it('breaks exact ties to even like glibc', () => {
    expect(formatDouble(1000000000000000.25)).toBe('1000000000000000.2');
    expect(formatDouble(1000000000000000.75)).toBe('1000000000000000.8');
  });

  it(`matches C printf on ${VECTORS.length} vectors`, () => {
    const buf = Buffer.alloc(8);
    for (const [hex, expected] of VECTORS) {
      buf.write(hex, 'hex');
      expect([hex, formatDouble(buf.readDoubleBE(0))]).toEqual([hex, expected]);
    }
  });
});

describe('writeRespHeader / writeBytes', () => {
  it('write header lines and bytes exactly as the string encoders do', () => {
    const buf = Buffer.alloc(400);
    for (const n of [0, 9, 10, 99, 12345, 2147483647]) {
      const end = writeRespHeader(buf, 3, 36, n);
      expect(buf.latin1Slice(3, end)).toBe(`$${n}\r\n`);
    }
    for (const s of ['', 'a', '\x00\xff\r\n', 'x'.repeat(32), 'y'.repeat(33), '\x80'.repeat(200)]) {
      const end = writeBytes(buf, 5, s);
      expect(end).toBe(5 + s.length);
      expect(buf.latin1Slice(5, end)).toBe(s);
    }
  });

  it('copyBytes copies short and long ranges byte for byte', () => {
    const src = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 7) & 0xff));
    for (const [start, end] of [[0, 0], [3, 4], [10, 42], [10, 43], [5, 300]] as const) {
      const out = Buffer.alloc(320, 1);
      expect(copyBytes(src, start, end, out, 7)).toBe(7 + end - start);
      expect(out.subarray(7, 7 + end - start).equals(src.subarray(start, end))).toBe(true);
      expect(out[6]).toBe(1);
      expect(out[7 + end - start]).toBe(1);
    }
  });
});
