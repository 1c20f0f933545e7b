import { afterEach, describe, expect, it } from 'vitest';
import { R, type Reply } from '@swarmkv/resp';
import { createTestNode, type TestNode } from '../testing.js';
import { bytesToHuman, infoText } from './server.js';

let node: TestNode;

/** The elements of an aggregate reply. */
const items = (r: Reply): readonly Reply[] => (r as Extract<Reply, { t: 'arr' }>).v;
afterEach(() => node?.close());

const text = (r: Reply) => (r as { v: string }).v;

describe('INFO', () => {
  it('prints the default sections in Redis order with Redis field names', () => {
    node = createTestNode();
    node.exec('SET', 'k', 'v');
    const info = text(node.exec('INFO'));
    const titles = [...info.matchAll(/^# (\w+)\r$/gm)].map((m) => m[1]);
    expect(titles).toEqual(['Server', 'Clients', 'Memory', 'Persistence', 'Stats', 'Replication', 'CPU', 'Modules', 'Errorstats', 'Cluster', 'Keyspace']);
    expect(info).toContain('\r\nredis_version:7.0.15\r\n');
    expect(info).toContain('\r\nredis_mode:standalone\r\n');
    expect(info).toContain('\r\nloading:0\r\n');
    expect(info).toContain('\r\nrole:master\r\n');
    expect(info).toMatch(/\r\nused_memory:\d+\r\n/);
    expect(info).toContain('\r\nconnected_clients:1\r\n');
    expect(info).toContain('\r\ndb0:keys=1,expires=0,avg_ttl=0\r\n');
    expect(info.endsWith('avg_ttl=0\r\n')).toBe(true);
    expect(info).toContain('\r\n\r\n# Clients\r\n');
  });

  it('selects sections case-insensitively; unknown ones print nothing', () => {
    node = createTestNode();
    expect(text(node.exec('INFO', 'foo'))).toBe('');
    const two = text(node.exec('INFO', 'Keyspace', 'CPU'));
    expect(two.startsWith('# CPU\r\n')).toBe(true);
    expect(two.endsWith('# Keyspace\r\n')).toBe(true);
    node.exec('PING');
    node.exec('ECHO');
    const stats = text(node.exec('INFO', 'commandstats'));
    expect(stats).toMatch(/cmdstat_ping:calls=1,usec=\d+,usec_per_call=\d+\.\d\d,rejected_calls=0,failed_calls=0\r\n/);
    expect(stats).toMatch(/cmdstat_echo:calls=0,usec=0,usec_per_call=0\.00,rejected_calls=1,failed_calls=0\r\n/);
    expect(text(node.exec('INFO', 'errorstats'))).toBe('# Errorstats\r\nerrorstat_ERR:count=1\r\n');
    expect(text(node.exec('INFO', 'everything'))).toContain('# Modules\r\n');
    expect(text(node.exec('INFO', 'all'))).not.toContain('# Modules\r\n');
    expect(node.exec('CONFIG', 'RESETSTAT')).toEqual(R.ok);
    expect(text(node.exec('INFO', 'commandstats'))).not.toContain('cmdstat_ping');
  });

  it('is a verbatim string in RESP3', () => {
    node = createTestNode();
    node.exec('HELLO', '3');
    node.output();
    node.exec('INFO', 'cluster');
    expect(node.output()).toBe('=34\r\ntxt:# Cluster\r\ncluster_enabled:0\r\n\r\n');
    expect(infoText(node.core, ['cluster'], Date.now())).toBe('# Cluster\r\ncluster_enabled:0\r\n');
  });

  it('formats sizes like Redis', () => {
    expect(bytesToHuman(200)).toBe('200B');
    expect(bytesToHuman(1164408)).toBe('1.11M');
    expect(bytesToHuman(25276026880)).toBe('23.54G');
  });
});

describe('CONFIG', () => {
  it('GET by name, alias and glob; a map in RESP3', () => {
    node = createTestNode();
    expect(node.exec('CONFIG', 'GET', 'hash-max-ziplist-entries')).toEqual(R.map([R.bulk('hash-max-ziplist-entries'), R.bulk('512')]));
    expect(node.exec('CONFIG', 'GET', 'HZ')).toEqual(R.map([R.bulk('HZ'), R.bulk('10')]));
    expect(node.exec('CONFIG', 'GET', 'nosuch')).toEqual(R.map([]));
    expect(node.exec('CONFIG', 'GET', 'hz', 'hz', 'maxclients')).toEqual(
      R.map([R.bulk('hz'), R.bulk('10'), R.bulk('maxclients'), R.bulk('10000')]),
    );
    const entries = { v: items(node.exec('CONFIG', 'GET', '*entries*')) };
    const names = entries.v.filter((_, i) => i % 2 === 0).map(text).sort();
    expect(names).toEqual(['hash-max-listpack-entries', 'hash-max-ziplist-entries', 'set-max-intset-entries',
      'stream-node-max-entries', 'zset-max-listpack-entries', 'zset-max-ziplist-entries']);
    expect(node.exec('CONFIG', 'GET', 'save')).toEqual(R.map([R.bulk('save'), R.bulk('')]));
    expect(node.exec('CONFIG', 'GET', 'appendonly')).toEqual(R.map([R.bulk('appendonly'), R.bulk('no')]));
    expect(node.exec('CONFIG', 'GET', 'client-output-buffer-limit')).toEqual(
      R.map([R.bulk('client-output-buffer-limit'), R.bulk('normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60')]),
    );
    const all = { v: items(node.exec('CONFIG', 'GET', '*')) };
    expect(all.v.length).toBeGreaterThan(300);
    expect(all.v.map(text)).not.toContain('active-expire-enabled');
    expect(node.exec('CONFIG', 'GET')).toEqual(R.err("ERR wrong number of arguments for 'config|get' command"));
  });

  it('SET validates like Redis and applies atomically', () => {
    node = createTestNode();
    const fail = (arg: string, msg: string) => R.err(`ERR CONFIG SET failed (possibly related to argument '${arg}') - ${msg}`);
    expect(node.exec('CONFIG', 'SET', 'hz', 'abc')).toEqual(fail('hz', "argument couldn't be parsed into an integer"));
    expect(node.exec('CONFIG', 'SET', 'maxclients', '-1')).toEqual(fail('maxclients', 'argument must be between 1 and 4294967295 inclusive'));
    expect(node.exec('CONFIG', 'SET', 'activerehashing', 'maybe')).toEqual(fail('activerehashing', "argument must be 'yes' or 'no'"));
    expect(node.exec('CONFIG', 'SET', 'maxmemory-policy', 'foo')).toEqual(
      fail('maxmemory-policy', 'argument(s) must be one of the following: volatile-lru, volatile-lfu, volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction'),
    );
    expect(node.exec('CONFIG', 'SET', 'databases', '3')).toEqual(fail('databases', "can't set immutable config"));
    expect(node.exec('CONFIG', 'SET', 'proto-max-bulk-len', '1')).toEqual(
      fail('proto-max-bulk-len', 'argument must be between 1048576 and 9223372036854775807 inclusive'),
    );
    expect(node.exec('CONFIG', 'SET', 'maxmemory', 'lots')).toEqual(fail('maxmemory', 'argument must be a memory value'));
    expect(node.exec('CONFIG', 'SET', 'nosuch', '1')).toEqual(R.err("ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'"));
    expect(node.exec('CONFIG', 'SET', 'hz', '11', 'hz', '12')).toEqual(fail('hz', 'duplicate parameter'));
    expect(node.exec('CONFIG', 'SET', 'hz', '11', 'port')).toEqual(R.err('ERR syntax error'));
    expect(node.exec('CONFIG', 'SET', 'notify-keyspace-events', 'Kq')).toEqual(
      fail('notify-keyspace-events', "Invalid event class character. Use 'Ag$lshzxeKEtmdn'."),
    );
    // All or nothing.
    expect(node.exec('CONFIG', 'SET', 'hz', '5', 'hash-max-ziplist-entries', 'x')).toEqual(
      fail('hash-max-ziplist-entries', "argument couldn't be parsed into an integer"),
    );
    expect(node.config.hz).toBe(10);
    expect(node.exec('CONFIG', 'SET', 'hz', '5', 'hash-max-ziplist-entries', '7', 'maxmemory', '1gb')).toEqual(R.ok);
    expect(node.config.hz).toBe(5);
    expect(node.config.hashMaxListpackEntries).toBe(7);
    expect(node.exec('CONFIG', 'GET', 'maxmemory')).toEqual(R.map([R.bulk('maxmemory'), R.bulk('1073741824')]));
    expect(node.exec('CONFIG', 'SET', 'hz', '1000')).toEqual(R.ok);
    expect(node.config.hz).toBe(500);
    expect(node.exec('CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub 1mb 2mb 30')).toEqual(R.ok);
    expect(node.config.clientOutputBufferLimitPubsub).toEqual({ hard: 1048576, soft: 2097152, softSeconds: 30 });
    expect(node.exec('CONFIG', 'SET', 'save', '90 x')).toEqual(fail('save', 'Invalid save parameters'));
  });

  it('notify-keyspace-events is normalised like Redis', () => {
    node = createTestNode();
    const get = () => text(items(node.exec('CONFIG', 'GET', 'notify-keyspace-events'))[1]!);
    node.exec('CONFIG', 'SET', 'notify-keyspace-events', 'KEA');
    expect(get()).toBe('AKE');
    node.exec('CONFIG', 'SET', 'notify-keyspace-events', 'g$lshzxetdKEmn');
    expect(get()).toBe('AKEm');
    node.exec('CONFIG', 'SET', 'notify-keyspace-events', 'mEKndtexzhsl$');
    expect(get()).toBe('$lshzxetdnKEm');
    node.exec('CONFIG', 'SET', 'notify-keyspace-events', '');
    expect(get()).toBe('');
  });

  it('REWRITE without a file, HELP', () => {
    node = createTestNode();
    expect(node.exec('CONFIG', 'REWRITE')).toEqual(R.err('ERR The server is running without a config file'));
    expect(items(node.exec('CONFIG', 'HELP'))).toHaveLength(11);
    expect(node.exec('CONFIG', 'FOO')).toEqual(R.err("ERR unknown subcommand 'FOO'. Try CONFIG HELP."));
  });
});

describe('TIME, LASTSAVE, SHUTDOWN, COMMAND', () => {
  it('TIME is [seconds, microseconds]', () => {
    node = createTestNode();
    const r = { v: items(node.exec('TIME')) };
    const [s, us] = r.v.map((x) => Number(text(x)));
    expect(Math.abs(s! * 1000 + us! / 1000 - Date.now())).toBeLessThan(1000);
    expect(us).toBeLessThan(1_000_000);
    expect(node.exec('LASTSAVE').t).toBe('int');
  });

  it('SHUTDOWN checks its options, ABORT without a shutdown errors, and closes the connection', () => {
    node = createTestNode();
    let called = 0;
    node.core.onShutdown = () => called++;
    expect(node.exec('SHUTDOWN', 'FOO')).toEqual(R.err('ERR syntax error'));
    expect(node.exec('SHUTDOWN', 'ABORT')).toEqual(R.err('ERR No shutdown in progress.'));
    const c = node.client();
    c.exec('SHUTDOWN', 'NOSAVE');
    expect(c.closed).toBe(true);
    return new Promise<void>((resolve) => setImmediate(() => {
      expect(called).toBe(1);
      resolve();
    }));
  });

  it('cluster commands are refused like on a standalone Redis', () => {
    node = createTestNode();
    const off = R.err('ERR This instance has cluster support disabled');
    expect(node.exec('CLUSTER', 'INFO')).toEqual(off);
    expect(node.exec('CLUSTER', 'KEYSLOT', 'foo')).toEqual(off);
    expect(node.exec('READONLY')).toEqual(off);
    expect(node.exec('CLUSTER', 'FOO')).toEqual(R.err("ERR unknown subcommand 'FOO'. Try CLUSTER HELP."));
  });

  it('COMMAND answers from the shared table', () => {
    node = createTestNode();
    expect(node.exec('COMMAND', 'COUNT').t).toBe('int');
    const info = { v: items(node.exec('COMMAND', 'INFO', 'get')) };
    expect(items(info.v[0]!)[0]).toEqual(R.bulk('get'));
    expect(node.exec('COMMAND', 'GETKEYS', 'SET', 'k', 'v')).toEqual(R.bulks(['k']));
    expect(node.exec('COMMAND', 'FOO')).toEqual(R.err("ERR unknown subcommand 'FOO'. Try COMMAND HELP."));
  });
});
