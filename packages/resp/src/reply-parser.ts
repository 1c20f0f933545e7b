/**
 * Streaming parser of RESP2/RESP3 *replies* (what a server sends back).
 *
 * The router forwards node replies to clients unchanged, so the primary output is the byte range
 * of each complete reply, `buf[start, end)`, found without decoding anything; `decode()` turns
 * the current reply into a `Reply` when someone needs to look inside (merging fan-out results,
 * tests). Handles every RESP3 type: `+ - : $ * _ , # ! = ( % ~ > |`. An attribute (`|`) and the
 * value it annotates form one reply. Streamed aggregates (`*?`) are not supported.
 *
 * Usage:
 *
 *     parser.feed(chunk);
 *     while (parser.next()) forward(parser.buf, parser.start, parser.end);
 *     if (parser.error !== null) close();
 *
 * The range is valid until the next `feed()`. Scanning is resumable: a huge array or bulk that
 * arrives in many chunks is scanned once, and a known-size bulk gets a buffer of its final size,
 * so nothing is copied more than once.
 */
import type { Bytes } from './bytes.js';
import type { Reply } from './reply.js';
import { R } from './reply.js';
import { READ_IN_PLACE_MIN, ReadTarget } from './read-target.js';
import { copyOut, lendOrAllocate, type GatherBuffer, type GatherPool } from './gather-pool.js';

const CR = 13;
const EMPTY = Buffer.alloc(0);
/** Longest line (simple string, error, number, header) awaited without CRLF. */
export const REPLY_MAX_LINE = 64 * 1024;
/** Largest aggregate length accepted from a server. */
const MAX_AGGREGATE = 2147483647;

export interface ReplyParserOptions {
  /** Largest bulk accepted (default 512 MB, Redis's proto-max-bulk-len). */
  maxBulkLen?: number;
  /** Lends the buffers that big replies are gathered in (gather-pool.ts); without it they are allocated. */
  pool?: GatherPool;
}

export class ReplyParser {
  /** The current reply is buf[start, end) after next() returned true. */
  buf: Buffer = EMPTY;
  start = 0;
  end = 0;
  /** Set when the stream is not valid RESP; the connection should be closed. */
  error: string | null = null;
  /** Top-level attributes of the reply last returned by decode(), or null. */
  attributes: Reply | null = null;

  private readonly maxBulkLen: number;
  /** Bytes of buf in use: [base, limit). */
  private base = 0;
  private limit = 0;
  private owned = false;
  /** Resumable scan of the reply starting at `base`: next byte to look at and open aggregates. */
  private scan = 0;
  private stack: number[] = [];
  /** When > 0: the scan stopped inside a blob whose data ends (CRLF included) at this offset. */
  private blobEnd = -1;
  private readonly target = new ReadTarget();
  private readonly pool: GatherPool | null;
  /** `buf`'s pool entry when buf was lent by the pool (see `lent`). */
  private pooled: GatherBuffer | null = null;
  /** Position used by decode(). */
  private dpos = 0;

  constructor(opts: ReplyParserOptions = {}) {
    this.maxBulkLen = opts.maxBulkLen ?? 512 * 1024 * 1024;
    this.pool = opts.pool ?? null;
  }

  /**
   * The pool entry of `buf` when the current reply lies in a lent buffer: whoever keeps a view of
   * the reply past next() must `hold()` it and `release()` it when done (else the buffer is
   * simply never reused).
   */
  get lent(): GatherBuffer | null {
    return this.pooled;
  }

  get pendingBytes(): number {
    return this.limit - this.base;
  }

  /** Where a socket may read its next bytes straight into (read-target.ts), or null. */
  readTarget(): Buffer | null {
    if (this.error !== null) return null;
    // A blob known to need more bytes than we hold gets its gathering buffer now, so that the
    // rest of it is read straight in (no Buffer per read, no second copy in feed).
    if (this.blobEnd > 0) {
      const want = this.blobEnd - this.base;
      if (want >= READ_IN_PLACE_MIN && want > this.limit - this.base && (!this.owned || this.buf.length - this.base < want)) this.moveTo(want);
    }
    return this.owned ? this.target.offer(this.buf, this.limit, this.pooled) : null;
  }

  /** `n` bytes were read into `target` (from readTarget): the same as feeding them. */
  fedInPlace(target: Uint8Array, n: number): void {
    if (this.target.landed(this.buf, this.limit) && this.error === null) this.limit += n;
    else if (n > 0) this.feed(Buffer.from(target.subarray(0, n)));
    this.target.readOver();
  }

