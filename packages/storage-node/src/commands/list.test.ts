/**
 * List commands in-process, run once with the default node size and once with
 * `list-max-listpack-size 2` so every command also crosses quicklist node boundaries (Redis's
 * `foreach` over encodings; 7.0 has one list encoding, so it is node layouts that vary).
 * Expected replies were transcribed from redis-server 7.0.15; tests/diff/list.diff.test.ts
 * replays streams against a real one.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createTestNode, formatReply as fmt, isBlocked, type TestNode } from '../testing.js';


let node: TestNode;
afterEach(() => node?.close());

function run(cmd: string | string[]): string {
  const argv = typeof cmd === 'string' ? cmd.split(' ') : cmd;
  return fmt(node.exec(...argv));
}

function expectAll(pairs: [string | string[], string][]): void {
  for (const [cmd, want] of pairs) expect(run(cmd), JSON.stringify(cmd)).toBe(want);
}

for (const [label, size] of [
  ['default nodes', -2],
  ['2-entry nodes', 2],
] as const) {
  describe(`list commands (${label})`, () => {
    const start = () => (node = createTestNode({ listMaxListpackSize: size }));

    it('pushes, pops and reads', () => {
      start();
      expectAll([
        ['RPUSH l a b c', ':3'],
        ['LPUSH l x y', ':5'],
        ['LRANGE l 0 -1', '[$y,$x,$a,$b,$c]'],
        ['LLEN l', ':5'],
        ['LINDEX l 0', '$y'],
        ['LINDEX l -1', '$c'],
        ['LINDEX l 5', 'nil'],
        ['LINDEX l x', '-ERR value is not an integer or out of range'],
        ['LINDEX nokey x', 'nil'],
        ['LPOP l', '$y'],
        ['RPOP l', '$c'],
        ['LPOP l 2', '[$x,$a]'],
        ['RPOP l 0', '[]'],
        ['RPOP l 5', '[$b]'],
        ['EXISTS l', ':0'],
        ['LPOP l', 'nil'],
        ['LPOP l 0', 'nilarr'],
        ['LPOP l -1', '-ERR value is out of range, must be positive'],
        ['LPOP l 1 2', "-ERR wrong number of arguments for 'lpop' command"],
        ['RPUSH l 1 2 3 -4 100000 9223372036854775807 0x1', ':7'],
        ['RPOP l 3', '[$0x1,$9223372036854775807,$100000]'],
        ['LRANGE l 0 -1', '[$1,$2,$3,$-4]'],
        ['LPUSHX nokey a', ':0'],
        ['RPUSHX l z', ':5'],
        ['LLEN nokey', ':0'],
        ['SET s v', '+OK'],
        ['LPUSH s a', '-WRONGTYPE Operation against a key holding the wrong kind of value'],
        ['LPUSHX s a', '-WRONGTYPE Operation against a key holding the wrong kind of value'],
        ['LLEN s', '-WRONGTYPE Operation against a key holding the wrong kind of value'],
        ['LPOP s 0', '-WRONGTYPE Operation against a key holding the wrong kind of value'],
        ['TYPE l', '+list'],
        ['OBJECT ENCODING l', '$quicklist'],
      ]);
    });

    it('COPY gives an independent list', () => {
      start();
      run('RPUSH l a b 1');
      expectAll([
        ['COPY l l2', ':1'],
        ['RPUSH l2 c', ':4'],
        ['LSET l 0 z', '+OK'],
        ['LRANGE l 0 -1', '[$z,$b,$1]'],
        ['LRANGE l2 0 -1', '[$a,$b,$1,$c]'],
      ]);
    });

    it('LRANGE clamps like Redis', () => {
      start();
      run('RPUSH l 0 1 2 3 4 5 6 7 8 9');
      expectAll([
        ['LRANGE l -3 -1', '[$7,$8,$9]'],
        ['LRANGE l -100 1', '[$0,$1]'],
        ['LRANGE l 8 100', '[$8,$9]'],
        ['LRANGE l 5 4', '[]'],
        ['LRANGE l 10 20', '[]'],
        ['LRANGE l 0 -11', '[]'],
        ['LRANGE l 0 9223372036854775807', '[$0,$1,$2,$3,$4,$5,$6,$7,$8,$9]'],
        ['LRANGE nokey x 1', '-ERR value is not an integer or out of range'],
        ['LRANGE nokey 0 1', '[]'],
      ]);
    });

    it('LSET, LINSERT, LREM, LTRIM', () => {
      start();
      run('RPUSH l a b c a b c a');
      expectAll([
        ['LSET nokey 0 x', '-ERR no such key'],
        ['LSET l x v', '-ERR value is not an integer or out of range'],
        ['LSET l 7 v', '-ERR index out of range'],
        ['LSET l -1 z', '+OK'],
        ['LSET l 1 ' + 'q'.repeat(100), '+OK'],
        ['LINDEX l 1', '$' + 'q'.repeat(100)],
        ['LINSERT l middle a b', '-ERR syntax error'],
        ['LINSERT nokey before a b', ':0'],
        ['LINSERT l before nopivot x', ':-1'],
        ['LINSERT l BEFORE c C1', ':8'],
        ['LINSERT l after z Z', ':9'],
        ['LRANGE l 0 -1', '[$a,$' + 'q'.repeat(100) + ',$C1,$c,$a,$b,$c,$z,$Z]'],
        ['LREM l x a', '-ERR value is not an integer or out of range'],
        ['LREM l 1 a', ':1'],
        ['LREM l -1 c', ':1'],
        ['LRANGE l 0 -1', '[$' + 'q'.repeat(100) + ',$C1,$c,$a,$b,$z,$Z]'],
        ['LREM l 0 nothing', ':0'],
        ['LTRIM l x 1', '-ERR value is not an integer or out of range'],
        ['LTRIM l 1 -2', '+OK'],
        ['LRANGE l 0 -1', '[$C1,$c,$a,$b,$z]'],
        ['LTRIM l -2 100', '+OK'],
        ['LRANGE l 0 -1', '[$b,$z]'],
        ['LTRIM nokey 0 1', '+OK'],
        ['LTRIM l 5 1', '+OK'],
        ['EXISTS l', ':0'],
        ['RPUSH l x x x', ':3'],
        ['LREM l 0 x', ':3'],
        ['EXISTS l', ':0'],
      ]);
    });

    it('LREM and LINSERT compare integers and strings as Redis (canonical ints only)', () => {
      start();
      run('RPUSH l 1 01 1 -0 0 1');
      expectAll([
        ['LREM l 0 1', ':3'],
        ['LRANGE l 0 -1', '[$01,$-0,$0]'],
        ['LINSERT l AFTER 0 00', ':4'],
        ['LPOS l 00', ':3'],
        ['LPOS l -0', ':1'],
      ]);
    });

    it('LPOS', () => {
      start();
      run('RPUSH l a b a c a');
      expectAll([
        ['LPOS l a', ':0'],
        ['LPOS l a RANK 2', ':2'],
        ['LPOS l a RANK -1', ':4'],
        ['LPOS l a RANK 5 COUNT 0', '[]'],
        ['LPOS l a RANK -2 COUNT 2', '[:2,:0]'],
        ['LPOS l a RANK 2 MAXLEN 2', 'nil'],
        ['LPOS l a RANK 2 MAXLEN 3 COUNT 0', '[:2]'],
        ['LPOS l a COUNT 0', '[:0,:2,:4]'],
        ['LPOS l z COUNT 0', '[]'],
        ['LPOS l a rank 1 rank 2', ':2'],
        ['LPOS l a COUNT 1 MAXLEN', '-ERR syntax error'],
        ['LPOS l a RANK x', '-ERR value is not an integer or out of range'],
        [
          'LPOS l a RANK 0',
          "-ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list",
        ],
        ['LPOS l a COUNT -1', "-ERR COUNT can't be negative"],
        ['LPOS l a MAXLEN -1', "-ERR MAXLEN can't be negative"],
        ['LPOS l a RANK -9223372036854775808', ':4'],
        ['LPOS nokey a', 'nil'],
        ['LPOS nokey a COUNT 0', '[]'],
      ]);
    });

    it('LMOVE, RPOPLPUSH, LMPOP', () => {
      start();
      run('RPUSH src a b c');
      expectAll([
        ['LMOVE src dst up left', '-ERR syntax error'],
        ['LMOVE src dst LEFT RIGHT', '$a'],
        ['LMOVE src dst right left', '$c'],
        ['LRANGE dst 0 -1', '[$c,$a]'],
        ['RPOPLPUSH src src', '$b'],
        ['LRANGE src 0 -1', '[$b]'],
        ['RPOPLPUSH src dst', '$b'],
        ['EXISTS src', ':0'],
        ['RPOPLPUSH src dst', 'nil'],
        ['SET s v', '+OK'],
        ['RPOPLPUSH dst s', '-WRONGTYPE Operation against a key holding the wrong kind of value'],
        ['LRANGE dst 0 -1', '[$b,$c,$a]'],
        ['LMPOP 0 dst left', '-ERR numkeys should be greater than 0'],
        ['LMPOP x dst left', '-ERR numkeys should be greater than 0'],
        ['LMPOP 2 dst left', '-ERR syntax error'],
        ['LMPOP 1 dst up', '-ERR syntax error'],
        ['LMPOP 1 dst left count 0', '-ERR count should be greater than 0'],
        ['LMPOP 1 dst left count 1 count 2', '-ERR syntax error'],
        ['LMPOP 9223372036854775807 dst left', '-ERR syntax error'],
        ['LMPOP 2 nokey s left', '-WRONGTYPE Operation against a key holding the wrong kind of value'],
        ['LMPOP 2 nokey dst right COUNT 2', '[$dst,[$a,$c]]'],
        ['LMPOP 1 dst LEFT COUNT 10', '[$dst,[$b]]'],
        ['LMPOP 1 dst LEFT', 'nilarr'],
      ]);
    });

    it('blocking commands answer at once when they can, and check arguments first', () => {
      start();
      run('RPUSH l a b');
      expectAll([
        ['BLPOP nokey l 0', '[$l,$a]'],
        ['BRPOP l 0', '[$l,$b]'],
        ['EXISTS l', ':0'],
        ['BLPOP l -1', '-ERR timeout is negative'],
        ['BLPOP l x', '-ERR timeout is not a float or out of range'],
        ['BLPOP l inf', '-ERR timeout is negative'],
        ['BLPOP l 1e30', '-ERR timeout is negative'],
        ['BLPOP l 1e5000', '-ERR timeout is not a float or out of range'],
        ['BLPOP l nan', '-ERR timeout is not a float or out of range'],
        ['BLPOP l -0.9999', '-ERR timeout is negative'],
        ['BLMPOP x 1 l left', '-ERR timeout is not a float or out of range'],
        ['BLMPOP -1 1 l left count 0', '-ERR count should be greater than 0'],
        ['SET s v', '+OK'],
        ['BLPOP s 0', '-WRONGTYPE Operation against a key holding the wrong kind of value'],
        ['BLMOVE s d left left 0', '-WRONGTYPE Operation against a key holding the wrong kind of value'],
        ['BLMOVE l d up left 0', '-ERR syntax error'],
        ['RPUSH l 1 2 3', ':3'],
        ['BLMPOP 0 2 nokey l right COUNT 2', '[$l,[$3,$2]]'],
        ['BLMOVE l d LEFT LEFT 0', '$1'],
        ['BRPOPLPUSH d l 0', '$1'],
        ['MULTI', '+OK'],
        ['BLPOP nokey 0', '+QUEUED'],
        ['BLMPOP 0 1 nokey left', '+QUEUED'],
        ['BLMOVE nokey d left left 0', '+QUEUED'],
        ['BRPOPLPUSH nokey d 0', '+QUEUED'],
        ['EXEC', '[nilarr,nilarr,nil,nil]'],
      ]);
    });

    it('blocked clients are served in arrival order when a push creates the key', () => {
      start();
      const c1 = node.client();
      const c2 = node.client();
      const c3 = node.client();
      expect(isBlocked(c1.exec('BLPOP', 'k1', 'k2', '0'))).toBe(true);
      expect(isBlocked(c2.exec('BRPOP', 'k2', '0'))).toBe(true);
      expect(isBlocked(c3.exec('BLMOVE', 'k2', 'dst', 'LEFT', 'RIGHT', '0'))).toBe(true);
      expect(run('RPUSH k2 a b c d')).toBe(':4');
      expect(c1.output()).toBe('*2\r\n$2\r\nk2\r\n$1\r\na\r\n');
      expect(c2.output()).toBe('*2\r\n$2\r\nk2\r\n$1\r\nd\r\n');
      expect(c3.output()).toBe('$1\r\nb\r\n');
      expect(run('LRANGE k2 0 -1')).toBe('[$c]');
      expect(run('LRANGE dst 0 -1')).toBe('[$b]');
      // BLMPOP with COUNT, woken by LMOVE into a new key.
      const c4 = node.client();
      expect(isBlocked(c4.exec('BLMPOP', '0', '1', 'k9', 'RIGHT', 'COUNT', '5'))).toBe(true);
      expect(run('LMOVE k2 k9 LEFT LEFT')).toBe('$c');
      expect(c4.output()).toBe('*2\r\n$2\r\nk9\r\n*1\r\n$1\r\nc\r\n');
      expect(run('EXISTS k9 k2')).toBe(':0');
    });

    it('a client blocked on several keys is served from the key signalled first', () => {
      start();
      const c1 = node.client();
      expect(isBlocked(c1.exec('BLPOP', 'k1', 'k2', '0'))).toBe(true);
      expectAll([
        ['MULTI', '+OK'],
        ['RPUSH k2 x', '+QUEUED'],
        ['RPUSH k1 y', '+QUEUED'],
        ['EXEC', '[:1,:1]'],
      ]);
      expect(c1.output()).toBe('*2\r\n$2\r\nk2\r\n$1\r\nx\r\n');
    });

    it('a blocked BLMOVE whose destination is of the wrong type gets WRONGTYPE', () => {
      start();
      const c1 = node.client();
      expect(isBlocked(c1.exec('BLMOVE', 'src', 'str', 'LEFT', 'RIGHT', '0'))).toBe(true);
      run('SET str x');
      run('RPUSH src a');
      expect(c1.output()).toBe('-WRONGTYPE Operation against a key holding the wrong kind of value\r\n');
      expect(run('LRANGE src 0 -1')).toBe('[$a]');
    });

    it('times out with a null array, BLMOVE included (Redis 7.0)', async () => {
      start();
      const c1 = node.client();
      const c2 = node.client();
      expect(isBlocked(c1.exec('BLMOVE', 'nokey', 'd', 'LEFT', 'RIGHT', '0.02'))).toBe(true);
      expect(isBlocked(c2.exec('BLPOP', 'nokey', '0.0001'))).toBe(true);
      await new Promise((r) => setTimeout(r, 80));
      expect(c1.output()).toBe('*-1\r\n');
      expect(c2.output()).toBe('*-1\r\n');
    });

    it('fires keyspace events as Redis', () => {
      start();
      run('CONFIG SET notify-keyspace-events KEA');
      const sub = node.client();
      sub.exec('PSUBSCRIBE', '__keyevent@0__:*');
      sub.output();
      const events = () =>
        [...sub.output().matchAll(/__keyevent@0__:(\w+)\r\n\$\d+\r\n(\w+)/g)].map((m) => `${m[1]}:${m[2]}`);
      run('RPUSH l a b c');
      run('LPUSH l z');
      run('LINSERT l BEFORE a y');
      run('LINSERT l BEFORE nope y');
      run('LSET l 0 q');
      run('LREM l 1 nope');
      run('LREM l 1 q');
      run('LTRIM l 0 -1');
      run('LMOVE l m RIGHT LEFT');
      run('LPOP l 5');
      expect(events()).toEqual([
        'rpush:l', 'lpush:l', 'linsert:l', 'lset:l', 'lrem:l', 'ltrim:l', 'lpush:m', 'rpop:l',
        'lpop:l', 'del:l',
      ]);
    });
  });
}
