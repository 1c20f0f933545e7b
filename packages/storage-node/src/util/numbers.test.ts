/**
 * Redis's integer and double parsing: string2ll's canonical form, argument errors, string2d's
 * strtod rules (checked against values printed by glibc), and the long-double emulation behind
 * INCRBYFLOAT against results computed by glibc's strtold/printf.
 */
import { describe, expect, it } from 'vitest';
import { formatDouble, RespError } from '@swarmkv/resp';
import fc from 'fast-check';
import {
  isCanonicalInt64,
  ld2string,
  ldAdd,
  ldFromInt,
  ldIsFinite,
  normInt64,
  parseDouble,
  parseInteger,
  parseLongDouble,
  parseLongLong,
  string2d,
  string2ld,
  string2ll,
} from './numbers.js';
import { LONG_DOUBLE_CASES } from './long-double.fixtures.js';

describe('string2ll', () => {
  it('accepts canonical int64 and returns numbers when safe, bigints beyond', () => {
    expect(string2ll('0')).toBe(0);
    expect(string2ll('7')).toBe(7);
    expect(string2ll('-7')).toBe(-7);
    expect(string2ll('123456789012345')).toBe(123456789012345);
    expect(string2ll('9007199254740991')).toBe(9007199254740991);
    expect(string2ll('-9007199254740991')).toBe(-9007199254740991);
    expect(string2ll('9007199254740992')).toBe(9007199254740992n);
    expect(string2ll('-9007199254740992')).toBe(-9007199254740992n);
    expect(string2ll('9223372036854775807')).toBe(9223372036854775807n);
    expect(string2ll('-9223372036854775808')).toBe(-9223372036854775808n);
  });

  it('rejects everything Redis rejects', () => {
    for (const s of [
      '', '-', '+1', '01', '-0', '-01', '00', ' 1', '1 ', '1.0', '1e3', '0x10', 'abc', '1a',
      '9223372036854775808', '-9223372036854775809', '99999999999999999999', '123456789012345678901',
      '1\0', '\x001', '١',
    ]) {
      expect(string2ll(s), JSON.stringify(s)).toBeUndefined();
    }
  });

  it('round-trips every int64 through its decimal form', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (b) => {
        const v = string2ll(b.toString());
        expect(v).toBe(normInt64(b));
        expect(typeof v === 'number' ? Number.isSafeInteger(v) : true).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('never accepts a non-canonical spelling', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary-ascii', maxLength: 22 }), (s) => {
        const v = string2ll(s);
        if (v !== undefined) expect(v.toString()).toBe(s);
      }),
      { numRuns: 3000 },
    );
  });

  it('parseLongLong / parseInteger throw Redis error', () => {
    expect(parseLongLong('-5')).toBe(-5);
    expect(parseInteger('9223372036854775807')).toBe(9223372036854775807);
    for (const f of [parseLongLong, parseInteger]) {
      try {
        f('01');
        expect.fail('no error');
      } catch (e) {
        expect(e).toBeInstanceOf(RespError);
        expect((e as RespError).message).toBe('ERR value is not an integer or out of range');
      }
    }
    expect(isCanonicalInt64('10')).toBe(true);
    expect(isCanonicalInt64('010')).toBe(false);
  });
});

