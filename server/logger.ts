/**
 * The pino root logger. Components log through `logger.child({ component })`. Nothing logged may
 * contain message text, tokens, cookies, passwords or addresses; `redact` is only the safety net.
 */
import pino, { type DestinationStream, type Logger } from 'pino';

const REDACT = [
  'text', '*.text', 'firstMessage', '*.firstMessage', 'password', '*.password', 'passwordHash', '*.passwordHash',
  'token', '*.token', 'setupToken', '*.setupToken', 'cookie', '*.cookie', 'headers', '*.headers',
  'req.headers', 'ip', '*.ip', 'remoteAddress', '*.remoteAddress', 'comment', '*.comment', 'note', '*.note',
  'reason', '*.reason',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = { level, base: { service: 'peer-support' }, redact: { paths: REDACT, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}

/**
 * What we log of an unexpected error: its type and stack frames, never its message lines (an
 * error may quote its input: message text, a hash, a token).
 */
export function errorSummary(err: unknown): { type: string; code?: string; stack?: string } {
  if (!(err instanceof Error)) return { type: typeof err };
  const frames = err.stack?.split('\n').filter((line) => line.trimStart().startsWith('at ')).slice(0, 5);
  // System and driver errors carry a stable code (ECONNREFUSED, ...): more useful than the text.
  const code: unknown = (err as { code?: unknown }).code;
  return typeof code === 'string' ? { type: err.name, code, stack: frames?.join('\n') } : { type: err.name, stack: frames?.join('\n') };
}
