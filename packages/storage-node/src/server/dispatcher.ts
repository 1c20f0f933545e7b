/**
 * Running one command for one client, with Redis's checks in Redis's order: lookup (unknown
 * command / subcommand), arity, authentication, the RESP2 subscribed-state restriction, MULTI
 * queuing; then the handler with the command clock, statistics, error containment, and finally
 * serving clients blocked on keys the command made ready.
 *
 * `execute` is the network path: it appends the encoded reply to the client's output honouring
 * CLIENT REPLY. `call` returns the Reply object (in-process tests). A rejection inside MULTI
 * flags the transaction so EXEC answers EXECABORT.
 */
import type { Bytes, Reply } from '@swarmkv/resp';
import { R, RespError } from '@swarmkv/resp';
import { ReplyMode, type Client } from './client.js';
import { CommandTable, type CommandEntry } from './command-table.js';
import { BLOCKED } from './blocking.js';
import { encode } from './encode.js';
import type { NodeCore } from './core.js';
import type { HandlerTable } from '../commands/context.js';

const NOAUTH = R.err('NOAUTH Authentication required.');
const EXECABORT = R.err('EXECABORT Transaction discarded because of previous errors.');
const INTERNAL_ERROR = R.err('ERR internal error');
/** Bound on the per-spelling lookup caches (clients normally use one or two spellings). */
const MAX_SPELLINGS = 4096;
/** One command in this many is timed for INFO commandstats (a power of two). */
const TIMING_SAMPLE = 16;

/** Redis maps CR and LF in error messages to spaces so that the reply stays one line. */
function oneLine(s: string): string {
  return s.indexOf('\r') < 0 && s.indexOf('\n') < 0 ? s : s.replace(/[\r\n]/g, ' ');
}

/** Redis's "unknown command" text: the name and up to ~128 bytes of quoted arguments. */
export function unknownCommandError(argv: readonly Bytes[]): Reply {
  let args = '';
  for (let i = 1; i < argv.length && args.length < 128; i++) args += `'${argv[i]!.slice(0, 128 - args.length)}' `;
  return R.err(oneLine(`ERR unknown command '${argv[0]!.slice(0, 128)}', with args beginning with: ${args}`));
}

export class Dispatcher {
  readonly table: CommandTable;
  /** Command name as sent -> entry. */
  private readonly bySpelling = new Map<string, CommandEntry>();
  private timingTick = 0;

  constructor(
    private readonly core: NodeCore,
    handlers?: HandlerTable,
  ) {
    this.table = new CommandTable(handlers);
  }

  /**
   * Run, then append the encoded reply to the client's output (CLIENT REPLY aware). Returns the
   * reply too (BLOCKED when the client now waits), for in-process callers.
   */
  execute(c: Client, argv: Bytes[]): Reply {
    const reply = this.call(c, argv);
    if (reply.t === 'err') this.countError(reply.v);
    const mode = c.replyMode;
    if (mode === ReplyMode.On) {
      if (reply !== BLOCKED) c.out += encode(reply, c.protocol);
    } else if (mode === ReplyMode.Skip) c.replyMode = ReplyMode.On;
    else if (mode === ReplyMode.SkipNext) c.replyMode = ReplyMode.Skip;
    return reply;
  }

  /**
   * Whether a command would write (CLIENT PAUSE WRITE holds these back): write or may_replicate
   * commands, and EXEC of a transaction holding one. Unknown commands count as not writing.
   */
  isWrite(c: Client, argv: Bytes[]): boolean {
    let e = this.bySpelling.get(argv[0]!) ?? this.table.find(argv[0]!);
    if (e === null) return false;
    if (e.subs !== null && argv.length >= 2) {
      const sub = this.table.findSub(e, argv[1]!);
      if (sub === null) return false;
      e = sub;
    }
    if (e.name === 'exec') return c.multiQueue?.some((q) => q.entry.isWrite) ?? false;
    return e.isWrite || (e.spec?.flags.includes('may_replicate') ?? false);
  }

