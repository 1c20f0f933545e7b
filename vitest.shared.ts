/** Resolves workspace packages to their TypeScript sources, so tests need no build. */
import { fileURLToPath } from 'node:url';

const src = (p: string) => fileURLToPath(new URL(`./packages/${p}/src/index.ts`, import.meta.url));

export const workspaceAliases = {
  '@swarmkv/resp': src('resp'),
  '@swarmkv/storage-node': src('storage-node'),
  '@swarmkv/router': src('router'),
  '@swarmkv/orchestrator': src('orchestrator'),
};
