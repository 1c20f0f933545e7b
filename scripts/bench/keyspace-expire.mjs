// Active expiry benchmark: N keys (default 1 million) with a 1 s TTL that nobody reads again.
// How long until the active expire cycle (keyspace/expire.ts) has removed them all, and how long
// does it stall the event loop meanwhile?
//
//   pnpm build
//   node scripts/bench/keyspace-expire.mjs [--keys 1000000] [--ttl 1000] [--hz 10] [--dist ...]
//
// The server's cron is imitated: the slow cycle every 1000/hz ms from a timer, and while a slow
// cycle runs out of time, fast cycles from setImmediate (server/cron.ts does the same). A 1 ms
// interval timer measures event-loop lag: its worst lateness is the longest stall a client would
// have seen.
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import { existsSync } from 'node:fs';

const argv = process.argv.slice(2);
function opt(name, dflt) {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < argv.length ? argv[i + 1] : dflt;
}
const KEYS = Number(opt('keys', 1_000_000));
const TTL = Number(opt('ttl', 1000));
const HZ = Number(opt('hz', 10));
const here = path.dirname(fileURLToPath(import.meta.url));
const DIST = path.resolve(opt('dist', path.join(here, '../../packages/storage-node/dist')));

if (typeof globalThis.gc !== 'function') {
  const r = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=4096', fileURLToPath(import.meta.url), ...argv], {
    stdio: 'inherit',
  });
  process.exit(r.status ?? 1);
}
for (const f of ['keyspace/db.js', 'keyspace/expire.js']) {
  if (!existsSync(path.join(DIST, f))) {
    console.error(`${path.join(DIST, f)} not found: run \`pnpm build\` first (or pass --dist)`);
    process.exit(1);
  }
}
const { createDatabases } = await import(pathToFileURL(path.join(DIST, 'keyspace/db.js')).href);
const { activeExpireCycle } = await import(pathToFileURL(path.join(DIST, 'keyspace/expire.js')).href);

let expiredEvents = 0;
const dbs = createDatabases(16, { modified() {}, expired() { expiredEvents++; } });
const db = dbs[0];
const buf = Buffer.alloc(64);
const tIns = performance.now();
for (let i = 0; i < KEYS; i++) {
  const kl = buf.write(`key:${i}`, 0, 'latin1');
  const key = buf.latin1Slice(0, kl);
  buf.write(`value-${String(i).padStart(10, '0')}`, 0, 'latin1');
  db.set(key, buf.latin1Slice(0, 16));
  db.setExpire(key, Date.now() + TTL);
}
const insertMs = performance.now() - tIns;
const lastExpiry = Date.now() + TTL;
globalThis.gc();

const lags = [];
let lagTimerLast = performance.now();
const lagTimer = setInterval(() => {
  const now = performance.now();
  lags.push(now - lagTimerLast - 1);
  lagTimerLast = now;
}, 1);

let slowCycles = 0;
let slowTimeouts = 0;
let fastCycles = 0;
let fastArmed = false;
let longestCycleMs = 0;
function timed(kind) {
  const t = performance.now();
  const timedOut = activeExpireCycle(dbs, kind, Date.now(), HZ);
  longestCycleMs = Math.max(longestCycleMs, performance.now() - t);
  return timedOut;
}
function fast() {
  if (fastArmed) return;
  fastArmed = true;
  setImmediate(() => {
    fastArmed = false;
    fastCycles++;
    if (timed('fast')) fast();
  });
}
const cron = setInterval(() => {
  slowCycles++;
  if (timed('slow')) {
    slowTimeouts++;
    fast();
  }
}, Math.floor(1000 / HZ));

const done = await new Promise((resolve) => {
  const check = setInterval(() => {
    if (db.size() === 0 || Date.now() > lastExpiry + 60_000) {
      clearInterval(check);
      resolve(Date.now());
    }
  }, 5);
});
clearInterval(cron);
clearInterval(lagTimer);
lags.sort((a, b) => a - b);
const q = (p) => lags[Math.min(lags.length - 1, Math.floor(lags.length * p))] ?? 0;
console.log(
  JSON.stringify(
    {
      keys: KEYS,
      ttlMs: TTL,
      hz: HZ,
      insertSeconds: +(insertMs / 1000).toFixed(2),
      left: db.size(),
      expiredEvents,
      goneSecondsAfterLastExpiry: +((done - lastExpiry) / 1000).toFixed(2),
      slowCycles,
      slowCyclesHittingTimeLimit: slowTimeouts,
      fastCycles,
      longestCycleMs: +longestCycleMs.toFixed(2),
      eventLoopLagMs: { p50: +q(0.5).toFixed(2), p99: +q(0.99).toFixed(2), max: +q(1).toFixed(2) },
    },
    null,
    2,
  ),
);
