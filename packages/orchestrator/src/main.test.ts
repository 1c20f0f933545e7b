/** The CLI's contract: exit statuses (0 ok, 1 failure, 2 usage), errors with code and hint, --json. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { run } from './main.js';

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

  it('stack prints a compose file', async () => {
    const r = await cli(['stack', '--port', '7001']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('version: "3.8"');
    expect(r.out).toContain('published: 7001');
  });
});
