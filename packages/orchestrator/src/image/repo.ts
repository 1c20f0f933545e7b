/**
 * Locates the swarmkv checkout the orchestrator runs from: the image is made of its built packages
 * (packages/<name>/dist) and of the production dependencies pnpm installed for them.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SwarmkvError } from '../errors.js';

/** The packages whose code runs inside the image; the orchestrator itself does not. */
export const IMAGE_PACKAGES = ['resp', 'storage-node', 'router'] as const;

export function repoRoot(): string {
  const fromEnv = process.env.SWARMKV_REPO_ROOT;
  if (fromEnv) return fromEnv;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    const up = dirname(dir);
    if (up === dir) {
      throw new SwarmkvError('IMAGE_BUILD', 'cannot find the swarmkv checkout (no pnpm-workspace.yaml above the orchestrator)', 'run swarmkv from its checkout, or set SWARMKV_REPO_ROOT');
    }
    dir = up;
  }
}

/** Fails early, with the command that fixes it, when a package the image needs is not built. */
export function assertBuilt(root: string): void {
  for (const p of IMAGE_PACKAGES) {
    if (!existsSync(join(root, 'packages', p, 'dist', 'main.js')) && p !== 'resp') {
      throw new SwarmkvError('IMAGE_BUILD', `packages/${p} is not built (no dist/main.js)`, 'run `pnpm run build` (scripts/setup.sh does it)');
    }
    if (!existsSync(join(root, 'packages', p, 'dist'))) {
      throw new SwarmkvError('IMAGE_BUILD', `packages/${p} is not built (no dist/)`, 'run `pnpm run build` (scripts/setup.sh does it)');
    }
  }
}
