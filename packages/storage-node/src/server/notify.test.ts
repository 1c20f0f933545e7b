import { afterEach, describe, expect, it } from 'vitest';
import { R, type Bytes } from '@swarmkv/resp';
import { createTestNode, type TestNode } from '../testing.js';
import { HANDLERS } from '../commands/index.js';
import type { Ctx } from '../commands/context.js';
import { formatNotifyFlags, parseNotifyFlags, NOTIFY_ALL, NOTIFY_KEYSPACE, NOTIFY_KEYEVENT } from './notify.js';

let node: TestNode;
afterEach(() => node?.close());

const handlers = {
  ...HANDLERS,
  TOUCHY: (ctx: Ctx, argv: Bytes[]) => {
    ctx.notify('$', 'set', argv[1]!);
    ctx.notify('l', 'lpush', argv[1]!);
    return R.ok;
  },
};

describe('keyspace notifications', () => {
  it('parses and prints flags like Redis', () => {
    expect(parseNotifyFlags('KEA')).toBe(NOTIFY_ALL | NOTIFY_KEYSPACE | NOTIFY_KEYEVENT);
    expect(parseNotifyFlags('Kq')).toBe(-1);
    expect(formatNotifyFlags(parseNotifyFlags('Kmn'))).toBe('nKm');
    expect(formatNotifyFlags(parseNotifyFlags('zxE'))).toBe('zxE');
    expect(formatNotifyFlags(parseNotifyFlags('AAg'))).toBe('A');
  });

  it('publishes on __keyspace@db__ and __keyevent@db__ for enabled classes only', () => {
    node = createTestNode({ notifyKeyspaceEvents: 'K$' }, { handlers });
    const sub = node.client();
    sub.exec('PSUBSCRIBE', '__key*__:*');
    sub.output();
    node.exec('SELECT', '3');
    node.exec('TOUCHY', 'k1');
    expect(sub.output()).toBe(
      '*4\r\n$8\r\npmessage\r\n$10\r\n__key*__:*\r\n$17\r\n__keyspace@3__:k1\r\n$3\r\nset\r\n',
    );
    node.exec('CONFIG', 'SET', 'notify-keyspace-events', 'El');
    node.exec('TOUCHY', 'k2');
    expect(sub.output()).toBe(
      '*4\r\n$8\r\npmessage\r\n$10\r\n__key*__:*\r\n$20\r\n__keyevent@3__:lpush\r\n$2\r\nk2\r\n',
    );
    node.exec('CONFIG', 'SET', 'notify-keyspace-events', '');
    node.exec('TOUCHY', 'k3');
    expect(sub.output()).toBe('');
  });
});
