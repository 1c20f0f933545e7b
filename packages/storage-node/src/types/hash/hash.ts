/**
 * The hash value (RObject of type 'hash'), and the only place that switches on a hash's encoding.
 *
 * A hash starts as a `listpack` (hash-listpack.ts) and becomes a `hashtable` (hash-hashtable.ts)
 * at once, for good, when it gets more than hash-max-listpack-entries fields, or a field or
 * value longer than hash-max-listpack-value bytes, exactly when Redis 7.0 converts: HSET/HSETNX/
 * HMSET check every argument's length before writing (hashTypeTryConversion), hashTypeSet checks
 * the field and value it writes (which is what converts on HINCRBY*), and the entry count is
 * checked after each insert. A hashtable never goes back to a listpack.
 *
 * Memory: one small object with a single field `s`, holding either the listpack string or the
 * Dict. A million 5-field hashes then cost one object + one flat string each (see the figures
 * in listpack.ts and the report of scripts/mem/hash-rss.mjs).
 */
import type { Bytes } from '@swarmkv/resp';
import type { EncodingName, RObject } from '../../keyspace/value.js';
import { lpGetBytes, lpNext, type Listpack } from '../listpack/listpack.js';
import {
  HASH_LP_EMPTY,
  hlpDelete,
  hlpFieldOffsets,
  hlpFindField,
  hlpGet,
  hlpLength,
  hlpPairs,
  hlpSet,
  hlpStrlen,
} from './hash-listpack.js';
import { type HashTable, htClone, htFromListpack, htPairs } from './hash-hashtable.js';

/** Scratch out-parameter for hlpSet (one per process: handlers do not nest). */
const SET_OUT = { inserted: false };

export class Hash implements RObject {
  /** The listpack (a string) or the hashtable (a Dict). */
  s: Listpack | HashTable;

  constructor(s: Listpack | HashTable = HASH_LP_EMPTY) {
    this.s = s;
  }

  // On the prototype, not per object.
  get type(): 'hash' {
    return 'hash';
  }

  encoding(): EncodingName {
    return typeof this.s === 'string' ? 'listpack' : 'hashtable';
  }

  clone(): Hash {
    return new Hash(typeof this.s === 'string' ? this.s : htClone(this.s));
  }

  get length(): number {
    return typeof this.s === 'string' ? hlpLength(this.s) : this.s.size;
  }

  get(field: Bytes): Bytes | undefined {
    return typeof this.s === 'string' ? hlpGet(this.s, field) : this.s.get(field);
  }

  exists(field: Bytes): boolean {
    return typeof this.s === 'string' ? hlpFindField(this.s, field) >= 0 : this.s.has(field);
  }

  /** HSTRLEN: 0 when missing. */
  strlen(field: Bytes): number {
    if (typeof this.s === 'string') return hlpStrlen(this.s, field);
    const v = this.s.get(field);
    return v === undefined ? 0 : v.length;
  }

  /** Convert to a hashtable (no-op when it is one). */
  convert(): void {
    if (typeof this.s === 'string') this.s = htFromListpack(this.s);
  }

  /**
   * hashTypeTryConversion: before writing argv[from..to], convert if any of them is longer than
   * maxValue bytes.
   */
  tryConversion(argv: readonly Bytes[], from: number, to: number, maxValue: number): void {
    if (typeof this.s !== 'string') return;
    for (let i = from; i <= to; i++) {
      if (argv[i]!.length > maxValue) {
        this.convert();
        return;
      }
    }
  }

  /** hashTypeSet: true when the field is new. May convert (see the header). */
  set(field: Bytes, value: Bytes, maxEntries: number, maxValue: number): boolean {
    if (typeof this.s === 'string') {
      if (field.length > maxValue || value.length > maxValue) {
        this.convert();
      } else {
        this.s = hlpSet(this.s, field, value, SET_OUT);
        if (SET_OUT.inserted && hlpLength(this.s) > maxEntries) this.convert();
        return SET_OUT.inserted;
      }
    }
    return (this.s as HashTable).set(field, value);
  }

