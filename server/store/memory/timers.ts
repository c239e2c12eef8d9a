/** Timers leased to one caller at a time, and the once-per-TTL flags used to throttle alerts. */
import type { Store } from '../types';
import type { MemoryState } from './state';

type TimerMethods = Pick<Store, 'scheduleTimer' | 'cancelTimer' | 'claimDueTimers' | 'completeTimer' | 'acquireOnce'>;

/** Drops a timer, if scheduled. */
export function cancelTimer(state: MemoryState, key: string): void {
  const dueAt = state.timers.get(key);
  if (dueAt === undefined) return;
  state.timerOrder.remove({ key, dueAt });
  state.timers.delete(key);
}

/** Schedules (or moves) a timer. */
export function scheduleTimer(state: MemoryState, key: string, dueAt: number): void {
  cancelTimer(state, key);
  state.timers.set(key, dueAt);
  state.timerOrder.insert({ key, dueAt });
}

/** The timers half of the Store. */
export function timerMethods(state: MemoryState): TimerMethods {
  return {
    async scheduleTimer(key, dueAt) {
      scheduleTimer(state, key, dueAt);
    },
    async cancelTimer(key) {
      cancelTimer(state, key);
    },
    async claimDueTimers(now, limit, leaseMs) {
      let count = 0;
      while (count < limit && (state.timerOrder.at(count)?.dueAt ?? Infinity) <= now) count += 1;
      const leaseUntil = now + Math.max(1, Math.round(leaseMs));
      // Leased, not removed: a caller that fails (or dies) leaves it to be claimed again.
      const due = state.timerOrder.slice(0, count);
      for (const timer of due) scheduleTimer(state, timer.key, leaseUntil);
      return due.map((timer) => ({ key: timer.key, leaseUntil }));
    },
    async completeTimer(key, leaseUntil) {
      if (state.timers.get(key) === leaseUntil) cancelTimer(state, key);
    },
    async acquireOnce(key, ttlSeconds) {
      if (state.once.has(key)) return false;
      state.once.set(key, true, ttlSeconds * 1000);
      return true;
    },
  };
}
