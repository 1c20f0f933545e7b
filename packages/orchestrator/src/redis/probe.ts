/**
 * Talks to a running cluster through its router with ioredis: waits until the router serves all
 * 16384 slots (CLUSTER SLOTS, then one keyed command per shard so each storage node is reached),
 * and collects INFO for `status`. Connections are short-lived and never retry on their own.
 */
import { Redis } from 'ioredis';
import { SwarmkvError } from '../errors.js';
import { coveredSlots, evenRanges, keyInRange, parseClusterSlots, SLOTS, type SlotRange } from './slots.js';

export interface RouterTarget {
  readonly host: string;
  readonly port: number;
  readonly password?: string;
}

export function connectRouter(t: RouterTarget, timeoutMs = 2000): Redis {
  const r = new Redis({
    host: t.host,
    port: t.port,
    ...(t.password ? { password: t.password } : {}),
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
    enableReadyCheck: false,
  });
  // Failures surface through the awaited commands; without a listener ioredis prints them too.
  r.on('error', () => undefined);
  return r;
}

export interface RouterHealth {
  readonly ranges: SlotRange[];
  readonly covered: number;
  readonly shardsReached: number;
}

/** A node as the router's `INFO router` section describes it. */
export interface RouterNode {
  readonly addr: string;
  readonly state: string;
  readonly slots: { start: number; end: number }[];
  readonly latencyMs: number;
}

/**
 * The per-node lines of `INFO router`: "node0:addr=h:6379,state=up,slots=0-5460,latency_ms=0.1,...".
 * Slot lists contain commas themselves ("0-10,20-30"): a comma-separated piece without "=" still
 * belongs to the field before it.
 */
export function routerNodes(info: Record<string, string>): RouterNode[] {
  const out: RouterNode[] = [];
  for (const [k, v] of Object.entries(info)) {
    if (!/^node\d+$/.test(k)) continue;
    const f: Record<string, string> = {};
    let last = '';
    for (const piece of v.split(',')) {
      const eq = piece.indexOf('=');
      if (eq < 0 && last) f[last] += `,${piece}`;
      else if (eq > 0) f[(last = piece.slice(0, eq))] = piece.slice(eq + 1);
    }
    const slots = (f.slots ?? '')
      .split(',')
      .filter(Boolean)
      .map((r) => {
        const [a, b] = r.split('-');
        return { start: Number(a), end: Number(b ?? a) };
      });
    if (f.addr) out.push({ addr: f.addr, state: f.state ?? '?', slots, latencyMs: Number(f.latency_ms ?? 0) });
  }
  return out;
}

/**
 * One check. Which node serves which slots comes from `INFO router` (the swarmkv router shows
 * clients a one-node cluster in CLUSTER SLOTS, so that cannot tell); a router without that section
 * is asked CLUSTER SLOTS. Then one keyed command per node proves each storage node answers.
 */
export async function checkRouter(t: RouterTarget, shards: number): Promise<RouterHealth> {
  const r = connectRouter(t);
  try {
    await r.connect();
    let ranges: SlotRange[] = [];
    const nodes = routerNodes(parseInfo(String(await r.info('router').catch(() => ''))));
    if (nodes.length > 0) {
      ranges = nodes.flatMap((n) => n.slots.map((x) => ({ ...x, node: n.addr }))).sort((a, b) => a.start - b.start);
    } else {
      try {
        ranges = parseClusterSlots(await r.call('CLUSTER', 'SLOTS'));
      } catch {
        ranges = evenRanges(shards).map((x, i) => ({ ...x, node: `shard-${i}` }));
      }
    }
    const covered = coveredSlots(ranges);
    const byNode = new Map<string, SlotRange>();
    for (const x of ranges) if (!byNode.has(x.node)) byNode.set(x.node, x);
    let reached = 0;
    for (const x of byNode.values()) {
      await r.exists(keyInRange(x.start, x.end)); // an error reply (node down) throws
      reached++;
    }
    return { ranges, covered, shardsReached: reached };
  } finally {
    r.disconnect();
  }
}

export async function waitForRouter(t: RouterTarget, shards: number, timeoutMs: number): Promise<RouterHealth> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  for (;;) {
    try {
      const h = await checkRouter(t, shards);
      if (h.covered === SLOTS && h.shardsReached >= Math.min(shards, h.ranges.length)) return h;
      last = `${h.covered}/${SLOTS} slots served, ${h.shardsReached} shards reached`;
    } catch (e) {
      last = (e as Error).message;
    }
    if (Date.now() > deadline) {
      throw new SwarmkvError('ROUTER_UNHEALTHY', `the router at ${t.host}:${t.port} is not serving all slots after ${Math.round(timeoutMs / 1000)}s (${last})`, 'see `swarmkv status` and the router task\'s logs (`docker service logs <cluster>-router`)');
    }
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** INFO sections as key/value maps. */
export function parseInfo(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    if (!line || line.startsWith('#')) continue;
    const i = line.indexOf(':');
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}
