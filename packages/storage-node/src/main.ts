/**
 * The `swarmkv-node` binary: load the configuration (see server/config-load.ts), listen, and
 * shut down cleanly on SIGTERM/SIGINT or SHUTDOWN. A bad configuration exits with status 2
 * and a message naming the parameter and what it accepts; a port in use exits with status 1.
 */
import { pino } from 'pino';
import { NodeServer } from './server/server.js';
import { ConfigError, loadConfig } from './server/config-load.js';
import { REDIS_VERSION } from './commands/connection.js';

const USAGE = `Usage: swarmkv-node [config-file] [--config <file>] [--<redis-parameter> <value>]...

Options (any Redis 7.0 configuration parameter is accepted the same way):
  --port <n>            TCP port (default 6379; 0 picks a free one)
  --bind "<addr> ..."   addresses to listen on (default 127.0.0.1)
  --databases <n>       number of databases (default 16)
  --requirepass <pw>    password for AUTH (default none)
  --hz <n>              background task frequency (default 10)
  --maxclients <n>      connection limit (default 10000)
  --config <file>       redis.conf-style file (name value per line)
Environment: SWARMKV_<PARAMETER> (e.g. SWARMKV_PORT=7000), SWARMKV_CONFIG=<file>.
`;

export async function main(argv: string[]): Promise<void> {
  let loaded;
  try {
    loaded = loadConfig(argv);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`swarmkv-node: ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  if (loaded.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (loaded.version) {
    process.stdout.write(`swarmkv-node (Redis ${REDIS_VERSION} compatible)\n`);
    return;
  }
  const config = loaded.config;
  const log = pino({ level: config.logLevel, base: { component: 'swarmkv-node' } });
  const server = new NodeServer(config, { log });
  let port: number;
  try {
    port = await server.listen();
  } catch (e) {
    log.fatal({ err: (e as Error).message, bind: config.bind, port: config.port }, 'cannot listen');
    process.exit(1);
  }
  log.info({ port, bind: config.bind, pid: process.pid }, 'ready to accept connections');

  let stopping = false;
  const stop = (why: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ why }, 'shutting down');
    const force = setTimeout(() => process.exit(0), 5000);
    force.unref();
    void server.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  server.core.onShutdown = () => stop('SHUTDOWN');
}
