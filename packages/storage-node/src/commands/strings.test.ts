/**
 * String commands in-process: replies and errors (transcribed from redis-server 7.0.15), the
 * int/embstr/raw encodings each command leaves behind, TTL handling, keyspace notifications and
 * binary safety. tests/diff/strings.diff.test.ts replays streams against a real redis-server.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTestNode, formatReply as fmt, type TestNode } from '../testing.js';
import { encodingOf, type RObject } from '../keyspace/value.js';

type Cmd = string | (string | Buffer)[];


/** A value of another type, so these tests do not depend on the list commands. */
const A_LIST: RObject = Object.freeze({
  type: 'list' as const,
  encoding: () => 'listpack' as const,
  clone() {
    return A_LIST;
  },
});

/**
 * Runs one command. EXISTS, DEL, FLUSHALL and RPUSH (which only makes a non-string key) are
 * emulated on the db directly so that these tests need nothing but the string commands.
 */
function run(node: TestNode, cmd: Cmd): string {
  const argv = typeof cmd === 'string' ? cmd.split(' ') : cmd.map((a) => (typeof a === 'string' ? a : a.latin1Slice()));
  const db = node.core.dbs[node.state.dbIndex]!;
  switch (String(argv[0]).toUpperCase()) {
    case 'EXISTS':
      return ':' + argv.slice(1).filter((k) => db.lookupRead(k as string) !== undefined).length;
    case 'DEL':
      return ':' + argv.slice(1).filter((k) => db.delete(k as string)).length;
    case 'FLUSHALL':
      db.clear();
      return '+OK';
    case 'RPUSH':
      db.set(argv[1] as string, A_LIST);
      return ':1';
  }
  return fmt(node.exec(...argv));
}

/** Runs [command, expected] pairs in order, reporting every mismatch at once. */
function script(node: TestNode, steps: [Cmd, string][]): void {
  const got = steps.map(([c]) => run(node, c));
  expect(got).toEqual(steps.map(([, want]) => want));
}

function enc(node: TestNode, key: string, db = 0): string {
  const v = node.core.dbs[db]!.peek(key);
  return v === undefined ? 'missing' : encodingOf(v);
}

const WRONGTYPE = '-WRONGTYPE Operation against a key holding the wrong kind of value';
const NOT_INT = '-ERR value is not an integer or out of range';
const NOT_FLOAT = '-ERR value is not a valid float';
const SYNTAX = '-ERR syntax error';

let node: TestNode;
beforeEach(() => {
  node = createTestNode();
});
afterEach(() => {
  node.close();
  vi.useRealTimers();
});