  /**
   * Like feed, for bytes in a buffer that is reused once this returns (a socket's shared read
   * buffer): they are copied, a big read that starts a reply into a buffer lent by the pool.
   */
  feedCopy(src: Uint8Array, n: number): void {
    if (this.error !== null || n === 0) return;
    const pending = this.limit - this.base;
    if (pending > 0 && this.owned && this.buf.length - this.limit >= n) {
      this.buf.set(src.subarray(0, n), this.limit);
      this.limit += n;
      return;
    }
    const { buf, lent } = copyOut(pending === 0 ? this.pool : null, src, n, READ_IN_PLACE_MIN);
    this.feed(buf.length === n ? buf : buf.subarray(0, n));
    if (lent !== null) this.adopt(lent);
  }

  /** feed() took the start of a lent buffer as its bytes: the rest of it is ours to fill. */
  private adopt(lent: GatherBuffer): void {
    this.buf = lent.buf;
    this.pooled = lent;
    this.owned = true;
  }

  feed(chunk: Buffer): void {
    if (this.error !== null || chunk.length === 0) return;
    const pending = this.limit - this.base;
    if (pending === 0) {
      this.retirePooled();
      this.buf = chunk;
      this.base = this.scan = 0;
      this.limit = chunk.length;
      this.owned = false;
      this.stack.length = 0;
      this.blobEnd = -1;
      return;
    }
    if (this.owned && this.buf.length - this.limit >= chunk.length) {
      chunk.copy(this.buf, this.limit);
      this.limit += chunk.length;
      return;
    }
    const need = pending + chunk.length;
    let cap = Math.max(need * 2, 16384);
    if (this.blobEnd > 0 && this.blobEnd - this.base > need) cap = Math.max(this.blobEnd - this.base, need);
    this.moveTo(cap);
    chunk.copy(this.buf, pending);
    this.limit = need;
  }

  /**
   * Moves the pending bytes to a new buffer of ours of at least `cap` bytes (lent by the pool for
   * a big reply); replies already handed out keep the old one.
   */
  private moveTo(cap: number): void {
    const old = this.pooled;
    const { buf, lent } = lendOrAllocate(this.pool, cap);
    this.buf.copy(buf, 0, this.base, this.limit);
    old?.retire(); // after its bytes were copied out
    this.pooled = lent;
    const shift = this.base;
    this.buf = buf;
    this.owned = true;
    this.base = 0;
    this.limit -= shift;
    this.scan -= shift;
    if (this.blobEnd > 0) this.blobEnd -= shift;
  }

  /** The parser is done with a lent buffer (it goes back once nothing else holds it). */
  private retirePooled(): void {
    const p = this.pooled;
    if (p === null) return;
    this.pooled = null;
    p.retire();
  }

  /** Advance to the next complete reply; false when more bytes are needed or on error. */
  next(): boolean {
    if (this.error !== null) return false;
    if (this.base >= this.limit) {
      this.release();
      return false;
    }
    if (!this.scanReply()) return false;
    this.start = this.base;
    this.end = this.scan;
    this.base = this.scan;
    return true;
  }

  /** The current reply's bytes as a latin1 string. */
  raw(): Bytes {
    return this.buf.latin1Slice(this.start, this.end);
  }

  /** Decode the current reply (after next() returned true). */
  decode(): Reply {
    this.dpos = this.start;
    this.attributes = null;
    return this.decodeValue(true);
  }

  /** Convenience: the next complete reply decoded, or null. */
  nextReply(): Reply | null {
    return this.next() ? this.decode() : null;
  }

  /** Everything consumed: drop the buffer so an idle connection holds no memory. */
  private release(): void {
    this.retirePooled();
    this.buf = EMPTY;
    this.base = this.limit = this.scan = this.start = this.end = 0;
    this.owned = false;
    this.stack.length = 0;
    this.blobEnd = -1;
  }

  private fail(message: string): false {
    this.error = message;
    return false;
  }

  /** Continue scanning the reply at `base`; true when it is complete (scan = its end). */
  private scanReply(): boolean {
    const buf = this.buf;
    const limit = this.limit;
    const stack = this.stack;
    if (this.blobEnd > 0) {
      if (this.blobEnd > limit) return false;
      this.scan = this.blobEnd;
      this.blobEnd = -1;
      if (this.popCompleted()) return true;
    }
    for (;;) {
      let p = this.scan;
      if (p >= limit) return false;
      const type = buf[p]!;
      const cr = this.findLineEnd(p + 1);
      if (cr === -2) return this.fail('Protocol error: too big reply line');
      if (cr < 0) return false;
      const next = cr + 2;
      let children = 0;
      switch (type) {
        case 43: // + simple
        case 45: // - error
        case 58: // : integer
        case 44: // , double
        case 35: // # boolean
        case 40: // ( big number
        case 95: // _ null
          p = next;
          break;
        case 36: // $ bulk
        case 61: // = verbatim
        case 33: {
          // ! blob error
          const len = this.lineInt(p + 1, cr);
          if (len === -1 && type === 36) {
            p = next;
            break;
          }
          if (len < 0 || len > this.maxBulkLen) return this.fail('Protocol error: invalid bulk length');
          const blobEnd = next + len + 2;
          if (blobEnd > limit) {
            this.scan = next;
            this.blobEnd = blobEnd;
            return false;
          }
          p = blobEnd;
          break;
        }
        case 42: // * array
        case 126: // ~ set
        case 62: // > push
        case 37: // % map
        case 124: {
          // | attribute (its pairs, then the value it annotates)
          const n = this.lineInt(p + 1, cr);
          if (n === -1 && (type === 42 || type === 37 || type === 126)) {
            p = next;
            break;
          }
          if (n < 0 || n > MAX_AGGREGATE) return this.fail('Protocol error: invalid multibulk length');
          children = type === 37 ? n * 2 : type === 124 ? n * 2 + 1 : n;
          p = next;
          break;
        }
        default:
          return this.fail(`Protocol error: unexpected reply type byte ${type}`);
      }
      this.scan = p;
      if (children > 0) {
        stack.push(children);
        continue;
      }
      if (this.popCompleted()) return true;
    }
  }

