import { describe, expect, it } from 'vitest';
import { R } from '@swarmkv/resp';
import { createTestNode, isBlocked } from './testing.js';

describe('createTestNode', () => {
  it('runs commands through the dispatcher and returns replies', () => {
    const node = createTestNode();
    expect(node.exec('PING')).toEqual(R.pong);
    expect(node.exec('ECHO', Buffer.from([0xff, 0x00]))).toEqual(R.bulk('\xff\x00'));
    expect(node.exec('SELECT', 3)).toEqual(R.ok);
    expect(node.state.dbIndex).toBe(3);
    expect(node.exec('NOSUCH', 'a')).toEqual(R.err("ERR unknown command 'NOSUCH', with args beginning with: 'a' "));
    node.close();
  });

  it('gives each client its own connection state and output', () => {
    const node = createTestNode();
    const sub = node.client();
    expect(sub.id).not.toBe(node.id);
    sub.exec('SUBSCRIBE', 'ch');
    expect(sub.output()).toBe('*3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n');
    expect(node.exec('PUBLISH', 'ch', 'hi')).toEqual(R.int(1));
    expect(sub.output()).toBe('*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n');
    node.close();
  });

  it('reports QUIT as a closed client', () => {
    const node = createTestNode();
    const c = node.client();
    expect(c.exec('QUIT')).toEqual(R.ok);
    expect(c.closed).toBe(true);
    expect(isBlocked(node.exec('PING'))).toBe(false);
    node.close();
  });
});
