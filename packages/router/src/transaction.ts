/**
 * MULTI/EXEC/DISCARD/WATCH/UNWATCH across a sharded keyspace, as Redis Cluster does it: a
 * transaction runs on one node, on a connection of its own ("pinned"), and every key it touches
 * must hash to one slot.
 *
 *  - WATCH pins the client at once to the node owning the watched keys' slot; later WATCHes must
 *    stay on that node.
 *  - MULTI answers +OK from the router; commands are validated here (unknown, arity, no_multi,
 *    CROSSSLOT) and keyless ones are queued locally (+QUEUED) until the first key says which node
 *    runs the transaction. Then MULTI and the queued commands are replayed on a dedicated
 *    connection (their replies swallowed: the client already has its +QUEUED) and every further
 *    command goes there. A transaction without any key runs on the first node that is up.
 *  - Any error while queuing flags the transaction, and EXEC answers -EXECABORT (DISCARDing on
 *    the node if it was pinned), like Redis.
 *  - EXEC/DISCARD/UNWATCH give the connection back (closed instead if its db changed), and the
 *    client's next command waits until they are answered, so it cannot overtake them on another
 *    connection.
 */
import { encodeError, ENC, type Bytes } from '@swarmkv/resp';
import type { ClientSession } from './client-session.js';
import { ForwardOp } from './pending.js';
import type { Connection, Request } from './upstream/connection.js';
import type { UpstreamNode } from './upstream/node.js';
import { parseDbIndex } from './local-commands.js';

export const EXECABORT = '-EXECABORT Transaction discarded because of previous errors.\r\n';
const CROSSSLOT = "-CROSSSLOT Keys in request don't hash to the same slot\r\n";
const MULTI_CMD = '*1\r\n$5\r\nMULTI\r\n';
const DISCARD_CMD = '*1\r\n$7\r\nDISCARD\r\n';

export class TxState {
  /** Inside MULTI. */
  multi = false;
  /** An error was answered while queuing: EXEC aborts. */
  dirty = false;
  /** Commands queued (for CLIENT LIST's multi=). */
  count = 0;
  /** The slot of the transaction's keys, -1 until the first key. */
  slot = -1;
  /** The pinned connection and its node, once known. */
  conn: Connection | null = null;
  node: UpstreamNode | null = null;
  /** Keyless commands queued before the connection was pinned. */
  buffered: Request[] = [];
  watching = false;
  /** A queued SELECT's db, applied when EXEC succeeds; -1 if none. */
  selectDb = -1;
  /** The pinned connection's state (db, protocol, name) may differ from a fresh one: close, not reuse. */
  connDbChanged = false;
}

/** A command on the pinned connection: no redirects followed; `after` runs on the reply. */
class PinnedOp extends ForwardOp {
  constructor(
    session: ClientSession,
    payload: Request,
    private readonly after: ((buf: Buffer | null, start: number) => void) | null,
    /** The client's reply regardless of the node's (EXEC of a doomed transaction: DISCARD -> EXECABORT). */
    private readonly answer: string | null = null,
  ) {
    super(session, payload, -1);
  }

  override onReply(_part: number, buf: Buffer, start: number, end: number): void {
    this.after?.(buf, start);
    this.session.complete(this, this.answer ?? buf.subarray(start, end));
  }

  override onFail(_part: number, error: string): void {
    this.after?.(null, 0);
    this.session.complete(this, '-' + error + '\r\n');
  }
}

function sendPinned(
  s: ClientSession,
  conn: Connection,
  payload: Request,
  after: ((buf: Buffer | null, start: number) => void) | null = null,
  answer: string | null = null,
): void {
  const op = new PinnedOp(s, payload, after, answer);
  s.enqueue(op);
  conn.send(payload, op, 0);
}

function flag(s: ClientSession, tx: TxState, error: string): void {
  tx.dirty = true;
  s.reply(error);
}

/** The pinned connection, if still usable; a lost one flags the transaction. */
function livePin(tx: TxState): Connection | null {
  if (tx.conn === null) return null;
  if (tx.conn.closed) {
    tx.dirty = true;
    return null;
  }
  return tx.conn;
}

function pin(s: ClientSession, tx: TxState, node: UpstreamNode): Connection {
  const conn = node.acquireDedicated(s.db, s.proto);
  tx.conn = conn;
  tx.node = node;
  return conn;
}

function release(tx: TxState): void {
  if (tx.conn !== null && tx.node !== null) tx.node.releaseDedicated(tx.conn, !tx.connDbChanged);
  tx.conn = null;
}

// --- Commands ---

export function multi(s: ClientSession): void {
  const tx = s.tx;
  if (tx?.multi) return s.reply(encodeError('ERR MULTI calls can not be nested'));
  if (tx !== null && tx.watching) {
    tx.multi = true;
    const conn = livePin(tx);
    if (conn === null) {
      // The watched node went away: the transaction can only abort.
      tx.dirty = true;
      return s.reply(ENC.OK);
    }
    return sendPinned(s, conn, MULTI_CMD);
  }
  const fresh = new TxState();
  fresh.multi = true;
  s.tx = fresh;
  s.reply(ENC.OK);
}

/**
 * A command inside MULTI. `slot` is its keys' slot (-1: keyless, -2: keys in several slots).
 * The caller already answered unknown-command and arity errors (and flagged the transaction).
 */
