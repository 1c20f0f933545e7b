/**
 * The slot map: which shard (primary node) owns each of the 16384 hash slots.
 *
 * A topology is a list of shards, each a primary address, replicas (kept for later: the router
 * sends nothing to them yet) and the slot ranges it owns. It comes from `--nodes a,b,c` (the slots
 * split evenly, with exactly the arithmetic of `redis-cli --cluster create`, so a router and a
 * Redis Cluster built from the same node list agree on who owns what), from a JSON/YAML file
 * (`--topology`), or from `ROUTER TOPOLOGY SET <json>`. Every slot must be covered exactly once;
 * a gap or an overlap is refused with an error naming the slots and shards involved.
 *
 * `SlotMap` is the compiled form the hot path reads: one Uint16Array from slot to shard index.
 * It is immutable; a topology change builds a new one and swaps it in, so commands already routed
 * finish on the map they were routed with.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

export const SLOT_COUNT = 16384;

/** "host:port", host being an IPv4/IPv6 literal or a DNS name (docker service names re-resolve). */
export interface Address {
  readonly host: string;
  readonly port: number;
}

export type SlotRange = readonly [start: number, end: number];

export interface Shard {
  readonly primary: Address;
  readonly replicas: readonly Address[];
  readonly slots: readonly SlotRange[];
}

export interface Topology {
  readonly shards: readonly Shard[];
}

export class TopologyError extends Error {}

// --- Addresses ---

/** Parses "host:port", "[::1]:port"; the error names the offending text. */
export function parseAddress(text: string): Address {
  const s = text.trim();
  let host: string;
  let portText: string;
  if (s.startsWith('[')) {
    const close = s.indexOf(']');
    if (close < 0 || s[close + 1] !== ':') throw new TopologyError(`invalid address '${text}': expected [ipv6]:port`);
    host = s.slice(1, close);
    portText = s.slice(close + 2);
  } else {
    const colon = s.lastIndexOf(':');
    if (colon <= 0) throw new TopologyError(`invalid address '${text}': expected host:port`);
    host = s.slice(0, colon);
    portText = s.slice(colon + 1);
  }
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) {
    throw new TopologyError(`invalid address '${text}': port must be 1..65535`);
  }
  if (host.length === 0) throw new TopologyError(`invalid address '${text}': empty host`);
  return { host, port };
}

export function formatAddress(a: Address): string {
  return a.host.includes(':') ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;
}

// --- Building topologies ---

/**
 * Splits the slots over `nodes` in order as `redis-cli --cluster create` does: a floating
 * cursor advancing by 16384/n, each shard ending at round(cursor + per - 1), the last one taking
 * whatever is left. For 3 nodes: 0-5460, 5461-10922, 10923-16383.
 */
export function evenTopology(nodes: readonly Address[]): Topology {
  if (nodes.length === 0) throw new TopologyError('at least one node is required');
  if (nodes.length > SLOT_COUNT) throw new TopologyError(`at most ${SLOT_COUNT} nodes`);
  const perNode = SLOT_COUNT / nodes.length;
  const shards: Shard[] = [];
  let first = 0;
  let cursor = 0;
  for (let i = 0; i < nodes.length; i++) {
    let last = Math.round(cursor + perNode - 1);
    if (last > SLOT_COUNT || i === nodes.length - 1) last = SLOT_COUNT - 1;
    if (last < first) last = first;
    shards.push({ primary: nodes[i]!, replicas: [], slots: [[first, last]] });
    first = last + 1;
    cursor += perNode;
  }
  return { shards };
}

/** "host:port" or {host, port}; unions would only say "Invalid input", so this checks by hand. */
const ADDRESS_SCHEMA = z.unknown().transform((v, ctx): Address => {
  if (typeof v === 'string') {
    try {
      return parseAddress(v);
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: (e as Error).message });
      return z.NEVER;
    }
  }
  const o = z.object({ host: z.string().min(1), port: z.number().int().min(1).max(65535) }).strict().safeParse(v);
  if (o.success) return o.data;
  ctx.addIssue({ code: 'custom', message: 'expected "host:port" or {host, port}' });
  return z.NEVER;
});

const RANGE_HELP = 'a slot range is [start, end], "start-end", {start, end} or one slot number, slots 0..16383, start <= end';

function isSlot(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n < SLOT_COUNT;
}

/** A range is [start, end], "start-end", a single slot number, or {start, end}. */
const RANGE_SCHEMA = z.unknown().transform((v, ctx): [number, number] => {
  let r: [unknown, unknown] | null = null;
  if (Array.isArray(v) && v.length === 2) r = [v[0], v[1]];
  else if (typeof v === 'number') r = [v, v];
  else if (typeof v === 'string' && /^\s*\d+\s*(-\s*\d+\s*)?$/.test(v)) {
    const [a, b] = v.split('-').map((x) => Number(x.trim()));
    r = [a, b ?? a];
  } else if (v !== null && typeof v === 'object' && 'start' in v && 'end' in v && Object.keys(v).length === 2) {
    r = [(v as { start: unknown }).start, (v as { end: unknown }).end];
  }
  if (r !== null && isSlot(r[0]) && isSlot(r[1]) && r[0] <= r[1]) return [r[0], r[1]];
  ctx.addIssue({ code: 'custom', message: `${JSON.stringify(v)}: ${RANGE_HELP}` });
  return z.NEVER;
});

