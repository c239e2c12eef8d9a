/**
 * Lifecycle rules over real sockets with short grace periods (the ticker runs every 500 ms):
 * visitors and listeners who come back in time resume exactly, those who do not are cleaned up,
 * transcripts expire, and a Redis restart loses nothing that was acknowledged.
 */
import type { ChatEnded, ConversationView, Message } from '../../shared/protocol';
import { createMemoryStore } from '../../server/store/memory/memory-store';
import { startTestApp } from '../support/app';
import {
  STORES,
  appsOn,
  assignedTo,
  chatBetween,
  connectListener,
  expectNoEvent,
  joinAsListener,
  joinAsVisitor,
  listenerSays,
  seqs,
  startChat,
  statsOf,
  until,
  visitorSays,
  type Answer,
  type QueueUpdate,
  type SendAnswer,
  type SessionEvent,
  type SyncAnswer,
} from '../support/integration-helpers';
import type { VisitorSocketData } from '../../server/sockets/notifier';
import { startRedis } from '../support/redis-server';
import { ack, closeAll, msgId, next, sleep } from '../support/sockets';

const SHORT_GRACE = { VISITOR_GRACE_SECONDS: '1', LISTENER_GRACE_SECONDS: '1' };
/** Grace (1 s) + a ticker round (0.5 s) + slack. */
const PAST_GRACE_MS = 4000;

/** Messages 1..n with no gap and no duplicate. */
function expectContiguous(messages: readonly Message[]): void {
  expect(seqs(messages)).toEqual(messages.map((_, i) => i + 1));
}

