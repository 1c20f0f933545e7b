/**
 * Listpack against an array model (fast-check), plus the exact bytes of Redis's encodings for
 * integers of every width and strings at every length-prefix boundary.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  LP_EMPTY,
  type Listpack,
  type LpValue,
  lpAppend,
  lpBytes,
  lpDelete,
  lpDeleteRange,
  lpEncode,
  lpFind,
  lpFirst,
  lpFromArray,
  lpGet,
  lpGetAt,
  lpGetBytes,
  lpInsert,
  lpInsertAfter,
  lpLast,
  lpLength,
  lpNext,
  lpPrepend,
  lpPrev,
  lpReplace,
  lpSeek,
  lpStringToInt,
  lpToArray,
  lpValidate,
  lpValueLength,
} from './listpack.js';

/** What reading back a value gives: canonical int strings come back as numbers. */
function canon(v: LpValue): LpValue {
  if (typeof v === 'number') return v;
  const n = lpStringToInt(v);
  if (n === undefined) return v;
  return typeof n === 'number' ? n : n.toString();
}

const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((b) => b.toString());
const edgeInts = fc.constantFrom(
  0, 1, 127, 128, -1, -4096, 4095, -4097, 4096, -32768, 32767, -32769, 32768, -8388608, 8388607,
  -8388609, 8388608, -2147483648, 2147483647, -2147483649, 2147483648, Number.MAX_SAFE_INTEGER,
  Number.MIN_SAFE_INTEGER,
);
const edgeStrings = fc
  .constantFrom(0, 1, 62, 63, 64, 65, 4094, 4095, 4096, 4097)
  .map((n) => 'x'.repeat(n));
const bytes = fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)), maxLength: 80 });
const value: fc.Arbitrary<LpValue> = fc.oneof(
  edgeInts,
  fc.integer(),
  fc.maxSafeInteger(),
  int64,
  edgeStrings,
  bytes,
  fc.constantFrom('01', '-0', '+1', ' 1', '1 ', '9223372036854775808', '-9223372036854775809', '-'),
);

type Op =
  | { op: 'append' | 'prepend'; v: LpValue }
  | { op: 'insert'; at: number; v: LpValue }
  | { op: 'delete'; at: number; n: number }
  | { op: 'replace'; at: number; v: LpValue };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('append' as const), v: value }),
  fc.record({ op: fc.constant('prepend' as const), v: value }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(50), v: value }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(50), n: fc.integer({ min: 1, max: 5 }) }),
  fc.record({ op: fc.constant('replace' as const), at: fc.nat(50), v: value }),
);

function check(lp: Listpack, model: LpValue[]): void {
  expect(lpValidate(lp)).toBe(true);
  expect(lpLength(lp)).toBe(model.length);
  expect(lpBytes(lp)).toBe(lp.length);
  expect(lpToArray(lp)).toEqual(model);
  // Walk backwards too.
  const back: LpValue[] = [];
  for (let p = lpLast(lp); p >= 0; p = lpPrev(lp, p)) back.push(lpGet(lp, p));
  expect(back.reverse()).toEqual(model);
}

