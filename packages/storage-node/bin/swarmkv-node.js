#!/usr/bin/env -S node --max-old-space-size=16384 --max-semi-space-size=1 --initial-old-space-size=128
// The swarmkv-node launcher. The compiled entry point lives in dist/ (run `pnpm build` first).
//
// A node needs its V8 flags (dist/v8-flags.js says which and why). The shebang passes them (pnpm's
// bin shim copies shebang flags into its `node` call); started some other way without them
// (`node bin/swarmkv-node.js`), the launcher runs itself once more with them, forwarding signals
// and the exit status.
import { fileURLToPath } from 'node:url';
import { relaunchWithV8Flags } from '../dist/v8-flags.js';

if (!relaunchWithV8Flags(fileURLToPath(import.meta.url), process.argv.slice(2))) {
  import('../dist/main.js').then((m) => m.main(process.argv.slice(2)));
}
