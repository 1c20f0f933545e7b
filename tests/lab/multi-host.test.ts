/**
 * swarmkv across several Docker hosts, for real: `scripts/lab up 3` makes three hosts (network
 * namespaces, each with its own dockerd on mutual TLS), and `swarmkv up -f` spreads the cluster
 * over them from the root namespace. One lab, phases in order, each timed:
 *   1. lab up 3 (TLS works, a client without a certificate is refused)
 *   2. up through a TLS registry on 10.250.0.1:5000: swarm init on h1, joins of h2 and h3 through
 *      their own endpoints, the image built once, pushed once, pulled by h2 and h3
 *   3. traffic through every host's router reaching every shard (h1's router -> h3's node: VXLAN)
 *   4. host loss: h3 killed; its slots fail fast through h1's and h2's routers, the rest works;
 *      status shows the host and its shard down and that the shard's data is lost; h3 back: every
 *      slot served again with no manual step
 *   5. host-subnet mode: nodes get addresses on the lab subnet; a router process in the root
 *      namespace reaches every node directly, and every node reaches a listener in the root namespace
 *   6. back to overlay without a registry: the image is copied to each engine (save/load)
 *   7. swarmkv down, then lab down: nothing of the lab left on the machine
 * afterAll tears everything down whatever happened.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyInRange } from '../../packages/orchestrator/src/redis/slots.js';
import type { Engine } from '../../packages/orchestrator/src/engine/connect.js';
import { assertBuilt, cli, freePort, leftovers, NOTHING, ROOT, sleep, type CliResult } from '../e2e/helpers.js';
import { BRIDGE_IP, CLEAN, execIn, hostIp, lab, LAB_DIR, labEngines, machineState, phase, REGISTRY, variant } from './lab-helpers.js';

const HOSTS = 3;
const CLUSTER = 'lab';
const PORT = 6379;
const UP_TIMEOUT_S = 240;

/** Node slot ranges as the lab's router splits them (3 nodes, even split, in order). */
interface Shard {
  service: string;
  start: number;
  end: number;
}

function expectOk(r: CliResult, what: string): void {
  if (r.code !== 0) throw new Error(`${what} exited ${r.code}\nstderr:\n${r.stderr}\nstdout:\n${r.stdout.slice(0, 4000)}`);
}

function client(host: string, port = PORT): Redis {
  const r = new Redis({ host, port, lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, connectTimeout: 3000, commandTimeout: 5000, retryStrategy: () => 100 });
  r.on('error', () => undefined);
  return r;
}

/** Polls `fn` until it returns true or `ms` pass; returns whether it did. */
async function until(ms: number, fn: () => Promise<boolean>, everyMs = 250): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await fn().catch(() => false)) return true;
    await sleep(everyMs);
  }
  return false;
}

