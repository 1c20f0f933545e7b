/**
 * One client connection's state: protocol, selected db, auth, MULTI queue, WATCHed keys,
 * subscriptions, CLIENT REPLY mode, blocking state and the pending output.
 *
 * The same class serves network connections (server.ts gives it a socket sink) and in-process
 * clients (testing.ts gives it a sink that keeps what was written), so every command takes the
 * same path through the dispatcher whichever way it arrived.
 *
 * Output is accumulated in `out` (already encoded RESP, latin1) and written by `flush()` once per
 * batch of commands: the requesting client's replies and any pub/sub pushes or unblock replies
 * other clients caused end up in order in one write.
 */
import type { Bytes } from '@swarmkv/resp';
import type { BlockRequest, ClientView } from '../commands/context.js';
import type { CommandEntry } from './command-table.js';
import type { NodeCtx } from './ctx.js';

/** Where a client's bytes go. */
export interface ClientSink {
  write(data: string): void;
  /** Bytes written but not yet accepted by the kernel (output buffer size). */
  readonly pendingBytes: number;
  close(): void;
  readonly remoteAddress: string;
  readonly localAddress: string;
  readonly fd: number;
}

/** A sink that keeps everything written (in-process clients). */
export class MemorySink implements ClientSink {
  data = '';
  closed = false;
  readonly pendingBytes = 0;
  readonly fd = -1;
  constructor(
    readonly remoteAddress = '127.0.0.1:0',
    readonly localAddress = '127.0.0.1:0',
  ) {}
  write(data: string): void {
    this.data += data;
  }
  close(): void {
    this.closed = true;
  }
}

export const enum ReplyMode {
  On = 0,
  Off = 1,
  /** CLIENT REPLY SKIP was just executed: the next command's reply is dropped. */
  SkipNext = 2,
  /** The reply of the command being executed is dropped (then back to On). */
  Skip = 3,
}

/** A key a client WATCHes. */
export interface WatchedKey {
  readonly dbId: number;
  readonly key: Bytes;
  /** Whether the key was already logically expired when WATCHed (Redis 7: expiring later breaks the WATCH). */
  readonly expiredAtWatch: boolean;
}

/** A client blocked by BLPOP & co. */
export interface BlockedState {
  readonly req: BlockRequest;
  readonly dbId: number;
  /** The command as sent (CLIENT LIST cmd=, stats). */
  readonly cmdName: string;
  readonly since: number;
}

/** A command queued by MULTI, already looked up. */
export interface QueuedCommand {
  readonly entry: CommandEntry;
  readonly argv: Bytes[];
}

export class Client implements ClientView {
  /** This client's handler context (set by NodeCore.createClient). */
  ctx!: NodeCtx;
  protocol: 2 | 3 = 2;
  name: Bytes | undefined = undefined;
  dbIndex = 0;
  authenticated: boolean;

  /** Commands queued by MULTI; null when not in a transaction. */
  multiQueue: QueuedCommand[] | null = null;
  /** A command failed to queue: EXEC answers EXECABORT. */
  multiError = false;
  /** A WATCHed key was touched: EXEC answers a nil array. */
  dirtyCas = false;
  /** True while EXEC runs the queue (ClientView.inMulti stays true, so blocking commands do not block). */
  inExec = false;
  watched: WatchedKey[] = [];

  channels: Set<Bytes> | null = null;
  patterns: Set<Bytes> | null = null;
  shardChannels: Set<Bytes> | null = null;

  replyMode: ReplyMode = ReplyMode.On;
  blocked: BlockedState | null = null;
  noEvict = false;
  noTouch = false;
  libName = '';
  libVer = '';

  /** Encoded RESP waiting for flush(). */
  out = '';
  closed = false;
  /** Close after flushing what is pending (QUIT, protocol errors). */
  closeAfterReply = false;
  readonly createdAt: number;
  lastInteraction: number;
  /** Name of the last command, lower case, `container|sub` (CLIENT LIST cmd=). */
  lastCmd = 'NULL';
  /** pub/sub output-buffer soft limit: when the soft limit was first exceeded (0 = not now). */
  softLimitSince = 0;
  /** Bytes received but not yet parsed into a command (CLIENT LIST qbuf), kept by the server. */
  qbuf = 0;
  /** Set by the network server: carry on with buffered commands (after unblocking, pauses). */
  resume: (() => void) | null = null;

  constructor(
    readonly id: number,
    readonly sink: ClientSink,
    requirePass: boolean,
    now: number,
  ) {
    this.authenticated = !requirePass;
    this.createdAt = now;
    this.lastInteraction = now;
  }

  get inMulti(): boolean {
    return this.multiQueue !== null || this.inExec;
  }

  /** Channels + patterns + shard channels (the count SUBSCRIBE & co. reply with, and "in pub/sub mode"). */
  subscriptionCount(): number {
    return (this.channels?.size ?? 0) + (this.patterns?.size ?? 0) + (this.shardChannels?.size ?? 0);
  }

  /** RESP2 clients with subscriptions may only run the subscribe family, PING, QUIT and RESET. */
  inPubSubContext(): boolean {
    return this.protocol === 2 && this.subscriptionCount() > 0;
  }

  /** Write pending output to the sink. */
  flush(): void {
    if (this.out.length === 0 || this.closed) {
      this.out = '';
      return;
    }
    const data = this.out;
    this.out = '';
    this.sink.write(data);
  }

  /** Output that has been produced but not yet delivered (CLIENT LIST omem, pub/sub limits). */
  outputBytes(): number {
    return this.out.length + this.sink.pendingBytes;
  }
}
