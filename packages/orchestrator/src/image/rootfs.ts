/**
 * The image's root filesystem, as a list of entries, for the `scratch` build mode: no base image
 * can be pulled on these machines, so the image carries the machine's own node binary, the shared
 * libraries `ldd` says it loads, a few /etc files, and the app: the built packages (dist/,
 * package.json, bin/) and the production node_modules they need, copied in pnpm's own layout
 * (symlinks kept as symlinks) so that Node resolves them inside the image exactly as here.
 * Entries are sorted and carry fixed times, so the same inputs give byte-identical tars and the
 * same content hash (that is what makes a second `up` skip the build).
 */
import { execFile } from 'node:child_process';
import { lstatSync, readdirSync, readFileSync, readlinkSync, realpathSync, statSync, existsSync } from 'node:fs';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import { SwarmkvError } from '../errors.js';
import { IMAGE_PACKAGES } from './repo.js';

const run = promisify(execFile);

export interface RootfsEntry {
  /** Path inside the image, relative, posix separators ("usr/bin/node"). */
  readonly path: string;
  readonly type: 'file' | 'directory' | 'symlink';
  readonly mode: number;
  /** Host file whose bytes go in (files). */
  readonly source?: string;
  /** Literal bytes (generated files). */
  readonly content?: Buffer;
  readonly linkname?: string;
  readonly size: number;
}

/** Where the app lives inside the image; the repo's relative layout is kept under it. */
export const APP_DIR = 'app';
export const IMAGE_NODE = 'usr/bin/node';
export const ENTRYPOINT = `/${APP_DIR}/deploy/image/entrypoint.mjs`;

const ETC_FILES: Record<string, string> = {
  'etc/passwd': 'root:x:0:0:root:/root:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n',
  'etc/group': 'root:x:0:\nnogroup:x:65534:\n',
  // glibc looks names up through NSS; "files dns" makes /etc/hosts and Docker's embedded DNS work.
  'etc/nsswitch.conf': 'hosts: files dns\n',
};

/** Files of the machine's node: the binary plus every library `ldd` lists (dereferenced). */
export async function nodeRuntimeEntries(nodePath = process.execPath): Promise<RootfsEntry[]> {
  let out: string;
  try {
    out = (await run('ldd', [nodePath])).stdout;
  } catch (e) {
    throw new SwarmkvError('IMAGE_BUILD', `ldd ${nodePath} failed: ${(e as Error).message}`, 'install libc-bin (ldd), or use image.build: dockerfile with a pullable base');
  }
  const entries: RootfsEntry[] = [fileEntry(IMAGE_NODE, nodePath, 0o755)];
  for (const lib of parseLdd(out)) {
    entries.push(fileEntry(lib.replace(/^\/+/, ''), lib, 0o755));
  }
  return entries;
}

