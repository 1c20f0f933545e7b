/**
 * `swarmkv-router`: parse flags, start the router, reload the topology file on SIGHUP, stop on
 * SIGINT/SIGTERM. Exit codes: 0 stopped cleanly, 1 failure (e.g. the port is taken), 2 usage
 * (bad flags, invalid topology).
 */
import { ConfigError, parseConfig, USAGE } from './config.js';
import { createLogger } from './log.js';
import { startRouter } from './server.js';
import { TopologyError } from './topology.js';

export async function main(argv: readonly string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE + '\n');
    return;
  }
  let config;
  try {
    config = parseConfig(argv);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    process.stderr.write(`swarmkv-router: ${e.message}\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  const log = createLogger(config.logLevel);
  let running;
  try {
    running = await startRouter(config, log);
  } catch (e) {
    if (e instanceof TopologyError) {
      process.stderr.write(`swarmkv-router: ${e.message}\n`);
      process.exitCode = 2;
      return;
    }
    const err = e as NodeJS.ErrnoException;
    process.stderr.write(`swarmkv-router: cannot listen on ${config.bind}:${config.port}: ${err.code ?? err.message}\n`);
    process.exitCode = 1;
    return;
  }
  const r = running;
  process.on('SIGHUP', () => {
    try {
      r.reloadTopology();
    } catch (e) {
      log.error({ error: (e as Error).message }, 'topology reload failed: keeping the current one');
    }
  });
  const stop = (signal: string) => {
    log.info({ signal }, 'shutting down');
    void r.close().then(() => process.exit(0));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}
