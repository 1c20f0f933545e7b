/**
 * Reading in place: a parser gathering a big command or reply into a buffer of its own offers
 * that buffer's free tail as the target of the socket's next read (router: direct-read.ts), so
 * the bytes land there without a copy. This keeps the offer, to check when the read comes back
 * that the parser's bytes still continue there; if not, the parser copies them in as a feed.
 */

/** A free tail is offered only when at least this big. */
export const READ_IN_PLACE_MIN = 16 * 1024;

export class ReadTarget {
  private buf: Buffer | null = null;
  private at = 0;

  /** buf's free tail from `at`, if big enough (else null). */
  offer(buf: Buffer, at: number): Buffer | null {
    if (buf.length - at < READ_IN_PLACE_MIN) return null;
    this.buf = buf;
    this.at = at;
    return buf.subarray(at);
  }

  /** True when the offered tail is still where the parser's bytes continue (buf, at). */
  landed(buf: Buffer, at: number): boolean {
    const ok = this.buf === buf && this.at === at;
    this.buf = null;
    return ok;
  }
}