describe('GET / SET', () => {
  it('sets and gets', () => {
    script(node, [
      ['GET k', 'nil'],
      ['SET k v', '+OK'],
      ['GET k', '$v'],
      ['SET k 123', '+OK'],
      ['GET k', '$123'],
      ['SET k -9223372036854775808', '+OK'],
      ['GET k', '$-9223372036854775808'],
      [['SET', 'e', ''], '+OK'],
      ['GET e', '$'],
      ['STRLEN e', ':0'],
    ]);
  });

  it('is binary safe: every byte value, CRLF and NUL', () => {
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    expect(node.exec('SET', all, all)).toEqual({ t: 'simple', v: 'OK' });
    expect(node.exec('GET', all)).toEqual({ t: 'bulk', v: all.latin1Slice(0, 256) });
    const tricky = 'a\r\nb\0c\r\n$3\r\n*1\r\n';
    script(node, [
      [['SET', tricky, tricky], '+OK'],
      [['GET', tricky], '$' + tricky],
      [['APPEND', tricky, '\0\r\n'], ':' + (tricky.length + 3)],
      [['GET', tricky], '$' + tricky + '\0\r\n'],
      [['STRLEN', tricky], ':' + (tricky.length + 3)],
      [['GETRANGE', tricky, '1', '3'], '$\r\nb'],
      [['SETRANGE', tricky, '0', '\xff\0'], ':' + (tricky.length + 3)],
      [['GETRANGE', tricky, '0', '1'], '$\xff\0'],
      [['MSET', '\0', '\x80\x81', '\r\n', ''], '+OK'],
      [['MGET', '\0', '\r\n', 'nope'], '[$\x80\x81,$,nil]'],
    ]);
  });

  it('SET options: NX XX GET KEEPTTL and their syntax errors', () => {
    script(node, [
      ['SET k v NX', '+OK'],
      ['SET k w NX', 'nil'],
      ['SET k w XX', '+OK'],
      ['SET m w XX', 'nil'],
      ['SET k x GET', '$w'],
      ['SET k y nx GET', '$x'],
      ['GET k', '$x'],
      ['SET m y XX GET', 'nil'],
      ['EXISTS m', ':0'],
      ['SET n z GET', 'nil'],
      ['SET k v NX NX', 'nil'],
      ['SET k v GET GET', '$x'],
      ['SET k v NX XX', SYNTAX],
      ['SET k v XX NX', SYNTAX],
      ['SET k v KEEPTTL EX 10', SYNTAX],
      ['SET k v EX 10 KEEPTTL', SYNTAX],
      ['SET k v EX 10 PX 20', SYNTAX],
      ['SET k v EXAT 10 PXAT 20', SYNTAX],
      ['SET k v PERSIST', SYNTAX],
      ['SET k v EX', SYNTAX],
      ['SET k v FOO', SYNTAX],
      ['SET k v EX 0 FOO', SYNTAX],
      [['SET', 'k', 'v2', 'nx\0zz'], 'nil'],
      [['SET', 'k', 'v2', 'xx\0zz'], '+OK'],
      ['GET k', '$v2'],
    ]);
  });

  it('SET expire arguments', () => {
    script(node, [
      ['SET k v EX 0', "-ERR invalid expire time in 'set' command"],
      ['SET k v EX -1', "-ERR invalid expire time in 'set' command"],
      ['SET k v PX 0', "-ERR invalid expire time in 'set' command"],
      ['SET k v EX abc', NOT_INT],
      ['SET k v EX 01', NOT_INT],
      ['SET k v EX 1.5', NOT_INT],
      ['SET k v EX 9223372036854775807', "-ERR invalid expire time in 'set' command"],
      ['SET k v EX 9223372036854775', "-ERR invalid expire time in 'set' command"],
      ['SET k v PX 9223372036854775807', "-ERR invalid expire time in 'set' command"],
      ['SET k v EXAT 9223372036854775', '+OK'],
      ['EXISTS k', ':1'],
      ['SET k v PXAT 1', '+OK'],
      ['EXISTS k', ':0'],
      ['SET k v EX 10 EX 20', '+OK'],
    ]);
    expect(node.core.dbs[0]!.getExpire('k')! - Date.now()).toBeGreaterThan(19_000);
    // A bad expire wins over WRONGTYPE, which wins over the write.
    run(node, 'RPUSH l x');
    script(node, [
      ['SET l v GET EX 0', "-ERR invalid expire time in 'set' command"],
      ['SET l v GET', WRONGTYPE],
      ['SET l v NX GET', WRONGTYPE],
      ['SET l v NX', 'nil'],
      ['SET l v', '+OK'],
      ['GET l', '$v'],
    ]);
  });

  it('SET keeps or drops the TTL like Redis', () => {
    node.exec('SET', 'k', 'v', 'EX', '100');
    const ttl = node.core.dbs[0]!.getExpire('k');
    expect(ttl).toBeDefined();
    node.exec('SET', 'k', 'v2', 'KEEPTTL');
    expect(node.core.dbs[0]!.getExpire('k')).toBe(ttl);
    node.exec('SET', 'k', 'v3', 'GET', 'XX');
    expect(node.core.dbs[0]!.getExpire('k')).toBeUndefined();
    node.exec('SET', 'k', 'v', 'PX', '5000');
    node.exec('SET', 'k', 'v');
    expect(node.core.dbs[0]!.getExpire('k')).toBeUndefined();
  });

  it('expires keys set with EX / PX / EXAT / PXAT', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const t0 = 1_700_000_000_000;
    vi.setSystemTime(t0);
    // A node made under the fake clock, so that its databases read the same time.
    node.close();
    node = createTestNode();
    node.exec('SET', 'ex', 'v', 'EX', '10');
    node.exec('SET', 'px', 'v', 'PX', '1500');
    node.exec('SET', 'exat', 'v', 'EXAT', String(t0 / 1000 + 5));
    node.exec('SET', 'pxat', 'v', 'PXAT', String(t0 + 2500));
    node.exec('SETEX', 'setex', '3', 'v');
    node.exec('PSETEX', 'psetex', '700', 'v');
    const db = node.core.dbs[0]!;
    expect([db.getExpire('ex'), db.getExpire('px'), db.getExpire('exat'), db.getExpire('pxat')]).toEqual([
      t0 + 10_000,
      t0 + 1500,
      t0 + 5000,
      t0 + 2500,
    ]);
    expect([db.getExpire('setex'), db.getExpire('psetex')]).toEqual([t0 + 3000, t0 + 700]);
    vi.setSystemTime(t0 + 2000);
    script(node, [
      ['MGET ex px exat pxat setex psetex', '[$v,nil,$v,$v,$v,nil]'],
    ]);
  });
});

