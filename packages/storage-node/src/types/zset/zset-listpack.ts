/**
 * The `listpack` encoding of small sorted sets: member, score, member, score ... in one listpack
 * (types/listpack/listpack.ts), ordered by score then member bytes, as Redis's zzl* functions.
 *
 * Scores are stored the way Redis's d2string writes them: an integral value with magnitude below
 * 2^52 as an integer entry, anything else as its `%.17g` text ("1.5", "inf",
 * "1.0000000000000001e-05"). Side effect kept on purpose: -0 is stored as the integer 0, so a
 * listpack-encoded set answers ZSCORE "0" where a skiplist keeps "-0", exactly like Redis 7.0.
 *
 * Positions are listpack byte offsets: `eptr` points at a member entry, its score is the next
 * entry. -1 means "none". All functions are pure; writers return the new listpack.
 */
import type { Bytes } from '@swarmkv/resp';
import { formatDouble } from '@swarmkv/resp';
import {
  LP_EMPTY,
  lpAppendAll,
  lpDeleteRangeAt,
  lpFind,
  lpFirst,
  lpGet,
  lpGetBytes,
  lpInsertBefore,
  lpLast,
  lpLength,
  lpNext,
  lpPrev,
  lpProbe,
  type Listpack,
  type LpValue,
} from '../listpack/listpack.js';
import {
  lexGteMin,
  lexLteMax,
  lexRangeEmpty,
  scoreGteMin,
  scoreLteMax,
  scoreRangeEmpty,
  type LexRange,
  type ScoreRange,
} from './ranges.js';

export type ZListpack = Listpack;
export const ZZL_EMPTY: ZListpack = LP_EMPTY;

/** d2string's integer window: (-(2^52 - 1), 2^52). */
const D2S_MIN = -4503599627370495;
const D2S_MAX = 4503599627370496;

/** The listpack value a score is stored as (Redis d2string, then listpack's int detection). */
export function scoreToLpValue(score: number): LpValue {
  if (score > D2S_MIN && score < D2S_MAX && Number.isInteger(score)) return score === 0 ? 0 : score;
  return formatDouble(score);
}

/** Redis zzlStrtod / zzlGetScore: the score entry at sptr. */
export function zzlGetScore(lp: ZListpack, sptr: number): number {
  const v = lpGet(lp, sptr);
  if (typeof v === 'number') return v;
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  return Number(v);
}

/** Number of (member, score) pairs. */
export function zzlLength(lp: ZListpack): number {
  return lpLength(lp) >> 1;
}

/** The member at eptr as Bytes. */
export function zzlMember(lp: ZListpack, eptr: number): Bytes {
  return lpGetBytes(lp, eptr);
}

/** Position of a member's entry, -1 when absent. */
export function zzlFind(lp: ZListpack, ele: Bytes): number {
  const first = lpFirst(lp);
  if (first < 0) return -1;
  return lpFind(lp, first, lpProbe(ele), 1);
}

/** Inserts a member known to be absent at its ordered place. */
export function zzlInsert(lp: ZListpack, ele: Bytes, score: number): ZListpack {
  const sv = scoreToLpValue(score);
  let eptr = lpFirst(lp);
  while (eptr >= 0) {
    const sptr = lpNext(lp, eptr);
    const s = zzlGetScore(lp, sptr);
    if (s > score || (s === score && lpGetBytes(lp, eptr) > ele)) {
      // Insert the score first, then the member before it: both land before eptr.
      return lpInsertBefore(lpInsertBefore(lp, eptr, sv), eptr, ele);
    }
    eptr = lpNext(lp, sptr);
  }
  return lpAppendAll(lp, [ele, sv]);
}

/** Deletes the pair whose member is at eptr. */
export function zzlDelete(lp: ZListpack, eptr: number): ZListpack {
  return lpDeleteRangeAt(lp, eptr, 2);
}

/** Next member position after eptr (-1 at the end). */
export function zzlNext(lp: ZListpack, eptr: number): number {
  const sptr = lpNext(lp, eptr);
  return lpNext(lp, sptr);
}

/** Previous member position before eptr (-1 at the start). */
export function zzlPrev(lp: ZListpack, eptr: number): number {
  const sptr = lpPrev(lp, eptr);
  return sptr < 0 ? -1 : lpPrev(lp, sptr);
}

/** Last member position, -1 when empty. */
export function zzlLast(lp: ZListpack): number {
  const sptr = lpLast(lp);
  return sptr < 0 ? -1 : lpPrev(lp, sptr);
}

function inScoreRange(lp: ZListpack, r: ScoreRange): boolean {
  if (scoreRangeEmpty(r)) return false;
  const last = lpLast(lp);
  if (last < 0 || !scoreGteMin(zzlGetScore(lp, last), r)) return false;
  const first = lpFirst(lp);
  return scoreLteMax(zzlGetScore(lp, lpNext(lp, first)), r);
}

