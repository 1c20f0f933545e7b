/**
 * DirectWriter on real loopback sockets: bytes arrive complete and in order whether they went
 * straight to the handle, through socket.write while connecting, or waited in libuv's queue
 * because the reader stopped reading; queuedBytes counts what waits and onDrain fires once it
 * is gone.
 */
import net from 'node:net';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { DIRECT_WRITES, DirectWriter } from './direct-write.js';

const cleanup: (() => void)[] = [];
afterEach(() => {
  while (cleanup.length > 0) cleanup.pop()!();
});

/** A server that collects what it receives; `reader` is the accepted socket. */
async function sink(): Promise<{ port: number; received: () => Buffer; accepted: Promise<net.Socket> }> {
  const chunks: Buffer[] = [];
  let resolveAccepted!: (s: net.Socket) => void;
  const accepted = new Promise<net.Socket>((r) => (resolveAccepted = r));
  const server = net.createServer((s) => {
    s.on('data', (c: Buffer) => chunks.push(c));
    resolveAccepted(s);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanup.push(() => server.close());
  return { port: (server.address() as net.AddressInfo).port, received: () => Buffer.concat(chunks), accepted };
}

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(cond()).toBe(true);
}

describe('DirectWriter', () => {
  it('bypasses Writable on this Node', () => {
    expect(DIRECT_WRITES).toBe(true);
  });

  it('keeps order across writes made while connecting and direct writes after', async () => {
    const { port, received } = await sink();
    const socket = net.connect({ port, host: '127.0.0.1' });
    cleanup.push(() => socket.destroy());
    const w = new DirectWriter(socket, () => {});
    let expected = '';
    for (let i = 0; i < 50; i++) {
      const s = `early-${i};`;
      w.write(i % 2 === 0 ? s : Buffer.from(s, 'latin1'));
      expected += s;
    }
    await once(socket, 'connect');
    for (let i = 0; i < 2000; i++) {
      const s = `late-${i}-\xff\x00;`;
      w.write(i % 2 === 0 ? s : Buffer.from(s, 'latin1'));
      expected += s;
      if (i % 100 === 0) await new Promise((r) => setImmediate(r));
    }
    await until(() => received().length === expected.length);
    expect(received().latin1Slice()).toBe(expected);
  });

  it('reports bytes the kernel has not taken, holds on to them, and signals the drain', async () => {
    const { port, received, accepted } = await sink();
    const socket = net.connect({ port, host: '127.0.0.1' });
    cleanup.push(() => socket.destroy());
    let drains = 0;
    const w = new DirectWriter(socket, () => drains++);
    await once(socket, 'connect');
    const reader = await accepted;
    reader.pause();
    const big = Buffer.alloc(16 * 1024 * 1024);
    for (let i = 0; i < big.length; i++) big[i] = i % 251;
    const kept = w.write(big);
    expect(kept).toBe(true);
    expect(w.queuedBytes).toBeGreaterThan(0);
    w.write('tail');
    reader.resume();
    await until(() => received().length === big.length + 4);
    await until(() => drains > 0);
    expect(w.queuedBytes).toBe(0);
    const got = received();
    expect(got.subarray(0, big.length).equals(big)).toBe(true);
    expect(got.subarray(big.length).latin1Slice()).toBe('tail');
  });

  it('destroys the socket when a write fails', async () => {
    const { port, accepted } = await sink();
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.on('error', () => {});
    const w = new DirectWriter(socket, () => {});
    await once(socket, 'connect');
    (await accepted).resetAndDestroy();
    await new Promise((r) => setTimeout(r, 50));
    for (let i = 0; i < 20 && !socket.destroyed; i++) {
      w.write(Buffer.alloc(64 * 1024));
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(socket.destroyed).toBe(true);
  });
});
