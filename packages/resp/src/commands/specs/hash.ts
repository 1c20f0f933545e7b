/**
 * Hash commands: field access, counters, random fields, HSCAN.
 *
 * One entry per command, with Redis 7.0's arity, flags, ACL categories, key specs, command tips
 * (router fan-out hints) and COMMAND DOCS fields. See spec-helpers.ts for the shorthand.
 */
import type { CommandSpec } from '../spec.js';
import { defineGroup, firstKey } from '../spec-helpers.js';

const c = defineGroup('hash');

export const HASH_COMMANDS: Readonly<Record<string, CommandSpec>> = {
  HSET: c(-4, 'write denyoom fast', 'hash', [firstKey('RW update')], {
    summary: 'Set the string value of a hash field',
    since: '2.0.0',
    complexity: 'O(1) for each field/value pair added, so O(N) to add N field/value pairs when the command is called with multiple field/value pairs.',
    history: [['4.0.0', 'Accepts multiple `field` and `value` arguments.']],
  }),
  HSETNX: c(4, 'write denyoom fast', 'hash', [firstKey('RW insert')], {
    summary: 'Set the value of a hash field, only if the field does not exist',
    since: '2.0.0',
    complexity: 'O(1)',
  }),
  HGET: c(3, 'readonly fast', 'hash', [firstKey('RO access')], {
    summary: 'Get the value of a hash field',
    since: '2.0.0',
    complexity: 'O(1)',
  }),
  HMSET: c(-4, 'write denyoom fast', 'hash', [firstKey('RW update')], {
    summary: 'Set multiple hash fields to multiple values',
    since: '2.0.0',
    complexity: 'O(N) where N is the number of fields being set.',
    deprecated: ['4.0.0', '`HSET` with multiple field-value pairs'],
  }),
  HMGET: c(-3, 'readonly fast', 'hash', [firstKey('RO access')], {
    summary: 'Get the values of all the given hash fields',
    since: '2.0.0',
    complexity: 'O(N) where N is the number of fields being requested.',
  }),
  HDEL: c(-3, 'write fast', 'hash', [firstKey('RW delete')], {
    summary: 'Delete one or more hash fields',
    since: '2.0.0',
    complexity: 'O(N) where N is the number of fields to be removed.',
    history: [['2.4.0', 'Accepts multiple `field` arguments.']],
  }),
  HLEN: c(2, 'readonly fast', 'hash', [firstKey('RO')], {
    summary: 'Get the number of fields in a hash',
    since: '2.0.0',
    complexity: 'O(1)',
  }),
  HSTRLEN: c(3, 'readonly fast', 'hash', [firstKey('RO')], {
    summary: 'Get the length of the value of a hash field',
    since: '3.2.0',
    complexity: 'O(1)',
  }),
  HEXISTS: c(3, 'readonly fast', 'hash', [firstKey('RO')], {
    summary: 'Determine if a hash field exists',
    since: '2.0.0',
    complexity: 'O(1)',
  }),
  HGETALL: c(2, 'readonly', 'hash', [firstKey('RO access')], {
    summary: 'Get all the fields and values in a hash',
    since: '2.0.0',
    complexity: 'O(N) where N is the size of the hash.',
    tips: 'nondeterministic_output_order',
  }),
  HKEYS: c(2, 'readonly', 'hash', [firstKey('RO access')], {
    summary: 'Get all the fields in a hash',
    since: '2.0.0',
    complexity: 'O(N) where N is the size of the hash.',
    tips: 'nondeterministic_output_order',
  }),
  HVALS: c(2, 'readonly', 'hash', [firstKey('RO access')], {
    summary: 'Get all the values in a hash',
    since: '2.0.0',
    complexity: 'O(N) where N is the size of the hash.',
    tips: 'nondeterministic_output_order',
  }),
  HINCRBY: c(4, 'write denyoom fast', 'hash', [firstKey('RW access update')], {
    summary: 'Increment the integer value of a hash field by the given number',
    since: '2.0.0',
    complexity: 'O(1)',
  }),
  HINCRBYFLOAT: c(4, 'write denyoom fast', 'hash', [firstKey('RW access update')], {
    summary: 'Increment the float value of a hash field by the given amount',
    since: '2.6.0',
    complexity: 'O(1)',
  }),
  HRANDFIELD: c(-2, 'readonly', 'hash', [firstKey('RO access')], {
    summary: 'Get one or multiple random fields from a hash',
    since: '6.2.0',
    complexity: 'O(N) where N is the number of fields returned',
    tips: 'nondeterministic_output',
  }),
  HSCAN: c(-3, 'readonly', 'hash', [firstKey('RO access')], {
    summary: 'Incrementally iterate hash fields and associated values',
    since: '2.8.0',
    complexity: 'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..',
    tips: 'nondeterministic_output',
  }),
};
