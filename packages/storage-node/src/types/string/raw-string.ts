/**
 * RawString: a string value that is edited in place, Redis's `raw` SDS.
 *
 * Most strings are immutable Bytes (or numbers for the int encoding, see string-value.ts), which
 * is the cheapest thing V8 can hold. APPEND and SETRANGE, however, change a value in place and are
 * often repeated on the same key (APPEND-built logs, SETRANGE bitmaps), so like Redis they switch
 * the value to a growable buffer: a Buffer holding `length` bytes followed by spare capacity.
 * Growing follows sdsMakeRoomFor: double the needed size below 1 MB, add 1 MB above, so a run of
 * APPENDs costs amortized O(appended bytes). OBJECT ENCODING reports `raw` whatever the length,
 * as Redis does after APPEND/SETRANGE.
 */
import type { Bytes } from '@swarmkv/resp';
import type { RObject } from '../../keyspace/value.js';

/** Redis: SDS_MAX_PREALLOC. */
export const SDS_MAX_PREALLOC = 1024 * 1024;

export class RawString implements RObject {
  /** Bytes in use; buf.length - length is spare room. */
  private len: number;
  private buf: Buffer;

  private constructor(buf: Buffer, len: number) {
    this.buf = buf;
    this.len = len;
  }

  /** A raw copy of `b` with no spare room (createRawStringObject). */
  static from(b: Bytes): RawString {
    const buf = Buffer.allocUnsafe(b.length);
    buf.latin1Write(b, 0, b.length);
    return new RawString(buf, b.length);
  }

  /** `size` zero bytes (SETRANGE on a missing key: sdsnewlen(NULL, size)). */
  static zeroed(size: number): RawString {
    return new RawString(Buffer.alloc(size), size);
  }

  get type(): 'string' {
    return 'string';
  }

  encoding(): 'raw' {
    return 'raw';
  }

  clone(): RawString {
    const buf = Buffer.allocUnsafe(this.len);
    this.buf.copy(buf, 0, 0, this.len);
    return new RawString(buf, this.len);
  }

  get length(): number {
    return this.len;
  }

  /** Spare capacity (sdsavail), for MEMORY USAGE-like accounting. */
  get available(): number {
    return this.buf.length - this.len;
  }

  /** The whole value as Bytes. */
  toBytes(): Bytes {
    return this.buf.latin1Slice(0, this.len);
  }

  /** Bytes [start, end) (caller keeps 0 <= start <= end <= length). */
  slice(start: number, end: number): Bytes {
    return this.buf.latin1Slice(start, end);
  }

  /** The byte at `i` (0 <= i < length). */
  byteAt(i: number): number {
    return this.buf[i]!;
  }

  /** sdscatlen: appends `b`, returns the new length. */
  append(b: Bytes): number {
    const add = b.length;
    this.makeRoomFor(add);
    this.buf.latin1Write(b, this.len, add);
    this.len += add;
    return this.len;
  }

  /**
   * SETRANGE: writes `b` at `offset`, first growing the value with zero bytes (sdsgrowzero) when
   * it is shorter than offset + b.length. Returns the new length.
   */
  setRange(offset: number, b: Bytes): number {
    const end = offset + b.length;
    if (end > this.len) {
      this.makeRoomFor(end - this.len);
      this.buf.fill(0, this.len, end);
      this.len = end;
    }
    this.buf.latin1Write(b, offset, b.length);
    return this.len;
  }

  /** sdsMakeRoomFor: makes sure `add` more bytes fit, with Redis's growth policy. */
  private makeRoomFor(add: number): void {
    if (this.buf.length - this.len >= add) return;
    let size = this.len + add;
    size = size < SDS_MAX_PREALLOC ? size * 2 : size + SDS_MAX_PREALLOC;
    const buf = Buffer.allocUnsafe(size);
    this.buf.copy(buf, 0, 0, this.len);
    this.buf = buf;
  }
}
