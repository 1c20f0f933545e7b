/**
 * Connection commands: PING, ECHO, QUIT, RESET, SELECT, HELLO, AUTH and CLIENT (ID, SETNAME,
 * GETNAME, LIST, INFO, KILL, REPLY, UNBLOCK, NO-EVICT, NO-TOUCH, SETINFO, PAUSE, UNPAUSE, HELP).
 *
 * The only user is Redis's `default`: its password is `requirepass` ("" = nopass, any password
 * accepted with AUTH default <pw>). CLIENT LIST prints Redis 7.0's field layout; memory fields
 * that have no equivalent in a JS process carry fixed plausible values so parsers keep working.
 */
import type { Bytes, Reply } from '@swarmkv/resp';
import { Err, R } from '@swarmkv/resp';
import type { Ctx, HandlerTable } from './context.js';
import { clientOf, coreOf } from '../server/ctx.js';
import { ReplyMode, type Client } from '../server/client.js';
import type { NodeCore } from '../server/core.js';

export const REDIS_VERSION = '7.0.15';

const WRONGPASS = () => Err.msg('WRONGPASS', 'invalid username-password pair or user is disabled.');
const BAD_CLIENT_NAME = () => Err.msg('ERR', 'Client names cannot contain spaces, newlines or special characters.');
const RESET_REPLY = R.simple('RESET');

/** Redis's string2ll: strict decimal int64, or undefined. */
export function parseStrictInt(s: Bytes): number | undefined {
  if (!/^-?(0|[1-9][0-9]{0,18})$/.test(s) || s === '-0') return undefined;
  const n = Number(s);
  if (Math.abs(n) > 9223372036854775807) return undefined;
  if (s.length >= 19 && BigInt(s) !== BigInt.asIntN(64, BigInt(s))) return undefined;
  return n;
}

/** Redis's addReplySubcommandSyntaxError, for subcommands given too many arguments. */
export function subcommandSyntaxError(argv: readonly Bytes[]): Error {
  return Err.msg(
    'ERR',
    `unknown subcommand or wrong number of arguments for '${argv[1]!.slice(0, 128)}'. Try ${argv[0]!.toUpperCase()} HELP.`,
  );
}

function intArg(s: Bytes, msg = 'value is not an integer or out of range'): number {
  const n = parseStrictInt(s);
  if (n === undefined) throw Err.msg('ERR', msg);
  return n;
}

/** Checks a password for the default user; true when it authenticates. */
function checkPassword(core: NodeCore, user: Bytes, pass: Bytes): boolean {
  if (user !== 'default') return false;
  const required = core.config.requirepass;
  return required === '' || pass === required;
}

function authenticate(ctx: Ctx, user: Bytes, pass: Bytes): void {
  const core = coreOf(ctx);
  if (!checkPassword(core, user, pass)) throw WRONGPASS();
  clientOf(ctx).authenticated = true;
}

/** CLIENT SETNAME rules: printable ASCII without spaces ("" clears the name). */
function validName(name: Bytes): boolean {
  for (let i = 0; i < name.length; i++) {
    const ch = name.charCodeAt(i);
    if (ch < 33 || ch > 126) return false;
  }
  return true;
}

function setName(c: Client, name: Bytes): void {
  if (!validName(name)) throw BAD_CLIENT_NAME();
  c.name = name.length === 0 ? undefined : name;
}

/** The HELLO reply map. */
function helloReply(c: Client): Reply {
  return R.map([
    R.bulk('server'), R.bulk('redis'),
    R.bulk('version'), R.bulk(REDIS_VERSION),
    R.bulk('proto'), R.int(c.protocol),
    R.bulk('id'), R.int(c.id),
    R.bulk('mode'), R.bulk('standalone'),
    R.bulk('role'), R.bulk('master'),
    R.bulk('modules'), R.emptyArray,
  ]);
}

