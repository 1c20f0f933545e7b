/**
 * The router's own commands and its INFO.
 *
 *   ROUTER TOPOLOGY GET          the slot map as JSON ({"shards":[{"primary","replicas","slots"}]})
 *   ROUTER TOPOLOGY SET <json>   validate and swap in a new map while clients stay connected;
 *                                commands already sent finish on the old one
 *   ROUTER NODES                 one line per node: address, state, slots, latency
 *   ROUTER HELP
 * With --requirepass these need an authenticated connection, like every other command.
 *
 * INFO asks every node that is up, keeps the first node's sections, sums `# Keyspace` over all
 * nodes, and adds a `# Router` section (clients, ops/s, per-node state and latency). `INFO router`
 * is answered without asking any node.
 */
import { encodeArrayHeader, encodeBulk, encodeError, ENC, type Bytes } from '@swarmkv/resp';
import type { ClientSession } from './client-session.js';
import { parseTopologyText, TopologyError } from './topology.js';
import { verbatim } from './local-commands.js';
import { FanoutOp } from './fanout/fanout-op.js';
import { bulkValue } from './fanout/reply-bytes.js';
import { ROUTER_VERSION } from './version.js';

const HELP = [
  'ROUTER <subcommand> [<arg> ...]. Subcommands are:',
  'TOPOLOGY GET',
  '    The slot map as JSON: {"shards":[{"primary":"host:port","replicas":[],"slots":[[0,5460]]}]}.',
  'TOPOLOGY SET <json>',
  '    Replace the slot map (every slot exactly once); commands in flight finish on the old one.',
  'NODES',
  '    Every node with its state, slots and ping latency.',
  'HELP',
  '    Print this help.',
];

export function routerCommand(s: ClientSession, argv: Bytes[]): void {
  const sub = argv[1]!.toUpperCase();
  const router = s.router;
  if (sub === 'TOPOLOGY' && argv.length === 3 && argv[2]!.toUpperCase() === 'GET') {
    return s.reply(encodeBulk(router.topologyJson()));
  }
  if (sub === 'TOPOLOGY' && argv.length === 4 && argv[2]!.toUpperCase() === 'SET') {
    try {
      const topology = parseTopologyText(Buffer.from(argv[3]!, 'latin1').toString('utf8'), 'ROUTER TOPOLOGY SET');
      router.setTopology(topology, 'ROUTER TOPOLOGY SET');
      return s.reply(ENC.OK);
    } catch (e) {
      if (!(e instanceof TopologyError)) throw e;
      return s.reply(encodeError(`ERR ${e.message}`));
    }
  }
  if (sub === 'NODES' && argv.length === 2) {
    return s.reply(verbatim(s, nodeLines(s).join('\n') + '\n'));
  }
  if (sub === 'HELP' && argv.length === 2) {
    let out = encodeArrayHeader(HELP.length);
    for (const line of HELP) out += '+' + line + '\r\n';
    return s.reply(out);
  }
  s.reply(encodeError(`ERR unknown subcommand or wrong number of arguments for '${argv[1]!.slice(0, 128)}'. Try ROUTER HELP.`));
}

function nodeLines(s: ClientSession): string[] {
  return s.router.activeNodes.map(
    (n, i) =>
      `node${i}:addr=${n.name},state=${n.isDown ? 'down' : 'up'},slots=${n.slotsText},latency_ms=${n.lastLatencyMs.toFixed(3)},` +
      `avg_latency_ms=${n.avgLatencyMs.toFixed(3)},connections=${n.connectionCount}${n.isDown && n.lastError ? `,error=${n.lastError.replace(/[\s,]/g, '_')}` : ''}`,
  );
}

function routerSection(s: ClientSession): string {
  const r = s.router;
  const up = r.activeNodes.filter((n) => !n.isDown).length;
  const lines = [
    '# Router',
    `router_version:${ROUTER_VERSION}`,
    `router_id:${r.myId}`,
    `tcp_port:${r.port}`,
    `uptime_in_seconds:${Math.floor((performance.now() - r.startedAt) / 1000)}`,
    `connected_clients:${r.sessions.size}`,
    `maxclients:${r.config.maxclients}`,
    `instantaneous_ops_per_sec:${r.opsPerSec}`,
    `total_commands_processed:${r.stats.commands}`,
    `total_connections_received:${r.stats.connectionsReceived}`,
    `rejected_connections:${r.stats.rejectedConnections}`,
    `topology_changes:${r.stats.topologyChanges}`,
    `moved_redirects:${r.stats.movedRedirects}`,
    `nodes:${r.activeNodes.length}`,
    `nodes_up:${up}`,
    ...nodeLines(s),
  ];
  return lines.join('\r\n') + '\r\n';
}

const ROUTER_SECTIONS = new Set(['router', 'default', 'all', 'everything']);

/** Sums "dbN:keys=..,expires=..,avg_ttl=.." lines over nodes. */
function mergeKeyspace(texts: readonly string[]): string {
  const dbs = new Map<string, { keys: number; expires: number; ttlWeighted: number }>();
  for (const t of texts) {
    for (const m of t.matchAll(/^(db\d+):keys=(\d+),expires=(\d+),avg_ttl=(\d+)/gm)) {
      const d = dbs.get(m[1]!) ?? { keys: 0, expires: 0, ttlWeighted: 0 };
      d.keys += Number(m[2]);
      d.expires += Number(m[3]);
      d.ttlWeighted += Number(m[3]) * Number(m[4]);
      dbs.set(m[1]!, d);
    }
  }
  const names = [...dbs.keys()].sort((a, b) => Number(a.slice(2)) - Number(b.slice(2)));
  let out = '# Keyspace\r\n';
  for (const n of names) {
    const d = dbs.get(n)!;
    out += `${n}:keys=${d.keys},expires=${d.expires},avg_ttl=${d.expires ? Math.round(d.ttlWeighted / d.expires) : 0}\r\n`;
  }
  return out;
}

/** INFO text of one node reply (bulk, or RESP3 verbatim "txt:..."). */
function infoText(reply: Buffer): string | null {
  if (reply[0] === 61 /* = */) {
    const cr = reply.indexOf(13);
    const len = Number(reply.latin1Slice(1, cr));
    return reply.latin1Slice(cr + 2 + 4, cr + 2 + len);
  }
  return bulkValue(reply);
}

export function info(s: ClientSession, argv: Bytes[]): void {
  const sections = argv.slice(1).map((a) => a.toLowerCase());
  const withRouter = sections.length === 0 || sections.some((x) => ROUTER_SECTIONS.has(x));
  const askNodes = sections.length === 0 || sections.some((x) => x !== 'router');
  const nodes = askNodes ? s.router.activeNodes.filter((n) => !n.isDown) : [];
  if (nodes.length === 0) return s.reply(verbatim(s, withRouter ? routerSection(s) : ''));
  const op = new FanoutOp(s, nodes.length, (replies) => {
    const texts = replies.map(infoText).filter((t): t is string => t !== null);
    if (texts.length === 0) return replies[0]!;
    let text = texts[0]!;
    const ks = /(^|\r\n)# Keyspace\r\n(?:[^#][^\r\n]*\r\n)*/.exec(text);
    if (ks !== null) text = text.slice(0, ks.index) + ks[1] + mergeKeyspace(texts) + text.slice(ks.index + ks[0].length);
    if (withRouter) text += (text.length > 0 && !text.endsWith('\r\n\r\n') ? '\r\n' : '') + routerSection(s);
    return verbatim(s, text);
  });
  s.enqueue(op);
  nodes.forEach((n, i) => op.send(n, i, argv, -1));
}
