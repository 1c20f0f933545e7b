/**
 * Creates, updates and removes the swarm objects of one cluster through the manager's engine:
 * the attachable overlay network, the password secret and the services. Each `ensure` compares
 * what exists (found by name and the swarmkv.cluster label) with the plan and does only the
 * difference, reporting it, so running `up` twice changes nothing the second time.
 */
import type Docker from 'dockerode';
import { messageOf, statusOf, SwarmkvError } from '../errors.js';
import { LABEL_CLUSTER, LABEL_CONTENT, LABEL_SPEC_HASH, hashOf } from './names.js';
import { serviceSpec, type ClusterPlan } from './plan.js';

export type Change = { readonly kind: 'created' | 'updated' | 'removed'; readonly object: string };

interface NetworkInfo {
  Id: string;
  Name: string;
  Driver?: string;
  Scope?: string;
  Labels?: Record<string, string>;
  IPAM?: { Config?: { Subnet?: string }[] };
}

export async function ensureNetwork(docker: Docker, plan: ClusterPlan, changes: Change[]): Promise<string> {
  const { name, subnet } = plan.network;
  const found = ((await docker.listNetworks({ filters: { name: [name] } })) as NetworkInfo[]).filter((n) => n.Name === name);
  const net = found[0];
  if (net) {
    if (net.Labels?.[LABEL_CLUSTER] !== plan.cluster) {
      throw new SwarmkvError('NETWORK_CONFLICT', `a network named ${name} exists and is not swarmkv cluster ${plan.cluster}'s`, 'choose another cluster.network.name, or remove that network');
    }
    const subnets = (net.IPAM?.Config ?? []).map((c) => c.Subnet);
    if (net.Driver !== 'overlay' || !subnets.includes(subnet)) {
      throw new SwarmkvError('NETWORK_CONFLICT', `network ${name} exists with subnet ${subnets.join(',') || 'none'}, the cluster file asks for ${subnet}`, 'run `swarmkv down` first: a network\'s subnet cannot change while services use it');
    }
    return net.Id;
  }
  const created = (await docker.createNetwork({
    Name: name,
    Driver: 'overlay',
    Attachable: true,
    CheckDuplicate: true,
    IPAM: { Driver: 'default', Config: [{ Subnet: subnet }] },
    Labels: { [LABEL_CLUSTER]: plan.cluster },
  })) as { id: string };
  changes.push({ kind: 'created', object: `network ${name} (${subnet})` });
  return created.id;
}

interface SecretInfo {
  ID: string;
  Spec?: { Name?: string; Labels?: Record<string, string> };
}

async function clusterSecrets(docker: Docker, cluster: string): Promise<SecretInfo[]> {
  return (await docker.listSecrets({ filters: { label: [`${LABEL_CLUSTER}=${cluster}`] } })) as SecretInfo[];
}

export async function ensureSecret(docker: Docker, plan: ClusterPlan, changes: Change[]): Promise<string | undefined> {
  if (!plan.secret) return undefined;
  const existing = (await clusterSecrets(docker, plan.cluster)).find((s) => s.Spec?.Name === plan.secret!.name);
  if (existing) return existing.ID;
  const created = (await docker.createSecret({
    Name: plan.secret.name,
    Labels: { [LABEL_CLUSTER]: plan.cluster },
    Data: Buffer.from(plan.secret.data).toString('base64'),
  })) as { id: string };
  changes.push({ kind: 'created', object: `secret ${plan.secret.name}` });
  return created.id;
}

/** Secrets of the cluster no longer named by the plan (an old password), once no service uses them. */
export async function removeStaleSecrets(docker: Docker, plan: ClusterPlan, changes: Change[]): Promise<void> {
  for (const s of await clusterSecrets(docker, plan.cluster)) {
    if (s.Spec?.Name === plan.secret?.name) continue;
    try {
      await docker.getSecret(s.ID).remove();
      changes.push({ kind: 'removed', object: `secret ${s.Spec?.Name}` });
    } catch (e) {
      if (statusOf(e) !== 404) throw e; // still in use by a task being replaced: next `up` removes it
    }
  }
}

export interface ServiceInfo {
  ID: string;
  Version: { Index: number };
  Spec: Record<string, unknown> & { Name: string; Labels?: Record<string, string> };
}

export async function clusterServices(docker: Docker, cluster: string): Promise<ServiceInfo[]> {
  return (await docker.listServices({ filters: { label: [`${LABEL_CLUSTER}=${cluster}`] } })) as unknown as ServiceInfo[];
}

