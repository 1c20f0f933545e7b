/**
 * LCS: the longest common subsequence of two strings, with Redis 7.0's exact reply shapes.
 *
 * Redis fills the full (|a|+1) x (|b|+1) dynamic-programming table and walks it back from the end,
 * emitting matched ranges from the last to the first. The walk's tie-breaking (step in b unless
 * the cell above is strictly larger) decides which of several equally long subsequences is
 * returned, so it is reproduced step for step. The table is refused, like Redis, when it would
 * take more than proto-max-bulk-len bytes (4 bytes per cell).
 */
import { Err, R, type Bytes, type Reply } from '@swarmkv/resp';

export interface LcsOptions {
  /** LEN: only the length. */
  readonly len: boolean;
  /** IDX: the matching ranges. */
  readonly idx: boolean;
  readonly withMatchLen: boolean;
  readonly minMatchLen: number;
}

const MATCHES = 'matches';
const LEN = 'len';

/** The reply to LCS for strings a and b. */
export function lcsReply(a: Bytes, b: Bytes, opts: LcsOptions, protoMaxBulkLen: number): Reply {
  const alen = a.length;
  const blen = b.length;
  const cols = blen + 1;
  const cells = (alen + 1) * cols;
  if (cells * 4 > protoMaxBulkLen) {
    throw Err.msg('ERR', 'Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len');
  }
  // dp[i * cols + j] = LCS length of a[0..i) and b[0..j); row 0 and column 0 stay 0.
  const dp = new Uint32Array(cells);
  for (let i = 1; i <= alen; i++) {
    const ac = a.charCodeAt(i - 1);
    const row = i * cols;
    const prev = row - cols;
    for (let j = 1; j <= blen; j++) {
      if (ac === b.charCodeAt(j - 1)) {
        dp[row + j] = dp[prev + j - 1]! + 1;
      } else {
        const up = dp[prev + j]!;
        const left = dp[row + j - 1]!;
        dp[row + j] = up > left ? up : left;
      }
    }
  }
  const total = dp[alen * cols + blen]!;
  if (opts.len && !opts.idx) return R.int(total);

  const result = Buffer.allocUnsafe(total);
  const ranges: Reply[] = [];
  let idx = total;
  let aStart = alen; // alen: no range in progress
  let aEnd = 0;
  let bStart = 0;
  let bEnd = 0;
  let i = alen;
  let j = blen;
  while (i > 0 && j > 0) {
    let emit = false;
    if (a.charCodeAt(i - 1) === b.charCodeAt(j - 1)) {
      result[idx - 1] = a.charCodeAt(i - 1);
      if (aStart === alen) {
        aStart = aEnd = i - 1;
        bStart = bEnd = j - 1;
      } else if (aStart === i && bStart === j) {
        aStart--;
        bStart--;
      } else {
        emit = true;
      }
      // A range touching the start of either string cannot grow further.
      if (aStart === 0 || bStart === 0) emit = true;
      idx--;
      i--;
      j--;
    } else {
      const up = dp[(i - 1) * cols + j]!;
      const left = dp[i * cols + j - 1]!;
      if (up > left) i--;
      else j--;
      if (aStart !== alen) emit = true;
    }
    if (emit) {
      const matchLen = aEnd - aStart + 1;
      if (opts.idx && (opts.minMatchLen === 0 || matchLen >= opts.minMatchLen)) {
        const item: Reply[] = [R.arr([R.int(aStart), R.int(aEnd)]), R.arr([R.int(bStart), R.int(bEnd)])];
        if (opts.withMatchLen) item.push(R.int(matchLen));
        ranges.push(R.arr(item));
      }
      aStart = alen;
    }
  }
  if (opts.idx) return R.map([R.bulk(MATCHES), R.arr(ranges), R.bulk(LEN), R.int(total)]);
  return R.bulk(result.latin1Slice(0, total));
}
