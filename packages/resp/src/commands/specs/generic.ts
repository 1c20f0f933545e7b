/**
 * Generic (keyspace) commands: deletion, existence, renaming, scanning, expiry, OBJECT and SORT.
 *
 * One entry per command, with Redis 7.0's arity, flags, ACL categories, key specs, command tips
 * (router fan-out hints) and COMMAND DOCS fields. See spec-helpers.ts for the shorthand.
 */
import type { CommandSpec } from '../spec.js';
import { defineGroup, firstKey, key, keysUntilEnd, unknownKeys } from '../spec-helpers.js';

const c = defineGroup('generic');

export const GENERIC_COMMANDS: Readonly<Record<string, CommandSpec>> = {
  DEL: c(-2, 'write', 'keyspace', [keysUntilEnd(1, 'RM delete')], {
    summary: 'Delete a key',
    since: '1.0.0',
    complexity: 'O(N) where N is the number of keys that will be removed. When a key to remove holds a value other than a string, the individual complexity for this key is O(M) where M is the number of elements in the list, set, sorted set or hash. Removing a single key that holds a string value is O(1).',
    tips: 'request_policy:multi_shard response_policy:agg_sum',
  }),
  UNLINK: c(-2, 'write fast', 'keyspace', [keysUntilEnd(1, 'RM delete')], {
    summary: 'Delete a key asynchronously in another thread. Otherwise it is just as DEL, but non blocking.',
    since: '4.0.0',
    complexity: 'O(1) for each key removed regardless of its size. Then the command does O(N) work in a different thread in order to reclaim memory, where N is the number of allocations the deleted objects where composed of.',
    tips: 'request_policy:multi_shard response_policy:agg_sum',
  }),
  EXISTS: c(-2, 'readonly fast', 'keyspace', [keysUntilEnd(1, 'RO')], {
    summary: 'Determine if a key exists',
    since: '1.0.0',
    complexity: 'O(N) where N is the number of keys to check.',
    tips: 'request_policy:multi_shard response_policy:agg_sum',
    history: [['3.0.3', 'Accepts multiple `key` arguments.']],
  }),
  TYPE: c(2, 'readonly fast', 'keyspace', [firstKey('RO')], {
    summary: 'Determine the type stored at key',
    since: '1.0.0',
    complexity: 'O(1)',
  }),
  RENAME: c(3, 'write', 'keyspace', [firstKey('RW access delete'), key(2, 'OW update')], {
    summary: 'Rename a key',
    since: '1.0.0',
    complexity: 'O(1)',
  }),
  RENAMENX: c(3, 'write fast', 'keyspace', [firstKey('RW access delete'), key(2, 'OW insert')], {
    summary: 'Rename a key, only if the new key does not exist',
    since: '1.0.0',
    complexity: 'O(1)',
    history: [
      ['3.2.0', 'The command no longer returns an error when source and destination names are the same.'],
    ],
  }),
  KEYS: c(2, 'readonly', 'keyspace dangerous', [], {
    summary: 'Find all keys matching the given pattern',
    since: '1.0.0',
    complexity: 'O(N) with N being the number of keys in the database, under the assumption that the key names in the database and the given pattern have limited length.',
    tips: 'request_policy:all_shards nondeterministic_output_order',
  }),
  SCAN: c(-2, 'readonly', 'keyspace', [], {
    summary: 'Incrementally iterate the keys space',
    since: '2.8.0',
    complexity: 'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.',
    tips: 'nondeterministic_output request_policy:special',
    history: [['6.0.0', 'Added the `TYPE` subcommand.']],
  }),
  RANDOMKEY: c(1, 'readonly', 'keyspace', [], {
    summary: 'Return a random key from the keyspace',
    since: '1.0.0',
    complexity: 'O(1)',
    tips: 'request_policy:all_shards nondeterministic_output',
  }),
  MOVE: c(3, 'write fast', 'keyspace', [firstKey('RW access update')], {
    summary: 'Move a key to another database',
    since: '1.0.0',
    complexity: 'O(1)',
  }),
  COPY: c(-3, 'write denyoom', 'keyspace', [firstKey('RO access'), key(2, 'OW update')], {
    summary: 'Copy a key',
    since: '6.2.0',
    complexity: 'O(N) worst case for collections, where N is the number of nested items. O(1) for string values.',
  }),
  TOUCH: c(-2, 'readonly fast', 'keyspace', [keysUntilEnd(1, 'RO')], {
    summary: 'Alters the last access time of a key(s). Returns the number of existing keys specified.',
    since: '3.2.1',
    complexity: 'O(N) where N is the number of keys that will be touched.',
    tips: 'request_policy:multi_shard response_policy:agg_sum',
  }),
  OBJECT: c(-2, '', '', [], {
    summary: 'A container for object introspection commands',
    since: '2.2.3',
    complexity: 'Depends on subcommand.',
    subcommands: {
      ENCODING: c(3, 'readonly', 'keyspace', [key(2, 'RO')], {
        summary: 'Inspect the internal encoding of a Redis object',
        since: '2.2.3',
        complexity: 'O(1)',
        tips: 'nondeterministic_output',
      }),
      REFCOUNT: c(3, 'readonly', 'keyspace', [key(2, 'RO')], {
        summary: 'Get the number of references to the value of the key',
        since: '2.2.3',
        complexity: 'O(1)',
        tips: 'nondeterministic_output',
      }),
      IDLETIME: c(3, 'readonly', 'keyspace', [key(2, 'RO')], {
        summary: 'Get the time since a Redis object was last accessed',
        since: '2.2.3',
        complexity: 'O(1)',
        tips: 'nondeterministic_output',
      }),
      FREQ: c(3, 'readonly', 'keyspace', [key(2, 'RO')], {
        summary: 'Get the logarithmic access frequency counter of a Redis object',
        since: '4.0.0',
        complexity: 'O(1)',
        tips: 'nondeterministic_output',
      }),
      HELP: c(2, 'loading stale', 'keyspace', [], {
        summary: 'Show helpful text about the different subcommands',
        since: '6.2.0',
        complexity: 'O(1)',
      }),
    },
  }),
  EXPIRE: c(-3, 'write fast', 'keyspace', [firstKey('RW update')], {
    summary: 'Set a key\'s time to live in seconds',
    since: '1.0.0',
    complexity: 'O(1)',
    history: [['7.0.0', 'Added options: `NX`, `XX`, `GT` and `LT`.']],
  }),
  PEXPIRE: c(-3, 'write fast', 'keyspace', [firstKey('RW update')], {
    summary: 'Set a key\'s time to live in milliseconds',
    since: '2.6.0',
    complexity: 'O(1)',
    history: [['7.0.0', 'Added options: `NX`, `XX`, `GT` and `LT`.']],
  }),
  EXPIREAT: c(-3, 'write fast', 'keyspace', [firstKey('RW update')], {
    summary: 'Set the expiration for a key as a UNIX timestamp',
    since: '1.2.0',
    complexity: 'O(1)',
    history: [['7.0.0', 'Added options: `NX`, `XX`, `GT` and `LT`.']],
  }),
  PEXPIREAT: c(-3, 'write fast', 'keyspace', [firstKey('RW update')], {
    summary: 'Set the expiration for a key as a UNIX timestamp specified in milliseconds',
    since: '2.6.0',
    complexity: 'O(1)',
    history: [['7.0.0', 'Added options: `NX`, `XX`, `GT` and `LT`.']],
  }),
  TTL: c(2, 'readonly fast', 'keyspace', [firstKey('RO access')], {
    summary: 'Get the time to live for a key in seconds',
    since: '1.0.0',
    complexity: 'O(1)',
    tips: 'nondeterministic_output',
    history: [['2.8.0', 'Added the -2 reply.']],
  }),
  PTTL: c(2, 'readonly fast', 'keyspace', [firstKey('RO access')], {
    summary: 'Get the time to live for a key in milliseconds',
    since: '2.6.0',
    complexity: 'O(1)',
    tips: 'nondeterministic_output',
    history: [['2.8.0', 'Added the -2 reply.']],
  }),
  EXPIRETIME: c(2, 'readonly fast', 'keyspace', [firstKey('RO access')], {
    summary: 'Get the expiration Unix timestamp for a key',
    since: '7.0.0',
    complexity: 'O(1)',
  }),
  PEXPIRETIME: c(2, 'readonly fast', 'keyspace', [firstKey('RO access')], {
    summary: 'Get the expiration Unix timestamp for a key in milliseconds',
    since: '7.0.0',
    complexity: 'O(1)',
  }),
  PERSIST: c(2, 'write fast', 'keyspace', [firstKey('RW update')], {
    summary: 'Remove the expiration from a key',
    since: '2.2.0',
    complexity: 'O(1)',
  }),
  SORT: c(
    -2,
    'write denyoom movablekeys',
    'set sortedset list dangerous',
    [
      firstKey('RO access'),
      unknownKeys('RO access', 'For the optional BY/GET keyword. It is marked \'unknown\' because the key names derive from the content of the key we sort'),
      unknownKeys('OW update', 'For the optional STORE keyword. It is marked \'unknown\' because the keyword can appear anywhere in the argument array'),
    ],
    {
      summary: 'Sort the elements in a list, set or sorted set',
      since: '1.0.0',
      complexity: 'O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).',
    },
  ),
  SORT_RO: c(
    -2,
    'readonly movablekeys',
    'set sortedset list dangerous',
    [
      firstKey('RO access'),
      unknownKeys('RO access', 'For the optional BY/GET keyword. It is marked \'unknown\' because the key names derive from the content of the key we sort'),
    ],
    {
      summary: 'Sort the elements in a list, set or sorted set. Read-only variant of SORT.',
      since: '7.0.0',
      complexity: 'O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).',
    },
  ),
};
