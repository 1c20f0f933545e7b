/**
 * The router in front of three real redis-servers, driven by ioredis, a raw RESP client and
 * redis-cli: routing by slot (data really lands on the owner), split multi-key commands,
 * CROSSSLOT, keyless fan-outs (DBSIZE, KEYS, SCAN, FLUSHDB, RANDOMKEY, INFO), SELECT, RESP3,
 * COMMAND/CLIENT/CLUSTER answered by the router, and errors identical to a node's.
 */
import { execFile } from 'node:child_process';
import net from 'node:net';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyHashSlot } from '@swarmkv/resp';
import { RawClient } from '../support/raw-client.js';
import { lastGarbage } from '../../packages/router/src/allocation-floor.js';
import { sleep, startRouterFixture, type RouterFixture } from './support.js';

const execFileP = promisify(execFile);

/** Owner index for an even 3-way split (redis-cli --cluster create arithmetic). */
function ownerOf(key: string): number {
  const slot = keyHashSlot(key);
  return slot <= 5460 ? 0 : slot <= 10922 ? 1 : 2;
}

describe('router in front of 3 redis-servers', () => {
  let fx: RouterFixture;
  let r: Redis;
  const direct: Redis[] = [];

  beforeAll(async () => {
    fx = await startRouterFixture(3);
    r = new Redis({ port: fx.port, host: '127.0.0.1', lazyConnect: true, enableOfflineQueue: true });
    await r.connect();
    for (const n of fx.nodes) direct.push(new Redis({ port: n.port, host: '127.0.0.1' }));
  });
  afterAll(async () => {
    r?.disconnect();
    for (const d of direct) d.disconnect();
    await fx?.stop();
  });

  it('stores each key on the node that owns its slot', async () => {
    await r.flushdb();
    const keys = Array.from({ length: 300 }, (_, i) => `key:${i}`);
    for (const k of keys) await r.set(k, `v-${k}`);
    for (const k of keys) expect(await r.get(k)).toBe(`v-${k}`);
    const counts = [0, 0, 0];
    for (const k of keys) counts[ownerOf(k)]!++;
    for (let i = 0; i < 3; i++) expect(await direct[i]!.dbsize()).toBe(counts[i]);
    for (const k of keys.slice(0, 30)) expect(await direct[ownerOf(k)]!.get(k)).toBe(`v-${k}`);
    expect(await r.dbsize()).toBe(300);
  });

  it('splits MGET/MSET/DEL/EXISTS/TOUCH/UNLINK across nodes and merges in argument order', async () => {
    await r.flushdb();
    const keys = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    expect(new Set(keys.map(ownerOf)).size).toBe(3);
    expect(await r.mset(...keys.flatMap((k) => [k, k.toUpperCase()]))).toBe('OK');
    expect(await r.mget('h', 'missing', ...keys, 'a')).toEqual(['H', null, ...keys.map((k) => k.toUpperCase()), 'A']);
    expect(await r.exists('a', 'a', 'b', 'nope', 'h')).toBe(4);
    expect(await r.touch('a', 'c', 'zz')).toBe(2);
    expect(await r.del('a', 'b', 'nope', 'a')).toBe(2);
    expect(await r.unlink('c', 'd', 'e')).toBe(3);
    expect(await r.mget('a', 'f', 'g')).toEqual([null, 'F', 'G']);
    await expect(r.call('MSET', 'a', '1', 'b')).rejects.toThrow("ERR wrong number of arguments for 'mset' command");
  });

  it('answers CROSSSLOT for other multi-key commands across slots, runs them within one slot', async () => {
    await r.set('{u}one', '1');
    await expect(r.rename('{u}one', '{v}two')).rejects.toThrow("CROSSSLOT Keys in request don't hash to the same slot");
    expect(await r.rename('{u}one', '{u}two')).toBe('OK');
    await expect(r.call('MSETNX', 'x1', '1', 'x2', '2')).rejects.toThrow('CROSSSLOT');
    expect(await r.sadd('{s}a', '1', '2')).toBe(2);
    expect(await r.sadd('{s}b', '2', '3')).toBe(2);
    expect((await r.sinter('{s}a', '{s}b')).sort()).toEqual(['2']);
  });

  it('fans out keyless commands: DBSIZE, KEYS, SCAN, RANDOMKEY, FLUSHDB', async () => {
    await r.flushdb();
    const keys = Array.from({ length: 120 }, (_, i) => `scan:${i}`);
    await r.mset(...keys.flatMap((k) => [k, '1']));
    expect(await r.dbsize()).toBe(120);
    expect((await r.keys('scan:*')).sort()).toEqual([...keys].sort());
    const seen = new Set<string>();
    let cursor = '0';
    let calls = 0;
    do {
      const [next, batch] = await r.scan(cursor, 'COUNT', 17);
      for (const k of batch) seen.add(k);
      cursor = next;
      calls++;
    } while (cursor !== '0' && calls < 1000);
    expect([...seen].sort()).toEqual([...keys].sort());
    expect(keys).toContain(await r.randomkey());
    await expect(r.scan('abc')).rejects.toThrow('ERR invalid cursor');
    expect(await r.flushdb()).toBe('OK');
    expect(await r.dbsize()).toBe(0);
    expect(await r.randomkey()).toBeNull();
  });

  it('keeps each client in its own database (SELECT)', async () => {
    const c = new Redis({ port: fx.port, host: '127.0.0.1', db: 5 });
    try {
      await c.set('dbkey', 'five');
      expect(await r.get('dbkey')).toBeNull();
      expect(await c.get('dbkey')).toBe('five');
      expect(await direct[ownerOf('dbkey')]!.select(5).then(() => direct[ownerOf('dbkey')]!.get('dbkey'))).toBe('five');
      await direct[ownerOf('dbkey')]!.select(0);
      await expect(c.select(16)).rejects.toThrow('ERR DB index is out of range');
      expect(await c.select(0)).toBe('OK');
      expect(await c.get('dbkey')).toBeNull();
    } finally {
      c.disconnect();
    }
  });

  it('speaks RESP3 after HELLO 3 (nil as _, maps as %)', async () => {
    const c = await RawClient.connect(fx.port);
    try {
      expect((await c.call('HELLO', '3')).latin1Slice(0, 3)).toBe('%7\r');
      expect((await c.call('GET', 'nothing-here')).latin1Slice()).toBe('_\r\n');
      await c.call('HSET', 'h3', 'f', 'v');
      expect((await c.call('HGETALL', 'h3')).latin1Slice()).toBe('%1\r\n$1\r\nf\r\n$1\r\nv\r\n');
      expect((await c.call('MGET', 'h3x', 'a', 'b', 'c')).latin1Slice()).toBe('*4\r\n_\r\n_\r\n_\r\n_\r\n');
      expect((await c.call('HELLO', '2')).latin1Slice(0, 4)).toBe('*14\r');
      expect((await c.call('GET', 'nothing-here')).latin1Slice()).toBe('$-1\r\n');
    } finally {
      c.close();
    }
  });

  it('gives the same error bytes as a node for bad commands and malformed input', async () => {
    const cases: string[][] = [
      ['NOSUCHCMD', 'a', 'b'],
      ['GET'],
      ['SET', 'k'],
      ['CLIENT'],
      ['CLIENT', 'NOPE'],
      ['OBJECT', 'nope', 'x'],
      ['SELECT', 'x'],
      ['SELECT', '99'],
      ['HELLO', '4'],
      ['HELLO', '3', 'FOO'],
      ['PING', 'a', 'b'],
      ['ECHO'],
      ['AUTH', 'x'],
      ['EXEC'],
      ['DISCARD'],
      ['INCR'],
      ['COMMAND', 'NOPE'],
      ['COMMAND', 'COUNT', 'x'],
    ];
    const viaRouter = await RawClient.connect(fx.port);
    const viaNode = await RawClient.connect(fx.nodes[0]!.port);
    try {
      for (const cmd of cases) {
        const a = (await viaRouter.call(...cmd)).latin1Slice();
        const b = (await viaNode.call(...cmd)).latin1Slice();
        expect(a, JSON.stringify(cmd)).toBe(b);
      }
    } finally {
      viaRouter.close();
      viaNode.close();
    }
    for (const bad of ['*2\r\n$3\r\nGET\r\n$x\r\n', '*abc\r\n', 'GET "unbalanced\r\n', '*1\r\n$4\r\nPING\r\n*3\r\n$3\r\nSET\r\n$-5\r\n']) {
      const out: string[] = [];
      for (const port of [fx.port, fx.nodes[0]!.port]) {
        const c = await RawClient.connect(port);
        c.writeRaw(bad);
        let text = '';
        try {
          for (;;) text += (await c.read(2000)).latin1Slice();
        } catch {
          // closed by the server after the protocol error
        }
        expect(c.isClosed, `${JSON.stringify(bad)} closes the connection`).toBe(true);
        out.push(text);
        c.close();
      }
      expect(out[0], JSON.stringify(bad)).toBe(out[1]);
    }
  });

  it('passes big values through intact: SET/GET, split MSET/MGET, pipelined with small commands', async () => {
    await r.flushdb();
    const value = (n: number, seed: number) => {
      const b = Buffer.alloc(n);
      for (let i = 0; i < n; i++) b[i] = (i * 31 + seed) & 0xff;
      return b;
    };
    const big = value(3 * 1024 * 1024, 1);
    expect(await r.set('big', big)).toBe('OK');
    expect((await r.getBuffer('big'))!.equals(big)).toBe(true);
    const keys = ['a', 'b', 'c', 'd', 'e', 'f'];
    expect(new Set(keys.map(ownerOf)).size).toBe(3);
    const values = keys.map((_, i) => value(150_000 + i * 70_001, i));
    const p = r.pipeline();
    for (let i = 0; i < 5; i++) p.mset(...keys.flatMap((k, j) => [k, values[j]!])).ping().get('nope');
    p.mgetBuffer(...keys);
    const res = (await p.exec())!;
    expect(res.slice(0, 15).map((x) => x[1])).toEqual(Array.from({ length: 5 }, () => ['OK', 'PONG', null]).flat());
    const got = res[15]![1] as Buffer[];
    for (let j = 0; j < keys.length; j++) expect(got[j]!.equals(values[j]!)).toBe(true);
    for (let j = 0; j < keys.length; j++) expect((await direct[ownerOf(keys[j]!)]!.getBuffer(keys[j]!))!.equals(values[j]!)).toBe(true);
  });

  it('reuses the buffers big commands are gathered in without mixing up their bytes (4 clients, pipelined)', async () => {
    await r.flushdb();
    const pool = fx.router.router.gatherPool;
    const reused0 = pool.reused;
    const value = (n: number, seed: number) => {
      const b = Buffer.alloc(n);
      for (let i = 0; i < n; i++) b[i] = (i * 7 + seed * 13) & 0xff;
      return b;
    };
    const clients = await Promise.all(
      Array.from({ length: 4 }, async () => {
        const c = new Redis({ port: fx.port, host: '127.0.0.1', lazyConnect: true });
        await c.connect();
        return c;
      }),
    );
    const expected = new Map<string, Buffer>();
    await Promise.all(
      clients.map(async (c, ci) => {
        for (let round = 0; round < 10; round++) {
          const p = c.pipeline();
          for (let j = 0; j < 3; j++) {
            const k = `pool:${ci}:${round}:${j}`;
            const v = value(70_000 + ((ci * 31 + round * 7 + j * 3) % 23) * 11_000, ci * 100 + round * 3 + j);
            expected.set(k, v);
            p.set(k, v).ping();
          }
          for (const [err, ok] of (await p.exec())!) {
            expect(err).toBeNull();
            expect(['OK', 'PONG']).toContain(ok);
          }
        }
      }),
    );
    for (const c of clients) c.disconnect();
    expect(pool.reused - reused0).toBeGreaterThan(10);
    // What each node stored is byte for byte what was sent.
    for (const [k, v] of expected) expect((await direct[ownerOf(k)]!.getBuffer(k))!.equals(v)).toBe(true);
  });

  it('reuses the buffers big replies are gathered in, also while a slow reader still holds some (GET)', async () => {
    await r.flushdb();
    const pool = fx.router.router.gatherPool;
    const value = (n: number, seed: number) => {
      const b = Buffer.alloc(n);
      for (let i = 0; i < n; i++) b[i] = (i * 11 + seed * 17) & 0xff;
      return b;
    };
    const keys = Array.from({ length: 24 }, (_, i) => `reply:${i}`);
    const values = keys.map((_, i) => value(90_000 + (i % 7) * 40_000, i));
    for (let i = 0; i < keys.length; i++) await direct[ownerOf(keys[i]!)]!.set(keys[i]!, values[i]!);
    const reused0 = pool.reused;
    // A client that asks for everything, pipelined, and does not read for a while: the router's
    // writes to it wait in the socket, holding their lent buffers.
    const slow = net.connect(fx.port, '127.0.0.1');
    await new Promise<void>((res) => slow.once('connect', () => res()));
    slow.pause();
    slow.write(keys.map((k) => `*2\r\n$3\r\nGET\r\n$${k.length}\r\n${k}\r\n`).join(''));
    // Meanwhile other clients read the same values many times over, so buffers are lent again and again.
    const others = await Promise.all(Array.from({ length: 3 }, async () => {
      const c = new Redis({ port: fx.port, host: '127.0.0.1', lazyConnect: true });
      await c.connect();
      return c;
    }));
    await Promise.all(others.map(async (c, ci) => {
      for (let round = 0; round < 6; round++) {
        const p = c.pipeline();
        for (let i = 0; i < keys.length; i += 3) p.getBuffer(keys[(i + ci + round) % keys.length]!);
        for (const [err, got] of (await p.exec())!) expect(err).toBeNull(), expect(values.some((v) => v.equals(got as Buffer))).toBe(true);
      }
    }));
    for (const c of others) c.disconnect();
    expect(pool.reused - reused0).toBeGreaterThan(10);
    // Now the slow client reads: every reply byte for byte what was stored.
    const expected = Buffer.concat(values.flatMap((v) => [Buffer.from(`$${v.length}\r\n`), v, Buffer.from('\r\n')]));
    const chunks: Buffer[] = [];
    let got = 0;
    await new Promise<void>((res, rej) => {
      slow.on('data', (d: Buffer) => {
        chunks.push(d);
        got += d.length;
        if (got >= expected.length) res();
      });
      slow.on('error', rej);
      slow.resume();
    });
    slow.destroy();
    expect(Buffer.concat(chunks).equals(expected)).toBe(true);
  });

  it('answers everything before QUIT, then +OK, then closes, as a node does', async () => {
    const out: string[] = [];
    for (const port of [fx.port, fx.nodes[0]!.port]) {
      const c = await RawClient.connect(port);
      c.writeRaw('*3\r\n$3\r\nSET\r\n$4\r\nquit\r\n$1\r\nv\r\n*2\r\n$3\r\nGET\r\n$4\r\nquit\r\n*1\r\n$4\r\nQUIT\r\n*1\r\n$4\r\nPING\r\n');
      let text = '';
      try {
        for (;;) text += (await c.read(2000)).latin1Slice();
      } catch {
        // closed after QUIT
      }
      expect(c.isClosed).toBe(true);
      out.push(text);
      c.close();
    }
    expect(out[0]).toBe('+OK\r\n$1\r\nv\r\n+OK\r\n');
    expect(out[1]).toBe(out[0]);
  });

  it('answers COMMAND, CLIENT, TIME, ECHO, PING locally', async () => {
    expect(Number(await r.call('COMMAND', 'COUNT'))).toBeGreaterThan(100);
    const info = (await r.call('COMMAND', 'INFO', 'get')) as unknown[][];
    expect(info[0]!.slice(0, 2)).toEqual(['get', 2]);
    expect(await r.call('COMMAND', 'GETKEYS', 'MSET', 'a', '1', 'b', '2')).toEqual(['a', 'b']);
    expect(await r.client('SETNAME', 'tester')).toBe('OK');
    expect(await r.client('GETNAME')).toBe('tester');
    expect(typeof (await r.client('ID'))).toBe('number');
    expect(String(await r.client('LIST'))).toContain('name=tester');
    const [sec] = (await r.time()) as [string, string];
    expect(Math.abs(Number(sec) - Date.now() / 1000)).toBeLessThan(5);
    expect(await r.echo('hi')).toBe('hi');
    expect(await r.ping()).toBe('PONG');
  });

  it('describes itself as a one-node cluster owning every slot', async () => {
    const slots = (await r.call('CLUSTER', 'SLOTS')) as unknown[][];
    expect(slots).toHaveLength(1);
    expect(slots[0]!.slice(0, 2)).toEqual([0, 16383]);
    expect((slots[0]![2] as unknown[]).slice(0, 2)).toEqual(['127.0.0.1', fx.port]);
    const id = await r.call('CLUSTER', 'MYID');
    expect(id).toMatch(/^[0-9a-f]{40}$/);
    expect(String(await r.call('CLUSTER', 'NODES'))).toBe(`${id} 127.0.0.1:${fx.port}@0 myself,master - 0 0 1 connected 0-16383\n`);
    expect(String(await r.call('CLUSTER', 'INFO'))).toContain('cluster_state:ok');
    expect(await r.call('CLUSTER', 'KEYSLOT', 'foo')).toBe(12182);
    const shards = (await r.call('CLUSTER', 'SHARDS')) as unknown[][];
    expect(shards[0]![0]).toBe('slots');
  });

  it('reports INFO with a # Router section and the keyspace summed over nodes', async () => {
    await r.flushdb();
    await r.mset('i1', '1', 'i2', '2', 'i3', '3', 'i4', '4', 'i5', '5');
    const text = await r.info();
    expect(text).toContain('# Router');
    expect(text).toMatch(/connected_clients:\d+/);
    expect(text).toMatch(/instantaneous_ops_per_sec:\d+/);
    expect(text).toMatch(/node0:addr=127\.0\.0\.1:\d+,state=up,slots=0-5460,latency_ms=[\d.]+/);
    expect(text).toContain('db0:keys=5,');
    expect(text).toContain('loading:0');
    const routerOnly = await r.info('router');
    expect(routerOnly.startsWith('# Router')).toBe(true);
    expect(routerOnly).not.toContain('# Server');
  });

  it('works with redis-cli, plain and with -c', async () => {
    const cli = (...args: string[]) => execFileP('redis-cli', ['-p', String(fx.port), ...args]).then((o) => o.stdout.trim());
    expect(await cli('SET', 'cli-key', 'cli-value')).toBe('OK');
    expect(await cli('GET', 'cli-key')).toBe('cli-value');
    expect(await cli('-c', 'GET', 'cli-key')).toBe('cli-value');
    expect(await cli('MSET', 'c1', 'x', 'c2', 'y', 'c3', 'z')).toBe('OK');
    expect((await cli('MGET', 'c1', 'c2', 'c3')).split('\n')).toEqual(['x', 'y', 'z']);
    expect(await cli('CLUSTER', 'KEYSLOT', 'cli-key')).toBe(String(keyHashSlot('cli-key')));
    expect(await cli('--no-raw', 'GET', 'nope')).toBe('(nil)');
  });

  it('keeps allocating while idle, so V8 does not give the young generation back (allocation-floor.ts)', async () => {
    const before = lastGarbage();
    await sleep(350); // three ops samples with no commands
    expect(lastGarbage()).not.toBe(before);
    expect(lastGarbage()).toBeInstanceOf(Array);
  });
});
