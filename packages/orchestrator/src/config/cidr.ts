/**
 * IPv4 CIDR arithmetic for the overlay subnet check. The overlay's subnet must not overlap any
 * network the host or the engine already routes: containers would then shadow real addresses
 * (the engine accepts such a network silently and the failures show up later as hangs).
 * Addresses are unsigned 32-bit numbers; a range is [first, last] inclusive.
 */

export interface Cidr {
  readonly text: string;
  readonly first: number;
  readonly last: number;
  readonly prefix: number;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

export function parseIpv4(text: string): number | undefined {
  const m = IPV4.exec(text.trim());
  if (!m) return undefined;
  let n = 0;
  for (let i = 1; i <= 4; i++) {
    const octet = Number(m[i]);
    if (octet > 255) return undefined;
    n = n * 256 + octet;
  }
  return n;
}

export function isIpv4(text: string): boolean {
  return parseIpv4(text) !== undefined;
}

export function formatIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** Parses "a.b.c.d/p". Host bits may be set (an interface address); the range is the network's. */
export function parseCidr(text: string): Cidr | undefined {
  const [addr, len, extra] = text.trim().split('/');
  if (addr === undefined || len === undefined || extra !== undefined || !/^\d{1,2}$/.test(len)) return undefined;
  const ip = parseIpv4(addr);
  const prefix = Number(len);
  if (ip === undefined || prefix > 32) return undefined;
  const size = 2 ** (32 - prefix);
  const first = Math.floor(ip / size) * size;
  return { text: text.trim(), first, last: first + size - 1, prefix };
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.first <= b.last && b.first <= a.last;
}

/** True when the text is a network address with no host bits set ("10.0.0.0/24", not "10.0.0.1/24"). */
export function isNetworkAddress(text: string): boolean {
  const c = parseCidr(text);
  return c !== undefined && parseIpv4(text.split('/')[0]!) === c.first;
}
