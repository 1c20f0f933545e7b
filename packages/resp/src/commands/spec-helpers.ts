/**
 * Small constructors that keep the command specs (specs/*.ts) to one readable entry per command.
 *
 * Flags, key-spec flags and ACL categories are written as space-separated words, as in Redis's
 * docs ("write denyoom fast"); they are checked against the known names when the table loads, so
 * a typo fails every test instead of silently dropping a flag. ACL categories are given as Redis's
 * command JSON gives them (the explicit ones); the categories Redis derives from the flags
 * (setImplicitACLCategories: write, read, admin+dangerous, pubsub, fast, blocking, else slow) are
 * added here, and the list is kept in Redis's category order so COMMAND INFO prints it identically.
 * Command tips are parsed into the router's request/response policies.
 */
import type {
  CommandFlag,
  CommandGroup,
  CommandSpec,
  KeyFlag,
  KeySpec,
  RequestPolicy,
  ResponsePolicy,
} from './spec.js';

/** Redis's COMMAND INFO order of command flags (addReplyCommandFlags). */
export const COMMAND_FLAG_ORDER: readonly CommandFlag[] = [
  'write', 'readonly', 'denyoom', 'module', 'admin', 'pubsub', 'noscript', 'blocking', 'loading',
  'stale', 'skip_monitor', 'skip_slowlog', 'asking', 'fast', 'no_auth', 'no_mandatory_keys',
  'no_async_loading', 'no_multi', 'movablekeys', 'allow_busy',
];

/** Flags that exist but COMMAND INFO hides. */
const HIDDEN_FLAGS: readonly CommandFlag[] = ['may_replicate'];

/** Redis's ACL category order (ACLCommandCategories). */
export const ACL_CATEGORY_ORDER: readonly string[] = [
  'keyspace', 'read', 'write', 'set', 'sortedset', 'list', 'hash', 'string', 'bitmap', 'hyperloglog',
  'geo', 'stream', 'pubsub', 'admin', 'fast', 'slow', 'blocking', 'dangerous', 'connection',
  'transaction', 'scripting',
];

/** Redis's order of key-spec flags. */
export const KEY_FLAG_ORDER: readonly KeyFlag[] = [
  'RW', 'RO', 'OW', 'RM', 'access', 'update', 'insert', 'delete', 'not_key', 'incomplete', 'variable_flags',
];

const REQUEST_POLICIES: readonly RequestPolicy[] = ['all_nodes', 'all_shards', 'multi_shard', 'special'];
const RESPONSE_POLICIES: readonly ResponsePolicy[] = [
  'one_succeeded', 'all_succeeded', 'agg_logical_and', 'agg_logical_or', 'agg_min', 'agg_max', 'agg_sum', 'special',
];

function words(s: string): string[] {
  return s.split(' ').filter((w) => w.length > 0);
}

function checked<T extends string>(list: string, known: readonly T[], what: string): T[] {
  const out = words(list);
  for (const w of out) if (!(known as readonly string[]).includes(w)) throw new Error(`unknown ${what} '${w}'`);
  return out as T[];
}

function keyFlags(flags: string): KeyFlag[] {
  return checked(flags, KEY_FLAG_ORDER, 'key-spec flag');
}

/** One key at argv[index]. */
export function key(index: number, flags: string, notes?: string): KeySpec {
  return keyRange(index, 0, 1, flags, 0, notes);
}

/** The first argument is the (only) key. */
export function firstKey(flags: string): KeySpec {
  return key(1, flags);
}

/** Keys from argv[index] to lastKey (relative; -1 = last argument), every `step`. */
export function keyRange(index: number, lastKey: number, step: number, flags: string, limit = 0, notes?: string): KeySpec {
  return withNotes({ flags: keyFlags(flags), begin: { index }, find: { range: { lastKey, step, limit } } }, notes);
}

/** Keys from argv[index] to the last argument (DEL k1 k2 ...; step 2 for MSET k v k v). */
export function keysUntilEnd(index: number, flags: string, step = 1): KeySpec {
  return keyRange(index, -1, step, flags);
}

