/** Names of the cluster-wide timers kept in the store (see lifecycle.ts). */
export const timerKeys = {
  visitorGrace: (visitorId: string) => `vg:${visitorId}`,
  listenerGrace: (userId: string) => `lg:${userId}`,
  longWait: (conversationId: string) => `lw:${conversationId}`,
};
