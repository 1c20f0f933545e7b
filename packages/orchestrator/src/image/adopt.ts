/**
 * Reuses a build under another name: switching `image.registry` on or off changes the reference
 * services run (`swarmkv:latest` or `<registry>/swarmkv:latest`) but not the image's content.
 * When the builder's engine lacks the reference yet holds an image with the same content label
 * under another tag, that image is tagged instead of building ~110 MB again.
 */
import type Docker from 'dockerode';
import { statusOf } from '../errors.js';
import { LABEL_CONTENT } from '../swarm/names.js';
import { splitRef } from './registry.js';

/**
 * Returns the tag that was reused, or undefined when nothing was done. Only an optimisation: any
 * failure here means "build as usual", never a failed `up`.
 */
export async function adoptLocalImage(docker: Docker, ref: string, contentHash: string): Promise<string | undefined> {
  return adopt(docker, ref, contentHash).catch(() => undefined);
}

async function adopt(docker: Docker, ref: string, contentHash: string): Promise<string | undefined> {
  try {
    const have = await docker.getImage(ref).inspect();
    if (have.Config?.Labels?.[LABEL_CONTENT] === contentHash) return undefined;
  } catch (e) {
    if (statusOf(e) !== 404) throw e;
  }
  const same = (await docker.listImages({ filters: { label: [`${LABEL_CONTENT}=${contentHash}`] } })) as { RepoTags?: string[] | null }[];
  const tag = same.flatMap((i) => i.RepoTags ?? []).find((t) => t !== ref && !t.startsWith('<none>'));
  if (!tag) return undefined;
  await docker.getImage(tag).tag(splitRef(ref));
  return tag;
}
