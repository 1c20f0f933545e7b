/**
 * SORT and SORT_RO (Redis 7.0.15 sort.c semantics) over lists, sets and sorted sets.
 *
 * Options: ASC|DESC, ALPHA, LIMIT offset count, BY pattern (a pattern without '*' means "do not
 * sort": nosort), GET pattern|# (repeatable), STORE dst (SORT only). Patterns replace the first
 * '*' with the element; "key->field" reads a hash field. Missing BY values sort as 0 (numeric) or
 * first (ALPHA); missing GET values are nil (an empty string when storing).
 *
 * Kept from Redis because they are observable: sorting a listpack sorted set converts it to a
 * skiplist for good; a set sorted with BY nosort into STORE is sorted ALPHA anyway; with nosort a
 * list or sorted set keeps its own order (reversed by DESC) and a set its iteration order;
 * numeric ties are broken by the element bytes; the sort is stable (glibc's merge sort), which is
 * what fixes the order of equal ALPHA BY values.
 */
import type { Bytes, Reply } from '@swarmkv/resp';
import { Err, R } from '@swarmkv/resp';
import type { Ctx, HandlerTable } from './context.js';
import { argLong, isKw } from './args.js';
import { RSet } from '../types/set/set.js';
import { RZset } from '../types/zset/zset.js';
import { List } from '../types/list/list.js';
import { Hash } from '../types/hash/hash.js';
import { isStringValue, stringBytes } from '../types/string/string-value.js';

/** Redis lookupKeyByPattern: the value a BY/GET pattern points at for one element, or undefined. */
function lookupByPattern(ctx: Ctx, pattern: Bytes, subst: Bytes): Bytes | undefined {
  if (pattern === '#') return subst;
  const star = pattern.indexOf('*');
  if (star < 0) return undefined;
  // "->" after the '*' with something behind it selects a hash field.
  const arrow = pattern.indexOf('->', star + 1);
  const hasField = arrow >= 0 && arrow + 2 < pattern.length;
  const keyEnd = hasField ? arrow : pattern.length;
  const key = pattern.slice(0, star) + subst + pattern.slice(star + 1, keyEnd);
  const v = ctx.db.lookupRead(key);
  if (v === undefined) return undefined;
  if (hasField) {
    if (!(v instanceof Hash)) return undefined;
    return v.get(pattern.slice(arrow + 2));
  }
  return isStringValue(v) ? stringBytes(v) : undefined;
}

/** Smallest positive normal double: strtod reports ERANGE below it. */
const DBL_MIN = 2.2250738585072014e-308;
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/;
const HEXF = /^[+-]?0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][+-]?\d+)?/;
const INFNAN = /^[+-]?(?:infinity|inf|nan(?:\([0-9a-zA-Z_]*\))?)/i;

/**
 * SORT's score of a value: C strtod on a NUL-terminated string (leading white space skipped,
 * must be consumed to the end or the first NUL), ERANGE (overflow, underflow) and NaN refused.
 */
function sortScore(b: Bytes): number | undefined {
  const nul = b.indexOf('\0');
  const s = nul < 0 ? b : b.slice(0, nul);
  let i = 0;
  while (i < s.length && (s.charCodeAt(i) === 32 || (s.charCodeAt(i) >= 9 && s.charCodeAt(i) <= 13))) i++;
  const body = s.slice(i);
  if (body.length === 0) return i === 0 ? 0 : undefined; // nothing parsed: end pointer stays at the start
  let m = HEXF.exec(body);
  let v: number;
  if (m !== null) {
    v = hexValue(m[0]);
  } else if ((m = INFNAN.exec(body)) !== null) {
    const t = m[0].toLowerCase().replace(/^[+-]/, '');
    if (t.startsWith('nan')) return undefined;
    v = m[0].charCodeAt(0) === 45 ? -Infinity : Infinity;
    if (m[0].length !== body.length) return undefined;
    return v;
  } else if ((m = DECIMAL.exec(body)) !== null) {
    v = Number(m[0]);
  } else {
    return undefined;
  }
  if (m[0].length !== body.length) return undefined;
  if (!Number.isFinite(v)) return undefined; // overflow: ERANGE
  const a = Math.abs(v);
  if (a < DBL_MIN && (a !== 0 || /[1-9]/.test(m[0].replace(/[eEpP].*$/, '').replace(/^[+-]?0[xX]/, '')))) {
    return undefined; // underflow: ERANGE
  }
  return v;
}

function hexValue(t: string): number {
  const neg = t.charCodeAt(0) === 45;
  const body = t.replace(/^[+-]?0[xX]/, '');
  const [mant, exp] = body.split(/[pP]/) as [string, string | undefined];
  const dot = mant.indexOf('.');
  const digits = dot < 0 ? mant : mant.slice(0, dot) + mant.slice(dot + 1);
  const fracLen = dot < 0 ? 0 : mant.length - dot - 1;
  let x = 0;
  for (const ch of digits) x = x * 16 + parseInt(ch, 16);
  const v = x * 2 ** (Number(exp ?? 0) - 4 * fracLen);
  return neg ? -v : v;
}

function binCmp(a: Bytes, b: Bytes): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

interface SortItem {
  readonly obj: Bytes;
  score: number;
  cmp: Bytes | undefined;
}

