/**
 * Reading sockets without the Readable stream machinery.
 *
 * A 'data' event costs Node a fresh 64 KB allocation per read (then shrunk to size), an
 * ArrayBuffer and a trip through Readable.push and emit. For a proxy whose clients send one
 * small command per read that is a large share of its CPU. net.Socket's `onread` option instead
 * reads into a buffer we own and calls us directly.
 *
 * All sockets share one read buffer: reads run one at a time on the event loop, and each read's
 * bytes are copied out at once, because the parsers keep the bytes they are given (requests
 * until complete, node replies until written to the client). The copy of a small read comes
 * from Node's Buffer pool, far cheaper than a read's own allocation.
 *
 * Node 20 takes `onread` in `net.connect` (node connections) but not for accepted sockets; an
 * accepted socket (the server uses `pauseOnConnect`, so nothing has been read yet) has its handle
 * switched to our buffer instead (`readAcceptedSocket`). Making a second net.Socket around the
 * handle, as this file did before, cost ~50 us per accept. If the socket has no usable handle
 * (Node internals changed), it falls back to 'data' events: same behaviour, just slower.
 *
 * Pausing: Socket.pause()/resume() for node connections; an accepted socket's reader has its own.
 *
 * Even with `onread`, Node runs a general per-read function (onStreamRead) before ours; the
 * router's sockets replace it with their own (`takeOver`), which saves ~0.5 us of CPU per read.
 *
 * A consumer that is gathering a big command or reply into a buffer of its own, already sized
 * for it, can offer that buffer's free tail as the target of the next read (`readTarget`): the
 * bytes then land there directly (`onBytesInPlace`), with no copy and no Buffer per read. Big
 * values otherwise cost a 64 KB allocation per read, which at ~1 GB/s keeps V8's collector busy.
 */
import net from 'node:net';

const READ_BUFFER_SIZE = 64 * 1024;
const readBuffer = Buffer.allocUnsafe(READ_BUFFER_SIZE);

/** What a socket's reads are handed to. */
export interface ReadConsumer {
  /** A read's bytes, in a Buffer the consumer may keep. */
  onBytes(chunk: Buffer): void;
  /** If given: a read's bytes in the shared read buffer, which the consumer copies before returning (instead of onBytes). */
  onBytesCopy?(src: Uint8Array, n: number): void;
  /** A region of the consumer's own memory the next read may fill directly, or null ... */
  readTarget(): Uint8Array | null;
  /** ... and the `n` bytes a read put at the start of `target` (the region readTarget gave). */
  onBytesInPlace(target: Uint8Array, n: number): void;
}

/** What Node's stream handles share with the JS that reads them (Node internals; null elsewhere). */
interface StreamBinding {
  streamBaseState: Int32Array;
  kReadBytesOrError: number;
}
const streamBinding: StreamBinding | null = (() => {
  try {
    const b = (process as unknown as { binding(name: string): Partial<StreamBinding> }).binding('stream_wrap');
    return b.streamBaseState instanceof Int32Array && typeof b.kReadBytesOrError === 'number' ? (b as StreamBinding) : null;
  } catch {
    return null;
  }
})();

/** True when `takeOver` replaces Node's per-read JS on this Node (for tests). */
export const FAST_READS = streamBinding !== null;

interface OnreadHandle {
  onread: (this: unknown, arrayBuffer: unknown) => Uint8Array | undefined;
}

export interface DirectReadOpts extends net.OnReadOpts {
  /**
   * Replaces Node's per-read JS for `socket` (onStreamRead: a timer refresh, four symbol lookups,
   * the callback, the buffer generator) with one function that does the same for a successful
   * read; EOF and errors still go through Node's. The socket must not rely on setTimeout once
   * reading (a read no longer refreshes it). False when Node's internals are not there (nothing
   * changed then).
   */
  takeOver(socket: net.Socket): boolean;
}

