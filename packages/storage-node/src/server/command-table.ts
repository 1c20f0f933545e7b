/**
 * Looking commands up: the shared command table of @swarmkv/resp joined with this node's
 * HANDLERS. A command the table describes but no handler implements is unknown here, as it
 * would be on a Redis without that module; a handler without a spec runs unchecked (arity 0):
 * tests use that for toy commands, and commands/index.test.ts keeps real handlers specified.
 */
import type { CommandSpec } from '@swarmkv/resp';
import { lookupCommand } from '@swarmkv/resp';
import type { Handler } from '../commands/context.js';
import { HANDLERS } from '../commands/index.js';

/** A command or subcommand as the dispatcher runs it, with its INFO commandstats counters. */
export interface CommandEntry {
  /** Lower-case full name: "get", "config|get" (errors, stats, CLIENT LIST cmd=). */
  readonly name: string;
  readonly spec: CommandSpec | undefined;
  readonly handler: Handler;
  readonly arity: number;
  readonly noAuth: boolean;
  readonly noMulti: boolean;
  readonly isWrite: boolean;
  /** Allowed while a RESP2 client is subscribed. */
  readonly pubsubOk: boolean;
  /** Run at once inside MULTI rather than queued (EXEC, DISCARD, MULTI, WATCH, QUIT, RESET). */
  readonly txPassthrough: boolean;
  /** Containers (CONFIG, CLIENT ...): subcommand cache keyed by the spelling clients send. */
  readonly subs: Map<string, CommandEntry | null> | null;
  calls: number;
  usec: number;
  rejectedCalls: number;
  failedCalls: number;
}

const PUBSUB_ALLOWED = new Set(['ping', 'subscribe', 'ssubscribe', 'unsubscribe', 'sunsubscribe', 'psubscribe', 'punsubscribe', 'quit', 'reset']);
const TX_PASSTHROUGH = new Set(['exec', 'discard', 'multi', 'watch', 'quit', 'reset']);

function makeEntry(name: string, spec: CommandSpec | undefined, handler: Handler, container: boolean): CommandEntry {
  const flags = spec?.flags ?? [];
  const base = name.split('|')[0]!;
  const isSub = name.includes('|');
  return {
    name,
    spec,
    handler,
    arity: spec?.arity ?? 0,
    noAuth: flags.includes('no_auth'),
    noMulti: flags.includes('no_multi'),
    isWrite: flags.includes('write'),
    pubsubOk: PUBSUB_ALLOWED.has(base) && !isSub,
    txPassthrough: TX_PASSTHROUGH.has(base) && !isSub,
    subs: container ? new Map() : null,
    calls: 0,
    usec: 0,
    rejectedCalls: 0,
    failedCalls: 0,
  };
}

/** One node's view of the commands (entries carry that node's statistics). */
export class CommandTable {
  /** Upper-case full name ("GET", "CONFIG|GET") -> entry, or null when unknown. */
  private readonly canonical = new Map<string, CommandEntry | null>();

  /** Names with per-subcommand handlers ("CONFIG" for "CONFIG|GET"). */
  private readonly subHandled = new Set<string>();

  constructor(private readonly handlers: Readonly<Record<string, Handler>> = HANDLERS) {
    for (const k of Object.keys(handlers)) {
      const bar = k.indexOf('|');
      if (bar > 0) this.subHandled.add(k.slice(0, bar));
    }
  }

  /** The entry for a top-level command name in any case, or null when unknown. */
  find(name: string): CommandEntry | null {
    const upper = name.toUpperCase();
    const cached = this.canonical.get(upper);
    if (cached !== undefined) return cached;
    const spec = lookupCommand(upper);
    const handler = this.handlers[upper];
    let entry: CommandEntry | null = null;
    if (spec?.subcommands !== undefined || (spec === undefined && this.subHandled.has(upper))) {
      // A container may be implemented by one handler or only per subcommand ("CONFIG|GET").
      const fallback: Handler = handler ?? (() => ({ t: 'err', v: `ERR unknown subcommand. Try ${upper} HELP.` }));
      entry = makeEntry(upper.toLowerCase(), spec, fallback, true);
    } else if (handler !== undefined) {
      entry = makeEntry(upper.toLowerCase(), spec, handler, false);
    }
    // Only real commands are remembered: unknown names must not grow the map without bound.
    if (entry !== null) this.canonical.set(upper, entry);
    return entry;
  }

  /** The entry for a subcommand of `parent`, or null when the container has no such subcommand. */
  findSub(parent: CommandEntry, sub: string): CommandEntry | null {
    const upper = sub.toUpperCase();
    const key = `${parent.name.toUpperCase()}|${upper}`;
    const cached = this.canonical.get(key);
    if (cached !== undefined) return cached;
    const spec = parent.spec?.subcommands?.[upper];
    const handler = this.handlers[key] ?? this.handlers[parent.name.toUpperCase()];
    // A container the table does not describe (a test's own handlers): any handled subcommand runs.
    const known = spec !== undefined || parent.spec?.subcommands === undefined;
    const entry = known && handler !== undefined ? makeEntry(key.toLowerCase(), spec, handler, false) : null;
    if (entry !== null) this.canonical.set(key, entry);
    return entry;
  }

  /** Every command entry resolved so far (INFO commandstats, CONFIG RESETSTAT). */
  resolved(): CommandEntry[] {
    const out: CommandEntry[] = [];
    for (const e of this.canonical.values()) if (e !== null) out.push(e);
    return out;
  }
}
