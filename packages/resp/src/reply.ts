/**
 * Reply values.
 *
 * Handlers return these; the encoder turns them into RESP2 or RESP3 bytes for the connection's
 * protocol (HELLO 3 switches a connection). Types that RESP2 lacks degrade as Redis does:
 * map -> flat array, set -> array, double -> bulk string, bool -> integer, null -> $-1 or *-1,
 * push -> array, verbatim -> bulk.
 *
 * Payloads are `Bytes` (latin1 strings, see bytes.ts). Shared constant replies (R.ok, R.nil ...)
 * are frozen singletons so that the hot path allocates nothing for them.
 */
import type { Bytes } from './bytes.js';
import { RespError } from './errors.js';

export type Reply =
  | { readonly t: 'simple'; readonly v: string }
  | { readonly t: 'err'; readonly v: string } // whole message, code first: "ERR syntax error"
  | { readonly t: 'int'; readonly v: number | bigint }
  | { readonly t: 'bulk'; readonly v: Bytes }
  | { readonly t: 'nil' } // RESP2 $-1, RESP3 _
  | { readonly t: 'nilarr' } // RESP2 *-1, RESP3 _
  | { readonly t: 'arr'; readonly v: readonly Reply[] }
  | { readonly t: 'map'; readonly v: readonly Reply[] } // flat: k1, v1, k2, v2 ...
  | { readonly t: 'set'; readonly v: readonly Reply[] }
  | { readonly t: 'dbl'; readonly v: number } // RESP3 ,1.5 ; RESP2 bulk formatted like Redis
  | { readonly t: 'bool'; readonly v: boolean } // RESP3 #t ; RESP2 :1
  | { readonly t: 'verb'; readonly v: Bytes; readonly fmt: string } // RESP3 =15\r\ntxt:... ; RESP2 bulk
  | { readonly t: 'push'; readonly v: readonly Reply[] } // RESP3 >  ; RESP2 array
  | { readonly t: 'raw'; readonly v: Bytes }; // already-encoded RESP bytes, written as they are

const OK: Reply = Object.freeze({ t: 'simple', v: 'OK' });
const QUEUED: Reply = Object.freeze({ t: 'simple', v: 'QUEUED' });
const PONG: Reply = Object.freeze({ t: 'simple', v: 'PONG' });
const NIL: Reply = Object.freeze({ t: 'nil' });
const NILARR: Reply = Object.freeze({ t: 'nilarr' });
const EMPTY_ARR: Reply = Object.freeze({ t: 'arr', v: Object.freeze([]) as readonly Reply[] });
const INTS: Reply[] = Array.from({ length: 1024 }, (_, i) => Object.freeze({ t: 'int', v: i }) as Reply);

export const R = {
  ok: OK,
  queued: QUEUED,
  pong: PONG,
  nil: NIL,
  nilArray: NILARR,
  emptyArray: EMPTY_ARR,
  simple: (v: string): Reply => ({ t: 'simple', v }),
  err: (v: string): Reply => ({ t: 'err', v }),
  fromError: (e: RespError): Reply => ({ t: 'err', v: e.message }),
  int: (v: number | bigint): Reply =>
    typeof v === 'number' && v >= 0 && v < 1024 && Number.isInteger(v) ? INTS[v]! : { t: 'int', v },
  bulk: (v: Bytes): Reply => ({ t: 'bulk', v }),
  /** bulk, or nil for undefined/null */
  bulkOrNil: (v: Bytes | undefined | null): Reply => (v == null ? NIL : { t: 'bulk', v }),
  arr: (v: readonly Reply[]): Reply => ({ t: 'arr', v }),
  bulks: (v: readonly Bytes[]): Reply => ({ t: 'arr', v: v.map((x) => ({ t: 'bulk', v: x }) as Reply) }),
  map: (v: readonly Reply[]): Reply => ({ t: 'map', v }),
  set: (v: readonly Reply[]): Reply => ({ t: 'set', v }),
  dbl: (v: number): Reply => ({ t: 'dbl', v }),
  bool: (v: boolean): Reply => ({ t: 'bool', v }),
  verb: (v: Bytes, fmt = 'txt'): Reply => ({ t: 'verb', v, fmt }),
  push: (v: readonly Reply[]): Reply => ({ t: 'push', v }),
  raw: (v: Bytes): Reply => ({ t: 'raw', v }),
};
