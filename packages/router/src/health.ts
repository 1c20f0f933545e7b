/**
 * Health checks: every `healthIntervalMs` each node gets a PING on its own connection (so a
 * long pipeline on the shared ones does not look like a dead node), and the round trip feeds
 * the latency INFO reports. A ping unanswered for `healthTimeoutMs` marks the node down (a node
 * that hangs, or a network that drops packets, closes no socket). A node that is down is retried
 * by its own backoff timer (node.ts emits 'reconnect'); the first answered ping brings it up.
 */
import type { UpstreamNode } from './upstream/node.js';
import type { ReplySink } from './upstream/connection.js';

const PING = '*1\r\n$4\r\nPING\r\n';

export class HealthMonitor {
  private timer: NodeJS.Timeout | null = null;
  private readonly watched = new Set<UpstreamNode>();

  constructor(
    private readonly intervalMs: number,
    private readonly timeoutMs: number,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  watch(node: UpstreamNode): void {
    if (this.watched.has(node)) return;
    this.watched.add(node);
    node.on('reconnect', () => this.check(node));
    node.on('connection-lost', () => this.check(node));
    this.check(node);
  }

  unwatch(node: UpstreamNode): void {
    this.watched.delete(node);
  }

  private tick(): void {
    for (const node of this.watched) this.check(node);
  }

  /** Pings `node` now unless a ping is already out (then only checks its age). */
  check(node: UpstreamNode): void {
    if (node.retired) return;
    const now = performance.now();
    const conn = node.healthConn;
    if (conn === null || conn.closed) {
      node.pingSentAt = 0;
      node.healthPings = 0;
      node.healthConn = node.openHealth((c) => this.ping(node, c));
      return;
    }
    if (node.pingSentAt !== 0) {
      if (now - node.pingSentAt > this.timeoutMs) {
        // Timers run before sockets are read: if this process was busy, the PONG may be waiting
        // unread. Decide after the next poll phase has had the chance to deliver it.
        const sentAt = node.pingSentAt;
        setImmediate(() => {
          if (node.pingSentAt !== sentAt || node.healthConn !== conn) return;
          node.healthConn = null;
          conn.destroy('health check timeout');
          node.markDown(`no reply to PING within ${this.timeoutMs} ms`);
        });
      }
      return;
    }
    if (conn.ready) this.ping(node, conn);
  }

  private ping(node: UpstreamNode, conn: NonNullable<UpstreamNode['healthConn']>): void {
    if (node.pingSentAt !== 0 || conn.closed) return;
    const sentAt = performance.now();
    node.pingSentAt = sentAt;
    const sink: ReplySink = {
      onReply(_part, buf, start) {
        if (node.healthConn !== conn) return;
        node.pingSentAt = 0;
        if (buf[start] === 45 /* '-' */) {
          // e.g. -LOADING or -NOAUTH: reachable but not serving.
          node.markDown(buf.latin1Slice(start + 1, buf.indexOf(13, start)));
          return;
        }
        // The first ping on a new connection also pays for its setup: not a latency sample.
        if (node.healthPings++ > 0) node.recordLatency(performance.now() - sentAt);
        node.markUp();
      },
      onFail() {
        if (node.healthConn === conn) node.pingSentAt = 0;
      },
    };
    conn.send(PING, sink, 0);
  }
}
