/**
 * Checks made before `up` changes anything, so that bad input leaves nothing half-made: the
 * overlay subnet must not overlap a network of this machine or of any engine, and the router port
 * must be free on every host that will publish it (unless swarmkv's own router already holds it).
 */
import { createServer } from 'node:net';
import { networkInterfaces } from 'node:os';
import type Docker from 'dockerode';
import { overlaps, parseCidr } from '../config/cidr.js';
import type { ClusterConfig } from '../config/schema.js';
import type { Engine } from '../engine/connect.js';
import { SwarmkvError } from '../errors.js';
import { LABEL_CLUSTER, routerServiceName } from './names.js';
import { swarmInfo } from './swarm.js';

export interface NetworkUse {
  readonly where: string;
  readonly subnet: string;
}

/** IPv4 networks of this machine's interfaces ("eth0 192.0.2.0/24"). */
export function hostNetworks(ifaces = networkInterfaces()): NetworkUse[] {
  const out: NetworkUse[] = [];
  for (const [name, addrs] of Object.entries(ifaces)) {
    for (const a of addrs ?? []) {
      if (a.family === 'IPv4' && a.cidr) out.push({ where: `interface ${name} of this machine`, subnet: a.cidr });
    }
  }
  return out;
}

/** Subnets of an engine's networks, except the cluster's own overlay (it is allowed to exist). */
export async function engineNetworks(e: Engine, cluster: string, ownNetwork: string): Promise<NetworkUse[]> {
  const nets = (await e.docker.listNetworks()) as { Name: string; Labels?: Record<string, string>; IPAM?: { Config?: { Subnet?: string }[] } }[];
  const out: NetworkUse[] = [];
  for (const n of nets) {
    if (n.Name === ownNetwork && n.Labels?.[LABEL_CLUSTER] === cluster) continue;
    for (const c of n.IPAM?.Config ?? []) {
      if (c.Subnet) out.push({ where: `Docker network ${n.Name} on host ${e.host.name}`, subnet: c.Subnet });
    }
  }
  return out;
}

export function findOverlap(subnet: string, uses: readonly NetworkUse[]): NetworkUse | undefined {
  const mine = parseCidr(subnet)!;
  return uses.find((u) => {
    const c = parseCidr(u.subnet);
    return c !== undefined && overlaps(mine, c);
  });
}

export async function checkSubnet(engines: readonly Engine[], cfg: ClusterConfig): Promise<void> {
  const { name: net, subnet } = cfg.cluster.network;
  const uses = [
    ...(engines.some((e) => e.host.endpoint.startsWith('unix://')) ? hostNetworks() : []),
    ...(await Promise.all(engines.map((e) => engineNetworks(e, cfg.cluster.name, net)))).flat(),
  ];
  const hit = findOverlap(subnet, uses);
  if (hit) {
    throw new SwarmkvError(
      'SUBNET_OVERLAP',
      `overlay subnet ${subnet} overlaps ${hit.subnet} (${hit.where})`,
      'choose another cluster.network.subnet (or --subnet), e.g. one inside 10.251.0.0/16 that nothing here uses',
    );
  }
}

/** True when something on this machine listens on the port (a bind on it fails). */
export function portBusyLocally(port: number, address = '0.0.0.0'): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'EADDRINUSE' || e.code === 'EACCES'));
    srv.listen({ port, host: address, exclusive: true }, () => srv.close(() => resolve(false)));
  });
}

async function ourRouterPublishes(manager: Docker, cfg: ClusterConfig): Promise<boolean> {
  const services = (await manager.listServices({ filters: { name: [routerServiceName(cfg.cluster.name)] } })) as {
    Spec?: { Name?: string; Labels?: Record<string, string>; EndpointSpec?: { Ports?: { PublishedPort?: number }[] } };
  }[];
  return services.some(
    (s) =>
      s.Spec?.Name === routerServiceName(cfg.cluster.name) &&
      s.Spec.Labels?.[LABEL_CLUSTER] === cfg.cluster.name &&
      (s.Spec.EndpointSpec?.Ports ?? []).some((p) => p.PublishedPort === cfg.cluster.port),
  );
}

export async function checkPort(engines: readonly Engine[], manager: Engine, cfg: ClusterConfig): Promise<void> {
  const port = cfg.cluster.port;
  const m = await swarmInfo(manager.docker);
  if (m.state === 'active' && m.controlAvailable) {
    if (await ourRouterPublishes(manager.docker, cfg)) return;
    const services = (await manager.docker.listServices()) as { Spec?: { Name?: string; EndpointSpec?: { Ports?: { PublishedPort?: number }[] } } }[];
    const other = services.find((s) => (s.Spec?.EndpointSpec?.Ports ?? []).some((p) => p.PublishedPort === port));
    if (other) throw portError(port, `swarm service ${other.Spec?.Name}`);
  }
  for (const e of engines) {
    if (!e.host.router) continue;
    const containers = (await e.docker.listContainers()) as { Names?: string[]; Ports?: { PublicPort?: number }[] }[];
    const c = containers.find((x) => (x.Ports ?? []).some((p) => p.PublicPort === port));
    if (c) throw portError(port, `container ${(c.Names?.[0] ?? '').replace(/^\//, '')} on host ${e.host.name}`);
    if (e.host.endpoint.startsWith('unix://') && (await portBusyLocally(port))) {
      throw portError(port, `another program on host ${e.host.name} (this machine)`);
    }
  }
}

function portError(port: number, by: string): SwarmkvError {
  return new SwarmkvError(
    'PORT_IN_USE',
    `router port ${port} is already in use by ${by}`,
    `stop what holds it, or pick another port with cluster.port in the cluster file (or --port)`,
  );
}
