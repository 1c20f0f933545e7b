/**
 * In-process nodes for unit tests: commands run through the same dispatcher as the network
 * path (lookup, arity, auth, MULTI, pub/sub rules, handlers, blocked-client serving) without
 * sockets, and `exec` hands back the Reply object.
 *
 *     const node = createTestNode();
 *     node.exec('SET', 'k', 'v');            // { t: 'simple', v: 'OK' }
 *     const other = node.client();           // a second connection
 *     other.exec('SUBSCRIBE', 'ch');
 *     node.exec('PUBLISH', 'ch', 'hi');
 *     other.output();                        // the RESP bytes it received, replies and pushes
 *     node.cronTick();                       // one serverCron run (active expiry ...)
 *     node.close();
 *
 * Arguments may be strings (taken as Bytes as they are: write non-ASCII with utf8ToBytes),
 * Buffers (converted as latin1) or numbers. Time: handlers read Date.now(), so vitest's fake
 * timers (vi.setSystemTime) move the command clock.
 */
import type { Bytes, Reply } from '@swarmkv/resp';
import { defaultConfig, type NodeConfig } from './config.js';
import { NodeCore, type DatabasesFactory } from './server/core.js';
import { MemorySink, type Client } from './server/client.js';
import { BLOCKED } from './server/blocking.js';
import { Cron } from './server/cron.js';
import { createDatabases } from './server/databases.js';
import type { HandlerTable } from './commands/context.js';

export { BLOCKED } from './server/blocking.js';

export type Arg = string | Buffer | number;

export interface TestClient {
  readonly id: number;
  /** The server-side client state (protocol, dbIndex, subscriptions ...). */
  readonly state: Client;
  /** Run one command; BLOCKED when it blocked (its reply then arrives in output()). */
  exec(...args: Arg[]): Reply;
  /** Everything this client was sent since the last call (encoded RESP), then cleared. */
  output(): string;
  /** True once the server closed this connection (QUIT, CLIENT KILL ...). */
  readonly closed: boolean;
  /** Disconnect. */
  close(): void;
}

export interface TestNode extends TestClient {
  readonly core: NodeCore;
  readonly config: NodeConfig;
  /** Open another in-process connection. */
  client(): TestClient;
  /** Run one serverCron tick now (active expiry, rehashing, timeouts, client limits). */
  cronTick(): void;
  /** Disconnect every client and stop timers. */
  close(): void;
}

export interface TestNodeOptions {
  /** Use another Database implementation. */
  createDbs?: DatabasesFactory;
  /** Use another handler table (default: every command's, commands/index.ts HANDLERS). */
  handlers?: HandlerTable;
}

function toBytes(a: Arg): Bytes {
  if (typeof a === 'string') return a;
  if (typeof a === 'number') return String(a);
  return a.latin1Slice(0, a.length);
}

class InProcessClient implements TestClient {
  readonly state: Client;
  private readonly sink = new MemorySink();

  constructor(private readonly core: NodeCore) {
    this.state = core.createClient(this.sink);
  }

  get id(): number {
    return this.state.id;
  }

  get closed(): boolean {
    return this.sink.closed || this.state.closed;
  }

  exec(...args: Arg[]): Reply {
    if (this.closed) throw new Error('test client is closed');
    if (args.length === 0) throw new Error('exec needs a command');
    const c = this.state;
    c.lastInteraction = Date.now();
    const reply = this.core.dispatcher.execute(c, args.map(toBytes));
    c.flush();
    if (c.closeAfterReply) this.close();
    return reply;
  }

  output(): string {
    this.core.flushPending();
    this.state.flush();
    const data = this.sink.data;
    this.sink.data = '';
    return data;
  }

  close(): void {
    this.sink.closed = true;
    this.core.removeClient(this.state);
  }
}

export function createTestNode(config: Partial<NodeConfig> = {}, opts: TestNodeOptions = {}): TestNode {
  const cfg = defaultConfig({ logLevel: 'silent', ...config });
  const core = new NodeCore(cfg, opts.createDbs ?? createDatabases, undefined, opts.handlers);
  const cron = new Cron(core);
  const first = new InProcessClient(core);
  const clients: InProcessClient[] = [first];
  return {
    core,
    config: cfg,
    get id() {
      return first.id;
    },
    get state() {
      return first.state;
    },
    get closed() {
      return first.closed;
    },
    exec: (...args: Arg[]) => first.exec(...args),
    output: () => first.output(),
    client: () => {
      const c = new InProcessClient(core);
      clients.push(c);
      return c;
    },
    cronTick: () => cron.tick(),
    close: () => {
      for (const c of clients) if (!c.closed) c.close();
      core.close();
    },
  };
}

/** True when a reply means "the client is now blocked". */
export function isBlocked(r: Reply): boolean {
  return r === BLOCKED;
}

/**
 * A compact, unambiguous rendering of a reply for test assertions: +OK :1 $bulk nil [..] {..} -ERR ...
 * (pre-encoded RESP arrays of bulks, as LRANGE returns, render like arrays).
 */
export function formatReply(r: Reply): string {
  switch (r.t) {
    case 'simple':
      return '+' + r.v;
    case 'err':
      return '-' + r.v;
    case 'int':
      return ':' + String(r.v);
    case 'bulk':
      return '$' + r.v;
    case 'nil':
      return 'nil';
    case 'nilarr':
      return 'nilarr';
    case 'arr':
    case 'set':
    case 'push':
      return '[' + r.v.map(formatReply).join(',') + ']';
    case 'map':
      return '{' + r.v.map(formatReply).join(',') + '}';
    case 'raw':
      return fmtRespBulks(r.v);
    default:
      return JSON.stringify(r);
  }
}

/** A pre-encoded RESP array of bulks (LRANGE) in the same notation: [$a,$b]. */
function fmtRespBulks(s: string): string {
  const m = /^\*(\d+)\r\n/.exec(s);
  if (!m) return 'raw:' + JSON.stringify(s);
  const items: string[] = [];
  let p = m[0].length;
  for (let i = 0; i < Number(m[1]); i++) {
    const e = s.indexOf('\r\n', p);
    const len = Number(s.slice(p + 1, e));
    items.push('$' + s.slice(e + 2, e + 2 + len));
    p = e + 2 + len + 2;
  }
  if (p !== s.length) return 'raw:' + JSON.stringify(s);
  return '[' + items.join(',') + ']';
}
