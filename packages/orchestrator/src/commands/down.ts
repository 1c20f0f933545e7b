/**
 * `swarmkv down`: removes the cluster's services, waits for their containers to be gone, then its
 * network and secrets: only objects labelled swarmkv.cluster=<name>. Images stay unless
 * `--images`; the swarm stays unless `--leave`, and is left only when swarmkv created it and
 * nothing else runs in it (workers leave first, the last manager last, so no quorum is lost).
 */
import type { ClusterConfig } from '../config/schema.js';
import { connectAll, type Engine } from '../engine/connect.js';
import { messageOf, statusOf, SwarmkvError } from '../errors.js';
import { imageRef } from '../image/build.js';
import { LABEL_CLUSTER, SWARM_LABEL_MANAGED } from '../swarm/names.js';
import { clusterServices, sleep, type Change } from '../swarm/resources.js';
import { firstManager, swarmInfo } from '../swarm/swarm.js';
import type { Output } from '../ui/output.js';
import { removeHostSubnet } from '../network/host-subnet.js';

export interface DownOptions {
  images: boolean;
  leave: boolean;
  /** Rollback mode: leave the swarm only when swarmkv created it (always true for users too). */
  onlyIfManaged?: boolean;
}

export interface DownReport {
  cluster: string;
  changes: Change[];
  durationMs: number;
}

const CONTAINERS_GONE_TIMEOUT_MS = 60_000;

export async function down(cfg: ClusterConfig, opts: DownOptions, out: Output): Promise<DownReport> {
  const started = performance.now();
  const engines = await out.step(`connecting to ${cfg.hosts.length} engine(s)`, () => connectAll(cfg.hosts));
  const changes = await removeCluster(engines, cfg, opts, (l) => out.progress(`  ${l}`), out);
  return { cluster: cfg.cluster.name, changes, durationMs: Math.round(performance.now() - started) };
}

export async function removeCluster(
  engines: readonly Engine[],
  cfg: ClusterConfig,
  opts: DownOptions,
  progress: (line: string) => void,
  out?: Output,
): Promise<Change[]> {
  const step = <T>(label: string, fn: () => Promise<T>) => (out ? out.step(label, fn) : fn());
  const changes: Change[] = [];
  const cluster = cfg.cluster.name;
  const label = `${LABEL_CLUSTER}=${cluster}`;
  const manager = firstManager(engines);
  const info = await swarmInfo(manager.docker);
  const swarmActive = info.state === 'active' && info.controlAvailable;
  // Whether the swarm may be left is decided before anything is removed, so a refusal changes nothing.
  const leave = opts.leave && swarmActive && (await mayLeave(manager, cluster, opts.onlyIfManaged ?? false));

  if (swarmActive) {
    await step('removing services', async () => {
      for (const s of await clusterServices(manager.docker, cluster)) {
        await ignore404(manager.docker.getService(s.ID).remove());
        changes.push({ kind: 'removed', object: `service ${s.Spec.Name}` });
      }
    });
  }
  await step('waiting for containers to stop', () => waitContainersGone(engines, label, progress));
  if (swarmActive) {
    await step('removing network and secrets', async () => {
      // The host-subnet macvlan first, then its config-only networks on every host (in that order).
      await removeHostSubnet(engines, manager, cluster, changes);
      const nets = (await manager.docker.listNetworks({ filters: { label: [label] } })) as { Id: string; Name: string }[];
      for (const n of nets) {
        await removeNetwork(manager, n.Id);
        changes.push({ kind: 'removed', object: `network ${n.Name}` });
      }
      const secrets = (await manager.docker.listSecrets({ filters: { label: [label] } })) as { ID: string; Spec?: { Name?: string } }[];
      for (const s of secrets) {
        await ignore404(manager.docker.getSecret(s.ID).remove());
        changes.push({ kind: 'removed', object: `secret ${s.Spec?.Name}` });
      }
    });
  }
  if (opts.images) {
    const ref = imageRef(cfg);
    const seen = new Set<string>();
    for (const e of engines) {
      if (seen.has(e.host.endpoint)) continue;
      seen.add(e.host.endpoint);
      try {
        const img = await e.docker.getImage(ref).inspect();
        if (img.Config?.Labels?.['swarmkv.image'] !== 'true') continue; // not ours: keep it
        await e.docker.getImage(ref).remove({ noprune: false });
        changes.push({ kind: 'removed', object: `image ${ref} on ${e.host.name}` });
      } catch (err) {
        if (statusOf(err) !== 404) throw err;
      }
    }
  }
  if (leave) {
    await step('leaving the swarm', async () => {
      const ordered = [...engines.filter((e) => e.host.role === 'worker'), ...engines.filter((e) => e.host.role === 'manager' && e !== manager), manager];
      const seen = new Set<string>();
      for (const e of ordered) {
        if (seen.has(e.host.endpoint)) continue;
        seen.add(e.host.endpoint);
        const i = await swarmInfo(e.docker);
        if (i.state === 'inactive') continue;
        await e.docker.swarmLeave({ force: e === manager });
        changes.push({ kind: 'removed', object: `swarm membership of ${e.host.name}` });
      }
    });
  }
  return changes;
}