describe('listpack', () => {
  it('empty listpack is Redis\'s 7 bytes', () => {
    expect(Buffer.from(LP_EMPTY, 'latin1').toString('hex')).toBe('07000000' + '0000' + 'ff');
    expect(lpFirst(LP_EMPTY)).toBe(-1);
    expect(lpLast(LP_EMPTY)).toBe(-1);
    expect(lpSeek(LP_EMPTY, 0)).toBe(-1);
  });

  it('encodes each integer width and string length as Redis does', () => {
    const hex = (v: LpValue) => Buffer.from(lpEncode(v), 'latin1').toString('hex');
    expect(hex(0)).toBe('0001');
    expect(hex(127)).toBe('7f01');
    expect(hex(128)).toBe('c08002');
    expect(hex(-1)).toBe('dfff02');
    expect(hex(-4096)).toBe('d00002');
    expect(hex(4096)).toBe('f1001003');
    expect(hex(-32768)).toBe('f1008003');
    expect(hex(32768)).toBe('f200800004');
    expect(hex(8388608)).toBe('f30000800005');
    expect(hex(-2147483648)).toBe('f30000008005');
    expect(hex(2147483648)).toBe('f4000000800000000009');
    expect(hex('-9223372036854775808')).toBe('f4000000000000008009');
    expect(hex('9223372036854775807')).toBe('f4ffffffffffffff7f09');
    expect(hex('9223372036854775808')).toBe('93' + Buffer.from('9223372036854775808').toString('hex') + '14');
    expect(hex('')).toBe('8001');
    expect(hex('a')).toBe('816102');
    const s63 = lpEncode('y'.repeat(63));
    expect(s63.charCodeAt(0)).toBe(0xbf);
    expect(s63.charCodeAt(s63.length - 1)).toBe(64);
    const s64 = lpEncode('y'.repeat(64));
    expect(s64.charCodeAt(0)).toBe(0xe0);
    expect(s64.charCodeAt(1)).toBe(64);
    // backlen 66 = one byte
    expect(s64.charCodeAt(s64.length - 1)).toBe(66);
    const s200 = lpEncode('y'.repeat(200)); // entry size 202: 2-byte backlen
    expect(Buffer.from(s200.slice(-2), 'latin1').toString('hex')).toBe('01ca');
    const s4096 = lpEncode('y'.repeat(4096)); // 32-bit length
    expect(Buffer.from(s4096.slice(0, 5), 'latin1').toString('hex')).toBe('f000100000');
  });

  it('matches a listpack dumped by redis-server 7.0.15 byte for byte', () => {
    // HSET h 0 127 128 -1 ... x, then DUMP h with rdbcompression off: the listpack inside.
    const fromRedis =
      'b3000000140000017f01c08002dfff02d00002f1001003f1008003f200800004f30000800005f30000008005' +
      'f4000000800000000009f4000000000000008009f4ffffffffffffff7f0993393232333337323033363835' +
      '3437373538303814800181610282303103822d3003e040' + '79'.repeat(64) + '42817802ff';
    const lp = lpFromArray([
      '0', '127', '128', '-1', '-4096', '4096', '-32768', '32768', '8388608', '-2147483648',
      '2147483648', '-9223372036854775808', '9223372036854775807', '9223372036854775808', '', 'a',
      '01', '-0', 'y'.repeat(64), 'x',
    ]);
    expect(Buffer.from(lp, 'latin1').toString('hex')).toBe(fromRedis);
  });

  it('recognises only canonical int64 strings', () => {
    expect(lpStringToInt('0')).toBe(0);
    expect(lpStringToInt('-0')).toBeUndefined();
    expect(lpStringToInt('007')).toBeUndefined();
    expect(lpStringToInt('+7')).toBeUndefined();
    expect(lpStringToInt('-')).toBeUndefined();
    expect(lpStringToInt('')).toBeUndefined();
    expect(lpStringToInt('12a')).toBeUndefined();
    expect(lpStringToInt('-9223372036854775808')).toBe(-(2n ** 63n));
    expect(lpStringToInt('-9223372036854775809')).toBeUndefined();
    expect(lpStringToInt('9007199254740993')).toBe(9007199254740993n);
    expect(lpStringToInt('9007199254740991')).toBe(9007199254740991);
  });

  it('round-trips any sequence of values', () => {
    fc.assert(
      fc.property(fc.array(value, { maxLength: 60 }), (vs) => {
        const lp = lpFromArray(vs);
        check(lp, vs.map(canon));
        for (let i = 0; i < vs.length; i++) {
          expect(lpGetBytes(lp, lpSeek(lp, i))).toBe(String(canon(vs[i]!)));
          expect(lpValueLength(lp, lpSeek(lp, i))).toBe(String(canon(vs[i]!)).length);
          expect(lpGetAt(lp, i - vs.length)).toEqual(canon(vs[i]!));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('behaves like an array under appends, prepends, inserts, deletes and replaces', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        let lp = LP_EMPTY;
        const model: LpValue[] = [];
        for (const o of ops) {
          switch (o.op) {
            case 'append':
              lp = lpAppend(lp, o.v);
              model.push(canon(o.v));
              break;
            case 'prepend':
              lp = lpPrepend(lp, o.v);
              model.unshift(canon(o.v));
              break;
            case 'insert': {
              const at = o.at % (model.length + 1);
              lp = lpInsert(lp, at, o.v);
              model.splice(at, 0, canon(o.v));
              break;
            }
            case 'delete':
              if (model.length === 0) break;
              lp = lpDeleteRange(lp, o.at % model.length, o.n);
              model.splice(o.at % model.length, o.n);
              break;
            case 'replace':
              if (model.length === 0) break;
              lp = lpReplace(lp, lpSeek(lp, o.at % model.length), o.v);
              model[o.at % model.length] = canon(o.v);
              break;
          }
        }
        check(lp, model);
      }),
      { numRuns: 300 },
    );
  });

  it('finds values, with skip for field/value pairs', () => {
    fc.assert(
      fc.property(fc.array(value, { maxLength: 40 }), value, (vs, needle) => {
        const lp = lpFromArray(vs);
        const model = vs.map(canon);
        const c = canon(needle);
        const idx = model.findIndex((x) => x === c);
        const p = lpFind(lp, lpFirst(lp), needle);
        expect(p < 0 ? -1 : indexOf(lp, p)).toBe(idx);
        // skip 1: only even positions
        const evenIdx = model.findIndex((x, i) => i % 2 === 0 && x === c);
        const q = lpFind(lp, lpFirst(lp), needle, 1);
        expect(q < 0 ? -1 : indexOf(lp, q)).toBe(evenIdx);
      }),
      { numRuns: 300 },
    );
  });

  it('insertAfter / delete by position', () => {
    let lp = lpFromArray(['a', 'b', 'c']);
    lp = lpInsertAfter(lp, lpSeek(lp, 1), 5);
    expect(lpToArray(lp)).toEqual(['a', 'b', 5, 'c']);
    lp = lpDelete(lp, lpSeek(lp, 0));
    expect(lpToArray(lp)).toEqual(['b', 5, 'c']);
    expect(lpNext(lp, lpSeek(lp, -1))).toBe(-1);
  });

  it('keeps counting past 65535 elements', () => {
    const vs = Array.from({ length: 65540 }, (_, i) => i % 100);
    let lp = lpFromArray(vs);
    expect(lpLength(lp)).toBe(65540);
    expect(lp.charCodeAt(4) | (lp.charCodeAt(5) << 8)).toBe(65535);
    expect(lpValidate(lp)).toBe(true);
    lp = lpDeleteRange(lp, 0, 10);
    expect(lpLength(lp)).toBe(65530);
    expect(lp.charCodeAt(4) | (lp.charCodeAt(5) << 8)).toBe(65530);
    expect(lpValidate(lp)).toBe(true);
  });
});

function indexOf(lp: Listpack, p: number): number {
  let i = 0;
  for (let q = lpFirst(lp); q >= 0; q = lpNext(lp, q), i++) if (q === p) return i;
  return -2;
}