describe('SETNX / SETEX / PSETEX / GETSET / GETDEL / GETEX', () => {
  it('replies like Redis', () => {
    run(node, 'RPUSH l x');
    script(node, [
      ['SETNX a x', ':1'],
      ['SETNX a y', ':0'],
      ['GET a', '$x'],
      ['SETNX l y', ':0'],
      ['SETEX k 0 v', "-ERR invalid expire time in 'setex' command"],
      ['SETEX k x v', NOT_INT],
      ['PSETEX k -5 v', "-ERR invalid expire time in 'psetex' command"],
      ['SETEX k 100 v', '+OK'],
      ['GETSET k w', '$v'],
      ['GETSET new w', 'nil'],
      ['GETSET l w', WRONGTYPE],
      ['GETDEL k', '$w'],
      ['GETDEL k', 'nil'],
      ['GETDEL l', WRONGTYPE],
      ['EXISTS l', ':1'],
      ['GETEX missing EX -1', 'nil'],
      ['GETEX missing FOO', SYNTAX],
      ['GETEX l', WRONGTYPE],
      ['GETEX l EX 0', WRONGTYPE],
      ['GETEX a EX -1', "-ERR invalid expire time in 'getex' command"],
      ['GETEX a EX 0', "-ERR invalid expire time in 'getex' command"],
      ['GETEX a KEEPTTL', SYNTAX],
      ['GETEX a GET', SYNTAX],
      ['GETEX a NX', SYNTAX],
      ['GETEX a PERSIST EX 1', SYNTAX],
      ['GETEX a EX 1 PERSIST', SYNTAX],
      ['GETEX a PERSIST PERSIST', '$x'],
      ['GETEX a', '$x'],
    ]);
  });

  it('GETSET drops the TTL, GETEX sets, persists or deletes', () => {
    const db = node.core.dbs[0]!;
    node.exec('SET', 'k', 'v', 'EX', '100');
    node.exec('GETSET', 'k', 'w');
    expect(db.getExpire('k')).toBeUndefined();
    expect(fmt(node.exec('GETEX', 'k', 'PX', '100000'))).toBe('$w');
    expect(db.getExpire('k')! - Date.now()).toBeGreaterThan(90_000);
    expect(fmt(node.exec('GETEX', 'k', 'PERSIST'))).toBe('$w');
    expect(db.getExpire('k')).toBeUndefined();
    expect(fmt(node.exec('GETEX', 'k', 'EXAT', String(Math.floor(Date.now() / 1000) + 1000)))).toBe('$w');
    expect(db.getExpire('k')).toBeDefined();
    expect(fmt(node.exec('GETEX', 'k', 'EXAT', '1'))).toBe('$w');
    expect(db.peek('k')).toBeUndefined();
    node.exec('SET', 'k', 'v');
    expect(fmt(node.exec('GETEX', 'k', 'PXAT', String(Date.now() - 1)))).toBe('$v');
    expect(db.peek('k')).toBeUndefined();
  });
});

describe('MGET / MSET / MSETNX', () => {
  it('replies like Redis', () => {
    run(node, 'RPUSH l x');
    script(node, [
      ['MSET a 1 b 2', '+OK'],
      ['MGET a b l nope', '[$1,$2,nil,nil]'],
      ['MSET a', "-ERR wrong number of arguments for 'mset' command"],
      ['MSET a 1 b', "-ERR wrong number of arguments for 'mset' command"],
      ['MSETNX a 1 b', "-ERR wrong number of arguments for 'msetnx' command"],
      ['MSETNX a 3 c 3', ':0'],
      ['EXISTS c', ':0'],
      ['MSETNX c 3 d 4', ':1'],
      ['MSETNX e 1 e 2', ':1'],
      ['GET e', '$2'],
      ['MSET l v', '+OK'],
      ['GET l', '$v'],
    ]);
  });
});

