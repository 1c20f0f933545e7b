/**
 * SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE, SSUBSCRIBE, SUNSUBSCRIBE, PUBLISH, SPUBLISH
 * and PUBSUB (CHANNELS, NUMSUB, NUMPAT, SHARDCHANNELS, SHARDNUMSUB, HELP).
 *
 * A (un)subscribe command answers one confirmation per channel, which is several RESP values
 * for one command: the handler returns them pre-encoded (R.raw) for the client's protocol.
 */
import type { Bytes, Reply } from '@swarmkv/resp';
import { R } from '@swarmkv/resp';
import type { Ctx, HandlerTable } from './context.js';
import { clientOf, coreOf } from '../server/ctx.js';
import { subscriptionReply } from '../server/pubsub.js';
import { subcommandSyntaxError } from './connection.js';
import type { Client } from '../server/client.js';

type Kind = 'channels' | 'patterns' | 'shardChannels';

/** Redis 7.0 counts: channels + patterns for the classic family, shard channels for the S family. */
function countFor(c: Client, kind: Kind): number {
  return kind === 'shardChannels' ? (c.shardChannels?.size ?? 0) : (c.channels?.size ?? 0) + (c.patterns?.size ?? 0);
}

function subscribe(kind: Kind, word: string) {
  return (ctx: Ctx, argv: Bytes[]): Reply => {
    const c = clientOf(ctx);
    const ps = coreOf(ctx).pubsub;
    let out = '';
    for (let i = 1; i < argv.length; i++) {
      ps.add(c, kind, argv[i]!);
      out += subscriptionReply(c.protocol, word, argv[i]!, countFor(c, kind));
    }
    return R.raw(out);
  };
}

function unsubscribe(kind: Kind, word: string) {
  return (ctx: Ctx, argv: Bytes[]): Reply => {
    const c = clientOf(ctx);
    const ps = coreOf(ctx).pubsub;
    let out = '';
    const names = argv.length > 1 ? argv.slice(1) : [...(c[kind] ?? [])];
    if (names.length === 0) return R.raw(subscriptionReply(c.protocol, word, null, countFor(c, kind)));
    for (const name of names) {
      ps.remove(c, kind, name);
      out += subscriptionReply(c.protocol, word, name, countFor(c, kind));
    }
    if (c[kind]?.size === 0) c[kind] = null;
    return R.raw(out);
  };
}

const PUBSUB_HELP = [
  'PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'CHANNELS [<pattern>]',
  "    Return the currently active channels matching a <pattern> (default: '*').",
  'NUMPAT',
  '    Return number of subscriptions to patterns.',
  'NUMSUB [<channel> ...]',
  '    Return the number of subscribers for the specified channels, excluding',
  '    pattern subscriptions(default: no channels).',
  'SHARDCHANNELS [<pattern>]',
  '    Return the currently active shard level channels matching a <pattern> (default: \'*\').',
  'SHARDNUMSUB [<shardchannel> ...]',
  '    Return the number of subscribers for the specified shard level channel(s)',
  'HELP',
  '    Prints this help.',
];

function numsub(kind: 'channels' | 'shardChannels') {
  return (ctx: Ctx, argv: Bytes[]): Reply => {
    const ps = coreOf(ctx).pubsub;
    const out: Reply[] = [];
    for (let i = 2; i < argv.length; i++) out.push(R.bulk(argv[i]!), R.int(ps.count(kind, argv[i]!)));
    return R.arr(out);
  };
}

function channels(kind: 'channels' | 'shardChannels') {
  return (ctx: Ctx, argv: Bytes[]): Reply => {
    if (argv.length > 3) throw subcommandSyntaxError(argv);
    return R.bulks(coreOf(ctx).pubsub.list(kind, argv[2]));
  };
}

export const PUBSUB_HANDLERS: HandlerTable = {
  SUBSCRIBE: subscribe('channels', 'subscribe'),
  PSUBSCRIBE: subscribe('patterns', 'psubscribe'),
  SSUBSCRIBE: subscribe('shardChannels', 'ssubscribe'),
  UNSUBSCRIBE: unsubscribe('channels', 'unsubscribe'),
  PUNSUBSCRIBE: unsubscribe('patterns', 'punsubscribe'),
  SUNSUBSCRIBE: unsubscribe('shardChannels', 'sunsubscribe'),
  PUBLISH: (ctx, argv) => R.int(coreOf(ctx).pubsub.publish(argv[1]!, argv[2]!)),
  SPUBLISH: (ctx, argv) => R.int(coreOf(ctx).pubsub.spublish(argv[1]!, argv[2]!)),
  'PUBSUB|CHANNELS': channels('channels'),
  'PUBSUB|SHARDCHANNELS': channels('shardChannels'),
  'PUBSUB|NUMSUB': numsub('channels'),
  'PUBSUB|SHARDNUMSUB': numsub('shardChannels'),
  'PUBSUB|NUMPAT': (ctx) => R.int(coreOf(ctx).pubsub.numPatterns()),
  'PUBSUB|HELP': () => R.arr(PUBSUB_HELP.map((l) => R.simple(l))),
};
