/**
 * Which arguments of a command are keys, from its key specs (Redis 7.0 getKeysUsingKeySpecs),
 * plus the few commands Redis resolves with a hand-written rule instead (SORT's STORE target,
 * SET's GET-dependent key flags).
 *
 * Used by the router (slot of every key), by COMMAND GETKEYS / GETKEYSANDFLAGS and by anything
 * that needs the keys of argv (WATCH, keyspace checks). argv[0] is the command name; positions
 * index argv. Malformed argv (too short, bad numkeys, keyword missing) never throws: the spec is
 * treated as invalid and no keys are returned for it, leaving the command itself to answer the
 * arity or syntax error, as Redis does.
 */
import type { Bytes } from '../bytes.js';
import type { CommandSpec, KeyFlag, KeySpec } from './spec.js';

export interface KeyRef {
  readonly pos: number;
  readonly flags: readonly KeyFlag[];
}

export interface KeyPositionOptions {
  /** Also return "keys" that are not keys (shard channels of SPUBLISH / SSUBSCRIBE), for routing. */
  includeNotKeys?: boolean;
}

const NO_KEYS: readonly number[] = Object.freeze([]);
const SORT_RO_FLAGS: readonly KeyFlag[] = Object.freeze(['RO', 'access'] as KeyFlag[]);
const SORT_STORE_FLAGS: readonly KeyFlag[] = Object.freeze(['OW', 'update'] as KeyFlag[]);
const SET_GET_FLAGS: readonly KeyFlag[] = Object.freeze(['RW', 'access', 'update'] as KeyFlag[]);
const SET_PLAIN_FLAGS: readonly KeyFlag[] = Object.freeze(['OW', 'update'] as KeyFlag[]);

/** Commands whose keys Redis finds with a dedicated function rather than the key specs. */
type Special = 'sort' | 'set' | null;
const SPECIAL = new WeakMap<CommandSpec, Special>();

function special(spec: CommandSpec): Special {
  let s = SPECIAL.get(spec);
  if (s === undefined) {
    s = null;
    const ks = spec.keys;
    if (ks.some((k) => 'unknown' in k.begin && k.flags.includes('OW'))) s = 'sort';
    else if (ks.length === 1 && ks[0]!.flags.includes('variable_flags') && spec.group === 'string') s = 'set';
    SPECIAL.set(spec, s);
  }
  return s;
}

/** Redis's doesCommandHaveKeys: some key spec that is a real key. */
export function commandHasKeys(spec: CommandSpec): boolean {
  for (const k of spec.keys) if (!k.flags.includes('not_key')) return true;
  return false;
}

/** Redis's string2ll for numkeys arguments; NaN when invalid. */
function strictInt(s: Bytes): number {
  if (s.length === 0 || s.length > 20) return NaN;
  if (s === '0') return 0;
  let i = s.charCodeAt(0) === 45 ? 1 : 0;
  const c0 = s.charCodeAt(i);
  if (i === s.length || c0 < 49 || c0 > 57) return NaN;
  let v = 0;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return NaN;
    v = v * 10 + (c - 48);
  }
  return s.charCodeAt(0) === 45 ? -v : v;
}

function eqNoCase(a: Bytes, b: string): boolean {
  return a.length === b.length && a.toLowerCase() === b;
}

/**
 * Positions found by one key spec appended to `out` (with `flagsOut` when given); false when
 * the spec cannot be applied to this argv (Redis: invalid_spec).
 */
function applySpec(spec: KeySpec, argv: readonly Bytes[], arity: number, out: number[], flagsOut: KeyRef[] | null): boolean {
  const argc = argv.length;
  let first = 0;
  const begin = spec.begin;
  if ('index' in begin) {
    first = begin.index;
  } else if ('keyword' in begin) {
    const kw = begin.keyword.toLowerCase();
    const start = begin.startFrom > 0 ? begin.startFrom : argc + begin.startFrom;
    const endIdx = begin.startFrom > 0 ? argc - 1 : 1;
    for (let i = start; i !== endIdx; i = start <= endIdx ? i + 1 : i - 1) {
      if (i >= argc || i < 1) break;
      if (eqNoCase(argv[i]!, kw)) {
        first = i + 1;
        break;
      }
    }
    if (first === 0) return true; // keyword absent: no keys from this spec
  } else {
    return false;
  }
  let last: number;
  let step: number;
  const find = spec.find;
  if ('range' in find) {
    const r = find.range;
    step = r.step;
    if (r.lastKey >= 0) last = first + r.lastKey;
    else if (r.limit === 0) last = argc + r.lastKey;
    else last = first + (Math.trunc((argc - first) / r.limit) + r.lastKey);
  } else if ('keynum' in find) {
    const k = find.keynum;
    step = k.step;
    const idx = first + k.keyNumIdx;
    if (idx >= argc) return false;
    const numkeys = strictInt(argv[idx]!);
    if (!(numkeys >= 0)) return false;
    first += k.firstKey;
    last = first + numkeys - 1;
  } else {
    return false;
  }
  if (last >= argc || last < first || first >= argc || step <= 0) return false;
  for (let i = first; i <= last; i += step) {
    if (i >= argc) {
      if (arity < 0) continue;
      return false;
    }
    out.push(i);
    if (flagsOut !== null) flagsOut.push({ pos: i, flags: spec.flags });
  }
  return !spec.flags.includes('incomplete');
}

