/**
 * The skiplist of Redis's `skiplist` sorted-set encoding (Pugh's skiplist as Redis extends it).
 *
 * Nodes are ordered by (score, member bytes). Each level of a node stores its forward pointer and
 * its span (how many level-0 steps the pointer jumps), which makes rank queries O(log n): summing
 * spans along the search path gives the rank. Level 0 also has a backward pointer for reverse
 * iteration. Levels are drawn with p = 0.25 up to 32 (ZSKIPLIST_MAXLEVEL / ZSKIPLIST_P).
 *
 * Member comparison is byte order then length (sdscmp); on latin1 Bytes JavaScript's `<` gives
 * exactly that. The member -> score dict lives beside the list, in zset-skiplist.ts.
 *
 * Memory layout. Nodes are not objects: a node is a block of int32 slots in a pool, and a node
 * handle is the block's offset (a number; NIL = 0 is the header's offset, which no link ever
 * points to). A block holds, in this order: the score (a float64 over two slots, read through a
 * Float64Array over the same memory), the backward link, the level count, then forward link and
 * span of each level, exactly Redis's zskiplistNode. One search step therefore touches one
 * block (the score to compare and the link to follow are side by side) where node objects cost
 * three dependent loads (node, boxed score, level array), and the garbage collector never scans
 * the pool. Members sit in a JS array at index offset >> 2 (blocks are at least 6 slots apart,
 * so the index is unique). The pool is cut into chunks of 64 KB so growing never copies or
 * first-touches a big array at once (the first chunk grows geometrically, so small sets stay
 * small). Freed blocks go on a free list per level; when most of the pool is free after
 * deletions, the list is rebuilt compactly (amortized O(1) per deletion).
 *
 * A node handle stays valid until the next deletion (a compaction moves every node).
 */
import type { Bytes } from '@swarmkv/resp';
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

export const ZSKIPLIST_MAXLEVEL = 32;
export const ZSKIPLIST_P = 0.25;

/** No node (the header's offset: never the target of a link). */
export const NIL = 0;
const HEADER = 0;

// Block layout, in int32 slots from the block's offset (always even: the score is 8-aligned).
const BACK = 2; // slots 0-1: the score
const LEVEL = 3;
const LV = 4; // level i: forward link at LV + 2i, span at LV + 2i + 1
const blockSize = (level: number): number => LV + 2 * level;
const HEADER_SIZE = blockSize(ZSKIPLIST_MAXLEVEL);

const CHUNK_BITS = 14;
const CHUNK = 1 << CHUNK_BITS; // int32 slots per chunk: 64 KB
const CHUNK_MASK = CHUNK - 1;
const FIRST_CHUNK = 128; // slots of a new skiplist's first chunk (header + ~10 nodes; doubles up to CHUNK)

/** Redis zslRandomLevel: each extra level with probability 1/4. */
export function randomLevel(): number {
  let level = 1;
  while (Math.random() < ZSKIPLIST_P && level < ZSKIPLIST_MAXLEVEL) level++;
  return level;
}

// Steps of the range descents (Skiplist.pathTo / deleteFrom): module functions, no closure per call.
type Step<R> = (z: Skiplist, n: number, r: R) => boolean;
const belowScoreMin: Step<ScoreRange> = (z, n, r) => !scoreGteMin(z.score(n), r);
const withinScoreMax: Step<ScoreRange> = (z, n, r) => scoreLteMax(z.score(n), r);
const belowLexMin: Step<LexRange> = (z, n, r) => !lexGteMin(z.ele(n), r);
const withinLexMax: Step<LexRange> = (z, n, r) => lexLteMax(z.ele(n), r);
const anyNode: Step<null> = () => true;

// Search paths, reused by every call (no allocation per operation).
const UPDATE = new Int32Array(ZSKIPLIST_MAXLEVEL);
const RANK = new Int32Array(ZSKIPLIST_MAXLEVEL);