describe('APPEND / STRLEN / GETRANGE / SETRANGE', () => {
  it('replies like Redis', () => {
    run(node, 'RPUSH l x');
    script(node, [
      ['APPEND k ab', ':2'],
      ['APPEND k cd', ':4'],
      ['GET k', '$abcd'],
      ['STRLEN k', ':4'],
      ['STRLEN nope', ':0'],
      ['SET n -123', '+OK'],
      ['STRLEN n', ':4'],
      ['GETRANGE n 1 2', '$12'],
      ['APPEND n 4', ':5'],
      ['GET n', '$-1234'],
      ['APPEND l x', WRONGTYPE],
      ['STRLEN l', WRONGTYPE],
      ['SET s Hello', '+OK'],
      ['GETRANGE s 0 -1', '$Hello'],
      ['GETRANGE s -3 -1', '$llo'],
      ['GETRANGE s 0 -100', '$H'],
      ['GETRANGE s -100 -100', '$H'],
      ['GETRANGE s -1 -5', '$'],
      ['GETRANGE s 5 1', '$'],
      ['GETRANGE s 1 0', '$'],
      ['GETRANGE s 3 100', '$lo'],
      ['GETRANGE s 10 20', '$'],
      ['GETRANGE s 0 9223372036854775807', '$Hello'],
      ['GETRANGE s -9223372036854775808 -9223372036854775808', '$H'],
      ['SUBSTR s 0 1', '$He'],
      ['GETRANGE nope 0 -1', '$'],
      ['GETRANGE l 0 1', WRONGTYPE],
      ['GETRANGE l a 1', NOT_INT],
      ['GETRANGE s 0 1.5', NOT_INT],
      [['SET', 'e', ''], '+OK'],
      ['GETRANGE e 0 -1', '$'],
      ['GETRANGE e -1 0', '$'],
      ['SETRANGE s 1 a', ':5'],
      ['GET s', '$Hallo'],
      ['SETRANGE s 7 xy', ':9'],
      ['GET s', '$Hallo\0\0xy'],
      [['SETRANGE', 's', '1', ''], ':9'],
      [['SETRANGE', 'missing', '5', ''], ':0'],
      ['EXISTS missing', ':0'],
      ['SETRANGE z 3 a', ':4'],
      ['GET z', '$\0\0\0a'],
      ['SETRANGE s -1 x', '-ERR offset is out of range'],
      ['SETRANGE l -1 x', '-ERR offset is out of range'],
      ['SETRANGE s abc x', NOT_INT],
      ['SETRANGE l 0 x', WRONGTYPE],
      ['SETRANGE s 536870904 xxxxxxxxx', '-ERR string exceeds maximum allowed size (proto-max-bulk-len)'],
      ['SETRANGE s 536870912 x', '-ERR string exceeds maximum allowed size (proto-max-bulk-len)'],
      ['SETRANGE q 536870912 x', '-ERR string exceeds maximum allowed size (proto-max-bulk-len)'],
      ['SETRANGE q 99999999999999999999 x', NOT_INT],
      ['SETRANGE q 9223372036854775807 x', '-ERR string exceeds maximum allowed size (proto-max-bulk-len)'],
      ['DEL s', ':1'],
    ]);
  });

  it('respects a lowered proto-max-bulk-len', () => {
    node.close();
    node = createTestNode({ protoMaxBulkLen: 1024 * 1024 });
    script(node, [
      ['SETRANGE c 1048575 x', ':1048576'],
      ['SETRANGE c 1048576 x', '-ERR string exceeds maximum allowed size (proto-max-bulk-len)'],
      ['APPEND c x', '-ERR string exceeds maximum allowed size (proto-max-bulk-len)'],
      ['STRLEN c', ':1048576'],
    ]);
  });
});

