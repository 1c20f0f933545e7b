/**
 * COMMAND [COUNT | INFO | DOCS | LIST | GETKEYS | GETKEYSANDFLAGS | HELP]: answered from the shared
 * command table (@swarmkv/resp's command-replies), so the router and a storage node describe
 * the same commands identically without asking one.
 */
import { encodeError, encodeReply, RespError, runCommandCommand, type Bytes } from '@swarmkv/resp';
import type { ClientSession } from './client-session.js';

export function commandCommand(s: ClientSession, argv: Bytes[]): void {
  try {
    s.reply(encodeReply(runCommandCommand(argv), s.proto));
  } catch (e) {
    if (!(e instanceof RespError)) throw e;
    s.reply(encodeError(e.message));
  }
}