/** The `onread` option for net.connect / new net.Socket, reading for `consumer`. */
export function directRead(consumer: ReadConsumer): DirectReadOpts {
  /** The buffer the handle reads into next. */
  let target: Uint8Array = readBuffer;
  const deliver = (buf: Uint8Array, n: number): void => {
    if (buf === readBuffer) {
      // Copied out at once: the next read, on any socket, reuses readBuffer.
      if (consumer.onBytesCopy !== undefined) return consumer.onBytesCopy(readBuffer, n);
      const chunk = Buffer.allocUnsafe(n);
      readBuffer.copy(chunk, 0, 0, n);
      consumer.onBytes(chunk);
    } else {
      consumer.onBytesInPlace(buf, n);
    }
  };
  return {
    buffer: () => (target = consumer.readTarget() ?? readBuffer),
    callback: (nread: number, buf: Uint8Array): boolean => {
      deliver(buf, nread);
      return true; // false would stop reading; flow control uses pause() instead
    },
    takeOver(socket: net.Socket): boolean {
      const handle = (socket as unknown as { _handle?: Partial<OnreadHandle> | null })._handle;
      if (streamBinding === null || handle == null || typeof handle.onread !== 'function') return false;
      const state = streamBinding.streamBaseState;
      const kNread = streamBinding.kReadBytesOrError;
      const nodeOnread = handle.onread;
      // Called by the handle's C++ with the read's size in streamBaseState; returning a buffer
      // makes it the target of the next read.
      handle.onread = function (this: unknown, arrayBuffer: unknown): Uint8Array | undefined {
        const nread = state[kNread]!;
        if (nread <= 0 || socket.destroyed) return nodeOnread.call(this, arrayBuffer);
        deliver(target, nread);
        const next = consumer.readTarget() ?? readBuffer;
        if (next === target) return undefined;
        target = next;
        return next;
      };
      return true;
    },
  };
}

/** What an accepted socket's handle offers for reading into our own buffer (Node internals). */
interface AcceptedHandle {
  useUserBuffer(buf: Uint8Array): void;
  readStart(): number;
  readStop(): number;
  reading: boolean;
  onread: unknown;
}

/** An accepted socket being read for a consumer, with flow control that works either way. */
export interface AcceptedReader {
  readonly socket: net.Socket;
  /** Stop reading the connection (until resume). */
  pause(): void;
  resume(): void;
}

/**
 * Starts reading a socket accepted with `pauseOnConnect`, handing each read to `consumer`.
 *
 * Node 20 takes `onread` in `net.connect` but not for accepted sockets, so the accepted socket's
 * handle is switched to read into our buffer (`useUserBuffer`, what `onread` does inside
 * net.Socket) and its per-read function replaced (`takeOver`). Nothing goes through Readable
 * any more except EOF, so flow control stops and starts the handle itself: Socket.pause() only
 * does that for sockets made with `onread`. Without those internals the socket is read through
 * 'data' events: same behaviour, just slower.
 */
export function readAcceptedSocket(socket: net.Socket, consumer: ReadConsumer): AcceptedReader {
  const handle = (socket as unknown as { _handle?: Partial<AcceptedHandle> | null })._handle;
  const onread = directRead(consumer);
  // Our onread must be in place before the handle reads into our buffer: Node's own expects the
  // user-buffer state that only a socket made with `onread` has.
  const direct = handle != null && typeof handle.useUserBuffer === 'function' && typeof handle.readStop === 'function' && !socket.destroyed && onread.takeOver(socket);
  if (!direct) {
    socket.on('data', (chunk: Buffer) => consumer.onBytes(chunk));
    socket.resume();
    return { socket, pause: () => socket.pause(), resume: () => socket.resume() };
  }
  const h = handle as AcceptedHandle;
  h.useUserBuffer((onread.buffer as () => Uint8Array)());
  socket.resume(); // flowing, so that EOF still ends the socket; the handle starts reading
  return {
    socket,
    pause: () => {
      if (!h.reading || socket.destroyed) return;
      h.reading = false;
      h.readStop();
    },
    resume: () => {
      if (h.reading || socket.destroyed) return;
      h.reading = true;
      if (h.readStart() !== 0) socket.destroy();
    },
  };
}
