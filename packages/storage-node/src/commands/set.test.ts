/**
 * Set commands in-process, once with the default set-max-intset-entries and once with it forced
 * to 4 so every command also runs on hashtable sets. Expected bytes were transcribed from
 * redis-server 7.0.15 (tests/diff/set.diff.test.ts replays much more against a real one).
 * Also: encoding boundaries through the commands, keyspace events, WATCH, random commands'
 * guarantees (distinct members for positive counts, repeats for negative ones).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { encodeReply } from '@swarmkv/resp';
import { createTestNode, type TestNode } from '../testing.js';

let node: TestNode | undefined;
afterEach(() => {
  node?.close();
  node = undefined;
});

function start(cfg: object = {}): (...args: string[]) => string {
  node = createTestNode(cfg);
  const n = node;
  return (...args: string[]) => encodeReply(n.exec(...args), n.state.protocol);
}

/** Bulk strings of a reply, sorted (hashtable order is unspecified). */
function members(resp: string): string[] {
  return [...resp.matchAll(/\$\d+\r\n([^\r]*)\r\n/g)].map((m) => m[1]!).sort();
}

for (const { name, cfg } of [
  { name: 'default intset limit', cfg: {} },
  { name: 'intset limit 4', cfg: { setMaxIntsetEntries: 4 } },
]) {
  describe(`sets (${name})`, () => {
    it('SADD / SREM / SISMEMBER / SMISMEMBER / SCARD / SMOVE', () => {
      const x = start(cfg);
      expect(x('SADD', 's', '1', '2', '3', '2')).toBe(':3\r\n');
      expect(x('SISMEMBER', 's', '2')).toBe(':1\r\n');
      expect(x('SISMEMBER', 's', '02')).toBe(':0\r\n');
      expect(x('SMISMEMBER', 's', '1', 'x', '3')).toBe('*3\r\n:1\r\n:0\r\n:1\r\n');
      expect(x('SCARD', 's')).toBe(':3\r\n');
      expect(x('SREM', 's', '1', 'x')).toBe(':1\r\n');
      expect(x('SMOVE', 's', 'd', '2')).toBe(':1\r\n');
      expect(x('SMOVE', 's', 'd', '2')).toBe(':0\r\n');
      expect(x('SMOVE', 's', 's', '3')).toBe(':1\r\n');
      expect(x('SREM', 's', '3')).toBe(':1\r\n');
      expect(x('EXISTS', 's')).toBe(':0\r\n');
      x('SET', 'str', 'v');
      expect(x('SADD', 'str', 'a')).toBe('-WRONGTYPE Operation against a key holding the wrong kind of value\r\n');
      expect(x('SINTERCARD', '2', 'd')).toBe("-ERR Number of keys can't be greater than number of args\r\n");
      expect(x('SPOP', 'd', '-1')).toBe('-ERR value is out of range, must be positive\r\n');
    });

    it('SINTER / SUNION / SDIFF and their STORE forms', () => {
      const x = start(cfg);
      x('SADD', 'a', '1', '2', '3', '4', '5');
      x('SADD', 'b', '4', '5', '6', 'x');
      expect(members(x('SINTER', 'a', 'b'))).toEqual(['4', '5']);
      expect(members(x('SUNION', 'a', 'b'))).toEqual(['1', '2', '3', '4', '5', '6', 'x']);
      expect(members(x('SDIFF', 'b', 'a'))).toEqual(['6', 'x']);
      expect(x('SINTERSTORE', 'd', 'a', 'b')).toBe(':2\r\n');
      expect(x('OBJECT', 'ENCODING', 'd')).toBe('$6\r\nintset\r\n');
      expect(x('SDIFFSTORE', 'd', 'b', 'a')).toBe(':2\r\n');
      expect(x('OBJECT', 'ENCODING', 'd')).toBe('$9\r\nhashtable\r\n');
      expect(x('SINTERCARD', '2', 'a', 'b', 'LIMIT', '1')).toBe(':1\r\n');
      expect(x('SINTERSTORE', 'd', 'a', 'nosuch')).toBe(':0\r\n');
      expect(x('EXISTS', 'd')).toBe(':0\r\n');
      x('HELLO', '3');
      expect(x('SMEMBERS', 'nosuch')).toBe('~0\r\n');
      expect(x('SINTER', 'a', 'a').startsWith('~5\r\n')).toBe(true);
    });

    it('SPOP / SRANDMEMBER keep Redis guarantees', () => {
      const x = start(cfg);
      const all = Array.from({ length: 30 }, (_, i) => String(i));
      x('SADD', 'r', ...all);
      for (const n of [1, 5, 12, 29]) {
        const got = members(x('SRANDMEMBER', 'r', String(n)));
        expect(new Set(got).size).toBe(n);
        for (const m of got) expect(all).toContain(m);
      }
      expect(members(x('SRANDMEMBER', 'r', '100'))).toEqual([...all].sort());
      const rep = members(x('SRANDMEMBER', 'r', '-200'));
      expect(rep.length).toBe(200);
      expect(new Set(rep).size).toBeLessThan(200);
      const popped = members(x('SPOP', 'r', '26'));
      expect(new Set(popped).size).toBe(26);
      expect(x('SCARD', 'r')).toBe(':4\r\n');
      for (const m of popped) expect(x('SISMEMBER', 'r', m)).toBe(':0\r\n');
      expect(members(x('SPOP', 'r', '10')).length).toBe(4);
      expect(x('EXISTS', 'r')).toBe(':0\r\n');
    });
  });
}

