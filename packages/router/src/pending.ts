/**
 * A client's commands in flight, in the order the client sent them.
 *
 * Each command becomes one `Pending` linked into its session's queue; when its reply is known
 * (from a node, a merge of several nodes, or the router itself) it is marked done, and the
 * session writes every done entry at the head of its queue. So replies leave in request order
 * however many nodes answer in whatever order.
 *
 * `ForwardOp` is the common case: one command to one node, whose reply bytes are passed through
 * untouched unless they are a -MOVED/-ASK redirect (redirect.ts retries those).
 */
import type { ClientSession } from './client-session.js';
import type { UpstreamNode } from './upstream/node.js';
import type { Request } from './upstream/connection.js';
import type { ByteRange, GatherBuffer } from '@swarmkv/resp';
import { ASKING, isRedirect, followRedirect, type Redirectable } from './redirect.js';

export class Pending {
  next: Pending | null = null;
  /** The encoded reply once done: bytes from a node, or a latin1 string the router made. */
  out: Buffer | string | null = null;
  /** The pool entry holding `out`'s bytes, released once they are written (gather-pool.ts). */
  lent: GatherBuffer | null = null;
  done = false;

  constructor(readonly session: ClientSession) {}
}

/** One command forwarded to one node. */
export class ForwardOp extends Pending implements Redirectable {
  private redirects = 0;

  constructor(
    session: ClientSession,
    /** The request (argv, or encoded bytes), kept for a redirect's retry. */
    readonly payload: Request,
    readonly slot: number,
  ) {
    super(session);
  }

  onReply(_part: number, buf: Buffer, start: number, end: number, lent: GatherBuffer | null = null): void {
    if (buf[start] === 45 /* '-' */ && isRedirect(buf, start) && followRedirect(this.session, this, 0, buf, start, end)) return;
    this.session.complete(this, buf.subarray(start, end), lent);
    // The node answered, so it had every byte of the request: a pooled buffer holding them may be
    // reused. (Not on failure: a write may still be under way then; the buffer is left to the GC.)
    const p = this.payload;
    if (typeof p === 'object' && !Array.isArray(p)) (p as ByteRange).pooled?.release();
  }

  onFail(_part: number, error: string): void {
    this.session.complete(this, '-' + error + '\r\n');
  }

  countRedirect(): number {
    return this.redirects++;
  }

  resend(node: UpstreamNode, _part: number, asking: boolean): void {
    const s = this.session;
    const conn = node.shared(s.db, s.proto, s.id);
    if (asking) conn.send(ASKING, null, 0);
    conn.send(this.payload, this, 0);
  }
}
