// Keyspace memory and pause benchmark: RSS per key for N keys with 16-byte values, and the
// longest stall while inserting them, for the keyspace's Db (keyspace/db.ts) or a plain Map.
//
//   pnpm build            # the script imports packages/storage-node/dist
//   node scripts/bench/keyspace-memory.mjs [--keys 8000000] [--batch 100] [--value 16]
//        [--impl db|map] [--semi MB] [--rate inserts/s] [--ttl-fraction 0] [--dist path/to/dist]
//
// Keys ("key:<n>") and values are cut from a Buffer with latin1Slice, as the RESP parser makes
// them, so they are flat one-byte strings exactly like on the network path. Inserts run in
// batches of --batch per event-loop turn (a pipelined read), so V8's concurrent and idle-time GC
// work can run between batches as in the server; --rate paces them (default: as fast as possible,
// the worst case for the collector since every allocation survives). Reported stalls:
//   op      the slowest single Db.set, and the slowest one during which no GC pause ran (the
//           dict's own work: rehash steps, chunk and table allocation)
//   batch   the slowest batch (key creation + inserts + any GC pause that hit it)
//   gap     the slowest event-loop turn between batches (GC tasks run there)
//   gc      the longest GC pause seen by the PerformanceObserver, by kind
// RSS per key = (RSS after inserting and two full GCs - RSS before) / keys.
//
// The script re-runs itself with --expose-gc and a big enough --max-old-space-size; --semi sets
// V8's --max-semi-space-size (young generation), which trades scavenge pause length for count.
import { spawnSync } from 'node:child_process';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import { existsSync } from 'node:fs';

const argv = process.argv.slice(2);
function opt(name, dflt) {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < argv.length ? argv[i + 1] : dflt;
}
const KEYS = Number(opt('keys', 8_000_000));
const BATCH = Number(opt('batch', 100));
const VALUE_BYTES = Number(opt('value', 16));
const IMPL = opt('impl', 'db');
const SEMI = opt('semi', '');
const TTL_FRACTION = Number(opt('ttl-fraction', 0));
const RATE = Number(opt('rate', 0));
const here = path.dirname(fileURLToPath(import.meta.url));
const DIST = path.resolve(opt('dist', path.join(here, '../../packages/storage-node/dist')));

if (typeof globalThis.gc !== 'function') {
  // ~250 bytes per key of heap is plenty for both implementations.
  const heapMb = Math.max(2048, Math.ceil((KEYS * 250) / 1e6));
  const flags = ['--expose-gc', `--max-old-space-size=${heapMb}`];
  if (SEMI) flags.push(`--max-semi-space-size=${SEMI}`);
  const r = spawnSync(process.execPath, [...flags, fileURLToPath(import.meta.url), ...argv], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

const dbFile = path.join(DIST, 'keyspace/db.js');
if (IMPL === 'db' && !existsSync(dbFile)) {
  console.error(`${dbFile} not found: run \`pnpm build\` first (or pass --dist)`);
  process.exit(1);
}

const gcPauses = [];
let measuring = false;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) if (measuring) gcPauses.push({ kind: e.detail?.kind ?? e.kind, ms: e.duration });
}).observe({ entryTypes: ['gc'] });
const GC_KIND = { 1: 'scavenge', 2: 'mark-compact', 4: 'incremental', 8: 'weak-callbacks' };

function rss() {
  return process.memoryUsage().rss;
}

