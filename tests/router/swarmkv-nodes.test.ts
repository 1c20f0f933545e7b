/**
 * The router in front of three swarmkv storage nodes (the built `swarmkv-node` binary, one
 * process each): routing by slot, split multi-key commands, transactions, a pipeline, and the
 * differential stream compared with one redis-server.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient, show } from '../support/raw-client.js';
import { REPO_ROOT, startRedis, startSwarmkvNodeProcess, type ServerHandle } from '../support/servers.js';
import { keyOnNode, routerFor } from './support.js';
import { makeStream } from './command-stream.js';
import type { RunningRouter } from '@swarmkv/router';

describe('router in front of 3 swarmkv nodes', () => {
  const nodes: ServerHandle[] = [];
  let router: RunningRouter;
  let oracle: ServerHandle;

  beforeAll(async () => {
    if (!existsSync(path.join(REPO_ROOT, 'packages/storage-node/dist/main.js'))) {
      const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-b', 'packages/storage-node'], { cwd: REPO_ROOT });
      if (r.status !== 0) throw new Error(`build failed: ${r.stdout}${r.stderr}`);
    }
    for (let i = 0; i < 3; i++) nodes.push(await startSwarmkvNodeProcess(['--loglevel', 'warning']));
    router = await routerFor(nodes.map((n) => n.port));
    oracle = await startRedis();
  });
  afterAll(async () => {
    await router?.close();
    for (const n of nodes) await n.stop();
    await oracle?.stop();
  });

  it('stores keys on their slot owner and splits multi-key commands', async () => {
    const r = new Redis({ port: router.port, host: '127.0.0.1' });
    const direct = nodes.map((n) => new Redis({ port: n.port, host: '127.0.0.1' }));
    try {
      const keys = [0, 1, 2].map((i) => keyOnNode(i, 'sk'));
      expect(await r.mset(keys[0]!, 'a', keys[1]!, 'b', keys[2]!, 'c')).toBe('OK');
      for (let i = 0; i < 3; i++) expect(await direct[i]!.get(keys[i]!)).toBe('abc'[i]);
      expect(await r.mget(keys[2]!, keys[0]!, 'none', keys[1]!)).toEqual(['c', 'a', null, 'b']);
      expect(await r.del(...keys, 'none')).toBe(3);
      expect(await r.multi().set('{x}1', '5').incr('{x}1').exec()).toEqual([[null, 'OK'], [null, 6]]);
      const p = r.pipeline();
      for (let i = 0; i < 1000; i++) p.incr(`cnt:${i % 10}`);
      const res = await p.exec();
      expect(res!.at(-1)).toEqual([null, 100]);
    } finally {
      r.disconnect();
      for (const d of direct) d.disconnect();
    }
  });

  it('answers the differential stream like one redis-server', { timeout: 120_000 }, async () => {
    const viaRouter = await RawClient.connect(router.port);
    const viaRedis = await RawClient.connect(oracle.port);
    try {
      for (const c of [viaRouter, viaRedis]) {
        for (const db of ['0', '1', '2']) {
          await c.call('SELECT', db);
          await c.call('FLUSHDB');
        }
        await c.call('SELECT', '0');
      }
      const stream = makeStream(777, 3000);
      for (let i = 0; i < stream.length; i += 300) {
        const batch = stream.slice(i, i + 300);
        const [a, b] = await Promise.all([viaRouter.pipeline(batch), viaRedis.pipeline(batch)]);
        for (let j = 0; j < batch.length; j++) {
          if (!a[j]!.equals(b[j]!)) {
            expect.fail(`divergence at #${i + j}: ${JSON.stringify(batch[j])}\n  router+swarmkv: ${show(a[j])}\n  redis: ${show(b[j])}`);
          }
        }
      }
    } finally {
      viaRouter.close();
      viaRedis.close();
    }
  });
});
