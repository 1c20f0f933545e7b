/**
 * The shape of a command's description: the one command table, read by the storage node's
 * dispatcher (arity, flags, MULTI/auth/pubsub rules), by the router (which arguments are keys,
 * how to fan out and merge), and by COMMAND / COMMAND INFO / COMMAND GETKEYS / COMMAND DOCS.
 *
 * Modelled on Redis's `commands/*.json` and its key specs, written by hand.
 *
 * arity: Redis's convention: N means exactly N arguments counting the command name, -N at least N.
 */

/** Redis command flags, lower case as `COMMAND INFO` prints them. */
export type CommandFlag =
  | 'write' | 'readonly' | 'denyoom' | 'admin' | 'pubsub' | 'noscript' | 'blocking' | 'loading'
  | 'stale' | 'skip_monitor' | 'skip_slowlog' | 'fast' | 'no_auth' | 'may_replicate' | 'no_mandatory_keys'
  | 'no_multi' | 'allow_busy' | 'movablekeys' | 'module' | 'asking' | 'no_async_loading';

/** Redis key-spec flags (RW, RO, OW, RM, access, update, insert, delete, not_key, incomplete, variable_flags). */
export type KeyFlag =
  | 'RW' | 'RO' | 'OW' | 'RM' | 'access' | 'update' | 'insert' | 'delete' | 'not_key' | 'incomplete'
  | 'variable_flags';

/**
 * Where the keys are. `begin` finds the first key, `find` how many follow.
 *  - begin { index: i }: argv[i] (i >= 1).
 *  - begin { keyword, startFrom }: the argument after `keyword`, searched from startFrom
 *    (negative: from the end, backwards), e.g. SORT ... STORE dest, XREAD ... STREAMS k1 k2.
 *  - find { range: { lastKey, step, limit } }: lastKey relative to the first key (0 = just one key,
 *    -1 = up to the last argument, -2 = all but the last ...); limit > 1 means (remaining args / limit).
 *  - find { keynum: { keyNumIdx, firstKey, step } }: argv[begin + keyNumIdx] holds the count,
 *    keys start at begin + firstKey (ZUNIONSTORE dest numkeys k..., EVAL script numkeys k...).
 *  - begin/find { unknown: true }: keys that cannot be located from the spec alone (SORT ... STORE
 *    dest, BY/GET patterns); key-positions.ts handles those commands specially.
 */
export interface KeySpec {
  readonly flags: readonly KeyFlag[];
  readonly begin:
    | { readonly index: number }
    | { readonly keyword: string; readonly startFrom: number }
    | { readonly unknown: true };
  readonly find:
    | { readonly range: { readonly lastKey: number; readonly step: number; readonly limit: number } }
    | { readonly keynum: { readonly keyNumIdx: number; readonly firstKey: number; readonly step: number } }
    | { readonly unknown: true };
  /** Redis's explanatory note, printed by COMMAND INFO. */
  readonly notes?: string;
}

/** Router hints, as Redis's command tips: how a keyless or multi-key command is fanned out and merged. */
export type RequestPolicy = 'all_nodes' | 'all_shards' | 'multi_shard' | 'special';
export type ResponsePolicy =
  | 'one_succeeded' | 'all_succeeded' | 'agg_logical_and' | 'agg_logical_or' | 'agg_min' | 'agg_max'
  | 'agg_sum' | 'special';

export type CommandGroup =
  | 'string' | 'generic' | 'list' | 'hash' | 'set' | 'sorted_set' | 'pubsub' | 'transactions'
  | 'connection' | 'server' | 'cluster' | 'scripting' | 'stream' | 'hyperloglog' | 'geo' | 'bitmap';

export interface CommandSpec {
  readonly group: CommandGroup;
  readonly arity: number;
  readonly flags: readonly CommandFlag[];
  /** Key specs in order; empty for keyless commands. */
  readonly keys: readonly KeySpec[];
  /**
   * Redis ACL categories without '@' (COMMAND INFO prints them with '@'): the full list in Redis's
   * order, including the ones implied by flags (write, read, admin, dangerous, fast/slow ...).
   */
  readonly acl?: readonly string[];
  readonly request?: RequestPolicy;
  readonly response?: ResponsePolicy;
  /** All of Redis's command tips in order ("request_policy:all_shards", "nondeterministic_output" ...). */
  readonly tips?: readonly string[];
  /** Containers (CONFIG, CLIENT, OBJECT, ...): subcommands by upper-case name, each its own spec. */
  readonly subcommands?: Readonly<Record<string, CommandSpec>>;
  /** One line for COMMAND DOCS. */
  readonly summary?: string;
  readonly since?: string;
  /** COMMAND DOCS fields (arguments are not described). */
  readonly complexity?: string;
  readonly docFlags?: readonly string[];
  readonly deprecatedSince?: string;
  readonly replacedBy?: string;
  readonly history?: readonly (readonly [string, string])[];
}
