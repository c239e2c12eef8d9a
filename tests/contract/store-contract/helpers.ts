/**
 * Shared pieces of the Store contract suite: constants, error assertions and the fixture helpers.
 * Times are real epoch milliseconds (Redis TTLs run on the wall clock), moved forward by hand.
 */
import { AppError, type ErrorCode } from '../../../shared/errors';
import type { EndInput, StartInput, Store, UserRecord } from '../../../server/store/types';

export const DAY = '2030-01-15';
export const OTHER_DAY = '2030-01-16';
export const HOUR = 3600;
export const ALL_LANGUAGES = ['en', 'fr', 'nl'];
/** The server node the contract's sockets are on, unless a test says otherwise. */
export const NODE = 'node-a';

export type StartOverrides = Partial<StartInput> & { conversationId: string };

/** The fresh store of the running test and the time it started at. */
export interface StoreFixture {
  store: Store;
  t0: number;
}

/** Answers the fixture of the running test; call it inside hooks and tests, never at declaration time. */
export type FixtureAccessor = () => StoreFixture;

/** Resolves to the error a promise rejects with; fails the test if it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail, but it succeeded');
    },
    (err: unknown) => err,
  );
}

/** Asserts the call fails with an AppError of this code. */
export async function expectCode(promise: Promise<unknown>, code: ErrorCode): Promise<void> {
  const err = await rejectionOf(promise);
  expect(err).toBeInstanceOf(AppError);
  expect(err).toMatchObject({ code });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The helpers the contract tests build their scenarios with, on the running test's store and t0. */
export function contractHelpers(fx: FixtureAccessor) {
  const addVisitor = async (visitorId: string) => {
    const { store, t0 } = fx();
    if (!(await store.getVisitor(visitorId))) await store.createVisitor(`hash-${visitorId}`, visitorId, t0, HOUR);
    return visitorId;
  };

  const start = async (overrides: StartOverrides) => {
    const visitorId = await addVisitor(overrides.visitorId ?? `v-${overrides.conversationId}`);
    const { store, t0 } = fx();
    return store.startConversation({ language: 'en', urgent: false, now: t0, day: DAY, maxQueued: 100, ...overrides, visitorId });
  };

  const online = async (
    userId: string,
    opts: { languages?: string[]; maxConcurrent?: number; status?: 'available' | 'away' } = {},
  ) => {
    const { store, t0 } = fx();
    await store.listenerConnected({
      userId,
      nodeId: NODE,
      displayName: `Listener ${userId}`,
      languages: opts.languages ?? ALL_LANGUAGES,
      maxConcurrent: opts.maxConcurrent ?? 3,
      now: t0,
    });
    if (opts.status) await store.setListenerStatus(userId, opts.status);
  };

  const assign = (conversationId: string, listenerId: string, at = fx().t0 + 5_000, manual = false) =>
    fx().store.assign({ conversationId, listenerId, manual, now: at, day: DAY });

  /** A conversation started at t0 and assigned to `listenerId` at t0 + 5 s. */
  const activeChat = async (conversationId: string, listenerId: string, overrides: Partial<StartOverrides> = {}) => {
    await start({ conversationId, ...overrides });
    if (!(await fx().store.getPresence(listenerId))) await online(listenerId);
    return assign(conversationId, listenerId);
  };

  const endInput = (conversationId: string, extra: Partial<EndInput> = {}): EndInput => ({
    conversationId,
    endedBy: 'listener',
    now: fx().t0 + 65_000,
    day: DAY,
    retentionSeconds: HOUR,
    ...extra,
  });

  const send = (conversationId: string, from: 'visitor' | 'listener', senderId: string, clientMsgId: string, text = 'hello') =>
    fx().store.appendMessage({ conversationId, from, senderId, clientMsgId, text, now: fx().t0 + 1_000 });

  const userRecord = (id: string, username: string, role: UserRecord['role'] = 'listener'): UserRecord => ({
    id,
    username,
    displayName: `User ${id}`,
    role,
    languages: ['en'],
    maxConcurrent: 2,
    active: true,
    passwordHash: `hash-of-${id}`,
    createdAt: fx().t0,
  });

  return { addVisitor, start, online, assign, activeChat, endInput, send, userRecord };
}
