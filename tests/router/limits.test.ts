/**
 * Authentication and limits: --requirepass (AUTH, HELLO AUTH, RESET, Redis's exact errors),
 * --node-password for nodes that require one, --maxclients, the per-client cap on queued
 * commands (flow control: reading pauses, nothing is dropped) and the output buffer limit (a
 * client that does not read its replies is disconnected).
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient } from '../support/raw-client.js';
import { routerFor, sleep, startRouterFixture, type RouterFixture } from './support.js';

const text = (b: Buffer) => b.latin1Slice();

describe('--requirepass and --node-password', () => {
  let fx: RouterFixture;
  beforeAll(async () => {
    // Nodes that need a password; the router is given it, and asks its own clients for another.
    fx = await startRouterFixture(3, ['--node-password', 'nodepw', '--requirepass', 'clientpw'], ['--requirepass', 'nodepw']);
  });
  afterAll(async () => fx?.stop());

  it('asks clients to authenticate exactly like Redis', async () => {
    const c = await RawClient.connect(fx.port);
    try {
      expect(text(await c.call('GET', 'k'))).toBe('-NOAUTH Authentication required.\r\n');
      expect(text(await c.call('NOSUCH'))).toBe("-ERR unknown command 'NOSUCH', with args beginning with: \r\n");
      expect(text(await c.call('HELLO', '3'))).toMatch(/^-NOAUTH HELLO must be called with the client already authenticated/);
      expect(text(await c.call('AUTH', 'wrong'))).toBe('-WRONGPASS invalid username-password pair or user is disabled.\r\n');
      expect(text(await c.call('AUTH', 'someone', 'clientpw'))).toBe('-WRONGPASS invalid username-password pair or user is disabled.\r\n');
      expect(text(await c.call('AUTH', 'clientpw'))).toBe('+OK\r\n');
      expect(text(await c.call('SET', 'k', 'v'))).toBe('+OK\r\n');
      expect(text(await c.call('RESET'))).toBe('+RESET\r\n');
      expect(text(await c.call('GET', 'k'))).toBe('-NOAUTH Authentication required.\r\n');
      expect(text(await c.call('HELLO', '3', 'AUTH', 'default', 'clientpw')).slice(0, 3)).toBe('%7\r');
      expect(text(await c.call('GET', 'k'))).toBe('$1\r\nv\r\n');
    } finally {
      c.close();
    }
  });

  it('reaches password-protected nodes with --node-password, and reports them down without it', async () => {
    const r = new Redis({ port: fx.port, host: '127.0.0.1', password: 'clientpw' });
    const unauthenticated = await routerFor(fx.nodes.map((n) => n.port));
    const c = await RawClient.connect(unauthenticated.port);
    try {
      await r.mset('a', '1', 'b', '2', 'c', '3', 'd', '4');
      expect(await r.mget('a', 'b', 'c', 'd')).toEqual(['1', '2', '3', '4']);
      let reply = '';
      for (let i = 0; i < 100; i++) {
        reply = text(await c.call('GET', 'a'));
        if (reply.startsWith('-CLUSTERDOWN')) break;
        await sleep(20);
      }
      expect(reply).toMatch(/^-CLUSTERDOWN .*NOAUTH/);
    } finally {
      r.disconnect();
      c.close();
      await unauthenticated.close();
    }
  });
});

describe('client limits', () => {
  let fx: RouterFixture;
  beforeAll(async () => {
    fx = await startRouterFixture(3, ['--maxclients', '3', '--max-queued-commands', '16', '--client-output-buffer-limit', '200000']);
  });
  afterAll(async () => fx?.stop());

  it('refuses clients beyond --maxclients', async () => {
    const held = [await RawClient.connect(fx.port), await RawClient.connect(fx.port), await RawClient.connect(fx.port)];
    try {
      for (const h of held) expect(text(await h.call('PING'))).toBe('+PONG\r\n');
      const extra = await RawClient.connect(fx.port);
      expect(text(await extra.read())).toBe('-ERR max number of clients reached\r\n');
      extra.close();
    } finally {
      for (const h of held) h.close();
    }
    await sleep(100);
    const again = await RawClient.connect(fx.port);
    expect(text(await again.call('PING'))).toBe('+PONG\r\n');
    again.close();
  });

  it('pauses a client at --max-queued-commands instead of dropping anything', async () => {
    const c = await RawClient.connect(fx.port);
    try {
      const cmds = Array.from({ length: 2000 }, (_, i) => ['INCR', `cap:${i % 7}`]);
      const replies = (await c.pipeline(cmds)).map(text);
      const counters = new Map<string, number>();
      replies.forEach((r, i) => {
        const k = cmds[i]![1]!;
        counters.set(k, (counters.get(k) ?? 0) + 1);
        expect(r).toBe(`:${counters.get(k)}\r\n`);
      });
    } finally {
      c.close();
    }
  });

  it('disconnects a client whose unread replies pass the output buffer limit', { timeout: 30_000 }, async () => {
    const r = new Redis({ port: fx.port, host: '127.0.0.1' });
    await r.set('big', 'x'.repeat(500_000));
    r.disconnect();
    // Follow this client's own session: others (earlier tests, the setter) come and go meanwhile.
    const sessions = fx.router.router.sessions;
    const others = new Set(sessions);
    const c = await RawClient.connect(fx.port);
    const socket = (c as unknown as { socket: import('node:net').Socket }).socket;
    socket.pause(); // never read a byte
    let mine: unknown;
    while ((mine = [...sessions].find((x) => !others.has(x))) === undefined) await sleep(10);
    c.writeRaw('*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n'.repeat(200));
    const deadline = Date.now() + 20_000;
    while (sessions.has(mine as never) && Date.now() < deadline) await sleep(50);
    expect(sessions.has(mine as never)).toBe(false);
    c.close();
  });
});
