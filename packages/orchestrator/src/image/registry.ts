/**
 * Image distribution through a registry (`image.registry` in the cluster file): the image is
 * pushed once, from the engine that built it, and every other engine pulls it. The engines talk
 * to the registry themselves, so each one must trust the registry's certificate (for dockerd:
 * /etc/docker/certs.d/<registry host:port>/ca.crt on that host); the orchestrator never does.
 * Whether a push is needed is asked of the registry through the builder's engine
 * (GET /distribution/<ref>/json): a registry that was emptied or replaced gets the image again
 * even though nothing was rebuilt. Hosts whose image already has the right content label pull
 * nothing, so a second `up` neither pushes nor pulls.
 */
import type Docker from 'dockerode';
import type { ClusterConfig } from '../config/schema.js';
import type { Engine } from '../engine/connect.js';
import { messageOf, statusOf, SwarmkvError } from '../errors.js';
import { LABEL_CONTENT } from '../swarm/names.js';

/** Splits "reg:5000/swarmkv:latest" into repository and tag (the tag's colon follows the last slash). */
export function splitRef(ref: string): { repo: string; tag: string } {
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  return colon > slash ? { repo: ref.slice(0, colon), tag: ref.slice(colon + 1) } : { repo: ref, tag: 'latest' };
}

/** The registry's host:port part of a reference, for messages and certs.d paths. */
export function registryHost(cfg: ClusterConfig): string {
  return (cfg.image.registry ?? '').replace(/^[a-z]+:\/\//, '').replace(/\/.*$/, '');
}

function trustHint(cfg: ClusterConfig, host: string): string {
  const reg = registryHost(cfg);
  return `check that host ${host} reaches ${reg} and trusts its certificate: put the CA that signed it in /etc/docker/certs.d/${reg}/ca.crt on that host`;
}

/** An engine's image: its content label and the digests it was pushed or pulled as. */
async function localImage(docker: Docker, ref: string): Promise<{ content: string; repoDigests: string[] } | undefined> {
  try {
    const info = (await docker.getImage(ref).inspect()) as { Config?: { Labels?: Record<string, string> }; RepoDigests?: string[] };
    return { content: info.Config?.Labels?.[LABEL_CONTENT] ?? '', repoDigests: info.RepoDigests ?? [] };
  } catch (e) {
    if (statusOf(e) === 404) return undefined;
    throw e;
  }
}

/** The digest the registry holds for `ref`, asked through an engine; undefined when it has none. */
export async function registryDigest(docker: Docker, ref: string): Promise<string | undefined> {
  try {
    const d = (await docker.getImage(ref).distribution({})) as { Descriptor?: { digest?: string } };
    return d.Descriptor?.digest;
  } catch (e) {
    const m = messageOf(e);
    if (/manifest unknown|not found|name unknown|does not exist/i.test(m) || statusOf(e) === 404) return undefined;
    throw e;
  }
}

export interface RegistryResult {
  readonly pushed: boolean;
  /** Hosts that pulled the image in this run. */
  readonly pulledBy: string[];
}

export async function distributeViaRegistry(
  engines: readonly Engine[],
  builder: Engine,
  cfg: ClusterConfig,
  ref: string,
  contentHash: string,
  follow: (docker: Docker, stream: NodeJS.ReadableStream) => Promise<unknown[]>,
  progress: (line: string) => void,
): Promise<RegistryResult> {
  const mine = await localImage(builder.docker, ref);
  let remote: string | undefined;
  try {
    remote = await registryDigest(builder.docker, ref);
  } catch (e) {
    throw new SwarmkvError('IMAGE_BUILD', `registry ${registryHost(cfg)} cannot be asked for ${ref} through host ${builder.host.name}: ${messageOf(e)}`, trustHint(cfg, builder.host.name));
  }
  const { repo } = splitRef(ref);
  let pushed = false;
  if (!remote || !(mine?.repoDigests ?? []).includes(`${repo}@${remote}`)) {
    progress(`pushing ${ref} from ${builder.host.name}`);
    try {
      // The engine wants an X-Registry-Auth header even for a registry without authentication.
      const stream = await builder.docker.getImage(ref).push({ authconfig: { serveraddress: registryHost(cfg) } } as object);
      await follow(builder.docker, stream);
    } catch (e) {
      throw new SwarmkvError('IMAGE_BUILD', `pushing ${ref} from host ${builder.host.name} failed: ${messageOf(e)}`, trustHint(cfg, builder.host.name));
    }
    pushed = true;
  }
  const seen = new Set([builder.host.endpoint]);
  const targets = engines.filter((e) => !seen.has(e.host.endpoint) && (seen.add(e.host.endpoint), true));
  const pulledBy: string[] = [];
  await Promise.all(
    targets.map(async (e) => {
      if ((await localImage(e.docker, ref))?.content === contentHash) return;
      progress(`${e.host.name} pulls ${ref}`);
      try {
        const stream = (await e.docker.pull(ref)) as unknown as NodeJS.ReadableStream;
        await follow(e.docker, stream);
      } catch (err) {
        throw new SwarmkvError('IMAGE_BUILD', `host ${e.host.name} could not pull ${ref}: ${messageOf(err)}`, trustHint(cfg, e.host.name));
      }
      if ((await localImage(e.docker, ref))?.content !== contentHash) {
        throw new SwarmkvError('IMAGE_BUILD', `host ${e.host.name} pulled ${ref} but got other content than was pushed`, `something else pushes to ${ref}: use another image.tag`);
      }
      pulledBy.push(e.host.name);
    }),
  );
  return { pushed, pulledBy: pulledBy.sort() };
}
