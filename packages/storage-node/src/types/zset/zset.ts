/**
 * The sorted-set value (RObject of type `zset`): the only place that switches on its encoding.
 *
 *  - `listpack` (zset-listpack.ts): member/score pairs in one byte string while the set has at
 *    most zset-max-listpack-entries members of at most zset-max-listpack-value bytes;
 *  - `skiplist` (zset-skiplist.ts): member -> score dict + skiplist, for everything larger.
 *
 * Conversions follow Redis 7.0 exactly, because OBJECT ENCODING is observable: a listpack is
 * converted the moment an insert would exceed a limit (zsetAdd checks *before* inserting), never
 * back on deletion; results built by ZUNIONSTORE & co. start as a skiplist and are converted
 * down when small (zsetConvertToListpackIfNeeded); ZADD on a missing key picks the encoding from
 * the first member's length only (zsetTypeCreate).
 *
 * One field holds the data: a string is a listpack, anything else the skiplist encoding (so a
 * small sorted set costs one small object plus its bytes).
 */
import type { Bytes } from '@swarmkv/resp';
import { formatDouble } from '@swarmkv/resp';
import type { EncodingName, RObject } from '../../keyspace/value.js';
import { lpFirst, lpGetBytes, lpNext, lpProbe, lpEqualsProbe } from '../listpack/listpack.js';
import type { LexRange, ScoreRange } from './ranges.js';
import { lexGteMin, lexLteMax, scoreGteMin, scoreLteMax } from './ranges.js';
import { NIL } from './skiplist.js';
import {
  ZZL_EMPTY,
  zzlDelete,
  zzlDeleteRangeByLex,
  zzlDeleteRangeByRank,
  zzlDeleteRangeByScore,
  zzlFind,
  zzlFirstInLexRange,
  zzlFirstInRange,
  zzlFromSorted,
  zzlGetScore,
  zzlInsert,
  zzlLast,
  zzlLastInLexRange,
  zzlLastInRange,
  zzlLength,
  zzlNext,
  zzlPrev,
  zzlSeek,
  type ZListpack,
} from './zset-listpack.js';
import { ZsetSkiplist } from './zset-skiplist.js';

/** The two thresholds, as NodeConfig names them. */
export interface ZsetLimits {
  readonly zsetMaxListpackEntries: number;
  readonly zsetMaxListpackValue: number;
}

// ZADD input flags (Redis ZADD_IN_*).
export const ZADD_IN_NONE = 0;
export const ZADD_IN_INCR = 1;
export const ZADD_IN_NX = 2;
export const ZADD_IN_XX = 4;
export const ZADD_IN_GT = 8;
export const ZADD_IN_LT = 16;
// ZADD output flags (Redis ZADD_OUT_*).
export const ZADD_OUT_NOP = 1;
export const ZADD_OUT_NAN = 2;
export const ZADD_OUT_ADDED = 4;
export const ZADD_OUT_UPDATED = 8;

/** Receives range results in order. */
export type ZEmit = (ele: Bytes, score: number) => void;

/** Redis's listpack safety limit (lpSafeToAdd): 1 GB. */
const LISTPACK_MAX_SAFETY_SIZE = 1 << 30;

let newScore = 0;
/** The score the last `add` left the member with (ZINCRBY / ZADD INCR reply). */
export function lastZaddScore(): number {
  return newScore;
}

export class RZset implements RObject {
  constructor(public d: ZListpack | ZsetSkiplist) {}

  get type(): 'zset' {
    return 'zset';
  }

  encoding(): EncodingName {
    return typeof this.d === 'string' ? 'listpack' : 'skiplist';
  }

  clone(): RZset {
    return new RZset(typeof this.d === 'string' ? this.d : this.d.clone());
  }

  /** An empty listpack-encoded zset. */
  static listpack(): RZset {
    return new RZset(ZZL_EMPTY);
  }

  /** An empty skiplist-encoded zset. */
  static skiplist(): RZset {
    return new RZset(new ZsetSkiplist());
  }

