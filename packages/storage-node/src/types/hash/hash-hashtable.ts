/**
 * The `hashtable` encoding of a hash: the keyspace's incrementally rehashed Dict
 * (keyspace/dict.ts) with Bytes fields as keys and Bytes values, used once a hash outgrows
 * hash-max-listpack-entries / hash-max-listpack-value. Only the conversion and the reads that
 * need more than one dict call live here; hash.ts calls the dict directly for the rest.
 */
import type { Bytes } from '@swarmkv/resp';
import { Dict } from '../../keyspace/dict.js';
import { type Listpack, lpFirst, lpGetBytes, lpNext } from '../listpack/listpack.js';

export type HashTable = Dict<Bytes>;

/** A hashtable holding the pairs of a listpack hash (hashTypeConvertListpack). */
export function htFromListpack(lp: Listpack): HashTable {
  const d = new Dict<Bytes>();
  for (let p = lpFirst(lp); p >= 0; p = lpNext(lp, lpNext(lp, p))) {
    d.set(lpGetBytes(lp, p), lpGetBytes(lp, lpNext(lp, p)));
  }
  return d;
}

/** Every field and value, in dict order: [f1, v1, f2, v2, ...]. */
export function htPairs(d: HashTable): Bytes[] {
  const out: Bytes[] = [];
  d.forEach((k, v) => {
    out.push(k, v);
  });
  return out;
}

export function htClone(d: HashTable): HashTable {
  const c = new Dict<Bytes>();
  c.expand(d.size);
  d.forEach((k, v) => {
    c.set(k, v);
  });
  return c;
}
