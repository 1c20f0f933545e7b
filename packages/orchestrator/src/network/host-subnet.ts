/**
 * The host-subnet network mode at run time: storage nodes get a second network, a swarm-scoped
 * macvlan whose addresses are on the hosts' own subnet, so a program on that subnet (a router
 * outside the swarm, a client that wants a node directly) reaches every node at its own address,
 * and a node reaches the hosts' subnet without NAT. Docker builds such a network from a
 * config-only network on every host (same subnet and gateway, the host's own --ip-range, the
 * macvlan parent) plus one `--scope swarm --config-from` network on a manager. Discovery stays on
 * the overlay (macvlan's embedded DNS only knows the local host's tasks), and routers stay off
 * the macvlan: a container whose gateway is the macvlan gets no docker_gwbridge, and a host-mode
 * published port needs that bridge.
 * Docker refuses labels on a network made --config-from ("user specified configurations are not
 * supported..."), so the swarm network is known as ours by its name and the config network it is
 * made from, which does carry the swarmkv.cluster label.
 */
import type Docker from 'dockerode';
import type { ClusterConfig } from '../config/schema.js';
import type { Engine } from '../engine/connect.js';
import { messageOf, statusOf, SwarmkvError } from '../errors.js';
import { LABEL_CLUSTER, LABEL_SHARD, LABEL_SPEC_HASH, hashOf, nodeServiceName } from '../swarm/names.js';
import type { Change } from '../swarm/resources.js';
import { hostRanges, type HostRange } from './host-subnet-config.js';

/** Label value of swarmkv.network on the macvlan and config-only networks. */
export const LABEL_NETWORK = 'swarmkv.network';
const CONFIG_ROLE = 'host-subnet-config';

export interface HostSubnetPlan {
  readonly cluster: string;
  /** The swarm-scoped macvlan network the node services join. */
  readonly network: string;
  /** The config-only network on each host that it is made from. */
  readonly configNetwork: string;
  readonly subnet: string;
  readonly gateway: string;
  readonly hosts: readonly HostRange[];
}

export const hostSubnetName = (cluster: string): string => `${cluster}-hostnet`;
export const hostSubnetConfigName = (cluster: string): string => `${cluster}-hostnet-cfg`;

/** The plan, or undefined in overlay mode. The schema already checked every range exists. */
export function planHostSubnet(cfg: ClusterConfig): HostSubnetPlan | undefined {
  const net = cfg.cluster.network;
  if (net.mode !== 'host-subnet' || !net.hostSubnet) return undefined;
  const ranges = hostRanges({ hosts: cfg.hosts, cluster: { network: { subnet: net.subnet, mode: 'host-subnet', hostSubnet: net.hostSubnet } } });
  return {
    cluster: cfg.cluster.name,
    network: hostSubnetName(cfg.cluster.name),
    configNetwork: hostSubnetConfigName(cfg.cluster.name),
    subnet: net.hostSubnet.subnet,
    gateway: net.hostSubnet.gateway,
    hosts: ranges.map((r, i) => {
      if (!r) throw new SwarmkvError('CONFIG_INVALID', `hosts.${i}.ipRange: no address range for host ${cfg.hosts[i]!.name}`, 'set hosts[].ipRange or cluster.network.hostSubnet.ipRange');
      return r;
    }),
  };
}

interface NetworkInfo {
  Id: string;
  Name: string;
  Driver?: string;
  Scope?: string;
  ConfigOnly?: boolean;
  ConfigFrom?: { Network?: string };
  Options?: Record<string, string>;
  Labels?: Record<string, string>;
  IPAM?: { Config?: { Subnet?: string; IPRange?: string; Gateway?: string }[] };
  Containers?: Record<string, unknown>;
}

async function findNetwork(docker: Docker, name: string): Promise<NetworkInfo | undefined> {
  const found = (await docker.listNetworks({ filters: { name: [name] } })) as NetworkInfo[];
  return found.find((n) => n.Name === name);
}

function conflict(what: string, host: string, hint: string): SwarmkvError {
  return new SwarmkvError('NETWORK_CONFLICT', `${what} on host ${host}`, hint);
}

