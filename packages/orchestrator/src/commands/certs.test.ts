/**
 * `swarmkv certs` with the machine's openssl, then those certificates in use: a fake engine that
 * demands client certificates (dockerd --tlsverify) accepts swarmkv with the client certificate
 * and refuses one signed by another CA, with an ENGINE_TLS error that says what to do.
 */
import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.js';
import { connect } from '../engine/connect.js';
import { SwarmkvError } from '../errors.js';
import { FakeEngine } from '../testing/fake-docker.js';
import { makeCerts } from './certs.js';

const HOSTS = { hosts: [{ name: 'h1', endpoint: 'tcp://127.0.0.1:2376', tls: { ca: 'x', cert: 'y', key: 'z' } }] };

describe('certs', () => {
  const engines: FakeEngine[] = [];
  afterAll(async () => {
    for (const e of engines) await e.stop();
  });

  it('makes a CA, server certificates with the host SANs, a client certificate; keeps them on re-run', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'swarmkv-certs-')), 'certs');
    const r = await makeCerts(parseConfig({ hosts: [{ name: 'h1', endpoint: 'tcp://10.0.0.5:2376', insecure: true, advertise: '10.0.0.6' }] }), { out, force: false, days: 30 });
    expect(r.hosts[0]!.sans).toEqual(['DNS:h1', 'IP:10.0.0.6', 'IP:10.0.0.5']);
    expect(r.hosts[0]!.dockerd).toContain('--tlsverify');
    expect(r.hosts[0]!.dockerd).toContain('-H tcp://0.0.0.0:2376');
    expect(r.made).toHaveLength(3);
    const again = await makeCerts(parseConfig({ hosts: [{ name: 'h1', endpoint: 'tcp://10.0.0.5:2376', insecure: true, advertise: '10.0.0.6' }] }), { out, force: false, days: 30 });
    expect(again.made).toEqual([]);
  }, 30_000);

  it('a --tlsverify engine accepts the client certificate and refuses a stranger', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'swarmkv-tls-'));
    const ours = await makeCerts(parseConfig(HOSTS), { out: join(dir, 'ours'), force: false, days: 30 });
    const theirs = await makeCerts(parseConfig(HOSTS), { out: join(dir, 'theirs'), force: false, days: 30 });
    const read = (p: string) => readFileSync(p, 'utf8');
    const engine = new FakeEngine('h1', { tls: { ca: read(ours.ca), cert: read(ours.hosts[0]!.cert), key: read(ours.hosts[0]!.key) } });
    engines.push(engine);
    await engine.start();

    const good = parseConfig({ hosts: [{ name: 'h1', endpoint: engine.endpoint, tls: { ca: ours.ca, cert: ours.client.cert, key: ours.client.key } }] });
    const e = await connect(good.hosts[0]!);
    expect(e.apiVersion).toBe('1.41');
    expect(((await e.docker.info()) as { Swarm: { LocalNodeState: string } }).Swarm.LocalNodeState).toBe('inactive');

    const stranger = parseConfig({ hosts: [{ name: 'h1', endpoint: engine.endpoint, tls: { ca: ours.ca, cert: theirs.client.cert, key: theirs.client.key } }] });
    const err = (await connect(stranger.hosts[0]!).catch((x: unknown) => x)) as SwarmkvError;
    expect(err).toBeInstanceOf(SwarmkvError);
    expect(err.code).toBe('ENGINE_TLS');
    expect(err.hint).toContain('swarmkv certs');

    const wrongCa = parseConfig({ hosts: [{ name: 'h1', endpoint: engine.endpoint, tls: { ca: theirs.ca, cert: ours.client.cert, key: ours.client.key } }] });
    expect(((await connect(wrongCa.hosts[0]!).catch((x: unknown) => x)) as SwarmkvError).code).toBe('ENGINE_TLS');
  }, 30_000);
});