  /** ZADD on a missing key: the encoding depends on the first member only (Redis 7.0). */
  static forFirstMember(firstLen: number, lim: ZsetLimits): RZset {
    return lim.zsetMaxListpackEntries === 0 || lim.zsetMaxListpackValue < firstLen ? RZset.skiplist() : RZset.listpack();
  }

  length(): number {
    return typeof this.d === 'string' ? zzlLength(this.d) : this.d.length;
  }

  score(ele: Bytes): number | undefined {
    const d = this.d;
    if (typeof d !== 'string') return d.score(ele);
    const eptr = zzlFind(d, ele);
    return eptr < 0 ? undefined : zzlGetScore(d, lpNext(d, eptr));
  }

  // ------------------------------------------------------------------------------------------
  // Conversions

  toSkiplist(): void {
    const d = this.d;
    if (typeof d !== 'string') return;
    const zs = new ZsetSkiplist();
    for (let eptr = lpFirst(d); eptr >= 0; eptr = zzlNext(d, eptr)) {
      zs.insert(lpGetBytes(d, eptr), zzlGetScore(d, lpNext(d, eptr)));
    }
    this.d = zs;
  }

  toListpack(): void {
    const d = this.d;
    if (typeof d === 'string') return;
    const zsl = d.zsl;
    const members: Bytes[] = [];
    const scores: number[] = [];
    for (let n = zsl.first(); n !== NIL; n = zsl.next(n)) {
      members.push(zsl.ele(n));
      scores.push(zsl.score(n));
    }
    this.d = zzlFromSorted(members, scores);
  }

  /** Redis zsetConvertToListpackIfNeeded (results of ZUNIONSTORE & co.). */
  toListpackIfNeeded(maxEleLen: number, totEleLen: number, lim: ZsetLimits): void {
    if (typeof this.d === 'string') return;
    if (this.d.length <= lim.zsetMaxListpackEntries && maxEleLen <= lim.zsetMaxListpackValue &&
        totEleLen <= LISTPACK_MAX_SAFETY_SIZE) {
      this.toListpack();
    }
  }

  // ------------------------------------------------------------------------------------------
  // Writes

  /**
   * Redis zsetAdd: adds or updates one member under the ZADD_IN_* flags; returns ZADD_OUT_*
   * flags (ZADD_OUT_NAN means the command must fail). lastZaddScore() has the resulting score.
   */
  add(score: number, ele: Bytes, flags: number, lim: ZsetLimits): number {
    const incr = (flags & ZADD_IN_INCR) !== 0;
    const nx = (flags & ZADD_IN_NX) !== 0;
    const xx = (flags & ZADD_IN_XX) !== 0;
    const gt = (flags & ZADD_IN_GT) !== 0;
    const lt = (flags & ZADD_IN_LT) !== 0;
    if (Number.isNaN(score)) return ZADD_OUT_NAN;
    const d = this.d;
    if (typeof d === 'string') {
      const eptr = zzlFind(d, ele);
      if (eptr >= 0) {
        if (nx) return ZADD_OUT_NOP;
        const cur = zzlGetScore(d, lpNext(d, eptr));
        if (incr) {
          score += cur;
          if (Number.isNaN(score)) return ZADD_OUT_NAN;
        }
        if ((lt && score >= cur) || (gt && score <= cur)) return ZADD_OUT_NOP;
        newScore = score;
        if (score !== cur) {
          this.d = zzlInsert(zzlDelete(d, eptr), ele, score);
          return ZADD_OUT_UPDATED;
        }
        return 0;
      }
      if (xx) return ZADD_OUT_NOP;
      if (zzlLength(d) + 1 > lim.zsetMaxListpackEntries || ele.length > lim.zsetMaxListpackValue ||
          d.length + ele.length > LISTPACK_MAX_SAFETY_SIZE) {
        this.toSkiplist();
      } else {
        this.d = zzlInsert(d, ele, score);
        newScore = score;
        return ZADD_OUT_ADDED;
      }
    }
    const zs = this.d as ZsetSkiplist;
    const row = zs.findRow(ele);
    if (row !== -1) {
      const cur = zs.scoreAt(row);
      if (nx) return ZADD_OUT_NOP;
      if (incr) {
        score += cur;
        if (Number.isNaN(score)) return ZADD_OUT_NAN;
      }
      if ((lt && score >= cur) || (gt && score <= cur)) return ZADD_OUT_NOP;
      newScore = score;
      if (score !== cur) {
        zs.updateAt(row, ele, cur, score);
        return ZADD_OUT_UPDATED;
      }
      return 0;
    }
    if (xx) return ZADD_OUT_NOP;
    zs.insert(ele, score);
    newScore = score;
    return ZADD_OUT_ADDED;
  }

