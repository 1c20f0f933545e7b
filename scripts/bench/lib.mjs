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

// ---- Additions for types.mjs (issue 3). Nothing above is changed.

/**
 * Starts the built storage node with its V8 flags (dist/v8-flags.js) on the command line, so that
 * the launcher (bin/swarmkv-node.js) does not run itself again: the returned pid is then the
 * server process itself and rssBytes(pid) measures the server, not a launcher waiting for its
 * child. SWARMKV_BENCH_V8_FLAGS adds flags after them (GC experiments; the last one wins). The
 * child is killed if it never answers PING, so a failed start leaves nothing behind.
 */
export async function startStorageNode(extra = []) {
  const port = await freePort();
  const bin = path.join(REPO, 'packages/storage-node/bin/swarmkv-node.js');
  const { STORAGE_NODE_V8_FLAGS } = await import(path.join(REPO, 'packages/storage-node/dist/v8-flags.js'));
  const v8Flags = (process.env.SWARMKV_BENCH_V8_FLAGS ?? '').split(' ').filter(Boolean);
  const args = [...STORAGE_NODE_V8_FLAGS, ...v8Flags, bin, '--port', String(port), '--bind', '127.0.0.1', '--loglevel', 'warning', ...extra];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  const h = handle(child, port);
  try {
    await waitForPing(port);
  } catch (e) {
    await h.stop();
    throw e;
  }
  return h;
}

/**
 * End offset of the RESP reply starting at `pos` in `buf`, or -1 when the reply is not complete
 * yet. Understands RESP2 and RESP3 types; used to count replies of any shape (arrays included),
 * which counting newlines (loader above) cannot do.
 */
export function skipReply(buf, pos) {
  if (pos >= buf.length) return -1;
  const nl = buf.indexOf(10, pos);
  if (nl < 0) return -1;
  switch (buf[pos]) {
    case 0x24: // $ bulk
    case 0x3d: // = verbatim
    case 0x21: { // ! blob error
      const n = Number(buf.latin1Slice(pos + 1, nl - 1));
      if (n < 0) return nl + 1;
      const end = nl + 1 + n + 2;
      return end <= buf.length ? end : -1;
    }
    case 0x2a: // * array
    case 0x7e: // ~ set
    case 0x3e: // > push
    case 0x25: { // % map
      const n = Number(buf.latin1Slice(pos + 1, nl - 1));
      let p = nl + 1;
      for (let i = 0, m = buf[pos] === 0x25 ? 2 * n : n; i < m; i++) {
        p = skipReply(buf, p);
        if (p < 0) return -1;
      }
      return p;
    }
    default: // + - : , # _ ( one line
      return nl + 1;
  }
}

/**
 * One connection for pipelined raw RESP: batch(raw, count) writes `count` commands at once and
 * resolves when all `count` replies are in, with the number of error replies and the first one
 * (so a loader notices a command the server rejects) and, with keep, the raw replies.
 */
export function respClient(port) {
  const sock = net.connect(port, '127.0.0.1');
  sock.setNoDelay(true);
  let buf = Buffer.alloc(0);
  let pending = 0;
  let current = null;
  let failure = null;
  const fail = (e) => {
    failure = e;
    if (current) (current.reject(e), (current = null));
  };
  sock.on('error', fail);
  sock.on('close', () => fail(new Error(`connection to ${port} closed`)));
  sock.on('data', (d) => {
    buf = buf.length ? Buffer.concat([buf, d]) : d;
    let pos = 0;
    while (pending > 0) {
      const end = skipReply(buf, pos);
      if (end < 0) break;
      if (buf[pos] === 0x2d) {
        if (current.errors++ === 0) current.firstError = buf.latin1Slice(pos + 1, end - 2);
      }
      if (current.replies) current.replies.push(buf.latin1Slice(pos, end));
      pos = end;
      pending--;
    }
    buf = buf.subarray(pos);
    if (pending === 0 && current) {
      const c = current;
      current = null;
      c.resolve({ errors: c.errors, firstError: c.firstError, replies: c.replies });
    }
  });
  const ready = new Promise((resolve, reject) => {
    sock.once('connect', resolve);
    sock.once('error', reject);
  });
  return {
    ready,
    batch(raw, count, { keep = false } = {}) {
      if (failure) return Promise.reject(failure);
      return new Promise((resolve, reject) => {
        pending = count;
        current = { resolve, reject, errors: 0, firstError: null, replies: keep ? [] : null };
        sock.write(raw);
      });
    },
    close: () => sock.destroy(),
  };
}

/**
 * A small load generator for commands redis-benchmark cannot express (e.g. ZRANGE z r r+10 with
 * one random r): `conns` connections, each writing `depth` commands at a time and waiting for
 * their replies (redis-benchmark's -P), until `total` commands are done. next() returns one
 * command as raw RESP. Returns ops/s over the wall time of the run.
 */
export async function drive(port, { conns = 4, depth = 32, total, next }) {
  const clients = Array.from({ length: conns }, () => respClient(port));
  try {
    await Promise.all(clients.map((c) => c.ready));
    let left = total;
    let errors = 0;
    let firstError = null;
    const t0 = performance.now();
    await Promise.all(
      clients.map(async (c) => {
        while (left > 0) {
          const n = Math.min(depth, left);
          left -= n;
          let raw = '';
          for (let i = 0; i < n; i++) raw += next();
          const r = await c.batch(raw, n);
          errors += r.errors;
          firstError ??= r.firstError;
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    return { ops: total, seconds, rps: total / seconds, errors, firstError };
  } finally {
    for (const c of clients) c.close();
  }
}

/** Seeded PRNG (mulberry32): both servers get the same "random" data and queries. */
export { prng } from './prng.mjs';
