/**
 * String commands: GET/SET and friends, counters, ranges, LCS.
 *
 * One entry per command, with Redis 7.0's arity, flags, ACL categories, key specs, command tips
 * (router fan-out hints) and COMMAND DOCS fields. See spec-helpers.ts for the shorthand.
 */
import type { CommandSpec } from '../spec.js';
import { defineGroup, firstKey, keyRange, keysUntilEnd } from '../spec-helpers.js';

const c = defineGroup('string');

export const STRING_COMMANDS: Readonly<Record<string, CommandSpec>> = {
  GET: c(2, 'readonly fast', 'string', [firstKey('RO access')], {
    summary: 'Get the value of a key',
    since: '1.0.0',
    complexity: 'O(1)',
  }),
  SET: c(
    -3,
    'write denyoom',
    'string',
    [
      keyRange(1, 0, 1, 'RW access update variable_flags', 0, 'RW and ACCESS due to the optional `GET` argument'),
    ],
    {
      summary: 'Set the string value of a key',
      since: '1.0.0',
      complexity: 'O(1)',
      history: [
        ['2.6.12', 'Added the `EX`, `PX`, `NX` and `XX` options.'],
        ['6.0.0', 'Added the `KEEPTTL` option.'],
        ['6.2.0', 'Added the `GET`, `EXAT` and `PXAT` option.'],
        ['7.0.0', 'Allowed the `NX` and `GET` options to be used together.'],
      ],
    },
  ),
  SETNX: c(3, 'write denyoom fast', 'string', [firstKey('OW insert')], {
    summary: 'Set the value of a key, only if the key does not exist',
    since: '1.0.0',
    complexity: 'O(1)',
  }),
  SETEX: c(4, 'write denyoom', 'string', [firstKey('OW update')], {
    summary: 'Set the value and expiration of a key',
    since: '2.0.0',
    complexity: 'O(1)',
  }),
  PSETEX: c(4, 'write denyoom', 'string', [firstKey('OW update')], {
    summary: 'Set the value and expiration in milliseconds of a key',
    since: '2.6.0',
    complexity: 'O(1)',
  }),
  GETSET: c(3, 'write denyoom fast', 'string', [firstKey('RW access update')], {
    summary: 'Set the string value of a key and return its old value',
    since: '1.0.0',
    complexity: 'O(1)',
    deprecated: ['6.2.0', '`SET` with the `!GET` argument'],
  }),
  GETDEL: c(2, 'write fast', 'string', [firstKey('RW access delete')], {
    summary: 'Get the value of a key and delete the key',
    since: '6.2.0',
    complexity: 'O(1)',
  }),
  GETEX: c(
    -2,
    'write fast',
    'string',
    [
      keyRange(1, 0, 1, 'RW access update', 0, 'RW and UPDATE because it changes the TTL'),
    ],
    {
      summary: 'Get the value of a key and optionally set its expiration',
      since: '6.2.0',
      complexity: 'O(1)',
    },
  ),
  MGET: c(-2, 'readonly fast', 'string', [keysUntilEnd(1, 'RO access')], {
    summary: 'Get the values of all the given keys',
    since: '1.0.0',
    complexity: 'O(N) where N is the number of keys to retrieve.',
    tips: 'request_policy:multi_shard',
  }),
  MSET: c(-3, 'write denyoom', 'string', [keysUntilEnd(1, 'OW update', 2)], {
    summary: 'Set multiple keys to multiple values',
    since: '1.0.1',
    complexity: 'O(N) where N is the number of keys to set.',
    tips: 'request_policy:multi_shard response_policy:all_succeeded',
  }),
  MSETNX: c(-3, 'write denyoom', 'string', [keysUntilEnd(1, 'OW insert', 2)], {
    summary: 'Set multiple keys to multiple values, only if none of the keys exist',
    since: '1.0.1',
    complexity: 'O(N) where N is the number of keys to set.',
    tips: 'request_policy:multi_shard response_policy:agg_min',
  }),
  APPEND: c(3, 'write denyoom fast', 'string', [firstKey('RW insert')], {
    summary: 'Append a value to a key',
    since: '2.0.0',
    complexity: 'O(1). The amortized time complexity is O(1) assuming the appended value is small and the already present value is of any size, since the dynamic string library used by Redis will double the free space available on every reallocation.',
  }),
  STRLEN: c(2, 'readonly fast', 'string', [firstKey('RO')], {
    summary: 'Get the length of the value stored in a key',
    since: '2.2.0',
    complexity: 'O(1)',
  }),
  GETRANGE: c(4, 'readonly', 'string', [firstKey('RO access')], {
    summary: 'Get a substring of the string stored at a key',
    since: '2.4.0',
    complexity: 'O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.',
  }),
  SUBSTR: c(4, 'readonly', 'string', [firstKey('RO access')], {
    summary: 'Get a substring of the string stored at a key',
    since: '1.0.0',
    complexity: 'O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.',
    deprecated: ['2.0.0', '`GETRANGE`'],
  }),
  SETRANGE: c(4, 'write denyoom', 'string', [firstKey('RW update')], {
    summary: 'Overwrite part of a string at key starting at the specified offset',
    since: '2.2.0',
    complexity: 'O(1), not counting the time taken to copy the new string in place. Usually, this string is very small so the amortized complexity is O(1). Otherwise, complexity is O(M) with M being the length of the value argument.',
  }),
  INCR: c(2, 'write denyoom fast', 'string', [firstKey('RW access update')], {
    summary: 'Increment the integer value of a key by one',
    since: '1.0.0',
    complexity: 'O(1)',
  }),
  DECR: c(2, 'write denyoom fast', 'string', [firstKey('RW access update')], {
    summary: 'Decrement the integer value of a key by one',
    since: '1.0.0',
    complexity: 'O(1)',
  }),
  INCRBY: c(3, 'write denyoom fast', 'string', [firstKey('RW access update')], {
    summary: 'Increment the integer value of a key by the given amount',
    since: '1.0.0',
    complexity: 'O(1)',
  }),
  DECRBY: c(3, 'write denyoom fast', 'string', [firstKey('RW access update')], {
    summary: 'Decrement the integer value of a key by the given number',
    since: '1.0.0',
    complexity: 'O(1)',
  }),
  INCRBYFLOAT: c(3, 'write denyoom fast', 'string', [firstKey('RW access update')], {
    summary: 'Increment the float value of a key by the given amount',
    since: '2.6.0',
    complexity: 'O(1)',
  }),
  LCS: c(-3, 'readonly', 'string', [keyRange(1, 1, 1, 'RO access', 0)], {
    summary: 'Find longest common substring',
    since: '7.0.0',
    complexity: 'O(N*M) where N and M are the lengths of s1 and s2, respectively',
  }),
};
