/**
 * An argument vector as a RESP multibulk in Bytes (latin1, one char per byte): for requests
 * that are kept encoded (a transaction's queued commands, handshakes). The hot path hands argv
 * to the connection instead, which encodes it into its output buffer (request-buffer.ts).
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
