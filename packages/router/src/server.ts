/**
 * Starting and stopping a router: the TCP listener in front of a `Router`.
 *
 *   const r = await startRouter(parseConfig(['--nodes', '127.0.0.1:7001,127.0.0.1:7002']));
 *   ... r.port ... r.router.setTopology(...) ...
 *   await r.close();
 *
 * Used by main.ts (the binary) and by tests that run a router in-process.
 */
import net from 'node:net';
import type { Logger } from 'pino';
import type { RouterConfig } from './config.js';
import { createLogger } from './log.js';
import { Router } from './router.js';
import { evenTopology, parseAddress, readTopologyFile, type Topology } from './topology.js';

export interface RunningRouter {
  readonly router: Router;
  readonly port: number;
  /** Re-reads --topology (what SIGHUP does); throws TopologyError if the file is invalid. */
  reloadTopology(): void;
  close(): Promise<void>;
}

/** The topology the configuration names: the --topology file, or --nodes split evenly. */
export function initialTopology(config: RouterConfig): Topology {
  if (config.topology !== undefined) return readTopologyFile(config.topology);
  return evenTopology(config.nodes!.split(',').filter((s) => s.trim().length > 0).map(parseAddress));
}

export async function startRouter(config: RouterConfig, log: Logger = createLogger(config.logLevel)): Promise<RunningRouter> {
  const router = new Router(config, initialTopology(config), log);
  // Paused: a client socket is read with `onread` (direct-read.ts), set up before any read.
  const server = net.createServer({ noDelay: true, pauseOnConnect: true }, (socket) => router.accept(socket));
  // Refusals are answered by the router itself; this caps sockets still open on the server
  // object (refused ones: an accepted client's socket moves to a new object, see direct-read.ts).
  server.maxConnections = config.maxclients + 1024;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.bind, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as net.AddressInfo).port;
  router.port = port;
  log.info({ port, bind: config.bind }, 'router listening');
  return {
    router,
    port,
    reloadTopology() {
      if (config.topology === undefined) {
        log.warn('no --topology file to reload (started with --nodes)');
        return;
      }
      router.setTopology(readTopologyFile(config.topology), `reload ${config.topology}`);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        router.shutdown();
      }),
  };
}
