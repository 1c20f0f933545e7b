/**
 * The set value (RObject of type `set`), Redis 7.0's two encodings:
 *  - `intset` (intset.ts): while every member is an integer in canonical form (string2ll) and
 *    there are at most set-max-intset-entries members (capped at 2^30 as Redis);
 *  - `hashtable`: the keyspace Dict (keyspace/dict.ts) without a value column.
 * A set never goes back from hashtable to intset (as Redis). The encoding of a new set depends on
 * its first member (setTypeCreate); results of SINTERSTORE / SUNIONSTORE / SDIFFSTORE start as an
 * intset and convert while being filled, as Redis builds them.
 *
 * One field holds the data: a string is an intset, a Dict the hashtable.
 */
import type { Bytes } from '@swarmkv/resp';
import { Dict } from '../../keyspace/dict.js';
import type { EncodingName, RObject } from '../../keyspace/value.js';
import { int64ToBytes, parseCanonicalInt } from './int-member.js';
import {
  EMPTY_INTSET,
  intsetAdd,
  intsetFind,
  intsetGet,
  intsetLen,
  intsetRemove,
  intsetRemoveAt,
  type Intset,
} from './intset.js';

export type SetTable = Dict<undefined>;

/** Redis caps set-max-intset-entries at 1G entries (intset internals). */
const INTSET_HARD_MAX = 1 << 30;

function newTable(size = 0): SetTable {
  const d = new Dict<undefined>({ values: false });
  if (size > 0) d.expand(size);
  return d;
}

export class RSet implements RObject {
  constructor(public d: Intset | SetTable) {}

  get type(): 'set' {
    return 'set';
  }

  encoding(): EncodingName {
    return typeof this.d === 'string' ? 'intset' : 'hashtable';
  }

  clone(): RSet {
    const d = this.d;
    if (typeof d === 'string') return new RSet(d);
    const t = newTable(d.size);
    d.forEach((k) => t.add(k, undefined));
    return new RSet(t);
  }

  /** An empty intset-encoded set (createIntsetObject). */
  static intset(): RSet {
    return new RSet(EMPTY_INTSET);
  }

  /** An empty hashtable-encoded set (createSetObject). */
  static hashtable(): RSet {
    return new RSet(newTable());
  }

  /** A set that can hold `first` (setTypeCreate): intset when it is an integer. */
  static forFirstMember(first: Bytes): RSet {
    return parseCanonicalInt(first) !== undefined ? RSet.intset() : RSet.hashtable();
  }

  size(): number {
    return typeof this.d === 'string' ? intsetLen(this.d) : this.d.size;
  }

  has(m: Bytes): boolean {
    const d = this.d;
    if (typeof d !== 'string') return d.has(m);
    const v = parseCanonicalInt(m);
    return v !== undefined && intsetFind(d, v);
  }

  /** Converts an intset to a hashtable (presized), as setTypeConvert. */
  toHashtable(): void {
    const d = this.d;
    if (typeof d !== 'string') return;
    const n = intsetLen(d);
    const t = newTable(n);
    for (let i = 0; i < n; i++) t.add(int64ToBytes(intsetGet(d, i)), undefined);
    this.d = t;
  }

  /** setTypeAdd: true when the member was new. */
  add(m: Bytes, maxIntsetEntries: number): boolean {
    const d = this.d;
    if (typeof d !== 'string') return d.add(m, undefined);
    const v = parseCanonicalInt(m);
    if (v === undefined) {
      this.toHashtable();
      (this.d as SetTable).add(m, undefined);
      return true;
    }
    const next = intsetAdd(d, v);
    if (next === d) return false;
    this.d = next;
    if (intsetLen(next) > Math.min(maxIntsetEntries, INTSET_HARD_MAX)) this.toHashtable();
    return true;
  }

  /** setTypeRemove: true when the member was there. */
  remove(m: Bytes): boolean {
    const d = this.d;
    if (typeof d !== 'string') return d.delete(m);
    const v = parseCanonicalInt(m);
    if (v === undefined) return false;
    const next = intsetRemove(d, v);
    if (next === d) return false;
    this.d = next;
    return true;
  }

  /** A uniformly random member of a non-empty set (setTypeRandomElement). */
  random(): Bytes {
    const d = this.d;
    if (typeof d === 'string') return int64ToBytes(intsetGet(d, Math.floor(Math.random() * intsetLen(d))));
    return d.keyAt(d.randomIndex());
  }

  /** Removes and returns a random member of a non-empty set (SPOP). */
  pop(): Bytes {
    const d = this.d;
    if (typeof d === 'string') {
      const i = Math.floor(Math.random() * intsetLen(d));
      const m = int64ToBytes(intsetGet(d, i));
      this.d = intsetRemoveAt(d, i);
      return m;
    }
    const m = d.keyAt(d.randomIndex());
    d.delete(m);
    return m;
  }

  /**
   * Every member in the set's own order (intset: ascending; hashtable: the dict's row order).
   * The callback must not change the set.
   */
  forEach(fn: (m: Bytes) => void): void {
    const d = this.d;
    if (typeof d === 'string') {
      const n = intsetLen(d);
      for (let i = 0; i < n; i++) fn(int64ToBytes(intsetGet(d, i)));
      return;
    }
    d.forEach(fn as (k: Bytes) => void);
  }

  members(): Bytes[] {
    const out: Bytes[] = [];
    this.forEach((m) => out.push(m));
    return out;
  }

  /**
   * One SSCAN step: [next cursor, members]. An intset answers everything at once with cursor 0;
   * a hashtable walks its dict with the reverse-binary cursor until `count` members are collected
   * or count*10 buckets were visited (Redis scanGenericCommand).
   */
  scan(cursor: number, count: number): [number, Bytes[]] {
    const d = this.d;
    if (typeof d === 'string') return [0, this.members()];
    const out: Bytes[] = [];
    let iterations = count * 10;
    do {
      cursor = d.scan(cursor, (k) => {
        out.push(k);
      });
    } while (cursor !== 0 && iterations-- > 0 && out.length < count);
    return [cursor, out];
  }

  /** Shrinks the hashtable when sparse (htNeedsResize + dictResize after SREM / SPOP). */
  resizeIfNeeded(): void {
    if (typeof this.d !== 'string') this.d.resizeIfNeeded();
  }
}
