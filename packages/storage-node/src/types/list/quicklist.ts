/**
 * Quicklist: a doubly linked list of listpack nodes, Redis 7.0's only list encoding.
 *
 * Each node is a mutable listpack (listpack/listpack-buffer.ts: Redis's bytes in a Buffer with
 * spare room, changed in place, so pushes and pops at the ends cost what they cost in Redis).
 * Node size follows `list-max-listpack-size` (the list's `fill`, fixed when the list is
 * created, as Redis): negative = byte limit per node (-1 4 KB, -2 8 KB, -3 16 KB, -4 32 KB,
 * -5 64 KB), positive = entries per node with a hard 8 KB safety limit. An insert is allowed
 * when node bytes + element bytes + 8 (Redis's SIZE_ESTIMATE_OVERHEAD) stay within the limit.
 * Inserting into a full node goes to a neighbour with room, a new node, or splits the node, as
 * Redis's _quicklistInsert. Empty nodes are unlinked at once.
 *
 * `list-compress-depth` is accepted and remembered but compression is a no-op: nodes are never
 * LZF-compressed (it only trades CPU for memory on long lists and is invisible to clients).
 * Elements larger than Redis's 1 GB "plain node" threshold cannot arrive (proto-max-bulk-len
 * caps them at 512 MB by default), so plain nodes are not implemented either.
 */
import type { Bytes } from '@swarmkv/resp';
import type { LpProbe, LpValue } from '../listpack/listpack.js';
import { LpBuffer } from '../listpack/listpack-buffer.js';

/** Byte limits for fill -1 .. -5 (Redis optimization_level). */
const OPTIMIZATION_LEVEL = [4096, 8192, 16384, 32768, 65536] as const;
/** Hard byte limit of a node when fill counts entries (Redis SIZE_SAFETY_LIMIT). */
const SIZE_SAFETY_LIMIT = 8192;
/** Redis's estimate of the per-entry listpack overhead when checking room. */
const SIZE_ESTIMATE_OVERHEAD = 8;
/** Redis clamps fill to -5 .. 2^15-1. */
const FILL_MAX = (1 << 15) - 1;

/** LRANGE replies are encoded here, then copied out as one string; kept while at most 1 MB. */
let respScratch = Buffer.allocUnsafe(64 * 1024);
const RESP_SCRATCH_MAX = 1024 * 1024;

/** A node is its listpack plus the links. */
export class QuicklistNode extends LpBuffer {
  prevNode: QuicklistNode | null = null;
  nextNode: QuicklistNode | null = null;
}

/** Byte length of an element as the room check counts it. */
function elementSize(v: LpValue): number {
  return typeof v === 'number' ? 8 : v.length;
}

/** A position in the quicklist: the node, the entry's offset in it, its list index. */
export interface QlPos {
  node: QuicklistNode;
  p: number;
  index: number;
}

export class Quicklist {
  head: QuicklistNode | null = null;
  tail: QuicklistNode | null = null;
  /** Elements in all nodes. */
  count = 0;
  /** Number of nodes. */
  nodes = 0;
  readonly fill: number;
  readonly compress: number;

  constructor(fill = -2, compress = 0) {
    this.fill = fill > FILL_MAX ? FILL_MAX : fill < -5 ? -5 : fill;
    this.compress = compress;
  }

  // -------------------------------------------------------------------------------------------
  // Node bookkeeping

  private byteLimit(): number {
    return this.fill < 0 ? OPTIMIZATION_LEVEL[-this.fill - 1]! : SIZE_SAFETY_LIMIT;
  }

  private allowInsert(node: QuicklistNode | null, sz: number): boolean {
    if (node === null) return false;
    if (node.sz + sz + SIZE_ESTIMATE_OVERHEAD > this.byteLimit()) return false;
    return this.fill < 0 || node.count + 1 <= this.fill;
  }

  private allowMerge(a: QuicklistNode, b: QuicklistNode): boolean {
    // Redis: merged size minus one header/terminator (11 bytes) against the same limits.
    if (a.sz + b.sz - 11 > this.byteLimit()) return false;
    return this.fill < 0 || a.count + b.count <= this.fill;
  }

