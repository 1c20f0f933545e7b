/**
 * The whole life of a cluster on the real local Docker Engine: `up` (timed), 10,000 keys written
 * and read through the router's published port and spread over all 3 shards, `status --json`
 * showing them, a second `up` that changes nothing, a storage node's container killed (the swarm
 * restarts it; meanwhile its slots fail fast, the router stays up), and `down` (timed) leaving
 * nothing of ours behind. Leaves the swarm at the end when it found none.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyInRange, keySlot } from '../../packages/orchestrator/src/redis/slots.js';
import { assertBuilt, cli, clusterDir, engine, ensureDockerd, freePort, leftovers, NOTHING, sleep, swarmState, type Docker } from './helpers.js';

const CLUSTER = 'swarmkv-e2e';
const KEYS = 10_000;

describe('swarmkv up / status / down on the local engine', () => {
  let docker: Docker;
  let dir: string;
  let port: number;
  let swarmBefore: string;
  let client: Redis | undefined;

  beforeAll(async () => {
    assertBuilt();
    await ensureDockerd();
    docker = await engine();
    swarmBefore = await swarmState(docker);
    port = await freePort();
    dir = clusterDir(`cluster:\n  name: ${CLUSTER}\n  port: ${port}\n  network:\n    subnet: 10.251.77.0/24\n`);
  });

  afterAll(async () => {
    client?.disconnect();
    // Whatever happened above, leave the engine as we found it.
    const args = ['down', '-q', ...(swarmBefore === 'inactive' ? ['--leave'] : [])];
    if (docker) await cli(args, { cwd: dir });
  });

  it('up creates the cluster and the router serves all slots', async () => {
    const r = await cli(['up', '--json', '-q'], { cwd: dir });
    console.log(`swarmkv up (first): ${(r.ms / 1000).toFixed(1)}s`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.json.connect).toBe(`redis-cli -p ${port}`);
    expect(r.json.slots.reduce((n: number, s: { start: number; end: number }) => n + s.end - s.start + 1, 0)).toBe(16384);
    expect(r.json.changes.map((c: { object: string }) => c.object)).toEqual(
      expect.arrayContaining([`service ${CLUSTER}-node-0`, `service ${CLUSTER}-node-1`, `service ${CLUSTER}-node-2`, `service ${CLUSTER}-router`]),
    );
  });

  it('writes and reads 10,000 keys through the router on 127.0.0.1, landing on all 3 shards', async () => {
    client = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 1, lazyConnect: true });
    await client.connect();
    for (let i = 0; i < KEYS; i += 1000) {
      const p = client.pipeline();
      for (let j = i; j < i + 1000; j++) p.set(`key:${j}`, `value:${j}`);
      const res = await p.exec();
      expect(res!.every(([err, v]) => err === null && v === 'OK')).toBe(true);
    }
    for (let i = 0; i < KEYS; i += 1000) {
      const p = client.pipeline();
      for (let j = i; j < i + 1000; j++) p.get(`key:${j}`);
      const res = await p.exec();
      res!.forEach(([err, v], k) => {
        expect(err).toBeNull();
        expect(v).toBe(`value:${i + k}`);
      });
    }
    // --verbose: each call to the real engine on stderr; stdout stays one JSON document.
    const st = await cli(['status', '--json', '--verbose'], { cwd: dir });
    expect(st.code).toBe(0);
    expect(st.stderr).toMatch(/^docker [\w.-]+: GET \/version -> ok \(\d+ ms\)$/m);
    expect(st.stderr).toMatch(/^docker [\w.-]+: GET \/v1\.\d+\/services -> ok \(\d+ ms\)$/m);
    const nodes = st.json.nodes as { service: string; keys: number }[];
    expect(nodes).toHaveLength(3);
    for (const n of nodes) expect(n.keys).toBeGreaterThan(KEYS / 6);
    expect(nodes.reduce((s, n) => s + n.keys, 0)).toBe(KEYS);
    expect(st.json.services.map((s: { running: number; desired: number }) => s.running === s.desired)).toEqual([true, true, true, true]);
    expect(st.json.router.reachable).toBe(true);
    expect(st.json.hosts[0].swarm).toBe('active');
  });

  it('a second up changes nothing', async () => {
    const before = (await docker.listServices({ filters: { label: [`swarmkv.cluster=${CLUSTER}`] } })).map((s) => `${s.ID}@${s.Version?.Index}`).sort();
    const r = await cli(['up', '--json', '-q'], { cwd: dir });
    console.log(`swarmkv up (second, no change): ${(r.ms / 1000).toFixed(1)}s`);
    expect(r.code).toBe(0);
    expect(r.json.changes).toEqual([]);
    expect(r.json.image.built).toBe(false);
    const after = (await docker.listServices({ filters: { label: [`swarmkv.cluster=${CLUSTER}`] } })).map((s) => `${s.ID}@${s.Version?.Index}`).sort();
    expect(after).toEqual(before);
    expect(await client!.get('key:42')).toBe('value:42'); // nothing restarted
  });

  it('a killed storage node is restarted by the swarm; its slots fail fast meanwhile; the router stays', async () => {
    const routerBefore = await docker.listContainers({ filters: { label: [`swarmkv.cluster=${CLUSTER}`, 'swarmkv.role=router'] } });
    const st = await cli(['status', '--json'], { cwd: dir });
    const range = (st.json.router.slots as { start: number; end: number; node: string }[]).find((s) => s.node.includes(`${CLUSTER}-node-1`)) ??
      st.json.router.slots[1];
    const key = keyInRange(range.start, range.end, 'victim:');
    expect(keySlot(key)).toBeGreaterThanOrEqual(range.start);
    await client!.set(key, 'x');
    const [victim] = await docker.listContainers({ filters: { label: [`swarmkv.cluster=${CLUSTER}`, 'swarmkv.shard=1'] } });
    expect(victim).toBeDefined();
    await docker.getContainer(victim!.Id).kill();

    const probe = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 0, commandTimeout: 3000, enableOfflineQueue: false, lazyConnect: true, retryStrategy: () => 50 });
    probe.on('error', () => undefined);
    await probe.connect();
    let failures = 0;
    let slowestFailureMs = 0;
    let recovered = false;
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const t = performance.now();
      try {
        await probe.set(key, 'y');
        if (failures > 0) {
          recovered = true;
          break;
        }
      } catch {
        failures++;
        slowestFailureMs = Math.max(slowestFailureMs, performance.now() - t);
      }
      await sleep(100);
    }
    probe.disconnect();
    console.log(`node restart: ${failures} failed commands meanwhile, slowest failure ${slowestFailureMs.toFixed(0)} ms`);
    expect(failures).toBeGreaterThan(0);
    expect(slowestFailureMs).toBeLessThan(2500);
    expect(recovered).toBe(true);
    expect(await client!.get(key)).toBe('y');
    // The other shards kept their data.
    const elsewhere = Array.from({ length: 50 }, (_, j) => `key:${j}`).filter((k) => keySlot(k) < range.start || keySlot(k) > range.end);
    for (const k of elsewhere) expect(await client!.get(k)).toBe(`value:${k.slice(4)}`);
    const routerAfter = await docker.listContainers({ filters: { label: [`swarmkv.cluster=${CLUSTER}`, 'swarmkv.role=router'] } });
    expect(routerAfter.map((c) => c.Id)).toEqual(routerBefore.map((c) => c.Id));
  });

  it('down removes every service, network, secret and container of the cluster', async () => {
    client?.disconnect();
    client = undefined;
    const r = await cli(['down', '--json', '-q'], { cwd: dir });
    console.log(`swarmkv down: ${(r.ms / 1000).toFixed(1)}s`);
    expect(r.code).toBe(0);
    expect(await leftovers(docker, CLUSTER)).toEqual(NOTHING);
    const again = await cli(['down', '--json', '-q'], { cwd: dir });
    expect(again.code).toBe(0);
    expect(again.json.changes).toEqual([]);
  });
});
