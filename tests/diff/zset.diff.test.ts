/**
 * Sorted-set commands against a real redis-server 7.0.15: the same command streams go to both
 * servers and every reply must be byte-for-byte identical, errors and OBJECT ENCODING included,
 * in RESP2 and RESP3, once with Redis's default thresholds and once with them forced small
 * (zset-max-listpack-entries 4, zset-max-listpack-value 8) so every command also runs on the
 * skiplist encoding and across conversions. Random-result commands are checked only where Redis
 * is deterministic (counts >= size, single-member sets, errors). Blocking commands use a second
 * connection pair. A seeded random stream closes the file (SWARMKV_DIFF_SEED replays one).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiffPair, expectSameReply, type ClientPair, type Step } from '../support/diff.js';

import { prng } from '../support/prng.js';

/** Space-separated commands; `@` stands for the key prefix of the running configuration. */
function cmds(prefix: string, lines: string[]): string[][] {
  return lines.map((l) => l.split(' ').map((w) => w.replace(/@/g, prefix)));
}



const LAYOUTS = [
  { name: 'default thresholds', entries: '128', value: '64' },
  { name: 'small thresholds', entries: '4', value: '8' },
] as const;

describe('sorted-set commands: differential against redis-server 7.0.15', () => {
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
        const p = (t: string) => `z${proto}${layout.entries}:${t}:`;
        beforeAll(async () => {
          c = await pair.connect(proto);
          c2 = await pair.connect(proto);
          await c.both('CONFIG', 'SET', 'zset-max-listpack-entries', layout.entries);
          await c.both('CONFIG', 'SET', 'zset-max-listpack-value', layout.value);
        });

        it('ZADD options, flags, errors and ZINCRBY', async () => {
          await c.expectSame(
            cmds(p('add'), [
              'ZADD @k 1 a 2 b 3 c',
              'OBJECT ENCODING @k',
              'ZADD @k NX 10 a 4 d',
              'ZADD @k XX 10 a 5 e',
              'ZADD @k XX CH 11 a 5 e',
              'ZADD @k GT CH 1 a 20 b',
              'ZADD @k LT CH 100 a 0 b',
              'ZADD @k GT LT 1 a',
              'ZADD @k NX XX 1 a',
              'ZADD @k NX GT 1 a',
              'ZADD @k NX LT 1 a',
              'ZADD @k INCR 1 a 2 b',
              'ZADD @k INCR 1.5 a',
              'ZADD @k INCR NX 1 a',
              'ZADD @k INCR XX 1 nosuch',
              'ZADD @k INCR GT -100 a',
              'ZADD @k 1',
              'ZADD @k 1 a 2',
              'ZADD @k',
              'ZADD @k abc a',
              'ZADD @k nan a',
              'ZADD @k 1e400 a',
              'ZADD @k inf pos -inf neg +inf pos2 -Infinity neg2',
              'ZADD @k 0x1p3 hex 1e-400 tiny',
              'ZADD @k -0 negzero',
              'ZSCORE @k negzero',
              'ZINCRBY @k -0 fresh',
              'ZINCRBY @k 1 pos',
              'ZINCRBY @k -inf pos',
              'ZINCRBY @k nan pos',
              'ZINCRBY @k 1.1 a',
              'ZINCRBY @k abc a',
              'ZRANGE @k 0 -1 WITHSCORES',
              'ZCARD @k',
              'OBJECT ENCODING @k',
              'ZADD @missing XX 1 a',
              'ZADD @missing XX INCR 1 a',
              'EXISTS @missing',
              'ZADD @k 1.0000000000000001 p 0.1 q 1e16 r 123456789012345678 s 1e-5 t -2.5e-7 u',
              'ZRANGE @k 0 -1 WITHSCORES',
              'SET @str x',
              'ZADD @str 1 a',
              'ZADD @str abc a',
              'ZINCRBY @str 1 a',
            ]),
          );
        });

        it('encoding conversions at the thresholds', async () => {
          const n = Number(layout.entries);
          const k = p('conv') + 'k';
          const steps: Step[] = [];
          for (let i = 0; i < n + 2; i++) {
            steps.push(['ZADD', k, String(i), `m${i}`], ['OBJECT', 'ENCODING', k]);
          }
          steps.push(['ZREM', k, 'm0', 'm1', 'm2'], ['OBJECT', 'ENCODING', k]);
          const long = 'x'.repeat(Number(layout.value));
          steps.push(
            ['ZADD', k + 'v', '1', long],
            ['OBJECT', 'ENCODING', k + 'v'],
            ['ZADD', k + 'v', '2', long + 'y'],
            ['OBJECT', 'ENCODING', k + 'v'],
            ['ZADD', k + 'w', '1', long + 'y', '2', 'short'],
            ['OBJECT', 'ENCODING', k + 'w'],
            ['ZADD', k + 'u', '1', 'short', '2', long + 'y'],
            ['OBJECT', 'ENCODING', k + 'u'],
            ['ZRANGE', k + 'u', '0', '-1', 'WITHSCORES'],
            ['ZUNIONSTORE', k + 'd', '1', k],
            ['OBJECT', 'ENCODING', k + 'd'],
            ['ZRANGESTORE', k + 'd2', k, '0', '1'],
            ['OBJECT', 'ENCODING', k + 'd2'],
            ['ZRANGESTORE', k + 'd3', k, '0', '-1'],
            ['OBJECT', 'ENCODING', k + 'd3'],
            ['ZRANGESTORE', k + 'd4', k, '-inf', '+inf', 'BYSCORE', 'LIMIT', '0', '2'],
            ['OBJECT', 'ENCODING', k + 'd4'],
            ['ZINTERSTORE', k + 'd5', '2', k, k + 'u'],
            ['OBJECT', 'ENCODING', k + 'd5'],
            ['ZDIFFSTORE', k + 'd6', '2', k, k + 'u'],
            ['OBJECT', 'ENCODING', k + 'd6'],
            ['ZRANGE', k + 'd6', '0', '-1', 'WITHSCORES'],
          );
          await c.expectSame(steps);
        });

        it('reads: ZSCORE ZMSCORE ZRANK ZREVRANK ZCOUNT ZLEXCOUNT ZCARD', async () => {
          await c.expectSame(
            cmds(p('read'), [
              'ZADD @k 1 a 2 b 2 c 3 d 4 e 5 f',
              'ZSCORE @k c',
              'ZSCORE @k nosuch',
              'ZSCORE @missing a',
              'ZMSCORE @k a nosuch f',
              'ZMSCORE @missing a b',
              'ZRANK @k a',
              'ZRANK @k f',
              'ZRANK @k nosuch',
              'ZREVRANK @k a',
              'ZREVRANK @missing a',
              'ZCOUNT @k 2 4',
              'ZCOUNT @k (2 4',
              'ZCOUNT @k (2 (4',
              'ZCOUNT @k -inf +inf',
              'ZCOUNT @k 5 1',
              'ZCOUNT @k x 1',
              'ZCOUNT @k 1 (',
              'ZCOUNT @missing 1 2',
              'ZADD @lex 0 a 0 b 0 c 0 d 0 e 0 f 0 g',
              'ZLEXCOUNT @lex - +',
              'ZLEXCOUNT @lex [b [d',
              'ZLEXCOUNT @lex (b (d',
              'ZLEXCOUNT @lex [d [b',
              'ZLEXCOUNT @lex b d',
              'ZLEXCOUNT @lex + -',
              'ZLEXCOUNT @missing - +',
              'SET @str x',
              'ZSCORE @str a',
              'ZMSCORE @str a',
              'ZRANK @str a',
              'ZCOUNT @str 0 1',
              'ZCOUNT @str x 1',
              'ZCARD @str',
              'ZCARD @missing',
            ]),
          );
        });

        it('ZRANGE family, LIMIT and WITHSCORES, errors', async () => {
          await c.expectSame(
            cmds(p('range'), [
              'ZADD @k 1 a 2 b 2 c 3 d 4 e 5 f',
              'ZRANGE @k 0 -1',
              'ZRANGE @k 0 -1 WITHSCORES',
              'ZRANGE @k 2 3 WITHSCORES',
              'ZRANGE @k -3 -1',
              'ZRANGE @k 5 1',
              'ZRANGE @k 10 20',
              'ZRANGE @k -100 100',
              'ZRANGE @k 0 -1 REV WITHSCORES',
              'ZRANGE @k 1 2 REV',
              'ZRANGE @k (1 4 BYSCORE',
              'ZRANGE @k 4 (1 BYSCORE REV WITHSCORES',
              'ZRANGE @k -inf +inf BYSCORE LIMIT 1 2',
              'ZRANGE @k -inf +inf BYSCORE LIMIT 1 -1',
              'ZRANGE @k -inf +inf BYSCORE LIMIT -1 2',
              'ZRANGE @k -inf +inf BYSCORE LIMIT 10 2',
              'ZRANGE @k - + BYLEX',
              'ZRANGE @k [b (e BYLEX LIMIT 0 2',
              'ZRANGE @k + - BYLEX REV',
              'ZRANGE @k 0 -1 LIMIT 0 1',
              'ZRANGE @k 0 -1 LIMIT 0 -1',
              'ZRANGE @k - + BYLEX WITHSCORES',
              'ZRANGE @k 0 -1 BYSCORE BYLEX',
              'ZRANGE @k 0 -1 LIMIT 0',
              'ZRANGE @k 0 -1 FOO',
              'ZRANGE @k a b',
              'ZRANGE @k a b BYSCORE',
              'ZRANGE @k a b BYLEX',
              'ZRANGE @missing 0 -1',
              'ZREVRANGE @k 0 2 WITHSCORES',
              'ZREVRANGE @k 0 2 REV',
              'ZREVRANGE @k 0 2 LIMIT 0 1',
              'ZRANGEBYSCORE @k 2 3',
              'ZRANGEBYSCORE @k 2 3 WITHSCORES LIMIT 1 1',
              'ZRANGEBYSCORE @k 2 3 BYSCORE',
              'ZRANGEBYSCORE @k 2 3 REV',
              'ZREVRANGEBYSCORE @k 3 2 WITHSCORES',
              'ZREVRANGEBYSCORE @k +inf -inf LIMIT 0 3',
              'ZRANGEBYLEX @k - [c',
              'ZREVRANGEBYLEX @k [c -',
              'ZRANGEBYLEX @k - + LIMIT 2 2',
              'ZRANGEBYLEX @k - + WITHSCORES',
              'ZRANGESTORE @dst @k 0 2',
              'ZRANGE @dst 0 -1 WITHSCORES',
              'ZRANGESTORE @dst @k 1 0',
              'EXISTS @dst',
              'ZRANGESTORE @dst @k 5 +inf BYSCORE REV',
              'ZRANGESTORE @dst @k +inf 5 BYSCORE REV',
              'ZRANGE @dst 0 -1 WITHSCORES',
              'ZRANGESTORE @dst @k 0 -1 WITHSCORES',
              'ZRANGESTORE @dst @missing 0 -1',
              'EXISTS @dst',
              'SET @str x',
              'ZRANGE @str 0 -1',
              'ZRANGE @str a b',
              'ZRANGESTORE @dst @str 0 -1',
              'ZRANGESTORE @str @k 0 1',
              'TYPE @str',
            ]),
          );
        });

        it('ZREM and ZREMRANGEBY*', async () => {
          await c.expectSame(
            cmds(p('rem'), [
              'ZADD @k 1 a 2 b 3 c 4 d 5 e 6 f',
              'ZREM @k a nosuch',
              'ZREM @k nosuch',
              'ZREMRANGEBYRANK @k 0 0',
              'ZREMRANGEBYRANK @k -1 -1',
              'ZREMRANGEBYRANK @k 5 10',
              'ZREMRANGEBYRANK @k a 1',
              'ZRANGE @k 0 -1',
              'ZREMRANGEBYSCORE @k (3 4',
              'ZREMRANGEBYSCORE @k x 4',
              'ZRANGE @k 0 -1',
              'ZADD @lex 0 a 0 b 0 c 0 d',
              'ZREMRANGEBYLEX @lex [b (d',
              'ZREMRANGEBYLEX @lex a b',
              'ZRANGE @lex 0 -1',
              'ZREMRANGEBYLEX @lex - +',
              'EXISTS @lex',
              'ZREM @k c e',
              'EXISTS @k',
              'ZREM @missing a',
              'ZREMRANGEBYSCORE @missing 0 1',
              'SET @str x',
              'ZREM @str a',
              'ZREMRANGEBYRANK @str 0 1',
              'ZREMRANGEBYRANK @str a 1',
            ]),
          );
        });

        it('ZPOPMIN ZPOPMAX ZMPOP', async () => {
          await c.expectSame(
            cmds(p('pop'), [
              'ZADD @k 1 a 2 b 3 c 4 d 5 e',
              'ZPOPMIN @k',
              'ZPOPMAX @k',
              'ZPOPMIN @k 2',
              'ZPOPMIN @k 0',
              'ZPOPMIN @k -1',
              'ZPOPMIN @k x',
              'ZPOPMIN @k 1 2',
              'ZPOPMAX @k 10',
              'EXISTS @k',
              'ZPOPMIN @missing',
              'ZPOPMIN @missing 2',
              'ZADD @k2 1 a 2 b 3 c',
              'ZMPOP 2 @missing @k2 MAX',
              'ZMPOP 2 @missing @k2 MIN COUNT 10',
              'ZMPOP 1 @k2 MIN',
              'ZMPOP 0 @k2 MIN',
              'ZMPOP 1 @k2 FOO',
              'ZMPOP 1 @k2 MIN COUNT 0',
              'ZMPOP 1 @k2 MIN COUNT 1 COUNT 1',
              'ZMPOP 3 @k2 MIN',
              'SET @str x',
              'ZPOPMIN @str',
              'ZMPOP 2 @missing @str MIN',
            ]),
          );
        });

        it('ZUNION ZINTER ZDIFF (+STORE) ZINTERCARD with sets, weights, aggregates', async () => {
          await c.expectSame(
            cmds(p('ops'), [
              'ZADD @a 1 x 2 y 3 z',
              'ZADD @b 10 y 20 z 30 w',
              'SADD @s y w 7',
              'ZUNION 2 @a @b WITHSCORES',
              'ZUNION 3 @a @b @s WITHSCORES',
              'ZUNION 2 @a @b WEIGHTS 2 0.5 WITHSCORES',
              'ZUNION 2 @a @b AGGREGATE MIN WITHSCORES',
              'ZUNION 2 @a @b AGGREGATE MAX WEIGHTS 1 -1 WITHSCORES',
              'ZINTER 2 @a @b WITHSCORES',
              'ZINTER 3 @a @b @s WITHSCORES',
              'ZINTER 2 @a @a WITHSCORES',
              'ZINTER 2 @a @missing',
              'ZDIFF 2 @a @b WITHSCORES',
              'ZDIFF 2 @a @a',
              'ZDIFF 3 @b @s @missing WITHSCORES',
              'ZDIFF 1 @missing',
              'ZINTERCARD 2 @a @b',
              'ZINTERCARD 2 @a @b LIMIT 1',
              'ZINTERCARD 2 @a @b LIMIT -1',
              'ZINTERCARD 2 @a @b WITHSCORES',
              'ZUNIONSTORE @d 2 @a @b WEIGHTS 1 2',
              'ZRANGE @d 0 -1 WITHSCORES',
              'ZINTERSTORE @d 2 @a @b AGGREGATE MAX',
              'ZRANGE @d 0 -1 WITHSCORES',
              'ZINTERSTORE @d 2 @a @missing',
              'EXISTS @d',
              'ZDIFFSTORE @d 2 @b @a',
              'ZRANGE @d 0 -1 WITHSCORES',
              'ZUNIONSTORE @d 2 @a @b WITHSCORES',
              'ZUNION 0 @a',
              'ZUNION -1 @a',
              'ZUNION x @a',
              'ZUNION 3 @a @b',
              'ZUNIONSTORE @d 0 @a',
              'ZUNION 2 @a @b WEIGHTS 1',
              'ZUNION 2 @a @b WEIGHTS 1 x',
              'ZUNION 2 @a @b AGGREGATE AVG',
              'ZUNION 2 @a @b AGGREGATE',
              'ZDIFF 2 @a @b WEIGHTS 1 1',
              'ZADD @inf 1 p inf q',
              'ZADD @ninf 1 p -inf q',
              'ZUNION 2 @inf @ninf WITHSCORES',
              'ZINTER 2 @inf @ninf WEIGHTS 0 1 WITHSCORES',
              'SET @str x',
              'ZUNION 2 @a @str',
              'ZUNIONSTORE @d 2 @missing @str',
              'ZINTERCARD 1 @str',
            ]),
          );
        });

        it('ZRANDMEMBER deterministic cases and errors', async () => {
          await c.expectSame(
            cmds(p('rand'), [
              'ZADD @k 1 a 2 b 3 c',
              'ZRANDMEMBER @k 3',
              'ZRANDMEMBER @k 10 WITHSCORES',
              'ZRANDMEMBER @k 0',
              'ZRANDMEMBER @k x',
              'ZRANDMEMBER @k 1 FOO',
              'ZRANDMEMBER @k 1 WITHSCORES FOO',
              'ZRANDMEMBER @k -9223372036854775808',
              'ZRANDMEMBER @missing',
              'ZRANDMEMBER @missing 5',
              'ZADD @one 7 only',
              'ZRANDMEMBER @one',
              'ZRANDMEMBER @one -3 WITHSCORES',
              'ZRANDMEMBER @one 1 WITHSCORES',
              'SET @str x',
              'ZRANDMEMBER @str',
              'ZRANDMEMBER @str 1',
            ]),
          );
        });

        it('ZSCAN', async () => {
          await c.expectSame(
            cmds(p('scan'), [
              'ZADD @k 1 a 2.5 b 3 c inf d',
              'ZSCAN @k 0',
              'ZSCAN @k 0 MATCH a*',
              'ZSCAN @k 0 COUNT 0',
              'ZSCAN @k x',
              'ZSCAN @k 0 FOO',
              'ZSCAN @missing 0',
              'ZSCAN @missing 0 COUNT 0',
              'SET @str x',
              'ZSCAN @str 0',
              'ZSCAN @str x',
            ]),
          );
          // A skiplist-encoded set: scan it to the end, compare the union of what came back.
          const k = p('scan') + 'big';
          const args = ['ZADD', k];
          for (let i = 0; i < 300; i++) args.push(String(i % 7), `m${i}`);
          await c.both(...args);
          for (const side of ['redis', 'node'] as const) {
            const seen = new Map<string, string>();
            let cursor = '0';
            let rounds = 0;
            do {
              const r = (await c[side].call('ZSCAN', k, cursor, 'COUNT', '20')).latin1Slice();
              const parts = r.split('\r\n');
              cursor = parts[2]!;
              for (let i = 4; i + 3 < parts.length; i += 4) seen.set(parts[i + 1]!, parts[i + 3]!);
              rounds++;
            } while (cursor !== '0' && rounds < 1000);
            expect(seen.size, side).toBe(300);
            expect(seen.get('m8'), side).toBe('1');
          }
        });

        it('blocking BZPOPMIN BZPOPMAX BZMPOP: served, timed out, errors', async () => {
          const k = p('blk');
          await c.expectSame(
            cmds(k, [
              'ZADD @a 1 x 2 y',
              'BZPOPMIN @missing @a 0',
              'BZPOPMAX @a 0',
              'BZPOPMIN @missing 0.01',
              'BZMPOP 0.01 1 @missing MIN',
              'BZPOPMIN @a x',
              'BZPOPMIN @a -1',
              'BZMPOP 0 0 @a MIN',
              'BZMPOP x 1 @a MIN COUNT 0',
              'BZMPOP x 1 @a MIN',
              'SET @str x',
              'BZPOPMIN @str 0',
              'BZPOPMIN @missing @str 0',
            ]),
          );
          // A blocked client is served by a ZADD from another connection.
          const waiting = c2.call('BZPOPMIN', k + 'w1', k + 'w2', '5');
          await new Promise((r) => setTimeout(r, 50));
          await c.expectSame([['ZADD', k + 'w2', '3', 'm', '4', 'n']]);
          expectSameReply(await waiting, 'BZPOPMIN served');
          const waiting2 = c2.call('BZMPOP', '5', '2', k + 'w3', k + 'w4', 'MAX', 'COUNT', '5');
          await new Promise((r) => setTimeout(r, 50));
          await c.expectSame([['ZADD', k + 'w4', '3', 'm', '4', 'n']]);
          expectSameReply(await waiting2, 'BZMPOP served');
          await c.expectSame([['EXISTS', k + 'w4']]);
          // Inside MULTI a blocking pop on nothing answers at once.
          await c.expectSame([['MULTI'], ['BZPOPMAX', k + 'none', '0'], ['EXEC']]);
        });

        it('seeded random stream', async () => {
          const seed = Number(process.env.SWARMKV_DIFF_SEED ?? Date.now() % 100000);
          const rnd = prng(seed);
          const keys = [p('rnd') + 'a', p('rnd') + 'b', p('rnd') + 'c'];
          const mem = () => (rnd() < 0.3 ? String(Math.floor(rnd() * 20)) : 'm' + Math.floor(rnd() * 12));
          const sc = () => (rnd() < 0.1 ? (rnd() < 0.5 ? 'inf' : '-inf') : String(Math.floor(rnd() * 10) / (rnd() < 0.3 ? 4 : 1)));
          const key = () => keys[Math.floor(rnd() * keys.length)]!;
          const steps: Step[] = [];
          for (let i = 0; i < 400; i++) {
            const r = rnd();
            const k = key();
            if (r < 0.3) steps.push(['ZADD', k, sc(), mem(), sc(), mem()]);
            else if (r < 0.35) steps.push(['ZINCRBY', k, sc(), mem()]);
            else if (r < 0.42) steps.push(['ZREM', k, mem(), mem()]);
            else if (r < 0.5) steps.push(['ZRANGE', k, '0', '-1', 'WITHSCORES']);
            else if (r < 0.55) steps.push(['ZRANGEBYSCORE', k, '(' + sc(), sc(), 'WITHSCORES']);
            else if (r < 0.6) steps.push(['ZRANK', k, mem()]);
            else if (r < 0.63) steps.push(['ZPOPMIN', k, String(Math.floor(rnd() * 3))]);
            else if (r < 0.66) steps.push(['ZREMRANGEBYRANK', k, String(Math.floor(rnd() * 4) - 2), '-1']);
            else if (r < 0.7) steps.push(['ZUNIONSTORE', key(), '2', key(), key(), 'WEIGHTS', '1', '2']);
            else if (r < 0.73) steps.push(['ZINTER', '2', key(), key(), 'WITHSCORES']);
            else if (r < 0.76) steps.push(['ZDIFFSTORE', key(), '2', key(), key()]);
            else if (r < 0.8) steps.push(['OBJECT', 'ENCODING', k]);
            else if (r < 0.85) steps.push(['ZCOUNT', k, sc(), sc()]);
            else if (r < 0.9) steps.push(['ZSCORE', k, mem()]);
            else if (r < 0.95) steps.push(['ZRANGESTORE', key(), k, '0', String(Math.floor(rnd() * 6))]);
            else steps.push(['ZCARD', k]);
          }
          await c.expectSame(steps);
        });
      });
    }
  }
});
