/** The CLI's contract: exit statuses (0 ok, 1 failure, 2 usage), errors with code and hint, --json. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { run } from './main.js';
import { FakeEngine } from './testing/fake-docker.js';

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const code = await run(args, { stdout, stderr });
  return { code, out, err };
}

describe('swarmkv CLI', () => {
  it('usage mistakes exit 2', async () => {
    expect((await cli([])).code).toBe(2);
    expect((await cli(['nope'])).code).toBe(2);
    expect((await cli(['up', '--port', 'x'])).code).toBe(2);
    expect((await cli(['up', '--bogus'])).code).toBe(2);
    expect((await cli(['--help'])).code).toBe(0);
  });

  it('a bad cluster file exits 1 with the code, the field and what to do', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'swarmkv-main-'));
    const f = join(dir, 'c.yml');
    writeFileSync(f, 'cluster:\n  shards: 0\n');
    const r = await cli(['status', '-f', f]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('error CONFIG_INVALID');
    expect(r.err).toContain('cluster.shards');
    expect(r.err).toContain('what to do:');
    const j = await cli(['status', '-f', f, '--json']);
    expect(JSON.parse(j.out).error.code).toBe('CONFIG_INVALID');
  });

  it('an unreachable engine exits 1 with a hint', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'swarmkv-main-'));
    const f = join(dir, 'c.yml');
    writeFileSync(f, `hosts:\n  - name: x\n    endpoint: unix://${dir}/none.sock\n`);
    const r = await cli(['up', '-q', '-f', f]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('error ENGINE_UNREACHABLE');
    expect(r.err).toContain('ensure-dockerd.sh');
  });

  it('--verbose prints every engine call on stderr, failed ones with their status or error', async () => {
    const engine = new FakeEngine('h1', { tcp: true });
    await engine.start();
    try {
      const dir = mkdtempSync(join(tmpdir(), 'swarmkv-main-'));
      const f = join(dir, 'c.yml');
      writeFileSync(f, `hosts:\n  - name: h1\n    endpoint: ${engine.endpoint}\n    insecure: true\n`);
      engine.failNext = { match: /^GET \/info$/, status: 500, message: 'engine exploded' };
      const r = await cli(['status', '--verbose', '-f', f]);
      const lines = r.err.split('\n').filter((l) => l.startsWith('docker h1: '));
      expect(lines[0]).toMatch(/^docker h1: GET \/version -> ok \(\d+ ms\)$/);
      // Every later call goes through the negotiated version, and there is one line per call the engine saw.
      expect(lines.slice(1).every((l) => /^docker h1: (GET|POST|DELETE|HEAD) \/v1\.\d+\/[^ ?]+ -> /.test(l))).toBe(true);
      expect(lines.length).toBe(engine.calls.length);
      expect(lines).toContainEqual(expect.stringMatching(/^docker h1: GET \/v1\.\d+\/info -> 500 .*\(\d+ ms\)$/));
      // Without --verbose: no call lines.
      const quiet = await cli(['status', '-f', f]);
      expect(quiet.err).not.toContain('docker h1:');
    } finally {
      await engine.stop();
    }
  });

  it('--verbose names the error of a call that never reached the engine', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'swarmkv-main-'));
    const f = join(dir, 'c.yml');
    writeFileSync(f, `hosts:\n  - name: x\n    endpoint: unix://${dir}/none.sock\n`);
    const r = await cli(['up', '-q', '--verbose', '-f', f]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^docker x: GET \/version -> error ENOENT \(\d+ ms\)$/m);
  });

  it('stack prints a compose file', async () => {
    const r = await cli(['stack', '--port', '7001']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('version: "3.8"');
    expect(r.out).toContain('published: 7001');
  });
});
