import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from './main.js';

afterEach(() => vi.restoreAllMocks());

describe('swarmkv-node main', () => {
  it('exits with status 2 and a message naming the parameter on a bad value', async () => {
    const exit = vi.spyOn(process, 'exit').mockImplementation(((code: number) => {
      throw new Error(`exit ${code}`);
    }) as never);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    await expect(main(['--maxclients', '0'])).rejects.toThrow('exit 2');
    expect(exit).toHaveBeenCalledWith(2);
    expect(String(err.mock.calls[0]![0])).toBe(
      "swarmkv-node: invalid value '0' for 'maxclients' (--maxclients): argument must be between 1 and 4294967295 inclusive\n",
    );
  });

  it('prints usage with --help', async () => {
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    await main(['--help']);
    expect(String(out.mock.calls[0]![0])).toContain('Usage: swarmkv-node');
  });
});
