/**
 * Redis Cluster hash slots, as far as the orchestrator needs them: the slot of a key (CRC16/XMODEM
 * of the key or its {hash tag}, mod 16384), to pick probe keys that land on a given shard, and the
 * parsing of CLUSTER SLOTS replies. Kept here (a few lines) because the orchestrator talks to the
 * cluster over RESP only and does not import the server packages' code.
 */

export const SLOTS = 16384;

const TABLE = (() => {
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 8;
    for (let j = 0; j < 8; j++) c = c & 0x8000 ? ((c << 1) ^ 0x1021) & 0xffff : (c << 1) & 0xffff;
    t[i] = c;
  }
  return t;
})();

export function crc16(buf: Buffer): number {
  let crc = 0;
  for (const b of buf) crc = ((crc << 8) & 0xffff) ^ TABLE[((crc >> 8) ^ b) & 0xff]!;
  return crc;
}

export function keySlot(key: string): number {
  const s = key.indexOf('{');
  if (s >= 0) {
    const e = key.indexOf('}', s + 1);
    if (e > s + 1) key = key.slice(s + 1, e);
  }
  return crc16(Buffer.from(key)) % SLOTS;
}

/** A key whose slot lies in [start, end]. */
export function keyInRange(start: number, end: number, prefix = 'swarmkv:probe:'): string {
  for (let n = 0; ; n++) {
    const k = `${prefix}${n}`;
    const slot = keySlot(k);
    if (slot >= start && slot <= end) return k;
  }
}

export interface SlotRange {
  readonly start: number;
  readonly end: number;
  /** "host:port" of the node serving it, as the router reports it. */
  readonly node: string;
}

/** Parses a CLUSTER SLOTS reply ([[start, end, [host, port, id?], ...replicas], ...]). */
export function parseClusterSlots(reply: unknown): SlotRange[] {
  if (!Array.isArray(reply)) return [];
  const out: SlotRange[] = [];
  for (const r of reply) {
    if (!Array.isArray(r) || r.length < 3) continue;
    const [start, end, master] = r as [unknown, unknown, unknown];
    const m = Array.isArray(master) ? master : [];
    out.push({ start: Number(start), end: Number(end), node: `${String(m[0] ?? '?')}:${String(m[1] ?? '?')}` });
  }
  return out.sort((a, b) => a.start - b.start);
}

/** Number of distinct slots the ranges cover. */
export function coveredSlots(ranges: readonly SlotRange[]): number {
  const seen = new Uint8Array(SLOTS);
  let n = 0;
  for (const r of ranges) {
    for (let s = Math.max(0, r.start); s <= Math.min(SLOTS - 1, r.end); s++) {
      if (!seen[s]) {
        seen[s] = 1;
        n++;
      }
    }
  }
  return n;
}

/**
 * The split of slots over n shards that `redis-cli --cluster create` makes (and the router copies
 * for `--nodes`): float steps of 16384/n, each end rounded, the last shard taking the rest.
 */
export function evenRanges(n: number): { start: number; end: number }[] {
  const per = SLOTS / n;
  const out: { start: number; end: number }[] = [];
  let first = 0;
  let cursor = 0;
  for (let i = 0; i < n; i++) {
    let last = Math.round(cursor + per - 1);
    if (last > SLOTS - 1 || i === n - 1) last = SLOTS - 1;
    if (last < first) last = first;
    out.push({ start: first, end: last });
    first = last + 1;
    cursor += per;
  }
  return out;
}
