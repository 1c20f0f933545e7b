/**
 * Unit tests for the request parser: multibulk, inline, chunking, limits and Redis's exact
 * protocol-error messages.
 */
import { describe, expect, it } from 'vitest';
import { RAW_NO, RAW_TAKEN, RAW_WAIT, RAW_WAIT_MAX, RequestParser, splitArgs } from './parser.js';
import { RawCommand } from './raw-command.js';

function parseAll(input: string | Buffer, opts?: ConstructorParameters<typeof RequestParser>[0]) {
  const p = new RequestParser(opts);
  p.feed(typeof input === 'string' ? Buffer.from(input, 'latin1') : input);
  const cmds: string[][] = [];
  for (let a = p.next(); a !== null; a = p.next()) cmds.push(a);
  return { cmds, error: p.error, pending: p.pendingBytes, parser: p };
}

/** Feed `input` in pieces of `size` bytes, pulling commands after every piece. */
function parseChunked(input: string, size: number) {
  const p = new RequestParser();
  const buf = Buffer.from(input, 'latin1');
  const cmds: string[][] = [];
  for (let i = 0; i < buf.length; i += size) {
    p.feed(buf.subarray(i, i + size));
    for (let a = p.next(); a !== null; a = p.next()) cmds.push(a);
  }
  return { cmds, error: p.error };
}

const mb = (...args: string[]) => `*${args.length}\r\n` + args.map((a) => `$${a.length}\r\n${a}\r\n`).join('');

describe('multibulk', () => {
  it('parses one command', () => {
    expect(parseAll(mb('SET', 'k', 'v')).cmds).toEqual([['SET', 'k', 'v']]);
  });

  it('parses a pipeline and binary-safe arguments', () => {
    const bin = '\x00\r\n\xff\x80$*';
    const r = parseAll(mb('SET', 'k', bin) + mb('GET', 'k') + mb('PING'));
    expect(r.cmds).toEqual([['SET', 'k', bin], ['GET', 'k'], ['PING']]);
    expect(r.error).toBeNull();
    expect(r.pending).toBe(0);
  });

  it('accepts empty arguments', () => {
    expect(parseAll('*2\r\n$3\r\nGET\r\n$0\r\n\r\n').cmds).toEqual([['GET', '']]);
  });

  it('ignores *0 and negative counts like Redis', () => {
    expect(parseAll('*0\r\n*-1\r\n*-10\r\n' + mb('PING')).cmds).toEqual([['PING']]);
  });

  it('handles every split point', () => {
    const input = mb('SET', 'key', 'value') + 'PING\r\n' + mb('ECHO', '') + mb('MGET', 'a', 'bb', 'ccc');
    const expected = [['SET', 'key', 'value'], ['PING'], ['ECHO', ''], ['MGET', 'a', 'bb', 'ccc']];
    for (let size = 1; size <= input.length; size++) {
      expect(parseChunked(input, size).cmds).toEqual(expected);
    }
  });

  it('does not check the bytes after a bulk or after a header CR (Redis quirk)', () => {
    expect(parseAll('*2\rX$3\rXGET\r\n$1\r\nkXY').cmds).toEqual([['GET', 'k']]);
  });

  it('accumulates a 100MB bulk sent in 64KB pieces, copying it once', () => {
    const size = 100 * 1024 * 1024;
    const header = Buffer.from(`*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$${size}\r\n`, 'latin1');
    const p = new RequestParser();
    p.feed(header);
    expect(p.next()).toBeNull();
    const piece = Buffer.alloc(65536, 0x61);
    let sent = 0;
    const t0 = Date.now();
    while (sent < size) {
      const n = Math.min(piece.length, size - sent);
      p.feed(n === piece.length ? piece : piece.subarray(0, n));
      sent += n;
      if (sent < size) expect(p.next()).toBeNull();
    }
    p.feed(Buffer.from('\r\n*1\r\n$4\r\nPING\r\n', 'latin1'));
    const cmd = p.next();
    expect(cmd).not.toBeNull();
    expect(cmd![2]!.length).toBe(size);
    expect(cmd![2]!.charCodeAt(size - 1)).toBe(0x61);
    expect(p.next()).toEqual(['PING']);
    // Quadratic copying would move ~80 GB here; linear is well under a second on an idle machine.
    expect(Date.now() - t0).toBeLessThan(25_000);
  }, 60_000);

  it('keeps pending bytes small while many args trickle in', () => {
    const args = Array.from({ length: 5000 }, (_, i) => 'arg' + i);
    const input = Buffer.from(mb('DEL', ...args), 'latin1');
    const p = new RequestParser();
    let maxPending = 0;
    for (let i = 0; i < input.length; i += 100) {
      p.feed(input.subarray(i, i + 100));
      expect(p.next() === null || i + 100 >= input.length).toBe(true);
      maxPending = Math.max(maxPending, p.pendingBytes);
    }
    expect(maxPending).toBeLessThan(200);
  });
});

