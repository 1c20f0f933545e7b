/**
 * Streaming RESP request parser (server side).
 *
 * Sockets deliver commands in arbitrary pieces; this turns them back into argument vectors
 * (`Bytes[]`, one latin1 string per argument) exactly as Redis 7.0's processMultibulkBuffer /
 * processInlineBuffer would: same limits, same quirks (a header line ends at the first `\r` and
 * the byte after it is skipped unchecked, the CRLF after a bulk is not checked, a NUL byte hides
 * a line ending the way `strchr` does), same error messages.
 *
 * Usage (pull model, so a blocked client simply stops pulling):
 *
 *     parser.feed(chunk);
 *     for (let argv = parser.next(); argv !== null; argv = parser.next()) run(argv);
 *     if (parser.error !== null) { reply `-ERR ${parser.error}`; close after the reply }
 *
 * Commands before a protocol error are returned first, as Redis executes them before it
 * answers the error. After an error the parser stays dead.
 *
 * Memory: the parser keeps a reference to the last chunk while it holds an incomplete command,
 * and copies bytes only when a command straddles chunks; a large bulk that is still arriving gets
 * a buffer of its final size at once, so a 100 MB argument sent in 64 KB pieces is copied once.
 * Pending bytes are bounded by the limits below plus one chunk (the caller enforces
 * client-query-buffer-limit with `pendingBytes`).
 */
import type { Bytes } from './bytes.js';
import type { RawCommand } from './raw-command.js';
import { READ_IN_PLACE_MIN, ReadTarget } from './read-target.js';
import { copyOut, lendOrAllocate, type GatherBuffer, type GatherPool } from './gather-pool.js';
import { constants as BUFFER_CONSTANTS } from 'node:buffer';

/** Redis PROTO_INLINE_MAX_SIZE: longest inline command / header line awaited without a newline. */
export const PROTO_INLINE_MAX_SIZE = 64 * 1024;
/** Redis proto-max-bulk-len default. */
export const PROTO_MAX_BULK_LEN_DEFAULT = 512 * 1024 * 1024;
/** Largest multibulk count Redis 7.0 accepts (ll > INT_MAX is invalid). */
export const PROTO_MAX_MULTIBULK_LEN = 2147483647;
/** Before AUTH, Redis 7.0.15 refuses more than 10 arguments and bulks over 16 KB. */
export const UNAUTH_MAX_MULTIBULK_LEN = 10;
export const UNAUTH_MAX_BULK_LEN = 16384;
/** A JS string cannot be longer than this; a bulk above it cannot become `Bytes`. */
const MAX_STRING_LENGTH = BUFFER_CONSTANTS.MAX_STRING_LENGTH;
/** Preallocate argv up to this many slots (Redis: min(count, 1024)), push beyond. */
const ARGV_PREALLOC_MAX = 1024;
/** nextRaw leaves commands with more arguments than this to next(), ... */
const RAW_MAX_ARGS = 1 << 16;
/** ... and stops waiting for a command's end past this many bytes (next() takes it). */
export const RAW_WAIT_MAX = 16 * 1024 * 1024;

export const RAW_TAKEN = 1;
export const RAW_WAIT = 0;
export const RAW_NO = -1;
export type RawResult = typeof RAW_TAKEN | typeof RAW_WAIT | typeof RAW_NO;

const CR = 13;
const LF = 10;
const STAR = 42;
const DOLLAR = 36;
const EMPTY = Buffer.alloc(0);

export interface RequestParserOptions {
  /** proto-max-bulk-len (default 512 MB). */
  maxBulkLen?: number;
  /** True while the connection still has to AUTH: applies Redis's unauthenticated limits. */
  authRequired?: boolean;
  /** Lends the buffers that big commands are gathered in (gather-pool.ts); without it they are allocated. */
  pool?: GatherPool;
}

export class RequestParser {
  /** proto-max-bulk-len; may be changed between feeds (CONFIG SET). */
  maxBulkLen: number;
  /** Set to false once the client has authenticated. */
  authRequired: boolean;
  /** "Protocol error: ..." once the stream is invalid; the server replies -ERR <error> and closes. */
  error: string | null = null;

