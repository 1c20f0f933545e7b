/**
 * The skiplist of Redis's `skiplist` sorted-set encoding (Pugh's skiplist as Redis extends it).
 *
 * Nodes are ordered by (score, member bytes). Each level of a node stores its forward pointer and
 * its span (how many level-0 steps the pointer jumps), which makes rank queries O(log n): summing
 * spans along the search path gives the rank. Level 0 also has a backward pointer for reverse
 * iteration. Levels are drawn with p = 0.25 up to 32 (ZSKIPLIST_MAXLEVEL / ZSKIPLIST_P).
 *
 * Member comparison is byte order then length (sdscmp); on latin1 Bytes JavaScript's `<` gives
 * exactly that. The member -> node dict lives beside the list, in zset-skiplist.ts.
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

/**
 * A node. Its levels live in ONE array, interleaved: lv[2i] is the forward pointer of level i,
 * lv[2i+1] its span. One array instead of two (forward[], span[]) means one object less to
 * reach per step of a search (memory latency dominates on large sets) and to mark per GC.
 */
export class ZNode {
  backward: ZNode | null = null;
  readonly lv: (ZNode | null | number)[];
  constructor(
    public ele: Bytes,
    public score: number,
    level: number,
  ) {
    const lv = new Array<ZNode | null | number>(2 * level);
    for (let i = 0; i < 2 * level; i += 2) {
      lv[i] = null;
      lv[i + 1] = 0;
    }
    this.lv = lv;
  }

  get level(): number {
    return this.lv.length >> 1;
  }
}

/** Forward pointer of level i. */
export function fwd(x: ZNode, i: number): ZNode | null {
  return x.lv[2 * i] as ZNode | null;
}

/** Span of level i. */
export function spanOf(x: ZNode, i: number): number {
  return x.lv[2 * i + 1] as number;
}

/** The next node at level 0 (ascending order), or null. */
export function zslNext(x: ZNode): ZNode | null {
  return x.lv[0] as ZNode | null;
}

/** Redis zslRandomLevel: each extra level with probability 1/4. */
export function randomLevel(): number {
  let level = 1;
  while (Math.random() < ZSKIPLIST_P && level < ZSKIPLIST_MAXLEVEL) level++;
  return level;
}

/** (score, ele) strictly before (s2, e2) in skiplist order. */
function before(score: number, ele: Bytes, s2: number, e2: Bytes): boolean {
  return score < s2 || (score === s2 && ele < e2);
}

// Steps of the range descents (Skiplist.lastWhere): module functions, so no closure per call.
const belowScoreMin = (n: ZNode, r: ScoreRange): boolean => !scoreGteMin(n.score, r);
const withinScoreMax = (n: ZNode, r: ScoreRange): boolean => scoreLteMax(n.score, r);
const belowLexMin = (n: ZNode, r: LexRange): boolean => !lexGteMin(n.ele, r);
const withinLexMax = (n: ZNode, r: LexRange): boolean => lexLteMax(n.ele, r);

// Search paths, reused by every call (no allocation per operation).
const UPDATE: ZNode[] = new Array<ZNode>(ZSKIPLIST_MAXLEVEL);
const RANK: number[] = new Array<number>(ZSKIPLIST_MAXLEVEL).fill(0);

export class Skiplist {
  readonly header = new ZNode('', 0, ZSKIPLIST_MAXLEVEL);
  tail: ZNode | null = null;
  length = 0;
  level = 1;

