/**
 * String commands against a real redis-server 7.0.15: the same command streams go to both servers
 * and every reply must be byte-for-byte identical, errors included, in RESP2 and in RESP3.
 *
 * Covers every string command and option, the error precedence Redis has (syntax before expire
 * before WRONGTYPE ...), binary-safe values (all 256 byte values, CR LF, NUL), INCRBYFLOAT's
 * long-double arithmetic on a few thousand seeded random operands, and LCS on random strings.
 * Parts that also need other command groups (OBJECT ENCODING, RPUSH for WRONGTYPE, TTL, keyspace
 * notifications through CONFIG SET) are separate tests, so a failure there names its cause.
 * Keys are prefixed per test and protocol, so no test depends on FLUSHALL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiffPair, type ClientPair } from '../support/diff.js';
import { show } from '../support/raw-client.js';
import { prng } from '../support/prng.js';

type Arg = string | Buffer;

/** Pipelines raw argvs (Buffers allowed, for arbitrary bytes) to both servers; all replies must match. */
async function expectSameRaw(c: ClientPair, cmds: Arg[][]): Promise<void> {
  const [r, n] = await Promise.all([c.redis.pipeline(cmds), c.node.pipeline(cmds)]);
  const bad: string[] = [];
  cmds.forEach((cmd, i) => {
    if (!r[i]!.equals(n[i]!) && bad.length < 5) {
      const argv = cmd.map((a) => (typeof a === 'string' ? a : a.latin1Slice())).join(' ').slice(0, 120);
      bad.push(`#${i} ${JSON.stringify(argv)}\n   redis:   ${show(r[i])}\n   swarmkv: ${show(n[i])}`);
    }
  });
  expect(bad.length, `replies differ from redis-server:\n${bad.join('\n')}`).toBe(0);
}

/** Splits "SET k v" into argv, prefixing the key positions marked with '@' ("SET @k v"). */
function cmds(prefix: string, lines: string[]): string[][] {
  return lines.map((l) => l.split(' ').map((w) => (w.startsWith('@') ? prefix + w.slice(1) : w)));
}

const PROTOS = [2, 3] as const;

