/** Command table lookups and the spec helpers' derived fields. */
import { describe, expect, it } from 'vitest';
import { COMMAND_TABLE, lookupCommand, COMMAND_ENTRIES } from './table.js';
import { defineGroup, firstKey, fullAclCategories } from './spec-helpers.js';
import { legacyKeyRange } from './command-replies.js';

describe('command table', () => {
  it('looks up commands and subcommands in any case', () => {
    expect(lookupCommand('get')).toBe(COMMAND_TABLE.GET);
    expect(lookupCommand('GeT')).toBe(COMMAND_TABLE.GET);
    expect(lookupCommand('config', 'get')).toBe(COMMAND_TABLE.CONFIG!.subcommands!.GET);
    expect(lookupCommand('CONFIG|GET')).toBe(COMMAND_TABLE.CONFIG!.subcommands!.GET);
    expect(lookupCommand('nosuch')).toBeUndefined();
    expect(lookupCommand('get', 'x')).toBeUndefined();
    expect(lookupCommand('config', 'nosuch')).toBeUndefined();
    expect(lookupCommand('__proto__')).toBeUndefined();
    expect(lookupCommand('constructor')).toBeUndefined();
    expect(lookupCommand('config', 'constructor')).toBeUndefined();
  });

  it('covers the required commands', () => {
    const required =
      'GET SET SETNX SETEX PSETEX GETSET GETDEL GETEX MGET MSET MSETNX APPEND STRLEN GETRANGE SUBSTR SETRANGE INCR DECR INCRBY DECRBY INCRBYFLOAT LCS DEL UNLINK EXISTS TYPE RENAME RENAMENX KEYS SCAN RANDOMKEY DBSIZE FLUSHDB FLUSHALL SELECT MOVE SWAPDB COPY TOUCH OBJECT EXPIRE PEXPIRE EXPIREAT PEXPIREAT TTL PTTL EXPIRETIME PEXPIRETIME PERSIST SORT SORT_RO LPUSH RPUSH LPUSHX RPUSHX LPOP RPOP LLEN LRANGE LINDEX LSET LINSERT LREM LTRIM LPOS LMOVE RPOPLPUSH LMPOP BLPOP BRPOP BLMOVE BRPOPLPUSH BLMPOP BZPOPMIN BZPOPMAX BZMPOP HSET HSETNX HGET HMSET HMGET HDEL HLEN HSTRLEN HEXISTS HGETALL HKEYS HVALS HINCRBY HINCRBYFLOAT HRANDFIELD HSCAN SADD SREM SMEMBERS SISMEMBER SMISMEMBER SCARD SPOP SRANDMEMBER SMOVE SINTER SINTERCARD SINTERSTORE SUNION SUNIONSTORE SDIFF SDIFFSTORE SSCAN ZADD ZINCRBY ZREM ZCARD ZSCORE ZMSCORE ZRANK ZREVRANK ZCOUNT ZLEXCOUNT ZRANGE ZRANGESTORE ZREVRANGE ZRANGEBYSCORE ZREVRANGEBYSCORE ZRANGEBYLEX ZREVRANGEBYLEX ZREMRANGEBYRANK ZREMRANGEBYSCORE ZREMRANGEBYLEX ZPOPMIN ZPOPMAX ZMPOP ZUNION ZINTER ZDIFF ZUNIONSTORE ZINTERSTORE ZDIFFSTORE ZINTERCARD ZRANDMEMBER ZSCAN SUBSCRIBE UNSUBSCRIBE PSUBSCRIBE PUNSUBSCRIBE PUBLISH PUBSUB SSUBSCRIBE SUNSUBSCRIBE SPUBLISH MULTI EXEC DISCARD WATCH UNWATCH PING ECHO QUIT RESET HELLO AUTH CLIENT INFO CONFIG TIME LASTSAVE SHUTDOWN COMMAND CLUSTER ASKING READONLY';
    for (const n of required.split(' ')) expect([n, lookupCommand(n) !== undefined]).toEqual([n, true]);
    const subs: Record<string, string> = {
      OBJECT: 'ENCODING REFCOUNT IDLETIME FREQ HELP',
      PUBSUB: 'CHANNELS NUMSUB NUMPAT SHARDCHANNELS SHARDNUMSUB',
      CLIENT: 'ID SETNAME GETNAME LIST INFO KILL SETINFO NO-EVICT NO-TOUCH REPLY UNBLOCK',
      CONFIG: 'GET SET RESETSTAT',
      COMMAND: 'COUNT INFO GETKEYS DOCS LIST',
      CLUSTER: 'SLOTS SHARDS NODES INFO KEYSLOT MYID',
    };
    for (const [c, list] of Object.entries(subs)) {
      for (const s of list.split(' ')) expect([c, s, lookupCommand(c, s) !== undefined]).toEqual([c, s, true]);
    }
  });

  it('exposes router policies parsed from the tips', () => {
    expect(COMMAND_TABLE.DEL!.request).toBe('multi_shard');
    expect(COMMAND_TABLE.DEL!.response).toBe('agg_sum');
    expect(COMMAND_TABLE.MGET!.request).toBe('multi_shard');
    expect(COMMAND_TABLE.DBSIZE!.request).toBe('all_shards');
    expect(COMMAND_TABLE.DBSIZE!.response).toBe('agg_sum');
    expect(COMMAND_TABLE.KEYS!.request).toBe('all_shards');
    expect(COMMAND_TABLE.FLUSHDB!.response).toBe('all_succeeded');
    expect(COMMAND_TABLE.GET!.request).toBeUndefined();
  });

  it('derives ACL categories and the legacy key range like Redis', () => {
    expect(COMMAND_TABLE.GET!.acl).toEqual(['read', 'string', 'fast']);
    expect(COMMAND_TABLE.SORT!.acl).toEqual(['write', 'set', 'sortedset', 'list', 'slow', 'dangerous']);
    expect(fullAclCategories([], ['admin'])).toEqual(['admin', 'slow', 'dangerous']);
    expect(legacyKeyRange(COMMAND_TABLE.MSET!)).toEqual([1, -1, 2]);
    expect(legacyKeyRange(COMMAND_TABLE.ZUNIONSTORE!)).toEqual([1, 1, 1]);
    expect(legacyKeyRange(COMMAND_TABLE.LMOVE!)).toEqual([1, 2, 1]);
    expect(legacyKeyRange(COMMAND_TABLE.LMPOP!)).toEqual([0, 0, 0]);
    expect(COMMAND_ENTRIES.length).toBe(Object.keys(COMMAND_TABLE).length);
  });

  it('rejects unknown flags in specs', () => {
    const c = defineGroup('string');
    expect(() => c(2, 'readonly fastt', '', [], { summary: '', since: '' })).toThrow(/command flag/);
    expect(() => c(2, 'readonly', 'strings', [], { summary: '', since: '' })).toThrow(/ACL category/);
    expect(() => firstKey('RO acess')).toThrow(/key-spec flag/);
  });
});
