// Storage-node benchmark (issue 2 targets), side by side with redis-server 7.0:
//  1. redis-benchmark (50 clients, random keys) ping/set/get/incr/mset, unpipelined and -P 16,
//     interleaved rounds, medians, ratio node/redis. Targets: GET/SET >= 0.55x unpipelined,
//     >= 0.4x at -P 16.
//  2. Memory: N keys (default 8 million) with 16-byte values loaded pipelined; RSS per key.
//     Target <= 150 B/key (redis-server ~108).
//  3. Latency while loading: a separate connection (in a process of its own, ping-probe.mjs) PINGs
//     every 2 ms; the longest wait and the 99th percentile are printed.
//     Target: no command waits more than 20 ms.
//  4. Capacity: the node alone loads --capacity-keys (default 20 million, more than a JS Map can
//     hold) and reports DBSIZE, RSS per key and the longest PING wait. 0 skips it.
// Usage: node scripts/bench/node.mjs [--rounds 3] [--keys 8000000] [--capacity-keys 20000000]
//                                    [--only throughput|memory|capacity]
import { parseArgs } from 'node:util';
import { startRedis, startStorageNode, redisBenchmark, median, rssBytes, table, loader, resp, respClient } from './lib.mjs';
import { startPingProbe } from './ping-probe.mjs';

const { values: opt } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    keys: { type: 'string', default: '8000000' },
    'capacity-keys': { type: 'string', default: '20000000' },
    only: { type: 'string' },
  },
});
const ROUNDS = Number(opt.rounds);
const KEYS = Number(opt.keys);
const CAPACITY_KEYS = Number(opt['capacity-keys']);

async function throughput() {
  const tests = ['ping_mbulk', 'set', 'get', 'incr', 'mset'];
  const results = { redis: {}, node: {} };
  const redis = await startRedis();
  const node = await startStorageNode();
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const pipeline of [1, 16]) {
        const order = round % 2 ? [['node', node], ['redis', redis]] : [['redis', redis], ['node', node]];
        for (const [name, srv] of order) {
          const r = await redisBenchmark(srv.port, {
            tests: ['ping', 'set', 'get', 'incr', 'mset'],
            pipeline,
            requests: pipeline === 1 ? 100000 : 500000,
          });
          for (const [t, v] of Object.entries(r)) {
            const key = `${t.toLowerCase().replace(/ .*/, '')}|P${pipeline}`;
            ((results[name][key] ??= []).push(v));
          }
        }
      }
    }
  } finally {
    await redis.stop();
    await node.stop();
  }
  const rows = [];
  for (const key of Object.keys(results.redis)) {
    const r = median(results.redis[key].map((x) => x.rps));
    const n = median((results.node[key] ?? []).map((x) => x.rps));
    const rp99 = median(results.redis[key].map((x) => x.p99));
    const np99 = median((results.node[key] ?? []).map((x) => x.p99));
    rows.push({ test: key, 'redis ops/s': Math.round(r), 'node ops/s': Math.round(n), ratio: (n / r).toFixed(2), 'redis p99 ms': rp99, 'node p99 ms': np99 });
  }
  console.log(`\n# Throughput: redis-benchmark, 50 clients, random keys, median of ${ROUNDS} interleaved rounds`);
  table(rows);
  const ratio = (k) => rows.find((r) => r.test === k)?.ratio;
  console.log(`targets: GET/SET unpipelined >= 0.55x (got ${ratio('get|P1')} / ${ratio('set|P1')}), -P 16 >= 0.40x (got ${ratio('get|P16')} / ${ratio('set|P16')})`);
}

/** Loads `keys` keys with 16-byte values; returns RSS per key and the PING waits meanwhile. */
async function loadAndMeasure(srv, keys) {
  const before = rssBytes(srv.pid);
  const probe = await startPingProbe(srv.port);
  const l = loader(srv.port);
  await l.ready;
  const value = 'v'.repeat(16);
  const BATCH = 10000;
  const t0 = performance.now();
  for (let i = 0; i < keys; i += BATCH) {
    let raw = '';
    const n = Math.min(BATCH, keys - i);
    for (let j = 0; j < n; j++) raw += resp(['SET', `key:${String(i + j).padStart(8, '0')}`, value]);
    await l.batch(raw, n);
  }
  const loadSeconds = (performance.now() - t0) / 1000;
  const { waits, longest } = await probe.stop();
  l.close();
  await new Promise((r) => setTimeout(r, 2000));
  const after = rssBytes(srv.pid);
  return {
    bytesPerKey: (after - before) / keys,
    rssMB: after / 1048576,
    maxWaitMs: waits.at(-1),
    p99WaitMs: waits[Math.floor(waits.length * 0.99)] ?? NaN,
    over20: waits.filter((w) => w > 20).length,
    probes: waits.length,
    longest,
    loadSeconds,
  };
}

function printLongestWaits(m) {
  console.log('node: longest PING waits (ms after the start):', m.longest.map((x) => `${x.waitMs}@${x.atMs}`).join(' '));
}

function row(name, keys, m) {
  return {
    server: name,
    keys,
    'RSS MB': m.rssMB.toFixed(0),
    'bytes/key': m.bytesPerKey.toFixed(1),
    'load s': m.loadSeconds.toFixed(1),
    'max PING wait ms': m.maxWaitMs.toFixed(1),
    'p99 PING wait ms': m.p99WaitMs.toFixed(2),
    'waits > 20 ms': `${m.over20} of ${m.probes}`,
  };
}

async function memory() {
  const rows = [];
  for (const [name, start] of [['redis', () => startRedis()], ['node', () => startStorageNode()]]) {
    const srv = await start();
    try {
      const m = await loadAndMeasure(srv, KEYS);
      rows.push(row(name, KEYS, m));
      if (name === 'node') printLongestWaits(m);
    } finally {
      await srv.stop();
    }
  }
  console.log(`\n# Memory and latency while loading ${KEYS} keys with 16-byte values (pipelined SET, batches of 10000)`);
  table(rows);
  console.log('targets: node <= 150 bytes/key; no command waits more than 20 ms while loading');
}

/** The node alone holds CAPACITY_KEYS keys (a JS Map stops at 2^24 = 16,777,216). */
async function capacity() {
  const srv = await startStorageNode();
  try {
    const m = await loadAndMeasure(srv, CAPACITY_KEYS);
    const client = respClient(srv.port);
    await client.ready;
    const { replies } = await client.batch(resp(['DBSIZE']) + resp(['GET', `key:${String(CAPACITY_KEYS - 1).padStart(8, '0')}`]), 2, { keep: true });
    client.close();
    const [dbsize, sample] = replies.map((r) => r.trim().replace(/\r\n/g, ' '));
    console.log(`\n# Capacity: the node alone loads ${CAPACITY_KEYS} keys with 16-byte values`);
    table([{ ...row('node', CAPACITY_KEYS, m), DBSIZE: dbsize, 'last key': sample }]);
    printLongestWaits(m);
  } finally {
    await srv.stop();
  }
}

if (!opt.only || opt.only === 'throughput') await throughput();
if (!opt.only || opt.only === 'memory') await memory();
if ((!opt.only || opt.only === 'capacity') && CAPACITY_KEYS > 0) await capacity();
