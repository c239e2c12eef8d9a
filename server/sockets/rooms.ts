/** Socket.IO room names: one per visitor, per listener and per staff session. */

/** Names kept at most per kind; past it the kept names are dropped, which only costs rebuilding them. */
export const MAX_KEPT_NAMES = 50_000;

/**
 * The room name of an id, the same string each time. Every relayed message looks up its peer's
 * room in the adapter's map: a name built anew is a fresh string that the lookup must flatten and
 * hash, where a kept string has its hash cached. In window profiles at 4,000 msgs/s that lookup
 * took 1.9 µs a message, and 0.7 µs plus 0.3 µs for finding the kept name (docs/benchmarks.md,
 * twentieth session). Staff session rooms are looked up only on sign-out: built each time.
 */
function roomNames(prefix: string): (id: string) => string {
  const names = new Map<string, string>();
  return (id) => {
    let name = names.get(id);
    if (name === undefined) {
      if (names.size >= MAX_KEPT_NAMES) names.clear();
      name = `${prefix}${id}`;
      names.set(id, name);
    }
    return name;
  };
}

export const rooms = {
  visitor: roomNames('v:'),
  user: roomNames('u:'),
  session: (sessionId: string) => `s:${sessionId}`,
};
