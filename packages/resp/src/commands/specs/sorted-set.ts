/**
 * Sorted set commands: scores, ranks, ranges, pops, algebra and the blocking pops.
 *
 * One entry per command, with Redis 7.0's arity, flags, ACL categories, key specs, command tips
 * (router fan-out hints) and COMMAND DOCS fields. See spec-helpers.ts for the shorthand.
 */
import type { CommandSpec } from '../spec.js';
import { defineGroup, firstKey, key, keyRange, keyNum } from '../spec-helpers.js';

const c = defineGroup('sorted_set');

export const SORTED_SET_COMMANDS: Readonly<Record<string, CommandSpec>> = {
  ZADD: c(-4, 'write denyoom fast', 'sortedset', [firstKey('RW update')], {
    summary: 'Add one or more members to a sorted set, or update its score if it already exists',
    since: '1.2.0',
    complexity: 'O(log(N)) for each item added, where N is the number of elements in the sorted set.',
    history: [
      ['2.4.0', 'Accepts multiple elements.'],
      ['3.0.2', 'Added the `XX`, `NX`, `CH` and `INCR` options.'],
      ['6.2.0', 'Added the `GT` and `LT` options.'],
    ],
  }),
  ZINCRBY: c(4, 'write denyoom fast', 'sortedset', [firstKey('RW access update')], {
    summary: 'Increment the score of a member in a sorted set',
    since: '1.2.0',
    complexity: 'O(log(N)) where N is the number of elements in the sorted set.',
  }),
  ZREM: c(-3, 'write fast', 'sortedset', [firstKey('RW delete')], {
    summary: 'Remove one or more members from a sorted set',
    since: '1.2.0',
    complexity: 'O(M*log(N)) with N being the number of elements in the sorted set and M the number of elements to be removed.',
    history: [['2.4.0', 'Accepts multiple elements.']],
  }),
  ZCARD: c(2, 'readonly fast', 'sortedset', [firstKey('RO')], {
    summary: 'Get the number of members in a sorted set',
    since: '1.2.0',
    complexity: 'O(1)',
  }),
  ZSCORE: c(3, 'readonly fast', 'sortedset', [firstKey('RO access')], {
    summary: 'Get the score associated with the given member in a sorted set',
    since: '1.2.0',
    complexity: 'O(1)',
  }),
  ZMSCORE: c(-3, 'readonly fast', 'sortedset', [firstKey('RO access')], {
    summary: 'Get the score associated with the given members in a sorted set',
    since: '6.2.0',
    complexity: 'O(N) where N is the number of members being requested.',
  }),
  ZRANK: c(3, 'readonly fast', 'sortedset', [firstKey('RO access')], {
    summary: 'Determine the index of a member in a sorted set',
    since: '2.0.0',
    complexity: 'O(log(N))',
  }),
  ZREVRANK: c(3, 'readonly fast', 'sortedset', [firstKey('RO access')], {
    summary: 'Determine the index of a member in a sorted set, with scores ordered from high to low',
    since: '2.0.0',
    complexity: 'O(log(N))',
  }),
  ZCOUNT: c(4, 'readonly fast', 'sortedset', [firstKey('RO access')], {
    summary: 'Count the members in a sorted set with scores within the given values',
    since: '2.0.0',
    complexity: 'O(log(N)) with N being the number of elements in the sorted set.',
  }),
  ZLEXCOUNT: c(4, 'readonly fast', 'sortedset', [firstKey('RO access')], {
    summary: 'Count the number of members in a sorted set between a given lexicographical range',
    since: '2.8.9',
    complexity: 'O(log(N)) with N being the number of elements in the sorted set.',
  }),
  ZRANGE: c(-4, 'readonly', 'sortedset', [firstKey('RO access')], {
    summary: 'Return a range of members in a sorted set',
    since: '1.2.0',
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.',
    history: [['6.2.0', 'Added the `REV`, `BYSCORE`, `BYLEX` and `LIMIT` options.']],
  }),
  ZRANGESTORE: c(-5, 'write denyoom', 'sortedset', [firstKey('OW update'), key(2, 'RO access')], {
    summary: 'Store a range of members from sorted set into another key',
    since: '6.2.0',
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements stored into the destination key.',
  }),
  ZREVRANGE: c(-4, 'readonly', 'sortedset', [firstKey('RO access')], {
    summary: 'Return a range of members in a sorted set, by index, with scores ordered from high to low',
    since: '1.2.0',
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.',
    deprecated: ['6.2.0', '`ZRANGE` with the `REV` argument'],
  }),
  ZRANGEBYSCORE: c(-4, 'readonly', 'sortedset', [firstKey('RO access')], {
    summary: 'Return a range of members in a sorted set, by score',
    since: '1.0.5',
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).',
    deprecated: ['6.2.0', '`ZRANGE` with the `BYSCORE` argument'],
    history: [['2.0.0', 'Added the `WITHSCORES` modifier.']],
  }),
  ZREVRANGEBYSCORE: c(-4, 'readonly', 'sortedset', [firstKey('RO access')], {
    summary: 'Return a range of members in a sorted set, by score, with scores ordered from high to low',
    since: '2.2.0',
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).',
    deprecated: ['6.2.0', '`ZRANGE` with the `REV` and `BYSCORE` arguments'],
    history: [['2.1.6', '`min` and `max` can be exclusive.']],
  }),
  ZRANGEBYLEX: c(-4, 'readonly', 'sortedset', [firstKey('RO access')], {
    summary: 'Return a range of members in a sorted set, by lexicographical range',
    since: '2.8.9',
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).',
    deprecated: ['6.2.0', '`ZRANGE` with the `BYLEX` argument'],
  }),
  ZREVRANGEBYLEX: c(-4, 'readonly', 'sortedset', [firstKey('RO access')], {
    summary: 'Return a range of members in a sorted set, by lexicographical range, ordered from higher to lower strings.',
    since: '2.8.9',
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).',
    deprecated: ['6.2.0', '`ZRANGE` with the `REV` and `BYLEX` arguments'],
  }),
  ZREMRANGEBYRANK: c(4, 'write', 'sortedset', [firstKey('RW delete')], {
    summary: 'Remove all members in a sorted set within the given indexes',
    since: '2.0.0',
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.',
  }),
  ZREMRANGEBYSCORE: c(4, 'write', 'sortedset', [firstKey('RW delete')], {
    summary: 'Remove all members in a sorted set within the given scores',
    since: '1.2.0',
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.',
  }),
  ZREMRANGEBYLEX: c(4, 'write', 'sortedset', [firstKey('RW delete')], {
    summary: 'Remove all members in a sorted set between the given lexicographical range',
    since: '2.8.9',
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.',
  }),
  ZPOPMIN: c(-2, 'write fast', 'sortedset', [firstKey('RW access delete')], {
    summary: 'Remove and return members with the lowest scores in a sorted set',
    since: '5.0.0',
    complexity: 'O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.',
  }),
  ZPOPMAX: c(-2, 'write fast', 'sortedset', [firstKey('RW access delete')], {
    summary: 'Remove and return members with the highest scores in a sorted set',
    since: '5.0.0',
    complexity: 'O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.',
  }),
  ZMPOP: c(-4, 'write movablekeys', 'sortedset', [keyNum(1, 0, 1, 1, 'RW access delete')], {
    summary: 'Remove and return members with scores in a sorted set',
    since: '7.0.0',
    complexity: 'O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.',
  }),
  ZUNION: c(-3, 'readonly movablekeys', 'sortedset', [keyNum(1, 0, 1, 1, 'RO access')], {
    summary: 'Add multiple sorted sets',
    since: '6.2.0',
    complexity: 'O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.',
  }),
  ZINTER: c(-3, 'readonly movablekeys', 'sortedset', [keyNum(1, 0, 1, 1, 'RO access')], {
    summary: 'Intersect multiple sorted sets',
    since: '6.2.0',
    complexity: 'O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.',
  }),
  ZDIFF: c(-3, 'readonly movablekeys', 'sortedset', [keyNum(1, 0, 1, 1, 'RO access')], {
    summary: 'Subtract multiple sorted sets',
    since: '6.2.0',
    complexity: 'O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.',
  }),
  ZUNIONSTORE: c(
    -4,
    'write denyoom movablekeys',
    'sortedset',
    [
      firstKey('OW update'),
      keyNum(2, 0, 1, 1, 'RO access'),
    ],
    {
      summary: 'Add multiple sorted sets and store the resulting sorted set in a new key',
      since: '2.0.0',
      complexity: 'O(N)+O(M log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.',
    },
  ),
  ZINTERSTORE: c(
    -4,
    'write denyoom movablekeys',
    'sortedset',
    [
      firstKey('OW update'),
      keyNum(2, 0, 1, 1, 'RO access'),
    ],
    {
      summary: 'Intersect multiple sorted sets and store the resulting sorted set in a new key',
      since: '2.0.0',
      complexity: 'O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.',
    },
  ),
  ZDIFFSTORE: c(
    -4,
    'write denyoom movablekeys',
    'sortedset',
    [
      firstKey('OW update'),
      keyNum(2, 0, 1, 1, 'RO access'),
    ],
    {
      summary: 'Subtract multiple sorted sets and store the resulting sorted set in a new key',
      since: '6.2.0',
      complexity: 'O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.',
    },
  ),
  ZINTERCARD: c(-3, 'readonly movablekeys', 'sortedset', [keyNum(1, 0, 1, 1, 'RO access')], {
    summary: 'Intersect multiple sorted sets and return the cardinality of the result',
    since: '7.0.0',
    complexity: 'O(N*K) worst case with N being the smallest input sorted set, K being the number of input sorted sets.',
  }),
  ZRANDMEMBER: c(-2, 'readonly', 'sortedset', [firstKey('RO access')], {
    summary: 'Get one or multiple random elements from a sorted set',
    since: '6.2.0',
    complexity: 'O(N) where N is the number of elements returned',
    tips: 'nondeterministic_output',
  }),
  ZSCAN: c(-3, 'readonly', 'sortedset', [firstKey('RO access')], {
    summary: 'Incrementally iterate sorted sets elements and associated scores',
    since: '2.8.0',
    complexity: 'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..',
    tips: 'nondeterministic_output',
  }),
  BZPOPMIN: c(-3, 'write noscript blocking fast', 'sortedset', [keyRange(1, -2, 1, 'RW access delete', 0)], {
    summary: 'Remove and return the member with the lowest score from one or more sorted sets, or block until one is available',
    since: '5.0.0',
    complexity: 'O(log(N)) with N being the number of elements in the sorted set.',
    history: [['6.0.0', '`timeout` is interpreted as a double instead of an integer.']],
  }),
  BZPOPMAX: c(-3, 'write noscript blocking fast', 'sortedset', [keyRange(1, -2, 1, 'RW access delete', 0)], {
    summary: 'Remove and return the member with the highest score from one or more sorted sets, or block until one is available',
    since: '5.0.0',
    complexity: 'O(log(N)) with N being the number of elements in the sorted set.',
    history: [['6.0.0', '`timeout` is interpreted as a double instead of an integer.']],
  }),
  BZMPOP: c(-5, 'write blocking movablekeys', 'sortedset', [keyNum(2, 0, 1, 1, 'RW access delete')], {
    summary: 'Remove and return members with scores in a sorted set or block until one is available',
    since: '7.0.0',
    complexity: 'O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.',
  }),
};
