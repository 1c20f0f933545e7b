/**
 * A raw RESP client for differential tests: sends commands as multibulk (or inline) bytes and
 * returns each reply as the exact bytes the server sent, so two servers can be compared byte for
 * byte. Its reply framer is deliberately independent of @swarmkv/resp's parsers: the oracle side
 * of a test must not share code with what it checks.
 */
import net from 'node:net';

/** Length of the complete RESP2/RESP3 reply at `off`, or -1 when more bytes are needed. */
export function replyLength(buf: Buffer, off: number): number {
  if (off >= buf.length) return -1;
  const lineEnd = buf.indexOf('\r\n', off, 'latin1');
  if (lineEnd < 0) return -1;
  const type = String.fromCharCode(buf[off]!);
  const head = buf.latin1Slice(off + 1, lineEnd);
  const afterLine = lineEnd + 2;
  switch (type) {
    case '+': case '-': case ':': case ',': case '#': case '_': case '(':
      return afterLine - off;
    case '$': case '=': case '!': {
      const n = Number(head);
      if (n < 0) return afterLine - off;
      return afterLine + n + 2 <= buf.length ? afterLine + n + 2 - off : -1;
    }
    case '*': case '~': case '>': case '%': case '|': {
      let n = Number(head);
      if (n < 0) return afterLine - off;
      if (type === '%' || type === '|') n *= 2;
      let p = afterLine;
      for (let i = 0; i < n; i++) {
        const len = replyLength(buf, p);
        if (len < 0) return -1;
        p += len;
      }
      // An attribute precedes the reply it describes.
      if (type === '|') {
        const len = replyLength(buf, p);
        return len < 0 ? -1 : p + len - off;
      }
      return p - off;
    }
    default:
      throw new Error(`unexpected reply type byte ${JSON.stringify(type)} at ${off}: ${JSON.stringify(buf.latin1Slice(off, off + 40))}`);
  }
}

export function encodeCommand(argv: readonly (string | Buffer)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${argv.length}\r\n`)];
  for (const a of argv) {
    const b = typeof a === 'string' ? Buffer.from(a, 'utf8') : a;
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

export class RawClient {
  private buf = Buffer.alloc(0);
  private waiters: { resolve: (b: Buffer) => void; reject: (e: Error) => void }[] = [];
  private closed = false;
  private closeError: Error | undefined;

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (d) => {
      this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d;
      this.drain();
    });
    const onEnd = (err?: Error) => {
      this.closed = true;
      this.closeError = err ?? new Error('connection closed');
      for (const w of this.waiters.splice(0)) w.reject(this.closeError);
    };
    socket.on('error', onEnd);
    socket.on('close', () => onEnd());
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, host);
      s.setNoDelay(true);
      s.once('error', reject);
      s.once('connect', () => {
        s.off('error', reject);
        resolve(new RawClient(s));
      });
    });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private drain(): void {
    while (this.waiters.length) {
      const len = replyLength(this.buf, 0);
      if (len < 0) return;
      const reply = Buffer.from(this.buf.subarray(0, len));
      this.buf = this.buf.subarray(len);
      this.waiters.shift()!.resolve(reply);
    }
  }

  /** Next reply, or rejects after `timeoutMs` / when the connection closes. */
  read(timeoutMs = 5000): Promise<Buffer> {
    if (this.closed && replyLength(this.buf, 0) < 0) return Promise.reject(this.closeError);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        const i = this.waiters.indexOf(w);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(new Error(`no reply within ${timeoutMs} ms`));
      }, timeoutMs);
      const w = {
        resolve: (b: Buffer) => (clearTimeout(t), resolve(b)),
        reject: (e: Error) => (clearTimeout(t), reject(e)),
      };
      this.waiters.push(w);
      this.drain();
    });
  }

  writeRaw(bytes: string | Buffer): void {
    this.socket.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
  }

  /** Send one command and read its reply. */
  async call(...argv: (string | Buffer)[]): Promise<Buffer> {
    this.writeRaw(encodeCommand(argv));
    return this.read();
  }

  /** Send many commands at once (pipelined), read all replies in order. */
  async pipeline(cmds: readonly (readonly (string | Buffer)[])[]): Promise<Buffer[]> {
    this.writeRaw(Buffer.concat(cmds.map(encodeCommand)));
    const out: Buffer[] = [];
    for (let i = 0; i < cmds.length; i++) out.push(await this.read());
    return out;
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Messages a subscriber received up to the reply of a PING sent now (RESP2 or RESP3). */
export async function eventsUntilPong(client: RawClient): Promise<string[]> {
  client.writeRaw(encodeCommand(['PING']));
  const out: string[] = [];
  for (;;) {
    const b = (await client.read()).latin1Slice();
    if (b === '+PONG\r\n' || b.includes('$4\r\npong\r\n')) return out;
    out.push(b);
  }
}

/** Human-readable form of reply bytes for assertion messages. */
export function show(b: Buffer | undefined): string {
  return b === undefined ? '(none)' : JSON.stringify(b.latin1Slice(0, Math.min(b.length, 400)));
}
