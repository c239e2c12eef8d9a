/** What every part of the Redis store shares: the client, the key names and the scripts. */
import type { ChainableCommander, Redis } from 'ioredis';
import type { Message, SystemCode } from '../../../shared/protocol';
import { SYSTEM_TEXT } from '../system-messages';
import type { Keys } from './keys';
import type { Scripts } from './scripts';
import { iso } from '../../time';

export interface RedisContext {
  client: Redis;
  keys: Keys;
  scripts: Scripts;
}

/** Day statistics are kept a little over a week, for the dashboard's "today" and recent days. */
export const DAY_STATS_TTL_SECONDS = 8 * 24 * 3600;

/** recentWaits looks back at most this far, so older entries are trimmed. */
export const RECENT_WAITS_WINDOW_MS = 24 * 3600 * 1000;

export { iso };

/** The system message a transition script appended with `seq` (none when seq is 0). */
export function systemMessage(conversationId: string, seq: number, code: SystemCode, now: number): Message | undefined {
  if (seq <= 0) return undefined;
  return { conversationId, seq, from: 'system', text: SYSTEM_TEXT[code], at: iso(now), code };
}

/** Runs a pipeline and returns its replies in order, throwing the first command error. */
export async function execPipeline(pipeline: ChainableCommander): Promise<unknown[]> {
  const replies = (await pipeline.exec()) ?? [];
  return replies.map(([err, value]) => {
    if (err) throw err;
    return value;
  });
}
