/**
 * Hash commands in-process, once per encoding (Redis's `foreach` style: default thresholds keep
 * small hashes as listpacks; hash-max-listpack-entries 0 makes every hash a hashtable), plus the
 * conversion boundaries (512/513 entries by default, 128/129 after CONFIG SET, 64/65-byte fields
 * and values, HINCRBY* results).
 * Expected replies were transcribed from redis-server 7.0.15; tests/diff/hash.diff.test.ts
 * replays streams against a real one.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Reply } from '@swarmkv/resp';
import { createTestNode, formatReply as fmt, type TestNode } from '../testing.js';


let node: TestNode;
afterEach(() => node?.close());

function run(cmd: string | string[]): string {
  const argv = typeof cmd === 'string' ? cmd.split(' ') : cmd;
  return fmt(node.exec(...argv));
}

function expectAll(pairs: [string | string[], string][]): void {
  for (const [cmd, want] of pairs) expect(run(cmd), JSON.stringify(cmd)).toBe(want);
}

/** Elements of an array reply, sorted (hashtable order is not Redis's). */
function sorted(r: Reply): string[] {
  if (r.t !== 'arr' && r.t !== 'map') throw new Error('not an aggregate: ' + fmt(r));
  return r.v.map(fmt).sort();
}

/** Pairs of a flat reply, sorted. */
function sortedPairs(r: Reply): string[] {
  if (r.t !== 'arr' && r.t !== 'map') throw new Error('not an aggregate: ' + fmt(r));
  const out: string[] = [];
  for (let i = 0; i < r.v.length; i += 2) out.push(fmt(r.v[i]!) + '=' + fmt(r.v[i + 1]!));
  return out.sort();
}

