/**
 * Router test fixtures: N real redis-server 7.0 processes on free ports (stopped by handle in
 * afterAll), and a router in this process in front of them (silent logs, fast health checks so
 * failure tests run in seconds).
 */
import { pino } from 'pino';
import { parseConfig, startRouter, type RunningRouter } from '@swarmkv/router';
import { startRedis, type ServerHandle } from '../support/servers.js';

export interface RouterFixture {
  readonly nodes: ServerHandle[];
  readonly router: RunningRouter;
  readonly port: number;
  stop(): Promise<void>;
}

/** Fast failure detection for tests (production defaults are 500 ms / 2 s). */
export const TEST_FLAGS = ['--health-interval-ms', '100', '--health-timeout-ms', '1000', '--reconnect-max-ms', '200'];

export async function routerFor(nodePorts: readonly number[], flags: readonly string[] = []): Promise<RunningRouter> {
  const config = parseConfig(
    ['--port', '0', '--bind', '127.0.0.1', '--nodes', nodePorts.map((p) => `127.0.0.1:${p}`).join(','), ...TEST_FLAGS, ...flags],
    {},
  );
  return startRouter(config, pino({ level: 'silent' }));
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
