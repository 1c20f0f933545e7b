/**
 * A node connection's output: requests encoded as RESP straight into one reusable Buffer.
 *
 * Building each request as a JS string costs a chain of concatenations and then a flattening
 * copy when the string is written (measured: ~5% of the router's CPU under MSET). Here argument
 * vectors are written byte by byte into the buffer (writeBytes: short strings by a JS loop,
 * cheaper than a call into C++ for a key of 16 bytes, long ones with latin1Write).
 *
 * The buffer is reused after a flush whose write completed at once (the usual case); when the
 * socket keeps the bytes for later, the next requests go to a fresh buffer.
 */
import { copyBytes, writeBytes, writeRespHeader, type Bytes, type RawCommand } from '@swarmkv/resp';

const INITIAL_BYTES = 16 * 1024;
/** Raw commands from this size on are written as they are instead of being copied in. */
export const SEGMENT_MIN = 64 * 1024;
export class RequestBuffer {
  private buf: Buffer = Buffer.allocUnsafeSlow(INITIAL_BYTES);
  length = 0;
  /**
   * Big raw commands (SEGMENT_MIN and up) are not copied in: they are queued as views of the
   * client's bytes, between views of the encoded bytes before them (from segStart on).
   */
  private segments: Uint8Array[] = [];
  private segStart = 0;

  /** True when nothing has been appended since the last write. */
  get empty(): boolean {
    return this.length === 0 && this.segments.length === 0;
  }

  private ensure(extra: number): void {
    const need = this.length + extra;
    if (need <= this.buf.length) return;
    const bigger = Buffer.allocUnsafeSlow(Math.max(need, this.buf.length * 2));
    this.buf.copy(bigger, 0, 0, this.length);
    this.buf = bigger;
  }

  /** Appends already encoded bytes (a latin1 string). */
  appendEncoded(s: Bytes): void {
    this.ensure(s.length);
    this.length = writeBytes(this.buf, this.length, s);
  }

  /** Appends bytes that are already a RESP request (a client's command passed on as it came). */
  appendRaw(bytes: Uint8Array, start: number, end: number): void {
    if (end - start >= SEGMENT_MIN) {
      if (this.length > this.segStart) this.segments.push(this.buf.subarray(this.segStart, this.length));
      this.segments.push(bytes.subarray(start, end));
      this.segStart = this.length;
      return;
    }
    this.ensure(end - start);
    this.length = copyBytes(bytes, start, end, this.buf, this.length);
  }

  /**
   * Appends one part of a split command: cmd's name, then for each argument index in
   * keyIdx[from, to) that argument and the `step - 1` after it (MSET's value), copied as they
   * were encoded.
   */
  appendPart(cmd: RawCommand, keyIdx: readonly number[], from: number, to: number, step: number): void {
    const src = cmd.buf;
    let size = 16 + cmd.hdr[1]! - cmd.hdr[0]!;
    for (let i = from; i < to; i++) size += cmd.argEnd(keyIdx[i]! + step - 1) - cmd.hdr[keyIdx[i]!]!;
    this.ensure(size);
    const buf = this.buf;
    let at = writeRespHeader(buf, this.length, 42 /* '*' */, (to - from) * step + 1);
    at = copyBytes(src, cmd.hdr[0]!, cmd.hdr[1]!, buf, at);
    for (let i = from; i < to; i++) {
      const k = keyIdx[i]!;
      at = copyBytes(src, cmd.hdr[k]!, cmd.argEnd(k + step - 1), buf, at);
    }
    this.length = at;
  }

  /** Appends argv as a RESP multibulk. */
  appendCommand(argv: readonly Bytes[]): void {
    let size = 16;
    for (let i = 0; i < argv.length; i++) size += argv[i]!.length + 16;
    this.ensure(size);
    const buf = this.buf;
    let at = writeRespHeader(buf, this.length, 42 /* '*' */, argv.length);
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i]!;
      at = writeRespHeader(buf, at, 36 /* '$' */, a.length);
      at = writeBytes(buf, at, a);
      buf[at++] = 13;
      buf[at++] = 10;
    }
    this.length = at;
  }

  /** The bytes to write now when no segment was queued; then call `written`. */
  view(): Buffer {
    return this.buf.subarray(0, this.length);
  }

  /**
   * Hands everything appended to `write`, in order (write returns true when the socket kept
   * those bytes), then starts over.
   */
  writeTo(write: (bytes: Uint8Array) => boolean): void {
    const segments = this.segments;
    if (segments.length === 0) {
      this.written(write(this.view()));
      return;
    }
    let keptOwn = false;
    for (let i = 0; i < segments.length; i++) {
      if (write(segments[i]!) && segments[i]!.buffer === this.buf.buffer) keptOwn = true;
    }
    if (this.length > this.segStart && write(this.buf.subarray(this.segStart, this.length))) keptOwn = true;
    this.segments = [];
    this.segStart = 0;
    this.written(keptOwn);
  }

  /** The view was written: reuse the buffer if the socket did not keep it, else start a new one. */
  written(socketKeptIt: boolean): void {
    this.length = 0;
    if (socketKeptIt) this.buf = Buffer.allocUnsafeSlow(INITIAL_BYTES);
  }

  clear(): void {
    this.length = 0;
    this.segments = [];
    this.segStart = 0;
  }
}
