/**
 * `swarmkv certs`: a CA, a server certificate per host (its SANs: the host's name, the endpoint's
 * host and the advertise address) and one client certificate, for Docker's TLS port 2376
 * (`dockerd --tlsverify`). Made with the machine's `openssl`; existing files are kept (so
 * re-running is harmless) unless --force. Prints the dockerd flags and the cluster-file lines.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { isIpv4 } from '../config/cidr.js';
import type { ClusterConfig } from '../config/schema.js';
import { SwarmkvError } from '../errors.js';

const run = promisify(execFile);
export const TLS_PORT = 2376;

export interface CertsReport {
  dir: string;
  ca: string;
  client: { cert: string; key: string };
  hosts: { name: string; sans: string[]; cert: string; key: string; dockerd: string }[];
  made: string[];
}

async function openssl(args: string[]): Promise<void> {
  try {
    await run('openssl', args);
  } catch (e) {
    throw new SwarmkvError('CERTS', `openssl ${args[0]} failed: ${(e as { stderr?: string }).stderr || (e as Error).message}`, 'install openssl (apt-get install openssl)');
  }
}

const serial = () => `0x${randomBytes(8).toString('hex')}`;

/** SANs of a host: its name, the endpoint's host, its advertise address, and loopback for local use. */
export function hostSans(h: ClusterConfig['hosts'][number]): string[] {
  const names = new Set<string>([h.name]);
  const ips = new Set<string>([h.advertise]);
  if (h.endpoint.startsWith('tcp://')) {
    const host = new URL(h.endpoint.replace(/^tcp:/, 'http:')).hostname;
    (isIpv4(host) ? ips : names).add(host);
  }
  return [...[...names].filter((n) => !isIpv4(n)).map((n) => `DNS:${n}`), ...[...ips].map((ip) => `IP:${ip}`)];
}

export async function makeCerts(cfg: ClusterConfig, opts: { out: string; force: boolean; days: number }): Promise<CertsReport> {
  const dir = resolve(opts.out);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const made: string[] = [];
  const days = String(opts.days);
  const ca = join(dir, 'ca.pem');
  const caKey = join(dir, 'ca-key.pem');
  if (opts.force || !existsSync(ca) || !existsSync(caKey)) {
    await openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', caKey, '-out', ca, '-days', days, '-subj', `/CN=swarmkv ${cfg.cluster.name} CA`,
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
    made.push(ca);
  }
  const sign = async (name: string, key: string, cert: string, subject: string, ext: string) => {
    const csr = `${cert}.csr`;
    const extFile = `${cert}.ext`;
    writeFileSync(extFile, ext);
    try {
      await openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', csr, '-subj', subject]);
      await openssl(['x509', '-req', '-in', csr, '-CA', ca, '-CAkey', caKey, '-set_serial', serial(), '-out', cert, '-days', days, '-extfile', extFile]);
    } finally {
      rmSync(csr, { force: true });
      rmSync(extFile, { force: true });
    }
    made.push(cert);
    void name;
  };
  const clientCert = join(dir, 'cert.pem');
  const clientKey = join(dir, 'key.pem');
  if (opts.force || !existsSync(clientCert)) {
    await sign('client', clientKey, clientCert, '/CN=swarmkv client', 'extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n');
  }
  const hosts: CertsReport['hosts'] = [];
  for (const h of cfg.hosts) {
    const hd = join(dir, h.name);
    mkdirSync(hd, { recursive: true, mode: 0o700 });
    const cert = join(hd, 'server-cert.pem');
    const key = join(hd, 'server-key.pem');
    const sans = hostSans(h);
    if (opts.force || !existsSync(cert)) {
      await sign(h.name, key, cert, `/CN=${h.name}`, `subjectAltName=${sans.join(',')}\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n`);
    }
    hosts.push({
      name: h.name,
      sans,
      cert,
      key,
      dockerd: `dockerd --tlsverify --tlscacert=${ca} --tlscert=${cert} --tlskey=${key} -H tcp://0.0.0.0:${TLS_PORT} -H unix:///var/run/docker.sock`,
    });
  }
  return { dir, ca, client: { cert: clientCert, key: clientKey }, hosts, made };
}

export function certsText(r: CertsReport): string {
  const lines = [`certificates in ${r.dir} (${r.made.length ? `made ${r.made.length}` : 'all existed already'})`, ''];
  for (const h of r.hosts) {
    lines.push(`host ${h.name} (SANs ${h.sans.join(', ')}): copy ca.pem and ${h.name}/server-*.pem there and start`);
    lines.push(`  ${h.dockerd}`);
  }
  lines.push('', 'then in the cluster file, for each host:');
  lines.push(`    endpoint: tcp://<address>:${TLS_PORT}`, '    tls:', `      ca: ${r.ca}`, `      cert: ${r.client.cert}`, `      key: ${r.client.key}`);
  return lines.join('\n');
}
