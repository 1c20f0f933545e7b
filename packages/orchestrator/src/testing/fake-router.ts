/**
 * A stand-in for the swarmkv router in unit tests of `up`: a RESP server on 127.0.0.1 that answers
 * CLUSTER SLOTS with an even split over N nodes, EXISTS with 0, INFO and PING, so that `up`'s
 * "router serves all slots" wait can finish without containers.
 */
import { createServer, type Server } from 'node:net';
import { evenRanges } from '../redis/slots.js';

const INFO = 'connected_clients:1\r\ninstantaneous_ops_per_sec:0';

export async function fakeRouter(port: number, shards: number, names: (i: number) => string): Promise<Server> {
  const slots = evenRanges(shards)
    .map((r, i) => `*3\r\n:${r.start}\r\n:${r.end}\r\n*2\r\n$${names(i).length}\r\n${names(i)}\r\n:6379\r\n`)
    .join('');
  const server = createServer((c) => {
    let buf = '';
    c.on('error', () => undefined);
    c.on('data', (d) => {
      buf += d.toString('latin1');
      // Replies only need the command name: the first bulk string of each array.
      for (;;) {
        const m = /^\*(\d+)\r\n\$\d+\r\n([^\r]*)\r\n/.exec(buf);
        if (!m) return;
        let rest = buf.slice(m[0].length);
        for (let i = 1; i < Number(m[1]); i++) {
          const a = /^\$\d+\r\n[^\r]*\r\n/.exec(rest);
          if (!a) return;
          rest = rest.slice(a[0].length);
        }
        buf = rest;
        const cmd = m[2]!.toUpperCase();
        if (cmd === 'CLUSTER') c.write(`*${shards}\r\n${slots}`);
        else if (cmd === 'EXISTS') c.write(':0\r\n');
        else if (cmd === 'INFO') c.write(`$${INFO.length}\r\n${INFO}\r\n`);
        else c.write('+PONG\r\n');
      }
    });
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  return server;
}
