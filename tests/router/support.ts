/**
 * Router test fixtures: N real redis-server 7.0 processes on free ports (stopped by handle in
 * afterAll), and a router in this process in front of them (silent logs, fast health checks so
 * failure tests run in seconds).
 */
import { parseConfig, startRouter, type RunningRouter } from '@swarmkv/router';
import { keyHashSlot } from '@swarmkv/resp';
import { startRedis, waitForPing, type ServerHandle } from '../support/servers.js';

export interface RouterFixture {
  readonly nodes: ServerHandle[];
  readonly router: RunningRouter;
  readonly port: number;
  stop(): Promise<void>;
}

/** Fast failure detection for tests (production defaults: ping every 500 ms, down after 5 s, retry up to 1 s). */
export const TEST_FLAGS = ['--health-interval-ms', '100', '--health-timeout-ms', '3000', '--reconnect-max-ms', '200'];

export async function routerFor(nodePorts: readonly number[], flags: readonly string[] = []): Promise<RunningRouter> {
  const config = parseConfig(
    ['--port', '0', '--bind', '127.0.0.1', '--log-level', 'silent', '--nodes', nodePorts.map((p) => `127.0.0.1:${p}`).join(','), ...TEST_FLAGS, ...flags],
    {},
  );
  return startRouter(config);
}

export async function startRouterFixture(n = 3, flags: readonly string[] = [], nodeArgs: string[] = []): Promise<RouterFixture> {
  const nodes: ServerHandle[] = [];
  for (let i = 0; i < n; i++) nodes.push(await startRedis(nodeArgs));
  const router = await routerFor(
    nodes.map((s) => s.port),
    flags,
  );
  return {
    nodes,
    router,
    port: router.port,
    async stop() {
      await router.close();
      for (const s of nodes) await s.stop();
    },
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** A redis-server on a given port (to restart a killed node where the router expects it). */
export async function redisOnPort(port: number, extraArgs: string[] = []): Promise<ServerHandle> {
  const { spawn } = await import('node:child_process');
  const { mkdtempSync, rmSync } = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'swarmkv-router-redis-'));
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, ...extraArgs], {
    stdio: 'ignore',
  });
  await waitForPing(port);
  return {
    port,
    pid: child.pid,
    stop: () =>
      new Promise<void>((resolve) => {
        const done = () => (rmSync(dir, { recursive: true, force: true }), resolve());
        if (child.exitCode !== null || child.signalCode !== null) return done();
        const t = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => (clearTimeout(t), done()));
        child.kill('SIGTERM');
      }),
  };
}

/** A key whose slot the even 3-way split gives to node `i`, with an optional prefix. */
export function keyOnNode(i: number, prefix = 'key'): string {
  for (let n = 0; ; n++) {
    const k = `${prefix}:${n}`;
    const slot = keyHashSlot(k);
    const owner = slot <= 5460 ? 0 : slot <= 10922 ? 1 : 2;
    if (owner === i) return k;
  }
}