describe.each(STORES)('lifecycle on the %s store', (kind) => {
  const apps = appsOn(kind);

  describe('visitor grace period', () => {
    it('a visitor who reconnects with the same token inside the grace period resumes exactly, without duplicates', async () => {
      const t = await apps.start(SHORT_GRACE);
      const l = await joinAsListener(t.url);
      const v = await joinAsVisitor(t.url);
      const c = await chatBetween(l, v, { language: 'en', firstMessage: 'hello' });
      const repeated = msgId();
      expect(await visitorSays(v, 'are you there?', repeated)).toMatchObject({ ok: true, seq: 3 });
      expect(await listenerSays(l, c.id, 'yes, I am')).toMatchObject({ ok: true, seq: 4 });
      await next<Message>(l.socket, 'message', (m) => m.seq === 3);
      v.socket.disconnect();

      const back = await joinAsVisitor(t.url, v.token);
      expect(back.token).toBe(v.token);
      expect(back.session.state).toMatchObject({ phase: 'chatting', conversationId: c.id, lastSeq: 4 });
      const sync = await ack<SyncAnswer>(back.socket, 'sync', { conversationId: c.id, afterSeq: 0 });
      expect((sync.messages ?? []).map((m) => m.code ?? m.text)).toEqual(['hello', 'assigned', 'are you there?', 'yes, I am']);

      // The client resends what it was unsure of: same seq, delivered once.
      expect(await visitorSays(back, 'are you there?', repeated)).toMatchObject({ ok: true, seq: 3 });
      expect(await visitorSays(back, 'I am back', msgId())).toMatchObject({ ok: true, seq: 5 });
      expect(await next<Message>(l.socket, 'message')).toMatchObject({ seq: 5, text: 'I am back' });

      // Past the original grace period nothing happens: the chat goes on.
      await expectNoEvent(l.socket, 'chat:ended', undefined, 2500);
      expect(await listenerSays(l, c.id, 'good')).toMatchObject({ ok: true, seq: 6 });
      const after = await ack<SyncAnswer>(back.socket, 'sync', { conversationId: c.id, afterSeq: 0 });
      expectContiguous(after.messages ?? []);
      expect(after.messages).toHaveLength(6);
    });

    it('a queued visitor who reconnects inside the grace period keeps their place', async () => {
      const t = await apps.start(SHORT_GRACE);
      const ahead = await joinAsVisitor(t.url);
      await startChat(ahead);
      const v = await joinAsVisitor(t.url);
      const id = await startChat(v, { language: 'en', firstMessage: 'waiting' });
      await startChat(await joinAsVisitor(t.url));
      v.socket.disconnect();

      const back = await joinAsVisitor(t.url, v.token);
      expect(back.session.state).toMatchObject({ phase: 'queued', conversationId: id, position: 2 });
      await sleep(2000);
      const stats = await statsOf(t.url);
      expect(stats.today.abandoned).toBe(0);
      expect(stats.queue.waiting).toBe(3);
      expect(await visitorSays(back, 'still here')).toMatchObject({ ok: true, seq: 2 });
    });

    it('a queued visitor who stays away past the grace period is dropped and counted as abandoned', async () => {
      const t = await apps.start(SHORT_GRACE);
      const v = await joinAsVisitor(t.url);
      const id = await startChat(v, { language: 'fr' });
      const waiting = await joinAsVisitor(t.url);
      await startChat(waiting, { language: 'fr' });
      v.socket.disconnect();

      const stats = await until('the queued visitor is dropped', async () => {
        const s = await statsOf(t.url);
        return s.today.abandoned === 1 ? s : null;
      }, PAST_GRACE_MS);
      expect(stats.queue.waiting).toBe(1);
      expect(stats.today.started).toBe(2);
      expect(await next<QueueUpdate>(waiting.socket, 'queue:update', (u) => u.position === 1, 3000)).toBeDefined();

      const back = await joinAsVisitor(t.url, v.token);
      expect(back.session.state).toMatchObject({ phase: 'ended', conversationId: id, endedBy: 'system' });
    });

    it('a visitor whose socket missed a phase change still gets a grace period when it drops', async () => {
      const t = await apps.start(SHORT_GRACE);
      const v = await joinAsVisitor(t.url);
      const id = await startChat(v, { language: 'nl' });
      // As if the `session` push had been lost: this node believes the visitor idle.
      for (const socket of t.app.io.of('/visitor').sockets.values()) (socket.data as VisitorSocketData).phase = 'idle';
      v.socket.disconnect();

      await until('the queued visitor is dropped', async () => (await statsOf(t.url)).today.abandoned === 1, PAST_GRACE_MS);
      const back = await joinAsVisitor(t.url, v.token);
      expect(back.session.state).toMatchObject({ phase: 'ended', conversationId: id, endedBy: 'system' });
    });

    it('an active chat whose visitor stays away past the grace period ends with endedBy system', async () => {
      const t = await apps.start(SHORT_GRACE);
      const l = await joinAsListener(t.url, { maxConcurrent: 1 });
      const v = await joinAsVisitor(t.url);
      const c = await chatBetween(l, v);
      v.socket.disconnect();

      const ended = await next<ChatEnded>(l.socket, 'chat:ended', () => true, PAST_GRACE_MS);
      expect(ended).toMatchObject({ conversationId: c.id, endedBy: 'system' });
      expect(await next<Message>(l.socket, 'message', (m) => m.from === 'system')).toMatchObject({ code: 'ended' });
      // The listener's slot is free again.
      const newcomer = await joinAsVisitor(t.url);
      await chatBetween(l, newcomer);
    });
  });

  describe('listener grace period', () => {
    it('a listener who reconnects inside the grace period keeps their chats, with their messages', async () => {
      const t = await apps.start(SHORT_GRACE);
      const l = await joinAsListener(t.url);
      const v = await joinAsVisitor(t.url);
      const c = await chatBetween(l, v, { language: 'en', firstMessage: 'please stay' });
      await listenerSays(l, c.id, 'I will');
      l.socket.disconnect();

      const back = await connectListener(t.url, l.staff);
      const kept: ConversationView[] = back.state.conversations;
      expect(kept).toHaveLength(1);
      expect(kept[0]).toMatchObject({ id: c.id, state: 'active', listenerId: l.staff.user.id, lastSeq: 3 });
      expect((kept[0].messages ?? []).map((m) => m.code ?? m.text)).toEqual(['please stay', 'assigned', 'I will']);

      await expectNoEvent<Message>(v.socket, 'message', (m) => m.from === 'system' && m.seq > 3, 2500);
      expect(await visitorSays(v, 'thank you')).toMatchObject({ ok: true, seq: 4 });
      expect(await next<Message>(back.socket, 'message')).toMatchObject({ seq: 4, text: 'thank you' });
    });

    it('past the grace period each chat goes back to the queue, the visitor is told, and another listener gets it with its history', async () => {
      const t = await apps.start(SHORT_GRACE);
      const lost = await joinAsListener(t.url);
      const v = await joinAsVisitor(t.url);
      const c = await chatBetween(lost, v, { language: 'en', firstMessage: 'it is hard' });
      await listenerSays(lost, c.id, 'tell me more');
      const w = await joinAsVisitor(t.url);
      const d = await chatBetween(lost, w, { language: 'en' });
      const other = await joinAsListener(t.url, { displayName: 'Other' });
      lost.socket.disconnect();

      const system = await next<Message>(v.socket, 'message', (m) => m.code === 'listener_lost', PAST_GRACE_MS);
      expect(system).toMatchObject({ conversationId: c.id, seq: 4, from: 'system' });
      expect(await next<Message>(w.socket, 'message', (m) => m.code === 'listener_lost', 2000)).toMatchObject({ conversationId: d.id, seq: 2 });
      const { conversation } = await assignedTo(other, c.id, 3000);
      expect((conversation.messages ?? []).map((m) => m.code ?? m.text)).toEqual(['it is hard', 'assigned', 'tell me more', 'listener_lost', 'assigned']);
      expect((await assignedTo(other, d.id, 3000)).conversation.listenerId).toBe(other.staff.user.id);
      expect(await next(v.socket, 'chat:assigned', (p: { listener: { displayName: string } }) => p.listener.displayName === 'Other')).toBeDefined();
      expect(await visitorSays(v, 'hi again')).toMatchObject({ ok: true, seq: 6 });
      expect(await next<Message>(other.socket, 'message')).toMatchObject({ seq: 6 });

      // The lost listener comes back to an empty desk.
      const back = await connectListener(t.url, lost.staff);
      expect(back.state.conversations).toEqual([]);
      expect(await listenerSays(back, c.id, 'sorry')).toMatchObject({ ok: false, error: { code: 'not_yours' } });
    });

    it('a conversation requeued after the grace period goes ahead of visitors who came later', async () => {
      const t = await apps.start(SHORT_GRACE);
      const lost = await joinAsListener(t.url, { maxConcurrent: 1 });
      const v = await joinAsVisitor(t.url);
      const c = await chatBetween(lost, v);
      const later = await joinAsVisitor(t.url);
      const laterId = await startChat(later);
      lost.socket.disconnect();

      const requeued = await next<SessionEvent>(v.socket, 'session', (s) => s.state.phase === 'queued', PAST_GRACE_MS);
      expect(requeued.state).toMatchObject({ conversationId: c.id, position: 1 });
      expect(await next<QueueUpdate>(later.socket, 'queue:update', (u) => u.position === 2, 3000)).toMatchObject({ conversationId: laterId });

      const fresh = await joinAsListener(t.url, { maxConcurrent: 1 });
      const { conversation } = await next<{ conversation: ConversationView }>(fresh.socket, 'chat:assigned');
      expect(conversation.id).toBe(c.id);
    });
  });

  it('transcripts are deleted once the retention after the end has passed', async () => {
    // 0.001 h = 3.6 s, the smallest retention the configuration accepts.
    const t = await apps.start({ TRANSCRIPT_RETENTION_HOURS: '0.001' });
    const l = await joinAsListener(t.url);
    const v = await joinAsVisitor(t.url);
    const c = await chatBetween(l, v, { language: 'en', firstMessage: 'secret words' });
    await listenerSays(l, c.id, 'kept safe');
    expect((await ack<Answer>(l.socket, 'chat:end', { conversationId: c.id })).ok).toBe(true);
    const endedAt = Date.now();
    const right = await ack<SyncAnswer>(v.socket, 'sync', { conversationId: c.id, afterSeq: 0 });
    expect((right.messages ?? []).map((m) => m.code ?? m.text)).toEqual(['secret words', 'assigned', 'kept safe', 'ended']);

    const gone = await until('the transcript is gone', async () => {
      const r = await ack<SyncAnswer>(v.socket, 'sync', { conversationId: c.id, afterSeq: 0 });
      return !r.ok || (r.messages ?? []).length === 0 ? r : null;
    }, 10_000, 250);
    expect(Date.now() - endedAt).toBeGreaterThanOrEqual(3000);
    expect(gone.messages ?? []).toEqual([]);
    if (!gone.ok) expect(gone.error?.code).toBe('not_found');
  });
});

