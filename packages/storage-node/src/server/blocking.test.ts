import { afterEach, describe, expect, it } from 'vitest';
import { R, type Bytes, type Reply } from '@swarmkv/resp';
import { createTestNode, isBlocked, type TestNode } from '../testing.js';
import { HANDLERS } from '../commands/index.js';
import type { Ctx, HandlerTable } from '../commands/context.js';

/** A toy list type outside the keyspace, so blocking is tested on its own. */
function toyHandlers(): HandlerTable {
  const lists = new Map<Bytes, Bytes[]>();
  const pop = (keys: readonly Bytes[]): Reply | undefined => {
    for (const k of keys) {
      const l = lists.get(k);
      if (l !== undefined && l.length > 0) return R.bulks([k, l.shift()!]);
    }
    return undefined;
  };
  return {
    ...HANDLERS,
    TPUSH: (ctx: Ctx, argv: Bytes[]) => {
      const l = lists.get(argv[1]!) ?? [];
      lists.set(argv[1]!, l);
      l.push(...argv.slice(2));
      ctx.signalReady(argv[1]!);
      return R.int(l.length);
    },
    TBPOP: (ctx: Ctx, argv: Bytes[]) => {
      const keys = argv.slice(1, -1);
      const got = pop(keys);
      if (got !== undefined) return got;
      const timeout = Number(argv[argv.length - 1]);
      return ctx.block({
        keys,
        deadlineMs: timeout === 0 ? 0 : ctx.now + timeout * 1000,
        retry: () => pop(keys),
        timeoutReply: () => R.nilArray,
      });
    },
  };
}

let node: TestNode;
afterEach(() => node?.close());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('blocking', () => {
  it('serves waiting clients first come, first served', () => {
    node = createTestNode({}, { handlers: toyHandlers() });
    const a = node.client();
    const b = node.client();
    expect(isBlocked(a.exec('TBPOP', 'k', '0'))).toBe(true);
    expect(isBlocked(b.exec('TBPOP', 'k', 'other', '0'))).toBe(true);
    expect(node.core.blocking.blockedCount).toBe(2);
    node.exec('TPUSH', 'k', 'x');
    expect(a.output()).toBe('*2\r\n$1\r\nk\r\n$1\r\nx\r\n');
    expect(b.output()).toBe('');
    node.exec('TPUSH', 'other', 'y');
    expect(b.output()).toBe('*2\r\n$5\r\nother\r\n$1\r\ny\r\n');
    expect(node.core.blocking.blockedCount).toBe(0);
  });

  it('a push of several elements serves several clients in one go', () => {
    node = createTestNode({}, { handlers: toyHandlers() });
    const [a, b, c] = [node.client(), node.client(), node.client()];
    for (const x of [a, b, c]) x.exec('TBPOP', 'k', '0');
    node.exec('TPUSH', 'k', '1', '2');
    expect(a.output()).toContain('$1\r\n1\r\n');
    expect(b.output()).toContain('$1\r\n2\r\n');
    expect(c.output()).toBe('');
  });

  it('times out with sub-second precision', async () => {
    node = createTestNode({}, { handlers: toyHandlers() });
    const a = node.client();
    const t0 = Date.now();
    a.exec('TBPOP', 'k', '0.05');
    await sleep(20);
    expect(a.output()).toBe('');
    for (let i = 0; i < 85 && a.output() === ''; i++) await sleep(10);
    // output() cleared it above; check the state instead.
    expect(a.state.blocked).toBe(null);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(45);
    // Below a second: a timeout rounded to whole seconds would fire at 1000 ms. The slack above
    // 50 ms is for loaded machines.
    expect(Date.now() - t0).toBeLessThan(950);
  });

  it('CLIENT UNBLOCK with TIMEOUT or ERROR', () => {
    node = createTestNode({}, { handlers: toyHandlers() });
    const a = node.client();
    a.exec('TBPOP', 'k', '0');
    expect(node.exec('CLIENT', 'UNBLOCK', String(a.id))).toEqual(R.int(1));
    expect(a.output()).toBe('*-1\r\n');
    expect(node.exec('CLIENT', 'UNBLOCK', String(a.id))).toEqual(R.int(0));
    a.exec('TBPOP', 'k', '0');
    expect(node.exec('CLIENT', 'UNBLOCK', String(a.id), 'ERROR')).toEqual(R.int(1));
    expect(a.output()).toBe('-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n');
  });

  it('shows the blocked client in CLIENT LIST and INFO, and forgets it on disconnect', () => {
    node = createTestNode({}, { handlers: toyHandlers() });
    const a = node.client();
    a.exec('TBPOP', 'k', '0');
    const list = (node.exec('CLIENT', 'LIST', 'ID', String(a.id)) as { v: string }).v;
    expect(list).toContain(' flags=b ');
    expect(list).toContain(' cmd=tbpop ');
    expect((node.exec('INFO', 'clients') as { v: string }).v).toContain('blocked_clients:1\r\n');
    a.close();
    expect(node.core.blocking.blockedCount).toBe(0);
    expect(node.exec('TPUSH', 'k', 'v')).toEqual(R.int(1));
  });

  it('inside MULTI a blocking command answers its timeout reply at once; EXEC serves waiters after the whole transaction', () => {
    node = createTestNode({}, { handlers: toyHandlers() });
    node.exec('MULTI');
    node.exec('TBPOP', 'k', '0');
    expect(node.exec('EXEC')).toEqual(R.arr([R.nilArray]));
    const a = node.client();
    a.exec('TBPOP', 'k', '0');
    node.exec('MULTI');
    node.exec('TPUSH', 'k', 'v1');
    node.exec('TBPOP', 'k', '0');
    // The transaction's own pop runs before the waiter is served.
    expect(node.exec('EXEC')).toEqual(R.arr([R.int(1), R.bulks(['k', 'v1'])]));
    expect(a.output()).toBe('');
  });
});
