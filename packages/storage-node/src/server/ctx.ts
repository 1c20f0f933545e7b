/**
 * The Ctx handlers receive (commands/context.ts), one reusable object per client.
 *
 * Handlers run synchronously, so each client has one ctx for all its commands instead of one
 * per call; `now` is the node's command clock (NodeCore.now). `db` follows the client's SELECT, which matters inside
 * EXEC where a queued SELECT changes the database of the commands after it.
 */
import type { Bytes, Reply } from '@swarmkv/resp';
import type { BlockRequest, Ctx, NotifyClass } from '../commands/context.js';
import type { Database } from '../keyspace/db-api.js';
import type { NodeConfig } from '../config.js';
import type { Client } from './client.js';
import type { NodeCore } from './core.js';

export class NodeCtx implements Ctx {
  constructor(
    readonly core: NodeCore,
    readonly client: Client,
  ) {}

  /** The command clock: read once per command, on first use (clock reads are not free). */
  get now(): number {
    return this.core.now();
  }

  get db(): Database {
    return this.core.dbs[this.client.dbIndex]!;
  }

  get dbs(): readonly Database[] {
    return this.core.dbs;
  }

  get config(): NodeConfig {
    return this.core.config;
  }

  signalModified(key: Bytes, db?: Database): void {
    this.core.watch.touch((db ?? this.db).id, key);
  }

  notify(cls: NotifyClass, event: string, key: Bytes, db?: Database): void {
    this.core.notifier.notify(cls, event, key, (db ?? this.db).id);
  }

  signalReady(key: Bytes, db?: Database): void {
    this.core.blocking.signalReady((db ?? this.db).id, key);
  }

  block(req: BlockRequest): Reply {
    return this.core.blocking.block(this, req, this.client.lastCmd);
  }

  /** FLUSHDB/FLUSHALL, called before `db` is emptied: breaks WATCHes on keys that exist in it. */
  signalFlushDb(db: Database): void {
    this.core.watch.touchDb(db.id, (k) => db.peek(k) !== undefined);
  }

  /** SWAPDB, called before the swap: WATCHes on keys existing in either db break; waiters re-check. */
  signalSwapDb(a: Database, b: Database): void {
    this.core.watch.touchDb(a.id, (k) => a.peek(k) !== undefined, (k) => b.peek(k) !== undefined);
    this.core.watch.touchDb(b.id, (k) => b.peek(k) !== undefined, (k) => a.peek(k) !== undefined);
    this.core.blocking.signalDbReady(a.id);
    this.core.blocking.signalDbReady(b.id);
  }
}

/** My server-level state from a handler's ctx (connection/server/pubsub/transaction commands). */
export function coreOf(ctx: Ctx): NodeCore {
  return (ctx as NodeCtx).core;
}

export function clientOf(ctx: Ctx): Client {
  return (ctx as NodeCtx).client;
}
