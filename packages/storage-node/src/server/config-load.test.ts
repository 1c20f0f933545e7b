import { describe, expect, it } from 'vitest';
import { ConfigError, envName, loadConfig, parseConfigFile, parseFlags } from './config-load.js';

const files = (map: Record<string, string>) => (p: string) => {
  const text = map[p];
  if (text === undefined) throw new Error('ENOENT: no such file');
  return text;
};

describe('configuration loading', () => {
  it('uses Redis 7.0 defaults', () => {
    const { config } = loadConfig([], {});
    expect(config.port).toBe(6379);
    expect(config.databases).toBe(16);
    expect(config.hashMaxListpackEntries).toBe(512);
    expect(config.zsetMaxListpackEntries).toBe(128);
  });

  it('flags by Redis name, aliases, multi-word values and --name=value', () => {
    const { config } = loadConfig(
      ['--port', '7000', '--bind', '127.0.0.1', '::1', '--hash-max-ziplist-entries=64', '--save', '900', '1', '--maxclients', '50'],
      {},
    );
    expect(config.port).toBe(7000);
    expect(config.bind).toBe('127.0.0.1 ::1');
    expect(config.hashMaxListpackEntries).toBe(64);
    expect(config.redis.save).toBe('900 1');
    expect(config.maxclients).toBe(50);
  });

  it('reads a redis.conf style file; environment beats the file, flags beat both', () => {
    const read = files({
      '/etc/node.conf': '# comment\nport 7001\nhz 20\nrequirepass "s3cret word"\nsave 900 1\nsave 300 10\nnotify-keyspace-events KEA\n',
    });
    const { config } = loadConfig(['--config', '/etc/node.conf', '--hz', '30'], { SWARMKV_PORT: '7002', SWARMKV_DATABASES: '4' }, read);
    expect(config.port).toBe(7002);
    expect(config.hz).toBe(30);
    expect(config.databases).toBe(4);
    expect(config.requirepass).toBe('s3cret word');
    expect(config.redis.save).toBe('900 1 300 10');
    expect(config.notifyKeyspaceEvents).toBe('KEA');
    // A leading path is the config file, like redis-server.
    expect(loadConfig(['/etc/node.conf'], {}, read).config.port).toBe(7001);
    expect(loadConfig([], { SWARMKV_CONFIG: '/etc/node.conf' }, read).config.hz).toBe(20);
  });

  it('rejects bad values naming the parameter, the source and the allowed range', () => {
    expect(() => loadConfig(['--port', '70000'], {})).toThrow(
      new ConfigError("invalid value '70000' for 'port' (--port): argument must be between 0 and 65535 inclusive"),
    );
    expect(() => loadConfig([], { SWARMKV_HZ: 'fast' })).toThrow(
      new ConfigError("invalid value 'fast' for 'hz' (SWARMKV_HZ): argument couldn't be parsed into an integer"),
    );
    expect(() => loadConfig(['--nosuch', '1'], {})).toThrow(new ConfigError("unknown parameter 'nosuch' (--nosuch)"));
    expect(() => loadConfig(['--config', '/x'], {}, files({ '/x': 'databases 0\n' }))).toThrow(
      new ConfigError("invalid value '0' for 'databases' (/x:1): argument must be between 1 and 2147483647 inclusive"),
    );
    expect(() => loadConfig(['--config', '/missing'], {}, files({}))).toThrow(ConfigError);
    expect(() => loadConfig(['stray', 'words'], {})).toThrow(ConfigError);
  });

  it('helpers', () => {
    expect(envName('hash-max-listpack-entries')).toBe('SWARMKV_HASH_MAX_LISTPACK_ENTRIES');
    expect(parseFlags(['--help']).help).toBe(true);
    expect(parseConfigFile('a "b c" d\n\n#x\n', 'f')).toEqual([{ name: 'a', value: 'b c d', source: 'f:1' }]);
    expect(() => parseConfigFile('a "b\n', 'f')).toThrow(ConfigError);
  });
});
