/**
 * The one place the node turns a Reply into RESP bytes: @swarmkv/resp's encoder, for the
 * client's protocol (2 or 3). Kept behind this function so the dispatcher's hot path has a
 * single, monomorphic call site.
 */
import type { Bytes, Reply } from '@swarmkv/resp';
import { encodeReply } from '@swarmkv/resp';

export function encode(reply: Reply, protocol: 2 | 3): Bytes {
  return encodeReply(reply, protocol);
}
