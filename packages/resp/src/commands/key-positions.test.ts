/**
 * Key positions: the router depends on these to route every command, so they are checked for the
 * common shapes, for the special cases (SORT, SET, shard channels) and fuzzed for robustness.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { COMMAND_ENTRIES, COMMAND_TABLE, lookupCommand } from './table.js';
import { firstKeyPosition, keyPositions, keyRefs, commandHasKeys } from './key-positions.js';
import { keyRange, keyword, keyNum, defineGroup } from './spec-helpers.js';

const spec = (name: string) => COMMAND_TABLE[name]!;
const keys = (...argv: string[]) => keyPositions(lookupCommand(argv[0]!)!, argv);

describe('keyPositions', () => {
  it('finds single, ranged, stepped and keynum keys', () => {
    expect(keys('GET', 'k')).toEqual([1]);
    expect(keys('DEL', 'a', 'b', 'c')).toEqual([1, 2, 3]);
    expect(keys('MSET', 'a', '1', 'b', '2')).toEqual([1, 3]);
    expect(keys('BLPOP', 'a', 'b', '0')).toEqual([1, 2]);
    expect(keys('LMOVE', 'a', 'b', 'LEFT', 'RIGHT')).toEqual([1, 2]);
    expect(keys('ZUNIONSTORE', 'd', '2', 'a', 'b', 'WEIGHTS', '1', '2')).toEqual([1, 3, 4]);
    expect(keys('BLMPOP', '0', '2', 'a', 'b', 'LEFT')).toEqual([3, 4]);
    expect(keys('LCS', 'a', 'b')).toEqual([1, 2]);
  });

  it('returns no keys for malformed argv instead of throwing', () => {
    expect(keys('GET')).toEqual([]);
    expect(keys('ZUNIONSTORE', 'd', 'x', 'a')).toEqual([]);
    expect(keys('ZUNIONSTORE', 'd', '0', 'a')).toEqual([]);
    expect(keys('ZUNIONSTORE', 'd', '9', 'a')).toEqual([]);
    expect(keys('ZUNIONSTORE', 'd', '-1', 'a')).toEqual([]);
    expect(keys('LMPOP')).toEqual([]);
    expect(keys('BLMPOP', '0')).toEqual([]);
    expect(keys('LMOVE', 'a')).toEqual([]);
  });

  it('handles SORT STORE, SORT_RO and SET like Redis', () => {
    expect(keys('SORT', 'k', 'BY', 'store', 'LIMIT', '0', '1', 'STORE', 'd')).toEqual([1, 8]);
    expect(keys('SORT', 'k', 'store', 'a', 'STORE', 'b')).toEqual([1, 5]);
    expect(keys('SORT', 'k', 'STORE')).toEqual([1]);
    expect(keys('SORT_RO', 'k', 'GET', '#')).toEqual([1]);
    expect(keyRefs(spec('SET'), ['SET', 'k', 'v', 'GET'])).toEqual([{ pos: 1, flags: ['RW', 'access', 'update'] }]);
    expect(keyRefs(spec('SET'), ['SET', 'k', 'v'])).toEqual([{ pos: 1, flags: ['OW', 'update'] }]);
  });

  it('treats shard channels as keys only when asked', () => {
    expect(keys('SPUBLISH', 'ch', 'msg')).toEqual([]);
    expect(keyPositions(spec('SPUBLISH'), ['SPUBLISH', 'ch', 'msg'], { includeNotKeys: true })).toEqual([1]);
    expect(keyPositions(spec('SSUBSCRIBE'), ['SSUBSCRIBE', 'a', 'b'], { includeNotKeys: true })).toEqual([1, 2]);
    expect(commandHasKeys(spec('SPUBLISH'))).toBe(false);
    expect(commandHasKeys(spec('GET'))).toBe(true);
  });

  it('finds subcommand keys', () => {
    expect(keyPositions(lookupCommand('OBJECT', 'ENCODING')!, ['OBJECT', 'ENCODING', 'k'])).toEqual([2]);
  });

  it('supports keyword and limited-range specs', () => {
    const c = defineGroup('generic');
    const streams = c(-4, 'readonly movablekeys', '', [keyword('STREAMS', 1, -1, 1, 2, 'RO access')], { summary: '', since: '' });
    expect(keyPositions(streams, ['XREAD', 'COUNT', '1', 'STREAMS', 'a', 'b', '0', '0'])).toEqual([4, 5]);
    expect(keyPositions(streams, ['XREAD', 'COUNT', '1'])).toEqual([]);
    const back = c(-2, 'write', '', [keyword('STORE', -2, 0, 1, 0, 'OW update')], { summary: '', since: '' });
    expect(keyPositions(back, ['X', 'a', 'STORE', 'dst'])).toEqual([3]);
    const kn = c(-3, 'write', '', [keyNum(2, 0, 1, 1, 'RW'), keyRange(1, 0, 1, 'RW')], { summary: '', since: '' });
    expect(keyPositions(kn, ['X', 'k', '2', 'a', 'b', 'y'])).toEqual([3, 4, 1]);
  });

  it('firstKeyPosition agrees with keyPositions', () => {
    expect(firstKeyPosition(spec('GET'), ['GET', 'k'])).toBe(1);
    expect(firstKeyPosition(spec('PING'), ['PING'])).toBe(-1);
    expect(firstKeyPosition(spec('ZUNION'), ['ZUNION', '1', 'a'])).toBe(2);
    expect(firstKeyPosition(spec('DEL'), ['DEL'])).toBe(-1);
  });

  it('never throws and stays in bounds on random argv for every command', () => {
    const all = COMMAND_ENTRIES.flatMap(([n, s]) => [[n, s] as const, ...Object.entries(s.subcommands ?? {}).map(([k, v]) => [`${n} ${k}`, v] as const)]);
    const word = fc.oneof(fc.constantFrom('0', '1', '2', '3', '-1', 'STORE', 'BY', 'LIMIT', 'GET', 'x', ''), fc.string({ maxLength: 3 }));
    fc.assert(
      fc.property(fc.constantFrom(...all), fc.array(word, { maxLength: 8 }), ([name, s], rest) => {
        const argv = [...name.split(' '), ...rest];
        for (const opts of [undefined, { includeNotKeys: true }]) {
          const pos = keyPositions(s, argv, opts);
          for (const p of pos) expect(p > 0 && p < argv.length).toBe(true);
          const first = firstKeyPosition(s, argv, opts);
          expect(first < argv.length).toBe(true);
          if (pos.length > 0) expect(first).toBe(pos[0]);
          expect(keyRefs(s, argv, opts).map((r) => r.pos)).toEqual(pos);
        }
      }),
      { numRuns: 4000 },
    );
  });
});
