/**
 * Shared pieces of the end-to-end tests: start the local Docker Engine when it is not running
 * (scripts/docker/ensure-dockerd.sh), run the built `swarmkv` binary as a user would, look at the
 * engine through dockerode (with the negotiated API version), find free ports, and list every
 * object carrying a cluster's label, to prove nothing is left behind.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { connect, type Engine } from '../../packages/orchestrator/src/engine/connect.js';
import { parseConfig } from '../../packages/orchestrator/src/config/load.js';

/** dockerode, through the orchestrator's own dependency (the root package does not list it). */
export type Docker = Engine['docker'];

export const ROOT = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
export const CLI = join(ROOT, 'packages/orchestrator/bin/swarmkv.js');
const run = promisify(execFile);

export async function ensureDockerd(): Promise<void> {
  await run('bash', [join(ROOT, 'scripts/docker/ensure-dockerd.sh')], { timeout: 120_000 });
}

/** The local engine, at the API version it speaks (negotiated from GET /version). */
export async function engine(): Promise<Docker> {
  return (await connect(parseConfig({}).hosts[0]!)).docker;
}

export function assertBuilt(): void {
  if (!existsSync(join(ROOT, 'packages/orchestrator/dist/main.js'))) {
    throw new Error('packages/orchestrator is not built: run `pnpm run build` first');
  }
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  json?: any;
}

/** Runs `swarmkv <args>` in `cwd`; never hangs (killed after `timeoutMs`). */
export function cli(args: string[], opts: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<CliResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: opts.cwd ?? ROOT,
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 170_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      const r: CliResult = { code, stdout, stderr, ms: Math.round(performance.now() - started) };
      if (args.includes('--json')) {
        try {
          r.json = JSON.parse(stdout);
        } catch {
          /* left undefined: the assertion on it fails with the output shown */
        }
      }
      resolve(r);
    });
  });
}

export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '0.0.0.0', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => res(p));
    });
  });
}

/** A temp directory holding swarmkv.yml with this content. */
export function clusterDir(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'swarmkv-e2e-'));
  writeFileSync(join(dir, 'swarmkv.yml'), yaml);
  return dir;
}

export interface Leftovers {
  services: string[];
  networks: string[];
  secrets: string[];
  containers: string[];
}

export async function leftovers(docker: Docker, cluster: string): Promise<Leftovers> {
  const label = { label: [`swarmkv.cluster=${cluster}`] };
  const info = (await docker.info()) as { Swarm?: { LocalNodeState?: string; ControlAvailable?: boolean } };
  const manager = info.Swarm?.LocalNodeState === 'active' && info.Swarm.ControlAvailable;
  return {
    services: manager ? ((await docker.listServices({ filters: label })) as { Spec: { Name: string } }[]).map((s) => s.Spec.Name) : [],
    networks: ((await docker.listNetworks({ filters: label })) as { Name: string }[]).map((n) => n.Name),
    secrets: manager ? ((await docker.listSecrets({ filters: label })) as { Spec: { Name: string } }[]).map((s) => s.Spec.Name) : [],
    containers: ((await docker.listContainers({ all: true, filters: label })) as { Names: string[] }[]).map((c) => c.Names[0] ?? '?'),
  };
}

export const NOTHING: Leftovers = { services: [], networks: [], secrets: [], containers: [] };

export async function swarmState(docker: Docker): Promise<string> {
  const info = (await docker.info()) as { Swarm?: { LocalNodeState?: string } };
  return info.Swarm?.LocalNodeState ?? 'inactive';
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
