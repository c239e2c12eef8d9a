/**
 * The in-process Store: one node only, no dependency. Node runs each method to completion without
 * an `await` inside, so every method is atomic: all checks first, then all changes.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { AppError } from '../../../shared/errors';
import type { Store } from '../types';
import { accountMethods } from './accounts';
import { conversationMethods } from './conversations';
import { TimerFreeRateLimiter } from './limiter';
import { messageMethods } from './messages';
import { nodeMethods } from './nodes';
import { presenceMethods } from './presence';
import { createState, type MemoryState } from './state';
import { sweep } from './sweeper';
import { timerMethods } from './timers';
import { transitionMethods } from './transitions';
import { visitorMethods } from './visitors';

export interface MemoryStore extends Store {
  readonly kind: 'memory';
}

export interface MemoryStoreOptions {
  /** Used as given: the caller names the component. */
  logger?: Logger;
  /** How often expired data is freed (reads check expiry anyway). Default 30 s. */
  sweepIntervalMs?: number;
  /** Wall clock for TTLs and retention (tests may inject one). Default Date.now. */
  clock?: () => number;
}

const DEFAULT_SWEEP_INTERVAL_MS = 30_000;

/** Creates an empty in-process store; close() stops its sweeper. */
export function createMemoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  const state = createState(options.clock ?? Date.now);
  const log = options.logger;
  const timer = setInterval(() => {
    const removed = sweep(state);
    if (removed > 0) log?.debug({ removed }, 'expired records removed');
  }, options.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS);
  timer.unref();
  let closed = false;

  return {
    kind: 'memory',
    async ping() {
      if (closed) throw new AppError('unavailable');
    },
    async close() {
      closed = true;
      clearInterval(timer);
    },
    ...visitorMethods(state),
    ...conversationMethods(state),
    ...messageMethods(state),
    ...transitionMethods(state),
    ...presenceMethods(state),
    ...accountMethods(state),
    ...statsAndCannedMethods(state),
    ...timerMethods(state),
    ...nodeMethods(state),
    createRateLimiter(opts) {
      return new TimerFreeRateLimiter({
        keyPrefix: opts.keyPrefix,
        points: opts.points,
        duration: opts.durationSeconds,
        blockDuration: opts.blockSeconds ?? 0,
      }, state.clock);
    },
  };
}

type StatsAndCannedMethods = Pick<
  Store,
  'dayStats' | 'recentWaits' | 'appendStatsSample' | 'statsSamples' | 'getCanned' | 'setCanned' | 'sharedSecret'
>;

function statsAndCannedMethods(state: MemoryState): StatsAndCannedMethods {
  return {
    async dayStats(day) {
      return state.stats.snapshot(day);
    },
    async recentWaits(since) {
      return state.stats.recentWaits(since);
    },
    async appendStatsSample(sample, keepSeconds) {
      state.stats.addSample(sample, keepSeconds * 1000);
    },
    async statsSamples(since) {
      return state.stats.samplesSince(since);
    },
    async getCanned(language) {
      const responses = state.canned.get(language);
      return responses ? structuredClone(responses) : null;
    },
    async setCanned(language, responses) {
      state.canned.set(language, structuredClone(responses));
    },
    async sharedSecret(name) {
      let secret = state.secrets.get(name);
      if (secret === undefined) {
        secret = randomBytes(32).toString('base64url');
        state.secrets.set(name, secret);
      }
      return secret;
    },
  };
}
