/**
 * Blocking commands (BLPOP, BRPOP, BLMOVE, BLMPOP, BZPOPMIN/MAX, BZMPOP, BRPOPLPUSH ...): the wait
 * happens on a dedicated node connection, never on a shared one (which it would stall for every
 * other client). The connection is borrowed when the command starts and given back when the
 * reply comes; a client that disconnects while blocked gets its connection closed, which ends
 * the wait on the node (client-session.ts).
 *
 * Like a Redis connection, the client runs nothing else while blocked: the command waits for its
 * earlier commands (a barrier) and the next one waits for it, so `BLPOP k 1` followed by
 * `LPUSH k x` times out exactly as on a single server.
 */
import { encodeError } from '@swarmkv/resp';
import type { ClientSession } from './client-session.js';
import { ForwardOp } from './pending.js';
import { ASKING } from './redirect.js';
import { CROSSSLOT, anyNode, slotOf, type Handler } from './route.js';
import type { Connection } from './upstream/connection.js';
import type { UpstreamNode } from './upstream/node.js';
import { watchLane } from './transaction.js';

class BlockingOp extends ForwardOp {
  conn: Connection | null = null;
  node: UpstreamNode | null = null;

  start(node: UpstreamNode, asking: boolean): void {
    const s = this.session;
    const pinned = s.tx !== null ? watchLane(s, node) : null;
    const conn = pinned ?? node.acquireDedicated(s.db, s.proto);
    if (pinned === null) {
      this.conn = conn;
      this.node = node;
      s.blockedConn = conn;
    }
    if (asking) conn.send(ASKING, null, 0);
    conn.send(this.payload, this, 0);
  }

  private giveBack(): void {
    const s = this.session;
    if (this.conn !== null && s.blockedConn === this.conn) s.blockedConn = null;
    if (this.conn !== null && this.node !== null) this.node.releaseDedicated(this.conn, true);
    this.conn = null;
    this.node = null;
  }

  override onReply(part: number, buf: Buffer, start: number, end: number): void {
    this.giveBack();
    super.onReply(part, buf, start, end);
  }

  override onFail(part: number, error: string): void {
    this.giveBack();
    super.onFail(part, error);
  }

  override resend(node: UpstreamNode, _part: number, asking: boolean): void {
    this.start(node, asking);
  }
}

export const blocking: Handler = (s: ClientSession, argv, r) => {
  const slot = slotOf(r, argv);
  if (slot === -2) return s.reply(CROSSSLOT);
  const node = slot >= 0 ? s.router.nodeForSlot(slot) : anyNode(s);
  if (node === null) return s.reply(encodeError('CLUSTERDOWN No node is reachable'));
  if (node.isDown) return s.reply(encodeError(node.downText(s.router.rangeText(slot))));
  const op = new BlockingOp(s, argv, slot);
  s.enqueue(op);
  op.start(node, false);
  s.holdNext();
};
