/**
 * The router's pino logger: JSON lines on stderr (stdout stays free for people), constant
 * messages with the variables in the object, a child logger per component.
 */
import { pino, type Logger } from 'pino';

export function createLogger(level: string): Logger {
  return pino({ name: 'swarmkv-router', level, base: { pid: process.pid } }, pino.destination(2));
}
