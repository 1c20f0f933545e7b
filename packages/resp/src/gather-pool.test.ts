import { describe, expect, it } from 'vitest';
import { GATHER_POOL_IDLE_MS, GATHER_POOL_MIN, GatherPool } from './gather-pool.js';
import { RequestParser, RAW_TAKEN, RAW_WAIT } from './parser.js';
import { RawCommand } from './raw-command.js';

/** `*3 SET <key> <value of n bytes>` as RESP. */
function setCommand(key: string, n: number, fill: number): Buffer {
  return Buffer.concat([Buffer.from(`*3\r\n$3\r\nSET\r\n$${key.length}\r\n${key}\r\n$${n}\r\n`), Buffer.alloc(n, fill), Buffer.from('\r\n')]);
}

describe('GatherPool', () => {
  it('lends by power-of-two class and takes a buffer back only when retired, released and not aimed at by a read', () => {
    const pool = new GatherPool();
    const g = pool.take(100_000);
    expect(g.buf.length).toBe(2 * GATHER_POOL_MIN);
    g.hold();
    g.offered = true;
    g.retire();
    expect(pool.freeBytes).toBe(0); // held and offered
    g.release();
    expect(pool.freeBytes).toBe(0); // still offered
    g.readDone();
    expect(pool.freeBytes).toBe(g.buf.length);
    // Giving back twice must not lend one buffer to two parsers.
    g.retire();
    g.readDone();
    expect(pool.freeBytes).toBe(g.buf.length);
    const again = pool.take(70_000);
    expect(again.buf).toBe(g.buf);
    expect(pool.reused).toBe(1);
    expect(pool.take(70_000).buf).not.toBe(g.buf);
  });

  it('drops its free buffers after a quiet spell, not before', () => {
    const pool = new GatherPool();
    const g = pool.take(100_000);
    const at = performance.now();
    g.retire();
    expect(pool.freeBytes).toBeGreaterThan(0);
    pool.trimIfIdle(at + GATHER_POOL_IDLE_MS / 2);
    expect(pool.freeBytes).toBeGreaterThan(0);
    pool.trimIfIdle(at + GATHER_POOL_IDLE_MS + 1);
    expect(pool.freeBytes).toBe(0);
    expect(pool.take(100_000).buf).not.toBe(g.buf);
  });

  it('keeps free buffers only up to its budget', () => {
    const pool = new GatherPool(3 * GATHER_POOL_MIN);
    const lent = [pool.take(GATHER_POOL_MIN), pool.take(GATHER_POOL_MIN), pool.take(2 * GATHER_POOL_MIN)];
    for (const g of lent) g.retire();
    expect(pool.freeBytes).toBe(2 * GATHER_POOL_MIN); // the third did not fit
  });
});

describe('RequestParser with a GatherPool', () => {
  it('gathers a big command in a lent buffer and reuses it only after the kept command is released', () => {
    const pool = new GatherPool();
    const parser = new RequestParser({ pool });
    const cmd = new RawCommand();
    const run = (bytes: Buffer, kept: ReturnType<RawCommand['keep']>[]) => {
      // As the router reads: the first 64 KB through the shared read buffer, the rest in place.
      parser.feedCopy(bytes, Math.min(bytes.length, 65536));
      let at = Math.min(bytes.length, 65536);
      for (;;) {
        const r = parser.nextRaw(cmd);
        if (r === RAW_TAKEN) {
          kept.push(cmd.keep());
          cmd.done();
          continue;
        }
        expect(r).toBe(RAW_WAIT);
        if (at >= bytes.length) break;
        const target = parser.readTarget()!;
        expect(target).not.toBeNull();
        const n = Math.min(target.length, bytes.length - at);
        bytes.copy(target, 0, at, at + n);
        parser.fedInPlace(target, n);
        at += n;
      }
    };
    const kept: ReturnType<RawCommand['keep']>[] = [];
    const a = setCommand('a', 200_000, 0x61);
    run(a, kept);
    expect(kept).toHaveLength(1);
    const first = kept[0]!;
    expect(first.pooled).not.toBeNull();
    expect(Buffer.from(first.buf.subarray(first.start, first.end)).equals(a)).toBe(true);
    // Not released yet: the next big command must not get the same buffer.
    run(setCommand('b', 200_000, 0x62), kept);
    expect(kept[1]!.buf.buffer).not.toBe(first.buf.buffer);
    expect(Buffer.from(first.buf.subarray(first.start, first.end)).equals(a)).toBe(true);
    // Released (the node answered): the next one reuses it.
    first.pooled!.release();
    const reused = pool.reused;
    run(setCommand('c', 200_000, 0x63), kept);
    expect(pool.reused).toBeGreaterThan(reused);
    expect(kept[2]!.buf.buffer).toBe(first.buf.buffer);
    const c = kept[2]!;
    expect(Buffer.from(c.buf.subarray(c.start, c.end)).equals(setCommand('c', 200_000, 0x63))).toBe(true);
    // The second command, still held, was not touched by the reuse.
    const b = kept[1]!;
    expect(Buffer.from(b.buf.subarray(b.start, b.end)).equals(setCommand('b', 200_000, 0x62))).toBe(true);
  });

  it('never lends out a buffer that an outstanding read may still land in', () => {
    const pool = new GatherPool();
    const parser = new RequestParser({ pool });
    const cmd = new RawCommand();
    parser.feedCopy(setCommand('k', 150_000, 0x6b), 65536);
    expect(parser.nextRaw(cmd)).toBe(RAW_WAIT);
    const target = parser.readTarget()!; // offered: the socket's next read lands here
    const offered = target.buffer;
    const free = pool.freeBytes;
    // The parser moves to another buffer before that read comes back (bytes it did not expect).
    parser.feedCopy(Buffer.alloc(300_000, 0x78), 300_000);
    expect(pool.freeBytes).toBe(free);
    expect(pool.take(150_000).buf.buffer).not.toBe(offered);
    // The read comes back (elsewhere than expected: copied in); now the buffer may go back.
    target.fill(0x79, 0, 10);
    parser.fedInPlace(target, 10);
    expect(pool.freeBytes).toBeGreaterThan(free);
  });
});
