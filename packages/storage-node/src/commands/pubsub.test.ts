import { afterEach, describe, expect, it } from 'vitest';
import { R, encodeReply, type Reply } from '@swarmkv/resp';
import { createTestNode, type TestNode } from '../testing.js';

let node: TestNode;
afterEach(() => node?.close());

const enc = (r: Reply, proto: 2 | 3 = 2) => encodeReply(r, proto);

describe('SUBSCRIBE family', () => {
  it('confirms each channel with the running count (RESP2 arrays)', () => {
    node = createTestNode();
    expect(enc(node.exec('SUBSCRIBE', 'a', 'b', 'a'))).toBe(
      '*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n' +
        '*3\r\n$9\r\nsubscribe\r\n$1\r\nb\r\n:2\r\n' +
        '*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:2\r\n',
    );
    expect(enc(node.exec('PSUBSCRIBE', 'a*'))).toBe('*3\r\n$10\r\npsubscribe\r\n$2\r\na*\r\n:3\r\n');
    // Shard channels are counted on their own.
    expect(enc(node.exec('SSUBSCRIBE', 's1'))).toBe('*3\r\n$10\r\nssubscribe\r\n$2\r\ns1\r\n:1\r\n');
    expect(enc(node.exec('UNSUBSCRIBE', 'x'))).toBe('*3\r\n$11\r\nunsubscribe\r\n$1\r\nx\r\n:3\r\n');
    expect(enc(node.exec('PUNSUBSCRIBE'))).toBe('*3\r\n$12\r\npunsubscribe\r\n$2\r\na*\r\n:2\r\n');
    expect(enc(node.exec('SUNSUBSCRIBE'))).toBe('*3\r\n$12\r\nsunsubscribe\r\n$2\r\ns1\r\n:0\r\n');
    const all = enc(node.exec('UNSUBSCRIBE'));
    expect(all).toContain('$11\r\nunsubscribe\r\n$1\r\na\r\n');
    expect(all.endsWith(':0\r\n')).toBe(true);
    expect(enc(node.exec('UNSUBSCRIBE'))).toBe('*3\r\n$11\r\nunsubscribe\r\n$-1\r\n:0\r\n');
    expect(node.exec('GET', 'k').t).not.toBe('err');
  });

  it('uses RESP3 pushes and _ for a missing channel', () => {
    node = createTestNode();
    node.exec('HELLO', '3');
    expect(enc(node.exec('UNSUBSCRIBE'), 3)).toBe('>3\r\n$11\r\nunsubscribe\r\n_\r\n:0\r\n');
    expect(enc(node.exec('SUBSCRIBE', 'a'), 3)).toBe('>3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n');
    // RESP3 clients may run any command while subscribed.
    expect(node.exec('ECHO', 'x')).toEqual(R.bulk('x'));
  });

  it('RESP2 subscribed clients may only run the subscribe family, PING, QUIT and RESET', () => {
    node = createTestNode();
    node.exec('SUBSCRIBE', 'a');
    expect(node.exec('GET', 'k')).toEqual(
      R.err("ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context"),
    );
    expect(node.exec('CONFIG', 'GET', 'hz')).toEqual(
      R.err("ERR Can't execute 'config|get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context"),
    );
    node.exec('UNSUBSCRIBE');
    expect(node.exec('ECHO', 'free')).toEqual(R.bulk('free'));
  });
});

describe('PUBLISH', () => {
  it('delivers messages and pattern messages and counts receivers', () => {
    node = createTestNode();
    const s2 = node.client();
    const s3 = node.client();
    s2.exec('SUBSCRIBE', 'news');
    s3.exec('HELLO', '3');
    s3.exec('PSUBSCRIBE', 'n*', 'x');
    s2.output();
    s3.output();
    expect(node.exec('PUBLISH', 'news', 'hello')).toEqual(R.int(2));
    expect(s2.output()).toBe('*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$5\r\nhello\r\n');
    expect(s3.output()).toBe('>4\r\n$8\r\npmessage\r\n$2\r\nn*\r\n$4\r\nnews\r\n$5\r\nhello\r\n');
    expect(node.exec('PUBLISH', 'other', 'x')).toEqual(R.int(0));
    expect(node.exec('PUBLISH', 'news')).toEqual(R.err("ERR wrong number of arguments for 'publish' command"));
  });

  it('a RESP3 client publishing to itself gets the push before the reply', () => {
    node = createTestNode();
    node.exec('HELLO', '3');
    node.exec('SUBSCRIBE', 'me');
    node.output();
    node.exec('PUBLISH', 'me', 'hi');
    expect(node.output()).toBe('>3\r\n$7\r\nmessage\r\n$2\r\nme\r\n$2\r\nhi\r\n:1\r\n');
  });

  it('SPUBLISH reaches shard subscribers only', () => {
    node = createTestNode();
    const s = node.client();
    s.exec('SSUBSCRIBE', 'sh');
    s.exec('SUBSCRIBE', 'sh');
    s.output();
    expect(node.exec('SPUBLISH', 'sh', 'm')).toEqual(R.int(1));
    expect(s.output()).toBe('*3\r\n$8\r\nsmessage\r\n$2\r\nsh\r\n$1\r\nm\r\n');
  });
});

describe('PUBSUB', () => {
  it('CHANNELS, NUMSUB, NUMPAT, SHARDCHANNELS, SHARDNUMSUB', () => {
    node = createTestNode();
    const a = node.client();
    const b = node.client();
    a.exec('SUBSCRIBE', 'alpha', 'beta');
    b.exec('SUBSCRIBE', 'alpha');
    b.exec('PSUBSCRIBE', 'p*', 'q*');
    a.exec('SSUBSCRIBE', 's1');
    expect(node.exec('PUBSUB', 'CHANNELS')).toEqual(R.bulks(['alpha', 'beta']));
    expect(node.exec('PUBSUB', 'CHANNELS', 'a*')).toEqual(R.bulks(['alpha']));
    expect(node.exec('PUBSUB', 'NUMSUB', 'alpha', 'beta', 'none')).toEqual(
      R.arr([R.bulk('alpha'), R.int(2), R.bulk('beta'), R.int(1), R.bulk('none'), R.int(0)]),
    );
    expect(node.exec('PUBSUB', 'NUMSUB')).toEqual(R.arr([]));
    expect(node.exec('PUBSUB', 'NUMPAT')).toEqual(R.int(2));
    expect(node.exec('PUBSUB', 'SHARDCHANNELS')).toEqual(R.bulks(['s1']));
    expect(node.exec('PUBSUB', 'SHARDNUMSUB', 's1')).toEqual(R.arr([R.bulk('s1'), R.int(1)]));
    expect(node.exec('PUBSUB', 'FOO')).toEqual(R.err("ERR unknown subcommand 'FOO'. Try PUBSUB HELP."));
    a.close();
    expect(node.exec('PUBSUB', 'NUMSUB', 'alpha')).toEqual(R.arr([R.bulk('alpha'), R.int(1)]));
    expect(node.exec('PUBSUB', 'SHARDCHANNELS')).toEqual(R.arr([]));
  });
});
