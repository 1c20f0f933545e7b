/** Router flags: precedence over the environment, defaults, and errors naming the flag. */
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './config.js';

describe('parseConfig', () => {
  it('reads flags with defaults', () => {
    const c = parseConfig(['--nodes', 'a:1,b:2', '--port', '7100', '--requirepass', 'pw', '--node-password', 'np'], {});
    expect(c).toMatchObject({ port: 7100, nodes: 'a:1,b:2', requirepass: 'pw', nodePassword: 'np', bind: '0.0.0.0', maxclients: 10000 });
  });
  it('takes SWARMKV_ROUTER_* variables, flags winning', () => {
    const env = { SWARMKV_ROUTER_NODES: 'x:1', SWARMKV_ROUTER_PORT: '7200', SWARMKV_ROUTER_NODE_PASSWORD: 'fromenv' };
    expect(parseConfig([], env)).toMatchObject({ nodes: 'x:1', port: 7200, nodePassword: 'fromenv' });
    expect(parseConfig(['--port', '7300'], env).port).toBe(7300);
  });
  it('names the bad flag and the rule', () => {
    expect(() => parseConfig(['--nodes', 'a:1', '--port', '70000'], {})).toThrow(/--port: .*65535/);
    expect(() => parseConfig(['--nodes', 'a:1', '--maxclients', 'lots'], {})).toThrow(/--maxclients/);
    expect(() => parseConfig([], {})).toThrow('one of --nodes or --topology is required');
    expect(() => parseConfig(['--nodes', 'a:1', '--topology', 'f'], {})).toThrow('mutually exclusive');
    expect(() => parseConfig(['--nodes', 'a:1', '--bogus', '1'], {})).toThrow(ConfigError);
    expect(() => parseConfig(['--nodes', 'a:1', '--log-level', 'loud'], {})).toThrow(/--log-level/);
  });
  it('is frozen', () => {
    expect(Object.isFrozen(parseConfig(['--nodes', 'a:1'], {}))).toBe(true);
  });
});
