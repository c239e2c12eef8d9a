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
