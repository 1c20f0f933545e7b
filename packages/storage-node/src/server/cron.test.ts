import { afterEach, describe, expect, it, vi } from 'vitest';
import { R } from '@swarmkv/resp';
import { createTestNode, type TestNode } from '../testing.js';

let node: TestNode;
afterEach(() => {
  node?.close();
  vi.useRealTimers();
});

describe('serverCron', () => {
  it('closes clients idle past `timeout`, but not subscribers', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1_000_000);
    node = createTestNode();
    node.exec('CONFIG', 'SET', 'timeout', '5');
    const idle = node.client();
    const sub = node.client();
    idle.exec('PING');
    sub.exec('SUBSCRIBE', 'c');
    vi.setSystemTime(1_003_000);
    node.exec('PING');
    node.cronTick();
    expect(idle.closed).toBe(false);
    vi.setSystemTime(1_007_000);
    node.exec('PING');
    node.cronTick();
    expect(idle.closed).toBe(true);
    expect(sub.closed).toBe(false);
    expect(node.closed).toBe(false);
  });

  it('expires keys nobody reads (active expiry)', () => {
    node = createTestNode();
    for (let i = 0; i < 50; i++) node.exec('SET', `k${i}`, 'v');
    const db = node.core.dbs[0]!;
    for (let i = 0; i < 50; i++) db.setExpire(`k${i}`, Date.now() - 1);
    expect(db.size()).toBe(50);
    node.cronTick();
    expect(db.size()).toBe(0);
    expect((node.exec('INFO', 'stats') as { v: string }).v).toContain('expired_keys:50\r\n');
  });

  it('an expiry fires the expired event and breaks WATCH', () => {
    node = createTestNode({ notifyKeyspaceEvents: 'Ex' });
    const sub = node.client();
    sub.exec('SUBSCRIBE', '__keyevent@0__:expired');
    sub.output();
    node.exec('SET', 'k', 'v');
    node.exec('WATCH', 'k');
    node.core.dbs[0]!.setExpire('k', Date.now() - 1);
    node.cronTick();
    expect(sub.output()).toBe('*3\r\n$7\r\nmessage\r\n$22\r\n__keyevent@0__:expired\r\n$1\r\nk\r\n');
    node.exec('MULTI');
    expect(node.exec('EXEC')).toEqual(R.nilArray);
  });
});
