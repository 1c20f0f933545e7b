/**
 * Bounded fuzzing of the request parser (fast-check, a few seconds): random bytes and mutated
 * valid streams, fed in random chunkings. The parser must never throw, must give the same
 * commands and error whatever the chunk boundaries, must return exactly the commands of a valid
 * stream, and must never hold more than its limits allow while waiting for a line.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PROTO_INLINE_MAX_SIZE, RAW_NO, RAW_WAIT, RequestParser } from './parser.js';
import { RawCommand, type ByteRange } from './raw-command.js';

interface Outcome {
  cmds: string[][];
  error: string | null;
  maxPending: number;
}

/**
 * With `raw`, each command is first offered to nextRaw (as the router does) and only what it
 * declines goes to next(); a raw command must read back as the same argv, and its offsets must
 * frame exactly its canonical encoding.
 */
function run(input: Uint8Array, sizes: number[], opts?: { maxBulkLen?: number; authRequired?: boolean }, raw = false): Outcome {
  const p = new RequestParser(opts);
  const rc = new RawCommand();
  const kept: [ByteRange, string][] = [];
  const next = (): string[] | null => {
    if (!raw) return p.next();
    const taken = p.nextRaw(rc);
    if (taken === RAW_WAIT) return null;
    if (taken === RAW_NO) return p.next();
    const argv = rc.argv();
    expect(rc.buf.latin1Slice(rc.start, rc.end)).toBe(encode(argv));
    for (let i = 0; i < rc.argc; i++) {
      expect(rc.arg(i)).toBe(argv[i]);
      expect(rc.buf.latin1Slice(rc.hdr[i], rc.argEnd(i))).toBe(`$${argv[i]!.length}\r\n${argv[i]}\r\n`);
    }
    kept.push([rc.keep(), encode(argv)]);
    return argv;
  };
  const cmds: string[][] = [];
  let off = 0;
  let i = 0;
  let maxPending = 0;
  while (off < input.length) {
    const n = Math.max(1, sizes[i++ % sizes.length]!);
    p.feed(Buffer.from(input.subarray(off, off + n)));
    off += n;
    for (let a = next(); a !== null; a = next()) cmds.push(a);
    maxPending = Math.max(maxPending, p.pendingBytes);
  }
  if (p.error === null && !p.inCommand) expect(p.pendingBytes).toBe(0);
  // Kept raw commands still read back as they came: the parser never wrote over them.
  for (const [range, bytes] of kept) expect(Buffer.from(range.buf).latin1Slice(range.start, range.end)).toBe(bytes);
  // A raw command is waited for from its first byte, so only next() is held to the line limits.
  return { cmds, error: p.error, maxPending: raw ? 0 : maxPending };
}

const ERROR_RE =
  /^Protocol error: (invalid multibulk length|invalid bulk length|expected '\$', got '[\s\S]'|too big inline request|too big mbulk count string|too big bulk count string|unbalanced quotes in request|unauthenticated multibulk length|unauthenticated bulk length)$/;

const arg = fc.uint8Array({ maxLength: 20 }).map((u) => Buffer.from(u).latin1Slice());
const command = fc.array(arg, { minLength: 1, maxLength: 6 });
const encode = (cmd: string[]) =>
  `*${cmd.length}\r\n` + cmd.map((a) => `$${a.length}\r\n${a}\r\n`).join('');
const chunking = fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 6 });

/** Byte-level mutations that hit the interesting paths: headers, CRLFs, quotes, NULs. */
const mutation = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom('flip', 'insert', 'delete', 'dup'),
  byte: fc.constantFrom(0, 10, 13, 32, 34, 36, 39, 42, 45, 48, 49, 57, 92, 120, 255),
});

