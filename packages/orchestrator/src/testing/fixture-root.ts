/**
 * A minimal swarmkv checkout for unit tests of the image code: the three runtime packages with a
 * dist/main.js each, the entrypoint, and one dependency installed pnpm-style (a symlink into
 * node_modules/.pnpm), so that appEntries() has something real to walk. Point SWARMKV_REPO_ROOT
 * at it.
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function fixtureRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'swarmkv-fixture-'));
  const w = (p: string, text: string) => {
    mkdirSync(join(root, p, '..'), { recursive: true });
    writeFileSync(join(root, p), text);
  };
  w('package.json', '{"name":"swarmkv","private":true}');
  w('pnpm-workspace.yaml', 'packages:\n  - packages/*\n');
  w('deploy/image/entrypoint.mjs', '// entrypoint\n');
  for (const p of ['resp', 'storage-node', 'router']) {
    const deps = p === 'resp' ? {} : { '@swarmkv/resp': 'workspace:*', tiny: '^1.0.0' };
    w(`packages/${p}/package.json`, JSON.stringify({ name: `@swarmkv/${p}`, type: 'module', dependencies: deps }));
    w(`packages/${p}/dist/main.js`, `export function main() {}\n`);
    w(`packages/${p}/dist/main.d.ts`, `export declare function main(): void;\n`);
    w(`packages/${p}/dist/x.test.js`, `// a test: not in the image\n`);
    w(`packages/${p}/src/main.ts`, `export function main() {}\n`);
    if (p !== 'resp') {
      mkdirSync(join(root, `packages/${p}/node_modules/@swarmkv`), { recursive: true });
      symlinkSync('../../../resp', join(root, `packages/${p}/node_modules/@swarmkv/resp`));
      symlinkSync('../../../node_modules/.pnpm/tiny@1.0.0/node_modules/tiny', join(root, `packages/${p}/node_modules/tiny`));
    }
  }
  w('node_modules/.pnpm/tiny@1.0.0/node_modules/tiny/package.json', '{"name":"tiny","version":"1.0.0","dependencies":{"leaf":"1.0.0"}}');
  w('node_modules/.pnpm/tiny@1.0.0/node_modules/tiny/index.js', 'export default 1;\n');
  w('node_modules/.pnpm/tiny@1.0.0/node_modules/tiny/README.md', '# docs are left out\n');
  w('node_modules/.pnpm/leaf@1.0.0/node_modules/leaf/package.json', '{"name":"leaf","version":"1.0.0"}');
  w('node_modules/.pnpm/leaf@1.0.0/node_modules/leaf/index.js', 'export default 2;\n');
  symlinkSync('../../leaf@1.0.0/node_modules/leaf', join(root, 'node_modules/.pnpm/tiny@1.0.0/node_modules/leaf'));
  return root;
}
