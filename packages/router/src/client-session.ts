/**
 * One client connection to the router: its protocol state (db, RESP version, name, auth), its
 * queue of commands in flight (pending.ts) and its output.
 *
 * Input is pulled from RequestParser one command at a time, so flow control is simply "stop
 * pulling": the session stops when
 *  - a command needs the client's earlier commands finished first (a barrier: switching to a
 *    dedicated connection for WATCH/MULTI/blocking, SELECT, HELLO, subscriptions), or a command
 *    that must finish before the next one starts is in flight (a blocking command);
 *  - `maxQueuedCommands` are in flight;
 *  - the client is not reading its replies (socket buffer above OUTPUT_HIGH_WATER).
 * The socket keeps reading meanwhile, so a client that disconnects while blocked is noticed and
 * its dedicated connection closed; only a flood of unread input pauses the socket itself.
 *
 * A client in the plain state (authenticated, no MULTI/WATCH, no subscriptions) gets each command
 * raw (RequestParser.nextRaw: byte offsets, no strings), so the commands most clients send (one key,
 * or a splittable MGET/MSET/DEL...) are passed on by copying their bytes (route.ts executeRaw);
 * everything else is made into argv first.
 *
 * Output: replies are appended as Buffers (node bytes) or latin1 strings (router-made) and
 * written once per event-loop turn (flush.ts), straight to the socket's handle (direct-write.ts).
 */
import type net from 'node:net';
import { RAW_TAKEN, RAW_WAIT, RawCommand, RequestParser, type Bytes, type GatherBuffer, type Proto } from '@swarmkv/resp';
import { markDirty, type Flushable } from './flush.js';
import { Pending } from './pending.js';
import type { Router } from './router.js';
import type { Connection } from './upstream/connection.js';
import type { TxState } from './transaction.js';
import type { PubsubState } from './pubsub.js';
import { execute, executeRaw } from './route.js';
import { readAcceptedSocket, type AcceptedReader } from './direct-read.js';
import { DirectWriter } from './direct-write.js';

/** Stop pulling commands while this many reply bytes wait in the socket. */
const OUTPUT_HIGH_WATER = 4 * 1024 * 1024;
/** A reply list longer than this is not kept for the next turn. */
const OUT_KEEP_MAX = 1024;
/** A reply this big is written on its own instead of being copied together with the others. */
const WRITE_APART_MIN = 16 * 1024;

/** out[from, to) copied into one Buffer of `size` bytes. */
function concat(out: readonly (Buffer | string | null)[], from: number, to: number, size: number): Buffer {
  const buf = Buffer.allocUnsafe(size);
  let off = 0;
  for (let i = from; i < to; i++) {
    const o = out[i]!;
    if (typeof o === 'string') off += buf.latin1Write(o, off);
    else off += o.copy(buf, off);
  }
  return buf;
}
/** Pause the socket while this many bytes of input wait unparsed (client-query-buffer-limit is 1 GB). */
const INPUT_HIGH_WATER = 64 * 1024 * 1024;

export class ClientSession implements Flushable {
  readonly id: number;
  readonly router: Router;
  readonly socket: net.Socket;
  private readonly reader: AcceptedReader;
  readonly parser: RequestParser;
  /** The command being run when it was taken raw (see pump). */
  private readonly rawCommand = new RawCommand();
  readonly writer: DirectWriter;
  readonly createdAt = Date.now();
  private addrs: [string, string] | null = null;

  db = 0;
  proto: Proto = 2;
  name: Bytes = '';
  authenticated: boolean;
  lastCommand = '';
  lastActive = Date.now();

  dirty = false;
  closed = false;
  /** QUIT or a protocol error: write what is queued, then close. */
  closing = false;

  // Queue of commands in flight, oldest first.
  private head: Pending | null = null;
  private tail: Pending | null = null;
  queued = 0;

  // Output not yet written.
  // (out[0, outCount); the array is kept between turns: `length = 0` would free its storage.)
  private out: (Buffer | string | null)[] = [];
  private outCount = 0;
  /**
   * Pool entries holding bytes in `out` (gather-pool.ts), released once written: at the end of
   * writeOut, or when the socket drains if it kept some bytes. (Dropped unreleased if the client
   * goes: the buffers are then left to the garbage collector.)
   */
  private lentOut: GatherBuffer[] = [];
  private lentUnwritten: GatherBuffer[] = [];

  /** A command waiting for the queue to empty before it runs (a barrier). */
  private held: Bytes[] | null = null;
  /** Set by a command that must finish before the next one runs (blocking commands). */
  private exclusive = false;
  private pumping = false;
  private socketPaused = false;

  /** MULTI/WATCH state (transaction.ts), pub/sub state (pubsub.ts), blocking connection. */
  tx: TxState | null = null;
  pubsub: PubsubState | null = null;
  blockedConn: Connection | null = null;

