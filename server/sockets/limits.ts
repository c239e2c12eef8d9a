/**
 * Socket rate limits. Chat starts are counted in the store (every node sees them). Messages and
 * typing are counted in this node's memory: a visitor's socket lives on one node, and a store
 * round trip per message would double the cost of the message path.
 */
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Config } from '../config';
import { consumeOrThrow, createLimiter } from '../http/rate-limits';
import { TimerFreeRateLimiter } from '../store/memory/limiter';
import type { Store } from '../store/types';

/** `address` arguments are the keyed hash from `addressKey`, never the address itself. */
export interface SocketLimits {
  chatStart(visitorId: string, address: string): Promise<void>;
  visitorMessage(visitorId: string, address: string): Promise<void>;
  listenerMessage(userId: string): Promise<void>;
  /** False when typing events come too fast: they are dropped silently. */
  typing(key: string): Promise<boolean>;
}

function memoryLimiter(config: Pick<Config, 'RATE_LIMIT_MULTIPLIER'>, keyPrefix: string, points: number, duration: number): RateLimiterAbstract | null {
  if (config.RATE_LIMIT_MULTIPLIER === 0) return null;
  return new TimerFreeRateLimiter({ keyPrefix, points: Math.max(1, Math.round(points * config.RATE_LIMIT_MULTIPLIER)), duration });
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
      await consumeOrThrow(startPerAddress, address);
      await consumeOrThrow(startPerVisitor, visitorId);
    },
    async visitorMessage(visitorId, address) {
      await consumeOrThrow(visitorMessages, visitorId);
      await consumeOrThrow(addressMessages, address);
    },
    async listenerMessage(userId) {
      await consumeOrThrow(listenerMessages, userId);
    },
    async typing(key) {
      if (!typing) return true;
      return typing.consume(key).then(
        () => true,
        () => false,
      );
    },
  };
}
