/**
 * The generic keyspace commands in-process (testing.ts): replies and errors as recorded from
 * redis-server 7.0.15, keyspace events and WATCH where Redis fires them, lazy expiry on the
 * command clock, SCAN's cursor contract. Event sequences were recorded from redis-server 7.0.15
 * with notify-keyspace-events KEAn.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { R, type Reply } from '@swarmkv/resp';
import { createTestNode, type TestNode } from '../testing.js';
import type { RObject } from '../keyspace/value.js';

let node: TestNode;
beforeEach(() => {
  node = createTestNode({ notifyKeyspaceEvents: 'KEAn' });
});
afterEach(() => {
  vi.useRealTimers();
  node.close();
});

const int = (v: number | bigint): Reply => ({ t: 'int', v });
const err = (v: string): Reply => ({ t: 'err', v });
const bulk = (v: string): Reply => ({ t: 'bulk', v });
const ok = R.ok;
const x = (...args: (string | number)[]) => node.exec(...args);

/** A stand-in list value (the list type lives elsewhere): enough for TYPE, OBJECT and COPY. */
function fakeList(items: string[]): RObject & { items: string[] } {
  return {
    type: 'list',
    items,
    encoding: () => 'quicklist',
    clone() {
      return fakeList([...this.items]);
    },
  };
}

/** Keyspace events a PSUBSCRIBEd client received since the last call, as "event key" strings. */
function eventsOf(sub: ReturnType<TestNode['client']>): string[] {
  const out = sub.output();
  const events: string[] = [];
  const re = /\$\d+\r\n__keyevent@(\d+)__:([^\r]*)\r\n\$\d+\r\n([^\r]*)\r\n/g;
  for (let m = re.exec(out); m !== null; m = re.exec(out)) events.push(`${m[1]} ${m[2]} ${m[3]}`);
  return events;
}

function subscriber() {
  const sub = node.client();
  sub.exec('PSUBSCRIBE', '__keyevent@*');
  sub.output();
  return sub;
}

describe('DEL UNLINK EXISTS TYPE TOUCH DBSIZE', () => {
  it('counts keys like Redis', () => {
    x('SET', 'a', '1');
    x('SET', 'b', 'hello');
    expect(x('EXISTS', 'a', 'a', 'nokey')).toEqual(int(2));
    expect(x('TOUCH', 'a', 'b', 'nokey')).toEqual(int(2));
    expect(x('TYPE', 'a')).toEqual(R.simple('string'));
    expect(x('TYPE', 'nokey')).toEqual(R.simple('none'));
    expect(x('DBSIZE')).toEqual(int(2));
    expect(x('DEL', 'a', 'a', 'b')).toEqual(int(2));
    expect(x('UNLINK', 'a')).toEqual(int(0));
    expect(x('DBSIZE')).toEqual(int(0));
  });

  it('fires del per deleted key and breaks WATCH', () => {
    const sub = subscriber();
    x('SET', 'a', '1');
    eventsOf(sub);
    const other = node.client();
    other.exec('WATCH', 'a');
    x('DEL', 'a', 'zz');
    expect(eventsOf(sub)).toEqual(['0 del a']);
    other.exec('MULTI');
    other.exec('PING');
    expect(other.exec('EXEC')).toEqual(R.nilArray);
  });

  it('reports a logically expired key as not deleted, with an expired event', () => {
    vi.useFakeTimers({ now: 1_700_000_000_000 });
    const sub = subscriber();
    x('SET', 'k', 'v');
    x('PEXPIRE', 'k', '100');
    eventsOf(sub);
    vi.setSystemTime(1_700_000_000_200);
    expect(x('DEL', 'k')).toEqual(int(0));
    expect(eventsOf(sub)).toEqual(['0 expired k']);
  });
});