export class Skiplist {
  /** Pool chunks: the int32 slots, the same memory seen as float64 (scores), the members. */
  private ints: Int32Array[] = [];
  private dbl: Float64Array[] = [];
  private eles: Bytes[][] = [];
  /** The next never-allocated slot. */
  private top = 0;
  /** Slots held by the header and the live nodes. */
  private liveSlots = 0;
  /** Per level, the first free block of that level (NIL: none); a free block's BACK slot links the next. */
  private readonly freeHead = new Int32Array(ZSKIPLIST_MAXLEVEL + 1);
  tail = NIL;
  length = 0;
  level = 1;

  constructor() {
    this.reset();
  }

  private reset(): void {
    const first = new Int32Array(FIRST_CHUNK);
    this.ints = [first];
    this.dbl = [new Float64Array(first.buffer)];
    this.eles = [new Array<Bytes>(FIRST_CHUNK >> 2).fill('')];
    first[LEVEL] = ZSKIPLIST_MAXLEVEL; // the header: score 0, member '', every link NIL, spans 0
    this.top = HEADER_SIZE;
    this.liveSlots = HEADER_SIZE;
    this.freeHead.fill(NIL);
    this.tail = NIL;
    this.length = 0;
    this.level = 1;
  }

  // ------------------------------------------------------------------------------------------
  // Node fields

  score(n: number): number {
    return this.dbl[n >>> CHUNK_BITS]![(n & CHUNK_MASK) >> 1]!;
  }

  ele(n: number): Bytes {
    return this.eles[n >>> CHUNK_BITS]![(n & CHUNK_MASK) >> 2]!;
  }

  /** The next node at level 0 (ascending order), or NIL. */
  next(n: number): number {
    return this.ints[n >>> CHUNK_BITS]![(n & CHUNK_MASK) + LV]!;
  }

  /** The backward link: the previous node, NIL for the first. */
  prev(n: number): number {
    return this.ints[n >>> CHUNK_BITS]![(n & CHUNK_MASK) + BACK]!;
  }

  levelOf(n: number): number {
    return this.ints[n >>> CHUNK_BITS]![(n & CHUNK_MASK) + LEVEL]!;
  }

  /** Forward link of level i. */
  forward(n: number, i: number): number {
    return this.ints[n >>> CHUNK_BITS]![(n & CHUNK_MASK) + LV + 2 * i]!;
  }

  /** Span of level i. */
  span(n: number, i: number): number {
    return this.ints[n >>> CHUNK_BITS]![(n & CHUNK_MASK) + LV + 2 * i + 1]!;
  }

  private setForward(n: number, i: number, f: number): void {
    this.ints[n >>> CHUNK_BITS]![(n & CHUNK_MASK) + LV + 2 * i] = f;
  }

  private setSpan(n: number, i: number, s: number): void {
    this.ints[n >>> CHUNK_BITS]![(n & CHUNK_MASK) + LV + 2 * i + 1] = s;
  }

  private setPrev(n: number, p: number): void {
    this.ints[n >>> CHUNK_BITS]![(n & CHUNK_MASK) + BACK] = p;
  }

  private setScore(n: number, score: number): void {
    this.dbl[n >>> CHUNK_BITS]![(n & CHUNK_MASK) >> 1] = score;
  }

  first(): number {
    return this.next(HEADER);
  }

  // ------------------------------------------------------------------------------------------
  // Pool

  /** A block for a node of `level` levels (its slots hold garbage until written). */
  private alloc(level: number): number {
    const size = blockSize(level);
    this.liveSlots += size;
    const free = this.freeHead[level]!;
    if (free !== NIL) {
      this.freeHead[level] = this.prev(free);
      return free;
    }
    let n = this.top;
    // A block never straddles two chunks: the end of a full chunk stays unused.
    if ((n & CHUNK_MASK) + size > CHUNK) n = (n | CHUNK_MASK) + 1;
    const c = n >>> CHUNK_BITS;
    const end = (n & CHUNK_MASK) + size;
    if (c === this.ints.length) this.addChunk(CHUNK);
    else if (end > this.ints[c]!.length) this.growFirstChunk(end);
    this.top = n + size;
    return n;
  }

