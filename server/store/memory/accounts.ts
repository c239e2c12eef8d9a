/** Staff accounts (usernames unique case-insensitively) and their sessions. */
import { AppError } from '../../../shared/errors';
import { byUsername } from '../record-order';
import type { SessionRecord, Store, UserPatch, UserRecord } from '../types';
import { addToIndex, removeFromIndex, type MemoryState } from './state';

type AccountMethods = Pick<
  Store,
  | 'createUser'
  | 'createFirstSupervisor'
  | 'hasSupervisor'
  | 'getUser'
  | 'findUserByUsername'
  | 'listUsers'
  | 'updateUser'
  | 'createSession'
  | 'touchSession'
  | 'peekSession'
  | 'deleteSession'
  | 'deleteUserSessions'
>;

const PATCHABLE = ['displayName', 'role', 'languages', 'maxConcurrent', 'active', 'passwordHash'] as const;

/** The accounts half of the Store. */
export function accountMethods(state: MemoryState): AccountMethods {
  const hasSupervisor = () => [...state.users.values()].some((u) => u.role === 'supervisor');
  return {
    async createUser(user) {
      return addUser(state, user);
    },
    async createFirstSupervisor(user) {
      if (hasSupervisor()) throw new AppError('already_set_up');
      return addUser(state, user);
    },
    async hasSupervisor() {
      return hasSupervisor();
    },
    async getUser(id) {
      const user = state.users.get(id);
      return user ? structuredClone(user) : null;
    },
    async findUserByUsername(username) {
      const id = state.userIdsByName.get(username.toLowerCase());
      const user = id === undefined ? undefined : state.users.get(id);
      return user ? structuredClone(user) : null;
    },
    async listUsers() {
      return [...state.users.values()].sort(byUsername).map((u) => structuredClone(u));
    },
    async updateUser(id, patch) {
      const user = state.users.get(id);
      if (!user) return null;
      applyPatch(user, patch);
      return structuredClone(user);
    },
    ...sessionMethods(state),
  };
}

function addUser(state: MemoryState, user: UserRecord): UserRecord {
  const name = user.username.toLowerCase();
  if (state.userIdsByName.has(name)) throw new AppError('username_taken');
  if (state.users.has(user.id)) throw new AppError('internal');
  state.users.set(user.id, structuredClone(user));
  state.userIdsByName.set(name, user.id);
  return structuredClone(user);
}

function applyPatch(user: UserRecord, patch: UserPatch): void {
  const fields = structuredClone(patch);
  for (const key of PATCHABLE) {
    if (fields[key] !== undefined) Object.assign(user, { [key]: fields[key] });
  }
}

function sessionMethods(
  state: MemoryState,
): Pick<AccountMethods, 'createSession' | 'touchSession' | 'peekSession' | 'deleteSession' | 'deleteUserSessions'> {
  return {
    async createSession(session) {
      state.sessions.set(session.id, { ...session });
      addToIndex(state.sessionIdsByUser, session.userId, session.id);
    },
    async touchSession(id, now, idleSeconds) {
      const session = state.sessions.get(id);
      if (!session) return null;
      if (isExpired(session, now, idleSeconds)) {
        deleteSession(state, id);
        return null;
      }
      session.lastSeenAt = now;
      return { ...session };
    },
    async peekSession(id, now, idleSeconds) {
      const session = state.sessions.get(id);
      return session && !isExpired(session, now, idleSeconds) ? { ...session } : null;
    },
    async deleteSession(id) {
      deleteSession(state, id);
    },
    async deleteUserSessions(userId) {
      const ids = [...(state.sessionIdsByUser.get(userId) ?? [])];
      for (const id of ids) deleteSession(state, id);
      return ids;
    },
  };
}

/** Past its absolute expiry, or idle for `idleSeconds` or more. */
function isExpired(session: SessionRecord, now: number, idleSeconds: number): boolean {
  return now >= session.expiresAt || now - session.lastSeenAt >= idleSeconds * 1000;
}

/** Removes a session and its index entry. */
export function deleteSession(state: MemoryState, id: string): void {
  const session = state.sessions.get(id);
  if (!session) return;
  state.sessions.delete(id);
  removeFromIndex(state.sessionIdsByUser, session.userId, id);
}
