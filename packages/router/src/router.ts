/**
 * The router's shared state: the slot map and the nodes behind it, the connected clients, and
 * counters for INFO.
 *
 * The slot map is replaced as a whole (ROUTER TOPOLOGY SET, SIGHUP, a -MOVED): commands already
 * sent keep their connection and finish there; only commands routed afterwards see the new map.
 * Nodes are kept by address, so a topology that keeps a node keeps its connections; a node that
 * leaves the topology is retired: no new commands, its connections close once they are idle.
 */
import { randomBytes } from 'node:crypto';
import { GatherPool } from '@swarmkv/resp';
import type net from 'node:net';
import type { Logger } from 'pino';
import type { RouterConfig } from './config.js';
import { ClientSession } from './client-session.js';
import { HealthMonitor } from './health.js';
import { UpstreamNode, type NodeSettings } from './upstream/node.js';
import { formatAddress, rangeText, SlotMap, topologyToJson, type Address, type Topology } from './topology.js';
import { closeTransaction } from './transaction.js';
import { closePubsub } from './pubsub.js';
import { topUp } from './allocation-floor.js';

/** Redis samples instantaneous_ops_per_sec every 100 ms over the last 16 samples. */
const OPS_SAMPLE_MS = 100;
const OPS_SAMPLES = 16;

export interface RouterStats {
  commands: number;
  connectionsReceived: number;
  rejectedConnections: number;
  topologyChanges: number;
  movedRedirects: number;
}

export class Router {
  readonly config: RouterConfig;
  readonly log: Logger;
  /** 40 hex chars, like a Redis Cluster node id; CLUSTER MYID/NODES/SLOTS use it. */
  readonly myId = randomBytes(20).toString('hex');
  /** performance.now() at start: uptime must not jump with the wall clock. */
  readonly startedAt = performance.now();
  readonly sessions = new Set<ClientSession>();
  /** Buffers big client commands and node replies are gathered in, reused once nothing holds them (gather-pool.ts). */
  readonly gatherPool = new GatherPool();
  readonly stats: RouterStats = { commands: 0, connectionsReceived: 0, rejectedConnections: 0, topologyChanges: 0, movedRedirects: 0 };
  /** The port clients connect to (set once listening). */
  port = 0;

  map!: SlotMap;
  /** shard index -> node */
  shardNodes: UpstreamNode[] = [];
  /** Nodes in the topology, plus ASK targets, by "host:port". */
  private readonly nodes = new Map<string, UpstreamNode>();
  private readonly retired = new Set<UpstreamNode>();
  private readonly health: HealthMonitor;
  private readonly settings: NodeSettings;
  private nextClientId = 1;
  private readonly timers: NodeJS.Timeout[] = [];
  private opsSamples = new Float64Array(OPS_SAMPLES);
  private opsIdx = 0;
  private opsLastCount = 0;
  private opsLastTime = performance.now();

  constructor(config: RouterConfig, topology: Topology, log: Logger) {
    this.config = config;
    this.log = log;
    this.settings = {
      poolSize: config.poolSize,
      gatherPool: this.gatherPool,
      password: config.nodePassword,
      connectTimeoutMs: config.connectTimeoutMs,
      reconnectMinMs: config.reconnectMinMs,
      reconnectMaxMs: config.reconnectMaxMs,
    };
    this.health = new HealthMonitor(config.healthIntervalMs, config.healthTimeoutMs);
    this.setTopology(topology, 'start');
    this.health.start();
    this.timers.push(setInterval(() => this.sampleOps(), OPS_SAMPLE_MS));
    this.timers.push(setInterval(() => this.reapRetired(), 1000));
    this.timers.push(setInterval(() => this.gatherPool.trimIfIdle(), 1000));
    for (const t of this.timers) t.unref();
  }

  // --- Topology ---

  get topology(): Topology {
    return this.map.topology;
  }