  /** Check and run one command; returns its reply (BLOCKED when the client now waits). */
  call(c: Client, argv: Bytes[]): Reply {
    const name = argv[0]!;
    let e = this.bySpelling.get(name);
    if (e === undefined) {
      const found = this.table.find(name);
      if (found === null) return this.reject(c, null, unknownCommandError(argv));
      e = found;
      if (this.bySpelling.size < MAX_SPELLINGS) this.bySpelling.set(name, e);
    }
    if (e.subs !== null && argv.length >= 2) {
      const subName = argv[1]!;
      let sub = e.subs.get(subName);
      if (sub === undefined) {
        sub = this.table.findSub(e, subName);
        if (sub !== null && e.subs.size < MAX_SPELLINGS) e.subs.set(subName, sub);
      }
      if (sub === null) {
        return this.reject(
          c,
          null,
          R.err(oneLine(`ERR unknown subcommand '${subName.slice(0, 128)}'. Try ${name.toUpperCase()} HELP.`)),
        );
      }
      e = sub;
    }
    const arity = e.arity;
    if ((arity > 0 && arity !== argv.length) || argv.length < -arity) {
      return this.reject(c, e, R.err(`ERR wrong number of arguments for '${e.name}' command`));
    }
    if (!c.authenticated && !e.noAuth && this.core.config.requirepass !== '') return this.reject(c, e, NOAUTH);
    if (c.protocol === 2 && !e.pubsubOk && c.subscriptionCount() > 0) {
      return this.reject(
        c,
        e,
        R.err(
          `ERR Can't execute '${e.name}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`,
        ),
      );
    }
    if (c.multiQueue !== null && !e.txPassthrough) {
      if (e.noMulti) return this.reject(c, e, R.err('ERR Command not allowed inside a transaction'));
      c.multiQueue.push({ entry: e, argv });
      return R.queued;
    }
    const reply = this.run(c, e, argv);
    if (this.core.blocking.hasReady) this.core.blocking.serveReady();
    return reply;
  }

  /**
   * Invoke a handler: command clock, stats, and containment of bugs. INFO commandstats time is
   * sampled (one command in TIMING_SAMPLE, scaled up): a clock read costs ~80 ns here, as much
   * as the rest of a GET's dispatch.
   */
  run(c: Client, e: CommandEntry, argv: Bytes[]): Reply {
    const core = this.core;
    c.lastCmd = e.name;
    const timed = (++this.timingTick & (TIMING_SAMPLE - 1)) === 0;
    const t0 = timed ? performance.now() : 0;
    let reply: Reply;
    core.enterCommand();
    try {
      reply = e.handler(c.ctx, argv);
    } catch (err) {
      reply = this.handlerError(e, err);
    } finally {
      core.leaveCommand();
    }
    if (timed) e.usec += (performance.now() - t0) * 1000 * TIMING_SAMPLE;
    e.calls++;
    core.stats.totalCommands++;
    if (reply.t === 'err') e.failedCalls++;
    else if (e.isWrite) core.dirty++;
    return reply;
  }

  /** EXEC: run the queue unless a queuing error or a touched WATCH aborts it. */
  exec(c: Client): Reply {
    const queue = c.multiQueue;
    if (queue === null) return R.err('ERR EXEC without MULTI');
    const core = this.core;
    if (!c.dirtyCas && c.watched.length > 0) {
      const now = core.now();
      const expired = (dbId: number, key: Bytes): boolean => {
        const db = core.dbs[dbId];
        if (db === undefined) return false;
        if (db.isExpired !== undefined) return db.isExpired(key);
        const when = db.getExpire(key);
        return when !== undefined && now > when;
      };
      if (core.watch.anyExpiredSinceWatch(c, expired)) c.dirtyCas = true;
    }
    if (c.multiError || c.dirtyCas) {
      const reply = c.multiError ? EXECABORT : R.nilArray;
      this.discard(c);
      return reply;
    }
    core.watch.unwatchAll(c);
    c.multiQueue = null;
    c.inExec = true;
    const replies: Reply[] = new Array(queue.length);
    // The whole transaction runs on the EXEC's clock.
    core.now();
    try {
      for (let i = 0; i < queue.length; i++) {
        const q = queue[i]!;
        const r = this.run(c, q.entry, q.argv);
        if (r.t === 'err') this.countError(r.v);
        replies[i] = r;
      }
    } finally {
      c.inExec = false;
      c.multiError = false;
      c.dirtyCas = false;
    }
    return R.arr(replies);
  }

  /** DISCARD / failed EXEC / RESET: leave the transaction and forget WATCHes. */
  discard(c: Client): void {
    c.multiQueue = null;
    c.multiError = false;
    c.dirtyCas = false;
    this.core.watch.unwatchAll(c);
  }

  private reject(c: Client, e: CommandEntry | null, reply: Reply): Reply {
    if (c.multiQueue !== null) c.multiError = true;
    if (e !== null) e.rejectedCalls++;
    return reply;
  }

  private handlerError(e: CommandEntry, err: unknown): Reply {
    if (err instanceof RespError) return R.fromError(err);
    this.core.stats.unexpectedErrorReplies++;
    // The command name and stack frames only: messages may quote keys or values.
    const stack = err instanceof Error ? (err.stack ?? '').split('\n').slice(1).join('\n') : '';
    const kind = err instanceof Error ? err.constructor.name : typeof err;
    this.core.log.error({ cmd: e.name, kind, stack }, 'command handler threw');
    return INTERNAL_ERROR;
  }

  private countError(msg: string): void {
    const stats = this.core.stats;
    stats.totalErrorReplies++;
    const sp = msg.indexOf(' ');
    const code = sp < 0 ? msg : msg.slice(0, sp);
    stats.errors.set(code, (stats.errors.get(code) ?? 0) + 1);
  }
}
