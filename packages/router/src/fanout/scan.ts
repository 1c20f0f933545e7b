/**
 * SCAN over every node, one node at a time.
 *
 * The router's cursor packs the node's index and that node's own cursor:
 * `cursor = nodeCursor * nodeCount + nodeIndex`. Cursor 0 starts at node 0 with cursor 0; when a
 * node's cursor comes back 0 the next call moves to the next node (cursor = its index), and after
 * the last node the router answers 0. Redis's guarantees carry over node by node: every key
 * present for the whole scan is returned at least once. The node's elements are passed through
 * as bytes; only the cursor is rewritten. A topology change during a scan restarts its meaning
 * (the node count is part of the cursor), as with any cluster client's SCAN.
 */
import { encodeBulk, encodeError, type Bytes } from '@swarmkv/resp';
import type { ClientSession } from '../client-session.js';
import { assemble, bulkValue, elements } from './reply-bytes.js';
import { FanoutOp } from './fanout-op.js';

const MAX_U64 = (1n << 64n) - 1n;

/** Redis's strtoull cursor parsing: optional blanks and sign; null when invalid. */
export function parseCursor(text: Bytes): bigint | null {
  const m = /^[ \t\n\v\f\r]*([+-]?)(\d+)$/.exec(text);
  if (m === null) return null;
  const v = BigInt(m[2]!);
  if (v > MAX_U64 && m[1] !== '-') return null;
  return m[1] === '-' ? (((-v) % (MAX_U64 + 1n)) + MAX_U64 + 1n) % (MAX_U64 + 1n) : v;
}

export function scan(s: ClientSession, argv: Bytes[]): void {
  const nodes = s.router.activeNodes;
  const n = BigInt(nodes.length);
  // Router cursors may exceed 64 bits (node cursor x node count), so only the syntax is checked here.
  const m = /^[ \t\n\v\f\r]*\+?(\d+)$/.exec(argv[1]!);
  if (m === null) {
    if (parseCursor(argv[1]!) === null) return s.reply(encodeError('ERR invalid cursor'));
  }
  const cursor = m === null ? parseCursor(argv[1]!)! : BigInt(m[1]!);
  const index = Number(cursor % n);
  const nodeCursor = cursor / n;
  const node = nodes[index]!;
  const args = argv.slice();
  args[1] = String(nodeCursor);
  const op = new FanoutOp(s, 1, ([reply]) => {
    const items = elements(reply!);
    if (items === null || items.length !== 2) return reply!;
    const next = BigInt(bulkValue(items[0]!) ?? '0');
    let out: bigint;
    if (next !== 0n) out = next * n + BigInt(index);
    else out = index + 1 < nodes.length ? BigInt(index + 1) : 0n;
    return assemble('*2\r\n' + encodeBulk(String(out)), [items[1]!]);
  });
  s.enqueue(op);
  op.send(node, 0, args, -1);
}
