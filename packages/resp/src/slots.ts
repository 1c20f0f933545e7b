/**
 * Redis Cluster key slots: CRC16 (XMODEM: poly 0x1021, init 0, no reflection) mod 16384.
 *
 * If the key contains `{` followed later by `}` with at least one byte between them, only the
 * bytes between the first `{` and the first `}` after it are hashed ("hash tags"), so related
 * keys can be forced into one slot: "foo{hash_tag}" and "{hash_tag}bar" share a slot, while
 * "foo{}{bar}" has an empty first tag and hashes as a whole. Table-driven: one lookup per byte.
 */
import type { Bytes } from './bytes.js';

export const CLUSTER_SLOTS = 16384;

const CRC16_TABLE: Uint16Array = (() => {
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let crc = i << 8;
    for (let b = 0; b < 8; b++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    t[i] = crc;
  }
  return t;
})();

/** CRC16-XMODEM of s[start, end) (each char is one byte). */
export function crc16(s: Bytes, start = 0, end = s.length): number {
  let crc = 0;
  for (let i = start; i < end; i++) {
    crc = ((crc << 8) & 0xffff) ^ CRC16_TABLE[((crc >>> 8) ^ s.charCodeAt(i)) & 0xff]!;
  }
  return crc;
}

/** CRC16-XMODEM over a Buffer range (for callers that still hold raw bytes). */
export function crc16Buffer(b: Uint8Array, start = 0, end = b.length): number {
  let crc = 0;
  for (let i = start; i < end; i++) crc = ((crc << 8) & 0xffff) ^ CRC16_TABLE[((crc >>> 8) ^ b[i]!) & 0xff]!;
  return crc;
}

/** The cluster slot (0..16383) a key belongs to, honouring hash tags. */
export function keyHashSlot(key: Bytes): number {
  const open = key.indexOf('{');
  if (open >= 0) {
    const close = key.indexOf('}', open + 1);
    if (close > open + 1) return crc16(key, open + 1, close) & 0x3fff;
  }
  return crc16(key) & 0x3fff;
}

/** keyHashSlot of the key held in buf[start, end) (for callers working on raw request bytes). */
export function keyHashSlotOfBytes(buf: Uint8Array, start: number, end: number): number {
  for (let open = start; open < end; open++) {
    if (buf[open] !== 123 /* '{' */) continue;
    for (let close = open + 1; close < end; close++) {
      if (buf[close] !== 125 /* '}' */) continue;
      if (close > open + 1) return crc16Buffer(buf, open + 1, close) & 0x3fff;
      break;
    }
    break;
  }
  return crc16Buffer(buf, start, end) & 0x3fff;
}
