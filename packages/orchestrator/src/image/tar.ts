/**
 * Writes RootfsEntry lists as tar streams (tar-stream does the headers, PAX for long names).
 * Headers carry fixed owner and time so that the same entries always give the same bytes: the
 * content hash of the image is the hash of this stream.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import tar from 'tar-stream';
import type { RootfsEntry } from './rootfs.js';

/** 2020-01-01T00:00:00Z: any fixed time works; zero upsets some tools. */
const FIXED_MTIME = new Date(Date.UTC(2020, 0, 1));

/** A tar of the entries; entries are written in order, file contents streamed from disk. */
export function packEntries(entries: readonly RootfsEntry[]): Readable {
  const pack = tar.pack();
  void (async () => {
    try {
      for (const e of entries) await writeEntry(pack, e);
      pack.finalize();
    } catch (err) {
      pack.destroy(err as Error);
    }
  })();
  return pack as unknown as Readable;
}

function writeEntry(pack: tar.Pack, e: RootfsEntry): Promise<void> {
  const header: Partial<tar.Header> & { name: string } = { name: e.path, mode: e.mode, mtime: FIXED_MTIME, uid: 0, gid: 0, uname: 'root', gname: 'root' };
  if (e.type === 'directory') {
    return new Promise((res, rej) => pack.entry({ ...header, type: 'directory' }, (err) => (err ? rej(err) : res())));
  }
  if (e.type === 'symlink') {
    return new Promise((res, rej) => pack.entry({ ...header, type: 'symlink', linkname: e.linkname! }, (err) => (err ? rej(err) : res())));
  }
  if (e.content) {
    return new Promise((res, rej) => pack.entry({ ...header, type: 'file', size: e.content!.length }, e.content!, (err) => (err ? rej(err) : res())));
  }
  return new Promise((res, rej) => {
    const sink = pack.entry({ ...header, type: 'file', size: e.size }, (err) => (err ? rej(err) : res()));
    pipeline(createReadStream(e.source!), sink).catch(rej);
  });
}

/** sha256 and byte count of a stream (the tar is hashed without being written anywhere). */
export async function digestStream(stream: Readable): Promise<{ sha256: string; size: number }> {
  const h = createHash('sha256');
  let size = 0;
  for await (const chunk of stream) {
    h.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: h.digest('hex'), size };
}

/**
 * A build context: small in-memory files (the Dockerfile) plus one large member produced by a
 * stream of known size (the rootfs tar), without staging anything on disk.
 */
export function packContext(files: Record<string, string | Buffer>, big?: { name: string; size: number; stream: () => Readable }): Readable {
  const pack = tar.pack();
  void (async () => {
    try {
      for (const [name, body] of Object.entries(files)) {
        const buf = Buffer.isBuffer(body) ? body : Buffer.from(body);
        await new Promise<void>((res, rej) =>
          pack.entry({ name, mode: 0o644, mtime: FIXED_MTIME, size: buf.length }, buf, (err) => (err ? rej(err) : res())),
        );
      }
      if (big) {
        await new Promise<void>((res, rej) => {
          const sink = pack.entry({ name: big.name, mode: 0o644, mtime: FIXED_MTIME, size: big.size }, (err) => (err ? rej(err) : res()));
          pipeline(big.stream(), sink).catch(rej);
        });
      }
      pack.finalize();
    } catch (err) {
      pack.destroy(err as Error);
    }
  })();
  return pack as unknown as Readable;
}