/** One CLIENT LIST / CLIENT INFO line, Redis 7.0's fields in Redis 7.0's order. */
export function clientInfoLine(c: Client, now: number): string {
  let flags = '';
  if (c.subscriptionCount() > 0) flags += 'P';
  if (c.multiQueue !== null) flags += 'x';
  if (c.blocked !== null) flags += 'b';
  if (c.dirtyCas) flags += 'd';
  if (c.closeAfterReply) flags += 'c';
  if (c.noEvict) flags += 'e';
  if (c.noTouch) flags += 'T';
  if (flags === '') flags = 'N';
  const omem = c.outputBytes();
  return (
    `id=${c.id} addr=${c.sink.remoteAddress} laddr=${c.sink.localAddress} fd=${c.sink.fd} name=${c.name ?? ''}` +
    ` age=${Math.floor((now - c.createdAt) / 1000)} idle=${Math.floor((now - c.lastInteraction) / 1000)}` +
    ` flags=${flags} db=${c.dbIndex} sub=${c.channels?.size ?? 0} psub=${c.patterns?.size ?? 0}` +
    ` ssub=${c.shardChannels?.size ?? 0} multi=${c.multiQueue === null ? -1 : c.multiQueue.length}` +
    ` qbuf=${c.qbuf} qbuf-free=${c.qbuf > 0 ? 16384 : 0} argv-mem=0 multi-mem=0 rbs=16384 rbp=0 obl=0 oll=0` +
    ` omem=${omem} tot-mem=${22000 + omem + c.qbuf} events=r${omem > 0 ? 'w' : ''} cmd=${c.lastCmd}` +
    ` user=default redir=-1 resp=${c.protocol}`
  );
}

const CLIENT_HELP = [
  'CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'CACHING (YES|NO)',
  '    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.',
  'GETREDIR',
  '    Return the client ID we are redirecting to when tracking is enabled.',
  'GETNAME',
  '    Return the name of the current connection.',
  'ID',
  '    Return the ID of the current connection.',
  'INFO',
  '    Return information about the current client connection.',
  'KILL <ip:port>',
  '    Kill connection made from <ip:port>.',
  'KILL <option> <value> [<option> <value> [...]]',
  '    Kill connections. Options are:',
  '    * ADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made from the specified address',
  '    * LADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made to specified local address',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Kill connections by type.',
  '    * USER <username>',
  '      Kill connections authenticated by <username>.',
  '    * SKIPME (YES|NO)',
  '      Skip killing current connection (default: yes).',
  'LIST [options ...]',
  '    Return information about client connections. Options:',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Return clients of specified type.',
  'UNPAUSE',
  '    Stop the current client pause, resuming traffic.',
  'PAUSE <timeout> [WRITE|ALL]',
  '    Suspend all, or just write, clients for <timeout> milliseconds.',
  'REPLY (ON|OFF|SKIP)',
  '    Control the replies sent to the current connection.',
  'SETNAME <name>',
  '    Assign the name <name> to the current connection.',
  'UNBLOCK <clientid> [TIMEOUT|ERROR]',
  '    Unblock the specified blocked client.',
  'TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]',
  '         [OPTIN] [OPTOUT] [NOLOOP]',
  '    Control server assisted client side caching.',
  'TRACKINGINFO',
  '    Report tracking status for the current connection.',
  'NO-EVICT (ON|OFF)',
  '    Protect current client connection from eviction.',
  'HELP',
  '    Prints this help.',
];

type ClientType = 'normal' | 'master' | 'replica' | 'pubsub';

function clientType(name: Bytes): ClientType {
  const t = name.toLowerCase();
  if (t === 'normal' || t === 'master' || t === 'pubsub') return t;
  if (t === 'replica' || t === 'slave') return 'replica';
  throw Err.msg('ERR', `Unknown client type '${name}'`);
}

function typeOfClient(c: Client): ClientType {
  return c.subscriptionCount() > 0 ? 'pubsub' : 'normal';
}

function onOff(arg: Bytes): boolean {
  const v = arg.toLowerCase();
  if (v === 'on') return true;
  if (v === 'off') return false;
  throw Err.syntax();
}

function clientList(ctx: Ctx, argv: Bytes[]): Reply {
  const core = coreOf(ctx);
  let clients = [...core.clients.values()];
  if (argv.length === 4 && argv[2]!.toLowerCase() === 'type') {
    const t = clientType(argv[3]!);
    clients = clients.filter((c) => typeOfClient(c) === t);
  } else if (argv.length > 3 && argv[2]!.toLowerCase() === 'id') {
    const ids = new Set<number>();
    for (let i = 3; i < argv.length; i++) {
      const n = parseStrictInt(argv[i]!);
      if (n === undefined || n <= 0) throw Err.msg('ERR', 'Invalid client ID');
      ids.add(n);
    }
    clients = clients.filter((c) => ids.has(c.id));
  } else if (argv.length !== 2) {
    throw Err.syntax();
  }
  let out = '';
  for (const c of clients) out += clientInfoLine(c, ctx.now) + '\n';
  return R.verb(out);
}

