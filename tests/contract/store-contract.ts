/**
 * The behaviour every Store implementation keeps, as one jest suite. Each implementation's test
 * file calls `describeStoreContract` with a factory; every test gets a fresh, empty store.
 * Times are real epoch milliseconds (Redis TTLs run on the wall clock), moved forward by hand.
 */
import { AppError, type ErrorCode } from '../../shared/errors';
import type { CannedResponse } from '../../shared/protocol';
import { SYSTEM_TEXT } from '../../server/store/system-messages';
import type { EndInput, SessionRecord, StartInput, Store, UserRecord } from '../../server/store/types';

const DAY = '2030-01-15';
const OTHER_DAY = '2030-01-16';
const HOUR = 3600;
const ALL_LANGUAGES = ['en', 'fr', 'nl'];

type StartOverrides = Partial<StartInput> & { conversationId: string };

/** Resolves to the error a promise rejects with; fails the test if it resolves. */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail, but it succeeded');
    },
    (err: unknown) => err,
  );
}

/** Asserts the call fails with an AppError of this code. */
async function expectCode(promise: Promise<unknown>, code: ErrorCode): Promise<void> {
  const err = await rejectionOf(promise);
  expect(err).toBeInstanceOf(AppError);
  expect(err).toMatchObject({ code });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Declares the contract suite for one Store implementation. `cleanup` defaults to close(). */
export function describeStoreContract(name: string, makeStore: () => Promise<Store>, cleanup?: (s: Store) => Promise<void>): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    let t0: number;

    beforeEach(async () => {
      store = await makeStore();
      t0 = Date.now();
    });

    afterEach(async () => {
      await (cleanup ? cleanup(store) : store.close());
    });

    const addVisitor = async (visitorId: string) => {
      if (!(await store.getVisitor(visitorId))) await store.createVisitor(`hash-${visitorId}`, visitorId, t0, HOUR);
      return visitorId;
    };

    const start = async (overrides: StartOverrides) => {
      const visitorId = await addVisitor(overrides.visitorId ?? `v-${overrides.conversationId}`);
      return store.startConversation({ language: 'en', urgent: false, now: t0, day: DAY, maxQueued: 100, ...overrides, visitorId });
    };

    const online = async (
      userId: string,
      opts: { languages?: string[]; maxConcurrent?: number; status?: 'available' | 'away' } = {},
    ) => {
      await store.listenerConnected({
        userId,
        displayName: `Listener ${userId}`,
        languages: opts.languages ?? ALL_LANGUAGES,
        maxConcurrent: opts.maxConcurrent ?? 3,
        now: t0,
      });
      if (opts.status) await store.setListenerStatus(userId, opts.status);
    };

    const assign = (conversationId: string, listenerId: string, at = t0 + 5_000, manual = false) =>
      store.assign({ conversationId, listenerId, manual, now: at, day: DAY });

    /** A conversation started at t0 and assigned to `listenerId` at t0 + 5 s. */
    const activeChat = async (conversationId: string, listenerId: string, overrides: Partial<StartOverrides> = {}) => {
      await start({ conversationId, ...overrides });
      if (!(await store.getPresence(listenerId))) await online(listenerId);
      return assign(conversationId, listenerId);
    };

    const endInput = (conversationId: string, extra: Partial<EndInput> = {}): EndInput => ({
      conversationId,
      endedBy: 'listener',
      now: t0 + 65_000,
      day: DAY,
      retentionSeconds: HOUR,
      ...extra,
    });

    const send = (conversationId: string, from: 'visitor' | 'listener', senderId: string, clientMsgId: string, text = 'hello') =>
      store.appendMessage({ conversationId, from, senderId, clientMsgId, text, now: t0 + 1_000 });

    const userRecord = (id: string, username: string, role: UserRecord['role'] = 'listener'): UserRecord => ({
      id,
      username,
      displayName: `User ${id}`,
      role,
      languages: ['en'],
      maxConcurrent: 2,
      active: true,
      passwordHash: `hash-of-${id}`,
      createdAt: t0,
    });

    describe('basics', () => {
      test('the store says which kind it is and answers ping', async () => {
        expect(['redis', 'memory']).toContain(store.kind);
        await expect(store.ping()).resolves.toBeUndefined();
      });
    });

    describe('visitors', () => {
      test('a created visitor is found by token hash and by id', async () => {
        const created = await store.createVisitor('hash-a', 'visitor-a', t0, HOUR);
        expect(created).toEqual({ id: 'visitor-a', createdAt: t0 });
        expect(await store.findVisitorByToken('hash-a')).toMatchObject({ id: 'visitor-a', createdAt: t0 });
        expect(await store.getVisitor('visitor-a')).toMatchObject({ id: 'visitor-a', createdAt: t0 });
      });

      test('an unknown token or id finds nobody', async () => {
        expect(await store.findVisitorByToken('nope')).toBeNull();
        expect(await store.getVisitor('nope')).toBeNull();
      });

      test('a visitor past their time to live is no longer found', async () => {
        await store.createVisitor('hash-short', 'visitor-short', t0, 1);
        await sleep(1_500);
        expect(await store.findVisitorByToken('hash-short')).toBeNull();
        expect(await store.getVisitor('visitor-short')).toBeNull();
      });

      test('the visitor remembers their latest conversation', async () => {
        await start({ conversationId: 'c1', visitorId: 'v1' });
        expect((await store.getVisitor('v1'))?.conversationId).toBe('c1');
      });

      test('mutating a returned visitor does not change the store', async () => {
        const created = await store.createVisitor('hash-m', 'visitor-m', t0, HOUR);
        created.blockedUntil = t0 + 1_000_000;
        const found = await store.getVisitor('visitor-m');
        if (found) found.conversationId = 'forged';
        expect(await store.getVisitor('visitor-m')).toEqual({ id: 'visitor-m', createdAt: t0 });
      });
    });

    describe('startConversation', () => {
      test('creates a queued conversation at position 1 and counts it as started today', async () => {
        const result = await start({ conversationId: 'c1', visitorId: 'v1', language: 'fr', topic: 'family', ageRange: '12-14', urgent: false });
        expect(result.position).toBe(1);
        expect(result.firstMessage).toBeUndefined();
        expect(result.conversation).toMatchObject({
          id: 'c1', visitorId: 'v1', language: 'fr', topic: 'family', ageRange: '12-14', urgent: false,
          state: 'queued', startedAt: t0, queuedAt: t0, lastSeq: 0,
        });
        expect(result.conversation.listenerId).toBeUndefined();
        expect(await store.getConversation('c1')).toEqual(result.conversation);
        expect((await store.dayStats(DAY)).started).toBe(1);
      });

      test('stores the first message as seq 1 from the visitor, de-duplicated by its clientMsgId', async () => {
        const result = await start({ conversationId: 'c1', visitorId: 'v1', firstMessage: { text: 'hi there', clientMsgId: 'first-msg-1' } });
        expect(result.firstMessage).toMatchObject({
          conversationId: 'c1', seq: 1, from: 'visitor', text: 'hi there', at: new Date(t0).toISOString(), clientMsgId: 'first-msg-1',
        });
        expect(result.conversation.lastSeq).toBe(1);
        const again = await send('c1', 'visitor', 'v1', 'first-msg-1', 'hi there');
        expect(again.duplicate).toBe(true);
        expect(again.message.seq).toBe(1);
        expect(await store.readMessages('c1', 0)).toHaveLength(1);
      });

      test('a first message without clientMsgId is stored too', async () => {
        const result = await start({ conversationId: 'c1', firstMessage: { text: 'hello' } });
        expect(result.firstMessage).toMatchObject({ seq: 1, from: 'visitor', text: 'hello' });
        expect(await store.readMessages('c1', 0)).toHaveLength(1);
      });

      test('refuses a second chat while the visitor has a queued one, with already_active', async () => {
        await start({ conversationId: 'c1', visitorId: 'v1' });
        await expectCode(start({ conversationId: 'c2', visitorId: 'v1' }), 'already_active');
        expect(await store.getConversation('c2')).toBeNull();
        expect((await store.getVisitor('v1'))?.conversationId).toBe('c1');
        expect((await store.dayStats(DAY)).started).toBe(1);
      });

      test('refuses a second chat while the visitor has an active one, with already_active', async () => {
        await activeChat('c1', 'l1', { visitorId: 'v1' });
        await expectCode(start({ conversationId: 'c2', visitorId: 'v1' }), 'already_active');
      });

      test('lets a visitor start again once their conversation ended', async () => {
        await start({ conversationId: 'c1', visitorId: 'v1' });
        await store.endConversation(endInput('c1', { endedBy: 'visitor', visitorId: 'v1' }));
        const second = await start({ conversationId: 'c2', visitorId: 'v1', now: t0 + 70_000 });
        expect(second.conversation.state).toBe('queued');
        expect((await store.getVisitor('v1'))?.conversationId).toBe('c2');
      });

      test('refuses a blocked visitor until the block ends', async () => {
        await activeChat('c1', 'l1', { visitorId: 'v1' });
        await store.endConversation(endInput('c1', { listenerId: 'l1', reason: 'blocked', blockVisitorUntil: t0 + 600_000 }));
        await expectCode(start({ conversationId: 'c2', visitorId: 'v1', now: t0 + 100_000 }), 'blocked');
        expect(await store.getConversation('c2')).toBeNull();
        const later = await start({ conversationId: 'c3', visitorId: 'v1', now: t0 + 600_001 });
        expect(later.conversation.state).toBe('queued');
      });

      test('refuses with queue_full once maxQueued conversations wait in any language, changing nothing', async () => {
        await start({ conversationId: 'c1', language: 'en', maxQueued: 2 });
        await start({ conversationId: 'c2', language: 'fr', maxQueued: 2 });
        await expectCode(start({ conversationId: 'c3', visitorId: 'v3', language: 'nl', maxQueued: 2 }), 'queue_full');
        expect(await store.getConversation('c3')).toBeNull();
        expect((await store.getVisitor('v3'))?.conversationId).toBeUndefined();
        expect((await store.dayStats(DAY)).started).toBe(2);
        expect(await store.queuedConversations(null, 10)).toHaveLength(2);
      });

      test('a conversation leaving the queue frees a place under maxQueued', async () => {
        await start({ conversationId: 'c1', maxQueued: 1 });
        await online('l1');
        await assign('c1', 'l1');
        const next = await start({ conversationId: 'c2', maxQueued: 1 });
        expect(next.position).toBe(1);
      });

      test('counts started conversations per day', async () => {
        await start({ conversationId: 'c1' });
        await start({ conversationId: 'c2', day: OTHER_DAY });
        await start({ conversationId: 'c3', day: OTHER_DAY });
        expect((await store.dayStats(DAY)).started).toBe(1);
        expect((await store.dayStats(OTHER_DAY)).started).toBe(2);
      });

      test('concurrent starts by one visitor create exactly one conversation', async () => {
        await addVisitor('v1');
        const results = await Promise.allSettled(
          Array.from({ length: 8 }, (_, i) => start({ conversationId: `c${i}`, visitorId: 'v1' })),
        );
        const ok = results.filter((r) => r.status === 'fulfilled');
        expect(ok).toHaveLength(1);
        for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'already_active' });
        expect(await store.queuedConversations(null, 20)).toHaveLength(1);
      });

      test('concurrent starts never exceed maxQueued', async () => {
        await Promise.all(Array.from({ length: 10 }, (_, i) => addVisitor(`v${i}`)));
        const results = await Promise.allSettled(
          Array.from({ length: 10 }, (_, i) => start({ conversationId: `c${i}`, visitorId: `v${i}`, maxQueued: 4 })),
        );
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(4);
        for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'queue_full' });
        expect(await store.queuedConversations(null, 20)).toHaveLength(4);
      });
    });

    describe('reading conversations', () => {
      test('getConversation is null for an unknown id; getConversations keeps order with nulls', async () => {
        await start({ conversationId: 'c1' });
        await start({ conversationId: 'c2' });
        expect(await store.getConversation('nope')).toBeNull();
        const many = await store.getConversations(['c2', 'nope', 'c1']);
        expect(many.map((c) => c?.id ?? null)).toEqual(['c2', null, 'c1']);
        expect(await store.getConversations([])).toEqual([]);
      });

      test('mutating a returned conversation does not change the store', async () => {
        const { conversation } = await start({ conversationId: 'c1' });
        conversation.state = 'ended';
        conversation.lastSeq = 99;
        const read = await store.getConversation('c1');
        if (read) read.listenerId = 'forged';
        expect(await store.getConversation('c1')).toMatchObject({ state: 'queued', lastSeq: 0 });
        expect((await store.getConversation('c1'))?.listenerId).toBeUndefined();
      });
    });

    describe('queue order', () => {
      const seedQueue = async () => {
        await start({ conversationId: 'en-old', language: 'en', now: t0 });
        await start({ conversationId: 'en-new', language: 'en', now: t0 + 2_000 });
        await start({ conversationId: 'en-urgent', language: 'en', urgent: true, now: t0 + 3_000 });
        await start({ conversationId: 'fr-old', language: 'fr', now: t0 + 1_000 });
      };

      test('positions rank urgent first, then oldest, within each language queue', async () => {
        await seedQueue();
        expect(await store.queuePositions(['en-urgent', 'en-old', 'en-new', 'fr-old'])).toEqual([1, 2, 3, 1]);
      });

      test('startConversation answers the new position in its language queue', async () => {
        await start({ conversationId: 'a', now: t0 });
        const second = await start({ conversationId: 'b', now: t0 + 1_000 });
        const urgent = await start({ conversationId: 'c', urgent: true, now: t0 + 2_000 });
        const other = await start({ conversationId: 'd', language: 'nl', now: t0 + 3_000 });
        expect([second.position, urgent.position, other.position]).toEqual([2, 1, 1]);
      });

      test('among urgent conversations the oldest comes first', async () => {
        await start({ conversationId: 'u-new', urgent: true, now: t0 + 5_000 });
        await start({ conversationId: 'u-old', urgent: true, now: t0 + 1_000 });
        await start({ conversationId: 'plain', urgent: false, now: t0 });
        expect(await store.queuePositions(['u-old', 'u-new', 'plain'])).toEqual([1, 2, 3]);
      });

      test('a position is 0 for unknown, active and ended conversations', async () => {
        await activeChat('active', 'l1');
        await start({ conversationId: 'ended' });
        await store.endConversation(endInput('ended', { endedBy: 'visitor' }));
        expect(await store.queuePositions(['nope', 'active', 'ended'])).toEqual([0, 0, 0]);
        expect(await store.queuePositions([])).toEqual([]);
      });

      test('positions move up as conversations ahead leave the queue', async () => {
        await seedQueue();
        await store.endConversation(endInput('en-urgent', { endedBy: 'visitor' }));
        expect(await store.queuePositions(['en-old', 'en-new'])).toEqual([1, 2]);
      });

      test('queuedConversations lists all languages in routing order', async () => {
        await seedQueue();
        const ids = (await store.queuedConversations(null, 10)).map((c) => c.id);
        expect(ids).toEqual(['en-urgent', 'en-old', 'fr-old', 'en-new']);
      });

      test('queuedConversations filters by language and honours the limit', async () => {
        await seedQueue();
        expect((await store.queuedConversations(['fr'], 10)).map((c) => c.id)).toEqual(['fr-old']);
        expect((await store.queuedConversations(['en'], 2)).map((c) => c.id)).toEqual(['en-urgent', 'en-old']);
        expect((await store.queuedConversations(['nl'], 10))).toEqual([]);
        expect((await store.queuedConversations(null, 1)).map((c) => c.id)).toEqual(['en-urgent']);
      });

      test('queuedConversations returns full records in state queued', async () => {
        await seedQueue();
        const [first] = await store.queuedConversations(['fr'], 1);
        expect(first).toMatchObject({ id: 'fr-old', language: 'fr', state: 'queued', queuedAt: t0 + 1_000, urgent: false });
      });
    });

    describe('appendMessage', () => {
      test('a visitor may send while queued; seq starts at 1 and at is the ISO time', async () => {
        await start({ conversationId: 'c1', visitorId: 'v1' });
        const result = await store.appendMessage({ conversationId: 'c1', from: 'visitor', senderId: 'v1', text: 'hi', clientMsgId: 'msg-0001', now: t0 + 1_234 });
        expect(result.duplicate).toBe(false);
        expect(result.visitorId).toBe('v1');
        expect(result.listenerId).toBeUndefined();
        expect(result.message).toEqual({
          conversationId: 'c1', seq: 1, from: 'visitor', text: 'hi', at: new Date(t0 + 1_234).toISOString(), clientMsgId: 'msg-0001',
        });
        expect((await store.getConversation('c1'))?.lastSeq).toBe(1);
      });

      test('the visitor and their listener may both send while active', async () => {
        await activeChat('c1', 'l1', { visitorId: 'v1' });
        const fromVisitor = await send('c1', 'visitor', 'v1', 'msg-visitor');
        const fromListener = await send('c1', 'listener', 'l1', 'msg-listener');
        expect(fromVisitor.message).toMatchObject({ seq: 2, from: 'visitor' });
        expect(fromListener.message).toMatchObject({ seq: 3, from: 'listener', clientMsgId: 'msg-listener' });
        expect(fromListener.listenerId).toBe('l1');
        expect(fromListener.visitorId).toBe('v1');
      });

      test('an unknown conversation is not_found', async () => {
        await expectCode(send('nope', 'visitor', 'v1', 'msg-0001'), 'not_found');
      });

      test('another visitor gets not_chatting and nothing is stored', async () => {
        await start({ conversationId: 'c1', visitorId: 'v1' });
        await expectCode(send('c1', 'visitor', 'intruder', 'msg-0001'), 'not_chatting');
        expect(await store.readMessages('c1', 0)).toEqual([]);
        expect((await store.getConversation('c1'))?.lastSeq).toBe(0);
      });

      test('the visitor gets not_chatting once the conversation ended', async () => {
        await start({ conversationId: 'c1', visitorId: 'v1' });
        await store.endConversation(endInput('c1', { endedBy: 'visitor', visitorId: 'v1' }));
        await expectCode(send('c1', 'visitor', 'v1', 'msg-late-01'), 'not_chatting');
      });

      test('a listener gets not_yours while the conversation is queued', async () => {
        await start({ conversationId: 'c1' });
        await online('l1');
        await expectCode(send('c1', 'listener', 'l1', 'msg-0001'), 'not_yours');
        expect(await store.readMessages('c1', 0)).toEqual([]);
      });

      test("a listener gets not_yours on another listener's conversation", async () => {
        await activeChat('c1', 'l1');
        await online('l2');
        await expectCode(send('c1', 'listener', 'l2', 'msg-0001'), 'not_yours');
        expect((await store.getConversation('c1'))?.lastSeq).toBe(1);
      });

      test('the listener gets not_yours once the conversation ended', async () => {
        await activeChat('c1', 'l1');
        await store.endConversation(endInput('c1', { listenerId: 'l1' }));
        await expectCode(send('c1', 'listener', 'l1', 'msg-late-01'), 'not_yours');
      });

      test('sending the same clientMsgId again answers the original and stores nothing new', async () => {
        await start({ conversationId: 'c1', visitorId: 'v1' });
        const first = await send('c1', 'visitor', 'v1', 'msg-dup-01', 'original');
        const again = await store.appendMessage({ conversationId: 'c1', from: 'visitor', senderId: 'v1', text: 'changed', clientMsgId: 'msg-dup-01', now: t0 + 9_000 });
        expect(again.duplicate).toBe(true);
        expect(again.message).toEqual(first.message);
        expect(await store.readMessages('c1', 0)).toHaveLength(1);
        expect((await store.getConversation('c1'))?.lastSeq).toBe(1);
      });

      test('a retry after the conversation was assigned still answers the original', async () => {
        await start({ conversationId: 'c1', visitorId: 'v1' });
        const first = await send('c1', 'visitor', 'v1', 'msg-retry-1');
        await online('l1');
        await assign('c1', 'l1');
        const again = await send('c1', 'visitor', 'v1', 'msg-retry-1');
        expect(again).toMatchObject({ duplicate: true, message: first.message });
        expect((await store.getConversation('c1'))?.lastSeq).toBe(2);
      });

      test('de-duplication is per conversation', async () => {
        await start({ conversationId: 'c1', visitorId: 'v1' });
        await start({ conversationId: 'c2', visitorId: 'v2' });
        await send('c1', 'visitor', 'v1', 'msg-same-01');
        const other = await send('c2', 'visitor', 'v2', 'msg-same-01');
        expect(other.duplicate).toBe(false);
        expect(other.message.seq).toBe(1);
      });

      test('system messages take a seq too, in order with chat messages', async () => {
        await start({ conversationId: 'c1', visitorId: 'v1' });
        await send('c1', 'visitor', 'v1', 'msg-one-01');
        await online('l1');
        await assign('c1', 'l1');
        await send('c1', 'listener', 'l1', 'msg-two-02');
        await store.endConversation(endInput('c1', { listenerId: 'l1' }));
        const messages = await store.readMessages('c1', 0);
        expect(messages.map((m) => [m.seq, m.from, m.code])).toEqual([
          [1, 'visitor', undefined],
          [2, 'system', 'assigned'],
          [3, 'listener', undefined],
          [4, 'system', 'ended'],
        ]);
        expect((await store.getConversation('c1'))?.lastSeq).toBe(4);
      });

      test('50 concurrent appends get seqs 1..50 with no gap or repeat', async () => {
        await start({ conversationId: 'c1', visitorId: 'v1' });
        const results = await Promise.all(
          Array.from({ length: 50 }, (_, i) => send('c1', 'visitor', 'v1', `msg-conc-${String(i).padStart(3, '0')}`, `text ${i}`)),
        );
        const seqs = results.map((r) => r.message.seq).sort((a, b) => a - b);
        expect(seqs).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
        const stored = await store.readMessages('c1', 0);
        expect(stored.map((m) => m.seq)).toEqual(seqs);
        expect(new Set(stored.map((m) => m.clientMsgId)).size).toBe(50);
        expect((await store.getConversation('c1'))?.lastSeq).toBe(50);
      });

      test('concurrent sends of one clientMsgId store it once', async () => {
        await start({ conversationId: 'c1', visitorId: 'v1' });
        const results = await Promise.all(Array.from({ length: 10 }, () => send('c1', 'visitor', 'v1', 'msg-same-id')));
        expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
        expect(new Set(results.map((r) => r.message.seq))).toEqual(new Set([1]));
        expect(await store.readMessages('c1', 0)).toHaveLength(1);
      });
    });

    describe('readMessages', () => {
      test('returns messages after afterSeq, in order, up to limit', async () => {
        await start({ conversationId: 'c1', visitorId: 'v1' });
        for (let i = 1; i <= 5; i += 1) await send('c1', 'visitor', 'v1', `msg-read-${i}0`, `text ${i}`);
        expect((await store.readMessages('c1', 0)).map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
        expect((await store.readMessages('c1', 3)).map((m) => m.text)).toEqual(['text 4', 'text 5']);
        expect((await store.readMessages('c1', 1, 2)).map((m) => m.seq)).toEqual([2, 3]);
        expect(await store.readMessages('c1', 5)).toEqual([]);
      });

      test('an unknown conversation reads as empty', async () => {
        expect(await store.readMessages('nope', 0)).toEqual([]);
      });

      test('mutating a read message does not change the transcript', async () => {
        await start({ conversationId: 'c1', visitorId: 'v1' });
        await send('c1', 'visitor', 'v1', 'msg-copy-01', 'kept');
        const [message] = await store.readMessages('c1', 0);
        message.text = 'forged';
        expect((await store.readMessages('c1', 0))[0].text).toBe('kept');
      });
    });

    describe('assign', () => {
      test('makes the conversation active with the listener and a system message', async () => {
        await start({ conversationId: 'c1', visitorId: 'v1', firstMessage: { text: 'hi', clientMsgId: 'msg-first-1' } });
        await online('l1');
        const result = await assign('c1', 'l1', t0 + 7_000);
        expect(result.previousState).toBe('queued');
        expect(result.previousListenerId).toBeUndefined();
        expect(result.conversation).toMatchObject({ id: 'c1', state: 'active', listenerId: 'l1', assignedAt: t0 + 7_000, lastSeq: 2 });
        expect(result.message).toMatchObject({
          conversationId: 'c1', seq: 2, from: 'system', code: 'assigned', text: SYSTEM_TEXT.assigned, at: new Date(t0 + 7_000).toISOString(),
        });
        expect(await store.getConversation('c1')).toEqual(result.conversation);
      });

      test('removes the conversation from the queue', async () => {
        await start({ conversationId: 'c1' });
        await start({ conversationId: 'c2', now: t0 + 1_000 });
        await online('l1');
        await assign('c1', 'l1');
        expect(await store.queuePositions(['c1', 'c2'])).toEqual([0, 1]);
        expect((await store.queuedConversations(null, 10)).map((c) => c.id)).toEqual(['c2']);
      });

      test("raises the listener's load and lastAssignedAt", async () => {
        await start({ conversationId: 'c1' });
        await online('l1');
        await assign('c1', 'l1', t0 + 7_000);
        expect(await store.getPresence('l1')).toMatchObject({ load: 1, lastAssignedAt: t0 + 7_000 });
        expect((await store.listenerConversations('l1')).map((c) => c.id)).toEqual(['c1']);
        expect(await store.activeCount()).toBe(1);
      });

      test('counts the conversation answered today with its wait in whole seconds', async () => {
        await start({ conversationId: 'c1' });
        await online('l1');
        await assign('c1', 'l1', t0 + 7_000);
        const stats = await store.dayStats(DAY);
        expect(stats.answered).toBe(1);
        expect(stats.waits).toEqual([7]);
        expect(await store.recentWaits(t0)).toEqual([7]);
        expect(await store.recentWaits(t0 + 8_000)).toEqual([]);
      });

      test('an unknown conversation is not_found', async () => {
        await online('l1');
        await expectCode(assign('nope', 'l1'), 'not_found');
      });

      test('an active conversation is already_taken and keeps its listener', async () => {
        await activeChat('c1', 'l1');
        await online('l2');
        await expectCode(assign('c1', 'l2'), 'already_taken');
        expect((await store.getConversation('c1'))?.listenerId).toBe('l1');
        expect((await store.getPresence('l2'))?.load).toBe(0);
      });

      test('an ended conversation is already_taken', async () => {
        await start({ conversationId: 'c1' });
        await store.endConversation(endInput('c1', { endedBy: 'visitor' }));
        await online('l1');
        await expectCode(assign('c1', 'l1'), 'already_taken');
      });

      test('a listener at maxConcurrent is at_capacity and nothing changes', async () => {
        await online('l1', { maxConcurrent: 1 });
        await activeChat('c1', 'l1');
        await start({ conversationId: 'c2', visitorId: 'v2' });
        await expectCode(assign('c2', 'l1'), 'at_capacity');
        expect(await store.getConversation('c2')).toMatchObject({ state: 'queued', lastSeq: 0 });
        expect(await store.queuePositions(['c2'])).toEqual([1]);
        expect((await store.getPresence('l1'))?.load).toBe(1);
        expect((await store.dayStats(DAY)).answered).toBe(1);
      });

      test('a listener without presence is not_available', async () => {
        await start({ conversationId: 'c1' });
        await expectCode(assign('c1', 'ghost'), 'not_available');
        await expectCode(assign('c1', 'ghost', t0, true), 'not_available');
      });

      test('an away listener is not_available for routing but may accept by hand', async () => {
        await start({ conversationId: 'c1' });
        await online('l1', { status: 'away' });
        await expectCode(assign('c1', 'l1'), 'not_available');
        expect((await store.getConversation('c1'))?.state).toBe('queued');
        const manual = await assign('c1', 'l1', t0 + 5_000, true);
        expect(manual.conversation).toMatchObject({ state: 'active', listenerId: 'l1' });
      });

      test('a listener with no open connection is not_available, even by hand', async () => {
        await start({ conversationId: 'c1' });
        await online('l1');
        await store.listenerDisconnected('l1');
        await expectCode(assign('c1', 'l1'), 'not_available');
        await expectCode(assign('c1', 'l1', t0, true), 'not_available');
        expect((await store.getPresence('l1'))?.load).toBe(0);
      });

      test('a listener who does not speak the language is not_available, even by hand', async () => {
        await start({ conversationId: 'c1', language: 'nl' });
        await online('l1', { languages: ['fr', 'en'] });
        await expectCode(assign('c1', 'l1'), 'not_available');
        await expectCode(assign('c1', 'l1', t0, true), 'not_available');
        expect(await store.queuePositions(['c1'])).toEqual([1]);
      });

      test('a failed assign appends no message and counts nothing', async () => {
        await start({ conversationId: 'c1' });
        await online('l1', { status: 'away' });
        await expectCode(assign('c1', 'l1'), 'not_available');
        expect(await store.readMessages('c1', 0)).toEqual([]);
        expect((await store.dayStats(DAY)).answered).toBe(0);
        expect(await store.activeCount()).toBe(0);
      });

      test('of 20 concurrent assigns of one conversation exactly one wins; the rest are already_taken', async () => {
        await start({ conversationId: 'c1' });
        const listeners = Array.from({ length: 20 }, (_, i) => `l${i}`);
        for (const id of listeners) await online(id);
        const results = await Promise.allSettled(listeners.map((id) => assign('c1', id)));
        const winners = results.filter((r) => r.status === 'fulfilled');
        expect(winners).toHaveLength(1);
        for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'already_taken' });
        const conversation = await store.getConversation('c1');
        const loads = await Promise.all(listeners.map(async (id) => (await store.getPresence(id))?.load ?? 0));
        expect(loads.reduce((a, b) => a + b, 0)).toBe(1);
        expect(loads[listeners.indexOf(conversation?.listenerId ?? '')]).toBe(1);
        expect((await store.readMessages('c1', 0)).filter((m) => m.code === 'assigned')).toHaveLength(1);
        expect((await store.dayStats(DAY)).answered).toBe(1);
      });

      test('concurrent assigns to one listener never exceed maxConcurrent', async () => {
        await online('l1', { maxConcurrent: 2 });
        for (let i = 0; i < 6; i += 1) await start({ conversationId: `c${i}`, now: t0 + i });
        const results = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => assign(`c${i}`, 'l1')));
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
        for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'at_capacity' });
        expect((await store.getPresence('l1'))?.load).toBe(2);
        expect(await store.queuedConversations(null, 10)).toHaveLength(4);
      });
    });

    describe('requeue', () => {
      test('a lost listener puts the conversation back at the front of its queue', async () => {
        await activeChat('c1', 'l1');
        await start({ conversationId: 'c2', now: t0 + 1_000 });
        const result = await store.requeue({ conversationId: 'c1', listenerId: 'l1', code: 'listener_lost', now: t0 + 30_000 });
        expect(result.previousState).toBe('active');
        expect(result.previousListenerId).toBe('l1');
        expect(result.conversation).toMatchObject({ state: 'queued', queuedAt: t0, startedAt: t0 });
        expect(result.conversation.listenerId).toBeUndefined();
        expect(await store.queuePositions(['c1', 'c2'])).toEqual([1, 2]);
        expect((await store.queuedConversations(['en'], 10)).map((c) => c.id)).toEqual(['c1', 'c2']);
      });

      test('appends a system message with the given code and its fallback text', async () => {
        await activeChat('c1', 'l1');
        const lost = await store.requeue({ conversationId: 'c1', listenerId: 'l1', code: 'listener_lost', now: t0 + 30_000 });
        expect(lost.message).toMatchObject({ seq: 2, from: 'system', code: 'listener_lost', text: SYSTEM_TEXT.listener_lost });
        await online('l2');
        await assign('c1', 'l2', t0 + 40_000);
        const moved = await store.requeue({ conversationId: 'c1', listenerId: 'l2', code: 'transferred', now: t0 + 50_000 });
        expect(moved.message).toMatchObject({ seq: 4, code: 'transferred', text: SYSTEM_TEXT.transferred });
      });

      test("lowers the listener's load and removes the conversation from their list", async () => {
        await activeChat('c1', 'l1');
        await store.requeue({ conversationId: 'c1', listenerId: 'l1', code: 'listener_lost', now: t0 + 30_000 });
        expect((await store.getPresence('l1'))?.load).toBe(0);
        expect(await store.listenerConversations('l1')).toEqual([]);
        expect(await store.activeCount()).toBe(0);
      });

      test('a requeued conversation can be assigned again', async () => {
        await activeChat('c1', 'l1');
        await store.requeue({ conversationId: 'c1', listenerId: 'l1', code: 'transferred', now: t0 + 30_000 });
        await online('l2');
        const again = await assign('c1', 'l2', t0 + 40_000);
        expect(again.conversation).toMatchObject({ state: 'active', listenerId: 'l2', assignedAt: t0 + 40_000 });
      });

      test('an answer after a requeue counts neither answered nor its wait a second time', async () => {
        await activeChat('c1', 'l1');
        await store.requeue({ conversationId: 'c1', listenerId: 'l1', code: 'listener_lost', now: t0 + 30_000 });
        await online('l2');
        await assign('c1', 'l2', t0 + 40_000);
        const stats = await store.dayStats(DAY);
        expect(stats.answered).toBe(1);
        expect(stats.waits).toEqual([5]);
        expect(await store.recentWaits(t0)).toEqual([5]);
      });

      test('the duration runs from the first answer, across a requeue', async () => {
        await activeChat('c1', 'l1');
        await store.requeue({ conversationId: 'c1', listenerId: 'l1', code: 'listener_lost', now: t0 + 30_000 });
        await online('l2');
        await assign('c1', 'l2', t0 + 40_000);
        await store.endConversation(endInput('c1', { listenerId: 'l2', now: t0 + 65_000 }));
        expect((await store.dayStats(DAY)).durations).toEqual([60]);
      });

      test('an unknown conversation is not_found', async () => {
        await expectCode(store.requeue({ conversationId: 'nope', listenerId: 'l1', code: 'listener_lost', now: t0 }), 'not_found');
      });

      test("another listener's conversation is not_yours and stays unchanged", async () => {
        await activeChat('c1', 'l1');
        await online('l2');
        await expectCode(store.requeue({ conversationId: 'c1', listenerId: 'l2', code: 'listener_lost', now: t0 }), 'not_yours');
        expect(await store.getConversation('c1')).toMatchObject({ state: 'active', listenerId: 'l1', lastSeq: 1 });
        expect((await store.getPresence('l1'))?.load).toBe(1);
      });

      test('an ended conversation is not_chatting', async () => {
        await activeChat('c1', 'l1');
        await store.endConversation(endInput('c1', { listenerId: 'l1' }));
        await expectCode(store.requeue({ conversationId: 'c1', listenerId: 'l1', code: 'listener_lost', now: t0 + 90_000 }), 'not_chatting');
        expect((await store.getConversation('c1'))?.state).toBe('ended');
      });
    });

    describe('transfer', () => {
      test('hands an active conversation to another listener with a system message', async () => {
        await activeChat('c1', 'l1');
        await online('l2');
        const result = await store.transfer({ conversationId: 'c1', fromListenerId: 'l1', toListenerId: 'l2', now: t0 + 20_000 });
        expect(result.previousState).toBe('active');
        expect(result.previousListenerId).toBe('l1');
        expect(result.conversation).toMatchObject({ state: 'active', listenerId: 'l2', assignedAt: t0 + 20_000 });
        expect(result.message).toMatchObject({ seq: 2, from: 'system', code: 'transferred', text: SYSTEM_TEXT.transferred });
        expect((await store.getPresence('l1'))?.load).toBe(0);
        expect((await store.getPresence('l2'))?.load).toBe(1);
        expect(await store.listenerConversations('l1')).toEqual([]);
        expect((await store.listenerConversations('l2')).map((c) => c.id)).toEqual(['c1']);
        expect(await store.activeCount()).toBe(1);
      });

      test('the duration runs from the first answer, across a transfer', async () => {
        await activeChat('c1', 'l1');
        await online('l2');
        await store.transfer({ conversationId: 'c1', fromListenerId: 'l1', toListenerId: 'l2', now: t0 + 20_000 });
        await store.endConversation(endInput('c1', { listenerId: 'l2', now: t0 + 65_000 }));
        const stats = await store.dayStats(DAY);
        expect(stats.durations).toEqual([60]);
        expect(stats.answered).toBe(1);
      });

      test('the new listener may write, the old one no longer', async () => {
        await activeChat('c1', 'l1');
        await online('l2');
        await store.transfer({ conversationId: 'c1', fromListenerId: 'l1', toListenerId: 'l2', now: t0 + 20_000 });
        await expectCode(send('c1', 'listener', 'l1', 'msg-old-001'), 'not_yours');
        expect((await send('c1', 'listener', 'l2', 'msg-new-001')).message.seq).toBe(3);
      });

      test('an away listener with an open connection may receive a transfer', async () => {
        await activeChat('c1', 'l1');
        await online('l2', { status: 'away' });
        const result = await store.transfer({ conversationId: 'c1', fromListenerId: 'l1', toListenerId: 'l2', now: t0 + 20_000 });
        expect(result.conversation.listenerId).toBe('l2');
      });

      test('a target without presence or connection is not_available and nothing changes', async () => {
        await activeChat('c1', 'l1');
        await expectCode(store.transfer({ conversationId: 'c1', fromListenerId: 'l1', toListenerId: 'ghost', now: t0 }), 'not_available');
        await online('l2');
        await store.listenerDisconnected('l2');
        await expectCode(store.transfer({ conversationId: 'c1', fromListenerId: 'l1', toListenerId: 'l2', now: t0 }), 'not_available');
        expect(await store.getConversation('c1')).toMatchObject({ listenerId: 'l1', lastSeq: 1 });
        expect((await store.getPresence('l1'))?.load).toBe(1);
        expect((await store.getPresence('l2'))?.load).toBe(0);
      });

      test('a target who does not speak the language is not_available', async () => {
        await activeChat('c1', 'l1', { language: 'fr' });
        await online('l2', { languages: ['nl'] });
        await expectCode(store.transfer({ conversationId: 'c1', fromListenerId: 'l1', toListenerId: 'l2', now: t0 }), 'not_available');
      });

      test('a target at capacity is at_capacity and nothing changes', async () => {
        await activeChat('c1', 'l1');
        await online('l2', { maxConcurrent: 1 });
        await activeChat('c2', 'l2');
        await expectCode(store.transfer({ conversationId: 'c1', fromListenerId: 'l1', toListenerId: 'l2', now: t0 }), 'at_capacity');
        expect((await store.getConversation('c1'))?.listenerId).toBe('l1');
        expect((await store.getPresence('l2'))?.load).toBe(1);
      });

      test('only the current listener may transfer: others get not_yours', async () => {
        await activeChat('c1', 'l1');
        await online('l2');
        await online('l3');
        await expectCode(store.transfer({ conversationId: 'c1', fromListenerId: 'l3', toListenerId: 'l2', now: t0 }), 'not_yours');
        expect((await store.getConversation('c1'))?.listenerId).toBe('l1');
      });

      test('an unknown conversation is not_found', async () => {
        await online('l2');
        await expectCode(store.transfer({ conversationId: 'nope', fromListenerId: 'l1', toListenerId: 'l2', now: t0 }), 'not_found');
      });
    });

    describe('endConversation', () => {
      test('a visitor leaving the queue ends it, counts it abandoned and appends ended', async () => {
        await start({ conversationId: 'c1', visitorId: 'v1' });
        await start({ conversationId: 'c2', now: t0 + 1_000 });
        const result = await store.endConversation(endInput('c1', { endedBy: 'visitor', visitorId: 'v1', reason: 'quick_exit', now: t0 + 10_000 }));
        expect(result.previousState).toBe('queued');
        expect(result.conversation).toMatchObject({ state: 'ended', endedAt: t0 + 10_000, endedBy: 'visitor', reason: 'quick_exit' });
        expect(result.message).toMatchObject({ seq: 1, from: 'system', code: 'ended', text: SYSTEM_TEXT.ended });
        expect(await store.queuePositions(['c1', 'c2'])).toEqual([0, 1]);
        expect((await store.dayStats(DAY)).abandoned).toBe(1);
        expect((await store.dayStats(DAY)).durations).toEqual([]);
      });

      test("ending an active chat frees the listener and records its duration from assignment", async () => {
        await activeChat('c1', 'l1');
        const outcome = { topics: ['family'], risk: 'low' as const, note: 'follow up' };
        const result = await store.endConversation(endInput('c1', { listenerId: 'l1', reason: 'listener_ended', outcome, now: t0 + 65_000 }));
        expect(result.previousState).toBe('active');
        expect(result.previousListenerId).toBe('l1');
        expect(result.conversation).toMatchObject({ state: 'ended', endedBy: 'listener', listenerId: 'l1', lastSeq: 2 });
        expect(result.message).toMatchObject({ seq: 2, code: 'ended' });
        expect((await store.getPresence('l1'))?.load).toBe(0);
        expect(await store.listenerConversations('l1')).toEqual([]);
        expect(await store.activeCount()).toBe(0);
        expect((await store.dayStats(DAY)).durations).toEqual([60]);
        expect((await store.dayStats(DAY)).abandoned).toBe(0);
      });

      test('the system may end a conversation without naming anyone', async () => {
        await activeChat('c1', 'l1');
        const result = await store.endConversation(endInput('c1', { endedBy: 'system', reason: 'grace_expired' }));
        expect(result.conversation).toMatchObject({ state: 'ended', endedBy: 'system', reason: 'grace_expired' });
      });

      test('ending an ended conversation changes nothing and appends no message', async () => {
        await activeChat('c1', 'l1', { visitorId: 'v1' });
        await store.endConversation(endInput('c1', { listenerId: 'l1' }));
        const before = await store.getConversation('c1');
        const again = await store.endConversation(endInput('c1', { endedBy: 'visitor', visitorId: 'v1', now: t0 + 99_000 }));
        expect(again.previousState).toBe('ended');
        expect(again.message).toBeUndefined();
        expect(again.conversation).toEqual(before);
        expect(await store.getConversation('c1')).toEqual(before);
        expect(await store.readMessages('c1', 0)).toHaveLength(2);
        expect((await store.dayStats(DAY)).durations).toEqual([60]);
      });

      test('an unknown conversation is not_found', async () => {
        await expectCode(store.endConversation(endInput('nope')), 'not_found');
      });

      test("a listener ending another listener's conversation gets not_yours and nothing changes", async () => {
        await activeChat('c1', 'l1');
        await expectCode(store.endConversation(endInput('c1', { listenerId: 'l2' })), 'not_yours');
        expect(await store.getConversation('c1')).toMatchObject({ state: 'active', lastSeq: 1 });
        expect((await store.getPresence('l1'))?.load).toBe(1);
      });

      test("a visitor ending another visitor's conversation gets not_chatting and nothing changes", async () => {
        await start({ conversationId: 'c1', visitorId: 'v1' });
        await expectCode(store.endConversation(endInput('c1', { endedBy: 'visitor', visitorId: 'v2' })), 'not_chatting');
        expect((await store.getConversation('c1'))?.state).toBe('queued');
        expect(await store.queuePositions(['c1'])).toEqual([1]);
        expect((await store.dayStats(DAY)).abandoned).toBe(0);
      });

      test('blockVisitorUntil blocks the visitor', async () => {
        await activeChat('c1', 'l1', { visitorId: 'v1' });
        await store.endConversation(endInput('c1', { listenerId: 'l1', reason: 'blocked', blockVisitorUntil: t0 + 3_600_000 }));
        expect((await store.getVisitor('v1'))?.blockedUntil).toBe(t0 + 3_600_000);
      });

      test('the transcript stays readable right after the end', async () => {
        await activeChat('c1', 'l1', { visitorId: 'v1' });
        await store.endConversation(endInput('c1', { listenerId: 'l1', retentionSeconds: 1 }));
        expect((await store.readMessages('c1', 0)).map((m) => m.code)).toEqual(['assigned', 'ended']);
      });

      test('transcript and conversation are deleted retentionSeconds after the end; live ones stay', async () => {
        await start({ conversationId: 'c1', visitorId: 'v1', firstMessage: { text: 'secret', clientMsgId: 'msg-secret' } });
        await start({ conversationId: 'c2', visitorId: 'v2', firstMessage: { text: 'still here', clientMsgId: 'msg-still' } });
        await store.endConversation(endInput('c1', { endedBy: 'visitor', visitorId: 'v1', retentionSeconds: 1 }));
        await sleep(1_500);
        expect(await store.readMessages('c1', 0)).toEqual([]);
        expect(await store.getConversation('c1')).toBeNull();
        expect(await store.getConversations(['c1', 'c2'])).toEqual([null, expect.objectContaining({ id: 'c2' })]);
        await expectCode(send('c1', 'visitor', 'v1', 'msg-secret'), 'not_found');
        expect(await store.readMessages('c2', 0)).toHaveLength(1);
      });

      test('concurrent ends of one conversation append one ended message and count once', async () => {
        await activeChat('c1', 'l1', { visitorId: 'v1' });
        const results = await Promise.all(
          Array.from({ length: 5 }, (_, i) => store.endConversation(endInput('c1', i % 2 ? { endedBy: 'visitor', visitorId: 'v1' } : { listenerId: 'l1' }))),
        );
        expect(results.filter((r) => r.message !== undefined)).toHaveLength(1);
        expect((await store.readMessages('c1', 0)).filter((m) => m.code === 'ended')).toHaveLength(1);
        expect((await store.dayStats(DAY)).durations).toHaveLength(1);
        expect((await store.getPresence('l1'))?.load).toBe(0);
      });
    });

    describe('flags', () => {
      test('the listener flags their active conversation; it is listed as flagged', async () => {
        await activeChat('c1', 'l1');
        await activeChat('c2', 'l1');
        const flagged = await store.flagConversation({ conversationId: 'c1', listenerId: 'l1', level: 'urgent', now: t0 + 9_000 });
        expect(flagged).toMatchObject({ id: 'c1', flag: 'urgent', flaggedAt: t0 + 9_000 });
        expect((await store.flaggedConversations()).map((c) => c.id)).toEqual(['c1']);
      });

      test('flagging again changes the level and keeps the first flaggedAt', async () => {
        await activeChat('c1', 'l1');
        await store.flagConversation({ conversationId: 'c1', listenerId: 'l1', level: 'support', now: t0 + 9_000 });
        const raised = await store.flagConversation({ conversationId: 'c1', listenerId: 'l1', level: 'urgent', now: t0 + 19_000 });
        expect(raised).toMatchObject({ flag: 'urgent', flaggedAt: t0 + 9_000 });
        expect(await store.getConversation('c1')).toMatchObject({ flag: 'urgent', flaggedAt: t0 + 9_000 });
      });

      test('an ended conversation is no longer listed as flagged', async () => {
        await activeChat('c1', 'l1');
        await store.flagConversation({ conversationId: 'c1', listenerId: 'l1', level: 'support', now: t0 + 9_000 });
        await store.endConversation(endInput('c1', { listenerId: 'l1' }));
        expect(await store.flaggedConversations()).toEqual([]);
      });

      test('flag errors: not_found, not_yours, not_chatting', async () => {
        await expectCode(store.flagConversation({ conversationId: 'nope', listenerId: 'l1', level: 'support', now: t0 }), 'not_found');
        await activeChat('c1', 'l1');
        await expectCode(store.flagConversation({ conversationId: 'c1', listenerId: 'l2', level: 'support', now: t0 }), 'not_yours');
        await store.endConversation(endInput('c1', { listenerId: 'l1' }));
        await expectCode(store.flagConversation({ conversationId: 'c1', listenerId: 'l1', level: 'support', now: t0 }), 'not_chatting');
        expect((await store.getConversation('c1'))?.flag).toBeUndefined();
      });
    });

    describe('saveFeedback', () => {
      const feedback = (conversationId: string, visitorId: string) =>
        store.saveFeedback({ conversationId, visitorId, rating: 4, comment: 'thanks', now: t0 + 70_000, day: DAY });

      test('the visitor rates an ended conversation once', async () => {
        await activeChat('c1', 'l1', { visitorId: 'v1' });
        await store.endConversation(endInput('c1', { listenerId: 'l1' }));
        await expect(feedback('c1', 'v1')).resolves.toBeUndefined();
        expect((await store.getConversation('c1'))?.rated).toBe(true);
        await expectCode(feedback('c1', 'v1'), 'already_rated');
      });

      test('feedback before the end is not_ended', async () => {
        await activeChat('c1', 'l1', { visitorId: 'v1' });
        await expectCode(feedback('c1', 'v1'), 'not_ended');
        expect((await store.getConversation('c1'))?.rated).toBeFalsy();
      });

      test("feedback on an unknown or another visitor's conversation is not_found", async () => {
        await start({ conversationId: 'c1', visitorId: 'v1' });
        await store.endConversation(endInput('c1', { endedBy: 'visitor', visitorId: 'v1' }));
        await expectCode(feedback('nope', 'v1'), 'not_found');
        await expectCode(feedback('c1', 'v2'), 'not_found');
        expect((await store.getConversation('c1'))?.rated).toBeFalsy();
      });

      test('concurrent feedback is saved once', async () => {
        await start({ conversationId: 'c1', visitorId: 'v1' });
        await store.endConversation(endInput('c1', { endedBy: 'visitor', visitorId: 'v1' }));
        const results = await Promise.allSettled(Array.from({ length: 5 }, () => feedback('c1', 'v1')));
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'already_rated' });
      });
    });

    describe('active conversation views', () => {
      test("listenerConversations lists only that listener's active conversations", async () => {
        await activeChat('a1', 'l1');
        await activeChat('a2', 'l1');
        await activeChat('b1', 'l2');
        await start({ conversationId: 'q1' });
        const mine = (await store.listenerConversations('l1')).map((c) => c.id).sort();
        expect(mine).toEqual(['a1', 'a2']);
        expect(await store.listenerConversations('nobody')).toEqual([]);
        expect(await store.activeCount()).toBe(3);
      });
    });

    describe('presence', () => {
      test('a first connection creates an available presence with no load', async () => {
        const presence = await store.listenerConnected({ userId: 'l1', displayName: 'Ann', languages: ['fr'], maxConcurrent: 2, now: t0 });
        expect(presence).toEqual({
          userId: 'l1', displayName: 'Ann', status: 'available', connections: 1, load: 0, maxConcurrent: 2, languages: ['fr'], lastAssignedAt: 0,
        });
        expect(await store.getPresence('l1')).toEqual(presence);
      });

      test('another connection counts up, keeps the status and refreshes the profile', async () => {
        await online('l1', { languages: ['fr'], maxConcurrent: 2 });
        await store.setListenerStatus('l1', 'away');
        const presence = await store.listenerConnected({ userId: 'l1', displayName: 'Ann B', languages: ['fr', 'nl'], maxConcurrent: 4, now: t0 });
        expect(presence).toMatchObject({ displayName: 'Ann B', status: 'away', connections: 2, languages: ['fr', 'nl'], maxConcurrent: 4 });
      });

      test('a reconnect keeps the load and lastAssignedAt', async () => {
        await activeChat('c1', 'l1');
        await store.listenerDisconnected('l1');
        const back = await store.listenerConnected({ userId: 'l1', displayName: 'x', languages: ALL_LANGUAGES, maxConcurrent: 3, now: t0 });
        expect(back).toMatchObject({ connections: 1, load: 1, lastAssignedAt: t0 + 5_000 });
      });

      test('disconnections count down, never below 0', async () => {
        await online('l1');
        await online('l1');
        expect((await store.listenerDisconnected('l1'))?.connections).toBe(1);
        expect((await store.listenerDisconnected('l1'))?.connections).toBe(0);
        expect((await store.listenerDisconnected('l1'))?.connections).toBe(0);
        expect(await store.listenerDisconnected('ghost')).toBeNull();
      });

      test('setListenerStatus changes the status of a known listener only', async () => {
        await online('l1');
        expect((await store.setListenerStatus('l1', 'away'))?.status).toBe('away');
        expect((await store.getPresence('l1'))?.status).toBe('away');
        expect((await store.setListenerStatus('l1', 'available'))?.status).toBe('available');
        expect(await store.setListenerStatus('ghost', 'away')).toBeNull();
        expect(await store.getPresence('ghost')).toBeNull();
      });

      test('listPresence lists every listener; removePresence forgets one who is gone', async () => {
        await online('l1');
        await online('l2');
        expect((await store.listPresence()).map((p) => p.userId).sort()).toEqual(['l1', 'l2']);
        await store.listenerDisconnected('l2');
        await store.removePresence('l2');
        expect(await store.getPresence('l2')).toBeNull();
        expect((await store.listPresence()).map((p) => p.userId)).toEqual(['l1']);
      });

      test('mutating a returned presence does not change the store', async () => {
        const presence = await store.listenerConnected({ userId: 'l1', displayName: 'Ann', languages: ['fr'], maxConcurrent: 2, now: t0 });
        presence.languages.push('nl');
        presence.load = 5;
        expect(await store.getPresence('l1')).toMatchObject({ languages: ['fr'], load: 0 });
      });

      test('concurrent connections are all counted', async () => {
        await Promise.all(Array.from({ length: 10 }, () => online('l1')));
        expect((await store.getPresence('l1'))?.connections).toBe(10);
      });
    });

    describe('users', () => {
      test('a created user is found by id and by username, ignoring case', async () => {
        const created = await store.createUser(userRecord('u1', 'Alice'));
        expect(created).toEqual(userRecord('u1', 'Alice'));
        expect(await store.getUser('u1')).toEqual(created);
        expect(await store.findUserByUsername('alice')).toEqual(created);
        expect(await store.findUserByUsername('ALICE')).toEqual(created);
        expect(await store.findUserByUsername('bob')).toBeNull();
        expect(await store.getUser('nope')).toBeNull();
      });

      test('a username taken in any case is username_taken and nothing changes', async () => {
        await store.createUser(userRecord('u1', 'alice'));
        await expectCode(store.createUser(userRecord('u2', 'ALICE')), 'username_taken');
        expect(await store.getUser('u2')).toBeNull();
        expect((await store.listUsers()).map((u) => u.id)).toEqual(['u1']);
      });

      test('listUsers lists every user', async () => {
        await store.createUser(userRecord('u1', 'alice'));
        await store.createUser(userRecord('u2', 'bob', 'supervisor'));
        expect((await store.listUsers()).map((u) => u.id).sort()).toEqual(['u1', 'u2']);
      });

      test('updateUser applies the patch and keeps the rest', async () => {
        await store.createUser(userRecord('u1', 'alice'));
        const updated = await store.updateUser('u1', { displayName: 'Alice B', languages: ['fr', 'nl'], maxConcurrent: 4, active: false, passwordHash: 'new-hash' });
        expect(updated).toEqual({ ...userRecord('u1', 'alice'), displayName: 'Alice B', languages: ['fr', 'nl'], maxConcurrent: 4, active: false, passwordHash: 'new-hash' });
        expect(await store.getUser('u1')).toEqual(updated);
        expect(await store.updateUser('nope', { active: false })).toBeNull();
      });

      test('mutating a returned user does not change the store', async () => {
        const created = await store.createUser(userRecord('u1', 'alice'));
        created.languages.push('fr');
        const read = await store.getUser('u1');
        if (read) read.role = 'supervisor';
        expect(await store.getUser('u1')).toEqual(userRecord('u1', 'alice'));
      });

      test('concurrent creations of one username succeed once', async () => {
        const results = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => store.createUser(userRecord(`u${i}`, i % 2 ? 'Sam' : 'sam'))));
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        expect(await store.listUsers()).toHaveLength(1);
      });
    });

    describe('first supervisor', () => {
      test('hasSupervisor is false on an empty store', async () => {
        expect(await store.hasSupervisor()).toBe(false);
      });

      test('the first supervisor is created while none exists, then already_set_up', async () => {
        await store.createFirstSupervisor(userRecord('s1', 'boss', 'supervisor'));
        expect(await store.hasSupervisor()).toBe(true);
        await expectCode(store.createFirstSupervisor(userRecord('s2', 'boss2', 'supervisor')), 'already_set_up');
        expect(await store.getUser('s2')).toBeNull();
      });

      test('a listener does not count as a supervisor; their username is still username_taken', async () => {
        await store.createUser(userRecord('u1', 'alice'));
        expect(await store.hasSupervisor()).toBe(false);
        await expectCode(store.createFirstSupervisor(userRecord('s1', 'Alice', 'supervisor')), 'username_taken');
        expect(await store.hasSupervisor()).toBe(false);
      });

      test('a supervisor created or promoted through createUser/updateUser counts', async () => {
        await store.createUser(userRecord('u1', 'alice'));
        await store.updateUser('u1', { role: 'supervisor' });
        expect(await store.hasSupervisor()).toBe(true);
        await expectCode(store.createFirstSupervisor(userRecord('s1', 'boss', 'supervisor')), 'already_set_up');
      });

      test('of concurrent first-supervisor requests exactly one succeeds', async () => {
        const results = await Promise.allSettled(
          Array.from({ length: 5 }, (_, i) => store.createFirstSupervisor(userRecord(`s${i}`, `boss${i}`, 'supervisor'))),
        );
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'already_set_up' });
        expect(await store.listUsers()).toHaveLength(1);
      });
    });

    describe('sessions', () => {
      const IDLE = 600;
      const session = (id: string, userId: string): SessionRecord => ({
        id, userId, createdAt: t0, lastSeenAt: t0, expiresAt: t0 + 12 * HOUR * 1000,
      });

      test('touchSession returns the live session with lastSeenAt moved to now', async () => {
        await store.createSession(session('s1', 'u1'));
        const touched = await store.touchSession('s1', t0 + 60_000, IDLE);
        expect(touched).toEqual({ ...session('s1', 'u1'), lastSeenAt: t0 + 60_000 });
        expect(await store.touchSession('nope', t0, IDLE)).toBeNull();
      });

      test('a session idle longer than idleSeconds is gone for good', async () => {
        await store.createSession(session('s1', 'u1'));
        expect(await store.touchSession('s1', t0 + IDLE * 1000 + 1_000, IDLE)).toBeNull();
        expect(await store.touchSession('s1', t0 + IDLE * 1000 + 2_000, IDLE * 100)).toBeNull();
      });

      test('touching slides the idle window', async () => {
        await store.createSession(session('s1', 'u1'));
        let at = t0;
        for (let i = 0; i < 4; i += 1) {
          at += (IDLE - 60) * 1000;
          expect(await store.touchSession('s1', at, IDLE)).not.toBeNull();
        }
        expect(at - t0).toBeGreaterThan(IDLE * 1000);
      });

      test('a session past its absolute expiry is gone even when active', async () => {
        await store.createSession({ ...session('s1', 'u1'), expiresAt: t0 + 900_000 });
        expect(await store.touchSession('s1', t0 + 500_000, IDLE)).not.toBeNull();
        expect(await store.touchSession('s1', t0 + 900_001, IDLE)).toBeNull();
      });

      test('deleteSession ends one session', async () => {
        await store.createSession(session('s1', 'u1'));
        await store.createSession(session('s2', 'u1'));
        await store.deleteSession('s1');
        expect(await store.touchSession('s1', t0 + 1_000, IDLE)).toBeNull();
        expect(await store.touchSession('s2', t0 + 1_000, IDLE)).not.toBeNull();
      });

      test("deleteUserSessions ends all of a user's sessions and returns their ids", async () => {
        await store.createSession(session('s1', 'u1'));
        await store.createSession(session('s2', 'u1'));
        await store.createSession(session('s3', 'u2'));
        expect((await store.deleteUserSessions('u1')).sort()).toEqual(['s1', 's2']);
        expect(await store.touchSession('s1', t0 + 1_000, IDLE)).toBeNull();
        expect(await store.touchSession('s2', t0 + 1_000, IDLE)).toBeNull();
        expect(await store.touchSession('s3', t0 + 1_000, IDLE)).not.toBeNull();
        expect(await store.deleteUserSessions('u1')).toEqual([]);
      });
    });

    describe('statistics', () => {
      test('a day without activity has zero counts', async () => {
        expect(await store.dayStats('2001-01-01')).toEqual({ started: 0, answered: 0, abandoned: 0, waits: [], durations: [] });
        expect(await store.recentWaits(0)).toEqual([]);
      });

      test('counts started, answered, abandoned, waits and durations of the day', async () => {
        await start({ conversationId: 'c1' });
        await start({ conversationId: 'c2' });
        await start({ conversationId: 'c3' });
        await online('l1');
        await assign('c1', 'l1', t0 + 4_000);
        await assign('c2', 'l1', t0 + 9_000);
        await store.endConversation(endInput('c1', { listenerId: 'l1', now: t0 + 124_000 }));
        await store.endConversation(endInput('c3', { endedBy: 'visitor' }));
        const stats = await store.dayStats(DAY);
        expect({ ...stats, waits: [...stats.waits].sort((a, b) => a - b) }).toEqual({
          started: 3, answered: 2, abandoned: 1, waits: [4, 9], durations: [120],
        });
        expect(await store.dayStats(OTHER_DAY)).toEqual({ started: 0, answered: 0, abandoned: 0, waits: [], durations: [] });
      });

      test('recentWaits returns the waits answered since the given time', async () => {
        await start({ conversationId: 'c1' });
        await start({ conversationId: 'c2' });
        await online('l1');
        await assign('c1', 'l1', t0 + 3_000);
        await assign('c2', 'l1', t0 + 20_000);
        expect([...(await store.recentWaits(t0))].sort((a, b) => a - b)).toEqual([3, 20]);
        expect(await store.recentWaits(t0 + 10_000)).toEqual([20]);
        expect(await store.recentWaits(t0 + 30_000)).toEqual([]);
      });
    });

    describe('timers', () => {
      test('claimDueTimers returns due keys earliest first, up to limit, and removes them', async () => {
        await store.scheduleTimer('late', t0 + 3_000);
        await store.scheduleTimer('early', t0 + 1_000);
        await store.scheduleTimer('middle', t0 + 2_000);
        await store.scheduleTimer('future', t0 + 60_000);
        expect(await store.claimDueTimers(t0 + 5_000, 2)).toEqual(['early', 'middle']);
        expect(await store.claimDueTimers(t0 + 5_000, 10)).toEqual(['late']);
        expect(await store.claimDueTimers(t0 + 5_000, 10)).toEqual([]);
        expect(await store.claimDueTimers(t0 + 60_000, 10)).toEqual(['future']);
      });

      test('scheduling a key again moves its due time', async () => {
        await store.scheduleTimer('k', t0 + 1_000);
        await store.scheduleTimer('k', t0 + 10_000);
        expect(await store.claimDueTimers(t0 + 5_000, 10)).toEqual([]);
        expect(await store.claimDueTimers(t0 + 10_000, 10)).toEqual(['k']);
      });

      test('a cancelled timer is never claimed', async () => {
        await store.scheduleTimer('k', t0 + 1_000);
        await store.cancelTimer('k');
        await store.cancelTimer('never-scheduled');
        expect(await store.claimDueTimers(t0 + 5_000, 10)).toEqual([]);
      });

      test('concurrent claims return each due key exactly once', async () => {
        const keys = Array.from({ length: 30 }, (_, i) => `timer-${i}`);
        for (const [i, key] of keys.entries()) await store.scheduleTimer(key, t0 + i);
        const claims = await Promise.all(Array.from({ length: 6 }, () => store.claimDueTimers(t0 + 1_000, 10)));
        const claimed = claims.flat();
        expect(claimed).toHaveLength(30);
        expect(new Set(claimed)).toEqual(new Set(keys));
      });
    });

    describe('acquireOnce', () => {
      test('only the first caller within the TTL gets true', async () => {
        expect(await store.acquireOnce('alert:a', 60)).toBe(true);
        expect(await store.acquireOnce('alert:a', 60)).toBe(false);
        expect(await store.acquireOnce('alert:b', 60)).toBe(true);
      });

      test('after the TTL the key can be acquired again', async () => {
        expect(await store.acquireOnce('alert:short', 1)).toBe(true);
        await sleep(1_500);
        expect(await store.acquireOnce('alert:short', 1)).toBe(true);
      });

      test('concurrent callers: exactly one gets true', async () => {
        const results = await Promise.all(Array.from({ length: 10 }, () => store.acquireOnce('alert:race', 60)));
        expect(results.filter(Boolean)).toHaveLength(1);
      });
    });

    describe('canned responses', () => {
      const responses: CannedResponse[] = [
        { id: 'greet', title: 'Greeting', text: 'Hello, I am here for you.' },
        { id: 'bye', title: 'Goodbye', text: 'Take care.' },
      ];

      test('a language without canned responses answers null', async () => {
        expect(await store.getCanned('fr')).toBeNull();
      });

      test('setCanned replaces the list of one language, in order', async () => {
        await store.setCanned('en', responses);
        await store.setCanned('fr', [responses[1]]);
        expect(await store.getCanned('en')).toEqual(responses);
        await store.setCanned('en', [responses[1]]);
        expect(await store.getCanned('en')).toEqual([responses[1]]);
        expect(await store.getCanned('fr')).toEqual([responses[1]]);
      });

      test('an empty list is stored as empty, not null', async () => {
        await store.setCanned('nl', []);
        expect(await store.getCanned('nl')).toEqual([]);
      });

      test('mutating returned or given lists does not change the store', async () => {
        const given = responses.map((r) => ({ ...r }));
        await store.setCanned('en', given);
        given[0].text = 'forged';
        const read = await store.getCanned('en');
        read?.pop();
        expect(await store.getCanned('en')).toEqual(responses);
      });
    });

    describe('rate limiter', () => {
      test('allows `points` per duration per key, then rejects', async () => {
        const limiter = store.createRateLimiter({ keyPrefix: 'test-send', points: 3, durationSeconds: 60 });
        for (let i = 0; i < 3; i += 1) await expect(limiter.consume('visitor-1')).resolves.toBeDefined();
        await expect(limiter.consume('visitor-1')).rejects.toHaveProperty('msBeforeNext');
        await expect(limiter.consume('visitor-2')).resolves.toBeDefined();
      });

      test('limiters with different key prefixes count separately', async () => {
        const a = store.createRateLimiter({ keyPrefix: 'test-a', points: 1, durationSeconds: 60 });
        const b = store.createRateLimiter({ keyPrefix: 'test-b', points: 1, durationSeconds: 60 });
        await a.consume('k');
        await expect(b.consume('k')).resolves.toBeDefined();
        await expect(a.consume('k')).rejects.toHaveProperty('msBeforeNext');
      });

      test('blockSeconds keeps a key blocked after it ran out', async () => {
        const limiter = store.createRateLimiter({ keyPrefix: 'test-block', points: 1, durationSeconds: 1, blockSeconds: 30 });
        await limiter.consume('k');
        const rejection = await rejectionOf(limiter.consume('k'));
        expect(rejection).toHaveProperty('msBeforeNext');
        expect((rejection as { msBeforeNext: number }).msBeforeNext).toBeGreaterThan(20_000);
      });
    });
  });
}
