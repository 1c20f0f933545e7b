/**
 * directRead on real loopback sockets, with Node's per-read function replaced (takeOver): every
 * byte arrives once and in order, into the shared read buffer's copies or straight into a
 * consumer's own memory; pause/resume, EOF and close behave as with Node's own reading, for
 * connected sockets and for accepted ones (whose handle is switched over in place).
 */
import net from 'node:net';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { FAST_READS, directRead, readAcceptedSocket, type AcceptedReader, type ReadConsumer } from './direct-read.js';

const cleanup: (() => void)[] = [];
afterEach(() => {
  while (cleanup.length > 0) cleanup.pop()!();
});

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(cond()).toBe(true);
}

/** Collects reads; when `inPlaceFrom` is set, offers a region of its own buffer once that many bytes arrived. */
class Collector implements ReadConsumer {
  readonly chunks: Buffer[] = [];
  inPlaceReads = 0;
  private own: Buffer | null = null;
  private ownUsed = 0;

  constructor(private readonly inPlaceFrom = Infinity, private readonly ownSize = 0) {}

  get received(): number {
    return this.chunks.reduce((n, c) => n + c.length, 0) + this.ownUsed;
  }

  bytes(): Buffer {
    return Buffer.concat(this.own === null ? this.chunks : [...this.chunks, this.own.subarray(0, this.ownUsed)]);
  }

  onBytes(chunk: Buffer): void {
    expect(this.ownUsed).toBe(0); // nothing after the in-place region in this test
    this.chunks.push(chunk);
  }

  readTarget(): Uint8Array | null {
    if (this.received < this.inPlaceFrom) return null;
    this.own ??= Buffer.alloc(this.ownSize);
    return this.ownUsed < this.own.length ? this.own.subarray(this.ownUsed) : null;
  }

  onBytesInPlace(target: Uint8Array, n: number): void {
    expect(target.byteOffset).toBe(this.own!.byteOffset + this.ownUsed);
    this.ownUsed += n;
    this.inPlaceReads++;
  }
}

/** A server that sends `payload` in uneven writes to each client, then ends. */
async function source(payload: Buffer): Promise<number> {
  const server = net.createServer(async (s) => {
    for (let off = 0, i = 0; off < payload.length; i++) {
      const n = Math.min(payload.length - off, 1 + ((i * 7919) % 70000));
      s.write(payload.subarray(off, off + n));
      off += n;
      if (i % 10 === 0) await new Promise((r) => setImmediate(r));
    }
    s.end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanup.push(() => server.close());
  return (server.address() as net.AddressInfo).port;
}

/** A client socket to `port` read by `consumer` through directRead, with Node's per-read function replaced. */
function connectDirect(port: number, consumer: ReadConsumer): net.Socket {
  const onread = directRead(consumer);
  const socket = net.connect({ port, host: '127.0.0.1', onread });
  onread.takeOver(socket);
  cleanup.push(() => socket.destroy());
  return socket;
}

describe('directRead', () => {
  it("replaces Node's per-read function on this Node", async () => {
    expect(FAST_READS).toBe(true);
    const port = await source(Buffer.from('x'));
    const onread = directRead(new Collector());
    const socket = net.connect({ port, host: '127.0.0.1', onread });
    cleanup.push(() => socket.destroy());
    const handle = (socket as unknown as { _handle: { onread: () => void } })._handle;
    const nodeOnread = handle.onread;
    onread.takeOver(socket);
    expect(handle.onread).not.toBe(nodeOnread);
  });

  it('delivers every byte in order, then end and close', async () => {
    const payload = randomBytes(3 * 1024 * 1024);
    const port = await source(payload);
    const consumer = new Collector();
    const socket = connectDirect(port, consumer);
    const ended = once(socket, 'end');
    const closed = once(socket, 'close');
    await ended;
    await closed;
    expect(consumer.bytes().equals(payload)).toBe(true);
  });

  it("reads straight into the consumer's own buffer once it offers one", async () => {
    const payload = randomBytes(2 * 1024 * 1024);
    const port = await source(payload);
    const consumer = new Collector(100_000, payload.length);
    connectDirect(port, consumer);
    await until(() => consumer.received === payload.length);
    expect(consumer.inPlaceReads).toBeGreaterThan(0);
    expect(consumer.bytes().equals(payload)).toBe(true);
  });

  it('stops delivering while paused and resumes after', async () => {
    const payload = randomBytes(1024 * 1024);
    const port = await source(payload);
    const consumer = new Collector();
    const socket = connectDirect(port, consumer);
    await until(() => consumer.received > 0);
    socket.pause();
    await new Promise((r) => setTimeout(r, 20));
    const atPause = consumer.received;
    await new Promise((r) => setTimeout(r, 100));
    expect(consumer.received).toBe(atPause);
    socket.resume();
    await until(() => consumer.received === payload.length);
    expect(consumer.bytes().equals(payload)).toBe(true);
  });

  /** A client connected to a server that accepted it paused and reads it for `consumer`. */
  async function acceptedPair(consumer: ReadConsumer): Promise<{ client: net.Socket; reader: AcceptedReader }> {
    let reader: AcceptedReader | null = null;
    const server = net.createServer({ pauseOnConnect: true }, (s) => {
      reader = readAcceptedSocket(s, consumer);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    cleanup.push(() => server.close());
    const client = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
    cleanup.push(() => client.destroy());
    await once(client, 'connect');
    await until(() => reader !== null);
    return { client, reader: reader! };
  }

  it('reads an accepted socket and sees the client close', async () => {
    const consumer = new Collector();
    const { client, reader } = await acceptedPair(consumer);
    const accepted = reader.socket;
    const nodeOnread = (client as unknown as { _handle: { onread: () => void } })._handle.onread;
    expect((accepted as unknown as { _handle: { onread: () => void } })._handle.onread).not.toBe(nodeOnread);
    const closed = once(accepted, 'close');
    const payload = randomBytes(500_000);
    client.end(payload);
    await closed; // the client's FIN ended the accepted socket (no half-open), which then closed
    expect(consumer.bytes().equals(payload)).toBe(true);
  });

  it("pauses and resumes an accepted socket's reading", async () => {
    const consumer = new Collector();
    const { client, reader } = await acceptedPair(consumer);
    client.write('a'.repeat(1000));
    await until(() => consumer.received === 1000);
    reader.pause();
    reader.pause(); // twice is harmless
    client.write('b'.repeat(1000));
    await new Promise((r) => setTimeout(r, 100));
    expect(consumer.received).toBe(1000);
    reader.resume();
    reader.resume();
    await until(() => consumer.received === 2000);
    const closed = once(reader.socket, 'close');
    client.end();
    await closed;
    expect(consumer.bytes().toString()).toBe('a'.repeat(1000) + 'b'.repeat(1000));
  });
});
