/**
 * Start-up configuration: defaults, then a redis.conf-style file, then SWARMKV_* environment
 * variables, then command-line flags (each later source wins), every value checked with the same
 * rules and messages as CONFIG SET and the result validated by the zod schema.
 *
 *   swarmkv-node [<config file>] [--config <file>] [--port 7000] [--bind "127.0.0.1 ::1"]
 *                [--<any-redis-parameter> <value...>]
 *   SWARMKV_PORT=7000 SWARMKV_HASH_MAX_LISTPACK_ENTRIES=256 swarmkv-node
 *
 * The file format is Redis's: one `name value...` per line, `#` comments, quotes as in
 * redis.conf. A bad value raises ConfigError naming the parameter, the source and the allowed
 * values; main.ts prints it and exits with status 2.
 */
import { readFileSync } from 'node:fs';
import { splitArgs } from '@swarmkv/resp';
import { NodeConfigSchema, type NodeConfig } from '../config.js';
import { findParam } from './config-table.js';

export class ConfigError extends Error {}

/** SWARMKV_HASH_MAX_LISTPACK_ENTRIES for hash-max-listpack-entries. */
export function envName(param: string): string {
  return `SWARMKV_${param.toUpperCase().replace(/-/g, '_')}`;
}

interface Setting {
  readonly name: string;
  readonly value: string;
  readonly source: string;
}

/** `name value...` lines of a redis.conf-style file. */
export function parseConfigFile(text: string, file: string): Setting[] {
  const out: Setting[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const buf = Buffer.from(line, 'latin1');
    const args = splitArgs(buf, 0, buf.length);
    if (args === null) throw new ConfigError(`${file}:${i + 1}: unbalanced quotes in configuration line`);
    if (args.length === 0) continue;
    out.push({ name: args[0]!.toLowerCase(), value: args.slice(1).join(' '), source: `${file}:${i + 1}` });
  }
  return out;
}

/** `--name v1 v2 --other v` (values up to the next `--`), `--name=value`, and a leading file path. */
export function parseFlags(argv: readonly string[]): { file?: string; settings: Setting[]; help: boolean; version: boolean } {
  const settings: Setting[] = [];
  let file: string | undefined;
  let help = false;
  let version = false;
  let i = 0;
  if (argv.length > 0 && !argv[0]!.startsWith('--')) file = argv[i++];
  while (i < argv.length) {
    const arg = argv[i++]!;
    if (!arg.startsWith('--')) throw new ConfigError(`unexpected argument '${arg}' (flags look like --port 7000)`);
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    if (arg === '--version' || arg === '-v') {
      version = true;
      continue;
    }
    let name = arg.slice(2);
    const values: string[] = [];
    const eq = name.indexOf('=');
    if (eq >= 0) {
      values.push(name.slice(eq + 1));
      name = name.slice(0, eq);
    } else {
      while (i < argv.length && !argv[i]!.startsWith('--')) values.push(argv[i++]!);
    }
    if (name === 'config') {
      if (values.length !== 1) throw new ConfigError('--config needs exactly one file name');
      file = values[0];
      continue;
    }
    settings.push({ name: name.toLowerCase(), value: values.join(' '), source: `--${name}` });
  }
  return { file, settings, help, version };
}

function apply(cfg: NodeConfig, s: Setting): void {
  const param = findParam(s.name);
  if (param === undefined) throw new ConfigError(`unknown parameter '${s.name}' (${s.source})`);
  const err = param.set(cfg, s.value);
  if (err !== undefined) throw new ConfigError(`invalid value '${s.value}' for '${s.name}' (${s.source}): ${err}`);
}

export interface LoadedConfig {
  readonly config: NodeConfig;
  readonly help: boolean;
  readonly version: boolean;
  readonly file?: string;
}

/** Defaults < file < environment < flags. */
export function loadConfig(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = process.env,
  readFile: (path: string) => string = (p) => readFileSync(p, 'utf8'),
): LoadedConfig {
  const flags = parseFlags(argv);
  const cfg = NodeConfigSchema.parse({});
  const file = flags.file ?? env.SWARMKV_CONFIG;
  if (file !== undefined && file !== '') {
    let text: string;
    try {
      text = readFile(file);
    } catch (e) {
      throw new ConfigError(`cannot read config file '${file}': ${(e as Error).message}`);
    }
    // `save` lines accumulate in a file, as in redis.conf; `save ""` clears.
    const settings = parseConfigFile(text, file);
    const saves = settings.filter((s) => s.name === 'save');
    for (const s of settings) if (s.name !== 'save') apply(cfg, s);
    if (saves.length > 0) {
      const joined = saves.map((s) => s.value).filter((v) => v !== '').join(' ');
      apply(cfg, { name: 'save', value: joined, source: saves[0]!.source });
    }
  }
  for (const [key, value] of Object.entries(env)) {
    if (!key.startsWith('SWARMKV_') || key === 'SWARMKV_CONFIG' || value === undefined) continue;
    const name = key.slice(8).toLowerCase().replace(/_/g, '-');
    // Redis has parameters with underscores (aof_rewrite_cpulist); try both spellings.
    const param = findParam(name) ?? findParam(key.slice(8).toLowerCase());
    if (param === undefined) continue; // unrelated SWARMKV_* variables (e.g. of other components)
    apply(cfg, { name: param.name, value, source: key });
  }
  for (const s of flags.settings) apply(cfg, s);
  const parsed = NodeConfigSchema.safeParse(cfg);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`invalid configuration '${issue.path.join('.')}': ${issue.message}`);
  }
  return { config: parsed.data, help: flags.help, version: flags.version, file };
}