  /** Inserts a member known to be absent; returns its node. */
  insert(score: number, ele: Bytes, level = randomLevel()): ZNode {
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let rank = i === this.level - 1 ? 0 : RANK[i + 1]!;
      let f = x.lv[2 * i] as ZNode | null;
      while (f !== null && before(f.score, f.ele, score, ele)) {
        rank += x.lv[2 * i + 1] as number;
        x = f;
        f = x.lv[2 * i] as ZNode | null;
      }
      RANK[i] = rank;
      UPDATE[i] = x;
    }
    if (level > this.level) {
      for (let i = this.level; i < level; i++) {
        RANK[i] = 0;
        UPDATE[i] = this.header;
        this.header.lv[2 * i + 1] = this.length;
      }
      this.level = level;
    }
    const node = new ZNode(ele, score, level);
    const r0 = RANK[0]!;
    for (let i = 0; i < level; i++) {
      const u = UPDATE[i]!.lv;
      const d = r0 - RANK[i]!;
      node.lv[2 * i] = u[2 * i]!;
      u[2 * i] = node;
      // u's old span is split between u -> node and node -> old forward.
      node.lv[2 * i + 1] = (u[2 * i + 1] as number) - d;
      u[2 * i + 1] = d + 1;
    }
    for (let i = level; i < this.level; i++) {
      const u = UPDATE[i]!.lv;
      u[2 * i + 1] = (u[2 * i + 1] as number) + 1;
    }
    node.backward = UPDATE[0] === this.header ? null : UPDATE[0]!;
    const next = node.lv[0] as ZNode | null;
    if (next !== null) next.backward = node;
    else this.tail = node;
    this.length++;
    return node;
  }

  /** Unlinks x given the search path in UPDATE (Redis zslDeleteNode). */
  private unlink(x: ZNode): void {
    for (let i = 0; i < this.level; i++) {
      const u = UPDATE[i]!.lv;
      if (u[2 * i] === x) {
        u[2 * i + 1] = (u[2 * i + 1] as number) + (x.lv[2 * i + 1] as number) - 1;
        u[2 * i] = x.lv[2 * i]!;
      } else {
        u[2 * i + 1] = (u[2 * i + 1] as number) - 1;
      }
    }
    const next = x.lv[0] as ZNode | null;
    if (next !== null) next.backward = x.backward;
    else this.tail = x.backward;
    while (this.level > 1 && this.header.lv[2 * (this.level - 1)] === null) this.level--;
    this.length--;
  }

  /** Fills UPDATE with the last node before (score, ele) at each level; returns the candidate. */
  private findPath(score: number, ele: Bytes): ZNode | null {
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = x.lv[2 * i] as ZNode | null;
      while (f !== null && before(f.score, f.ele, score, ele)) {
        x = f;
        f = x.lv[2 * i] as ZNode | null;
      }
      UPDATE[i] = x;
    }
    return x.lv[0] as ZNode | null;
  }

  /** Removes (score, ele); returns the removed node or null. */
  delete(score: number, ele: Bytes): ZNode | null {
    const x = this.findPath(score, ele);
    if (x !== null && x.score === score && x.ele === ele) {
      this.unlink(x);
      return x;
    }
    return null;
  }

  /**
   * Changes the score of a present member (Redis zslUpdateScore): in place when the order does not
   * change, else remove + insert keeping the level. Returns the member's node.
   */
  updateScore(node: ZNode, newScore: number): ZNode {
    const back = node.backward;
    const next = node.lv[0] as ZNode | null;
    if ((back === null || back.score < newScore || (back.score === newScore && back.ele < node.ele)) &&
        (next === null || next.score > newScore || (next.score === newScore && next.ele > node.ele))) {
      node.score = newScore;
      return node;
    }
    const x = this.findPath(node.score, node.ele);
    if (x !== node) throw new Error('skiplist: node not found on update');
    this.unlink(node);
    return this.insert(newScore, node.ele, node.level);
  }

  /** zslUpdateScore by value: the member (ele, cur) must exist. */
  updateScoreOf(cur: number, ele: Bytes, newScore: number): ZNode {
    const x = this.findPath(cur, ele);
    if (x === null || x.score !== cur || x.ele !== ele) throw new Error('skiplist: member not found on update');
    return this.updateScore(x, newScore);
  }

  /** 1-based rank of (score, ele), 0 when absent (Redis zslGetRank). */
  getRank(score: number, ele: Bytes): number {
    let rank = 0;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = x.lv[2 * i] as ZNode | null;
      while (f !== null && (before(f.score, f.ele, score, ele) || (f.score === score && f.ele === ele))) {
        rank += x.lv[2 * i + 1] as number;
        x = f;
        f = x.lv[2 * i] as ZNode | null;
      }
      if (x !== this.header && x.ele === ele && x.score === score) return rank;
    }
    return 0;
  }

  /** The node at 1-based rank, or null. */
  getByRank(rank: number): ZNode | null {
    let traversed = 0;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = x.lv[2 * i] as ZNode | null;
      let sp = x.lv[2 * i + 1] as number;
      while (f !== null && traversed + sp <= rank) {
        traversed += sp;
        x = f;
        f = x.lv[2 * i] as ZNode | null;
        sp = x.lv[2 * i + 1] as number;
      }
      if (traversed === rank) return x === this.header ? null : x;
    }
    return null;
  }

  first(): ZNode | null {
    return this.header.lv[0] as ZNode | null;
  }

  /** Is any element inside the score range? (zslIsInRange) */
  private inScoreRange(r: ScoreRange): boolean {
    if (scoreRangeEmpty(r)) return false;
    const t = this.tail;
    const f = this.first();
    if (t === null || !scoreGteMin(t.score, r)) return false;
    if (f === null || !scoreLteMax(f.score, r)) return false;
    return true;
  }

  /**
   * The last node, from the top level down, for which `ahead(node, r)` holds on the way: the
   * descent shared by the four range lookups (Redis zslFirstInRange / zslLastInRange and their
   * lex twins). Returns the header when no node qualifies.
   */
  private lastWhere<R>(ahead: (n: ZNode, r: R) => boolean, r: R): ZNode {
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = x.lv[2 * i] as ZNode | null;
      while (f !== null && ahead(f, r)) {
        x = f;
        f = x.lv[2 * i] as ZNode | null;
      }
    }
    return x;
  }

  firstInScoreRange(r: ScoreRange): ZNode | null {
    if (!this.inScoreRange(r)) return null;
    const n = this.lastWhere(belowScoreMin, r).lv[0] as ZNode;
    return scoreLteMax(n.score, r) ? n : null;
  }

  lastInScoreRange(r: ScoreRange): ZNode | null {
    if (!this.inScoreRange(r)) return null;
    const x = this.lastWhere(withinScoreMax, r);
    return x !== this.header && scoreGteMin(x.score, r) ? x : null;
  }

  private inLexRange(r: LexRange): boolean {
    if (lexRangeEmpty(r)) return false;
    const t = this.tail;
    const f = this.first();
    if (t === null || !lexGteMin(t.ele, r)) return false;
    if (f === null || !lexLteMax(f.ele, r)) return false;
    return true;
  }

  firstInLexRange(r: LexRange): ZNode | null {
    if (!this.inLexRange(r)) return null;
    const n = this.lastWhere(belowLexMin, r).lv[0] as ZNode;
    return lexLteMax(n.ele, r) ? n : null;
  }

  lastInLexRange(r: LexRange): ZNode | null {
    if (!this.inLexRange(r)) return null;
    const x = this.lastWhere(withinLexMax, r);
    return x !== this.header && lexGteMin(x.ele, r) ? x : null;
  }

  /** Path to the first node for which `reached` holds (every level), in UPDATE. */
  private pathTo(reached: (n: ZNode) => boolean): ZNode | null {
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = x.lv[2 * i] as ZNode | null;
      while (f !== null && !reached(f)) {
        x = f;
        f = x.lv[2 * i] as ZNode | null;
      }
      UPDATE[i] = x;
    }
    return x.lv[0] as ZNode | null;
  }

  /** Removes every node in the score range; `removed` sees each one. Returns the count. */
  deleteRangeByScore(r: ScoreRange, removed: (n: ZNode) => void): number {
    let x = this.pathTo((n) => scoreGteMin(n.score, r));
    let count = 0;
    while (x !== null && scoreLteMax(x.score, r)) {
      const next = x.lv[0] as ZNode | null;
      this.unlink(x);
      removed(x);
      count++;
      x = next;
    }
    return count;
  }

  deleteRangeByLex(r: LexRange, removed: (n: ZNode) => void): number {
    let x = this.pathTo((n) => lexGteMin(n.ele, r));
    let count = 0;
    while (x !== null && lexLteMax(x.ele, r)) {
      const next = x.lv[0] as ZNode | null;
      this.unlink(x);
      removed(x);
      count++;
      x = next;
    }
    return count;
  }

  /** Removes 1-based ranks start..end inclusive. */
  deleteRangeByRank(start: number, end: number, removed: (n: ZNode) => void): number {
    let traversed = 0;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = x.lv[2 * i] as ZNode | null;
      while (f !== null && traversed + (x.lv[2 * i + 1] as number) < start) {
        traversed += x.lv[2 * i + 1] as number;
        x = f;
        f = x.lv[2 * i] as ZNode | null;
      }
      UPDATE[i] = x;
    }
    traversed++;
    let n = x.lv[0] as ZNode | null;
    let count = 0;
    while (n !== null && traversed <= end) {
      const next = n.lv[0] as ZNode | null;
      this.unlink(n);
      removed(n);
      count++;
      traversed++;
      n = next;
    }
    return count;
  }
}
