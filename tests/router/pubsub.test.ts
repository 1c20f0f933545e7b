/**
 * Pub/sub through the router: SUBSCRIBE and PUBLISH meet on the channel's slot owner, patterns
 * hear channels on every node, sharded pub/sub by slot, confirmation counts and subscribed-mode
 * errors byte-identical to one redis-server, RESP3 pushes passed through with other commands in
 * between, and subscriptions renewed after their node restarts.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient } from '../support/raw-client.js';
import { startRedis, type ServerHandle } from '../support/servers.js';
import { keyOnNode, redisOnPort, sleep, startRouterFixture, type RouterFixture } from './support.js';

const text = (b: Buffer) => b.latin1Slice();

function nextMessage(sub: Redis, event = 'message'): Promise<string[]> {
  return new Promise((resolve) => sub.once(event, (...args: string[]) => resolve(args)));
}

describe('pub/sub through the router', () => {
  let fx: RouterFixture;
  let oracle: ServerHandle;
  let restarted: ServerHandle | undefined;
  beforeAll(async () => {
    fx = await startRouterFixture(3);
    oracle = await startRedis();
  });
  afterAll(async () => {
    await restarted?.stop();
    await fx?.stop();
    await oracle?.stop();
  });

  it('delivers channel messages published through the router, with receiver counts', async () => {
    const sub = new Redis({ port: fx.port, host: '127.0.0.1' });
    const pub = new Redis({ port: fx.port, host: '127.0.0.1' });
    try {
      const channels = [keyOnNode(0, 'ch'), keyOnNode(1, 'ch'), keyOnNode(2, 'ch')];
      expect(await sub.subscribe(...channels)).toBe(3);
      for (const ch of channels) {
        const got = nextMessage(sub);
        expect(await pub.publish(ch, `hello ${ch}`)).toBe(1);
        expect(await got).toEqual([ch, `hello ${ch}`]);
      }
      expect(await pub.publish('nobody-listens', 'x')).toBe(0);
      await sub.unsubscribe(channels[0]!);
      expect(await pub.publish(channels[0]!, 'gone')).toBe(0);
    } finally {
      sub.disconnect();
      pub.disconnect();
    }
  });

  it('a PUBLISH sent after UNSUBSCRIBE or PUNSUBSCRIBE is answered never reaches the client', async () => {
    const sub = new Redis({ port: fx.port, host: '127.0.0.1' });
    const pub = new Redis({ port: fx.port, host: '127.0.0.1' });
    const admin = new Redis({ port: fx.nodes[2]!.port, host: '127.0.0.1' });
    try {
      // The answer waits for the node's confirmation: with the node paused, so is the answer.
      const ch = keyOnNode(2, 'paused');
      await sub.subscribe(ch);
      await admin.call('CLIENT', 'PAUSE', '1000', 'ALL');
      const started = Date.now();
      await sub.unsubscribe(ch);
      expect(Date.now() - started).toBeGreaterThanOrEqual(500);
      expect(await pub.publish(ch, 'late')).toBe(0);
      for (let i = 0; i < 30; i++) {
        const ch = keyOnNode(i % 3, `race${i}`);
        await sub.subscribe(ch);
        await sub.unsubscribe(ch);
        expect(await pub.publish(ch, 'late')).toBe(0);
        await sub.psubscribe(`race${i}*`);
        await sub.punsubscribe(`race${i}*`);
        expect(await pub.publish(ch, 'late')).toBe(0);
      }
    } finally {
      sub.disconnect();
      pub.disconnect();
      admin.disconnect();
    }
  });

  it('hears every node through a pattern subscription', async () => {
    const sub = new Redis({ port: fx.port, host: '127.0.0.1' });
    const pub = new Redis({ port: fx.port, host: '127.0.0.1' });
    try {
      await sub.psubscribe('news.*');
      const channels = [keyOnNode(0, 'news.a'), keyOnNode(1, 'news.b'), keyOnNode(2, 'news.c')];
      for (const ch of channels) {
        const got = nextMessage(sub, 'pmessage');
        expect(await pub.publish(ch, 'n')).toBe(1);
        expect(await got).toEqual(['news.*', ch, 'n']);
      }
      expect(Number(await pub.call('PUBSUB', 'NUMPAT'))).toBe(1);
    } finally {
      sub.disconnect();
      pub.disconnect();
    }
  });

  it('routes sharded pub/sub by slot', async () => {
    const sub = await RawClient.connect(fx.port);
    const pub = new Redis({ port: fx.port, host: '127.0.0.1' });
    try {
      expect(text(await sub.call('SSUBSCRIBE', '{room}1', '{room}2'))).toBe('*3\r\n$10\r\nssubscribe\r\n$7\r\n{room}1\r\n:1\r\n');
      expect(text(await sub.read())).toBe('*3\r\n$10\r\nssubscribe\r\n$7\r\n{room}2\r\n:2\r\n');
      expect(await pub.call('SPUBLISH', '{room}2', 'hi')).toBe(1);
      expect(text(await sub.read())).toBe('*3\r\n$8\r\nsmessage\r\n$7\r\n{room}2\r\n$2\r\nhi\r\n');
      expect(text(await sub.call('SSUBSCRIBE', '{a}x', '{b}y'))).toBe("-CROSSSLOT Keys in request don't hash to the same slot\r\n");
    } finally {
      sub.close();
      pub.disconnect();
    }
  });

  it('confirms and refuses like a redis-server in the RESP2 subscribed context', async () => {
    const steps = [
      ['SUBSCRIBE', 'a', 'b'],
      ['PSUBSCRIBE', 'p*'],
      ['SUBSCRIBE', 'a'],
      ['GET', 'x'],
      ['PING'],
      ['PING', 'hi'],
      ['UNSUBSCRIBE', 'a', 'zz'],
      ['PUNSUBSCRIBE'],
      ['UNSUBSCRIBE'],
      ['UNSUBSCRIBE'],
      ['PING'],
      ['SSUBSCRIBE', 's1'],
      ['SUNSUBSCRIBE'],
      ['SUNSUBSCRIBE'],
    ];
    // Each step may answer several frames: read until both sides are quiet, then compare.
    const run = async (port: number) => {
      const c = await RawClient.connect(port);
      const out: string[] = [];
      for (const s of steps) {
        c.writeRaw(`*${s.length}\r\n${s.map((a) => `$${a.length}\r\n${a}\r\n`).join('')}`);
        for (;;) {
          try {
            out.push(text(await c.read(150)));
          } catch {
            break;
          }
        }
      }
      c.close();
      return out;
    };
    const [viaRouter, viaRedis] = await Promise.all([run(fx.port), run(oracle.port)]);
    expect(viaRouter).toEqual(viaRedis);
  });

  it('passes RESP3 pushes through while the client runs other commands', async () => {
    const c = await RawClient.connect(fx.port);
    const pub = new Redis({ port: fx.port, host: '127.0.0.1' });
    try {
      await c.call('HELLO', '3');
      expect(text(await c.call('SUBSCRIBE', 'r3'))).toBe('>3\r\n$9\r\nsubscribe\r\n$2\r\nr3\r\n:1\r\n');
      expect(text(await c.call('SET', 'r3key', 'v'))).toBe('+OK\r\n');
      await pub.publish('r3', 'pushed');
      expect(text(await c.read())).toBe('>3\r\n$7\r\nmessage\r\n$2\r\nr3\r\n$6\r\npushed\r\n');
      expect(text(await c.call('GET', 'r3key'))).toBe('$1\r\nv\r\n');
    } finally {
      c.close();
      pub.disconnect();
    }
  });

  it('renews subscriptions when the channel node comes back', { timeout: 30_000 }, async () => {
    const ch = keyOnNode(1, 'phoenix');
    const sub = new Redis({ port: fx.port, host: '127.0.0.1' });
    const pub = new Redis({ port: fx.port, host: '127.0.0.1', maxRetriesPerRequest: 0 });
    try {
      await sub.subscribe(ch);
      process.kill(fx.nodes[1]!.pid!, 'SIGKILL');
      await sleep(300);
      restarted = await redisOnPort(fx.nodes[1]!.port);
      const deadline = Date.now() + 8000;
      let receivers = 0;
      while (Date.now() < deadline) {
        receivers = Number(await pub.publish(ch, 'again').catch(() => 0));
        if (receivers === 1) break;
        await sleep(50);
      }
      expect(receivers).toBe(1);
      const got = new Promise<string[]>((resolve) => {
        const on = (c: string, m: string) => m === 'after restart' && (sub.off('message', on), resolve([c, m]));
        sub.on('message', on);
      });
      await pub.publish(ch, 'after restart');
      expect(await got).toEqual([ch, 'after restart']);
    } finally {
      sub.disconnect();
      pub.disconnect();
    }
  });
});
