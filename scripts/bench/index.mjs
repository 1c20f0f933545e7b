// `pnpm bench`: every benchmark program in turn. Each prints its own tables, medians and ratios.
// Pass-through: `pnpm bench -- --only node` runs one of them.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const PROGRAMS = ['node.mjs', 'keyspace-expire.mjs', 'types.mjs', 'router.mjs'];
const only = process.argv.indexOf('--only');
const pick = only > 0 ? [`${process.argv[only + 1]}.mjs`] : PROGRAMS;
for (const p of pick) {
  const file = path.join(here, p);
  if (!existsSync(file)) continue;
  console.log(`\n======== ${p}`);
  const r = spawnSync(process.execPath, [file], { stdio: 'inherit' });
  if (r.status !== 0) process.exitCode = 1;
}