  /** True when the field existed. */
  delete(field: Bytes): boolean {
    if (typeof this.s !== 'string') return this.s.delete(field);
    const lp = hlpDelete(this.s, field);
    if (lp === this.s) return false;
    this.s = lp;
    return true;
  }

  /** [f1, v1, f2, v2 ...]: listpack order, or the dict's iteration order. */
  pairs(): Bytes[] {
    return typeof this.s === 'string' ? hlpPairs(this.s) : htPairs(this.s);
  }

  /** One random [field, value]; the hash must not be empty. */
  randomPair(): [Bytes, Bytes] {
    if (typeof this.s === 'string') {
      const offs = hlpFieldOffsets(this.s);
      const p = offs[Math.floor(Math.random() * offs.length)]!;
      return [lpGetBytes(this.s, p), lpGetBytes(this.s, lpNext(this.s, p))];
    }
    const row = this.s.randomIndex();
    return [this.s.keyAt(row), this.s.valueAt(row)];
  }

  /** `count` random pairs, repetitions allowed (HRANDFIELD with a negative count): flat [f, v, ...]. */
  randomPairsWithRepeats(count: number): Bytes[] {
    const out: Bytes[] = [];
    if (typeof this.s === 'string') {
      const lp = this.s;
      const offs = hlpFieldOffsets(lp);
      const fields = offs.map((p) => lpGetBytes(lp, p));
      const values = offs.map((p) => lpGetBytes(lp, lpNext(lp, p)));
      for (let i = 0; i < count; i++) {
        const r = Math.floor(Math.random() * offs.length);
        out.push(fields[r]!, values[r]!);
      }
      return out;
    }
    const d = this.s;
    for (let i = 0; i < count; i++) {
      const row = d.randomIndex();
      out.push(d.keyAt(row), d.valueAt(row));
    }
    return out;
  }

  /**
   * `count` distinct random pairs, count < length: flat [f, v, ...]. A listpack keeps its order
   * (selection sampling, as Redis's lpRandomPairsUnique); a hashtable gives them in random order.
   */
  randomPairsUnique(count: number): Bytes[] {
    const out: Bytes[] = [];
    if (typeof this.s === 'string') {
      const lp = this.s;
      const offs = hlpFieldOffsets(lp);
      let needed = count;
      for (let i = 0; i < offs.length && needed > 0; i++) {
        if (Math.random() * (offs.length - i) < needed) {
          out.push(lpGetBytes(lp, offs[i]!), lpGetBytes(lp, lpNext(lp, offs[i]!)));
          needed--;
        }
      }
      return out;
    }
    // Partial Fisher-Yates over the dict's dense rows.
    const d = this.s;
    const rows = Array.from({ length: d.size }, (_, i) => i);
    for (let i = 0; i < count; i++) {
      const j = i + Math.floor(Math.random() * (rows.length - i));
      const t = rows[i]!;
      rows[i] = rows[j]!;
      rows[j] = t;
      out.push(d.keyAt(rows[i]!), d.valueAt(rows[i]!));
    }
    return out;
  }

  /**
   * One HSCAN step: a listpack answers everything with cursor 0; a hashtable walks dict buckets
   * until about `count` pairs were found or count*10 buckets were visited (scanGenericCommand).
   * Returns [next cursor, flat pairs].
   */
  scan(cursor: number, count: number): [number, Bytes[]] {
    if (typeof this.s === 'string') return [0, hlpPairs(this.s)];
    const out: Bytes[] = [];
    const visit = (k: Bytes, v: Bytes) => {
      out.push(k, v);
    };
    let maxIterations = count * 10;
    do {
      cursor = this.s.scan(cursor, visit);
    } while (cursor !== 0 && maxIterations-- > 0 && out.length < count * 2);
    return [cursor, out];
  }
}

/** A new empty hash (listpack). */
export function newHash(): Hash {
  return new Hash();
}
