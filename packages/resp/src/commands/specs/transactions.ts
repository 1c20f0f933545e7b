/**
 * Transaction commands: MULTI/EXEC/DISCARD and optimistic locking with WATCH.
 *
 * One entry per command, with Redis 7.0's arity, flags, ACL categories, key specs, command tips
 * (router fan-out hints) and COMMAND DOCS fields. See spec-helpers.ts for the shorthand.
 */
import type { CommandSpec } from '../spec.js';
import { defineGroup, keysUntilEnd } from '../spec-helpers.js';

const c = defineGroup('transactions');

export const TRANSACTIONS_COMMANDS: Readonly<Record<string, CommandSpec>> = {
  MULTI: c(1, 'noscript loading stale fast allow_busy', 'transaction', [], {
    summary: 'Mark the start of a transaction block',
    since: '1.2.0',
    complexity: 'O(1)',
  }),
  EXEC: c(1, 'noscript loading stale skip_slowlog', 'transaction', [], {
    summary: 'Execute all commands issued after MULTI',
    since: '1.2.0',
    complexity: 'Depends on commands in the transaction',
  }),
  DISCARD: c(1, 'noscript loading stale fast allow_busy', 'transaction', [], {
    summary: 'Discard all commands issued after MULTI',
    since: '2.0.0',
    complexity: 'O(N), when N is the number of queued commands',
  }),
  WATCH: c(-2, 'noscript loading stale fast allow_busy', 'transaction', [keysUntilEnd(1, 'RO')], {
    summary: 'Watch the given keys to determine execution of the MULTI/EXEC block',
    since: '2.2.0',
    complexity: 'O(1) for every key.',
  }),
  UNWATCH: c(1, 'noscript loading stale fast allow_busy', 'transaction', [], {
    summary: 'Forget about all watched keys',
    since: '2.2.0',
    complexity: 'O(1)',
  }),
};
