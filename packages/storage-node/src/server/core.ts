/**
 * The node's server-level state, shared by the network server and in-process clients:
 * configuration, databases, clients, WATCH, pub/sub, keyspace notifications, blocked clients,
 * statistics, and the dispatcher that runs commands.
 *
 * Network code (server.ts) only moves bytes; everything a client can observe happens here, so
 * `testing.ts` can drive the exact same logic without sockets.
 */
import type { Bytes, Reply } from '@swarmkv/resp';
import { pino, type Logger } from 'pino';
import type { Database } from '../keyspace/db-api.js';
import { NodeConfigSchema, type NodeConfig } from '../config.js';
import { Client, type ClientSink } from './client.js';
import { NodeCtx } from './ctx.js';
import { WatchRegistry } from './watch.js';
import { PubSub } from './pubsub.js';
import { Notifier } from './notify.js';
import { BlockingManager } from './blocking.js';
import { Dispatcher } from './dispatcher.js';
import { encode } from './encode.js';
import { runFastExpire } from './expire-hook.js';
import type { HandlerTable } from '../commands/context.js';

/** Hooks a database calls back into the server with (the keyspace's KeyspaceHooks). */
export interface DbHooks {
  /** A key was modified by the database itself (add/set/delete): WATCH. */
  modified(dbId: number, key: Bytes): void;
  /** A key expired (lazily or actively): `expired` event, WATCH, stats. */
  expired(dbId: number, key: Bytes): void;
  /** A key was created: `new` event. */
  added(dbId: number, key: Bytes): void;
  /** A read missed: `keymiss` event. */
  keyMiss(dbId: number, key: Bytes): void;
  /** The command clock (ms): fixed during a command, the wall clock outside commands. */
  now(): number;
}

/** Creates the node's `count` databases, ids 0..count-1. */
export type DatabasesFactory = (count: number, hooks: DbHooks) => Database[];

/** INFO stats counters. */
export class ServerStats {
  totalConnections = 0;
  rejectedConnections = 0;
  totalCommands = 0;
  netInputBytes = 0;
  netOutputBytes = 0;
  expiredKeys = 0;
  totalErrorReplies = 0;
  unexpectedErrorReplies = 0;
  /** Error code (first word) -> count, INFO errorstats. */
  readonly errors = new Map<string, number>();
  /** Instantaneous ops/sec samples, as Redis: one sample per cron tick over ~1.6 s. */
  private readonly samples: number[] = [];
  private lastSampleAt = Date.now();
  private lastSampleCommands = 0;

  sampleOps(now: number): void {
    const dt = now - this.lastSampleAt;
    if (dt < 100) return;
    this.samples.push(((this.totalCommands - this.lastSampleCommands) * 1000) / dt);
    if (this.samples.length > 16) this.samples.shift();
    this.lastSampleAt = now;
    this.lastSampleCommands = this.totalCommands;
  }

  instantaneousOps(): number {
    if (this.samples.length === 0) return 0;
    return Math.round(this.samples.reduce((a, b) => a + b, 0) / this.samples.length);
  }

  reset(): void {
    this.totalConnections = 0;
    this.rejectedConnections = 0;
    this.totalCommands = 0;
    this.netInputBytes = 0;
    this.netOutputBytes = 0;
    this.expiredKeys = 0;
    this.totalErrorReplies = 0;
    this.unexpectedErrorReplies = 0;
    this.errors.clear();
    this.samples.length = 0;
  }
}

export class NodeCore {
  readonly dbs: Database[];
  readonly clients = new Map<number, Client>();
  readonly watch = new WatchRegistry();
  readonly pubsub: PubSub;
  readonly notifier: Notifier;
  readonly blocking: BlockingManager;
  readonly dispatcher: Dispatcher;
  readonly stats = new ServerStats();
  readonly log: Logger;
  readonly startedAt = Date.now();
  /** UNIX seconds of the last (pretend) save: LASTSAVE. */
  lastSave = Math.floor(Date.now() / 1000);
  /** Writes since start (INFO rdb_changes_since_last_save). */
  dirty = 0;
  /** Set by the network server: SHUTDOWN calls it. */
  onShutdown: (() => void) | undefined;
  /** The config file the node was started with (INFO config_file, CONFIG REWRITE). */
  configFile: string | undefined;
  /** CLIENT PAUSE: clients process no commands until this time (ms since the epoch). */
  pauseUntil = 0;
  /** CLIENT PAUSE ... WRITE: only commands that write are held back. */
  pauseWritesOnly = false;
  /** The running command's clock (ms); 0 until first read. Valid while cmdDepth > 0. */
  private cmdTime = 0;
  /** Nesting of commands being run (EXEC runs commands inside a command). */
  private cmdDepth = 0;
  /** The last slow expire cycle ran out of time: fast cycles run after I/O batches. */
  fastExpireWanted = false;
  /** Port and bind address the server listens on (INFO server tcp_port). */
  tcpPort = 0;

  private nextClientId = 1;
  private pending: Client[] = [];
  private flushScheduled = false;