for (const encoding of ['listpack', 'hashtable'] as const) {
  describe(`hash commands (${encoding})`, () => {
    const start = () =>
      (node = createTestNode(encoding === 'hashtable' ? { hashMaxListpackEntries: 0 } : {}));

    it('sets, gets and deletes', () => {
      start();
      expectAll([
        ['HSET h a 1 b 2', ':2'],
        ['OBJECT ENCODING h', '$' + encoding],
        ['HSET h a 10 c 3', ':1'],
        ['HMSET h d 4', '+OK'],
        ['HSET h a', "-ERR wrong number of arguments for 'hset' command"],
        ['HMSET h a', "-ERR wrong number of arguments for 'hmset' command"],
        ['HSETNX h a x', ':0'],
        ['HSETNX h e 5', ':1'],
        ['HGET h a', '$10'],
        ['HGET h zz', 'nil'],
        ['HGET nokey a', 'nil'],
        ['HMGET h a zz e', '[$10,nil,$5]'],
        ['HMGET nokey a b', '[nil,nil]'],
        ['HLEN h', ':5'],
        ['HLEN nokey', ':0'],
        ['HEXISTS h a', ':1'],
        ['HEXISTS h zz', ':0'],
        ['HEXISTS nokey a', ':0'],
        ['HSTRLEN h a', ':2'],
        ['HSTRLEN h zz', ':0'],
        ['HSTRLEN nokey a', ':0'],
        ['HDEL h a zz', ':1'],
        ['HDEL nokey a', ':0'],
        ['HDEL h b c d e', ':4'],
        ['EXISTS h', ':0'],
        ['SET s v', '+OK'],
        ['HSET s a 1', '-WRONGTYPE Operation against a key holding the wrong kind of value'],
        ['HGET s a', '-WRONGTYPE Operation against a key holding the wrong kind of value'],
        ['HGETALL s', '-WRONGTYPE Operation against a key holding the wrong kind of value'],
        ['HMGET s a', '-WRONGTYPE Operation against a key holding the wrong kind of value'],
        ['HGETALL nokey', '{}'],
        ['HKEYS nokey', '[]'],
        ['HVALS nokey', '[]'],
      ]);
    });

    it('lists fields and values', () => {
      start();
      run('HSET h a 1 b 2 c -3 d 9223372036854775807 e 01');
      expect(sortedPairs(node.exec('HGETALL', 'h'))).toEqual(['$a=$1', '$b=$2', '$c=$-3', '$d=$9223372036854775807', '$e=$01']);
      expect(sorted(node.exec('HKEYS', 'h'))).toEqual(['$a', '$b', '$c', '$d', '$e']);
      expect(sorted(node.exec('HVALS', 'h'))).toEqual(['$-3', '$01', '$1', '$2', '$9223372036854775807']);
      if (encoding === 'listpack') {
        expectAll([
          ['HGETALL h', '{$a,$1,$b,$2,$c,$-3,$d,$9223372036854775807,$e,$01}'],
          ['HSCAN h 0', '[$0,[$a,$1,$b,$2,$c,$-3,$d,$9223372036854775807,$e,$01]]'],
          ['HSCAN h 123 MATCH [ab] COUNT 1', '[$0,[$a,$1,$b,$2]]'],
        ]);
      }
      expectAll([
        ['HSCAN nokey x', '-ERR invalid cursor'],
        ['HSCAN h x', '-ERR invalid cursor'],
        ['HSCAN nokey 0 COUNT 0', '[$0,[]]'],
        ['HSCAN h 0 COUNT 0', '-ERR syntax error'],
        ['HSCAN h 0 COUNT x', '-ERR value is not an integer or out of range'],
        ['HSCAN h 0 TYPE string', '-ERR syntax error'],
        ['HSCAN h 0 MATCH', '-ERR syntax error'],
      ]);
    });

    it('HSCAN visits every field of a big hash', () => {
      start();
      const args = ['HSET', 'big'];
      for (let i = 0; i < 600; i++) args.push('f' + i, 'v' + i);
      run(args);
      const seen = new Set<string>();
      let cursor = '0';
      let calls = 0;
      do {
        const r = node.exec('HSCAN', 'big', cursor, 'COUNT', '20');
        if (r.t !== 'arr') throw new Error(fmt(r));
        cursor = (r.v[0] as { v: string }).v;
        const items = (r.v[1] as { v: { v: string }[] }).v;
        for (let i = 0; i < items.length; i += 2) {
          expect(items[i + 1]!.v).toBe('v' + items[i]!.v.slice(1));
          seen.add(items[i]!.v);
        }
        calls++;
      } while (cursor !== '0');
      expect(seen.size).toBe(600);
      expect(calls).toBeGreaterThan(5);
    });

    it('HINCRBY and HINCRBYFLOAT', () => {
      start();
      expectAll([
        ['HSET h a 1 s abc', ':2'],
        ['HINCRBY h a x', '-ERR value is not an integer or out of range'],
        ['HINCRBY h a 10', ':11'],
        ['HINCRBY h n -5', ':-5'],
        ['HINCRBY h c 9223372036854775807', ':9223372036854775807'],
        ['HINCRBY h c 1', '-ERR increment or decrement would overflow'],
        ['HINCRBY h c -9223372036854775807', ':0'],
        ['HINCRBY h s 1', '-ERR hash value is not an integer'],
        ['HINCRBYFLOAT h s 1', '-ERR hash value is not a float'],
        ['HINCRBYFLOAT h a inf', '-ERR value is NaN or Infinity'],
        ['HINCRBYFLOAT h a x', '-ERR value is not a valid float'],
        ['HINCRBYFLOAT h a 1.5', '$12.5'],
        ['HINCRBYFLOAT h y 0.1', '$0.1'],
        ['HINCRBYFLOAT h y 0.2', '$0.3'],
        ['HINCRBYFLOAT h y -0.3', '$0'],
        ['HINCRBYFLOAT h z 1e17', '$100000000000000000'],
        ['HGET h z', '$100000000000000000'],
        ['HINCRBY h z 1', ':100000000000000001'],
        ['SET str x', '+OK'],
        ['HINCRBY str a 1', '-WRONGTYPE Operation against a key holding the wrong kind of value'],
      ]);
    });

    it('HRANDFIELD', () => {
      start();
      run('HSET one f v');
      run('HSET h a 1 b 2 c 3');
      expectAll([
        ['HRANDFIELD nokey', 'nil'],
        ['HRANDFIELD one', '$f'],
        ['HRANDFIELD one -3', '[$f,$f,$f]'],
        ['HRANDFIELD one -2 WITHVALUES', '[$f,$v,$f,$v]'],
        ['HRANDFIELD one 5 WITHVALUES', '[$f,$v]'],
        ['HRANDFIELD h 0', '[]'],
        ['HRANDFIELD nokey -5 WITHVALUES', '[]'],
        ['HRANDFIELD h x', '-ERR value is not an integer or out of range'],
        [
          'HRANDFIELD h -9223372036854775808',
          '-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807',
        ],
        ['HRANDFIELD h -4611686018427387904 WITHVALUES', '-ERR value is out of range'],
        ['HRANDFIELD h -4611686018427387903 WITHVALUES x', '-ERR syntax error'],
        ['HRANDFIELD h 1 withvalue', '-ERR syntax error'],
        ['HRANDFIELD nokey 0 x', '-ERR syntax error'],
      ]);
      expect(sortedPairs(node.exec('HRANDFIELD', 'h', '3', 'WITHVALUES'))).toEqual(['$a=$1', '$b=$2', '$c=$3']);
      for (let i = 0; i < 20; i++) {
        const two = node.exec('HRANDFIELD', 'h', '2');
        const fields = sorted(two);
        expect(fields.length).toBe(2);
        expect(new Set(fields).size).toBe(2);
        for (const f of fields) expect(['$a', '$b', '$c']).toContain(f);
        const many = node.exec('HRANDFIELD', 'h', '-10', 'WITHVALUES');
        const pairs = sortedPairs(many);
        expect(pairs.length).toBe(10);
        for (const p of pairs) expect(['$a=$1', '$b=$2', '$c=$3']).toContain(p);
      }
      node.exec('HELLO', '3');
      expect(fmt(node.exec('HRANDFIELD', 'one', '-2', 'WITHVALUES'))).toBe('[[$f,$v],[$f,$v]]');
      expect(fmt(node.exec('HGETALL', 'one'))).toBe('{$f,$v}');
    });

    it('fires keyspace events as Redis', () => {
      start();
      run('CONFIG SET notify-keyspace-events KEA');
      const sub = node.client();
      sub.exec('PSUBSCRIBE', '__keyevent@0__:*');
      sub.output();
      run('HSET h a 1');
      run('HSETNX h a 2');
      run('HSETNX h b 2');
      run('HMSET h c 3');
      run('HINCRBY h a 1');
      run('HINCRBYFLOAT h a 1.5');
      run('HDEL h zz');
      run('HDEL h a b');
      run('HDEL h c');
      const events = [...sub.output().matchAll(/__keyevent@0__:(\w+)\r\n\$\d+\r\n(\w+)/g)].map((m) => `${m[1]}:${m[2]}`);
      expect(events).toEqual([
        'hset:h', 'hset:h', 'hset:h', 'hincrby:h', 'hincrbyfloat:h', 'hdel:h', 'hdel:h', 'del:h',
      ]);
    });
  });
}

