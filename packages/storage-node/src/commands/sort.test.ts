/**
 * SORT / SORT_RO in-process over lists, intsets, hashtable sets and both sorted-set encodings:
 * numeric and ALPHA order, BY string keys / hash fields / nosort, GET, LIMIT, STORE (a list,
 * "sortstore" event, waking BLPOP) and the errors. Expected bytes were transcribed from
 * redis-server 7.0.15; tests/diff/sort.diff.test.ts compares against a real one.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { encodeReply } from '@swarmkv/resp';
import { createTestNode, isBlocked, type TestNode } from '../testing.js';

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

const bulks = (...xs: string[]) => `*${xs.length}\r\n` + xs.map((x) => (x === null ? '$-1\r\n' : `$${x.length}\r\n${x}\r\n`)).join('');

describe('SORT', () => {
  it('sorts lists, sets and sorted sets numerically and ALPHA', () => {
    const x = start({ setMaxIntsetEntries: 4, zsetMaxListpackEntries: 4 });
    x('RPUSH', 'l', '3', '10', '-1', '2.5', ' 7');
    expect(x('SORT', 'l')).toBe(bulks('-1', '2.5', '3', ' 7', '10'));
    expect(x('SORT', 'l', 'ALPHA', 'DESC')).toBe(bulks('3', '2.5', '10', '-1', ' 7'));
    expect(x('SORT', 'l', 'LIMIT', '1', '2')).toBe(bulks('2.5', '3'));
    x('SADD', 'si', '5', '1', '3');
    x('SADD', 'sh', 'b', 'a', 'c', 'd', 'e');
    expect(x('SORT', 'si', 'DESC')).toBe(bulks('5', '3', '1'));
    expect(x('SORT', 'sh', 'ALPHA')).toBe(bulks('a', 'b', 'c', 'd', 'e'));
    expect(x('SORT', 'sh')).toBe("-ERR One or more scores can't be converted into double\r\n");
    x('ZADD', 'z', '3', 'a', '1', 'b', '2', 'c');
    expect(x('SORT', 'z', 'BY', 'nosort')).toBe(bulks('b', 'c', 'a'));
    expect(x('SORT', 'z', 'BY', 'nosort', 'DESC', 'LIMIT', '0', '2')).toBe(bulks('a', 'c'));
    expect(x('OBJECT', 'ENCODING', 'z')).toBe('$8\r\nskiplist\r\n');
    x('SET', 'str', 'v');
    expect(x('SORT', 'str')).toBe('-WRONGTYPE Operation against a key holding the wrong kind of value\r\n');
    expect(x('SORT_RO', 'l', 'STORE', 'd')).toBe('-ERR syntax error\r\n');
    expect(x('SORT', 'l', 'LIMIT', 'a', '1')).toBe('-ERR value is not an integer or out of range\r\n');
    expect(x('SORT', 'nosuch')).toBe('*0\r\n');
  });

  it('BY and GET patterns with string keys and hash fields', () => {
    const x = start();
    x('RPUSH', 'l', 'a', 'b', 'c');
    x('MSET', 'w_a', '3', 'w_b', '1', 'o_a', 'A', 'o_c', 'C');
    x('HSET', 'h_a', 'f', '2');
    x('HSET', 'h_c', 'f', '1');
    expect(x('SORT', 'l', 'BY', 'w_*')).toBe(bulks('c', 'b', 'a'));
    expect(x('SORT', 'l', 'BY', 'h_*->f', 'GET', '#', 'GET', 'o_*')).toBe(
      '*6\r\n$1\r\nb\r\n$-1\r\n$1\r\nc\r\n$1\r\nC\r\n$1\r\na\r\n$1\r\nA\r\n',
    );
    expect(x('SORT', 'l', 'BY', 'o_*', 'ALPHA', 'DESC')).toBe(bulks('c', 'a', 'b'));
    expect(x('SORT', 'l', 'ALPHA', 'GET', 'h_*->f', 'GET', 'nostar')).toBe('*6\r\n$1\r\n2\r\n$-1\r\n$-1\r\n$-1\r\n$1\r\n1\r\n$-1\r\n');
  });

  it('STORE writes a list, fires sortstore and wakes BLPOP', () => {
    const x = start();
    x('CONFIG', 'SET', 'notify-keyspace-events', 'KEA');
    const sub = node!.client();
    sub.exec('SUBSCRIBE', '__keyevent@0__:sortstore');
    sub.output();
    const waiter = node!.client();
    expect(isBlocked(waiter.exec('BLPOP', 'dst', '0'))).toBe(true);
    x('SADD', 's', '3', '1', '2');
    expect(x('SORT', 's', 'BY', 'nosort', 'STORE', 'dst')).toBe(':3\r\n');
    expect(waiter.output()).toBe('*2\r\n$3\r\ndst\r\n$1\r\n1\r\n');
    expect(x('LRANGE', 'dst', '0', '-1')).toBe(bulks('2', '3'));
    expect(sub.output()).toContain('sortstore');
    expect(x('SORT', 'nosuch', 'STORE', 'dst')).toBe(':0\r\n');
    expect(x('EXISTS', 'dst')).toBe(':0\r\n');
  });
});
