/**
 * Differential test of the command table against the real redis-server 7.0.15: COMMAND INFO,
 * COMMAND DOCS (minus arguments), COMMAND GETKEYS / GETKEYSANDFLAGS must give the same replies.
 * Subcommand order is normalised because Redis orders them by a per-process random hash seed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type TestRedis } from '../testing/redis-server.js';
import { encodeReply } from '../encoder.js';
import { R, type Reply } from '../reply.js';
import { RespError } from '../errors.js';
import { COMMAND_ENTRIES } from './table.js';
import { commandInfoManyReply, commandDocsManyReply, runCommandCommand } from './command-replies.js';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
  await redis.call('HELLO', '3');
  const listed = runCommandCommand(['COMMAND', 'LIST']);
  KNOWN = new Set(listed.t === 'arr' ? listed.v.map(nameOf) : []);
  KNOWN.delete('client|setinfo');
  KNOWN.delete('client|no-touch');
});
afterAll(async () => {
  await redis?.stop();
});

/** Full names (subcommands included) that both this table and Redis 7.0.15 have. */
let KNOWN: Set<string> = new Set();

/**
 * Sort subcommand lists/maps by name so that hash-order differences disappear, and keep only the
 * subcommands this table describes (Redis has more CLIENT/CONFIG/CLUSTER subcommands).
 */
function normalize(r: Reply): Reply {
  if (r.t === 'arr' && r.v.length === 10 && r.v[0]!.t === 'bulk' && r.v[9]!.t === 'arr') {
    const subs = [...r.v[9].v]
      .filter((s) => KNOWN.has(nameOf(s)))
      .map(normalize)
      .sort((a, b) => nameOf(a).localeCompare(nameOf(b)));
    return R.arr([...r.v.slice(0, 9), R.arr(subs)]);
  }
  if (r.t === 'map') {
    const pairs: [Reply, Reply][] = [];
    for (let i = 0; i < r.v.length; i += 2) pairs.push([r.v[i]!, r.v[i + 1]!]);
    const cleaned = pairs
      .filter(([k]) => !(k.t === 'bulk' && k.v === 'arguments'))
      .map(([k, v]): [Reply, Reply] => [k, k.t === 'bulk' && k.v === 'subcommands' ? sortMap(v) : normalize(v)]);
    return R.map(cleaned.flat());
  }
  if (r.t === 'arr') return R.arr(r.v.map(normalize));
  return r;
}
function sortMap(r: Reply): Reply {
  if (r.t !== 'map') return r;
  const pairs: [Reply, Reply][] = [];
  for (let i = 0; i < r.v.length; i += 2) if (KNOWN.has(nameOf(r.v[i]!))) pairs.push([r.v[i]!, normalize(r.v[i + 1]!)]);
  pairs.sort((a, b) => nameOf(a[0]).localeCompare(nameOf(b[0])));
  return R.map(pairs.flat());
}
function nameOf(r: Reply): string {
  if (r.t === 'bulk') return r.v;
  if ((r.t === 'arr' || r.t === 'set') && r.v[0]?.t === 'bulk') return r.v[0].v;
  return '';
}

/** Our reply, with the 7.2-only CLIENT subcommands removed (7.0.15 does not have them). */
function ours(reply: Reply): Reply {
  return normalize(reply);
}
const NAMES = COMMAND_ENTRIES.map(([n]) => n);

