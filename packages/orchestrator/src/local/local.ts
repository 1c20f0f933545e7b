/**
 * `swarmkv up --local` / `down --local`: the same cluster (N storage nodes and a router) as plain
 * processes on 127.0.0.1, for machines without a Docker Engine. Processes are detached with their
 * output in .swarmkv/<name>.log; their PIDs and ports go to .swarmkv/local.json, and `down --local`
 * stops exactly those PIDs (after checking each still runs a swarmkv program, since PIDs recycle).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, closeSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import type { ClusterConfig } from '../config/schema.js';
import { SwarmkvError } from '../errors.js';
import { repoRoot } from '../image/repo.js';
import { connectRouter, parseInfo, waitForRouter, checkRouter } from '../redis/probe.js';
import type { SlotRange } from '../redis/slots.js';
import { portBusyLocally } from '../swarm/preflight.js';
import type { Change } from '../swarm/resources.js';
import { sleep } from '../swarm/resources.js';
import type { Output } from '../ui/output.js';

export const STATE_FILE = 'local.json';
const HOST = '127.0.0.1';

export interface LocalProcess {
  readonly name: string;
  readonly pid: number;
  readonly port: number;
}

export interface LocalState {
  readonly cluster: string;
  readonly nodes: LocalProcess[];
  readonly router: LocalProcess;
}

export interface LocalUpReport {
  cluster: string;
  mode: 'local';
  changes: Change[];
  router: { host: string; port: number };
  slots: SlotRange[];
  processes: LocalProcess[];
  connect: string;
  durationMs: number;
}

export function stateDir(dir?: string): string {
  return resolve(dir ?? process.env.SWARMKV_STATE_DIR ?? '.swarmkv');
}

export function readState(dir: string): LocalState | undefined {
  const f = join(dir, STATE_FILE);
  if (!existsSync(f)) return undefined;
  try {
    return JSON.parse(readFileSync(f, 'utf8')) as LocalState;
  } catch {
    return undefined;
  }
}

/** True when the PID runs and its command line is one of ours (a recycled PID is left alone). */
export function isOurs(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return /swarmkv-(node|router)/.test(cmd);
  } catch {
    return true; // no /proc: trust the signal check
  }
}

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, HOST, () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => res(p));
    });
  });
}

function bins(): { node: string; router: string } {
  const root = repoRoot();
  const node = join(root, 'packages', 'storage-node', 'bin', 'swarmkv-node.js');
  const router = join(root, 'packages', 'router', 'bin', 'swarmkv-router.js');
  for (const [pkg, bin] of [['storage-node', node], ['router', router]] as const) {
    if (!existsSync(join(root, 'packages', pkg, 'dist', 'main.js'))) {
      throw new SwarmkvError('LOCAL_START', `packages/${pkg} is not built (${bin} needs dist/main.js)`, 'run `pnpm run build` (scripts/setup.sh does it)');
    }
  }
  return { node, router };
}

function start(dir: string, name: string, script: string, args: string[]): LocalProcess & { port: number } {
  const log = openSync(join(dir, `${name}.log`), 'a');
  const child = spawn(process.execPath, [script, ...args], { detached: true, stdio: ['ignore', log, log] });
  closeSync(log);
  child.unref();
  if (!child.pid) throw new SwarmkvError('LOCAL_START', `could not start ${name}`, `see ${join(dir, `${name}.log`)}`);
  const port = Number(args[args.indexOf('--port') + 1]);
  return { name, pid: child.pid, port };
}

export async function upLocal(cfg: ClusterConfig, opts: { dir?: string; timeoutMs: number }, out: Output): Promise<LocalUpReport> {
  const started = performance.now();
  const dir = stateDir(opts.dir);
  mkdirSync(dir, { recursive: true });
  const password = cfg.cluster.password;
  const target = { host: HOST, port: cfg.cluster.port, ...(password ? { password } : {}) };
  const changes: Change[] = [];
  const prev = readState(dir);
  const all = (s: LocalState) => [...s.nodes, s.router];
  if (prev && prev.nodes.length === cfg.cluster.shards && prev.router.port === cfg.cluster.port && all(prev).every((p) => isOurs(p.pid))) {
    const h = await waitForRouter(target, cfg.cluster.shards, opts.timeoutMs);
    return report(cfg, prev, h.ranges, changes, started);
  }
  if (prev) {
    await stopProcesses(all(prev));
    changes.push({ kind: 'removed', object: 'stale local processes' });
  }
  if (await portBusyLocally(cfg.cluster.port, HOST)) {
    throw new SwarmkvError('PORT_IN_USE', `router port ${cfg.cluster.port} on ${HOST} is already in use`, 'stop what holds it, or pick another port with --port or cluster.port');
  }
  const b = bins();
  const procs: LocalProcess[] = [];
  try {
    const nodes = await out.step(`starting ${cfg.cluster.shards} storage nodes`, async () => {
      const ns: LocalProcess[] = [];
      for (let i = 0; i < cfg.cluster.shards; i++) {
        const port = await freePort();
        const p = start(dir, `node-${i}`, b.node, ['--port', String(port), '--bind', HOST, ...(password ? ['--requirepass', password] : [])]);
        ns.push(p);
        procs.push(p);
      }
      return ns;
    });
    const router = start(dir, 'router', b.router, [
      '--port', String(cfg.cluster.port), '--bind', HOST,
      '--nodes', nodes.map((n) => `${HOST}:${n.port}`).join(','),
      ...(password ? ['--requirepass', password, '--node-password', password] : []),
    ]);
    procs.push(router);
    const state: LocalState = { cluster: cfg.cluster.name, nodes, router };
    writeFileSync(join(dir, STATE_FILE), `${JSON.stringify(state, null, 2)}\n`);
    for (const p of procs) changes.push({ kind: 'created', object: `process ${p.name} (pid ${p.pid}, port ${p.port})` });
    const h = await out.step(`waiting for the router on ${HOST}:${cfg.cluster.port}`, () => waitForRouter(target, cfg.cluster.shards, opts.timeoutMs));
    return report(cfg, state, h.ranges, changes, started);
  } catch (e) {
    await stopProcesses(procs);
    rmSync(join(dir, STATE_FILE), { force: true });
    if (e instanceof SwarmkvError && e.code === 'ROUTER_UNHEALTHY') {
      throw new SwarmkvError('LOCAL_START', e.message, `see the logs in ${dir}/ (node-*.log, router.log)`);
    }
    throw e;
  }
}

