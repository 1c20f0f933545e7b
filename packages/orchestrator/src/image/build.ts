/**
 * Makes the swarmkv image and puts it into every engine that runs a task. Without a registry the
 * image is built once (on the first manager's engine, through the Engine API's /build with a tar
 * context) and copied to the other engines with GET /images/<name>/get -> POST /images/load, so the
 * image ID is the same everywhere. The content hash of the inputs is stored as an image label: an
 * image whose label matches is not rebuilt or re-copied (a second `up` does nothing here).
 */
import { statSync } from 'node:fs';
import type Docker from 'dockerode';
import type { Readable } from 'node:stream';
import type { ClusterConfig } from '../config/schema.js';
import type { Engine } from '../engine/connect.js';
import { messageOf, statusOf, SwarmkvError } from '../errors.js';
import { LABEL_CONTENT, hashOf } from '../swarm/names.js';
import { assertBuilt, repoRoot } from './repo.js';
import { APP_DIR, ENTRYPOINT, IMAGE_NODE, appEntries, rootfsEntries, type RootfsEntry } from './rootfs.js';
import { digestStream, packContext, packEntries } from './tar.js';
import { adoptLocalImage } from './adopt.js';
import { distributeViaRegistry } from './registry.js';

export interface ImageResult {
  readonly ref: string;
  readonly contentHash: string;
  readonly built: boolean;
  /** Hosts the image was copied to in this run (with a registry: the hosts that pulled it). */
  readonly copiedTo: string[];
  /** With a registry: whether this run pushed the image there. */
  readonly pushed?: boolean;
}

export function scratchDockerfile(): string {
  return [
    'FROM scratch',
    'ADD rootfs.tar /',
    'ENV NODE_ENV=production',
    `WORKDIR /${APP_DIR}`,
    `ENTRYPOINT ["/${IMAGE_NODE}", "${ENTRYPOINT}"]`,
    'CMD ["node"]',
    '',
  ].join('\n');
}

export function baseDockerfile(base: string): string {
  return [
    `FROM ${base}`,
    'ADD app.tar /',
    'ENV NODE_ENV=production',
    `WORKDIR /${APP_DIR}`,
    `ENTRYPOINT ["node", "${ENTRYPOINT}"]`,
    'CMD ["node"]',
    '',
  ].join('\n');
}

/** The image reference services run: the registry's name for it when a registry is used. */
export function imageRef(cfg: ClusterConfig): string {
  return cfg.image.registry ? `${cfg.image.registry.replace(/\/+$/, '')}/${cfg.image.tag}` : cfg.image.tag;
}

interface Plan {
  entries: RootfsEntry[];
  dockerfile: string;
  member: string;
  contentHash: string;
}

/**
 * The inputs' fingerprint: every entry's path, type, mode and link, plus for files from disk
 * their size, mtime and inode (generated files: their bytes). Reading the ~110 MB of node and its
 * libraries on every `up` only to find nothing changed would cost seconds; a rebuilt file gets a
 * new mtime, and the tar itself is made only when a build is needed.
 */
export function fingerprint(entries: readonly RootfsEntry[], dockerfile: string): string {
  return hashOf({
    dockerfile,
    entries: entries.map((e) => {
      const st = e.source ? statSync(e.source) : undefined;
      return [e.path, e.type, e.mode, e.linkname ?? '', e.size, st ? `${st.mtimeMs}:${st.ino}` : e.content?.toString('base64') ?? ''];
    }),
  });
}

async function plan(cfg: ClusterConfig): Promise<Plan> {
  const root = repoRoot();
  assertBuilt(root);
  const scratch = cfg.image.build === 'scratch';
  const entries = scratch ? await rootfsEntries(root) : appEntries(root);
  const dockerfile = scratch ? scratchDockerfile() : baseDockerfile(cfg.image.base);
  return { entries, dockerfile, member: scratch ? 'rootfs.tar' : 'app.tar', contentHash: fingerprint(entries, dockerfile) };
}

/** The content label of an image in one engine, or undefined when the engine lacks the image. */
export async function imageContent(docker: Docker, ref: string): Promise<string | undefined> {
  try {
    const info = await docker.getImage(ref).inspect();
    return info.Config?.Labels?.[LABEL_CONTENT] ?? '';
  } catch (e) {
    if (statusOf(e) === 404) return undefined;
    throw e;
  }
}

