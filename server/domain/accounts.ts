/**
 * Staff accounts and their sessions: argon2id passwords, opaque session tokens of which the store
 * keeps only the sha256, first-run setup with a one-time token. No default account ever exists.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import argon2 from 'argon2';
import type { Logger } from 'pino';
import { AppError } from '../../shared/errors';
import type { Role, User } from '../../shared/protocol';
import type { Config } from '../config';
import type { SessionRecord, Store, UserPatch, UserRecord } from '../store/types';
import { errorSummary } from '../logger';
import { readSessionCookie, safeEqual, sessionIdOf, verifyPassword } from './credentials';

export { readSessionCookie, safeEqual, SESSION_COOKIE, sessionIdOf } from './credentials';

/** OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane. */
const HASH_OPTIONS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;
const TOKEN_BYTES = 32;
/** 32 bytes in base64url. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const FIRST_SUPERVISOR_MAX_CONCURRENT = 3;

export interface RevokedSessions {
  userId: string;
  sessionIds: string[];
}

export interface AccountsDeps {
  store: Store;
  config: Pick<Config, 'SETUP_TOKEN' | 'SESSION_IDLE_MINUTES' | 'SESSION_ABSOLUTE_HOURS' | 'LANGUAGES'>;
  logger: Logger;
  clock: () => number;
  /** Called whenever sessions end, so the socket layer can disconnect them. */
  onRevoke?: (revoked: RevokedSessions) => void;
  /** Called when an online listener's routing profile changed, so routing can run again. */
  onPresenceChange?: (userId: string) => void;
}

export interface SetupInput {
  setupToken: string;
  username: string;
  password: string;
  displayName: string;
}

export interface NewUser {
  username: string;
  displayName: string;
  password: string;
  role: Role;
  languages: string[];
  maxConcurrent: number;
}

export type UserChanges = Partial<Omit<NewUser, 'username'> & { active: boolean }>;

/** Who asks for a change: their own session survives a password change, and they cannot lock themselves out. */
export interface Actor {
  userId: string;
  sessionId?: string;
}

/** A new session: the token goes into the cookie and nowhere else. */
export interface SignedIn {
  user: User;
  token: string;
}

export interface Authenticated {
  user: User;
  sessionId: string;
}

/** The public view of an account: never the hash. */
export function toPublicUser(record: UserRecord): User {
  return {
    id: record.id,
    username: record.username,
    displayName: record.displayName,
    role: record.role,
    languages: [...record.languages],
    maxConcurrent: record.maxConcurrent,
    active: record.active,
  };
}


export class Accounts {
  private readonly setupToken: string;
  private readonly log: Logger;
  private dummyHash: Promise<string> | null = null;

  constructor(private readonly deps: AccountsDeps) {
    this.setupToken = deps.config.SETUP_TOKEN ?? randomBytes(24).toString('base64url');
    this.log = deps.logger.child({ component: 'accounts' });
  }

  /** Session lifetime in seconds, from sign-in: the cookie's Max-Age. */
  get absoluteSeconds(): number {
    return Math.round(this.deps.config.SESSION_ABSOLUTE_HOURS * 3600);
  }

  private get idleSeconds(): number {
    return Math.round(this.deps.config.SESSION_IDLE_MINUTES * 60);
  }

  /** Logs how to set up while no supervisor exists; the only place a setup token is ever logged. */
  async announceSetupToken(): Promise<void> {
    // Computed now, so the first sign-in with an unknown username is not slower than the others.
    await this.getDummyHash();
    if (await this.deps.store.hasSupervisor()) return;
    if (this.deps.config.SETUP_TOKEN) {
      this.log.warn('No supervisor yet: open /setup and use the SETUP_TOKEN from the environment.');
      return;
    }
    this.log.warn(`No supervisor yet: open /setup and use this one-time setup token: ${this.setupToken}`);
  }

  /** True while no supervisor exists (the /setup page is offered). */
  async needsSetup(): Promise<boolean> {
    return !(await this.deps.store.hasSupervisor());
  }

  /** Creates the first supervisor and signs them in; errors `bad_setup_token`, `already_set_up`, `username_taken`. */
  async setup(input: SetupInput): Promise<SignedIn> {
    if (!safeEqual(input.setupToken, this.setupToken)) throw new AppError('bad_setup_token');
    if (await this.deps.store.hasSupervisor()) throw new AppError('already_set_up');
    const record = await this.newRecord({
      username: input.username,
      displayName: input.displayName,
      password: input.password,
      role: 'supervisor',
      languages: [...this.deps.config.LANGUAGES],
      maxConcurrent: FIRST_SUPERVISOR_MAX_CONCURRENT,
    });
    const created = await this.deps.store.createFirstSupervisor(record);
    this.log.info({ userId: created.id }, 'first supervisor created');
    return this.startSession(created);
  }

  /** Signs in; error `bad_credentials` alike for an unknown user, a wrong password or an inactive account. */
  async login(username: string, password: string): Promise<SignedIn> {
    const record = await this.deps.store.findUserByUsername(username);
    // Unknown users are checked against a dummy hash, so the answer takes as long either way.
    const hash = record?.passwordHash ?? (await this.getDummyHash());
    const valid = await verifyPassword(hash, password);
    if (!record || !valid || !record.active) throw new AppError('bad_credentials');
    return this.startSession(record);
  }

