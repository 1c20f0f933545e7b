/**
 * The cluster file's part for the host-subnet network mode (`cluster.network.mode: host-subnet`):
 * storage nodes get addresses on the hosts' own subnet through a swarm-scoped macvlan network, so
 * machines on that subnet reach them directly. Docker's IPAM for such a network is node-local,
 * so every host needs its own, disjoint address range: either `hosts[].ipRange`, or block i of
 * `cluster.network.hostSubnet.ipRange` for the i-th host in the file (blocks of `rangePrefix`, /28 by
 * default), so appending a host never moves the ranges of the hosts before it.
 * The zod schema lives here; the checks across fields (ranges inside the subnet, disjoint, the
 * gateway outside them) are `hostSubnetIssues`, run by the cluster file schema.
 */
import { z } from 'zod';
import { formatIpv4, isIpv4, isNetworkAddress, overlaps, parseCidr, parseIpv4 } from '../config/cidr.js';

export const NETWORK_MODES = ['overlay', 'host-subnet'] as const;
export type NetworkMode = (typeof NETWORK_MODES)[number];
export const DEFAULT_PARENT = 'eth0';
export const DEFAULT_RANGE_PREFIX = 28;

const cidr = z.string().refine(isNetworkAddress, 'must be an IPv4 network like 10.0.0.64/28 (no host bits set)');

export const HostSubnetSchema = z
  .object({
    subnet: cidr.describe("the hosts' own subnet, e.g. 10.0.0.0/24"),
    gateway: z.string().refine(isIpv4, 'must be an IPv4 address').describe("the subnet's router"),
    parent: z.string().regex(/^[A-Za-z0-9_.@-]{1,15}$/, 'an interface name like eth0').default(DEFAULT_PARENT).describe('interface the macvlan hangs off, on every host'),
    ipRange: cidr.optional().describe('pool split into one block per host (in file order) for hosts without ipRange'),
    rangePrefix: z.number().int().min(16).max(30).default(DEFAULT_RANGE_PREFIX).describe('size of each host block of ipRange'),
  })
  .strict();

export type HostSubnetConfig = z.output<typeof HostSubnetSchema>;

/** Per-host fields, added to the host schema. */
export const hostSubnetHostFields = {
  ipRange: cidr.optional().describe('addresses this host gives its containers in host-subnet mode'),
  parent: z.string().regex(/^[A-Za-z0-9_.@-]{1,15}$/, 'an interface name like eth0').optional().describe('macvlan parent interface on this host'),
};

interface FileLike {
  hosts?: readonly { name: string; ipRange?: string | undefined; parent?: string | undefined }[] | undefined;
  cluster: { network: { subnet: string; mode: NetworkMode; hostSubnet?: HostSubnetConfig | undefined } };
}

export interface HostRange {
  readonly host: string;
  readonly ipRange: string;
  readonly parent: string;
}

/** Block `i` of `pool` in blocks of /prefix, or undefined when the pool has fewer blocks. */
export function rangeBlock(pool: string, prefix: number, i: number): string | undefined {
  const p = parseCidr(pool)!;
  if (prefix < p.prefix) return i === 0 ? pool : undefined;
  const size = 2 ** (32 - prefix);
  const first = p.first + i * size;
  if (first + size - 1 > p.last) return undefined;
  return `${formatIpv4(first)}/${prefix}`;
}

/** Each host's range and parent, in file order; undefined entries where none can be decided. */
export function hostRanges(f: FileLike): (HostRange | undefined)[] {
  const hs = f.cluster.network.hostSubnet;
  if (!hs) return [];
  return (f.hosts ?? []).map((h, i) => {
    const ipRange = h.ipRange ?? (hs.ipRange ? rangeBlock(hs.ipRange, hs.rangePrefix, i) : undefined);
    return ipRange ? { host: h.name, ipRange, parent: h.parent ?? hs.parent } : undefined;
  });
}

export interface Issue {
  readonly path: (string | number)[];
  readonly message: string;
}

/** What is wrong with the host-subnet settings of a parsed cluster file (nothing in overlay mode). */
export function hostSubnetIssues(f: FileLike): Issue[] {
  const net = f.cluster.network;
  const issues: Issue[] = [];
  if (net.mode !== 'host-subnet') {
    return net.hostSubnet ? [{ path: ['cluster', 'network', 'mode'], message: 'hostSubnet is set but mode is not host-subnet' }] : [];
  }
  const hs = net.hostSubnet;
  if (!hs) {
    return [{ path: ['cluster', 'network', 'hostSubnet'], message: "host-subnet mode needs hostSubnet: { subnet, gateway } (the hosts' own subnet and its router)" }];
  }
  if (!f.hosts || f.hosts.length === 0) {
    return [{ path: ['hosts'], message: 'host-subnet mode needs the hosts listed, each with its own address range (hosts[].ipRange or hostSubnet.ipRange)' }];
  }
  const subnet = parseCidr(hs.subnet)!;
  const gw = parseIpv4(hs.gateway)!;
  if (gw < subnet.first || gw > subnet.last) issues.push({ path: ['cluster', 'network', 'hostSubnet', 'gateway'], message: `${hs.gateway} is not inside ${hs.subnet}` });
  if (overlaps(subnet, parseCidr(net.subnet)!)) {
    issues.push({ path: ['cluster', 'network', 'subnet'], message: `the overlay subnet ${net.subnet} overlaps the hosts' subnet ${hs.subnet}` });
  }
  if (hs.ipRange) {
    const pool = parseCidr(hs.ipRange)!;
    if (pool.first < subnet.first || pool.last > subnet.last) issues.push({ path: ['cluster', 'network', 'hostSubnet', 'ipRange'], message: `${hs.ipRange} is not inside ${hs.subnet}` });
  }
  const seen: { host: string; range: ReturnType<typeof parseCidr> & object }[] = [];
  hostRanges(f).forEach((r, i) => {
    const path = ['hosts', i, 'ipRange'];
    if (!r) {
      issues.push({
        path,
        message: hs.ipRange
          ? `no address range left for this host: ${hs.ipRange} holds fewer than ${i + 1} blocks of /${hs.rangePrefix}; give it ipRange or widen hostSubnet.ipRange`
          : 'host-subnet mode needs an address range for every host: set ipRange here, or hostSubnet.ipRange to split',
      });
      return;
    }
    const c = parseCidr(r.ipRange)!;
    if (c.first < subnet.first || c.last > subnet.last) issues.push({ path, message: `${r.ipRange} is not inside ${hs.subnet}` });
    if (gw >= c.first && gw <= c.last) issues.push({ path, message: `${r.ipRange} contains the gateway ${hs.gateway}` });
    const clash = seen.find((s) => overlaps(s.range, c));
    // IPAM is per host: two hosts with overlapping ranges hand out the same address twice.
    if (clash) issues.push({ path, message: `${r.ipRange} overlaps the range of host ${clash.host}; each host needs its own addresses` });
    seen.push({ host: r.host, range: c });
  });
  return issues;
}