describe.sequential('swarmkv on a lab of 3 Docker hosts (network namespaces, mutual TLS)', () => {
  const file = join(LAB_DIR, 'cluster.yaml');
  let registryFile = '';
  /** The cluster file of the latest `up` (status and down use the same). */
  let current = file;
  let hostSubnetFile = '';
  let engines: Engine[] = [];
  let shards: Shard[] = [];
  const clients: Redis[] = [];
  /** Clients of the routers of h1, h2, h3 (index 0..2). */
  const routers: Redis[] = [];
  let firstContent = '';
  let plainRouter: ChildProcess | undefined;
  let listener: Server | undefined;
  let clusterUp = false;
  let labDown = false;
  const started = performance.now();

  beforeAll(async () => {
    assertBuilt();
    // A lab left by an earlier run that died is removed first: the lab's names are fixed.
    if ((await machineState()).links.includes('lab0')) {
      console.log('lab: removing a lab left behind by an earlier run');
      await lab(['down']);
    }
  });

  afterAll(async () => {
    for (const c of clients) c.disconnect();
    if (plainRouter && plainRouter.exitCode === null) plainRouter.kill('SIGKILL');
    listener?.close();
    if (clusterUp) await cli(['down', '-q', '--leave', '-f', current], { timeoutMs: 120_000 });
    if (!labDown) {
      const r = await lab(['down']);
      if (r.code !== 0) console.error(`lab down failed: ${r.stderr}`);
    }
    phase('whole lab test', performance.now() - started);
  });

  it('lab up 3: three engines answer over mutual TLS, a client without a certificate is refused', async () => {
    const r = await lab(['up', String(HOSTS)]);
    phase('lab up 3', r.ms);
    expect(r.stderr).not.toContain('error');
    expect(r.code).toBe(0);
    engines = await labEngines(file);
    expect(engines.map((e) => e.host.name)).toEqual(['h1', 'h2', 'h3']);
    for (const e of engines) expect(e.apiVersion).toBe('1.41');
    // Without a client certificate the TLS port refuses (the handshake fails), proving mutual TLS.
    const bare = await new Promise<string>((resolve) => {
      const s = tlsConnect({ host: hostIp(1), port: 2376, rejectUnauthorized: false }, () => s.write('GET /version HTTP/1.0\r\n\r\n'));
      let got = '';
      s.on('data', (d) => (got += d));
      s.on('error', (e) => resolve(`error ${(e as NodeJS.ErrnoException).code ?? e.message}`));
      s.on('close', () => resolve(got || 'closed without an answer'));
      s.setTimeout(5000, () => s.destroy());
    });
    expect(bare).not.toContain('ApiVersion');
  });

  it('up with a TLS registry: swarm over each host\'s TLS endpoint, image pushed once and pulled by h2 and h3', async () => {
    const reg = await lab(['registry']);
    phase('registry start', reg.ms);
    expect(reg.code).toBe(0);
    for (const e of engines.slice(1)) {
      const imgs = (await e.docker.listImages()) as { RepoTags?: string[] | null }[];
      expect(imgs.flatMap((i) => i.RepoTags ?? []).filter((t) => t.includes('swarmkv'))).toEqual([]);
    }
    registryFile = variant('cluster-registry', (d) => (d.image = { registry: REGISTRY }));
    const r = await cli(['up', '--json', '-q', '-f', registryFile, '--timeout', String(UP_TIMEOUT_S)], { timeoutMs: (UP_TIMEOUT_S + 120) * 1000 });
    phase('swarmkv up (3 hosts, registry)', r.ms);
    expectOk(r, 'swarmkv up');
    clusterUp = true;
    current = registryFile;
    firstContent = r.json.image.contentHash;
    const changes = (r.json.changes as { object: string }[]).map((c) => c.object);
    expect(changes).toEqual(
      expect.arrayContaining([
        'swarm initialised on h1 (advertise 10.250.0.11)',
        'h2 joined as worker',
        'h3 joined as worker',
        `image ${REGISTRY}/swarmkv:latest on h2`,
        `image ${REGISTRY}/swarmkv:latest on h3`,
        `service ${CLUSTER}-node-0`,
        `service ${CLUSTER}-router`,
      ]),
    );
    // Pulled, not loaded: an image gets a registry digest only by a push or a pull.
    const digests: string[] = [];
    for (const e of engines) {
      const img = (await e.docker.getImage(`${REGISTRY}/swarmkv:latest`).inspect()) as { RepoDigests?: string[] };
      expect(img.RepoDigests?.[0]).toMatch(new RegExp(`^${REGISTRY}/swarmkv@sha256:`));
      digests.push(img.RepoDigests![0]!);
    }
    expect(new Set(digests).size).toBe(1);
    // One shard per host, a router on every host.
    const manager = engines[0]!.docker;
    const nodeNames = new Map(((await manager.listNodes()) as { ID: string; Spec: { Labels: Record<string, string> } }[]).map((n) => [n.ID, n.Spec.Labels['swarmkv.host']]));
    for (let i = 0; i < HOSTS; i++) {
      const tasks = (await manager.listTasks({ filters: { service: [`${CLUSTER}-node-${i}`], 'desired-state': ['running'] } })) as { NodeID: string }[];
      expect(tasks.map((t) => nodeNames.get(t.NodeID))).toEqual([`h${i + 1}`]);
    }
    const routers = (await manager.listTasks({ filters: { service: [`${CLUSTER}-router`], 'desired-state': ['running'] } })) as { NodeID: string }[];
    expect(routers.map((t) => nodeNames.get(t.NodeID)).sort()).toEqual(['h1', 'h2', 'h3']);

    const again = await cli(['up', '--json', '-q', '-f', registryFile], { timeoutMs: 180_000 });
    phase('swarmkv up again (nothing to do)', again.ms);
    expectOk(again, 'second swarmkv up');
    // (On a shared checkout another build may have changed the packages meanwhile: then it rebuilds, rightly.)
    if (again.json.image.contentHash === firstContent) expect(again.json.changes).toEqual([]);
    else console.log('second up: the packages changed since the first, so it rebuilt');
  });

  it('traffic through every host\'s router reaches every shard', async () => {
    const t = performance.now();
    const st = await cli(['status', '--json', '-f', current], { timeoutMs: 120_000 });
    expectOk(st, 'swarmkv status');
    shards = (st.json.router.slots as { start: number; end: number; node: string }[]).map((s) => ({ service: s.node.split(':')[0]!, start: s.start, end: s.end }));
    expect(shards.map((s) => s.service)).toEqual([0, 1, 2].map((i) => `${CLUSTER}-node-${i}`));
    const N = 3000;
    routers.push(...[1, 2, 3].map((i) => client(hostIp(i))));
    clients.push(...routers);
    for (const r of routers) await r.connect();
    // Written through h1's router, read back through h2's and h3's: every key crosses hosts somewhere.
    for (let i = 0; i < N; i += 500) {
      const p = routers[0]!.pipeline();
      for (let j = i; j < i + 500; j++) p.set(`k:${j}`, `v:${j}`);
      expect((await p.exec())!.every(([err]) => err === null)).toBe(true);
    }
    for (const r of routers.slice(1)) {
      const got = await r.mget(...Array.from({ length: N }, (_, j) => `k:${j}`));
      expect(got.every((v, j) => v === `v:${j}`)).toBe(true);
    }
    // Each router reaches each shard on its own (router on h1 -> node on h3 goes over VXLAN).
    for (const [i, r] of routers.entries()) {
      for (const s of shards) {
        const key = keyInRange(s.start, s.end, `via-h${i + 1}:`);
        expect(await r.set(key, s.service)).toBe('OK');
        expect(await routers[(i + 1) % 3]!.get(key)).toBe(s.service);
      }
    }
    const after = await cli(['status', '--json', '-f', current], { timeoutMs: 120_000 });
    const keys = (after.json.nodes as { keys: number }[]).map((n) => n.keys);
    expect(keys.every((k) => k > N / 6), JSON.stringify(after.json.nodes)).toBe(true);
    expect(keys.reduce((a, b) => a + b, 0)).toBe(N + 9);
    phase('traffic through 3 routers', performance.now() - t);
  });

  it('host loss: h3 dies, its slots fail fast elsewhere, status says so; h3 back, every slot served again', async () => {
    const lost = shards[2]!;
    const lostKey = keyInRange(lost.start, lost.end, 'lost:');
    const keptKeys = shards.slice(0, 2).map((s) => keyInRange(s.start, s.end, 'kept:'));
    const [r1, r2] = routers;
    expect(await r1!.set(lostKey, 'before')).toBe('OK');
    for (const k of keptKeys) expect(await r1!.set(k, 'kept')).toBe('OK');

    const kill = await lab(['kill', 'h3']);
    expect(kill.code).toBe(0);
    const killedAt = performance.now();
    // Through the routers of the hosts that live: the lost shard's slots answer CLUSTERDOWN at once.
    let slowest = 0;
    let firstFailureMs = -1;
    const errors = new Set<string>();
    for (let round = 0; round < 10; round++) {
      for (const r of [r1!, r2!]) {
        const t = performance.now();
        try {
          await r.set(lostKey, 'during');
        } catch (e) {
          const ms = performance.now() - t;
          if (firstFailureMs < 0) firstFailureMs = performance.now() - killedAt;
          if (round > 0) slowest = Math.max(slowest, ms); // round 0 may still be finding out
          errors.add((e as Error).message.split(' ')[0]!);
        }
        for (const k of keptKeys) expect(await r.get(k)).toBe('kept');
      }
      await sleep(100);
    }
    console.log(`host loss: first CLUSTERDOWN ${firstFailureMs.toFixed(0)} ms after the kill, slowest failure afterwards ${slowest.toFixed(0)} ms`);
    expect([...errors]).toEqual(['CLUSTERDOWN']);
    expect(firstFailureMs).toBeGreaterThanOrEqual(0);
    expect(firstFailureMs).toBeLessThan(3000);
    expect(slowest).toBeLessThan(1000);

    const st = await cli(['status', '--json', '-f', current], { timeoutMs: 120_000 });
    phase('status with h3 lost', st.ms);
    expectOk(st, 'swarmkv status during the loss');
    const h3 = (st.json.hosts as { name: string; reachable: boolean }[]).find((h) => h.name === 'h3')!;
    expect(h3.reachable).toBe(false);
    const node2 = (st.json.nodes as { service: string; state?: string }[]).find((n) => n.service === lost.service)!;
    expect(node2.state).toBe('down');
    const warnings = (st.json.warnings as string[]).join('\n');
    expect(warnings).toContain('host h3 is down');
    expect(warnings).toContain(`${lost.service} (slots ${lost.start}-${lost.end}) down`);
    expect(warnings).toContain('data is lost');
    const text = await cli(['status', '-f', current], { timeoutMs: 120_000 });
    expect(text.stdout).toMatch(/warning: shard\(s\) lab-node-2 .* data is lost/);

    const start = await lab(['start', 'h3']);
    phase('lab start h3', start.ms);
    expect(start.code).toBe(0);
    const t = performance.now();
    routers[2]!.disconnect();
    const r3 = client(hostIp(3));
    routers[2] = r3;
    clients.push(r3);
    const back = await until(180_000, async () => {
      if (r3.status !== 'ready') await r3.connect().catch(() => undefined);
      for (const r of [r1!, r2!, r3]) {
        for (const s of shards) if ((await r.set(keyInRange(s.start, s.end, 'back:'), 'x')) !== 'OK') return false;
      }
      return true;
    }, 500);
    phase('recovery after h3 came back (every slot through every router)', performance.now() - t);
    expect(back).toBe(true);
    // What status warned about: the shard came back empty; the others kept their data.
    expect(await r1!.get(lostKey)).toBeNull();
    for (const k of keptKeys) expect(await r2!.get(k)).toBe('kept');
    const healed = await cli(['status', '--json', '-f', current], { timeoutMs: 120_000 });
    expect((healed.json.hosts as { reachable: boolean }[]).every((h) => h.reachable)).toBe(true);
    expect(healed.json.warnings).toEqual([]);
  });

  it('host-subnet mode: nodes on the hosts\' subnet, reached from the root namespace and reaching it', async () => {
    hostSubnetFile = variant('cluster-host-subnet', (d) => {
      d.image = { registry: REGISTRY };
      d.cluster.network.mode = 'host-subnet';
      d.cluster.network.hostSubnet = { subnet: '10.250.0.0/24', gateway: BRIDGE_IP, parent: 'eth0', ipRange: '10.250.0.64/26' };
    });
    const r = await cli(['up', '--json', '-q', '-f', hostSubnetFile, '--timeout', String(UP_TIMEOUT_S)], { timeoutMs: (UP_TIMEOUT_S + 120) * 1000 });
    phase('swarmkv up (switch to host-subnet)', r.ms);
    expectOk(r, 'swarmkv up host-subnet');
    current = hostSubnetFile;
    const addrs = r.json.nodeAddresses as { service: string; host: string; address: string }[];
    // Host i's block of 10.250.0.64/26: 10.250.0.64/28, .80/28, .96/28.
    expect(addrs.map((a) => a.host)).toEqual(['h1', 'h2', 'h3']);
    addrs.forEach((a, i) => {
      const last = Number(a.address.split('.')[3]);
      expect(a.address.startsWith('10.250.0.')).toBe(true);
      expect(last >= 64 + 16 * i && last < 80 + 16 * i).toBe(true);
    });

    // host -> container: a router as a plain process in the root namespace, nodes given by address.
    const t = performance.now();
    const port = await freePort();
    plainRouter = spawn(process.execPath, [join(ROOT, 'packages/router/bin/swarmkv-router.js'), '--port', String(port), '--bind', '127.0.0.1', '--nodes', addrs.map((a) => `${a.address}:6379`).join(','), '--log-level', 'warn'], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const direct = client('127.0.0.1', port);
    clients.push(direct);
    expect(await until(20_000, async () => (await direct.connect().catch(() => undefined), (await direct.ping()) === 'PONG'))).toBe(true);
    const viaSwarm = routers[1]!; // h2's router, inside the swarm
    const keys = Array.from({ length: 300 }, (_, j) => `hs:${j}`);
    const p = viaSwarm.pipeline();
    for (const k of keys) p.set(k, `swarm:${k}`);
    await p.exec();
    expect(await direct.mget(...keys)).toEqual(keys.map((k) => `swarm:${k}`));
    for (const s of shards) expect(await direct.set(keyInRange(s.start, s.end, 'direct:'), 'root-ns')).toBe('OK');
    for (const s of shards) expect(await viaSwarm.get(keyInRange(s.start, s.end, 'direct:'))).toBe('root-ns');
    const info = String(await direct.info('router'));
    expect(info).toContain('nodes_up:3');
    plainRouter.kill('SIGTERM');
    phase('host -> container (root-namespace router to macvlan addresses)', performance.now() - t);

    // container -> host: each node container connects to a listener in the root namespace.
    const t2 = performance.now();
    const seen: string[] = [];
    listener = createServer((s: Socket) => {
      seen.push(s.remoteAddress ?? '?');
      s.end(`hello ${s.remoteAddress}\n`);
    });
    const lport = await new Promise<number>((res) => listener!.listen(0, BRIDGE_IP, () => res((listener!.address() as { port: number }).port)));
    for (const [i, e] of engines.entries()) {
      const [c] = (await e.docker.listContainers({ filters: { label: [`swarmkv.cluster=${CLUSTER}`, 'swarmkv.role=node'] } })) as { Id: string }[];
      expect(c, `a node container on h${i + 1}`).toBeDefined();
      const js = `const s=require('net').connect(${lport},'${BRIDGE_IP}');s.setTimeout(5000,()=>{console.log('TIMEOUT');process.exit(3)});s.on('data',d=>process.stdout.write(d));s.on('error',e=>{console.log('ERROR '+e.code);process.exit(2)})`;
      const out = await execIn(e.docker, c!.Id, ['/usr/bin/node', '-e', js]);
      expect(out.output.trim()).toBe(`hello ${addrs[i]!.address}`);
      expect(out.exitCode).toBe(0);
    }
    // The listener saw the nodes' own subnet addresses: no NAT between containers and hosts.
    expect(seen).toEqual(addrs.map((a) => a.address));
    listener.close();
    phase('container -> host (node containers to a root-namespace listener)', performance.now() - t2);
  });

  it('back to overlay without a registry: the image is copied into each engine', async () => {
    const r = await cli(['up', '--json', '-q', '-f', file, '--timeout', String(UP_TIMEOUT_S)], { timeoutMs: (UP_TIMEOUT_S + 120) * 1000 });
    phase('swarmkv up (overlay, save/load to each engine)', r.ms);
    expectOk(r, 'swarmkv up overlay');
    current = file;
    const changes = (r.json.changes as { object: string }[]).map((c) => c.object);
    expect(changes).toEqual(expect.arrayContaining(['image swarmkv:latest on h2', 'image swarmkv:latest on h3']));
    // Same content as the registry's build (unless the packages were rebuilt meanwhile): tagged on h1, not built again.
    if (r.json.image.contentHash === firstContent) expect(r.json.image.built).toBe(false);
    for (const e of engines) {
      const img = (await e.docker.getImage('swarmkv:latest').inspect()) as { Config: { Labels: Record<string, string> } };
      expect(img.Config.Labels['swarmkv.content']).toBe(r.json.image.contentHash);
    }
    // The new image rolled the routers too: each comes back (clients reconnect) and serves every shard.
    const t = performance.now();
    const served = await until(120_000, async () => {
      for (const c of routers) {
        for (const s of shards) if ((await c.set(keyInRange(s.start, s.end, 'overlay:'), 'again')) !== 'OK') return false;
      }
      return true;
    }, 500);
    phase('every router serves every shard after the roll', performance.now() - t);
    expect(served).toBe(true);
  });

  it('swarmkv down, then lab down: the machine is as it was', async () => {
    for (const c of clients) c.disconnect();
    let r = await cli(['down', '--json', '-q', '--leave', '-f', file], { timeoutMs: 180_000 });
    phase('swarmkv down --leave', r.ms);
    if (r.code !== 0) {
      // Seen once under heavy load: an engine reset one TLS connection mid-down (ECONNRESET).
      // down is idempotent: a second run finishes the job, and must.
      console.log(`swarmkv down failed once (${r.stderr.trim().split('\n')[0]}); running it again`);
      r = await cli(['down', '--json', '-q', '--leave', '-f', file], { timeoutMs: 180_000 });
    }
    expectOk(r, 'swarmkv down');
    clusterUp = false;
    for (const e of engines) {
      expect(await leftovers(e.docker, CLUSTER)).toEqual(NOTHING);
      const nets = (await e.docker.listNetworks()) as { Name: string }[];
      expect(nets.map((n) => n.Name).filter((n) => n.startsWith(CLUSTER) || n.startsWith('swarmkv'))).toEqual([]);
      expect(((await e.docker.info()) as { Swarm: { LocalNodeState: string } }).Swarm.LocalNodeState).toBe('inactive');
    }
    const d = await lab(['down']);
    phase('lab down', d.ms);
    expect(d.code).toBe(0);
    labDown = true;
    expect(await machineState()).toEqual(CLEAN);
  });
});
