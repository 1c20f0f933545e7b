/**
 * A cluster-aware client pointed at the router works unchanged: ioredis `Cluster` discovers one
 * node owning all slots (CLUSTER SLOTS) and sends everything there, including multi-key
 * commands and pipelines across slots, which the router splits or routes.
 */
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyOnNode, startRouterFixture, type RouterFixture } from './support.js';

describe('ioredis Cluster through the router', () => {
  let fx: RouterFixture;
  let cluster: Cluster;
  beforeAll(async () => {
    fx = await startRouterFixture(3);
    cluster = new Cluster([{ host: '127.0.0.1', port: fx.port }], { enableReadyCheck: true });
    await new Promise<void>((resolve, reject) => {
      cluster.once('ready', resolve);
      cluster.once('error', reject);
    });
  });
  afterAll(async () => {
    cluster?.disconnect();
    await fx?.stop();
  });

  it('reads and writes keys on every node', async () => {
    const keys = [0, 1, 2].flatMap((n) => [keyOnNode(n, 'ca'), keyOnNode(n, 'cb')]);
    for (const k of keys) expect(await cluster.set(k, `v:${k}`)).toBe('OK');
    for (const k of keys) expect(await cluster.get(k)).toBe(`v:${k}`);
    expect(cluster.nodes('master')).toHaveLength(1);
  });

  it('runs multi-key commands and pipelines across slots', async () => {
    const [k0, k1, k2] = [keyOnNode(0, 'm'), keyOnNode(1, 'm'), keyOnNode(2, 'm')];
    expect(await cluster.mset(k0, 'a', k1, 'b', k2, 'c')).toBe('OK');
    expect(await cluster.mget(k0, k1, k2)).toEqual(['a', 'b', 'c']);
    const res = await cluster.pipeline().get(k0).get(k1).incr(`n:${k2}`).exec();
    expect(res).toEqual([[null, 'a'], [null, 'b'], [null, 1]]);
    expect(await cluster.del(k0, k1, k2)).toBe(3);
  });

  it('runs same-slot transactions', async () => {
    const res = await cluster.multi().set('{tx}a', '1').incr('{tx}a').exec();
    expect(res).toEqual([[null, 'OK'], [null, 2]]);
  });
});