/** SORT: the sorted key, and the target of the last STORE (skipping LIMIT/GET/BY operands). */
function sortKeys(argv: readonly Bytes[], withStore: boolean, out: number[], flagsOut: KeyRef[] | null): void {
  out.push(1);
  if (flagsOut !== null) flagsOut.push({ pos: 1, flags: SORT_RO_FLAGS });
  if (!withStore) return;
  let store = -1;
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i]!.toLowerCase();
    if (a === 'limit') i += 2;
    else if (a === 'store' && i + 1 < argv.length) store = i + 1;
    else if (a === 'get' || a === 'by') i += 1;
  }
  if (store > 0) {
    out.push(store);
    if (flagsOut !== null) flagsOut.push({ pos: store, flags: SORT_STORE_FLAGS });
  }
}

function collect(spec: CommandSpec, argv: readonly Bytes[], opts: KeyPositionOptions | undefined, flagsOut: KeyRef[] | null): number[] {
  const out: number[] = [];
  if (argv.length < 2) return out;
  const sp = special(spec);
  if (sp === 'sort') {
    sortKeys(argv, true, out, flagsOut);
    return out;
  }
  if (sp === 'set') {
    // Redis's setGetKeys: the key is argv[1]; its flags depend on a GET option after the value.
    out.push(1);
    if (flagsOut !== null) {
      let get = false;
      for (let i = 3; i < argv.length && !get; i++) {
        const a = argv[i]!;
        get = a.length >= 3 && a.slice(0, 3).toLowerCase() === 'get' && (a.length === 3 || a.charCodeAt(3) === 0);
      }
      flagsOut.push({ pos: 1, flags: get ? SET_GET_FLAGS : SET_PLAIN_FLAGS });
    }
    return out;
  }
  const includeNotKeys = opts?.includeNotKeys === true;
  for (const ks of spec.keys) {
    if (!includeNotKeys && ks.flags.includes('not_key')) continue;
    if ('unknown' in ks.begin) continue; // e.g. SORT_RO's BY/GET patterns: not real keys of argv
    if (!applySpec(ks, argv, spec.arity, out, flagsOut)) {
      out.length = 0;
      if (flagsOut !== null) flagsOut.length = 0;
      return out;
    }
  }
  return out;
}

/** Indexes in argv of the command's keys, in key-spec order ([] when argv is malformed). */
export function keyPositions(spec: CommandSpec, argv: readonly Bytes[], opts?: KeyPositionOptions): number[] {
  const ks = spec.keys;
  if (ks.length === 0) return NO_KEYS as number[];
  // Fast path: one key at a fixed index (GET, SET, HSET, LPUSH ...).
  if (ks.length === 1) {
    const k = ks[0]!;
    const b = k.begin;
    const f = k.find;
    if ('index' in b && 'range' in f && f.range.lastKey === 0 && (opts?.includeNotKeys === true || !k.flags.includes('not_key'))) {
      return b.index < argv.length ? [b.index] : [];
    }
  }
  return collect(spec, argv, opts, null);
}

/** Keys with their access flags (COMMAND GETKEYSANDFLAGS). */
export function keyRefs(spec: CommandSpec, argv: readonly Bytes[], opts?: KeyPositionOptions): KeyRef[] {
  const refs: KeyRef[] = [];
  if (spec.keys.length === 0) return refs;
  collect(spec, argv, opts, refs);
  return refs;
}

/** Position of the first key, or -1 (no allocation; the router's single-key fast path). */
export function firstKeyPosition(spec: CommandSpec, argv: readonly Bytes[], opts?: KeyPositionOptions): number {
  const ks = spec.keys;
  if (ks.length === 0) return -1;
  const k = ks[0]!;
  const b = k.begin;
  if ('index' in b && 'range' in k.find && (opts?.includeNotKeys === true || !k.flags.includes('not_key'))) {
    // Range specs start at their index whenever the spec is valid for this argv.
    const r = k.find.range;
    if (r.lastKey === 0 || (r.lastKey < 0 && r.limit === 0 && argv.length + r.lastKey >= b.index)) {
      return b.index < argv.length ? b.index : -1;
    }
  }
  const all = keyPositions(spec, argv, opts);
  return all.length > 0 ? all[0]! : -1;
}