describe('command table vs redis-server 7.0.15', () => {
  it(`COMMAND INFO matches for all ${NAMES.length} commands (RESP3 and RESP2)`, async () => {
    for (const name of NAMES) {
      const theirs = await redis.call('COMMAND', 'INFO', name);
      expect([name, encodeReply(ours(commandInfoManyReply([name])), 3)]).toEqual([name, encodeReply(normalize(theirs.reply), 3)]);
    }
    await redis.call('HELLO', '2');
    const theirs = await redis.call('COMMAND', 'INFO', 'get', 'nosuch', 'mset', 'config|get');
    expect(encodeReply(commandInfoManyReply(['get', 'nosuch', 'mset', 'config|get']), 2)).toBe(theirs.raw);
    await redis.call('HELLO', '3');
  });

  it('COMMAND DOCS matches (without arguments)', async () => {
    for (const name of NAMES) {
      const theirs = await redis.call('COMMAND', 'DOCS', name);
      expect([name, encodeReply(ours(commandDocsManyReply([name])), 3)]).toEqual([name, encodeReply(normalize(theirs.reply), 3)]);
    }
  });

  const GETKEYS: string[][] = [
    ['GET', 'k'],
    ['SET', 'k', 'v'],
    ['SET', 'k', 'v', 'GET'],
    ['SET', 'k', 'v', 'EX', '10', 'get'],
    ['MSET', 'a', '1', 'b', '2'],
    ['MSET', 'a', 'b', 'c'],
    ['MGET', 'a', 'b', 'c'],
    ['DEL', 'a', 'b'],
    ['LMOVE', 'a', 'b', 'LEFT', 'RIGHT'],
    ['BLPOP', 'a', 'b', '0'],
    ['BLMOVE', 'a', 'b', 'LEFT', 'RIGHT', '0'],
    ['LMPOP', '2', 'a', 'b', 'LEFT'],
    ['LMPOP', '0', 'a', 'LEFT'],
    ['LMPOP', '5', 'a', 'LEFT'],
    ['BLMPOP', '0', '2', 'a', 'b', 'LEFT'],
    ['ZUNIONSTORE', 'd', '2', 'a', 'b'],
    ['ZUNIONSTORE', 'd', '0', 'a'],
    ['ZUNIONSTORE', 'd', 'x', 'a'],
    ['ZUNION', '2', 'a', 'b', 'WEIGHTS', '1', '2'],
    ['ZINTERCARD', '2', 'a', 'b', 'LIMIT', '1'],
    ['SINTERCARD', '1', 'a'],
    ['ZMPOP', '1', 'a', 'MIN'],
    ['BZMPOP', '1', '1', 'a', 'MIN'],
    ['ZRANGESTORE', 'd', 's', '0', '-1'],
    ['SORT', 'k'],
    ['SORT', 'k', 'STORE', 'd'],
    ['SORT', 'k', 'BY', 'store', 'GET', '#', 'store', 'x', 'LIMIT', '0', '1', 'STORE', 'y'],
    ['SORT', 'k', 'STORE'],
    ['SORT_RO', 'k', 'BY', 'x'],
    ['SMOVE', 'a', 'b', 'm'],
    ['RENAME', 'a', 'b'],
    ['COPY', 'a', 'b', 'DB', '1'],
    ['OBJECT', 'ENCODING', 'k'],
    ['LCS', 'a', 'b'],
    ['GETEX', 'k', 'PERSIST'],
    ['SUBSCRIBE', 'ch'],
    ['SPUBLISH', 'ch', 'm'],
    ['PING'],
    ['CONFIG', 'GET', 'x'],
    ['CONFIG'],
    ['NOSUCH', 'x'],
    ['GET'],
    ['GET', 'a', 'b'],
    ['EXISTS', 'a', 'b'],
    ['WATCH', 'a', 'b'],
    ['PUBSUB', 'NUMSUB', 'a'],
    ['RPOPLPUSH', 'a', 'b'],
    ['BZPOPMIN', 'a', 'b', '1'],
  ];

  it('COMMAND GETKEYS / GETKEYSANDFLAGS match', async () => {
    for (const cmd of GETKEYS) {
      for (const sub of ['GETKEYS', 'GETKEYSANDFLAGS']) {
        const theirs = await redis.call('COMMAND', sub, ...cmd);
        let mine: string;
        try {
          mine = encodeReply(runCommandCommand(['COMMAND', sub, ...cmd]), 3);
        } catch (e) {
          mine = encodeReply(R.fromError(e as RespError), 3);
        }
        expect([sub, ...cmd, mine]).toEqual([sub, ...cmd, theirs.raw]);
      }
    }
  });

  it('COMMAND COUNT/LIST/HELP and subcommand errors have Redis shapes', async () => {
    for (const args of [
      ['COMMAND', 'HELP'],
      ['COMMAND', 'FOO'],
      ['COMMAND', 'COUNT', 'x'],
      ['COMMAND', 'LIST', 'x'],
      ['COMMAND', 'LIST', 'FILTERBY', 'nope', 'x'],
      ['COMMAND', 'LIST', 'FILTERBY', 'aclcat', 'nosuch'],
      ['COMMAND', 'LIST', 'FILTERBY', 'module', 'x'],
      ['COMMAND', 'DOCS', 'nosuch'],
      ['COMMAND', 'INFO', 'nosuch'],
    ]) {
      const theirs = await redis.call(...args);
      let mine: string;
      try {
        mine = encodeReply(runCommandCommand(args), 3);
      } catch (e) {
        mine = encodeReply(R.fromError(e as RespError), 3);
      }
      expect([...args, mine]).toEqual([...args, theirs.raw]);
    }
    // Filters give the subset of Redis's answer that this table knows.
    for (const filter of [['aclcat', 'hash'], ['pattern', '*pop*'], ['pattern', 'config|*'], ['aclcat', 'BLOCKING']]) {
      const theirs = (await redis.call('COMMAND', 'LIST', 'FILTERBY', ...filter)).reply;
      const mine = runCommandCommand(['COMMAND', 'LIST', 'FILTERBY', ...filter]);
      const names = (r: Reply) => (r.t === 'arr' ? r.v.map(nameOf).sort() : []);
      const known = new Set(names(runCommandCommand(['COMMAND', 'LIST'])));
      expect(names(mine)).toEqual(names(theirs).filter((n) => known.has(n)));
      expect(names(mine).length).toBeGreaterThan(0);
    }
  });
});
