/**
 * `--verbose`: every Docker Engine API call, one line each as it ends, on stderr:
 *
 *   docker h1: POST /v1.41/services/create -> ok (12 ms)
 *   docker h1: GET /v1.41/swarm -> 503 node is not a swarm manager (2 ms)
 *   docker h2: GET /version -> error ECONNREFUSED (3 ms)
 *   docker h1: POST /v1.41/build -> stream (840 ms)      (headers back; the body streams on)
 *
 * Calls are caught where dockerode hands them to its HTTP layer (docker-modem's `dial`), so every
 * command and every dockerode method is covered without wrapping them one by one. Query strings
 * are left out (filters make them long); credentials never reach the path.
 */
import type Docker from 'dockerode';

export type TraceSink = (line: string) => void;

let sink: TraceSink | null = null;

/** Where engine calls are reported from now on (null: nowhere). The CLI sets it per run. */
export function setEngineTrace(s: TraceSink | null): void {
  sink = s;
}

interface DialOptions {
  method?: string;
  path?: string;
  isStream?: boolean;
}
type DialCallback = (err: unknown, data: unknown) => void;
interface Modem {
  dial(options: DialOptions, callback: DialCallback): unknown;
}

/** Makes `docker` report its calls to the trace sink (if one is set when a call ends). */
export function traceEngineCalls(docker: Docker, hostName: string): Docker {
  const modem = docker.modem as unknown as Modem;
  const dial = modem.dial.bind(modem);
  modem.dial = (options, callback) => {
    // Read before dialling: dial prefixes the path with the API version in place.
    const version = (modem as { version?: string }).version;
    const path = (version ? `/${version}` : '') + (options.path ?? '').replace(/\?.*$/, '');
    const what = `${options.method ?? 'GET'} ${path}`;
    const started = performance.now();
    return dial(options, (err, data) => {
      sink?.(`docker ${hostName}: ${what} -> ${outcome(err, options.isStream === true)} (${Math.round(performance.now() - started)} ms)`);
      callback(err, data);
    });
  };
  return docker;
}

function outcome(err: unknown, isStream: boolean): string {
  if (err === null || err === undefined) return isStream ? 'stream' : 'ok';
  const e = err as { statusCode?: number; code?: string; reason?: string; message?: string };
  if (typeof e.statusCode === 'number') return `${e.statusCode}${e.reason ? ` ${e.reason}` : ''}`;
  return `error ${e.code ?? e.message ?? String(err)}`;
}
