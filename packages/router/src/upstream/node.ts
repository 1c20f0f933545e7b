/**
 * One node the router talks to, with its connections and health state.
 *
 * Connections (see connection.ts):
 *  - shared pools, one per (database, protocol), `poolSize` connections each, created lazily. A
 *    client always uses the same connection of a pool (`lane = client id % poolSize`), which
 *    keeps its commands to this node in order without any bookkeeping: two pipelined commands on
 *    two connections could otherwise run in either order.
 *  - dedicated connections, lent to one client for a transaction or a blocking command, kept
 *    idle for reuse afterwards if their state is clean.
 *  - pub/sub connections, one per subscribed client.
 *  - the health connection (health.ts pings over it).
 *
 * State: 'up' (or 'unknown' before the first health check, treated as up so the first commands
 * need not wait), 'down' once a connect fails, the health connection drops or a ping times out.
 * While down, commands for this node's slots are answered at once with -CLUSTERDOWN and a
 * reconnect is attempted with exponential backoff; the first successful ping brings it back.
 */
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { GatherPool } from '@swarmkv/resp';
import { formatAddress, type Address } from '../topology.js';
import { Connection, type ConnectionKind } from './connection.js';

export type NodeState = 'unknown' | 'up' | 'down';

export interface NodeSettings {
  poolSize: number;
  /** Lends the buffers big replies are gathered in (gather-pool.ts). */
  gatherPool: GatherPool;
  password: string | undefined;
  connectTimeoutMs: number;
  reconnectMinMs: number;
  reconnectMaxMs: number;
}

/** Idle dedicated connections kept per (db, proto) for reuse. */
const MAX_IDLE_DEDICATED = 8;
/** Weight of the newest sample in the latency moving average. */
const LATENCY_EWMA_ALPHA = 0.2;

export class UpstreamNode extends EventEmitter {
  readonly address: Address;
  /** "host:port" */
  readonly name: string;
  state: NodeState = 'unknown';
  lastError = '';
  /** Slot ranges currently owned, as text for error messages ("0-5460"). */
  slotsText = '';
  retired = false;
  /** Health: last and smoothed ping round trip, ms. */
  lastLatencyMs = 0;
  avgLatencyMs = 0;
  downSince = 0;

  private readonly settings: NodeSettings;
  private readonly log: Logger;
  private readonly pools = new Map<number, (Connection | undefined)[]>();
  private readonly idle = new Map<number, Connection[]>();
  private readonly conns = new Set<Connection>();
  private backoffMs = 0;
  private reconnectTimer: NodeJS.Timeout | null = null;

  /** Health connection and outstanding ping (health.ts). */
  healthConn: Connection | null = null;
  pingSentAt = 0;
  healthPings = 0;

  constructor(address: Address, settings: NodeSettings, log: Logger) {
    super();
    this.setMaxListeners(0);
    this.address = address;
    this.name = formatAddress(address);
    this.settings = settings;
    this.log = log.child({ node: this.name });
  }

  get isDown(): boolean {
    return this.state === 'down';
  }

  /** The -CLUSTERDOWN text for commands that reach this node while it is down. */
  downText(range: string): string {
    return `CLUSTERDOWN Node ${this.name} serving slots ${range} is down${this.lastError ? ` (${this.lastError})` : ''}`;
  }

  /** The error given to requests whose connection was lost before they were answered. */
  readonly failText = (): string =>
    `CLUSTERDOWN Connection to node ${this.name} serving slots ${this.slotsText} was lost${this.lastError ? ` (${this.lastError})` : ''}`;

  // --- Connections ---

  /** The shared connection for (db, proto) in lane `lane`. */
  shared(db: number, proto: number, lane: number): Connection {
    const key = db * 4 + proto;
    let pool = this.pools.get(key);
    if (pool === undefined) {
      pool = new Array<Connection | undefined>(this.settings.poolSize);
      this.pools.set(key, pool);
    }
    const i = lane % pool.length;
    let conn = pool[i];
    if (conn === undefined || conn.closed) {
      conn = this.open('shared', db, proto);
      conn.tag = i;
      pool[i] = conn;
    }
    return conn;
  }

  /** A connection for one client alone (MULTI/WATCH/blocking commands). */
  acquireDedicated(db: number, proto: number): Connection {
    const list = this.idle.get(db * 4 + proto);
    while (list !== undefined && list.length > 0) {
      const c = list.pop()!;
      if (!c.closed) return c;
    }
    return this.open('dedicated', db, proto);
  }

