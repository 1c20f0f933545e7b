/**
 * Differential test of the request parser against redis-server 7.0.15: the same byte streams
 * (hand-picked edge cases plus a few hundred mutated pipelines of ECHO commands) are sent to
 * Redis, one connection each, and Redis's replies must agree with what our parser extracted:
 * the same number of commands, the same ECHO payloads, and the same protocol error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createConnection } from 'node:net';
import { startRedis, type TestRedis } from './testing/redis-server.js';
import { RequestParser } from './parser.js';
import { ReplyParser } from './reply-parser.js';
import type { Reply } from './reply.js';

let redis: TestRedis;
let socketPath = '';
beforeAll(async () => {
  redis = await startRedis();
  const r = await redis.call('CONFIG', 'GET', 'unixsocket');
  socketPath = r.reply.t === 'arr' && r.reply.v[1]!.t === 'bulk' ? r.reply.v[1].v : '';
});
afterAll(async () => {
  await redis?.stop();
});

/**
 * Send `input` on a fresh connection; resolve with Redis's replies once `expected` have arrived
 * (plus a short grace period to catch extra ones), the connection closed, or 10 s passed.
 */
function exchange(input: Buffer, expected: number): Promise<Reply[]> {
  return new Promise((resolve) => {
    const replies: Reply[] = [];
    const parser = new ReplyParser();
    let finished = false;
    const s = createConnection(socketPath, () => s.write(input));
    const done = () => {
      if (finished) return;
      finished = true;
      clearTimeout(cap);
      s.destroy();
      resolve(replies);
    };
    const cap = setTimeout(done, 10_000);
    const settle = () => {
      if (replies.length >= expected) setTimeout(done, 100);
    };
    s.on('data', (chunk: Buffer) => {
      parser.feed(chunk);
      while (parser.next()) replies.push(parser.decode());
      settle();
    });
    s.on('close', done);
    s.on('error', done);
    settle();
  });
}

function ourView(input: Buffer): { echoes: (string | null)[]; error: string | null } {
  const p = new RequestParser();
  p.feed(input);
  const echoes: (string | null)[] = [];
  for (let a = p.next(); a !== null; a = p.next()) {
    echoes.push(a.length === 2 && a[0]!.toLowerCase() === 'echo' ? a[1]! : null);
  }
  return { echoes, error: p.error };
}

function redisView(replies: Reply[], expectError: boolean): { echoes: (string | null)[]; error: string | null } {
  let error: string | null = null;
  const last = replies[replies.length - 1];
  if (expectError && last?.t === 'err' && last.v.startsWith('ERR Protocol error')) {
    replies = replies.slice(0, -1);
    error = last.v.slice(4);
  }
  return { echoes: replies.map((r) => (r.t === 'bulk' ? r.v : null)), error };
}

const mb = (...args: string[]) => `*${args.length}\r\n` + args.map((a) => `$${a.length}\r\n${a}\r\n`).join('');

const FIXED: string[] = [
  mb('ECHO', 'a') + '*x\r\n' + mb('ECHO', 'b'),
  '*1\r\n\r\n',
  '*-0\r\n',
  '*1 \r\n',
  '*\r\n' + mb('ECHO', 'x'),
  '*0\r\n*-5\r\n' + mb('ECHO', 'after'),
  '*2\rX$4\rXECHO\r\n$1\r\nkXY' + mb('ECHO', 'z'),
  '*2\r\n$4\r\nECHO\r\n$-0\r\n',
  '*2\r\n$4\r\nECHO\r\n$01\r\n',
  '*2\r\n$4\r\nECHO\r\n$99999999999999999999\r\n',
  '*2\r\n$4\r\nECHO\r\n$536870913\r\n',
  '*2\r\n$4\r\nECHO\r\n\xffoo\r\n',
  'ECHO "\\x41\\x4a\\n\\t\\\\\\q"\r\n',
  "ECHO 'it\\'s'\r\n",
  'ECHO a"b c"d\r\n',
  'ECHO "a b"c\r\n',
  'ECHO "\\x4"\r\n',
  '\x0bECHO a\x0bb\x0c\r\n',
  'ECHO "a\\"\r\n',
  '\r\n\n  \r\nECHO x\n',
  'ECHO x\rECHO y\r\n',
  'ECHO "" \r\n',
  "ECHO ''\n",
  '*2\r\n$4\r\nECHO\r\n$3\r\na\x00b\r\n',
  'ECHO a\x00b\r\n' + mb('ECHO', 'q'),
  '*1\x00\r\n$4\r\nPING\r\n',
];

const mutation = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom('flip', 'insert', 'delete'),
  byte: fc.constantFrom(0, 10, 13, 32, 34, 36, 39, 42, 45, 48, 49, 57, 92, 120, 255),
});
const payload = fc.string({ maxLength: 6 }).map((s) => Buffer.from(s, 'utf8').latin1Slice());
const GENERATED: Buffer[] = fc
  .sample(
    fc.tuple(fc.array(payload, { minLength: 1, maxLength: 4 }), fc.array(mutation, { minLength: 1, maxLength: 3 }), fc.boolean()),
    { numRuns: 250, seed: 4242 },
  )
  .map(([payloads, muts, inline]) => {
    let b = Buffer.from(
      payloads.map((p) => (inline ? `ECHO "${p.replace(/[\\"]/g, '\\$&').replace(/[\r\n\x00]/g, '')}"\r\n` : mb('ECHO', p))).join(''),
      'latin1',
    );
    for (const m of muts) {
      const at = m.at % b.length;
      if (m.kind === 'flip') {
        b = Buffer.from(b);
        b[at] = m.byte;
      } else if (m.kind === 'insert') b = Buffer.concat([b.subarray(0, at), Buffer.of(m.byte), b.subarray(at)]);
      else b = Buffer.concat([b.subarray(0, at), b.subarray(at + 1)]);
    }
    return b;
  });

describe('RequestParser vs redis-server 7.0.15', () => {
  it(`agrees on ${FIXED.length} edge cases and ${GENERATED.length} mutated pipelines`, { timeout: 60_000 }, async () => {
    const cases = [...FIXED.map((s) => Buffer.from(s, 'latin1')), ...GENERATED];
    // All connections at once: one wait for the whole batch.
    const results = await Promise.all(
      cases.map((c) => {
        const o = ourView(c);
        return exchange(c, o.echoes.length + (o.error !== null ? 1 : 0));
      }),
    );
    cases.forEach((input, i) => {
      const ours = ourView(input);
      const theirs = redisView(results[i]!, ours.error !== null);
      expect([input.latin1Slice(), theirs]).toEqual([input.latin1Slice(), ours]);
    });
  });
});
