/**
 * The cluster file: one YAML document describing where swarmkv runs (hosts and their Docker
 * engines), what it runs (shards, router port, overlay network, password) and how the image is made.
 * Every field has a default, so no file at all means "the local engine, 3 shards, router on 6379".
 * Parsed once with zod, then frozen; a bad value names its path and what is allowed.
 */
import { z } from 'zod';
import { isIpv4, isNetworkAddress } from './cidr.js';
import { HostSubnetSchema, NETWORK_MODES, hostSubnetHostFields, hostSubnetIssues, type HostSubnetConfig, type NetworkMode } from '../network/host-subnet-config.js';

export const DEFAULT_SOCKET = '/var/run/docker.sock';
export const DEFAULT_ENDPOINT = `unix://${DEFAULT_SOCKET}`;
export const DEFAULT_SUBNET = '10.251.0.0/24';
export const DEFAULT_PORT = 6379;
export const DEFAULT_SHARDS = 3;
export const DEFAULT_IMAGE = 'swarmkv:latest';
/** Base image of the `dockerfile` build mode, for engines that can pull. */
export const DEFAULT_BASE_IMAGE = 'node:20-bookworm-slim';

const NAME = /^[a-z0-9][a-z0-9-]{0,29}$/;
const HOST_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;
const LABEL_KEY = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export const TlsSchema = z
  .object({
    ca: z.string().min(1).describe('CA certificate (PEM file) the engine certificate is checked against'),
    cert: z.string().min(1).describe('client certificate (PEM file)'),
    key: z.string().min(1).describe('client key (PEM file)'),
  })
  .strict();

export const HostSchema = z
  .object({
    name: z.string().regex(HOST_NAME, 'letters, digits, "_", "." and "-", at most 63 characters'),
    endpoint: z
      .string()
      .default(DEFAULT_ENDPOINT)
      .refine((s) => /^unix:\/\/\/.+/.test(s) || /^tcp:\/\/[^/:]+:\d{1,5}\/?$/.test(s), {
        message: 'must be unix:///path/to/docker.sock or tcp://host:port',
      }),
    tls: TlsSchema.optional(),
    insecure: z.boolean().default(false).describe('allow a plain tcp:// endpoint without TLS'),
    advertise: z.string().refine(isIpv4, 'must be an IPv4 address').optional(),
    role: z.enum(['manager', 'worker']).default('manager'),
    router: z.boolean().default(true).describe('run a router (publishing the router port) on this host'),
    labels: z
      .record(z.string().regex(LABEL_KEY, 'label keys are letters, digits, "_", "." and "-"'), z.string())
      .default({}),
    ...hostSubnetHostFields,
  })
  .strict()
  .superRefine((h, ctx) => {
    if (h.endpoint.startsWith('tcp://') && !h.tls && !h.insecure) {
      ctx.addIssue({
        code: 'custom',
        path: ['endpoint'],
        message:
          'a plain tcp:// endpoint gives root on that host to anyone who can reach it: add tls {ca, cert, key} ' +
          '(make them with `swarmkv certs`) or set insecure: true',
      });
    }
    if (h.endpoint.startsWith('unix://') && h.tls) {
      ctx.addIssue({ code: 'custom', path: ['tls'], message: 'tls applies to tcp:// endpoints only' });
    }
  });

export const ClusterSchema = z
  .object({
    name: z.string().regex(NAME, 'lowercase letters, digits and "-", starting with a letter or digit, at most 30'),
    shards: z.number().int().min(1).max(64).default(DEFAULT_SHARDS),
    port: z.number().int().min(1).max(65535).default(DEFAULT_PORT).describe('router port published on each host'),
    network: z
      .object({
        name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/).optional(),
        subnet: z
          .string()
          .refine(isNetworkAddress, 'must be an IPv4 network like 10.251.0.0/24 (no host bits set)')
          .default(DEFAULT_SUBNET),
        mode: z.enum(NETWORK_MODES).default('overlay').describe("overlay only, or also the hosts' own subnet for storage nodes (host-subnet)"),
        hostSubnet: HostSubnetSchema.optional(),
      })
      .strict()
      .prefault({}),
    password: z.string().min(1).max(512).optional(),
  })
  .strict()
  .prefault({ name: 'swarmkv' });

export const ImageSchema = z
  .object({
    tag: z.string().regex(/^[a-z0-9][a-z0-9._/:-]*$/, 'a Docker image reference like swarmkv:latest').default(DEFAULT_IMAGE),
    registry: z.string().min(1).optional().describe('push/pull through this registry instead of copying the image'),
    build: z.enum(['scratch', 'dockerfile']).default('scratch'),
    base: z.string().default(DEFAULT_BASE_IMAGE).describe('base image of the dockerfile build mode'),
  })
  .strict()
  .prefault({});

export const ClusterFileSchema = z
  .object({
    hosts: z.array(HostSchema).min(1).optional(),
    cluster: ClusterSchema,
    image: ImageSchema,
  })
  .strict()
  .superRefine((f, ctx) => {
    for (const i of hostSubnetIssues(f)) ctx.addIssue({ code: 'custom', path: i.path, message: i.message });
    const hosts = f.hosts ?? [];
    const seen = new Set<string>();
    hosts.forEach((h, i) => {
      if (seen.has(h.name)) ctx.addIssue({ code: 'custom', path: ['hosts', i, 'name'], message: `duplicate host name "${h.name}"` });
      seen.add(h.name);
    });
    if (hosts.length > 0 && !hosts.some((h) => h.role === 'manager')) {
      ctx.addIssue({ code: 'custom', path: ['hosts'], message: 'at least one host must have role: manager' });
    }
    if (hosts.length > 0 && !hosts.some((h) => h.router)) {
      ctx.addIssue({ code: 'custom', path: ['hosts'], message: 'at least one host must run the router (router: true)' });
    }
    if (hosts.length > 1) {
      hosts.forEach((h, i) => {
        if (h.advertise === '127.0.0.1' || (!h.advertise && h.endpoint.startsWith('unix://'))) {
          ctx.addIssue({
            code: 'custom',
            path: ['hosts', i, 'advertise'],
            message: 'with several hosts each needs an advertise address the others can reach (not 127.0.0.1)',
          });
        }
      });
    }
  });

export type HostInput = z.input<typeof HostSchema>;
export type ClusterFileInput = z.input<typeof ClusterFileSchema>;

/** A host after defaults, with its advertise address decided. */
export interface Host {
  readonly name: string;
  readonly endpoint: string;
  readonly tls?: { readonly ca: string; readonly cert: string; readonly key: string };
  readonly insecure: boolean;
  readonly advertise: string;
  readonly role: 'manager' | 'worker';
  readonly router: boolean;
  readonly labels: Readonly<Record<string, string>>;
  /** host-subnet mode: this host's address range and macvlan parent (network/host-subnet-config.ts). */
  readonly ipRange?: string;
  readonly parent?: string;
}

export interface ClusterConfig {
  readonly hosts: readonly Host[];
  readonly cluster: {
    readonly name: string;
    readonly shards: number;
    readonly port: number;
    readonly network: { readonly name: string; readonly subnet: string; /** absent: overlay */ readonly mode?: NetworkMode; readonly hostSubnet?: HostSubnetConfig };
    readonly password?: string;
  };
  readonly image: { readonly tag: string; readonly registry?: string; readonly build: 'scratch' | 'dockerfile'; readonly base: string };
  /** Where the file was read from, for messages; undefined when defaults were used. */
  readonly source?: string;
}
