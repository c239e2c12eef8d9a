/**
 * Every Redis key of the store, built from one configurable prefix (bullmq queue-keys style).
 * A conversation's own keys share the hash tag `{c:ID}` so they land in one Cluster slot; a
 * deployment on Redis Cluster puts a hash tag in the prefix itself (e.g. `{ps}:`), which then
 * wins and keeps every multi-key script inside one slot.
 */
export function createKeys(prefix: string) {
  const conv = (id: string) => `${prefix}{c:${id}}`;
  return {
    prefix,
    // Visitors: token hash -> visitor id, and the visitor's hash; both expire.
    visitorToken: (tokenHash: string) => `${prefix}vt:${tokenHash}`,
    visitor: (visitorId: string) => `${prefix}v:${visitorId}`,

    // Conversations: flat hash, message stream (ids 0-<seq>), clientMsgId -> seq.
    conversation: conv,
    messages: (id: string) => `${conv(id)}:msgs`,
    dedup: (id: string) => `${conv(id)}:dedup`,
    activeConversations: `${prefix}convs:active`,
    flaggedConversations: `${prefix}convs:flagged`,

    // Queue: one sorted set per language, the languages ever queued, and the total waiting.
    queue: (language: string) => `${prefix}q:${language}`,
    queueLanguages: `${prefix}q:languages`,
    queueWaiting: `${prefix}q:waiting`,

    // Listener presence and the conversations each listener holds.
    presence: (userId: string) => `${prefix}p:${userId}`,
    presenceIds: `${prefix}p:ids`,
    listenerConversations: (userId: string) => `${prefix}lc:${userId}`,

    // Accounts and staff sessions.
    user: (userId: string) => `${prefix}u:${userId}`,
    userIds: `${prefix}u:ids`,
    usernames: `${prefix}u:names`,
    supervisors: `${prefix}u:supervisors`,
    session: (sessionId: string) => `${prefix}s:${sessionId}`,
    userSessions: (userId: string) => `${prefix}us:${userId}`,

    // Statistics per local day (counts and seconds only) and the recent waits of the last day.
    dayCounters: (day: string) => `${prefix}st:${day}`,
    dayWaits: (day: string) => `${prefix}st:${day}:waits`,
    dayDurations: (day: string) => `${prefix}st:${day}:durations`,
    recentWaits: `${prefix}st:recent-waits`,
    // The dashboard's history: one sorted set of compact samples scored by their time.
    statsSamples: `${prefix}st:samples`,

    // Cluster-wide timers, one-shot guards, canned responses, rate limiters, shared secrets.
    timers: `${prefix}timers`,
    once: (key: string) => `${prefix}once:${key}`,
    canned: (language: string) => `${prefix}canned:${language}`,
    rateLimit: (keyPrefix: string) => `${prefix}rl:${keyPrefix}`,
    secret: (name: string) => `${prefix}secret:${name}`,

    // Server nodes: the known ids, each one's heartbeat, and the sockets it holds
    // (visitor id -> sockets, listener id -> sockets), so a dead node's sockets can be uncounted.
    nodes: `${prefix}nodes`,
    nodeHeartbeat: (nodeId: string) => `${prefix}node:${nodeId}:hb`,
    nodeVisitors: (nodeId: string) => `${prefix}node:${nodeId}:visitors`,
    nodeListeners: (nodeId: string) => `${prefix}node:${nodeId}:listeners`,
  };
}

export type Keys = ReturnType<typeof createKeys>;

/** The parts of a key's name before and after the id, for a script that names keys by id. */
export function keyParts(name: (id: string) => string): [string, string] {
  const marker = '\u0000';
  const probe = name(marker);
  const at = probe.indexOf(marker);
  return [probe.slice(0, at), probe.slice(at + marker.length)];
}