  private newNode(v: LpValue): QuicklistNode {
    const n = new QuicklistNode();
    n.pushTail(v);
    return n;
  }

  private linkAfter(at: QuicklistNode | null, node: QuicklistNode): void {
    if (at === null) {
      node.nextNode = this.head;
      if (this.head !== null) this.head.prevNode = node;
      this.head = node;
      if (this.tail === null) this.tail = node;
    } else {
      node.prevNode = at;
      node.nextNode = at.nextNode;
      if (at.nextNode !== null) at.nextNode.prevNode = node;
      else this.tail = node;
      at.nextNode = node;
    }
    this.nodes++;
  }

  private unlink(node: QuicklistNode): void {
    if (node.prevNode !== null) node.prevNode.nextNode = node.nextNode;
    else this.head = node.nextNode;
    if (node.nextNode !== null) node.nextNode.prevNode = node.prevNode;
    else this.tail = node.prevNode;
    node.prevNode = node.nextNode = null;
    this.nodes--;
  }

  // -------------------------------------------------------------------------------------------
  // Push / pop

  pushHead(v: LpValue): void {
    const h = this.head;
    if (this.allowInsert(h, elementSize(v))) h!.pushHead(v);
    else this.linkAfter(null, this.newNode(v));
    this.count++;
  }

  pushTail(v: LpValue): void {
    const t = this.tail;
    if (this.allowInsert(t, elementSize(v))) t!.pushTail(v);
    else this.linkAfter(this.tail, this.newNode(v));
    this.count++;
  }

  /** Remove and return the first element, undefined when empty. */
  popHead(): LpValue | undefined {
    const h = this.head;
    if (h === null) return undefined;
    const p = h.first();
    const v = h.get(p);
    this.deleteInNode(h, p, 1);
    return v;
  }

  popTail(): LpValue | undefined {
    const t = this.tail;
    if (t === null) return undefined;
    const p = t.last();
    const v = t.get(p);
    this.deleteInNode(t, p, 1);
    return v;
  }

  /** Delete `n` entries of node starting at offset p (all within the node). */
  private deleteInNode(node: QuicklistNode, p: number, n: number): void {
    if (n >= node.count) {
      this.count -= node.count;
      this.unlink(node);
      return;
    }
    this.count -= node.deleteAt(p, n);
  }

  // -------------------------------------------------------------------------------------------
  // Positions

  /** The position of element `index` (negative from the tail), undefined when out of range. */
  seek(index: number): QlPos | undefined {
    if (index < 0) index += this.count;
    if (index < 0 || index >= this.count) return undefined;
    if (index < this.count >> 1) {
      let acc = 0;
      for (let n = this.head; n !== null; n = n.nextNode) {
        if (index < acc + n.count) return { node: n, p: n.seek(index - acc), index };
        acc += n.count;
      }
    } else {
      let acc = this.count;
      for (let n = this.tail; n !== null; n = n.prevNode) {
        acc -= n.count;
        if (index >= acc) return { node: n, p: n.seek(index - acc), index };
      }
    }
    return undefined;
  }

  /** Move a position one element towards the tail; false at the end. */
  next(pos: QlPos): boolean {
    const q = pos.node.next(pos.p);
    if (q >= 0) {
      pos.p = q;
    } else {
      const n = pos.node.nextNode;
      if (n === null) return false;
      pos.node = n;
      pos.p = n.first();
    }
    pos.index++;
    return true;
  }

  /** Move a position one element towards the head; false at the start. */
  prev(pos: QlPos): boolean {
    const q = pos.node.prev(pos.p);
    if (q >= 0) {
      pos.p = q;
    } else {
      const n = pos.node.prevNode;
      if (n === null) return false;
      pos.node = n;
      pos.p = n.last();
    }
    pos.index--;
    return true;
  }

  get(index: number): LpValue | undefined {
    const pos = this.seek(index);
    return pos === undefined ? undefined : pos.node.get(pos.p);
  }

  valueAt(pos: QlPos): LpValue {
    return pos.node.get(pos.p);
  }