describe('a page closed during a chat start', () => {
  it('the conversation it started is dropped after the grace period, not left waiting for nobody', async () => {
    // The store holds the start until released, so the disconnect surely comes in meanwhile.
    const inner = createMemoryStore();
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered = () => {};
    const reached = new Promise<void>((resolve) => (entered = resolve));
    const store = new Proxy(inner, {
      get(target, prop) {
        const value: unknown = Reflect.get(target, prop, target);
        if (typeof value !== 'function') return value;
        const method = value as (...args: unknown[]) => unknown;
        if (prop !== 'startConversation') return method.bind(target);
        return async (...args: unknown[]) => {
          entered();
          await gate;
          return method.apply(target, args);
        };
      },
    });
    const t = await startTestApp({ store, env: SHORT_GRACE });
    try {
      const v = await joinAsVisitor(t.url);
      v.socket.emit('chat:start', { language: 'nl' });
      await reached;
      v.socket.disconnect();
      await sleep(300);
      release();
      const stats = await until('the visitor who left is dropped', async () => {
        const s = await statsOf(t.url);
        return s.today.started === 1 && s.today.abandoned === 1 ? s : null;
      }, PAST_GRACE_MS);
      expect(stats.queue.waiting).toBe(0);
    } finally {
      await t.stop();
      await inner.close();
    }
  });
});

