#!/usr/bin/env node
/**
 * Memory of small hashes: fills a redis-server 7.0 and a swarmkv node (each started here on a free
 * port of 127.0.0.1, stopped by PID at the end) with the same N hashes of 5 small fields through
 * `redis-cli --pipe`, then prints each process's RSS before and after and the ratio.
 *
 *   node scripts/mem/hash-rss.mjs [--count 1000000] [--node "node packages/storage-node/bin/swarmkv-node.js"]
 *
 * The swarmkv node must be built (`pnpm build`) unless --node names another command; `--port N`
 * is appended to it. Each hash: HSET user:%07d name user<i> age <i%100> city city<i%1000>
 * score <7i> active 1 (listpack-encoded in both servers).
 */
import { spawn, execFileSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const COUNT = Number(opt('count', '1000000'));
const NODE_CMD = opt('node', `${process.execPath} ${path.join(ROOT, 'packages/storage-node/bin/swarmkv-node.js')}`);

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitPing(port) {
  for (let i = 0; i < 200; i++) {
    try {
      if (execFileSync('redis-cli', ['-p', String(port), 'ping'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().includes('PONG')) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing answers on ${port}`);
}

function rssKb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]);
}

function resp(argv) {
  let s = `*${argv.length}\r\n`;
  for (const a of argv) s += `$${Buffer.byteLength(a)}\r\n${a}\r\n`;
  return s;
}

async function writeData(file) {
  const out = createWriteStream(file);
  for (let i = 0; i < COUNT; i++) {
    const line = resp(['HSET', `user:${String(i).padStart(7, '0')}`, 'name', `user${i}`, 'age', String(i % 100),
      'city', `city${i % 1000}`, 'score', String(i * 7), 'active', '1']);
    if (!out.write(line)) await new Promise((r) => out.once('drain', r));
  }
  await new Promise((r) => out.end(r));
}

function fill(port, file) {
  execFileSync('sh', ['-c', `redis-cli -p ${port} --pipe < "${file}"`], { stdio: ['ignore', 'ignore', 'inherit'] });
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'swarmkv-mem-'));
const data = path.join(dir, 'hashes.resp');
const children = [];
try {
  await writeData(data);
  const rport = await freePort();
  const redis = spawn('redis-server', ['--port', String(rport), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  children.push(redis);
  const nport = await freePort();
  const [cmd, ...cmdArgs] = NODE_CMD.split(' ');
  const node = spawn(cmd, [...cmdArgs, '--port', String(nport), '--bind', '127.0.0.1'], { stdio: 'ignore' });
  children.push(node);
  await Promise.all([waitPing(rport), waitPing(nport)]);

  const r0 = rssKb(redis.pid);
  const n0 = rssKb(node.pid);
  fill(rport, data);
  fill(nport, data);
  await new Promise((r) => setTimeout(r, 2000));
  const r1 = rssKb(redis.pid);
  const n1 = rssKb(node.pid);
  const enc = (port) => execFileSync('redis-cli', ['-p', String(port), 'object', 'encoding', 'user:0000001']).toString().trim();
  const mb = (kb) => (kb / 1024).toFixed(1) + ' MB';
  console.log(`${COUNT} hashes of 5 fields (encoding: redis ${enc(rport)}, swarmkv ${enc(nport)})`);
  console.log(`redis-server  RSS ${mb(r0)} -> ${mb(r1)}  (${(((r1 - r0) * 1024) / COUNT).toFixed(0)} B/hash)`);
  console.log(`swarmkv-node  RSS ${mb(n0)} -> ${mb(n1)}  (${(((n1 - n0) * 1024) / COUNT).toFixed(0)} B/hash)`);
  console.log(`ratio (total RSS) ${(n1 / r1).toFixed(2)}x`);
} finally {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}
