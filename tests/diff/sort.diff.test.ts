/**
 * SORT / SORT_RO against a real redis-server 7.0.15 over lists, sets (intset and hashtable) and
 * sorted sets (listpack and skiplist): numeric and ALPHA sorts, DESC, LIMIT edge cases, BY with
 * string keys, hash fields (`->`) and nosort, GET # and patterns, STORE (reply, stored list,
 * OBJECT ENCODING of the source afterwards) and the errors, byte for byte in RESP2 and RESP3.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { DiffPair, type ClientPair, type Step } from '../support/diff.js';

function cmds(prefix: string, lines: string[]): Step[] {
  return lines.map((l) => {
    const unordered = l.startsWith('~');
    const argv = (unordered ? l.slice(1) : l).split(' ').map((w) => w.replace(/@/g, prefix));
    return unordered ? { cmd: argv, unordered: 'elements' as const } : argv;
  });
}

describe('SORT: differential against redis-server 7.0.15', () => {
  let pair: DiffPair;
  beforeAll(async () => {
    pair = await DiffPair.start();
  });
  afterAll(async () => pair?.stop());

  for (const proto of [2, 3] as const) {
    describe(`RESP${proto}`, () => {
      let c: ClientPair;
      const p = (t: string) => `sort${proto}:${t}:`;
      beforeAll(async () => {
        c = await pair.connect(proto);
      });

      it('lists: numeric, ALPHA, DESC, LIMIT, errors', async () => {
        await c.expectSame(
          cmds(p('list'), [
            'RPUSH @l 3 1 2 10 -5 2.5 1e2 0x10',
            'SORT @l',
            'SORT @l DESC',
            'SORT @l ALPHA',
            'SORT @l ALPHA DESC',
            'SORT @l LIMIT 1 3',
            'SORT @l LIMIT -1 3',
            'SORT @l LIMIT 2 -1',
            'SORT @l LIMIT 100 3',
            'SORT @l LIMIT 0 0',
            'SORT @l LIMIT 5 100 DESC',
            'SORT @l LIMIT x 1',
            'SORT @l LIMIT 1',
            'SORT @l FOO',
            'SORT @l ASC DESC ASC',
            'RPUSH @bad 1 two 3',
            'SORT @bad',
            'SORT @bad ALPHA',
            'SORT @bad STORE @dst',
            'EXISTS @dst',
            'RPUSH @sp 1 2',
            'RPUSH @sp x',
            'SORT @missing',
            'SORT @missing STORE @dst2',
            'SET @str x',
            'SORT @str',
            'SORT @str LIMIT x 1',
            'SORT_RO @l STORE @dst',
            'SORT_RO @l DESC LIMIT 0 2',
            'RPUSH @dup b a b a',
            'SORT @dup ALPHA',
            'SORT @dup ALPHA DESC',
            'RPUSH @inf inf -inf 1 +inf -Infinity',
            'SORT @inf',
            'RPUSH @ws 2 1',
            'SORT @ws',
          ]),
        );
      });

      it('BY and GET patterns, hash fields, nosort', async () => {
        await c.expectSame(
          cmds(p('by'), [
            'RPUSH @l a b c d',
            'MSET @w_a 3 @w_b 1 @w_c 2 @o_a A @o_b B @o_c C',
            'HSET @h_a f 30 g ga',
            'HSET @h_b f 10',
            'HSET @h_c f 20 g gc',
            'SORT @l BY @w_*',
            'SORT @l BY @w_* DESC',
            'SORT @l BY @w_* GET @o_* GET #',
            'SORT @l BY @w_* GET # GET @o_* GET @h_*->g GET nostar',
            'SORT @l BY @h_*->f',
            'SORT @l BY @h_*->f DESC GET @h_*->f',
            'SORT @l BY @o_* ALPHA',
            'SORT @l BY @o_* ALPHA DESC',
            'SORT @l BY @o_* ALPHA LIMIT 1 2',
            'SORT @l BY @o_*',
            'SORT @l BY nosort',
            'SORT @l BY nosort DESC',
            'SORT @l BY nosort LIMIT 1 2',
            'SORT @l BY nosort LIMIT 1 2 DESC',
            'SORT @l BY nosort GET @o_*',
            'SORT @l BY @h_*-> ALPHA',
            'SORT @l BY @w_* LIMIT 0 2',
            'SORT @l GET',
            'SORT @l BY',
            'SORT @l BY @w_* STORE @dst',
            'LRANGE @dst 0 -1',
            'TYPE @dst',
            'OBJECT ENCODING @dst',
            'SORT @l BY @w_* GET @o_* GET @h_*->g STORE @dst',
            'LRANGE @dst 0 -1',
            'SORT @l LIMIT 10 10 STORE @dst',
            'EXISTS @dst',
          ]),
        );
      });

      it('sets and sorted sets', async () => {
        await c.expectSame(
          cmds(p('sets'), [
            'SADD @i 5 3 9 1',
            'SORT @i',
            'SORT @i DESC LIMIT 0 2',
            'SORT @i ALPHA',
            'SORT @i BY nosort',
            'SORT @i BY nosort DESC',
            'SORT @i BY nosort STORE @dst',
            'LRANGE @dst 0 -1',
            'SADD @s b c a 10',
            'SORT @s ALPHA',
            'SORT @s',
            '~SORT @s BY nosort',
            'SORT @s BY nosort STORE @dst',
            'LRANGE @dst 0 -1',
            'ZADD @z 3 a 1 b 2 c',
            'OBJECT ENCODING @z',
            'SORT @z ALPHA',
            'OBJECT ENCODING @z',
            'ZADD @z2 3 x 1 y 2 z',
            'SORT @z2 BY nosort',
            'SORT @z2 BY nosort DESC',
            'SORT @z2 BY nosort LIMIT 1 5',
            'SORT @z2 BY nosort DESC LIMIT 1 1',
            'OBJECT ENCODING @z2',
            'ZADD @z3 1 10 2 9 3 8',
            'SORT_RO @z3',
            'OBJECT ENCODING @z3',
            'SORT @z3 BY nosort GET # STORE @dst',
            'LRANGE @dst 0 -1',
          ]),
        );
      });
    });
  }
});