describe('string commands: differential against redis-server 7.0.15', () => {
  let pair: DiffPair;
  beforeAll(async () => {
    pair = await DiffPair.start();
  });
  afterAll(async () => pair?.stop());

  for (const proto of PROTOS) {
    describe(`RESP${proto}`, () => {
      let c: ClientPair;
      const p = (t: string) => `str${proto}:${t}:`;
      beforeAll(async () => {
        c = await pair.connect(proto);
      });
      afterAll(() => c?.close());

      it('GET SET and every SET option', async () => {
        await c.expectSame(
          cmds(p('set'), [
            'GET @k', 'SET @k v', 'GET @k', 'SET @k 123', 'GET @k', 'SET @k -9223372036854775808', 'GET @k',
            'SET @k v NX', 'SET @n v NX', 'GET @n', 'SET @k w XX', 'SET @m w XX', 'GET @m',
            'SET @k x GET', 'SET @k y NX GET', 'GET @k', 'SET @m y XX GET', 'SET @o z GET', 'GET @o',
            'SET @k v NX NX', 'SET @k v GET GET', 'SET @k v XX XX GET',
            'SET @k v NX XX', 'SET @k v XX NX', 'SET @k v KEEPTTL EX 10', 'SET @k v EX 10 KEEPTTL',
            'SET @k v EX 10 PX 20', 'SET @k v PX 10 EX 20', 'SET @k v EXAT 10 PXAT 20', 'SET @k v PXAT 10 EXAT 20',
            'SET @k v PERSIST', 'SET @k v EX', 'SET @k v PX', 'SET @k v FOO', 'SET @k v EX 0 FOO', 'SET @k v nx FOO',
            'SET @k v EX 0', 'SET @k v EX -1', 'SET @k v PX 0', 'SET @k v PX -100', 'SET @k v EXAT 0', 'SET @k v PXAT -1',
            'SET @k v EX abc', 'SET @k v EX 01', 'SET @k v EX 1.5', 'SET @k v EX +1', 'SET @k v EX 99999999999999999999',
            'SET @k v EX 9223372036854775807', 'SET @k v EX 9223372036854775', 'SET @k v EX 9223372036854774',
            'SET @k v PX 9223372036854775807', 'SET @k v EXAT 9223372036854775808',
            'SET @t1 v EXAT 9223372036854775', 'GET @t1', 'SET @t2 v PXAT 9223372036854775807', 'GET @t2',
            'SET @t3 v PXAT 1', 'GET @t3', 'SET @t4 v EXAT 1 GET', 'GET @t4', 'SET @k v ex 100', 'SET @k v Px 100000',
            'SET @k v exat 99999999999', 'SET @k v pxat 99999999999999', 'SET @k v KEEPTTL', 'SET @k v keepttl get',
            'SET @k v EX 10 EX 20', 'SET @k v PX 10 PX 20 GET', 'SET @k v XX EX 100 GET',
            'SET @k 00123', 'GET @k', 'SET @k -0', 'GET @k', 'SET @k 9223372036854775808', 'GET @k',
          ]),
        );
        await expectSameRaw(c, [
          ['SET', p('set') + 'z', 'v', 'nx\0zz'],
          ['SET', p('set') + 'z', 'w', 'nx\0zz'],
          ['SET', p('set') + 'z', 'x', 'XX\0', 'GET'],
          ['SET', p('set') + 'z', 'y', 'ex\0', '100'],
          ['GET', p('set') + 'z'],
        ]);
      });

      it('SETNX SETEX PSETEX GETSET GETDEL GETEX', async () => {
        await c.expectSame(
          cmds(p('family'), [
            'SETNX @a x', 'SETNX @a y', 'GET @a', 'SETEX @k 0 v', 'SETEX @k -1 v', 'SETEX @k x v', 'SETEX @k 01 v',
            'PSETEX @k -5 v', 'PSETEX @k 0 v', 'PSETEX @k 9223372036854775807 v', 'SETEX @k 9223372036854775 v',
            'SETEX @k 100 v', 'PSETEX @p 100000 v', 'GET @p', 'GETSET @k w', 'GETSET @new w', 'GET @new',
            'GETDEL @k', 'GETDEL @k', 'GET @k', 'GETEX @missing', 'GETEX @missing EX -1', 'GETEX @missing FOO',
            'GETEX @a EX -1', 'GETEX @a EX 0', 'GETEX @a PX 0', 'GETEX @a EX abc', 'GETEX @a EX 9223372036854775807',
            'GETEX @a KEEPTTL', 'GETEX @a GET', 'GETEX @a NX', 'GETEX @a XX', 'GETEX @a EX', 'GETEX @a PERSIST EX 1',
            'GETEX @a EX 1 PERSIST', 'GETEX @a EX 1 PX 1', 'GETEX @a PERSIST PERSIST', 'GETEX @a', 'GETEX @a EX 100',
            'GETEX @a PX 100000', 'GETEX @a EXAT 99999999999', 'GETEX @a PXAT 99999999999999', 'GETEX @a persist',
            'GETEX @a EX 10 EX 20', 'GETEX @a EXAT 1', 'GET @a', 'SET @b v', 'GETEX @b PXAT 1', 'GETEX @b',
          ]),
        );
      });

      it('MGET MSET MSETNX', async () => {
        await c.expectSame(
          cmds(p('multi'), [
            'MSET @a 1 @b 2', 'MGET @a @b @nope', 'MGET @nope', 'MSET @a', 'MSET @a 1 @b', 'MSETNX @a 1 @b',
            'MSETNX @a 3 @c 3', 'GET @c', 'MSETNX @c 3 @d 4', 'MGET @c @d', 'MSETNX @e 1 @e 2', 'GET @e',
            'MSET @x 1 @x 2 @x 3', 'GET @x',
          ]),
        );
      });

      it('APPEND STRLEN GETRANGE SUBSTR SETRANGE', async () => {
        await c.expectSame(
          cmds(p('range'), [
            'APPEND @k ab', 'APPEND @k cd', 'GET @k', 'STRLEN @k', 'STRLEN @nope', 'SET @n -123', 'STRLEN @n',
            'GETRANGE @n 1 2', 'APPEND @n 4', 'GET @n', 'APPEND @new 55', 'GET @new',
            'SET @s Hello', 'GETRANGE @s 0 -1', 'GETRANGE @s -3 -1', 'GETRANGE @s 0 -100', 'GETRANGE @s -100 -100',
            'GETRANGE @s -1 -5', 'GETRANGE @s 5 1', 'GETRANGE @s 1 0', 'GETRANGE @s 3 100', 'GETRANGE @s 10 20',
            'GETRANGE @s 0 9223372036854775807', 'GETRANGE @s -9223372036854775808 -9223372036854775808',
            'GETRANGE @s -9223372036854775808 9223372036854775807', 'GETRANGE @s 4 4', 'GETRANGE @s 5 5',
            'SUBSTR @s 0 1', 'SUBSTR @s -2 -1', 'GETRANGE @nope 0 -1', 'GETRANGE @s a 1', 'GETRANGE @s 0 1.5',
            'GETRANGE @s 0 99999999999999999999', 'SETRANGE @s 1 a', 'GET @s', 'SETRANGE @s 7 xy', 'GET @s',
            'SETRANGE @missing 5 x', 'GET @missing', 'SETRANGE @z 0 a', 'GET @z', 'SETRANGE @s -1 x',
            'SETRANGE @s abc x', 'SETRANGE @s 01 x', 'SETRANGE @s 536870912 x', 'SETRANGE @s 536870904 xxxxxxxxx',
            'SETRANGE @q 536870912 x', 'SETRANGE @q 9223372036854775807 x', 'SETRANGE @q 99999999999999999999 x',
            'SET @i 12345', 'SETRANGE @i 2 9', 'GET @i', 'INCR @i', 'GETRANGE @i 0 -1',
          ]),
        );
        // Empty arguments cannot go through the space-separated form.
        const k = (t: string) => p('range') + t;
        await c.expectSame([
          ['SET', k('e'), ''], ['GET', k('e')], ['STRLEN', k('e')], ['GETRANGE', k('e'), '0', '-1'],
          ['GETRANGE', k('e'), '-1', '0'], ['APPEND', k('e'), ''], ['APPEND', k('e2'), ''], ['GET', k('e2')],
          ['SETRANGE', k('s'), '1', ''], ['SETRANGE', k('none'), '5', ''], ['GET', k('none')],
          ['SETRANGE', k('s'), '99999999999', ''], ['SETRANGE', k('s'), '-1', ''],
        ]);
      });

      it('INCR DECR INCRBY DECRBY', async () => {
        await c.expectSame(
          cmds(p('incr'), [
            'INCR @c', 'INCRBY @c 10', 'DECR @c', 'DECRBY @c 20', 'INCRBY @c 9007199254740991', 'INCRBY @c 100',
            'GET @c', 'DECRBY @c 9007199254741081', 'INCRBY @c -9007199254740993', 'DECR @c', 'GET @c',
            'SET @i 9223372036854775807', 'INCR @i', 'INCRBY @i -1', 'DECR @i', 'INCRBY @i 2',
            'SET @i -9223372036854775808', 'DECR @i', 'INCRBY @i -1', 'INCRBY @i 9223372036854775807', 'GET @i',
            'INCRBY @i 18446744073709551616', 'INCRBY @nn -9223372036854775808', 'DECRBY @nn 9223372036854775807',
            'DECRBY @nn 1', 'DECRBY @nn -9223372036854775807', 'DECRBY @x -9223372036854775808', 'GET @x',
            'DECRBY @x 9223372036854775807', 'INCRBY @c 01', 'INCRBY @c +1', 'INCRBY @c 1.0', 'INCRBY @c -0',
            'INCRBY @c 0', 'DECRBY @c 0', 'SET @f 1.5', 'INCR @f', 'SET @f 10', 'APPEND @f 0', 'INCR @f', 'GET @f',
            'SET @big 12345678901234567890', 'INCR @big', 'SET @lead 010', 'INCR @lead', 'INCRBYFLOAT @g 2', 'INCR @g',
            'INCRBYFLOAT @g 0.5', 'INCR @g',
          ]),
        );
        await c.expectSame([['SET', p('incr') + 'sp', ' 1'], ['INCR', p('incr') + 'sp'], ['INCR', p('incr') + '']]);
      });

      it('INCRBYFLOAT edge cases', async () => {
        await c.expectSame(
          cmds(p('float'), [
            'INCRBYFLOAT @h 0.1', 'INCRBYFLOAT @h 0.1', 'INCRBYFLOAT @h 0.1', 'INCRBYFLOAT @h -0.3', 'GET @h',
            'INCRBYFLOAT @g 1e20', 'INCRBYFLOAT @g 1', 'INCRBYFLOAT @i 3.0e3', 'INCRBYFLOAT @j -5.0e-3',
            'INCRBYFLOAT @l2 1e30', 'INCRBYFLOAT @l3 1e308', 'INCRBYFLOAT @l3 1e308', 'INCRBYFLOAT @l4 1e-4950',
            'INCRBYFLOAT @m inf', 'INCRBYFLOAT @m -inf', 'INCRBYFLOAT @m +Infinity', 'INCRBYFLOAT @m nan',
            'INCRBYFLOAT @m -nan', 'INCRBYFLOAT @m 0x1p3', 'INCRBYFLOAT @m 0X1.8P-1', 'INCRBYFLOAT @m 1e5000',
            'INCRBYFLOAT @m 1e-5000', 'INCRBYFLOAT @m 1e', 'INCRBYFLOAT @m .5', 'INCRBYFLOAT @m 5.', 'INCRBYFLOAT @m +1.5',
            'INCRBYFLOAT @m -0', 'INCRBYFLOAT @m 1.2.3', 'INCRBYFLOAT @m abc', 'INCRBYFLOAT @m3 3.814697265625e-6',
            'INCRBYFLOAT @m4 0.000000000000000015', 'INCRBYFLOAT @m5 -0.0000000000000000001',
            'INCRBYFLOAT @m6 1.00000762939453125', 'INCRBYFLOAT @m7 123456789012345678901234567890.123456789',
            'SET @s abc', 'INCRBYFLOAT @s 1', 'SET @s2 10', 'INCRBYFLOAT @s2 -10', 'INCRBYFLOAT @s2 -10',
            'SET @i64 9223372036854775807', 'INCRBYFLOAT @i64 1', 'SET @i64b -9223372036854775808',
            'INCRBYFLOAT @i64b -1', 'SET @fl 5.0e3', 'INCRBYFLOAT @fl 0', 'SET @inf inf', 'INCRBYFLOAT @inf 1',
            'GET @inf', 'SET @hex 0x10', 'INCRBYFLOAT @hex 1', 'APPEND @ap 1.5', 'APPEND @ap 0', 'INCRBYFLOAT @ap 1',
            'INCRBYFLOAT @max 1.18973149535723176505e4932', 'INCRBYFLOAT @max 1e4932', 'INCRBYFLOAT @max2 1.1897314953572317651e4932',
          ]),
        );
        await c.expectSame([
          ['INCRBYFLOAT', p('float') + 'sp', ' 1'],
          ['INCRBYFLOAT', p('float') + 'sp', '1 '],
          ['INCRBYFLOAT', p('float') + 'sp', ''],
          ['INCRBYFLOAT', p('float') + 'sp', '0.' + '1'.repeat(5117)],
          ['INCRBYFLOAT', p('float') + 'sp', '0.' + '1'.repeat(5118)],
        ]);
      });

      it('INCRBYFLOAT on seeded random operands', async () => {
        const rnd = prng(0x5eed + proto);
        const int = (n: number) => Math.floor(rnd() * n);
        const digits = (n: number) => Array.from({ length: n }, () => String(int(10))).join('');
        const operand = (): string => {
          const sign = ['', '', '-', '+'][int(4)]!;
          switch (int(7)) {
            case 0:
              return sign + String(int(1_000_000));
            case 1:
              return sign + digits(1 + int(6)) + '.' + digits(int(20));
            case 2:
              return sign + '0.' + digits(1 + int(25));
            case 3:
              return sign + digits(1 + int(3)) + 'e' + String(int(80) - 40);
            case 4:
              return sign + String(rnd() * 10 ** (int(40) - 20));
            case 5:
              return sign + (int(1 << 20) / 2 ** int(64)).toString();
            default:
              return sign + '0x' + int(1 << 30).toString(16) + 'p' + String(int(200) - 100);
          }
        };
        const keys = ['a', 'b', 'c', 'd'].map((k) => p('rand') + k);
        const steps: string[][] = [];
        for (let i = 0; i < 3000; i++) {
          const key = keys[int(keys.length)]!;
          steps.push(int(20) === 0 ? ['SET', key, operand()] : ['INCRBYFLOAT', key, operand()]);
        }
        for (let i = 0; i < steps.length; i += 500) await c.expectSame(steps.slice(i, i + 500));
      });

      it('LCS', async () => {
        await c.expectSame(
          cmds(p('lcs'), [
            'MSET @a ohmytext @b mynewtext', 'LCS @a @b', 'LCS @a @b LEN', 'LCS @a @b IDX', 'LCS @a @b idx minmatchlen 4',
            'LCS @a @b IDX MINMATCHLEN 4 WITHMATCHLEN', 'LCS @a @b IDX WITHMATCHLEN', 'LCS @a @b IDX LEN',
            'LCS @a @b LEN IDX', 'LCS @a @b MINMATCHLEN', 'LCS @a @b MINMATCHLEN x', 'LCS @a @b MINMATCHLEN -5 IDX',
            'LCS @a @b MINMATCHLEN 9223372036854775807 IDX', 'LCS @a @b FOO', 'LCS @a @nokey', 'LCS @a @nokey IDX',
            'LCS @x @y IDX WITHMATCHLEN', 'LCS @a @b WITHMATCHLEN', 'LCS @a @b LEN WITHMATCHLEN', 'SET @n 12345',
            'SET @m 2x4', 'LCS @n @m IDX', 'LCS @m @n IDX WITHMATCHLEN', 'LCS @a @a IDX', 'LCS @a @b IDX IDX LEN',
          ]),
        );
        const rnd = prng(0x1c5 + proto);
        const str = (n: number, alpha: string) =>
          Array.from({ length: n }, () => alpha[Math.floor(rnd() * alpha.length)]).join('');
        const steps: string[][] = [];
        for (let i = 0; i < 60; i++) {
          const alpha = ['ab', 'abc', 'acgt', 'abcdefghij'][i % 4]!;
          const a = str(Math.floor(rnd() * 40), alpha);
          const b = str(Math.floor(rnd() * 40), alpha);
          const ka = p('lcsr') + 'a';
          const kb = p('lcsr') + 'b';
          const mm = String(Math.floor(rnd() * 4));
          steps.push(['MSET', ka, a, kb, b], ['LCS', ka, kb], ['LCS', ka, kb, 'LEN'], ['LCS', ka, kb, 'IDX', 'WITHMATCHLEN'],
            ['LCS', kb, ka, 'IDX', 'MINMATCHLEN', mm]);
        }
        await c.expectSame(steps);
      });

      it('binary-safe keys and values: all 256 bytes, CR LF, NUL', async () => {
        const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
        const key = Buffer.concat([Buffer.from(p('bin')), all]);
        const tricky = Buffer.from('a\r\nb\0c\r\n$3\r\n*1\r\n', 'latin1');
        const k2 = Buffer.concat([Buffer.from(p('bin')), tricky]);
        const k3 = Buffer.from(p('bin') + 'k3');
        await expectSameRaw(c, [
          ['SET', key, all], ['GET', key], ['STRLEN', key], ['GETRANGE', key, '250', '-1'], ['APPEND', key, tricky],
          ['GET', key], ['SETRANGE', key, '1', Buffer.from([0, 255, 13, 10])], ['GETRANGE', key, '0', '5'],
          ['SET', k2, tricky], ['GET', k2], ['MGET', key, k2], ['GETSET', k2, all], ['GETDEL', k2], ['GET', k2],
          ['SET', k3, Buffer.from([0xff, 0xfe])], ['INCR', k3], ['INCRBYFLOAT', k3, '1'], ['LCS', key, k3],
          ['LCS', key, k3, 'IDX'], ['MSETNX', k2, Buffer.from('\0'), k3, 'x'], ['MSET', k2, Buffer.from('\0\0')],
          ['GET', k2], ['SET', k3, Buffer.from('12\0')], ['INCR', k3], ['INCRBYFLOAT', k3, '1'],
          ['INCRBY', k3, Buffer.from('1\0')], ['INCRBYFLOAT', k3, Buffer.from('1\0')],
        ]);
      });

      it('WRONGTYPE precedence against a list (needs RPUSH)', async () => {
        await c.expectSame(
          cmds(p('wt'), [
            'RPUSH @l x', 'GET @l', 'SET @l v GET', 'SET @l v GET EX 0', 'SET @l v NX', 'SET @l v NX GET', 'SET @l v XX GET',
            'GETSET @l v', 'GETDEL @l', 'GETEX @l', 'GETEX @l EX 0', 'GETEX @l FOO', 'STRLEN @l', 'APPEND @l x',
            'GETRANGE @l 0 1', 'GETRANGE @l a 1', 'SETRANGE @l 0 x', 'SETRANGE @l -1 x', 'INCR @l', 'INCRBY @l x',
            'DECRBY @l 1', 'INCRBYFLOAT @l x', 'INCRBYFLOAT @l 1', 'MGET @l @nokey', 'LCS @l @nokey', 'LCS @nokey @l FOO',
            'SETNX @l v', 'MSETNX @l v @other v', 'SETEX @l 10 v', 'GET @l', 'RPUSH @l2 x', 'MSET @l2 v', 'GET @l2',
          ]),
        );
      });

      it('OBJECT ENCODING after every kind of write (needs OBJECT)', async () => {
        const lines: string[] = [];
        const check = (setup: string[], key = '@k') => {
          const k = `@e${lines.length}`;
          for (const s of setup) lines.push(s.replaceAll('@k', k));
          lines.push(`OBJECT ENCODING ${key.replace('@k', k)}`);
        };
        check(['SET @k 123']);
        check(['SET @k 123', 'APPEND @k 4']);
        check(['SET @k 123', 'APPEND @k 4', 'GETSET @k 5']);
        check(['SET @k 01']);
        check(['SET @k -0']);
        check(['SET @k 9223372036854775807']);
        check(['SET @k -9223372036854775808']);
        check(['SET @k 9223372036854775808']);
        check(['SET @k ' + 'x'.repeat(44)]);
        check(['SET @k ' + 'x'.repeat(45)]);
        check(['MSET @k 123']);
        check(['MSETNX @k 1 @k 2']);
        check(['SETNX @k 42']);
        check(['SETEX @k 100 42']);
        check(['PSETEX @k 100000 abc']);
        check(['APPEND @k 55']);
        check(['APPEND @k xyzxyz']);
        check(['APPEND @k xyzxyz', 'APPEND @k ' + 'y'.repeat(50)]);
        check(['SETRANGE @k 0 12']);
        check(['SET @k 12', 'SETRANGE @k 0 3']);
        check(['INCRBYFLOAT @k 1']);
        check(['INCRBYFLOAT @k 1e50']);
        check(['SET @k 10', 'INCR @k']);
        check(['SET @k 10', 'APPEND @k 0', 'INCR @k']);
        check(['INCR @k']);
        check(['INCRBY @k 9223372036854775806']);
        check(['SET @k v', 'GETEX @k PERSIST']);
        check(['SET @k 5', 'SET @k v GET']);
        check(['SET @k 5', 'SET @k 6 KEEPTTL']);
        check(['SET @k 5 EX 100']);
        check(['SET @k 5', 'GETEX @k EX 100']);
        await c.expectSame(cmds(p('enc'), lines));
      });

      it('TTLs left by the expire options (needs TTL)', async () => {
        await c.expectSame(
          cmds(p('ttl'), [
            'SET @k v EX 100', 'TTL @k', 'SET @k v KEEPTTL', 'TTL @k', 'SET @k v', 'TTL @k', 'SET @k v PX 100000',
            'TTL @k', 'SETEX @k 50 v', 'TTL @k', 'GETSET @k w', 'TTL @k', 'GETEX @k EX 70', 'TTL @k', 'GETEX @k PERSIST',
            'TTL @k', 'SET @k v EXAT 99999999999', 'TTL @k', 'SET @k v EX 100', 'APPEND @k x', 'INCRBYFLOAT @n 1',
            'TTL @k', 'SET @n 1 EX 100', 'INCR @n', 'TTL @n', 'INCRBYFLOAT @n 1.5', 'TTL @n', 'SETRANGE @n 0 9',
            'TTL @n', 'MSET @n 1', 'TTL @n',
          ]),
        );
      });

      it('keyspace notifications (needs CONFIG SET notify-keyspace-events)', async () => {
        const sub = await pair.connect(proto);
        await c.both('CONFIG', 'SET', 'notify-keyspace-events', 'KEA');
        await sub.expectSame([['PSUBSCRIBE', `__keyspace@*__:${p('ev')}*`], ['PSUBSCRIBE', '__keyevent@*__:*']]);
        const steps = cmds(p('ev'), [
          'SET @a 1', 'SET @a 2 EX 100', 'SET @a 3 KEEPTTL', 'SET @a 3 NX', 'SETNX @a x', 'SETNX @b x', 'SETEX @c 10 x',
          'GETSET @c y', 'GETDEL @c', 'GETDEL @c', 'GETEX @a PX 1000', 'GETEX @a PERSIST', 'GETEX @a PERSIST',
          'GETEX @a EXAT 1', 'MSET @d 1 @e 2', 'MSETNX @f 1 @g 2', 'MSETNX @f 1 @h 2', 'APPEND @f x',
          'SETRANGE @f 1 yy', 'SETRANGE @f 1 ', 'INCR @g', 'DECRBY @g 5', 'INCRBYFLOAT @g 1.5', 'INCR @nokey',
          'SET @pa v PXAT 1', 'GET @pa', 'GET @f', 'SET @z v', 'PING',
        ]);
        await c.expectSame(steps);
        // Every event both servers published, in order, ends with the one for @z.
        const collect = async (read: () => Promise<Buffer>) => {
          const out: string[] = [];
          while (out.length < 500) {
            const b = (await read()).latin1Slice();
            out.push(b);
            if (b.includes(`${p('ev')}z`) && b.includes('__keyevent@0__:set')) break;
          }
          return out;
        };
        const [r, n] = await Promise.all([collect(() => sub.redis.read()), collect(() => sub.node.read())]);
        expect(n).toEqual(r);
        await c.both('CONFIG', 'SET', 'notify-keyspace-events', '');
        sub.close();
      });
    });
  }
});