function report(cfg: ClusterConfig, s: LocalState, slots: SlotRange[], changes: Change[], started: number): LocalUpReport {
  return {
    cluster: cfg.cluster.name,
    mode: 'local',
    changes,
    router: { host: HOST, port: s.router.port },
    slots,
    processes: [...s.nodes, s.router],
    connect: `redis-cli -p ${s.router.port}${cfg.cluster.password ? ' -a <password>' : ''}`,
    durationMs: Math.round(performance.now() - started),
  };
}

export async function stopProcesses(procs: readonly LocalProcess[]): Promise<LocalProcess[]> {
  const stopped: LocalProcess[] = [];
  const ours = procs.filter((p) => isOurs(p.pid));
  for (const p of ours) {
    try {
      process.kill(p.pid, 'SIGTERM');
      stopped.push(p);
    } catch {
      /* already gone */
    }
  }
  const deadline = Date.now() + 5000;
  while (ours.some((p) => isAlive(p.pid)) && Date.now() < deadline) await sleep(50);
  for (const p of ours) if (isAlive(p.pid)) process.kill(p.pid, 'SIGKILL');
  return stopped;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    // A zombie (exited, not reaped: our detached children are reaped by init) counts as gone.
    const st = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(st);
  } catch {
    return false;
  }
}

export async function downLocal(opts: { dir?: string }): Promise<{ cluster: string; changes: Change[]; durationMs: number }> {
  const started = performance.now();
  const dir = stateDir(opts.dir);
  const s = readState(dir);
  const changes: Change[] = [];
  if (s) {
    for (const p of await stopProcesses([...s.nodes, s.router])) changes.push({ kind: 'removed', object: `process ${p.name} (pid ${p.pid})` });
    rmSync(join(dir, STATE_FILE), { force: true });
  }
  return { cluster: s?.cluster ?? '-', changes, durationMs: Math.round(performance.now() - started) };
}

export interface LocalStatus {
  cluster: string;
  mode: 'local';
  processes: (LocalProcess & { running: boolean; keys?: number; usedMemory?: number; error?: string })[];
  router: { address: string; reachable: boolean; error?: string; clients?: number; opsPerSec?: number; slots: SlotRange[] };
}

export async function statusLocal(cfg: ClusterConfig, opts: { dir?: string }): Promise<LocalStatus> {
  const s = readState(stateDir(opts.dir));
  const password = cfg.cluster.password;
  const port = s?.router.port ?? cfg.cluster.port;
  const router: LocalStatus['router'] = { address: `${HOST}:${port}`, reachable: false, slots: [] };
  try {
    router.slots = (await checkRouter({ host: HOST, port, ...(password ? { password } : {}) }, cfg.cluster.shards)).ranges;
    router.reachable = true;
    const info = await infoOf(port, password);
    if (info.connected_clients) router.clients = Number(info.connected_clients);
    if (info.instantaneous_ops_per_sec) router.opsPerSec = Number(info.instantaneous_ops_per_sec);
  } catch (e) {
    router.error = (e as Error).message;
  }
  const processes: LocalStatus['processes'] = [];
  for (const p of s ? [...s.nodes, s.router] : []) {
    const running = isOurs(p.pid);
    const entry: LocalStatus['processes'][number] = { ...p, running };
    if (running && p.name.startsWith('node-')) {
      try {
        const info = await infoOf(p.port, password);
        entry.keys = Object.entries(info).filter(([k]) => /^db\d+$/.test(k)).reduce((n, [, v]) => n + Number(/keys=(\d+)/.exec(v)?.[1] ?? 0), 0);
        entry.usedMemory = Number(info.used_memory ?? 0);
      } catch (e) {
        entry.error = (e as Error).message;
      }
    }
    processes.push(entry);
  }
  return { cluster: s?.cluster ?? cfg.cluster.name, mode: 'local', processes, router };
}

async function infoOf(port: number, password?: string): Promise<Record<string, string>> {
  const r = connectRouter({ host: HOST, port, ...(password ? { password } : {}) });
  try {
    await r.connect();
    return parseInfo(String(await r.info()));
  } finally {
    r.disconnect();
  }
}
