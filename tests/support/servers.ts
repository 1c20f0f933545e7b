/**
 * Servers for tests: a real redis-server 7.0 (the oracle) and a swarmkv storage node, each on a
 * free port of 127.0.0.1, stopped by PID / handle in afterAll.
 *
 * The redis-server runs without persistence in a temporary directory. The swarmkv node runs in
 * this process (fast to start, no build needed); `startSwarmkvNodeProcess` runs the built binary
 * instead, for tests that need a separate process (kill, signals, memory).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ServerHandle {
  readonly port: number;
  readonly pid?: number;
  stop(): Promise<void>;
}

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Resolves once something accepts connections and answers PING on the port. */
export async function waitForPing(port: number, timeoutMs = 10_000, password?: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      let buf = '';
      s.setTimeout(1000, () => (s.destroy(), resolve(false)));
      s.on('error', () => resolve(false));
      s.on('connect', () => s.write(password ? `AUTH ${password}\r\nPING\r\n` : 'PING\r\n'));
      s.on('data', (d) => {
        buf += d.toString('latin1');
        if (buf.includes('+PONG')) (s.destroy(), resolve(true));
        else if (buf.startsWith('-') && !password) (s.destroy(), resolve(true)); // NOAUTH: it is up
      });
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing answered PING on 127.0.0.1:${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const t = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => (clearTimeout(t), resolve()));
    child.kill(signal);
  });
}

/** A real redis-server 7.0 (Debian's) on a free port: the oracle. Extra `--name value` pairs allowed. */
export async function startRedis(extraArgs: string[] = []): Promise<ServerHandle> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'swarmkv-redis-'));
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, ...extraArgs],
    { stdio: 'ignore' },
  );
  await waitForPing(port);
  return {
    port,
    pid: child.pid,
    async stop() {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A swarmkv storage node in this process. `config` uses NodeConfig field names. */
export async function startSwarmkvNode(config: Record<string, unknown> = {}): Promise<ServerHandle> {
  const { NodeServer, NodeConfigSchema } = await import('@swarmkv/storage-node');
  const server = new NodeServer(NodeConfigSchema.parse({ port: 0, bind: '127.0.0.1', logLevel: 'silent', ...config }));
  const port = await server.listen();
  return { port, stop: () => server.close() };
}

/** The built `swarmkv-node` binary as a child process (needs `pnpm build`). */
export async function startSwarmkvNodeProcess(args: string[] = []): Promise<ServerHandle & { child: ChildProcess }> {
  const port = await freePort();
  const bin = path.join(REPO_ROOT, 'packages/storage-node/bin/swarmkv-node.js');
  const child = spawn(process.execPath, [bin, '--port', String(port), '--bind', '127.0.0.1', ...args], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await waitForPing(port);
  return { port, pid: child.pid, child, stop: () => stopChild(child) };
}
