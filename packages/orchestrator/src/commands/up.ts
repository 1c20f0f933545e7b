/**
 * `swarmkv up`: converges the hosts onto the cluster the file describes. Checks first (engines
 * reachable, subnet free, router port free), so bad input changes nothing; then the image, the
 * swarm, the network, the secret and the services, each step doing only what differs from what
 * exists. A first deployment that fails part-way is rolled back (services, network, secret, and
 * the swarm if this run created it), so a failed `up` leaves nothing half-made.
 */
import type { ClusterConfig } from '../config/schema.js';
import { connectAll, type Engine } from '../engine/connect.js';
import { messageOf, SwarmkvError } from '../errors.js';
import { ensureImage, pruneOldImages } from '../image/build.js';
import { waitForRouter, type RouterHealth } from '../redis/probe.js';
import { planCluster } from '../swarm/plan.js';
import { checkPort, checkSubnet } from '../swarm/preflight.js';
import {
  clusterServices,
  ensureNetwork,
  ensureSecret,
  ensureServices,
  removeStaleSecrets,
  waitForTasks,
  type Change,
} from '../swarm/resources.js';
import { ensureSwarm, firstManager } from '../swarm/swarm.js';
import { removeCluster } from './down.js';
import { CONTAINER_PORT } from '../swarm/names.js';
import { ensureHostSubnet, removeHostSubnet, waitForNodeAddresses, type NodeAddress } from '../network/host-subnet.js';
import type { Output } from '../ui/output.js';

export interface UpOptions {
  adopt: boolean;
  timeoutMs: number;
}

export interface UpReport {
  cluster: string;
  changes: Change[];
  image: { ref: string; contentHash: string; built: boolean };
  router: { host: string; port: number };
  slots: RouterHealth['ranges'];
  connect: string;
  durationMs: number;
  /** host-subnet mode: each storage node's address on the hosts' subnet. */
  nodeAddresses?: NodeAddress[];
}

/** Where to reach the router from this machine: loopback for the local engine, else the host's address. */
export function routerAddress(cfg: ClusterConfig): { host: string; port: number } {
  const h = cfg.hosts.find((x) => x.router) ?? cfg.hosts[0]!;
  return { host: h.endpoint.startsWith('unix://') ? '127.0.0.1' : h.advertise, port: cfg.cluster.port };
}

export function connectHint(cfg: ClusterConfig): string {
  const r = routerAddress(cfg);
  const hostPart = r.host === '127.0.0.1' ? '' : `-h ${r.host} `;
  const auth = cfg.cluster.password ? ' -a <password>' : '';
  return `redis-cli ${hostPart}-p ${r.port}${auth}`;
}