describe('counters', () => {
  it('INCR / DECR / INCRBY / DECRBY like Redis', () => {
    run(node, 'RPUSH l x');
    script(node, [
      ['INCR c', ':1'],
      ['INCRBY c 10', ':11'],
      ['DECR c', ':10'],
      ['DECRBY c 20', ':-10'],
      ['INCRBY c 9007199254740991', ':9007199254740981'],
      ['INCRBY c 100', ':9007199254741081'],
      ['GET c', '$9007199254741081'],
      ['DECRBY c 9007199254741081', ':0'],
      ['SET i 9223372036854775807', '+OK'],
      ['INCR i', '-ERR increment or decrement would overflow'],
      ['INCRBY i -1', ':9223372036854775806'],
      ['DECR i', ':9223372036854775805'],
      ['SET i -9223372036854775808', '+OK'],
      ['DECR i', '-ERR increment or decrement would overflow'],
      ['INCRBY i 9223372036854775807', ':-1'],
      ['INCRBY i 18446744073709551616', NOT_INT],
      ['INCRBY nn -9223372036854775808', ':-9223372036854775808'],
      ['DECRBY nn 9223372036854775807', '-ERR increment or decrement would overflow'],
      ['DECRBY nn 1', '-ERR increment or decrement would overflow'],
      ['DECRBY x -9223372036854775808', '-ERR decrement would overflow'],
      ['EXISTS x', ':0'],
      ['INCRBY c 01', NOT_INT],
      ['INCRBY c +1', NOT_INT],
      ['INCRBY c 1.0', NOT_INT],
      ['INCRBY l x', NOT_INT],
      ['INCR l', WRONGTYPE],
      ['SET f 1.5', '+OK'],
      ['INCR f', NOT_INT],
      [['SET', 'f', ' 1'], '+OK'],
      ['INCR f', NOT_INT],
      ['SET f 10', '+OK'],
      ['APPEND f 0', ':3'],
      ['INCR f', ':101'],
      ['SET big 12345678901234567890', '+OK'],
      ['INCR big', NOT_INT],
    ]);
  });

  it('INCRBYFLOAT like Redis (long double arithmetic, human format)', () => {
    run(node, 'RPUSH l x');
    script(node, [
      ['INCRBYFLOAT h 0.1', '$0.1'],
      ['INCRBYFLOAT h 0.1', '$0.2'],
      ['INCRBYFLOAT h 0.1', '$0.3'],
      ['INCRBYFLOAT g 1e20', '$100000000000000000000'],
      ['INCRBYFLOAT i 3.0e3', '$3000'],
      ['INCRBYFLOAT j -5.0e-3', '$-0.005'],
      ['INCRBYFLOAT l2 1e30', '$1000000000000000000024696061952'],
      ['INCRBYFLOAT m inf', '-ERR increment would produce NaN or Infinity'],
      ['INCRBYFLOAT m nan', NOT_FLOAT],
      ['INCRBYFLOAT m 0x1p3', '$8'],
      ['INCRBYFLOAT m 1e5000', NOT_FLOAT],
      [['INCRBYFLOAT', 'm', ' 1'], NOT_FLOAT],
      [['INCRBYFLOAT', 'm', '1 '], NOT_FLOAT],
      [['INCRBYFLOAT', 'm', ''], NOT_FLOAT],
      ['INCRBYFLOAT m3 3.814697265625e-6', '$0.00000381469726562'],
      ['SET s abc', '+OK'],
      ['INCRBYFLOAT s 1', NOT_FLOAT],
      ['SET s2 10', '+OK'],
      ['INCRBYFLOAT s2 -10', '$0'],
      ['INCRBYFLOAT s2 -10', '$-10'],
      ['INCRBYFLOAT l x', WRONGTYPE],
      ['SET i64 9223372036854775807', '+OK'],
      ['INCRBYFLOAT i64 1', '$9223372036854775808'],
      ['SET fl 5.0e3', '+OK'],
      ['INCRBYFLOAT fl 0', '$5000'],
      ['SET inf inf', '+OK'],
      ['INCRBYFLOAT inf 1', '-ERR increment would produce NaN or Infinity'],
      ['GET inf', '$inf'],
    ]);
  });
});

