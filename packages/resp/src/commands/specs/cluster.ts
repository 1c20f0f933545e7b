/**
 * Cluster commands: the subset of CLUSTER that cluster clients use to discover
 * the topology, plus ASKING, READONLY and READWRITE.
 *
 * One entry per command, with Redis 7.0's arity, flags, ACL categories, key specs, command tips
 * (router fan-out hints) and COMMAND DOCS fields. See spec-helpers.ts for the shorthand.
 */
import type { CommandSpec } from '../spec.js';
import { defineGroup } from '../spec-helpers.js';

const c = defineGroup('cluster');

export const CLUSTER_COMMANDS: Readonly<Record<string, CommandSpec>> = {
  CLUSTER: c(-2, '', '', [], {
    summary: 'A container for cluster commands',
    since: '3.0.0',
    complexity: 'Depends on subcommand.',
    subcommands: {
      SLOTS: c(2, 'stale', '', [], {
        summary: 'Get array of Cluster slot to node mappings',
        since: '3.0.0',
        complexity: 'O(N) where N is the total number of Cluster nodes',
        tips: 'nondeterministic_output',
        deprecated: ['7.0.0', '`CLUSTER SHARDS`'],
        history: [
          ['4.0.0', 'Added node IDs.'],
          ['7.0.0', 'Added additional networking metadata field.'],
        ],
      }),
      SHARDS: c(2, 'stale', '', [], {
        summary: 'Get array of cluster slots to node mappings',
        since: '7.0.0',
        complexity: 'O(N) where N is the total number of cluster nodes',
        tips: 'nondeterministic_output',
      }),
      NODES: c(2, 'stale', '', [], {
        summary: 'Get Cluster config for the node',
        since: '3.0.0',
        complexity: 'O(N) where N is the total number of Cluster nodes',
        tips: 'nondeterministic_output',
      }),
      INFO: c(2, 'stale', '', [], {
        summary: 'Provides info about Redis Cluster node state',
        since: '3.0.0',
        complexity: 'O(1)',
        tips: 'nondeterministic_output',
      }),
      KEYSLOT: c(3, 'stale', '', [], {
        summary: 'Returns the hash slot of the specified key',
        since: '3.0.0',
        complexity: 'O(N) where N is the number of bytes in the key',
      }),
      MYID: c(2, 'stale', '', [], {
        summary: 'Return the node id',
        since: '3.0.0',
        complexity: 'O(1)',
      }),
      HELP: c(2, 'loading stale', '', [], {
        summary: 'Show helpful text about the different subcommands',
        since: '5.0.0',
        complexity: 'O(1)',
      }),
      COUNTKEYSINSLOT: c(3, 'stale', '', [], {
        summary: 'Return the number of local keys in the specified hash slot',
        since: '3.0.0',
        complexity: 'O(1)',
      }),
      GETKEYSINSLOT: c(4, 'stale', '', [], {
        summary: 'Return local key names in the specified hash slot',
        since: '3.0.0',
        complexity: 'O(log(N)) where N is the number of requested keys',
        tips: 'nondeterministic_output',
      }),
    },
  }),
  ASKING: c(1, 'fast', 'connection', [], {
    summary: 'Sent by cluster clients after an -ASK redirect',
    since: '3.0.0',
    complexity: 'O(1)',
  }),
  READONLY: c(1, 'loading stale fast', 'connection', [], {
    summary: 'Enables read queries for a connection to a cluster replica node',
    since: '3.0.0',
    complexity: 'O(1)',
  }),
  READWRITE: c(1, 'loading stale fast', 'connection', [], {
    summary: 'Disables read queries for a connection to a cluster replica node',
    since: '3.0.0',
    complexity: 'O(1)',
  }),
};
