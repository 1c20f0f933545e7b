/**
 * Transactions and blocking commands through the router: MULTI/EXEC pinned to one node with
 * every key in one slot (CROSSSLOT then EXECABORT otherwise, like Redis Cluster), WATCH seeing
 * other clients' writes, keyless transactions, DISCARD; blocking pops waiting on a dedicated
 * connection without stalling other clients, and a client that disconnects while blocked
 * freeing its node connection.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient } from '../support/raw-client.js';
import { keyOnNode, sleep, startRouterFixture, type RouterFixture } from './support.js';

const text = (b: Buffer) => b.latin1Slice();

describe('transactions through the router', () => {
  let fx: RouterFixture;
  let c: RawClient;
  beforeAll(async () => {
    fx = await startRouterFixture(3);
    c = await RawClient.connect(fx.port);
  });
  afterAll(async () => {
    c?.close();
    await fx?.stop();
  });

  it('runs MULTI/EXEC on the node owning the keys', async () => {
    const replies = (await c.pipeline([['MULTI'], ['SET', '{acct}a', '10'], ['INCRBY', '{acct}a', '5'], ['GET', '{acct}a'], ['EXEC']])).map(text);
    expect(replies).toEqual(['+OK\r\n', '+QUEUED\r\n', '+QUEUED\r\n', '+QUEUED\r\n', '*3\r\n+OK\r\n:15\r\n$2\r\n15\r\n']);
  });

  it('answers CROSSSLOT inside MULTI and then EXECABORT, like Redis Cluster', async () => {
    const replies = (await c.pipeline([['MULTI'], ['SET', '{a}x', '1'], ['SET', '{b}y', '2'], ['EXEC'], ['GET', '{a}x']])).map(text);
    expect(replies).toEqual([
      '+OK\r\n',
      '+QUEUED\r\n',
      "-CROSSSLOT Keys in request don't hash to the same slot\r\n",
      '-EXECABORT Transaction discarded because of previous errors.\r\n',
      '$-1\r\n',
    ]);
    const multiKey = (await c.pipeline([['MULTI'], ['MSET', '{a}x', '1', '{b}y', '2'], ['EXEC']])).map(text);
    expect(multiKey[1]).toBe("-CROSSSLOT Keys in request don't hash to the same slot\r\n");
    expect(multiKey[2]).toBe('-EXECABORT Transaction discarded because of previous errors.\r\n');
  });

  it('runs keyless transactions and DISCARD', async () => {
    expect((await c.pipeline([['MULTI'], ['PING'], ['ECHO', 'x'], ['EXEC']])).map(text)).toEqual([
      '+OK\r\n',
      '+QUEUED\r\n',
      '+QUEUED\r\n',
      '*2\r\n+PONG\r\n$1\r\nx\r\n',
    ]);
    expect((await c.pipeline([['MULTI'], ['SET', 'dk', '1'], ['DISCARD'], ['GET', 'dk']])).map(text)).toEqual([
      '+OK\r\n',
      '+QUEUED\r\n',
      '+OK\r\n',
      '$-1\r\n',
    ]);
    expect((await c.pipeline([['MULTI'], ['EXEC']])).map(text)).toEqual(['+OK\r\n', '*0\r\n']);
    expect(text(await c.call('EXEC'))).toBe('-ERR EXEC without MULTI\r\n');
    expect((await c.pipeline([['MULTI'], ['MULTI'], ['DISCARD']])).map(text)).toEqual(['+OK\r\n', '-ERR MULTI calls can not be nested\r\n', '+OK\r\n']);
  });

  it('aborts a watched transaction when another client writes the key', async () => {
    const other = new Redis({ port: fx.port, host: '127.0.0.1' });
    try {
      await c.call('SET', '{w}k', '1');
      expect(text(await c.call('WATCH', '{w}k', '{w}j'))).toBe('+OK\r\n');
      await other.set('{w}k', '2');
      expect((await c.pipeline([['MULTI'], ['INCR', '{w}k'], ['EXEC']])).map(text)).toEqual(['+OK\r\n', '+QUEUED\r\n', '*-1\r\n']);
      // Not touched this time: EXEC runs.
      await c.call('WATCH', '{w}k');
      expect((await c.pipeline([['MULTI'], ['INCR', '{w}k'], ['EXEC']])).map(text)).toEqual(['+OK\r\n', '+QUEUED\r\n', '*1\r\n:3\r\n']);
      expect(text(await c.call('WATCH', '{w}k', '{other}k'))).toBe("-CROSSSLOT Keys in request don't hash to the same slot\r\n");
      expect(text(await c.call('UNWATCH'))).toBe('+OK\r\n');
      expect(text(await c.pipeline([['MULTI'], ['WATCH', 'x'], ['DISCARD']]).then((r) => r[1]!))).toBe('-ERR WATCH inside MULTI is not allowed\r\n');
    } finally {
      other.disconnect();
    }
  });

  it('works with ioredis multi()', async () => {
    const r = new Redis({ port: fx.port, host: '127.0.0.1' });
    try {
      const res = await r.multi().set('{m}1', 'a').append('{m}1', 'b').get('{m}1').exec();
      expect(res).toEqual([[null, 'OK'], [null, 2], [null, 'ab']]);
    } finally {
      r.disconnect();
    }
  });
});

describe('blocking commands through the router', () => {
  let fx: RouterFixture;
  beforeAll(async () => {
    fx = await startRouterFixture(3);
  });
  afterAll(async () => fx?.stop());

  it('wakes a blocked client on push without stalling other clients of that node', async () => {
    const list = keyOnNode(1, 'queue');
    const other = keyOnNode(1, 'plain');
    const waiter = new Redis({ port: fx.port, host: '127.0.0.1' });
    const r = new Redis({ port: fx.port, host: '127.0.0.1' });
    try {
      await r.set(other, 'v');
      const popped = waiter.blpop(list, 5);
      await sleep(100);
      const t0 = Date.now();
      for (let i = 0; i < 20; i++) expect(await r.get(other)).toBe('v'); // same node, not stalled
      expect(Date.now() - t0).toBeLessThan(1000);
      await r.rpush(list, 'job');
      expect(await popped).toEqual([list, 'job']);
      expect(await waiter.get(other)).toBe('v');
    } finally {
      waiter.disconnect();
      r.disconnect();
    }
  });

  it('frees the node connection when a blocked client disconnects', async () => {
    const list = keyOnNode(2, 'blk');
    const node = new Redis({ port: fx.nodes[2]!.port, host: '127.0.0.1' });
    const blockedOnNode = async () =>
      String(await node.client('LIST'))
        .split('\n')
        .filter((l) => l.includes('cmd=blpop')).length;
    try {
      const c = await RawClient.connect(fx.port);
      c.writeRaw(`*3\r\n$5\r\nBLPOP\r\n$${list.length}\r\n${list}\r\n$1\r\n0\r\n`);
      let waited = 0;
      while ((await blockedOnNode()) === 0 && waited < 2000) (await sleep(20), (waited += 20));
      expect(await blockedOnNode()).toBe(1);
      c.close();
      waited = 0;
      while ((await blockedOnNode()) > 0 && waited < 3000) (await sleep(20), (waited += 20));
      expect(await blockedOnNode()).toBe(0);
    } finally {
      node.disconnect();
    }
  });

  it('runs a pipelined blocking command after the earlier ones and before the later ones', async () => {
    const c = await RawClient.connect(fx.port);
    try {
      const replies = (
        await c.pipeline([
          ['RPUSH', '{q}src', 'a'],
          ['BLMOVE', '{q}src', '{q}dst', 'LEFT', 'RIGHT', '1'],
          ['LRANGE', '{q}dst', '0', '-1'],
          ['BLPOP', '{q}src', '0.1'],
        ])
      ).map(text);
      expect(replies).toEqual([':1\r\n', '$1\r\na\r\n', '*1\r\n$1\r\na\r\n', '*-1\r\n']);
      expect(text(await c.call('BLMOVE', '{q}src', '{z}dst', 'LEFT', 'RIGHT', '1'))).toBe("-CROSSSLOT Keys in request don't hash to the same slot\r\n");
    } finally {
      c.close();
    }
  });
});
