/**
 * Set commands: membership, random members, algebra and SSCAN.
 *
 * One entry per command, with Redis 7.0's arity, flags, ACL categories, key specs, command tips
 * (router fan-out hints) and COMMAND DOCS fields. See spec-helpers.ts for the shorthand.
 */
import type { CommandSpec } from '../spec.js';
import { defineGroup, firstKey, key, keysUntilEnd, keyNum } from '../spec-helpers.js';

const c = defineGroup('set');

export const SET_COMMANDS: Readonly<Record<string, CommandSpec>> = {
  SADD: c(-3, 'write denyoom fast', 'set', [firstKey('RW insert')], {
    summary: 'Add one or more members to a set',
    since: '1.0.0',
    complexity: 'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.',
    history: [['2.4.0', 'Accepts multiple `member` arguments.']],
  }),
  SREM: c(-3, 'write fast', 'set', [firstKey('RW delete')], {
    summary: 'Remove one or more members from a set',
    since: '1.0.0',
    complexity: 'O(N) where N is the number of members to be removed.',
    history: [['2.4.0', 'Accepts multiple `member` arguments.']],
  }),
  SMEMBERS: c(2, 'readonly', 'set', [firstKey('RO access')], {
    summary: 'Get all the members in a set',
    since: '1.0.0',
    complexity: 'O(N) where N is the set cardinality.',
    tips: 'nondeterministic_output_order',
  }),
  SISMEMBER: c(3, 'readonly fast', 'set', [firstKey('RO')], {
    summary: 'Determine if a given value is a member of a set',
    since: '1.0.0',
    complexity: 'O(1)',
  }),
  SMISMEMBER: c(-3, 'readonly fast', 'set', [firstKey('RO access')], {
    summary: 'Returns the membership associated with the given elements for a set',
    since: '6.2.0',
    complexity: 'O(N) where N is the number of elements being checked for membership',
  }),
  SCARD: c(2, 'readonly fast', 'set', [firstKey('RO')], {
    summary: 'Get the number of members in a set',
    since: '1.0.0',
    complexity: 'O(1)',
  }),
  SPOP: c(-2, 'write fast', 'set', [firstKey('RW access delete')], {
    summary: 'Remove and return one or multiple random members from a set',
    since: '1.0.0',
    complexity: 'Without the count argument O(1), otherwise O(N) where N is the value of the passed count.',
    tips: 'nondeterministic_output',
    history: [['3.2.0', 'Added the `count` argument.']],
  }),
  SRANDMEMBER: c(-2, 'readonly', 'set', [firstKey('RO access')], {
    summary: 'Get one or multiple random members from a set',
    since: '1.0.0',
    complexity: 'Without the count argument O(1), otherwise O(N) where N is the absolute value of the passed count.',
    tips: 'nondeterministic_output',
    history: [['2.6.0', 'Added the optional `count` argument.']],
  }),
  SMOVE: c(4, 'write fast', 'set', [firstKey('RW access delete'), key(2, 'RW insert')], {
    summary: 'Move a member from one set to another',
    since: '1.0.0',
    complexity: 'O(1)',
  }),
  SINTER: c(-2, 'readonly', 'set', [keysUntilEnd(1, 'RO access')], {
    summary: 'Intersect multiple sets',
    since: '1.0.0',
    complexity: 'O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.',
    tips: 'nondeterministic_output_order',
  }),
  SINTERCARD: c(-3, 'readonly movablekeys', 'set', [keyNum(1, 0, 1, 1, 'RO access')], {
    summary: 'Intersect multiple sets and return the cardinality of the result',
    since: '7.0.0',
    complexity: 'O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.',
  }),
  SINTERSTORE: c(-3, 'write denyoom', 'set', [firstKey('RW update'), keysUntilEnd(2, 'RO access')], {
    summary: 'Intersect multiple sets and store the resulting set in a key',
    since: '1.0.0',
    complexity: 'O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.',
  }),
  SUNION: c(-2, 'readonly', 'set', [keysUntilEnd(1, 'RO access')], {
    summary: 'Add multiple sets',
    since: '1.0.0',
    complexity: 'O(N) where N is the total number of elements in all given sets.',
    tips: 'nondeterministic_output_order',
  }),
  SUNIONSTORE: c(-3, 'write denyoom', 'set', [firstKey('OW update'), keysUntilEnd(2, 'RO access')], {
    summary: 'Add multiple sets and store the resulting set in a key',
    since: '1.0.0',
    complexity: 'O(N) where N is the total number of elements in all given sets.',
  }),
  SDIFF: c(-2, 'readonly', 'set', [keysUntilEnd(1, 'RO access')], {
    summary: 'Subtract multiple sets',
    since: '1.0.0',
    complexity: 'O(N) where N is the total number of elements in all given sets.',
    tips: 'nondeterministic_output_order',
  }),
  SDIFFSTORE: c(-3, 'write denyoom', 'set', [firstKey('OW update'), keysUntilEnd(2, 'RO access')], {
    summary: 'Subtract multiple sets and store the resulting set in a key',
    since: '1.0.0',
    complexity: 'O(N) where N is the total number of elements in all given sets.',
  }),
  SSCAN: c(-3, 'readonly', 'set', [firstKey('RO access')], {
    summary: 'Incrementally iterate Set elements',
    since: '2.8.0',
    complexity: 'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..',
    tips: 'nondeterministic_output',
  }),
};
