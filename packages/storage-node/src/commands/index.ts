/**
 * Every handler, by upper-case command name. Each group lives in its own file; the type checks
 * in commands/index.test.ts make sure the table and the command specs in @swarmkv/resp agree.
 */
import type { HandlerTable } from './context.js';
import { CONNECTION_HANDLERS } from './connection.js';
import { KEYSPACE_HANDLERS } from './keyspace.js';
import { LIST_HANDLERS } from './list.js';
import { HASH_HANDLERS } from './hash.js';
import { PUBSUB_HANDLERS } from './pubsub.js';
import { SERVER_HANDLERS } from './server.js';
import { SET_HANDLERS } from './set.js';
import { SORT_HANDLERS } from './sort.js';
import { ZSET_HANDLERS } from './zset.js';
import { STRING_HANDLERS } from './strings.js';
import { TRANSACTION_HANDLERS } from './transactions.js';

export const HANDLERS: HandlerTable = {
  ...CONNECTION_HANDLERS,
  ...KEYSPACE_HANDLERS,
  ...LIST_HANDLERS,
  ...HASH_HANDLERS,
  ...PUBSUB_HANDLERS,
  ...SERVER_HANDLERS,
  ...SET_HANDLERS,
  ...SORT_HANDLERS,
  ...ZSET_HANDLERS,
  ...STRING_HANDLERS,
  ...TRANSACTION_HANDLERS,
};
