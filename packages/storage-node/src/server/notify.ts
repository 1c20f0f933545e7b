/**
 * Keyspace notifications (notify-keyspace-events).
 *
 * The flags string is parsed and printed exactly as Redis does: 'A' is an alias for "g$lshzxetd"
 * (not m or n), CONFIG GET prints 'A' when all of those are set and then K, E, m, and an 'n' is
 * only printed when 'A' is not (a quirk of Redis we keep). An event is published on
 * `__keyspace@<db>__:<key>` (message: the event name) when K is set and on
 * `__keyevent@<db>__:<event>` (message: the key) when E is set, if its class is enabled.
 */
import type { Bytes } from '@swarmkv/resp';
import type { NotifyClass } from '../commands/context.js';

export const NOTIFY_KEYSPACE = 1 << 0; // K
export const NOTIFY_KEYEVENT = 1 << 1; // E
export const NOTIFY_GENERIC = 1 << 2; // g
export const NOTIFY_STRING = 1 << 3; // $
export const NOTIFY_LIST = 1 << 4; // l
export const NOTIFY_SET = 1 << 5; // s
export const NOTIFY_HASH = 1 << 6; // h
export const NOTIFY_ZSET = 1 << 7; // z
export const NOTIFY_EXPIRED = 1 << 8; // x
export const NOTIFY_EVICTED = 1 << 9; // e
export const NOTIFY_STREAM = 1 << 10; // t
export const NOTIFY_KEY_MISS = 1 << 11; // m
export const NOTIFY_MODULE = 1 << 13; // d
export const NOTIFY_NEW = 1 << 14; // n
export const NOTIFY_ALL =
  NOTIFY_GENERIC | NOTIFY_STRING | NOTIFY_LIST | NOTIFY_SET | NOTIFY_HASH | NOTIFY_ZSET |
  NOTIFY_EXPIRED | NOTIFY_EVICTED | NOTIFY_STREAM | NOTIFY_MODULE;

const CLASS_BITS: Record<string, number> = {
  A: NOTIFY_ALL,
  g: NOTIFY_GENERIC,
  $: NOTIFY_STRING,
  l: NOTIFY_LIST,
  s: NOTIFY_SET,
  h: NOTIFY_HASH,
  z: NOTIFY_ZSET,
  x: NOTIFY_EXPIRED,
  e: NOTIFY_EVICTED,
  K: NOTIFY_KEYSPACE,
  E: NOTIFY_KEYEVENT,
  t: NOTIFY_STREAM,
  m: NOTIFY_KEY_MISS,
  d: NOTIFY_MODULE,
  n: NOTIFY_NEW,
};

/** Redis's message when a flags string has an unknown letter (CONFIG SET). */
export const INVALID_EVENT_CLASS = "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.";

/** Flags string -> bits, or -1 when a character is not a class letter. */
export function parseNotifyFlags(s: string): number {
  let flags = 0;
  for (const ch of s) {
    const bit = CLASS_BITS[ch];
    if (bit === undefined) return -1;
    flags |= bit;
  }
  return flags;
}

/** Bits -> the string CONFIG GET prints. */
export function formatNotifyFlags(flags: number): string {
  let s = '';
  if ((flags & NOTIFY_ALL) === NOTIFY_ALL) s += 'A';
  else {
    const order: [number, string][] = [
      [NOTIFY_GENERIC, 'g'], [NOTIFY_STRING, '$'], [NOTIFY_LIST, 'l'], [NOTIFY_SET, 's'],
      [NOTIFY_HASH, 'h'], [NOTIFY_ZSET, 'z'], [NOTIFY_EXPIRED, 'x'], [NOTIFY_EVICTED, 'e'],
      [NOTIFY_STREAM, 't'], [NOTIFY_MODULE, 'd'], [NOTIFY_NEW, 'n'],
    ];
    for (const [bit, ch] of order) if (flags & bit) s += ch;
  }
  if (flags & NOTIFY_KEYSPACE) s += 'K';
  if (flags & NOTIFY_KEYEVENT) s += 'E';
  if (flags & NOTIFY_KEY_MISS) s += 'm';
  return s;
}

/** Publishes keyspace events through `publish(channel, message)` when enabled. */
export class Notifier {
  /** Current flags; 0 disables everything (the fast path). */
  flags = 0;

  constructor(private readonly publish: (channel: Bytes, message: Bytes) => number) {}

  setFlags(s: string): boolean {
    const f = parseNotifyFlags(s);
    if (f < 0) return false;
    this.flags = f;
    return true;
  }

  notify(cls: NotifyClass, event: string, key: Bytes, dbId: number): void {
    const flags = this.flags;
    if (flags === 0) return;
    const bit = CLASS_BITS[cls];
    if (bit === undefined || (flags & bit) === 0) return;
    if (flags & NOTIFY_KEYSPACE) this.publish(`__keyspace@${dbId}__:${key}`, event);
    if (flags & NOTIFY_KEYEVENT) this.publish(`__keyevent@${dbId}__:${event}`, key);
  }
}