describe('RENAME RENAMENX', () => {
  it('answers like Redis', () => {
    x('SET', 'a', '1');
    x('SET', 'b', 'hello');
    expect(x('RENAME', 'nokey', 'x')).toEqual(err('ERR no such key'));
    expect(x('RENAMENX', 'nokey', 'a')).toEqual(err('ERR no such key'));
    expect(x('RENAME', 'a', 'a')).toEqual(ok);
    expect(x('RENAMENX', 'a', 'a')).toEqual(int(0));
    expect(x('RENAMENX', 'b', 'a')).toEqual(int(0));
    expect(x('RENAME', 'a', 'c')).toEqual(ok);
    expect(x('GET', 'c')).toEqual(bulk('1'));
    expect(x('EXISTS', 'a')).toEqual(int(0));
    expect(x('RENAMENX', 'c', 'd')).toEqual(int(1));
  });

  it('carries the TTL, overwrites the destination and fires rename_from then rename_to', () => {
    const sub = subscriber();
    x('SET', 'src', 'v');
    x('EXPIRE', 'src', '100');
    x('SET', 'dst', 'old');
    eventsOf(sub);
    expect(x('RENAME', 'src', 'dst')).toEqual(ok);
    expect(eventsOf(sub)).toEqual(['0 new dst', '0 rename_from src', '0 rename_to dst']);
    expect(x('TTL', 'dst')).toEqual(int(100));
    expect(x('GET', 'dst')).toEqual(bulk('v'));
  });
});

describe('MOVE COPY SWAPDB', () => {
  it('MOVE answers like Redis', () => {
    x('SET', 'c', 'v');
    expect(x('MOVE', 'c', '0')).toEqual(err('ERR source and destination objects are the same'));
    expect(x('MOVE', 'c', 'abc')).toEqual(err('ERR value is not an integer or out of range'));
    expect(x('MOVE', 'c', '16')).toEqual(err('ERR DB index is out of range'));
    expect(x('MOVE', 'c', '-1')).toEqual(err('ERR DB index is out of range'));
    expect(x('MOVE', 'c', '99999999999')).toEqual(
      err('ERR value is out of range, value must between -2147483648 and 2147483647'),
    );
    expect(x('MOVE', 'nokey', '1')).toEqual(int(0));
    const sub = subscriber();
    x('EXPIRE', 'c', '50');
    eventsOf(sub);
    expect(x('MOVE', 'c', '1')).toEqual(int(1));
    expect(eventsOf(sub)).toEqual(['1 new c', '0 move_from c', '1 move_to c']);
    expect(x('EXISTS', 'c')).toEqual(int(0));
    x('SET', 'c', 'again');
    expect(x('MOVE', 'c', '1')).toEqual(int(0));
    x('SELECT', '1');
    expect(x('GET', 'c')).toEqual(bulk('v'));
    expect(x('TTL', 'c')).toEqual(int(50));
  });

  it('COPY answers like Redis and deep-copies values', () => {
    x('SET', 'b', 'hello');
    expect(x('COPY', 'b', 'b')).toEqual(err('ERR source and destination objects are the same'));
    expect(x('COPY', 'b', 'b', 'db', '0')).toEqual(err('ERR source and destination objects are the same'));
    expect(x('COPY', 'b', 'd', 'db', 'abc')).toEqual(err('ERR value is not an integer or out of range'));
    expect(x('COPY', 'b', 'd', 'db', '16')).toEqual(err('ERR DB index is out of range'));
    expect(x('COPY', 'b', 'd', 'foo')).toEqual(err('ERR syntax error'));
    expect(x('COPY', 'b', 'd', 'db')).toEqual(err('ERR syntax error'));
    expect(x('COPY', 'nokey', 'd')).toEqual(int(0));
    const sub = subscriber();
    expect(x('COPY', 'b', 'b', 'db', '1')).toEqual(int(1));
    expect(eventsOf(sub)).toEqual(['1 new b', '1 copy_to b']);
    expect(x('COPY', 'b', 'd', 'replace', 'replace')).toEqual(int(1));
    x('SET', 'b', 'changed');
    expect(x('COPY', 'b', 'd')).toEqual(int(0));
    expect(x('GET', 'd')).toEqual(bulk('hello'));
    expect(x('COPY', 'b', 'd', 'REPLACE')).toEqual(int(1));
    expect(x('GET', 'd')).toEqual(bulk('changed'));

    const list = fakeList(['a']);
    node.core.dbs[0]!.add('l', list);
    expect(x('COPY', 'l', 'l2')).toEqual(int(1));
    const copy = node.core.dbs[0]!.peek('l2') as ReturnType<typeof fakeList>;
    expect(copy).not.toBe(list);
    expect(copy.items).toEqual(['a']);
    expect(x('TYPE', 'l2')).toEqual(R.simple('list'));
  });

  it('SWAPDB answers like Redis and swaps contents under the clients', () => {
    expect(x('SWAPDB', '0', 'x')).toEqual(err('ERR invalid second DB index'));
    expect(x('SWAPDB', 'x', '0')).toEqual(err('ERR invalid first DB index'));
    expect(x('SWAPDB', '0', '99999999999')).toEqual(err('ERR invalid second DB index'));
    expect(x('SWAPDB', '0', '16')).toEqual(err('ERR DB index is out of range'));
    expect(x('SWAPDB', '0', '0')).toEqual(ok);
    x('SET', 'a', 'zero');
    const other = node.client();
    other.exec('SELECT', '1');
    other.exec('SET', 'b', 'one');
    other.exec('WATCH', 'b');
    expect(x('SWAPDB', '0', '1')).toEqual(ok);
    expect(x('GET', 'b')).toEqual(bulk('one'));
    expect(other.exec('GET', 'a')).toEqual(bulk('zero'));
    other.exec('MULTI');
    other.exec('PING');
    expect(other.exec('EXEC')).toEqual(R.nilArray);
  });
});

