/**
 * MULTI, EXEC, DISCARD, WATCH, UNWATCH.
 *
 * Queuing itself happens in the dispatcher (it must see every command before it runs); these
 * handlers open, run and close the transaction and keep the WATCH list. Messages are Redis's.
 */
import { R } from '@swarmkv/resp';
import type { HandlerTable } from './context.js';
import { clientOf, coreOf } from '../server/ctx.js';

export const TRANSACTION_HANDLERS: HandlerTable = {
  MULTI: (ctx) => {
    const c = clientOf(ctx);
    if (c.multiQueue !== null) return R.err('ERR MULTI calls can not be nested');
    c.multiQueue = [];
    c.multiError = false;
    return R.ok;
  },

  EXEC: (ctx) => coreOf(ctx).dispatcher.exec(clientOf(ctx)),

  DISCARD: (ctx) => {
    const c = clientOf(ctx);
    if (c.multiQueue === null) return R.err('ERR DISCARD without MULTI');
    coreOf(ctx).dispatcher.discard(c);
    return R.ok;
  },

  WATCH: (ctx, argv) => {
    const c = clientOf(ctx);
    if (c.multiQueue !== null) return R.err('ERR WATCH inside MULTI is not allowed');
    // Once the transaction is already doomed there is nothing to watch for.
    if (c.dirtyCas) return R.ok;
    const db = ctx.db;
    for (let i = 1; i < argv.length; i++) {
      const key = argv[i]!;
      // Redis keyIsExpired: present but past its time (not yet deleted).
      const when = db.getExpire(key);
      const expired = db.isExpired !== undefined ? db.isExpired(key) : when !== undefined && ctx.now > when;
      coreOf(ctx).watch.watch(c, db.id, key, expired);
    }
    return R.ok;
  },

  UNWATCH: (ctx) => {
    const c = clientOf(ctx);
    coreOf(ctx).watch.unwatchAll(c);
    c.dirtyCas = false;
    return R.ok;
  },
};
