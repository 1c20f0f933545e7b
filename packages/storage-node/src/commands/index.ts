/**
 * Every handler, by upper-case command name. Each group lives in its own file; the type checks
 * in commands/index.test.ts make sure the table and the command specs in @swarmkv/resp agree.
 */
import type { HandlerTable } from './context.js';

export const HANDLERS: HandlerTable = {};