  /** One element finished: count it against the open aggregates; true when the reply is done. */
  private popCompleted(): boolean {
    const stack = this.stack;
    for (;;) {
      const depth = stack.length;
      if (depth === 0) return true;
      const left = stack[depth - 1]! - 1;
      if (left > 0) {
        stack[depth - 1] = left;
        return false;
      }
      stack.pop();
    }
  }

  /** Index of the CR ending the line that starts at `from`, -1 if not here yet, -2 if too long. */
  private findLineEnd(from: number): number {
    const cr = this.buf.indexOf(CR, from);
    if (cr < 0 || cr + 1 >= this.limit) {
      return this.limit - from > REPLY_MAX_LINE ? -2 : -1;
    }
    return cr;
  }

  /** Decimal integer in buf[from, to) (optionally negative); -2 when malformed. */
  private lineInt(from: number, to: number): number {
    const buf = this.buf;
    if (from >= to || to - from > 16) return -2;
    let neg = false;
    let p = from;
    if (buf[p] === 45) {
      neg = true;
      p++;
      if (p === to) return -2;
    }
    let v = 0;
    for (; p < to; p++) {
      const c = buf[p]!;
      if (c < 48 || c > 57) return -2;
      v = v * 10 + (c - 48);
    }
    return neg ? (v === 1 ? -1 : -2) : v;
  }

  private line(): Bytes {
    const from = this.dpos + 1;
    const cr = this.buf.indexOf(CR, from);
    this.dpos = cr + 2;
    return this.buf.latin1Slice(from, cr);
  }

  private decodeItems(n: number): Reply[] {
    const items = new Array<Reply>(n);
    for (let i = 0; i < n; i++) items[i] = this.decodeValue(false);
    return items;
  }

  private decodeValue(top: boolean): Reply {
    const buf = this.buf;
    const type = buf[this.dpos]!;
    const at = this.dpos;
    const text = this.line();
    switch (type) {
      case 43:
        return text === 'OK' ? R.ok : R.simple(text);
      case 45:
        return R.err(text);
      case 58: {
        const n = Number(text);
        return Number.isSafeInteger(n) ? R.int(n) : R.int(BigInt(text));
      }
      case 36:
      case 61:
      case 33: {
        const len = Number(text);
        if (len < 0) return R.nil;
        const from = this.dpos;
        this.dpos = from + len + 2;
        const v = buf.latin1Slice(from, from + len);
        if (type === 33) return R.err(v);
        if (type === 61) return R.verb(v.slice(4), v.slice(0, 3));
        return R.bulk(v);
      }
      case 42: {
        const n = Number(text);
        return n < 0 ? R.nilArray : R.arr(this.decodeItems(n));
      }
      case 37: {
        const n = Number(text);
        return n < 0 ? R.nilArray : R.map(this.decodeItems(n * 2));
      }
      case 126: {
        const n = Number(text);
        return n < 0 ? R.nilArray : R.set(this.decodeItems(n));
      }
      case 62:
        return R.push(this.decodeItems(Number(text)));
      case 44:
        return R.dbl(text === 'inf' ? Infinity : text === '-inf' ? -Infinity : text === 'nan' ? NaN : Number(text));
      case 35:
        return R.bool(text === 't');
      case 95:
        return R.nil;
      case 40:
        // No big-number Reply type: keep the exact bytes so re-encoding is lossless.
        return R.raw(buf.latin1Slice(at, this.dpos));
      case 124: {
        const attrs = R.map(this.decodeItems(Number(text) * 2));
        if (top) this.attributes = attrs;
        return this.decodeValue(false);
      }
      default:
        throw new Error(`reply-parser: decode of unscanned type ${type}`);
    }
  }
}
