/** Timers claimed once each, and the once-per-TTL flags used to throttle alerts. */
import type { Store } from '../types';
import type { MemoryState } from './state';

type TimerMethods = Pick<Store, 'scheduleTimer' | 'cancelTimer' | 'claimDueTimers' | 'acquireOnce'>;

/** The timers half of the Store. */
export function timerMethods(state: MemoryState): TimerMethods {
  const cancel = (key: string) => {
    const dueAt = state.timers.get(key);
    if (dueAt === undefined) return;
    state.timerOrder.remove({ key, dueAt });
    state.timers.delete(key);
  };
  return {
    async scheduleTimer(key, dueAt) {
      cancel(key);
      state.timers.set(key, dueAt);
      state.timerOrder.insert({ key, dueAt });
    },
    async cancelTimer(key) {
      cancel(key);
    },
    async claimDueTimers(now, limit) {
      let count = 0;
      while (count < limit && (state.timerOrder.at(count)?.dueAt ?? Infinity) <= now) count += 1;
      const due = state.timerOrder.shift(count);
      for (const timer of due) state.timers.delete(timer.key);
      return due.map((timer) => timer.key);
    },
    async acquireOnce(key, ttlSeconds) {
      if (state.once.has(key)) return false;
      state.once.set(key, true, ttlSeconds * 1000);
      return true;
    },
  };
}