function clientKill(ctx: Ctx, argv: Bytes[]): Reply {
  const core = coreOf(ctx);
  const me = clientOf(ctx);
  if (argv.length === 3) {
    // Legacy form: CLIENT KILL addr:port.
    for (const c of core.clients.values()) {
      if (c.sink.remoteAddress === argv[2]) {
        killOrDefer(core, me, c);
        return R.ok;
      }
    }
    throw Err.msg('ERR', 'No such client');
  }
  let id: number | undefined;
  let addr: Bytes | undefined;
  let laddr: Bytes | undefined;
  let type: ClientType | undefined;
  let skipMe = true;
  for (let i = 2; i < argv.length; i += 2) {
    const opt = argv[i]!.toLowerCase();
    if (i + 1 >= argv.length) throw Err.syntax();
    const val = argv[i + 1]!;
    if (opt === 'id') {
      const n = parseStrictInt(val);
      if (n === undefined || n < 1) throw Err.msg('ERR', 'client-id should be greater than 0');
      id = n;
    } else if (opt === 'addr') addr = val;
    else if (opt === 'laddr') laddr = val;
    else if (opt === 'type') type = clientType(val);
    else if (opt === 'user') {
      if (val !== 'default') throw Err.msg('ERR', `No such user '${val}'`);
    } else if (opt === 'skipme') {
      const v = val.toLowerCase();
      if (v === 'yes') skipMe = true;
      else if (v === 'no') skipMe = false;
      else throw Err.syntax();
    } else throw Err.syntax();
  }
  let killed = 0;
  for (const c of [...core.clients.values()]) {
    if (id !== undefined && c.id !== id) continue;
    if (addr !== undefined && c.sink.remoteAddress !== addr) continue;
    if (laddr !== undefined && c.sink.localAddress !== laddr) continue;
    if (type !== undefined && typeOfClient(c) !== type) continue;
    if (c === me && skipMe) continue;
    killOrDefer(core, me, c);
    killed++;
  }
  return R.int(killed);
}

/** Killing oneself closes after this reply; others go at once. */
function killOrDefer(core: NodeCore, me: Client, c: Client): void {
  if (c === me) c.closeAfterReply = true;
  else core.killClient(c);
}

function clientUnblock(ctx: Ctx, argv: Bytes[]): Reply {
  if (argv.length > 4) throw subcommandSyntaxError(argv);
  const id = intArg(argv[2]!);
  let mode: 'TIMEOUT' | 'ERROR' = 'TIMEOUT';
  if (argv.length === 4) {
    const m = argv[3]!.toUpperCase();
    if (m !== 'TIMEOUT' && m !== 'ERROR') throw Err.msg('ERR', 'CLIENT UNBLOCK reason should be TIMEOUT or ERROR');
    mode = m;
  }
  const core = coreOf(ctx);
  const target = core.clients.get(id);
  if (target === undefined || target.blocked === null) return R.int(0);
  return R.int(core.blocking.unblockByCommand(target, mode) ? 1 : 0);
}

function clientPause(ctx: Ctx, argv: Bytes[]): Reply {
  if (argv.length > 4) throw subcommandSyntaxError(argv);
  const ms = intArg(argv[2]!, 'timeout is not an integer or out of range');
  if (ms < 0) throw Err.msg('ERR', 'timeout is negative');
  let writesOnly = false;
  if (argv.length === 4) {
    const m = argv[3]!.toUpperCase();
    if (m !== 'WRITE' && m !== 'ALL') throw Err.msg('ERR', 'CLIENT PAUSE mode must be WRITE or ALL');
    writesOnly = m === 'WRITE';
  }
  const core = coreOf(ctx);
  // Redis: a new pause never shortens one in force, and ALL wins over WRITE.
  const until = ctx.now + ms;
  const active = core.pauseUntil > ctx.now;
  core.pauseWritesOnly = active ? core.pauseWritesOnly && writesOnly : writesOnly;
  core.pauseUntil = Math.max(active ? core.pauseUntil : 0, until);
  return R.ok;
}

