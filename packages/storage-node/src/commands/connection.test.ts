import { afterEach, describe, expect, it } from 'vitest';
import { R, encodeReply, type Reply } from '@swarmkv/resp';
import { createTestNode, type TestNode } from '../testing.js';

let node: TestNode;

/** The elements of an aggregate reply. */
const items = (r: Reply): readonly Reply[] => (r as Extract<Reply, { t: 'arr' }>).v;
afterEach(() => node?.close());

const enc = (r: Reply, proto: 2 | 3 = 2) => encodeReply(r, proto);

describe('PING / ECHO / QUIT', () => {
  it('answers PONG, echoes, and checks arity', () => {
    node = createTestNode();
    expect(node.exec('PING')).toEqual(R.pong);
    expect(node.exec('ping', 'hello')).toEqual(R.bulk('hello'));
    expect(node.exec('PING', 'a', 'b')).toEqual(R.err("ERR wrong number of arguments for 'ping' command"));
    expect(node.exec('ECHO', '\x00\xff')).toEqual(R.bulk('\x00\xff'));
    expect(node.exec('ECHO')).toEqual(R.err("ERR wrong number of arguments for 'echo' command"));
  });

  it('PING in RESP2 subscribed mode is a two-element array; in RESP3 a plain PONG', () => {
    node = createTestNode();
    node.exec('SUBSCRIBE', 'c');
    expect(enc(node.exec('PING'))).toBe('*2\r\n$4\r\npong\r\n$0\r\n\r\n');
    expect(enc(node.exec('PING', 'hi'))).toBe('*2\r\n$4\r\npong\r\n$2\r\nhi\r\n');
    const c3 = node.client();
    c3.exec('HELLO', '3');
    c3.exec('SUBSCRIBE', 'c');
    expect(c3.exec('PING')).toEqual(R.pong);
  });

  it('QUIT replies OK and closes', () => {
    node = createTestNode();
    const c = node.client();
    expect(c.exec('QUIT', 'extra', 'args')).toEqual(R.ok);
    expect(c.closed).toBe(true);
    expect(node.core.clients.has(c.id)).toBe(false);
  });
});

describe('SELECT', () => {
  it('switches databases and rejects bad indexes like Redis', () => {
    node = createTestNode({ databases: 4 });
    expect(node.exec('SELECT', '3')).toEqual(R.ok);
    expect(node.state.dbIndex).toBe(3);
    expect(node.exec('SELECT', '4')).toEqual(R.err('ERR DB index is out of range'));
    expect(node.exec('SELECT', '-1')).toEqual(R.err('ERR DB index is out of range'));
    expect(node.exec('SELECT', 'x')).toEqual(R.err('ERR value is not an integer or out of range'));
    expect(node.exec('SELECT', '01')).toEqual(R.err('ERR value is not an integer or out of range'));
  });
});

describe('AUTH and HELLO', () => {
  it('requires AUTH when requirepass is set', () => {
    node = createTestNode({ requirepass: 'secret' });
    expect(node.exec('GET', 'k')).toEqual(R.err('NOAUTH Authentication required.'));
    expect(node.exec('PING')).toEqual(R.err('NOAUTH Authentication required.'));
    expect(node.exec('AUTH', 'wrong')).toEqual(
      R.err('WRONGPASS invalid username-password pair or user is disabled.'),
    );
    expect(node.exec('AUTH', 'bob', 'secret')).toEqual(
      R.err('WRONGPASS invalid username-password pair or user is disabled.'),
    );
    expect(node.exec('AUTH', 'secret')).toEqual(R.ok);
    expect(node.exec('PING')).toEqual(R.pong);
    const c = node.client();
    expect(c.exec('AUTH', 'default', 'secret')).toEqual(R.ok);
    expect(c.exec('AUTH', 'a', 'b', 'c')).toEqual(R.err('ERR syntax error'));
  });

  it('AUTH without a configured password', () => {
    node = createTestNode();
    expect(node.exec('AUTH', 'x')).toEqual(
      R.err(
        'ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?',
      ),
    );
    expect(node.exec('AUTH', 'default', 'anything')).toEqual(R.ok);
  });

  it('HELLO switches protocol and answers the server map', () => {
    node = createTestNode();
    const r = node.exec('HELLO', '3');
    expect(enc(r, 3)).toBe(
      `%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n$5\r\nproto\r\n:3\r\n$2\r\nid\r\n:${node.id}\r\n` +
        '$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$7\r\nmodules\r\n*0\r\n',
    );
    expect(node.state.protocol).toBe(3);
    expect(node.output().startsWith('%7\r\n')).toBe(true);
    node.exec('HELLO', '2');
    expect(node.state.protocol).toBe(2);
    expect(node.exec('HELLO', '4')).toEqual(R.err('NOPROTO unsupported protocol version'));
    expect(node.exec('HELLO', 'x')).toEqual(R.err('ERR Protocol version is not an integer or out of range'));
    expect(node.exec('HELLO', '3', 'SETNAME')).toEqual(R.err("ERR Syntax error in HELLO option 'SETNAME'"));
    expect(node.exec('HELLO', '3', 'AUTH', 'default')).toEqual(R.err("ERR Syntax error in HELLO option 'AUTH'"));
    expect(node.exec('HELLO', '2', 'SETNAME', 'a b')).toEqual(
      R.err('ERR Client names cannot contain spaces, newlines or special characters.'),
    );
    node.exec('HELLO', '2', 'SETNAME', 'worker');
    expect(node.exec('CLIENT', 'GETNAME')).toEqual(R.bulk('worker'));
  });

  it('HELLO AUTH authenticates; without it an unauthenticated HELLO is refused', () => {
    node = createTestNode({ requirepass: 'pw' });
    expect(node.exec('HELLO', '3')).toEqual(
      R.err(
        'NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time',
      ),
    );
    expect(node.exec('HELLO', '3', 'AUTH', 'default', 'bad')).toEqual(
      R.err('WRONGPASS invalid username-password pair or user is disabled.'),
    );
    expect(node.state.protocol).toBe(2);
    expect(node.exec('HELLO', '3', 'AUTH', 'default', 'pw').t).toBe('map');
    expect(node.exec('PING')).toEqual(R.pong);
  });
});

