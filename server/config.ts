/**
 * Every setting, read once from environment variables through one zod schema.
 * Invalid configuration stops start-up with a message that names the variable.
 */
import { z } from 'zod';
import { DEFAULT_LANGUAGES, DEFAULT_TOPICS } from '../shared/protocol';
import { makeSchemas, type Schemas } from '../shared/schemas';
import { parseOpeningHours } from './domain/opening-hours';
import { readResourcesFile } from './domain/resources';

const list = (fallback: readonly string[]) =>
  z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === '' ? [...fallback] : v.split(',').map((s) => s.trim()).filter(Boolean)));

const int = (fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

const num = (fallback: number, min = 0) => z.coerce.number().min(min).default(fallback);

const origin = z.string().url().transform((u) => new URL(u).origin);

const envSchema = z.object({
  /** HTTP port. */
  PORT: int(3000, 0, 65535),
  /** Bind address. */
  HOST: z.string().min(1).default('0.0.0.0'),
  /** Redis to use; unset means the built-in in-process store (one node only). */
  REDIS_URL: z.string().url().optional(),
  /** Prefix of every Redis key, so several deployments can share one Redis. */
  REDIS_PREFIX: z.string().min(1).max(64).default('ps:'),
  /** The site's own origin, always allowed (default http://localhost:$PORT). */
  PUBLIC_ORIGIN: origin.optional(),
  /** More allowed origins, comma-separated. */
  ALLOWED_ORIGINS: list([]).pipe(z.array(origin)),
  /** Token for POST /api/setup; random and printed once when unset. */
  SETUP_TOKEN: z.string().min(16).optional(),
  /** Languages offered. */
  LANGUAGES: list(DEFAULT_LANGUAGES).pipe(z.array(z.string().regex(/^[a-z]{2}$/)).min(1)),
  /** Conversation topics a visitor may pick. */
  TOPICS: list(DEFAULT_TOPICS).pipe(z.array(z.string().regex(/^[a-z][a-z0-9-]{0,31}$/)).min(1)),
  /** e.g. `mon-fri 10:00-22:00; sat,sun 14:00-20:00`; unset means always open. */
  OPENING_HOURS: z.string().optional(),
  /** IANA zone of OPENING_HOURS and of "today" in statistics. */
  TIMEZONE: z.string().default('Europe/Brussels'),
  /** How long a disconnected visitor keeps their place. */
  VISITOR_GRACE_SECONDS: num(120),
  /** How long a disconnected listener keeps their chats. */
  LISTENER_GRACE_SECONDS: num(60),
  /** A server node silent (no heartbeat in the store) this long is presumed dead: its sockets count as disconnected. */
  NODE_TIMEOUT_SECONDS: num(15, 1),
  /** Wait after which supervisors get a long_wait alert. */
  LONG_WAIT_ALERT_SECONDS: num(300, 1),
  /** How long a transcript is kept after its conversation ends. */
  TRANSCRIPT_RETENTION_HOURS: num(24, 0.001),
  /** How long visitor:block lasts. */
  BLOCK_HOURS: num(24, 0),
  /** Characters per message. */
  MAX_MESSAGE_LENGTH: int(2000, 1, 20000),
  /** JSON file of emergency and alternative contacts per language; unset means the built-in Belgian list. */
  RESOURCES_FILE: z.string().optional(),
  /** Where quick exit sends the visitor. */
  QUICK_EXIT_URL: z.string().url().default('https://www.meteo.be/'),
  /** Multiplies every rate limit; 0 turns them all off (load tests only). */
  RATE_LIMIT_MULTIPLIER: num(1, 0),
  /** pino level. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Bearer token required by /metrics when set. */
  METRICS_TOKEN: z.string().min(16).optional(),
  /** Staff sessions end after this much inactivity. */
  SESSION_IDLE_MINUTES: num(120, 1),
  /** Staff sessions end this long after sign-in, whatever happens. */
  SESSION_ABSOLUTE_HOURS: num(12, 0.1),
  /** Refuse new chats with queue_full beyond this many waiting. */
  MAX_QUEUE: int(1000, 1),
  /** Express `trust proxy` setting, for deployments behind a reverse proxy (hop count). */
  TRUST_PROXY: int(0, 0, 10),
});

export type Env = z.infer<typeof envSchema>;

export interface Config extends Omit<Env, 'PUBLIC_ORIGIN'> {
  PUBLIC_ORIGIN: string;
  /** Every origin allowed on Socket.IO handshakes and state-changing HTTP requests. */
  allowedOrigins: string[];
  /** Whether cookies get the Secure attribute. */
  secureCookies: boolean;
}

export class ConfigError extends Error {}

/** Parses settings from an environment (process.env by default); throws ConfigError naming the variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // An empty variable (as compose files write for unset ones) means "use the default".
  const given = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const parsed = envSchema.safeParse(given);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  checkFiles(e);
  const publicOrigin = e.PUBLIC_ORIGIN ?? `http://localhost:${e.PORT}`;
  return {
    ...e,
    PUBLIC_ORIGIN: publicOrigin,
    allowedOrigins: [...new Set([publicOrigin, ...e.ALLOWED_ORIGINS])],
    secureCookies: publicOrigin.startsWith('https:'),
  };
}

/** Settings whose meaning needs more than a type: the hours, the zone and the contacts file. */
function checkFiles(e: Env): void {
  try {
    parseOpeningHours(e.OPENING_HOURS, e.TIMEZONE);
  } catch (err) {
    throw new ConfigError(`Invalid configuration:\n  ${(err as Error).message}`);
  }
  if (e.RESOURCES_FILE) {
    try {
      readResourcesFile(e.RESOURCES_FILE);
    } catch (err) {
      throw new ConfigError(`Invalid configuration:\n  ${(err as Error).message}`);
    }
  }
}

/** A config for tests and tools: defaults plus overrides, with no process environment involved. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ LOG_LEVEL: 'silent', ...overrides });
}

/** The payload schemas for this configuration's languages, topics and message length. */
export function schemasFor(config: Pick<Config, 'LANGUAGES' | 'TOPICS' | 'MAX_MESSAGE_LENGTH'>): Schemas {
  return makeSchemas({ languages: config.LANGUAGES, topics: config.TOPICS, maxMessageLength: config.MAX_MESSAGE_LENGTH });
}
