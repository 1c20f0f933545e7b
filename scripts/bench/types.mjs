// Data-type benchmark (issue 3 targets), side by side with redis-server 7.0, each server started
// here on a free port of 127.0.0.1 and stopped by its handle at the end, errors included:
//  1. redis-benchmark lpush,rpush,lpop,rpop,sadd,hset,spop,zadd,zpopmin,lrange_100 (50 clients,
//     -r 100000 where the test has a random part), unpipelined and -P 16, rounds interleaved
//     node/redis, each run on a flushed server; medians, ratio node/redis, p99s.
//     Targets: >= 0.5x unpipelined, >= 0.35x at -P 16.
//  2. Memory: --keys (default 1 million) hashes of 5 small fields, sets of 10 small integers and
//     sorted sets of 10 members, each type loaded pipelined into a fresh node and a fresh
//     redis-server; RSS, bytes per key and the ratio. Target: node RSS <= 2x redis-server's.
//  3. One sorted set growing to --zmembers (default 1 million) members by ZADD with random scores;
//     at 1%, 10% and 100% of it, ops/s of ZADD (new members, the last stretch before the mark)
//     and of ZRANGE z r r+10 at random ranks. O(log n) shows as ops/s falling only slowly.
// It prints figures and never asserts; the targets are read from its output.
// Usage: node scripts/bench/types.mjs [--rounds 3] [--requests 100000] [--keys 1000000]
//        [--zmembers 1000000] [--only throughput|memory|zset]     (needs `pnpm build`)
import { parseArgs } from 'node:util';
import { startRedis, startStorageNode, redisBenchmark, median, rssBytes, table, respClient, drive, resp, prng } from './lib.mjs';

const { values: opt } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    requests: { type: 'string', default: '100000' },
    keys: { type: 'string', default: '1000000' },
    zmembers: { type: 'string', default: '1000000' },
    only: { type: 'string' },
  },
});
const ROUNDS = Number(opt.rounds);
const REQUESTS = Number(opt.requests); // per test unpipelined; -P 16 runs 5x as many
const KEYS = Number(opt.keys);
const ZMEMBERS = Number(opt.zmembers);

const TESTS = ['lpush', 'rpush', 'lpop', 'rpop', 'sadd', 'hset', 'spop', 'zadd', 'zpopmin', 'lrange_100'];
const TARGET = { 1: 0.5, 16: 0.35 };
const SETTLE_MS = 3000; // after loading: let both servers finish lazy work (V8: GC) before RSS

// Servers running now: stopped in finally blocks, and on SIGINT/SIGTERM before exiting.
const RUNNING = new Set();
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, async () => {
    await Promise.all([...RUNNING].map((s) => s.stop()));
    process.exit(130);
  });
}

/** Starts a server with start(), runs fn(server), stops it whatever happens. */
async function withServer(start, fn) {
  const srv = await start();
  RUNNING.add(srv);
  try {
    return await fn(srv);
  } finally {
    await srv.stop();
    RUNNING.delete(srv);
  }
}

/** Starts redis-server and a node, runs fn(redis, node), stops both whatever happens. */
const withServers = (fn) => withServer(startRedis, (redis) => withServer(startStorageNode, (node) => fn(redis, node)));

async function call(port, argvs) {
  const c = respClient(port);
  try {
    await c.ready;
    return (await c.batch(argvs.map(resp).join(''), argvs.length, { keep: true })).replies;
  } finally {
    c.close();
  }
}