  private addChunk(slots: number): void {
    const ints = new Int32Array(slots);
    this.ints.push(ints);
    this.dbl.push(new Float64Array(ints.buffer));
    this.eles.push(new Array<Bytes>(slots >> 2).fill(''));
  }

  private growFirstChunk(need: number): void {
    let slots = this.ints[0]!.length;
    while (slots < need) slots *= 2;
    const ints = new Int32Array(slots);
    ints.set(this.ints[0]!);
    this.ints[0] = ints;
    this.dbl[0] = new Float64Array(ints.buffer);
    const eles = this.eles[0]!;
    while (eles.length < slots >> 2) eles.push('');
  }

  private free(n: number): void {
    const level = this.levelOf(n);
    this.eles[n >>> CHUNK_BITS]![(n & CHUNK_MASK) >> 2] = '';
    this.setPrev(n, this.freeHead[level]!);
    this.freeHead[level] = n;
    this.liveSlots -= blockSize(level);
  }

  /**
   * After deletions: when more of the pool is free than live (and that is more than two chunks),
   * rebuilds the list in a fresh pool with every node keeping its level, so the structure (links,
   * spans) is the same. O(n), amortized over the deletions that freed the space.
   */
  private compactIfSparse(): void {
    const wasted = this.top - this.liveSlots;
    if (wasted <= 2 * CHUNK || wasted <= this.liveSlots) return;
    const n = this.length;
    const eles = new Array<Bytes>(n);
    const scores = new Float64Array(n);
    const levels = new Uint8Array(n);
    let i = 0;
    for (let x = this.first(); x !== NIL; x = this.next(x), i++) {
      eles[i] = this.ele(x);
      scores[i] = this.score(x);
      levels[i] = this.levelOf(x);
    }
    this.reset();
    // Highest first: every insert then stops at the header.
    for (i = n - 1; i >= 0; i--) this.insert(scores[i]!, eles[i]!, levels[i]!);
  }

  // ------------------------------------------------------------------------------------------
  // Updates

  /** Inserts a member known to be absent (Redis zslInsert); returns its node. */
  insert(score: number, ele: Bytes, level = randomLevel()): number {
    this.findPath(score, ele);
    if (level > this.level) {
      for (let i = this.level; i < level; i++) {
        RANK[i] = 0;
        UPDATE[i] = HEADER;
        this.setSpan(HEADER, i, this.length);
      }
      this.level = level;
    }
    const node = this.alloc(level);
    const nodeInts = this.ints[node >>> CHUNK_BITS]!;
    const no = node & CHUNK_MASK;
    this.dbl[node >>> CHUNK_BITS]![no >> 1] = score;
    this.eles[node >>> CHUNK_BITS]![no >> 2] = ele;
    nodeInts[no + LEVEL] = level;
    const r0 = RANK[0]!;
    for (let i = 0; i < level; i++) {
      const u = UPDATE[i]!;
      const us = this.ints[u >>> CHUNK_BITS]!;
      const uo = (u & CHUNK_MASK) + LV + 2 * i;
      const d = r0 - RANK[i]!;
      nodeInts[no + LV + 2 * i] = us[uo]!;
      us[uo] = node;
      // u's old span is split between u -> node and node -> old forward.
      nodeInts[no + LV + 2 * i + 1] = us[uo + 1]! - d;
      us[uo + 1] = d + 1;
    }
    for (let i = level; i < this.level; i++) {
      const u = UPDATE[i]!;
      this.setSpan(u, i, this.span(u, i) + 1);
    }
    nodeInts[no + BACK] = UPDATE[0]!; // the header's offset is NIL
    const next = nodeInts[no + LV]!;
    if (next !== NIL) this.setPrev(next, node);
    else this.tail = node;
    this.length++;
    return node;
  }

