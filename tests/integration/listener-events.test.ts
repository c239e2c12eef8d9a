/**
 * Every event of the /listener and /supervisor namespaces over real sockets, with replies, error
 * codes and the routing rules, on the in-process store and on a private Redis.
 */
import type { Alert, ChatEnded, ConversationView, Message, QueueSummary, StatsSnapshot } from '../../shared/protocol';
import {
  STORES,
  api,
  appsOn,
  assignedTo,
  chatBetween,
  connectListener,
  disconnected,
  expectNoEvent,
  joinAsListener,
  joinAsVisitor,
  listenerSays,
  refusal,
  seqs,
  startChat,
  statsOf,
  supervisorCookie,
  visitorSays,
  type AcceptAnswer,
  type Answer,
  type QueueUpdate,
  type SessionEvent,
  type StartAnswer,
  type SyncAnswer,
  type TestListener,
} from '../support/integration-helpers';
import { createStaff } from '../support/app';
import { ack, connect, next, rawSocket } from '../support/sockets';

/** Waits for the listener's next `chat:assigned` and returns the conversation id. */
async function nextAssigned(listener: TestListener, timeoutMs = 5000): Promise<string> {
  const { conversation } = await next<{ conversation: ConversationView }>(listener.socket, 'chat:assigned', () => true, timeoutMs);
  return conversation.id;
}

async function setStatus(listener: TestListener, status: 'available' | 'away'): Promise<void> {
  expect(await ack<Answer>(listener.socket, 'status:set', { status })).toEqual({ ok: true });
}

