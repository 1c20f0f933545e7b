import { afterEach, describe, expect, it } from 'vitest';
import { R, type Bytes } from '@swarmkv/resp';
import { createTestNode, type TestNode } from '../testing.js';
import { HANDLERS } from '../commands/index.js';
import type { Ctx } from '../commands/context.js';
import { unknownCommandError } from './dispatcher.js';

let node: TestNode;
afterEach(() => node?.close());

describe('dispatcher', () => {
  it("formats unknown commands like Redis (quoted args, ~128 bytes, CR/LF as spaces)", () => {
    node = createTestNode();
    expect(node.exec('foo', 'a', 'b')).toEqual(R.err("ERR unknown command 'foo', with args beginning with: 'a' 'b' "));
    expect(node.exec('foo')).toEqual(R.err("ERR unknown command 'foo', with args beginning with: "));
    expect(node.exec('fo\r\no', 'x\ny')).toEqual(R.err("ERR unknown command 'fo  o', with args beginning with: 'x y' "));
    const long = unknownCommandError(['x', 'a'.repeat(100), 'b'.repeat(100), 'c']);
    expect(long).toEqual(R.err(`ERR unknown command 'x', with args beginning with: '${'a'.repeat(100)}' '${'b'.repeat(25)}' `));
    expect(unknownCommandError(['y'.repeat(200)])).toEqual(R.err(`ERR unknown command '${'y'.repeat(128)}', with args beginning with: `));
  });

  it('checks arity for commands and subcommands', () => {
    node = createTestNode();
    expect(node.exec('GET')).toEqual(R.err("ERR wrong number of arguments for 'get' command"));
    expect(node.exec('get', 'a', 'b')).toEqual(R.err("ERR wrong number of arguments for 'get' command"));
    expect(node.exec('CONFIG', 'GET')).toEqual(R.err("ERR wrong number of arguments for 'config|get' command"));
    expect(node.exec('CONFIG')).toEqual(R.err("ERR wrong number of arguments for 'config' command"));
  });

  it('contains handler bugs: -ERR internal error, the connection lives on', () => {
    node = createTestNode({}, {
      handlers: {
        ...HANDLERS,
        BOOM: () => {
          throw new TypeError('secret value in message');
        },
      },
    });
    expect(node.exec('BOOM')).toEqual(R.err('ERR internal error'));
    expect(node.exec('PING')).toEqual(R.pong);
    expect((node.exec('INFO', 'stats') as { v: string }).v).toContain('unexpected_error_replies:1\r\n');
  });

  it('NOAUTH inside MULTI flags the transaction', () => {
    node = createTestNode({ requirepass: 'pw' });
    const other = node.client();
    other.exec('AUTH', 'pw');
    other.exec('CONFIG', 'SET', 'requirepass', 'pw2');
    // Already authenticated clients stay authenticated when the password changes, as in Redis.
    expect(other.exec('PING')).toEqual(R.pong);
    expect(node.exec('MULTI')).toEqual(R.err('NOAUTH Authentication required.'));
  });

  it('commands are case-insensitive and counted once per canonical name', () => {
    node = createTestNode();
    node.exec('ping');
    node.exec('PING');
    node.exec('PiNg');
    const stats = (node.exec('INFO', 'commandstats') as { v: string }).v;
    expect(stats).toMatch(/cmdstat_ping:calls=3,/);
  });

  it('gives handlers a per-command clock and the selected database', () => {
    const seen: [number, number][] = [];
    node = createTestNode({}, {
      handlers: {
        ...HANDLERS,
        PROBE: (ctx: Ctx, _argv: Bytes[]) => {
          seen.push([ctx.now, ctx.db.id]);
          return R.ok;
        },
      },
    });
    node.exec('PROBE');
    node.exec('SELECT', '5');
    node.exec('PROBE');
    expect(seen.map((s) => s[1])).toEqual([0, 5]);
    expect(Math.abs(seen[0]![0] - Date.now())).toBeLessThan(1000);
  });
});
