/**
 * Reading in place: a parser gathering a big command or reply into a buffer of its own offers
 * that buffer's free tail as the target of the socket's next read (router: direct-read.ts), so
 * the bytes land there without a copy. This keeps the offer, to check when the read comes back
 * that the parser's bytes still continue there; if not, the parser copies them in as a feed.
 */
import type { GatherBuffer } from './gather-pool.js';

/** A free tail is offered only when at least this big. */
export const READ_IN_PLACE_MIN = 16 * 1024;

export class ReadTarget {
  private buf: Buffer | null = null;
  private at = 0;
  /** The pooled buffer the outstanding offer points into, if it is one (gather-pool.ts). */
  private gather: GatherBuffer | null = null;

  /** buf's free tail from `at`, if big enough (else null). `gather`: buf's pool entry, if pooled. */
  offer(buf: Buffer, at: number, gather: GatherBuffer | null = null): Buffer | null {
    if (buf.length - at < READ_IN_PLACE_MIN) return null;
    this.buf = buf;
    this.at = at;
    if (gather !== null) {
      gather.offered = true;
      this.gather = gather;
    }
    return buf.subarray(at);
  }

  /** The offered read is over and its bytes taken: a pooled buffer it pointed into may be reused. */
  readOver(): void {
    const g = this.gather;
    if (g === null) return;
    this.gather = null;
    g.readDone();
  }

  /** True when the offered tail is still where the parser's bytes continue (buf, at). */
  landed(buf: Buffer, at: number): boolean {
    const ok = this.buf === buf && this.at === at;
    this.buf = null;
    return ok;
  }
}