  /** `socket` must be accepted with `pauseOnConnect` (see direct-read.ts). */
  constructor(router: Router, accepted: net.Socket, id: number) {
    this.authenticated = router.config.requirepass === undefined;
    this.parser = new RequestParser({ authRequired: !this.authenticated, pool: router.gatherPool });
    const reader = readAcceptedSocket(accepted, {
      onBytes: (chunk) => this.onData(chunk),
      onBytesCopy: (src, n) => this.onDataCopy(src, n),
      readTarget: () => this.parser.readTarget(),
      onBytesInPlace: (target, n) => this.onDataInPlace(target, n),
    });
    const socket = reader.socket;
    this.reader = reader;
    this.router = router;
    this.socket = socket;
    this.id = id;
    socket.setNoDelay(true);
    this.writer = new DirectWriter(socket, () => {
      this.releaseLent(this.lentUnwritten);
      this.pump();
    });
    socket.on('error', () => this.close());
    socket.on('close', () => this.close());
  }

  /** The client's address and ours (for CLIENT LIST and logs), asked of the socket once, when first needed. */
  get addr(): string {
    return (this.addrs ??= this.readAddrs())[0];
  }

  get laddr(): string {
    return (this.addrs ??= this.readAddrs())[1];
  }

  private readAddrs(): [string, string] {
    const s = this.socket;
    return [`${s.remoteAddress}:${s.remotePort}`, `${s.localAddress}:${s.localPort}`];
  }

  // --- Input ---

  private onData(chunk: Buffer): void {
    if (this.closing) return;
    this.parser.feed(chunk);
    this.afterInput();
  }

  /** A read's bytes in the shared read buffer (direct-read.ts): the parser copies them. */
  private onDataCopy(src: Uint8Array, n: number): void {
    if (this.closing) return;
    this.parser.feedCopy(src, n);
    this.afterInput();
  }

  /** A read went straight into the parser's buffer (direct-read.ts). */
  private onDataInPlace(target: Uint8Array, n: number): void {
    this.parser.fedInPlace(target, n);
    if (this.closing) return;
    this.afterInput();
  }

  private afterInput(): void {
    if (this.parser.pendingBytes > INPUT_HIGH_WATER && !this.socketPaused) {
      this.socketPaused = true;
      this.reader.pause();
    }
    this.pump();
  }

  /** Runs commands until input runs out or flow control says stop. */
  pump(): void {
    if (this.pumping || this.closed) return;
    this.pumping = true;
    try {
      const maxQueued = this.router.config.maxQueuedCommands;
      // Replies are written at the end of the turn, so the socket's backlog cannot change in here.
      const unread = this.writer.queuedBytes > OUTPUT_HIGH_WATER;
      while (!this.closing && !this.closed) {
        if (this.held !== null) {
          if (this.head !== null) break;
          const argv = this.held;
          this.held = null;
          this.run(argv);
          continue;
        }
        if (this.exclusive) {
          if (this.head !== null) break;
          this.exclusive = false;
        }
        if (this.queued >= maxQueued || unread) break;
        // A client in the plain state gets its command raw: most are passed on without strings.
        if (this.authenticated && this.tx === null && this.pubsub === null) {
          const taken = this.parser.nextRaw(this.rawCommand);
          if (taken === RAW_TAKEN) {
            this.router.stats.commands++;
            this.runRaw(this.rawCommand);
            this.rawCommand.done();
            continue;
          }
          if (taken === RAW_WAIT) break;
        }
        const argv = this.parser.next();
        if (argv === null) {
          if (this.parser.error !== null) this.protocolError(this.parser.error);
          break;
        }
        this.router.stats.commands++;
        this.run(argv);
      }
    } finally {
      this.pumping = false;
    }
    if (this.socketPaused && this.parser.pendingBytes < INPUT_HIGH_WATER / 2) {
      this.socketPaused = false;
      this.reader.resume();
    }
  }

  /** One command; an exception here is a router bug: logged, answered, the connection kept. */
  private run(argv: Bytes[]): void {
    try {
      execute(this, argv);
    } catch (e) {
      this.router.log.error({ err: e, command: argv[0]?.slice(0, 64), client: this.id }, 'internal error while routing a command');
      this.reply('-ERR internal error\r\n');
    }
  }

  private runRaw(cmd: RawCommand): void {
    try {
      executeRaw(this, cmd);
    } catch (e) {
      this.router.log.error({ err: e, command: cmd.arg(0).slice(0, 64), client: this.id }, 'internal error while routing a command');
      this.reply('-ERR internal error\r\n');
    }
  }

