/**
 * The list value (RObject of type 'list'): what the list commands use, and the only place that
 * would switch on a list's encoding.
 *
 * Redis 7.0 has a single list encoding, `quicklist`, used for every list however small (7.2 added
 * a listpack encoding for small lists; 7.0 reports "quicklist" for a one-element list), so today
 * this is a thin layer over types/list/quicklist.ts that speaks Bytes: elements go in as the
 * client's Bytes and come out as Bytes (listpack integers printed in decimal).
 *
 * `list-max-listpack-size` and `list-compress-depth` are read when the list is created and kept
 * for its life, as Redis does (CONFIG SET only affects lists created afterwards).
 */
import type { Bytes } from '@swarmkv/resp';
import type { EncodingName, RObject } from '../../keyspace/value.js';
import { lpProbe, type LpValue } from '../listpack/listpack.js';
import { Quicklist, type QlPos } from './quicklist.js';

function toBytes(v: LpValue): Bytes {
  return typeof v === 'number' ? String(v) : v;
}

export class List implements RObject {
  readonly ql: Quicklist;

  constructor(fill = -2, compress = 0, ql?: Quicklist) {
    this.ql = ql ?? new Quicklist(fill, compress);
  }

  // On the prototype, not per object.
  get type(): 'list' {
    return 'list';
  }

  encoding(): EncodingName {
    return 'quicklist';
  }

  clone(): List {
    return new List(0, 0, this.ql.clone());
  }

  get length(): number {
    return this.ql.count;
  }

  pushHead(v: Bytes): void {
    this.ql.pushHead(v);
  }

  pushTail(v: Bytes): void {
    this.ql.pushTail(v);
  }

  /** Push at the head (left = true) or the tail. */
  push(v: Bytes, left: boolean): void {
    if (left) this.ql.pushHead(v);
    else this.ql.pushTail(v);
  }

  /** Pop from the head (left = true) or the tail; undefined when empty. */
  pop(left: boolean): Bytes | undefined {
    const v = left ? this.ql.popHead() : this.ql.popTail();
    return v === undefined ? undefined : toBytes(v);
  }

  /** Pop up to n elements from one end, in pop order (RPOP n returns the tail first). */
  popMany(n: number, left: boolean): Bytes[] {
    if (n > this.ql.count) n = this.ql.count;
    let out: Bytes[];
    if (left) {
      out = this.ql.range(0, n - 1);
      this.ql.deleteRange(0, n);
    } else {
      out = this.ql.range(this.ql.count - n, this.ql.count - 1).reverse();
      this.ql.deleteRange(this.ql.count - n, n);
    }
    return out;
  }

  /** Element at index (negative from the tail), undefined when out of range. */
  index(i: number): Bytes | undefined {
    const v = this.ql.get(i);
    return v === undefined ? undefined : toBytes(v);
  }

  /** LSET: false when the index is out of range. */
  set(i: number, v: Bytes): boolean {
    return this.ql.replace(i, v);
  }

  /** Elements start..end inclusive, both already normalised to 0 <= start <= end < length. */
  range(start: number, end: number): Bytes[] {
    return this.ql.range(start, end);
  }

  /** The same as range(), encoded as a RESP array of bulks (see Quicklist.rangeResp). */
  rangeResp(start: number, end: number): string {
    return this.ql.rangeResp(start, end);
  }

  /** LINSERT: the new length, or -1 when the pivot is not there. */
  insert(pivot: Bytes, v: Bytes, after: boolean): number {
    const probe = lpProbe(pivot);
    const pos = this.ql.seek(0);
    if (pos === undefined) return -1;
    do {
      if (this.ql.equalsAt(pos, probe)) {
        this.ql.insertAt(pos, v, after);
        return this.ql.count;
      }
    } while (this.ql.next(pos));
    return -1;
  }

  /** LREM: remove up to |count| occurrences (all when 0), from the tail when count < 0. */
  remove(count: number, v: Bytes): number {
    return this.ql.removeMatching(lpProbe(v), Math.abs(count), count < 0);
  }

  /** LTRIM with already normalised counts: drop `left` elements from the head, `right` from the tail. */
  trim(left: number, right: number): void {
    if (left > 0) this.ql.deleteRange(0, left);
    if (right > 0) this.ql.deleteRange(this.ql.count - right, right);
  }

  /**
   * LPOS: indexes of matches, scanning from the head (rank > 0) or the tail (rank < 0), skipping
   * the first |rank|-1 matches, at most `count` of them (0 = all), looking at no more than
   * `maxlen` elements (0 = all).
   */
  positions(v: Bytes, rank: number, count: number, maxlen: number): number[] {
    const out: number[] = [];
    const forward = rank > 0;
    const skipFirst = Math.abs(rank) - 1;
    const pos: QlPos | undefined = this.ql.seek(forward ? 0 : -1);
    if (pos === undefined) return out;
    const probe = lpProbe(v);
    let matches = 0;
    let seen = 0;
    do {
      if (maxlen !== 0 && seen >= maxlen) break;
      seen++;
      if (this.ql.equalsAt(pos, probe)) {
        matches++;
        if (matches > skipFirst) {
          out.push(pos.index);
          if (count !== 0 && out.length >= count) break;
        }
      }
    } while (forward ? this.ql.next(pos) : this.ql.prev(pos));
    return out;
  }

  /** Every element (tests, DUMP-like uses). */
  toArray(): Bytes[] {
    return this.ql.toArray().map(toBytes);
  }
}
