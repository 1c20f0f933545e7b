// A PING probe in a worker thread: one connection, a PING 2 ms after each reply, every wait
// recorded. It runs on its own event loop so that the loader's work (building batches, counting
// replies) in the main thread cannot show up as server latency.
//   const probe = await startPingProbe(port); ...; const { waits } = await probe.stop();
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import net from 'node:net';

export async function startPingProbe(port) {
  const worker = new Worker(new URL(import.meta.url), { workerData: { port } });
  await new Promise((resolve, reject) => (worker.once('message', resolve), worker.once('error', reject)));
  return {
    /** Stops probing; resolves to every wait in ms, sorted, and the longest ones with their start times. */
    async stop() {
      worker.postMessage('stop');
      const result = await new Promise((resolve) => worker.once('message', resolve));
      await worker.terminate();
      return result;
    },
  };
}

if (!isMainThread) {
  const sock = net.connect(workerData.port, '127.0.0.1');
  sock.setNoDelay(true);
  const t0 = performance.now();
  const waits = [];
  let sentAt = 0;
  let probing = true;
  const ping = () => ((sentAt = performance.now()), sock.write('PING\r\n'));
  sock.on('data', () => {
    waits.push([performance.now() - sentAt, sentAt - t0]);
    if (probing) setTimeout(ping, 2);
  });
  sock.on('connect', () => (ping(), parentPort.postMessage('ready')));
  parentPort.on('message', () => {
    probing = false;
    sock.destroy();
    const longest = [...waits].sort((a, b) => b[0] - a[0]).slice(0, 10).map(([w, at]) => ({ atMs: Math.round(at), waitMs: +w.toFixed(1) }));
    parentPort.postMessage({ waits: waits.map((w) => w[0]).sort((a, b) => a - b), longest });
  });
}
