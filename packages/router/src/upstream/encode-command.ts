/**
 * Requests to nodes: an argument vector as a RESP multibulk, in Bytes (latin1, one char per
 * byte) so it can be appended to a connection's output string and written with one
 * `Buffer.from(out, 'latin1')` per flush. Clients' raw bytes are not forwarded because commands
 * are often rewritten on the way (a fan-out's per-node MGET, SCAN's cursor, inline commands).
 */
import type { Bytes } from '@swarmkv/resp';

export function encodeCommand(argv: readonly Bytes[]): Bytes {
  let s = '*' + argv.length + '\r\n';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    s += '$' + a.length + '\r\n' + a + '\r\n';
  }
  return s;
}

/** argv[0] replaced by `name`, the rest from `argv` at `indexes` (a fan-out's per-node request). */
export function encodeSubset(name: Bytes, argv: readonly Bytes[], indexes: readonly number[]): Bytes {
  let s = '*' + (indexes.length + 1) + '\r\n$' + name.length + '\r\n' + name + '\r\n';
  for (let i = 0; i < indexes.length; i++) {
    const a = argv[indexes[i]!]!;
    s += '$' + a.length + '\r\n' + a + '\r\n';
  }
  return s;
}