describe('LCS', () => {
  it('replies like Redis, RESP2 shapes', () => {
    node.exec('MSET', 'a', 'ohmytext', 'b', 'mynewtext');
    run(node, 'RPUSH l 1');
    script(node, [
      ['LCS a b', '$mytext'],
      ['LCS a b LEN', ':6'],
      ['LCS a b IDX', '{$matches,[[[:4,:7],[:5,:8]],[[:2,:3],[:0,:1]]],$len,:6}'],
      ['LCS a b IDX MINMATCHLEN 4', '{$matches,[[[:4,:7],[:5,:8]]],$len,:6}'],
      ['LCS a b IDX MINMATCHLEN 4 WITHMATCHLEN', '{$matches,[[[:4,:7],[:5,:8],:4]],$len,:6}'],
      ['LCS a b IDX WITHMATCHLEN', '{$matches,[[[:4,:7],[:5,:8],:4],[[:2,:3],[:0,:1],:2]],$len,:6}'],
      ['LCS a b IDX LEN', '-ERR If you want both the length and indexes, please just use IDX.'],
      ['LCS a b LEN IDX', '-ERR If you want both the length and indexes, please just use IDX.'],
      ['LCS a b MINMATCHLEN', SYNTAX],
      ['LCS a b MINMATCHLEN x', NOT_INT],
      ['LCS a b MINMATCHLEN -5 IDX', '{$matches,[[[:4,:7],[:5,:8]],[[:2,:3],[:0,:1]]],$len,:6}'],
      ['LCS a b FOO', SYNTAX],
      ['LCS a nokey', '$'],
      ['LCS a nokey IDX', '{$matches,[],$len,:0}'],
      ['LCS a l', '-ERR The specified keys must contain string values'],
      ['LCS l a FOO', '-ERR The specified keys must contain string values'],
      ['LCS a b WITHMATCHLEN', '$mytext'],
      ['LCS a b LEN WITHMATCHLEN', ':6'],
    ]);
    node.exec('SET', 'n', '12345');
    node.exec('SET', 'm', '2x4');
    expect(run(node, 'LCS n m IDX')).toBe('{$matches,[[[:3,:3],[:2,:2]],[[:1,:1],[:0,:0]]],$len,:2}');
  });

  it('refuses tables larger than proto-max-bulk-len', () => {
    node.close();
    node = createTestNode({ protoMaxBulkLen: 1024 * 1024 });
    node.exec('SET', 'a', 'x'.repeat(511));
    node.exec('SET', 'b', 'x'.repeat(511));
    expect(run(node, 'LCS a b LEN')).toBe(':511');
    node.exec('SET', 'b', 'x'.repeat(512));
    expect(run(node, 'LCS a b LEN')).toBe('-ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len');
  });
});

describe('encodings (OBJECT ENCODING)', () => {
  it('int / embstr / raw exactly as Redis 7.0 leaves them', () => {
    const cases: [Cmd[], string, string][] = [
      [['SET k 123'], 'k', 'int'],
      [['SET k 123', 'APPEND k 4'], 'k', 'raw'],
      [['SET k 123', 'APPEND k 4', 'GETSET k 5'], 'k', 'int'],
      [['SET k 01'], 'k', 'embstr'],
      [['SET k -0'], 'k', 'embstr'],
      [['SET k 9223372036854775807'], 'k', 'int'],
      [['SET k -9223372036854775808'], 'k', 'int'],
      [['SET k 9223372036854775808'], 'k', 'embstr'],
      [['SET k ' + 'x'.repeat(44)], 'k', 'embstr'],
      [['SET k ' + 'x'.repeat(45)], 'k', 'raw'],
      [['MSET a 123 b 12345678901234567890123'], 'a', 'int'],
      [['MSET a 123 b 12345678901234567890123'], 'b', 'embstr'],
      [['MSETNX c 1 c 2'], 'c', 'int'],
      [['SETNX k 42'], 'k', 'int'],
      [['SETEX k 100 42'], 'k', 'int'],
      [['PSETEX k 100000 abc'], 'k', 'embstr'],
      [['APPEND d 55'], 'd', 'int'],
      [['APPEND e xyzxyz'], 'e', 'embstr'],
      [['APPEND e ' + 'y'.repeat(50)], 'e', 'raw'],
      [['SETRANGE f 0 12'], 'f', 'raw'],
      [['SET f 12', 'SETRANGE f 0 3'], 'f', 'raw'],
      [['SET f 12', 'SETRANGE f 0 '], 'f', 'int'],
      [['INCRBYFLOAT g 1'], 'g', 'embstr'],
      [['INCRBYFLOAT g 1e50'], 'g', 'raw'],
      [['SET n 10', 'INCR n'], 'n', 'int'],
      [['SET n 10', 'APPEND n 0', 'INCR n'], 'n', 'int'],
      [['INCR n'], 'n', 'int'],
      [['INCRBY n 9223372036854775806'], 'n', 'int'],
      [['SET k v', 'GETEX k PERSIST'], 'k', 'embstr'],
      [['SET k 5', 'SET k v GET'], 'k', 'embstr'],
    ];
    for (const [cmds, key, want] of cases) {
      run(node, 'FLUSHALL');
      for (const c of cmds) run(node, c);
      expect(`${cmds.join('; ')} -> ${enc(node, key)}`).toBe(`${cmds.join('; ')} -> ${want}`);
    }
  });

  it('APPEND keeps extending the same raw value in place', () => {
    node.exec('SET', 'k', 'a');
    node.exec('APPEND', 'k', 'b');
    const v = node.core.dbs[0]!.peek('k');
    for (let i = 0; i < 1000; i++) node.exec('APPEND', 'k', 'c');
    expect(node.core.dbs[0]!.peek('k')).toBe(v);
    expect(run(node, 'STRLEN k')).toBe(':1002');
    expect(run(node, 'GETRANGE k 0 3')).toBe('$abcc');
  });
});

