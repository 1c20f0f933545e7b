/**
 * Errors that become `-CODE detail` replies.
 *
 * A RespError thrown by a handler is answered to the client as an error reply; the first word is
 * the code clients parse (ERR, WRONGTYPE, CROSSSLOT, ...). Messages match Redis 7.0 word for word.
 * Any other exception is a bug: the dispatcher logs it and answers `-ERR internal error`.
 */
export class RespError extends Error {
  constructor(
    readonly code: string,
    readonly detail: string,
  ) {
    super(`${code} ${detail}`);
  }
}

export const Err = {
  wrongType: () => new RespError('WRONGTYPE', 'Operation against a key holding the wrong kind of value'),
  syntax: () => new RespError('ERR', 'syntax error'),
  notInt: () => new RespError('ERR', 'value is not an integer or out of range'),
  notFloat: () => new RespError('ERR', 'value is not a valid float'),
  overflow: () => new RespError('ERR', 'increment or decrement would overflow'),
  noSuchKey: () => new RespError('ERR', 'no such key'),
  outOfRange: () => new RespError('ERR', 'index out of range'),
  crossSlot: () => new RespError('CROSSSLOT', "Keys in request don't hash to the same slot"),
  noAuth: () => new RespError('NOAUTH', 'Authentication required.'),
  unknownCommand: (name: string, argsPreview: string) =>
    new RespError('ERR', `unknown command '${name}', with args beginning with: ${argsPreview}`),
  wrongArity: (name: string) =>
    new RespError('ERR', `wrong number of arguments for '${name.toLowerCase()}' command`),
  /** Any message verbatim: `Err.msg('ERR', '...')`. */
  msg: (code: string, detail: string) => new RespError(code, detail),
};
