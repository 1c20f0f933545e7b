/**
 * What a cluster consists of, derived from the cluster file alone: one storage-node service per
 * shard and one router service, with their commands, placement, ports and labels. `up` renders
 * this plan into Engine API service specs and `stack` into a compose file, so both deploy the same
 * thing. Facts of these machines shape it: no IPVS, so every service uses endpoint_mode dnsrr and
 * the router publishes its port in host mode; node as PID 1 ignores SIGTERM, so init: true.
 */
import type { ClusterConfig } from '../config/schema.js';
import {
  CONTAINER_PORT,
  LABEL_CLUSTER,
  LABEL_ROLE,
  LABEL_SHARD,
  NODE_LABEL_HOST,
  NODE_LABEL_ROUTER,
  SECRET_TARGET,
  nodeServiceName,
  routerServiceName,
  secretName,
} from './names.js';

export interface ServicePlan {
  readonly name: string;
  readonly role: 'node' | 'router';
  readonly shard?: number;
  /** Arguments after the image's entrypoint: the role, then the program's flags. */
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly global: boolean;
  readonly constraints: readonly string[];
  readonly ports: readonly { readonly target: number; readonly published: number }[];
  readonly secret?: { readonly name: string; readonly target: string };
  readonly labels: Readonly<Record<string, string>>;
}

export interface ClusterPlan {
  readonly cluster: string;
  readonly network: { readonly name: string; readonly subnet: string };
  readonly secret?: { readonly name: string; readonly data: string };
  readonly services: readonly ServicePlan[];
}

export function planCluster(cfg: ClusterConfig): ClusterPlan {
  const c = cfg.cluster;
  const labels = { [LABEL_CLUSTER]: c.name };
  const secret = c.password ? { name: secretName(c.name, c.password), data: c.password } : undefined;
  const secretRef = secret ? { name: secret.name, target: SECRET_TARGET } : undefined;
  const env: Record<string, string> = secret ? { SWARMKV_PASSWORD_FILE: `/run/secrets/${SECRET_TARGET}` } : {};
  const multiHost = cfg.hosts.length > 1;

  const nodes: ServicePlan[] = [];
  for (let i = 0; i < c.shards; i++) {
    // Shards are pinned round-robin to hosts: a storage node's data lives in its memory, so a
    // task moving to another host would come back empty anyway; pinning keeps the layout known.
    const host = cfg.hosts[i % cfg.hosts.length]!;
    nodes.push({
      name: nodeServiceName(c.name, i),
      role: 'node',
      shard: i,
      args: ['node', '--port', String(CONTAINER_PORT), '--bind', '0.0.0.0'],
      env,
      global: false,
      constraints: multiHost ? [`node.labels.${NODE_LABEL_HOST} == ${host.name}`] : [],
      ports: [],
      ...(secretRef ? { secret: secretRef } : {}),
      labels: { ...labels, [LABEL_ROLE]: 'node', [LABEL_SHARD]: String(i) },
    });
  }
  const topology = nodes.map((n) => `${n.name}:${CONTAINER_PORT}`).join(',');
  const everyHostRoutes = cfg.hosts.every((h) => h.router);
  const router: ServicePlan = {
    name: routerServiceName(c.name),
    role: 'router',
    args: ['router', '--port', String(CONTAINER_PORT), '--nodes', topology],
    env,
    // One router per host, each publishing the port on its own host (host mode: no routing mesh).
    global: true,
    constraints: everyHostRoutes ? [] : [`node.labels.${NODE_LABEL_ROUTER} == true`],
    ports: [{ target: CONTAINER_PORT, published: c.port }],
    ...(secretRef ? { secret: secretRef } : {}),
    labels: { ...labels, [LABEL_ROLE]: 'router' },
  };
  return { cluster: c.name, network: c.network, ...(secret ? { secret } : {}), services: [...nodes, router] };
}

/** The Engine API ServiceSpec for one planned service. */
export function serviceSpec(
  p: ServicePlan,
  ctx: { image: string; networkId: string; secretId?: string; extraLabels?: Record<string, string>; hostSubnetId?: string },
): Record<string, unknown> {
  const labels = { ...p.labels, ...ctx.extraLabels };
  return {
    Name: p.name,
    Labels: labels,
    TaskTemplate: {
      ContainerSpec: {
        Image: ctx.image,
        Args: [...p.args],
        Env: Object.entries(p.env).map(([k, v]) => `${k}=${v}`),
        Labels: p.labels,
        Init: true,
        StopGracePeriod: 10_000_000_000,
        ...(p.secret && ctx.secretId
          ? { Secrets: [{ SecretID: ctx.secretId, SecretName: p.secret.name, File: { Name: p.secret.target, UID: '0', GID: '0', Mode: 0o400 } }] }
          : {}),
      },
      RestartPolicy: { Condition: 'on-failure', Delay: 1_000_000_000, MaxAttempts: 0 },
      Placement: { Constraints: [...p.constraints] },
      // host-subnet mode: storage nodes also join the macvlan network (network/host-subnet.ts).
      Networks: [{ Target: ctx.networkId }, ...(p.role === 'node' && ctx.hostSubnetId ? [{ Target: ctx.hostSubnetId }] : [])],
    },
    Mode: p.global ? { Global: {} } : { Replicated: { Replicas: 1 } },
    // A host-mode port cannot be held by two tasks on one node: stop the old task first.
    UpdateConfig: { Parallelism: 1, Order: 'stop-first', FailureAction: 'pause' },
    EndpointSpec: {
      Mode: 'dnsrr',
      Ports: p.ports.map((port) => ({ Protocol: 'tcp', TargetPort: port.target, PublishedPort: port.published, PublishMode: 'host' })),
    },
  };
}