  equalsAt(pos: QlPos, probe: LpProbe): boolean {
    return pos.node.equals(pos.p, probe);
  }

  /** Replace element `index`; false when out of range. */
  replace(index: number, v: LpValue): boolean {
    const pos = this.seek(index);
    if (pos === undefined) return false;
    const node = pos.node;
    if (node.count > 1 && node.sz + elementSize(v) + SIZE_ESTIMATE_OVERHEAD > this.byteLimit()) {
      // The node would outgrow its byte limit: delete and insert as a separate element (Redis
      // 7.2 does the same; 7.0 replaces in place, which only differs in memory layout).
      const at = pos.index;
      this.deleteInNode(node, pos.p, 1);
      if (at === this.count) this.pushTail(v);
      else this.insertAt(this.seek(at)!, v, false);
      return true;
    }
    node.replace(pos.p, v);
    return true;
  }

  // -------------------------------------------------------------------------------------------
  // Insert in the middle (LINSERT)

  /** Insert v before (after = false) or after (after = true) the element at pos. */
  insertAt(pos: QlPos, v: LpValue, after: boolean): void {
    const node = pos.node;
    const sz = elementSize(v);
    const nextP = node.next(pos.p);
    const atTail = after && nextP < 0;
    const atHead = !after && pos.p === node.first();
    this.count++;
    if (this.allowInsert(node, sz)) {
      node.insert(after ? (nextP < 0 ? node.end() : nextP) : pos.p, v);
      return;
    }
    const next = node.nextNode;
    const prev = node.prevNode;
    if (atTail && this.allowInsert(next, sz)) {
      next!.pushHead(v);
      return;
    }
    if (atHead && this.allowInsert(prev, sz)) {
      prev!.pushTail(v);
      return;
    }
    if (atTail) {
      this.linkAfter(node, this.newNode(v));
      return;
    }
    if (atHead) {
      this.linkAfter(prev, this.newNode(v));
      return;
    }
    // Full node, insert in its middle: split it, then the new element joins one half.
    const splitAt = after ? nextP : pos.p;
    let rightCount = 0;
    for (let q = splitAt; q >= 0; q = node.next(q)) rightCount++;
    const right = new QuicklistNode();
    node.moveTailTo(splitAt, rightCount, right);
    this.linkAfter(node, right);
    if (this.allowInsert(node, sz)) node.pushTail(v);
    else if (this.allowInsert(right, sz)) right.pushHead(v);
    else this.linkAfter(node, this.newNode(v));
    this.mergeAround(right);
  }

