/**
 * `swarmkv status`: what runs where. Hosts (engine version, swarm role and node state), the
 * cluster's services and their tasks, then the cluster as Redis sees it: slot ranges per node
 * (CLUSTER SLOTS through the router), keys and memory per node (INFO of each node), and the
 * router's clients and ops/s (its INFO). Every part degrades to an error entry instead of failing
 * the whole command, since status is what people run when something is wrong.
 */
import type { ClusterConfig } from '../config/schema.js';
import { connect, type Engine } from '../engine/connect.js';
import { messageOf } from '../errors.js';
import { imageRef } from '../image/build.js';
import { probeNodes, type NodeInfo } from '../redis/node-probe.js';
import { checkRouter, connectRouter, parseInfo, routerNodes } from '../redis/probe.js';
import type { SlotRange } from '../redis/slots.js';
import { CONTAINER_PORT, nodeServiceName } from '../swarm/names.js';
import { clusterServices, serviceTasks } from '../swarm/resources.js';
import { swarmInfo } from '../swarm/swarm.js';
import { table } from '../ui/output.js';
import { routerAddress } from './up.js';
import { lossWarnings } from './status-warnings.js';
import { nodeAddresses, type NodeAddress } from '../network/host-subnet.js';

export interface HostStatus {
  name: string;
  endpoint: string;
  reachable: boolean;
  error?: string;
  engineVersion?: string;
  apiVersion?: string;
  swarm?: string;
  role?: string;
  nodeState?: string;
}

export interface TaskStatus {
  node: string;
  state: string;
  desired: string;
  error?: string;
  since?: string;
}

export interface ServiceStatus {
  name: string;
  role: string;
  mode: 'global' | 'replicated';
  running: number;
  desired: number;
  image: string;
  tasks: TaskStatus[];
}

export interface NodeStatus {
  service: string;
  slots: string;
  /** As the router sees it (INFO router): up or down. */
  state?: string;
  latencyMs?: number;
  keys?: number;
  usedMemory?: number;
  error?: string;
}

export interface StatusReport {
  cluster: string;
  hosts: HostStatus[];
  services: ServiceStatus[];
  router: { address: string; reachable: boolean; error?: string; clients?: number; opsPerSec?: number; slots: SlotRange[] };
  nodes: NodeStatus[];
  /** What is down and what that costs (data of a lost shard): status-warnings.ts. */
  warnings: string[];
  /** host-subnet mode: each storage node's address on the hosts' subnet. */
  nodeAddresses?: NodeAddress[];
}

