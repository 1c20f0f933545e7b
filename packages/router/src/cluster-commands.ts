/**
 * CLUSTER commands, answered so that cluster-aware clients (ioredis `Cluster`, redis-py
 * RedisCluster, redis-cli -c) work unchanged: the router describes itself as a one-node cluster
 * owning all 16384 slots, at the address the client reached it on (or --announce-ip). Such a
 * client then sends everything to the router, which does the real routing. Formats are Redis
 * 7.0.15's (probed against a cluster-enabled redis-server).
 *
 * COUNTKEYSINSLOT/GETKEYSINSLOT go to the node that owns the slot.
 */
import {
  encodeArrayHeader,
  encodeBulk,
  encodeError,
  encodeInt,
  encodeMapHeader,
  keyHashSlot,
  type Bytes,
} from '@swarmkv/resp';
import type { ClientSession } from './client-session.js';
import { verbatim } from './local-commands.js';
import { forwardToSlot } from './route.js';

/** The address clients should use for the router. */
function announcedIp(s: ClientSession): string {
  const configured = s.router.config.announceIp;
  if (configured !== undefined) return configured;
  const local = s.socket.localAddress ?? '127.0.0.1';
  return local.startsWith('::ffff:') ? local.slice(7) : local;
}

function slotsReply(s: ClientSession): string {
  return (
    encodeArrayHeader(1) +
    encodeArrayHeader(3) + encodeInt(0) + encodeInt(16383) +
    encodeArrayHeader(4) + encodeBulk(announcedIp(s)) + encodeInt(s.router.port) + encodeBulk(s.router.myId) +
    encodeMapHeader(0, s.proto)
  );
}

function shardsReply(s: ClientSession): string {
  const ip = announcedIp(s);
  return (
    encodeArrayHeader(1) +
    encodeMapHeader(2, s.proto) +
    encodeBulk('slots') + encodeArrayHeader(2) + encodeInt(0) + encodeInt(16383) +
    encodeBulk('nodes') + encodeArrayHeader(1) +
    encodeMapHeader(7, s.proto) +
    encodeBulk('id') + encodeBulk(s.router.myId) +
    encodeBulk('port') + encodeInt(s.router.port) +
    encodeBulk('ip') + encodeBulk(ip) +
    encodeBulk('endpoint') + encodeBulk(ip) +
    encodeBulk('role') + encodeBulk('master') +
    encodeBulk('replication-offset') + encodeInt(0) +
    encodeBulk('health') + encodeBulk('online')
  );
}

function nodesText(s: ClientSession): string {
  return `${s.router.myId} ${announcedIp(s)}:${s.router.port}@0 myself,master - 0 0 1 connected 0-16383\n`;
}

/**
 * Always cluster_state:ok: a node that is down costs only its own slots (they answer
 * -CLUSTERDOWN); saying "fail" would make some clients stop using the other slots too.
 */
function infoText(_s: ClientSession): string {
  return (
    'cluster_state:ok\r\n' +
    'cluster_slots_assigned:16384\r\n' +
    `cluster_slots_ok:16384\r\n` +
    'cluster_slots_pfail:0\r\n' +
    'cluster_slots_fail:0\r\n' +
    'cluster_known_nodes:1\r\n' +
    'cluster_size:1\r\n' +
    'cluster_current_epoch:1\r\n' +
    'cluster_my_epoch:1\r\n' +
    'cluster_stats_messages_sent:0\r\n' +
    'cluster_stats_messages_received:0\r\n' +
    'total_cluster_links_buffer_limit_exceeded:0\r\n'
  );
}

/** Redis's getSlotOrReply. */
function parseSlot(text: Bytes): number | null {
  if (!/^(0|-?[1-9]\d{0,18})$/.test(text)) return null;
  const n = Number(text);
  return n >= 0 && n < 16384 ? n : null;
}

export function cluster(s: ClientSession, argv: Bytes[]): void {
  switch (argv[1]!.toUpperCase()) {
    case 'SLOTS':
      return s.reply(slotsReply(s));
    case 'SHARDS':
      return s.reply(shardsReply(s));
    case 'NODES':
      return s.reply(verbatim(s, nodesText(s)));
    case 'INFO':
      return s.reply(verbatim(s, infoText(s)));
    case 'MYID':
      return s.reply(encodeBulk(s.router.myId));
    case 'KEYSLOT':
      return s.reply(encodeInt(keyHashSlot(argv[2]!)));
    case 'COUNTKEYSINSLOT':
    case 'GETKEYSINSLOT': {
      const slot = parseSlot(argv[2]!);
      if (slot === null) return s.reply(encodeError('ERR Invalid slot'));
      return forwardToSlot(s, argv, slot);
    }
    case 'HELP':
      return s.reply(
        encodeArrayHeader(7) +
          encodeBulk('CLUSTER <subcommand> [<arg> [value] [opt] ...]. swarmkv-router answers:') +
          encodeBulk('SLOTS / SHARDS / NODES: the router as one node owning all slots.') +
          encodeBulk('INFO: cluster state.') +
          encodeBulk('KEYSLOT <key>: the hash slot of a key.') +
          encodeBulk('MYID: the router id.') +
          encodeBulk('COUNTKEYSINSLOT / GETKEYSINSLOT: asked of the slot owner.') +
          encodeBulk('HELP'),
      );
    default:
      return s.reply(encodeError(`ERR CLUSTER ${argv[1]!.toUpperCase()} is not supported by swarmkv-router`));
  }
}