describe('hash encoding conversions', () => {
  it('converts past the default hash-max-listpack-entries (512 stays, 513 converts)', () => {
    node = createTestNode();
    const args = ['HSET', 'h'];
    for (let i = 0; i < 512; i++) args.push('f' + i, String(i));
    run(args);
    expectAll([
      ['OBJECT ENCODING h', '$listpack'],
      ['HSET h f512 v', ':1'],
      ['OBJECT ENCODING h', '$hashtable'],
      ['HGET h f511', '$511'],
    ]);
  });

  it('converts past hash-max-listpack-entries 128 (128 stays, 129 converts) and never back', () => {
    node = createTestNode();
    run('CONFIG SET hash-max-listpack-entries 128');
    const args = ['HSET', 'h'];
    for (let i = 0; i < 127; i++) args.push('f' + i, 'v');
    run(args);
    expectAll([
      ['HLEN h', ':127'],
      ['OBJECT ENCODING h', '$listpack'],
      ['HSET h f127 v', ':1'],
      ['OBJECT ENCODING h', '$listpack'],
      ['HSET h f0 again', ':0'],
      ['OBJECT ENCODING h', '$listpack'],
      ['HSET h f128 v', ':1'],
      ['OBJECT ENCODING h', '$hashtable'],
      ['HDEL h f128 f127 f126', ':3'],
      ['OBJECT ENCODING h', '$hashtable'],
      ['HGET h f0', '$again'],
      ['HLEN h', ':126'],
    ]);
  });

  it('converts on a field or value longer than hash-max-listpack-value (64 stays, 65 converts)', () => {
    node = createTestNode();
    const v64 = 'x'.repeat(64);
    const v65 = 'x'.repeat(65);
    expectAll([
      [['HSET', 'a', 'f', v64], ':1'],
      ['OBJECT ENCODING a', '$listpack'],
      [['HSET', 'a', v64, '1'], ':1'],
      ['OBJECT ENCODING a', '$listpack'],
      [['HSET', 'a', 'g', v65], ':1'],
      ['OBJECT ENCODING a', '$hashtable'],
      [['HSET', 'b', v65, '1'], ':1'],
      ['OBJECT ENCODING b', '$hashtable'],
      // HSETNX on an existing field writes nothing and converts nothing.
      ['HSET c f 1', ':1'],
      [['HSETNX', 'c', 'f', v65], ':0'],
      ['OBJECT ENCODING c', '$listpack'],
      // HINCRBY* convert through the field they write ...
      [['HINCRBY', 'c', v65, '1'], ':1'],
      ['OBJECT ENCODING c', '$hashtable'],
      // ... and HINCRBYFLOAT through a long result.
      ['HSET d f 1', ':1'],
      ['HINCRBYFLOAT d f 1e70', '$10000000000000000000222479489586148259025995410601157579323600873193472'],
      ['OBJECT ENCODING d', '$hashtable'],
    ]);
  });

  it('follows CONFIG SET of the thresholds for new writes', () => {
    node = createTestNode();
    expectAll([
      ['CONFIG SET hash-max-listpack-entries 2', '+OK'],
      ['HSET h a 1 b 2', ':2'],
      ['OBJECT ENCODING h', '$listpack'],
      ['HSET h c 3', ':1'],
      ['OBJECT ENCODING h', '$hashtable'],
      ['CONFIG SET hash-max-listpack-value 3', '+OK'],
      ['HSET k abcd 1', ':1'],
      ['OBJECT ENCODING k', '$hashtable'],
      ['HSET j abc 1', ':1'],
      ['OBJECT ENCODING j', '$listpack'],
    ]);
  });

  it('COPY gives an independent hash', () => {
    node = createTestNode();
    run('HSET h a 1');
    expectAll([
      ['COPY h h2', ':1'],
      ['HSET h2 a 2', ':0'],
      ['HGET h a', '$1'],
      ['HGET h2 a', '$2'],
    ]);
  });
});
