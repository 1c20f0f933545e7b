/**
 * Bad input to `swarmkv up` against the real engine: each case exits 1 with its error code and a
 * hint on stderr, and leaves nothing behind (no service, network, secret or container of the
 * cluster, and the swarm state as it was: the checks run before anything is created).
 */
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, cli, clusterDir, engine, ensureDockerd, freePort, leftovers, NOTHING, swarmState, type Docker } from './helpers.js';

const CLUSTER = 'swarmkv-bad';

describe('swarmkv up refuses bad input and leaves nothing half-made', () => {
  let docker: Docker;
  let swarmBefore: string;
  let blocker: Server | undefined;

  beforeAll(async () => {
    assertBuilt();
    await ensureDockerd();
    docker = await engine();
    swarmBefore = await swarmState(docker);
  });

  afterAll(async () => {
    await new Promise<void>((r) => (blocker ? blocker.close(() => r()) : r()));
  });

  async function expectRefused(yaml: string, code: string, args: string[] = []): Promise<string> {
    const r = await cli(['up', '-q', ...args], { cwd: clusterDir(yaml), timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain(`error ${code}:`);
    expect(r.stderr).toContain('what to do:');
    expect(await leftovers(docker, CLUSTER)).toEqual(NOTHING);
    expect(await swarmState(docker)).toBe(swarmBefore);
    return r.stderr;
  }

  it('a bad field in the cluster file names the field', async () => {
    const err = await expectRefused(`cluster:\n  name: ${CLUSTER}\n  shards: many\n`, 'CONFIG_INVALID');
    expect(err).toContain('cluster.shards');
  });

  it('an unknown field is refused too', async () => {
    const err = await expectRefused(`cluster:\n  name: ${CLUSTER}\n  shardz: 3\n`, 'CONFIG_INVALID');
    expect(err).toContain('shardz');
  });

  it('an unreachable engine says which and what to do', async () => {
    const err = await expectRefused(
      `hosts:\n  - name: gone\n    endpoint: unix:///tmp/swarmkv-no-such-engine.sock\ncluster:\n  name: ${CLUSTER}\n`,
      'ENGINE_UNREACHABLE',
    );
    expect(err).toContain('unix:///tmp/swarmkv-no-such-engine.sock');
    expect(err).toContain('--local');
  });

  it('plain tcp without TLS is refused unless insecure: true', async () => {
    const err = await expectRefused(
      `hosts:\n  - name: h1\n    endpoint: tcp://127.0.0.1:2375\ncluster:\n  name: ${CLUSTER}\n`,
      'CONFIG_INVALID',
    );
    expect(err).toContain('swarmkv certs');
  });

  it('an overlay subnet overlapping a network of the host is refused', async () => {
    const err = await expectRefused(`cluster:\n  name: ${CLUSTER}\n  network:\n    subnet: 127.0.0.0/24\n`, 'SUBNET_OVERLAP');
    expect(err).toContain('lo');
  });

  it('an overlay subnet overlapping a network of the engine is refused', async () => {
    const bridge = (await docker.getNetwork('bridge').inspect()) as { IPAM: { Config: { Subnet: string }[] } };
    const err = await expectRefused(`cluster:\n  name: ${CLUSTER}\n  network:\n    subnet: ${bridge.IPAM.Config[0]!.Subnet}\n`, 'SUBNET_OVERLAP');
    expect(err).toContain('bridge');
  });

  it('a router port already taken is refused', async () => {
    const port = await freePort();
    blocker = createServer();
    await new Promise<void>((r) => blocker!.listen(port, '127.0.0.1', () => r()));
    const err = await expectRefused(`cluster:\n  name: ${CLUSTER}\n  port: ${port}\n`, 'PORT_IN_USE');
    expect(err).toContain(String(port));
  });

  it('a usage mistake exits 2', async () => {
    const r = await cli(['up', '--port', 'lots']);
    expect(r.code).toBe(2);
    const r2 = await cli(['frobnicate']);
    expect(r2.code).toBe(2);
  });
});
