/**
 * A request as byte offsets into the buffer it arrived in, instead of one string per argument.
 *
 * A proxy forwards most commands without looking at more than the name and the keys; making a
 * string of every argument and writing it back out costs more than the rest of its JavaScript
 * work (an MSET of 10 pairs: ~2 us of strings). `RequestParser.nextRaw` fills a RawCommand
 * for a complete multibulk: argument i is buf[data[i], data[i] + len[i]), and its encoded form
 * `$<len>\r\n<bytes>\r\n` starts at hdr[i]. The RawCommand is refilled by the next nextRaw; the
 * bytes themselves stay put (the parser never writes over bytes it has handed out), so `keep()`
 * can hold on to them without a copy.
 */
import type { Bytes } from './bytes.js';
import type { GatherBuffer } from './gather-pool.js';

const EMPTY = Buffer.alloc(0);

/** Bytes buf[start, end) (a plain object: cheaper to make than a Buffer view). */
export interface ByteRange {
  readonly buf: Uint8Array;
  readonly start: number;
  readonly end: number;
  /** Set when buf was lent by a GatherPool: `release()` it once the bytes are no longer needed. */
  readonly pooled: GatherBuffer | null;
}
/** Names up to this length are made by a JS loop (cheaper than a C++ call for "GET"). */
const NAME_LOOP_MAX = 12;

export class RawCommand {
  buf: Buffer = EMPTY;
  /** The whole command is buf[start, end). */
  start = 0;
  end = 0;
  argc = 0;
  /** buf's pool entry when the parser's buffer was lent by a GatherPool (held until `done()`). */
  pooled: GatherBuffer | null = null;
  hdr = new Int32Array(16);
  data = new Int32Array(16);
  len = new Int32Array(16);

  /** Room for n arguments. */
  reserve(n: number): void {
    if (n <= this.hdr.length) return;
    let size = this.hdr.length;
    while (size < n) size *= 2;
    this.hdr = new Int32Array(size);
    this.data = new Int32Array(size);
    this.len = new Int32Array(size);
  }

  /** Argument i as Bytes. */
  arg(i: number): Bytes {
    const from = this.data[i]!;
    const n = this.len[i]!;
    if (n > NAME_LOOP_MAX) return this.buf.latin1Slice(from, from + n);
    const buf = this.buf;
    let s = '';
    for (let j = 0; j < n; j++) s += String.fromCharCode(buf[from + j]!);
    return s;
  }

  /** Every argument as Bytes (what `RequestParser.next()` would have returned). */
  argv(): Bytes[] {
    const out = new Array<Bytes>(this.argc);
    for (let i = 0; i < this.argc; i++) out[i] = this.arg(i);
    return out;
  }

  /** Offset just after argument i's trailing CRLF. */
  argEnd(i: number): number {
    return this.data[i]! + this.len[i]! + 2;
  }

  /** Set by the parser for a complete command (its offsets are filled in already). */
  fill(buf: Buffer, start: number, end: number, argc: number, pooled: GatherBuffer | null): void {
    this.done();
    this.buf = buf;
    this.start = start;
    this.end = end;
    this.argc = argc;
    // A lent buffer stays out of the pool while this command is being run (the parser may
    // retire it at once, before the command is kept).
    if (pooled !== null) pooled.hold();
    this.pooled = pooled;
  }

  /** The command has been run: what it kept (keep()) holds its bytes from now on. */
  done(): void {
    const p = this.pooled;
    if (p === null) return;
    this.pooled = null;
    p.release();
  }

  /**
   * The command's bytes, to hold on to after the parser has moved on (no copy: see above). When
   * they are in a pooled buffer, the holder calls `pooled.release()` once it no longer needs them.
   */
  keep(): ByteRange {
    const p = this.pooled;
    if (p !== null) p.hold();
    return { buf: this.buf, start: this.start, end: this.end, pooled: p };
  }
}