  /** Swaps in a new slot map; commands in flight finish where they were sent. */
  setTopology(t: Topology, reason: string): void {
    const map = new SlotMap(t);
    const shardNodes = t.shards.map((s) => this.nodeAt(s.primary));
    const keep = new Set(shardNodes);
    for (const [name, node] of this.nodes) {
      if (!keep.has(node)) {
        this.nodes.delete(name);
        this.health.unwatch(node);
        node.retire();
        this.retired.add(node);
      }
    }
    t.shards.forEach((s, i) => {
      shardNodes[i]!.slotsText = s.slots.map(([a, b]) => rangeText(a, b)).join(',');
    });
    const first = this.map === undefined;
    this.map = map;
    this.shardNodes = shardNodes;
    if (!first) this.stats.topologyChanges++;
    this.log.info({ reason, shards: t.shards.map((_s, i) => ({ node: shardNodes[i]!.name, slots: shardNodes[i]!.slotsText })) }, 'topology applied');
  }

  /** A -MOVED: the slot now belongs to `target`. */
  applyMoved(slot: number, target: Address): void {
    this.stats.movedRedirects++;
    const owner = this.shardNodes[this.map.owner[slot]!]!;
    if (owner.address.host === target.host && owner.address.port === target.port) return;
    this.setTopology(this.map.withSlotMovedTo(slot, target), `MOVED ${slot} ${formatAddress(target)}`);
  }

  /** The node at `addr`, created (and health-checked) if new. */
  nodeAt(addr: Address): UpstreamNode {
    const name = formatAddress(addr);
    let node = this.nodes.get(name);
    if (node === undefined) {
      node = new UpstreamNode(addr, this.settings, this.log);
      this.nodes.set(name, node);
      this.health.watch(node);
    }
    return node;
  }

  nodeForSlot(slot: number): UpstreamNode {
    return this.shardNodes[this.map.owner[slot]!]!;
  }

  /** The range of slots around `slot` with the same owner, as text ("5461-10922"). */
  rangeText(slot: number): string {
    const [a, b] = this.map.rangeAround(slot);
    return rangeText(a, b);
  }

  topologyJson(): string {
    return topologyToJson(this.map.topology);
  }

  /** Nodes of the current topology, in shard order, each once. */
  get activeNodes(): readonly UpstreamNode[] {
    return this.shardNodes;
  }

  private reapRetired(): void {
    for (const node of this.retired) if (node.reapRetired()) this.retired.delete(node);
  }

  // --- Clients ---

  accept(socket: net.Socket): void {
    this.stats.connectionsReceived++;
    if (this.sessions.size >= this.config.maxclients) {
      this.stats.rejectedConnections++;
      socket.on('error', () => {});
      socket.resume(); // accepted paused (server.ts): read on so the client's close is seen
      socket.end('-ERR max number of clients reached\r\n');
      return;
    }
    const session = new ClientSession(this, socket, this.nextClientId++);
    this.sessions.add(session);
  }

  sessionClosed(session: ClientSession): void {
    this.sessions.delete(session);
    closeTransaction(session);
    closePubsub(session);
  }

  // --- Stats ---

  /** Every 100 ms: the ops/s sample for INFO, and V8's allocation rate kept above idle (allocation-floor.ts). */
  private sampleOps(): void {
    const now = performance.now();
    const delta = this.stats.commands - this.opsLastCount;
    const ms = now - this.opsLastTime;
    this.opsSamples[this.opsIdx] = ms > 0 ? (delta * 1000) / ms : 0;
    this.opsIdx = (this.opsIdx + 1) % OPS_SAMPLES;
    this.opsLastCount = this.stats.commands;
    this.opsLastTime = now;
    topUp(delta, ms);
  }

  get opsPerSec(): number {
    let sum = 0;
    for (let i = 0; i < OPS_SAMPLES; i++) sum += this.opsSamples[i]!;
    return Math.round(sum / OPS_SAMPLES);
  }

  /** Stops timers and closes every connection (clients and nodes). */
  shutdown(): void {
    for (const t of this.timers) clearInterval(t);
    this.health.stop();
    for (const s of [...this.sessions]) s.close();
    for (const n of this.nodes.values()) n.shutdown();
    for (const n of this.retired) n.shutdown();
    this.nodes.clear();
    this.retired.clear();
  }
}
