/**
 * The warnings `swarmkv status` prints when part of the cluster is gone: which hosts cannot be
 * reached, which shards are down (as the router sees them, or because their host is lost), and
 * what that means for their data. A storage node keeps its data in memory only and swarmkv has no
 * replication yet, so a shard whose node died comes back empty: people must be told, not find out.
 */
import type { ClusterConfig } from '../config/schema.js';
import type { HostStatus, NodeStatus } from './status.js';

/** The host a shard is pinned to (plan.ts pins shard i to host i mod hosts, with several hosts). */
export function shardHost(cfg: ClusterConfig, shard: number): string | undefined {
  return cfg.hosts.length > 1 ? cfg.hosts[shard % cfg.hosts.length]!.name : undefined;
}

export function lossWarnings(cfg: ClusterConfig, hosts: readonly HostStatus[], nodes: readonly NodeStatus[]): string[] {
  const out: string[] = [];
  const lostHosts = new Set(hosts.filter((h) => !h.reachable || h.nodeState === 'down').map((h) => h.name));
  for (const h of hosts) {
    if (!lostHosts.has(h.name)) continue;
    const shards = nodes.filter((_, i) => shardHost(cfg, i) === h.name).map((n) => n.service);
    out.push(`host ${h.name} is down (${h.reachable ? 'swarm node down' : 'engine unreachable'})${shards.length ? `: its shards ${shards.join(', ')} are down with it` : ''}`);
  }
  const down = nodes.filter((n, i) => n.state === 'down' || lostHosts.has(shardHost(cfg, i) ?? ''));
  if (down.length) {
    out.push(
      `shard(s) ${down.map((n) => `${n.service} (slots ${n.slots})`).join(', ')} down: commands for their slots fail with CLUSTERDOWN; ` +
        'their data is lost: a storage node keeps it in memory only and there is no replication yet, so it comes back empty when its host or container returns',
    );
  }
  return out;
}
