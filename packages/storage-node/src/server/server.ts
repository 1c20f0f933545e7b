/**
 * The TCP side of a node: accepts connections, turns bytes into commands with @swarmkv/resp's
 * RequestParser, runs every complete command of a chunk, and writes all their replies with a
 * single socket.write per chunk (what makes pipelining cheap).
 *
 * Redis's connection rules: maxclients (`-ERR max number of clients reached` then close), a
 * protocol error answers `-ERR Protocol error: ...` after the commands before it and closes,
 * QUIT closes after its reply. A client that stops reading makes us stop reading from it
 * (socket backpressure); pub/sub clients are disconnected past client-output-buffer-limit.
 */
import net from 'node:net';
import type { Logger } from 'pino';
import { RequestParser, type Bytes } from '@swarmkv/resp';
import type { NodeConfig } from '../config.js';
import type { Client, ClientSink } from './client.js';
import { NodeCore, type DatabasesFactory } from './core.js';
import { createDatabases } from './databases.js';
import { Cron } from './cron.js';
import type { HandlerTable } from '../commands/context.js';

const MAX_CLIENTS_REACHED = '-ERR max number of clients reached\r\n';
/** Redis's client-query-buffer-limit default (1 GB). */
const DEFAULT_QUERY_BUFFER_LIMIT = 1024 * 1024 * 1024;
/** Stop reading from a client while this much of its output is still unsent. */
const OUTPUT_HIGH_WATER = 4 * 1024 * 1024;
/**
 * Commands one client may run before the others get a turn. Redis reads at most 16 KB of a
 * client per event-loop pass, which bounds what a deep pipeline can make everyone else wait;
 * here Node may hand us megabytes in one go, so we count commands and yield with setImmediate.
 */
const COMMANDS_PER_TURN = 500;
/**
 * A turn also ends once it has run this long (checked every TURN_CLOCK_EVERY commands): while
 * code is still cold, or a command is slow, 500 commands took 20 ms at a node's start.
 */
const TURN_MAX_MS = 2;
const TURN_CLOCK_EVERY = 64;

function formatAddr(ip: string | undefined, port: number | undefined): string {
  const host = ip ?? '?';
  return host.includes(':') ? `[${host}]:${port ?? 0}` : `${host}:${port ?? 0}`;
}

/** Like Redis's close-after-reply: flush what is queued, then close the socket both ways. */
function closeAfterWrite(socket: net.Socket): void {
  socket.end(() => socket.destroy());
}

class SocketSink implements ClientSink {
  readonly remoteAddress: string;
  readonly localAddress: string;
  readonly fd: number;

  constructor(
    private readonly socket: net.Socket,
    private readonly core: NodeCore,
  ) {
    this.remoteAddress = formatAddr(socket.remoteAddress, socket.remotePort);
    this.localAddress = formatAddr(socket.localAddress, socket.localPort);
    this.fd = (socket as unknown as { _handle?: { fd?: number } })._handle?.fd ?? -1;
  }

  write(data: string): void {
    this.core.stats.netOutputBytes += data.length;
    this.socket.write(data, 'latin1');
  }

  get pendingBytes(): number {
    return this.socket.writableLength;
  }

  close(): void {
    this.socket.destroy();
  }
}

