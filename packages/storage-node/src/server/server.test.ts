/**
 * The node over real sockets: ioredis, raw RESP (pipelining, split frames, protocol errors,
 * inline commands), redis-cli and redis-benchmark against a NodeServer on a free port.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import { execFile } from 'node:child_process';
import { Redis } from 'ioredis';
import { R, type Bytes, type Reply } from '@swarmkv/resp';
import { NodeServer } from './server.js';
import { defaultConfig } from '../config.js';
import { HANDLERS } from '../commands/index.js';
import type { Ctx, HandlerTable } from '../commands/context.js';

/** A toy blocking command (so this file does not depend on the list commands). */
function handlers(): HandlerTable {
  const queue: Bytes[] = [];
  return {
    ...HANDLERS,
    TPUSH: (ctx: Ctx, argv: Bytes[]) => {
      queue.push(argv[2]!);
      ctx.signalReady(argv[1]!);
      return R.int(queue.length);
    },
    TBPOP: (ctx: Ctx, argv: Bytes[]) => {
      const take = (): Reply | undefined => (queue.length > 0 ? R.bulk(queue.shift()!) : undefined);
      return take() ?? ctx.block({ keys: [argv[1]!], deadlineMs: 0, retry: take, timeoutReply: () => R.nil });
    },
  };
}

let server: NodeServer;
let port: number;

beforeAll(async () => {
  server = new NodeServer(defaultConfig({ port: 0, logLevel: 'silent', maxclients: 20 }), { handlers: handlers() });
  port = await server.listen();
});

afterAll(async () => {
  await server.close();
});

/** Send raw bytes, collect what comes back until `done(received)` or the socket closes. */
function raw(data: string | string[], done: (s: string) => boolean, timeoutMs = 2000): Promise<{ data: string; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    let got = '';
    let closed = false;
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error(`timeout, got ${JSON.stringify(got)}`));
    }, timeoutMs);
    const finish = () => {
      clearTimeout(timer);
      s.destroy();
      resolve({ data: got, closed });
    };
    s.on('connect', async () => {
      for (const part of Array.isArray(data) ? data : [data]) {
        s.write(part, 'latin1');
        await new Promise((r) => setTimeout(r, 5));
      }
    });
    s.on('data', (d) => {
      got += d.toString('latin1');
      if (done(got)) finish();
    });
    s.on('close', () => {
      closed = true;
      finish();
    });
    s.on('error', () => {});
  });
}