  /** The signed-in user of a session token (the session is touched); null when unknown, expired or inactive. */
  async authenticate(token: string | undefined): Promise<Authenticated | null> {
    if (!token || !TOKEN_PATTERN.test(token)) return null;
    const sessionId = sessionIdOf(token);
    const session = await this.deps.store.touchSession(sessionId, this.deps.clock(), this.idleSeconds);
    if (!session) return null;
    const record = await this.deps.store.getUser(session.userId);
    if (!record || !record.active) return null;
    return { user: toPublicUser(record), sessionId };
  }

  /** Same as authenticate, from a raw Cookie header (the Socket.IO handshake). */
  async authenticateCookieHeader(cookieHeader: string | undefined): Promise<Authenticated | null> {
    return this.authenticate(readSessionCookie(cookieHeader));
  }

  /** Ends the session of this token, if any. */
  async logout(token: string | undefined): Promise<void> {
    if (!token || !TOKEN_PATTERN.test(token)) return;
    const sessionId = sessionIdOf(token);
    const session = await this.deps.store.touchSession(sessionId, this.deps.clock(), this.idleSeconds);
    await this.deps.store.deleteSession(sessionId);
    if (session) this.revoked({ userId: session.userId, sessionIds: [sessionId] });
  }

  /** Creates a listener or supervisor; error `username_taken`. */
  async createUser(input: NewUser): Promise<User> {
    const created = await this.deps.store.createUser(await this.newRecord(input));
    this.log.info({ userId: created.id, role: created.role }, 'user created');
    return toPublicUser(created);
  }

  /** Every account, without hashes. */
  async listUsers(): Promise<User[]> {
    const records = await this.deps.store.listUsers();
    return records.map(toPublicUser);
  }

  /** The account with this id, or null. */
  async getUser(id: string): Promise<User | null> {
    const record = await this.deps.store.getUser(id);
    return record ? toPublicUser(record) : null;
  }

  /**
   * Changes an account. A new password ends the user's other sessions; a new role or
   * `active: false` ends all of them. Errors `not_found`, and `forbidden` for self-demotion or self-deactivation.
   */
  async updateUser(id: string, changes: UserChanges, actor?: Actor): Promise<User> {
    if (actor?.userId === id && (changes.active === false || changes.role === 'listener')) {
      throw new AppError('forbidden', 'You cannot deactivate or demote yourself.');
    }
    const before = await this.deps.store.getUser(id);
    if (!before) throw new AppError('not_found');
    const { password, ...rest } = changes;
    const patch: UserPatch = { ...rest };
    if (password !== undefined) patch.passwordHash = await argon2.hash(password, HASH_OPTIONS);
    const updated = await this.deps.store.updateUser(id, patch);
    if (!updated) throw new AppError('not_found');
    if (changes.active === false || updated.role !== before.role) await this.endSessions(id);
    else if (password !== undefined) await this.endSessions(id, actor?.userId === id ? actor.sessionId : undefined);
    if (changes.displayName !== undefined || changes.languages !== undefined || changes.maxConcurrent !== undefined) {
      await this.refreshPresence(updated);
    }
    this.log.info({ userId: id, fields: Object.keys(changes) }, 'user updated');
    return toPublicUser(updated);
  }

  /**
   * Routing reads the profile from the listener's presence, set when they connected: it takes the
   * change now, not at their next reconnect. The account change stands even if this fails.
   */
  private async refreshPresence(user: UserRecord): Promise<void> {
    const profile = { displayName: user.displayName, languages: [...user.languages], maxConcurrent: user.maxConcurrent };
    try {
      if (await this.deps.store.updatePresenceProfile(user.id, profile)) this.deps.onPresenceChange?.(user.id);
    } catch (err) {
      this.log.error({ err: errorSummary(err), userId: user.id }, 'presence profile refresh failed');
    }
  }

  /** Ends every session of a user except `keepSessionId`; returns the ended ids. */
  async endSessions(userId: string, keepSessionId?: string): Promise<string[]> {
    const now = this.deps.clock();
    const kept = keepSessionId ? await this.deps.store.touchSession(keepSessionId, now, this.idleSeconds) : null;
    const ended = await this.deps.store.deleteUserSessions(userId);
    if (kept && kept.userId === userId) await this.deps.store.createSession(kept);
    const sessionIds = ended.filter((sid) => sid !== kept?.id);
    this.revoked({ userId, sessionIds });
    return sessionIds;
  }

  private async startSession(record: UserRecord): Promise<SignedIn> {
    const token = randomBytes(TOKEN_BYTES).toString('base64url');
    const now = this.deps.clock();
    const session: SessionRecord = {
      id: sessionIdOf(token),
      userId: record.id,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: now + this.absoluteSeconds * 1000,
    };
    await this.deps.store.createSession(session);
    return { user: toPublicUser(record), token };
  }

  private revoked(revoked: RevokedSessions): void {
    try {
      this.deps.onRevoke?.(revoked);
    } catch (err) {
      this.log.error({ err: errorSummary(err) }, 'onRevoke failed');
    }
  }

  private async newRecord(input: NewUser): Promise<UserRecord> {
    return {
      id: randomUUID(),
      username: input.username,
      displayName: input.displayName,
      role: input.role,
      languages: [...input.languages],
      maxConcurrent: input.maxConcurrent,
      active: true,
      passwordHash: await argon2.hash(input.password, HASH_OPTIONS),
      createdAt: this.deps.clock(),
    };
  }

  private getDummyHash(): Promise<string> {
    this.dummyHash ??= argon2.hash(randomBytes(32).toString('base64url'), HASH_OPTIONS);
    return this.dummyHash;
  }
}
