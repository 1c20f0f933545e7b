/**
 * Replies of the COMMAND command family, built from the command table exactly as Redis 7.0
 * shapes them, so that the storage node and the router answer identically:
 *
 *   COMMAND / COMMAND INFO [name ...]   per command: [name, arity, flags (set of status), first key,
 *                                       last key, step, ACL categories (set of "@cat"), tips (set of
 *                                       bulk), key specs (set of maps), subcommands (array; empty set if none)]
 *   COMMAND COUNT, COMMAND LIST [FILTERBY MODULE m | ACLCAT c | PATTERN p]
 *   COMMAND DOCS [name ...]             map name -> {summary, since, group, complexity, doc_flags,
 *                                       deprecated_since, replaced_by, history, subcommands}
 *   COMMAND GETKEYS / GETKEYSANDFLAGS <full command>
 *
 * Differences from Redis, by design: DOCS omits "arguments" (the table does not describe
 * arguments), and commands/subcommands come in table order where Redis uses its hash-table order
 * (which changes with every process start anyway). Errors are thrown as RespError, like handlers.
 */
import type { Bytes } from '../bytes.js';
import { Err } from '../errors.js';
import { R, type Reply } from '../reply.js';
import type { CommandSpec, KeySpec } from './spec.js';
import { ACL_CATEGORY_ORDER, COMMAND_FLAG_ORDER } from './spec-helpers.js';
import { COMMAND_ENTRIES, lookupCommand } from './table.js';
import { commandHasKeys, keyRefs } from './key-positions.js';

const COMMAND_HELP: readonly string[] = [
  'COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  '(no subcommand)',
  '    Return details about all Redis commands.',
  'COUNT',
  '    Return the total number of commands in this Redis server.',
  'LIST',
  '    Return a list of all commands in this Redis server.',
  'INFO [<command-name> ...]',
  '    Return details about multiple Redis commands.',
  '    If no command names are given, documentation details for all',
  '    commands are returned.',
  'DOCS [<command-name> ...]',
  '    Return documentation details about multiple Redis commands.',
  '    If no command names are given, documentation details for all',
  '    commands are returned.',
  'GETKEYS <full-command>',
  '    Return the keys from a full Redis command.',
  'GETKEYSANDFLAGS <full-command>',
  '    Return the keys and the access flags from a full Redis command.',
  'HELP',
  '    Prints this help.',
];

const bulk = (s: string): Reply => R.bulk(s);
const status = (s: string): Reply => R.simple(s);
const EMPTY_MAP = R.map([]);
const EMPTY_SET = R.set([]);

/** Redis's "legacy" first key / last key / step, derived from the key specs. */
export function legacyKeyRange(spec: CommandSpec): [number, number, number] {
  const ks = spec.keys;
  if (ks.length === 0) return [0, 0, 0];
  const plain = (k: KeySpec): k is KeySpec & { begin: { index: number }; find: { range: { lastKey: number; step: number; limit: number } } } =>
    'index' in k.begin && 'range' in k.find;
  if (ks.length === 1 && plain(ks[0]!)) {
    const k = ks[0];
    const last = k.find.range.lastKey;
    return [k.begin.index, last >= 0 ? last + k.begin.index : last, k.find.range.step];
  }
  let first = Number.MAX_SAFE_INTEGER;
  let last = 0;
  let prevLast = 0;
  for (const k of ks) {
    if (!plain(k)) continue;
    if (k.find.range.step !== 1 || (prevLast !== 0 && prevLast !== k.begin.index - 1)) continue;
    first = Math.min(first, k.begin.index);
    let abs = k.find.range.lastKey;
    if (abs >= 0) abs += k.begin.index;
    // Redis compares as unsigned, so a negative (relative-to-end) last key wins.
    if (abs >>> 0 > last >>> 0) last = abs;
    prevLast = last;
  }
  if (first === Number.MAX_SAFE_INTEGER) return [0, 0, 0];
  return [first, last, 1];
}

