/**
 * Finds, reads and validates the cluster file, then fills in what the schema cannot default on
 * its own (the local host, advertise addresses, the network name that follows the cluster name).
 * Precedence: command-line flags > environment (SWARMKV_CONFIG names the file) > file > defaults.
 * The result is frozen: nothing downstream may change the configuration it was started with.
 */
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { SwarmkvError } from '../errors.js';
import { isIpv4 } from './cidr.js';
import { ClusterFileSchema, DEFAULT_ENDPOINT, type ClusterConfig, type Host } from './schema.js';

/** File names looked for in the working directory when no file is named. */
export const DEFAULT_FILES = ['swarmkv.yml', 'swarmkv.yaml'];

export interface Overrides {
  name?: string;
  port?: number;
  shards?: number;
  subnet?: string;
  password?: string;
}

export function findConfigFile(explicit: string | undefined, env = process.env, cwd = process.cwd()): string | undefined {
  const named = explicit ?? env.SWARMKV_CONFIG;
  if (named) {
    const p = resolve(cwd, named);
    if (!existsSync(p)) {
      throw new SwarmkvError('CONFIG_NOT_FOUND', `cluster file ${p} does not exist`, 'check the path given with --file or SWARMKV_CONFIG');
    }
    return p;
  }
  for (const f of DEFAULT_FILES) {
    const p = resolve(cwd, f);
    if (existsSync(p)) return p;
  }
  return undefined;
}

export function loadConfig(file: string | undefined, overrides: Overrides = {}): ClusterConfig {
  let raw: unknown = {};
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new SwarmkvError('CONFIG_NOT_FOUND', `cannot read cluster file ${file}: ${(e as Error).message}`, 'check the path and its permissions');
    }
    try {
      raw = parseYaml(text) ?? {};
    } catch (e) {
      throw new SwarmkvError('CONFIG_INVALID', `${file} is not valid YAML: ${(e as Error).message}`, 'fix the YAML syntax at the line shown');
    }
  }
  return parseConfig(raw, overrides, file);
}

/** Validates an already-parsed document (the YAML's value) and applies overrides and derived defaults. */
export function parseConfig(raw: unknown, overrides: Overrides = {}, source?: string): ClusterConfig {
  const merged = applyOverrides(raw, overrides);
  const res = ClusterFileSchema.safeParse(merged);
  if (!res.success) throw configError(res.error, source);
  const f = res.data;
  const hosts: Host[] = (f.hosts ?? [{ name: localHostName(), endpoint: DEFAULT_ENDPOINT, insecure: false, role: 'manager', router: true, labels: {} }]).map(
    (h, i) => {
      const advertise = h.advertise ?? defaultAdvertise(h.endpoint);
      if (!advertise) {
        throw new SwarmkvError(
          'CONFIG_INVALID',
          `${where(source)}hosts.${i}.advertise: cannot be derived from endpoint ${h.endpoint}`,
          'give the IPv4 address other hosts reach this one at, e.g. advertise: 10.0.0.5',
        );
      }
      return { ...h, advertise };
    },
  );
  const cfg: ClusterConfig = {
    hosts,
    cluster: {
      name: f.cluster.name,
      shards: f.cluster.shards,
      port: f.cluster.port,
      network: {
        name: f.cluster.network.name ?? `${f.cluster.name}-net`,
        subnet: f.cluster.network.subnet,
        // mode is left out for the default overlay, so configs compare equal to older ones
        ...(f.cluster.network.mode !== 'overlay' ? { mode: f.cluster.network.mode } : {}),
        ...(f.cluster.network.hostSubnet ? { hostSubnet: f.cluster.network.hostSubnet } : {}),
      },
      ...(f.cluster.password !== undefined ? { password: f.cluster.password } : {}),
    },
    image: f.image,
    ...(source ? { source } : {}),
  };
  return deepFreeze(cfg);
}

function applyOverrides(raw: unknown, o: Overrides): unknown {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw; // zod reports it
  const doc = { ...(raw as Record<string, unknown>) };
  const cluster = { ...((doc.cluster as Record<string, unknown> | undefined) ?? {}) };
  if (o.name !== undefined) cluster.name = o.name;
  if (o.port !== undefined) cluster.port = o.port;
  if (o.shards !== undefined) cluster.shards = o.shards;
  if (o.password !== undefined) cluster.password = o.password;
  if (o.subnet !== undefined) cluster.network = { ...((cluster.network as object | undefined) ?? {}), subnet: o.subnet };
  if (cluster.name === undefined) cluster.name = 'swarmkv';
  doc.cluster = cluster;
  return doc;
}

/** The single-host default: a swarm of one on the local engine, advertised on loopback. */
function defaultAdvertise(endpoint: string): string | undefined {
  if (endpoint.startsWith('unix://')) return '127.0.0.1';
  const host = new URL(endpoint.replace(/^tcp:/, 'http:')).hostname;
  return isIpv4(host) ? host : undefined;
}

function localHostName(): string {
  const h = hostname().replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 63);
  return /^[A-Za-z0-9]/.test(h) ? h : `host-${h}`;
}

function where(source?: string): string {
  return source ? `${source}: ` : '';
}

function configError(err: z.ZodError, source?: string): SwarmkvError {
  const lines = err.issues.map((i) => {
    const path = i.path.length ? i.path.join('.') : '(top level)';
    return `${path}: ${i.message}`;
  });
  return new SwarmkvError(
    'CONFIG_INVALID',
    `${source ? `cluster file ${source} is invalid` : 'invalid cluster settings'}:\n  ${lines.join('\n  ')}`,
    'fix the fields listed; every field is optional, see deploy/swarmkv.example.yml',
    err.issues,
  );
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}