  /** After a split, merge small neighbours back where they fit (Redis _quicklistMergeNodes). */
  private mergeAround(node: QuicklistNode): void {
    const next = node.nextNode;
    if (next !== null && this.allowMerge(node, next)) {
      node.appendAll(next);
      this.unlink(next);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Range deletes (LTRIM, LREM, multi-pops)

  /** Delete `n` elements from index `start` (>= 0), clamped to the list. Returns how many. */
  deleteRange(start: number, n: number): number {
    if (start < 0) start += this.count;
    if (start < 0 || start >= this.count || n <= 0) return 0;
    if (n > this.count - start) n = this.count - start;
    let left = n;
    let acc = 0;
    let node = this.head;
    while (node !== null && acc + node.count <= start) {
      acc += node.count;
      node = node.nextNode;
    }
    let offset = start - acc;
    while (node !== null && left > 0) {
      const next = node.nextNode;
      const take = Math.min(left, node.count - offset);
      if (take === node.count) {
        this.count -= node.count;
        this.unlink(node);
      } else {
        this.count -= node.deleteAt(node.seek(offset), take);
      }
      left -= take;
      offset = 0;
      node = next;
    }
    return n;
  }

  /**
   * Delete up to `limit` elements equal to probe (0 = all), scanning from the head (fromTail
   * false) or the tail. One compaction per touched node. Returns how many were removed.
   */
  removeMatching(probe: LpProbe, limit: number, fromTail: boolean): number {
    let removed = 0;
    let node = fromTail ? this.tail : this.head;
    const offs: number[] = [];
    while (node !== null && (limit === 0 || removed < limit)) {
      const following = fromTail ? node.prevNode : node.nextNode;
      offs.length = 0;
      for (let p = fromTail ? node.last() : node.first(); p >= 0; p = fromTail ? node.prev(p) : node.next(p)) {
        if (node.equals(p, probe)) {
          offs.push(p);
          if (limit !== 0 && removed + offs.length >= limit) break;
        }
      }
      if (offs.length > 0) {
        removed += offs.length;
        if (offs.length === node.count) {
          this.count -= node.count;
          this.unlink(node);
        } else {
          if (fromTail) offs.reverse();
          node.deleteMany(offs);
          this.count -= offs.length;
        }
      }
      node = following;
    }
    return removed;
  }

  // -------------------------------------------------------------------------------------------
  // Whole-list helpers

  /** Elements [start, end] (inclusive, already clamped by the caller), as Bytes. */
  range(start: number, end: number): Bytes[] {
    const out: Bytes[] = [];
    if (start > end) return out;
    const pos = this.seek(start);
    if (pos === undefined) return out;
    let node: QuicklistNode | null = pos.node;
    let p = pos.p;
    let left = end - start + 1;
    while (node !== null && left > 0) {
      for (; p >= 0 && left > 0; p = node.next(p), left--) out.push(node.getBytes(p));
      node = node.nextNode;
      if (node !== null) p = node.first();
    }
    return out;
  }

  /**
   * Elements [start, end] (inclusive, clamped by the caller) already encoded as a RESP array of
   * bulk strings (the same bytes in RESP2 and RESP3): LRANGE's reply without a Reply object per
   * element.
   */
  rangeResp(start: number, end: number): string {
    if (start > end) return '*0\r\n';
    const pos = this.seek(start);
    if (pos === undefined) return '*0\r\n';
    const header = '*' + (end - start + 1) + '\r\n';
    let out = respScratch;
    let at = out.latin1Write(header, 0);
    let node: QuicklistNode | null = pos.node;
    let p = pos.p;
    let left = end - start + 1;
    while (node !== null && left > 0) {
      // Room for every entry of this node: its bytes plus a bulk header and CRLF each.
      const room = at + node.sz + node.count * 32;
      if (room > out.length) {
        const bigger = Buffer.allocUnsafe(Math.max(room, out.length * 2));
        out.copy(bigger, 0, 0, at);
        out = bigger;
      }
      for (; p >= 0 && left > 0; p = node.next(p), left--) at = node.writeBulk(p, out, at);
      node = node.nextNode;
      if (node !== null) p = node.first();
    }
    if (out.length <= RESP_SCRATCH_MAX) respScratch = out;
    return out.latin1Slice(0, at);
  }

  toArray(): LpValue[] {
    const out: LpValue[] = [];
    for (let n = this.head; n !== null; n = n.nextNode) {
      for (let p = n.first(); p >= 0; p = n.next(p)) out.push(n.get(p));
    }
    return out;
  }

  /** A deep copy (COPY). */
  clone(): Quicklist {
    const q = new Quicklist(this.fill, this.compress);
    for (let n = this.head; n !== null; n = n.nextNode) {
      const c = new QuicklistNode(n.sz);
      n.buf.copy(c.buf, 0, 0, n.sz);
      c.sz = n.sz;
      c.count = n.count;
      q.linkAfter(q.tail, c);
    }
    q.count = this.count;
    return q;
  }

  /** Internal consistency (tests). */
  check(): void {
    let total = 0;
    let nodes = 0;
    let prev: QuicklistNode | null = null;
    for (let n = this.head; n !== null; n = n.nextNode) {
      if (n.prevNode !== prev) throw new Error('quicklist: broken prev link');
      if (n.count === 0) throw new Error('quicklist: empty node');
      if (!n.validate()) throw new Error('quicklist: corrupt node listpack');
      total += n.count;
      nodes++;
      prev = n;
    }
    if (prev !== this.tail) throw new Error('quicklist: tail mismatch');
    if (total !== this.count) throw new Error(`quicklist: count ${this.count} != ${total}`);
    if (nodes !== this.nodes) throw new Error('quicklist: node count mismatch');
  }
}