  /** Removes a member; false when it was not there. */
  del(ele: Bytes): boolean {
    const d = this.d;
    if (typeof d !== 'string') return d.remove(ele);
    const eptr = zzlFind(d, ele);
    if (eptr < 0) return false;
    this.d = zzlDelete(d, eptr);
    return true;
  }

  /** 0-based rank (from the top when reverse), -1 when absent. */
  rank(ele: Bytes, reverse: boolean): number {
    const d = this.d;
    const len = this.length();
    let r: number;
    if (typeof d === 'string') {
      const probe = lpProbe(ele);
      r = 0;
      let eptr = lpFirst(d);
      while (eptr >= 0 && !lpEqualsProbe(d, eptr, probe)) {
        r++;
        eptr = zzlNext(d, eptr);
      }
      if (eptr < 0) return -1;
    } else {
      const score = d.score(ele);
      if (score === undefined) return -1;
      r = d.zsl.getRank(score, ele) - 1;
    }
    return reverse ? len - 1 - r : r;
  }

  /** Removes 0-based ranks start..end (sanitized by the caller); returns the count. */
  removeRangeByRank(start: number, end: number): number {
    const d = this.d;
    if (typeof d === 'string') {
      this.d = zzlDeleteRangeByRank(d, start, end);
      return end - start + 1;
    }
    return d.zsl.deleteRangeByRank(start + 1, end + 1, d.forget);
  }

  removeRangeByScore(r: ScoreRange): number {
    const d = this.d;
    if (typeof d === 'string') {
      const [lp, n] = zzlDeleteRangeByScore(d, r);
      this.d = lp;
      return n;
    }
    return d.zsl.deleteRangeByScore(r, d.forget);
  }

  removeRangeByLex(r: LexRange): number {
    const d = this.d;
    if (typeof d === 'string') {
      const [lp, n] = zzlDeleteRangeByLex(d, r);
      this.d = lp;
      return n;
    }
    return d.zsl.deleteRangeByLex(r, d.forget);
  }

  // ------------------------------------------------------------------------------------------
  // Reads

  /** Emits 0-based ranks start..end (sanitized: 0 <= start <= end < length). */
  rangeByRank(start: number, end: number, reverse: boolean, emit: ZEmit): void {
    const d = this.d;
    let n = end - start + 1;
    if (typeof d === 'string') {
      let eptr = zzlSeek(d, reverse ? -1 - start : start);
      while (n-- > 0 && eptr >= 0) {
        emit(lpGetBytes(d, eptr), zzlGetScore(d, lpNext(d, eptr)));
        eptr = reverse ? zzlPrev(d, eptr) : zzlNext(d, eptr);
      }
      return;
    }
    const zsl = d.zsl;
    let ln: number;
    if (reverse) ln = start > 0 ? zsl.getByRank(zsl.length - start) : zsl.tail;
    else ln = start > 0 ? zsl.getByRank(start + 1) : zsl.first();
    while (n-- > 0 && ln !== NIL) {
      emit(zsl.ele(ln), zsl.score(ln));
      ln = reverse ? zsl.prev(ln) : zsl.next(ln);
    }
  }

