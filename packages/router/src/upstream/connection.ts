/**
 * One TCP connection to a node, pipelined.
 *
 * Requests are encoded into an output buffer (request-buffer.ts) and written once per event-loop
 * turn (flush.ts);
 * each request leaves a (sink, part) pair in a FIFO, and each reply read back is handed, as the
 * raw byte range ReplyParser found, to the pair at the head of the FIFO. Nothing is decoded or
 * re-encoded on the way: a GET's bulk reaches the client as the bytes the node wrote.
 *
 * A connection first runs its handshake (AUTH with --node-password, HELLO 3 for RESP3 pools,
 * SELECT for databases other than 0) and holds requests back until every handshake reply is in:
 * a failed SELECT must not let commands run in database 0.
 *
 * The host is resolved by `net.connect` on every connect, so a docker service name that moved
 * to another address is found again on reconnect.
 *
 * Kinds: 'shared' (pool, many clients), 'dedicated' (one client: MULTI/WATCH/blocking),
 * 'pubsub' (one client's subscriptions on one node: every frame goes to `onPush`), 'health'.
 */
import net from 'node:net';
import type { Logger } from 'pino';
import { ReplyParser, type ByteRange, type GatherBuffer, type GatherPool, type RawCommand } from '@swarmkv/resp';
import { markUpstreamDirty, type Flushable } from '../flush.js';
import { encodeCommand } from './encode-command.js';
import { RequestBuffer } from './request-buffer.js';
import { directRead, type ReadConsumer } from '../direct-read.js';
import { DirectWriter } from '../direct-write.js';

export interface ReplySink {
  /**
   * A complete reply, bytes buf[start, end), which the sink may keep. `lent` is set when buf was
   * lent by the gather pool: a hold was taken for the sink, and a sink that knows when it is done
   * with the bytes releases it (then buf may be reused); one that never does only keeps the
   * buffer from being reused.
   */
  onReply(part: number, buf: Buffer, start: number, end: number, lent?: GatherBuffer | null): void;
  /** The connection was lost before the reply came; `error` is an error line without '-' and CRLF. */
  onFail(part: number, error: string): void;
}

/**
 * A request: an argument vector (encoded when queued), or RESP already encoded: a latin1
 * string, or bytes (a client's command kept as it came).
 */
export type Request = string | readonly string[] | ByteRange;

export type ConnectionKind = 'shared' | 'dedicated' | 'pubsub' | 'health';

export interface ConnectionOptions {
  host: string;
  port: number;
  /** Lends the buffers big replies are gathered in. */
  gatherPool?: GatherPool;
  db: number;
  /** 2 or 3 */
  proto: number;
  password: string | undefined;
  connectTimeoutMs: number;
  kind: ConnectionKind;
  log: Logger;
  /** The error sent to requests still waiting when the connection dies. */
  failText: () => string;
  /** Called once, when the connection is closed for any reason. */
  onClose: (conn: Connection, reason: string, byUs: boolean) => void;
  /** Called once the handshake is done. */
  onReady?: (conn: Connection) => void;
  /** 'pubsub' connections: every frame read after the handshake. */
  onPush?: (buf: Buffer, start: number, end: number) => void;
}

const HANDSHAKE = -1;
const CH_MINUS = 45; // '-'
const CH_PUSH = 62; // '>'
/** Compact the FIFO arrays once this many consumed entries sit at their front. */
const FIFO_COMPACT_AT = 4096;
/** FIFO arrays longer than this are not kept once it empties. */
const FIFO_KEEP_MAX = 16384;
/** A batch of fewer requests than this may wait one more poll before it is written (flush.ts). */
const WAIT_BELOW = 16;

export class Connection implements Flushable, ReplySink, ReadConsumer {
  readonly kind: ConnectionKind;
  readonly db: number;
  readonly proto: number;
  dirty = false;
  ready = false;
  closed = false;
  /** Free slot for the owner (e.g. the pool index, or the session using a dedicated connection). */
  tag: unknown = null;