describe('lifecycle across a Redis restart', () => {
  it('after Redis restarts, messages flow again and every acknowledged message is still there', async () => {
    const redis = await startRedis();
    const t = await startTestApp({ redis });
    try {
      const l = await joinAsListener(t.url);
      const v = await joinAsVisitor(t.url);
      const c = await chatBetween(l, v, { language: 'en', firstMessage: 'before' });
      const acked = new Map<number, string>();
      const record = (r: SendAnswer, id: string) => {
        if (r.ok && r.seq !== undefined) acked.set(r.seq, id);
      };
      for (let i = 0; i < 3; i += 1) {
        const id = msgId();
        record(await visitorSays(v, `v${i}`, id), id);
        const lid = msgId();
        record(await listenerSays(l, c.id, `l${i}`, lid), lid);
      }
      expect(acked.size).toBe(6);

      await redis.kill();
      // A broadcast while Redis is unreachable must be logged, not left as an unhandled rejection.
      t.app.io.of('/supervisor').emit('alert', { kind: 'no_listeners', at: new Date().toISOString() });
      const during = msgId();
      const outage = await ack<SendAnswer>(v.socket, 'message:send', { clientMsgId: during, text: 'during' }, 8000).catch(() => null);
      if (outage) record(outage, during);
      await until('the failed broadcast is logged', async () => t.logs.some((line) => line.includes('adapter publish failed')), 5000);
      await redis.restart();

      // The client retries the message it was not sure of, then both sides talk again.
      const retried = await until('the visitor can send again', async () => {
        const r = await ack<SendAnswer>(v.socket, 'message:send', { clientMsgId: during, text: 'during' }, 3000).catch(() => null);
        return r?.ok ? r : null;
      }, 15_000, 200);
      record(retried, during);
      if (outage?.ok) expect(retried.seq).toBe(outage.seq);
      expect(await next<Message>(l.socket, 'message', (m) => m.clientMsgId === during, 5000)).toMatchObject({ seq: retried.seq });
      const afterId = msgId();
      const after = await listenerSays(l, c.id, 'after', afterId);
      expect(after.ok).toBe(true);
      record(after, afterId);
      expect(await next<Message>(v.socket, 'message', (m) => m.text === 'after', 5000)).toMatchObject({ seq: after.seq });

      for (const side of [v.socket, l.socket]) {
        const sync = await ack<SyncAnswer>(side, 'sync', { conversationId: c.id, afterSeq: 0 });
        const messages = sync.messages ?? [];
        expectContiguous(messages);
        const bySeq = new Map(messages.map((m) => [m.seq, m.clientMsgId]));
        for (const [seq, id] of acked) expect(bySeq.get(seq)).toBe(id);
        expect(messages.filter((m) => m.clientMsgId === during)).toHaveLength(1);
      }
    } finally {
      closeAll();
      await t.stop();
      await redis.stop();
    }
  });
});