describe('FLUSHDB FLUSHALL RANDOMKEY KEYS', () => {
  it('FLUSHDB / FLUSHALL take SYNC or ASYNC only', () => {
    x('SET', 'a', '1');
    x('SELECT', '2');
    x('SET', 'b', '1');
    expect(x('FLUSHDB', 'foo')).toEqual(err('ERR syntax error'));
    expect(x('FLUSHALL', 'sync', 'x')).toEqual(err('ERR syntax error'));
    expect(x('FLUSHDB', 'SYNC')).toEqual(ok);
    expect(x('DBSIZE')).toEqual(int(0));
    x('SELECT', '0');
    expect(x('DBSIZE')).toEqual(int(1));
    expect(x('FLUSHALL', 'async')).toEqual(ok);
    expect(x('DBSIZE')).toEqual(int(0));
    expect(x('RANDOMKEY')).toEqual(R.nil);
  });

  it('RANDOMKEY returns existing, non-expired keys', () => {
    vi.useFakeTimers({ now: 1_700_000_000_000 });
    for (let i = 0; i < 20; i++) {
      x('SET', `dead${i}`, 'v');
      x('PEXPIRE', `dead${i}`, '10');
    }
    x('SET', 'live', 'v');
    vi.setSystemTime(1_700_000_001_000);
    for (let i = 0; i < 10; i++) expect(x('RANDOMKEY')).toEqual(bulk('live'));
  });

  it('KEYS matches globs and hides expired keys', () => {
    vi.useFakeTimers({ now: 1_700_000_000_000 });
    for (const k of ['hello', 'hallo', 'hxllo', 'hllo', 'other']) x('SET', k, '1');
    x('PEXPIRE', 'hxllo', '10');
    vi.setSystemTime(1_700_000_001_000);
    const keys = (p: string) => {
      const r = x('KEYS', p) as unknown as { t: 'arr'; v: { v: string }[] };
      return r.v.map((b) => b.v).sort();
    };
    expect(keys('h?llo')).toEqual(['hallo', 'hello']);
    expect(keys('h*llo')).toEqual(['hallo', 'hello', 'hllo']);
    expect(keys('h[ae]llo')).toEqual(['hallo', 'hello']);
    expect(keys('*')).toEqual(['hallo', 'hello', 'hllo', 'other']);
    expect(keys('nomatch*')).toEqual([]);
  });
});

