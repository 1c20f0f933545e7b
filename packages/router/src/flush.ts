/**
 * Write coalescing for every socket the router owns.
 *
 * Replies to clients and requests to nodes are appended to per-socket buffers and written once
 * per event-loop turn: `markDirty` queues the owner and arms one `setImmediate`, which runs right
 * after the poll phase has delivered every readable socket. So 50 clients that each sent one
 * command in the same turn become one write to each node, and a node reply chunk that answers
 * 50 clients becomes one write per client. This is where most of the speed against a C proxy
 * comes from: syscalls, not JavaScript, dominate a proxy's cost.
 */

export interface Flushable {
  /** True while queued, so an owner is queued at most once per turn. */
  dirty: boolean;
  flush(): void;
}

let queue: Flushable[] = [];
let spare: Flushable[] = [];
let armed = false;

export function markDirty(f: Flushable): void {
  if (f.dirty) return;
  f.dirty = true;
  queue.push(f);
  if (!armed) {
    armed = true;
    setImmediate(flushAll);
  }
}

/** Writes everything queued (also called directly at the end of a socket's data handler when useful). */
export function flushAll(): void {
  armed = false;
  // Flushing one owner can dirty another (e.g. a local reply completing a queue); loop until quiet.
  while (queue.length > 0) {
    const batch = queue;
    queue = spare;
    for (let i = 0; i < batch.length; i++) {
      const f = batch[i]!;
      f.dirty = false;
      f.flush();
    }
    batch.length = 0;
    spare = batch;
  }
}