describe('multibulk protocol errors (Redis 7.0 messages)', () => {
  const cases: [string, string][] = [
    ['*20000000000\r\n', 'Protocol error: invalid multibulk length'],
    ['*3000000000\r\n', 'Protocol error: invalid multibulk length'],
    ['*abc\r\n', 'Protocol error: invalid multibulk length'],
    ['*01\r\n', 'Protocol error: invalid multibulk length'],
    ['*+1\r\n', 'Protocol error: invalid multibulk length'],
    ['*\r\n', 'Protocol error: invalid multibulk length'],
    ['*1 \r\n', 'Protocol error: invalid multibulk length'],
    ['*3\r\n$3\r\nSET\r\n$1\r\nx\r\nfooz\r\n', "Protocol error: expected '$', got 'f'"],
    ['*1\r\n\r\n', "Protocol error: expected '$', got ' '"],
    ['*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$-10\r\n', 'Protocol error: invalid bulk length'],
    ['*1\r\n$x\r\n', 'Protocol error: invalid bulk length'],
    ['*1\r\n$01\r\n', 'Protocol error: invalid bulk length'],
    ['*1\r\n$-0\r\n', 'Protocol error: invalid bulk length'],
    ['*1\r\n$536870913\r\n', 'Protocol error: invalid bulk length'],
    ['*1\r\n$99999999999999999999\r\n', 'Protocol error: invalid bulk length'],
  ];
  for (const [input, message] of cases) {
    it(JSON.stringify(input), () => {
      const r = parseAll(input);
      expect(r.error).toBe(message);
      expect(r.cmds).toEqual([]);
    });
  }

  it('accepts the largest count (INT_MAX) and waits for its arguments', () => {
    const r = parseAll('*2147483647\r\n');
    expect(r.error).toBeNull();
    expect(r.parser.inCommand).toBe(true);
  });

  it('runs the commands before an error, then reports it and stays dead', () => {
    const r = parseAll(mb('PING') + '*x\r\n' + mb('PING'));
    expect(r.cmds).toEqual([['PING']]);
    expect(r.error).toBe('Protocol error: invalid multibulk length');
    r.parser.feed(Buffer.from(mb('PING')));
    expect(r.parser.next()).toBeNull();
  });

  it('honours proto-max-bulk-len', () => {
    expect(parseAll('*1\r\n$11\r\n', { maxBulkLen: 10 }).error).toBe('Protocol error: invalid bulk length');
    expect(parseAll('*1\r\n$10\r\n0123456789\r\n', { maxBulkLen: 10 }).cmds).toEqual([['0123456789']]);
  });

  it('applies the unauthenticated limits while AUTH is required', () => {
    expect(parseAll('*11\r\n', { authRequired: true }).error).toBe(
      'Protocol error: unauthenticated multibulk length',
    );
    expect(parseAll('*2\r\n$16385\r\n', { authRequired: true }).error).toBe(
      'Protocol error: unauthenticated bulk length',
    );
    expect(parseAll(mb('AUTH', 'x'.repeat(16384)), { authRequired: true }).cmds).toHaveLength(1);
    expect(parseAll('*11\r\n').error).toBeNull();
  });

  it('reports too big count strings only past 64KB without CR', () => {
    expect(parseAll('*' + '1'.repeat(65535)).error).toBeNull();
    expect(parseAll('*' + '1'.repeat(65536)).error).toBe('Protocol error: too big mbulk count string');
    expect(parseAll('*1\r\n$' + '1'.repeat(65536)).error).toBe('Protocol error: too big bulk count string');
  });

  it('treats a NUL before the CR as "no line yet" (strchr semantics)', () => {
    const r = parseAll('*1\x00\r\n$4\r\nPING\r\n');
    expect(r.error).toBeNull();
    expect(r.cmds).toEqual([]);
    r.parser.feed(Buffer.alloc(70000, 0x61));
    expect(r.parser.next()).toBeNull();
    expect(r.parser.error).toBe('Protocol error: too big mbulk count string');
  });
});