describe('set encodings through the commands', () => {
  it('intset up to 512 integers, hashtable on the 513th, a string or a 65-bit value', () => {
    const x = start();
    const ints = Array.from({ length: 512 }, (_, i) => String(i));
    x('SADD', 'i', ...ints);
    expect(x('OBJECT', 'ENCODING', 'i')).toBe('$6\r\nintset\r\n');
    x('SADD', 'i', '512');
    expect(x('OBJECT', 'ENCODING', 'i')).toBe('$9\r\nhashtable\r\n');
    x('SADD', 's', '1', '2');
    x('SADD', 's', 'two');
    expect(x('OBJECT', 'ENCODING', 's')).toBe('$9\r\nhashtable\r\n');
    x('SADD', 'b', '1', '9223372036854775807');
    expect(x('OBJECT', 'ENCODING', 'b')).toBe('$6\r\nintset\r\n');
    x('SADD', 'b', '9223372036854775808');
    expect(x('OBJECT', 'ENCODING', 'b')).toBe('$9\r\nhashtable\r\n');
    x('SADD', 'w', '-9223372036854775808', '70000', '-3');
    expect(x('SMEMBERS', 'w')).toBe('*3\r\n$20\r\n-9223372036854775808\r\n$2\r\n-3\r\n$5\r\n70000\r\n');
  });
});

describe('set side effects', () => {
  it('fires the keyspace events Redis fires', () => {
    const x = start();
    x('CONFIG', 'SET', 'notify-keyspace-events', 'KEA');
    const sub = node!.client();
    sub.exec('PSUBSCRIBE', '__keyevent@0__:*');
    sub.output();
    x('SADD', 's', 'a', 'b', 'c');
    x('SADD', 's', 'a');
    x('SREM', 's', 'a');
    x('SPOP', 's');
    x('SMOVE', 's', 't', 'b');
    x('SMOVE', 's', 't', 'c');
    x('SINTERSTORE', 'd', 't');
    x('SUNIONSTORE', 'd', 't');
    x('SDIFFSTORE', 'd', 't', 't');
    x('SPOP', 't', '5');
    const events = [...sub.output().matchAll(/__keyevent@0__:(\w+)\r\n\$\d+\r\n(\w+)/g)].map((m) => `${m[1]}:${m[2]}`);
    const popped = events[2]!.startsWith('spop') ? 'b' : 'c';
    expect(events.slice(0, 3)).toEqual(['sadd:s', 'srem:s', 'spop:s']);
    expect(events.slice(3)).toEqual(
      popped === 'b'
        ? ['srem:s', 'del:s', 'sadd:t', 'sinterstore:d', 'sunionstore:d', 'del:d', 'spop:t', 'del:t']
        : ['srem:s', 'sadd:t', 'srem:s', 'del:s', 'sadd:t', 'sinterstore:d', 'sunionstore:d', 'del:d', 'spop:t', 'del:t'],
    );
  });

  it('breaks WATCH only when the set changes', () => {
    const x = start();
    x('SADD', 's', 'a');
    const other = node!.client();
    x('WATCH', 's');
    other.exec('SADD', 's', 'a');
    other.exec('SREM', 's', 'zz');
    x('MULTI');
    x('PING');
    expect(x('EXEC')).toBe('*1\r\n+PONG\r\n');
    x('WATCH', 's');
    other.exec('SADD', 's', 'b');
    x('MULTI');
    x('PING');
    expect(x('EXEC')).toBe('*-1\r\n');
  });
});
