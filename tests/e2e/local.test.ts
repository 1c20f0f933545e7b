/**
 * `swarmkv up --local`: the same cluster as processes on 127.0.0.1 (the fallback where no Docker
 * Engine can be had), using the built swarmkv-node and swarmkv-router bins. Keys land on all
 * three nodes; a second `up --local` changes nothing; `down --local` stops exactly those PIDs.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, cli, freePort } from './helpers.js';

function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('swarmkv up --local', () => {
  const dir = mkdtempSync(join(tmpdir(), 'swarmkv-local-'));
  const state = join(dir, 'state');
  let port: number;
  let pids: number[] = [];

  beforeAll(async () => {
    assertBuilt();
    port = await freePort();
  });

  afterAll(async () => {
    await cli(['down', '--local', '-q', '--state-dir', state], { cwd: dir });
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL'); // only if down failed to: these are the PIDs we started
      } catch {
        /* gone, as expected */
      }
    }
  });

  it('runs 3 nodes and a router, serves keys on every node, and is idempotent', async () => {
    const r = await cli(['up', '--local', '--json', '-q', '--port', String(port), '--state-dir', state], { cwd: dir });
    console.log(`swarmkv up --local: ${(r.ms / 1000).toFixed(1)}s`);
    expect(r.code, r.stderr).toBe(0);
    pids = r.json.processes.map((p: { pid: number }) => p.pid);
    expect(pids).toHaveLength(4);
    expect(r.json.connect).toBe(`redis-cli -p ${port}`);

    const c = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 1 });
    await c.connect();
    const p = c.pipeline();
    for (let i = 0; i < 1000; i++) p.set(`k${i}`, `v${i}`);
    await p.exec();
    expect(await c.get('k999')).toBe('v999');
    c.disconnect();

    const st = await cli(['status', '--local', '--json', '--port', String(port), '--state-dir', state], { cwd: dir });
    const nodes = st.json.processes.filter((x: { name: string }) => x.name.startsWith('node-'));
    expect(nodes.every((n: { keys: number }) => n.keys > 200)).toBe(true);
    expect(nodes.reduce((s: number, n: { keys: number }) => s + n.keys, 0)).toBe(1000);

    const again = await cli(['up', '--local', '--json', '-q', '--port', String(port), '--state-dir', state], { cwd: dir });
    expect(again.code).toBe(0);
    expect(again.json.changes).toEqual([]);
    expect(again.json.processes.map((x: { pid: number }) => x.pid)).toEqual(pids);
  });

  it('down --local stops exactly those processes', async () => {
    const r = await cli(['down', '--local', '--json', '-q', '--state-dir', state], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.json.changes).toHaveLength(4);
    // Gone, or a zombie waiting for init to reap it (it has exited either way).
    for (const pid of pids) expect(running(pid), `pid ${pid}`).toBe(false);
  });
});