  constructor(
    readonly config: NodeConfig,
    createDbs: DatabasesFactory,
    log?: Logger,
    handlers?: HandlerTable,
  ) {
    this.log = log ?? pino({ level: config.logLevel, base: { component: 'swarmkv-node' } });
    const hooks: DbHooks = {
      modified: (dbId, key) => this.watch.touch(dbId, key),
      expired: (dbId, key) => {
        this.stats.expiredKeys++;
        this.watch.touch(dbId, key);
        this.notifier.notify('x', 'expired', key, dbId);
      },
      added: (dbId, key) => this.notifier.notify('n', 'new', key, dbId),
      keyMiss: (dbId, key) => this.notifier.notify('m', 'keymiss', key, dbId),
      now: () => this.now(),
    };
    this.dbs = createDbs(config.databases, hooks);
    this.pubsub = new PubSub((c, data) => this.deliver(c, data));
    this.notifier = new Notifier((ch, msg) => this.pubsub.publish(ch, msg));
    this.notifier.setFlags(config.notifyKeyspaceEvents);
    this.blocking = new BlockingManager({
      ctxFor: (c) => this.ctxOf(c),
      runAsCommand: (fn) => {
        this.enterCommand();
        try {
          return fn();
        } finally {
          this.leaveCommand();
        }
      },
      unblocked: (c, reply) => {
        this.deliverReply(c, reply);
        // Its next buffered commands run on a later tick, not inside another client's command.
        if (c.resume !== null) setImmediate(c.resume);
      },
    });
    this.dispatcher = new Dispatcher(this, handlers);
  }

  /**
   * The command clock, Redis's command time snapshot: inside a command the same value from its
   * first read to its end (a whole EXEC shares one), the wall clock outside commands.
   */
  now(): number {
    if (this.cmdDepth === 0) return Date.now();
    if (this.cmdTime === 0) this.cmdTime = Date.now();
    return this.cmdTime;
  }

  enterCommand(): void {
    this.cmdDepth++;
  }

  leaveCommand(): void {
    if (--this.cmdDepth === 0) this.cmdTime = 0;
  }

  /** A new client on `sink` (network connection or in-process). */
  createClient(sink: ClientSink): Client {
    const c = new Client(this.nextClientId++, sink, this.config.requirepass !== '', Date.now());
    this.clients.set(c.id, c);
    c.ctx = new NodeCtx(this, c);
    this.stats.totalConnections++;
    return c;
  }

  ctxOf(c: Client): NodeCtx {
    return c.ctx;
  }

  /** Forget a client that disconnected or was killed. */
  removeClient(c: Client): void {
    if (!this.clients.delete(c.id)) return;
    c.closed = true;
    this.watch.unwatchAll(c);
    this.pubsub.removeAll(c);
    this.blocking.remove(c);
  }

  /** Close a client's connection (CLIENT KILL, output buffer limits); it is removed when the sink closes. */
  killClient(c: Client): void {
    c.flush();
    c.sink.close();
    this.removeClient(c);
  }

  /** Append encoded output to a client (pub/sub messages) and arrange for it to be written. */
  deliver(c: Client, data: string): void {
    if (c.closed || c.replyMode !== 0) return;
    c.out += data;
    this.markPending(c);
  }

  /** Encode and deliver a reply outside the client's own command (unblocking). */
  deliverReply(c: Client, reply: Reply): void {
    if (c.closed) return;
    c.out += encode(reply, c.protocol);
    this.markPending(c);
  }

  private markPending(c: Client): void {
    this.pending.push(c);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flushPending());
    }
  }

  /** Write every client's pending output; disconnect pub/sub clients past their output limits. */
  flushPending(): void {
    this.flushScheduled = false;
    if (this.pending.length === 0) return;
    const list = this.pending;
    this.pending = [];
    for (const c of list) {
      if (c.closed || c.out.length === 0) continue;
      c.flush();
      if (c.subscriptionCount() > 0) this.checkOutputLimits(c, Date.now());
    }
  }

  /** client-output-buffer-limit pubsub: hard limit at once, soft limit when exceeded for soft-seconds. */
  checkOutputLimits(c: Client, now: number): void {
    const { hard, soft, softSeconds } = this.config.clientOutputBufferLimitPubsub;
    const used = c.outputBytes();
    if (hard > 0 && used >= hard) {
      this.log.warn({ client: c.id }, 'pubsub client closed for overcoming of output buffer limits');
      this.killClient(c);
      return;
    }
    if (soft > 0 && used >= soft) {
      if (c.softLimitSince === 0) c.softLimitSince = now;
      else if (now - c.softLimitSince >= softSeconds * 1000) {
        this.log.warn({ client: c.id }, 'pubsub client closed for overcoming of output buffer limits');
        this.killClient(c);
      }
    } else c.softLimitSince = 0;
  }

  /** Adopt configuration changes made by CONFIG SET. */
  applyConfig(): void {
    this.notifier.setFlags(this.config.notifyKeyspaceEvents);
    if (this.log.level !== this.config.logLevel) this.log.level = this.config.logLevel;
  }

  /** Defaults of every parameter (CONFIG REWRITE writes what differs). */
  defaultConfig(): NodeConfig {
    return NodeConfigSchema.parse({});
  }

  /** CONFIG RESETSTAT. */
  resetStats(): void {
    this.stats.reset();
    for (const e of this.dispatcher.table.resolved()) {
      e.calls = 0;
      e.usec = 0;
      e.rejectedCalls = 0;
      e.failedCalls = 0;
    }
    const ks = this.dbs[0]?.stats;
    if (ks !== undefined) {
      ks.keyspaceHits = 0;
      ks.keyspaceMisses = 0;
      ks.expiredKeys = 0;
      ks.expiredStalePerc = 0;
      ks.expiredTimeCapReachedCount = 0;
      ks.expireCycleCpuMicros = 0;
    }
  }

  /** Redis's beforeSleep work after a batch of I/O: the fast expire cycle when expiry is behind. */
  beforeSleep(): void {
    if (this.fastExpireWanted && this.config.activeExpireEnabled) runFastExpire(this, Date.now());
  }

  /** Stop timers (test node close, server shutdown). */
  close(): void {
    this.blocking.close();
  }
}
