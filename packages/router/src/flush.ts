/**
 * Write coalescing for every socket the router owns.
 *
 * Replies to clients and requests to nodes are appended to per-socket buffers and written once
 * per event-loop turn: `markDirty` queues the owner and arms one `setImmediate`, which runs right
 * after the poll phase has delivered every readable socket. So 50 clients that each sent one
 * command in the same turn become one write to each node, and a node reply chunk that answers
 * 50 clients becomes one write per client. This is where most of the speed against a C proxy
 * comes from: syscalls, not JavaScript, dominate a proxy's cost.
 *
 * Node connections are written before clients (`markUpstreamDirty`): the nodes then work on the
 * turn's requests while the router is still writing replies, instead of waiting behind them.
 */

export interface Flushable {
  /** True while queued, so an owner is queued at most once per turn. */
  dirty: boolean;
  flush(): void;
}

/** Owners waiting for the end of the turn; the array is swapped, not reallocated, each turn. */
class FlushQueue {
  private items: Flushable[] = [];
  private spare: Flushable[] = [];

  get empty(): boolean {
    return this.items.length === 0;
  }

  add(f: Flushable): void {
    f.dirty = true;
    this.items.push(f);
  }

  /** Flushes what is queued now (owners queued meanwhile wait for the next drain). */
  drain(): void {
    const batch = this.items;
    this.items = this.spare;
    for (let i = 0; i < batch.length; i++) {
      const f = batch[i]!;
      f.dirty = false;
      f.flush();
    }
    batch.length = 0;
    this.spare = batch;
  }
}

const upstream = new FlushQueue();
const clients = new FlushQueue();
let armed = false;

function arm(): void {
  if (armed) return;
  armed = true;
  setImmediate(flushAll);
}

/** Queues a client session (or anything but a node connection) for this turn's writes. */
export function markDirty(f: Flushable): void {
  if (f.dirty) return;
  clients.add(f);
  arm();
}

/** Queues a node connection; these are written first. */
export function markUpstreamDirty(f: Flushable): void {
  if (f.dirty) return;
  upstream.add(f);
  arm();
}

/** Writes everything queued (also called directly at the end of a socket's data handler when useful). */
export function flushAll(): void {
  armed = false;
  // Flushing one owner can dirty another (a local reply completing a queue, a client's held
  // command sent to a node); loop until quiet, node connections first each time.
  while (!upstream.empty || !clients.empty) {
    while (!upstream.empty) upstream.drain();
    clients.drain();
  }
}
