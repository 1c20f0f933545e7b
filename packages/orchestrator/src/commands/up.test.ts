/**
 * `up` and `down` against the fake Docker API: what is created on a fresh engine, that a second
 * `up` changes nothing, that a foreign swarm is refused unless adopted, that a failed first
 * deployment is rolled back, that a password becomes a swarm secret (and a new password a new
 * secret), and that `down` removes only what carries the cluster's label.
 */
import type { Server } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.js';
import type { ClusterConfig } from '../config/schema.js';
import { SwarmkvError } from '../errors.js';
import { portBusyLocally } from '../swarm/preflight.js';
import { FakeEngine, FakeSwarm } from '../testing/fake-docker.js';
import { fakeRouter } from '../testing/fake-router.js';
import { fixtureRoot } from '../testing/fixture-root.js';
import { Output } from '../ui/output.js';
import { down } from './down.js';
import { up } from './up.js';

const quiet = new Output({ json: false, quiet: true });
const OPTS = { adopt: false, timeoutMs: 5000 };

async function freePort(): Promise<number> {
  for (let p = 20000 + Math.floor(Math.random() * 20000); ; p++) if (!(await portBusyLocally(p, '127.0.0.1'))) return p;
}

describe('up/down with a fake engine', () => {
  let engine: FakeEngine;
  let router: Server | undefined;
  let port: number;

  beforeAll(() => {
    process.env.SWARMKV_REPO_ROOT = fixtureRoot();
  });

  async function setup(extra: Record<string, unknown> = {}, swarm?: FakeSwarm): Promise<ClusterConfig> {
    engine = new FakeEngine('h1', { tcp: true });
    if (swarm) {
      engine.swarm = swarm;
      engine.nodeId = swarm.addNode('h1', 'manager');
    }
    await engine.start();
    port = await freePort();
    router = await fakeRouter(port, 3, (i) => `t-node-${i}`);
    return parseConfig({
      hosts: [{ name: 'h1', endpoint: engine.endpoint, insecure: true }],
      cluster: { name: 't', port, ...extra },
      image: { build: 'dockerfile' },
    });
  }

  afterEach(async () => {
    await new Promise<void>((r) => (router ? router.close(() => r()) : r()));
    await engine.stop();
  });

  it('creates swarm, network and services on a fresh engine, all through the negotiated API version', async () => {
    const cfg = await setup();
    const r = await up(cfg, OPTS, quiet);
    expect(engine.rejected).toBe(0);
    expect(engine.calls[0]!.path).toBe('/version');
    expect(engine.mutations()).toEqual([
      'POST /build',
      'POST /swarm/init',
      `POST /nodes/${engine.nodeId}/update`,
      'POST /networks/create',
      'POST /services/create',
      'POST /services/create',
      'POST /services/create',
      'POST /services/create',
      'POST /images/prune',
    ]);
    const init = engine.calls.find((c) => c.path === '/swarm/init')!.body as { AdvertiseAddr: string; Spec: { Labels: Record<string, string> } };
    expect(init.AdvertiseAddr).toBe('127.0.0.1:2377');
    expect(init.Spec.Labels['swarmkv.managed']).toBe('true');
    const net = [...engine.swarm!.networks.values()][0]!;
    expect(net).toMatchObject({ Name: 't-net', Attachable: true, Labels: { 'swarmkv.cluster': 't' }, IPAM: { Config: [{ Subnet: '10.251.0.0/24' }] } });
    const specs = [...engine.swarm!.services.values()].map((s) => s.Spec as any);
    expect(specs.map((s) => s.Name).sort()).toEqual(['t-node-0', 't-node-1', 't-node-2', 't-router']);
    for (const s of specs) {
      expect(s.EndpointSpec.Mode).toBe('dnsrr');
      expect(s.TaskTemplate.ContainerSpec.Init).toBe(true);
      expect(s.TaskTemplate.RestartPolicy.Condition).toBe('on-failure');
      expect(s.Labels['swarmkv.cluster']).toBe('t');
      expect(s.TaskTemplate.ContainerSpec.Labels['swarmkv.cluster']).toBe('t');
    }
    const routerSpec = specs.find((s) => s.Name === 't-router');
    expect(routerSpec.Mode).toEqual({ Global: {} });
    expect(routerSpec.EndpointSpec.Ports).toEqual([{ Protocol: 'tcp', TargetPort: 6379, PublishedPort: port, PublishMode: 'host' }]);
    expect(routerSpec.TaskTemplate.ContainerSpec.Args).toEqual(['router', '--port', '6379', '--nodes', 't-node-0:6379,t-node-1:6379,t-node-2:6379']);
    expect(r.connect).toBe(`redis-cli -p ${port}`);
    expect(r.slots).toHaveLength(3);
  });

  it('a second up changes nothing', async () => {
    const cfg = await setup();
    await up(cfg, OPTS, quiet);
    const before = engine.mutations().length;
    const r = await up(cfg, OPTS, quiet);
    expect(r.changes).toEqual([]);
    expect(engine.mutations().length).toBe(before);
  });

  it('a changed setting updates only what it touches', async () => {
    const cfg = await setup();
    await up(cfg, OPTS, quiet);
    const more = parseConfig({ hosts: cfg.hosts.map((h) => ({ name: h.name, endpoint: h.endpoint, insecure: true })), cluster: { name: 't', port, shards: 4 }, image: { build: 'dockerfile' } });
    await router!.close();
    router = await fakeRouter(port, 4, (i) => `t-node-${i}`);
    const r = await up(more, OPTS, quiet);
    // The router's topology names a fourth node: it is updated; the other shards stay as they were.
    expect(r.changes.map((c) => `${c.kind} ${c.object}`)).toEqual(['created service t-node-3', 'updated service t-router']);
  });

  it('refuses a swarm it did not create unless --adopt', async () => {
    const cfg = await setup({}, new FakeSwarm({}));
    const err = await up(cfg, OPTS, quiet).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SwarmkvError);
    expect((err as SwarmkvError).code).toBe('SWARM_FOREIGN');
    expect((err as SwarmkvError).hint).toContain('--adopt');
    expect(engine.swarm!.services.size + engine.swarm!.networks.size).toBe(0);
    await up(cfg, { ...OPTS, adopt: true }, quiet);
    expect(engine.swarm!.spec.Labels!['swarmkv.adopted']).toBe('true');
    expect(engine.swarm!.services.size).toBe(4);
    // Adopted once is enough.
    expect((await up(cfg, OPTS, quiet)).changes).toEqual([]);
  });

  it('rolls a failed first deployment back, swarm included', async () => {
    const cfg = await setup();
    engine.failNext = { match: /^POST \/services\/create$/, status: 500, message: 'disk full' };
    const err = (await up(cfg, OPTS, quiet).catch((e: unknown) => e)) as SwarmkvError;
    expect(err.code).toBe('ENGINE_API');
    expect(err.message).toContain('disk full');
    expect(engine.swarm).toBeUndefined();
  });

  it('keeps the password in a swarm secret, and a new password in a new secret', async () => {
    const cfg = await setup({ password: 'hunter2' });
    await up(cfg, OPTS, quiet).catch(() => undefined); // the fake router asks for no AUTH: health may pass or not
    const secrets = [...engine.swarm!.secrets.values()];
    expect(secrets).toHaveLength(1);
    expect(Buffer.from(secrets[0]!.Spec.Data!, 'base64').toString()).toBe('hunter2');
    const node0 = [...engine.swarm!.services.values()].find((s) => s.Spec.Name === 't-node-0')!.Spec as any;
    expect(node0.TaskTemplate.ContainerSpec.Env).toEqual(['SWARMKV_PASSWORD_FILE=/run/secrets/swarmkv-password']);
    expect(node0.TaskTemplate.ContainerSpec.Secrets[0]).toMatchObject({ SecretID: secrets[0]!.ID, File: { Name: 'swarmkv-password' } });
    expect(JSON.stringify(node0)).not.toContain('hunter2');

    const changed = parseConfig({ hosts: [{ name: 'h1', endpoint: engine.endpoint, insecure: true }], cluster: { name: 't', port, password: 'correct horse' }, image: { build: 'dockerfile' } });
    const r = await up(changed, OPTS, quiet);
    const after = [...engine.swarm!.secrets.values()];
    expect(after).toHaveLength(1);
    expect(after[0]!.ID).not.toBe(secrets[0]!.ID);
    expect(r.changes.filter((c) => c.kind === 'updated')).toHaveLength(4);
    expect(r.changes.some((c) => c.kind === 'removed' && c.object.startsWith('secret'))).toBe(true);
  });

  it('down removes only what carries the cluster label, and leaves the swarm only when asked', async () => {
    const cfg = await setup();
    await up(cfg, OPTS, quiet);
    engine.swarm!.services.set('foreign', { ID: 'foreign', Version: { Index: 1 }, Spec: { Name: 'someone-else', Labels: {}, TaskTemplate: { ContainerSpec: {} } } });
    const r = await down(cfg, { images: false, leave: false }, quiet);
    expect(r.changes.map((c) => c.object).sort()).toEqual(['network t-net', 'service t-node-0', 'service t-node-1', 'service t-node-2', 'service t-router']);
    expect([...engine.swarm!.services.keys()]).toEqual(['foreign']);
    expect(engine.images.size).toBe(1);
    // Something else still runs in the swarm: --leave refuses.
    const err = (await down(cfg, { images: true, leave: true }, quiet).catch((e: unknown) => e)) as SwarmkvError;
    expect(err.code).toBe('SWARM_STATE');
    engine.swarm!.services.delete('foreign');
    const r2 = await down(cfg, { images: true, leave: true }, quiet);
    expect(r2.changes.map((c) => c.object)).toEqual(['image swarmkv:latest on h1', 'swarm membership of h1']);
    expect(engine.swarm).toBeUndefined();
  });
});
