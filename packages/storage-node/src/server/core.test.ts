import { afterEach, describe, expect, it } from 'vitest';
import { createTestNode, type TestNode } from '../testing.js';
import type { ClientSink } from './client.js';

let node: TestNode;
afterEach(() => node?.close());

/** A sink whose peer never reads: everything written stays pending. */
class StuckSink implements ClientSink {
  pendingBytes = 0;
  closed = false;
  readonly remoteAddress = '127.0.0.1:1';
  readonly localAddress = '127.0.0.1:2';
  readonly fd = -1;
  write(data: string): void {
    this.pendingBytes += data.length;
  }
  close(): void {
    this.closed = true;
  }
}

describe('pub/sub output buffer limits', () => {
  it('the soft limit disconnects only after soft-seconds over it', () => {
    node = createTestNode({ clientOutputBufferLimitPubsub: { hard: 0, soft: 1000, softSeconds: 10 } });
    const sink = new StuckSink();
    const c = node.core.createClient(sink);
    node.core.dispatcher.execute(c, ['SUBSCRIBE', 'ch']);
    c.flush();
    node.exec('PUBLISH', 'ch', 'x'.repeat(2000));
    node.core.flushPending();
    expect(c.softLimitSince).toBeGreaterThan(0);
    const t0 = c.softLimitSince;
    node.core.checkOutputLimits(c, t0 + 5_000);
    expect(sink.closed).toBe(false);
    node.core.checkOutputLimits(c, t0 + 10_000);
    expect(sink.closed).toBe(true);
    expect(node.core.clients.has(c.id)).toBe(false);
  });

  it('dropping below the soft limit resets its timer; the hard limit acts at once', () => {
    node = createTestNode({ clientOutputBufferLimitPubsub: { hard: 5000, soft: 1000, softSeconds: 10 } });
    const sink = new StuckSink();
    const c = node.core.createClient(sink);
    node.core.dispatcher.execute(c, ['SUBSCRIBE', 'ch']);
    c.flush();
    node.exec('PUBLISH', 'ch', 'x'.repeat(2000));
    node.core.flushPending();
    expect(c.softLimitSince).toBeGreaterThan(0);
    sink.pendingBytes = 0;
    node.core.checkOutputLimits(c, Date.now());
    expect(c.softLimitSince).toBe(0);
    node.exec('PUBLISH', 'ch', 'x'.repeat(6000));
    node.core.flushPending();
    expect(sink.closed).toBe(true);
  });
});