/** argv[index + keyNumIdx] is a count; keys start at argv[index + firstKey]. */
export function keyNum(index: number, keyNumIdx: number, firstKeyOffset: number, step: number, flags: string): KeySpec {
  return { flags: keyFlags(flags), begin: { index }, find: { keynum: { keyNumIdx, firstKey: firstKeyOffset, step } } };
}

/** Keys after `keyword`, searched from `startFrom` (negative: backwards from the end). */
export function keyword(
  kw: string,
  startFrom: number,
  lastKey: number,
  step: number,
  limit: number,
  flags: string,
  notes?: string,
): KeySpec {
  return withNotes(
    { flags: keyFlags(flags), begin: { keyword: kw, startFrom }, find: { range: { lastKey, step, limit } } },
    notes,
  );
}

/** Keys that only a command-specific rule can find (SORT's STORE / BY / GET). */
export function unknownKeys(flags: string, notes?: string): KeySpec {
  return withNotes({ flags: keyFlags(flags), begin: { unknown: true }, find: { unknown: true } }, notes);
}

function withNotes(spec: KeySpec, notes: string | undefined): KeySpec {
  return notes === undefined ? spec : { ...spec, notes };
}

/** Documentation and optional extras of one command. */
export interface CommandInfo {
  summary: string;
  since: string;
  complexity?: string;
  /** Space-separated Redis tips, e.g. 'request_policy:all_shards response_policy:agg_sum'. */
  tips?: string;
  /** [deprecated since, replaced by]. */
  deprecated?: readonly [string, string];
  history?: readonly (readonly [string, string])[];
  subcommands?: Readonly<Record<string, CommandSpec>>;
  docFlags?: string;
}

/** All ACL categories of a command: the explicit ones plus those Redis derives from its flags. */
export function fullAclCategories(explicit: readonly string[], flags: readonly CommandFlag[]): string[] {
  const set = new Set(explicit);
  if (flags.includes('write')) set.add('write');
  if (flags.includes('readonly') && !set.has('scripting')) set.add('read');
  if (flags.includes('admin')) {
    set.add('admin');
    set.add('dangerous');
  }
  if (flags.includes('pubsub')) set.add('pubsub');
  if (flags.includes('fast')) set.add('fast');
  if (flags.includes('blocking')) set.add('blocking');
  if (!set.has('fast')) set.add('slow');
  return ACL_CATEGORY_ORDER.filter((c) => set.has(c));
}

/**
 * A spec factory for one command group:
 *   const c = defineGroup('string');
 *   GET: c(2, 'readonly fast', 'string', [firstKey('RO access')], { summary, since, complexity })
 */
export function defineGroup(group: CommandGroup) {
  return (arity: number, flags: string, acl: string, keys: readonly KeySpec[], info: CommandInfo): CommandSpec => {
    const flagList = checked(flags, [...COMMAND_FLAG_ORDER, ...HIDDEN_FLAGS], 'command flag');
    const explicitAcl = checked(acl, ACL_CATEGORY_ORDER, 'ACL category');
    const tips = info.tips === undefined ? undefined : words(info.tips);
    let request: RequestPolicy | undefined;
    let response: ResponsePolicy | undefined;
    for (const t of tips ?? []) {
      if (t.startsWith('request_policy:')) request = checked(t.slice(15), REQUEST_POLICIES, 'request policy')[0];
      else if (t.startsWith('response_policy:')) response = checked(t.slice(16), RESPONSE_POLICIES, 'response policy')[0];
    }
    const spec: CommandSpec = {
      group,
      arity,
      flags: flagList,
      keys,
      acl: fullAclCategories(explicitAcl, flagList),
      summary: info.summary,
      since: info.since,
      ...(info.complexity !== undefined && { complexity: info.complexity }),
      ...(tips !== undefined && { tips }),
      ...(request !== undefined && { request }),
      ...(response !== undefined && { response }),
      ...(info.deprecated !== undefined && {
        docFlags: ['deprecated'],
        deprecatedSince: info.deprecated[0],
        replacedBy: info.deprecated[1],
      }),
      ...(info.docFlags !== undefined && { docFlags: words(info.docFlags) }),
      ...(info.history !== undefined && { history: info.history }),
      ...(info.subcommands !== undefined && { subcommands: info.subcommands }),
    };
    return Object.freeze(spec);
  };
}