  /** Unlinks x given the search path in UPDATE (Redis zslDeleteNode); the caller frees it. */
  private unlink(x: number): void {
    for (let i = 0; i < this.level; i++) {
      const u = UPDATE[i]!;
      if (this.forward(u, i) === x) {
        this.setSpan(u, i, this.span(u, i) + this.span(x, i) - 1);
        this.setForward(u, i, this.forward(x, i));
      } else {
        this.setSpan(u, i, this.span(u, i) - 1);
      }
    }
    const next = this.next(x);
    if (next !== NIL) this.setPrev(next, this.prev(x));
    else this.tail = this.prev(x);
    while (this.level > 1 && this.forward(HEADER, this.level - 1) === NIL) this.level--;
    this.length--;
  }

  /**
   * Fills UPDATE with the last node before (score, ele) at each level and RANK with its rank;
   * returns the candidate (the node after UPDATE[0]).
   */
  private findPath(score: number, ele: Bytes): number {
    const ints = this.ints;
    const dbl = this.dbl;
    const eles = this.eles;
    let xs = ints[0]!;
    let x = HEADER;
    let xo = 0;
    let rank = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      const at = LV + 2 * i;
      let f = xs[xo + at]!;
      while (f !== NIL) {
        const fc = f >>> CHUNK_BITS;
        const fo = f & CHUNK_MASK;
        const fs = dbl[fc]![fo >> 1]!;
        if (fs > score || (fs === score && eles[fc]![fo >> 2]! >= ele)) break;
        rank += xs[xo + at + 1]!;
        x = f;
        xs = ints[fc]!;
        xo = fo;
        f = xs[xo + at]!;
      }
      RANK[i] = rank;
      UPDATE[i] = x;
    }
    return xs[xo + LV]!;
  }

  /** Removes (score, ele); false when absent. */
  delete(score: number, ele: Bytes): boolean {
    const x = this.findPath(score, ele);
    if (x === NIL || this.score(x) !== score || this.ele(x) !== ele) return false;
    this.unlink(x);
    this.free(x);
    this.compactIfSparse();
    return true;
  }

  /**
   * Changes the score of the member (ele, cur), which must exist (Redis zslUpdateScore): in place
   * when the order does not change, else remove + insert keeping the level. Returns its node.
   */
  updateScore(cur: number, ele: Bytes, newScore: number): number {
    const x = this.findPath(cur, ele);
    if (x === NIL || this.score(x) !== cur || this.ele(x) !== ele) throw new Error('skiplist: member not found on update');
    const back = this.prev(x);
    const next = this.next(x);
    if ((back === NIL || this.score(back) < newScore || (this.score(back) === newScore && this.ele(back) < ele)) &&
        (next === NIL || this.score(next) > newScore || (this.score(next) === newScore && this.ele(next) > ele))) {
      this.setScore(x, newScore);
      return x;
    }
    const level = this.levelOf(x);
    this.unlink(x);
    this.free(x);
    return this.insert(newScore, ele, level); // reuses x's block: the free list is LIFO
  }

  // ------------------------------------------------------------------------------------------
  // Ranks

  /** 1-based rank of (score, ele), 0 when absent (Redis zslGetRank). */
  getRank(score: number, ele: Bytes): number {
    let rank = 0;
    let x = HEADER;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = this.forward(x, i);
      while (f !== NIL) {
        const fs = this.score(f);
        if (fs > score || (fs === score && this.ele(f) > ele)) break;
        rank += this.span(x, i);
        x = f;
        f = this.forward(x, i);
      }
      if (x !== HEADER && this.score(x) === score && this.ele(x) === ele) return rank;
    }
    return 0;
  }

  /** The node at 1-based rank, or NIL. */
  getByRank(rank: number): number {
    let traversed = 0;
    let x = HEADER;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = this.forward(x, i);
      while (f !== NIL && traversed + this.span(x, i) <= rank) {
        traversed += this.span(x, i);
        x = f;
        f = this.forward(x, i);
      }
      if (traversed === rank) return x;
    }
    return NIL;
  }

  // ------------------------------------------------------------------------------------------
  // Ranges

  /** Is any element inside the score range? (zslIsInRange) */
  private inScoreRange(r: ScoreRange): boolean {
    if (scoreRangeEmpty(r) || this.tail === NIL) return false;
    return scoreGteMin(this.score(this.tail), r) && scoreLteMax(this.score(this.first()), r);
  }

  firstInScoreRange(r: ScoreRange): number {
    if (!this.inScoreRange(r)) return NIL;
    const n = this.pathTo(belowScoreMin, r);
    return scoreLteMax(this.score(n), r) ? n : NIL;
  }

  lastInScoreRange(r: ScoreRange): number {
    if (!this.inScoreRange(r)) return NIL;
    this.pathTo(withinScoreMax, r);
    const x = UPDATE[0]!;
    return x !== HEADER && scoreGteMin(this.score(x), r) ? x : NIL;
  }

  private inLexRange(r: LexRange): boolean {
    if (lexRangeEmpty(r) || this.tail === NIL) return false;
    return lexGteMin(this.ele(this.tail), r) && lexLteMax(this.ele(this.first()), r);
  }

  firstInLexRange(r: LexRange): number {
    if (!this.inLexRange(r)) return NIL;
    const n = this.pathTo(belowLexMin, r);
    return lexLteMax(this.ele(n), r) ? n : NIL;
  }

  lastInLexRange(r: LexRange): number {
    if (!this.inLexRange(r)) return NIL;
    this.pathTo(withinLexMax, r);
    const x = UPDATE[0]!;
    return x !== HEADER && lexGteMin(this.ele(x), r) ? x : NIL;
  }

  /**
   * Path to the first node for which `below` stops holding (every level), in UPDATE; returns it.
   * The descent shared by the range lookups (Redis zslFirstInRange / zslLastInRange and their lex
   * twins: UPDATE[0] is the last node for which `below` holds, the header when none does) and the
   * range deletions.
   */
  private pathTo<R>(below: Step<R>, r: R): number {
    let x = HEADER;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = this.forward(x, i);
      while (f !== NIL && below(this, f, r)) {
        x = f;
        f = this.forward(x, i);
      }
      UPDATE[i] = x;
    }
    return this.next(x);
  }

  /** Unlinks and frees from x on, at most `max` nodes, while `within` holds; `removed` sees each member. */
  private deleteFrom<R>(x: number, within: Step<R>, r: R, removed: (ele: Bytes) => void, max = Infinity): number {
    let count = 0;
    while (x !== NIL && count < max && within(this, x, r)) {
      const next = this.next(x);
      const ele = this.ele(x);
      this.unlink(x);
      this.free(x);
      removed(ele);
      count++;
      x = next;
    }
    this.compactIfSparse();
    return count;
  }

  /** Removes every node in the score range; `removed` sees each member. Returns the count. */
  deleteRangeByScore(r: ScoreRange, removed: (ele: Bytes) => void): number {
    return this.deleteFrom(this.pathTo(belowScoreMin, r), withinScoreMax, r, removed);
  }

  deleteRangeByLex(r: LexRange, removed: (ele: Bytes) => void): number {
    return this.deleteFrom(this.pathTo(belowLexMin, r), withinLexMax, r, removed);
  }

  /** Removes 1-based ranks start..end inclusive. */
  deleteRangeByRank(start: number, end: number, removed: (ele: Bytes) => void): number {
    let traversed = 0;
    let x = HEADER;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = this.forward(x, i);
      while (f !== NIL && traversed + this.span(x, i) < start) {
        traversed += this.span(x, i);
        x = f;
        f = this.forward(x, i);
      }
      UPDATE[i] = x;
    }
    return this.deleteFrom(this.next(x), anyNode, null, removed, end - traversed);
  }
}