  private buf: Buffer = EMPTY;
  private pos = 0;
  private end = 0;
  /** True when `buf` is our own accumulation buffer (bytes may be appended past `end`). */
  private owned = false;
  /** Multibulk in progress: the argument vector being filled, null between commands. */
  private argv: Bytes[] | null = null;
  private argc = 0;
  private remaining = 0;
  /** Length of the bulk whose header has been read, -1 when the next thing is a `$` header. */
  private bulkLen = -1;
  private readonly target = new ReadTarget();
  private readonly pool: GatherPool | null;
  /** `buf`'s pool entry when buf was lent by the pool. */
  private pooled: GatherBuffer | null = null;
  /** Bytes from `pos` that the raw command being waited for needs at least (see rawWait). */
  private rawWant = 0;
  /** Scratch result of readLongLong (avoids returning objects). */
  private llValue = 0;

  constructor(opts: RequestParserOptions = {}) {
    this.maxBulkLen = opts.maxBulkLen ?? PROTO_MAX_BULK_LEN_DEFAULT;
    this.authRequired = opts.authRequired ?? false;
    this.pool = opts.pool ?? null;
  }

  /** Bytes received but not yet turned into commands (for client-query-buffer-limit / CLIENT LIST qbuf). */
  get pendingBytes(): number {
    return this.end - this.pos;
  }

  /** True when a command has started but is not complete yet. */
  get inCommand(): boolean {
    return this.argv !== null || this.end > this.pos;
  }

  /**
   * Append received bytes. The parser may keep `chunk` (no copy) until its bytes are consumed,
   * so the caller must not reuse it (socket 'data' buffers are never reused).
   */
  feed(chunk: Buffer): void {
    if (this.error !== null || chunk.length === 0) return;
    const pending = this.end - this.pos;
    if (pending === 0) {
      this.retirePooled();
      this.buf = chunk;
      this.pos = 0;
      this.end = chunk.length;
      this.owned = false;
      return;
    }
    const need = pending + chunk.length;
    if (this.owned && this.buf.length - this.end >= chunk.length) {
      chunk.copy(this.buf, this.end);
      this.end += chunk.length;
      return;
    }
    // A big bulk still arriving: size the buffer for all of it now so it is copied only once.
    let cap = need;
    if (this.argv !== null && this.bulkLen >= 0) {
      const bulkTotal = this.bulkLen + 2;
      if (bulkTotal > cap) cap = bulkTotal;
    } else if (cap < 16384) {
      cap = 16384;
    } else {
      cap += cap >>> 1;
    }
    if (this.argv === null && this.rawWant > cap) cap = this.rawWant;
    this.moveTo(cap);
    chunk.copy(this.buf, pending);
    this.end = need;
  }

  /**
   * Moves the pending bytes to a new buffer of ours of at least `cap` bytes (lent by the pool for
   * a big command). Always a new buffer: bytes of commands already handed out are never written
   * over (nextRaw).
   */
  private moveTo(cap: number): void {
    const pending = this.end - this.pos;
    const old = this.pooled;
    const { buf, lent } = lendOrAllocate(this.pool, cap);
    this.buf.copy(buf, 0, this.pos, this.end);
    old?.retire(); // after its bytes were copied out
    this.pooled = lent;
    this.buf = buf;
    this.owned = true;
    this.pos = 0;
    this.end = pending;
  }

  /** The parser is done with a lent buffer (it goes back once nothing else holds it). */
  private retirePooled(): void {
    const p = this.pooled;
    if (p === null) return;
    this.pooled = null;
    p.retire();
  }

