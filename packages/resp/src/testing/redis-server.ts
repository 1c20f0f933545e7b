/**
 * Test helper: a throwaway redis-server (the real 7.0.15 binary) listening only on a unix socket
 * in a temporary directory, and a minimal RESP client for it. Used by this package's
 * differential tests; always `stop()` it in afterAll.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection, type Socket } from 'node:net';
import { ReplyParser } from '../reply-parser.js';
import type { Reply } from '../reply.js';

export interface TestRedis {
  /** Send one command (each argument as latin1 bytes) and return the raw reply bytes and the decoded reply. */
  call(...args: string[]): Promise<{ raw: string; reply: Reply }>;
  stop(): Promise<void>;
}

export async function startRedis(extraArgs: string[] = []): Promise<TestRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'swarmkv-resp-'));
  const sock = join(dir, 'redis.sock');
  const proc: ChildProcess = spawn(
    'redis-server',
    ['--port', '0', '--unixsocket', sock, '--save', '', '--appendonly', 'no', '--dir', dir, ...extraArgs],
    { stdio: 'ignore' },
  );
  const deadline = Date.now() + 10_000;
  while (!existsSync(sock)) {
    if (Date.now() > deadline || proc.exitCode !== null) throw new Error('redis-server did not start');
    await new Promise((r) => setTimeout(r, 20));
  }
  // The socket file appears at bind(); retry until redis-server also listens.
  let socket: Socket | null = null;
  while (socket === null) {
    socket = await new Promise<Socket | null>((resolve) => {
      const s = createConnection(sock, () => resolve(s));
      s.once('error', () => resolve(null));
    });
    if (socket === null) {
      if (Date.now() > deadline || proc.exitCode !== null) throw new Error('redis-server did not accept connections');
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  const parser = new ReplyParser();
  const waiting: ((v: { raw: string; reply: Reply }) => void)[] = [];
  socket.on('data', (chunk: Buffer) => {
    parser.feed(chunk);
    while (parser.next()) waiting.shift()?.({ raw: parser.raw(), reply: parser.decode() });
  });
  return {
    call(...args: string[]) {
      const out = `*${args.length}\r\n` + args.map((a) => `$${a.length}\r\n${a}\r\n`).join('');
      return new Promise((resolve) => {
        waiting.push(resolve);
        socket.write(out, 'latin1');
      });
    },
    async stop() {
      socket.destroy();
      if (proc.exitCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
