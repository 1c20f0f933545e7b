/** The cluster file: defaults everywhere, and each kind of bad input named with its field. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SwarmkvError } from '../errors.js';
import { isNetworkAddress, overlaps, parseCidr } from './cidr.js';
import { findConfigFile, loadConfig, parseConfig } from './load.js';

function refused(raw: unknown): SwarmkvError {
  try {
    parseConfig(raw);
  } catch (e) {
    return e as SwarmkvError;
  }
  throw new Error('accepted');
}

describe('cluster file', () => {
  it('needs no file: the local engine, 3 shards, router on 6379', () => {
    const c = parseConfig({});
    expect(c.hosts).toHaveLength(1);
    expect(c.hosts[0]).toMatchObject({ endpoint: 'unix:///var/run/docker.sock', advertise: '127.0.0.1', role: 'manager', router: true });
    expect(c.cluster).toEqual({ name: 'swarmkv', shards: 3, port: 6379, network: { name: 'swarmkv-net', subnet: '10.251.0.0/24' } });
    expect(c.image).toEqual({ tag: 'swarmkv:latest', build: 'scratch', base: 'node:20-bookworm-slim' });
    expect(Object.isFrozen(c.cluster.network)).toBe(true);
  });

  it('flags override the file', () => {
    const c = parseConfig({ cluster: { name: 'a', port: 7000 } }, { port: 7001, shards: 5, subnet: '10.9.0.0/16', name: 'b' });
    expect(c.cluster).toMatchObject({ name: 'b', port: 7001, shards: 5, network: { name: 'b-net', subnet: '10.9.0.0/16' } });
  });

  it('names the bad field and what is allowed', () => {
    const e = refused({ cluster: { shards: 'many' } });
    expect(e.code).toBe('CONFIG_INVALID');
    expect(e.message).toContain('cluster.shards');
    expect(refused({ cluster: { port: 70000 } }).message).toContain('cluster.port');
    expect(refused({ cluster: { shardz: 3 } }).message).toContain('shardz');
    expect(refused({ cluster: { network: { subnet: '10.0.0.1/24' } } }).message).toContain('no host bits');
    expect(refused({ image: { build: 'magic' } }).message).toContain('image.build');
    expect(refused(['a list']).code).toBe('CONFIG_INVALID');
  });

  it('refuses plain tcp unless insecure: true, and accepts tls', () => {
    const e = refused({ hosts: [{ name: 'h', endpoint: 'tcp://10.0.0.5:2375' }] });
    expect(e.message).toContain('hosts.0.endpoint');
    expect(e.message).toContain('swarmkv certs');
    expect(parseConfig({ hosts: [{ name: 'h', endpoint: 'tcp://10.0.0.5:2375', insecure: true }] }).hosts[0]!.advertise).toBe('10.0.0.5');
    const tls = parseConfig({ hosts: [{ name: 'h', endpoint: 'tcp://10.0.0.5:2376', tls: { ca: 'a', cert: 'b', key: 'c' } }] });
    expect(tls.hosts[0]!.tls).toEqual({ ca: 'a', cert: 'b', key: 'c' });
  });

  it('checks the hosts as a whole', () => {
    expect(refused({ hosts: [{ name: 'a', role: 'worker' }] }).message).toContain('manager');
    expect(refused({ hosts: [{ name: 'a' }, { name: 'a', advertise: '10.0.0.2' }] }).message).toContain('duplicate');
    expect(refused({ hosts: [{ name: 'a' }, { name: 'b', endpoint: 'tcp://10.0.0.2:2376', insecure: true }] }).message).toContain('hosts.0.advertise');
    expect(refused({ hosts: [{ name: 'a', endpoint: 'tcp://docker-a:2376', insecure: true }] }).message).toContain('advertise');
    expect(refused({ hosts: [{ name: 'a', router: false }] }).message).toContain('router');
  });

  it('accepts the example file in deploy/', () => {
    const c = loadConfig(new URL('../../../../deploy/swarmkv.example.yml', import.meta.url).pathname);
    expect(c.hosts.map((h) => `${h.name}:${h.role}:${h.advertise}`)).toEqual(['h1:manager:10.0.0.11', 'h2:worker:10.0.0.12', 'h3:worker:10.0.0.13']);
  });

  it('reads YAML files and reports a syntax error with its position', () => {
    const dir = mkdtempSync(join(tmpdir(), 'swarmkv-cfg-'));
    writeFileSync(join(dir, 'swarmkv.yml'), 'cluster:\n  name: demo\n  shards: 2\n');
    const f = findConfigFile(undefined, {}, dir)!;
    expect(loadConfig(f).cluster).toMatchObject({ name: 'demo', shards: 2 });
    writeFileSync(join(dir, 'bad.yml'), 'cluster: [\n');
    expect(() => loadConfig(join(dir, 'bad.yml'))).toThrow(/not valid YAML/);
    expect(() => findConfigFile('missing.yml', {}, dir)).toThrow(/does not exist/);
    expect(findConfigFile(undefined, {}, tmpdir())).toBeUndefined();
  });
});

describe('cidr', () => {
  it('parses and compares IPv4 networks', () => {
    expect(parseCidr('10.251.0.0/24')).toMatchObject({ first: 0x0afb0000, last: 0x0afb00ff });
    expect(parseCidr('192.0.2.2/24')!.first).toBe(parseCidr('192.0.2.0/24')!.first);
    expect(parseCidr('300.0.0.0/8')).toBeUndefined();
    expect(parseCidr('10.0.0.0/33')).toBeUndefined();
    expect(overlaps(parseCidr('10.0.0.0/8')!, parseCidr('10.251.3.0/24')!)).toBe(true);
    expect(overlaps(parseCidr('10.251.0.0/24')!, parseCidr('10.251.1.0/24')!)).toBe(false);
    expect(isNetworkAddress('10.0.0.0/8')).toBe(true);
    expect(isNetworkAddress('10.0.0.1/8')).toBe(false);
  });
});
