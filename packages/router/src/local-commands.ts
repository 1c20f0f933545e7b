/**
 * Connection commands the router answers itself, never asking a node: PING, ECHO, HELLO, AUTH,
 * SELECT, QUIT, RESET, TIME, CLIENT ID/SETNAME/GETNAME/INFO/LIST, READONLY/READWRITE/ASKING.
 * Replies and errors are Redis 7.0.15's, byte for byte (probed against redis-server).
 *
 * They change the session's own state (db, protocol, name, authentication): nodes only ever see
 * that state through which connection a command is sent on (a pool per db and protocol).
 */
import { timingSafeEqual } from 'node:crypto';
import {
  encodeArrayHeader,
  encodeBulk,
  encodeError,
  encodeInt,
  encodeMapHeader,
  encodeNil,
  ENC,
  type Bytes,
  type Proto,
} from '@swarmkv/resp';
import type { ClientSession } from './client-session.js';
import { closeTransaction } from './transaction.js';
import { closePubsub, subscriptionCount } from './pubsub.js';

export const REDIS_VERSION = '7.0.15';

const NOAUTH_HELLO =
  'NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time';
const WRONGPASS = 'WRONGPASS invalid username-password pair or user is disabled.';
const AUTH_NOPASS =
  'ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?';

export function err(message: string): string {
  return encodeError(message);
}

export function ping(s: ClientSession, argv: Bytes[]): void {
  if (argv.length > 2) return s.reply(err("ERR wrong number of arguments for 'ping' command"));
  // RESP2 subscribers get ["pong", msg] (Redis: pings are allowed in the subscribed context).
  if (s.proto === 2 && s.pubsub !== null && subscriptionCount(s) > 0) {
    return s.reply(encodeArrayHeader(2) + encodeBulk('pong') + encodeBulk(argv[1] ?? ''));
  }
  s.reply(argv.length === 2 ? encodeBulk(argv[1]!) : ENC.PONG);
}

export function echo(s: ClientSession, argv: Bytes[]): void {
  s.reply(encodeBulk(argv[1]!));
}

export function time(s: ClientSession): void {
  const us = Math.floor((performance.timeOrigin + performance.now()) * 1000);
  s.reply(encodeArrayHeader(2) + encodeBulk(String(Math.floor(us / 1e6))) + encodeBulk(String(us % 1e6)));
}

/** Constant-time password check against --requirepass. */
function passwordOk(s: ClientSession, user: Bytes, pass: Bytes): boolean {
  const want = s.router.config.requirepass;
  if (want === undefined) return true; // the default user has nopass: anything goes
  if (user !== 'default') return false;
  const a = Buffer.from(pass, 'latin1');
  const b = Buffer.from(want, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

function setAuthenticated(s: ClientSession, ok: boolean): void {
  s.authenticated = ok;
  s.parser.authRequired = !ok;
}

export function auth(s: ClientSession, argv: Bytes[]): void {
  if (argv.length > 3) return s.reply(err('ERR syntax error'));
  if (argv.length === 2 && s.router.config.requirepass === undefined) return s.reply(err(AUTH_NOPASS));
  const user = argv.length === 3 ? argv[1]! : 'default';
  const pass = argv[argv.length - 1]!;
  if (!passwordOk(s, user, pass)) return s.reply(err(WRONGPASS));
  setAuthenticated(s, true);
  s.reply(ENC.OK);
}

/** HELLO [protover [AUTH username password] [SETNAME clientname]] */
export function hello(s: ClientSession, argv: Bytes[]): void {
  let proto: Proto = s.proto;
  if (argv.length >= 2) {
    const v = argv[1]!;
    if (!/^-?\d+$/.test(v) || v.length > 20) return s.reply(err('ERR Protocol version is not an integer or out of range'));
    const n = Number(v);
    if (n !== 2 && n !== 3) return s.reply(err('NOPROTO unsupported protocol version'));
    proto = n;
  }
  let authUser: Bytes | null = null;
  let authPass: Bytes = '';
  let setName: Bytes | null = null;
  for (let i = 2; i < argv.length; i++) {
    const opt = argv[i]!.toUpperCase();
    const more = argv.length - i - 1;
    if (opt === 'AUTH' && more >= 2) {
      authUser = argv[++i]!;
      authPass = argv[++i]!;
    } else if (opt === 'SETNAME' && more >= 1) {
      setName = argv[++i]!;
      if (!validClientName(setName)) return s.reply(err('ERR Client names cannot contain spaces, newlines or special characters.'));
    } else {
      return s.reply(err(`ERR Syntax error in HELLO option '${argv[i]}'`));
    }
  }
  if (authUser !== null) {
    if (!passwordOk(s, authUser, authPass)) return s.reply(err(WRONGPASS));
    setAuthenticated(s, true);
  }
  if (!s.authenticated) return s.reply(err(NOAUTH_HELLO));
  if (setName !== null) s.name = setName;
  s.proto = proto;
  s.reply(
    encodeMapHeader(7, proto) +
      encodeBulk('server') + encodeBulk('redis') +
      encodeBulk('version') + encodeBulk(REDIS_VERSION) +
      encodeBulk('proto') + encodeInt(proto) +
      encodeBulk('id') + encodeInt(s.id) +
      encodeBulk('mode') + encodeBulk('standalone') +
      encodeBulk('role') + encodeBulk('master') +
      encodeBulk('modules') + encodeArrayHeader(0),
  );
}

export function select(s: ClientSession, argv: Bytes[]): void {
  const db = parseDbIndex(argv[1]!);
  if (db === null) return s.reply(err('ERR value is not an integer or out of range'));
  if (db < 0 || db >= s.router.config.databases) return s.reply(err('ERR DB index is out of range'));
  s.db = db;
  s.reply(ENC.OK);
}

/** Redis's string2ll for a db index: strict decimal. Null when not an integer. */
export function parseDbIndex(v: Bytes): number | null {
  if (!/^(0|-?[1-9]\d{0,18})$/.test(v)) return null;
  const n = Number(v);
  return n > 2147483647 || n < -2147483648 ? -1 : n;
}

export function quit(s: ClientSession): void {
  s.quit(ENC.OK);
}

/** RESET: back to a fresh connection (db 0, RESP2, no name, no MULTI/WATCH/subscriptions, re-auth). */
export function reset(s: ClientSession): void {
  closeTransaction(s);
  closePubsub(s);
  s.db = 0;
  s.proto = 2;
  s.name = '';
  setAuthenticated(s, s.router.config.requirepass === undefined);
  s.reply('+RESET\r\n');
}

/** Redis: printable ASCII without spaces ('!'..'~'). */
export function validClientName(name: Bytes): boolean {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 33 || c > 126) return false;
  }
  return true;
}