describe('SCAN', () => {
  const scan = (...args: string[]): { cursor: string; keys: string[] } => {
    const r = x('SCAN', ...args);
    if (r.t !== 'arr') throw new Error(`SCAN failed: ${JSON.stringify(r)}`);
    const [cur, keys] = r.v as unknown as [{ v: string }, { v: { v: string }[] }];
    return { cursor: cur.v, keys: keys.v.map((k) => k.v) };
  };

  it('parses cursors like strtoul and options like Redis', () => {
    x('SET', 'a', '1');
    expect(scan('0')).toEqual({ cursor: '0', keys: ['a'] });
    expect(scan('')).toEqual({ cursor: '0', keys: ['a'] });
    expect(scan('+0')).toEqual({ cursor: '0', keys: ['a'] });
    expect(scan('18446744073709551615').cursor).toBe('0');
    expect(scan('-1').cursor).toBe('0');
    for (const bad of [' 0', '18446744073709551616', 'abc', '-', '1.5', '0 ']) {
      expect(x('SCAN', bad)).toEqual(err('ERR invalid cursor'));
    }
    expect(x('SCAN', '0', 'count', '0')).toEqual(err('ERR syntax error'));
    expect(x('SCAN', '0', 'count', '-1')).toEqual(err('ERR syntax error'));
    expect(x('SCAN', '0', 'count', 'abc')).toEqual(err('ERR value is not an integer or out of range'));
    expect(x('SCAN', '0', 'count', '9223372036854775808')).toEqual(
      err('ERR value is not an integer or out of range'),
    );
    expect(x('SCAN', '0', 'count')).toEqual(err('ERR syntax error'));
    expect(x('SCAN', '0', 'match')).toEqual(err('ERR syntax error'));
    expect(x('SCAN', '0', 'type')).toEqual(err('ERR syntax error'));
    expect(x('SCAN', '0', 'foo', 'bar')).toEqual(err('ERR syntax error'));
    expect(scan('0', 'type', 'foo')).toEqual({ cursor: '0', keys: [] });
    expect(scan('0', 'TYPE', 'STRING')).toEqual({ cursor: '0', keys: ['a'] });
  });

  it('returns every key once over a full iteration, with MATCH and TYPE filters', () => {
    for (let i = 0; i < 1000; i++) x('SET', `key:${i}`, 'v');
    node.core.dbs[0]!.add('list', fakeList(['x']));
    const all = new Set<string>();
    const matched: string[] = [];
    let cursor = '0';
    let calls = 0;
    do {
      const r = scan(cursor, 'COUNT', '50');
      for (const k of r.keys) all.add(k);
      cursor = r.cursor;
      calls++;
    } while (cursor !== '0');
    expect(all.size).toBe(1001);
    expect(calls).toBeGreaterThan(10);
    cursor = '0';
    do {
      const r = scan(cursor, 'MATCH', 'key:1?', 'COUNT', '100');
      matched.push(...r.keys);
      cursor = r.cursor;
    } while (cursor !== '0');
    expect(matched.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `key:1${i}`).sort());
    const lists: string[] = [];
    cursor = '0';
    do {
      const r = scan(cursor, 'TYPE', 'list', 'COUNT', '1000');
      lists.push(...r.keys);
      cursor = r.cursor;
    } while (cursor !== '0');
    expect(lists).toEqual(['list']);
  });

  it('hides and deletes expired keys', () => {
    vi.useFakeTimers({ now: 1_700_000_000_000 });
    x('SET', 'a', '1');
    x('SET', 'b', '1');
    x('PEXPIRE', 'b', '10');
    vi.setSystemTime(1_700_000_001_000);
    expect(scan('0')).toEqual({ cursor: '0', keys: ['a'] });
    expect(node.core.dbs[0]!.size()).toBe(1);
  });
});

