/** The differential harness itself: both servers start, and a few basic replies agree. */
import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import { DiffPair, canonicalUnordered } from '../support/diff.js';

describe('differential harness', () => {
  let pair: DiffPair;
  beforeAll(async () => {
    pair = await DiffPair.start();
  });
  afterAll(async () => pair?.stop());

  it('PING, ECHO and an unknown command answer alike in RESP2 and RESP3', async () => {
    for (const proto of [2, 3] as const) {
      const c = await pair.connect(proto);
      await c.expectSame([['PING'], ['PING', 'hello'], ['ECHO', 'x\r\ny'], ['NOSUCHCOMMAND', 'a', 'b'], ['GET']]);
      c.close();
    }
  });

  it('detects a difference', async () => {
    const c = await pair.connect();
    await c.both('DEL', 'only-on-redis');
    await c.redis.call('SET', 'only-on-redis', '1');
    const d = await c.run([['ECHO', 'same'], ['GET', 'only-on-redis']]);
    expect(d.map((x) => x.index)).toEqual([1]);
    expect(d[0]!.redis.latin1Slice()).toBe('$1\r\n1\r\n');
    expect(d[0]!.node.latin1Slice()).toBe('$-1\r\n');
    await c.redis.call('DEL', 'only-on-redis');
    c.close();
  });

  it('compares unordered replies as multisets', () => {
    const a = Buffer.from('*2\r\n$1\r\na\r\n$1\r\nb\r\n');
    const b = Buffer.from('*2\r\n$1\r\nb\r\n$1\r\na\r\n');
    expect(canonicalUnordered(a, 'elements')).toBe(canonicalUnordered(b, 'elements'));
    expect(a.equals(b)).toBe(false);
  });
});