function mutate(bytes: Buffer, muts: { at: number; kind: string; byte: number }[]): Buffer {
  let b = bytes;
  for (const m of muts) {
    if (b.length === 0) break;
    const at = m.at % b.length;
    if (m.kind === 'flip') {
      b = Buffer.from(b);
      b[at] = m.byte;
    } else if (m.kind === 'insert') b = Buffer.concat([b.subarray(0, at), Buffer.of(m.byte), b.subarray(at)]);
    else if (m.kind === 'delete') b = Buffer.concat([b.subarray(0, at), b.subarray(at + 1)]);
    else b = Buffer.concat([b.subarray(0, at), b.subarray(at, at + 8), b.subarray(at)]);
  }
  return b;
}

describe('RequestParser fuzz', () => {
  it('returns exactly the commands of valid multibulk streams, whatever the chunking', () => {
    fc.assert(
      fc.property(fc.array(command, { minLength: 1, maxLength: 8 }), chunking, (cmds, sizes) => {
        const input = Buffer.from(cmds.map(encode).join(''), 'latin1');
        const out = run(input, sizes);
        expect(out.error).toBeNull();
        expect(out.cmds).toEqual(cmds);
        expect(run(input, sizes, undefined, true)).toEqual({ ...out, maxPending: 0 });
      }),
      { numRuns: 5000 },
    );
  });

  it('never throws on random bytes and is independent of chunk boundaries', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), chunking, fc.boolean(), (bytes, sizes, auth) => {
        const whole = run(bytes, [bytes.length || 1], { authRequired: auth, maxBulkLen: 64 });
        const pieces = run(bytes, sizes, { authRequired: auth, maxBulkLen: 64 });
        expect(run(bytes, sizes, { authRequired: auth, maxBulkLen: 64 }, true)).toEqual({ ...pieces, maxPending: 0 });
        expect(pieces.cmds).toEqual(whole.cmds);
        expect(pieces.error).toBe(whole.error);
        if (whole.error !== null) expect(whole.error).toMatch(ERROR_RE);
      }),
      { numRuns: 15000 },
    );
  });

  it('handles mutated valid streams (multibulk and inline)', () => {
    fc.assert(
      fc.property(
        fc.array(command, { minLength: 1, maxLength: 5 }),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        chunking,
        fc.boolean(),
        (cmds, muts, sizes, inline) => {
          const text = inline
            ? cmds.map((c) => c.map((a) => JSON.stringify(a).replace(/\\u00([0-9a-f]{2})/g, '\\x$1')).join(' ') + '\r\n').join('')
            : cmds.map(encode).join('');
          const input = mutate(Buffer.from(text, 'latin1'), muts);
          const whole = run(input, [input.length || 1]);
          const pieces = run(input, sizes);
          expect(run(input, sizes, undefined, true)).toEqual({ ...pieces, maxPending: 0 });
          expect(run(input, [input.length || 1], undefined, true)).toEqual({ ...whole, maxPending: 0 });
          expect(pieces.cmds).toEqual(whole.cmds);
          expect(pieces.error).toBe(whole.error);
          if (whole.error !== null) expect(whole.error).toMatch(ERROR_RE);
          for (const c of whole.cmds) expect(c.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 15000 },
    );
  });

  it('never buffers more than 64KB plus one chunk while waiting for a line', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('', '*', '*1\r\n', '*1\r\n$'),
        fc.integer({ min: 1000, max: 40000 }),
        fc.integer({ min: 0, max: 255 }).filter((b) => b !== 10 && b !== 13),
        (prefix, chunk, fill) => {
          const p = new RequestParser();
          p.feed(Buffer.from(prefix, 'latin1'));
          let fed = prefix.length;
          while (p.error === null && fed < 4 * PROTO_INLINE_MAX_SIZE) {
            p.feed(Buffer.alloc(chunk, fill));
            fed += chunk;
            expect(p.next()).toBeNull();
            expect(p.pendingBytes).toBeLessThanOrEqual(PROTO_INLINE_MAX_SIZE + chunk);
          }
          expect(p.error).toMatch(ERROR_RE);
        },
      ),
      { numRuns: 200 },
    );
  });
});