export const CONNECTION_HANDLERS: HandlerTable = {
  PING: (ctx, argv) => {
    if (argv.length > 2) throw Err.wrongArity('ping');
    const c = clientOf(ctx);
    if (c.protocol === 2 && c.subscriptionCount() > 0) {
      return R.arr([R.bulk('pong'), R.bulk(argv.length === 2 ? argv[1]! : '')]);
    }
    return argv.length === 2 ? R.bulk(argv[1]!) : R.pong;
  },

  ECHO: (_ctx, argv) => R.bulk(argv[1]!),

  QUIT: (ctx) => {
    clientOf(ctx).closeAfterReply = true;
    return R.ok;
  },

  RESET: (ctx) => {
    const c = clientOf(ctx);
    const core = coreOf(ctx);
    core.dispatcher.discard(c);
    core.pubsub.removeAll(c);
    c.dbIndex = 0;
    c.protocol = 2;
    c.name = undefined;
    c.replyMode = ReplyMode.On;
    c.noEvict = false;
    c.noTouch = false;
    c.authenticated = core.config.requirepass === '';
    return RESET_REPLY;
  },

  SELECT: (ctx, argv) => {
    const n = intArg(argv[1]!);
    if (n < 0 || n >= ctx.dbs.length) throw Err.msg('ERR', 'DB index is out of range');
    clientOf(ctx).dbIndex = n;
    return R.ok;
  },

  AUTH: (ctx, argv) => {
    if (argv.length > 3) throw Err.syntax();
    if (argv.length === 2) {
      if (coreOf(ctx).config.requirepass === '') {
        throw Err.msg(
          'ERR',
          'AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?',
        );
      }
      authenticate(ctx, 'default', argv[1]!);
    } else authenticate(ctx, argv[1]!, argv[2]!);
    return R.ok;
  },

  HELLO: (ctx, argv) => {
    const c = clientOf(ctx);
    let ver = 0;
    if (argv.length >= 2) {
      ver = intArg(argv[1]!, 'Protocol version is not an integer or out of range');
      if (ver < 2 || ver > 3) throw Err.msg('NOPROTO', 'unsupported protocol version');
    }
    let user: Bytes | undefined;
    let pass: Bytes | undefined;
    let name: Bytes | undefined;
    for (let j = 2; j < argv.length; j++) {
      const more = argv.length - 1 - j;
      const opt = argv[j]!.toUpperCase();
      if (opt === 'AUTH' && more >= 2) {
        user = argv[j + 1]!;
        pass = argv[j + 2]!;
        j += 2;
      } else if (opt === 'SETNAME' && more >= 1) {
        name = argv[j + 1]!;
        j++;
      } else throw Err.msg('ERR', `Syntax error in HELLO option '${argv[j]!}'`);
    }
    if (user !== undefined && pass !== undefined) authenticate(ctx, user, pass);
    if (!c.authenticated && coreOf(ctx).config.requirepass !== '') {
      throw Err.msg(
        'NOAUTH',
        'HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time',
      );
    }
    if (name !== undefined) setName(c, name);
    if (ver !== 0) c.protocol = ver as 2 | 3;
    return helloReply(c);
  },

  'CLIENT|ID': (ctx) => R.int(clientOf(ctx).id),
  'CLIENT|GETNAME': (ctx) => R.bulkOrNil(clientOf(ctx).name),
  'CLIENT|SETNAME': (ctx, argv) => {
    setName(clientOf(ctx), argv[2]!);
    return R.ok;
  },
  'CLIENT|LIST': clientList,
  'CLIENT|INFO': (ctx) => R.verb(clientInfoLine(clientOf(ctx), ctx.now) + '\n'),
  'CLIENT|KILL': clientKill,
  'CLIENT|REPLY': (ctx, argv) => {
    const c = clientOf(ctx);
    const mode = argv[2]!.toUpperCase();
    if (mode === 'ON') c.replyMode = ReplyMode.On;
    else if (mode === 'OFF') c.replyMode = ReplyMode.Off;
    else if (mode === 'SKIP') {
      if (c.replyMode !== ReplyMode.Off) c.replyMode = ReplyMode.SkipNext;
    } else throw Err.syntax();
    return R.ok;
  },
  'CLIENT|UNBLOCK': clientUnblock,
  'CLIENT|NO-EVICT': (ctx, argv) => {
    clientOf(ctx).noEvict = onOff(argv[2]!);
    return R.ok;
  },
  'CLIENT|NO-TOUCH': (ctx, argv) => {
    clientOf(ctx).noTouch = onOff(argv[2]!);
    return R.ok;
  },
  'CLIENT|SETINFO': (ctx, argv) => {
    const attr = argv[2]!.toLowerCase();
    const val = argv[3]!;
    if (attr !== 'lib-name' && attr !== 'lib-ver') throw Err.msg('ERR', `Unrecognized option '${argv[2]!}'`);
    for (let i = 0; i < val.length; i++) {
      const ch = val.charCodeAt(i);
      if (ch < 33 || ch > 126) {
        throw Err.msg('ERR', `${attr} cannot contain spaces, newlines or special characters.`);
      }
    }
    const c = clientOf(ctx);
    if (attr === 'lib-name') c.libName = val;
    else c.libVer = val;
    return R.ok;
  },
  'CLIENT|PAUSE': clientPause,
  'CLIENT|UNPAUSE': (ctx) => {
    coreOf(ctx).pauseUntil = 0;
    return R.ok;
  },
  'CLIENT|HELP': () => R.arr(CLIENT_HELP.map((l) => R.simple(l))),
};
