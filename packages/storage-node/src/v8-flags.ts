/**
 * The V8 flags a storage node runs with, and the relaunch that applies them.
 *
 * - `--max-old-space-size`: a node holding tens of millions of keys needs a heap far above Node's
 *   default limit.
 * - `--max-semi-space-size=1` (MB): while keys are loaded most new objects survive, and a young
 *   generation collection copies and promotes all of them in one pause. V8's default 16 MB
 *   semi-space made those pauses 20-30 ms at 3 million keys on these VMs (first touch of a fresh
 *   page costs ~15 us here); 1 MB keeps each one small (see README, issue 2 figures).
 * - `--initial-old-space-size=128` (MB): keys and short values live off the heap (ByteSlab), so
 *   the heap of a node with 8 million keys is ~11 MB, and V8's limits for so small a heap ran a
 *   full mark-compact (4-11 ms pause) every ~0.4 s while keys loaded: 68 in a 26 s load. Starting
 *   the old space's limit at 128 MB made that 8, with RSS of the 1M-key type benches unchanged.
 *
 * V8 reads these flags when the heap is created, so they cannot be set from inside: a process
 * started without them runs itself once more with them (`relaunchWithV8Flags`).
 */
import { spawn } from 'node:child_process';

export const STORAGE_NODE_V8_FLAGS: readonly string[] = ['--max-old-space-size=16384', '--max-semi-space-size=1', '--initial-old-space-size=128'];

const RELAUNCHED = 'SWARMKV_V8_FLAGS_APPLIED';

/** The flags of STORAGE_NODE_V8_FLAGS that this process was not started with. */
export function missingV8Flags(execArgv: readonly string[] = process.execArgv, nodeOptions = process.env.NODE_OPTIONS ?? ''): string[] {
  const given = [...execArgv, ...nodeOptions.split(/\s+/)].map((a) => a.split('=')[0]!.replace(/_/g, '-'));
  return STORAGE_NODE_V8_FLAGS.filter((f) => !given.includes(f.split('=')[0]!));
}

/**
 * Runs `script args` again under the same Node with the missing flags, forwarding signals and
 * the exit status, and returns true; returns false (do nothing) when every flag is already
 * there or this process is itself the relaunch.
 */
export function relaunchWithV8Flags(script: string, args: readonly string[]): boolean {
  const missing = missingV8Flags();
  if (missing.length === 0 || process.env[RELAUNCHED] === '1') return false;
  const child = spawn(process.execPath, [...missing, ...process.execArgv, script, ...args], {
    stdio: 'inherit',
    env: { ...process.env, [RELAUNCHED]: '1' },
  });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => {
    if (signal) process.kill(process.pid, signal);
    else process.exit(code ?? 1);
  });
  return true;
}
