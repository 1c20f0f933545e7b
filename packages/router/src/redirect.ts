/**
 * -MOVED and -ASK from a node, as a Redis Cluster client handles them.
 *
 * `-MOVED <slot> <host:port>`: the slot lives elsewhere for good. The router's slot map is
 * updated (an unknown address becomes a new shard) and the command is sent again to the new
 * owner. `-ASK <slot> <host:port>`: the slot is migrating and this one key is already on the
 * target; the command is sent there once, preceded by ASKING, and the map is left alone.
 * A command is redirected at most MAX_REDIRECTS times; after that the last redirect error is
 * the reply (a loop between two nodes that disagree must not spin forever).
 */
import type { ClientSession } from './client-session.js';
import type { ReplySink } from './upstream/connection.js';
import type { UpstreamNode } from './upstream/node.js';
import { parseAddress, type Address } from './topology.js';

export const MAX_REDIRECTS = 5;
export const ASKING = '*1\r\n$6\r\nASKING\r\n';

export interface Redirectable extends ReplySink {
  /** How many redirects this part has followed so far; increments it. */
  countRedirect(part: number): number;
  /** Sends this part again to `node` (after ASKING when `asking`). */
  resend(node: UpstreamNode, part: number, asking: boolean): void;
}

/** Cheap test on the first bytes: "-MOVED " or "-ASK ". */
export function isRedirect(buf: Buffer, start: number): boolean {
  const c = buf[start + 1];
  if (c === 77 /* M */) return buf[start + 2] === 79 && buf[start + 3] === 86 && buf[start + 4] === 69 && buf[start + 5] === 68 && buf[start + 6] === 32;
  if (c === 65 /* A */) return buf[start + 2] === 83 && buf[start + 3] === 75 && buf[start + 4] === 32;
  return false;
}

export interface RedirectInfo {
  readonly ask: boolean;
  readonly slot: number;
  readonly target: Address;
}

export function parseRedirect(line: string): RedirectInfo | null {
  const m = /^-?(MOVED|ASK) (\d+) (\S+)\s*$/.exec(line);
  if (!m) return null;
  const slot = Number(m[2]);
  if (slot >= 16384) return null;
  try {
    return { ask: m[1] === 'ASK', slot, target: parseAddress(m[3]!) };
  } catch {
    return null;
  }
}

/**
 * Follows the redirect in buf[start, end) for `sink`'s `part`. Returns false when the redirect
 * is not followed (malformed, or too many): the caller then passes the error to the client.
 */
export function followRedirect(
  session: ClientSession,
  sink: Redirectable,
  part: number,
  buf: Buffer,
  start: number,
  end: number,
): boolean {
  const info = parseRedirect(buf.latin1Slice(start, end - 2));
  if (info === null) return false;
  if (sink.countRedirect(part) >= MAX_REDIRECTS) return false;
  const router = session.router;
  let node: UpstreamNode;
  if (info.ask) {
    node = router.nodeAt(info.target);
  } else {
    router.applyMoved(info.slot, info.target);
    node = router.nodeForSlot(info.slot);
  }
  if (node.isDown) {
    sink.onFail(part, node.downText(router.rangeText(info.slot)));
    return true;
  }
  sink.resend(node, part, info.ask);
  return true;
}
