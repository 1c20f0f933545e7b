// A PING probe in a process of its own: one connection, a PING 2 ms after each reply, every wait
// recorded. A separate process, because neither the loader's work (building batches, counting
// replies) nor its memory management may show up as server latency: as a worker thread in the
// loader's process the probe saw a 25-30 ms wait at the same moment of every run, for
// redis-server and the node alike.
//   const probe = await startPingProbe(port); ...; const { waits } = await probe.stop();
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import net from 'node:net';

const IS_PROBE = process.argv[2] === '--probe';

export async function startPingProbe(port) {
  const child = fork(fileURLToPath(import.meta.url), ['--probe', String(port)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  await new Promise((resolve, reject) => (child.once('message', resolve), child.once('error', reject)));
  return {
    /** Stops probing; resolves to every wait in ms, sorted, and the longest ones with their start times. */
    async stop() {
      const result = new Promise((resolve) => child.once('message', resolve));
      child.send('stop');
      const r = await result;
      await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', resolve)));
      return r;
    },
  };
}

if (IS_PROBE) {
  const sock = net.connect(Number(process.argv[3]), '127.0.0.1');
  sock.setNoDelay(true);
  const t0 = performance.now();
  // Waits and their start times in preallocated typed arrays: a probe that allocates per sample
  // grows its own heap, and its own garbage collection then shows up as a server wait (it did,
  // at the same moment of every run, for redis-server and the node alike).
  let waitMs = new Float64Array(1 << 16);
  let startMs = new Float64Array(1 << 16);
  let count = 0;
  let sentAt = 0;
  let probing = true;
  const ping = () => ((sentAt = performance.now()), sock.write('PING\r\n'));
  sock.on('data', () => {
    const now = performance.now();
    if (count === waitMs.length) {
      const w = new Float64Array(count * 2);
      w.set(waitMs);
      waitMs = w;
      const st = new Float64Array(count * 2);
      st.set(startMs);
      startMs = st;
    }
    waitMs[count] = now - sentAt;
    startMs[count] = sentAt - t0;
    count++;
    if (probing) setTimeout(ping, 2);
  });
  sock.on('connect', () => (ping(), process.send('ready')));
  process.on('message', () => {
    probing = false;
    sock.destroy();
    const order = Array.from({ length: count }, (_, i) => i).sort((a, b) => waitMs[b] - waitMs[a]);
    const longest = order.slice(0, 10).map((i) => ({ atMs: Math.round(startMs[i]), waitMs: +waitMs[i].toFixed(1) }));
    process.send({ waits: Array.from(waitMs.subarray(0, count)).sort((a, b) => a - b), longest }, () => process.exit(0));
  });
}
