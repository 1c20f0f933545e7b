/**
 * Hash commands against a real redis-server 7.0.15: the same command streams go to both servers
 * and every reply must be byte-for-byte identical, errors included, in RESP2 and RESP3, once per
 * encoding: listpack (default thresholds) and hashtable (`CONFIG SET hash-max-listpack-entries 0`
 * on both). Hashtable iteration order is each server's own, so HGETALL/HKEYS/HVALS are compared
 * as multisets there. OBJECT ENCODING is compared at the conversion boundaries (entries and
 * value length, defaults and after CONFIG SET). HRANDFIELD is compared where its reply is not
 * random (a one-field hash, a count covering the whole hash) and by shape otherwise.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiffPair, type ClientPair, type Step } from '../support/diff.js';
import { eventsUntilPong } from '../support/raw-client.js';
import { prng } from '../support/prng.js';


function cmds(prefix: string, lines: string[]): string[][] {
  return lines.map((l) => l.split(' ').map((w) => (w.startsWith('@') ? prefix + w.slice(1) : w)));
}

describe('hash commands: differential against redis-server 7.0.15', () => {
  let pair: DiffPair;
  beforeAll(async () => {
    pair = await DiffPair.start();
  });
  afterAll(async () => pair?.stop());

  for (const encoding of ['listpack', 'hashtable'] as const) {
    for (const proto of [2, 3] as const) {
      describe(`RESP${proto}, ${encoding}`, () => {
        let c: ClientPair;
        const p = (t: string) => `hash${proto}${encoding}:${t}:`;
        /** Order-free comparison where a hashtable's order is the server's own. */
        const loose = (cmd: string[], mode: 'elements' | 'pairs'): Step =>
          encoding === 'hashtable' ? { cmd, unordered: mode } : cmd;
        beforeAll(async () => {
          c = await pair.connect(proto);
          await c.both('CONFIG', 'SET', 'hash-max-listpack-entries', encoding === 'hashtable' ? '0' : '512');
          await c.both('CONFIG', 'SET', 'hash-max-listpack-value', '64');
        });
        afterAll(() => c?.close());

        it('set, get, delete', async () => {
          await c.expectSame(
            cmds(p('a'), [
              'HSET @h a 1 b 2', 'OBJECT ENCODING @h', 'HSET @h a 10 c 3', 'HMSET @h d 4', 'HSET @h a', 'HMSET @h a',
              'HSET @h', 'HSETNX @h a x', 'HSETNX @h e 5', 'HSETNX @h', 'HGET @h a', 'HGET @h zz', 'HGET @nokey a',
              'HMGET @h a zz e', 'HMGET @nokey a b', 'HLEN @h', 'HLEN @nokey', 'HEXISTS @h a', 'HEXISTS @h zz',
              'HEXISTS @nokey a', 'HSTRLEN @h a', 'HSTRLEN @h zz', 'HSTRLEN @nokey a', 'HSET @n i 12345 neg -7 big 9223372036854775807 s 01',
              'HSTRLEN @n i', 'HSTRLEN @n neg', 'HSTRLEN @n big', 'HSTRLEN @n s', 'HGET @n big', 'HDEL @h a zz',
              'HDEL @nokey a', 'HDEL @h b c d e', 'EXISTS @h', 'HDEL @h', 'SET @s v', 'HSET @s a 1', 'HSETNX @s a 1',
              'HGET @s a', 'HMGET @s a', 'HLEN @s', 'HDEL @s a', 'HEXISTS @s a', 'HSTRLEN @s a', 'HGETALL @s',
              'HKEYS @s', 'HVALS @s', 'HINCRBY @s a 1', 'HINCRBYFLOAT @s a 1', 'HRANDFIELD @s', 'HSCAN @s 0',
              'HGETALL @nokey', 'HKEYS @nokey', 'HVALS @nokey',
            ]),
          );
        });

        it('HGETALL, HKEYS, HVALS, HSCAN', async () => {
          const k = p('g') + 'h';
          await c.both('HSET', k, 'a', '1', 'b', '2', 'c', '-3', 'd', '9223372036854775807', 'e', '01', 'f', '');
          const steps: Step[] = [
            loose(['HGETALL', k], 'pairs'),
            loose(['HKEYS', k], 'elements'),
            loose(['HVALS', k], 'elements'),
            ['HSCAN', p('g') + 'nokey', 'x'],
            ['HSCAN', k, 'x'],
            ['HSCAN', p('g') + 'nokey', '0', 'COUNT', '0'],
            ['HSCAN', k, '0', 'COUNT', '0'],
            ['HSCAN', k, '0', 'COUNT', 'x'],
            ['HSCAN', k, '0', 'TYPE', 'string'],
            ['HSCAN', k, '0', 'MATCH'],
            ['HSCAN', k, '0', 'NOVALUES'],
          ];
          if (encoding === 'listpack') {
            steps.push(['HSCAN', k, '0'], ['HSCAN', k, '123', 'MATCH', '[ab]', 'COUNT', '1'], ['HSCAN', k, '0', 'MATCH', '*']);
          }
          await c.expectSame(steps);
        });

        it('HINCRBY and HINCRBYFLOAT', async () => {
          await c.expectSame(
            cmds(p('i'), [
              'HSET @h a 1 s abc', 'HINCRBY @h a x', 'HINCRBY @h a 10', 'HINCRBY @h n -5', 'HINCRBY @h c 9223372036854775807',
              'HINCRBY @h c 1', 'HINCRBY @h c -9223372036854775807', 'HINCRBY @h c -9223372036854775808', 'HINCRBY @h c -1',
              'HINCRBY @h s 1', 'HINCRBY @h a 01', 'HINCRBYFLOAT @h s 1', 'HINCRBYFLOAT @h a inf', 'HINCRBYFLOAT @h a -inf',
              'HINCRBYFLOAT @h a nan', 'HINCRBYFLOAT @h a x', 'HINCRBYFLOAT @h a 1.5', 'HINCRBYFLOAT @h y 0.1',
              'HINCRBYFLOAT @h y 0.2', 'HINCRBYFLOAT @h y -0.3', 'HINCRBYFLOAT @h z 1e17', 'HGET @h z', 'HINCRBY @h z 1',
              'HINCRBYFLOAT @h w 1e400', 'HINCRBYFLOAT @h w 1e4932', 'HINCRBYFLOAT @h w 1e4932', 'HINCRBYFLOAT @h v 0x10',
              'HINCRBYFLOAT @h v 5.0e3', 'HINCRBYFLOAT @h v -5016', 'HGETALL @nope',
              'HINCRBYFLOAT @new f 2.5', 'HINCRBY @new2 f 7', 'HGET @new f', 'HGET @new2 f',
            ]),
          );
        });

        it('HRANDFIELD (deterministic replies and errors)', async () => {
          await c.both('HSET', p('r') + 'one', 'f', 'v');
          await c.both('HSET', p('r') + 'h', 'a', '1', 'b', '2', 'c', '3');
          const steps: Step[] = cmds(p('r'), [
            'HRANDFIELD @nokey', 'HRANDFIELD @one', 'HRANDFIELD @one -3', 'HRANDFIELD @one -2 WITHVALUES',
            'HRANDFIELD @one 5 WITHVALUES', 'HRANDFIELD @one 1 withvalues', 'HRANDFIELD @h 0', 'HRANDFIELD @nokey -5 WITHVALUES',
            'HRANDFIELD @nokey 5', 'HRANDFIELD @h x', 'HRANDFIELD @h -9223372036854775808', 'HRANDFIELD @h 9223372036854775808',
            'HRANDFIELD @h -4611686018427387904 WITHVALUES', 'HRANDFIELD @h 4611686018427387904 WITHVALUES',
            'HRANDFIELD @h -4611686018427387903 WITHVALUES x', 'HRANDFIELD @h 1 withvalue', 'HRANDFIELD @nokey 0 x',
          ]);
          steps.push(encoding === 'listpack' ? ['HRANDFIELD', p('r') + 'h', '3', 'WITHVALUES'] : { cmd: ['HRANDFIELD', p('r') + 'h', '3', 'WITHVALUES'], unordered: proto === 3 ? 'elements' : 'pairs' });
          steps.push(encoding === 'listpack' ? ['HRANDFIELD', p('r') + 'h', '30'] : { cmd: ['HRANDFIELD', p('r') + 'h', '30'], unordered: 'elements' });
          await c.expectSame(steps);
          // Random replies: same shape (lengths of the aggregates) on both servers.
          for (const argv of [['2'], ['-10'], ['-10', 'WITHVALUES'], ['2', 'WITHVALUES']]) {
            const { redis, node } = await c.call('HRANDFIELD', p('r') + 'h', ...argv);
            expect(node.latin1Slice(0, 4), argv.join(' ')).toBe(redis.latin1Slice(0, 4));
            expect(node.length, argv.join(' ')).toBe(redis.length);
          }
        });

        it('keyspace notifications', async () => {
          const sub = await pair.connect(proto);
          await c.both('CONFIG', 'SET', 'notify-keyspace-events', 'KEA');
          await sub.both('PSUBSCRIBE', `__keyspace@0__:${p('n')}*`);
          await c.expectSame(
            cmds(p('n'), [
              'HSET @h a 1', 'HSETNX @h a 2', 'HSETNX @h b 2', 'HMSET @h c 3', 'HINCRBY @h a 1', 'HINCRBYFLOAT @h a 1.5',
              'HDEL @h zz', 'HDEL @h a b', 'HINCRBY @h c x', 'HDEL @h c', 'HINCRBY @k f 1',
            ]),
          );
          const [r, n] = await Promise.all([eventsUntilPong(sub.redis), eventsUntilPong(sub.node)]);
          await c.both('CONFIG', 'SET', 'notify-keyspace-events', '');
          expect(n).toEqual(r);
          expect(r.length).toBeGreaterThan(8);
          sub.close();
        });
      });
    }
  }

  describe('encoding conversions (OBJECT ENCODING on both servers)', () => {
    let c: ClientPair;
    const p = 'hconv:';
    beforeAll(async () => {
      c = await pair.connect(2);
    });
    afterAll(async () => {
      await c.both('CONFIG', 'SET', 'hash-max-listpack-entries', '512');
      await c.both('CONFIG', 'SET', 'hash-max-listpack-value', '64');
      c?.close();
    });

    it('entries: 512/513 by default, 127/128/129 after CONFIG SET 128', async () => {
      await c.both('CONFIG', 'SET', 'hash-max-listpack-entries', '512');
      const steps: Step[] = [];
      const fill = (key: string, n: number) => {
        const argv = ['HSET', key];
        for (let i = 0; i < n; i++) argv.push('f' + i, String(i));
        return argv;
      };
      steps.push(fill(p + 'd', 512), ['OBJECT', 'ENCODING', p + 'd'], ['HSET', p + 'd', 'f512', 'x'], ['OBJECT', 'ENCODING', p + 'd']);
      await c.expectSame(steps);
      await c.both('CONFIG', 'SET', 'hash-max-listpack-entries', '128');
      await c.expectSame([
        fill(p + 'e', 127), ['OBJECT', 'ENCODING', p + 'e'], ['HSET', p + 'e', 'f127', 'x'], ['OBJECT', 'ENCODING', p + 'e'],
        ['HSETNX', p + 'e', 'f0', 'y'], ['OBJECT', 'ENCODING', p + 'e'], ['HSET', p + 'e', 'f128', 'x'], ['OBJECT', 'ENCODING', p + 'e'],
        ['HDEL', p + 'e', 'f128', 'f127', 'f126'], ['OBJECT', 'ENCODING', p + 'e'], ['HLEN', p + 'e'],
        fill(p + 'f', 129), ['OBJECT', 'ENCODING', p + 'f'],
        ['HINCRBY', p + 'e2', 'x', '1'], ['OBJECT', 'ENCODING', p + 'e2'],
      ]);
    });

    it('value length: 64/65 bytes, fields, values, HSETNX, HINCRBY*, after CONFIG SET', async () => {
      await c.both('CONFIG', 'SET', 'hash-max-listpack-entries', '512');
      await c.both('CONFIG', 'SET', 'hash-max-listpack-value', '64');
      const v64 = 'x'.repeat(64);
      const v65 = 'x'.repeat(65);
      await c.expectSame([
        ['HSET', p + 'a', 'f', v64], ['OBJECT', 'ENCODING', p + 'a'], ['HSET', p + 'a', v64, '1'], ['OBJECT', 'ENCODING', p + 'a'],
        ['HSET', p + 'a', 'g', v65], ['OBJECT', 'ENCODING', p + 'a'], ['HSET', p + 'b', v65, '1'], ['OBJECT', 'ENCODING', p + 'b'],
        ['HSET', p + 'c', 'f', '1'], ['HSETNX', p + 'c', 'f', v65], ['OBJECT', 'ENCODING', p + 'c'],
        ['HSETNX', p + 'c', 'g', v65], ['OBJECT', 'ENCODING', p + 'c'],
        ['HSET', p + 'd', 'f', '1'], ['HINCRBY', p + 'd', v65, '1'], ['OBJECT', 'ENCODING', p + 'd'],
        ['HSET', p + 'e', 'f', '1'], ['HINCRBYFLOAT', p + 'e', 'f', '1e70'], ['OBJECT', 'ENCODING', p + 'e'],
        ['HSET', p + 'g', 'f', '1'], ['HINCRBYFLOAT', p + 'g', 'f', '1e60'], ['OBJECT', 'ENCODING', p + 'g'],
        // Big integers stored in a listpack are 8 bytes but 19 characters: the string length counts.
        ['CONFIG', 'SET', 'hash-max-listpack-value', '10'],
        ['HSET', p + 'h', 'f', '12345678901'], ['OBJECT', 'ENCODING', p + 'h'],
        ['HSET', p + 'i', 'f', '1234567890'], ['OBJECT', 'ENCODING', p + 'i'],
        ['HINCRBY', p + 'i', 'f', '1'], ['OBJECT', 'ENCODING', p + 'i'], ['HINCRBY', p + 'i', 'f', '9999999999'],
        ['OBJECT', 'ENCODING', p + 'i'],
        ['CONFIG', 'SET', 'hash-max-listpack-value', '0'],
        ['HSET', p + 'j', '', ''], ['OBJECT', 'ENCODING', p + 'j'], ['HSET', p + 'j', 'a', ''], ['OBJECT', 'ENCODING', p + 'j'],
      ]);
    });
  });

  it('a seeded random stream of hash commands', async () => {
    const seed = Number(process.env.SWARMKV_DIFF_SEED ?? 20240612);
    const rnd = prng(seed);
    const int = (n: number) => Math.floor(rnd() * n);
    const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
    const keys = ['rh:a', 'rh:b', 'rh:c'];
    const field = () => pick([() => 'f' + int(12), () => String(int(10)), () => 'x'.repeat(60 + int(10))])();
    const val = () =>
      pick([
        () => String(int(20)),
        () => String(int(2000000) - 1000000),
        () => pick(['a', '', '01', '-0', '9223372036854775807', '1.5']),
        () => 'v'.repeat(int(70)),
      ])();
    const c = await pair.connect(2);
    await c.both('CONFIG', 'SET', 'hash-max-listpack-entries', '8');
    const steps: Step[] = [];
    for (let i = 0; i < 3000; i++) {
      const k = pick(keys);
      const gen = pick([
        () => ['HSET', k, field(), val(), field(), val()],
        () => ['HSETNX', k, field(), val()],
        () => ['HGET', k, field()],
        () => ['HMGET', k, field(), field()],
        () => ['HDEL', k, field(), field()],
        () => ['HLEN', k],
        () => ['HSTRLEN', k, field()],
        () => ['HEXISTS', k, field()],
        () => ['HINCRBY', k, field(), String(int(100) - 50)],
        () => ['HINCRBYFLOAT', k, field(), pick(['0.5', '-1.25', '3', '1e3'])],
        () => ['OBJECT', 'ENCODING', k],
      ]);
      steps.push(gen());
      if (i % 40 === 0) steps.push({ cmd: ['HGETALL', k], unordered: 'pairs' });
    }
    await c.expectSame(steps);
    await c.both('CONFIG', 'SET', 'hash-max-listpack-entries', '512');
    c.close();
  });
});
