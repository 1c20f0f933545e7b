/**
 * -MOVED and -ASK from nodes, with scripted fake nodes: MOVED updates the router's slot map
 * (ROUTER TOPOLOGY GET shows the slot at its new owner) and the command is retried there, so
 * later commands for that slot go straight to the new owner; ASK retries once on the target
 * after ASKING and leaves the map alone; a redirect loop ends with the error after a few hops;
 * fan-out parts follow redirects too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyHashSlot, type Bytes } from '@swarmkv/resp';
import { RawClient } from '../support/raw-client.js';
import { startRedis, type ServerHandle } from '../support/servers.js';
import { routerFor } from './support.js';
import { startFakeNode, type FakeNode } from './fake-node.js';
import type { RunningRouter } from '@swarmkv/router';

const text = (b: Buffer) => b.latin1Slice();
const bulk = (v: string) => `$${v.length}\r\n${v}\r\n`;

/** A key with `prefix` whose slot fake node a (0-8191) or b (8192-16383) owns. */
function keyOn(node: 'a' | 'b', prefix: string): string {
  for (let i = 0; ; i++) {
    const k = `${prefix}-${i}`;
    if ((keyHashSlot(k) < 8192) === (node === 'a')) return k;
  }
}

describe('redirects from nodes', () => {
  let a: FakeNode;
  let b: FakeNode;
  let real: ServerHandle;
  let router: RunningRouter;
  let c: RawClient;

  beforeAll(async () => {
    real = await startRedis();
    a = await startFakeNode(() => null);
    b = await startFakeNode(() => null);
    router = await routerFor([a.port, b.port]); // a: 0-8191, b: 8192-16383
    c = await RawClient.connect(router.port);
  });
  afterAll(async () => {
    c?.close();
    await router?.close();
    await a?.close();
    await b?.close();
    await real?.stop();
  });

  it('follows MOVED, updates the slot map and goes straight to the new owner next time', async () => {
    const key = keyOn('a', 'moved');
    const slot = keyHashSlot(key);
    expect(slot).toBeLessThan(8192); // owned by fake a
    const direct = await RawClient.connect(real.port);
    await direct.call('SET', key, 'from-real');
    direct.close();
    a.received.length = 0;
    a.handle = (argv: Bytes[]) => (argv[0] === 'GET' ? `-MOVED ${slot} 127.0.0.1:${real.port}\r\n` : null);
    expect(text(await c.call('GET', key))).toBe(bulk('from-real'));
    expect(a.received.filter((x) => x[0] === 'GET')).toHaveLength(1);
    const topo = JSON.parse(text(await c.call('ROUTER', 'TOPOLOGY', 'GET')).split('\r\n')[1]!);
    expect(topo.shards).toContainEqual({ primary: `127.0.0.1:${real.port}`, replicas: [], slots: [[slot, slot]] });
    expect(text(await c.call('GET', key))).toBe(bulk('from-real'));
    expect(a.received.filter((x) => x[0] === 'GET')).toHaveLength(1); // not asked again
    expect(text(await c.call('INFO', 'router'))).toMatch(/moved_redirects:1\r\n/);
  });

  it('follows ASK once, after ASKING, without changing the map', async () => {
    const key = keyOn('a', 'ask');
    const slot = keyHashSlot(key);
    expect(slot).toBeLessThan(8192);
    const before = text(await c.call('ROUTER', 'TOPOLOGY', 'GET'));
    a.handle = (argv) => (argv[0] === 'GET' ? `-ASK ${slot} 127.0.0.1:${b.port}\r\n` : null);
    b.received.length = 0;
    b.handle = (argv) => (argv[0] === 'ASKING' ? '+OK\r\n' : argv[0] === 'GET' ? bulk('from-b') : null);
    expect(text(await c.call('GET', key))).toBe(bulk('from-b'));
    expect(b.received.map((x) => x[0])).toEqual(['ASKING', 'GET']);
    expect(text(await c.call('ROUTER', 'TOPOLOGY', 'GET'))).toBe(before);
    a.handle = () => null;
  });

  it('stops following a redirect loop and answers the last redirect', async () => {
    const key = keyOn('a', 'loop');
    const slot = keyHashSlot(key);
    a.handle = (argv) => (argv[0] === 'GET' ? `-ASK ${slot} 127.0.0.1:${b.port}\r\n` : null);
    b.handle = (argv) => (argv[0] === 'ASKING' ? '+OK\r\n' : argv[0] === 'GET' ? `-ASK ${slot} 127.0.0.1:${a.port}\r\n` : null);
    const reply = text(await c.call('GET', key));
    expect(reply).toMatch(/^-ASK \d+ 127\.0\.0\.1:\d+\r\n$/);
    a.handle = () => null;
    b.handle = () => null;
  });

  it('follows redirects for each part of a split command', async () => {
    const k1 = keyOn('a', 'part');
    const kb = keyOn('b', 'part');
    const s1 = keyHashSlot(k1);
    a.handle = (argv) => (argv[0] === 'MGET' ? `-MOVED ${s1} 127.0.0.1:${real.port}\r\n` : null);
    b.handle = (argv) => (argv[0] === 'MGET' ? `*1\r\n${bulk('vb')}` : null);
    const direct = await RawClient.connect(real.port);
    await direct.call('SET', k1, 'va');
    direct.close();
    expect(text(await c.call('MGET', k1, kb))).toBe(`*2\r\n${bulk('va')}${bulk('vb')}`);
    a.handle = () => null;
    b.handle = () => null;
  });

  it('rebuilds a split MSET part from the raw command bytes when a node redirects it', async () => {
    const ka = keyOn('a', 'mpart');
    const kb = keyOn('b', 'mpart');
    const sa = keyHashSlot(ka);
    a.handle = (argv) => (argv[0] === 'MSET' ? `-ASK ${sa} 127.0.0.1:${real.port}\r\n` : null);
    b.handle = (argv) => (argv[0] === 'MSET' ? '+OK\r\n' : null);
    expect(text(await c.call('MSET', ka, 'value-a', kb, 'value-b'))).toBe('+OK\r\n');
    expect(b.received.filter((x) => x[0] === 'MSET').at(-1)).toEqual(['MSET', kb, 'value-b']);
    const direct = await RawClient.connect(real.port);
    expect(text(await direct.call('GET', ka))).toBe(bulk('value-a'));
    direct.close();
    a.handle = () => null;
    b.handle = () => null;
  });
});
