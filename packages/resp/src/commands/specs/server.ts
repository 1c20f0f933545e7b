/**
 * Server commands: INFO, CONFIG, COMMAND, flushing and housekeeping.
 *
 * One entry per command, with Redis 7.0's arity, flags, ACL categories, key specs, command tips
 * (router fan-out hints) and COMMAND DOCS fields. See spec-helpers.ts for the shorthand.
 */
import type { CommandSpec } from '../spec.js';
import { defineGroup } from '../spec-helpers.js';

const c = defineGroup('server');

export const SERVER_COMMANDS: Readonly<Record<string, CommandSpec>> = {
  INFO: c(-1, 'loading stale', 'dangerous', [], {
    summary: 'Get information and statistics about the server',
    since: '1.0.0',
    complexity: 'O(1)',
    tips: 'nondeterministic_output request_policy:all_shards response_policy:special',
    history: [['7.0.0', 'Added support for taking multiple section arguments.']],
  }),
  CONFIG: c(-2, '', '', [], {
    summary: 'A container for server configuration commands',
    since: '2.0.0',
    complexity: 'Depends on subcommand.',
    subcommands: {
      GET: c(-3, 'admin noscript loading stale', '', [], {
        summary: 'Get the values of configuration parameters',
        since: '2.0.0',
        complexity: 'O(N) when N is the number of configuration parameters provided',
        history: [['7.0.0', 'Added the ability to pass multiple pattern parameters in one call']],
      }),
      SET: c(-4, 'admin noscript loading stale', '', [], {
        summary: 'Set configuration parameters to the given values',
        since: '2.0.0',
        complexity: 'O(N) when N is the number of configuration parameters provided',
        tips: 'request_policy:all_nodes response_policy:all_succeeded',
        history: [['7.0.0', 'Added the ability to set multiple parameters in one call.']],
      }),
      RESETSTAT: c(2, 'admin noscript loading stale', '', [], {
        summary: 'Reset the stats returned by INFO',
        since: '2.0.0',
        complexity: 'O(1)',
      }),
      HELP: c(2, 'loading stale', '', [], {
        summary: 'Show helpful text about the different subcommands',
        since: '5.0.0',
        complexity: 'O(1)',
      }),
      REWRITE: c(2, 'admin noscript loading stale', '', [], {
        summary: 'Rewrite the configuration file with the in memory configuration',
        since: '2.8.0',
        complexity: 'O(1)',
      }),
    },
  }),
  DBSIZE: c(1, 'readonly fast', 'keyspace', [], {
    summary: 'Return the number of keys in the selected database',
    since: '1.0.0',
    complexity: 'O(1)',
    tips: 'request_policy:all_shards response_policy:agg_sum',
  }),
  TIME: c(1, 'loading stale fast', '', [], {
    summary: 'Return the current server time',
    since: '2.6.0',
    complexity: 'O(1)',
    tips: 'nondeterministic_output',
  }),
  LASTSAVE: c(1, 'loading stale fast', 'admin dangerous', [], {
    summary: 'Get the UNIX time stamp of the last successful save to disk',
    since: '1.0.0',
    complexity: 'O(1)',
    tips: 'nondeterministic_output',
  }),
  SHUTDOWN: c(-1, 'admin noscript loading stale no_multi allow_busy', '', [], {
    summary: 'Synchronously save the dataset to disk and then shut down the server',
    since: '1.0.0',
    complexity: 'O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)',
    history: [['7.0.0', 'Added the `NOW`, `FORCE` and `ABORT` modifiers.']],
  }),
  COMMAND: c(-1, 'loading stale', 'connection', [], {
    summary: 'Get array of Redis command details',
    since: '2.8.13',
    complexity: 'O(N) where N is the total number of Redis commands',
    tips: 'nondeterministic_output_order',
    subcommands: {
      COUNT: c(2, 'loading stale', 'connection', [], {
        summary: 'Get total number of Redis commands',
        since: '2.8.13',
        complexity: 'O(1)',
      }),
      INFO: c(-2, 'loading stale', 'connection', [], {
        summary: 'Get array of specific Redis command details, or all when no argument is given.',
        since: '2.8.13',
        complexity: 'O(N) where N is the number of commands to look up',
        tips: 'nondeterministic_output_order',
        history: [['7.0.0', 'Allowed to be called with no argument to get info on all commands.']],
      }),
      GETKEYS: c(-4, 'loading stale', 'connection', [], {
        summary: 'Extract keys given a full Redis command',
        since: '2.8.13',
        complexity: 'O(N) where N is the number of arguments to the command',
      }),
      GETKEYSANDFLAGS: c(-4, 'loading stale', 'connection', [], {
        summary: 'Extract keys and access flags given a full Redis command',
        since: '7.0.0',
        complexity: 'O(N) where N is the number of arguments to the command',
      }),
      DOCS: c(-2, 'loading stale', 'connection', [], {
        summary: 'Get array of specific Redis command documentation',
        since: '7.0.0',
        complexity: 'O(N) where N is the number of commands to look up',
        tips: 'nondeterministic_output_order',
      }),
      LIST: c(-2, 'loading stale', 'connection', [], {
        summary: 'Get an array of Redis command names',
        since: '7.0.0',
        complexity: 'O(N) where N is the total number of Redis commands',
        tips: 'nondeterministic_output_order',
      }),
      HELP: c(2, 'loading stale', 'connection', [], {
        summary: 'Show helpful text about the different subcommands',
        since: '5.0.0',
        complexity: 'O(1)',
      }),
    },
  }),
  FLUSHDB: c(-1, 'write', 'keyspace dangerous', [], {
    summary: 'Remove all keys from the current database',
    since: '1.0.0',
    complexity: 'O(N) where N is the number of keys in the selected database',
    tips: 'request_policy:all_shards response_policy:all_succeeded',
    history: [
      ['4.0.0', 'Added the `ASYNC` flushing mode modifier.'],
      ['6.2.0', 'Added the `SYNC` flushing mode modifier.'],
    ],
  }),
  FLUSHALL: c(-1, 'write', 'keyspace dangerous', [], {
    summary: 'Remove all keys from all databases',
    since: '1.0.0',
    complexity: 'O(N) where N is the total number of keys in all databases',
    tips: 'request_policy:all_shards response_policy:all_succeeded',
    history: [
      ['4.0.0', 'Added the `ASYNC` flushing mode modifier.'],
      ['6.2.0', 'Added the `SYNC` flushing mode modifier.'],
    ],
  }),
  SWAPDB: c(3, 'write fast', 'keyspace dangerous', [], {
    summary: 'Swaps two Redis databases',
    since: '4.0.0',
    complexity: 'O(N) where N is the count of clients watching or blocking on keys from both databases.',
  }),
};
