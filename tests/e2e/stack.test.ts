/**
 * The checked-in deploy/stack.yml is exactly what `swarmkv stack` prints for the defaults, and it
 * deploys a working cluster the way users do it: `docker stack deploy --resolve-image never`.
 * The docker CLI is used here and only here, because that is the command the stack file is for.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evenRanges, keyInRange } from '../../packages/orchestrator/src/redis/slots.js';
import { portBusyLocally } from '../../packages/orchestrator/src/swarm/preflight.js';
import { assertBuilt, cli, engine, ensureDockerd, leftovers, NOTHING, ROOT, sleep, swarmState, type Docker } from './helpers.js';

const run = promisify(execFile);
const STACK = join(ROOT, 'deploy/stack.yml');

describe('deploy/stack.yml', () => {
  let docker: Docker;
  let initialised = false;
  const empty = mkdtempSync(join(tmpdir(), 'swarmkv-stack-')); // no swarmkv.yml here: defaults

  beforeAll(async () => {
    assertBuilt();
    await ensureDockerd();
    docker = await engine();
    if ((await swarmState(docker)) === 'inactive') {
      await run('docker', ['swarm', 'init', '--advertise-addr', '127.0.0.1']);
      initialised = true;
    }
  });

  afterAll(async () => {
    await cli(['down', '-q'], { cwd: empty });
    if (initialised) await run('docker', ['swarm', 'leave', '--force']).catch(() => undefined);
  });

  it('is the output of `swarmkv stack` for the default cluster', async () => {
    const r = await cli(['stack'], { cwd: empty });
    expect(r.code).toBe(0);
    expect(readFileSync(STACK, 'utf8')).toBe(r.stdout);
  });

  it('docker stack deploy --resolve-image never gives a working cluster', async () => {
    expect(await portBusyLocally(6379), 'port 6379 must be free for the default stack').toBe(false);
    const img = await cli(['image', '-q'], { cwd: empty });
    expect(img.code, img.stderr).toBe(0);
    const t0 = performance.now();
    await run('docker', ['stack', 'deploy', '--resolve-image', 'never', '-c', STACK, 'swarmkv']);
    const keys = evenRanges(3).map((r, i) => keyInRange(r.start, r.end, `stack:${i}:`));
    let ok = false;
    let last = '';
    const deadline = Date.now() + 90_000;
    while (!ok && Date.now() < deadline) {
      const c = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, commandTimeout: 2000 });
      c.on('error', () => undefined);
      try {
        await c.connect();
        for (const k of keys) await c.set(k, `v-${k}`);
        for (const k of keys) expect(await c.get(k)).toBe(`v-${k}`);
        ok = true;
      } catch (e) {
        last = (e as Error).message;
        await sleep(500);
      } finally {
        c.disconnect();
      }
    }
    console.log(`stack deploy to a working cluster: ${((performance.now() - t0) / 1000).toFixed(1)}s`);
    expect(ok, last).toBe(true);
    const down = await cli(['down', '-q'], { cwd: empty });
    expect(down.code).toBe(0);
    expect(await leftovers(docker, 'swarmkv')).toEqual(NOTHING);
  });
});
