/**
 * What the CLI prints for people: one line per long step with its duration (to stderr, so that
 * `--json` output on stdout stays machine-readable), tables, and the final result. With `--json`
 * the result is one JSON document on stdout and nothing else goes to stdout.
 */

export interface OutputOptions {
  json: boolean;
  /** Suppress progress lines (tests, scripts that only want the result). */
  quiet?: boolean;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
}

export class Output {
  readonly json: boolean;
  private readonly quiet: boolean;
  private readonly stdout: NodeJS.WritableStream;
  private readonly stderr: NodeJS.WritableStream;

  constructor(o: OutputOptions) {
    this.json = o.json;
    this.quiet = o.quiet ?? false;
    this.stdout = o.stdout ?? process.stdout;
    this.stderr = o.stderr ?? process.stderr;
  }

  /** Runs one long step, printing its label before and its duration after. */
  async step<T>(label: string, fn: (note: (detail: string) => void) => Promise<T>): Promise<T> {
    const started = performance.now();
    this.progress(`… ${label}`);
    let detail = '';
    try {
      const r = await fn((d) => {
        detail = d;
      });
      this.progress(`✓ ${label}${detail ? `: ${detail}` : ''} (${seconds(performance.now() - started)})`);
      return r;
    } catch (e) {
      this.progress(`✗ ${label} (${seconds(performance.now() - started)})`);
      throw e;
    }
  }

  progress(line: string): void {
    if (!this.quiet) this.stderr.write(`${line}\n`);
  }

  /** Text for people (stdout), unless --json. */
  print(text: string): void {
    if (!this.json) this.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** The command's result: JSON on stdout with --json, the human text otherwise. */
  result(human: string, data: unknown): void {
    if (this.json) this.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
    else if (human) this.print(human);
  }

  error(text: string): void {
    this.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
  }
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

/** A plain aligned table: a header row, then rows; cells are strings. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
