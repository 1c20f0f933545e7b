/**
 * The `skiplist` encoding of large sorted sets: Redis's `zset` struct, a member -> score dict for
 * O(1) ZSCORE / membership plus the skiplist (skiplist.ts) for order and ranks.
 *
 * The dict is the keyspace's Dict (keyspace/dict.ts) with no value column and the score in its
 * float64 column, exactly what Redis's zset dict holds; its cursor scan serves ZSCAN and its
 * dense rows give O(1) uniform random members (ZRANDMEMBER).
 */
import type { Bytes } from '@swarmkv/resp';
import { Dict } from '../../keyspace/dict.js';
import { NIL, Skiplist } from './skiplist.js';

export class ZsetSkiplist {
  readonly dict = new Dict<undefined>({ values: false, numeric: true });
  readonly zsl = new Skiplist();

  get length(): number {
    return this.zsl.length;
  }

  score(ele: Bytes): number | undefined {
    const row = this.dict.findIndex(ele);
    return row === -1 ? undefined : this.dict.numAt(row);
  }

  /** The member's dict row (-1 when absent): valid until the next insert or removal. */
  findRow(ele: Bytes): number {
    return this.dict.findIndex(ele);
  }

  scoreAt(row: number): number {
    return this.dict.numAt(row);
  }

  /** Adds a member known to be absent. */
  insert(ele: Bytes, score: number): void {
    this.zsl.insert(score, ele);
    this.dict.setNumAt(this.dict.findOrInsert(ele), score);
  }

  /** Changes the score of the member at dict row `row` from `cur` to `score`. */
  updateAt(row: number, ele: Bytes, cur: number, score: number): void {
    this.zsl.updateScore(cur, ele, score);
    this.dict.setNumAt(row, score);
  }

  /** Removes a member; false when absent. */
  remove(ele: Bytes): boolean {
    const row = this.dict.findIndex(ele);
    if (row === -1) return false;
    const score = this.dict.numAt(row);
    this.dict.delete(ele);
    this.zsl.delete(score, ele);
    return true;
  }

  /** The dict-side cleanup for members the skiplist removed in a range deletion. */
  readonly forget = (ele: Bytes): void => {
    this.dict.delete(ele);
  };

  clone(): ZsetSkiplist {
    const c = new ZsetSkiplist();
    c.dict.expand(this.dict.size);
    // Tail to head, as Redis's zsetDup: every insert then stops at the header (O(1) each).
    const zsl = this.zsl;
    for (let n = zsl.tail; n !== NIL; n = zsl.prev(n)) c.insert(zsl.ele(n), zsl.score(n));
    return c;
  }
}