export function zzlFirstInRange(lp: ZListpack, r: ScoreRange): number {
  if (!inScoreRange(lp, r)) return -1;
  for (let eptr = lpFirst(lp); eptr >= 0; eptr = zzlNext(lp, eptr)) {
    const s = zzlGetScore(lp, lpNext(lp, eptr));
    if (scoreGteMin(s, r)) return scoreLteMax(s, r) ? eptr : -1;
  }
  return -1;
}

export function zzlLastInRange(lp: ZListpack, r: ScoreRange): number {
  if (!inScoreRange(lp, r)) return -1;
  for (let eptr = zzlLast(lp); eptr >= 0; eptr = zzlPrev(lp, eptr)) {
    const s = zzlGetScore(lp, lpNext(lp, eptr));
    if (scoreLteMax(s, r)) return scoreGteMin(s, r) ? eptr : -1;
  }
  return -1;
}

function inLexRange(lp: ZListpack, r: LexRange): boolean {
  if (lexRangeEmpty(r)) return false;
  const last = zzlLast(lp);
  if (last < 0 || !lexGteMin(lpGetBytes(lp, last), r)) return false;
  return lexLteMax(lpGetBytes(lp, lpFirst(lp)), r);
}

export function zzlFirstInLexRange(lp: ZListpack, r: LexRange): number {
  if (!inLexRange(lp, r)) return -1;
  for (let eptr = lpFirst(lp); eptr >= 0; eptr = zzlNext(lp, eptr)) {
    const m = lpGetBytes(lp, eptr);
    if (lexGteMin(m, r)) return lexLteMax(m, r) ? eptr : -1;
  }
  return -1;
}

export function zzlLastInLexRange(lp: ZListpack, r: LexRange): number {
  if (!inLexRange(lp, r)) return -1;
  for (let eptr = zzlLast(lp); eptr >= 0; eptr = zzlPrev(lp, eptr)) {
    const m = lpGetBytes(lp, eptr);
    if (lexLteMax(m, r)) return lexGteMin(m, r) ? eptr : -1;
  }
  return -1;
}

/** Removes the pairs in the score range; returns [listpack, removed count]. */
export function zzlDeleteRangeByScore(lp: ZListpack, r: ScoreRange): [ZListpack, number] {
  const start = zzlFirstInRange(lp, r);
  if (start < 0) return [lp, 0];
  let n = 0;
  for (let eptr = start; eptr >= 0; eptr = zzlNext(lp, eptr)) {
    if (!scoreLteMax(zzlGetScore(lp, lpNext(lp, eptr)), r)) break;
    n++;
  }
  return [lpDeleteRangeAt(lp, start, 2 * n), n];
}

export function zzlDeleteRangeByLex(lp: ZListpack, r: LexRange): [ZListpack, number] {
  const start = zzlFirstInLexRange(lp, r);
  if (start < 0) return [lp, 0];
  let n = 0;
  for (let eptr = start; eptr >= 0; eptr = zzlNext(lp, eptr)) {
    if (!lexLteMax(lpGetBytes(lp, eptr), r)) break;
    n++;
  }
  return [lpDeleteRangeAt(lp, start, 2 * n), n];
}

/** Removes 0-based ranks start..end inclusive (already clamped). */
export function zzlDeleteRangeByRank(lp: ZListpack, start: number, end: number): ZListpack {
  let eptr = lpFirst(lp);
  for (let i = 0; i < start; i++) eptr = zzlNext(lp, eptr);
  return lpDeleteRangeAt(lp, eptr, 2 * (end - start + 1));
}

/** Member position of 0-based rank (negative from the end), -1 when out of range. */
export function zzlSeek(lp: ZListpack, rank: number): number {
  const n = zzlLength(lp);
  if (rank < 0) rank += n;
  if (rank < 0 || rank >= n) return -1;
  if (rank <= n >> 1) {
    let eptr = lpFirst(lp);
    for (let i = 0; i < rank; i++) eptr = zzlNext(lp, eptr);
    return eptr;
  }
  let eptr = zzlLast(lp);
  for (let i = n - 1; i > rank; i--) eptr = zzlPrev(lp, eptr);
  return eptr;
}

/** Builds a listpack from pairs already in order (conversions from a skiplist). */
export function zzlFromSorted(members: readonly Bytes[], scores: readonly number[]): ZListpack {
  const vs: LpValue[] = new Array<LpValue>(members.length * 2);
  for (let i = 0; i < members.length; i++) {
    vs[2 * i] = members[i]!;
    vs[2 * i + 1] = scoreToLpValue(scores[i]!);
  }
  return lpAppendAll(LP_EMPTY, vs);
}
