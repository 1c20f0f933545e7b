/**
 * The image's root filesystem: ldd parsing, which files of the app go in (built JS yes; types,
 * tests, sources and docs no), pnpm's symlinks kept, parents before children, and tars that are
 * byte-identical for identical inputs (the content hash depends on it).
 */
import { describe, expect, it } from 'vitest';
import tar from 'tar-stream';
import type { Readable } from 'node:stream';
import { fixtureRoot } from '../testing/fixture-root.js';
import { SwarmkvError } from '../errors.js';
import { appEntries, parseLdd, rootfsEntries } from './rootfs.js';
import { digestStream, packContext, packEntries } from './tar.js';
import { scratchDockerfile } from './build.js';

const LDD = `
	linux-vdso.so.1 (0x00007ffc)
	libdl.so.2 => /lib/x86_64-linux-gnu/libdl.so.2 (0x00007f0e)
	libstdc++.so.6 => /lib/x86_64-linux-gnu/libstdc++.so.6 (0x00007f0f)
	libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f0a)
	/lib64/ld-linux-x86-64.so.2 (0x00007f0e)
`;

async function names(stream: Readable): Promise<Map<string, tar.Header>> {
  const out = new Map<string, tar.Header>();
  const ex = tar.extract();
  ex.on('entry', (h, s, next) => {
    out.set(h.name, h);
    s.on('end', next);
    s.resume();
  });
  stream.pipe(ex);
  await new Promise<void>((r) => ex.on('finish', () => r()));
  return out;
}

describe('rootfs', () => {
  it('parses ldd output, refusing a missing library', () => {
    expect(parseLdd(LDD)).toEqual([
      '/lib/x86_64-linux-gnu/libdl.so.2',
      '/lib/x86_64-linux-gnu/libstdc++.so.6',
      '/lib/x86_64-linux-gnu/libc.so.6',
      '/lib64/ld-linux-x86-64.so.2',
    ]);
    expect(() => parseLdd('\tlibfoo.so.1 => not found\n')).toThrow(SwarmkvError);
  });

  it('takes the built JS and the production dependencies, in pnpm layout', () => {
    const root = fixtureRoot();
    const entries = appEntries(root);
    const paths = entries.map((e) => e.path);
    expect(paths).toContain('app/packages/router/dist/main.js');
    expect(paths).toContain('app/packages/storage-node/package.json');
    expect(paths).toContain('app/deploy/image/entrypoint.mjs');
    expect(paths).toContain('app/node_modules/.pnpm/tiny@1.0.0/node_modules/tiny/index.js');
    expect(paths).toContain('app/node_modules/.pnpm/leaf@1.0.0/node_modules/leaf/index.js');
    expect(paths.filter((p) => /\.d\.ts$|\.test\.js$|\/src\/|README/.test(p))).toEqual([]);
    const link = entries.find((e) => e.path === 'app/packages/router/node_modules/@swarmkv/resp')!;
    expect(link).toMatchObject({ type: 'symlink', linkname: '../../../resp' });
    expect(entries.find((e) => e.path === 'app/node_modules/.pnpm/tiny@1.0.0/node_modules/leaf')).toMatchObject({ type: 'symlink' });
    // Parents come before children, every directory is there.
    const seen = new Set<string>();
    for (const e of entries) {
      const parent = e.path.split('/').slice(0, -1).join('/');
      if (parent) expect(seen.has(parent), e.path).toBe(true);
      seen.add(e.path);
    }
  });

  it('makes byte-identical tars from identical inputs', async () => {
    const root = fixtureRoot();
    const a = await digestStream(packEntries(appEntries(root)));
    const b = await digestStream(packEntries(appEntries(root)));
    expect(a).toEqual(b);
    expect(a.size % 512).toBe(0);
  });

  it('holds node, its libraries, /etc basics and the app', async () => {
    const root = fixtureRoot();
    const entries = await rootfsEntries(root);
    const got = await names(packEntries(entries));
    expect(got.get('usr/bin/node')).toMatchObject({ type: 'file', mode: 0o755 });
    expect([...got.keys()].some((p) => /libc\.so\.6$/.test(p))).toBe(true);
    expect(got.get('etc/nsswitch.conf')?.type).toBe('file');
    expect(got.get('tmp')).toMatchObject({ type: 'directory', mode: 0o1777 });
    expect(got.has('app/packages/storage-node/dist/main.js')).toBe(true);
  }, 30_000);

  it('packs a build context: the Dockerfile and the rootfs as one member', async () => {
    const root = fixtureRoot();
    const entries = appEntries(root);
    const { size } = await digestStream(packEntries(entries));
    const got = await names(packContext({ Dockerfile: scratchDockerfile() }, { name: 'rootfs.tar', size, stream: () => packEntries(entries) }));
    expect([...got.keys()]).toEqual(['Dockerfile', 'rootfs.tar']);
    expect(got.get('rootfs.tar')!.size).toBe(size);
    expect(scratchDockerfile()).toContain('FROM scratch\nADD rootfs.tar /');
  });
});