describe.each(STORES)('listener and supervisor events on the %s store', (kind) => {
  const apps = appsOn(kind);

  describe('connecting', () => {
    it('listener:state carries the user, the status, their conversations and the queue summary', async () => {
      const t = await apps.start();
      const v = await joinAsVisitor(t.url);
      await startChat(v, { language: 'nl', urgent: true });
      const l = await joinAsListener(t.url, { languages: ['fr'], maxConcurrent: 2, displayName: 'Camille' });
      expect(l.state.user).toEqual({
        id: l.staff.user.id,
        username: l.staff.username,
        displayName: 'Camille',
        role: 'listener',
        languages: ['fr'],
        maxConcurrent: 2,
        active: true,
      });
      expect(l.state.status).toBe('available');
      expect(l.state.conversations).toEqual([]);
      expect(l.state.queue).toMatchObject({ waiting: 1, urgent: 1, byLanguage: { fr: 0, nl: 1, en: 0 } });
      expect(Number.isInteger(l.state.queue.oldestWaitSeconds)).toBe(true);
    });

    it('a socket without a valid session cookie is refused with unauthorized', async () => {
      const t = await apps.start();
      const origin = new URL(t.url).origin;
      expect(await refusal(rawSocket(t.url, '/listener', { extraHeaders: { origin } }))).toBe('unauthorized');
      const forged = `ps_sid=${'A'.repeat(43)}`;
      expect(await refusal(rawSocket(t.url, '/listener', { extraHeaders: { origin, cookie: forged } }))).toBe('unauthorized');
      expect(await refusal(rawSocket(t.url, '/supervisor', { extraHeaders: { origin } }))).toBe('unauthorized');
    });

    it('the supervisor namespace refuses a listener with forbidden and sends stats to a supervisor', async () => {
      const t = await apps.start();
      const staff = await createStaff(t.url, { languages: ['en'] });
      const origin = new URL(t.url).origin;
      expect(await refusal(rawSocket(t.url, '/supervisor', { extraHeaders: { origin, cookie: staff.cookie } }))).toBe('forbidden');

      const sup = await connect(t.url, '/supervisor', { cookie: await supervisorCookie(t.url) });
      const stats = await next<StatsSnapshot>(sup, 'stats');
      expect(stats).toMatchObject({
        queue: { waiting: 0, urgent: 0, byLanguage: { fr: 0, nl: 0, en: 0 }, oldestWaitSeconds: 0, medianWaitSeconds15m: 0 },
        listeners: { online: 0, available: 0, away: 0, atCapacity: 0, list: [] },
        conversations: { active: 0, flagged: [] },
        today: { started: 0, answered: 0, abandoned: 0 },
      });
      expect(Number.isNaN(Date.parse(stats.at))).toBe(false);

      // Stats follow changes: a listener comes online.
      const l = await connectListener(t.url, staff);
      const later = await next<StatsSnapshot>(sup, 'stats', (s) => s.listeners.online === 1, 4000);
      expect(later.listeners.list).toEqual([
        { id: l.staff.user.id, displayName: l.staff.user.displayName, status: 'available', activeConversations: 0, maxConcurrent: 3, languages: ['en'] },
      ]);
    });

    it('queue:update gives listeners the queue summary when it changes', async () => {
      const t = await apps.start();
      const l = await joinAsListener(t.url, { languages: ['fr'] });
      const v = await joinAsVisitor(t.url);
      await startChat(v, { language: 'en' });
      const update = await next<QueueSummary>(l.socket, 'queue:update', (q) => q.waiting === 1, 3000);
      expect(update).toMatchObject({ waiting: 1, urgent: 0, byLanguage: { fr: 0, nl: 0, en: 1 } });
      await ack(v.socket, 'chat:end', {});
      expect(await next<QueueSummary>(l.socket, 'queue:update', (q) => q.waiting === 0, 3000)).toMatchObject({ byLanguage: { en: 0 } });
    });
  });

  describe('routing', () => {
    it('status:set away stops automatic routing and available resumes it', async () => {
      const t = await apps.start();
      const l = await joinAsListener(t.url);
      await setStatus(l, 'away');
      expect(await ack<Answer>(l.socket, 'status:set', { status: 'busy' })).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
      const v = await joinAsVisitor(t.url);
      const id = await startChat(v);
      await expectNoEvent(l.socket, 'chat:assigned');
      await setStatus(l, 'available');
      await assignedTo(l, id, 3000);
    });

    it('offers a listener only conversations in the languages they speak', async () => {
      const t = await apps.start();
      const l = await joinAsListener(t.url, { languages: ['fr'] });
      const dutch = await joinAsVisitor(t.url);
      const french = await joinAsVisitor(t.url);
      const nlId = await startChat(dutch, { language: 'nl' });
      const frId = await startChat(french, { language: 'fr' });
      expect(await nextAssigned(l)).toBe(frId);
      await expectNoEvent(l.socket, 'chat:assigned');
      expect(await ack<AcceptAnswer>(l.socket, 'chat:accept', {})).toMatchObject({ ok: false, error: { code: 'none_waiting' } });
      expect(await ack<AcceptAnswer>(l.socket, 'chat:accept', { conversationId: nlId })).toMatchObject({ ok: false, error: { code: 'not_available' } });
    });

    it('routes urgent conversations first, then the longest waiting', async () => {
      const t = await apps.start();
      const visitors = [await joinAsVisitor(t.url), await joinAsVisitor(t.url), await joinAsVisitor(t.url)];
      const older = await startChat(visitors[0], { language: 'en' });
      const newer = await startChat(visitors[1], { language: 'en' });
      const urgent = await startChat(visitors[2], { language: 'en', urgent: true });

      const l = await joinAsListener(t.url, { maxConcurrent: 1 });
      const order: string[] = [];
      for (let i = 0; i < 3; i += 1) {
        const id = await nextAssigned(l);
        order.push(id);
        expect((await ack<Answer>(l.socket, 'chat:end', { conversationId: id })).ok).toBe(true);
      }
      expect(order).toEqual([urgent, older, newer]);
    });

    it('prefers the least loaded listener, then the one idle the longest', async () => {
      const t = await apps.start();
      const one = await joinAsListener(t.url, { displayName: 'One' });
      const two = await joinAsListener(t.url, { displayName: 'Two' });
      const ask = async (): Promise<string> => {
        const v = await joinAsVisitor(t.url);
        await startChat(v);
        const assigned = await next<{ conversationId: string; listener: { displayName: string } }>(v.socket, 'chat:assigned');
        return assigned.listener.displayName;
      };

      await setStatus(two, 'away');
      expect([await ask(), await ask()]).toEqual(['One', 'One']);
      await setStatus(one, 'away');
      await setStatus(two, 'available');
      expect(await ask()).toBe('Two');
      await setStatus(one, 'available');
      // One has 2 chats and has been idle longer, Two has 1: the least loaded wins.
      expect(await ask()).toBe('Two');
      // Both have 2: One has been idle longer.
      expect(await ask()).toBe('One');
    });

    it('never gives a listener more than maxConcurrent conversations', async () => {
      const t = await apps.start();
      const l = await joinAsListener(t.url, { maxConcurrent: 1 });
      const first = await joinAsVisitor(t.url);
      await chatBetween(l, first);
      const second = await joinAsVisitor(t.url);
      const waiting = await startChat(second);
      await expectNoEvent(l.socket, 'chat:assigned');
      expect((await next<SessionEvent>(second.socket, 'session')).state).toMatchObject({ phase: 'queued', position: 1 });
      expect(await ack<AcceptAnswer>(l.socket, 'chat:accept', {})).toMatchObject({ ok: false, error: { code: 'at_capacity' } });
      expect(await ack<AcceptAnswer>(l.socket, 'chat:accept', { conversationId: waiting })).toMatchObject({ ok: false, error: { code: 'at_capacity' } });
    });
  });

  describe('chat:accept', () => {
    it('takes the next waiting conversation, or a named one, by hand', async () => {
      const t = await apps.start();
      const l = await joinAsListener(t.url, { displayName: 'Alex' });
      await setStatus(l, 'away');
      expect(await ack<AcceptAnswer>(l.socket, 'chat:accept', {})).toMatchObject({ ok: false, error: { code: 'none_waiting' } });

      const a = await joinAsVisitor(t.url);
      const b = await joinAsVisitor(t.url);
      const idA = await startChat(a, { language: 'en', firstMessage: 'hi' });
      const idB = await startChat(b, { language: 'en' });

      const byName = await ack<AcceptAnswer>(l.socket, 'chat:accept', { conversationId: idB });
      expect(byName.ok).toBe(true);
      expect(byName.conversation).toMatchObject({ id: idB, state: 'active', listenerId: l.staff.user.id, language: 'en', urgent: false });
      expect(await next(b.socket, 'chat:assigned')).toEqual({ conversationId: idB, listener: { displayName: 'Alex' } });

      const nextOne = await ack<AcceptAnswer>(l.socket, 'chat:accept', {});
      expect(nextOne.conversation).toMatchObject({ id: idA, state: 'active', lastSeq: 2 });
      expect((nextOne.conversation?.messages ?? []).map((m) => [m.seq, m.from, m.code ?? m.text])).toEqual([
        [1, 'visitor', 'hi'],
        [2, 'system', 'assigned'],
      ]);
      expect(typeof nextOne.conversation?.assignedAt).toBe('string');
      expect(await next<Message>(a.socket, 'message', (m) => m.code === 'assigned')).toMatchObject({ seq: 2, from: 'system' });
    });

    it('answers not_found for an unknown conversation and already_taken for one another listener has', async () => {
      const t = await apps.start();
      const first = await joinAsListener(t.url);
      await setStatus(first, 'away');
      const second = await joinAsListener(t.url);
      await setStatus(second, 'away');
      const v = await joinAsVisitor(t.url);
      const id = await startChat(v);
      expect(await ack<AcceptAnswer>(first.socket, 'chat:accept', { conversationId: 'no-such-conversation' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
      expect((await ack<AcceptAnswer>(first.socket, 'chat:accept', { conversationId: id })).ok).toBe(true);
      expect(await ack<AcceptAnswer>(second.socket, 'chat:accept', { conversationId: id })).toMatchObject({ ok: false, error: { code: 'already_taken' } });
      expect(await ack<AcceptAnswer>(second.socket, 'chat:accept', { conversationId: 'bad id!' })).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    });
  });

  describe('conversations', () => {
    it('message:send and sync answer not_yours for a conversation that is not this listener\'s', async () => {
      const t = await apps.start();
      const owner = await joinAsListener(t.url);
      const v = await joinAsVisitor(t.url);
      const c = await chatBetween(owner, v, { language: 'en', firstMessage: 'for my listener only' });
      const other = await joinAsListener(t.url);

      expect(await listenerSays(other, c.id, 'let me in')).toMatchObject({ ok: false, error: { code: 'not_yours' } });
      expect(await ack<SyncAnswer>(other.socket, 'sync', { conversationId: c.id, afterSeq: 0 })).toMatchObject({ ok: false, error: { code: 'not_yours' } });
      expect(await ack<Answer>(other.socket, 'chat:end', { conversationId: c.id })).toMatchObject({ ok: false, error: { code: 'not_yours' } });
      expect(await ack<Answer>(other.socket, 'chat:flag', { conversationId: c.id, level: 'urgent' })).toMatchObject({ ok: false, error: { code: 'not_yours' } });
      expect(await ack<SyncAnswer>(other.socket, 'sync', { conversationId: 'no-such-conversation', afterSeq: 0 })).toMatchObject({ ok: false, error: { code: 'not_found' } });

      const mine = await ack<SyncAnswer>(owner.socket, 'sync', { conversationId: c.id, afterSeq: 0 });
      expect(seqs(mine.messages ?? [])).toEqual([1, 2]);
      // The owner's message goes through, once.
      const id = 'listener-msg-0001';
      const sent = await listenerSays(owner, c.id, 'I am here', id);
      expect(sent).toMatchObject({ ok: true, seq: 3 });
      expect(await listenerSays(owner, c.id, 'I am here', id)).toMatchObject({ ok: true, seq: 3 });
      expect(await next<Message>(v.socket, 'message', (m) => m.from === 'listener')).toMatchObject({ seq: 3, text: 'I am here', clientMsgId: id });
      await expectNoEvent<Message>(v.socket, 'message', (m) => m.from === 'listener', 500);
    });

    it('chat:end with an outcome ends the chat for both sides', async () => {
      const t = await apps.start();
      const l = await joinAsListener(t.url);
      const v = await joinAsVisitor(t.url);
      const c = await chatBetween(l, v);
      const bad = await ack<Answer>(l.socket, 'chat:end', { conversationId: c.id, outcome: { topics: ['weather'], risk: 'none' } });
      expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
      expect(await ack<Answer>(l.socket, 'chat:end', { conversationId: c.id, outcome: { topics: ['family'], risk: 'high', note: 'follow up' } })).toEqual({ ok: true });
      expect(await next<ChatEnded>(v.socket, 'chat:ended')).toMatchObject({ conversationId: c.id, endedBy: 'listener' });
      expect(await next<Message>(v.socket, 'message', (m) => m.from === 'system' && m.code === 'ended')).toMatchObject({ seq: 2 });
      expect(await listenerSays(l, c.id, 'too late')).toMatchObject({ ok: false });
    });

    it('chat:transfer to the queue puts the visitor at the front with a transferred message, and the next listener gets the whole history', async () => {
      const t = await apps.start();
      const first = await joinAsListener(t.url, { maxConcurrent: 1 });
      const v = await joinAsVisitor(t.url);
      const c = await chatBetween(first, v, { language: 'en', firstMessage: 'my story' });
      await visitorSays(v, 'more of it');
      await listenerSays(first, c.id, 'I hear you');
      const behind = await joinAsVisitor(t.url);
      const behindId = await startChat(behind);

      await setStatus(first, 'away');
      expect(await ack<Answer>(first.socket, 'chat:transfer', { conversationId: c.id, to: 'queue' })).toEqual({ ok: true });
      const system = await next<Message>(v.socket, 'message', (m) => m.from === 'system' && m.code === 'transferred');
      expect(system.seq).toBe(5);
      expect((await next<SessionEvent>(v.socket, 'session', (s) => s.state.phase === 'queued')).state).toMatchObject({ conversationId: c.id, position: 1 });
      expect(await next<QueueUpdate>(behind.socket, 'queue:update', (u) => u.position === 2, 3000)).toMatchObject({ conversationId: behindId });
      expect(await listenerSays(first, c.id, 'still mine?')).toMatchObject({ ok: false, error: { code: 'not_yours' } });

      const second = await joinAsListener(t.url, { maxConcurrent: 1 });
      const { conversation } = await assignedTo(second, c.id);
      expect((conversation.messages ?? []).map((m) => [m.seq, m.from, m.code ?? m.text])).toEqual([
        [1, 'visitor', 'my story'],
        [2, 'system', 'assigned'],
        [3, 'visitor', 'more of it'],
        [4, 'listener', 'I hear you'],
        [5, 'system', 'transferred'],
        [6, 'system', 'assigned'],
      ]);
      expect(await visitorSays(v, 'hello again')).toMatchObject({ ok: true, seq: 7 });
      expect(await next<Message>(second.socket, 'message')).toMatchObject({ seq: 7, text: 'hello again' });
    });

    it('chat:transfer to the queue puts the conversation at the front, even ahead of a visitor who started earlier', async () => {
      const t = await apps.start();
      const l = await joinAsListener(t.url);
      await setStatus(l, 'away');
      const earlier = await joinAsVisitor(t.url);
      await startChat(earlier);
      const v = await joinAsVisitor(t.url);
      const id = await startChat(v);
      // Take the first queued session (position 2) out of the way: the one after the transfer counts.
      expect((await next<SessionEvent>(v.socket, 'session', (s) => s.state.phase === 'queued')).state).toMatchObject({ position: 2 });
      // The listener picks the later conversation by hand, then gives it back.
      expect((await ack<AcceptAnswer>(l.socket, 'chat:accept', { conversationId: id })).ok).toBe(true);
      expect(await ack<Answer>(l.socket, 'chat:transfer', { conversationId: id, to: 'queue' })).toEqual({ ok: true });
      const requeued = await next<SessionEvent>(v.socket, 'session', (s) => s.state.phase === 'queued' && s.state.conversationId === id);
      expect(requeued.state).toMatchObject({ position: 1 });
    });

    it('chat:transfer to a named listener hands the chat over with its history; an offline one is not_available', async () => {
      const t = await apps.start();
      const first = await joinAsListener(t.url);
      const v = await joinAsVisitor(t.url);
      const c = await chatBetween(first, v, { language: 'en', firstMessage: 'hello' });
      const offline = await createStaff(t.url, { languages: ['en'] });
      const colleague = await joinAsListener(t.url, { displayName: 'Colleague' });

      expect(await ack<Answer>(first.socket, 'chat:transfer', { conversationId: c.id, to: { listenerId: offline.user.id } })).toMatchObject({ ok: false, error: { code: 'not_available' } });
      expect(await ack<Answer>(first.socket, 'chat:transfer', { conversationId: c.id, to: { listenerId: first.staff.user.id } })).toMatchObject({ ok: false, error: { code: 'not_available' } });
      expect(await ack<Answer>(first.socket, 'chat:transfer', { conversationId: c.id, to: 'someone' })).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });

      expect(await ack<Answer>(first.socket, 'chat:transfer', { conversationId: c.id, to: { listenerId: colleague.staff.user.id } })).toEqual({ ok: true });
      const { conversation } = await assignedTo(colleague, c.id);
      expect(conversation.listenerId).toBe(colleague.staff.user.id);
      expect((conversation.messages ?? []).map((m) => m.code ?? m.text)).toEqual(['hello', 'assigned', 'transferred']);
      expect(await next(v.socket, 'chat:assigned', (p: { listener: { displayName: string } }) => p.listener.displayName === 'Colleague')).toEqual({
        conversationId: c.id,
        listener: { displayName: 'Colleague' },
      });
      expect(await listenerSays(first, c.id, 'gone')).toMatchObject({ ok: false, error: { code: 'not_yours' } });
      expect(await listenerSays(colleague, c.id, 'I am here now')).toMatchObject({ ok: true });
    });

    it('chat:flag alerts supervisors at once and shows in stats.conversations.flagged', async () => {
      const t = await apps.start();
      const l = await joinAsListener(t.url);
      const sup = await connect(t.url, '/supervisor', { cookie: await supervisorCookie(t.url) });
      await next(sup, 'stats');
      const v = await joinAsVisitor(t.url);
      const c = await chatBetween(l, v);

      expect(await ack<Answer>(l.socket, 'chat:flag', { conversationId: c.id, level: 'severe' })).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
      expect(await ack<Answer>(l.socket, 'chat:flag', { conversationId: c.id, level: 'urgent' })).toEqual({ ok: true });
      const alert = await next<Alert>(sup, 'alert', (a) => a.kind === 'flag', 2000);
      expect(alert).toMatchObject({ kind: 'flag', conversationId: c.id, level: 'urgent' });
      const stats = await next<StatsSnapshot>(sup, 'stats', (s) => s.conversations.flagged.length > 0, 4000);
      expect(stats.conversations.flagged).toEqual([{ conversationId: c.id, listenerId: l.staff.user.id, level: 'urgent', since: expect.any(String) }]);
      expect(stats.conversations.active).toBe(1);

      expect((await ack<Answer>(l.socket, 'chat:end', { conversationId: c.id })).ok).toBe(true);
      const after = await statsOf(t.url);
      expect(after.conversations).toEqual({ active: 0, flagged: [] });
      expect(after.today).toMatchObject({ started: 1, answered: 1, abandoned: 0 });
    });

    it('visitor:block ends the chat and that visitor token can no longer start one', async () => {
      const t = await apps.start();
      const l = await joinAsListener(t.url);
      const v = await joinAsVisitor(t.url);
      const c = await chatBetween(l, v);
      expect(await ack<Answer>(l.socket, 'visitor:block', { conversationId: c.id, reason: '   ' })).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
      expect(await ack<Answer>(l.socket, 'visitor:block', { conversationId: c.id, reason: 'threats' })).toEqual({ ok: true });
      expect(await next<ChatEnded>(v.socket, 'chat:ended')).toEqual({ conversationId: c.id, endedBy: 'listener', reason: 'blocked' });
      v.socket.disconnect();

      const back = await joinAsVisitor(t.url, v.token);
      expect(back.session.state).toMatchObject({ phase: 'ended', conversationId: c.id });
      expect(await ack<StartAnswer>(back.socket, 'chat:start', { language: 'en' })).toMatchObject({ ok: false, error: { code: 'blocked' } });
      const fresh = await joinAsVisitor(t.url);
      expect((await ack<StartAnswer>(fresh.socket, 'chat:start', { language: 'en' })).ok).toBe(true);
    });
  });

  describe('sessions', () => {
    it('logout disconnects that session\'s sockets within 5 seconds and the cookie no longer works', async () => {
      const t = await apps.start();
      const l = await joinAsListener(t.url);
      const gone = disconnected(l.socket, 5000);
      const res = await api(t.url, 'POST', '/api/auth/logout', l.staff.cookie);
      expect(res.status).toBe(204);
      await gone;
      expect(await refusal(rawSocket(t.url, '/listener', { extraHeaders: { origin: new URL(t.url).origin, cookie: l.staff.cookie } }))).toBe('unauthorized');
    });

    it('deactivating a user disconnects their sockets within 5 seconds', async () => {
      const t = await apps.start();
      const l = await joinAsListener(t.url);
      const admin = await supervisorCookie(t.url);
      const gone = disconnected(l.socket, 5000);
      const res = await api<{ user: { active: boolean } }>(t.url, 'PATCH', `/api/users/${l.staff.user.id}`, admin, { active: false });
      expect(res.status).toBe(200);
      expect(res.body.user.active).toBe(false);
      await gone;
      expect(await refusal(rawSocket(t.url, '/listener', { extraHeaders: { origin: new URL(t.url).origin, cookie: l.staff.cookie } }))).toBe('unauthorized');
    });
  });

  describe('alerts', () => {
    it('supervisors get long_wait when a visitor waits past LONG_WAIT_ALERT_SECONDS', async () => {
      const t = await apps.start({ LONG_WAIT_ALERT_SECONDS: '1' });
      const sup = await connect(t.url, '/supervisor', { cookie: await supervisorCookie(t.url) });
      const v = await joinAsVisitor(t.url);
      const id = await startChat(v);
      const alert = await next<Alert>(sup, 'alert', (a) => a.kind === 'long_wait', 4000);
      expect(alert).toMatchObject({ kind: 'long_wait', conversationId: id });
      expect(Number.isNaN(Date.parse(alert.at))).toBe(false);
    });

    it('no long_wait alert for a visitor who was answered in time', async () => {
      const t = await apps.start({ LONG_WAIT_ALERT_SECONDS: '1' });
      const sup = await connect(t.url, '/supervisor', { cookie: await supervisorCookie(t.url) });
      const l = await joinAsListener(t.url);
      const v = await joinAsVisitor(t.url);
      await chatBetween(l, v);
      await expectNoEvent<Alert>(sup, 'alert', (a) => a.kind === 'long_wait', 2000);
    });

    it('supervisors get no_listeners when visitors wait and nobody is available', async () => {
      const t = await apps.start();
      const sup = await connect(t.url, '/supervisor', { cookie: await supervisorCookie(t.url) });
      const l = await joinAsListener(t.url);
      await setStatus(l, 'away');
      const v = await joinAsVisitor(t.url);
      await startChat(v);
      const alert = await next<Alert>(sup, 'alert', (a) => a.kind === 'no_listeners', 3000);
      expect(Number.isNaN(Date.parse(alert.at))).toBe(false);
    });
  });
});
