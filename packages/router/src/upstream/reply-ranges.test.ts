/**
 * The router keeps views of node replies (`buf.subarray(start, end)`) until the client's next
 * write, while the connection goes on feeding ReplyParser. This pins down the property that
 * relies on: bytes of a reply already returned are never overwritten by later feeds, whether the
 * parser was reading from the caller's chunk or from its own accumulation buffer.
 */
import { describe, expect, it } from 'vitest';
import { ReplyParser } from '@swarmkv/resp';

describe('ReplyParser ranges stay valid across feeds', () => {
  it('keeps earlier replies intact while later chunks arrive', () => {
    const p = new ReplyParser();
    const kept: { view: Buffer; text: string }[] = [];
    const take = () => {
      while (p.next()) kept.push({ view: p.buf.subarray(p.start, p.end), text: p.buf.latin1Slice(p.start, p.end) });
    };
    // Replies split at awkward places so the parser accumulates into its own buffer and appends.
    const stream = Buffer.from('+OK\r\n$5\r\nhello\r\n:42\r\n*2\r\n$1\r\na\r\n$3\r\nbcd\r\n$10\r\n0123456789\r\n-ERR x\r\n'.repeat(50), 'latin1');
    for (let i = 0; i < stream.length; ) {
      const n = 1 + ((i * 7) % 13);
      p.feed(Buffer.from(stream.subarray(i, i + n)));
      take();
      i += n;
    }
    expect(kept).toHaveLength(300);
    for (const k of kept) expect(k.view.latin1Slice()).toBe(k.text);
  });
});