/** The hash of one host's config-only network settings, kept as a label to see changes. */
function configHash(p: HostSubnetPlan, r: HostRange): string {
  return hashOf({ subnet: p.subnet, gateway: p.gateway, ipRange: r.ipRange, parent: r.parent });
}

/**
 * Makes (or checks) the config-only network on every host and the swarm macvlan network on the
 * manager. Returns the macvlan network's ID, or undefined in overlay mode. A host whose settings
 * changed gets its config-only network made anew while nothing uses it; otherwise the error says
 * to run `swarmkv down` first (a network in use cannot change).
 */
export async function ensureHostSubnet(engines: readonly Engine[], manager: Engine, cfg: ClusterConfig, changes: Change[]): Promise<string | undefined> {
  const p = planHostSubnet(cfg);
  if (!p) return undefined;
  const labels = { [LABEL_CLUSTER]: p.cluster };
  let swarmNet = await findNetwork(manager.docker, p.network);
  if (swarmNet && swarmNet.ConfigFrom?.Network !== p.configNetwork) {
    throw conflict(`a network named ${p.network} exists and is not swarmkv cluster ${p.cluster}'s`, manager.host.name, 'remove that network, or use another cluster name');
  }
  for (const e of engines) {
    const r = p.hosts.find((x) => x.host === e.host.name)!;
    const hash = configHash(p, r);
    const have = await findNetwork(e.docker, p.configNetwork);
    if (have) {
      if (have.Labels?.[LABEL_CLUSTER] !== p.cluster) {
        throw conflict(`a network named ${p.configNetwork} exists and is not swarmkv cluster ${p.cluster}'s`, e.host.name, 'remove that network, or use another cluster name');
      }
      if (have.Labels?.[LABEL_SPEC_HASH] === hash) continue;
      if (swarmNet) {
        throw conflict(
          `the host-subnet settings of ${e.host.name} changed (now ${r.ipRange} on ${r.parent}) while network ${p.network} uses them`,
          e.host.name,
          'run `swarmkv down` first: a network in use cannot change its addresses',
        );
      }
      await e.docker.getNetwork(have.Id).remove();
      changes.push({ kind: 'removed', object: `network ${p.configNetwork} on ${e.host.name} (settings changed)` });
    }
    try {
      await e.docker.createNetwork({
        Name: p.configNetwork,
        Driver: 'macvlan',
        ConfigOnly: true,
        CheckDuplicate: true,
        IPAM: { Driver: 'default', Config: [{ Subnet: p.subnet, IPRange: r.ipRange, Gateway: p.gateway }] },
        Options: { parent: r.parent },
        Labels: { ...labels, [LABEL_NETWORK]: CONFIG_ROLE, [LABEL_SPEC_HASH]: hash },
      } as Docker.NetworkCreateOptions);
    } catch (err) {
      throw new SwarmkvError('ENGINE_API', `creating network ${p.configNetwork} on host ${e.host.name} failed: ${messageOf(err)}`, `check hosts.${e.host.name}: ipRange ${r.ipRange} inside ${p.subnet}, parent ${r.parent} an interface of that host`);
    }
    changes.push({ kind: 'created', object: `network ${p.configNetwork} on ${e.host.name} (${r.ipRange} via ${r.parent})` });
  }
  if (swarmNet) return swarmNet.Id;
  try {
    const created = (await manager.docker.createNetwork({
      Name: p.network,
      Driver: 'macvlan',
      Scope: 'swarm',
      Attachable: true,
      CheckDuplicate: true,
      ConfigFrom: { Network: p.configNetwork },
    } as Docker.NetworkCreateOptions)) as { id: string };
    changes.push({ kind: 'created', object: `network ${p.network} (macvlan on ${p.subnet})` });
    swarmNet = { Id: created.id, Name: p.network };
  } catch (err) {
    throw new SwarmkvError('ENGINE_API', `creating network ${p.network} failed: ${messageOf(err)}`, 'see the message; `swarmkv down` removes what was made');
  }
  return swarmNet.Id;
}

