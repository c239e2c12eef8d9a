/**
 * Socket rate limits. Chat starts are counted in the store (every node sees them). Messages and
 * typing are counted in this node's memory: a visitor's socket lives on one node, and a store
 * round trip per message would double the cost of the message path. Those are counted at once:
 * no promise, answer object or async frame per message.
 */
import type { Config } from '../config';
import { consumeOrThrow, createLimiter, RateLimitedError } from '../http/rate-limits';
import { TimerFreeRateLimiter } from '../store/memory/limiter';
import type { Store } from '../store/types';

/** `address` arguments are the keyed hash from `addressKey`, never the address itself. */
export interface SocketLimits {
  chatStart(visitorId: string, address: string): Promise<void>;
  /** Throws RateLimitedError past the limit. */
  visitorMessage(visitorId: string, address: string): void;
  /** Throws RateLimitedError past the limit. */
  listenerMessage(userId: string): void;
  /** False when typing events come too fast: they are dropped silently. */
  typing(key: string): boolean;
}

function memoryLimiter(config: Pick<Config, 'RATE_LIMIT_MULTIPLIER'>, keyPrefix: string, points: number, duration: number): TimerFreeRateLimiter | null {
  if (config.RATE_LIMIT_MULTIPLIER === 0) return null;
  return new TimerFreeRateLimiter({ keyPrefix, points: Math.max(1, Math.round(points * config.RATE_LIMIT_MULTIPLIER)), duration });
}

/** Takes one point, or throws RateLimitedError: consumeOrThrow, at once. */
function takeOrThrow(limiter: TimerFreeRateLimiter | null, key: string): void {
  const waitMs = limiter ? limiter.take(key) : 0;
  if (waitMs > 0) throw RateLimitedError.after(waitMs);
}

export function createSocketLimits(store: Store, config: Pick<Config, 'RATE_LIMIT_MULTIPLIER'>): SocketLimits {
  const startPerVisitor = createLimiter(store, config, { keyPrefix: 'start-visitor', points: 5, durationSeconds: 600 });
  // Schools and homes share addresses: generous, it only stops floods.
  const startPerAddress = createLimiter(store, config, { keyPrefix: 'start-addr', points: 60, durationSeconds: 600 });
  const visitorMessages = memoryLimiter(config, 'msg-visitor', 30, 10);
  const addressMessages = memoryLimiter(config, 'msg-addr', 600, 60);
  const listenerMessages = memoryLimiter(config, 'msg-listener', 60, 10);
  const typing = memoryLimiter(config, 'typing', 30, 10);

  return {
    async chatStart(visitorId, address) {
      // Both counts at once: on Redis they share one write and one round trip, which every
      // pairing waits for. A start its address refuses gives the visitor's point back, so a
      // crowded school network does not use up a pupil's own starts.
      const [byAddress, byVisitor] = await Promise.allSettled([
        consumeOrThrow(startPerAddress, address),
        consumeOrThrow(startPerVisitor, visitorId),
      ]);
      if (byAddress.status === 'rejected') {
        if (byVisitor.status === 'fulfilled' || byVisitor.reason instanceof RateLimitedError) {
          await startPerVisitor?.reward(visitorId, 1).catch(() => undefined);
        }
        throw byAddress.reason;
      }
      if (byVisitor.status === 'rejected') throw byVisitor.reason;
    },
    visitorMessage(visitorId, address) {
      takeOrThrow(visitorMessages, visitorId);
      takeOrThrow(addressMessages, address);
    },
    listenerMessage(userId) {
      takeOrThrow(listenerMessages, userId);
    },
    typing(key) {
      return !typing || typing.take(key) === 0;
    },
  };
}
