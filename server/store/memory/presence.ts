/** Listener presence: one record per user, shared by all their sockets, counted per node too. */
import type { PresenceRecord, Store } from '../types';
import { compareStrings } from './sorted-list';
import { addToCount, type MemoryState } from './state';

type PresenceMethods = Pick<
  Store,
  | 'listenerConnected'
  | 'listenerDisconnected'
  | 'updatePresenceProfile'
  | 'setListenerStatus'
  | 'getPresence'
  | 'listPresence'
  | 'removePresence'
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
      addToCount(state.nodeListeners, input.nodeId, input.userId, 1);
      return copy(presence);
    },
    async listenerDisconnected(userId, nodeId) {
      // A node that no longer counts the listener (reaped meanwhile) uncounts nothing twice.
      const held = state.nodeListeners.get(nodeId)?.get(userId) ?? 0;
      if (held > 0) addToCount(state.nodeListeners, nodeId, userId, -1);
      const presence = state.presence.get(userId);
      if (!presence) return null;
      if (held > 0) presence.connections = Math.max(0, presence.connections - 1);
      return copy(presence);
    },
    async updatePresenceProfile(userId, profile) {
      const presence = state.presence.get(userId);
      if (!presence) return null;
      presence.displayName = profile.displayName;
      presence.languages = [...profile.languages];
      presence.maxConcurrent = profile.maxConcurrent;
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
      // Id order, as on Redis.
      return [...state.presence.values()].sort((a, b) => compareStrings(a.userId, b.userId)).map(copy);
    },
    async removePresence(userId) {
      const presence = state.presence.get(userId);
      // A listener who came back (or still holds chats) between the decision and this call stays.
      if (presence && presence.connections === 0 && presence.load === 0) state.presence.delete(userId);
    },
  };
}
