/** Socket.IO room names: one per visitor, per listener and per staff session. */
export const rooms = {
  visitor: (visitorId: string) => `v:${visitorId}`,
  user: (userId: string) => `u:${userId}`,
  session: (sessionId: string) => `s:${sessionId}`,
};