describe('OBJECT', () => {
  it('answers ENCODING REFCOUNT IDLETIME FREQ like Redis', () => {
    x('SET', 'a', '100');
    x('SET', 'b', 'hello');
    x('SET', 'd', '99999');
    x('SET', 'r', 'x'.repeat(45));
    expect(x('OBJECT', 'refcount', 'a')).toEqual(int(2147483647));
    expect(x('OBJECT', 'refcount', 'b')).toEqual(int(1));
    expect(x('OBJECT', 'refcount', 'd')).toEqual(int(1));
    expect(x('OBJECT', 'refcount', 'nokey')).toEqual(R.nil);
    expect(x('OBJECT', 'encoding', 'a')).toEqual(bulk('int'));
    expect(x('OBJECT', 'ENCODING', 'b')).toEqual(bulk('embstr'));
    expect(x('OBJECT', 'encoding', 'r')).toEqual(bulk('raw'));
    expect(x('OBJECT', 'encoding', 'nokey')).toEqual(R.nil);
    expect(x('OBJECT', 'idletime', 'b')).toEqual(int(0));
    expect(x('OBJECT', 'freq', 'b')).toEqual(
      err(
        'ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
      ),
    );
    expect(x('OBJECT', 'foo')).toEqual(err("ERR unknown subcommand 'foo'. Try OBJECT HELP."));
  });

  it('measures idle time in seconds, not reset by OBJECT/TYPE/EXISTS', () => {
    vi.useFakeTimers({ now: 1_700_000_000_000 });
    x('SET', 'k', 'v');
    vi.setSystemTime(1_700_000_005_000);
    x('TYPE', 'k');
    x('EXISTS', 'k');
    x('OBJECT', 'encoding', 'k');
    expect(x('OBJECT', 'idletime', 'k')).toEqual(int(5));
    x('GET', 'k');
    expect(x('OBJECT', 'idletime', 'k')).toEqual(int(0));
  });

  it('prints the help of Redis 7.0', () => {
    const r = x('OBJECT', 'help') as unknown as { t: 'arr'; v: { t: string; v: string }[] };
    expect(r.v.map((l) => l.v)).toEqual([
      'OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
      'ENCODING <key>',
      '    Return the kind of internal representation used in order to store the value',
      '    associated with a <key>.',
      'FREQ <key>',
      '    Return the access frequency index of the <key>. The returned integer is',
      '    proportional to the logarithm of the recent access frequency of the key.',
      'IDLETIME <key>',
      '    Return the idle time of the <key>, that is the approximated number of',
      '    seconds elapsed since the last access to the key.',
      'REFCOUNT <key>',
      '    Return the number of references of the value associated with the specified',
      '    <key>.',
      'HELP',
      '    Prints this help.',
    ]);
    expect(r.v.every((l) => l.t === 'simple')).toBe(true);
  });
});

