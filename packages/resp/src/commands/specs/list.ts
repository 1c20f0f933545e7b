/**
 * List commands: pushes, pops, ranges, moves and their blocking variants.
 *
 * One entry per command, with Redis 7.0's arity, flags, ACL categories, key specs, command tips
 * (router fan-out hints) and COMMAND DOCS fields. See spec-helpers.ts for the shorthand.
 */
import type { CommandSpec } from '../spec.js';
import { defineGroup, firstKey, key, keyRange, keyNum } from '../spec-helpers.js';

const c = defineGroup('list');

export const LIST_COMMANDS: Readonly<Record<string, CommandSpec>> = {
  LPUSH: c(-3, 'write denyoom fast', 'list', [firstKey('RW insert')], {
    summary: 'Prepend one or multiple elements to a list',
    since: '1.0.0',
    complexity: 'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.',
    history: [['2.4.0', 'Accepts multiple `element` arguments.']],
  }),
  RPUSH: c(-3, 'write denyoom fast', 'list', [firstKey('RW insert')], {
    summary: 'Append one or multiple elements to a list',
    since: '1.0.0',
    complexity: 'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.',
    history: [['2.4.0', 'Accepts multiple `element` arguments.']],
  }),
  LPUSHX: c(-3, 'write denyoom fast', 'list', [firstKey('RW insert')], {
    summary: 'Prepend an element to a list, only if the list exists',
    since: '2.2.0',
    complexity: 'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.',
    history: [['4.0.0', 'Accepts multiple `element` arguments.']],
  }),
  RPUSHX: c(-3, 'write denyoom fast', 'list', [firstKey('RW insert')], {
    summary: 'Append an element to a list, only if the list exists',
    since: '2.2.0',
    complexity: 'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.',
    history: [['4.0.0', 'Accepts multiple `element` arguments.']],
  }),
  LPOP: c(-2, 'write fast', 'list', [firstKey('RW access delete')], {
    summary: 'Remove and get the first elements in a list',
    since: '1.0.0',
    complexity: 'O(N) where N is the number of elements returned',
    history: [['6.2.0', 'Added the `count` argument.']],
  }),
  RPOP: c(-2, 'write fast', 'list', [firstKey('RW access delete')], {
    summary: 'Remove and get the last elements in a list',
    since: '1.0.0',
    complexity: 'O(N) where N is the number of elements returned',
    history: [['6.2.0', 'Added the `count` argument.']],
  }),
  LLEN: c(2, 'readonly fast', 'list', [firstKey('RO')], {
    summary: 'Get the length of a list',
    since: '1.0.0',
    complexity: 'O(1)',
  }),
  LRANGE: c(4, 'readonly', 'list', [firstKey('RO access')], {
    summary: 'Get a range of elements from a list',
    since: '1.0.0',
    complexity: 'O(S+N) where S is the distance of start offset from HEAD for small lists, from nearest end (HEAD or TAIL) for large lists; and N is the number of elements in the specified range.',
  }),
  LINDEX: c(3, 'readonly', 'list', [firstKey('RO access')], {
    summary: 'Get an element from a list by its index',
    since: '1.0.0',
    complexity: 'O(N) where N is the number of elements to traverse to get to the element at index. This makes asking for the first or the last element of the list O(1).',
  }),
  LSET: c(4, 'write denyoom', 'list', [firstKey('RW update')], {
    summary: 'Set the value of an element in a list by its index',
    since: '1.0.0',
    complexity: 'O(N) where N is the length of the list. Setting either the first or the last element of the list is O(1).',
  }),
  LINSERT: c(5, 'write denyoom', 'list', [firstKey('RW insert')], {
    summary: 'Insert an element before or after another element in a list',
    since: '2.2.0',
    complexity: 'O(N) where N is the number of elements to traverse before seeing the value pivot. This means that inserting somewhere on the left end on the list (head) can be considered O(1) and inserting somewhere on the right end (tail) is O(N).',
  }),
  LREM: c(4, 'write', 'list', [firstKey('RW delete')], {
    summary: 'Remove elements from a list',
    since: '1.0.0',
    complexity: 'O(N+M) where N is the length of the list and M is the number of elements removed.',
  }),
  LTRIM: c(4, 'write', 'list', [firstKey('RW delete')], {
    summary: 'Trim a list to the specified range',
    since: '1.0.0',
    complexity: 'O(N) where N is the number of elements to be removed by the operation.',
  }),
  LPOS: c(-3, 'readonly', 'list', [firstKey('RO access')], {
    summary: 'Return the index of matching elements on a list',
    since: '6.0.6',
    complexity: 'O(N) where N is the number of elements in the list, for the average case. When searching for elements near the head or the tail of the list, or when the MAXLEN option is provided, the command may run in constant time.',
  }),
  LMOVE: c(5, 'write denyoom', 'list', [firstKey('RW access delete'), key(2, 'RW insert')], {
    summary: 'Pop an element from a list, push it to another list and return it',
    since: '6.2.0',
    complexity: 'O(1)',
  }),
  RPOPLPUSH: c(3, 'write denyoom', 'list', [firstKey('RW access delete'), key(2, 'RW insert')], {
    summary: 'Remove the last element in a list, prepend it to another list and return it',
    since: '1.2.0',
    complexity: 'O(1)',
    deprecated: ['6.2.0', '`LMOVE` with the `RIGHT` and `LEFT` arguments'],
  }),
  LMPOP: c(-4, 'write movablekeys', 'list', [keyNum(1, 0, 1, 1, 'RW access delete')], {
    summary: 'Pop elements from a list',
    since: '7.0.0',
    complexity: 'O(N+M) where N is the number of provided keys and M is the number of elements returned.',
  }),
  BLPOP: c(-3, 'write noscript blocking', 'list', [keyRange(1, -2, 1, 'RW access delete', 0)], {
    summary: 'Remove and get the first element in a list, or block until one is available',
    since: '2.0.0',
    complexity: 'O(N) where N is the number of provided keys.',
    history: [['6.0.0', '`timeout` is interpreted as a double instead of an integer.']],
  }),
  BRPOP: c(-3, 'write noscript blocking', 'list', [keyRange(1, -2, 1, 'RW access delete', 0)], {
    summary: 'Remove and get the last element in a list, or block until one is available',
    since: '2.0.0',
    complexity: 'O(N) where N is the number of provided keys.',
    history: [['6.0.0', '`timeout` is interpreted as a double instead of an integer.']],
  }),
  BLMOVE: c(
    6,
    'write denyoom noscript blocking',
    'list',
    [
      firstKey('RW access delete'),
      key(2, 'RW insert'),
    ],
    {
      summary: 'Pop an element from a list, push it to another list and return it; or block until one is available',
      since: '6.2.0',
      complexity: 'O(1)',
    },
  ),
  BRPOPLPUSH: c(
    4,
    'write denyoom noscript blocking',
    'list',
    [
      firstKey('RW access delete'),
      key(2, 'RW insert'),
    ],
    {
      summary: 'Pop an element from a list, push it to another list and return it; or block until one is available',
      since: '2.2.0',
      complexity: 'O(1)',
      deprecated: ['6.2.0', '`BLMOVE` with the `RIGHT` and `LEFT` arguments'],
      history: [['6.0.0', '`timeout` is interpreted as a double instead of an integer.']],
    },
  ),
  BLMPOP: c(-5, 'write blocking movablekeys', 'list', [keyNum(2, 0, 1, 1, 'RW access delete')], {
    summary: 'Pop elements from a list, or block until one is available',
    since: '7.0.0',
    complexity: 'O(N+M) where N is the number of provided keys and M is the number of elements returned.',
  }),
};