describe('keyspace notifications', () => {
  function events(sub: { output(): string }): string[] {
    const out: string[] = [];
    const re = /\$8\r\npmessage\r\n\$\d+\r\n[^\r]*\r\n\$\d+\r\n__keyevent@0__:([^\r]*)\r\n\$\d+\r\n([^\r]*)\r\n/g;
    for (const m of sub.output().matchAll(re)) out.push(`${m[1]} ${m[2]}`);
    return out;
  }

  it('fires the same events as Redis', () => {
    node.close();
    node = createTestNode({ notifyKeyspaceEvents: 'KEA' });
    const sub = node.client();
    sub.exec('PSUBSCRIBE', '__keyevent@0__:*');
    sub.output();
    for (const c of [
      'SET a 1',
      'SET a 2 EX 100',
      'SET a 3 KEEPTTL',
      'SET a 3 NX',
      'SETNX a x',
      'SETNX b x',
      'SETEX c 10 x',
      'GETSET c y',
      'GETDEL c',
      'GETDEL c',
      'GETEX a PX 1000',
      'GETEX a PERSIST',
      'GETEX a PERSIST',
      'GETEX a EXAT 1',
      'MSET d 1 e 2',
      'MSETNX f 1 g 2',
      'MSETNX f 1 h 2',
      'APPEND f x',
      'SETRANGE f 1 yy',
      'SETRANGE f 1 ',
      'SETRANGE new 0 ',
      'INCR g',
      'DECRBY g 5',
      'INCRBYFLOAT g 1.5',
      'INCR nokey',
      'GET f',
      'MGET f g',
      'STRLEN f',
      'LCS f g',
      'INCRBYFLOAT g x',
    ]) {
      run(node, c);
    }
    expect(events(sub)).toEqual([
      'set a',
      'set a',
      'expire a',
      'set a',
      'set b',
      'set c',
      'expire c',
      'set c',
      'del c',
      'expire a',
      'persist a',
      'del a',
      'set d',
      'set e',
      'set f',
      'set g',
      'append f',
      'setrange f',
      'incrby g',
      'incrby g',
      'incrbyfloat g',
      'incrby nokey',
    ]);
  });
});

describe('WATCH sees in-place changes', () => {
  it('APPEND / SETRANGE / INCR on existing keys abort a watching transaction', () => {
    for (const change of ['APPEND k x', 'SETRANGE k 0 z', 'INCR n', 'INCRBYFLOAT n 1', 'GETEX k EX 100']) {
      run(node, 'FLUSHALL');
      node.exec('SET', 'k', 'v');
      node.exec('SET', 'n', '1');
      const other = node.client();
      const key = change.split(' ')[1]!;
      other.exec('WATCH', key);
      run(node, change);
      other.exec('MULTI');
      other.exec('PING');
      expect(`${change}: ${fmt(other.exec('EXEC'))}`).toBe(`${change}: nilarr`);
      other.close();
    }
  });
});
