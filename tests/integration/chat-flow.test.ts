/** The main path over real sockets, on both stores: start, route, talk, sync, end, feedback. */
import { startRedis, type TestRedis } from '../support/redis-server';
import { createStaff, startTestApp, type TestApp } from '../support/app';
import { ack, closeAll, collect, connect, msgId, next } from '../support/sockets';

type Reply = { ok: boolean; error?: { code: string }; [k: string]: unknown };

describe.each([['memory'], ['redis']])('chat flow on the %s store', (kind) => {
  let redis: TestRedis | undefined;
  let t: TestApp;

  beforeAll(async () => {
    if (kind === 'redis') redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });
  beforeEach(async () => {
    t = await startTestApp({ redis });
  });
  afterEach(async () => {
    closeAll();
    await t.stop();
  });

  it('a visitor is routed to an available listener and both exchange messages in seq order', async () => {
    const staff = await createStaff(t.url, { languages: ['fr'] });
    const listener = await connect(t.url, '/listener', { cookie: staff.cookie });
    const state = await next<{ status: string }>(listener, 'listener:state');
    expect(state.status).toBe('available');

    const visitor = await connect(t.url, '/visitor');
    const session = await next<{ token: string; state: { phase: string } }>(visitor, 'session');
    expect(session.state.phase).toBe('idle');
    expect(session.token.length).toBeGreaterThanOrEqual(22);

    const assignedL = next<{ conversation: { id: string; messages: { seq: number }[] } }>(listener, 'chat:assigned');
    const assignedV = next<{ conversationId: string; listener: { displayName: string } }>(visitor, 'chat:assigned');
    const start = await ack<Reply>(visitor, 'chat:start', { language: 'fr', topic: 'feelings', firstMessage: 'hello' });
    expect(start.ok).toBe(true);
    const { conversation } = await assignedL;
    expect(conversation.id).toBe(start.conversationId);
    expect(conversation.messages.map((m) => m.seq)).toEqual([1, 2]);
    expect((await assignedV).listener.displayName).toBe(staff.user.displayName);

    const fromVisitor = next<{ seq: number; text: string; from: string }>(listener, 'message');
    const sent = await ack<Reply>(visitor, 'message:send', { clientMsgId: msgId(), text: '  I need to talk  ' });
    expect(sent).toMatchObject({ ok: true, seq: 3 });
    expect(await fromVisitor).toMatchObject({ seq: 3, text: 'I need to talk', from: 'visitor' });

    const fromListener = next<{ seq: number; from: string }>(visitor, 'message', (m) => m.from === 'listener');
    const reply = await ack<Reply>(listener, 'message:send', { conversationId: conversation.id, clientMsgId: msgId(), text: 'I am here' });
    expect(reply).toMatchObject({ ok: true, seq: 4 });
    expect((await fromListener).seq).toBe(4);

    const sync = await ack<{ ok: boolean; messages: { seq: number }[] }>(visitor, 'sync', { conversationId: conversation.id, afterSeq: 2 });
    expect(sync.messages.map((m) => m.seq)).toEqual([3, 4]);

    const endedV = next<{ endedBy: string }>(visitor, 'chat:ended');
    expect((await ack<Reply>(listener, 'chat:end', { conversationId: conversation.id, outcome: { topics: ['feelings'], risk: 'low' } })).ok).toBe(true);
    expect((await endedV).endedBy).toBe('listener');
    const fb = await ack<Reply>(visitor, 'feedback', { conversationId: conversation.id, rating: 5, comment: 'thanks' });
    expect(fb.ok).toBe(true);
    const again = await ack<Reply>(visitor, 'feedback', { conversationId: conversation.id, rating: 4 });
    expect(again.error?.code).toBe('already_rated');
  });

  it('sending the same clientMsgId twice answers the original seq and delivers once', async () => {
    const staff = await createStaff(t.url, { languages: ['en'] });
    const listener = await connect(t.url, '/listener', { cookie: staff.cookie });
    await next(listener, 'listener:state');
    const visitor = await connect(t.url, '/visitor');
    await next(visitor, 'session');
    const assigned = next<{ conversation: { id: string } }>(listener, 'chat:assigned');
    await ack(visitor, 'chat:start', { language: 'en' });
    await assigned;
    const received = collect<{ seq: number }>(listener, 'message');
    const id = msgId();
    const a = await ack<Reply>(visitor, 'message:send', { clientMsgId: id, text: 'once' });
    const b = await ack<Reply>(visitor, 'message:send', { clientMsgId: id, text: 'once' });
    expect(b.seq).toBe(a.seq);
    await new Promise((r) => setTimeout(r, 200));
    expect(received.filter((m) => m.seq === a.seq)).toHaveLength(1);
  });
});
