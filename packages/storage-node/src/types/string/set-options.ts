/**
 * The option grammar SET and GETEX share (Redis's parseExtendedStringArgumentsOrReply) and the
 * expire-time arithmetic behind EX/PX/EXAT/PXAT (getExpireMillisecondsOrReply).
 *
 * Redis's grammar has quirks that clients can observe, kept here on purpose:
 *  - repeating an option is allowed and the last value wins ("EX 10 EX 20"), but two different
 *    expire options, NX with XX, or KEEPTTL with an expire are syntax errors;
 *  - options are compared as C strings, so "NX\0anything" is NX;
 *  - only SET accepts NX/XX/GET/KEEPTTL, only GETEX accepts PERSIST.
 */
import { Err, type Bytes } from '@swarmkv/resp';
import { parseLongLong, LLONG_MAX } from '../../util/numbers.js';

export const OPT_NX = 1;
export const OPT_XX = 2;
export const OPT_GET = 4;
export const OPT_KEEPTTL = 8;
export const OPT_PERSIST = 16;
export const OPT_EX = 32;
export const OPT_PX = 64;
export const OPT_EXAT = 128;
export const OPT_PXAT = 256;

const ANY_EXPIRE = OPT_EX | OPT_PX | OPT_EXAT | OPT_PXAT;

export interface ExtendedArgs {
  flags: number;
  /** The argument after EX/PX/EXAT/PXAT (the last one given). */
  expire: Bytes | undefined;
}

/** The argument up to its first NUL byte, as C's string functions see it. */
function cString(s: Bytes): Bytes {
  const i = s.indexOf('\0');
  return i < 0 ? s : s.slice(0, i);
}

/**
 * Parses argv[start..] for SET (`forSet`) or GETEX. Throws `-ERR syntax error` exactly where
 * Redis does.
 */
export function parseExtendedArgs(argv: readonly Bytes[], start: number, forSet: boolean): ExtendedArgs {
  let flags = 0;
  let expire: Bytes | undefined;
  const argc = argv.length;
  for (let j = start; j < argc; j++) {
    const opt = cString(argv[j]!).toLowerCase();
    const hasNext = j < argc - 1;
    if (opt === 'nx' && forSet && !(flags & OPT_XX)) {
      flags |= OPT_NX;
    } else if (opt === 'xx' && forSet && !(flags & OPT_NX)) {
      flags |= OPT_XX;
    } else if (opt === 'get' && forSet) {
      flags |= OPT_GET;
    } else if (opt === 'keepttl' && forSet && !(flags & (OPT_PERSIST | ANY_EXPIRE))) {
      flags |= OPT_KEEPTTL;
    } else if (opt === 'persist' && !forSet && !(flags & (ANY_EXPIRE | OPT_KEEPTTL))) {
      flags |= OPT_PERSIST;
    } else if (
      hasNext &&
      !(flags & (OPT_KEEPTTL | OPT_PERSIST)) &&
      ((opt === 'ex' && !(flags & (ANY_EXPIRE & ~OPT_EX))) ||
        (opt === 'px' && !(flags & (ANY_EXPIRE & ~OPT_PX))) ||
        (opt === 'exat' && !(flags & (ANY_EXPIRE & ~OPT_EXAT))) ||
        (opt === 'pxat' && !(flags & (ANY_EXPIRE & ~OPT_PXAT))))
    ) {
      flags |= opt === 'ex' ? OPT_EX : opt === 'px' ? OPT_PX : opt === 'exat' ? OPT_EXAT : OPT_PXAT;
      expire = argv[++j]!;
    } else {
      throw Err.syntax();
    }
  }
  return { flags, expire };
}

/**
 * The absolute expire time in ms for an EX/PX/EXAT/PXAT argument, relative ones counted from
 * `now`. Throws "not an integer" or `invalid expire time in '<cmd>' command` (zero, negative,
 * or overflowing int64 ms), as Redis.
 */
export function expireAtMs(arg: Bytes, flags: number, now: number, cmd: string): number {
  const v = parseLongLong(arg);
  const seconds = (flags & (OPT_EX | OPT_EXAT)) !== 0;
  const relative = (flags & (OPT_EX | OPT_PX)) !== 0;
  if (typeof v === 'number' && v > 0) {
    let ms = seconds ? v * 1000 : v;
    if (relative) ms += now;
    if (ms <= Number.MAX_SAFE_INTEGER) return ms;
  }
  // Exact int64 arithmetic, overflow included, for the values that need it.
  let ms = BigInt(v);
  if (ms <= 0n || (seconds && ms > LLONG_MAX / 1000n)) throw invalidExpire(cmd);
  if (seconds) ms *= 1000n;
  if (relative) ms += BigInt(now);
  if (ms > LLONG_MAX) throw invalidExpire(cmd);
  return Number(ms);
}

export function invalidExpire(cmd: string) {
  return Err.msg('ERR', `invalid expire time in '${cmd}' command`);
}
