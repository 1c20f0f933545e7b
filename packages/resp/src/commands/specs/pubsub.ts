/**
 * Pub/Sub commands: channel, pattern and shard-channel subscriptions, PUBLISH and PUBSUB
 * introspection.
 *
 * One entry per command, with Redis 7.0's arity, flags, ACL categories, key specs, command tips
 * (router fan-out hints) and COMMAND DOCS fields. See spec-helpers.ts for the shorthand.
 */
import type { CommandSpec } from '../spec.js';
import { defineGroup, firstKey, keysUntilEnd } from '../spec-helpers.js';

const c = defineGroup('pubsub');

export const PUBSUB_COMMANDS: Readonly<Record<string, CommandSpec>> = {
  SUBSCRIBE: c(-2, 'pubsub noscript loading stale', '', [], {
    summary: 'Listen for messages published to the given channels',
    since: '2.0.0',
    complexity: 'O(N) where N is the number of channels to subscribe to.',
  }),
  UNSUBSCRIBE: c(-1, 'pubsub noscript loading stale', '', [], {
    summary: 'Stop listening for messages posted to the given channels',
    since: '2.0.0',
    complexity: 'O(N) where N is the number of clients already subscribed to a channel.',
  }),
  PSUBSCRIBE: c(-2, 'pubsub noscript loading stale', '', [], {
    summary: 'Listen for messages published to channels matching the given patterns',
    since: '2.0.0',
    complexity: 'O(N) where N is the number of patterns the client is already subscribed to.',
  }),
  PUNSUBSCRIBE: c(-1, 'pubsub noscript loading stale', '', [], {
    summary: 'Stop listening for messages posted to channels matching the given patterns',
    since: '2.0.0',
    complexity: 'O(N+M) where N is the number of patterns the client is already subscribed and M is the number of total patterns subscribed in the system (by any client).',
  }),
  PUBLISH: c(3, 'pubsub loading stale fast', '', [], {
    summary: 'Post a message to a channel',
    since: '2.0.0',
    complexity: 'O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total number of subscribed patterns (by any client).',
  }),
  PUBSUB: c(-2, '', '', [], {
    summary: 'A container for Pub/Sub commands',
    since: '2.8.0',
    complexity: 'Depends on subcommand.',
    subcommands: {
      CHANNELS: c(-2, 'pubsub loading stale', '', [], {
        summary: 'List active channels',
        since: '2.8.0',
        complexity: 'O(N) where N is the number of active channels, and assuming constant time pattern matching (relatively short channels and patterns)',
      }),
      NUMSUB: c(-2, 'pubsub loading stale', '', [], {
        summary: 'Get the count of subscribers for channels',
        since: '2.8.0',
        complexity: 'O(N) for the NUMSUB subcommand, where N is the number of requested channels',
      }),
      NUMPAT: c(2, 'pubsub loading stale', '', [], {
        summary: 'Get the count of unique patterns pattern subscriptions',
        since: '2.8.0',
        complexity: 'O(1)',
      }),
      SHARDCHANNELS: c(-2, 'pubsub loading stale', '', [], {
        summary: 'List active shard channels',
        since: '7.0.0',
        complexity: 'O(N) where N is the number of active shard channels, and assuming constant time pattern matching (relatively short shard channels).',
      }),
      SHARDNUMSUB: c(-2, 'pubsub loading stale', '', [], {
        summary: 'Get the count of subscribers for shard channels',
        since: '7.0.0',
        complexity: 'O(N) for the SHARDNUMSUB subcommand, where N is the number of requested shard channels',
      }),
      HELP: c(2, 'loading stale', '', [], {
        summary: 'Show helpful text about the different subcommands',
        since: '6.2.0',
        complexity: 'O(1)',
      }),
    },
  }),
  SSUBSCRIBE: c(-2, 'pubsub noscript loading stale', '', [keysUntilEnd(1, 'not_key')], {
    summary: 'Listen for messages published to the given shard channels',
    since: '7.0.0',
    complexity: 'O(N) where N is the number of shard channels to subscribe to.',
  }),
  SUNSUBSCRIBE: c(-1, 'pubsub noscript loading stale', '', [keysUntilEnd(1, 'not_key')], {
    summary: 'Stop listening for messages posted to the given shard channels',
    since: '7.0.0',
    complexity: 'O(N) where N is the number of clients already subscribed to a shard channel.',
  }),
  SPUBLISH: c(3, 'pubsub loading stale fast', '', [firstKey('not_key')], {
    summary: 'Post a message to a shard channel',
    since: '7.0.0',
    complexity: 'O(N) where N is the number of clients subscribed to the receiving shard channel.',
  }),
};