describe('inline commands', () => {
  it('splits on blanks, accepts \\n or \\r\\n, ignores empty lines', () => {
    expect(parseAll('PING\r\n\r\n\nSET  k \t v\nGET k\r\n').cmds).toEqual([['PING'], ['SET', 'k', 'v'], ['GET', 'k']]);
  });

  it('handles quotes and escapes like sdssplitargs', () => {
    expect(parseAll('SET "a b" "\\x41\\x4a\\n\\t\\\\\\q"\r\n').cmds).toEqual([['SET', 'a b', 'AJ\n\t\\q']]);
    expect(parseAll("SET 'it\\'s' 'x\\ny'\r\n").cmds).toEqual([['SET', "it's", 'x\\ny']]);
    expect(parseAll('SET a"b c"d\r\n').error).toBe('Protocol error: unbalanced quotes in request');
    expect(parseAll('SET a"b c" d\r\n').cmds).toEqual([['SET', 'ab c', 'd']]);
    expect(parseAll('SET "" \'\'\r\n').cmds).toEqual([['SET', '', '']]);
    expect(parseAll('ECHO "\\x4"\r\n').cmds).toEqual([['ECHO', 'x4']]);
  });

  it('reports unbalanced quotes', () => {
    expect(parseAll('SET "a\r\n').error).toBe('Protocol error: unbalanced quotes in request');
    expect(parseAll("SET 'a\r\n").error).toBe('Protocol error: unbalanced quotes in request');
    expect(parseAll('SET "a\\"\r\n').error).toBe('Protocol error: unbalanced quotes in request');
  });

  it('keeps \\v and \\f inside tokens but skips them between tokens', () => {
    expect(parseAll('\x0bGET a\x0bb\x0c\r\n').cmds).toEqual([['GET', 'a\x0bb\x0c']]);
  });

  it('waits for the newline, then errors past 64KB', () => {
    const r = parseAll('GET ' + 'a'.repeat(1000));
    expect(r.cmds).toEqual([]);
    expect(r.error).toBeNull();
    expect(parseAll('x'.repeat(65537)).error).toBe('Protocol error: too big inline request');
  });

  it('mixes inline and multibulk', () => {
    expect(parseChunked('PING\r\n' + mb('ECHO', 'hi') + 'ECHO "x y"\n', 3).cmds).toEqual([
      ['PING'],
      ['ECHO', 'hi'],
      ['ECHO', 'x y'],
    ]);
  });

  it('splitArgs works on a buffer range', () => {
    const b = Buffer.from('xx a "b c" d yy', 'latin1');
    expect(splitArgs(b, 3, 13)).toEqual(['a', 'b c', 'd']);
  });
});

