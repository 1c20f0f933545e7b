/**
 * One client command answered by several node requests ("parts") whose replies are merged.
 *
 * Parts are sent on the client's lanes in parallel; each reply is kept as bytes until the last
 * one arrives, then `merge` builds the client's reply. A part whose node is down, or whose
 * connection is lost, gets the -CLUSTERDOWN error as its reply, so merges see one uniform
 * shape. -MOVED/-ASK are followed per part.
 */
import { encodeError, type ByteRange, type RawCommand } from '@swarmkv/resp';
import type { ClientSession } from '../client-session.js';
import { Pending } from '../pending.js';
import { ASKING, followRedirect, isRedirect, type Redirectable } from '../redirect.js';
import type { UpstreamNode } from '../upstream/node.js';
import type { Connection, Request } from '../upstream/connection.js';
import { rebuildPart } from './part-argv.js';
import type { Parts } from './split.js';

/** Replies most parts get (+OK, small counts), shared instead of a view per reply. */
const COMMON_REPLIES = ['+OK\r\n', ...Array.from({ length: 10 }, (_, i) => `:${i}\r\n`)].map((r) => Buffer.from(r, 'latin1'));

/** One of COMMON_REPLIES when buf[start, end) is, else null. */
function commonReply(buf: Buffer, start: number, end: number): Buffer | null {
  const n = end - start;
  if (n === 5 && buf[start] === 43 && buf[start + 1] === 79 && buf[start + 2] === 75) return COMMON_REPLIES[0]!;
  if (n === 4 && buf[start] === 58) {
    const d = buf[start + 1]! - 48;
    if (d >= 0 && d <= 9) return COMMON_REPLIES[1 + d]!;
  }
  return null;
}

export type Merge = (replies: readonly Buffer[], op: FanoutOp) => Buffer | string;

export class FanoutOp extends Pending implements Redirectable {
  readonly replies: Buffer[];
  /** What each part sent (for a redirect's retry); null when the parts came from raw bytes. */
  private payloads: Request[] | null = null;
  /** Parts sent from a client's raw command (sendPart): its bytes, and arguments per key. */
  private raw: ByteRange | null = null;
  private rawParts: Parts | null = null;
  private rawStep = 1;
  /** Redirects followed per part, allocated on the first redirect. */
  private redirects: number[] | null = null;
  private remaining: number;

  constructor(
    session: ClientSession,
    parts: number,
    private readonly merge: Merge,
    /** Free data for the merge (e.g. which argument each part's keys came from). */
    readonly data: unknown = null,
  ) {
    super(session);
    this.replies = new Array<Buffer>(parts);
    this.remaining = parts;
  }

  /**
   * Sends part `part`; call for every part right after enqueueing the op. `slot` names the range
   * in a -CLUSTERDOWN error if the node is down (-1: all of the node's slots).
   */
  send(node: UpstreamNode, part: number, payload: Request, slot: number): void {
    (this.payloads ??= new Array<Request>(this.replies.length))[part] = payload;
    this.connFor(node, part, slot)?.send(payload, this, part);
  }

  /** Keeps the raw command that sendPart copies from, to rebuild a part a node redirects. */
  keepRaw(cmd: RawCommand, parts: Parts, step: number): void {
    this.raw = cmd.keep();
    this.rawParts = parts;
    this.rawStep = step;
  }

  /** `send` for a part copied straight from a client's raw command (RequestBuffer.appendPart). */
  sendPart(node: UpstreamNode, part: number, cmd: RawCommand, keyIdx: readonly number[], from: number, to: number, step: number, slot: number): void {
    this.connFor(node, part, slot)?.sendPart(cmd, keyIdx, from, to, step, this, part);
  }

  /** The client's lane to `node`; null, with the part failed, when the node is down. */
  private connFor(node: UpstreamNode, part: number, slot: number): Connection | null {
    if (node.isDown) {
      this.onFail(part, node.downText(slot >= 0 ? this.session.router.rangeText(slot) : node.slotsText));
      return null;
    }
    const s = this.session;
    return node.shared(s.db, s.proto, s.id);
  }

  onReply(part: number, buf: Buffer, start: number, end: number): void {
    if (buf[start] === 45 && isRedirect(buf, start) && followRedirect(this.session, this, part, buf, start, end)) return;
    this.settle(part, commonReply(buf, start, end) ?? buf.subarray(start, end));
  }

  onFail(part: number, error: string): void {
    this.settle(part, Buffer.from(encodeError(error), 'latin1'));
  }

  countRedirect(part: number): number {
    this.redirects ??= new Array<number>(this.replies.length).fill(0);
    return this.redirects[part]!++;
  }

  resend(node: UpstreamNode, part: number, asking: boolean): void {
    const s = this.session;
    const conn = node.shared(s.db, s.proto, s.id);
    if (asking) conn.send(ASKING, null, 0);
    if (this.payloads !== null) return conn.send(this.payloads[part]!, this, part);
    const { keyIdx, partStart } = this.rawParts!;
    conn.send(rebuildPart(this.raw!, keyIdx, partStart[part]!, partStart[part + 1]!, this.rawStep), this, part);
  }

  private settle(part: number, reply: Buffer): void {
    if (this.replies[part] !== undefined) return;
    this.replies[part] = reply;
    if (--this.remaining > 0) return;
    let out: Buffer | string;
    try {
      out = this.merge(this.replies, this);
    } catch (e) {
      this.session.router.log.error({ err: e }, 'fan-out merge failed');
      out = '-ERR internal error\r\n';
    }
    this.session.complete(this, out);
  }
}

/** The first error among the replies (in part order), or null. */
export function firstError(replies: readonly Buffer[]): Buffer | null {
  for (const r of replies) if (r[0] === 45 || r[0] === 33) return r;
  return null;
}
