// The image's entrypoint: picks the program a task runs (`node` = storage node, `router`) and
// hands it the cluster password. The image is FROM scratch (no shell), so reading the swarm secret
// into a flag cannot be done with `$(cat ...)` in the service command: it is done here.
//   SWARMKV_PASSWORD_FILE  a file holding the password (a swarm secret under /run/secrets)
// `eval <js>` runs a snippet with the image's node (used to test the image itself).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const PROGRAMS = {
  // The storage node needs its V8 flags: the entrypoint runs itself once more with them.
  node: { main: '../../packages/storage-node/dist/main.js', passwordFlags: ['--requirepass'], v8Flags: '../../packages/storage-node/dist/v8-flags.js' },
  // The router asks clients for the password and gives it to the nodes.
  router: { main: '../../packages/router/dist/main.js', passwordFlags: ['--requirepass', '--node-password'] },
};

const [role = 'node', ...args] = process.argv.slice(2);
if (role === 'eval') {
  await import(`data:text/javascript,${encodeURIComponent(args.join(' '))}`);
} else {
  const program = PROGRAMS[role];
  if (!program) {
    process.stderr.write(`swarmkv entrypoint: unknown role "${role}" (node, router or eval)\n`);
    process.exit(2);
  }
  const relaunched = program.v8Flags !== undefined
    && (await import(new URL(program.v8Flags, import.meta.url).href)).relaunchWithV8Flags(fileURLToPath(import.meta.url), process.argv.slice(2));
  if (!relaunched) {
    const file = process.env.SWARMKV_PASSWORD_FILE;
    if (file) {
      const password = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
      if (password) for (const flag of program.passwordFlags) args.push(flag, password);
    }
    const m = await import(new URL(program.main, import.meta.url).href);
    await m.main(args);
  }
}