export async function ensureServices(
  docker: Docker,
  plan: ClusterPlan,
  ctx: { image: string; contentHash: string; networkId: string; secretId?: string; hostSubnetId?: string },
  changes: Change[],
): Promise<void> {
  const existing = new Map((await clusterServices(docker, plan.cluster)).map((s) => [s.Spec.Name, s]));
  for (const p of plan.services) {
    const extra = ctx.hostSubnetId ? { hostSubnetId: ctx.hostSubnetId } : {};
    const base = serviceSpec(p, { image: ctx.image, networkId: ctx.networkId, ...(ctx.secretId ? { secretId: ctx.secretId } : {}), ...extra });
    // The spec hash covers the image content too, so a rebuilt image rolls the services.
    const specHash = hashOf({ base, content: ctx.contentHash });
    const spec = serviceSpec(p, {
      image: ctx.image,
      networkId: ctx.networkId,
      ...(ctx.secretId ? { secretId: ctx.secretId } : {}),
      ...extra,
      extraLabels: { [LABEL_SPEC_HASH]: specHash, [LABEL_CONTENT]: ctx.contentHash },
    });
    const cur = existing.get(p.name);
    existing.delete(p.name);
    try {
      if (!cur) {
        await docker.createService(spec);
        changes.push({ kind: 'created', object: `service ${p.name}` });
      } else if (cur.Spec.Labels?.[LABEL_SPEC_HASH] !== specHash) {
        await docker.getService(cur.ID).update({ _query: { version: cur.Version.Index }, _body: spec });
        changes.push({ kind: 'updated', object: `service ${p.name}` });
      }
    } catch (e) {
      throw new SwarmkvError('ENGINE_API', `${cur ? 'updating' : 'creating'} service ${p.name} failed: ${messageOf(e)}`, 'see the message above; `swarmkv down` removes what was made');
    }
  }
  // Services of this cluster the plan no longer has (fewer shards than before).
  for (const s of existing.values()) {
    await docker.getService(s.ID).remove();
    changes.push({ kind: 'removed', object: `service ${s.Spec.Name}` });
  }
}

interface TaskInfo {
  ID: string;
  ServiceID: string;
  NodeID?: string;
  DesiredState?: string;
  Status?: { State?: string; Err?: string; Message?: string; Timestamp?: string };
  Spec?: { ContainerSpec?: { Labels?: Record<string, string> } };
}

export async function serviceTasks(docker: Docker, serviceId: string): Promise<TaskInfo[]> {
  return (await docker.listTasks({ filters: { service: [serviceId], 'desired-state': ['running'] } })) as TaskInfo[];
}

/**
 * Waits until every service of the cluster has its tasks running: one for a replicated shard,
 * one per eligible node for the global router. On time-out the error lists what each task said.
 */
export async function waitForTasks(docker: Docker, cluster: string, timeoutMs: number, onWait?: (pending: string[]) => void): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let pending: string[] = [];
  for (;;) {
    pending = [];
    const nodes = (await docker.listNodes()) as { ID: string; Status?: { State?: string }; Spec?: { Availability?: string } }[];
    const readyNodes = nodes.filter((n) => n.Status?.State === 'ready' && n.Spec?.Availability === 'active').length;
    for (const s of await clusterServices(docker, cluster)) {
      const tasks = await serviceTasks(docker, s.ID);
      const running = tasks.filter((t) => t.Status?.State === 'running').length;
      const mode = s.Spec.Mode as { Replicated?: { Replicas?: number }; Global?: object } | undefined;
      // A global service's eligible nodes are exactly those the orchestrator gave a task.
      const want = mode?.Global ? Math.max(1, Math.min(tasks.length || 1, readyNodes)) : (mode?.Replicated?.Replicas ?? 1);
      if (running < want) {
        const why = tasks.map((t) => t.Status?.Err || t.Status?.Message || t.Status?.State).filter(Boolean);
        pending.push(`${s.Spec.Name} (${running}/${want} running${why.length ? `: ${[...new Set(why)].join('; ')}` : ''})`);
      }
    }
    if (pending.length === 0) return;
    onWait?.(pending);
    if (Date.now() > deadline) {
      throw new SwarmkvError('DEPLOY_TIMEOUT', `tasks not running after ${Math.round(timeoutMs / 1000)}s: ${pending.join(', ')}`, 'see `swarmkv status`; a task stuck in "pending" usually lacks the image on its host or a free port');
    }
    await sleep(500);
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
