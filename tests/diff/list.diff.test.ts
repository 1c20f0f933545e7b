/**
 * List commands against a real redis-server 7.0.15: the same command streams go to both servers
 * and every reply must be byte-for-byte identical, errors included, in RESP2 and RESP3, with the
 * default node size and after `CONFIG SET list-max-listpack-size 2` on both (so the quicklist
 * splits nodes everywhere). Blocking commands are checked with a second connection pair: the
 * blocked client's eventual reply (served or timed out) must match too. A seeded random stream
 * of list commands on a few keys closes the file (SWARMKV_DIFF_SEED replays one).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiffPair, expectSameReply, type ClientPair, type Step } from '../support/diff.js';
import { eventsUntilPong } from '../support/raw-client.js';
import { prng } from '../support/prng.js';

function cmds(prefix: string, lines: string[]): string[][] {
  return lines.map((l) => l.split(' ').map((w) => (w.startsWith('@') ? prefix + w.slice(1) : w)));
}

/** Sends argv to both sides of a pair without waiting (blocking commands). */



const LAYOUTS = [
  { name: 'default nodes', size: '-2' },
  { name: '2-entry nodes', size: '2' },
] as const;

describe('list commands: differential against redis-server 7.0.15', () => {
  let pair: DiffPair;
  beforeAll(async () => {
    pair = await DiffPair.start();
  });
  afterAll(async () => pair?.stop());

  for (const layout of LAYOUTS) {
    for (const proto of [2, 3] as const) {
      describe(`RESP${proto}, ${layout.name}`, () => {
        let c: ClientPair;
        let c2: ClientPair;
        const p = (t: string) => `list${proto}${layout.size}:${t}:`;
        beforeAll(async () => {
          c = await pair.connect(proto);
          c2 = await pair.connect(proto);
          await c.both('CONFIG', 'SET', 'list-max-listpack-size', layout.size);
        });
        afterAll(() => {
          c?.close();
          c2?.close();
        });

        it('push, pop, read', async () => {
          await c.expectSame(
            cmds(p('a'), [
              'RPUSH @l a b c', 'LPUSH @l x y', 'LRANGE @l 0 -1', 'LLEN @l', 'LINDEX @l 0', 'LINDEX @l -1',
              'LINDEX @l 5', 'LINDEX @l x', 'LINDEX @nokey x', 'LPOP @l', 'RPOP @l', 'LPOP @l 2', 'RPOP @l 0',
              'RPOP @l 5', 'EXISTS @l', 'LPOP @l', 'LPOP @l 0', 'RPOP @l 1', 'LPOP @l -1', 'LPOP @l x',
              'LPOP @l 1 2', 'RPUSH @l 1 2 3 -4 100000 9223372036854775807 -9223372036854775808 0x1 01 -0',
              'RPOP @l 3', 'LRANGE @l 0 -1', 'LPUSHX @nokey a', 'RPUSHX @l z', 'LLEN @nokey', 'SET @s v',
              'LPUSH @s a', 'RPUSHX @s a', 'LLEN @s', 'LPOP @s 0', 'LRANGE @s 0 1', 'LINDEX @s 0', 'TYPE @l',
              'OBJECT ENCODING @l', 'LPUSH @one x', 'OBJECT ENCODING @one', 'LPUSH @l', 'RPUSH',
            ]),
          );
        });

        it('LRANGE and LTRIM clamping', async () => {
          const lines = ['RPUSH @l 0 1 2 3 4 5 6 7 8 9'];
          for (const [a, b] of [
            [-3, -1], [-100, 1], [8, 100], [5, 4], [10, 20], [0, -11], [0, 0], [-1, -1], [-10, -10], [3, 3],
          ]) lines.push(`LRANGE @l ${a} ${b}`);
          lines.push('LRANGE @l 0 9223372036854775807', 'LRANGE @l -9223372036854775808 2', 'LRANGE @l 1 x');
          for (const [a, b] of [[1, -2], [-100, 100], [2, 1], [0, 0]]) {
            lines.push(`LTRIM @t${a}${b} ${a} ${b}`, `RPUSH @t${a}${b} a b c d e`, `LTRIM @t${a}${b} ${a} ${b}`, `LRANGE @t${a}${b} 0 -1`, `EXISTS @t${a}${b}`);
          }
          lines.push('LTRIM @l x 1', 'LTRIM @l 1 x');
          await c.expectSame(cmds(p('r'), lines));
        });

        it('LSET, LINSERT, LREM, LPOS', async () => {
          const big = 'q'.repeat(3000);
          await c.expectSame(
            cmds(p('e'), [
              'RPUSH @l a b c a b c a 1 01 -0 0 1', 'LSET @nokey 0 x', 'LSET @l x v', 'LSET @l 12 v', 'LSET @l -13 v',
              'LSET @l -1 z', `LSET @l 1 ${big}`, 'LINDEX @l 1', 'LINSERT @l middle a b', 'LINSERT @nokey before a b',
              'LINSERT @l before nopivot x', 'LINSERT @l BEFORE c C1', 'LINSERT @l after z Z', 'LINSERT @l AFTER 1 11',
              'LRANGE @l 0 -1', 'LREM @l x a', 'LREM @l 1 a', 'LREM @l -1 c', 'LREM @l 0 1', 'LREM @l 0 nothing',
              'LRANGE @l 0 -1', 'LPOS @l a', 'LPOS @l a RANK 2', 'LPOS @l b RANK -1', 'LPOS @l a RANK 5 COUNT 0',
              'LPOS @l c RANK -2 COUNT 2', 'LPOS @l a RANK 2 MAXLEN 2', 'LPOS @l a COUNT 0 MAXLEN 3', 'LPOS @l -0',
              'LPOS @l 0 COUNT 0', 'LPOS @l z COUNT 0', 'LPOS @l a rank 1 rank 2', 'LPOS @l a COUNT 1 MAXLEN',
              'LPOS @l a RANK x', 'LPOS @l a RANK 0', 'LPOS @l a COUNT -1', 'LPOS @l a MAXLEN -1', 'LPOS @l a FIRST 1',
              'LPOS @l a RANK -9223372036854775808', 'LPOS @nokey a', 'LPOS @nokey a COUNT 0', 'RPUSH @x x x x',
              'LREM @x 0 x', 'EXISTS @x', 'SET @s v', 'LSET @s 0 v', 'LINSERT @s before a b', 'LREM @s 0 a',
              'LTRIM @s 0 1', 'LPOS @s a',
            ]),
          );
        });

        it('LMOVE, RPOPLPUSH, LMPOP', async () => {
          await c.expectSame(
            cmds(p('m'), [
              'RPUSH @src a b c', 'LMOVE @src @dst up left', 'LMOVE @src @dst LEFT RIGHT', 'LMOVE @src @dst right left',
              'LRANGE @dst 0 -1', 'RPOPLPUSH @src @src', 'LRANGE @src 0 -1', 'RPOPLPUSH @src @dst', 'EXISTS @src',
              'RPOPLPUSH @src @dst', 'LMOVE @src @dst LEFT LEFT', 'SET @s v', 'RPOPLPUSH @dst @s', 'LMOVE @s @dst LEFT LEFT',
              'LRANGE @dst 0 -1', 'LMPOP 0 @dst left', 'LMPOP x @dst left', 'LMPOP -1 @dst left', 'LMPOP 2 @dst left',
              'LMPOP 1 @dst up', 'LMPOP 1 @dst left count 0', 'LMPOP 1 @dst left count -1', 'LMPOP 1 @dst left count x',
              'LMPOP 1 @dst left count 1 count 2', 'LMPOP 1 @dst left foo', 'LMPOP 9223372036854775807 @dst left',
              'LMPOP 2 @nokey @s left', 'LMPOP 2 @nokey @dst right COUNT 2', 'LMPOP 1 @dst LEFT COUNT 10',
              'LMPOP 1 @dst LEFT', 'RPUSH @one x', 'LMOVE @one @one LEFT RIGHT', 'LRANGE @one 0 -1',
            ]),
          );
        });

        it('blocking commands: immediate answers and argument errors', async () => {
          await c.expectSame(
            cmds(p('b'), [
              'RPUSH @l a b', 'BLPOP @nokey @l 0', 'BRPOP @l 0', 'EXISTS @l', 'BLPOP @l -1', 'BLPOP @l x',
              'BLPOP @l inf', 'BLPOP @l 1e30', 'BLPOP @l 1e16', 'BLPOP @l 1e400', 'BLPOP @l 1e5000', 'BLPOP @l nan',
              'BLPOP @l -0.9999', 'BLPOP @l 1x', 'BLPOP @l 0x', 'BLMPOP x 1 @l left',
              'BLMPOP -1 1 @l left count 0', 'BLMPOP 0 0 @l left', 'BLMPOP 0 1 @l up', 'SET @s v', 'BLPOP @s 0',
              'BRPOP @nokey @s 0', 'BLMOVE @s @d left left 0', 'BRPOPLPUSH @s @d 0', 'BLMOVE @l @d up left 0',
              'BLMOVE @l @d left left -1', 'BRPOPLPUSH @l @d x', 'RPUSH @l 1 2 3', 'BLMPOP 0 2 @nokey @l right COUNT 2',
              'BLMOVE @l @d LEFT LEFT 0', 'BRPOPLPUSH @d @l 0', 'BRPOPLPUSH @l @s 0', 'MULTI', 'BLPOP @nokey 0',
              'BLMPOP 0 1 @nokey left', 'BLMOVE @nokey @d left left 0', 'BRPOPLPUSH @nokey @d 0', 'BRPOP @nokey 0.01',
              'EXEC',
            ]),
          );
        });

        it('blocked clients: served in order, by pushes and moves, and timeouts', async () => {
          const k = (t: string) => p('blk') + t;
          const b1 = c2.call('BLPOP', k('k1'), k('k2'), '0');
          await new Promise((r) => setTimeout(r, 50));
          expectSameReply(await c.call('RPUSH', k('k2'), 'a', 'b', 'c'), 'RPUSH');
          expectSameReply(await b1, 'BLPOP served');
          const b2 = c2.call('BLMOVE', k('src'), k('dst'), 'RIGHT', 'LEFT', '0');
          await new Promise((r) => setTimeout(r, 50));
          expectSameReply(await c.call('LMOVE', k('k2'), k('src'), 'LEFT', 'LEFT'), 'LMOVE');
          expectSameReply(await b2, 'BLMOVE served');
          const b3 = c2.call('BLMPOP', '0', '2', k('x'), k('y'), 'RIGHT', 'COUNT', '5');
          await new Promise((r) => setTimeout(r, 50));
          expectSameReply(await c.call('RPUSH', k('y'), '1', '2', '3'), 'RPUSH y');
          expectSameReply(await b3, 'BLMPOP served');
          const b4 = c2.call('BRPOPLPUSH', k('none'), k('dst'), '0.05');
          expectSameReply(await b4, 'BRPOPLPUSH timeout');
          const b5 = c2.call('BLPOP', k('none'), '0.05');
          expectSameReply(await b5, 'BLPOP timeout');
          const b6 = c2.call('BLMOVE', k('src2'), k('str'), 'LEFT', 'LEFT', '0');
          await new Promise((r) => setTimeout(r, 50));
          await c.both('SET', k('str'), 'x');
          expectSameReply(await c.call('RPUSH', k('src2'), 'v'), 'RPUSH src2');
          expectSameReply(await b6, 'BLMOVE with a wrong-type destination');
          // Served from the key signalled first (k4 inside the transaction), not argument order.
          const b7 = c2.call('BLPOP', k('k3'), k('k4'), '0');
          await new Promise((r) => setTimeout(r, 50));
          await c.expectSame([['MULTI'], ['RPUSH', k('k4'), 'x'], ['RPUSH', k('k3'), 'y'], ['EXEC']]);
          expectSameReply(await b7, 'BLPOP served by the first ready key');
          await c.expectSame([['LRANGE', k('k3'), '0', '-1'], ['LRANGE', k('src2'), '0', '-1'], ['LRANGE', k('dst'), '0', '-1'], ['LRANGE', k('k2'), '0', '-1']]);
        });

        it('keyspace notifications', async () => {
          const sub = await pair.connect(proto);
          await c.both('CONFIG', 'SET', 'notify-keyspace-events', 'KEA');
          await sub.both('PSUBSCRIBE', `__keyspace@0__:${p('n')}*`);
          const lines = cmds(p('n'), [
            'RPUSH @l a b c', 'LPUSH @l z', 'LINSERT @l BEFORE a y', 'LINSERT @l BEFORE nope y', 'LSET @l 0 q',
            'LREM @l 1 nope', 'LREM @l 1 q', 'LTRIM @l 0 -1', 'LMOVE @l @m RIGHT LEFT', 'LPOP @l 5', 'RPOPLPUSH @m @m',
            'LMPOP 1 @m LEFT COUNT 9', 'RPUSHX @l a', 'LPUSHX @nokey a', 'LPUSH @l x', 'BLPOP @l 0',
          ]);
          await c.expectSame(lines);
          const [r, n] = await Promise.all([eventsUntilPong(sub.redis), eventsUntilPong(sub.node)]);
          await c.both('CONFIG', 'SET', 'notify-keyspace-events', '');
          // The subscriber saw the same events in the same order before its PING reply.
          expect(n).toEqual(r);
          expect(r.length).toBeGreaterThan(10);
          sub.close();
        });
      });
    }
  }

  it('a seeded random stream of list commands', async () => {
    const seed = Number(process.env.SWARMKV_DIFF_SEED ?? 20240611);
    const rnd = prng(seed);
    const int = (n: number) => Math.floor(rnd() * n);
    const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
    const keys = ['rl:a', 'rl:b', 'rl:c'];
    const val = () =>
      pick([
        () => String(int(20)),
        () => String(int(200000) - 100000),
        () => pick(['a', 'b', 'c', '', '01', '-0', '9223372036854775808']),
        () => 'x'.repeat(int(300)),
      ])();
    const idx = () => String(int(30) - 15);
    const c = await pair.connect(2);
    await c.both('CONFIG', 'SET', 'list-max-listpack-size', '3');
    const steps: Step[] = [];
    for (let i = 0; i < 3000; i++) {
      const k = pick(keys);
      const gen = pick([
        () => ['RPUSH', k, val(), val()],
        () => ['LPUSH', k, val()],
        () => ['LPOP', k],
        () => ['RPOP', k, String(int(4))],
        () => ['LRANGE', k, idx(), idx()],
        () => ['LINDEX', k, idx()],
        () => ['LSET', k, idx(), val()],
        () => ['LINSERT', k, pick(['BEFORE', 'AFTER']), val(), val()],
        () => ['LREM', k, String(int(5) - 2), val()],
        () => ['LTRIM', k, idx(), idx()],
        () => ['LPOS', k, val(), 'RANK', pick(['1', '-1', '2']), 'COUNT', String(int(3))],
        () => ['LMOVE', k, pick(keys), pick(['LEFT', 'RIGHT']), pick(['LEFT', 'RIGHT'])],
        () => ['LMPOP', '2', k, pick(keys), pick(['LEFT', 'RIGHT']), 'COUNT', String(1 + int(3))],
        () => ['LLEN', k],
      ]);
      steps.push(gen());
      if (i % 50 === 0) steps.push(['LRANGE', k, '0', '-1']);
    }
    await c.expectSame(steps);
    c.close();
  });
});