const cmd = (...args: string[]) => `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a, 'latin1')}\r\n${a}\r\n`).join('')}`;

describe('raw protocol', () => {
  it('answers a pipeline in order, in one write', async () => {
    const replies: string[] = [];
    const r = await new Promise<string[]>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => s.write(cmd('SET', 'p', '1') + cmd('ECHO', 'x') + cmd('GET', 'p') + cmd('PING')));
      s.on('data', (d) => {
        replies.push(d.toString('latin1'));
        if (replies.join('').endsWith('+PONG\r\n')) {
          s.destroy();
          resolve(replies);
        }
      });
    });
    expect(r).toEqual(['+OK\r\n$1\r\nx\r\n$1\r\n1\r\n+PONG\r\n']);
  });

  it('reassembles commands split across packets', async () => {
    const full = cmd('ECHO', 'hello world');
    const { data } = await raw([full.slice(0, 3), full.slice(3, 10), full.slice(10)], (s) => s.endsWith('world\r\n'));
    expect(data).toBe('$11\r\nhello world\r\n');
  });

  it('runs inline commands', async () => {
    const { data } = await raw('PING\r\nECHO "a b"\r\n\r\nSET inl "x y"\r\nGET inl\r\n', (s) => s.endsWith('x y\r\n'));
    expect(data).toBe('+PONG\r\n$3\r\na b\r\n+OK\r\n$3\r\nx y\r\n');
  });

  it('answers a protocol error after the commands before it, then closes', async () => {
    const { data, closed } = await raw(cmd('PING') + '*x\r\n' + cmd('PING'), () => false);
    expect(data).toBe('+PONG\r\n-ERR Protocol error: invalid multibulk length\r\n');
    expect(closed).toBe(true);
    const bad = await raw('*1\r\n+PING\r\n', () => false);
    expect(bad.data).toBe("-ERR Protocol error: expected '$', got '+'\r\n");
    expect(bad.closed).toBe(true);
  });

  it('QUIT replies OK then closes', async () => {
    const { data, closed } = await raw(cmd('QUIT') + cmd('PING'), () => false);
    expect(data).toBe('+OK\r\n');
    expect(closed).toBe(true);
  });

  it('a blocked client holds its later pipelined commands until it is served', async () => {
    const waiter = raw(cmd('TBPOP', 'q') + cmd('ECHO', 'after'), (s) => s.includes('after'));
    await new Promise((r) => setTimeout(r, 50));
    const pusher = await raw(cmd('TPUSH', 'q', 'item'), (s) => s.endsWith('\r\n'));
    expect(pusher.data).toBe(':1\r\n');
    const { data } = await waiter;
    expect(data).toBe('$4\r\nitem\r\n$5\r\nafter\r\n');
  });

  it('CLIENT PAUSE WRITE holds writes back but lets reads through', async () => {
    // A long pause, so that "the read came back while writes were still held" does not depend on
    // how loaded the machine is.
    const admin = await raw(cmd('CLIENT', 'PAUSE', '2000', 'WRITE'), (s) => s.endsWith('\r\n'));
    expect(admin.data).toBe('+OK\r\n');
    const t0 = Date.now();
    let readAt = 0;
    const { data } = await raw(cmd('ECHO', 'read') + cmd('SET', 'paused', 'v') + cmd('ECHO', 'done'), (s) => {
      if (readAt === 0 && s.includes('read')) readAt = Date.now();
      return s.endsWith('done\r\n');
    }, 6000);
    expect(data).toBe('$4\r\nread\r\n+OK\r\n$4\r\ndone\r\n');
    expect(readAt - t0).toBeLessThan(1500);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1900);
  });

  it('a deep pipeline does not hold up other clients: it runs in turns', async () => {
    // 200,000 INCRs in one write (5.4 MB). Without turns a GET sent meanwhile waits for everything
    // the server has read by then (measured: ~19,000 INCRs); with turns of 500 commands it runs
    // after a few turns (measured: 2,000).
    const N = 200_000;
    const big = net.connect(port, '127.0.0.1');
    big.on('error', () => {});
    let replies = 0;
    const allDone = new Promise<void>((resolve) =>
      big.on('data', (d) => {
        for (let i = 0; i < d.length; i++) if (d[i] === 10) replies++;
        if (replies >= N) resolve();
      }),
    );
    await new Promise((r) => big.once('connect', r));
    await raw(cmd('DEL', 'turns'), (s) => s.endsWith('\r\n'));
    big.write(cmd('INCR', 'turns').repeat(N), 'latin1');
    await new Promise<void>((resolve) => {
      const poll = () => (replies > 0 ? resolve() : setTimeout(poll, 1));
      poll();
    });
    const { data } = await raw(cmd('GET', 'turns'), (s) => /\r\n.*\r\n$/.test(s), 10000);
    const seen = Number(data.split('\r\n')[1]);
    expect(seen).toBeGreaterThan(0);
    expect(seen).toBeLessThan(10_000);
    await allDone;
    big.destroy();
    const { data: final } = await raw(cmd('GET', 'turns'), (s) => /\r\n.*\r\n$/.test(s));
    expect(final).toBe(`$6\r\n${N}\r\n`);
  }, 30_000);

  it('refuses connections beyond maxclients', async () => {
    const sockets: net.Socket[] = [];
    const connect = () =>
      new Promise<net.Socket>((resolve) => {
        const s = net.connect(port, '127.0.0.1', () => resolve(s));
        s.on('error', () => {});
      });
    for (let i = 0; i < 20; i++) sockets.push(await connect());
    // Let the server register them.
    await new Promise((r) => setTimeout(r, 50));
    const { data, closed } = await raw(cmd('PING'), () => false);
    expect(data).toBe('-ERR max number of clients reached\r\n');
    expect(closed).toBe(true);
    for (const s of sockets) s.destroy();
    await new Promise((r) => setTimeout(r, 50));
  });

  it('disconnects a pub/sub client that stops reading, past the hard limit', async () => {
    const admin = new Redis({ port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    const sub = net.connect(port, '127.0.0.1');
    const connected = new Promise((r) => sub.on('connect', r));
    sub.on('error', () => {});
    try {
      await admin.connect();
      await admin.config('SET', 'client-output-buffer-limit', 'pubsub 256kb 0 0');
      await connected;
      sub.write(cmd('SUBSCRIBE', 'flood'));
      await new Promise((r) => setTimeout(r, 50));
      sub.pause();
      expect(server.core.pubsub.count('channels', 'flood')).toBe(1);
      const big = 'x'.repeat(64 * 1024);
      for (let i = 0; i < 1000 && server.core.pubsub.count('channels', 'flood') > 0; i++) await admin.publish('flood', big);
      expect(server.core.pubsub.count('channels', 'flood')).toBe(0);
    } finally {
      await admin.config('SET', 'client-output-buffer-limit', 'pubsub 33554432 8388608 60');
      admin.disconnect();
      sub.destroy();
    }
  });
});

describe('ioredis', () => {
  it('works as with Redis: strings, pipelines, transactions, pub/sub', async () => {
    const r = new Redis({ port, lazyConnect: true, retryStrategy: () => null });
    await r.connect();
    expect(await r.set('io:k', 'v')).toBe('OK');
    expect(await r.get('io:k')).toBe('v');
    const pipe = await r.pipeline().set('io:a', '1').incr('io:a').get('io:a').exec();
    expect(pipe).toEqual([[null, 'OK'], [null, 2], [null, '2']]);
    const tx = await r.multi().set('io:t', 'x').get('io:t').exec();
    expect(tx).toEqual([[null, 'OK'], [null, 'x']]);
    await expect(r.call('NOPE')).rejects.toThrow("ERR unknown command 'NOPE', with args beginning with: ");

    const sub = new Redis({ port, lazyConnect: true, retryStrategy: () => null });
    await sub.connect();
    const got = new Promise<[string, string]>((resolve) => sub.on('message', (ch, msg) => resolve([ch, msg])));
    await sub.subscribe('io:ch');
    expect(await r.publish('io:ch', 'hi')).toBe(1);
    expect(await got).toEqual(['io:ch', 'hi']);
    sub.disconnect();
    r.disconnect();
  });
});

function tool(bin: string, args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(bin, args, { encoding: 'latin1', timeout: 60_000 }, (err, stdout, stderr) => {
      if (err) reject(err);
      else resolve(stdout + stderr);
    });
    if (input !== undefined) child.stdin!.end(input);
  });
}

describe('redis tools', () => {
  it('redis-cli talks to the node (RESP and inline)', async () => {
    const cli = (args: string[], input?: string) => tool('redis-cli', ['-p', String(port), ...args], input);
    expect(await cli(['PING'])).toBe('PONG\n');
    expect(await cli(['SET', 'cli:k', 'hello'])).toBe('OK\n');
    expect(await cli(['GET', 'cli:k'])).toBe('hello\n');
    expect(await cli([], 'ECHO inline\nGET cli:k\n')).toBe('inline\nhello\n');
    expect(await cli(['CONFIG', 'GET', 'databases'])).toBe('databases\n16\n');
    expect(await cli(['INFO', 'server'])).toContain('redis_version:7.0.15');
  });

  it('redis-benchmark runs without errors', async () => {
    const text = await tool('redis-benchmark', ['-p', String(port), '-t', 'ping,set,get,incr,mset', '-n', '20000', '-c', '10', '-q']);
    expect(text).not.toMatch(/error|WARNING/i);
    for (const t of ['PING_INLINE', 'PING_MBULK', 'SET', 'GET', 'INCR', 'MSET \\(10 keys\\)']) {
      expect(text).toMatch(new RegExp(`${t}: [\\d.]+ requests per second`));
    }
  }, 60_000);
});

describe('requirepass over the network', () => {
  it('applies Redis 7.0 limits to unauthenticated clients, lifted by AUTH', async () => {
    const locked = new NodeServer(defaultConfig({ port: 0, logLevel: 'silent', requirepass: 'pw' }));
    const lockedPort = await locked.listen();
    try {
      const send = (data: string) =>
        new Promise<string>((resolve) => {
          const s = net.connect(lockedPort, '127.0.0.1', () => s.write(data));
          let got = '';
          s.on('data', (d) => (got += d.toString('latin1')));
          s.on('close', () => resolve(got + '[closed]'));
          setTimeout(() => {
            s.destroy();
            resolve(got);
          }, 300);
        });
      const eleven = cmd('ECHO', ...Array.from({ length: 10 }, () => 'x'));
      expect(await send(cmd('PING') + eleven)).toBe(
        '-NOAUTH Authentication required.\r\n-ERR Protocol error: unauthenticated multibulk length\r\n[closed]',
      );
      expect(await send(cmd('AUTH', 'pw') + cmd('MSET', 'a', '1', 'b', '2', 'c', '3', 'd', '4', 'e', '5', 'f', '6'))).toBe(
        '+OK\r\n+OK\r\n',
      );
    } finally {
      await locked.close();
    }
  });
});
