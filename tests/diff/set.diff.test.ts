/**
 * Set commands against a real redis-server 7.0.15: the same command streams go to both servers
 * and every reply must be byte-for-byte identical, errors and OBJECT ENCODING included, in RESP2
 * and RESP3, with the default set-max-intset-entries and with it forced to 4. Replies from
 * hashtable-encoded sets have no defined order in Redis, so they are compared as multisets
 * ({ unordered: 'elements' }); intset replies are ordered and compared as they are. Random
 * commands are checked where Redis is deterministic (whole-set counts, one-member sets, sizes).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiffPair, type ClientPair, type Step } from '../support/diff.js';
import { prng } from '../support/prng.js';

/** Commands whose reply order follows the encoding (dict order for hashtables). */
const SET_REPLIES = new Set(['SMEMBERS', 'SINTER', 'SUNION', 'SDIFF']);

/**
 * `~` marks a reply compared as a multiset. With `loose` (small intset limit: sets become
 * hashtables early) every set-valued reply is compared that way.
 */
function cmds(prefix: string, lines: string[], loose = false): Step[] {
  return lines.map((l) => {
    const unordered = l.startsWith('~') || (loose && SET_REPLIES.has(l.split(' ')[0]!));
    const argv = (unordered ? l.slice(1) : l).split(' ').map((w) => w.replace(/@/g, prefix));
    return unordered ? { cmd: argv, unordered: 'elements' as const } : argv;
  });
}

const LAYOUTS = [
  { name: 'default intset limit', max: '512' },
  { name: 'intset limit 4', max: '4' },
] as const;

