/**
 * Reply parser tests: raw ranges and decoded values for every RESP2/RESP3 type, across arbitrary
 * chunk boundaries (property-based round trip through the encoder).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ReplyParser } from './reply-parser.js';
import { encodeReply } from './encoder.js';
import { R, type Reply } from './reply.js';

function collect(input: string, chunkSizes: number[] = [input.length]) {
  const p = new ReplyParser();
  const buf = Buffer.from(input, 'latin1');
  const raws: string[] = [];
  const decoded: Reply[] = [];
  let off = 0;
  let i = 0;
  while (off < buf.length) {
    const n = Math.max(1, chunkSizes[i++ % chunkSizes.length]!);
    p.feed(buf.subarray(off, off + n));
    off += n;
    while (p.next()) {
      raws.push(p.raw());
      decoded.push(p.decode());
    }
  }
  return { raws, decoded, error: p.error, pending: p.pendingBytes };
}

const bytes = fc.string({ maxLength: 12 }).map((s) => Buffer.from(s, 'utf8').latin1Slice());
const leaf: fc.Arbitrary<Reply> = fc.oneof(
  bytes.map((s) => R.bulk(s)),
  fc.stringMatching(/^[a-zA-Z ]{0,10}$/).map((s) => R.simple(s)),
  fc.stringMatching(/^ERR [a-z ]{0,10}$/).map((s) => R.err(s)),
  fc.integer().map((n) => R.int(n)),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((n) => R.int(n)),
  fc.double().map((d) => R.dbl(d)),
  fc.boolean().map((b) => R.bool(b)),
  fc.constant(R.nil),
  fc.constant(R.nilArray),
  bytes.map((s) => R.verb(s, 'txt')),
);
const tree = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('node'), { maxLength: 5 }).map((v) => R.arr(v)),
    fc.array(tie('node'), { maxLength: 4 }).map((v) => R.set(v)),
    fc.array(fc.tuple(tie('node'), tie('node')), { maxLength: 3 }).map((kv) => R.map(kv.flat())),
    fc.array(tie('node'), { maxLength: 3 }).map((v) => R.push(v)),
  ),
})).node;

describe('ReplyParser', () => {
  it('splits a RESP2 stream into replies', () => {
    const input = '+OK\r\n-ERR x\r\n:5\r\n$3\r\nfoo\r\n$-1\r\n*-1\r\n*2\r\n$1\r\na\r\n*1\r\n:1\r\n*0\r\n';
    const r = collect(input);
    expect(r.raws).toEqual(['+OK\r\n', '-ERR x\r\n', ':5\r\n', '$3\r\nfoo\r\n', '$-1\r\n', '*-1\r\n', '*2\r\n$1\r\na\r\n*1\r\n:1\r\n', '*0\r\n']);
    expect(r.decoded[3]).toEqual(R.bulk('foo'));
    expect(r.decoded[4]).toBe(R.nil);
    expect(r.decoded[5]).toBe(R.nilArray);
    expect(r.decoded[6]).toEqual(R.arr([R.bulk('a'), R.arr([R.int(1)])]));
  });

  it('handles RESP3 types, attributes, big numbers and blob errors', () => {
    const input =
      '|1\r\n+key-popularity\r\n%1\r\n$1\r\na\r\n,0.19\r\n*2\r\n:1\r\n:2\r\n' +
      '(3492890328409238509324850943850943825024385\r\n' +
      '!21\r\nSYNTAX invalid syntax\r\n' +
      '=15\r\ntxt:Some string\r\n' +
      '>3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n' +
      '#t\r\n_\r\n,inf\r\n,-inf\r\n~1\r\n$1\r\nx\r\n';
    const p = new ReplyParser();
    p.feed(Buffer.from(input, 'latin1'));
    expect(p.next()).toBe(true);
    expect(p.decode()).toEqual(R.arr([R.int(1), R.int(2)]));
    expect(p.attributes).toEqual(R.map([R.simple('key-popularity'), R.map([R.bulk('a'), R.dbl(0.19)])]));
    expect(p.nextReply()).toEqual(R.raw('(3492890328409238509324850943850943825024385\r\n'));
    expect(p.nextReply()).toEqual(R.err('SYNTAX invalid syntax'));
    expect(p.nextReply()).toEqual(R.verb('Some string', 'txt'));
    expect(p.nextReply()).toEqual(R.push([R.bulk('message'), R.bulk('ch'), R.bulk('hi')]));
    expect(p.nextReply()).toEqual(R.bool(true));
    expect(p.nextReply()).toBe(R.nil);
    expect(p.nextReply()).toEqual(R.dbl(Infinity));
    expect(p.nextReply()).toEqual(R.dbl(-Infinity));
    expect(p.nextReply()).toEqual(R.set([R.bulk('x')]));
    expect(p.nextReply()).toBeNull();
    expect(p.error).toBeNull();
  });

  it('reports garbage as a protocol error', () => {
    expect(collect('?what\r\n').error).toMatch(/^Protocol error/);
    expect(collect('$abc\r\n').error).toBe('Protocol error: invalid bulk length');
    expect(collect('*-5\r\n').error).toBe('Protocol error: invalid multibulk length');
    expect(collect('+' + 'x'.repeat(70000)).error).toBe('Protocol error: too big reply line');
  });

  it('assembles a large bulk and a large array from small chunks', () => {
    const big = 'x'.repeat(3_000_000);
    const arr = R.arr(Array.from({ length: 5000 }, (_, i) => R.bulk('m' + i)));
    const input = encodeReply(R.bulk(big), 2) + encodeReply(arr, 2);
    const r = collect(input, [65536, 7, 1000]);
    expect(r.raws.length).toBe(2);
    expect(r.raws[0]!.length).toBe(big.length + 12);
    expect(r.decoded[1]).toEqual(arr);
    expect(r.pending).toBe(0);
  });

  it('round-trips arbitrary replies at arbitrary chunk boundaries', () => {
    fc.assert(
      fc.property(
        fc.array(tree, { minLength: 1, maxLength: 5 }),
        fc.constantFrom(2 as const, 3 as const),
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 5 }),
        (replies, proto, sizes) => {
          const encoded = replies.map((r) => encodeReply(r, proto));
          const r = collect(encoded.join(''), sizes);
          expect(r.error).toBeNull();
          expect(r.raws).toEqual(encoded);
          expect(r.decoded.map((d) => encodeReply(d, proto))).toEqual(encoded);
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe('ReplyParser reading in place', () => {
  it('frames big replies read straight into its buffer like fed ones, and copies a stale read', () => {
    const big = 'y'.repeat(300_000);
    const bytes = Buffer.from(`$${big.length}\r\n${big}\r\n+OK\r\n`, 'latin1');
    const p = new ReplyParser();
    const got: string[] = [];
    let inPlace = 0;
    for (let at = 0; at < bytes.length; ) {
      const target = p.readTarget();
      const n = Math.min(65536, bytes.length - at, target?.length ?? 65536);
      if (target !== null) {
        bytes.copy(target, 0, at, at + n);
        p.fedInPlace(target, n);
        inPlace++;
      } else {
        p.feed(Buffer.from(bytes.subarray(at, at + n)));
      }
      at += n;
      while (p.next()) got.push(p.buf.latin1Slice(p.start, p.end));
    }
    expect(inPlace).toBeGreaterThan(0);
    expect(got).toEqual([`$${big.length}\r\n${big}\r\n`, '+OK\r\n']);

    const q = new ReplyParser();
    q.feed(Buffer.from(`$40000\r\n${'a'.repeat(20_000)}`, 'latin1'));
    q.feed(Buffer.from('a'.repeat(100), 'latin1'));
    const stale = q.readTarget()!;
    expect(stale).not.toBeNull();
    // More than the offered tail holds arrives another way: the parser moves to a new buffer.
    q.feed(Buffer.from('a'.repeat(19_900) + '\r\n' + ':1\r\n'.repeat(10), 'latin1'));
    stale.write(':2\r\n', 0, 'latin1');
    q.fedInPlace(stale, 4);
    const out: string[] = [];
    while (q.next()) out.push(q.buf.latin1Slice(q.start, q.end).slice(0, 12));
    expect(out).toEqual(['$40000\r\naaaa', ...Array.from({ length: 10 }, () => ':1\r\n'), ':2\r\n']);
  });
});