function keySpecReply(k: KeySpec): Reply {
  const items: Reply[] = [];
  if (k.notes !== undefined) items.push(bulk('notes'), bulk(k.notes));
  items.push(bulk('flags'), R.set(k.flags.map(status)));
  const b = k.begin;
  items.push(bulk('begin_search'));
  if ('index' in b) items.push(R.map([bulk('type'), bulk('index'), bulk('spec'), R.map([bulk('index'), R.int(b.index)])]));
  else if ('keyword' in b)
    items.push(
      R.map([
        bulk('type'),
        bulk('keyword'),
        bulk('spec'),
        R.map([bulk('keyword'), bulk(b.keyword), bulk('startfrom'), R.int(b.startFrom)]),
      ]),
    );
  else items.push(R.map([bulk('type'), bulk('unknown'), bulk('spec'), EMPTY_MAP]));
  const f = k.find;
  items.push(bulk('find_keys'));
  if ('range' in f)
    items.push(
      R.map([
        bulk('type'),
        bulk('range'),
        bulk('spec'),
        R.map([bulk('lastkey'), R.int(f.range.lastKey), bulk('keystep'), R.int(f.range.step), bulk('limit'), R.int(f.range.limit)]),
      ]),
    );
  else if ('keynum' in f)
    items.push(
      R.map([
        bulk('type'),
        bulk('keynum'),
        bulk('spec'),
        R.map([
          bulk('keynumidx'),
          R.int(f.keynum.keyNumIdx),
          bulk('firstkey'),
          R.int(f.keynum.firstKey),
          bulk('keystep'),
          R.int(f.keynum.step),
        ]),
      ]),
    );
  else items.push(R.map([bulk('type'), bulk('unknown'), bulk('spec'), EMPTY_MAP]));
  return R.map(items);
}

function subEntries(name: string, spec: CommandSpec): [string, CommandSpec][] {
  const subs = spec.subcommands;
  if (subs === undefined) return [];
  return Object.keys(subs).map((s) => [`${name}|${s.toLowerCase()}`, subs[s]!]);
}

/** One command's COMMAND INFO entry; `name` is the full lower-case name ("config|get"). */
export function commandInfoReply(name: string, spec: CommandSpec): Reply {
  const [first, last, step] = legacyKeyRange(spec);
  const acl = spec.acl ?? [];
  return R.arr([
    bulk(name),
    R.int(spec.arity),
    R.set(COMMAND_FLAG_ORDER.filter((f) => spec.flags.includes(f)).map(status)),
    R.int(first),
    R.int(last),
    R.int(step),
    R.set(ACL_CATEGORY_ORDER.filter((c) => acl.includes(c)).map((c) => status('@' + c))),
    R.set((spec.tips ?? []).map(bulk)),
    R.set(spec.keys.map(keySpecReply)),
    // Redis: an empty set when there are no subcommands, else an array.
    spec.subcommands === undefined
      ? EMPTY_SET
      : R.arr(subEntries(name, spec).map(([n, s]) => commandInfoReply(n, s))),
  ]);
}

/** The COMMAND DOCS map of one command. */
export function commandDocsReply(name: string, spec: CommandSpec): Reply {
  const items: Reply[] = [];
  if (spec.summary !== undefined) items.push(bulk('summary'), bulk(spec.summary));
  if (spec.since !== undefined) items.push(bulk('since'), bulk(spec.since));
  items.push(bulk('group'), bulk(spec.group === 'sorted_set' ? 'sorted-set' : spec.group));
  if (spec.complexity !== undefined) items.push(bulk('complexity'), bulk(spec.complexity));
  if (spec.docFlags !== undefined) items.push(bulk('doc_flags'), R.set(spec.docFlags.map(status)));
  if (spec.deprecatedSince !== undefined) items.push(bulk('deprecated_since'), bulk(spec.deprecatedSince));
  if (spec.replacedBy !== undefined) items.push(bulk('replaced_by'), bulk(spec.replacedBy));
  if (spec.history !== undefined) items.push(bulk('history'), R.set(spec.history.map(([v, d]) => R.arr([bulk(v), bulk(d)]))));
  const subs = subEntries(name, spec);
  if (subs.length > 0) items.push(bulk('subcommands'), R.map(subs.flatMap(([n, s]) => [bulk(n), commandDocsReply(n, s)])));
  return R.map(items);
}