  /** Gives a dedicated connection back; `clean` means its db/protocol/MULTI/WATCH state is as new. */
  releaseDedicated(conn: Connection, clean: boolean): void {
    if (conn.closed) return;
    const key = conn.db * 4 + conn.proto;
    let list = this.idle.get(key);
    if (list === undefined) {
      list = [];
      this.idle.set(key, list);
    }
    if (!clean || this.retired || this.isDown || conn.pending > 0 || list.length >= MAX_IDLE_DEDICATED) {
      conn.destroy('released');
      return;
    }
    list.push(conn);
  }

  openPubsub(proto: number, onPush: (buf: Buffer, start: number, end: number) => void, onClose: () => void): Connection {
    return this.open('pubsub', 0, proto, onPush, onClose);
  }

  openHealth(onReady: (c: Connection) => void): Connection {
    return this.open('health', 0, 2, undefined, undefined, onReady);
  }

  private open(
    kind: ConnectionKind,
    db: number,
    proto: number,
    onPush?: (buf: Buffer, start: number, end: number) => void,
    onOwnerClose?: () => void,
    onReady?: (c: Connection) => void,
  ): Connection {
    const conn = new Connection({
      host: this.address.host,
      port: this.address.port,
      db,
      proto,
      password: this.settings.password,
      connectTimeoutMs: this.settings.connectTimeoutMs,
      gatherPool: this.settings.gatherPool,
      kind,
      log: this.log,
      failText: this.failText,
      onPush,
      onReady,
      onClose: (c, reason, byUs) => {
        this.conns.delete(c);
        onOwnerClose?.();
        if (!byUs) this.connectionLost(c, reason);
      },
    });
    this.conns.add(conn);
    return conn;
  }

  /** A connection closed without us asking: a failed connect or the health link means the node is down. */
  private connectionLost(conn: Connection, reason: string): void {
    if (this.retired) return;
    if (conn.kind === 'health' || !conn.ready) {
      this.markDown(reason);
    } else {
      this.log.debug({ kind: conn.kind, reason }, 'node connection lost');
      this.emit('connection-lost');
    }
  }

  /** Open connections, for INFO. */
  get connectionCount(): number {
    return this.conns.size;
  }

  // --- State ---

  markUp(): void {
    if (this.reconnectTimer) {
      clearTimeout(this.reconnectTimer);
      this.reconnectTimer = null;
    }
    this.backoffMs = 0;
    if (this.state === 'up') return;
    const wasDown = this.state === 'down';
    this.state = 'up';
    this.lastError = '';
    if (wasDown) this.log.info({ downMs: Date.now() - this.downSince }, 'node is back up');
    this.emit('up');
  }

  /** Fails everything waiting on this node and schedules a reconnect with backoff. */
  markDown(reason: string): void {
    if (this.retired) return;
    this.lastError = reason;
    if (this.state !== 'down') {
      this.state = 'down';
      this.downSince = Date.now();
      this.log.warn({ reason, slots: this.slotsText }, 'node is down');
      this.closeAll('node down');
      this.emit('down');
    }
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.reconnectTimer || this.retired) return;
    const s = this.settings;
    this.backoffMs = this.backoffMs === 0 ? s.reconnectMinMs : Math.min(s.reconnectMaxMs, this.backoffMs * 2);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.emit('reconnect');
    }, this.backoffMs);
    this.reconnectTimer.unref();
  }

  recordLatency(ms: number): void {
    this.lastLatencyMs = ms;
    this.avgLatencyMs = this.avgLatencyMs === 0 ? ms : this.avgLatencyMs + LATENCY_EWMA_ALPHA * (ms - this.avgLatencyMs);
  }

  private closeAll(reason: string): void {
    for (const c of [...this.conns]) c.destroy(reason);
    this.pools.clear();
    this.idle.clear();
    this.healthConn = null;
  }

  /** Taken out of the topology: stop reconnecting, close shared connections once they are idle. */
  retire(): void {
    this.retired = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.healthConn?.destroy('retired');
    this.healthConn = null;
    for (const list of this.idle.values()) for (const c of list) c.destroy('retired');
    this.idle.clear();
    this.reapRetired();
  }

  /** For a retired node: closes idle shared connections; true once nothing is left open. */
  reapRetired(): boolean {
    for (const [key, pool] of this.pools) {
      let open = 0;
      for (let i = 0; i < pool.length; i++) {
        const c = pool[i];
        if (c === undefined || c.closed) continue;
        if (c.pending === 0) c.destroy('retired');
        else open++;
      }
      if (open === 0) this.pools.delete(key);
    }
    return this.conns.size === 0;
  }

  /** Closes everything now (router shutdown). */
  shutdown(): void {
    this.retired = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.closeAll('shutdown');
  }
}