  /**
   * Emits the members in a score range (Redis genericZrangebyscoreCommand): skips `offset`
   * (a negative offset skips everything), at most `limit` (negative = all). Returns the count.
   */
  rangeByScore(r: ScoreRange, offset: number, limit: number, reverse: boolean, emit: ZEmit): number {
    if (offset > 0 && offset >= this.length()) return 0;
    const d = this.d;
    let count = 0;
    if (typeof d === 'string') {
      let eptr = reverse ? zzlLastInRange(d, r) : zzlFirstInRange(d, r);
      while (eptr >= 0 && offset-- !== 0) eptr = reverse ? zzlPrev(d, eptr) : zzlNext(d, eptr);
      while (eptr >= 0 && limit-- !== 0) {
        const s = zzlGetScore(d, lpNext(d, eptr));
        if (reverse ? !scoreGteMin(s, r) : !scoreLteMax(s, r)) break;
        emit(lpGetBytes(d, eptr), s);
        count++;
        eptr = reverse ? zzlPrev(d, eptr) : zzlNext(d, eptr);
      }
      return count;
    }
    const zsl = d.zsl;
    let ln = reverse ? zsl.lastInScoreRange(r) : zsl.firstInScoreRange(r);
    while (ln !== NIL && offset-- !== 0) ln = reverse ? zsl.prev(ln) : zsl.next(ln);
    while (ln !== NIL && limit-- !== 0) {
      const s = zsl.score(ln);
      if (reverse ? !scoreGteMin(s, r) : !scoreLteMax(s, r)) break;
      emit(zsl.ele(ln), s);
      count++;
      ln = reverse ? zsl.prev(ln) : zsl.next(ln);
    }
    return count;
  }

  /** As rangeByScore for a lex range (Redis genericZrangebylexCommand). */
  rangeByLex(r: LexRange, offset: number, limit: number, reverse: boolean, emit: ZEmit): number {
    const d = this.d;
    let count = 0;
    if (typeof d === 'string') {
      let eptr = reverse ? zzlLastInLexRange(d, r) : zzlFirstInLexRange(d, r);
      while (eptr >= 0 && offset-- !== 0) eptr = reverse ? zzlPrev(d, eptr) : zzlNext(d, eptr);
      while (eptr >= 0 && limit-- !== 0) {
        const m = lpGetBytes(d, eptr);
        if (reverse ? !lexGteMin(m, r) : !lexLteMax(m, r)) break;
        emit(m, zzlGetScore(d, lpNext(d, eptr)));
        count++;
        eptr = reverse ? zzlPrev(d, eptr) : zzlNext(d, eptr);
      }
      return count;
    }
    const zsl = d.zsl;
    let ln = reverse ? zsl.lastInLexRange(r) : zsl.firstInLexRange(r);
    while (ln !== NIL && offset-- !== 0) ln = reverse ? zsl.prev(ln) : zsl.next(ln);
    while (ln !== NIL && limit-- !== 0) {
      const m = zsl.ele(ln);
      if (reverse ? !lexGteMin(m, r) : !lexLteMax(m, r)) break;
      emit(m, zsl.score(ln));
      count++;
      ln = reverse ? zsl.prev(ln) : zsl.next(ln);
    }
    return count;
  }

  /** ZCOUNT. */
  countInRange(r: ScoreRange): number {
    const d = this.d;
    if (typeof d === 'string') {
      let n = 0;
      for (let eptr = zzlFirstInRange(d, r); eptr >= 0; eptr = zzlNext(d, eptr)) {
        if (!scoreLteMax(zzlGetScore(d, lpNext(d, eptr)), r)) break;
        n++;
      }
      return n;
    }
    const zsl = d.zsl;
    const first = zsl.firstInScoreRange(r);
    if (first === NIL) return 0;
    let count = zsl.length - (zsl.getRank(zsl.score(first), zsl.ele(first)) - 1);
    const last = zsl.lastInScoreRange(r);
    if (last !== NIL) count -= zsl.length - zsl.getRank(zsl.score(last), zsl.ele(last));
    return count;
  }

