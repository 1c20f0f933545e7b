/**
 * Reading and replacing the slot map while clients stay connected: ROUTER TOPOLOGY GET/SET
 * (validated, commands in flight finish, later ones follow the new map), and the
 * `swarmkv-router` binary: --topology YAML with host names, SIGHUP re-reading the file, and
 * exit code 2 with the gap named for an invalid file.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient } from '../support/raw-client.js';
import { freePort, REPO_ROOT, startRedis, waitForPing, type ServerHandle } from '../support/servers.js';
import { keyOnNode, sleep, startRouterFixture, type RouterFixture } from './support.js';

const text = (b: Buffer) => b.latin1Slice();

describe('ROUTER TOPOLOGY', () => {
  let fx: RouterFixture;
  beforeAll(async () => {
    fx = await startRouterFixture(3);
  });
  afterAll(async () => fx?.stop());

  it('returns the even split and swaps in a new map under connected clients', async () => {
    const r = new Redis({ port: fx.port, host: '127.0.0.1' });
    const admin = new Redis({ port: fx.port, host: '127.0.0.1' });
    const [p0, p1, p2] = fx.nodes.map((n) => n.port);
    try {
      expect(JSON.parse(String(await admin.call('ROUTER', 'TOPOLOGY', 'GET')))).toEqual({
        shards: [
          { primary: `127.0.0.1:${p0}`, replicas: [], slots: [[0, 5460]] },
          { primary: `127.0.0.1:${p1}`, replicas: [], slots: [[5461, 10922]] },
          { primary: `127.0.0.1:${p2}`, replicas: [], slots: [[10923, 16383]] },
        ],
      });
      const k2 = keyOnNode(2, 'moving');
      await r.set(k2, 'old-home');
      // A pipeline in flight while the map changes: every reply arrives, in order.
      const pipe = r.pipeline();
      for (let i = 0; i < 2000; i++) pipe.incr(`flight:${i % 50}`);
      const inFlight = pipe.exec();
      const next = {
        shards: [
          { primary: `127.0.0.1:${p0}`, slots: [[0, 5460], [10923, 16383]] },
          { primary: `localhost:${p1}`, slots: ['5461-10922'] },
        ],
      };
      expect(await admin.call('ROUTER', 'TOPOLOGY', 'SET', JSON.stringify(next))).toBe('OK');
      const results = await inFlight;
      expect(results).toHaveLength(2000);
      expect(results!.every(([err]) => err === null)).toBe(true);
      // Node 2's slots now live on node 0 (its data did not move: the key is missing there).
      expect(await r.get(k2)).toBeNull();
      await r.set(k2, 'new-home');
      const direct0 = new Redis({ port: p0, host: '127.0.0.1' });
      expect(await direct0.get(k2)).toBe('new-home');
      direct0.disconnect();
      expect(await r.get(keyOnNode(1, 'viahostname'))).toBeNull(); // localhost resolves
      expect(JSON.parse(String(await admin.call('ROUTER', 'TOPOLOGY', 'GET'))).shards).toHaveLength(2);
    } finally {
      r.disconnect();
      admin.disconnect();
    }
  });

  it('refuses a map with a gap or an overlap, naming the slots', async () => {
    const c = await RawClient.connect(fx.port);
    const p0 = fx.nodes[0]!.port;
    try {
      const gap = { shards: [{ primary: `127.0.0.1:${p0}`, slots: [[0, 99], [201, 16383]] }] };
      expect(text(await c.call('ROUTER', 'TOPOLOGY', 'SET', JSON.stringify(gap)))).toBe(
        '-ERR ROUTER TOPOLOGY SET: slots 100-200 are not assigned to any shard\r\n',
      );
      const overlap = {
        shards: [
          { primary: `127.0.0.1:${p0}`, slots: [[0, 16383]] },
          { primary: `127.0.0.1:${fx.nodes[1]!.port}`, slots: [[500, 600]] },
        ],
      };
      expect(text(await c.call('ROUTER', 'TOPOLOGY', 'SET', JSON.stringify(overlap)))).toMatch(
        /^-ERR ROUTER TOPOLOGY SET: slots 500-600 are assigned twice: to shard 0 \(127\.0\.0\.1:\d+\) and shard 1/,
      );
      expect(text(await c.call('ROUTER', 'TOPOLOGY', 'SET', '{"shards":[{"primary":"nope","slots":[[0,16383]]}]}'))).toMatch(
        /^-ERR ROUTER TOPOLOGY SET: invalid topology: shards\.0\.primary: invalid address 'nope'/,
      );
      expect(text(await c.call('ROUTER', 'TOPOLOGY', 'SET', 'not json'))).toMatch(/^-ERR ROUTER TOPOLOGY SET: invalid topology/);
    } finally {
      c.close();
    }
  });

  it('needs AUTH when --requirepass is set', async () => {
    const { routerFor } = await import('./support.js');
    const locked = await routerFor(
      fx.nodes.map((n) => n.port),
      ['--requirepass', 's3cret'],
    );
    const c = await RawClient.connect(locked.port);
    try {
      expect(text(await c.call('ROUTER', 'TOPOLOGY', 'GET'))).toBe('-NOAUTH Authentication required.\r\n');
      expect(text(await c.call('AUTH', 's3cret'))).toBe('+OK\r\n');
      expect(text(await c.call('ROUTER', 'TOPOLOGY', 'GET'))).toMatch(/^\$\d+\r\n\{"shards"/);
    } finally {
      c.close();
      await locked.close();
    }
  });
});

describe('swarmkv-router binary', () => {
  const bin = path.join(REPO_ROOT, 'packages/router/bin/swarmkv-router.js');
  let nodes: ServerHandle[] = [];
  let dir: string;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    if (!existsSync(path.join(REPO_ROOT, 'packages/router/dist/main.js'))) {
      const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-b', 'packages/router'], { cwd: REPO_ROOT });
      if (r.status !== 0) throw new Error(`build failed: ${r.stdout}${r.stderr}`);
    }
    nodes = [await startRedis(), await startRedis()];
    dir = mkdtempSync(path.join(os.tmpdir(), 'swarmkv-router-topo-'));
  });
  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    for (const n of nodes) await n.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('exits 2 naming the gap for an invalid topology file', () => {
    const file = path.join(dir, 'bad.yaml');
    writeFileSync(file, `shards:\n  - primary: 127.0.0.1:${nodes[0]!.port}\n    slots: ["0-16000"]\n`);
    const r = spawnSync(process.execPath, [bin, '--port', '0', '--topology', file], { encoding: 'utf8', timeout: 20_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('slots 16001-16383 are not assigned to any shard');
    const usage = spawnSync(process.execPath, [bin, '--port', '0'], { encoding: 'utf8', timeout: 20_000 });
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('one of --nodes or --topology is required');
  });

  it('serves a YAML topology with host names and re-reads it on SIGHUP', { timeout: 30_000 }, async () => {
    const [pa, pb] = nodes.map((n) => n.port);
    const file = path.join(dir, 'topology.yaml');
    writeFileSync(file, `shards:\n  - primary: localhost:${pa}\n    replicas: []\n    slots: ["0-16383"]\n`);
    const port = await freePort();
    child = spawn(process.execPath, [bin, '--port', String(port), '--bind', '127.0.0.1', '--topology', file, '--log-level', 'warn'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    await waitForPing(port, 20_000);
    const r = new Redis({ port, host: '127.0.0.1' });
    try {
      await r.set('hup', 'on-a');
      const a = new Redis({ port: pa, host: '127.0.0.1' });
      expect(await a.get('hup')).toBe('on-a');
      a.disconnect();
      writeFileSync(file, `shards:\n  - primary: 127.0.0.1:${pb}\n    slots: [[0, 16383]]\n`);
      child.kill('SIGHUP');
      const deadline = Date.now() + 5000;
      while (JSON.parse(String(await r.call('ROUTER', 'TOPOLOGY', 'GET'))).shards[0].primary !== `127.0.0.1:${pb}`) {
        expect(Date.now()).toBeLessThan(deadline);
        await sleep(50);
      }
      expect(await r.get('hup')).toBeNull(); // now asking node b
      // An invalid file on SIGHUP keeps the current map.
      writeFileSync(file, 'shards: []\n');
      child.kill('SIGHUP');
      await sleep(300);
      expect(JSON.parse(String(await r.call('ROUTER', 'TOPOLOGY', 'GET'))).shards[0].primary).toBe(`127.0.0.1:${pb}`);
    } finally {
      r.disconnect();
    }
  });
});