/** Full lower-case name and spec for a COMMAND INFO/DOCS argument ("get", "CONFIG|GET"). */
function resolveName(arg: Bytes): [string, CommandSpec] | undefined {
  const spec = lookupCommand(arg);
  return spec === undefined ? undefined : [arg.toLowerCase(), spec];
}

/** All top-level commands and their subcommands, by full name (COMMAND LIST order). */
function allNames(): [string, CommandSpec][] {
  const out: [string, CommandSpec][] = [];
  for (const [name, spec] of COMMAND_ENTRIES) {
    out.push([name, spec]);
    out.push(...subEntries(name, spec));
  }
  return out;
}

/** COMMAND with no subcommand, and COMMAND INFO with no names. */
export function allCommandsInfoReply(): Reply {
  return R.arr(COMMAND_ENTRIES.map(([n, s]) => commandInfoReply(n, s)));
}

/** COMMAND INFO name ...: one entry per name, null for unknown ones. */
export function commandInfoManyReply(names: readonly Bytes[]): Reply {
  if (names.length === 0) return allCommandsInfoReply();
  return R.arr(
    names.map((n) => {
      const found = resolveName(n);
      return found === undefined ? R.nil : commandInfoReply(found[0], found[1]);
    }),
  );
}

/** COMMAND DOCS [name ...]: map of the known names (unknown ones are skipped). */
export function commandDocsManyReply(names: readonly Bytes[]): Reply {
  const entries = names.length === 0 ? COMMAND_ENTRIES : names.map(resolveName).filter((e) => e !== undefined);
  return R.map(entries.flatMap(([n, s]) => [bulk(n), commandDocsReply(n, s)]));
}

export function commandCountReply(): Reply {
  return R.int(COMMAND_ENTRIES.length);
}

/** Simple glob (`*`, `?`, `[...]`, `\x`), case-insensitive, for COMMAND LIST FILTERBY PATTERN. */
export function commandNameMatch(pattern: string, name: string): boolean {
  const p = pattern.toLowerCase();
  const s = name.toLowerCase();
  const go = (pi: number, si: number): boolean => {
    while (pi < p.length) {
      const c = p[pi]!;
      if (c === '*') {
        while (p[pi] === '*') pi++;
        if (pi === p.length) return true;
        for (let k = si; k < s.length; k++) if (go(pi, k)) return true;
        return false;
      }
      if (si >= s.length) return false;
      if (c === '?') {
        pi++;
        si++;
      } else if (c === '[') {
        let q = pi + 1;
        const not = p[q] === '^';
        if (not) q++;
        let match = false;
        while (q < p.length && p[q] !== ']') {
          if (p[q] === '\\' && q + 1 < p.length) {
            q++;
            if (p[q] === s[si]) match = true;
          } else if (q + 2 < p.length && p[q + 1] === '-') {
            const [lo, hi] = p[q]! <= p[q + 2]! ? [p[q]!, p[q + 2]!] : [p[q + 2]!, p[q]!];
            if (s[si]! >= lo && s[si]! <= hi) match = true;
            q += 2;
          } else if (p[q] === s[si]) match = true;
          q++;
        }
        if (match === not) return false;
        pi = q + 1;
        si++;
      } else {
        if (c === '\\' && pi + 1 < p.length) pi++;
        if (p[pi] !== s[si]) return false;
        pi++;
        si++;
      }
    }
    return si === s.length;
  };
  return go(0, 0);
}

export interface CommandListOptions {
  /** Glob matcher for FILTERBY PATTERN (defaults to commandNameMatch); pass Redis's stringmatch. */
  match?: (pattern: Bytes, name: Bytes) => boolean;
}

