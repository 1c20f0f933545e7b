/**
 * Seeded random command streams over a handful of keys of mixed types, for the long differential
 * run. Deterministic for a seed: the same seed gives the same commands, so a divergence can be
 * replayed (`SWARMKV_DIFF_SEED=<seed>`). Commands whose replies are random (SPOP, SRANDMEMBER,
 * HRANDFIELD, ZRANDMEMBER, RANDOMKEY) or time dependent (PTTL) are left out; replies whose order
 * Redis does not define are compared as multisets.
 */
import type { Step } from '../support/diff.js';
import { prng } from '../support/prng.js';


export function streamOf(seed: number, count: number): Step[] {
  const rnd = prng(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const keys = ['k1', 'k2', 'k3', 'k4', 'k5', '{t}a', '{t}b'];
  const key = () => pick(keys);
  const member = () =>
    pick([
      () => String(int(20)),
      () => String(int(100000) - 50000),
      () => pick(['a', 'b', 'c', 'd', 'e', 'f', 'foo', 'bar', '']),
      () => 'x'.repeat(int(80)),
      () => String(2 ** 40 + int(1000)),
      () => '9223372036854775808',
    ])();
  const score = () => pick(['0', '1', '-1', '1.5', String(int(100)), '-inf', '+inf', '3.14159', '1e10', String(rnd() * 100 - 50)]);
  const idx = () => String(int(14) - 7);
  const members = (n: number) => Array.from({ length: 1 + int(n) }, member);
  const unordered = (cmd: string[]): Step => ({ cmd, unordered: 'elements' });
  const pairs = (cmd: string[]): Step => ({ cmd, unordered: 'pairs' });

  const gens: (() => Step)[] = [
    // strings
    () => ['SET', key(), member()],
    () => ['GET', key()],
    () => ['APPEND', key(), member()],
    () => ['INCR', key()],
    () => ['INCRBY', key(), String(int(2000) - 1000)],
    () => ['STRLEN', key()],
    () => ['GETRANGE', key(), idx(), idx()],
    () => ['SETRANGE', key(), String(int(10)), member()],
    () => ['MGET', key(), key(), key()],
    () => ['GETDEL', key()],
    () => ['SETNX', key(), member()],
    // lists
    () => ['LPUSH', key(), ...members(4)],
    () => ['RPUSH', key(), ...members(4)],
    () => ['LPOP', key()],
    () => ['RPOP', key(), String(int(3))],
    () => ['LRANGE', key(), idx(), idx()],
    () => ['LLEN', key()],
    () => ['LINDEX', key(), idx()],
    () => ['LSET', key(), idx(), member()],
    () => ['LREM', key(), idx(), member()],
    () => ['LTRIM', key(), idx(), idx()],
    () => ['LINSERT', key(), pick(['BEFORE', 'AFTER']), member(), member()],
    () => ['LPOS', key(), member()],
    () => ['LMOVE', key(), key(), pick(['LEFT', 'RIGHT']), pick(['LEFT', 'RIGHT'])],
    // hashes
    () => ['HSET', key(), member(), member(), ...(rnd() < 0.3 ? [member(), member()] : [])],
    () => ['HGET', key(), member()],
    () => ['HDEL', key(), member(), member()],
    () => ['HLEN', key()],
    () => ['HEXISTS', key(), member()],
    () => ['HINCRBY', key(), pick(['a', 'b', 'c']), String(int(100) - 50)],
    () => pairs(['HGETALL', key()]),
    () => unordered(['HKEYS', key()]),
    () => ['HMGET', key(), member(), member()],
    () => ['HSTRLEN', key(), member()],
    // sets
    () => ['SADD', key(), ...members(5)],
    () => ['SREM', key(), ...members(3)],
    () => ['SCARD', key()],
    () => ['SISMEMBER', key(), member()],
    () => ['SMISMEMBER', key(), member(), member()],
    () => unordered(['SMEMBERS', key()]),
    () => unordered(['SINTER', '{t}a', '{t}b']),
    () => unordered(['SUNION', '{t}a', '{t}b']),
    () => unordered(['SDIFF', '{t}a', '{t}b']),
    () => ['SINTERSTORE', pick(['{t}a', '{t}b']), '{t}a', '{t}b'],
    () => ['SMOVE', '{t}a', '{t}b', member()],
    // sorted sets
    () => ['ZADD', key(), ...Array.from({ length: 1 + int(3) }, () => [score(), member()]).flat()],
    () => ['ZADD', key(), pick(['NX', 'XX', 'GT', 'LT', 'CH']), score(), member()],
    () => ['ZINCRBY', key(), score(), member()],
    () => ['ZREM', key(), member(), member()],
    () => ['ZCARD', key()],
    () => ['ZSCORE', key(), member()],
    () => ['ZRANK', key(), member()],
    () => ['ZRANGE', key(), idx(), idx(), ...(rnd() < 0.5 ? ['WITHSCORES'] : [])],
    () => ['ZRANGEBYSCORE', key(), pick(['-inf', '0', '(1']), pick(['+inf', '10', '(50']), 'WITHSCORES'],
    () => ['ZCOUNT', key(), pick(['-inf', '0', '(1']), pick(['+inf', '10', '(50'])],
    () => ['ZPOPMIN', key(), ...(rnd() < 0.5 ? [String(int(3))] : [])],
    () => ['ZREMRANGEBYRANK', key(), idx(), idx()],
    () => ['ZUNIONSTORE', pick(['{t}a', '{t}b']), '2', '{t}a', '{t}b'],
    () => ['ZINTERSTORE', pick(['{t}a', '{t}b']), '2', '{t}a', '{t}b', 'AGGREGATE', pick(['SUM', 'MIN', 'MAX'])],
    // generic
    () => ['DEL', key()],
    () => ['EXISTS', key(), key()],
    () => ['TYPE', key()],
    () => ['OBJECT', 'ENCODING', key()],
    () => ['RENAME', pick(['{t}a', '{t}b']), pick(['{t}a', '{t}b'])],
    () => ['EXPIRE', key(), String(1000 + int(1000))],
    () => ['PERSIST', key()],
    () => ['TTL', key()],
    () => ['COPY', key(), key(), ...(rnd() < 0.5 ? ['REPLACE'] : [])],
    () => ['DBSIZE'],
  ];
  return Array.from({ length: count }, () => pick(gens)());
}
