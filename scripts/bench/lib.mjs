// Shared pieces of the benchmark programs: start servers on free ports of 127.0.0.1, run
// redis-benchmark and parse its CSV, medians and ratios, RSS of a PID, formatted tables.
// Benchmarks print figures; they never assert (speed targets are read from their output).
import { spawn, execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);
export const REPO = fileURLToPath(new URL('../..', import.meta.url));

export async function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

export async function waitForPing(port, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.setTimeout(1000, () => (s.destroy(), resolve(false)));
      s.on('error', () => resolve(false));
      s.on('connect', () => s.write('PING\r\n'));
      s.on('data', () => (s.destroy(), resolve(true)));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`port ${port} did not answer PING`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function handle(child, port, cleanup = () => {}) {
  return {
    port,
    pid: child.pid,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return (cleanup(), resolve());
        const t = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => (clearTimeout(t), cleanup(), resolve()));
        child.kill('SIGTERM');
      }),
  };
}

export async function startRedis(extra = []) {
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'swarmkv-bench-'));
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, ...extra], { stdio: 'ignore' });
  await waitForPing(port);
  return handle(child, port, () => rmSync(dir, { recursive: true, force: true }));
}

export async function startNode(extra = []) {
  const port = await freePort();
  const bin = path.join(REPO, 'packages/storage-node/bin/swarmkv-node.js');
  const child = spawn(process.execPath, [bin, '--port', String(port), '--bind', '127.0.0.1', '--loglevel', 'warn', ...extra], { stdio: ['ignore', 'ignore', 'inherit'] });
  await waitForPing(port);
  return handle(child, port);
}

/** Runs redis-benchmark; returns { [test]: { rps, p50, p99 } } from its CSV. */
export async function redisBenchmark(port, { tests, clients = 50, requests = 100000, pipeline = 1, keyspace = 100000, extra = [] }) {
  const args = ['-h', '127.0.0.1', '-p', String(port), '-c', String(clients), '-n', String(requests), '-P', String(pipeline), '-r', String(keyspace), '-t', tests.join(','), '--csv', ...extra];
  const { stdout } = await execFileP('redis-benchmark', args, { maxBuffer: 1 << 24, timeout: 300000 });
  const out = {};
  for (const line of stdout.split('\n')) {
    const cols = line.split('","').map((c) => c.replace(/"/g, ''));
    if (cols.length < 7 || cols[0] === 'test') continue;
    out[cols[0]] = { rps: Number(cols[1]), p50: Number(cols[4]), p99: Number(cols[6]) };
  }
  return out;
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

export function rssBytes(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

export function table(rows) {
  const cols = Object.keys(rows[0] ?? {});
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
  const line = (vals) => vals.map((v, i) => String(v).padStart(width[i])).join('  ');
  console.log(line(cols));
  for (const r of rows) console.log(line(cols.map((c) => r[c])));
}

/** A minimal pipelined loader: writes many commands on one socket, counts replies. */
export function loader(port) {
  const sock = net.connect(port, '127.0.0.1');
  sock.setNoDelay(true);
  let pending = 0;
  let waiter = null;
  sock.on('data', (d) => {
    // Count reply terminators of simple replies (+OK / :n / -ERR): loaders only send such commands.
    let n = 0;
    for (let i = 0; i < d.length; i++) if (d[i] === 10) n++;
    pending -= n;
    if (pending <= 0 && waiter) (waiter(), (waiter = null));
  });
  const ready = new Promise((r) => sock.once('connect', r));
  return {
    ready,
    /** Sends one batch of raw RESP with `count` commands and waits for all replies. */
    async batch(raw, count) {
      pending += count;
      const done = new Promise((r) => (waiter = r));
      sock.write(raw);
      await done;
    },
    close: () => sock.destroy(),
  };
}

/** RESP multibulk for argv of plain ASCII strings. */
export function resp(argv) {
  let s = `*${argv.length}\r\n`;
  for (const a of argv) s += `$${Buffer.byteLength(a)}\r\n${a}\r\n`;
  return s;
}
