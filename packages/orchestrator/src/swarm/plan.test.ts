/** The cluster plan and its two renderings (Engine API specs for `up`, compose for `stack`). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseConfig } from '../config/load.js';
import { renderStack } from '../commands/stack.js';
import { hostNetworks, findOverlap } from './preflight.js';
import { planCluster, serviceSpec } from './plan.js';

const TWO_HOSTS = {
  hosts: [
    { name: 'a', endpoint: 'tcp://10.0.0.1:2376', insecure: true },
    { name: 'b', endpoint: 'tcp://10.0.0.2:2376', insecure: true, role: 'worker', router: false },
  ],
};

describe('plan', () => {
  it('one node service per shard and one global router naming them', () => {
    const p = planCluster(parseConfig({ cluster: { shards: 2 } }));
    expect(p.services.map((s) => s.name)).toEqual(['swarmkv-node-0', 'swarmkv-node-1', 'swarmkv-router']);
    expect(p.services[2]!.args).toEqual(['router', '--port', '6379', '--nodes', 'swarmkv-node-0:6379,swarmkv-node-1:6379']);
    expect(p.services[0]!.args).toEqual(['node', '--port', '6379', '--bind', '0.0.0.0']);
    expect(p.services.every((s) => s.constraints.length === 0)).toBe(true);
    expect(p.secret).toBeUndefined();
  });

  it('pins shards round-robin to hosts and runs routers only where asked', () => {
    const p = planCluster(parseConfig({ ...TWO_HOSTS, cluster: { shards: 3 } }));
    expect(p.services.map((s) => s.constraints)).toEqual([
      ['node.labels.swarmkv.host == a'],
      ['node.labels.swarmkv.host == b'],
      ['node.labels.swarmkv.host == a'],
      ['node.labels.swarmkv.router == true'],
    ]);
  });

  it('renders a dnsrr, init, host-mode spec', () => {
    const p = planCluster(parseConfig({ cluster: { password: 'pw' } }));
    const spec = serviceSpec(p.services[3]!, { image: 'swarmkv:latest', networkId: 'n1', secretId: 's1' }) as any;
    expect(spec.EndpointSpec).toEqual({ Mode: 'dnsrr', Ports: [{ Protocol: 'tcp', TargetPort: 6379, PublishedPort: 6379, PublishMode: 'host' }] });
    expect(spec.TaskTemplate.ContainerSpec.Secrets[0].SecretID).toBe('s1');
    expect(spec.TaskTemplate.Networks).toEqual([{ Target: 'n1' }]);
    expect(spec.UpdateConfig.Order).toBe('stop-first');
  });
});

describe('stack', () => {
  it('deploy/stack.yml is the rendering of the defaults', () => {
    const checkedIn = readFileSync(new URL('../../../../deploy/stack.yml', import.meta.url), 'utf8');
    expect(checkedIn).toBe(renderStack(parseConfig({})));
  });

  it('says the same as the plan: dnsrr, host ports, init, labels, overlay subnet', () => {
    const doc = parse(renderStack(parseConfig({ ...TWO_HOSTS, cluster: { password: 'pw', port: 7000 } }))) as any;
    expect(doc.version).toBe('3.8');
    const r = doc.services['swarmkv-router'];
    expect(r.ports).toEqual([{ target: 6379, published: 7000, protocol: 'tcp', mode: 'host' }]);
    expect(r.deploy).toMatchObject({ mode: 'global', endpoint_mode: 'dnsrr', placement: { constraints: ['node.labels.swarmkv.router == true'] } });
    expect(r.init).toBe(true);
    expect(doc.services['swarmkv-node-1'].deploy.placement.constraints).toEqual(['node.labels.swarmkv.host == b']);
    expect(doc.networks.swarmkv).toMatchObject({ name: 'swarmkv-net', driver: 'overlay', attachable: true, ipam: { config: [{ subnet: '10.251.0.0/24' }] } });
    const secretName = Object.keys(doc.secrets)[0]!;
    expect(doc.secrets[secretName]).toEqual({ external: true });
    expect(r.secrets[0]).toMatchObject({ source: secretName, target: 'swarmkv-password' });
    expect(JSON.stringify(doc)).not.toContain('"pw"');
  });
});

describe('preflight', () => {
  it('reads interface networks and finds overlaps', () => {
    const uses = hostNetworks({
      lo: [{ address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4', mac: '', internal: true, cidr: '127.0.0.1/8' }],
      eth0: [{ address: '192.0.2.2', netmask: '255.255.255.0', family: 'IPv4', mac: '', internal: false, cidr: '192.0.2.2/24' }],
    });
    expect(findOverlap('192.0.2.128/25', uses)?.where).toBe('interface eth0 of this machine');
    expect(findOverlap('10.251.0.0/24', uses)).toBeUndefined();
  });
});
