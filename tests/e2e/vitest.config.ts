// End-to-end tests of the orchestrator against the real local Docker Engine (a single-host swarm).
// They share one swarm and one engine, so files and tests run strictly one after another.
// Run: pnpm exec tsc -b packages/orchestrator && pnpm vitest run --config tests/e2e/vitest.config.ts
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.test.ts'],
    root: new URL('../..', import.meta.url).pathname,
    fileParallelism: false,
    maxWorkers: 1,
    pool: 'forks',
    testTimeout: 180_000,
    hookTimeout: 180_000,
    sequence: { concurrent: false },
  },
});