describe('nextRaw', () => {
  it('waits for a big command and takes it whole, sizing its buffer once from the bulk header', () => {
    const p = new RequestParser();
    const cmd = new RawCommand();
    const value = 'v'.repeat(200_000);
    const bytes = Buffer.from(mb('SET', 'key', value) + mb('GET', 'key'), 'latin1');
    const buffers = new Set<ArrayBufferLike>();
    for (let i = 0; i < bytes.length; i += 65536) {
      p.feed(Buffer.from(bytes.subarray(i, i + 65536)));
      const taken = p.nextRaw(cmd);
      if (i + 65536 < bytes.length) {
        expect(taken).toBe(RAW_WAIT);
        if (i > 0) buffers.add((p as unknown as { buf: Buffer }).buf.buffer);
      } else {
        expect(taken).toBe(RAW_TAKEN);
      }
    }
    expect(buffers.size).toBe(1);
    expect(cmd.argv()).toEqual(['SET', 'key', value]);
    expect(p.nextRaw(cmd)).toBe(RAW_TAKEN);
    expect(cmd.argv()).toEqual(['GET', 'key']);
    expect(p.nextRaw(cmd)).toBe(RAW_WAIT);
  });

  it('leaves commands past RAW_WAIT_MAX, inline commands and unauthenticated clients to next()', () => {
    const big = new RequestParser();
    const cmd = new RawCommand();
    const head = Buffer.from(`*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$${RAW_WAIT_MAX + 10}\r\n`, 'latin1');
    big.feed(head);
    expect(big.nextRaw(cmd)).toBe(RAW_NO);
    expect(big.next()).toBeNull();
    big.feed(Buffer.alloc(RAW_WAIT_MAX + 10, 120));
    big.feed(Buffer.from('\r\n', 'latin1'));
    expect(big.next()?.[2]?.length).toBe(RAW_WAIT_MAX + 10);

    const inline = new RequestParser();
    inline.feed(Buffer.from('GET k\r\n', 'latin1'));
    expect(inline.nextRaw(cmd)).toBe(RAW_NO);
    expect(inline.next()).toEqual(['GET', 'k']);

    const unauth = new RequestParser({ authRequired: true });
    unauth.feed(Buffer.from(mb('GET', 'k'), 'latin1'));
    expect(unauth.nextRaw(cmd)).toBe(RAW_NO);
    expect(unauth.next()).toEqual(['GET', 'k']);
  });
});

describe('reading in place', () => {
  /** Feeds `bytes` as a socket would with direct-read.ts: into readTarget() when offered. */
  function readAll(p: RequestParser, bytes: Buffer, chunk: number, stale = false): string[][] {
    const cmds: string[][] = [];
    const cmd = new RawCommand();
    let inPlace = 0;
    for (let at = 0; at < bytes.length; ) {
      const target = p.readTarget();
      const n = Math.min(chunk, bytes.length - at, target?.length ?? chunk);
      if (target !== null) {
        bytes.copy(target, 0, at, at + n);
        if (stale) p.feed(Buffer.alloc(0)); // no-op feed: the target must still be accepted
        p.fedInPlace(target, n);
        inPlace++;
      } else {
        p.feed(Buffer.from(bytes.subarray(at, at + n)));
      }
      at += n;
      for (;;) {
        const r = p.nextRaw(cmd);
        if (r === RAW_TAKEN) cmds.push(cmd.argv());
        else if (r === RAW_NO) {
          const a = p.next();
          if (a === null) break;
          cmds.push(a);
        } else break;
      }
    }
    expect(inPlace).toBeGreaterThan(0);
    return cmds;
  }

  it('takes big commands read straight into its buffer like fed ones', () => {
    const big = 'x'.repeat(300_000);
    const text = mb('SET', 'a', big) + mb('GET', 'a') + mb('MSET', 'k1', big, 'k2', 'v') + mb('PING');
    const expected = [['SET', 'a', big], ['GET', 'a'], ['MSET', 'k1', big, 'k2', 'v'], ['PING']];
    for (const chunk of [1000, 65536, 100_000]) {
      expect(readAll(new RequestParser(), Buffer.from(text, 'latin1'), chunk)).toEqual(expected);
    }
  });

  it('copies a read whose target is no longer its buffer', () => {
    const p = new RequestParser();
    const cmd = new RawCommand();
    const ping = mb('PING');
    p.feed(Buffer.from('*2\r\n$4\r\nECHO\r\n$60000\r\n' + 'a'.repeat(100), 'latin1'));
    expect(p.nextRaw(cmd)).toBe(RAW_WAIT);
    p.feed(Buffer.from('a'.repeat(100), 'latin1'));
    const target = p.readTarget()!;
    expect(target.length).toBeGreaterThanOrEqual(16384);
    // More than the target holds arrives another way: the parser moves to a new buffer.
    p.feed(Buffer.from('a'.repeat(59_800) + '\r\n' + ping, 'latin1'));
    target.write(ping, 0, 'latin1');
    p.fedInPlace(target, ping.length);
    const got: string[][] = [];
    while (p.nextRaw(cmd) === RAW_TAKEN) got.push(cmd.argv());
    expect(got).toEqual([['ECHO', 'a'.repeat(60_000)], ['PING'], ['PING']]);
  });
});