export async function status(cfg: ClusterConfig): Promise<StatusReport> {
  const hosts: HostStatus[] = [];
  const engines: Engine[] = [];
  for (const h of cfg.hosts) {
    try {
      const e = await connect(h);
      engines.push(e);
      const s = await swarmInfo(e.docker);
      hosts.push({ name: h.name, endpoint: h.endpoint, reachable: true, engineVersion: e.engineVersion, apiVersion: e.apiVersion, swarm: s.state, role: s.state === 'active' ? (s.controlAvailable ? 'manager' : 'worker') : '-' });
    } catch (err) {
      hosts.push({ name: h.name, endpoint: h.endpoint, reachable: false, error: messageOf(err) });
    }
  }
  const manager = await findManager(engines);
  const services: ServiceStatus[] = [];
  if (manager) {
    const nodes = (await manager.docker.listNodes()) as { ID: string; Description?: { Hostname?: string }; Spec?: { Labels?: Record<string, string> }; Status?: { State?: string } }[];
    const nodeName = new Map(nodes.map((n) => [n.ID, n.Spec?.Labels?.['swarmkv.host'] ?? n.Description?.Hostname ?? n.ID.slice(0, 12)]));
    for (const hs of hosts) {
      const n = nodes.find((x) => x.Spec?.Labels?.['swarmkv.host'] === hs.name);
      if (n) hs.nodeState = n.Status?.State ?? '?';
    }
    for (const s of await clusterServices(manager.docker, cfg.cluster.name)) {
      const tasks = await serviceTasks(manager.docker, s.ID);
      const mode = s.Spec.Mode as { Global?: object; Replicated?: { Replicas?: number } } | undefined;
      const ts: TaskStatus[] = tasks.map((t) => ({
        node: nodeName.get(t.NodeID ?? '') ?? '-',
        state: t.Status?.State ?? '?',
        desired: t.DesiredState ?? '?',
        ...(t.Status?.Err ? { error: t.Status.Err } : {}),
        ...(t.Status?.Timestamp ? { since: t.Status.Timestamp } : {}),
      }));
      const image = ((s.Spec.TaskTemplate as { ContainerSpec?: { Image?: string } } | undefined)?.ContainerSpec?.Image ?? '?').split('@')[0]!;
      services.push({
        name: s.Spec.Name,
        role: s.Spec.Labels?.['swarmkv.role'] ?? '?',
        mode: mode?.Global ? 'global' : 'replicated',
        running: ts.filter((t) => t.state === 'running').length,
        desired: mode?.Global ? ts.length : (mode?.Replicated?.Replicas ?? 0),
        image,
        tasks: ts,
      });
    }
    services.sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
  }

  const password = cfg.cluster.password;
  const nodeStates = new Map<string, { state: string; latencyMs: number }>();
  // The first router that answers: with a host lost, another host's router still tells the story.
  const candidates = [routerAddress(cfg), ...cfg.hosts.filter((h) => h.router && !h.endpoint.startsWith('unix://')).map((h) => ({ host: h.advertise, port: cfg.cluster.port }))];
  let target = candidates[0]!;
  const router: StatusReport['router'] = { address: `${target.host}:${target.port}`, reachable: false, slots: [] };
  for (const t of candidates.filter((c, i) => candidates.findIndex((x) => x.host === c.host) === i)) {
    const r = connectRouter({ ...t, ...(password ? { password } : {}) });
    try {
      await r.connect();
      // INFO router: the router's own section (slot ranges and each node's state, up or down),
      // without asking every node; it answers even while a shard is down.
      const info = parseInfo(String(await r.info('router')));
      target = t;
      router.address = `${t.host}:${t.port}`;
      router.reachable = true;
      const rn = routerNodes(info);
      for (const n of rn) nodeStates.set(n.addr, { state: n.state, latencyMs: n.latencyMs });
      router.slots = rn.flatMap((n) => n.slots.map((x) => ({ ...x, node: n.addr }))).sort((a, b) => a.start - b.start);
      if (info.connected_clients) router.clients = Number(info.connected_clients);
      if (info.instantaneous_ops_per_sec) router.opsPerSec = Number(info.instantaneous_ops_per_sec);
      break;
    } catch (err) {
      router.error = messageOf(err);
    } finally {
      r.disconnect();
    }
  }
  if (router.reachable) {
    delete router.error;
    try {
      // One keyed command per shard: says which shard does not answer (CLUSTERDOWN ...).
      const h = await checkRouter({ ...target, ...(password ? { password } : {}) }, cfg.cluster.shards);
      if (router.slots.length === 0) router.slots = h.ranges;
    } catch (err) {
      router.error = messageOf(err);
    }
  }

  const nodes: NodeStatus[] = [];
  if (manager && services.some((s) => s.role === 'node')) {
    const targets = Array.from({ length: cfg.cluster.shards }, (_, i) => `${nodeServiceName(cfg.cluster.name, i)}:${CONTAINER_PORT}`);
    let infos: NodeInfo[] = [];
    try {
      infos = await probeNodes(manager.docker, {
        // The image the nodes run (the file may since have switched registry on or off).
        image: services.find((x) => x.role === 'node' && x.image !== '?')?.image ?? imageRef(cfg),
        network: cfg.cluster.network.name,
        cluster: cfg.cluster.name,
        targets,
        ...(password ? { password } : {}),
      });
    } catch (err) {
      infos = targets.map((t) => ({ target: t, error: `probe failed: ${messageOf(err)}` }));
    }
    infos.forEach((ni, i) => {
      const service = nodeServiceName(cfg.cluster.name, i);
      const slots = router.slots
        .filter((r) => r.node.startsWith(`${service}:`) || r.node === `shard-${i}`)
        .map((r) => `${r.start}-${r.end}`)
        .join(',');
      const seen = nodeStates.get(`${service}:${CONTAINER_PORT}`);
      nodes.push({
        service,
        ...(seen ? { state: seen.state, latencyMs: seen.latencyMs } : {}),
        slots: slots || (router.slots[i] ? `${router.slots[i]!.start}-${router.slots[i]!.end}` : '-'),
        ...(ni.info ? { keys: keysOf(ni.info), usedMemory: Number(ni.info.used_memory ?? 0) } : {}),
        ...(ni.error ? { error: ni.error } : {}),
      });
    });
  }
  const extra: Pick<StatusReport, 'nodeAddresses'> = {};
  if (manager && cfg.cluster.network.mode === 'host-subnet') extra.nodeAddresses = await nodeAddresses(engines, cfg).catch(() => []);
  return { cluster: cfg.cluster.name, hosts, services, router, nodes, warnings: lossWarnings(cfg, hosts, nodes), ...extra };
}

