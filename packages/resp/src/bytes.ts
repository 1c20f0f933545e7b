/**
 * Byte strings.
 *
 * Every key, value and argument on the wire is a `Bytes`: a JavaScript string holding one
 * character per byte (latin1, code units 0..255). This is binary safe (any byte sequence
 * round-trips exactly through `Buffer#latin1Slice` and `Buffer.from(s, 'latin1')`), knows its
 * length in O(1), and costs ~24 bytes of header where a Buffer costs ~100 and a separate
 * ArrayBuffer. Those ~80 bytes per key decide whether 8 million keys fit in 150 B/key, which is
 * why swarmkv departs from "wire data is Buffer": a Bytes is never a UTF-8 decoded string.
 *
 * Convert at the edges only: `bytesFrom(buf)` when reading a socket, `Buffer.from(b, 'latin1')`
 * when writing, `utf8ToBytes('héllo')` for literals that are not ASCII.
 */
export type Bytes = string;

export function bytesFrom(buf: Buffer, start = 0, end = buf.length): Bytes {
  return buf.latin1Slice(start, end);
}

export function bytesToBuffer(b: Bytes): Buffer {
  return Buffer.from(b, 'latin1');
}

export function utf8ToBytes(s: string): Bytes {
  return Buffer.from(s, 'utf8').latin1Slice();
}

export function bytesToUtf8(b: Bytes): string {
  return Buffer.from(b, 'latin1').toString('utf8');
}

/*
 * Node's fast latin1 slicing (Buffer#latin1Slice / latin1Write) exists at runtime on every
 * Buffer but is missing from @types/node; declared here once for the whole monorepo.
 */
declare global {
  interface Buffer<TArrayBuffer extends ArrayBufferLike = ArrayBufferLike> {
    latin1Slice(start?: number, end?: number): string;
    latin1Write(s: string, offset?: number, length?: number): number;
  }
}

/** Strings up to this length are written by a JS loop, longer ones by latin1Write (a C++ call). */
const WRITE_LOOP_MAX = 32;

/** Writes b's bytes into buf at `at` (the caller made room); returns the offset after them. */
export function writeBytes(buf: Buffer, at: number, b: Bytes): number {
  const len = b.length;
  if (len > WRITE_LOOP_MAX) return at + buf.latin1Write(b, at, len);
  for (let i = 0; i < len; i++) buf[at + i] = b.charCodeAt(i);
  return at + len;
}

/** Byte ranges up to this length are copied by a JS loop, longer ones by TypedArray#set. */
const COPY_LOOP_MAX = 32;

/** Copies from[start, end) into `to` at `at` (the caller made room); returns the offset after them. */
export function copyBytes(from: Uint8Array, start: number, end: number, to: Uint8Array, at: number): number {
  const n = end - start;
  if (n > COPY_LOOP_MAX) to.set(from.subarray(start, end), at);
  else for (let i = 0; i < n; i++) to[at + i] = from[start + i]!;
  return at + n;
}