export async function up(cfg: ClusterConfig, opts: UpOptions, out: Output): Promise<UpReport> {
  const started = performance.now();
  const engines = await out.step(`connecting to ${cfg.hosts.length} engine(s)`, async (note) => {
    const es = await connectAll(cfg.hosts);
    note(es.map((e) => `${e.host.name}: Docker ${e.engineVersion}, API ${e.apiVersion}`).join('; '));
    return es;
  });
  const manager = firstManager(engines);
  await out.step('checking subnet and router port', async () => {
    await checkSubnet(engines, cfg);
    await checkPort(engines, manager, cfg);
  });

  const image = await out.step(`image ${cfg.image.tag}`, async (note) => {
    const r = await ensureImage(engines, cfg, (l) => out.progress(`  ${l}`));
    note(r.built ? `built ${r.contentHash}` : `up to date (${r.contentHash})`);
    return r;
  });

  const changes: Change[] = [];
  if (image.built) changes.push({ kind: 'created', object: `image ${image.ref} (${image.contentHash})` });
  for (const h of image.copiedTo) changes.push({ kind: 'created', object: `image ${image.ref} on ${h}` });

  let initialised = false;
  let fresh = false;
  const plan = planCluster(cfg);
  try {
    const swarm = await out.step('swarm', async (note) => {
      const s = await ensureSwarm(engines, { adopt: opts.adopt });
      note(s.changes.length ? s.changes.join(', ') : `reusing swarm ${s.swarmId.slice(0, 12)}`);
      return s;
    });
    initialised = swarm.initialised;
    for (const c of swarm.changes) changes.push({ kind: c.startsWith('labels') ? 'updated' : 'created', object: c });
    const docker = manager.docker;
    fresh = (await clusterServices(docker, cfg.cluster.name)).length === 0;

    await out.step(`services of cluster ${cfg.cluster.name}`, async (note) => {
      const before = changes.length;
      const networkId = await ensureNetwork(docker, plan, changes);
      const hostSubnetId = await ensureHostSubnet(engines, manager, cfg, changes);
      const secretId = await ensureSecret(docker, plan, changes);
      await ensureServices(
        docker,
        plan,
        { image: image.ref, contentHash: image.contentHash, networkId, ...(secretId ? { secretId } : {}), ...(hostSubnetId ? { hostSubnetId } : {}) },
        changes,
      );
      note(changes.length > before ? changes.slice(before).map((c) => `${c.kind} ${c.object}`).join(', ') : 'unchanged');
    });
    await out.step('waiting for tasks to run', () => waitForTasks(docker, cfg.cluster.name, opts.timeoutMs));
    await removeStaleSecrets(docker, plan, changes);
    // Back to overlay mode after a host-subnet `up`: the nodes left the macvlan, so it can go.
    if (cfg.cluster.network.mode !== 'host-subnet') await removeHostSubnet(engines, manager, cfg.cluster.name, changes).catch(() => undefined);
    if (image.built || image.copiedTo.length > 0) {
      const pruned = await pruneOldImages(engines).catch(() => 0); // best effort: never fails an up
      if (pruned > 0) changes.push({ kind: 'removed', object: `${pruned} superseded image(s)` });
    }
    const target = routerAddress(cfg);
    const health = await out.step(`waiting for the router on ${target.host}:${target.port} to serve all slots`, async (note) => {
      const h = await waitForRouter({ ...target, ...(cfg.cluster.password ? { password: cfg.cluster.password } : {}) }, cfg.cluster.shards, opts.timeoutMs);
      note(`${h.covered} slots over ${h.shardsReached} shards`);
      return h;
    });
    const report: UpReport = {
      cluster: cfg.cluster.name,
      changes,
      image: { ref: image.ref, contentHash: image.contentHash, built: image.built },
      router: target,
      slots: health.ranges,
      connect: connectHint(cfg),
      durationMs: Math.round(performance.now() - started),
    };
    if (cfg.cluster.network.mode === 'host-subnet') report.nodeAddresses = await waitForNodeAddresses(engines, cfg, 30_000);
    return report;
  } catch (e) {
    if (fresh || initialised) await rollback(engines, cfg, initialised, out);
    throw e;
  }
}

async function rollback(engines: Engine[], cfg: ClusterConfig, leaveSwarm: boolean, out: Output): Promise<void> {
  try {
    await out.step('rolling back this failed first deployment', () =>
      removeCluster(engines, cfg, { images: false, leave: leaveSwarm, onlyIfManaged: true }, () => undefined).then(() => undefined),
    );
  } catch (e) {
    out.error(`rollback incomplete: ${messageOf(e)}; run \`swarmkv down\` to finish it`);
  }
}

export function upText(r: UpReport): string {
  const lines = [
    `cluster ${r.cluster} is up: ${r.slots.length} slot ranges, router on ${r.router.host}:${r.router.port}`,
    r.changes.length ? `changes:\n${r.changes.map((c) => `  ${c.kind} ${c.object}`).join('\n')}` : 'nothing changed (already up to date)',
    `took ${(r.durationMs / 1000).toFixed(1)}s`,
    '',
    `connect: ${r.connect}`,
  ];
  if (r.nodeAddresses?.length) {
    lines.push(`storage nodes on the hosts' subnet: ${r.nodeAddresses.map((n) => `${n.service} ${n.address}:${CONTAINER_PORT} (${n.host})`).join(', ')}`);
  }
  return lines.join('\n');
}

export { SwarmkvError };