export function queue(s: ClientSession, argv: Bytes[], slot: number, noMulti: boolean): void {
  const tx = s.tx!;
  if (noMulti) return flag(s, tx, encodeError('ERR Command not allowed inside a transaction'));
  if (slot === -2) return flag(s, tx, CROSSSLOT);
  const name = argv[0]!.toUpperCase();
  // These change the pinned connection's own state when EXEC runs them: never reuse it after.
  if (name === 'HELLO' || name === 'AUTH' || name === 'CLIENT') tx.connDbChanged = true;
  if (name === 'SELECT') {
    tx.connDbChanged = true;
    const db = parseDbIndex(argv[1] ?? '');
    if (db !== null && db >= 0 && db < s.router.config.databases) tx.selectDb = db;
  }
  if (slot >= 0) {
    if (tx.slot === -1) tx.slot = slot;
    else if (slot !== tx.slot) return flag(s, tx, CROSSSLOT);
    const node = s.router.nodeForSlot(slot);
    if (tx.conn === null && !tx.dirty) {
      if (node.isDown) return flag(s, tx, encodeError(node.downText(s.router.rangeText(slot))));
      const conn = pin(s, tx, node);
      conn.send(MULTI_CMD, null, 0);
      for (const b of tx.buffered) conn.send(b, null, 0);
      tx.buffered = [];
    } else if (tx.node !== null && tx.node !== node) {
      return flag(s, tx, CROSSSLOT);
    }
  }
  tx.count++;
  const conn = livePin(tx);
  if (conn !== null) return sendPinned(s, conn, argv);
  if (tx.conn !== null || tx.dirty) return flag(s, tx, encodeError(tx.node?.failText() ?? 'ERR transaction aborted'));
  tx.buffered.push(argv);
  s.reply(ENC.QUEUED);
}

export function exec(s: ClientSession): void {
  const tx = s.tx;
  if (tx === null || !tx.multi) return s.reply(encodeError('ERR EXEC without MULTI'));
  s.tx = null;
  if (tx.dirty) {
    if (tx.conn === null || tx.conn.closed) return s.reply(EXECABORT);
    // Discard on the node too, and give the connection back once everything queued is answered.
    s.holdNext();
    return sendPinned(s, tx.conn, DISCARD_CMD, () => release(tx), EXECABORT);
  }
  let conn = tx.conn;
  if (conn === null) {
    if (tx.buffered.length === 0) return s.reply(ENC.EMPTY_ARRAY);
    const node = s.router.activeNodes.find((n) => !n.isDown);
    if (node === undefined) return s.reply(encodeError('CLUSTERDOWN No node is reachable'));
    conn = pin(s, tx, node);
    conn.send(MULTI_CMD, null, 0);
    for (const b of tx.buffered) conn.send(b, null, 0);
    tx.buffered = [];
  }
  s.holdNext();
  sendPinned(s, conn, '*1\r\n$4\r\nEXEC\r\n', (buf, start) => {
    // EXEC ran: a queued SELECT now applies to the client (not on *-1 / _ : WATCH aborted it).
    if (buf !== null && tx.selectDb >= 0 && buf[start] === 42 && buf[start + 1] !== 45) s.db = tx.selectDb;
    release(tx);
  });
}

export function discard(s: ClientSession): void {
  const tx = s.tx;
  if (tx === null || !tx.multi) return s.reply(encodeError('ERR DISCARD without MULTI'));
  s.tx = null;
  const conn = livePin(tx);
  if (conn === null) {
    tx.conn?.destroy('discarded');
    return s.reply(ENC.OK);
  }
  s.holdNext();
  sendPinned(s, conn, DISCARD_CMD, () => release(tx));
}

/** WATCH key [key ...] outside MULTI (the caller answers WATCH inside MULTI). */
export function watch(s: ClientSession, argv: Bytes[], slot: number): void {
  if (slot === -2) return s.reply(CROSSSLOT);
  const node = s.router.nodeForSlot(slot);
  let tx = s.tx;
  if (tx !== null && tx.conn !== null && !tx.conn.closed) {
    if (tx.node !== node) return s.reply(CROSSSLOT);
    return sendPinned(s, tx.conn, argv);
  }
  if (node.isDown) return s.reply(encodeError(node.downText(s.router.rangeText(slot))));
  tx = new TxState();
  tx.watching = true;
  s.tx = tx;
  const conn = pin(s, tx, node);
  sendPinned(s, conn, argv);
}

/** UNWATCH outside MULTI. */
export function unwatch(s: ClientSession): void {
  const tx = s.tx;
  if (tx === null || tx.conn === null) {
    s.tx = null;
    return s.reply(ENC.OK);
  }
  s.tx = null;
  if (tx.conn.closed) return s.reply(ENC.OK);
  s.holdNext();
  sendPinned(s, tx.conn, '*1\r\n$7\r\nUNWATCH\r\n', () => release(tx));
}

/**
 * While watching (not in MULTI), commands for the pinned node go over the pinned connection so
 * they stay ordered with the WATCH. Returns the connection to use, or null for the shared lane.
 */
export function watchLane(s: ClientSession, node: UpstreamNode): Connection | null {
  const tx = s.tx;
  if (tx === null || tx.node !== node || tx.conn === null || tx.conn.closed) return null;
  return tx.conn;
}

/** SELECT while watching: the pinned connection follows the client's db. */
export function selectWhileWatching(s: ClientSession, db: number): void {
  const tx = s.tx;
  if (tx === null || tx.conn === null || tx.conn.closed) return;
  tx.conn.send(['SELECT', String(db)], null, 0);
  tx.connDbChanged = true;
}

/** Client gone or RESET: the pinned connection's state is unknown, so it is closed. */
export function closeTransaction(s: ClientSession): void {
  const tx = s.tx;
  s.tx = null;
  if (tx?.conn && !tx.conn.closed) tx.conn.destroy('transaction abandoned');
}