describe('RESET', () => {
  it('restores a fresh connection state', () => {
    node = createTestNode({ requirepass: 'pw' });
    node.exec('AUTH', 'pw');
    node.exec('HELLO', '3', 'SETNAME', 'n');
    node.exec('SELECT', '2');
    node.exec('SUBSCRIBE', 'a');
    node.exec('CLIENT', 'REPLY', 'OFF');
    expect(enc(node.exec('RESET'))).toBe('+RESET\r\n');
    const s = node.state;
    expect([s.protocol, s.dbIndex, s.name, s.subscriptionCount(), s.authenticated]).toEqual([2, 0, undefined, 0, false]);
    expect(node.exec('PING')).toEqual(R.err('NOAUTH Authentication required.'));
  });

  it('leaves MULTI', () => {
    node = createTestNode();
    node.exec('MULTI');
    expect(node.exec('RESET')).toEqual(R.simple('RESET'));
    expect(node.exec('EXEC')).toEqual(R.err('ERR EXEC without MULTI'));
  });
});

describe('CLIENT', () => {
  it('ID, SETNAME, GETNAME', () => {
    node = createTestNode();
    expect(node.exec('CLIENT', 'ID')).toEqual(R.int(node.id));
    expect(node.exec('CLIENT', 'GETNAME')).toEqual(R.nil);
    expect(node.exec('CLIENT', 'SETNAME', 'a\nb')).toEqual(
      R.err('ERR Client names cannot contain spaces, newlines or special characters.'),
    );
    expect(node.exec('CLIENT', 'SETNAME', 'app-1')).toEqual(R.ok);
    expect(node.exec('CLIENT', 'GETNAME')).toEqual(R.bulk('app-1'));
    expect(node.exec('CLIENT', 'SETNAME', '')).toEqual(R.ok);
    expect(node.exec('CLIENT', 'GETNAME')).toEqual(R.nil);
    expect(node.exec('CLIENT', 'SETNAME')).toEqual(R.err("ERR wrong number of arguments for 'client|setname' command"));
    expect(node.exec('CLIENT', 'FOO')).toEqual(R.err("ERR unknown subcommand 'FOO'. Try CLIENT HELP."));
    expect(node.exec('client', 'foo')).toEqual(R.err("ERR unknown subcommand 'foo'. Try CLIENT HELP."));
    expect(node.exec('CLIENT')).toEqual(R.err("ERR wrong number of arguments for 'client' command"));
  });

  it('LIST and INFO use Redis 7.0 fields', () => {
    node = createTestNode();
    node.exec('CLIENT', 'SETNAME', 'me');
    const other = node.client();
    other.exec('SUBSCRIBE', 'x');
    const list = node.exec('CLIENT', 'LIST');
    expect(list.t).toBe('verb');
    const text = (list as { v: string }).v;
    const lines = text.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    const FIELDS = ['id', 'addr', 'laddr', 'fd', 'name', 'age', 'idle', 'flags', 'db', 'sub', 'psub', 'ssub', 'multi',
      'qbuf', 'qbuf-free', 'argv-mem', 'multi-mem', 'rbs', 'rbp', 'obl', 'oll', 'omem', 'tot-mem', 'events', 'cmd',
      'user', 'redir', 'resp'];
    expect(lines[0]!.split(' ').map((f) => f.split('=')[0])).toEqual(FIELDS);
    expect(lines[0]).toContain(`id=${node.id} `);
    expect(lines[0]).toContain(' name=me ');
    expect(lines[0]).toContain(' cmd=client|list ');
    expect(lines[0]).toContain(' flags=N ');
    expect(lines[1]).toContain(' flags=P ');
    expect(lines[1]).toContain(' sub=1 ');
    const info = (node.exec('CLIENT', 'INFO') as { v: string }).v;
    expect(info).toMatch(/^id=\d+ .* cmd=client\|info user=default redir=-1 resp=2\n$/);
    const pubsubOnly = (node.exec('CLIENT', 'LIST', 'TYPE', 'pubsub') as { v: string }).v;
    expect(pubsubOnly.split('\n')).toHaveLength(2);
    expect(node.exec('CLIENT', 'LIST', 'TYPE', 'foo')).toEqual(R.err("ERR Unknown client type 'foo'"));
    expect((node.exec('CLIENT', 'LIST', 'ID', String(other.id)) as { v: string }).v).toContain(`id=${other.id} `);
    expect(node.exec('CLIENT', 'LIST', 'ID', 'x')).toEqual(R.err('ERR Invalid client ID'));
    expect(node.exec('CLIENT', 'LIST', 'FOO')).toEqual(R.err('ERR syntax error'));
  });

  it('KILL by id, by address and the legacy form', () => {
    node = createTestNode();
    const a = node.client();
    const b = node.client();
    expect(node.exec('CLIENT', 'KILL', 'ID', String(a.id))).toEqual(R.int(1));
    expect(a.closed).toBe(true);
    expect(node.exec('CLIENT', 'KILL', 'ID', 'x')).toEqual(R.err('ERR client-id should be greater than 0'));
    expect(node.exec('CLIENT', 'KILL', 'ID', '0')).toEqual(R.err('ERR client-id should be greater than 0'));
    expect(node.exec('CLIENT', 'KILL', 'FOO', 'bar')).toEqual(R.err('ERR syntax error'));
    expect(node.exec('CLIENT', 'KILL', 'USER', 'bob')).toEqual(R.err("ERR No such user 'bob'"));
    expect(node.exec('CLIENT', 'KILL', '1.2.3.4:5')).toEqual(R.err('ERR No such client'));
    // In-process clients share one fake address: the legacy form kills the first match.
    expect(node.exec('CLIENT', 'KILL', 'TYPE', 'normal')).toEqual(R.int(1));
    expect(b.closed).toBe(true);
    expect(node.closed).toBe(false);
    expect(node.exec('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'no')).toEqual(R.int(1));
    expect(node.closed).toBe(true);
  });

  it('REPLY OFF / SKIP / ON', () => {
    node = createTestNode();
    node.output();
    node.exec('CLIENT', 'REPLY', 'OFF');
    node.exec('PING');
    expect(node.output()).toBe('');
    node.exec('CLIENT', 'REPLY', 'ON');
    expect(node.output()).toBe('+OK\r\n');
    node.exec('CLIENT', 'REPLY', 'SKIP');
    node.exec('ECHO', 'skipped');
    node.exec('ECHO', 'shown');
    expect(node.output()).toBe('$5\r\nshown\r\n');
    expect(node.exec('CLIENT', 'REPLY', 'MAYBE')).toEqual(R.err('ERR syntax error'));
  });

  it('UNBLOCK argument checks', () => {
    node = createTestNode();
    expect(node.exec('CLIENT', 'UNBLOCK', '9999')).toEqual(R.int(0));
    expect(node.exec('CLIENT', 'UNBLOCK', 'x')).toEqual(R.err('ERR value is not an integer or out of range'));
    expect(node.exec('CLIENT', 'UNBLOCK', '1', 'foo')).toEqual(
      R.err('ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR'),
    );
  });

  it('PAUSE argument checks and HELP', () => {
    node = createTestNode();
    expect(node.exec('CLIENT', 'PAUSE', 'x')).toEqual(R.err('ERR timeout is not an integer or out of range'));
    expect(node.exec('CLIENT', 'PAUSE', '10', 'FOO')).toEqual(R.err('ERR CLIENT PAUSE mode must be WRITE or ALL'));
    expect(node.exec('CLIENT', 'PAUSE', '0')).toEqual(R.ok);
    expect(node.exec('CLIENT', 'UNPAUSE')).toEqual(R.ok);
    const help = { v: items(node.exec('CLIENT', 'HELP')) };
    expect(help.v[0]).toEqual(R.simple('CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:'));
  });
});
