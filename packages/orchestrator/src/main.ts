/**
 * The `swarmkv` command line: parses flags (commander), loads the cluster file once, runs one
 * command, and turns its outcome into an exit status. This is the only place that exits:
 * 0 ok, 1 failure (a SwarmkvError, printed with its code and hint), 2 usage. `run()` does the work
 * and returns the status, so tests can drive the CLI in-process.
 */
import { writeFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { findConfigFile, loadConfig, type Overrides } from './config/load.js';
import type { ClusterConfig } from './config/schema.js';
import { certsText, makeCerts } from './commands/certs.js';
import { down, downText } from './commands/down.js';
import { renderStack } from './commands/stack.js';
import { status, statusText } from './commands/status.js';
import { up, upText } from './commands/up.js';
import { connectAll } from './engine/connect.js';
import { setEngineTrace } from './engine/trace.js';
import { isSwarmkvError, SwarmkvError, usage } from './errors.js';
import { ensureImage } from './image/build.js';
import { downLocal, statusLocal, upLocal } from './local/local.js';
import { Output, table } from './ui/output.js';

export interface Io {
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
}

interface GlobalOpts {
  file?: string;
  json?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  name?: string;
  port?: number;
  shards?: number;
  subnet?: string;
}

const DEFAULT_TIMEOUT_S = 120;

function intArg(name: string) {
  return (v: string): number => {
    if (!/^\d+$/.test(v)) throw usage(`${name} must be a whole number, got "${v}"`);
    return Number(v);
  };
}

function config(g: GlobalOpts): ClusterConfig {
  const o: Overrides = {};
  if (g.name !== undefined) o.name = g.name;
  if (g.port !== undefined) o.port = g.port;
  if (g.shards !== undefined) o.shards = g.shards;
  if (g.subnet !== undefined) o.subnet = g.subnet;
  return loadConfig(findConfigFile(g.file), o);
}

export async function run(argv: readonly string[], io: Io = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  let out = new Output({ json: false, stdout, stderr });
  const program = new Command('swarmkv')
    .description('Deploys and runs a swarmkv cluster (Redis-compatible, sharded) on Docker Swarm')
    .option('-f, --file <path>', 'cluster file (default: ./swarmkv.yml if present, or $SWARMKV_CONFIG; else built-in defaults)')
    .option('--json', 'print the result as JSON on stdout')
    .option('-q, --quiet', 'no progress lines')
    .option('-v, --verbose', 'every Docker Engine API call on stderr: host, method, path, outcome, time')
    .option('--name <name>', 'cluster name (overrides cluster.name)')
    .addOption(new Option('--port <port>', 'router port (overrides cluster.port)').argParser(intArg('--port')))
    .addOption(new Option('--shards <n>', 'number of storage nodes (overrides cluster.shards)').argParser(intArg('--shards')))
    .option('--subnet <cidr>', 'overlay subnet (overrides cluster.network.subnet)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => stdout.write(s), writeErr: (s) => stderr.write(s) })
    .showHelpAfterError();

  const setup = (cmd: Command): { g: GlobalOpts; cfg: () => ClusterConfig } => {
    const g = cmd.optsWithGlobals() as GlobalOpts;
    out = new Output({ json: g.json ?? false, quiet: g.quiet ?? false, stdout, stderr });
    setEngineTrace(g.verbose ? (line) => stderr.write(`${line}\n`) : null);
    return { g, cfg: () => config(g) };
  };

  program
    .command('up')
    .description('create or converge the cluster (idempotent), then print how to connect')
    .option('--local', 'run the cluster as processes on 127.0.0.1 instead of on Docker')
    .option('--adopt', 'deploy into an existing swarm that swarmkv did not create')
    .addOption(new Option('--timeout <seconds>', 'how long to wait for tasks and the router').argParser(intArg('--timeout')).default(DEFAULT_TIMEOUT_S))
    .option('--state-dir <dir>', 'where --local keeps its PID file and logs', '.swarmkv')
    .action(async (o: { local?: boolean; adopt?: boolean; timeout: number; stateDir: string }, cmd: Command) => {
      const { cfg } = setup(cmd);
      const c = cfg();
      if (o.local) {
        const r = await upLocal(c, { dir: o.stateDir, timeoutMs: o.timeout * 1000 }, out);
        out.result(
          [`local cluster ${r.cluster} is up: ${r.processes.map((p) => `${p.name} pid ${p.pid} port ${p.port}`).join(', ')}`,
            r.changes.length ? '' : 'nothing changed (already running)', `took ${(r.durationMs / 1000).toFixed(1)}s`, '', `connect: ${r.connect}`].filter((l, i) => l || i !== 1).join('\n'),
          r,
        );
        return;
      }
      const r = await up(c, { adopt: o.adopt ?? false, timeoutMs: o.timeout * 1000 }, out);
      out.result(upText(r), r);
    });

  program
    .command('down')
    .description('remove the cluster: services, network and secret labelled with its name')
    .option('--local', 'stop the processes `up --local` started')
    .option('--images', 'also remove the swarmkv image from every engine')
    .option('--leave', 'also leave the swarm (only one swarmkv created, and only when nothing else runs in it)')
    .option('--state-dir <dir>', 'where --local keeps its PID file', '.swarmkv')
    .action(async (o: { local?: boolean; images?: boolean; leave?: boolean; stateDir: string }, cmd: Command) => {
      const { cfg } = setup(cmd);
      if (o.local) {
        const r = await downLocal({ dir: o.stateDir });
        out.result(r.changes.length ? `stopped:\n${r.changes.map((c) => `  ${c.object}`).join('\n')}` : 'no local cluster was running', r);
        return;
      }
      const r = await down(cfg(), { images: o.images ?? false, leave: o.leave ?? false }, out);
      out.result(downText(r), r);
    });

  program
    .command('status')
    .description('hosts, services and tasks, slot ranges, keys and memory per node, router clients and ops/s')
    .option('--local', 'the processes `up --local` started')
    .option('--state-dir <dir>', 'where --local keeps its PID file', '.swarmkv')
    .action(async (o: { local?: boolean; stateDir: string }, cmd: Command) => {
      const { cfg } = setup(cmd);
      if (o.local) {
        const r = await statusLocal(cfg(), { dir: o.stateDir });
        out.result(
          [
            table(['PROCESS', 'PID', 'PORT', 'RUNNING', 'KEYS', 'MEMORY'], r.processes.map((p) => [p.name, String(p.pid), String(p.port), p.running ? 'yes' : 'no', p.keys === undefined ? '-' : String(p.keys), p.usedMemory === undefined ? '-' : `${(p.usedMemory / 1048576).toFixed(1)} MiB`])),
            r.router.reachable ? `router ${r.router.address}: ${r.router.clients ?? '?'} clients, ${r.router.opsPerSec ?? '?'} ops/s` : `router ${r.router.address}: not answering (${r.router.error})`,
          ].join('\n'),
          r,
        );
        return;
      }
      const r = await status(cfg());
      out.result(statusText(r), r);
    });

  program
    .command('stack')
    .description('print (or write) a compose 3.8 stack file equivalent to what `up` deploys')
    .option('-o, --output <file>', 'write it to this file instead of stdout')
    .action(async (o: { output?: string }, cmd: Command) => {
      const { cfg } = setup(cmd);
      const text = renderStack(cfg());
      if (o.output) {
        writeFileSync(o.output, text);
        out.progress(`wrote ${o.output}`);
      } else stdout.write(text);
    });

  program
    .command('image')
    .description('build the swarmkv image and put it into every engine (what `docker stack deploy` needs)')
    .action(async (_o: unknown, cmd: Command) => {
      const { cfg } = setup(cmd);
      const c = cfg();
      const engines = await out.step(`connecting to ${c.hosts.length} engine(s)`, () => connectAll(c.hosts));
      const r = await out.step(`image ${c.image.tag}`, () => ensureImage(engines, c, (l) => out.progress(`  ${l}`)));
      out.result(`${r.ref} ${r.built ? 'built' : 'up to date'} (${r.contentHash})${r.copiedTo.length ? `, copied to ${r.copiedTo.join(', ')}` : ''}`, r);
    });

  program
    .command('certs')
    .description('make a CA, a server certificate per host and a client certificate for Docker TLS (port 2376)')
    .option('--out <dir>', 'where to write them', '.swarmkv/certs')
    .option('--force', 'make new ones even where files exist')
    .addOption(new Option('--days <n>', 'validity').argParser(intArg('--days')).default(825))
    .action(async (o: { out: string; force?: boolean; days: number }, cmd: Command) => {
      const { cfg } = setup(cmd);
      const r = await makeCerts(cfg(), { out: o.out, force: o.force ?? false, days: o.days });
      out.result(certsText(r), r);
    });

  try {
    if (argv.length === 0) {
      program.outputHelp();
      return 2;
    }
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.exitCode === 0) return 0;
      return 2;
    }
    if (isSwarmkvError(e)) {
      report(e, out, stdout, stderr);
      return e.exitCode;
    }
    stderr.write(`swarmkv: internal error (a bug): ${(e as Error)?.stack ?? String(e)}\n`);
    return 1;
  } finally {
    setEngineTrace(null);
  }
}

function report(e: SwarmkvError, out: Output, stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): void {
  if (out.json) stdout.write(`${JSON.stringify({ error: e.toJSON() }, null, 2)}\n`);
  stderr.write(`swarmkv: error ${e.code}: ${e.message}\n`);
  if (e.hint) stderr.write(`  what to do: ${e.hint}\n`);
}

/** Entry point of bin/swarmkv.js: runs the command and exits with its status. */
export async function main(argv: readonly string[]): Promise<void> {
  const code = await run(argv);
  // Flush before exiting: stdout may be a pipe that has not drained yet.
  await new Promise<void>((r) => (process.stdout.writableLength ? process.stdout.once('drain', () => r()) : r()));
  process.exit(code);
}
