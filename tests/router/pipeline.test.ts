/**
 * Pipelines: 10,000 mixed commands written in one go, spread over all three nodes and mixing
 * forwarded, split, fanned-out and router-answered commands, come back complete and in request
 * order, byte-identical to one redis-server given the same stream. Also through ioredis's
 * pipeline, and a slow command (a blocking pop that waits) holding back later replies without
 * reordering them.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient, show } from '../support/raw-client.js';
import { startRedis, type ServerHandle } from '../support/servers.js';
import { startRouterFixture, type RouterFixture } from './support.js';

describe('pipelines through the router', () => {
  let fx: RouterFixture;
  let oracle: ServerHandle;
  beforeAll(async () => {
    fx = await startRouterFixture(3, ['--pool-size', '3']); // several lanes per node: order must hold anyway
    oracle = await startRedis();
  });
  afterAll(async () => {
    await fx?.stop();
    await oracle?.stop();
  });

  it('returns 10,000 mixed commands complete and in order', { timeout: 60_000 }, async () => {
    const cmds: string[][] = [['FLUSHALL']];
    for (let i = 0; cmds.length < 10_000; i++) {
      const k = `p:${i % 500}`;
      switch (i % 10) {
        case 0: cmds.push(['SET', k, String(i)]); break;
        case 1: cmds.push(['GET', k]); break;
        case 2: cmds.push(['INCR', `n:${i % 37}`]); break;
        case 3: cmds.push(['MGET', `p:${i % 500}`, `p:${(i + 7) % 500}`, `p:${(i + 91) % 500}`]); break;
        case 4: cmds.push(['RPUSH', `l:${i % 13}`, String(i)]); break;
        case 5: cmds.push(['PING', String(i)]); break;
        case 6: cmds.push(['DBSIZE']); break;
        case 7: cmds.push(['DEL', `p:${(i * 3) % 500}`, `q:${i}`]); break;
        case 8: cmds.push(['LLEN', `l:${i % 13}`]); break;
        default: cmds.push(['ECHO', `e${i}`]);
      }
    }
    const a = await RawClient.connect(fx.port);
    const b = await RawClient.connect(oracle.port);
    try {
      const [viaRouter, viaRedis] = await Promise.all([a.pipeline(cmds), b.pipeline(cmds)]);
      expect(viaRouter).toHaveLength(10_000);
      for (let i = 0; i < cmds.length; i++) {
        if (!viaRouter[i]!.equals(viaRedis[i]!)) {
          expect.fail(`reply #${i} to ${JSON.stringify(cmds[i])}: router ${show(viaRouter[i])}, redis ${show(viaRedis[i])}`);
        }
      }
    } finally {
      a.close();
      b.close();
    }
  });

  it('works with an ioredis pipeline across all nodes', async () => {
    const r = new Redis({ port: fx.port, host: '127.0.0.1' });
    try {
      const p = r.pipeline();
      for (let i = 0; i < 3000; i++) p.set(`io:${i}`, String(i));
      for (let i = 0; i < 3000; i++) p.get(`io:${i}`);
      const res = await p.exec();
      expect(res).toHaveLength(6000);
      for (let i = 0; i < 3000; i++) expect(res![3000 + i]).toEqual([null, String(i)]);
    } finally {
      r.disconnect();
    }
  });

  it('keeps order behind a command that waits (BLPOP with a timeout)', async () => {
    const c = await RawClient.connect(fx.port);
    try {
      const replies = await c.pipeline([['SET', 'w1', 'a'], ['BLPOP', 'never-pushed', '0.3'], ['GET', 'w1'], ['PING']]);
      expect(replies.map((b) => b.latin1Slice())).toEqual(['+OK\r\n', '*-1\r\n', '$1\r\na\r\n', '+PONG\r\n']);
    } finally {
      c.close();
    }
  });
});