const show = (s) => JSON.stringify(s);
const fmt = (x, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');

// ---- 1. redis-benchmark

// The commands redis-benchmark sends for TESTS (its sources, 7.0): run once on both servers and
// compared byte for byte, so a command the node rejects is reported rather than timed.
const PREFLIGHT = [
  ['LPUSH', 'mylist', 'xxx'], ['RPUSH', 'mylist', 'xxx'], ['LPOP', 'mylist'], ['RPOP', 'mylist'],
  ['SADD', 'myset', 'element:000000012345'], ['HSET', 'myhash', 'element:000000012345', 'xxx'],
  ['SPOP', 'myset'], ['ZADD', 'myzset', '000000012345', 'element:000000012345'], ['ZPOPMIN', 'myzset'],
  ['LPUSH', 'mylist', 'xxx'], ['LRANGE', 'mylist', '0', '99'], ['FLUSHALL'],
];

/** CSV test name -> our test id; null for redis-benchmark's LPUSH that only feeds LRANGE. */
function testId(name) {
  if (/needed/i.test(name)) return null;
  return name.toLowerCase().replace(/ .*/, '');
}

async function throughput() {
  const results = { redis: {}, node: {} };
  await withServers(async (redis, node) => {
    const [r, n] = [await call(redis.port, PREFLIGHT), await call(node.port, PREFLIGHT)];
    for (let i = 0; i < PREFLIGHT.length; i++) {
      if (r[i] !== n[i]) console.log(`WARNING: ${PREFLIGHT[i].join(' ')}: redis ${show(r[i])} node ${show(n[i])}`);
    }
    for (let round = 0; round < ROUNDS; round++) {
      for (const pipeline of [1, 16]) {
        const order = round % 2 ? [['node', node], ['redis', redis]] : [['redis', redis], ['node', node]];
        for (const [name, srv] of order) {
          await call(srv.port, [['FLUSHALL']]);
          const res = await redisBenchmark(srv.port, { tests: TESTS, pipeline, requests: pipeline === 1 ? REQUESTS : REQUESTS * 5 });
          for (const [t, v] of Object.entries(res)) {
            const id = testId(t);
            if (id) (results[name][`${id}|${pipeline}`] ??= []).push(v);
          }
        }
      }
    }
  });
  const rows = [];
  const misses = [];
  for (const pipeline of [1, 16]) {
    for (const t of TESTS) {
      const key = `${t}|${pipeline}`;
      const rs = results.redis[key] ?? [];
      const ns = results.node[key] ?? [];
      const r = median(rs.map((x) => x.rps));
      const n = median(ns.map((x) => x.rps));
      const ratio = n / r;
      const ok = ratio >= TARGET[pipeline];
      if (!ok) misses.push(`${t} -P ${pipeline} (${fmt(ratio, 2)})`);
      rows.push({
        test: t, P: pipeline, 'redis ops/s': fmt(r), 'node ops/s': fmt(n), ratio: fmt(ratio, 2), target: `>=${TARGET[pipeline].toFixed(2)}`, met: ok ? 'yes' : 'NO',
        'redis p99 ms': fmt(median(rs.map((x) => x.p99)), 3), 'node p99 ms': fmt(median(ns.map((x) => x.p99)), 3),
      });
    }
  }
  console.log(`\n# Throughput: redis-benchmark, 50 clients, -r 100000, -n ${REQUESTS} (x5 at -P 16), median of ${ROUNDS} interleaved round(s)`);
  table(rows);
  console.log(misses.length ? `targets missed: ${misses.join(', ')}` : 'all throughput targets met');
}

// ---- 2. memory of many small values

const pad = (i) => String(i).padStart(7, '0');
const KINDS = [
  {
    type: 'hash', what: '5 small fields', key: (i) => `user:${pad(i)}`,
    argv: (i) => ['HSET', `user:${pad(i)}`, 'name', `user${i}`, 'age', String(i % 100), 'city', `city${i % 1000}`, 'score', String(i * 7), 'active', '1'],
  },
  {
    type: 'set', what: '10 small integers', key: (i) => `set:${pad(i)}`,
    argv: (i) => ['SADD', `set:${pad(i)}`, ...Array.from({ length: 10 }, (_, k) => String((i + 37 * k) % 10000))],
  },
  {
    type: 'zset', what: '10 members', key: (i) => `zset:${pad(i)}`,
    argv: (i) => ['ZADD', `zset:${pad(i)}`, ...Array.from({ length: 10 }, (_, k) => [String((i % 100) + k * 1.25), `m${k}:${i % 1000}`]).flat()],
  },
];

const LOAD_BATCH = 10000;

/** The load of one kind as raw RESP batches, built once and sent to both servers. */
function loadBatches(kind) {
  const out = [];
  for (let i = 0; i < KEYS; i += LOAD_BATCH) {
    const n = Math.min(LOAD_BATCH, KEYS - i);
    let raw = '';
    for (let j = 0; j < n; j++) raw += resp(kind.argv(i + j));
    out.push({ buf: Buffer.from(raw, 'latin1'), count: n });
  }
  return out;
}

const bulkText = (reply) => reply.replace(/^\$\d+\r\n|\r\n$/g, '').trim();

/** Sends the batches to srv; returns RSS figures, used_memory, key count and an encoding. */
async function loadKind(srv, kind, batches) {
  const before = rssBytes(srv.pid);
  const c = respClient(srv.port);
  let errors = 0;
  let firstError = null;
  const t0 = performance.now();
  try {
    await c.ready;
    for (const { buf, count } of batches) {
      const r = await c.batch(buf, count);
      errors += r.errors;
      firstError ??= r.firstError;
    }
  } finally {
    c.close();
  }
  const loadSeconds = (performance.now() - t0) / 1000;
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  const after = rssBytes(srv.pid);
  const [dbsize, encoding, info] = await call(srv.port, [['DBSIZE'], ['OBJECT', 'ENCODING', kind.key(KEYS >> 1)], ['INFO', 'memory']]);
  if (errors) console.log(`WARNING: ${errors} error replies loading ${kind.type}s, first: ${firstError}`);
  return {
    before, after, loadSeconds, keys: Number(dbsize.slice(1, -2)), encoding: bulkText(encoding),
    usedMemory: Number(/used_memory:(\d+)/.exec(info)?.[1]),
  };
}

async function memory() {
  const rows = [];
  const misses = [];
  for (const kind of KINDS) {
    const m = {};
    const batches = loadBatches(kind);
    // One fresh server at a time: the two never compete for memory or CPU while loading.
    for (const [name, start] of [['redis', startRedis], ['node', startStorageNode]]) {
      m[name] = await withServer(start, (srv) => loadKind(srv, kind, batches));
    }
    const perKey = (x) => (x.after - x.before) / KEYS;
    const ratio = m.node.after / m.redis.after;
    if (!(ratio <= 2)) misses.push(`${kind.type} (${fmt(ratio, 2)}x)`);
    rows.push({
      type: `${kind.type} (${kind.what})`, keys: `${m.redis.keys}/${m.node.keys}`, encoding: `${m.redis.encoding}/${m.node.encoding}`,
      'redis RSS MB': fmt(m.redis.after / 1048576), 'node RSS MB': fmt(m.node.after / 1048576), 'RSS ratio': fmt(ratio, 2),
      'redis B/key': fmt(perKey(m.redis)), 'node B/key': fmt(perKey(m.node)), 'B/key ratio': fmt(perKey(m.node) / perKey(m.redis), 2),
      'used_memory MB redis/node': `${fmt(m.redis.usedMemory / 1048576)}/${fmt(m.node.usedMemory / 1048576)}`,
      'load s redis/node': `${fmt(m.redis.loadSeconds, 1)}/${fmt(m.node.loadSeconds, 1)}`,
    });
  }
  console.log(`\n# Memory: ${KEYS} keys per type, each type loaded pipelined (batches of ${LOAD_BATCH}) into a fresh server; RSS ${SETTLE_MS / 1000} s after loading`);
  console.log('  (x/y columns: redis/node; B/key = (RSS after - RSS of the empty server) / keys; node used_memory = V8 heap used + external, garbage included)');
  table(rows);
  console.log(misses.length ? `target RSS <= 2x redis-server missed: ${misses.join(', ')}` : 'target met: node RSS <= 2x redis-server for every type');
}

// ---- 3. one big sorted set

async function bigZset() {
  const marks = [ZMEMBERS / 100, ZMEMBERS / 10, ZMEMBERS].map(Math.round);
  const RANGES = 50000; // ZRANGE queries timed at each mark
  const CONNS = 4;
  const DEPTH = 32;
  const rows = [];
  const figures = { redis: [], node: [] };
  await withServers(async (redis, node) => {
    const state = {};
    for (const [name, srv] of [['redis', redis], ['node', node]]) {
      state[name] = { srv, size: 0, rnd: prng(42), client: respClient(srv.port) };
      await state[name].client.ready;
    }
    const member = (i) => `member:${i}`;
    /** Untimed growth to `target` members, 100 members per ZADD. */
    async function grow(s, target) {
      while (s.size < target) {
        let raw = '';
        let cmds = 0;
        for (let c = 0; c < 100 && s.size < target; c++, cmds++) {
          const argv = ['ZADD', 'z'];
          for (let k = 0; k < 100 && s.size < target; k++) argv.push(String(s.rnd() * 1e9), member(s.size++));
          raw += resp(argv);
        }
        const r = await s.client.batch(raw, cmds);
        if (r.errors) throw new Error(`ZADD failed: ${r.firstError}`);
      }
    }
    try {
      for (const [mi, mark] of marks.entries()) {
        const window = Math.min(50000, mark >> 1);
        const row = { members: mark };
        for (const s of Object.values(state)) await grow(s, mark - window);
        // Alternate which server goes first at each mark, as the throughput rounds do.
        const order = mi % 2 ? ['node', 'redis'] : ['redis', 'node'];
        for (const name of order) {
          const s = state[name];
          const z = await drive(s.srv.port, { conns: CONNS, depth: DEPTH, total: window, next: () => resp(['ZADD', 'z', String(s.rnd() * 1e9), member(s.size++)]) });
          const q = prng(7 + mi);
          const zr = await drive(s.srv.port, {
            conns: CONNS, depth: DEPTH, total: RANGES,
            next: () => {
              const r = Math.floor(q() * (mark - 11));
              return resp(['ZRANGE', 'z', String(r), String(r + 10)]);
            },
          });
          if (z.errors || zr.errors) console.log(`WARNING ${name}: ${z.errors + zr.errors} error replies, first: ${z.firstError ?? zr.firstError}`);
          const [card] = await call(s.srv.port, [['ZCARD', 'z']]);
          if (card !== `:${mark}\r\n`) console.log(`WARNING ${name}: ZCARD ${show(card)} at mark ${mark}`);
          row[`${name} ZADD/s`] = fmt(z.rps);
          row[`${name} ZRANGE/s`] = fmt(zr.rps);
          figures[name].push({ zadd: z.rps, zrange: zr.rps });
        }
        const [r, n] = [figures.redis[mi], figures.node[mi]];
        row['ZADD ratio'] = fmt(n.zadd / r.zadd, 2);
        row['ZRANGE ratio'] = fmt(n.zrange / r.zrange, 2);
        rows.push(row);
      }
      const [rr, nr] = [rssBytes(redis.pid), rssBytes(node.pid)];
      console.log(`\n# One sorted set growing to ${ZMEMBERS} members (random scores); ZADD of new members over the last ${Math.min(50000, ZMEMBERS >> 1)} (fewer at small marks) before each mark, ZRANGE z r r+10 x ${RANGES} at random ranks; ${CONNS} connections x ${DEPTH} pipelined`);
      table(rows);
      for (const name of ['redis', 'node']) {
        const f = figures[name];
        const k = f.length - 1;
        console.log(`${name}: ops/s at ${marks[k]} / at ${marks[0]} members: ZADD ${fmt(f[k].zadd / f[0].zadd, 2)}, ZRANGE ${fmt(f[k].zrange / f[0].zrange, 2)} (O(n) would be ~0.01)`);
      }
      console.log(`RSS with the ${ZMEMBERS}-member set: redis ${fmt(rr / 1048576)} MB, node ${fmt(nr / 1048576)} MB (${fmt(nr / rr, 2)}x)`);
    } finally {
      for (const s of Object.values(state)) s.client.close();
    }
  });
}

const t0 = Date.now();
for (const [name, section] of [['throughput', throughput], ['memory', memory], ['zset', bigZset]]) {
  if (opt.only && opt.only !== name) continue;
  const t = Date.now();
  await section();
  console.log(`(${name}: ${fmt((Date.now() - t) / 1000)} s)`);
}
console.log(`\ntypes.mjs took ${fmt((Date.now() - t0) / 1000)} s`);
