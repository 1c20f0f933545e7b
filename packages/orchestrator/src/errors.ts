/**
 * The orchestrator's error type. Every failure a person can act on is a SwarmkvError with a stable
 * `code` (scripts and tests match on it), a message saying what went wrong and a `hint` saying what
 * to do next. Only main() turns them into an exit status: 1 for failures, 2 for usage errors.
 * Anything else that escapes is a bug and is printed with its stack.
 */

export type ErrorCode =
  | 'USAGE'
  | 'CONFIG_NOT_FOUND'
  | 'CONFIG_INVALID'
  | 'ENGINE_UNREACHABLE'
  | 'ENGINE_TLS'
  | 'ENGINE_API'
  | 'SWARM_FOREIGN'
  | 'SWARM_STATE'
  | 'SUBNET_OVERLAP'
  | 'NETWORK_CONFLICT'
  | 'PORT_IN_USE'
  | 'IMAGE_BUILD'
  | 'IMAGE_MISSING'
  | 'DEPLOY_TIMEOUT'
  | 'ROUTER_UNHEALTHY'
  | 'LOCAL_START'
  | 'CERTS'
  | 'INTERRUPTED';

export class SwarmkvError extends Error {
  override readonly name = 'SwarmkvError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly hint?: string,
    readonly details?: unknown,
  ) {
    super(message);
  }

  /** The exit status main() uses: usage mistakes are told apart from failures. */
  get exitCode(): 1 | 2 {
    return this.code === 'USAGE' ? 2 : 1;
  }

  toJSON(): Record<string, unknown> {
    return { code: this.code, message: this.message, hint: this.hint, details: this.details };
  }
}

export function usage(message: string, hint?: string): SwarmkvError {
  return new SwarmkvError('USAGE', message, hint ?? 'run `swarmkv --help` for the commands and their options');
}

export function isSwarmkvError(e: unknown): e is SwarmkvError {
  return e instanceof SwarmkvError;
}

/** Error text of anything thrown (dockerode errors carry the engine's message in json.message). */
export function messageOf(e: unknown): string {
  if (e && typeof e === 'object') {
    const j = (e as { json?: { message?: unknown } }).json;
    if (j && typeof j.message === 'string') return j.message.trim();
    const m = (e as { message?: unknown }).message;
    if (typeof m === 'string') return m;
  }
  return String(e);
}

/** HTTP status code of a dockerode error, when it has one. */
export function statusOf(e: unknown): number | undefined {
  const s = e && typeof e === 'object' ? (e as { statusCode?: unknown }).statusCode : undefined;
  return typeof s === 'number' ? s : undefined;
}