  private readonly socket: net.Socket;
  private readonly writer: DirectWriter;
  private readonly writeBytes = (bytes: Uint8Array): boolean => this.writer.write(bytes);
  private readonly parser: ReplyParser;
  private readonly opts: ConnectionOptions;
  private readonly out = new RequestBuffer();
  // The FIFO: entries [head, tail) wait for replies. The arrays are kept when it empties
  // (`length = 0` would free their storage and make every batch grow them again).
  private sinks: (ReplySink | null)[] = [];
  private parts: number[] = [];
  private head = 0;
  private tail = 0;
  /** Requests queued since the last write (see canWait). */
  private batched = 0;
  private handshakeLeft = 0;
  private handshakeError: string | null = null;

  constructor(opts: ConnectionOptions) {
    this.opts = opts;
    this.parser = new ReplyParser({ pool: opts.gatherPool });
    this.kind = opts.kind;
    this.db = opts.db;
    this.proto = opts.proto;
    const onread = directRead(this);
    const socket = net.connect({ host: opts.host, port: opts.port, noDelay: true, onread });
    onread.takeOver(socket);
    this.socket = socket;
    this.writer = new DirectWriter(socket, () => {});
    socket.setTimeout(opts.connectTimeoutMs);
    socket.on('connect', () => {
      socket.setTimeout(0);
      socket.setKeepAlive(true, 10_000);
    });
    socket.on('timeout', () => this.destroy(this.ready ? 'timeout' : 'connect timeout', false));
    socket.on('error', (err: NodeJS.ErrnoException) => this.destroy(err.code ?? err.message, false));
    socket.on('close', () => this.destroy('connection closed by the node', false));

    // Handshake, written first so it runs before anything else on this connection.
    let hs = '';
    if (opts.password !== undefined) hs += this.handshake(['AUTH', opts.password]);
    if (opts.proto === 3) hs += this.handshake(['HELLO', '3']);
    if (opts.db !== 0) hs += this.handshake(['SELECT', String(opts.db)]);
    if (hs.length > 0) this.writer.write(hs);
    else this.becomeReady();
  }

  /** Requests waiting for a reply. */
  get pending(): number {
    return this.tail - this.head;
  }

  /** Queues one request; its reply goes to sink.onReply(part, ...). */
  send(request: Request, sink: ReplySink | null, part: number): void {
    if (!this.expectReply(sink, part)) return;
    if (typeof request === 'string') this.out.appendEncoded(request);
    else if (Array.isArray(request)) this.out.appendCommand(request as readonly string[]);
    else this.out.appendRaw((request as ByteRange).buf, (request as ByteRange).start, (request as ByteRange).end);
    if (this.ready) markUpstreamDirty(this);
  }

  /** Queues one part of a client's raw multi-key command (RequestBuffer.appendPart). */
  sendPart(cmd: RawCommand, keyIdx: readonly number[], from: number, to: number, step: number, sink: ReplySink, part: number): void {
    if (!this.expectReply(sink, part)) return;
    this.out.appendPart(cmd, keyIdx, from, to, step);
    if (this.ready) markUpstreamDirty(this);
  }

  /** Puts (sink, part) in the FIFO; on a closed connection fails it at once and returns false. */
  private expectReply(sink: ReplySink | null, part: number): boolean {
    if (this.closed) {
      sink?.onFail(part, this.opts.failText());
      return false;
    }
    this.sinks[this.tail] = sink;
    this.parts[this.tail++] = part;
    this.batched++;
    return true;
  }

  /** A small batch may wait one more poll for company (flush.ts); a pipelined load's may not. */
  canWait(): boolean {
    return this.batched < WAIT_BELOW;
  }

  flush(): void {
    if (this.out.empty || this.closed || !this.ready) return;
    this.batched = 0;
    // Written at once (the usual case), the buffer is free again; else the socket holds it.
    this.out.writeTo(this.writeBytes);
  }

  /** Closes the connection; waiting sinks get the fail text. */
  destroy(reason: string, byUs = true): void {
    if (this.closed) return;
    this.closed = true;
    this.ready = false;
    this.out.clear();
    this.socket.destroy();
    const sinks = this.sinks;
    const parts = this.parts;
    const from = this.head;
    const to = this.tail;
    this.sinks = [];
    this.parts = [];
    this.head = 0;
    this.tail = 0;
    if (from < to) {
      const text = this.handshakeError ?? this.opts.failText();
      for (let i = from; i < to; i++) sinks[i]?.onFail(parts[i]!, text);
    }
    this.opts.onClose(this, this.handshakeError ?? reason, byUs);
  }