export const TOPOLOGY_SCHEMA = z
  .object({
    shards: z
      .array(
        z
          .object({
            primary: ADDRESS_SCHEMA,
            replicas: z.array(ADDRESS_SCHEMA).default([]),
            slots: z.array(RANGE_SCHEMA).min(1, 'a shard needs at least one slot range'),
          })
          .strict(),
      )
      .min(1, 'at least one shard is required'),
  })
  .strict();

/** Validates a parsed JSON/YAML document; errors name the field (zod path) or the slot gap/overlap. */
export function topologyFrom(doc: unknown): Topology {
  const parsed = TOPOLOGY_SCHEMA.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length ? issue.path.join('.') : 'topology';
    throw new TopologyError(`invalid topology: ${where}: ${issue.message}`);
  }
  const topology: Topology = {
    shards: parsed.data.shards.map((s) => ({
      primary: s.primary,
      replicas: s.replicas,
      slots: s.slots.map((r) => [r[0], r[1]] as const),
    })),
  };
  checkCoverage(topology);
  return topology;
}

/** Parses topology text: JSON when it looks like JSON, YAML otherwise (YAML is a superset anyway). */
export function parseTopologyText(text: string, origin: string): Topology {
  let doc: unknown;
  try {
    doc = text.trimStart().startsWith('{') ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new TopologyError(`${origin}: not valid JSON/YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  try {
    return topologyFrom(doc);
  } catch (e) {
    throw new TopologyError(`${origin}: ${(e as Error).message}`);
  }
}

export function readTopologyFile(path: string): Topology {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new TopologyError(`cannot read topology file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseTopologyText(text, path);
}

/** Every slot exactly once; the first gap or overlap found is reported with the shards involved. */
function checkCoverage(t: Topology): void {
  const owner = new Int32Array(SLOT_COUNT).fill(-1);
  t.shards.forEach((shard, i) => {
    for (const [start, end] of shard.slots) {
      for (let s = start; s <= end; s++) {
        const prev = owner[s]!;
        if (prev !== -1) {
          let last = s;
          while (last + 1 <= end && owner[last + 1] === prev) last++;
          throw new TopologyError(
            `slots ${rangeText(s, last)} are assigned twice: to shard ${prev} (${formatAddress(t.shards[prev]!.primary)}) and shard ${i} (${formatAddress(shard.primary)})`,
          );
        }
        owner[s] = i;
      }
    }
  });
  for (let s = 0; s < SLOT_COUNT; s++) {
    if (owner[s] === -1) {
      let last = s;
      while (last + 1 < SLOT_COUNT && owner[last + 1] === -1) last++;
      throw new TopologyError(`slots ${rangeText(s, last)} are not assigned to any shard`);
    }
  }
}

export function rangeText(start: number, end: number): string {
  return start === end ? `${start}` : `${start}-${end}`;
}

// --- Compiled map ---

export class SlotMap {
  /** slot -> shard index */
  readonly owner: Uint16Array;
  readonly topology: Topology;

  constructor(topology: Topology) {
    this.topology = topology;
    this.owner = new Uint16Array(SLOT_COUNT);
    topology.shards.forEach((shard, i) => {
      for (const [a, b] of shard.slots) this.owner.fill(i, a, b + 1);
    });
  }

  /** The contiguous range of slots around `slot` owned by the same shard (for error messages). */
  rangeAround(slot: number): SlotRange {
    const o = this.owner[slot]!;
    let a = slot;
    let b = slot;
    while (a > 0 && this.owner[a - 1] === o) a--;
    while (b < SLOT_COUNT - 1 && this.owner[b + 1] === o) b++;
    return [a, b];
  }

  /**
   * A new topology with `slot` moved to `target` (a MOVED redirect). An unknown target becomes a
   * new shard; a shard left with no slots is dropped.
   */
  withSlotMovedTo(slot: number, target: Address): Topology {
    const shards = this.topology.shards.map((s) => ({ primary: s.primary, replicas: s.replicas }));
    let targetIdx = shards.findIndex((s) => s.primary.host === target.host && s.primary.port === target.port);
    if (targetIdx < 0) {
      shards.push({ primary: target, replicas: [] });
      targetIdx = shards.length - 1;
    }
    const owner = new Uint16Array(SLOT_COUNT + 1);
    owner.set(this.owner);
    owner[slot] = targetIdx;
    return compactTopology(shards, owner.subarray(0, SLOT_COUNT));
  }
}

/** Rebuilds ranges from a slot -> shard array, dropping shards that own nothing. */
function compactTopology(shards: readonly Omit<Shard, 'slots'>[], owner: Uint16Array): Topology {
  const ranges: SlotRange[][] = shards.map(() => []);
  let start = 0;
  for (let s = 1; s <= SLOT_COUNT; s++) {
    if (s === SLOT_COUNT || owner[s] !== owner[start]) {
      ranges[owner[start]!]!.push([start, s - 1]);
      start = s;
    }
  }
  const out: Shard[] = [];
  shards.forEach((s, i) => {
    if (ranges[i]!.length > 0) out.push({ primary: s.primary, replicas: s.replicas, slots: ranges[i]! });
  });
  return { shards: out };
}

/** The JSON document `ROUTER TOPOLOGY GET` returns and `ROUTER TOPOLOGY SET` accepts. */
export function topologyToJson(t: Topology): string {
  return JSON.stringify({
    shards: t.shards.map((s) => ({
      primary: formatAddress(s.primary),
      replicas: s.replicas.map(formatAddress),
      slots: s.slots.map(([a, b]) => [a, b]),
    })),
  });
}
