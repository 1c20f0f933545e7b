/**
 * The command table: every command swarmkv knows, by upper-case name, shared by the storage node
 * (arity, flags, dispatch), the router (key positions, fan-out policies) and COMMAND replies.
 *
 * Subcommands live inside their container's spec (`COMMAND_TABLE.CONFIG.subcommands.GET`);
 * `lookupCommand('CONFIG', 'get')` or `lookupCommand('config|get')` reach them directly.
 */
import type { CommandSpec } from './spec.js';
import { STRING_COMMANDS } from './specs/string.js';
import { GENERIC_COMMANDS } from './specs/generic.js';
import { LIST_COMMANDS } from './specs/list.js';
import { HASH_COMMANDS } from './specs/hash.js';
import { SET_COMMANDS } from './specs/set.js';
import { SORTED_SET_COMMANDS } from './specs/sorted-set.js';
import { PUBSUB_COMMANDS } from './specs/pubsub.js';
import { TRANSACTIONS_COMMANDS } from './specs/transactions.js';
import { CONNECTION_COMMANDS } from './specs/connection.js';
import { SERVER_COMMANDS } from './specs/server.js';
import { CLUSTER_COMMANDS } from './specs/cluster.js';

export const COMMAND_TABLE: Readonly<Record<string, CommandSpec>> = Object.freeze({
  ...STRING_COMMANDS,
  ...GENERIC_COMMANDS,
  ...LIST_COMMANDS,
  ...HASH_COMMANDS,
  ...SET_COMMANDS,
  ...SORTED_SET_COMMANDS,
  ...PUBSUB_COMMANDS,
  ...TRANSACTIONS_COMMANDS,
  ...CONNECTION_COMMANDS,
  ...SERVER_COMMANDS,
  ...CLUSTER_COMMANDS,
});

/** Null-prototype copy so names like "constructor" or "__proto__" never hit Object.prototype. */
const BY_NAME: Record<string, CommandSpec> = Object.assign(Object.create(null) as Record<string, CommandSpec>, COMMAND_TABLE);

/**
 * The spec of a command (any case), of a subcommand when `sub` is given, or of "container|sub";
 * undefined when unknown.
 */
export function lookupCommand(name: string, sub?: string): CommandSpec | undefined {
  let spec = BY_NAME[name] ?? BY_NAME[name.toUpperCase()];
  if (spec === undefined) {
    const bar = name.indexOf('|');
    if (bar < 0 || sub !== undefined) return undefined;
    spec = BY_NAME[name.slice(0, bar).toUpperCase()];
    sub = name.slice(bar + 1);
    if (spec === undefined) return undefined;
  }
  if (sub === undefined) return spec;
  const subs = spec.subcommands;
  if (subs === undefined) return undefined;
  const upper = sub.toUpperCase();
  return Object.prototype.hasOwnProperty.call(subs, upper) ? subs[upper] : undefined;
}

/** Every top-level command as [lower-case name, spec], in table order. */
export const COMMAND_ENTRIES: readonly (readonly [string, CommandSpec])[] = Object.freeze(
  Object.keys(COMMAND_TABLE).map((n) => [n.toLowerCase(), COMMAND_TABLE[n]!] as const),
);
