import { afterEach, describe, expect, it, vi } from 'vitest';
import { R } from '@swarmkv/resp';
import { createTestNode, type TestNode } from '../testing.js';

let node: TestNode;
afterEach(() => {
  node?.close();
  vi.useRealTimers();
});

describe('MULTI / EXEC / DISCARD', () => {
  it('queues and runs commands in order', () => {
    node = createTestNode();
    expect(node.exec('MULTI')).toEqual(R.ok);
    expect(node.exec('ECHO', 'a')).toEqual(R.queued);
    expect(node.exec('SELECT', '1')).toEqual(R.queued);
    expect(node.exec('PING')).toEqual(R.queued);
    expect(node.exec('EXEC')).toEqual(R.arr([R.bulk('a'), R.ok, R.pong]));
    expect(node.state.dbIndex).toBe(1);
  });

  it('errors at queue time abort with EXECABORT; runtime errors do not', () => {
    node = createTestNode();
    node.exec('MULTI');
    expect(node.exec('MULTI')).toEqual(R.err('ERR MULTI calls can not be nested'));
    expect(node.exec('WATCH', 'k')).toEqual(R.err('ERR WATCH inside MULTI is not allowed'));
    expect(node.exec('ECHO')).toEqual(R.err("ERR wrong number of arguments for 'echo' command"));
    expect(node.exec('EXEC')).toEqual(R.err('EXECABORT Transaction discarded because of previous errors.'));
    expect(node.exec('EXEC')).toEqual(R.err('ERR EXEC without MULTI'));

    node.exec('MULTI');
    node.exec('NOSUCHCMD');
    expect(node.exec('EXEC')).toEqual(R.err('EXECABORT Transaction discarded because of previous errors.'));

    node.exec('MULTI');
    node.exec('SELECT', '999');
    node.exec('PING');
    expect(node.exec('EXEC')).toEqual(R.arr([R.err('ERR DB index is out of range'), R.pong]));
  });

  it('DISCARD drops the queue', () => {
    node = createTestNode();
    expect(node.exec('DISCARD')).toEqual(R.err('ERR DISCARD without MULTI'));
    node.exec('MULTI');
    node.exec('SELECT', '2');
    expect(node.exec('DISCARD')).toEqual(R.ok);
    expect(node.state.dbIndex).toBe(0);
    expect(node.exec('EXEC')).toEqual(R.err('ERR EXEC without MULTI'));
  });

  it('SUBSCRIBE inside EXEC answers its confirmation inside the array', () => {
    node = createTestNode();
    node.exec('MULTI');
    node.exec('SUBSCRIBE', 'c');
    node.output();
    node.exec('EXEC');
    expect(node.output()).toBe('*1\r\n*3\r\n$9\r\nsubscribe\r\n$1\r\nc\r\n:1\r\n');
  });
});

describe('WATCH', () => {
  it('a write by another client makes EXEC answer a nil array', () => {
    node = createTestNode();
    const other = node.client();
    expect(node.exec('WATCH', 'k')).toEqual(R.ok);
    other.exec('SET', 'k', 'v');
    node.exec('MULTI');
    node.exec('PING');
    expect(node.exec('EXEC')).toEqual(R.nilArray);
    // The WATCH is gone after EXEC.
    node.exec('MULTI');
    node.exec('PING');
    expect(node.exec('EXEC')).toEqual(R.arr([R.pong]));
  });

  it('untouched keys, other databases and UNWATCH let EXEC run', () => {
    node = createTestNode();
    const other = node.client();
    node.exec('WATCH', 'k');
    other.exec('SELECT', '1');
    other.exec('SET', 'k', 'v');
    other.exec('SELECT', '0');
    other.exec('SET', 'unrelated', 'v');
    node.exec('MULTI');
    node.exec('PING');
    expect(node.exec('EXEC')).toEqual(R.arr([R.pong]));

    node.exec('WATCH', 'k');
    other.exec('SET', 'k', 'v2');
    node.exec('UNWATCH');
    node.exec('MULTI');
    node.exec('PING');
    expect(node.exec('EXEC')).toEqual(R.arr([R.pong]));
  });

  it("the client's own writes before MULTI also break it; DISCARD forgets the WATCH", () => {
    node = createTestNode();
    node.exec('WATCH', 'k');
    node.exec('SET', 'k', '1');
    node.exec('MULTI');
    expect(node.exec('EXEC')).toEqual(R.nilArray);
    node.exec('WATCH', 'k');
    node.exec('MULTI');
    node.exec('DISCARD');
    node.client().exec('SET', 'k', '2');
    node.exec('MULTI');
    expect(node.exec('EXEC')).toEqual(R.arr([]));
  });

  it('a key that expires between WATCH and EXEC breaks the transaction', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1_000_000);
    node = createTestNode();
    node.exec('SET', 'k', 'v');
    node.core.dbs[0]!.setExpire('k', 1_000_500);
    node.exec('WATCH', 'k');
    vi.setSystemTime(1_001_000);
    node.exec('MULTI');
    node.exec('PING');
    expect(node.exec('EXEC')).toEqual(R.nilArray);
  });
});
