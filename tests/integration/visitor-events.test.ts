/**
 * Every event of the /visitor namespace over real sockets, with its replies and error codes,
 * on the in-process store and on a private Redis.
 */
import type { ChatEnded, ConversationView, Message } from '../../shared/protocol';
import {
  STORES,
  appsOn,
  assignedTo,
  chatBetween,
  expectNoEvent,
  hoursClosedNow,
  joinAsListener,
  joinAsVisitor,
  listenerSays,
  seqs,
  startChat,
  visitorSays,
  type Answer,
  type QueueUpdate,
  type SessionEvent,
  type StartAnswer,
  type SyncAnswer,
} from '../support/integration-helpers';
import { ack, next, sleep } from '../support/sockets';

describe.each(STORES)('visitor events on the %s store', (kind) => {
  const apps = appsOn(kind);

  describe('session', () => {
    it('a new visitor gets a fresh token and the idle phase; an unknown token gets a fresh session', async () => {
      const t = await apps.start();
      const first = await joinAsVisitor(t.url);
      expect(first.session.state).toEqual({ phase: 'idle' });
      expect(first.token).toMatch(/^[A-Za-z0-9_-]{22,}$/);

      const unknown = 'unknown-token-0123456789abcdefXYZ';
      const stranger = await joinAsVisitor(t.url, unknown);
      expect(stranger.token).not.toBe(unknown);
      expect(stranger.token).not.toBe(first.token);
      expect(stranger.session.state).toEqual({ phase: 'idle' });

      const again = await joinAsVisitor(t.url, first.token);
      expect(again.token).toBe(first.token);
      expect(again.session.state).toEqual({ phase: 'idle' });
    });

    it('reconnecting with the same token resumes each phase: queued, chatting, ended', async () => {
      const t = await apps.start();
      const v = await joinAsVisitor(t.url);
      const id = await startChat(v, { language: 'fr' });
      expect((await next<SessionEvent>(v.socket, 'session')).state).toMatchObject({ phase: 'queued', conversationId: id, position: 1 });
      v.socket.disconnect();

      const queued = await joinAsVisitor(t.url, v.token);
      expect(queued.token).toBe(v.token);
      expect(queued.session.state).toMatchObject({ phase: 'queued', conversationId: id, position: 1 });
      if (queued.session.state.phase !== 'queued') throw new Error('not queued');
      expect(Number.isInteger(queued.session.state.estimatedWaitSeconds)).toBe(true);

      const listener = await joinAsListener(t.url, { languages: ['fr'], displayName: 'Robin' });
      await assignedTo(listener, id);
      const chattingNow = await next<SessionEvent>(queued.socket, 'session', (s) => s.state.phase === 'chatting');
      expect(chattingNow.state).toMatchObject({ conversationId: id, listener: { displayName: 'Robin' } });
      queued.socket.disconnect();

      const chatting = await joinAsVisitor(t.url, v.token);
      expect(chatting.session.state).toEqual({ phase: 'chatting', conversationId: id, listener: { displayName: 'Robin' }, lastSeq: 1 });

      expect((await ack<Answer>(listener.socket, 'chat:end', { conversationId: id })).ok).toBe(true);
      const endedNow = await next<SessionEvent>(chatting.socket, 'session', (s) => s.state.phase === 'ended');
      expect(endedNow.state).toMatchObject({ conversationId: id, endedBy: 'listener' });
      chatting.socket.disconnect();

      const ended = await joinAsVisitor(t.url, v.token);
      expect(ended.session.state).toMatchObject({ phase: 'ended', conversationId: id, endedBy: 'listener' });
    });
  });

  describe('chat:start', () => {
    it('queues the visitor and answers the place in the queue and a whole-second wait estimate', async () => {
      const t = await apps.start();
      const a = await joinAsVisitor(t.url);
      const b = await joinAsVisitor(t.url);
      const ra = await ack<StartAnswer>(a.socket, 'chat:start', { language: 'nl', topic: 'bullying', ageRange: '12-14' });
      await sleep(2);
      const rb = await ack<StartAnswer>(b.socket, 'chat:start', { language: 'nl' });
      expect(ra).toMatchObject({ ok: true, position: 1 });
      expect(rb).toMatchObject({ ok: true, position: 2 });
      expect(ra.conversationId).not.toBe(rb.conversationId);
      for (const r of [ra, rb]) {
        expect(Number.isInteger(r.estimatedWaitSeconds)).toBe(true);
        expect(r.estimatedWaitSeconds).toBeGreaterThanOrEqual(0);
      }
    });

    it('is refused with closed outside the opening hours', async () => {
      const t = await apps.start({ OPENING_HOURS: hoursClosedNow() });
      const v = await joinAsVisitor(t.url);
      const r = await ack<StartAnswer>(v.socket, 'chat:start', { language: 'en' });
      expect(r).toMatchObject({ ok: false, error: { code: 'closed' } });
      expect(typeof r.error?.message).toBe('string');
    });

    it('is refused with already_active while the visitor has a queued or active conversation', async () => {
      const t = await apps.start();
      const v = await joinAsVisitor(t.url);
      await startChat(v);
      expect(await ack<StartAnswer>(v.socket, 'chat:start', { language: 'en' })).toMatchObject({ ok: false, error: { code: 'already_active' } });
      // A second tab with the same token is the same visitor.
      const tab = await joinAsVisitor(t.url, v.token);
      expect(await ack<StartAnswer>(tab.socket, 'chat:start', { language: 'fr' })).toMatchObject({ ok: false, error: { code: 'already_active' } });
    });

    it('is refused with blocked after a listener blocked this visitor, even after reconnecting', async () => {
      const t = await apps.start();
      const listener = await joinAsListener(t.url);
      const v = await joinAsVisitor(t.url);
      const c = await chatBetween(listener, v);
      expect((await ack<Answer>(listener.socket, 'visitor:block', { conversationId: c.id, reason: 'abusive' })).ok).toBe(true);
      await next(v.socket, 'chat:ended');
      expect(await ack<StartAnswer>(v.socket, 'chat:start', { language: 'en' })).toMatchObject({ ok: false, error: { code: 'blocked' } });
      v.socket.disconnect();
      const back = await joinAsVisitor(t.url, v.token);
      expect(await ack<StartAnswer>(back.socket, 'chat:start', { language: 'en' })).toMatchObject({ ok: false, error: { code: 'blocked' } });
    });

    it('is refused with queue_full when MAX_QUEUE conversations already wait', async () => {
      const t = await apps.start({ MAX_QUEUE: '1' });
      const a = await joinAsVisitor(t.url);
      const b = await joinAsVisitor(t.url);
      await startChat(a);
      expect(await ack<StartAnswer>(b.socket, 'chat:start', { language: 'fr' })).toMatchObject({ ok: false, error: { code: 'queue_full' } });
      // A place frees up when the first visitor leaves.
      expect((await ack<Answer>(a.socket, 'chat:end', {})).ok).toBe(true);
      expect((await ack<StartAnswer>(b.socket, 'chat:start', { language: 'fr' })).ok).toBe(true);
    });

    it('is refused with rate_limited after five starts by one visitor within ten minutes', async () => {
      const t = await apps.start();
      const v = await joinAsVisitor(t.url);
      for (let i = 0; i < 5; i += 1) {
        expect((await ack<StartAnswer>(v.socket, 'chat:start', { language: 'en' })).ok).toBe(true);
        expect((await ack<Answer>(v.socket, 'chat:end', {})).ok).toBe(true);
      }
      expect(await ack<StartAnswer>(v.socket, 'chat:start', { language: 'en' })).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
      // Another visitor is not affected.
      const other = await joinAsVisitor(t.url);
      expect((await ack<StartAnswer>(other.socket, 'chat:start', { language: 'en' })).ok).toBe(true);
    });

    it('answers invalid_payload to malformed payloads and changes nothing', async () => {
      const t = await apps.start();
      const v = await joinAsVisitor(t.url);
      const bad: unknown[] = [
        {},
        { language: 'de' },
        { language: 'en', topic: 'weather' },
        { language: 'en', ageRange: '40-50' },
        { language: 'en', urgent: 'yes' },
        { language: 'en', extra: 1 },
        { language: ['en'] },
        'en',
        42,
        null,
      ];
      for (const payload of bad) {
        expect(await ack<StartAnswer>(v.socket, 'chat:start', payload)).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
      }
      const ok = await ack<StartAnswer>(v.socket, 'chat:start', { language: 'en' });
      expect(ok).toMatchObject({ ok: true, position: 1 });
    });
  });

  describe('message:send', () => {
    it('is accepted while queued and the messages reach the listener on assignment', async () => {
      const t = await apps.start();
      const v = await joinAsVisitor(t.url);
      const id = await startChat(v, { language: 'en', firstMessage: 'first words' });
      const sent = await visitorSays(v, '  still waiting  ');
      expect(sent).toMatchObject({ ok: true, seq: 2 });
      expect(typeof sent.at).toBe('string');

      const listener = await joinAsListener(t.url, { languages: ['en'] });
      const { conversation } = await assignedTo(listener, id);
      const messages = conversation.messages ?? [];
      expect(messages.map((m) => [m.seq, m.from, m.text])).toEqual([
        [1, 'visitor', 'first words'],
        [2, 'visitor', 'still waiting'],
        [3, 'system', expect.any(String)],
      ]);
      expect(messages[2].code).toBe('assigned');
    });

    it('is refused with not_chatting without a queued or active conversation', async () => {
      const t = await apps.start();
      const v = await joinAsVisitor(t.url);
      expect(await visitorSays(v, 'hello?')).toMatchObject({ ok: false, error: { code: 'not_chatting' } });
      await startChat(v);
      expect((await ack<Answer>(v.socket, 'chat:end', {})).ok).toBe(true);
      expect(await visitorSays(v, 'after the end')).toMatchObject({ ok: false, error: { code: 'not_chatting' } });
    });

    it("goes to the visitor's current conversation when the socket still knows an earlier one", async () => {
      const t = await apps.start();
      const v = await joinAsVisitor(t.url);
      const earlier = await startChat(v);
      expect((await ack<Answer>(v.socket, 'chat:end', {})).ok).toBe(true);
      const current = await startChat(v);
      // The server side of this socket missed the change, as one on another node can for a moment.
      const data = t.app.io.of('/visitor').sockets.get(v.socket.id ?? '')?.data as { conversationId?: string } | undefined;
      expect(data?.conversationId).toBe(current);
      data!.conversationId = earlier;

      expect(await visitorSays(v, 'still there?')).toMatchObject({ ok: true, seq: 1 });
      expect(data?.conversationId).toBe(current);
      const sync = await ack<SyncAnswer>(v.socket, 'sync', { conversationId: current, afterSeq: 0 });
      expect((sync.messages ?? []).map((m) => m.text)).toEqual(['still there?']);
    });

    it('is refused with too_long past MAX_MESSAGE_LENGTH, counted after trimming', async () => {
      const t = await apps.start({ MAX_MESSAGE_LENGTH: '10' });
      const v = await joinAsVisitor(t.url);
      const id = await startChat(v);
      expect(await visitorSays(v, 'x'.repeat(11))).toMatchObject({ ok: false, error: { code: 'too_long' } });
      expect(await visitorSays(v, `   ${'y'.repeat(10)}   `)).toMatchObject({ ok: true, seq: 1 });
      const sync = await ack<SyncAnswer>(v.socket, 'sync', { conversationId: id, afterSeq: 0 });
      expect((sync.messages ?? []).map((m) => m.text)).toEqual(['y'.repeat(10)]);
    });

    it('answers invalid_payload to text that is empty after trimming and to malformed payloads, storing nothing', async () => {
      const t = await apps.start();
      const v = await joinAsVisitor(t.url);
      const id = await startChat(v);
      expect(await visitorSays(v, ' \n\t  ')).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
      for (const payload of [{ text: 'no id' }, { clientMsgId: 'short', text: 'x' }, { clientMsgId: 'abcdefgh!', text: 'x' }, { clientMsgId: 'abcdefgh12', text: 7 }, 'hello']) {
        expect(await ack<Answer>(v.socket, 'message:send', payload)).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
      }
      const sync = await ack<SyncAnswer>(v.socket, 'sync', { conversationId: id, afterSeq: 0 });
      expect(sync).toEqual({ ok: true, messages: [] });
    });

    it('is refused with rate_limited when a visitor sends faster than the limit', async () => {
      const t = await apps.start();
      const v = await joinAsVisitor(t.url);
      await startChat(v);
      const codes: string[] = [];
      for (let i = 0; i < 35; i += 1) {
        const r = await visitorSays(v, `message ${i}`);
        codes.push(r.ok ? 'ok' : (r.error?.code ?? '?'));
      }
      expect(codes.slice(0, 30).every((c) => c === 'ok')).toBe(true);
      expect(codes.slice(30)).toEqual(['rate_limited', 'rate_limited', 'rate_limited', 'rate_limited', 'rate_limited']);
    });
  });

  it('typing indicators travel both ways during a chat', async () => {
    const t = await apps.start();
    const listener = await joinAsListener(t.url);
    const v = await joinAsVisitor(t.url);
    const c = await chatBetween(listener, v);

    v.socket.emit('typing', { isTyping: true });
    expect(await next(listener.socket, 'typing')).toEqual({ conversationId: c.id, from: 'visitor', isTyping: true });
    v.socket.emit('typing', { isTyping: false });
    expect(await next(listener.socket, 'typing')).toEqual({ conversationId: c.id, from: 'visitor', isTyping: false });

    listener.socket.emit('typing', { conversationId: c.id, isTyping: true });
    expect(await next(v.socket, 'typing')).toEqual({ conversationId: c.id, from: 'listener', isTyping: true });
    // Malformed typing events are dropped.
    v.socket.emit('typing', { isTyping: 'maybe' });
    await expectNoEvent(listener.socket, 'typing', undefined, 500);
  });

  describe('sync', () => {
    it('returns every message after the given seq, in order', async () => {
      const t = await apps.start();
      const listener = await joinAsListener(t.url);
      const v = await joinAsVisitor(t.url);
      const c = await chatBetween(listener, v, { language: 'en', firstMessage: 'one' });
      await visitorSays(v, 'two');
      await listenerSays(listener, c.id, 'three');
      await visitorSays(v, 'four');

      const all = await ack<SyncAnswer>(v.socket, 'sync', { conversationId: c.id, afterSeq: 0 });
      const messages: Message[] = all.messages ?? [];
      expect(seqs(messages)).toEqual([1, 2, 3, 4, 5]);
      expect(messages.map((m) => m.from)).toEqual(['visitor', 'system', 'visitor', 'listener', 'visitor']);
      expect(messages.every((m) => m.conversationId === c.id && typeof m.at === 'string')).toBe(true);
      const tail = await ack<SyncAnswer>(v.socket, 'sync', { conversationId: c.id, afterSeq: 3 });
      expect((tail.messages ?? []).map((m) => m.text)).toEqual(['three', 'four']);
      expect(await ack<SyncAnswer>(v.socket, 'sync', { conversationId: c.id, afterSeq: 5 })).toEqual({ ok: true, messages: [] });
    });

    it('answers not_found for someone else\'s conversation or an unknown one, and invalid_payload for a bad seq', async () => {
      const t = await apps.start();
      const owner = await joinAsVisitor(t.url);
      const id = await startChat(owner, { language: 'en', firstMessage: 'private words' });
      const other = await joinAsVisitor(t.url);
      expect(await ack<SyncAnswer>(other.socket, 'sync', { conversationId: id, afterSeq: 0 })).toMatchObject({ ok: false, error: { code: 'not_found' } });
      expect(await ack<SyncAnswer>(other.socket, 'sync', { conversationId: 'no-such-conversation', afterSeq: 0 })).toMatchObject({ ok: false, error: { code: 'not_found' } });
      expect(await ack<SyncAnswer>(owner.socket, 'sync', { conversationId: id, afterSeq: -1 })).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    });
  });

  describe('chat:end', () => {
    it('while queued leaves the queue: no listener ever gets that conversation', async () => {
      const t = await apps.start();
      const v = await joinAsVisitor(t.url);
      const id = await startChat(v);
      expect(await ack<Answer>(v.socket, 'chat:end', {})).toEqual({ ok: true });
      const ended = await next<SessionEvent>(v.socket, 'session', (s) => s.state.phase === 'ended');
      expect(ended.state).toMatchObject({ conversationId: id, endedBy: 'visitor' });

      const listener = await joinAsListener(t.url);
      expect(listener.state.queue.waiting).toBe(0);
      expect(listener.state.conversations).toEqual([]);
      await expectNoEvent(listener.socket, 'chat:assigned');
      expect(await ack<Answer>(listener.socket, 'chat:accept', { conversationId: id })).toMatchObject({ ok: false, error: { code: 'already_taken' } });
    });

    it('with reason quick_exit ends the chat and the listener sees the reason', async () => {
      const t = await apps.start();
      const listener = await joinAsListener(t.url);
      const v = await joinAsVisitor(t.url);
      const c = await chatBetween(listener, v);
      expect(await ack<Answer>(v.socket, 'chat:end', { reason: 'quick_exit' })).toEqual({ ok: true });
      expect(await next<ChatEnded>(listener.socket, 'chat:ended')).toEqual({ conversationId: c.id, endedBy: 'visitor', reason: 'quick_exit' });
      const system = await next<Message>(listener.socket, 'message', (m) => m.from === 'system');
      expect(system.code).toBe('ended');
      expect(await next<ChatEnded>(v.socket, 'chat:ended')).toMatchObject({ conversationId: c.id, endedBy: 'visitor', reason: 'quick_exit' });
    });

    it('answers invalid_payload to an unknown reason and not_chatting without a conversation', async () => {
      const t = await apps.start();
      const v = await joinAsVisitor(t.url);
      expect(await ack<Answer>(v.socket, 'chat:end', {})).toMatchObject({ ok: false, error: { code: 'not_chatting' } });
      await startChat(v);
      expect(await ack<Answer>(v.socket, 'chat:end', { reason: 'bored' })).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
      // Nothing changed: the visitor is still queued.
      expect(await ack<StartAnswer>(v.socket, 'chat:start', { language: 'en' })).toMatchObject({ ok: false, error: { code: 'already_active' } });
    });
  });

  describe('feedback', () => {
    it('is accepted once, only after the conversation ended, and only for the visitor\'s own conversation', async () => {
      const t = await apps.start();
      const listener = await joinAsListener(t.url);
      const v = await joinAsVisitor(t.url);
      const c: ConversationView = await chatBetween(listener, v);
      expect(await ack<Answer>(v.socket, 'feedback', { conversationId: c.id, rating: 4 })).toMatchObject({ ok: false, error: { code: 'not_ended' } });

      expect((await ack<Answer>(listener.socket, 'chat:end', { conversationId: c.id })).ok).toBe(true);
      await next(v.socket, 'chat:ended');
      const other = await joinAsVisitor(t.url);
      expect(await ack<Answer>(other.socket, 'feedback', { conversationId: c.id, rating: 1 })).toMatchObject({ ok: false, error: { code: 'not_found' } });
      expect(await ack<Answer>(v.socket, 'feedback', { conversationId: c.id, rating: 6 })).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
      expect(await ack<Answer>(v.socket, 'feedback', { conversationId: c.id, rating: 5, comment: 'it helped' })).toEqual({ ok: true });
      expect(await ack<Answer>(v.socket, 'feedback', { conversationId: c.id, rating: 5 })).toMatchObject({ ok: false, error: { code: 'already_rated' } });
    });

    it('is refused with not_ended while the conversation is still queued', async () => {
      const t = await apps.start();
      const v = await joinAsVisitor(t.url);
      const id = await startChat(v);
      expect(await ack<Answer>(v.socket, 'feedback', { conversationId: id, rating: 3 })).toMatchObject({ ok: false, error: { code: 'not_ended' } });
    });
  });

  it('queue:update is repeated at least every 30 seconds while the place stays the same', async () => {
    let offset = 0;
    const t = await apps.start({}, () => Date.now() + offset);
    const v = await joinAsVisitor(t.url);
    const id = await startChat(v);
    // The first round may confirm the place once; after that it stays quiet while nothing changes.
    await next(v.socket, 'queue:update', () => true, 1500).catch(() => undefined);
    await expectNoEvent(v.socket, 'queue:update', undefined, 1200);
    offset += 31_000;
    expect(await next<QueueUpdate>(v.socket, 'queue:update', () => true, 2000)).toMatchObject({ conversationId: id, position: 1 });
  });

  it('queue:update tells waiting visitors their new place as people ahead leave', async () => {
    const t = await apps.start();
    const [a, b, c] = [await joinAsVisitor(t.url), await joinAsVisitor(t.url), await joinAsVisitor(t.url)];
    await startChat(a, { language: 'fr' });
    const idB = await startChat(b, { language: 'fr' });
    const idC = await startChat(c, { language: 'fr' });
    expect((await next<SessionEvent>(c.socket, 'session')).state).toMatchObject({ phase: 'queued', position: 3 });

    expect((await ack<Answer>(a.socket, 'chat:end', {})).ok).toBe(true);
    expect(await next<QueueUpdate>(c.socket, 'queue:update', (u) => u.position === 2, 3000)).toMatchObject({ conversationId: idC });
    expect(await next<QueueUpdate>(b.socket, 'queue:update', (u) => u.position === 1, 3000)).toMatchObject({ conversationId: idB });

    expect((await ack<Answer>(b.socket, 'chat:end', {})).ok).toBe(true);
    const last = await next<QueueUpdate>(c.socket, 'queue:update', (u) => u.position === 1, 3000);
    expect(Number.isInteger(last.estimatedWaitSeconds)).toBe(true);
    // No update is sent to a visitor who is no longer waiting.
    await expectNoEvent(b.socket, 'queue:update', undefined, 1200);
  });
});