/** Sum of keys over the keyspace lines ("db0:keys=12,expires=0,avg_ttl=0"). */
export function keysOf(info: Record<string, string>): number {
  let n = 0;
  for (const [k, v] of Object.entries(info)) {
    if (/^db\d+$/.test(k)) n += Number(/keys=(\d+)/.exec(v)?.[1] ?? 0);
  }
  return n;
}

async function findManager(engines: Engine[]): Promise<Engine | undefined> {
  for (const e of engines) {
    const s = await swarmInfo(e.docker).catch(() => undefined);
    if (s?.state === 'active' && s.controlAvailable) return e;
  }
  return undefined;
}

export function statusText(r: StatusReport): string {
  const parts: string[] = [];
  parts.push(
    table(
      ['HOST', 'ENDPOINT', 'ENGINE', 'SWARM', 'ROLE', 'NODE'],
      r.hosts.map((h) => [h.name, h.endpoint, h.reachable ? (h.engineVersion ?? '?') : `unreachable: ${h.error}`, h.swarm ?? '-', h.role ?? '-', h.nodeState ?? '-']),
    ),
  );
  parts.push('');
  if (r.services.length === 0) parts.push(`no services of cluster ${r.cluster}`);
  else {
    parts.push(
      table(
        ['SERVICE', 'MODE', 'TASKS', 'IMAGE', 'WHERE'],
        r.services.map((s) => [
          s.name,
          s.mode,
          `${s.running}/${s.desired}`,
          s.image,
          s.tasks.map((t) => `${t.node}:${t.state}${t.error ? ` (${t.error})` : ''}`).join(', '),
        ]),
      ),
    );
  }
  parts.push('');
  parts.push(
    r.router.reachable
      ? `router ${r.router.address}: ${r.router.clients ?? '?'} clients, ${r.router.opsPerSec ?? '?'} ops/s${r.router.error ? ` (${r.router.error})` : ''}`
      : `router ${r.router.address}: not answering (${r.router.error})`,
  );
  if (r.nodes.length) {
    parts.push(
      table(
        ['NODE', 'STATE', 'SLOTS', 'KEYS', 'MEMORY'],
        r.nodes.map((n) => [n.service, n.state ?? '-', n.slots, n.keys === undefined ? (n.error ?? '?') : String(n.keys), n.usedMemory === undefined ? '-' : `${(n.usedMemory / 1048576).toFixed(1)} MiB`]),
      ),
    );
  }
  if (r.nodeAddresses?.length) parts.push(`on the hosts' subnet: ${r.nodeAddresses.map((n) => `${n.service} ${n.address}`).join(', ')}`);
  for (const w of r.warnings ?? []) parts.push(`warning: ${w}`);
  return parts.join('\n');
}