  /**
   * Like feed, for bytes in a buffer that is reused once this returns (a socket's shared read
   * buffer): they are copied. A big read that starts a command is copied into a buffer lent by
   * the pool, so the command is gathered in reused memory from its first byte (a fresh 64 KB
   * Buffer per read costs page faults, not just the copy).
   */
  feedCopy(src: Uint8Array, n: number): void {
    if (this.error !== null || n === 0) return;
    const pending = this.end - this.pos;
    if (pending > 0 && this.owned && this.buf.length - this.end >= n) {
      this.buf.set(src.subarray(0, n), this.end);
      this.end += n;
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

  /** Where a socket may read its next bytes straight into (read-target.ts), or null. */
  readTarget(): Buffer | null {
    if (this.error !== null) return null;
    // A command known to need more bytes than we hold gets its gathering buffer now, so that the
    // rest of it is read straight in (no Buffer per read, no second copy in feed).
    const want = this.argv !== null ? (this.bulkLen >= 0 ? this.bulkLen + 2 : 0) : this.rawWant;
    if (want >= READ_IN_PLACE_MIN && want > this.end - this.pos && (!this.owned || this.buf.length - this.pos < want)) this.moveTo(want);
    return this.owned ? this.target.offer(this.buf, this.end, this.pooled) : null;
  }

  /** `n` bytes were read into `target` (from readTarget): the same as feeding them. */
  fedInPlace(target: Uint8Array, n: number): void {
    if (this.target.landed(this.buf, this.end) && this.error === null) this.end += n;
    else if (n > 0) this.feed(Buffer.from(target.subarray(0, n)));
    this.target.readOver();
  }

  /** The next complete command, or null when more bytes are needed (or `error` is set). */
  next(): Bytes[] | null {
    if (this.error !== null) return null;
    for (;;) {
      if (this.argv === null) {
        if (this.pos >= this.end) {
          this.release();
          return null;
        }
        if (this.buf[this.pos] !== STAR) {
          const argv = this.readInline();
          if (argv === null) return null;
          if (argv.length === 0) continue; // empty line: ignored like Redis
          return argv;
        }
        const count = this.readMultibulkCount();
        if (count === -2) return null; // incomplete or error
        if (count <= 0) continue; // *0 / *-1: ignored like Redis
        this.argv = count <= ARGV_PREALLOC_MAX ? new Array<Bytes>(count) : [];
        this.argc = 0;
        this.remaining = count;
        this.bulkLen = -1;
      }
      // Fill the multibulk in progress.
      const buf = this.buf;
      const end = this.end;
      const argv = this.argv;
      while (this.remaining > 0) {
        let len = this.bulkLen;
        if (len < 0) {
          len = this.readBulkHeader();
          if (len < 0) return null;
          this.bulkLen = len;
        }
        const start = this.pos;
        if (end - start < len + 2) return null;
        argv[this.argc++] = len === 0 ? '' : buf.latin1Slice(start, start + len);
        this.pos = start + len + 2; // Redis skips the two bytes after a bulk without checking them
        this.bulkLen = -1;
        this.remaining--;
      }
      this.argv = null;
      if (this.pos >= this.end) this.release();
      return argv;
    }
  }

  /**
   * The next command as byte offsets (see raw-command.ts), without making any string, when it
   * is a multibulk in the exact shape client libraries send: `*<n>\r\n`, then n times
   * `$<len>\r\n<bytes>\r\n`, no leading zeros. Returns RAW_TAKEN with `cmd` filled in;
   * RAW_WAIT when the bytes so far are such a command's beginning (call again after the next
   * feed; a command is waited for this way up to RAW_WAIT_MAX bytes); RAW_NO for anything else
   * (inline, unusual, invalid, too big, or the client has not authenticated yet): `next()` then
   * takes it with all of Redis's rules and error messages. Only RAW_TAKEN consumes bytes.
   */
  nextRaw(cmd: RawCommand): RawResult {
    if (this.argv !== null || this.error !== null || this.authRequired) return RAW_NO;
    const buf = this.buf;
    const end = this.end;
    let p = this.pos;
    if (p >= end) return RAW_WAIT;
    if (buf[p] !== STAR) return RAW_NO;
    p++;
    if (p >= end) return this.rawWait(0);
    let c = buf[p]!;
    if (c < 49 || c > 57) return RAW_NO;
    let argc = c - 48;
    for (p++; p < end; p++) {
      c = buf[p]!;
      if (c < 48 || c > 57) break;
      argc = argc * 10 + (c - 48);
      if (argc > RAW_MAX_ARGS) return RAW_NO;
    }
    if (p + 1 >= end) return this.rawWait(0);
    if (buf[p] !== CR || buf[p + 1] !== LF) return RAW_NO;
    p += 2;
    cmd.reserve(argc);
    const hdr = cmd.hdr;
    const data = cmd.data;
    const lens = cmd.len;
    const maxLen = Math.min(this.maxBulkLen, MAX_STRING_LENGTH);
    for (let i = 0; i < argc; i++) {
      if (p >= end) return this.rawWait(0);
      if (buf[p] !== DOLLAR) return RAW_NO;
      hdr[i] = p;
      p++;
      if (p >= end) return this.rawWait(0);
      c = buf[p]!;
      let len: number;
      if (c === 48) {
        len = 0;
        p++;
      } else if (c >= 49 && c <= 57) {
        len = c - 48;
        for (p++; p < end; p++) {
          c = buf[p]!;
          if (c < 48 || c > 57) break;
          len = len * 10 + (c - 48);
          if (len > maxLen) return RAW_NO;
        }
      } else {
        return RAW_NO;
      }
      if (p + 1 >= end) return this.rawWait(0);
      if (buf[p] !== CR || buf[p + 1] !== LF) return RAW_NO;
      p += 2;
      if (end - p < len + 2) return this.rawWait(p + len + 2 - this.pos);
      if (buf[p + len] !== CR || buf[p + len + 1] !== LF) return RAW_NO;
      data[i] = p;
      lens[i] = len;
      p += len + 2;
    }
    cmd.fill(buf, this.pos, p, argc, this.pooled);
    this.rawWant = 0;
    this.pos = p;
    if (p >= end) this.release();
    return RAW_TAKEN;
  }

  /**
   * An incomplete raw command: wait for more bytes while it is small enough (`want`: bytes from
   * its start known to be needed, so feed() can size its buffer once), else leave it to next().
   */
  private rawWait(want: number): RawResult {
    if (this.end - this.pos >= RAW_WAIT_MAX || want > RAW_WAIT_MAX) {
      this.rawWant = 0;
      return RAW_NO;
    }
    this.rawWant = want;
    return RAW_WAIT;
  }

  /** Drop references to consumed chunks so idle connections hold no buffers. */
  private release(): void {
    this.retirePooled();
    this.rawWant = 0;
    this.buf = EMPTY;
    this.pos = 0;
    this.end = 0;
    this.owned = false;
  }

  private fail(message: string): void {
    this.error = message;
    this.argv = null;
    this.release();
  }

  /**
   * Reads `*<count>\r?`. Returns the count (<= 0 means "ignore this command"), or -2 when more
   * bytes are needed or on error (then `error` is set).
   */
  private readMultibulkCount(): number {
    const buf = this.buf;
    const end = this.end;
    // Fast path: `*` [1-9][0-9]{0,8} `\r` x — the shape every client sends.
    let p = this.pos + 1;
    let c = p < end ? buf[p]! : 0;
    if (c >= 49 && c <= 57) {
      let n = c - 48;
      p++;
      const limit = p + 8;
      while (p < end && p < limit) {
        c = buf[p]!;
        if (c < 48 || c > 57) break;
        n = n * 10 + (c - 48);
        p++;
      }
      if (p + 1 < end && buf[p] === CR) {
        if (n > UNAUTH_MAX_MULTIBULK_LEN && this.authRequired) {
          this.fail('Protocol error: unauthenticated multibulk length');
          return -2;
        }
        this.pos = p + 2;
        return n;
      }
    }
    // Slow path: Redis's exact rules.
    const cr = this.findCR(this.pos);
    if (cr < 0) {
      if (end - this.pos > PROTO_INLINE_MAX_SIZE) this.fail('Protocol error: too big mbulk count string');
      return -2;
    }
    if (cr > end - 2) return -2; // the byte after \r has not arrived
    if (!this.readLongLong(this.pos + 1, cr) || this.llValue > PROTO_MAX_MULTIBULK_LEN) {
      this.fail('Protocol error: invalid multibulk length');
      return -2;
    }
    const n = this.llValue;
    if (n > UNAUTH_MAX_MULTIBULK_LEN && this.authRequired) {
      this.fail('Protocol error: unauthenticated multibulk length');
      return -2;
    }
    this.pos = cr + 2;
    return n <= 0 ? 0 : n;
  }

  /** Reads `$<len>\r?`. Returns len, or -1 when more bytes are needed or on error. */
  private readBulkHeader(): number {
    const buf = this.buf;
    const end = this.end;
    const start = this.pos;
    // Fast path: `$` then 0 or [1-9][0-9]{0,14}, then `\r` and one more byte.
    if (start < end && buf[start] === DOLLAR) {
      let p = start + 1;
      let c = p < end ? buf[p]! : 0;
      let n = -1;
      if (c >= 49 && c <= 57) {
        n = c - 48;
        p++;
        const limit = p + 14;
        while (p < end && p < limit) {
          c = buf[p]!;
          if (c < 48 || c > 57) break;
          n = n * 10 + (c - 48);
          p++;
        }
      } else if (c === 48) {
        n = 0;
        p++;
      }
      if (n >= 0 && p + 1 < end && buf[p] === CR) {
        if (!this.checkBulkLen(n)) return -1;
        this.pos = p + 2;
        return n;
      }
    }
    // Slow path: Redis's exact rules.
    const cr = this.findCR(start);
    if (cr < 0) {
      if (end - start > PROTO_INLINE_MAX_SIZE) this.fail('Protocol error: too big bulk count string');
      return -1;
    }
    if (cr > end - 2) return -1;
    const first = buf[start]!;
    if (first !== DOLLAR) {
      // %c of the offending byte; Redis turns CR/LF in error messages into spaces.
      const shown = first === CR || first === LF ? ' ' : String.fromCharCode(first);
      this.fail(`Protocol error: expected '$', got '${shown}'`);
      return -1;
    }
    if (!this.readLongLong(start + 1, cr) || this.llValue < 0) {
      this.fail('Protocol error: invalid bulk length');
      return -1;
    }
    const n = this.llValue;
    if (!this.checkBulkLen(n)) return -1;
    this.pos = cr + 2;
    return n;
  }

  private checkBulkLen(n: number): boolean {
    if (n > this.maxBulkLen || n > MAX_STRING_LENGTH) {
      this.fail('Protocol error: invalid bulk length');
      return false;
    }
    if (n > UNAUTH_MAX_BULK_LEN && this.authRequired) {
      this.fail('Protocol error: unauthenticated bulk length');
      return false;
    }
    return true;
  }

  /**
   * Index of the first `\r` at or after `from`, or -1 if there is none or a NUL byte comes
   * first (Redis searches with strchr, which stops at NUL).
   */
  private findCR(from: number): number {
    const cr = this.buf.indexOf(CR, from);
    if (cr < 0 || cr >= this.end) return -1;
    return hasNul(this.buf, from, cr) ? -1 : cr;
  }

  /**
   * Redis's string2ll on buf[from, to): strict decimal, optional '-', no leading zeros, no '+',
   * no spaces, fits in a signed 64-bit integer. Sets `llValue` (approximate beyond 2^53, which
   * only matters for comparisons against limits far below that).
   */
  private readLongLong(from: number, to: number): boolean {
    const buf = this.buf;
    const len = to - from;
    if (len <= 0 || len >= 21) return false;
    if (len === 1 && buf[from] === 48) {
      this.llValue = 0;
      return true;
    }
    let p = from;
    let negative = false;
    if (buf[p] === 45) {
      negative = true;
      p++;
      if (p === to) return false;
    }
    const c0 = buf[p]!;
    if (c0 < 49 || c0 > 57) return false;
    const digitsStart = p;
    let v = 0;
    for (; p < to; p++) {
      const c = buf[p]!;
      if (c < 48 || c > 57) return false;
      v = v * 10 + (c - 48);
    }
    const digits = to - digitsStart;
    if (digits > 19) return false;
    if (digits === 19) {
      // Compare with 9223372036854775807 (or ...808 when negative) digit by digit.
      const limit = negative ? '9223372036854775808' : '9223372036854775807';
      for (let i = 0; i < 19; i++) {
        const d = buf[digitsStart + i]!;
        const l = limit.charCodeAt(i);
        if (d < l) break;
        if (d > l) return false;
      }
    }
    this.llValue = negative ? -v : v;
    return true;
  }

  /**
   * One inline command (a text line, as telnet and `redis-cli` in inline mode send), split like
   * Redis's sdssplitargs. Returns [] for a blank line, null when incomplete or on error.
   */
  private readInline(): Bytes[] | null {
    const buf = this.buf;
    const start = this.pos;
    const nl = buf.indexOf(LF, start);
    if (nl < 0 || nl >= this.end || hasNul(buf, start, nl)) {
      if (this.end - start > PROTO_INLINE_MAX_SIZE) this.fail('Protocol error: too big inline request');
      return null;
    }
    const lineEnd = nl !== start && buf[nl - 1] === CR ? nl - 1 : nl;
    const argv = splitArgs(buf, start, lineEnd);
    if (argv === null) {
      this.fail('Protocol error: unbalanced quotes in request');
      return null;
    }
    this.pos = nl + 1;
    return argv;
  }
}

function hasNul(buf: Buffer, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (buf[i] === 0) return true;
  return false;
}

/** C isspace() in the C locale. */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

function hexVal(c: number): number {
  return c <= 57 ? c - 48 : (c | 32) - 87;
}

/**
 * sdssplitargs over buf[from, to) (which holds no NUL): blanks separate arguments, "double
 * quotes" allow \n \r \t \b \a \xHH and \<c> escapes, 'single quotes' allow \'. A closing quote
 * must be followed by a blank or the end. Returns null on unbalanced quotes.
 */
export function splitArgs(buf: Buffer, from: number, to: number): Bytes[] | null {
  const out: Bytes[] = [];
  let p = from;
  for (;;) {
    while (p < to && isSpace(buf[p]!)) p++;
    if (p >= to) return out;
    // Plain token: no quotes until a separator (the common case, sliced without copying bytes).
    const tokenStart = p;
    let c = 0;
    while (p < to) {
      c = buf[p]!;
      if (c === 32 || c === 10 || c === 13 || c === 9 || c === 34 || c === 39) break;
      p++;
    }
    if (p >= to || (c !== 34 && c !== 39)) {
      out.push(buf.latin1Slice(tokenStart, p));
      if (p < to) p++; // skip the separator
      continue;
    }
    // A quote opens somewhere in the token: build it byte by byte.
    let cur = buf.latin1Slice(tokenStart, p);
    let inDouble = false;
    let inSingle = false;
    for (;;) {
      const ch = p < to ? buf[p]! : 0;
      if (inDouble) {
        if (ch === 92 && p + 3 < to && buf[p + 1] === 120 && isHex(buf[p + 2]!) && isHex(buf[p + 3]!)) {
          cur += String.fromCharCode(hexVal(buf[p + 2]!) * 16 + hexVal(buf[p + 3]!));
          p += 3;
        } else if (ch === 92 && p + 1 < to) {
          p++;
          const e = buf[p]!;
          cur += e === 110 ? '\n' : e === 114 ? '\r' : e === 116 ? '\t' : e === 98 ? '\b' : e === 97 ? '\x07' : String.fromCharCode(e);
        } else if (ch === 34) {
          if (p + 1 < to && !isSpace(buf[p + 1]!)) return null;
          p++;
          break;
        } else if (p >= to) {
          return null;
        } else {
          cur += String.fromCharCode(ch);
        }
      } else if (inSingle) {
        if (ch === 92 && p + 1 < to && buf[p + 1] === 39) {
          p++;
          cur += "'";
        } else if (ch === 39) {
          if (p + 1 < to && !isSpace(buf[p + 1]!)) return null;
          p++;
          break;
        } else if (p >= to) {
          return null;
        } else {
          cur += String.fromCharCode(ch);
        }
      } else if (p >= to || ch === 32 || ch === 10 || ch === 13 || ch === 9) {
        if (p < to) p++;
        break;
      } else if (ch === 34) {
        inDouble = true;
      } else if (ch === 39) {
        inSingle = true;
      } else {
        cur += String.fromCharCode(ch);
      }
      p++;
    }
    out.push(cur);
  }
}
