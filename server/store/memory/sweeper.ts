/** Frees expired data nobody read: ended transcripts past retention, visitors, flags, sessions. */
import { purgeConversation } from './conversation-state';
import { deleteSession } from './accounts';
import type { MemoryState } from './state';

/** Deletes everything past its expiry on the wall clock; returns how many records went. */
export function sweep(state: MemoryState): number {
  const now = state.clock();
  let removed = 0;
  for (const [id, expiresAt] of state.expiries) {
    if (expiresAt > now) continue;
    purgeConversation(state, id);
    removed += 1;
  }
  for (const [id, session] of state.sessions) {
    if (session.expiresAt > now) continue;
    deleteSession(state, id);
    removed += 1;
  }
  return removed + state.visitors.sweep() + state.visitorIdsByToken.sweep() + state.once.sweep();
}