export async function ensureImage(
  engines: readonly Engine[],
  cfg: ClusterConfig,
  progress: (line: string) => void,
): Promise<ImageResult> {
  const ref = imageRef(cfg);
  const p = await plan(cfg);
  const builder = engines[0]!;
  let built = false;
  const adopted = await adoptLocalImage(builder.docker, ref, p.contentHash);
  if (adopted) progress(`tagged ${adopted} as ${ref} on ${builder.host.name} (same content, no rebuild)`);
  if ((await imageContent(builder.docker, ref)) !== p.contentHash) {
    // The context member's size goes in its tar header, so the rootfs tar is made twice: once to count.
    const { size } = await digestStream(packEntries(p.entries));
    progress(`building ${ref} on ${builder.host.name} (${(size / 1e6).toFixed(0)} MB context)`);
    await build(builder, ref, p, size);
    built = true;
  }
  if (cfg.image.registry) {
    // Push once (when the registry lacks this build), then every other host pulls: image/registry.ts.
    const r = await distributeViaRegistry(engines, builder, cfg, ref, p.contentHash, follow, progress);
    return { ref, contentHash: p.contentHash, built, copiedTo: r.pulledBy, pushed: r.pushed };
  }
  const copiedTo: string[] = [];
  const seen = new Set([builder.host.endpoint]);
  for (const e of engines.slice(1)) {
    if (seen.has(e.host.endpoint)) continue;
    seen.add(e.host.endpoint);
    if ((await imageContent(e.docker, ref)) === p.contentHash) continue;
    progress(`copying ${ref} to ${e.host.name}`);
    await copyImage(builder, e, ref);
    copiedTo.push(e.host.name);
  }
  return { ref, contentHash: p.contentHash, built, copiedTo };
}

async function build(engine: Engine, ref: string, p: Plan, size: number): Promise<void> {
  const context = packContext({ Dockerfile: p.dockerfile }, { name: p.member, size, stream: () => packEntries(p.entries) });
  try {
    const stream = await engine.docker.buildImage(context as unknown as NodeJS.ReadableStream, {
      t: ref,
      labels: { [LABEL_CONTENT]: p.contentHash, 'swarmkv.image': 'true' },
      rm: true,
      forcerm: true,
      // pull stays off: never reach for a registry (FROM scratch needs none; a base must be present).
    });
    await follow(engine.docker, stream);
  } catch (e) {
    throw new SwarmkvError(
      'IMAGE_BUILD',
      `building ${ref} on host ${engine.host.name} failed: ${messageOf(e)}`,
      /pull|manifest|not found|resolve/i.test(messageOf(e))
        ? 'the engine cannot fetch the base image: use image.build: scratch (the default) or load the base image first'
        : 'see the engine log (/var/log/swarmkv-dockerd.log for an engine started by scripts/docker/ensure-dockerd.sh)',
    );
  }
}

async function copyImage(from: Engine, to: Engine, ref: string): Promise<void> {
  try {
    const tarStream = (await from.docker.getImage(ref).get()) as unknown as Readable;
    const res = await to.docker.loadImage(tarStream as unknown as NodeJS.ReadableStream, { quiet: true } as object);
    await follow(to.docker, res);
  } catch (e) {
    throw new SwarmkvError('IMAGE_BUILD', `copying ${ref} from ${from.host.name} to ${to.host.name} failed: ${messageOf(e)}`, 'check free disk space on the target host and that its engine answers');
  }
}

/** Waits for a JSON progress stream to end; an `error` message in it is a failure. */
export function follow(docker: Docker, stream: NodeJS.ReadableStream): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    docker.modem.followProgress(stream, (err: Error | null, out: unknown[]) => {
      if (err) return reject(err);
      const failed = out.find((o) => o && typeof o === 'object' && 'error' in (o as object)) as { error?: string } | undefined;
      if (failed) return reject(new Error(String(failed.error)));
      resolve(out);
    });
  });
}

/**
 * Removes the images a rebuild left untagged (label swarmkv.image=true, dangling, used by no
 * container: the engine's prune checks that), so repeated `up`s after code changes do not fill
 * the disk with 100 MB images.
 */
export async function pruneOldImages(engines: readonly Engine[]): Promise<number> {
  let n = 0;
  const seen = new Set<string>();
  for (const e of engines) {
    if (seen.has(e.host.endpoint)) continue;
    seen.add(e.host.endpoint);
    const r = (await e.docker.pruneImages({ filters: { dangling: ['true'], label: ['swarmkv.image=true'] } })) as { ImagesDeleted?: unknown[] | null };
    n += r.ImagesDeleted?.length ?? 0;
  }
  return n;
}