describe('string2d', () => {
  // Expected values printed with glibc's strtod + printf("%.17g").
  const CASES: [string, string | undefined][] = [
    ['1', '1'], ['-1', '-1'], ['+1', '1'], ['-0', '-0'], ['0', '0'], ['1.5', '1.5'], ['.5', '0.5'],
    ['5.', '5'], ['1e3', '1000'], ['1E+3', '1000'], ['-1.5e-3', '-0.0015'], ['0.1', '0.10000000000000001'],
    ['1e308', '1e+308'], ['1.7976931348623157e308', '1.7976931348623157e+308'], ['1e309', undefined],
    ['-1e309', undefined], ['4.9406564584124654e-324', '4.9406564584124654e-324'], ['3e-324', '4.9406564584124654e-324'],
    ['2e-324', undefined], ['1e-400', undefined], ['0e-400', '0'], ['0.000e999999', '0'],
    ['inf', 'inf'], ['+inf', 'inf'], ['-inf', '-inf'], ['INF', 'inf'], ['Infinity', 'inf'], ['-infinity', '-inf'],
    ['infin', undefined], ['nan', undefined], ['NaN', undefined], ['-nan', undefined],
    ['0x10', '16'], ['0X1p4', '16'], ['0x1.8p1', '3'], ['-0x.8', '-0.5'], ['0x1p-1074', '4.9406564584124654e-324'],
    ['0x1p1024', undefined], ['0x1p-1080', undefined], ['0x', undefined], ['0x1p', undefined],
    ['', undefined], [' 1', undefined], ['1 ', undefined], ['1e', undefined], ['1e+', undefined], ['.', undefined],
    ['-', undefined], ['+', undefined], ['1.2.3', undefined], ['--1', undefined], ['1\0', undefined], ['abc', undefined],
    ['123456789012345678901234567890', '1.2345678901234568e+29'], ['000001', '1'], ['-00.0100', '-0.01'],
  ];
  for (const [s, want] of CASES) {
    it(`${JSON.stringify(s)} -> ${want ?? 'invalid'}`, () => {
      const v = string2d(s);
      expect(v === undefined ? undefined : formatDouble(v)).toBe(want);
    });
  }

  it('agrees with Number() on every decimal JS prints', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (d) => {
        if (d === 0) return;
        expect(string2d(String(d))).toBe(d);
        expect(string2d(d.toExponential(20))).toBe(Number(d.toExponential(20)));
      }),
      { numRuns: 3000 },
    );
  });

  it('parseDouble throws Redis error', () => {
    expect(parseDouble('2.5')).toBe(2.5);
    expect(() => parseDouble('x')).toThrow('ERR value is not a valid float');
  });
});

describe('long double (INCRBYFLOAT)', () => {
  it.each(LONG_DOUBLE_CASES.map((c) => [...c]))('%j + %j = %j', (a, b, want) => {
    const x = string2ld(a!);
    if (!x) return expect('ERRA').toBe(want);
    const y = string2ld(b!);
    if (!y) return expect('ERRB').toBe(want);
    const z = ldAdd(x, y);
    expect(ldIsFinite(z) ? ld2string(z) : 'NANINF').toBe(want);
  });

  it('keeps the extremes of the 80-bit format', () => {
    const max = ld2string(string2ld('0x1.fffffffffffffffep16383')!);
    expect(max.length).toBe(4933);
    expect(max.startsWith('118973149535723176502126385303')).toBe(true);
    expect(string2ld('0x2p16383')).toBeUndefined();
    // Values round to the largest long double until max + half an ulp (glibc agrees).
    expect(string2ld('1.18973149535723176505e4932')).toBeDefined();
    expect(string2ld('1.1897314953572317651e4932')).toBeUndefined();
    expect(string2ld('0x1.ffffffffffffffffp16383')).toBeUndefined(); // the tie rounds to even: 2^16384
    expect(ld2string(string2ld('0x1p-16445')!)).toBe('0');
    const big = ldAdd(string2ld('0x1.fffffffffffffffep16383')!, string2ld('0x1p16320')!);
    expect(ldIsFinite(big)).toBe(false);
  });

  it('repeated 0.1 increments print like Redis', () => {
    let v = ldFromInt(0);
    const seen: string[] = [];
    for (let i = 0; i < 10; i++) {
      v = string2ld(ld2string(ldAdd(v, string2ld('0.1')!)))!;
      seen.push(ld2string(v));
    }
    expect(seen).toEqual(['0.1', '0.2', '0.3', '0.4', '0.5', '0.6', '0.7', '0.8', '0.9', '1']);
  });

  it('converts int64 exactly', () => {
    expect(ld2string(ldFromInt(9223372036854775807n))).toBe('9223372036854775807');
    expect(ld2string(ldFromInt(-9223372036854775808n))).toBe('-9223372036854775808');
    expect(ld2string(ldFromInt(-42))).toBe('-42');
  });

  it('rejects over-long strings and reports Redis error', () => {
    expect(string2ld('0.' + '1'.repeat(5117))).toBeDefined();
    expect(string2ld('0.' + '1'.repeat(5118))).toBeUndefined();
    expect(() => parseLongDouble('abc')).toThrow('ERR value is not a valid float');
  });
});
