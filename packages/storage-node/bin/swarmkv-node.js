#!/usr/bin/env -S node --max-old-space-size=16384
// The swarmkv-node launcher. The compiled entry point lives in dist/ (run `pnpm build` first).
//
// A node holding millions of keys needs a V8 heap far above Node's default limit. The shebang
// passes --max-old-space-size (pnpm's bin shim copies shebang flags into its `node` call); when
// the launcher is started some other way (`node bin/swarmkv-node.js`) and the limit is low, it
// runs itself once more with the flag, forwarding signals and the exit status.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';

const HEAP_MB = 16384;
const limitMb = v8.getHeapStatistics().heap_size_limit / (1024 * 1024);

if (limitMb < HEAP_MB * 0.9 && process.env.SWARMKV_NODE_REEXEC !== '1') {
  const child = spawn(
    process.execPath,
    [`--max-old-space-size=${HEAP_MB}`, ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    { stdio: 'inherit', env: { ...process.env, SWARMKV_NODE_REEXEC: '1' } },
  );
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => {
    if (signal) process.kill(process.pid, signal);
    else process.exit(code ?? 1);
  });
} else {
  import('../dist/main.js').then((m) => m.main(process.argv.slice(2)));
}
