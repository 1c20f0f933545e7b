/**
 * Generic keyspace commands (commands/keyspace.ts) against a real redis-server 7.0.15: the same
 * command streams go to both servers, replies must be byte-for-byte identical in RESP2 and RESP3.
 *
 * Covers DEL UNLINK EXISTS TYPE TOUCH RENAME RENAMENX MOVE COPY SWAPDB FLUSHDB FLUSHALL DBSIZE
 * RANDOMKEY KEYS SCAN OBJECT, the EXPIRE family with every flag and overflow, TTL PTTL EXPIRETIME
 * PEXPIRETIME PERSIST. Timing-dependent replies use whole seconds or absolute times so both
 * servers' clocks agree. Orderless replies (KEYS, multi-key SCAN pages) are compared as sets.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { DiffPair, type ClientPair, type Step } from '../support/diff.js';

/** Splits "SET k v" into argv, prefixing the words marked with '@' ("SET @k v"). */
function cmds(prefix: string, lines: string[]): string[][] {
  return lines.map((l) => l.split(' ').map((w) => (w.startsWith('@') ? prefix + w.slice(1) : w)));
}

describe('keyspace commands: differential against redis-server 7.0.15', () => {
  let pair: DiffPair;
  beforeAll(async () => {
    pair = await DiffPair.start();
  });
  afterAll(async () => pair?.stop());

  for (const proto of [2, 3] as const) {
    describe(`RESP${proto}`, () => {
      let c: ClientPair;
      const p = (t: string) => `ks${proto}:${t}:`;
      beforeAll(async () => {
        c = await pair.connect(proto);
      });
      afterAll(() => c?.close());

      it('DEL UNLINK EXISTS TYPE TOUCH', async () => {
        await c.expectSame(
          cmds(p('del'), [
            'SET @a 1', 'SET @b hello', 'RPUSH @l x', 'EXISTS @a @a @nokey', 'TOUCH @a @b @nokey',
            'TYPE @a', 'TYPE @l', 'TYPE @nokey', 'DEL @a @a @b', 'UNLINK @l @nokey', 'EXISTS @a @b @l',
          ]),
        );
      });

      it('RENAME RENAMENX MOVE COPY', async () => {
        await c.expectSame(
          cmds(p('ren'), [
            'SET @a 1', 'SET @b hello', 'RENAME @nokey @x', 'RENAMENX @nokey @a', 'RENAME @a @a', 'RENAMENX @a @a',
            'RENAMENX @b @a', 'EXPIRE @a 100', 'RENAME @a @c', 'TTL @c', 'GET @c', 'EXISTS @a', 'RENAMENX @c @d',
            'SET @m v', 'MOVE @m 0', 'MOVE @m abc', 'MOVE @m 16', 'MOVE @m -1', 'MOVE @m 99999999999',
            'MOVE @nokey 1', 'EXPIRE @m 50', 'MOVE @m 1', 'EXISTS @m', 'SET @m again', 'MOVE @m 1',
            'SELECT 1', 'GET @m', 'TTL @m', 'DEL @m', 'SELECT 0',
            'COPY @b @b', 'COPY @b @b DB 0', 'COPY @b @x DB abc', 'COPY @b @x DB 16', 'COPY @b @x foo',
            'COPY @b @x DB', 'COPY @nokey @x', 'COPY @b @b DB 1', 'COPY @b @e replace replace', 'SET @b changed',
            'COPY @b @e', 'GET @e', 'COPY @b @e REPLACE', 'GET @e', 'RPUSH @l a b c', 'COPY @l @l2',
            'LRANGE @l2 0 -1', 'OBJECT ENCODING @l2', 'SELECT 1', 'DEL @b', 'SELECT 0',
          ]),
        );
      });

      it('OBJECT', async () => {
        await c.expectSame(
          cmds(p('obj'), [
            'SET @a 100', 'SET @b hello', 'SET @c 12345678901234', 'SET @d 99999', 'SET @r xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
            'OBJECT REFCOUNT @a', 'OBJECT REFCOUNT @b', 'OBJECT REFCOUNT @c', 'OBJECT REFCOUNT @d', 'OBJECT REFCOUNT @nokey',
            'OBJECT ENCODING @a', 'OBJECT ENCODING @b', 'OBJECT ENCODING @c', 'OBJECT ENCODING @r', 'OBJECT ENCODING @nokey',
            'OBJECT IDLETIME @nokey', 'OBJECT FREQ @b', 'OBJECT HELP', 'object help', 'OBJECT foo', 'OBJECT encoding',
            'OBJECT encoding @a @b', 'OBJECT help x', 'OBJECT',
          ]),
        );
      });

      it('EXPIRE family errors, flags and overflows; TTL family; PERSIST', async () => {
        await c.expectSame(
          cmds(p('exp'), [
            'SET @f bar', 'EXPIRE @f 9223372036854775', 'EXPIRE @f 9223372036854776', 'PEXPIRE @f 9223372036854770000',
            'EXPIRE @f -9223372036854776', 'EXPIREAT @f abc', 'EXPIRE @f 10 nx xx', 'EXPIRE @f 10 gt lt',
            'EXPIRE @f 10 foo', 'EXPIRE @f 10 nx gt', 'EXPIRE @f 10 xx gt lt', 'EXPIRE @f -0', 'EXPIRE @f +1',
            'EXPIRE @f 007', 'EXPIRE @f 1.5', 'TTL @f', 'EXPIRE @f 100 xx', 'EXPIRE @f 100 gt', 'EXPIRE @f 100 lt',
            'EXPIRE @f 100 nx', 'EXPIRE @f 200 gt', 'EXPIRE @f 300 lt', 'EXPIRE @f 100 xx lt', 'TTL @f',
            'EXPIRE @nokey 100', 'PEXPIREAT @f 9223372036854770000', 'PEXPIRETIME @f', 'EXPIRETIME @f',
            'PEXPIREAT @f 4102444800123', 'PEXPIRETIME @f', 'EXPIRETIME @f', 'EXPIREAT @f 4102444800', 'PEXPIRETIME @f',
            'PEXPIREAT @f -9223372036854770000', 'TTL @f', 'PTTL @f', 'EXPIRETIME @f', 'PEXPIRETIME @f',
            'SET @f bar', 'EXPIRE @f -9999999999999', 'EXISTS @f', 'SET @f bar', 'EXPIREAT @f 1', 'EXISTS @f',
            'SET @g v', 'PERSIST @g', 'EXPIRE @g 100', 'PERSIST @g', 'PERSIST @g', 'PERSIST @nokey', 'TTL @g',
            'PTTL @g', 'EXPIRETIME @g', 'TTL @nokey', 'PTTL @nokey', 'EXPIRETIME @nokey', 'PEXPIRETIME @nokey',
          ]),
        );
      });

      it('SCAN arguments and cursors', async () => {
        await c.both('SELECT', '5');
        await c.both('FLUSHDB');
        await c.expectSame([
          // (Which bucket a key sits in depends on each server's random hash seed: no large cursors here.)
          ['SET', 'a', '1'], ['SCAN', '0'], ['SCAN', ''], ['SCAN', '+0'], ['SCAN', ' 0'],
          ['SCAN', '18446744073709551616'], ['SCAN', 'abc'], ['SCAN', '-'],
          ['SCAN', '0', 'count', '0'], ['SCAN', '0', 'count', '-1'], ['SCAN', '0', 'count', 'abc'], ['SCAN', '0', 'count'],
          ['SCAN', '0', 'match'], ['SCAN', '0', 'type'], ['SCAN', '0', 'type', 'foo'], ['SCAN', '0', 'TYPE', 'STRING'],
          ['SCAN', '0', 'foo', 'bar'], ['SCAN', '0', 'count', '9223372036854775808'], ['SCAN', '0', 'MATCH', 'a', 'COUNT', '1000'],
          ['SCAN', '0', 'MATCH', 'b*'], ['RPUSH', 'l', 'x'],
          ['SCAN', '0', 'TYPE', 'list', 'COUNT', '100'], ['SCAN', '0', 'TYPE', 'none'],
          ['SCAN', '0', 'TYPE', 'string', 'MATCH', '[a-c]', 'COUNT', '100'],
        ]);
        await c.both('FLUSHDB');
        await c.both('SELECT', '0');
      });

      it('KEYS DBSIZE RANDOMKEY FLUSHDB FLUSHALL SWAPDB', async () => {
        await c.both('SELECT', '6');
        await c.both('FLUSHDB');
        const steps: Step[] = [
          ['DBSIZE'], ['RANDOMKEY'], ['SET', 'hello', '1'], ['SET', 'hallo', '1'], ['SET', 'hxllo', '1'],
          ['SET', 'hllo', '1'], ['SET', 'x[y', '1'], ['DBSIZE'],
          { cmd: ['KEYS', 'h?llo'], unordered: 'elements' }, { cmd: ['KEYS', 'h*llo'], unordered: 'elements' },
          { cmd: ['KEYS', 'h[ae]llo'], unordered: 'elements' }, { cmd: ['KEYS', 'h[^e]llo'], unordered: 'elements' },
          { cmd: ['KEYS', '*'], unordered: 'elements' }, ['KEYS', 'x\\[y'], ['KEYS', 'nomatch*'],
          ['FLUSHDB', 'foo'], ['FLUSHALL', 'sync', 'x'],
          ['SWAPDB', '6', 'x'], ['SWAPDB', 'x', '6'], ['SWAPDB', '6', '99999999999'], ['SWAPDB', '6', '16'],
          ['SWAPDB', '6', '6'], ['SWAPDB', '6', '7'], ['DBSIZE'], ['SELECT', '7'], ['DBSIZE'], ['GET', 'hllo'],
          ['FLUSHDB', 'ASYNC'], ['DBSIZE'], ['SELECT', '6'], ['SET', 'only', 'v'], ['RANDOMKEY'], ['FLUSHDB', 'sync'],
          ['DBSIZE'],
        ];
        await c.expectSame(steps);
        await c.both('SELECT', '0');
      });
    });
  }
});