async function removeWithRetry(docker: Docker, id: string): Promise<boolean> {
  // Endpoints linger a moment after the last task is gone; a config network waits for its users.
  for (let i = 0; ; i++) {
    try {
      await docker.getNetwork(id).remove();
      return true;
    } catch (e) {
      if (statusOf(e) === 404) return false;
      if (i >= 40 || !/active endpoints|in use/i.test(messageOf(e))) throw e;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/**
 * Removes the cluster's macvlan network (through the manager), then the config-only network on
 * every host, in that order: a config-only network cannot go while a network is made from it.
 * Called by `down`, and by `up` in overlay mode to clear what an earlier host-subnet `up` left.
 * Unreachable hosts are skipped (their config network goes with the next `down` that reaches them).
 */
export async function removeHostSubnet(engines: readonly Engine[], manager: Engine | undefined, cluster: string, changes: Change[]): Promise<void> {
  const label = { label: [`${LABEL_CLUSTER}=${cluster}`] };
  if (manager) {
    const n = await findNetwork(manager.docker, hostSubnetName(cluster));
    if (n && n.ConfigFrom?.Network === hostSubnetConfigName(cluster) && (await removeWithRetry(manager.docker, n.Id))) {
      changes.push({ kind: 'removed', object: `network ${n.Name}` });
    }
  }
  const seen = new Set<string>();
  for (const e of engines) {
    if (seen.has(e.host.endpoint)) continue;
    seen.add(e.host.endpoint);
    let nets: NetworkInfo[];
    try {
      nets = (await e.docker.listNetworks({ filters: label })) as NetworkInfo[];
    } catch {
      continue;
    }
    for (const n of nets.filter((x) => x.Labels?.[LABEL_NETWORK] === CONFIG_ROLE)) {
      if (await removeWithRetry(e.docker, n.Id)) changes.push({ kind: 'removed', object: `network ${n.Name} on ${e.host.name}` });
    }
  }
}

export interface NodeAddress {
  readonly service: string;
  readonly shard: number;
  /** The swarm node's swarmkv.host label (the cluster file's host name). */
  readonly host: string;
  readonly address: string;
}

/**
 * Where each storage node can be reached on the hosts' subnet: the address its running container
 * got on the macvlan network. That IPAM is node-local, so the manager's task list does not know
 * the address: each host's engine is asked for its own containers. Shards without a running
 * container on a reachable host are left out.
 */
export async function nodeAddresses(engines: readonly Engine[], cfg: ClusterConfig): Promise<NodeAddress[]> {
  const p = planHostSubnet(cfg);
  if (!p) return [];
  const out: NodeAddress[] = [];
  const seen = new Set<string>();
  for (const e of engines) {
    if (seen.has(e.host.endpoint)) continue;
    seen.add(e.host.endpoint);
    let cs: { Labels?: Record<string, string>; State?: string; NetworkSettings?: { Networks?: Record<string, { IPAddress?: string }> } }[];
    try {
      cs = (await e.docker.listContainers({ filters: { label: [`${LABEL_CLUSTER}=${cfg.cluster.name}`, 'swarmkv.role=node'] } })) as typeof cs;
    } catch {
      continue; // a lost host: its shards have no address now
    }
    for (const c of cs) {
      const shard = Number(c.Labels?.[LABEL_SHARD]);
      const addr = c.NetworkSettings?.Networks?.[p.network]?.IPAddress;
      if (c.State !== 'running' || !addr || !Number.isInteger(shard)) continue;
      out.push({ service: nodeServiceName(cfg.cluster.name, shard), shard, host: e.host.name, address: addr });
    }
  }
  return out.sort((a, b) => a.shard - b.shard);
}

/**
 * Waits (up to `timeoutMs`) until every shard's container has its address on the hosts' subnet:
 * right after a rolling update the router may already answer while a replaced node's new
 * container is still being wired. Returns what is known when time runs out.
 */
export async function waitForNodeAddresses(engines: readonly Engine[], cfg: ClusterConfig, timeoutMs: number): Promise<NodeAddress[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = await nodeAddresses(engines, cfg);
    if (got.length >= cfg.cluster.shards || Date.now() > deadline) return got;
    await new Promise((r) => setTimeout(r, 500));
  }
}
