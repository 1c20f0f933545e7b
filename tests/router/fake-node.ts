/**
 * A scripted fake node for redirect tests: a TCP server on a free port of 127.0.0.1 that parses
 * commands with @swarmkv/resp's RequestParser and answers whatever `handle(argv)` returns (raw
 * RESP). PING gets +PONG unless the script says otherwise, so the router's health checks see it
 * up. Every command received is recorded, per connection order.
 */
import net from 'node:net';
import { RequestParser, type Bytes } from '@swarmkv/resp';

export interface FakeNode {
  readonly port: number;
  /** Every command received (health PINGs excluded). */
  readonly received: Bytes[][];
  handle: (argv: Bytes[]) => string | null;
  close(): Promise<void>;
}

export async function startFakeNode(handle: (argv: Bytes[]) => string | null): Promise<FakeNode> {
  const received: Bytes[][] = [];
  const sockets = new Set<net.Socket>();
  const fake: FakeNode = {
    port: 0,
    received,
    handle,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    const parser = new RequestParser();
    socket.on('data', (chunk) => {
      parser.feed(chunk);
      let out = '';
      for (let argv = parser.next(); argv !== null; argv = parser.next()) {
        const name = argv[0]!.toUpperCase();
        if (name !== 'PING') received.push(argv);
        const reply = fake.handle(argv);
        out += reply ?? (name === 'PING' ? '+PONG\r\n' : '-ERR fake node: unscripted command\r\n');
      }
      if (out) socket.write(out, 'latin1');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  (fake as { port: number }).port = (server.address() as net.AddressInfo).port;
  return fake;
}
