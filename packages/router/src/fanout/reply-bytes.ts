/**
 * Looking inside raw node replies without decoding them whole: an integer's value, an
 * aggregate's element byte ranges (found with @swarmkv/resp's ReplyParser, so the scanner is the
 * same one that frames replies on the connections). Merges (fan-out results) reassemble element
 * bytes as they came, so a RESP3 node's `_` or `,1.5` reaches a RESP3 client untouched.
 */
import { ReplyParser } from '@swarmkv/resp';

export function isError(b: Buffer): boolean {
  return b[0] === 45 /* - */ || b[0] === 33 /* ! blob error */;
}

/** `:N\r\n` -> N (bigint beyond 2^53), or null if the reply is not an integer. */
export function intValue(b: Buffer): number | bigint | null {
  if (b[0] !== 58) return null;
  const text = b.latin1Slice(1, b.length - 2);
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : BigInt(text);
}

/** The first line of a reply without its type byte ("OK", "ERR ...", "3"). */
export function lineText(b: Buffer): string {
  const cr = b.indexOf(13);
  return b.latin1Slice(1, cr < 0 ? b.length : cr);
}

/** A bulk reply's payload, null for nil/other types. */
export function bulkValue(b: Buffer): string | null {
  if (b[0] !== 36) return null;
  const cr = b.indexOf(13);
  const len = Number(b.latin1Slice(1, cr));
  if (len < 0) return null;
  return b.latin1Slice(cr + 2, cr + 2 + len);
}

const AGGREGATES = new Set([42 /* * */, 126 /* ~ */, 62 /* > */, 37 /* % */]);

/**
 * The elements of an aggregate reply (`*`, `~`, `>`; a map `%` gives keys and values in turn),
 * each as a Buffer view; null when the reply is not an aggregate (error, nil).
 */
export function elements(b: Buffer): Buffer[] | null {
  if (!AGGREGATES.has(b[0]!)) return null;
  const cr = b.indexOf(13);
  const n = Number(b.latin1Slice(1, cr));
  if (n < 0) return null;
  const out: Buffer[] = [];
  if (n === 0) return out;
  const parser = new ReplyParser();
  const body = b.subarray(cr + 2);
  parser.feed(body);
  const count = b[0] === 37 ? n * 2 : n;
  for (let i = 0; i < count && parser.next(); i++) out.push(body.subarray(parser.start, parser.end));
  return out;
}

/** Concatenates `header` and the element buffers into one Buffer. */
export function assemble(header: string, parts: readonly Buffer[]): Buffer {
  let size = header.length;
  for (const p of parts) size += p.length;
  const out = Buffer.allocUnsafe(size);
  let off = out.latin1Write(header, 0);
  for (const p of parts) off += p.copy(out, off);
  return out;
}
