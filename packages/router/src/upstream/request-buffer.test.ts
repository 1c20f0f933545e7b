/**
 * RequestBuffer writes exactly what encodeCommand would (every byte value, empty, short and long
 * arguments, counts of many digits), appends encoded bytes as they are, grows past its first
 * buffer, and starts a fresh buffer when the socket kept the last one.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RAW_TAKEN, RawCommand, RequestParser } from '@swarmkv/resp';
import { RequestBuffer, SEGMENT_MIN } from './request-buffer.js';
import { partArgv } from '../fanout/part-argv.js';
import { encodeCommand } from './encode-command.js';

const bytes = fc.uint8Array({ maxLength: 100 }).map((a) => Buffer.from(a).latin1Slice());

describe('RequestBuffer', () => {
  it('encodes argv like encodeCommand, mixed with pre-encoded requests', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.array(bytes, { minLength: 1, maxLength: 12 }), bytes), { maxLength: 20 }), (requests) => {
        const w = new RequestBuffer();
        let expected = '';
        for (const r of requests) {
          if (typeof r === 'string') {
            w.appendEncoded(r);
            expected += r;
          } else {
            w.appendCommand(r);
            expected += encodeCommand(r);
          }
        }
        expect(w.view().latin1Slice()).toBe(expected);
      }),
    );
  });

  it('grows for big requests and many arguments, and reuses or replaces its buffer after a write', () => {
    const w = new RequestBuffer();
    const big = 'x'.repeat(200_000);
    const many = Array.from({ length: 1500 }, (_, i) => `k${i}`);
    w.appendCommand(['SET', 'k', big]);
    w.appendCommand(['MGET', ...many]);
    expect(w.view().latin1Slice()).toBe(encodeCommand(['SET', 'k', big]) + encodeCommand(['MGET', ...many]));
    const first = w.view();
    w.written(false);
    w.appendCommand(['GET', 'a']);
    expect(w.view().buffer).toBe(first.buffer);
    const kept = w.view();
    w.written(true);
    w.appendCommand(['GET', 'b']);
    expect(w.view().buffer).not.toBe(kept.buffer);
    expect(kept.latin1Slice()).toBe(encodeCommand(['GET', 'a']));
    expect(w.view().latin1Slice()).toBe(encodeCommand(['GET', 'b']));
  });

  it('copies raw commands and split parts exactly as the argv they stand for would be encoded', () => {
    const value = fc.oneof(bytes, fc.constant('v'.repeat(300)));
    fc.assert(
      fc.property(fc.array(fc.tuple(bytes, value), { minLength: 1, maxLength: 12 }), fc.boolean(), fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }), (pairs, mset, pick) => {
        const step = mset ? 2 : 1;
        const argv = [mset ? 'MSET' : 'MGET', ...pairs.flatMap(([k, v]) => (mset ? [k, v] : [k]))];
        const parser = new RequestParser();
        parser.feed(Buffer.from(encodeCommand(argv), 'latin1'));
        const cmd = new RawCommand();
        expect(parser.nextRaw(cmd)).toBe(RAW_TAKEN);
        const keyIdx = pairs.map((_, i) => 1 + i * step).filter((_, i) => pick[i]);
        if (keyIdx.length === 0) keyIdx.push(1);
        const w = new RequestBuffer();
        w.appendRaw(cmd.buf, cmd.start, cmd.end);
        w.appendPart(cmd, [0, ...keyIdx], 1, keyIdx.length + 1, step);
        expect(w.view().latin1Slice()).toBe(encodeCommand(argv) + encodeCommand(partArgv(argv[0]!, argv, keyIdx, 0, keyIdx.length, step)));
      }),
    );
  });

  it('passes big raw commands to the socket as they are, in order with the bytes around them', () => {
    const w = new RequestBuffer();
    const big = Buffer.from(encodeCommand(['SET', 'k', 'v'.repeat(SEGMENT_MIN)]), 'latin1');
    const big2 = Buffer.from(encodeCommand(['SET', 'k2', 'w'.repeat(SEGMENT_MIN * 2)]), 'latin1');
    w.appendCommand(['GET', 'a']);
    w.appendRaw(big, 0, big.length);
    w.appendRaw(big2, 0, big2.length);
    w.appendCommand(['GET', 'b']);
    expect(w.empty).toBe(false);
    const written: Uint8Array[] = [];
    w.writeTo((b) => (written.push(Buffer.from(b)), false));
    expect(written.length).toBe(4);
    expect(Buffer.concat(written).latin1Slice()).toBe(encodeCommand(['GET', 'a']) + big.latin1Slice() + big2.latin1Slice() + encodeCommand(['GET', 'b']));
    expect(w.empty).toBe(true);
    w.appendCommand(['GET', 'c']);
    const again: Uint8Array[] = [];
    w.writeTo((b) => (again.push(Buffer.from(b)), false));
    expect(Buffer.concat(again).latin1Slice()).toBe(encodeCommand(['GET', 'c']));
  });
});
