/** Accounts on Redis: anonymous visitors, staff users (unique usernames) and staff sessions. */
import { byUsername } from '../record-order';
import type { SessionRecord, UserPatch, UserRecord, VisitorRecord } from '../types';
import { asHash, flatten, hashFromFlat, toSession, toUser, toVisitor, userFields } from './codec';
import { execPipeline, type RedisContext } from './context';
import { withFreshRead } from './scripts';

/** Usernames are unique regardless of case, so "Sam" and "sam" cannot both exist. */
function usernameKey(username: string): string {
  return username.trim().toLowerCase();
}

export class RedisAccounts {
  constructor(private readonly ctx: RedisContext) {}

  /** Creates an anonymous visitor found by the hash of their token; both expire after ttlSeconds. */
  async createVisitor(tokenHash: string, visitorId: string, now: number, ttlSeconds: number): Promise<VisitorRecord> {
    const { keys } = this.ctx;
    await this.ctx.scripts.run(
      'createVisitor',
      [keys.visitorToken(tokenHash), keys.visitor(visitorId)],
      [visitorId, now, Math.max(1, Math.ceil(ttlSeconds))],
    );
    return { id: visitorId, createdAt: now };
  }

  /** The visitor behind a token hash, or null when unknown or expired. */
  async findVisitorByToken(tokenHash: string): Promise<VisitorRecord | null> {
    const visitorId = await this.ctx.client.get(this.ctx.keys.visitorToken(tokenHash));
    return visitorId === null ? null : this.getVisitor(visitorId);
  }

  /** One visitor, or null. */
  async getVisitor(visitorId: string): Promise<VisitorRecord | null> {
    return toVisitor(await this.ctx.client.hgetall(this.ctx.keys.visitor(visitorId)));
  }

  /** Moves the expiry of a visitor and their token index to ttlSeconds from now. */
  async touchVisitor(tokenHash: string, visitorId: string, ttlSeconds: number): Promise<void> {
    const { keys } = this.ctx;
    await this.ctx.scripts.run(
      'touchVisitor',
      [keys.visitorToken(tokenHash), keys.visitor(visitorId)],
      [visitorId, Math.max(1, Math.ceil(ttlSeconds))],
    );
  }

  /** Creates a user; `firstSupervisor` only succeeds while no supervisor exists. */
  async createUser(user: UserRecord, mode: 'any' | 'first-supervisor'): Promise<UserRecord> {
    const { keys } = this.ctx;
    await this.ctx.scripts.run(
      'createUser',
      [keys.user(user.id), keys.usernames, keys.userIds, keys.supervisors],
      [mode, usernameKey(user.username), user.id, user.role, ...userFields(user)],
    );
    return { ...user, languages: [...user.languages] };
  }

  /** True once any supervisor account exists. */
  async hasSupervisor(): Promise<boolean> {
    return (await this.ctx.client.scard(this.ctx.keys.supervisors)) > 0;
  }

  /** One user, or null. */
  async getUser(id: string): Promise<UserRecord | null> {
    return toUser(await this.ctx.client.hgetall(this.ctx.keys.user(id)));
  }

  /** The user with this username (any case), or null. */
  async findUserByUsername(username: string): Promise<UserRecord | null> {
    const id = await this.ctx.client.hget(this.ctx.keys.usernames, usernameKey(username));
    return id === null ? null : this.getUser(id);
  }

  /** Every user, sorted by username. */
  async listUsers(): Promise<UserRecord[]> {
    const { client, keys } = this.ctx;
    const ids = await client.smembers(keys.userIds);
    if (ids.length === 0) return [];
    const pipeline = client.pipeline();
    for (const id of ids) pipeline.hgetall(keys.user(id));
    const users = (await execPipeline(pipeline)).flatMap((hash) => toUser(asHash(hash)) ?? []);
    return users.sort(byUsername);
  }

  /** Applies a patch; null when the user does not exist. */
  async updateUser(id: string, patch: UserPatch): Promise<UserRecord | null> {
    const { keys } = this.ctx;
    // Only patchable fields reach Redis, whatever else the object carries at run time.
    const { displayName, role, languages, maxConcurrent, active, passwordHash } = patch;
    const fields = userFields({ displayName, role, languages, maxConcurrent, active, passwordHash });
    const reply = await this.ctx.scripts.run('updateUser', [keys.user(id), keys.supervisors], [id, ...fields]);
    return toUser(hashFromFlat(reply));
  }

  /** Stores a session that expires at its absolute expiry (touchSession slides the idle one). */
  async createSession(session: SessionRecord): Promise<void> {
    const { keys } = this.ctx;
    const ttlMs = Math.max(1, session.expiresAt - session.lastSeenAt);
    await this.ctx.scripts.run(
      'createSession',
      [keys.session(session.id), keys.userSessions(session.userId)],
      [session.id, ttlMs, ...flatten({ ...session })],
    );
  }

  /** The live session with lastSeenAt moved to now, or null when unknown or expired. */
  async touchSession(id: string, now: number, idleSeconds: number): Promise<SessionRecord | null> {
    const reply = await this.ctx.scripts.run(
      'touchSession',
      [this.ctx.keys.session(id)],
      [now, Math.max(1, Math.round(idleSeconds * 1000))],
    );
    return toSession(hashFromFlat(reply));
  }

  /** The live session as touchSession checks it, read only: lastSeenAt and the expiry stay. */
  async peekSession(id: string, now: number, idleSeconds: number): Promise<SessionRecord | null> {
    const session = toSession(await this.ctx.client.hgetall(this.ctx.keys.session(id)));
    const idleMs = Math.max(1, Math.round(idleSeconds * 1000));
    if (!session || session.expiresAt <= now || session.lastSeenAt + idleMs <= now) return null;
    return session;
  }

  /** Ends one session. */
  async deleteSession(id: string): Promise<void> {
    const { client, keys } = this.ctx;
    await withFreshRead(async () => {
      const userId = await client.hget(keys.session(id), 'userId');
      if (userId === null) return;
      await this.ctx.scripts.run('deleteSession', [keys.session(id), keys.userSessions(userId)], [id, userId]);
    });
  }

  /** Ends every session of a user and returns the ids of those that were live. */
  async deleteUserSessions(userId: string): Promise<string[]> {
    const { client, keys } = this.ctx;
    return withFreshRead(async () => {
      const ids = await client.smembers(keys.userSessions(userId));
      if (ids.length === 0) return [];
      const reply = await this.ctx.scripts.run(
        'deleteUserSessions',
        [keys.userSessions(userId), ...ids.map((id) => keys.session(id))],
        [userId, ...ids],
      );
      return Array.isArray(reply) ? reply.map(String) : [];
    });
  }
}