// --- CLIENT ---

function clientInfoLine(c: ClientSession): string {
  const now = Date.now();
  const ps = c.pubsub;
  const flags = (c.tx?.multi ? 'x' : '') + (ps !== null && subscriptionCount(c) > 0 ? 'P' : '') + (c.blockedConn ? 'b' : '') || 'N';
  return (
    `id=${c.id} addr=${c.addr} laddr=${c.laddr} fd=-1 name=${c.name} age=${Math.floor((now - c.createdAt) / 1000)} ` +
    `idle=${Math.floor((now - c.lastActive) / 1000)} flags=${flags} db=${c.db} sub=${ps?.channels.size ?? 0} ` +
    `psub=${ps?.patterns.size ?? 0} ssub=${ps?.shardChannels.size ?? 0} multi=${c.tx?.multi ? c.tx.count : -1} ` +
    `qbuf=${c.parser.pendingBytes} obl=0 oll=0 omem=${c.writer.queuedBytes} cmd=${c.lastCommand || 'NULL'} ` +
    `user=default redir=-1 resp=${c.proto}\n`
  );
}

/** CLIENT <sub> (the subcommand's arity was checked by the dispatcher). */
export function client(s: ClientSession, argv: Bytes[]): void {
  const sub = argv[1]!.toUpperCase();
  switch (sub) {
    case 'ID':
      return s.reply(encodeInt(s.id));
    case 'GETNAME':
      return s.reply(s.name === '' ? encodeNil(s.proto) : encodeBulk(s.name));
    case 'SETNAME': {
      const name = argv[2]!;
      if (!validClientName(name)) return s.reply(err('ERR Client names cannot contain spaces, newlines or special characters.'));
      s.name = name;
      return s.reply(ENC.OK);
    }
    case 'INFO':
      return s.reply(verbatim(s, clientInfoLine(s)));
    case 'LIST': {
      let text = '';
      for (const c of s.router.sessions) text += clientInfoLine(c);
      return s.reply(verbatim(s, text));
    }
    case 'NO-EVICT':
    case 'NO-TOUCH':
    case 'SETINFO': // client libraries announce themselves; nothing to keep
      return s.reply(ENC.OK);
    default:
      return s.reply(err(`ERR CLIENT ${sub} is not supported by swarmkv-router`));
  }
}

/** A verbatim string (RESP3 `=`), a bulk in RESP2, as CLIENT INFO/LIST and INFO reply. */
export function verbatim(s: ClientSession, text: string): string {
  return s.proto === 3 ? `=${text.length + 4}\r\ntxt:${text}\r\n` : encodeBulk(text);
}
