/**
 * Names and labels of everything swarmkv creates. Every object carries `swarmkv.cluster=<name>`:
 * `down` removes only what carries it, `up` adopts only what carries it, so swarmkv never touches
 * objects it did not make. Service names double as DNS names on the overlay (the router's topology
 * names the storage nodes this way and resolves them itself).
 */
import { createHash } from 'node:crypto';

export const LABEL_CLUSTER = 'swarmkv.cluster';
export const LABEL_ROLE = 'swarmkv.role';
export const LABEL_SHARD = 'swarmkv.shard';
/** Hash of the desired service spec: equal hash = nothing to update (convergent `up`). */
export const LABEL_SPEC_HASH = 'swarmkv.spec-hash';
/** Content hash of the image inputs: equal hash = no rebuild, and a new one rolls the services. */
export const LABEL_CONTENT = 'swarmkv.content';
/** Node labels, set by `up` on each swarm node from the cluster file. */
export const NODE_LABEL_HOST = 'swarmkv.host';
export const NODE_LABEL_ROUTER = 'swarmkv.router';
/** Swarm labels: a swarm swarmkv initialised, or one it was told to adopt (`up --adopt`). */
export const SWARM_LABEL_MANAGED = 'swarmkv.managed';
export const SWARM_LABEL_ADOPTED = 'swarmkv.adopted';

/** Port inside the containers, for nodes and routers alike (the router's is published). */
export const CONTAINER_PORT = 6379;
export const SECRET_TARGET = 'swarmkv-password';

export const nodeServiceName = (cluster: string, shard: number): string => `${cluster}-node-${shard}`;
export const routerServiceName = (cluster: string): string => `${cluster}-router`;

/**
 * Secrets are immutable, so a changed password needs a new secret: the name carries a short hash
 * of the cluster name and password (not the password itself), and the old one is removed after the
 * services moved over.
 */
export function secretName(cluster: string, password: string): string {
  const h = createHash('sha256').update(`swarmkv-secret\0${cluster}\0${password}`).digest('hex').slice(0, 10);
  return `${cluster}-password-${h}`;
}

export function hashOf(value: unknown): string {
  return createHash('sha256').update(stableJson(value)).digest('hex').slice(0, 16);
}

/** JSON with sorted object keys, so equal values hash equally. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
