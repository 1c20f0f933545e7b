/**
 * The seeded random command stream of the router's differential tests: single-key commands of
 * every type, same-slot multi-key commands (hash tags), splittable commands spanning nodes,
 * SELECT, errors, and transactions (watched, doomed, discarded). Deterministic replies only:
 * sets hold integers (intsets answer in sorted order), no RANDOMKEY/SPOP/SCAN.
 */
import { prng } from '../support/prng.js';

export type Cmd = string[];

export function makeStream(seed: number, count: number): Cmd[] {
  const rand = prng(seed);
  const int = (n: number) => Math.floor(rand() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  // Keys spread over all nodes, plus tagged groups that share a slot.
  const plain = Array.from({ length: 24 }, (_, i) => `k${i}`);
  const tags = ['{t1}', '{t2}', '{t3}', '{user:7}'];
  const tagged = (tag: string) => `${tag}${pick(['a', 'b', 'c', 'd'])}`;
  const anyKey = () => (rand() < 0.7 ? pick(plain) : tagged(pick(tags)));
  const val = () => pick(['0', '1', '-3', '42', 'x', 'hello', 'world', '3.5', '', 'a b', '\u00e9t\u00e9']);
  const member = () => String(int(12));
  const single = (k: string): Cmd => {
    switch (int(24)) {
      case 0: return ['SET', k, val()];
      case 1: return ['GET', k];
      case 2: return ['INCR', k];
      case 3: return ['INCRBY', k, String(int(100) - 50)];
      case 4: return ['APPEND', k, val()];
      case 5: return ['STRLEN', k];
      case 6: return ['LPUSH', k, val(), val()];
      case 7: return ['RPUSH', k, val()];
      case 8: return ['LRANGE', k, '0', '-1'];
      case 9: return ['LPOP', k];
      case 10: return ['HSET', k, pick(['f1', 'f2', 'f3']), val()];
      case 11: return ['HGETALL', k];
      case 12: return ['HINCRBY', k, 'n', '2'];
      case 13: return ['SADD', k, member(), member()];
      case 14: return ['SMEMBERS', k];
      case 15: return ['SREM', k, member()];
      case 16: return ['ZADD', k, String(int(10)), pick(['m1', 'm2', 'm3', 'm4'])];
      case 17: return ['ZRANGE', k, '0', '-1', 'WITHSCORES'];
      case 18: return ['TYPE', k];
      case 19: return ['EXPIRE', k, '1000'];
      case 20: return ['PERSIST', k];
      case 21: return ['GETSET', k, val()];
      case 22: return ['SETNX', k, val()];
      default: return ['EXISTS', k];
    }
  };
  const sameSlot = (tag: string): Cmd => {
    const a = `${tag}a`;
    const b = `${tag}b`;
    switch (int(6)) {
      case 0: return ['RENAME', a, b];
      case 1: return ['SINTERSTORE', `${tag}c`, a, b];
      case 2: return ['LMOVE', a, b, 'LEFT', 'RIGHT'];
      case 3: return ['MSETNX', a, val(), b, val()];
      case 4: return ['COPY', a, `${tag}d`, 'REPLACE'];
      default: return ['SUNIONSTORE', `${tag}d`, a, b];
    }
  };
  const keysArg = (n: number) => Array.from({ length: n }, anyKey);
  const split = (): Cmd => {
    switch (int(6)) {
      case 0: return ['MGET', ...keysArg(1 + int(8))];
      case 1: return ['MSET', ...keysArg(1 + int(6)).flatMap((k) => [k, val()])];
      case 2: return ['DEL', ...keysArg(1 + int(4))];
      case 3: return ['EXISTS', ...keysArg(1 + int(8))];
      case 4: return ['TOUCH', ...keysArg(1 + int(5))];
      default: return ['UNLINK', ...keysArg(1 + int(3))];
    }
  };
  const out: Cmd[] = [];
  while (out.length < count) {
    const roll = rand();
    if (roll < 0.55) out.push(single(anyKey()));
    else if (roll < 0.7) out.push(split());
    else if (roll < 0.78) out.push(sameSlot(pick(tags)));
    else if (roll < 0.81) out.push(['SELECT', String(int(3))]);
    else if (roll < 0.84) out.push(pick([['GET'], ['SET', 'k1'], ['NOPE', 'x'], ['INCR', 'k1', 'x'], ['LPUSH', 'k2'], ['SET', 'k3', 'v', 'XX', 'NX']]));
    else if (roll < 0.96) {
      // A transaction on one tag's keys, sometimes watched, sometimes doomed.
      const tag = pick(tags);
      const watched = rand() < 0.4;
      if (watched) out.push(['WATCH', tagged(tag)]);
      if (watched && rand() < 0.3) out.push(['SET', `${tag}a`, val()]);
      out.push(['MULTI']);
      if (rand() < 0.3) out.push(['PING']);
      const n = 1 + int(4);
      for (let i = 0; i < n; i++) out.push(rand() < 0.2 ? sameSlot(tag) : single(tagged(tag)));
      if (rand() < 0.1) out.push(['GET']); // arity error: EXECABORT
      out.push(rand() < 0.12 ? ['DISCARD'] : ['EXEC']);
    } else {
      out.push(['WATCH', anyKey()], ['UNWATCH']);
    }
  }
  return out;
}

