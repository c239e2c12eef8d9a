/**
 * Names of the cluster-wide timers kept in the store (handled in domain/lifecycle.ts). They live
 * with the store because the store itself starts grace timers when it reaps a dead node, and starts
 * and drops long-wait timers as conversations enter and leave the queue.
 */
export const TIMER_PREFIX = { visitorGrace: 'vg:', listenerGrace: 'lg:', longWait: 'lw:' } as const;

export const timerKeys = {
  visitorGrace: (visitorId: string) => `${TIMER_PREFIX.visitorGrace}${visitorId}`,
  listenerGrace: (userId: string) => `${TIMER_PREFIX.listenerGrace}${userId}`,
  longWait: (conversationId: string) => `${TIMER_PREFIX.longWait}${conversationId}`,
};
