/**
 * What a command handler sees, and the handler table types.
 *
 * Handlers are `(ctx, argv) => Reply`: argv[0] is the command name as the client sent it,
 * arguments are Bytes. The dispatcher (server/dispatcher.ts) has already checked the command
 * exists, its arity, AUTH, MULTI queuing and the pub/sub restrictions; handlers check their own
 * syntax and throw RespError (Err.*) for Redis's error replies.
 *
 * A handler that changes the keyspace tells the rest of the server what it did, as Redis does:
 * `ctx.signalModified(key)` (WATCH), `ctx.notify('g', 'del', key)` (keyspace notifications),
 * `ctx.signalReady(key)` (wake clients blocked on a list or sorted set).
 */
import type { Bytes, Reply } from '@swarmkv/resp';
import type { Database } from '../keyspace/db-api.js';
import type { NodeConfig } from '../config.js';

/**
 * Keyspace-notification classes, Redis's letters: g generic, $ string, l list, s set, h hash,
 * z sorted set, x expired, e evicted, n new key, t stream, m key miss, d module.
 */
export type NotifyClass = 'g' | '$' | 'l' | 's' | 'h' | 'z' | 'x' | 'e' | 'n' | 'm';

/** A blocking command's wait (BLPOP & co.), served by server/blocking.ts. */
export interface BlockRequest {
  /** Keys to wait on, in the client's argument order. */
  readonly keys: readonly Bytes[];
  /** Absolute deadline in ms since the epoch; 0 waits forever. */
  readonly deadlineMs: number;
  /**
   * Called (in FIFO order per key) when one of the keys may be ready: a Reply unblocks the client.
   * `readyKey` is the key that was signalled: Redis serves a client from that key, not from the
   * first non-empty key in argument order.
   */
  retry(ctx: Ctx, readyKey?: Bytes): Reply | undefined;
  /** The reply on timeout (nil array in RESP2 for BLPOP, ...). */
  timeoutReply(ctx: Ctx): Reply;
}

/** What the connection looks like to handlers. Implemented by server/client.ts. */
export interface ClientView {
  readonly id: number;
  /** 2 or 3: the reply protocol (HELLO). */
  protocol: 2 | 3;
  name: Bytes | undefined;
  /** Index of the selected database. */
  dbIndex: number;
  /** True inside MULTI ... EXEC (a blocking command then does not block). */
  readonly inMulti: boolean;
}

export interface Ctx {
  readonly client: ClientView;
  /** The client's selected database. */
  readonly db: Database;
  /** All databases (SWAPDB, MOVE, COPY ... DB, FLUSHALL). */
  readonly dbs: readonly Database[];
  /** Live configuration (CONFIG SET changes it). */
  readonly config: NodeConfig;
  /** The command's clock: ms since the epoch, fixed for the duration of one command (Redis's cmd time). */
  readonly now: number;
  signalModified(key: Bytes, db?: Database): void;
  notify(cls: NotifyClass, event: string, key: Bytes, db?: Database): void;
  signalReady(key: Bytes, db?: Database): void;
  /** Block the client (see BlockRequest); returns the value the handler must return. */
  block(req: BlockRequest): Reply;
}

export type Handler = (ctx: Ctx, argv: Bytes[]) => Reply;
export type HandlerTable = Record<string, Handler>;
