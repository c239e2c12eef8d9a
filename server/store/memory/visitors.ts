/** Anonymous visitor sessions, found by the hash of their token; they expire like Redis keys. */
import type { Store, VisitorRecord } from '../types';
import type { MemoryState } from './state';

type VisitorMethods = Pick<Store, 'createVisitor' | 'findVisitorByToken' | 'getVisitor' | 'touchVisitor'>;

/** The visitors half of the Store. */
export function visitorMethods(state: MemoryState): VisitorMethods {
  const copy = (visitorId: string | undefined): VisitorRecord | null => {
    const visitor = visitorId === undefined ? undefined : state.visitors.get(visitorId);
    return visitor ? { ...visitor } : null;
  };
  return {
    async createVisitor(tokenHash, visitorId, now, ttlSeconds) {
      const visitor: VisitorRecord = { id: visitorId, createdAt: now };
      state.visitors.set(visitorId, visitor, ttlSeconds * 1000);
      state.visitorIdsByToken.set(tokenHash, visitorId, ttlSeconds * 1000);
      return { ...visitor };
    },
    async findVisitorByToken(tokenHash) {
      return copy(state.visitorIdsByToken.get(tokenHash));
    },
    async getVisitor(visitorId) {
      return copy(visitorId);
    },
    async touchVisitor(tokenHash, visitorId, ttlSeconds) {
      state.visitors.touch(visitorId, ttlSeconds * 1000);
      // As on Redis: a token index of another visitor is left alone.
      if (state.visitorIdsByToken.get(tokenHash) === visitorId) state.visitorIdsByToken.touch(tokenHash, ttlSeconds * 1000);
    },
  };
}
