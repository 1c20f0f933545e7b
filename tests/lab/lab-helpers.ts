/**
 * Pieces of the multi-host lab test: run `scripts/lab`, reach each lab host's engine over its
 * mutual-TLS endpoint (through the orchestrator's own connect, so the API version is negotiated),
 * write cluster files derived from the one the lab wrote, run a command inside a container with
 * dockerode's exec API, and look at the machine for anything the lab could have left behind.
 * Traffic goes only to the lab's own addresses (10.250.0.x, inside namespaces the lab made) and
 * to 127.0.0.1.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '../../packages/orchestrator/src/config/load.js';
import { connect, type Engine } from '../../packages/orchestrator/src/engine/connect.js';
import { ROOT } from '../e2e/helpers.js';

const run = promisify(execFile);
// The YAML library is the orchestrator's dependency, not the workspace root's.
const yaml = createRequire(join(ROOT, 'packages/orchestrator/package.json'))('yaml') as { parse(s: string): any; stringify(v: unknown): string };

export const LAB_DIR = process.env.SWARMKV_LAB_DIR ?? '/var/lib/swarmkv-lab';
export const LAB = join(ROOT, 'scripts/lab');
export const BRIDGE_IP = '10.250.0.1';
export const REGISTRY = `${BRIDGE_IP}:5000`;
export const hostIp = (i: number): string => `10.250.0.${10 + i}`;

export interface LabResult {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs `scripts/lab <args>`; never throws, never hangs (killed after `timeoutMs`). */
export async function lab(args: string[], timeoutMs = 180_000): Promise<LabResult> {
  const t = performance.now();
  try {
    const r = await run('bash', [LAB, ...args], { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 16 << 20 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr, ms: Math.round(performance.now() - t) };
  } catch (e) {
    const x = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof x.code === 'number' ? x.code : 1, stdout: x.stdout ?? '', stderr: x.stderr ?? String(e), ms: Math.round(performance.now() - t) };
  }
}

/** The engines of the lab's cluster file, in file order (h1, h2, h3). */
export async function labEngines(file = join(LAB_DIR, 'cluster.yaml')): Promise<Engine[]> {
  const cfg = loadConfig(file);
  return Promise.all(cfg.hosts.map((h) => connect(h)));
}

/** A copy of the lab's cluster file with `edit` applied to its parsed document. */
export function variant(name: string, edit: (doc: any) => void): string {
  const doc = yaml.parse(readFileSync(join(LAB_DIR, 'cluster.yaml'), 'utf8'));
  edit(doc);
  const file = join(LAB_DIR, `${name}.yaml`);
  writeFileSync(file, `# ${name}: the lab's cluster file, changed by tests/lab\n${yaml.stringify(doc)}`);
  return file;
}

/** Runs `cmd` in a container through dockerode's exec API; returns its output and exit code. */
export async function execIn(docker: Engine['docker'], containerId: string, cmd: string[], timeoutMs = 15_000): Promise<{ exitCode: number; output: string }> {
  const exec = await docker.getContainer(containerId).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true, Tty: true });
  const stream = (await exec.start({ hijack: true, stdin: false, Tty: true })) as NodeJS.ReadableStream & { destroy(): void };
  const output = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      stream.destroy();
      reject(new Error(`exec ${cmd.join(' ')} did not end within ${timeoutMs} ms; output so far: ${out}`));
    }, timeoutMs);
    stream.on('data', (d: Buffer) => (out += d.toString('utf8')));
    stream.on('end', () => {
      clearTimeout(timer);
      resolve(out);
    });
    stream.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
  const info = (await exec.inspect()) as { ExitCode: number | null };
  return { exitCode: info.ExitCode ?? -1, output };
}

export interface MachineState {
  netns: string[];
  links: string[];
  iptables: string[];
  mounts: string[];
  cgroups: string[];
  processes: string[];
  labDir: boolean;
}

/** Everything of the lab's that could outlive it on this machine. */
export async function machineState(): Promise<MachineState> {
  const netns = (await run('ip', ['netns', 'list'])).stdout.split('\n').map((l) => l.split(' ')[0]!).filter((n) => /^h\d+$/.test(n));
  const links = (await run('ip', ['-br', 'link'])).stdout.split('\n').map((l) => l.split(/\s+/)[0]!.split('@')[0]!).filter((n) => n === 'lab0' || /^vlab\d+$/.test(n));
  const iptables = (await run('iptables', ['-S', 'FORWARD'])).stdout.split('\n').filter((l) => l.includes('lab0'));
  const mounts = readFileSync('/proc/mounts', 'utf8').split('\n').filter((l) => l.includes(LAB_DIR) || /\/run\/netns\/h\d+ /.test(l));
  const cgroups: string[] = [];
  for (const ctl of existsSync('/sys/fs/cgroup') ? readdirSync('/sys/fs/cgroup') : []) {
    try {
      for (const d of readdirSync(join('/sys/fs/cgroup', ctl))) if (d.startsWith('swarmkv-lab-')) cgroups.push(join('/sys/fs/cgroup', ctl, d));
    } catch {
      /* a file, not a controller directory */
    }
  }
  const processes = (await run('ps', ['-eo', 'pid=,args='])).stdout.split('\n').filter((l) => l.includes(LAB_DIR) && !l.includes('ps -eo'));
  return { netns, links, iptables, mounts, cgroups, processes, labDir: existsSync(LAB_DIR) };
}

export const CLEAN: MachineState = { netns: [], links: [], iptables: [], mounts: [], cgroups: [], processes: [], labDir: false };

/** Prints one phase's duration the same way everywhere, for the CI log. */
export function phase(name: string, ms: number): void {
  console.log(`lab phase: ${name}: ${(ms / 1000).toFixed(1)}s`);
}