/** COMMAND LIST [FILTERBY MODULE m | ACLCAT c | PATTERN p]; `args` are the words after LIST. */
export function commandListReply(args: readonly Bytes[], opts: CommandListOptions = {}): Reply {
  let filter: ((name: string, spec: CommandSpec) => boolean) | null = null;
  for (let i = 0; i < args.length; i++) {
    const more = args.length - 1 - i;
    if (args[i]!.toLowerCase() === 'filterby' && more === 2) {
      const type = args[i + 1]!.toLowerCase();
      const arg = args[i + 2]!;
      if (type === 'module') filter = () => false; // no modules
      else if (type === 'aclcat') {
        const cat = arg.toLowerCase();
        filter = (_n, s) => (s.acl ?? []).includes(cat);
      } else if (type === 'pattern') {
        const match = opts.match ?? commandNameMatch;
        filter = (n) => match(arg, n);
      } else throw Err.syntax();
      i += 2;
    } else {
      throw Err.syntax();
    }
  }
  const names = allNames()
    .filter(([n, s]) => filter === null || filter(n, s))
    .map(([n]) => bulk(n));
  return R.arr(names);
}

/** COMMAND GETKEYS / GETKEYSANDFLAGS; `cmd` is the full command being asked about. */
export function commandGetKeysReply(cmd: readonly Bytes[], withFlags: boolean): Reply {
  let spec = cmd.length > 0 ? lookupCommand(cmd[0]!) : undefined;
  if (spec !== undefined && spec.subcommands !== undefined && cmd.length >= 2) spec = lookupCommand(cmd[0]!, cmd[1]!);
  if (spec === undefined || cmd[0]!.includes('|')) throw Err.msg('ERR', 'Invalid command specified');
  if (!commandHasKeys(spec)) throw Err.msg('ERR', 'The command has no key arguments');
  if ((spec.arity > 0 && spec.arity !== cmd.length) || cmd.length < -spec.arity) {
    throw Err.msg('ERR', 'Invalid number of arguments specified for command');
  }
  const refs = keyRefs(spec, cmd);
  if (refs.length === 0) {
    if (spec.flags.includes('no_mandatory_keys')) return R.emptyArray;
    throw Err.msg('ERR', 'Invalid arguments specified for command');
  }
  return R.arr(
    refs.map((r) => (withFlags ? R.arr([bulk(cmd[r.pos]!), R.set(r.flags.map(status))]) : bulk(cmd[r.pos]!))),
  );
}

/** COMMAND HELP. */
export function commandHelpReply(): Reply {
  return R.arr(COMMAND_HELP.map(status));
}

/**
 * The whole COMMAND command: argv[0] is "COMMAND". Checks the subcommand and its arity like
 * Redis's dispatcher does, so the router can answer COMMAND without a storage node.
 */
export function runCommandCommand(argv: readonly Bytes[], opts: CommandListOptions = {}): Reply {
  if (argv.length === 1) return allCommandsInfoReply();
  const subName = argv[1]!;
  const sub = lookupCommand('COMMAND', subName);
  if (sub === undefined) {
    throw Err.msg('ERR', `unknown subcommand '${subName.slice(0, 128)}'. Try COMMAND HELP.`);
  }
  if ((sub.arity > 0 && argv.length !== sub.arity) || argv.length < -sub.arity) {
    throw Err.wrongArity(`command|${subName.toLowerCase()}`);
  }
  switch (subName.toUpperCase()) {
    case 'COUNT':
      return commandCountReply();
    case 'INFO':
      return commandInfoManyReply(argv.slice(2));
    case 'DOCS':
      return commandDocsManyReply(argv.slice(2));
    case 'LIST':
      return commandListReply(argv.slice(2), opts);
    case 'GETKEYS':
      return commandGetKeysReply(argv.slice(2), false);
    case 'GETKEYSANDFLAGS':
      return commandGetKeysReply(argv.slice(2), true);
    default:
      return commandHelpReply();
  }
}
