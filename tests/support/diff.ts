/**
 * Differential testing: the same command stream against a real redis-server 7.0 (the oracle) and a
 * swarmkv node, replies compared byte for byte, errors included.
 *
 *   const pair = await DiffPair.start();            // both servers on free ports
 *   const c = await pair.connect(3);                // one connection to each, HELLO 3 on both
 *   await c.expectSame([['SET', 'k', 'v'], ['GET', 'k']]);
 *   await c.both('CONFIG', 'SET', 'hash-max-listpack-entries', '4');   // setup, replies ignored
 *   await pair.stop();
 *
 * Replies whose order Redis does not define (SMEMBERS of a hashtable set, HGETALL, KEYS) are
 * compared as multisets: give the step as { cmd, unordered: 'elements' | 'pairs' }.
 */
import { expect } from 'vitest';
import { RawClient, replyLength, show } from './raw-client.js';
import { startRedis, startSwarmkvNode, type ServerHandle } from './servers.js';

export type Step = readonly string[] | { readonly cmd: readonly string[]; readonly unordered?: 'elements' | 'pairs' };

export interface Divergence {
  readonly index: number;
  readonly cmd: readonly string[];
  readonly redis: Buffer;
  readonly node: Buffer;
}

function stepCmd(s: Step): readonly string[] {
  return Array.isArray(s) ? (s as readonly string[]) : (s as { cmd: readonly string[] }).cmd;
}

/** Split an aggregate reply into its children's bytes (header kept apart). */
function children(buf: Buffer): { header: string; items: Buffer[] } | undefined {
  const t = String.fromCharCode(buf[0]!);
  if (!'*~%>'.includes(t)) return undefined;
  const lineEnd = buf.indexOf('\r\n', 0, 'latin1');
  const n = Number(buf.latin1Slice(1, lineEnd)) * (t === '%' ? 2 : 1);
  const items: Buffer[] = [];
  let p = lineEnd + 2;
  for (let i = 0; i < n; i++) {
    const len = replyLength(buf, p);
    items.push(buf.subarray(p, p + len));
    p += len;
  }
  return { header: buf.latin1Slice(0, lineEnd + 2), items };
}

/** Canonical form of an unordered aggregate: its children (or child pairs) sorted. */
export function canonicalUnordered(buf: Buffer, mode: 'elements' | 'pairs'): string {
  const c = children(buf);
  if (!c) return buf.latin1Slice();
  const units: string[] = [];
  if (mode === 'pairs') {
    for (let i = 0; i < c.items.length; i += 2) {
      units.push(c.items[i]!.latin1Slice() + (c.items[i + 1]?.latin1Slice() ?? ''));
    }
  } else {
    // Each element may itself be a pair (RESP3 HRANDFIELD WITHVALUES): compare whole children.
    for (const it of c.items) units.push(it.latin1Slice());
  }
  return c.header + units.sort().join('');
}

/** Asserts one command's replies from both servers are the same bytes; `what` names the step. */
export function expectSameReply({ redis, node }: { redis: Buffer; node: Buffer }, what: string): void {
  expect(node.latin1Slice(), `${what}\n   redis:   ${show(redis)}\n   swarmkv: ${show(node)}`).toBe(redis.latin1Slice());
}

export class ClientPair {
  constructor(
    readonly redis: RawClient,
    readonly node: RawClient,
  ) {}

  /** Send one command to both; returns both replies. */
  async call(...argv: string[]): Promise<{ redis: Buffer; node: Buffer }> {
    const [redis, node] = await Promise.all([this.redis.call(...argv), this.node.call(...argv)]);
    return { redis, node };
  }

  /** Setup on both servers; replies ignored. */
  async both(...argv: string[]): Promise<void> {
    await this.call(...argv);
  }

  /** Runs the steps pipelined on both servers; returns every divergence. */
  async run(steps: readonly Step[]): Promise<Divergence[]> {
    const cmds = steps.map(stepCmd);
    const [r, n] = await Promise.all([this.redis.pipeline(cmds), this.node.pipeline(cmds)]);
    const out: Divergence[] = [];
    steps.forEach((s, i) => {
      const mode = Array.isArray(s) ? undefined : (s as { unordered?: 'elements' | 'pairs' }).unordered;
      const same = mode
        ? canonicalUnordered(r[i]!, mode) === canonicalUnordered(n[i]!, mode)
        : r[i]!.equals(n[i]!);
      if (!same) out.push({ index: i, cmd: cmds[i]!, redis: r[i]!, node: n[i]! });
    });
    return out;
  }

  /** Asserts the steps give identical replies; the message names the first divergences. */
  async expectSame(steps: readonly Step[]): Promise<void> {
    const d = await this.run(steps);
    const msg = d
      .slice(0, 5)
      .map((x) => `#${x.index} ${JSON.stringify(x.cmd)}\n   redis:   ${show(x.redis)}\n   swarmkv: ${show(x.node)}`)
      .join('\n');
    expect(d.length, `replies differ from redis-server:\n${msg}`).toBe(0);
  }

  close(): void {
    this.redis.close();
    this.node.close();
  }
}

export class DiffPair {
  private readonly clients: ClientPair[] = [];

  private constructor(
    readonly redisServer: ServerHandle,
    readonly nodeServer: ServerHandle,
  ) {}

  /** Starts a redis-server and a swarmkv node. `nodeConfig` uses NodeConfig field names. */
  static async start(opts: { redisArgs?: string[]; nodeConfig?: Record<string, unknown> } = {}): Promise<DiffPair> {
    const [redis, node] = await Promise.all([startRedis(opts.redisArgs), startSwarmkvNode(opts.nodeConfig)]);
    return new DiffPair(redis, node);
  }

  /** A connection to each server; with proto 3 both get HELLO 3 first (their replies differ by design). */
  async connect(proto: 2 | 3 = 2): Promise<ClientPair> {
    const [r, n] = await Promise.all([RawClient.connect(this.redisServer.port), RawClient.connect(this.nodeServer.port)]);
    const pair = new ClientPair(r, n);
    if (proto === 3) await pair.both('HELLO', '3');
    this.clients.push(pair);
    return pair;
  }

  async stop(): Promise<void> {
    for (const c of this.clients) c.close();
    await Promise.all([this.redisServer.stop(), this.nodeServer.stop()]);
  }
}