  /** Stop/resume reading (pub/sub connections whose client is not draining). */
  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  get remoteAddress(): string | undefined {
    return this.socket.remoteAddress;
  }

  // --- Handshake (the connection is its own sink for these replies) ---

  private handshake(argv: string[]): string {
    this.handshakeLeft++;
    this.expectReply(this, HANDSHAKE);
    return encodeCommand(argv);
  }

  onReply(_part: number, buf: Buffer, start: number, end: number): void {
    if (buf[start] === CH_MINUS && this.handshakeError === null) {
      this.handshakeError = buf.latin1Slice(start + 1, end - 2);
    }
    if (--this.handshakeLeft === 0) {
      if (this.handshakeError !== null) {
        this.opts.log.warn({ error: this.handshakeError, kind: this.kind, db: this.db }, 'node refused the connection handshake');
        this.destroy('handshake failed', false);
      } else {
        this.becomeReady();
      }
    }
  }

  onFail(): void {
    // The connection died during the handshake: destroy() reports it to the owner.
  }

  private becomeReady(): void {
    this.ready = true;
    if (!this.out.empty) markUpstreamDirty(this);
    this.opts.onReady?.(this);
  }

  // --- Replies ---

  // --- ReadConsumer (direct-read.ts) ---

  onBytes(chunk: Buffer): void {
    this.parser.feed(chunk);
    this.takeReplies();
  }

  onBytesCopy(src: Uint8Array, n: number): void {
    this.parser.feedCopy(src, n);
    this.takeReplies();
  }

  readTarget(): Uint8Array | null {
    return this.parser.readTarget();
  }

  onBytesInPlace(target: Uint8Array, n: number): void {
    this.parser.fedInPlace(target, n);
    this.takeReplies();
  }

  private takeReplies(): void {
    const parser = this.parser;
    for (;;) {
      const n = parser.next();
      if (n === false) break;
      const buf = parser.buf;
      const start = parser.start;
      const end = parser.end;
      if (this.head < this.tail && this.sinks[this.head] === this) {
        this.head++;
        this.onReply(HANDSHAKE, buf, start, end);
        if (this.closed) return;
        continue;
      }
      if (this.kind === 'pubsub') {
        parser.lent?.hold(); // never released: pushed messages may be kept (the buffer is then not reused)
        this.opts.onPush?.(buf, start, end);
        if (this.closed) return;
        continue;
      }
      if (buf[start] === CH_PUSH) continue; // out-of-band RESP3 push: not a reply to anything here
      if (this.head >= this.tail) {
        this.opts.log.error({ kind: this.kind }, 'reply without a request: closing the node connection');
        this.destroy('protocol desync', false);
        return;
      }
      const sink = this.sinks[this.head];
      const part = this.parts[this.head]!;
      this.sinks[this.head] = null;
      this.head++;
      const lent = parser.lent;
      lent?.hold(); // for the sink (see ReplySink)
      try {
        sink?.onReply(part, buf, start, end, lent);
      } catch (e) {
        // A router bug: keep the connection and the other clients' replies flowing.
        this.opts.log.error({ err: e, kind: this.kind }, 'internal error while handling a node reply');
      }
      if (this.closed) return;
    }
    if (parser.error !== null) {
      this.opts.log.error({ error: parser.error }, 'unparsable reply from node: closing the connection');
      this.destroy('protocol error', false);
      return;
    }
    // Reset or compact the FIFO so it does not grow under a connection that is never idle.
    if (this.head === this.tail) {
      this.head = 0;
      this.tail = 0;
      if (this.sinks.length > FIFO_KEEP_MAX) {
        this.sinks = [];
        this.parts = [];
      }
    } else if (this.head >= FIFO_COMPACT_AT) {
      const live = this.tail - this.head;
      this.sinks.copyWithin(0, this.head, this.tail);
      this.parts.copyWithin(0, this.head, this.tail);
      this.sinks.fill(null, live, this.tail);
      this.head = 0;
      this.tail = live;
    }
  }
}