  /**
   * Called by a command that must not start before the client's earlier commands are answered.
   * Returns true when it may run now; otherwise the command is kept and run again later.
   */
  barrier(argv: Bytes[]): boolean {
    if (this.head === null) return true;
    this.held = argv;
    return false;
  }

  /** The next command waits until everything queued so far (e.g. a blocking command) is answered. */
  holdNext(): void {
    this.exclusive = true;
  }

  private protocolError(message: string): void {
    this.reply('-ERR ' + message + '\r\n');
    this.closing = true;
    markDirty(this);
  }

  /** QUIT: answer, then close once everything before it has been written. */
  quit(reply: string): void {
    this.reply(reply);
    this.closing = true;
    markDirty(this);
  }

  // --- Replies in order ---

  enqueue(p: Pending): void {
    if (this.tail === null) this.head = p;
    else this.tail.next = p;
    this.tail = p;
    this.queued++;
  }

  complete(p: Pending, out: Buffer | string, lent: GatherBuffer | null = null): void {
    p.out = out;
    p.lent = lent;
    p.done = true;
    if (p === this.head) this.drainHead();
  }

  /** A reply the router made: written now if nothing is queued, else queued behind the rest. */
  reply(out: string | Buffer): void {
    if (this.head === null) {
      this.write(out);
      return;
    }
    const p = new Pending(this);
    p.out = out;
    p.done = true;
    this.enqueue(p);
  }

  /** Out-of-band output (pub/sub messages): after whatever is queued, without waiting for it. */
  push(out: string | Buffer): void {
    this.reply(out);
  }

  private drainHead(): void {
    let p = this.head;
    while (p !== null && p.done) {
      this.write(p.out!);
      if (p.lent !== null) {
        this.lentOut.push(p.lent);
        p.lent = null;
      }
      p.out = null;
      const next = p.next;
      p.next = null;
      p = next;
      this.queued--;
    }
    this.head = p;
    if (p === null) {
      this.tail = null;
      // Commands held behind a barrier can run now.
      if (this.held !== null || this.exclusive) markDirty(this);
    }
  }

  get idle(): boolean {
    return this.head === null;
  }

  private write(out: Buffer | string): void {
    if (this.closed) return;
    this.out[this.outCount++] = out;
    markDirty(this);
  }

  flush(): void {
    if (this.closed) return;
    if (!this.writeOut()) return;
    if (this.closing) {
      if (this.head === null) this.socket.end();
      return;
    }
    if (this.held !== null || this.exclusive || this.parser.inCommand) this.pump();
  }

  /** Writes the replies gathered so far; false if the client was closed for its backlog. */
  private writeOut(): boolean {
    if (this.closed) return false;
    const out = this.out;
    const count = this.outCount;
    if (count > 0) {
      // Runs of small replies are copied into one Buffer; a big reply is written as it is.
      let i = 0;
      let kept = false;
      while (i < count) {
        let j = i;
        let size = 0;
        while (j < count && out[j]!.length < WRITE_APART_MIN) size += out[j++]!.length;
        if (j - i === 1) kept = this.writer.write(out[i]!) || kept;
        else if (j > i) this.writer.write(concat(out, i, j, size));
        if (j < count) kept = this.writer.write(out[j++]!) || kept;
        i = j;
      }
      if (this.lentOut.length > 0) {
        // Lent bytes are free once the kernel has them: now, or when the socket drains.
        if (kept || this.lentUnwritten.length > 0) {
          for (const l of this.lentOut) this.lentUnwritten.push(l);
          this.lentOut.length = 0;
        } else this.releaseLent(this.lentOut);
      }
      this.outCount = 0;
      if (count > OUT_KEEP_MAX) this.out = [];
      else for (let i = 0; i < count; i++) out[i] = null;
      const limit = this.pubsub !== null ? this.router.config.pubsubOutputBufferLimit : this.router.config.clientOutputBufferLimit;
      if (limit > 0 && this.writer.queuedBytes > limit) {
        this.router.log.warn({ client: this.id, addr: this.addr, bytes: this.writer.queuedBytes }, 'client output buffer limit reached: closing the client');
        this.socket.destroy();
        this.close();
        return false;
      }
    }
    return true;
  }

  private releaseLent(list: GatherBuffer[]): void {
    for (let i = 0; i < list.length; i++) list[i]!.release();
    list.length = 0;
  }

  // --- Teardown ---

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.out = [];
    this.outCount = 0;
    this.lentOut = [];
    this.lentUnwritten = [];
    if (!this.socket.destroyed) this.socket.destroy();
    // A client that leaves while blocked frees its connection: closing it ends the wait on the node.
    if (this.blockedConn !== null) {
      this.blockedConn.destroy('client disconnected while blocked');
      this.blockedConn = null;
    }
    this.router.sessionClosed(this);
  }
}
