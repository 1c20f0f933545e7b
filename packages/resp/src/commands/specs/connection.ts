/**
 * Connection commands: handshake (HELLO, AUTH), liveness, database selection and CLIENT.
 *
 * One entry per command, with Redis 7.0's arity, flags, ACL categories, key specs, command tips
 * (router fan-out hints) and COMMAND DOCS fields. See spec-helpers.ts for the shorthand.
 */
import type { CommandSpec } from '../spec.js';
import { defineGroup } from '../spec-helpers.js';

const c = defineGroup('connection');

export const CONNECTION_COMMANDS: Readonly<Record<string, CommandSpec>> = {
  PING: c(-1, 'fast', 'connection', [], {
    summary: 'Ping the server',
    since: '1.0.0',
    complexity: 'O(1)',
    tips: 'request_policy:all_shards response_policy:all_succeeded',
  }),
  ECHO: c(2, 'loading stale fast', 'connection', [], {
    summary: 'Echo the given string',
    since: '1.0.0',
    complexity: 'O(1)',
  }),
  QUIT: c(-1, 'noscript loading stale fast no_auth allow_busy', 'connection', [], {
    summary: 'Close the connection',
    since: '1.0.0',
    complexity: 'O(1)',
  }),
  RESET: c(1, 'noscript loading stale fast no_auth allow_busy', 'connection', [], {
    summary: 'Reset the connection',
    since: '6.2.0',
    complexity: 'O(1)',
  }),
  HELLO: c(-1, 'noscript loading stale fast no_auth allow_busy', 'connection', [], {
    summary: 'Handshake with Redis',
    since: '6.0.0',
    complexity: 'O(1)',
    history: [
      ['6.2.0', '`protover` made optional; when called without arguments the command reports the current connection\'s context.'],
    ],
  }),
  AUTH: c(-2, 'noscript loading stale fast no_auth allow_busy', 'connection', [], {
    summary: 'Authenticate to the server',
    since: '1.0.0',
    complexity: 'O(N) where N is the number of passwords defined for the user',
    history: [['6.0.0', 'Added ACL style (username and password).']],
  }),
  CLIENT: c(-2, '', '', [], {
    summary: 'A container for client connection commands',
    since: '2.4.0',
    complexity: 'Depends on subcommand.',
    subcommands: {
      ID: c(2, 'noscript loading stale', 'connection', [], {
        summary: 'Returns the client ID for the current connection',
        since: '5.0.0',
        complexity: 'O(1)',
      }),
      SETNAME: c(3, 'noscript loading stale', 'connection', [], {
        summary: 'Set the current connection name',
        since: '2.6.9',
        complexity: 'O(1)',
      }),
      GETNAME: c(2, 'noscript loading stale', 'connection', [], {
        summary: 'Get the current connection name',
        since: '2.6.9',
        complexity: 'O(1)',
      }),
      LIST: c(-2, 'admin noscript loading stale', 'connection', [], {
        summary: 'Get the list of client connections',
        since: '2.4.0',
        complexity: 'O(N) where N is the number of client connections',
        tips: 'nondeterministic_output',
        history: [
          ['2.8.12', 'Added unique client `id` field.'],
          ['5.0.0', 'Added optional `TYPE` filter.'],
          ['6.0.0', 'Added `user` field.'],
          ['6.2.0', 'Added `argv-mem`, `tot-mem`, `laddr` and `redir` fields and the optional `ID` filter.'],
          ['7.0.0', 'Added `resp`, `multi-mem`, `rbs` and `rbp` fields.'],
          ['7.0.3', 'Added `ssub` field.'],
        ],
      }),
      INFO: c(2, 'noscript loading stale', 'connection', [], {
        summary: 'Returns information about the current client connection.',
        since: '6.2.0',
        complexity: 'O(1)',
        tips: 'nondeterministic_output',
      }),
      KILL: c(-3, 'admin noscript loading stale', 'connection', [], {
        summary: 'Kill the connection of a client',
        since: '2.4.0',
        complexity: 'O(N) where N is the number of client connections',
        history: [
          ['2.8.12', 'Added new filter format.'],
          ['2.8.12', '`ID` option.'],
          ['3.2.0', 'Added `master` type in for `TYPE` option.'],
          ['5.0.0', 'Replaced `slave` `TYPE` with `replica`. `slave` still supported for backward compatibility.'],
          ['6.2.0', '`LADDR` option.'],
        ],
      }),
      // CLIENT SETINFO and NO-TOUCH arrived in Redis 7.2 (7.0.15 answers "unknown subcommand");
      // described here from Redis 7.2 because current client libraries send SETINFO on connect.
      SETINFO: c(4, 'noscript loading stale', 'connection', [], {
        summary: 'Sets information specific to the client or connection.',
        since: '7.2.0',
        complexity: 'O(1)',
      }),
      'NO-TOUCH': c(3, 'noscript loading stale', 'connection', [], {
        summary: 'Controls whether commands sent by the client affect the LRU/LFU of accessed keys.',
        since: '7.2.0',
        complexity: 'O(1)',
      }),
      'NO-EVICT': c(3, 'admin noscript loading stale', 'connection', [], {
        summary: 'Set client eviction mode for the current connection',
        since: '7.0.0',
        complexity: 'O(1)',
      }),
      REPLY: c(3, 'noscript loading stale', 'connection', [], {
        summary: 'Instruct the server whether to reply to commands',
        since: '3.2.0',
        complexity: 'O(1)',
      }),
      UNBLOCK: c(-3, 'admin noscript loading stale', 'connection', [], {
        summary: 'Unblock a client blocked in a blocking command from a different connection',
        since: '5.0.0',
        complexity: 'O(log N) where N is the number of client connections',
      }),
      HELP: c(2, 'loading stale', 'connection', [], {
        summary: 'Show helpful text about the different subcommands',
        since: '5.0.0',
        complexity: 'O(1)',
      }),
      PAUSE: c(-3, 'admin noscript loading stale', 'connection', [], {
        summary: 'Stop processing commands from clients for some time',
        since: '2.9.50',
        complexity: 'O(1)',
        history: [['6.2.0', '`CLIENT PAUSE WRITE` mode added along with the `mode` option.']],
      }),
      UNPAUSE: c(2, 'admin noscript loading stale', 'connection', [], {
        summary: 'Resume processing of clients that were paused',
        since: '6.2.0',
        complexity: 'O(N) Where N is the number of paused clients',
      }),
    },
  }),
  SELECT: c(2, 'loading stale fast', 'connection', [], {
    summary: 'Change the selected database for the current connection',
    since: '1.0.0',
    complexity: 'O(1)',
  }),
};