  /** ZLEXCOUNT. */
  countInLexRange(r: LexRange): number {
    const d = this.d;
    if (typeof d === 'string') {
      let n = 0;
      for (let eptr = zzlFirstInLexRange(d, r); eptr >= 0; eptr = zzlNext(d, eptr)) {
        if (!lexLteMax(lpGetBytes(d, eptr), r)) break;
        n++;
      }
      return n;
    }
    const zsl = d.zsl;
    const first = zsl.firstInLexRange(r);
    if (first === NIL) return 0;
    let count = zsl.length - (zsl.getRank(zsl.score(first), zsl.ele(first)) - 1);
    const last = zsl.lastInLexRange(r);
    if (last !== NIL) count -= zsl.length - zsl.getRank(zsl.score(last), zsl.ele(last));
    return count;
  }

  /** Every member, lowest first (or highest first when reverse). */
  forEach(reverse: boolean, emit: ZEmit): void {
    const d = this.d;
    if (typeof d === 'string') {
      for (let eptr = reverse ? zzlLast(d) : lpFirst(d); eptr >= 0; eptr = reverse ? zzlPrev(d, eptr) : zzlNext(d, eptr)) {
        emit(lpGetBytes(d, eptr), zzlGetScore(d, lpNext(d, eptr)));
      }
      return;
    }
    const zsl = d.zsl;
    for (let n = reverse ? zsl.tail : zsl.first(); n !== NIL; n = reverse ? zsl.prev(n) : zsl.next(n)) {
      emit(zsl.ele(n), zsl.score(n));
    }
  }

  /** The member at a 0-based rank (negative from the end) and its score, via `emit`. */
  at(rank: number, emit: ZEmit): boolean {
    const d = this.d;
    if (typeof d === 'string') {
      const eptr = zzlSeek(d, rank);
      if (eptr < 0) return false;
      emit(lpGetBytes(d, eptr), zzlGetScore(d, lpNext(d, eptr)));
      return true;
    }
    const len = d.length;
    if (rank < 0) rank += len;
    if (rank < 0 || rank >= len) return false;
    const n = d.zsl.getByRank(rank + 1);
    emit(d.zsl.ele(n), d.zsl.score(n));
    return true;
  }

  /**
   * One ZSCAN step: [next cursor, member, score text, ...]. A listpack answers everything at once
   * with cursor 0, its scores as stored ("1.5", integers in decimal); a skiplist walks its dict
   * with the reverse-binary cursor (scores formatted with %.17g) until `count` members are
   * collected or count*10 buckets were visited, as Redis's scanGenericCommand.
   */
  scan(cursor: number, count: number): [number, Bytes[]] {
    const d = this.d;
    const out: Bytes[] = [];
    if (typeof d === 'string') {
      for (let p = lpFirst(d); p >= 0; p = lpNext(d, p)) out.push(lpGetBytes(d, p));
      return [0, out];
    }
    const dict = d.dict;
    let iterations = count * 10;
    do {
      cursor = dict.scan(cursor, (k, _v, row) => {
        out.push(k, formatDouble(dict.numAt(row)));
      });
    } while (cursor !== 0 && iterations-- > 0 && out.length < count * 2);
    return [cursor, out];
  }

  /**
   * A result of ZUNIONSTORE & co. from members already sorted by (score, member): built as the
   * skiplist Redis builds, then converted down when small (zsetConvertToListpackIfNeeded).
   */
  static fromSorted(members: readonly Bytes[], scores: readonly number[], lim: ZsetLimits): RZset {
    let maxLen = 0;
    let totLen = 0;
    for (const m of members) {
      if (m.length > maxLen) maxLen = m.length;
      totLen += m.length;
    }
    if (members.length <= lim.zsetMaxListpackEntries && maxLen <= lim.zsetMaxListpackValue && totLen <= LISTPACK_MAX_SAFETY_SIZE) {
      return new RZset(zzlFromSorted(members, scores));
    }
    const zs = new ZsetSkiplist();
    zs.dict.expand(members.length);
    // Highest first: every insert then stops at the header.
    for (let i = members.length - 1; i >= 0; i--) zs.insert(members[i]!, scores[i]!);
    return new RZset(zs);
  }
}
