/**
 * Failures fail fast and heal: a node killed mid-run makes the commands for its slots answer
 * -CLUSTERDOWN at once (naming its slot range) while the other nodes' keys keep working; a
 * redis-server restarted on the same port is found again (health checks, reconnect with
 * backoff) and its slots serve again without any action.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient } from '../support/raw-client.js';
import { keyOnNode, redisOnPort, routerFor, sleep, startRouterFixture, type RouterFixture } from './support.js';
import { startFakeNode } from './fake-node.js';
import type { ServerHandle } from '../support/servers.js';

describe('node failure and recovery', () => {
  let fx: RouterFixture;
  let restarted: ServerHandle | undefined;
  beforeAll(async () => {
    fx = await startRouterFixture(3);
  });
  afterAll(async () => {
    await restarted?.stop();
    await fx?.stop();
  });

  it('errors fast for a dead node, keeps serving the others, heals after a restart', { timeout: 60_000 }, async () => {
    const k0 = keyOnNode(0);
    const k1 = keyOnNode(1);
    const k2 = keyOnNode(2);
    const r = new Redis({ port: fx.port, host: '127.0.0.1', maxRetriesPerRequest: 0 });
    try {
      await r.mset(k0, 'zero', k1, 'one', k2, 'two');

      // Continuous load on all three nodes while node 1 dies.
      let stop = false;
      const errors: string[] = [];
      let okOthers = 0;
      const load = (async () => {
        while (!stop) {
          const res = await Promise.allSettled([r.get(k0), r.get(k1), r.get(k2)]);
          if (res[0].status === 'fulfilled' && res[2].status === 'fulfilled') okOthers++;
          else errors.push(String((res[0] as PromiseRejectedResult).reason ?? (res[2] as PromiseRejectedResult).reason));
        }
      })();
      await sleep(200);
      process.kill(fx.nodes[1]!.pid!, 'SIGKILL');
      const killedAt = Date.now();

      // Commands for node 1's slots now fail quickly with CLUSTERDOWN and the slot range.
      const c = await RawClient.connect(fx.port);
      let reply = '';
      for (;;) {
        const t0 = Date.now();
        reply = (await c.call('GET', k1)).latin1Slice();
        expect(Date.now() - t0).toBeLessThan(1000);
        if (reply.startsWith('-CLUSTERDOWN')) break;
        expect(Date.now() - killedAt).toBeLessThan(3000);
        await sleep(20);
      }
      expect(reply).toContain('5461-10922');
      expect(reply).toContain(`127.0.0.1:${fx.nodes[1]!.port}`);
      const t0 = Date.now();
      for (let i = 0; i < 20; i++) expect((await c.call('GET', k1)).latin1Slice()).toMatch(/^-CLUSTERDOWN/);
      expect(Date.now() - t0).toBeLessThan(1000);
      expect((await c.call('GET', k0)).latin1Slice()).toBe('$4\r\nzero\r\n');
      expect((await c.call('GET', k2)).latin1Slice()).toBe('$3\r\ntwo\r\n');
      const mget = (await c.call('MGET', k0, k1, k2)).latin1Slice();
      expect(mget).toMatch(/^-CLUSTERDOWN/);
      expect((await c.call('INFO', 'router')).latin1Slice()).toMatch(/node1:addr=[^,]+,state=down/);

      const okBefore = okOthers;
      await sleep(300);
      expect(okOthers).toBeGreaterThan(okBefore); // the other nodes kept answering the load

      // Restart on the same port: the router finds it again by itself.
      restarted = await redisOnPort(fx.nodes[1]!.port);
      const healStart = Date.now();
      for (;;) {
        reply = (await c.call('SET', k1, 'back')).latin1Slice();
        if (reply === '+OK\r\n') break;
        expect(Date.now() - healStart).toBeLessThan(5000);
        await sleep(50);
      }
      expect((await c.call('GET', k1)).latin1Slice()).toBe('$4\r\nback\r\n');
      expect((await c.call('MGET', k0, k1, k2)).latin1Slice()).toBe('*3\r\n$4\r\nzero\r\n$4\r\nback\r\n$3\r\ntwo\r\n');
      stop = true;
      await load;
      c.close();
    } finally {
      r.disconnect();
    }
  });
});

describe('a node that hangs', () => {
  it('is marked down when pings go unanswered, failing what waits on it, and comes back', { timeout: 30_000 }, async () => {
    let hung = false;
    const fake = await startFakeNode((argv) => (hung ? '' : argv[0] === 'GET' ? '$2\r\nok\r\n' : null));
    const router = await routerFor([fake.port], ['--health-timeout-ms', '400']);
    const c = await RawClient.connect(router.port);
    try {
      expect((await c.call('GET', 'k')).latin1Slice()).toBe('$2\r\nok\r\n');
      hung = true;
      const t0 = Date.now();
      const reply = (await c.call('GET', 'k')).latin1Slice(); // waits, then fails with the node
      expect(reply).toMatch(/^-CLUSTERDOWN .*0-16383.*no reply to PING within 400 ms/);
      expect(Date.now() - t0).toBeLessThan(3000);
      expect((await c.call('GET', 'k')).latin1Slice()).toMatch(/^-CLUSTERDOWN Node 127\.0\.0\.1:\d+ serving slots 0-16383 is down/);
      hung = false;
      const deadline = Date.now() + 5000;
      let again = '';
      while (Date.now() < deadline) {
        again = (await c.call('GET', 'k')).latin1Slice();
        if (again === '$2\r\nok\r\n') break;
        await sleep(50);
      }
      expect(again).toBe('$2\r\nok\r\n');
    } finally {
      c.close();
      await router.close();
      await fake.close();
    }
  });
});
