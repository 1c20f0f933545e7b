/**
 * Connects to one host's Docker Engine with dockerode. dockerode does not negotiate the API
 * version (Debian's engine speaks 1.41 and rejects newer paths), so the first call is an
 * unversioned GET /version and every later call is prefixed with the engine's own ApiVersion.
 * Connection failures become SwarmkvErrors that say which endpoint failed and what to do.
 */
import { readFileSync } from 'node:fs';
import Docker from 'dockerode';
import type { Host } from '../config/schema.js';
import { messageOf, SwarmkvError } from '../errors.js';
import { traceEngineCalls } from './trace.js';

/** Oldest Engine API with everything swarmkv uses (ContainerSpec.Init, config-less secrets). */
export const MIN_API_VERSION = '1.37';
const CONNECT_TIMEOUT_MS = 5_000;

export interface Engine {
  readonly host: Host;
  readonly docker: Docker;
  readonly apiVersion: string;
  readonly engineVersion: string;
}

export function dockerOptions(host: Host, version?: string): Docker.DockerOptions {
  const opts: Docker.DockerOptions = {};
  if (version) opts.version = `v${version}`;
  if (host.endpoint.startsWith('unix://')) {
    opts.socketPath = host.endpoint.slice('unix://'.length);
    return opts;
  }
  const url = new URL(host.endpoint.replace(/^tcp:/, 'http:'));
  opts.host = url.hostname;
  opts.port = Number(url.port);
  if (host.tls) {
    opts.protocol = 'https';
    opts.ca = readPem(host, 'ca');
    opts.cert = readPem(host, 'cert');
    opts.key = readPem(host, 'key');
  } else {
    opts.protocol = 'http';
  }
  return opts;
}

function readPem(host: Host, which: 'ca' | 'cert' | 'key'): string {
  const path = host.tls![which];
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new SwarmkvError(
      'ENGINE_TLS',
      `host ${host.name}: cannot read tls.${which} ${path}: ${(e as Error).message}`,
      'make the certificates with `swarmkv certs` and point tls.ca/cert/key at them',
    );
  }
}

export async function connect(host: Host): Promise<Engine> {
  const probe = traceEngineCalls(new Docker({ ...dockerOptions(host), timeout: CONNECT_TIMEOUT_MS }), host.name);
  let version: Docker.DockerVersion;
  try {
    version = await probe.version();
  } catch (e) {
    throw connectError(host, e);
  }
  const apiVersion = version.ApiVersion;
  if (!apiVersion || compareVersions(apiVersion, MIN_API_VERSION) < 0) {
    throw new SwarmkvError(
      'ENGINE_API',
      `host ${host.name}: Docker Engine ${version.Version} speaks API ${apiVersion}, swarmkv needs ${MIN_API_VERSION} or newer`,
      'upgrade the engine (Debian 12 docker.io 20.10 is enough)',
    );
  }
  return { host, docker: traceEngineCalls(new Docker(dockerOptions(host, apiVersion)), host.name), apiVersion, engineVersion: version.Version };
}

export async function connectAll(hosts: readonly Host[]): Promise<Engine[]> {
  return Promise.all(hosts.map((h) => connect(h)));
}

export function connectError(host: Host, e: unknown): SwarmkvError {
  const msg = messageOf(e);
  const code = (e as { code?: string } | undefined)?.code;
  const where = `Docker engine of host ${host.name} at ${host.endpoint}`;
  // With TLS 1.3 a refused client certificate arrives after the handshake, as a reset connection.
  const tlsReset = host.tls !== undefined && (code === 'ECONNRESET' || /socket hang up/i.test(msg));
  if (tlsReset || /certificate|SSL|TLS|ssl3|EPROTO|self.signed|handshake|alert/i.test(msg) || code?.startsWith('ERR_TLS') || code === 'EPROTO') {
    return new SwarmkvError(
      'ENGINE_TLS',
      `${where} refused the TLS handshake: ${msg}`,
      'check that tls.ca signed the engine certificate, that the certificate names this address, and that ' +
        'tls.cert/tls.key were signed by the CA given to dockerd --tlscacert (`swarmkv certs` makes a matching set)',
    );
  }
  if (host.endpoint.startsWith('unix://')) {
    return new SwarmkvError(
      'ENGINE_UNREACHABLE',
      `${where} does not answer (${code ?? msg})`,
      'start the engine (scripts/docker/ensure-dockerd.sh does it here) or run `swarmkv up --local` for a cluster of processes',
    );
  }
  return new SwarmkvError(
    'ENGINE_UNREACHABLE',
    `${where} does not answer (${code ?? msg})`,
    'check that dockerd listens there (-H tcp://0.0.0.0:2376 --tlsverify ...) and that the port is reachable from here',
  );
}

/** Compares dotted versions numerically ("1.41" < "1.9" is false). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
