/** End-to-end tests against the real Docker Engine: one file at a time (one engine, one swarm). */
import { defineConfig } from 'vitest/config';
import { workspaceAliases } from './vitest.shared.js';

export default defineConfig({
  resolve: { alias: workspaceAliases },
  test: {
    include: ['tests/e2e/**/*.test.ts', 'tests/lab/**/*.test.ts'],
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});
