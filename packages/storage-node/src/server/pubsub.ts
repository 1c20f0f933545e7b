/**
 * Pub/sub: channel, pattern and shard-channel subscriptions, and message delivery.
 *
 * Messages are encoded once per protocol per PUBLISH (RESP2 array or RESP3 push, Redis's
 * "message"/"pmessage"/"smessage" layout) and appended to each receiver's pending output, which
 * the server flushes after the current batch. Subscription confirmations are built here too so
 * that their layout lives next to the messages'.
 *
 * Counts follow Redis 7.0: (un)subscribe and p(un)subscribe report channels + patterns, while
 * s(un)subscribe report shard channels only.
 */
import type { Bytes } from '@swarmkv/resp';
import type { Client } from './client.js';
import { stringMatch } from '../keyspace/glob.js';

type Kind = 'channels' | 'patterns' | 'shardChannels';

function bulk(b: Bytes): string {
  return `$${b.length}\r\n${b}\r\n`;
}

/** `*3`/`>3` kind, name (or nil), count: one (un)subscribe confirmation. */
export function subscriptionReply(protocol: 2 | 3, kind: string, name: Bytes | null, count: number): string {
  const head = protocol === 3 ? '>3\r\n' : '*3\r\n';
  const nameEnc = name === null ? (protocol === 3 ? '_\r\n' : '$-1\r\n') : bulk(name);
  return `${head}${bulk(kind)}${nameEnc}:${count}\r\n`;
}

export class PubSub {
  readonly channels = new Map<Bytes, Set<Client>>();
  readonly patterns = new Map<Bytes, Set<Client>>();
  readonly shardChannels = new Map<Bytes, Set<Client>>();

  /** `deliver(client, data)` appends encoded output to a client and arranges its flush. */
  constructor(private readonly deliver: (c: Client, data: string) => void) {}

  /** Subscribe; true when it is new. */
  add(c: Client, kind: Kind, name: Bytes): boolean {
    let mine = c[kind];
    if (mine === null) mine = c[kind] = new Set();
    if (mine.has(name)) return false;
    mine.add(name);
    const reg = this[kind];
    let subs = reg.get(name);
    if (subs === undefined) reg.set(name, (subs = new Set()));
    subs.add(c);
    return true;
  }

  /** Unsubscribe; true when the client was subscribed. */
  remove(c: Client, kind: Kind, name: Bytes): boolean {
    const mine = c[kind];
    if (mine === null || !mine.delete(name)) return false;
    const reg = this[kind];
    const subs = reg.get(name);
    if (subs !== undefined) {
      subs.delete(c);
      if (subs.size === 0) reg.delete(name);
    }
    return true;
  }

  /** Drop every subscription (disconnect, RESET). */
  removeAll(c: Client): void {
    for (const kind of ['channels', 'patterns', 'shardChannels'] as const) {
      const mine = c[kind];
      if (mine === null) continue;
      for (const name of [...mine]) this.remove(c, kind, name);
      c[kind] = null;
    }
  }

  /** PUBLISH: deliver to channel subscribers and matching patterns; returns the number of receivers. */
  publish(channel: Bytes, message: Bytes): number {
    let receivers = 0;
    const subs = this.channels.get(channel);
    if (subs !== undefined && subs.size > 0) {
      const tail = `$7\r\nmessage\r\n${bulk(channel)}${bulk(message)}`;
      for (const c of subs) {
        this.deliver(c, (c.protocol === 3 ? '>3\r\n' : '*3\r\n') + tail);
        receivers++;
      }
    }
    if (this.patterns.size > 0) {
      for (const [pattern, clients] of this.patterns) {
        if (!stringMatch(pattern, channel, false)) continue;
        const tail = `$8\r\npmessage\r\n${bulk(pattern)}${bulk(channel)}${bulk(message)}`;
        for (const c of clients) {
          this.deliver(c, (c.protocol === 3 ? '>4\r\n' : '*4\r\n') + tail);
          receivers++;
        }
      }
    }
    return receivers;
  }

  /** SPUBLISH: shard channels only. */
  spublish(channel: Bytes, message: Bytes): number {
    const subs = this.shardChannels.get(channel);
    if (subs === undefined) return 0;
    const tail = `$8\r\nsmessage\r\n${bulk(channel)}${bulk(message)}`;
    for (const c of subs) this.deliver(c, (c.protocol === 3 ? '>3\r\n' : '*3\r\n') + tail);
    return subs.size;
  }

  /** Number of clients subscribed to a channel (PUBSUB NUMSUB / SHARDNUMSUB). */
  count(kind: 'channels' | 'shardChannels', name: Bytes): number {
    return this[kind].get(name)?.size ?? 0;
  }

  /** Active channel names matching an optional pattern (PUBSUB CHANNELS / SHARDCHANNELS). */
  list(kind: 'channels' | 'shardChannels', pattern?: Bytes): Bytes[] {
    const out: Bytes[] = [];
    for (const name of this[kind].keys()) if (pattern === undefined || stringMatch(pattern, name, false)) out.push(name);
    return out;
  }

  /** Number of patterns with subscribers (PUBSUB NUMPAT, INFO pubsub_patterns). */
  numPatterns(): number {
    return this.patterns.size;
  }
}
