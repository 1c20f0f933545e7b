/**
 * Several hosts with the fake engines: the first manager initialises, the others join through
 * their own engines with the token of their role, nodes get their labels, the image is built once
 * and copied to the other engine; a second pass changes nothing; a host in another swarm is refused.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.js';
import { connectAll } from '../engine/connect.js';
import { SwarmkvError } from '../errors.js';
import { ensureImage } from '../image/build.js';
import { FakeEngine, FakeSwarm, linkEngines } from '../testing/fake-docker.js';
import { fixtureRoot } from '../testing/fixture-root.js';
import { ensureSwarm } from './swarm.js';

describe('multi-host swarm', () => {
  let fakes: FakeEngine[] = [];

  beforeAll(() => {
    process.env.SWARMKV_REPO_ROOT = fixtureRoot();
  });
  afterEach(async () => {
    for (const f of fakes) await f.stop();
    fakes = [];
  });

  async function cluster(n: number) {
    fakes = Array.from({ length: n }, (_, i) => new FakeEngine(`vm${i}`, { tcp: true }));
    for (const f of fakes) await f.start();
    linkEngines(fakes);
    return parseConfig({
      hosts: fakes.map((f, i) => ({
        name: `h${i}`,
        endpoint: f.endpoint,
        insecure: true,
        advertise: `10.250.0.${11 + i}`,
        role: i === 2 ? 'worker' : 'manager',
        labels: { zone: `z${i}` },
      })),
      image: { build: 'dockerfile' },
    });
  }

  it('inits, joins with the right tokens, labels nodes, and then does nothing', async () => {
    const cfg = await cluster(3);
    const engines = await connectAll(cfg.hosts);
    const r = await ensureSwarm(engines, { adopt: false });
    expect(r.changes).toEqual(['swarm initialised on h0 (advertise 10.250.0.11)', 'h1 joined as manager', 'h2 joined as worker', 'labels of h0', 'labels of h1', 'labels of h2']);
    const join = fakes[2]!.calls.find((c) => c.path === '/swarm/join')!.body as { JoinToken: string; RemoteAddrs: string[]; AdvertiseAddr: string };
    expect(join.JoinToken).toBe(fakes[0]!.swarm!.tokens.Worker);
    expect(join.RemoteAddrs).toEqual(['10.250.0.11:2377']);
    expect(join.AdvertiseAddr).toBe('10.250.0.13:2377');
    expect((fakes[1]!.calls.find((c) => c.path === '/swarm/join')!.body as { JoinToken: string }).JoinToken).toBe(fakes[0]!.swarm!.tokens.Manager);
    const labels = [...fakes[0]!.swarm!.nodes.values()].map((n) => n.Spec.Labels);
    expect(labels).toEqual([
      { zone: 'z0', 'swarmkv.host': 'h0' },
      { zone: 'z1', 'swarmkv.host': 'h1' },
      { zone: 'z2', 'swarmkv.host': 'h2' },
    ]);
    const again = await ensureSwarm(engines, { adopt: false });
    expect(again.changes).toEqual([]);
  });

  it('builds the image once and copies it to the other engines', async () => {
    const cfg = await cluster(2);
    const engines = await connectAll(cfg.hosts);
    const r = await ensureImage(engines, cfg, () => undefined);
    expect(r.built).toBe(true);
    expect(r.copiedTo).toEqual(['h1']);
    expect(fakes[0]!.mutations()).toEqual(['POST /build']);
    expect(fakes[1]!.mutations()).toEqual(['POST /images/load']);
    expect(fakes[1]!.images.get('swarmkv:latest')).toEqual(fakes[0]!.images.get('swarmkv:latest'));
    const again = await ensureImage(engines, cfg, () => undefined);
    expect(again).toMatchObject({ built: false, copiedTo: [] });
  });

  it('refuses a host that is in another swarm', async () => {
    const cfg = await cluster(2);
    const other = new FakeSwarm({});
    fakes[1]!.swarm = other;
    fakes[1]!.nodeId = other.addNode('vm1', 'manager');
    const engines = await connectAll(cfg.hosts);
    const err = (await ensureSwarm(engines, { adopt: false }).catch((e: unknown) => e)) as SwarmkvError;
    expect(err.code).toBe('SWARM_STATE');
    expect(err.message).toContain('h1');
    // The swarm this run made is gone again; the other host's swarm is untouched.
    expect(fakes[0]!.swarm).toBeUndefined();
    expect(fakes[1]!.swarm).toBe(other);
  });
});
