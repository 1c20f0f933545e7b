/**
 * The seam between the cron and the keyspace's active expire cycle (keyspace/expire.ts): the
 * slow cycle from serverCron, the fast one from the end of each I/O batch (Redis's beforeSleep).
 * Both return true when the cycle stopped on its time limit with expired keys probably left.
 * Databases that are not the keyspace's Db (test stand-ins) expire lazily only.
 */
import { Db } from '../keyspace/db.js';
import { activeExpireCycle } from '../keyspace/expire.js';
import type { NodeCore } from './core.js';

function keyspaceDbs(core: NodeCore): Db[] | undefined {
  return core.dbs.length > 0 && core.dbs[0] instanceof Db ? (core.dbs as Db[]) : undefined;
}

export function runActiveExpire(core: NodeCore, now: number): boolean {
  const dbs = keyspaceDbs(core);
  return dbs === undefined ? false : activeExpireCycle(dbs, 'slow', now, core.config.hz);
}

export function runFastExpire(core: NodeCore, now: number): boolean {
  const dbs = keyspaceDbs(core);
  return dbs === undefined ? false : activeExpireCycle(dbs, 'fast', now, core.config.hz);
}