/** One accepted connection. */
class Connection {
  readonly client: Client;
  private readonly parser: RequestParser;
  private processing = false;
  /** Used up its turn: the rest of its buffered commands run from setImmediate. */
  private yielded = false;
  /** A write command read while CLIENT PAUSE WRITE holds it back. */
  private held: Bytes[] | null = null;
  private pauseTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly socket: net.Socket,
    private readonly core: NodeCore,
  ) {
    socket.setNoDelay(true);
    const keepAlive = Number(core.config.redis['tcp-keepalive'] ?? '300');
    if (keepAlive > 0) socket.setKeepAlive(true, keepAlive * 1000);
    this.client = core.createClient(new SocketSink(socket, core));
    this.parser = new RequestParser({
      maxBulkLen: core.config.protoMaxBulkLen,
      authRequired: !this.client.authenticated,
    });
    this.client.resume = () => this.process();
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('drain', () => {
      if (socket.isPaused()) {
        socket.resume();
        this.process();
      }
    });
    socket.on('close', () => this.onClose());
    socket.on('error', () => {
      /* ECONNRESET and friends: 'close' follows and cleans up. */
    });
  }

  private onData(chunk: Buffer): void {
    const core = this.core;
    core.stats.netInputBytes += chunk.length;
    this.client.lastInteraction = Date.now();
    this.parser.feed(chunk);
    // client-query-buffer-limit: a client that sends more than this without completing a command
    // (or while blocked) is dropped, as Redis does.
    if (this.parser.pendingBytes > this.queryBufferLimit()) {
      core.log.warn({ client: this.client.id }, 'closing client that reached max query buffer length');
      core.killClient(this.client);
      return;
    }
    this.process();
  }

  private queryBufferLimit(): number {
    const v = this.core.config.redis['client-query-buffer-limit'];
    return v === undefined ? DEFAULT_QUERY_BUFFER_LIMIT : Number(v);
  }

  /** Run the complete buffered commands (up to a turn's worth), then write all replies at once. */
  process(): void {
    const c = this.client;
    if (this.processing || this.yielded || c.closed) return;
    this.processing = true;
    const core = this.core;
    const parser = this.parser;
    parser.maxBulkLen = core.config.protoMaxBulkLen;
    const dispatcher = core.dispatcher;
    let budget = COMMANDS_PER_TURN;
    const turnStarted = performance.now();
    try {
      while (c.blocked === null && !c.closeAfterReply) {
        if (--budget < 0 || (budget % TURN_CLOCK_EVERY === 0 && performance.now() - turnStarted > TURN_MAX_MS)) {
          this.yieldTurn();
          break;
        }
        if (core.pauseUntil !== 0 && !core.pauseWritesOnly && this.paused()) break;
        const argv = this.held ?? parser.next();
        this.held = null;
        if (argv !== null && core.pauseUntil !== 0 && core.pauseWritesOnly && dispatcher.isWrite(c, argv) && this.paused()) {
          this.held = argv;
          break;
        }
        if (argv === null) {
          if (parser.error !== null) {
            c.out += `-ERR ${parser.error}\r\n`;
            c.closeAfterReply = true;
          }
          break;
        }
        dispatcher.execute(c, argv);
        // Redis's tighter limits for unauthenticated clients follow AUTH, RESET and CONFIG SET.
        parser.authRequired = !c.authenticated && core.config.requirepass !== '';
      }
    } finally {
      this.processing = false;
    }
    c.qbuf = parser.pendingBytes;
    if (c.out.length !== 0) c.flush();
    if (core.fastExpireWanted) core.beforeSleep();
    core.flushPending();
    if (c.closeAfterReply) {
      closeAfterWrite(this.socket);
      core.removeClient(c);
    } else if (this.socket.writableLength > OUTPUT_HIGH_WATER && !this.socket.isPaused()) {
      this.socket.pause();
    }
  }

  /** Let other clients run; stop reading meanwhile so that the buffered input stays bounded. */
  private yieldTurn(): void {
    this.yielded = true;
    const socket = this.socket;
    const readingStopped = !socket.isPaused();
    if (readingStopped) socket.pause();
    setImmediate(() => {
      this.yielded = false;
      if (this.client.closed) return;
      if (readingStopped && socket.writableLength <= OUTPUT_HIGH_WATER) socket.resume();
      this.process();
    });
  }

  /** CLIENT PAUSE in force: try again when it ends. */
  private paused(): boolean {
    const left = this.core.pauseUntil - Date.now();
    if (left <= 0) {
      this.core.pauseUntil = 0;
      return false;
    }
    if (this.pauseTimer === null) {
      this.pauseTimer = setTimeout(() => {
        this.pauseTimer = null;
        this.process();
      }, left);
    }
    return true;
  }

  private onClose(): void {
    if (this.pauseTimer !== null) clearTimeout(this.pauseTimer);
    this.client.resume = null;
    this.core.removeClient(this.client);
  }
}

export interface NodeServerOptions {
  createDbs?: DatabasesFactory;
  log?: Logger;
  /** Another handler table (tests). */
  handlers?: HandlerTable;
}

/** A listening storage node. */
export class NodeServer {
  readonly core: NodeCore;
  private readonly servers: net.Server[] = [];
  private readonly sockets = new Set<net.Socket>();
  private readonly cron: Cron;
  private closing: Promise<void> | null = null;

  constructor(config: NodeConfig, opts: NodeServerOptions = {}) {
    this.core = new NodeCore(config, opts.createDbs ?? createDatabases, opts.log, opts.handlers);
    this.cron = new Cron(this.core);
  }

  get config(): NodeConfig {
    return this.core.config;
  }

  /** Listen on every bind address; resolves with the port actually bound (port 0 picks one). */
  async listen(): Promise<number> {
    const addresses = this.config.bind.split(/\s+/).filter((a) => a.length > 0);
    let port = this.config.port;
    for (const addr of addresses) {
      const host = addr.startsWith('-') ? addr.slice(1) : addr; // Redis's "-::*" = optional address
      const srv = net.createServer({ noDelay: true }, (socket) => this.accept(socket));
      await new Promise<void>((resolve, reject) => {
        srv.once('error', reject);
        srv.listen({ port, host: host === '*' ? '0.0.0.0' : host, backlog: 511 }, () => {
          srv.off('error', reject);
          resolve();
        });
      });
      const bound = srv.address();
      if (bound !== null && typeof bound === 'object') port = bound.port;
      this.servers.push(srv);
    }
    this.core.tcpPort = port;
    this.core.onShutdown = () => void this.close();
    this.cron.start();
    return port;
  }

  private accept(socket: net.Socket): void {
    const core = this.core;
    // Every socket is tracked, refused ones too, so that close() can end them all.
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    if (core.clients.size >= core.config.maxclients) {
      core.stats.rejectedConnections++;
      socket.on('error', () => {});
      socket.write(MAX_CLIENTS_REACHED);
      closeAfterWrite(socket);
      return;
    }
    new Connection(socket, core);
  }

  /** Stop listening, drop every connection, stop timers. */
  close(): Promise<void> {
    if (this.closing !== null) return this.closing;
    this.cron.stop();
    this.core.close();
    for (const s of this.sockets) s.destroy();
    this.closing = Promise.all(
      this.servers.map((srv) => new Promise<void>((resolve) => srv.close(() => resolve()))),
    ).then(() => undefined);
    return this.closing;
  }
}