describe('set commands: differential against redis-server 7.0.15', () => {
  let pair: DiffPair;
  beforeAll(async () => {
    pair = await DiffPair.start();
  });
  afterAll(async () => pair?.stop());

  for (const layout of LAYOUTS) {
    for (const proto of [2, 3] as const) {
      describe(`RESP${proto}, ${layout.name}`, () => {
        let c: ClientPair;
        const p = (t: string) => `s${proto}${layout.max}:${t}:`;
        const loose = layout.max !== '512';
        beforeAll(async () => {
          c = await pair.connect(proto);
          await c.both('CONFIG', 'SET', 'set-max-intset-entries', layout.max);
        });

        it('SADD SREM SISMEMBER SMISMEMBER SCARD SMEMBERS and encodings', async () => {
          await c.expectSame(
            cmds(p('basic'), [
              'SADD @i 3 1 2',
              'OBJECT ENCODING @i',
              '~SMEMBERS @i',
              'SADD @i 2 3 4 -5',
              '~SMEMBERS @i',
              'OBJECT ENCODING @i',
              'SADD @i 70000 -9223372036854775808 9223372036854775807',
              '~SMEMBERS @i',
              'OBJECT ENCODING @i',
              'SISMEMBER @i 70000',
              'SISMEMBER @i 070000',
              'SMISMEMBER @i 1 2 nosuch 9223372036854775807',
              'SMISMEMBER @missing a b',
              'SCARD @i',
              'SREM @i 1 nosuch 01',
              'SCARD @i',
              'SADD @s b a c',
              'OBJECT ENCODING @s',
              '~SMEMBERS @s',
              'SADD @m 1 2',
              'SADD @m x',
              'OBJECT ENCODING @m',
              'SADD @m2 1 2',
              'SADD @m2 9223372036854775808',
              'OBJECT ENCODING @m2',
              'SADD @m3 1',
              'SADD @m3 -0',
              'OBJECT ENCODING @m3',
              'SADD @m4 1',
              'SADD @m4 +1',
              'OBJECT ENCODING @m4',
              'SREM @s a b c',
              'EXISTS @s',
              'SREM @missing a',
              'SMEMBERS @missing',
              'SCARD @missing',
              'SISMEMBER @missing a',
              'SET @str x',
              'SADD @str a',
              'SREM @str a',
              'SMEMBERS @str',
              'SISMEMBER @str a',
              'SMISMEMBER @str a',
              'SCARD @str',
            ]),
          );
        });

        it('intset conversion at the entry limit', async () => {
          const n = Number(layout.max);
          const k = p('conv') + 'k';
          const steps: Step[] = [];
          for (let i = 0; i < n + 2; i++) steps.push(['SADD', k, String(i * 3)], ['OBJECT', 'ENCODING', k]);
          steps.push(['SREM', k, '0', '3', '6'], ['OBJECT', 'ENCODING', k]);
          steps.push({ cmd: ['SMEMBERS', k], unordered: 'elements' });
          // One command adding past the limit.
          const many = ['SADD', k + '2'];
          for (let i = 0; i <= n; i++) many.push(String(i));
          steps.push(many, ['OBJECT', 'ENCODING', k + '2'], ['SCARD', k + '2']);
          await c.expectSame(steps);
        });

        it('SMOVE', async () => {
          await c.expectSame(
            cmds(p('move'), [
              'SADD @a 1 2 3',
              'SADD @b x',
              'SMOVE @a @b 1',
              '~SMEMBERS @b',
              'OBJECT ENCODING @b',
              'SMOVE @a @new 2',
              'OBJECT ENCODING @new',
              'SMOVE @a @new nosuch',
              'SMOVE @a @a 3',
              'SMOVE @a @a 9',
              'SMOVE @a @b 3',
              'EXISTS @a',
              'SMOVE @missing @b 1',
              'SET @str x',
              'SMOVE @str @b x',
              'SMOVE @b @str x',
              'SMOVE @missing @str x',
              'SMOVE @b @new2 x',
              'OBJECT ENCODING @new2',
            ], loose),
          );
        });

        it('SINTER SUNION SDIFF (+STORE) SINTERCARD', async () => {
          await c.expectSame(
            cmds(p('ops'), [
              'SADD @a 1 2 3 4 5',
              'SADD @b 4 5 6',
              'SADD @c x 5 4',
              'SINTER @a @b',
              '~SINTER @a @c',
              'SINTER @a @missing',
              'SINTER @a',
              'SUNION @a @b',
              '~SUNION @a @c',
              'SUNION @missing',
              'SDIFF @a @b',
              'SDIFF @a @a',
              'SDIFF @a @missing @b',
              'SDIFF @missing @a',
              '~SDIFF @c @a',
              'SINTERSTORE @d @a @b',
              'OBJECT ENCODING @d',
              'SMEMBERS @d',
              'SINTERSTORE @d @a @missing',
              'EXISTS @d',
              'SUNIONSTORE @d @a @b',
              'OBJECT ENCODING @d',
              'SMEMBERS @d',
              'SUNIONSTORE @d @a @c',
              'OBJECT ENCODING @d',
              'SDIFFSTORE @d @a @b',
              'SMEMBERS @d',
              'OBJECT ENCODING @d',
              'SDIFFSTORE @d @c @a',
              'OBJECT ENCODING @d',
              'SMEMBERS @d',
              'SDIFFSTORE @d @a @a',
              'EXISTS @d',
              'SINTERCARD 2 @a @b',
              'SINTERCARD 2 @a @b LIMIT 1',
              'SINTERCARD 2 @a @b LIMIT 0',
              'SINTERCARD 1 @missing',
              'SINTERCARD 0 @a',
              'SINTERCARD x @a',
              'SINTERCARD 3 @a @b',
              'SINTERCARD 2 @a @b LIMIT -1',
              'SINTERCARD 2 @a @b LIMIT',
              'SINTERCARD 2 @a @b FOO 1',
              'SET @str x',
              'SINTER @a @str',
              'SINTER @missing @str',
              'SUNION @a @str',
              'SDIFF @missing @str',
              'SINTERSTORE @d @str',
              'SUNIONSTORE @str @a',
              'TYPE @str',
              'SINTERCARD 2 @a @str',
            ], loose),
          );
        });

        it('SPOP and SRANDMEMBER', async () => {
          await c.expectSame(
            cmds(p('rand'), [
              'SADD @one 7',
              'SPOP @one',
              'EXISTS @one',
              'SADD @one x',
              'SRANDMEMBER @one',
              'SRANDMEMBER @one -3',
              'SRANDMEMBER @one 1',
              'SADD @i 1 2 3',
              'SRANDMEMBER @i 3',
              'SRANDMEMBER @i 100',
              'SRANDMEMBER @i 0',
              'SRANDMEMBER @i x',
              'SRANDMEMBER @i -9223372036854775808',
              'SRANDMEMBER @i 1 2',
              'SRANDMEMBER @missing',
              'SRANDMEMBER @missing 3',
              'SPOP @i 0',
              'SPOP @i -1',
              'SPOP @i x',
              'SPOP @i 1 2',
              'SPOP @i 10',
              'EXISTS @i',
              'SPOP @missing',
              'SPOP @missing 2',
              'SADD @s a b c',
              '~SPOP @s 3',
              'SET @str x',
              'SPOP @str',
              'SPOP @str 1',
              'SRANDMEMBER @str',
              'SRANDMEMBER @str 1',
            ]),
          );
          // Sizes and membership of random results.
          const k = p('rand') + 'big';
          const add = ['SADD', k];
          for (let i = 0; i < 50; i++) add.push(`m${i}`);
          await c.both(...add);
          for (const side of ['redis', 'node'] as const) {
            const r = (await c[side].call('SRANDMEMBER', k, '20')).latin1Slice().split('\r\n');
            const members = r.filter((x) => x.startsWith('m'));
            expect(new Set(members).size, side).toBe(20);
            const neg = (await c[side].call('SRANDMEMBER', k, '-80')).latin1Slice().split('\r\n');
            expect(neg.filter((x) => x.startsWith('m')).length, side).toBe(80);
            const popped = (await c[side].call('SPOP', k, '45')).latin1Slice().split('\r\n');
            expect(new Set(popped.filter((x) => x.startsWith('m'))).size, side).toBe(45);
          }
          await c.expectSame([['SCARD', k], ['OBJECT', 'ENCODING', k]]);
        });

        it('SSCAN', async () => {
          await c.expectSame(
            cmds(p('scan'), [
              'SADD @i 5 1 3',
              'SSCAN @i 0',
              'SSCAN @i 0 MATCH 1*',
              'SSCAN @i 0 COUNT 0',
              'SSCAN @i 0 TYPE string',
              'SSCAN @i x',
              'SSCAN @i -1',
              'SSCAN @i 18446744073709551616',
              'SSCAN @missing 0',
              'SSCAN @missing 0 COUNT 0',
              'SET @str x',
              'SSCAN @str 0',
              'SSCAN @str x',
            ]),
          );
          const k = p('scan') + 'big';
          const add = ['SADD', k];
          for (let i = 0; i < 1000; i++) add.push(`m${i}`);
          await c.both(...add);
          for (const side of ['redis', 'node'] as const) {
            const seen = new Set<string>();
            let cursor = '0';
            let rounds = 0;
            do {
              const parts = (await c[side].call('SSCAN', k, cursor, 'COUNT', '50')).latin1Slice().split('\r\n');
              cursor = parts[2]!;
              for (const x of parts) if (x.startsWith('m')) seen.add(x);
              rounds++;
            } while (cursor !== '0' && rounds < 1000);
            expect(seen.size, side).toBe(1000);
          }
        });

        it('seeded random stream', async () => {
          const seed = Number(process.env.SWARMKV_DIFF_SEED ?? Date.now() % 100000);
          const rnd = prng(seed);
          const keys = [p('rnd') + 'a', p('rnd') + 'b', p('rnd') + 'c'];
          const mem = () => (rnd() < 0.8 ? String(Math.floor(rnd() * 12) - 2) : 'x' + Math.floor(rnd() * 4));
          const key = () => keys[Math.floor(rnd() * keys.length)]!;
          const steps: Step[] = [];
          const un = (cmd: string[]): Step => ({ cmd, unordered: 'elements' });
          for (let i = 0; i < 400; i++) {
            const r = rnd();
            const k = key();
            if (r < 0.3) steps.push(['SADD', k, mem(), mem()]);
            else if (r < 0.4) steps.push(['SREM', k, mem(), mem()]);
            else if (r < 0.5) steps.push(un(['SMEMBERS', k]));
            else if (r < 0.55) steps.push(['SISMEMBER', k, mem()]);
            else if (r < 0.6) steps.push(un(['SINTER', k, key()]));
            else if (r < 0.65) steps.push(un(['SUNION', k, key()]));
            else if (r < 0.7) steps.push(un(['SDIFF', k, key(), key()]));
            else if (r < 0.75) steps.push(['SINTERSTORE', key(), k, key()]);
            else if (r < 0.8) steps.push(['SDIFFSTORE', key(), k, key()]);
            else if (r < 0.85) steps.push(['SUNIONSTORE', key(), k, key()]);
            else if (r < 0.9) steps.push(['OBJECT', 'ENCODING', k]);
            else if (r < 0.95) steps.push(['SMOVE', k, key(), mem()]);
            else steps.push(['SCARD', k]);
          }
          await c.expectSame(steps);
        });
      });
    }
  }
});
