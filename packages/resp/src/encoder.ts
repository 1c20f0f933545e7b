/**
 * Reply encoder: `Reply` values to RESP2 or RESP3 bytes.
 *
 * The output is a `Bytes` string (latin1, one char per byte) that the server appends to its
 * pending output and writes with `socket.write(out, 'latin1')`: V8 concatenates strings as ropes,
 * so building a pipeline's worth of replies costs no copying until the single write.
 *
 * RESP2 has no map/set/double/bool/null/verbatim/push types; they degrade as Redis 7.0 does (see
 * reply.ts). Doubles use Redis 7.0's `%.17g` formatting (format-double.ts). Error messages have CR
 * and LF replaced by spaces, as Redis does for formatted errors, so user bytes echoed in an error
 * cannot break the protocol. Frequent replies are pre-encoded constants.
 */
import { writeBytes, type Bytes } from './bytes.js';
import type { Reply } from './reply.js';
import { R } from './reply.js';
import { formatDouble } from './format-double.js';

export { formatDouble } from './format-double.js';

export type Proto = 2 | 3;

/** Pre-encoded replies that do not depend on the protocol version. */
export const ENC = Object.freeze({
  OK: '+OK\r\n',
  QUEUED: '+QUEUED\r\n',
  PONG: '+PONG\r\n',
  ZERO: ':0\r\n',
  ONE: ':1\r\n',
  EMPTY_BULK: '$0\r\n\r\n',
  EMPTY_ARRAY: '*0\r\n',
  CRLF: '\r\n',
});

/** RESP2 `$-1`, RESP3 `_`. */
export function encodeNil(proto: Proto): Bytes {
  return proto === 3 ? '_\r\n' : '$-1\r\n';
}

/** RESP2 `*-1`, RESP3 `_`. */
export function encodeNilArray(proto: Proto): Bytes {
  return proto === 3 ? '_\r\n' : '*-1\r\n';
}

const SMALL_INTS: string[] = Array.from({ length: 1024 }, (_, i) => `:${i}\r\n`);
const BULK_HEADERS: string[] = Array.from({ length: 1024 }, (_, i) => `$${i}\r\n`);
const ARRAY_HEADERS: string[] = Array.from({ length: 128 }, (_, i) => `*${i}\r\n`);

export function encodeInt(n: number | bigint): Bytes {
  if (typeof n === 'number' && n >= 0 && n < 1024 && (n | 0) === n) return SMALL_INTS[n]!;
  return ':' + String(n) + '\r\n';
}

export function encodeBulk(v: Bytes): Bytes {
  const len = v.length;
  return (len < 1024 ? BULK_HEADERS[len]! : '$' + len + '\r\n') + v + '\r\n';
}

export function encodeSimple(v: string): Bytes {
  return '+' + v + '\r\n';
}

/** `-<message>\r\n`; message starts with the code ("ERR ...", "WRONGTYPE ..."). */
export function encodeError(message: string): Bytes {
  if (message.indexOf('\r') >= 0 || message.indexOf('\n') >= 0) message = message.replace(/[\r\n]/g, ' ');
  return '-' + message + '\r\n';
}

export function encodeArrayHeader(n: number): Bytes {
  return n < 128 ? ARRAY_HEADERS[n]! : '*' + n + '\r\n';
}

/** Aggregate header for a map of `pairs` entries: RESP3 `%pairs`, RESP2 an array of 2*pairs. */
export function encodeMapHeader(pairs: number, proto: Proto): Bytes {
  return proto === 3 ? '%' + pairs + '\r\n' : encodeArrayHeader(pairs * 2);
}

/** RESP3 `~n`, RESP2 `*n`. */
export function encodeSetHeader(n: number, proto: Proto): Bytes {
  return proto === 3 ? '~' + n + '\r\n' : encodeArrayHeader(n);
}

/** RESP3 `>n`, RESP2 `*n`. */
export function encodePushHeader(n: number, proto: Proto): Bytes {
  return proto === 3 ? '>' + n + '\r\n' : encodeArrayHeader(n);
}

/** RESP3 `,<%.17g>`, RESP2 the same text as a bulk string. */
export function encodeDouble(d: number, proto: Proto): Bytes {
  const s = formatDouble(d);
  return proto === 3 ? ',' + s + '\r\n' : encodeBulk(s);
}

export function encodeBulks(items: readonly Bytes[]): Bytes {
  let out = encodeArrayHeader(items.length);
  for (let i = 0; i < items.length; i++) out += encodeBulk(items[i]!);
  return out;
}

function encodeItems(head: Bytes, items: readonly Reply[], proto: Proto): Bytes {
  let out = head;
  for (let i = 0; i < items.length; i++) out += encodeReply(items[i]!, proto);
  return out;
}

const OK_REPLY = R.ok;
const NIL_REPLY = R.nil;

/** Encode one reply for a connection speaking RESP `proto`. */
export function encodeReply(r: Reply, proto: Proto): Bytes {
  if (r === OK_REPLY) return ENC.OK;
  if (r === NIL_REPLY) return proto === 3 ? '_\r\n' : '$-1\r\n';
  switch (r.t) {
    case 'bulk':
      return encodeBulk(r.v);
    case 'int':
      return encodeInt(r.v);
    case 'simple':
      return '+' + r.v + '\r\n';
    case 'err':
      return encodeError(r.v);
    case 'arr':
      return encodeItems(encodeArrayHeader(r.v.length), r.v, proto);
    case 'nil':
      return proto === 3 ? '_\r\n' : '$-1\r\n';
    case 'nilarr':
      return proto === 3 ? '_\r\n' : '*-1\r\n';
    case 'map':
      return encodeItems(
        proto === 3 ? '%' + (r.v.length >>> 1) + '\r\n' : encodeArrayHeader(r.v.length),
        r.v,
        proto,
      );
    case 'set':
      return encodeItems(proto === 3 ? '~' + r.v.length + '\r\n' : encodeArrayHeader(r.v.length), r.v, proto);
    case 'dbl':
      return encodeDouble(r.v, proto);
    case 'bool':
      return proto === 3 ? (r.v ? '#t\r\n' : '#f\r\n') : r.v ? ':1\r\n' : ':0\r\n';
    case 'verb':
      return proto === 3 ? '=' + (r.v.length + 4) + '\r\n' + r.fmt + ':' + r.v + '\r\n' : encodeBulk(r.v);
    case 'push':
      return encodeItems(proto === 3 ? '>' + r.v.length + '\r\n' : encodeArrayHeader(r.v.length), r.v, proto);
    case 'raw':
      return r.v;
  }
}

/** Encode a batch of replies into one string (one socket write per pipeline). */
export function encodeReplies(replies: readonly Reply[], proto: Proto): Bytes {
  let out = '';
  for (let i = 0; i < replies.length; i++) out += encodeReply(replies[i]!, proto);
  return out;
}

/**
 * Writes a RESP header line, `<prefix><n>\r\n` (n >= 0; prefix a byte such as 42 '*' or 36 '$'),
 * into buf at `at` (the caller made room); returns the offset after it. For code that encodes
 * straight into Buffers: the router's requests, LRANGE's reply.
 */
export function writeRespHeader(buf: Buffer, at: number, prefix: number, n: number): number {
  buf[at++] = prefix;
  if (n < 10) buf[at++] = 48 + n;
  else at = writeBytes(buf, at, String(n));
  buf[at++] = 13;
  buf[at++] = 10;
  return at;
}