async function mayLeave(manager: Engine, cluster: string, quietly: boolean): Promise<boolean> {
  const swarm = (await manager.docker.swarmInspect()) as { Spec?: { Labels?: Record<string, string> } };
  if (swarm.Spec?.Labels?.[SWARM_LABEL_MANAGED] !== 'true') {
    if (quietly) return false;
    throw new SwarmkvError('SWARM_FOREIGN', 'this swarm was not created by swarmkv: not leaving it', 'leave it yourself (`docker swarm leave`) if that is what you want');
  }
  const services = (await manager.docker.listServices()) as { Spec?: { Labels?: Record<string, string> } }[];
  const others = services.filter((s) => s.Spec?.Labels?.[LABEL_CLUSTER] !== cluster);
  if (others.length > 0) {
    if (quietly) return false;
    throw new SwarmkvError('SWARM_STATE', `not leaving the swarm: ${others.length} other service(s) run in it`, 'remove them (or their swarmkv clusters with `swarmkv down --name <cluster>`) first, or run `swarmkv down` without --leave');
  }
  return true;
}

/** Task containers outlive their service for a few seconds; the network cannot go before them. */
async function waitContainersGone(engines: readonly Engine[], label: string, progress: (l: string) => void): Promise<void> {
  const deadline = Date.now() + CONTAINERS_GONE_TIMEOUT_MS;
  let reported = false;
  for (;;) {
    let left = 0;
    for (const e of engines) {
      const cs = (await e.docker.listContainers({ all: true, filters: { label: [label] } })) as { Id: string; State?: string; Labels?: Record<string, string> }[];
      for (const c of cs) {
        // A standalone container (not a swarm task) of ours is removed directly.
        if (!c.Labels?.['com.docker.swarm.task.id']) await ignore404(e.docker.getContainer(c.Id).remove({ force: true }));
      }
      left += cs.length;
    }
    if (left === 0) return;
    if (!reported) {
      progress(`${left} container(s) still stopping`);
      reported = true;
    }
    if (Date.now() > deadline) {
      throw new SwarmkvError('DEPLOY_TIMEOUT', `${left} container(s) of the cluster did not stop within ${CONTAINERS_GONE_TIMEOUT_MS / 1000}s`, 'run `swarmkv down` again; see the engine log if they stay');
    }
    await sleep(250);
  }
}

async function removeNetwork(manager: Engine, id: string): Promise<void> {
  // The manager may still hold the network's endpoints for a moment after the last task is gone.
  for (let i = 0; ; i++) {
    try {
      await ignore404(manager.docker.getNetwork(id).remove());
      return;
    } catch (e) {
      if (i >= 40 || !/active endpoints|in use/i.test(messageOf(e))) throw e;
      await sleep(250);
    }
  }
}

async function ignore404<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (e) {
    if (statusOf(e) === 404) return undefined;
    throw e;
  }
}

export function downText(r: DownReport): string {
  return [
    r.changes.length ? `removed:\n${r.changes.map((c) => `  ${c.object}`).join('\n')}` : `nothing of cluster ${r.cluster} was there`,
    `took ${(r.durationMs / 1000).toFixed(1)}s`,
  ].join('\n');
}
