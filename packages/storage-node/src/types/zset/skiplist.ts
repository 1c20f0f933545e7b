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

export class ZNode {
  backward: ZNode | null = null;
  /** forward[i] / span[i]: the pointer and its span at level i. */
  readonly forward: (ZNode | null)[];
  readonly span: number[];
  constructor(
    public ele: Bytes,
    public score: number,
    level: number,
  ) {
    this.forward = new Array<ZNode | null>(level).fill(null);
    this.span = new Array<number>(level).fill(0);
  }
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
      RANK[i] = i === this.level - 1 ? 0 : RANK[i + 1]!;
      let f = x.forward[i];
      while (f && before(f.score, f.ele, score, ele)) {
        RANK[i]! += x.span[i]!;
        x = f;
        f = x.forward[i];
      }
      UPDATE[i] = x;
    }
    if (level > this.level) {
      for (let i = this.level; i < level; i++) {
        RANK[i] = 0;
        UPDATE[i] = this.header;
        this.header.span[i] = this.length;
      }
      this.level = level;
    }
    const node = new ZNode(ele, score, level);
    for (let i = 0; i < level; i++) {
      const u = UPDATE[i]!;
      node.forward[i] = u.forward[i]!;
      u.forward[i] = node;
      // u's old span is split between u -> node and node -> old forward.
      node.span[i] = u.span[i]! - (RANK[0]! - RANK[i]!);
      u.span[i] = RANK[0]! - RANK[i]! + 1;
    }
    for (let i = level; i < this.level; i++) UPDATE[i]!.span[i]!++;
    node.backward = UPDATE[0] === this.header ? null : UPDATE[0]!;
    const next = node.forward[0];
    if (next) next.backward = node;
    else this.tail = node;
    this.length++;
    return node;
  }

  /** Unlinks x given the search path in UPDATE. */
  private unlink(x: ZNode): void {
    for (let i = 0; i < this.level; i++) {
      const u = UPDATE[i]!;
      if (u.forward[i] === x) {
        u.span[i]! += x.span[i]! - 1;
        u.forward[i] = x.forward[i]!;
      } else {
        u.span[i]!--;
      }
    }
    const next = x.forward[0];
    if (next) next.backward = x.backward;
    else this.tail = x.backward;
    while (this.level > 1 && this.header.forward[this.level - 1] === null) this.level--;
    this.length--;
  }

  /** Fills UPDATE with the last node before (score, ele) at each level; returns the candidate. */
  private findPath(score: number, ele: Bytes): ZNode | null {
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = x.forward[i];
      while (f && before(f.score, f.ele, score, ele)) {
        x = f;
        f = x.forward[i];
      }
      UPDATE[i] = x;
    }
    return x.forward[0] ?? null;
  }

  /** Removes (score, ele); returns the removed node or null. */
  delete(score: number, ele: Bytes): ZNode | null {
    const x = this.findPath(score, ele);
    if (x && x.score === score && x.ele === ele) {
      this.unlink(x);
      return x;
    }
    return null;
  }

  /**
   * Changes the score of a present member (Redis zslUpdateScore): in place when the order does not
   * change, else remove + insert reusing the level. Returns the member's node.
   */
  updateScore(node: ZNode, newScore: number): ZNode {
    const back = node.backward;
    const next = node.forward[0] ?? null;
    if ((back === null || back.score < newScore || (back.score === newScore && back.ele < node.ele)) &&
        (next === null || next.score > newScore || (next.score === newScore && next.ele > node.ele))) {
      node.score = newScore;
      return node;
    }
    const x = this.findPath(node.score, node.ele);
    if (x !== node) throw new Error('skiplist: node not found on update');
    this.unlink(node);
    return this.insert(newScore, node.ele, node.forward.length);
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
      let f = x.forward[i];
      while (f && (before(f.score, f.ele, score, ele) || (f.score === score && f.ele === ele))) {
        rank += x.span[i]!;
        x = f;
        f = x.forward[i];
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
      let f = x.forward[i];
      while (f && traversed + x.span[i]! <= rank) {
        traversed += x.span[i]!;
        x = f;
        f = x.forward[i];
      }
      if (traversed === rank) return x === this.header ? null : x;
    }
    return null;
  }

  first(): ZNode | null {
    return this.header.forward[0] ?? null;
  }

  /** Is any element inside the score range? (zslIsInRange) */
  private inScoreRange(r: ScoreRange): boolean {
    if (scoreRangeEmpty(r)) return false;
    const t = this.tail;
    const f = this.header.forward[0];
    if (!t || !scoreGteMin(t.score, r)) return false;
    if (!f || !scoreLteMax(f.score, r)) return false;
    return true;
  }

  firstInScoreRange(r: ScoreRange): ZNode | null {
    if (!this.inScoreRange(r)) return null;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = x.forward[i];
      while (f && !scoreGteMin(f.score, r)) {
        x = f;
        f = x.forward[i];
      }
    }
    const n = x.forward[0]!;
    return scoreLteMax(n.score, r) ? n : null;
  }

  lastInScoreRange(r: ScoreRange): ZNode | null {
    if (!this.inScoreRange(r)) return null;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = x.forward[i];
      while (f && scoreLteMax(f.score, r)) {
        x = f;
        f = x.forward[i];
      }
    }
    return x !== this.header && scoreGteMin(x.score, r) ? x : null;
  }

  private inLexRange(r: LexRange): boolean {
    if (lexRangeEmpty(r)) return false;
    const t = this.tail;
    const f = this.header.forward[0];
    if (!t || !lexGteMin(t.ele, r)) return false;
    if (!f || !lexLteMax(f.ele, r)) return false;
    return true;
  }

  firstInLexRange(r: LexRange): ZNode | null {
    if (!this.inLexRange(r)) return null;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = x.forward[i];
      while (f && !lexGteMin(f.ele, r)) {
        x = f;
        f = x.forward[i];
      }
    }
    const n = x.forward[0]!;
    return lexLteMax(n.ele, r) ? n : null;
  }

  lastInLexRange(r: LexRange): ZNode | null {
    if (!this.inLexRange(r)) return null;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = x.forward[i];
      while (f && lexLteMax(f.ele, r)) {
        x = f;
        f = x.forward[i];
      }
    }
    return x !== this.header && lexGteMin(x.ele, r) ? x : null;
  }

  /** Path to the first node satisfying `atOrAfter` (every level), in UPDATE. */
  private pathTo(pastStart: (n: ZNode) => boolean): ZNode | null {
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = x.forward[i];
      while (f && !pastStart(f)) {
        x = f;
        f = x.forward[i];
      }
      UPDATE[i] = x;
    }
    return x.forward[0] ?? null;
  }

  /** Removes every node in the score range; `removed` sees each one. Returns the count. */
  deleteRangeByScore(r: ScoreRange, removed: (n: ZNode) => void): number {
    let x = this.pathTo((n) => scoreGteMin(n.score, r));
    let count = 0;
    while (x && scoreLteMax(x.score, r)) {
      const next = x.forward[0] ?? null;
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
    while (x && lexLteMax(x.ele, r)) {
      const next = x.forward[0] ?? null;
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
      let f = x.forward[i];
      while (f && traversed + x.span[i]! < start) {
        traversed += x.span[i]!;
        x = f;
        f = x.forward[i];
      }
      UPDATE[i] = x;
    }
    traversed++;
    let n = x.forward[0] ?? null;
    let count = 0;
    while (n && traversed <= end) {
      const next = n.forward[0] ?? null;
      this.unlink(n);
      removed(n);
      count++;
      traversed++;
      n = next;
    }
    return count;
  }
}
