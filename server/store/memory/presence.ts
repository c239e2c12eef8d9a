/** Listener presence: one record per user, shared by all their sockets. */
import type { PresenceRecord, Store } from '../types';
import type { MemoryState } from './state';

type PresenceMethods = Pick<
  Store,
  'listenerConnected' | 'listenerDisconnected' | 'setListenerStatus' | 'getPresence' | 'listPresence' | 'removePresence'
>;

const copy = (p: PresenceRecord): PresenceRecord => ({ ...p, languages: [...p.languages] });

/** The presence half of the Store. */
export function presenceMethods(state: MemoryState): PresenceMethods {
  return {
    async listenerConnected(input) {
      const existing = state.presence.get(input.userId);
      const presence: PresenceRecord = existing ?? {
        userId: input.userId,
        displayName: input.displayName,
        status: 'available',
        connections: 0,
        load: 0,
        maxConcurrent: input.maxConcurrent,
        languages: [],
        lastAssignedAt: 0,
      };
      presence.connections += 1;
      // Recounted from the conversations held, so it is right even after the presence was forgotten.
      presence.load = state.activeByListener.get(input.userId)?.size ?? 0;
      presence.displayName = input.displayName;
      presence.languages = [...input.languages];
      presence.maxConcurrent = input.maxConcurrent;
      state.presence.set(input.userId, presence);
      return copy(presence);
    },
    async listenerDisconnected(userId) {
      const presence = state.presence.get(userId);
      if (!presence) return null;
      presence.connections = Math.max(0, presence.connections - 1);
      return copy(presence);
    },
    async setListenerStatus(userId, status) {
      const presence = state.presence.get(userId);
      if (!presence) return null;
      presence.status = status;
      return copy(presence);
    },
    async getPresence(userId) {
      const presence = state.presence.get(userId);
      return presence ? copy(presence) : null;
    },
    async listPresence() {
      return [...state.presence.values()].map(copy);
    },
    async removePresence(userId) {
      const presence = state.presence.get(userId);
      // A listener who came back (or still holds chats) between the decision and this call stays.
      if (presence && presence.connections === 0 && presence.load === 0) state.presence.delete(userId);
    },
  };
}
