/** The host-subnet settings of the cluster file: defaults, per-host ranges, and every refusal. */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.js';
import { SwarmkvError } from '../errors.js';
import { planHostSubnet } from './host-subnet.js';
import { rangeBlock } from './host-subnet-config.js';

const host = (i: number, extra: Record<string, unknown> = {}) => ({
  name: `h${i}`,
  endpoint: `tcp://10.250.0.${10 + i}:2376`,
  insecure: true,
  role: i === 1 ? 'manager' : 'worker',
  ...extra,
});

const file = (network: Record<string, unknown>, hosts = [host(1), host(2), host(3)]) => ({
  hosts,
  cluster: { name: 'lab', network: { subnet: '10.251.1.0/24', ...network } },
});

const HS = { subnet: '10.250.0.0/24', gateway: '10.250.0.1', ipRange: '10.250.0.64/26' };

function refused(doc: unknown): string {
  try {
    parseConfig(doc);
  } catch (e) {
    expect(e).toBeInstanceOf(SwarmkvError);
    expect((e as SwarmkvError).code).toBe('CONFIG_INVALID');
    return (e as SwarmkvError).message;
  }
  throw new Error('accepted');
}

describe('host-subnet configuration', () => {
  it('overlay stays the default and needs nothing more', () => {
    const c = parseConfig(file({}));
    expect(c.cluster.network.mode).toBeUndefined();
    expect(planHostSubnet(c)).toBeUndefined();
  });

  it('splits hostSubnet.ipRange into one /28 per host in file order, parent eth0 by default', () => {
    const p = planHostSubnet(parseConfig(file({ mode: 'host-subnet', hostSubnet: HS })))!;
    expect(p).toMatchObject({ network: 'lab-hostnet', configNetwork: 'lab-hostnet-cfg', subnet: '10.250.0.0/24', gateway: '10.250.0.1' });
    expect(p.hosts).toEqual([
      { host: 'h1', ipRange: '10.250.0.64/28', parent: 'eth0' },
      { host: 'h2', ipRange: '10.250.0.80/28', parent: 'eth0' },
      { host: 'h3', ipRange: '10.250.0.96/28', parent: 'eth0' },
    ]);
  });

  it('a host may name its own range and parent; the others keep their blocks', () => {
    const p = planHostSubnet(
      parseConfig(file({ mode: 'host-subnet', hostSubnet: { ...HS, rangePrefix: 27 } }, [host(1), host(2, { ipRange: '10.250.0.160/27', parent: 'ens5' })])),
    )!;
    expect(p.hosts).toEqual([
      { host: 'h1', ipRange: '10.250.0.64/27', parent: 'eth0' },
      { host: 'h2', ipRange: '10.250.0.160/27', parent: 'ens5' },
    ]);
  });

  it('rangeBlock counts blocks inside the pool and stops at its end', () => {
    expect(rangeBlock('10.0.0.0/26', 28, 3)).toBe('10.0.0.48/28');
    expect(rangeBlock('10.0.0.0/26', 28, 4)).toBeUndefined();
    expect(rangeBlock('10.0.0.0/29', 28, 0)).toBe('10.0.0.0/29');
  });

  it('refuses host-subnet without the hosts subnet, and hostSubnet without the mode', () => {
    expect(refused(file({ mode: 'host-subnet' }))).toContain('cluster.network.hostSubnet: host-subnet mode needs hostSubnet');
    expect(refused(file({ hostSubnet: HS }))).toContain('cluster.network.mode: hostSubnet is set but mode is not host-subnet');
  });

  it('refuses overlapping host ranges (node-local IPAM would hand out one address twice)', () => {
    const msg = refused(file({ mode: 'host-subnet', hostSubnet: { subnet: HS.subnet, gateway: HS.gateway } }, [host(1, { ipRange: '10.250.0.64/27' }), host(2, { ipRange: '10.250.0.80/28' })]));
    expect(msg).toContain('hosts.1.ipRange: 10.250.0.80/28 overlaps the range of host h1');
  });

  it('refuses a host without a range, a range outside the subnet, the gateway inside a range', () => {
    expect(refused(file({ mode: 'host-subnet', hostSubnet: { subnet: HS.subnet, gateway: HS.gateway } }))).toContain('hosts.0.ipRange: host-subnet mode needs an address range for every host');
    expect(refused(file({ mode: 'host-subnet', hostSubnet: { ...HS, ipRange: '10.250.0.64/28' } }))).toContain('hosts.1.ipRange: no address range left for this host');
    expect(refused(file({ mode: 'host-subnet', hostSubnet: HS }, [host(1, { ipRange: '10.9.0.0/28' })]))).toContain('hosts.0.ipRange: 10.9.0.0/28 is not inside 10.250.0.0/24');
    expect(refused(file({ mode: 'host-subnet', hostSubnet: { ...HS, gateway: '10.250.0.70' } }))).toContain('hosts.0.ipRange: 10.250.0.64/28 contains the gateway 10.250.0.70');
    expect(refused(file({ mode: 'host-subnet', hostSubnet: { ...HS, gateway: '10.9.9.9' } }))).toContain('gateway: 10.9.9.9 is not inside 10.250.0.0/24');
  });

  it('refuses an overlay subnet inside the hosts subnet, bad CIDRs and bad interface names', () => {
    expect(refused({ ...file({ mode: 'host-subnet', hostSubnet: HS }), cluster: { name: 'lab', network: { subnet: '10.250.0.0/25', mode: 'host-subnet', hostSubnet: HS } } })).toContain(
      'the overlay subnet 10.250.0.0/25 overlaps',
    );
    expect(refused(file({ mode: 'host-subnet', hostSubnet: { ...HS, ipRange: '10.250.0.65/28' } }))).toContain('no host bits set');
    expect(refused(file({ mode: 'host-subnet', hostSubnet: { ...HS, parent: 'eth0; rm -rf' } }))).toContain('an interface name');
    expect(refused(file({ mode: 'bridge' }))).toContain('cluster.network.mode');
  });
});
