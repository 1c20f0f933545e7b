/**
 * Sorted-set commands in-process, once with Redis's default thresholds and once with them forced
 * small (zset-max-listpack-entries 4, zset-max-listpack-value 8) so every command runs on both
 * encodings. Expected bytes were transcribed from redis-server 7.0.15 (tests/diff/zset.diff.test.ts
 * replays much more against a real one). Also: conversion boundaries through the commands,
 * keyspace notifications, WATCH, and blocked clients.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { encodeReply } from '@swarmkv/resp';
import { createTestNode, isBlocked, type TestNode } from '../testing.js';

const CONFIGS = [
  { name: 'default thresholds', cfg: {} },
  { name: 'small thresholds', cfg: { zsetMaxListpackEntries: 4, zsetMaxListpackValue: 8 } },
] as const;

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

for (const { name, cfg } of CONFIGS) {
  describe(`sorted sets (${name})`, () => {
    it('ZADD / ZRANGE / ZSCORE / ZRANK replies', () => {
      const x = start(cfg);
      expect(x('ZADD', 'z', '1', 'a', '2', 'b', '1.5', 'c', '2', 'longer-member')).toBe(':4\r\n');
      expect(x('ZRANGE', 'z', '0', '-1', 'WITHSCORES')).toBe(
        '*8\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nc\r\n$3\r\n1.5\r\n$1\r\nb\r\n$1\r\n2\r\n$13\r\nlonger-member\r\n$1\r\n2\r\n',
      );
      expect(x('ZSCORE', 'z', 'c')).toBe('$3\r\n1.5\r\n');
      expect(x('ZINCRBY', 'z', '0.1', 'c')).toBe('$18\r\n1.6000000000000001\r\n');
      expect(x('ZRANK', 'z', 'b')).toBe(':2\r\n');
      expect(x('ZREVRANK', 'z', 'b')).toBe(':1\r\n');
      expect(x('ZADD', 'z', 'XX', 'NX', '1', 'a')).toBe('-ERR XX and NX options at the same time are not compatible\r\n');
      expect(x('ZADD', 'z', 'GT', 'LT', '1', 'a')).toBe('-ERR GT, LT, and/or NX options at the same time are not compatible\r\n');
      expect(x('ZADD', 'z', 'INCR', '1', 'a', '2', 'b')).toBe('-ERR INCR option supports a single increment-element pair\r\n');
      expect(x('ZADD', 'z', 'INCR', '-inf', 'x', )).toBe('$4\r\n-inf\r\n');
      expect(x('ZINCRBY', 'z', '+inf', 'x')).toBe('-ERR resulting score is not a number (NaN)\r\n');
      expect(x('ZRANGEBYSCORE', 'z', 'x', '1')).toBe('-ERR min or max is not a float\r\n');
      expect(x('ZRANGEBYLEX', 'z', 'x', '+')).toBe('-ERR min or max not valid string range item\r\n');
      expect(x('ZADD', 'z', 'nan', 'a')).toBe('-ERR value is not a valid float\r\n');
    });

    it('RESP3 shapes: pairs for WITHSCORES and counted pops, doubles', () => {
      const x = start(cfg);
      x('HELLO', '3');
      x('ZADD', 'z', '1', 'a', '2', 'b', '3', 'c');
      expect(x('ZRANGE', 'z', '0', '1', 'WITHSCORES')).toBe('*2\r\n*2\r\n$1\r\na\r\n,1\r\n*2\r\n$1\r\nb\r\n,2\r\n');
      expect(x('ZSCORE', 'z', 'a')).toBe(',1\r\n');
      expect(x('ZPOPMIN', 'z')).toBe('*2\r\n$1\r\na\r\n,1\r\n');
      expect(x('ZPOPMAX', 'z', '1')).toBe('*1\r\n*2\r\n$1\r\nc\r\n,3\r\n');
      expect(x('ZMPOP', '1', 'z', 'MIN')).toBe('*2\r\n$1\r\nz\r\n*1\r\n*2\r\n$1\r\nb\r\n,2\r\n');
      expect(x('ZMPOP', '1', 'z', 'MIN')).toBe('_\r\n');
      expect(x('ZSCORE', 'z', 'a')).toBe('_\r\n');
    });

    it('ZUNIONSTORE / ZINTERSTORE / ZDIFFSTORE with sets and weights', () => {
      const x = start(cfg);
      x('ZADD', 'a', '1', 'x', '2', 'y');
      x('SADD', 's', 'y', 'z');
      expect(x('ZUNIONSTORE', 'd', '2', 'a', 's', 'WEIGHTS', '2', '3')).toBe(':3\r\n');
      expect(x('ZRANGE', 'd', '0', '-1', 'WITHSCORES')).toBe('*6\r\n$1\r\nx\r\n$1\r\n2\r\n$1\r\nz\r\n$1\r\n3\r\n$1\r\ny\r\n$1\r\n7\r\n');
      expect(x('ZINTERSTORE', 'd', '2', 'a', 's', 'AGGREGATE', 'MAX')).toBe(':1\r\n');
      expect(x('ZDIFFSTORE', 'd', '2', 'a', 'nosuch')).toBe(':2\r\n');
      expect(x('ZINTERSTORE', 'd', '2', 'a', 'nosuch')).toBe(':0\r\n');
      expect(x('EXISTS', 'd')).toBe(':0\r\n');
      expect(x('ZUNION', '0', 'a')).toBe("-ERR at least 1 input key is needed for 'zunion' command\r\n");
    });
  });
}

describe('sorted-set encodings through the commands', () => {
  it('converts at 129 entries and 65-byte members, and ZADD on a new key looks at the first member only', () => {
    const x = start();
    for (let i = 0; i < 128; i++) x('ZADD', 'z', String(i), `m${i}`);
    expect(x('OBJECT', 'ENCODING', 'z')).toBe('$8\r\nlistpack\r\n');
    x('ZADD', 'z', '1', 'm128');
    expect(x('OBJECT', 'ENCODING', 'z')).toBe('$8\r\nskiplist\r\n');
    x('ZADD', 'v', '1', 'a'.repeat(64));
    expect(x('OBJECT', 'ENCODING', 'v')).toBe('$8\r\nlistpack\r\n');
    x('ZADD', 'v', '1', 'a'.repeat(65));
    expect(x('OBJECT', 'ENCODING', 'v')).toBe('$8\r\nskiplist\r\n');
    x('ZADD', 'w', '1', 'b'.repeat(65), '2', 'short');
    expect(x('OBJECT', 'ENCODING', 'w')).toBe('$8\r\nskiplist\r\n');
    // Results are converted back down when small: ZUNIONSTORE of the big set's first members.
    x('ZRANGESTORE', 'small', 'z', '0', '9');
    expect(x('OBJECT', 'ENCODING', 'small')).toBe('$8\r\nlistpack\r\n');
    x('ZUNIONSTORE', 'u', '1', 'small');
    expect(x('OBJECT', 'ENCODING', 'u')).toBe('$8\r\nlistpack\r\n');
    x('ZRANGESTORE', 'big', 'z', '0', '128');
    expect(x('OBJECT', 'ENCODING', 'big')).toBe('$8\r\nskiplist\r\n');
    // SORT converts a listpack sorted set to a skiplist, as Redis does.
    x('SORT', 'small', 'ALPHA');
    expect(x('OBJECT', 'ENCODING', 'small')).toBe('$8\r\nskiplist\r\n');
  });
});

describe('sorted-set side effects', () => {
  it('fires the keyspace events Redis fires', () => {
    const x = start();
    x('CONFIG', 'SET', 'notify-keyspace-events', 'KEA');
    const sub = node!.client();
    sub.exec('PSUBSCRIBE', '__keyevent@0__:*');
    sub.output();
    x('ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd');
    x('ZADD', 'z', '1', 'a');
    x('ZINCRBY', 'z', '1', 'a');
    x('ZREM', 'z', 'nosuch');
    x('ZREM', 'z', 'a');
    x('ZREMRANGEBYSCORE', 'z', '2', '2');
    x('ZPOPMIN', 'z');
    x('ZUNIONSTORE', 'u', '1', 'z');
    x('ZRANGESTORE', 'r', 'z', '0', '0');
    x('ZPOPMAX', 'z');
    x('ZINTERSTORE', 'u', '1', 'nosuch');
    const events = [...sub.output().matchAll(/__keyevent@0__:(\w+)\r\n\$\d+\r\n(\w+)/g)].map((m) => `${m[1]}:${m[2]}`);
    expect(events).toEqual([
      'zadd:z',
      'zincr:z',
      'zrem:z',
      'zremrangebyscore:z',
      'zpopmin:z',
      'zunionstore:u',
      'zrangestore:r',
      'zpopmax:z',
      'del:z',
      'del:u',
    ]);
  });

  it('breaks WATCH only when the set changes', () => {
    const x = start();
    x('ZADD', 'z', '1', 'a');
    const other = node!.client();
    x('WATCH', 'z');
    other.exec('ZADD', 'z', '1', 'a');
    x('MULTI');
    x('PING');
    expect(x('EXEC')).toBe('*1\r\n+PONG\r\n');
    x('WATCH', 'z');
    other.exec('ZADD', 'z', '2', 'a');
    x('MULTI');
    x('PING');
    expect(x('EXEC')).toBe('*-1\r\n');
  });

  it('serves BZPOPMIN / BZMPOP clients from ZADD, first come first served', () => {
    const x = start();
    const c1 = node!.client();
    const c2 = node!.client();
    expect(isBlocked(c1.exec('BZPOPMIN', 'k1', 'k2', '0'))).toBe(true);
    expect(isBlocked(c2.exec('BZMPOP', '0', '1', 'k2', 'MAX', 'COUNT', '2'))).toBe(true);
    x('ZADD', 'k2', '1', 'a', '2', 'b', '3', 'c');
    expect(c1.output()).toBe('*3\r\n$2\r\nk2\r\n$1\r\na\r\n$1\r\n1\r\n');
    expect(c2.output()).toBe('*2\r\n$2\r\nk2\r\n*2\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n');
    expect(x('EXISTS', 'k2')).toBe(':0\r\n');
    // A key of another type does not release the client.
    expect(isBlocked(c1.exec('BZPOPMAX', 'k3', '0'))).toBe(true);
    x('SET', 'k3', 'str');
    expect(c1.output()).toBe('');
    x('DEL', 'k3');
    x('ZADD', 'k3', '5', 'z');
    expect(c1.output()).toBe('*3\r\n$2\r\nk3\r\n$1\r\nz\r\n$1\r\n5\r\n');
    expect(x('BZPOPMIN', 'k1', '-1')).toBe('-ERR timeout is negative\r\n');
    expect(x('BZPOPMIN', 'k1', 'x')).toBe('-ERR timeout is not a float or out of range\r\n');
  });

  it('times blocked clients out with a null array', async () => {
    start();
    const c1 = node!.client();
    expect(isBlocked(c1.exec('BZPOPMIN', 'none', '0.02'))).toBe(true);
    await new Promise((r) => setTimeout(r, 80));
    expect(c1.output()).toBe('*-1\r\n');
  });
});
