/** What `status` says when a host or a shard is lost. */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.js';
import { lossWarnings, shardHost } from './status-warnings.js';

const cfg = parseConfig({
  hosts: [1, 2, 3].map((i) => ({ name: `h${i}`, endpoint: `tcp://10.250.0.${10 + i}:2376`, insecure: true, role: i === 1 ? 'manager' : 'worker' })),
  cluster: { name: 'lab', shards: 3 },
});
const up = (name: string) => ({ name, endpoint: '', reachable: true, swarm: 'active', nodeState: 'ready' });
const node = (i: number, state = 'up') => ({ service: `lab-node-${i}`, slots: ['0-5460', '5461-10922', '10923-16383'][i]!, state });

describe('status warnings', () => {
  it('none while everything is up', () => {
    expect(lossWarnings(cfg, [up('h1'), up('h2'), up('h3')], [node(0), node(1), node(2)])).toEqual([]);
  });

  it('a lost host: the host, its shard, and that the shard data is lost', () => {
    const w = lossWarnings(cfg, [up('h1'), up('h2'), { name: 'h3', endpoint: '', reachable: false, error: 'ECONNREFUSED' }], [node(0), node(1), node(2, 'down')]);
    expect(w[0]).toBe('host h3 is down (engine unreachable): its shards lab-node-2 are down with it');
    expect(w[1]).toContain('lab-node-2 (slots 10923-16383) down: commands for their slots fail with CLUSTERDOWN');
    expect(w[1]).toContain('their data is lost');
    expect(w[1]).toContain('no replication yet');
  });

  it('a shard the router sees down, its host fine (a crashed container)', () => {
    const w = lossWarnings(cfg, [up('h1'), up('h2'), up('h3')], [node(0), node(1, 'down'), node(2)]);
    expect(w).toHaveLength(1);
    expect(w[0]).toContain('lab-node-1 (slots 5461-10922)');
  });

  it('shards are pinned round-robin, as the plan does', () => {
    expect([0, 1, 2, 3].map((i) => shardHost(cfg, i))).toEqual(['h1', 'h2', 'h3', 'h1']);
    expect(shardHost(parseConfig({}), 0)).toBeUndefined();
  });
});