/** Library paths from `ldd` output; a "not found" library means the image would not start. */
export function parseLdd(out: string): string[] {
  const libs: string[] = [];
  for (const line of out.split('\n')) {
    const t = line.trim();
    if (!t || t.startsWith('linux-vdso') || t.startsWith('linux-gate')) continue;
    if (/=>\s*not found/.test(t)) {
      throw new SwarmkvError('IMAGE_BUILD', `node needs a library that is not installed: ${t}`, 'install the missing library package');
    }
    const arrow = /=>\s*(\/\S+)/.exec(t);
    const bare = /^(\/\S+)\s+\(0x/.exec(t);
    const p = arrow?.[1] ?? bare?.[1];
    if (p && !libs.includes(p)) libs.push(p);
  }
  return libs;
}

function fileEntry(path: string, source: string, mode?: number): RootfsEntry {
  const st = statSync(source); // follows symlinks: libraries are often links to versioned files
  return { path, type: 'file', mode: mode ?? (st.mode & 0o111 ? 0o755 : 0o644), source, size: st.size };
}

function textEntry(path: string, text: string, mode = 0o644): RootfsEntry {
  const content = Buffer.from(text);
  return { path, type: 'file', mode, content, size: content.length };
}

/** The app under /app: built packages, the entrypoint, and their production dependencies. */
export function appEntries(root: string): RootfsEntry[] {
  const entries = new Map<string, RootfsEntry>();
  const add = (e: RootfsEntry) => entries.set(e.path, e);
  const inImage = (hostPath: string) => {
    const rel = relative(root, hostPath);
    if (rel.startsWith('..') || resolve(root, rel) !== resolve(hostPath)) {
      throw new SwarmkvError('IMAGE_BUILD', `dependency ${hostPath} lies outside the checkout ${root}`, 'install with pnpm\'s default virtual store (node_modules/.pnpm) inside the checkout');
    }
    return posix.join(APP_DIR, rel.split(sep).join('/'));
  };

  add(fileEntry(`${APP_DIR}/package.json`, join(root, 'package.json'), 0o644));
  add(fileEntry(`${APP_DIR}/deploy/image/entrypoint.mjs`, join(root, 'deploy', 'image', 'entrypoint.mjs'), 0o644));

  const visited = new Set<string>();
  const visit = (pkgDir: string, workspace: boolean) => {
    const real = realpathSync(pkgDir);
    if (visited.has(real)) return;
    visited.add(real);
    walkFiles(real, workspace ? keepWorkspaceFile : keepDependencyFile, (abs, st) => {
      if (st === 'symlink') add({ path: inImage(abs), type: 'symlink', mode: 0o777, linkname: readlinkSync(abs), size: 0 });
      else add(fileEntry(inImage(abs), abs));
    });
    const pj = JSON.parse(readFileSync(join(real, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
      optionalDependencies?: Record<string, string>;
    };
    const deps = { ...pj.dependencies, ...pj.optionalDependencies };
    for (const name of Object.keys(deps)) {
      const found = resolvePackage(real, name);
      if (!found) {
        if (pj.optionalDependencies?.[name]) continue;
        throw new SwarmkvError('IMAGE_BUILD', `${real}: dependency ${name} is not installed`, 'run `pnpm install` (scripts/setup.sh does it)');
      }
      // Each symlink on the way is part of how Node finds the package: keep them all.
      for (const link of found.links) add({ path: inImage(link), type: 'symlink', mode: 0o777, linkname: readlinkSync(link), size: 0 });
      // Workspace packages are told by where they really are (the link path is always under packages/).
      visit(found.dir, realpathSync(found.dir).startsWith(join(realpathSync(root), 'packages') + sep));
    }
  };
  for (const p of IMAGE_PACKAGES) visit(join(root, 'packages', p), true);
  return withParents([...entries.values()]);
}

/**
 * Node's lookup of `name` from a package directory: node_modules/<name> in the directory and each
 * parent. Returns the directory found and the symlinks on its path (pnpm links every package).
 */
function resolvePackage(fromRealDir: string, name: string): { dir: string; links: string[] } | undefined {
  let dir = fromRealDir;
  for (;;) {
    const candidate = join(dir, 'node_modules', ...name.split('/'));
    if (existsSync(join(candidate, 'package.json'))) {
      const links: string[] = [];
      if (lstatSync(candidate).isSymbolicLink()) links.push(candidate);
      return { dir: candidate, links };
    }
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

function keepWorkspaceFile(rel: string): boolean {
  if (rel === 'package.json') return true;
  if (rel.startsWith('bin/')) return true;
  if (!rel.startsWith('dist/')) return false;
  return rel.endsWith('.js') && !rel.endsWith('.test.js');
}

function keepDependencyFile(rel: string): boolean {
  // A package's own node_modules holds links to its deps; those are added when resolved.
  if (rel === 'node_modules' || rel.startsWith('node_modules/')) return false;
  // Docs, source maps and TypeScript sources are never loaded at run time.
  return !/\.(md|markdown|map|ts|mts|cts)$/i.test(rel);
}

function walkFiles(root: string, keep: (rel: string) => boolean, onEntry: (abs: string, kind: 'file' | 'symlink') => void): void {
  const stack = [''];
  while (stack.length) {
    const rel = stack.pop()!;
    for (const d of readdirSync(join(root, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${d.name}` : d.name;
      if (d.isDirectory()) {
        if (d.name === 'node_modules' || d.name === '.git') continue;
        stack.push(r);
      } else if (keep(r)) {
        onEntry(join(root, r), d.isSymbolicLink() ? 'symlink' : 'file');
      }
    }
  }
}

/** Adds the directory entries every file needs, and sorts (parents first, deterministic order). */
export function withParents(entries: RootfsEntry[]): RootfsEntry[] {
  const all = new Map(entries.map((e) => [e.path, e]));
  for (const e of entries) {
    let d = posix.dirname(e.path);
    while (d !== '.' && d !== '/' && !all.has(d)) {
      all.set(d, { path: d, type: 'directory', mode: 0o755, size: 0 });
      d = posix.dirname(d);
    }
  }
  return [...all.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Everything in the scratch image. */
export async function rootfsEntries(root: string, nodePath = process.execPath): Promise<RootfsEntry[]> {
  const entries: RootfsEntry[] = [...(await nodeRuntimeEntries(nodePath)), ...appEntries(root)];
  for (const [p, text] of Object.entries(ETC_FILES)) entries.push(textEntry(p, text));
  entries.push({ path: 'tmp', type: 'directory', mode: 0o1777, size: 0 });
  return withParents(dedupe(entries));
}

function dedupe(entries: RootfsEntry[]): RootfsEntry[] {
  return [...new Map(entries.map((e) => [e.path, e])).values()];
}
