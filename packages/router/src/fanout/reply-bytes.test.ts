/** Looking into raw replies: integers, bulks, aggregate elements (RESP2 and RESP3). */
import { describe, expect, it } from 'vitest';
import { assemble, bulkValue, elements, intValue, isError } from './reply-bytes.js';

const b = (s: string) => Buffer.from(s, 'latin1');

describe('reply-bytes', () => {
  it('reads integers, bulks and errors', () => {
    expect(intValue(b(':42\r\n'))).toBe(42);
    expect(intValue(b(':9223372036854775807\r\n'))).toBe(9223372036854775807n);
    expect(intValue(b('+OK\r\n'))).toBeNull();
    expect(bulkValue(b('$3\r\nabc\r\n'))).toBe('abc');
    expect(bulkValue(b('$-1\r\n'))).toBeNull();
    expect(isError(b('-ERR x\r\n'))).toBe(true);
  });
  it('splits aggregates into element bytes, nested ones whole', () => {
    const items = elements(b('*3\r\n$1\r\na\r\n_\r\n*2\r\n:1\r\n:2\r\n'))!.map((x) => x.latin1Slice());
    expect(items).toEqual(['$1\r\na\r\n', '_\r\n', '*2\r\n:1\r\n:2\r\n']);
    expect(elements(b('%1\r\n+k\r\n,1.5\r\n'))!.map((x) => x.latin1Slice())).toEqual(['+k\r\n', ',1.5\r\n']);
    expect(elements(b('*0\r\n'))).toEqual([]);
    expect(elements(b('*-1\r\n'))).toBeNull();
    expect(elements(b('$1\r\na\r\n'))).toBeNull();
  });
  it('assembles a header and parts', () => {
    expect(assemble('*2\r\n', [b(':1\r\n'), b(':2\r\n')]).latin1Slice()).toBe('*2\r\n:1\r\n:2\r\n');
  });
});
