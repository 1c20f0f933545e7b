/**
 * The request of one part of a split command (fanout/split.ts): the command name, then each of
 * the part's keys (followed by its value for MSET), from the client's argv or, when the command
 * was sent on from its raw bytes, from those bytes parsed again (only a redirect needs that).
 */
import { RequestParser, type ByteRange, type Bytes } from '@swarmkv/resp';

/**
 * A part's request: the command name, then each of its keys, the argument indexes
 * keyIdx[from, to) (each followed by its value for MSET).
 */
export function partArgv(name: Bytes, argv: readonly Bytes[], keyIdx: readonly number[], from: number, to: number, step: number): Bytes[] {
  const out = new Array<Bytes>((to - from) * step + 1);
  out[0] = name;
  let at = 1;
  for (let i = from; i < to; i++) {
    const k = keyIdx[i]!;
    out[at++] = argv[k]!;
    if (step === 2) out[at++] = argv[k + 1]!;
  }
  return out;
}

/** A part's request rebuilt from the command's kept bytes (only when a node redirects it). */
export function rebuildPart(kept: ByteRange, keyIdx: readonly number[], from: number, to: number, step: number): Bytes[] {
  const parser = new RequestParser();
  parser.feed(Buffer.from(kept.buf.subarray(kept.start, kept.end)));
  const argv = parser.next()!;
  return partArgv(argv[0]!, argv, keyIdx, from, to, step);
}