async function main() {
  let store;
  let setKey;
  if (IMPL === 'db') {
    const { Db } = await import(pathToFileURL(dbFile).href);
    const db = new Db(0);
    store = db;
    const now = Date.now();
    setKey = (k, v, i) => {
      db.set(k, v);
      if (TTL_FRACTION > 0 && i % Math.round(1 / TTL_FRACTION) === 0) db.setExpire(k, now + 3_600_000);
    };
  } else {
    const map = new Map();
    store = map;
    setKey = (k, v) => map.set(k, v);
  }
  const buf = Buffer.alloc(64);
  const valueTail = 'v'.repeat(Math.max(0, VALUE_BYTES - 10));
  globalThis.gc();
  globalThis.gc();
  const rss0 = rss();

  const batchTimes = [];
  let maxOp = 0;
  const slowOps = [];
  let maxGap = 0;
  let last = performance.now();
  let i = 0;
  const t0 = performance.now();
  measuring = true;
  await new Promise((resolve, reject) => {
    function batch() {
      try {
        const start = performance.now();
        // Time between batches beyond the pacing wait: GC and other event-loop work.
        const due = RATE > 0 ? Math.max(last, t0 + (i / RATE) * 1000) : last;
        const gap = start - due;
        if (gap > maxGap) maxGap = gap;
        const end = Math.min(KEYS, i + BATCH);
        for (; i < end; i++) {
          const kl = buf.write(`key:${i}`, 0, 'latin1');
          const key = buf.latin1Slice(0, kl);
          const vl = buf.write(valueTail + String(i % 1e10).padStart(10, '0'), 0, 'latin1');
          const value = buf.latin1Slice(0, vl);
          const s = performance.now();
          setKey(key, value, i);
          const e = performance.now() - s;
          if (e > maxOp) maxOp = e;
          if (e > 0.5 && slowOps.length < 100_000) slowOps.push([s, e]);
        }
        last = performance.now();
        batchTimes.push(last - start);
        if (i >= KEYS) resolve();
        else if (RATE > 0 && t0 + (i / RATE) * 1000 - last >= 1) setTimeout(batch, t0 + (i / RATE) * 1000 - last);
        else setImmediate(batch);
      } catch (err) {
        reject(err);
      }
    }
    batch();
  });
  const insertSecs = (performance.now() - t0) / 1000;
  // Let the observer deliver the entries of the insert phase.
  await new Promise((r) => setTimeout(r, 50));
  measuring = false;
  globalThis.gc();
  globalThis.gc();
  const mu = process.memoryUsage();
  const rss1 = mu.rss;

  batchTimes.sort((a, b) => a - b);
  const q = (p) => batchTimes[Math.min(batchTimes.length - 1, Math.floor(batchTimes.length * p))];
  const gcByKind = {};
  for (const g of gcPauses) {
    const k = GC_KIND[g.kind] ?? String(g.kind);
    const s = (gcByKind[k] ??= { count: 0, maxMs: 0, totalMs: 0, over20ms: 0 });
    s.count++;
    s.maxMs = Math.max(s.maxMs, +g.ms.toFixed(2));
    s.totalMs = +(s.totalMs + g.ms).toFixed(1);
    if (g.ms > 20) s.over20ms++;
  }
  const size = IMPL === 'db' ? store.size() : store.size;
  let maxOpNoGc = 0;
  for (const [s, e] of slowOps) {
    const overlaps = gcPauses.some((g) => g.start < s + e && g.start + g.ms > s);
    if (!overlaps && e > maxOpNoGc) maxOpNoGc = e;
  }
  const result = {
    impl: IMPL,
    keys: KEYS,
    stored: size,
    valueBytes: VALUE_BYTES,
    ttlFraction: TTL_FRACTION,
    rate: RATE || 'max',
    semiSpaceMb: SEMI || 'default',
    node: process.version,
    insertSeconds: +insertSecs.toFixed(2),
    insertsPerSecond: Math.round(KEYS / insertSecs),
    rssBytesPerKey: +((rss1 - rss0) / KEYS).toFixed(1),
    heapUsedBytesPerKey: +(mu.heapUsed / KEYS).toFixed(1),
    arrayBufferBytesPerKey: +(mu.arrayBuffers / KEYS).toFixed(1),
    maxOpMs: +maxOp.toFixed(2),
    maxOpMsWithoutGc: +maxOpNoGc.toFixed(2),
    batchMs: { p50: +q(0.5).toFixed(3), p99: +q(0.99).toFixed(3), p999: +q(0.999).toFixed(2), max: +q(1).toFixed(2) },
    maxGapMs: +maxGap.toFixed(2),
    gc: gcByKind,
  };
  console.log(JSON.stringify(result, null, 2));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
