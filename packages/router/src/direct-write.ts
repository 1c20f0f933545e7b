/**
 * Writing sockets without the Writable stream machinery (the other half of direct-read.ts).
 *
 * `socket.write` costs a trip through Writable (state bookkeeping, a WriteWrap object per
 * write, a process.nextTick to report the write done) before the bytes reach libuv. The router
 * writes at most once per socket per event-loop turn, almost always completely at once, so it
 * calls the stream handle's own writeBuffer / writeLatin1String with one reused request object:
 * the C++ side keeps a request object only when the kernel did not take everything (an "async"
 * write); then that object stays with the write, and a new one is made for the next.
 *
 * What Writable did and the router now does itself:
 *  - bytes not yet taken by the kernel: `queuedBytes` (libuv's write queue) replaces
 *    `socket.writableLength`;
 *  - 'drain': `onDrain` runs when an async write completes and the queue is empty;
 *  - a failed write destroys the socket ('error'/'close' follow as before).
 * While the socket is still connecting, or Writable still holds bytes from an earlier
 * `socket.write` (a node connection's handshake), writes go through `socket.write` so that
 * order is kept. Without the internals (another Node version), every write does.
 */
import type net from 'node:net';

interface WriteReq {
  handle: unknown;
  oncomplete: (status: number) => void;
  buffer: Uint8Array | null;
}

interface StreamHandle {
  writeBuffer(req: WriteReq, data: Uint8Array): number;
  writeLatin1String(req: WriteReq, data: string): number;
  readonly writeQueueSize: number;
}

interface StreamWrapBinding {
  WriteWrap: new () => WriteReq;
  streamBaseState: Int32Array;
  kLastWriteWasAsync: number;
}

function loadBinding(): StreamWrapBinding | null {
  try {
    const b = (process as unknown as { binding(name: string): Partial<StreamWrapBinding> }).binding('stream_wrap');
    if (typeof b.WriteWrap !== 'function' || !(b.streamBaseState instanceof Int32Array) || typeof b.kLastWriteWasAsync !== 'number') return null;
    return b as StreamWrapBinding;
  } catch {
    return null;
  }
}

const binding = loadBinding();
const streamBaseState = binding?.streamBaseState ?? new Int32Array(1);
const kLastWriteWasAsync = binding?.kLastWriteWasAsync ?? 0;

/** True when writes bypass Writable on this Node (for tests). */
export const DIRECT_WRITES = binding !== null;

export class DirectWriter {
  private req: WriteReq | null = null;
  /** True while bytes handed to socket.write may still sit in Writable (checked before writing past it). */
  private viaStream = false;
  private readonly complete: (status: number) => void;

  constructor(
    private readonly socket: net.Socket,
    /** Called when every byte written so far has been taken by the kernel after some had to wait. */
    onDrain: () => void,
  ) {
    socket.on('drain', onDrain);
    this.complete = (status: number) => {
      if (status < 0) {
        socket.destroy();
        return;
      }
      const handle = this.handle();
      if (handle === null || handle.writeQueueSize === 0) onDrain();
    };
  }

  private handle(): StreamHandle | null {
    const h = (this.socket as unknown as { _handle: StreamHandle | null })._handle;
    return h != null && typeof h.writeBuffer === 'function' ? h : null;
  }

  /** Bytes written but not yet taken by the kernel. */
  get queuedBytes(): number {
    const handle = this.handle();
    const queued = handle !== null ? handle.writeQueueSize : 0;
    return this.viaStream ? queued + this.socket.writableLength : queued;
  }

  /**
   * Writes `data` (a string is written as latin1 bytes). Returns true when the socket still
   * holds on to `data` (not all of it was taken at once), so the caller must not reuse it.
   */
  write(data: Uint8Array | string): boolean {
    const socket = this.socket;
    if (this.viaStream && socket.writableLength === 0) this.viaStream = false;
    const handle = binding !== null && !socket.connecting && !this.viaStream ? this.handle() : null;
    if (handle === null) {
      if (socket.destroyed) return false;
      if (typeof data === 'string') socket.write(data, 'latin1');
      else socket.write(data);
      this.viaStream = socket.writableLength > 0;
      return this.viaStream;
    }
    let req = this.req;
    if (req === null) {
      req = new binding!.WriteWrap();
      req.handle = handle;
      req.oncomplete = this.complete;
      req.buffer = null;
      this.req = req;
    }
    const err = typeof data === 'string' ? handle.writeLatin1String(req, data) : handle.writeBuffer(req, data);
    if (err !== 0) {
      socket.destroy();
      return false;
    }
    if (streamBaseState[kLastWriteWasAsync] === 0) return false;
    // libuv still holds the bytes: the request object (and our buffer) stay with that write.
    if (typeof data !== 'string') req.buffer = data;
    this.req = null;
    return true;
  }
}