describe('EXPIRE family, TTL family, PERSIST', () => {
  it('rejects bad arguments with Redis messages', () => {
    x('SET', 'foo', 'bar');
    const invalid = (cmd: string) => err(`ERR invalid expire time in '${cmd}' command`);
    expect(x('EXPIRE', 'foo', '9223372036854775')).toEqual(invalid('expire'));
    expect(x('EXPIRE', 'foo', '9223372036854776')).toEqual(invalid('expire'));
    expect(x('EXPIRE', 'foo', '-9223372036854776')).toEqual(invalid('expire'));
    expect(x('PEXPIRE', 'foo', '9223372036854770000')).toEqual(invalid('pexpire'));
    expect(x('expireat', 'foo', 'abc')).toEqual(err('ERR value is not an integer or out of range'));
    for (const bad of ['-0', '+1', ' 1', '007', '1.5', '']) {
      expect(x('EXPIRE', 'foo', bad)).toEqual(err('ERR value is not an integer or out of range'));
    }
    const nxErr = err('ERR NX and XX, GT or LT options at the same time are not compatible');
    expect(x('EXPIRE', 'foo', '10', 'nx', 'xx')).toEqual(nxErr);
    expect(x('EXPIRE', 'foo', '10', 'nx', 'gt')).toEqual(nxErr);
    expect(x('EXPIRE', 'foo', '10', 'gt', 'lt')).toEqual(err('ERR GT and LT options at the same time are not compatible'));
    expect(x('EXPIRE', 'foo', '10', 'xx', 'gt', 'lt')).toEqual(
      err('ERR GT and LT options at the same time are not compatible'),
    );
    expect(x('EXPIRE', 'foo', '10', 'foo')).toEqual(err('ERR Unsupported option foo'));
    expect(x('TTL', 'foo')).toEqual(int(-1));
  });

  it('applies NX XX GT LT like Redis', () => {
    x('SET', 'foo', 'bar');
    expect(x('EXPIRE', 'foo', '100', 'xx')).toEqual(int(0));
    expect(x('EXPIRE', 'foo', '100', 'gt')).toEqual(int(0));
    expect(x('EXPIRE', 'foo', '100', 'lt')).toEqual(int(1));
    expect(x('EXPIRE', 'foo', '100', 'nx')).toEqual(int(0));
    expect(x('EXPIRE', 'foo', '200', 'gt')).toEqual(int(1));
    expect(x('EXPIRE', 'foo', '300', 'lt')).toEqual(int(0));
    expect(x('EXPIRE', 'foo', '100', 'xx', 'lt')).toEqual(int(1));
    expect(x('TTL', 'foo')).toEqual(int(100));
    expect(x('EXPIRE', 'nokey', '100')).toEqual(int(0));
  });

  it('keeps int64 times exact and deletes keys whose time is past', () => {
    const sub = subscriber();
    x('SET', 'foo', 'bar');
    expect(x('PEXPIREAT', 'foo', '9223372036854770000')).toEqual(int(1));
    expect(x('PEXPIRETIME', 'foo')).toEqual(int(9223372036854770000n));
    expect(x('EXPIRETIME', 'foo')).toEqual(int(9223372036854770n));
    expect(eventsOf(sub)).toEqual(['0 new foo', '0 set foo', '0 expire foo']);
    expect(x('PEXPIREAT', 'foo', '-9223372036854770000')).toEqual(int(1));
    expect(eventsOf(sub)).toEqual(['0 del foo']);
    expect(x('TTL', 'foo')).toEqual(int(-2));
    x('SET', 'foo', 'bar');
    expect(x('EXPIRE', 'foo', '-9999999999999')).toEqual(int(1));
    expect(x('EXISTS', 'foo')).toEqual(int(0));
  });

  it('computes TTL PTTL EXPIRETIME PEXPIRETIME on the command clock', () => {
    vi.useFakeTimers({ now: 1_700_000_000_000 });
    x('SET', 'k', 'v');
    expect(x('PEXPIRE', 'k', '10499')).toEqual(int(1));
    expect(x('TTL', 'k')).toEqual(int(10));
    expect(x('PTTL', 'k')).toEqual(int(10499));
    expect(x('PEXPIRETIME', 'k')).toEqual(int(1_700_000_010_499));
    expect(x('EXPIRETIME', 'k')).toEqual(int(1_700_000_010));
    x('PEXPIRE', 'k', '10500');
    expect(x('TTL', 'k')).toEqual(int(11));
    expect(x('EXPIREAT', 'k', '1700000100')).toEqual(int(1));
    expect(x('PTTL', 'k')).toEqual(int(100_000));
    vi.setSystemTime(1_700_000_100_000);
    expect(x('PTTL', 'k')).toEqual(int(0));
    vi.setSystemTime(1_700_000_100_001);
    expect(x('PTTL', 'k')).toEqual(int(-2));
    expect(x('TTL', 'nokey')).toEqual(int(-2));
    expect(x('EXPIRETIME', 'nokey')).toEqual(int(-2));
  });

  it('PERSIST removes a TTL once, with a persist event and a WATCH signal', () => {
    const sub = subscriber();
    x('SET', 'k', 'v');
    expect(x('PERSIST', 'k')).toEqual(int(0));
    x('EXPIRE', 'k', '100');
    const other = node.client();
    other.exec('WATCH', 'k');
    eventsOf(sub);
    expect(x('PERSIST', 'k')).toEqual(int(1));
    expect(x('PERSIST', 'k')).toEqual(int(0));
    expect(x('PERSIST', 'nokey')).toEqual(int(0));
    expect(eventsOf(sub)).toEqual(['0 persist k']);
    expect(x('TTL', 'k')).toEqual(int(-1));
    other.exec('MULTI');
    other.exec('PING');
    expect(other.exec('EXEC')).toEqual(R.nilArray);
  });
});
