/**
 * Which Database implementation a node uses: the keyspace's (keyspace/db.ts), created together
 * so that they share one set of keyspace counters.
 */
import type { DatabasesFactory } from './core.js';
import { createDatabases as createKeyspaceDatabases } from '../keyspace/db.js';

export const createDatabases: DatabasesFactory = (count, hooks) => createKeyspaceDatabases(count, hooks);
