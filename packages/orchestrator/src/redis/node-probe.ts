/**
 * Reads INFO from each storage node of a swarm cluster. The nodes listen only on the overlay,
 * which the host cannot route to, so a short-lived container of the cluster's own image is
 * attached to the (attachable) overlay, asks each node by its service name, and prints JSON.
 * The snippet speaks just enough RESP for AUTH and INFO.
 */
import type Docker from 'dockerode';
import { LABEL_CLUSTER } from '../swarm/names.js';
import { parseInfo } from './probe.js';

const PROBE_SCRIPT = `
import net from 'node:net';
const targets = process.env.SWARMKV_TARGETS.split(',');
const pw = process.env.SWARMKV_PASSWORD || '';
const cmd = (...a) => '*' + a.length + '\\r\\n' + a.map((x) => '$' + Buffer.byteLength(x) + '\\r\\n' + x + '\\r\\n').join('');
function ask(t) {
  return new Promise((resolve) => {
    const [host, port] = t.split(':');
    const s = net.connect(Number(port), host);
    let buf = Buffer.alloc(0);
    const done = (r) => { s.destroy(); resolve(r); };
    s.setTimeout(2000, () => done({ target: t, error: 'timeout' }));
    s.on('error', (e) => done({ target: t, error: e.code || e.message }));
    s.on('connect', () => s.write((pw ? cmd('AUTH', pw) : '') + cmd('INFO')));
    s.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      let text = buf.toString('latin1');
      if (pw) { const i = text.indexOf('\\r\\n'); if (i < 0) return; if (text[0] === '-') return done({ target: t, error: text.slice(1, i) }); text = text.slice(i + 2); }
      if (text[0] === '-') return done({ target: t, error: text.slice(1, text.indexOf('\\r\\n')) });
      const i = text.indexOf('\\r\\n');
      if (i < 0) return;
      const len = Number(text.slice(1, i));
      if (Buffer.byteLength(text, 'latin1') >= i + 2 + len) done({ target: t, info: text.slice(i + 2, i + 2 + len) });
    });
  });
}
const out = await Promise.all(targets.map(ask));
process.stdout.write(JSON.stringify(out) + '\\n');
`;

export interface NodeInfo {
  readonly target: string;
  readonly error?: string;
  readonly info?: Record<string, string>;
}

export async function probeNodes(
  docker: Docker,
  opts: { image: string; network: string; cluster: string; targets: string[]; password?: string },
): Promise<NodeInfo[]> {
  const c = await docker.createContainer({
    Image: opts.image,
    Cmd: ['eval', PROBE_SCRIPT],
    Env: [`SWARMKV_TARGETS=${opts.targets.join(',')}`, ...(opts.password ? [`SWARMKV_PASSWORD=${opts.password}`] : [])],
    Labels: { [LABEL_CLUSTER]: opts.cluster, 'swarmkv.role': 'probe' },
    Tty: true,
    HostConfig: { NetworkMode: opts.network, Init: true },
  });
  try {
    await c.start();
    await c.wait();
    // docker-modem hands back the body parsed when it is JSON (a TTY's output is raw), else bytes.
    const logs = (await c.logs({ stdout: true, stderr: true })) as unknown;
    const raw = (Array.isArray(logs) ? logs : JSON.parse(String(logs).trim().split('\n').pop() ?? '[]')) as { target: string; error?: string; info?: string }[];
    return raw.map((r) => ({ target: r.target, ...(r.error ? { error: r.error } : {}), ...(r.info ? { info: parseInfo(r.info) } : {}) }));
  } finally {
    await c.remove({ force: true }).catch(() => undefined);
  }
}