function sortGeneric(ctx: Ctx, argv: Bytes[], readonly: boolean): Reply {
  let desc = false;
  let alpha = false;
  let limitStart = 0;
  let limitCount = -1;
  let dontsort = false;
  let sortby: Bytes | undefined;
  let storekey: Bytes | undefined;
  const gets: Bytes[] = [];
  for (let j = 2; j < argv.length; j++) {
    const a = argv[j]!;
    const left = argv.length - j - 1;
    if (isKw(a, 'ASC')) desc = false;
    else if (isKw(a, 'DESC')) desc = true;
    else if (isKw(a, 'ALPHA')) alpha = true;
    else if (isKw(a, 'LIMIT') && left >= 2) {
      limitStart = argLong(argv[j + 1]!);
      limitCount = argLong(argv[j + 2]!);
      j += 2;
    } else if (!readonly && isKw(a, 'STORE') && left >= 1) {
      storekey = argv[++j]!;
    } else if (isKw(a, 'BY') && left >= 1) {
      sortby = argv[++j]!;
      // A constant BY pattern: nothing to sort by.
      if (!sortby.includes('*')) dontsort = true;
    } else if (isKw(a, 'GET') && left >= 1) {
      gets.push(argv[++j]!);
    } else {
      throw Err.syntax();
    }
  }

  const sortval = ctx.db.lookupRead(argv[1]!);
  if (sortval !== undefined && !(sortval instanceof List) && !(sortval instanceof RSet) && !(sortval instanceof RZset)) {
    throw Err.wrongType();
  }
  // A set has no order of its own: keep SORT ... STORE deterministic by sorting ALPHA.
  if (dontsort && sortval instanceof RSet && storekey !== undefined) {
    dontsort = false;
    alpha = true;
    sortby = undefined;
  }
  // Redis converts a listpack sorted set to a skiplist before sorting it, for good.
  if (sortval instanceof RZset) sortval.toSkiplist();

  const vectorlen =
    sortval === undefined ? 0 : sortval instanceof List ? sortval.length : sortval instanceof RSet ? sortval.size() : sortval.length();
  let start = Math.min(Math.max(limitStart, 0), vectorlen);
  limitCount = Math.min(Math.max(limitCount, -1), vectorlen);
  let end = limitCount < 0 ? vectorlen - 1 : start + limitCount - 1;
  if (start >= vectorlen) {
    start = vectorlen - 1;
    end = vectorlen - 2;
  }
  if (end >= vectorlen) end = vectorlen - 1;

  // Load the elements; a list or sorted set with nosort is read in its own order, range only.
  let elems: Bytes[];
  if ((sortval instanceof List || sortval instanceof RZset) && dontsort) {
    elems = [];
    if (end >= start) {
      const len = sortval instanceof List ? sortval.length : sortval.length();
      const n = end - start + 1;
      if (sortval instanceof List) {
        elems = desc ? sortval.range(len - start - n, len - start - 1).reverse() : sortval.range(start, start + n - 1);
      } else {
        sortval.rangeByRank(start, start + n - 1, desc, (ele) => elems.push(ele));
      }
      end -= start;
      start = 0;
    }
  } else if (sortval instanceof List) {
    elems = sortval.toArray();
  } else if (sortval instanceof RSet) {
    elems = sortval.members();
  } else if (sortval instanceof RZset) {
    elems = [];
    sortval.forEach(false, (ele) => elems.push(ele));
  } else {
    elems = [];
  }

  const items: SortItem[] = elems.map((obj) => ({ obj, score: 0, cmp: undefined }));
  let conversionError = false;
  if (!dontsort) {
    for (const it of items) {
      let byval: Bytes | undefined;
      if (sortby !== undefined) {
        byval = lookupByPattern(ctx, sortby, it.obj);
        if (byval === undefined) continue;
      } else {
        byval = it.obj;
      }
      if (alpha) {
        if (sortby !== undefined) it.cmp = byval;
      } else {
        const s = sortScore(byval);
        if (s === undefined) conversionError = true;
        else it.score = s;
      }
    }
    const bypattern = sortby !== undefined;
    const sign = desc ? -1 : 1;
    items.sort((x, y) => {
      let c: number;
      if (!alpha) {
        c = x.score > y.score ? 1 : x.score < y.score ? -1 : binCmp(x.obj, y.obj);
      } else if (bypattern) {
        if (x.cmp === undefined || y.cmp === undefined) c = x.cmp === y.cmp ? 0 : x.cmp === undefined ? -1 : 1;
        else c = binCmp(x.cmp, y.cmp);
      } else {
        c = binCmp(x.obj, y.obj);
      }
      return c * sign;
    });
  }

  const count = end - start + 1;
  const outputlen = gets.length > 0 ? gets.length * count : count;
  if (conversionError) throw Err.msg('ERR', "One or more scores can't be converted into double");

  if (storekey === undefined) {
    const out: Reply[] = [];
    for (let j = start; j <= end; j++) {
      const obj = items[j]!.obj;
      if (gets.length === 0) out.push(R.bulk(obj));
      for (const g of gets) out.push(R.bulkOrNil(lookupByPattern(ctx, g, obj)));
    }
    return out.length === 0 ? R.emptyArray : R.arr(out);
  }

  const list = new List(ctx.config.listMaxListpackSize, ctx.config.listCompressDepth);
  for (let j = start; j <= end; j++) {
    const obj = items[j]!.obj;
    if (gets.length === 0) list.pushTail(obj);
    for (const g of gets) list.pushTail(lookupByPattern(ctx, g, obj) ?? '');
  }
  if (outputlen > 0) {
    ctx.db.set(storekey, list);
    ctx.notify('l', 'sortstore', storekey);
    ctx.signalReady(storekey);
  } else if (ctx.db.delete(storekey)) {
    ctx.signalModified(storekey);
    ctx.notify('g', 'del', storekey);
  }
  return R.int(outputlen);
}

export const SORT_HANDLERS: HandlerTable = {
  SORT: (ctx, argv) => sortGeneric(ctx, argv, false),
  SORT_RO: (ctx, argv) => sortGeneric(ctx, argv, true),
};
