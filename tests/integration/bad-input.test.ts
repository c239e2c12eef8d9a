/**
 * Bad input: for every client event of the visitor and listener namespaces, hundreds of generated
 * malformed payloads are answered with an error code (never `ok: true`, never `internal`) or
 * dropped; the socket stays up, nothing reaches anyone, and the whole state is unchanged.
 * Also: foreign Origins are refused on every namespace, over websocket and polling, with 403.
 */
import { request as httpRequest } from 'node:http';
import fc from 'fast-check';
import { maxPacketBytes } from '../../server/sockets';
import { ERROR_MESSAGES, isErrorCode } from '../../shared/errors';
import type { ConversationView, Message, QueueSummary } from '../../shared/protocol';
import { makeSchemas, type Schemas } from '../../shared/schemas';
import { adminCookie, createStaff, startTestApp, type Staff, type TestApp } from '../support/app';
import { invalidArb, logEntries, type EventSpec, type Payload } from '../support/load-helpers';
import { startRedis, type TestRedis } from '../support/redis-server';
import { ack, closeAll, connect, msgId, next, rawSocket, sleep, type ClientSocket } from '../support/sockets';

type Reply = { ok: boolean; error?: { code: string; message: string }; [key: string]: unknown };

const FUZZ_TIME_LIMIT_MS = 45_000;
const FOREIGN = 'https://evil.example';

interface Party {
  socket: ClientSocket;
  token: string;
  conversationId: string;
}

interface World {
  t: TestApp;
  schemas: Schemas;
  l1: Staff;
  l2: Staff;
  l1s: ClientSocket;
  l2s: ClientSocket;
  /** Chatting with l1. */
  v1: Party;
  /** Waiting in the queue (everyone is away). */
  v2: Party;
  /** Conversation ended, not yet rated. */
  v3: Party;
}

// ---------------------------------------------------------------------------------------------
// The world the fuzz runs against, and its snapshot

function visitorEvents(w: World): EventSpec[] {
  const s = w.schemas.visitor;
  return [
    { event: 'chat:start', schema: s.chatStart, base: { language: 'fr', topic: 'feelings', ageRange: '15-17', urgent: false, firstMessage: 'hello' } },
    { event: 'message:send', schema: s.messageSend, base: { clientMsgId: 'abcdefgh-1234', text: 'hello' } },
    { event: 'typing', schema: s.typing, base: { isTyping: true } },
    { event: 'sync', schema: s.sync, base: { conversationId: w.v1.conversationId, afterSeq: 0 } },
    { event: 'chat:end', schema: s.chatEnd, base: { reason: 'quick_exit' } },
    { event: 'feedback', schema: s.feedback, base: { conversationId: w.v3.conversationId, rating: 4, comment: 'thanks' } },
  ];
}

function listenerEvents(w: World): EventSpec[] {
  const s = w.schemas.listener;
  const conversationId = w.v1.conversationId;
  return [
    { event: 'status:set', schema: s.statusSet, base: { status: 'available' } },
    { event: 'chat:accept', schema: s.chatAccept, base: { conversationId: w.v2.conversationId } },
    { event: 'message:send', schema: s.messageSend, base: { conversationId, clientMsgId: 'abcdefgh-1234', text: 'hello' } },
    { event: 'typing', schema: s.typing, base: { conversationId, isTyping: true } },
    { event: 'sync', schema: s.sync, base: { conversationId, afterSeq: 0 } },
    { event: 'chat:end', schema: s.chatEnd, base: { conversationId, outcome: { topics: ['other'], risk: 'low', note: 'wrap-up' } } },
    { event: 'chat:transfer', schema: s.chatTransfer, base: { conversationId, to: { listenerId: w.l2.user.id } } },
    { event: 'chat:flag', schema: s.chatFlag, base: { conversationId, level: 'urgent' } },
    { event: 'visitor:block', schema: s.visitorBlock, base: { conversationId, reason: 'abusive' } },
    { event: 'canned:list', schema: s.cannedList, base: { language: 'fr' } },
  ];
}

async function visitorParty(t: TestApp, start: Payload): Promise<Party> {
  const socket = await connect(t.url, '/visitor');
  const session = await next<{ token: string }>(socket, 'session');
  const r = await ack<Reply>(socket, 'chat:start', start);
  expect(r.ok).toBe(true);
  return { socket, token: session.token, conversationId: String(r.conversationId) };
}

async function buildWorld(t: TestApp): Promise<World> {
  const schemas = makeSchemas({ languages: t.config.LANGUAGES, topics: t.config.TOPICS, maxMessageLength: t.config.MAX_MESSAGE_LENGTH });
  const l1 = await createStaff(t.url, { languages: ['fr', 'nl', 'en'], maxConcurrent: 3 });
  const l2 = await createStaff(t.url, { languages: ['fr', 'nl', 'en'], maxConcurrent: 3 });
  const l2s = await connect(t.url, '/listener', { cookie: l2.cookie });
  await next(l2s, 'listener:state');
  expect((await ack<Reply>(l2s, 'status:set', { status: 'away' })).ok).toBe(true);
  const l1s = await connect(t.url, '/listener', { cookie: l1.cookie });
  await next(l1s, 'listener:state');

  const assigned = next<{ conversation: ConversationView }>(l1s, 'chat:assigned');
  const v1 = await visitorParty(t, { language: 'fr', topic: 'feelings', firstMessage: 'hello there' });
  expect((await assigned).conversation.id).toBe(v1.conversationId);
  expect((await ack<Reply>(v1.socket, 'message:send', { clientMsgId: msgId(), text: 'visitor line' })).ok).toBe(true);
  expect((await ack<Reply>(l1s, 'message:send', { conversationId: v1.conversationId, clientMsgId: msgId(), text: 'listener line' })).ok).toBe(true);
  expect((await ack<Reply>(l1s, 'status:set', { status: 'away' })).ok).toBe(true);

  const v3 = await visitorParty(t, { language: 'nl' });
  expect((await ack<Reply>(l1s, 'chat:accept', { conversationId: v3.conversationId })).ok).toBe(true);
  expect((await ack<Reply>(l1s, 'chat:end', { conversationId: v3.conversationId })).ok).toBe(true);
  await next(v3.socket, 'chat:ended');

  const v2 = await visitorParty(t, { language: 'en', urgent: true, firstMessage: 'anyone?' });
  await sleep(100);
  return { t, schemas, l1, l2, l1s, l2s, v1, v2, v3 };
}

/** The queue summary without what changes by itself as time passes. */
function timeless(queue: QueueSummary) {
  return { ...without(queue, 'oldestWaitSeconds', 'list'), list: queue.list?.map((item) => without(item, 'waitedSeconds')) };
}

function without<T extends object, K extends keyof T>(value: T, ...keys: K[]): Omit<T, K> {
  const copy = { ...value };
  for (const k of keys) delete copy[k];
  return copy;
}

/** Everything a malformed payload could have changed, without the fields that move with the clock. */
async function snapshot(w: World): Promise<unknown> {
  const { store, app } = w.t;
  const parties = [w.v1, w.v2, w.v3];
  const transcripts = await Promise.all(parties.map((p) => ack<{ ok: boolean; messages: Message[] }>(p.socket, 'sync', { conversationId: p.conversationId, afterSeq: 0 })));
  const conversations = await store.getConversations(parties.map((p) => p.conversationId));
  const visitors = await Promise.all(conversations.map((c) => (c ? store.getVisitor(c.visitorId) : null)));
  const listenerStates = [];
  for (const staff of [w.l1, w.l2]) {
    const probe = await connect(w.t.url, '/listener', { cookie: staff.cookie });
    const state = await next<{ status: string; conversations: ConversationView[] }>(probe, 'listener:state');
    probe.disconnect();
    listenerStates.push({ status: state.status, conversations: state.conversations.map((c) => without(c, 'waitedSeconds')) });
  }
  const presences = (await store.listPresence()).map((p) => without(p, 'connections')).sort((a, b) => String(a.userId).localeCompare(String(b.userId)));
  const stats = await app.domain.stats.snapshot();
  const queue = await app.domain.stats.queueSummary();
  return {
    transcripts,
    conversations,
    visitors,
    listenerStates,
    presences,
    stats: { ...without(stats, 'at'), queue: timeless(stats.queue), listeners: { ...stats.listeners, list: [...stats.listeners.list].sort((a, b) => a.id.localeCompare(b.id)) } },
    queue: timeless(queue),
    canned: await store.getCanned('fr'),
  };
}

/** Why a reply is not an acceptable refusal, or null when it is. */
function refusalProblem(reply: Reply): string | null {
  if (reply.ok !== false) return 'answered ok: true';
  const code = reply.error?.code;
  if (!isErrorCode(code)) return `unknown code ${String(code)}`;
  if (code === 'internal') return 'answered internal';
  if (reply.error?.message !== ERROR_MESSAGES[code]) return 'a message not from the list';
  if (Object.keys(reply).sort().join(',') !== 'error,ok') return 'extra fields in the reply';
  return null;
}

/** Events other sockets saw while the fuzz ran: none may reach anyone but the sender. */
function watchOthers(sockets: ClientSocket[]): { event: string }[] {
  const seen: { event: string }[] = [];
  for (const s of sockets) {
    s.onAny((event: string) => {
      if (event !== 'queue:update' && event !== 'stats') seen.push({ event });
    });
  }
  return seen;
}

async function fuzzEvent(socket: ClientSocket, spec: EventSpec, numRuns: number, maxBytes: number, codes: Map<string, number>): Promise<void> {
  await fc.assert(
    fc.asyncProperty(invalidArb(spec, maxBytes), async (payload) => {
      if (!socket.connected) throw new Error('the socket was disconnected');
      const reply = await ack<Reply>(socket, spec.event, payload, 5000);
      const problem = refusalProblem(reply);
      if (problem) throw new Error(`${spec.event}: ${problem}: ${JSON.stringify(reply)}`);
      const code = reply.error?.code ?? '';
      codes.set(code, (codes.get(code) ?? 0) + 1);
    }),
    { numRuns, endOnFailure: true, interruptAfterTimeLimit: FUZZ_TIME_LIMIT_MS, markInterruptAsFailure: true },
  );
  expect(socket.connected).toBe(true);
}

const STORE_RUNS: [string, number][] = [
  ['memory', 300],
  ['redis', 60],
];

describe.each(STORE_RUNS)('malformed payloads on the %s store', (kind, runs) => {
  let redis: TestRedis | undefined;
  let t: TestApp;
  let w: World;
  let maxBytes: number;
  const protoNames = Object.getOwnPropertyNames(Object.prototype).sort();

  beforeAll(async () => {
    if (kind === 'redis') redis = await startRedis();
    t = await startTestApp({ redis });
    w = await buildWorld(t);
    maxBytes = maxPacketBytes(t.config);
  });
  afterAll(async () => {
    closeAll();
    await t.stop();
    await redis?.stop();
  });
  afterEach(() => {
    // Nothing may fail unexpectedly, and nothing may pollute prototypes in this process.
    expect(logEntries(t.logs, 50).map((e) => e.msg)).toEqual([]);
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(protoNames);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('every visitor event refuses each malformed payload with an error code and changes nothing', async () => {
    const before = await snapshot(w);
    const others = watchOthers([w.l1s, w.l2s, w.v2.socket, w.v3.socket]);
    const codes = new Map<string, number>();
    for (const spec of visitorEvents(w)) {
      await fuzzEvent(w.v1.socket, spec, runs, maxBytes, codes);
      // The ended visitor too (feedback and a new start are possible there), with fewer runs.
      await fuzzEvent(w.v3.socket, spec, Math.ceil(runs / 5), maxBytes, codes);
      const probe = await ack<Reply>(w.v1.socket, 'sync', { conversationId: w.v1.conversationId, afterSeq: 0 });
      expect(probe.ok).toBe(true);
    }
    expect([...codes.keys()]).toEqual(['invalid_payload']);
    expect(others).toEqual([]);
    expect(await snapshot(w)).toEqual(before);
  }, 240_000);

  it('every listener event refuses each malformed payload with an error code and changes nothing', async () => {
    const before = await snapshot(w);
    const others = watchOthers([w.v1.socket, w.v2.socket, w.v3.socket, w.l2s]);
    const codes = new Map<string, number>();
    for (const spec of listenerEvents(w)) {
      await fuzzEvent(w.l1s, spec, runs, maxBytes, codes);
      const probe = await ack<Reply>(w.l1s, 'sync', { conversationId: w.v1.conversationId, afterSeq: 0 });
      expect(probe.ok).toBe(true);
    }
    expect([...codes.keys()]).toEqual(['invalid_payload']);
    expect(others).toEqual([]);
    expect(await snapshot(w)).toEqual(before);
  }, 240_000);

  it('valid-looking payloads with an own __proto__ or constructor key are refused as invalid_payload', async () => {
    const before = await snapshot(w);
    const cases: [ClientSocket, EventSpec][] = [
      ...visitorEvents(w).map((spec): [ClientSocket, EventSpec] => [w.v1.socket, spec]),
      ...listenerEvents(w).map((spec): [ClientSocket, EventSpec] => [w.l1s, spec]),
    ];
    for (const [socket, spec] of cases) {
      for (const key of ['__proto__', 'constructor']) {
        // JSON.parse makes `__proto__` an own key, exactly as the server's parser does.
        const payload: unknown = JSON.parse(JSON.stringify(spec.base).replace(/^\{/, `{"${key}":{"polluted":true},`));
        const reply = await ack<Reply>(socket, spec.event, payload);
        expect({ event: spec.event, key, code: reply.error?.code }).toEqual({ event: spec.event, key, code: 'invalid_payload' });
      }
    }
    expect(await snapshot(w)).toEqual(before);
  });

  it('binary payloads are refused, even where an empty one would look like {} or hide a __proto__ key', async () => {
    const before = await snapshot(w);
    // An empty Buffer has no own keys: it must not pass for `{}`.
    expect((await ack<Reply>(w.v1.socket, 'chat:end', new Uint8Array(0))).error?.code).toBe('invalid_payload');
    expect((await ack<Reply>(w.l1s, 'chat:accept', new Uint8Array(0))).error?.code).toBe('invalid_payload');
    expect((await ack<Reply>(w.l1s, 'status:set', { status: 'available', blob: new Uint8Array(2) })).error?.code).toBe('invalid_payload');

    // Hand-made packets: the decoder puts the binary back by assignment; `__proto__` must stay a
    // refused own key and never become the object's prototype, out of a strict schema's sight.
    const engine = w.l1s.io.engine;
    const crafted = [
      '{"status":"available","__proto__":{}}',
      '{"status":"available","__proto__":{"_placeholder":true,"num":0}}',
      '{"status":"available","__proto__":[]}',
    ];
    for (const [i, json] of crafted.entries()) {
      const id = 7000 + i;
      const prefix = `3/listener,${id}`;
      const answer = new Promise<unknown>((resolve) => {
        const onMessage = (data: unknown) => {
          if (typeof data !== 'string' || !data.startsWith(prefix)) return;
          engine.off('message', onMessage);
          resolve((JSON.parse(data.slice(prefix.length)) as unknown[])[0]);
        };
        engine.on('message', onMessage);
      });
      engine.write(`51-/listener,${id}["status:set",${json}]`);
      engine.write(Buffer.from([1, 2, 3]));
      expect({ json, answer: await answer }).toMatchObject({ json, answer: { ok: false, error: { code: 'invalid_payload' } } });
    }
    await sleep(100);
    expect(await snapshot(w)).toEqual(before);
  });

  it('text that passes the schema but not the rules is refused with too_long or invalid_payload', async () => {
    const before = await snapshot(w);
    const tooLong = 'x'.repeat(t.config.MAX_MESSAGE_LENGTH + 1);
    const cases: [ClientSocket, string, Payload, string][] = [
      [w.v1.socket, 'message:send', { clientMsgId: msgId(), text: tooLong }, 'too_long'],
      [w.v1.socket, 'message:send', { clientMsgId: msgId(), text: ` ${tooLong} ` }, 'too_long'],
      [w.v1.socket, 'message:send', { clientMsgId: msgId(), text: ' \n\t ' }, 'invalid_payload'],
      [w.v1.socket, 'message:send', { clientMsgId: msgId(), text: '' }, 'invalid_payload'],
      [w.v3.socket, 'chat:start', { language: 'fr', firstMessage: tooLong }, 'too_long'],
      [w.l1s, 'message:send', { conversationId: w.v1.conversationId, clientMsgId: msgId(), text: tooLong }, 'too_long'],
      [w.l1s, 'message:send', { conversationId: w.v1.conversationId, clientMsgId: msgId(), text: '   ' }, 'invalid_payload'],
    ];
    for (const [socket, event, payload, code] of cases) {
      const reply = await ack<Reply>(socket, event, payload);
      expect({ event, code: reply.error?.code }).toEqual({ event, code });
    }
    expect(await snapshot(w)).toEqual(before);
  });

  it('events without an acknowledgement and bad payloads are dropped without a crash', async () => {
    const before = await snapshot(w);
    const sample = (spec: EventSpec, n: number) => fc.sample(invalidArb(spec, maxBytes), { numRuns: n });
    const others = watchOthers([w.v2.socket, w.v3.socket, w.l2s]);
    const n = Math.ceil(runs / 6);
    for (const spec of visitorEvents(w)) {
      for (const payload of sample(spec, n)) w.v1.socket.emit(spec.event, payload);
      // An ack in the wrong place is no ack: the server must not call a string.
      for (const payload of sample(spec, 5)) w.v1.socket.emit(spec.event, payload, 'not a callback');
    }
    for (const spec of listenerEvents(w)) {
      for (const payload of sample(spec, n)) w.l1s.emit(spec.event, payload);
      for (const payload of sample(spec, 5)) w.l1s.emit(spec.event, payload, 42);
    }
    // Events nobody listens to, some with names that mean something to an EventEmitter.
    for (const name of ['error', '__proto__', 'constructor', 'hasOwnProperty', 'session', 'listener:state', 'x'.repeat(500)]) {
      w.v1.socket.emit(name, { text: 'x' });
      w.l1s.emit(name, null);
    }
    // Acks queue behind the dropped events, so these answer only once all of them were handled.
    expect((await ack<Reply>(w.v1.socket, 'sync', { conversationId: w.v1.conversationId, afterSeq: 0 }, 20_000)).ok).toBe(true);
    expect((await ack<Reply>(w.l1s, 'sync', { conversationId: w.v1.conversationId, afterSeq: 0 }, 20_000)).ok).toBe(true);
    await sleep(200);
    expect(w.v1.socket.connected && w.l1s.connected).toBe(true);
    expect(others).toEqual([]);
    expect(await snapshot(w)).toEqual(before);
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
  }, 60_000);

  it('a packet socket.io cannot decode closes only that socket; a reconnect resumes with nothing changed', async () => {
    const before = await snapshot(w);
    const gone = new Promise<string>((resolve) => w.v1.socket.once('disconnect', (reason) => resolve(reason)));
    // A binary event whose placeholder points at an attachment that does not exist.
    w.v1.socket.io.engine.write('51-/visitor,["message:send",{"clientMsgId":"abcdefgh-1","text":{"_placeholder":true,"num":9}}]');
    w.v1.socket.io.engine.write(Buffer.from([1]));
    expect(await gone).toBe('transport close');
    const v1 = await connect(t.url, '/visitor', { token: w.v1.token });
    expect((await next<{ state: { phase: string } }>(v1, 'session')).state.phase).toBe('chatting');
    w.v1 = { ...w.v1, socket: v1 };
    expect(w.l1s.connected && w.v2.socket.connected).toBe(true);
    expect(await snapshot(w)).toEqual(before);
  });

  it('a packet above maxHttpBufferSize closes only that socket; a reconnect resumes with nothing changed', async () => {
    const before = await snapshot(w);
    const huge = 'x'.repeat(maxBytes + 1000);

    const visitorGone = new Promise<string>((resolve) => w.v1.socket.once('disconnect', (reason) => resolve(reason)));
    w.v1.socket.emit('message:send', { clientMsgId: msgId(), text: huge });
    expect(await visitorGone).toBe('transport close');
    const v1 = await connect(t.url, '/visitor', { token: w.v1.token });
    const session = await next<{ token: string; state: { phase: string; conversationId?: string } }>(v1, 'session');
    expect(session.state).toMatchObject({ phase: 'chatting', conversationId: w.v1.conversationId });
    w.v1 = { ...w.v1, socket: v1 };

    const listenerGone = new Promise<string>((resolve) => w.l1s.once('disconnect', (reason) => resolve(reason)));
    w.l1s.emit('visitor:block', { conversationId: w.v1.conversationId, reason: huge });
    expect(await listenerGone).toBe('transport close');
    const l1s = await connect(t.url, '/listener', { cookie: w.l1.cookie });
    const state = await next<{ conversations: ConversationView[] }>(l1s, 'listener:state');
    expect(state.conversations.map((c) => c.id)).toEqual([w.v1.conversationId]);
    w.l1s = l1s;

    // The other sockets never noticed, nothing changed, and both sides still talk.
    expect(w.v2.socket.connected && w.v3.socket.connected && w.l2s.connected).toBe(true);
    expect(await snapshot(w)).toEqual(before);
    const reaches = next<Message>(l1s, 'message', (m) => m.text === 'still here');
    expect((await ack<Reply>(v1, 'message:send', { clientMsgId: msgId(), text: 'still here' })).ok).toBe(true);
    expect((await reaches).conversationId).toBe(w.v1.conversationId);
  }, 30_000);
});

// ---------------------------------------------------------------------------------------------
// Origin allow-list

/** The status line of a raw websocket upgrade request: 101 when accepted. */
function upgradeStatus(url: string, origin: string | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}/socket.io/?EIO=4&transport=websocket`, {
      headers: {
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': Buffer.from('0123456789abcdef').toString('base64'),
        ...(origin ? { origin } : {}),
      },
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve(res.statusCode ?? 0);
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.setTimeout(5000, () => req.destroy(new Error('no answer')));
    req.end();
  });
}

/** Resolves 'connect' or the connect_error message. */
function outcome(socket: ClientSocket): Promise<string> {
  return new Promise((resolve) => {
    socket.once('connect', () => resolve('connect'));
    socket.once('connect_error', (err: Error) => resolve(`connect_error: ${err.message}`));
  });
}

describe('the Origin allow-list on Socket.IO handshakes', () => {
  let t: TestApp;
  let supervisorCookie: string;

  beforeAll(async () => {
    t = await startTestApp();
    await createStaff(t.url);
    supervisorCookie = adminCookie(t.url) ?? '';
    expect(supervisorCookie).not.toBe('');
  });
  afterAll(async () => {
    closeAll();
    await t.stop();
  });

  const namespaces = ['/visitor', '/listener', '/supervisor'];
  const transports: ('websocket' | 'polling')[] = ['websocket', 'polling'];

  it.each(transports)('refuses a foreign Origin on every namespace over %s', async (transport) => {
    for (const nsp of namespaces) {
      for (const origin of [FOREIGN, 'null', `${t.url}.evil.example`]) {
        const socket = rawSocket(t.url, nsp, { transports: [transport], extraHeaders: { origin, cookie: supervisorCookie } });
        expect({ nsp, origin, result: await outcome(socket) }).toEqual({ nsp, origin, result: expect.stringMatching(/^connect_error/) });
        socket.disconnect();
      }
    }
  });

  it.each(transports)('accepts the own origin and a missing Origin on every namespace over %s', async (transport) => {
    for (const nsp of namespaces) {
      for (const origin of [t.config.PUBLIC_ORIGIN, undefined]) {
        const socket = rawSocket(t.url, nsp, { transports: [transport], extraHeaders: { ...(origin ? { origin } : {}), cookie: supervisorCookie } });
        expect({ nsp, origin, result: await outcome(socket) }).toEqual({ nsp, origin, result: 'connect' });
        socket.disconnect();
      }
    }
  });

  it('answers a foreign polling handshake with HTTP 403 and the own origin or none with 200', async () => {
    const poll = (origin?: string) => fetch(`${t.url}/socket.io/?EIO=4&transport=polling`, { headers: origin ? { origin } : {} });
    const foreign = await poll(FOREIGN);
    expect(foreign.status).toBe(403);
    await foreign.text();
    expect((await poll('null')).status).toBe(403);
    const own = await poll(t.config.PUBLIC_ORIGIN);
    expect(own.status).toBe(200);
    await own.text();
    const none = await poll();
    expect(none.status).toBe(200);
    await none.text();
  });

  it('answers a foreign websocket upgrade with HTTP 403 and the own origin or none with 101', async () => {
    expect(await upgradeStatus(t.url, FOREIGN)).toBe(403);
    expect(await upgradeStatus(t.url, 'null')).toBe(403);
    expect(await upgradeStatus(t.url, t.config.PUBLIC_ORIGIN)).toBe(101);
    expect(await upgradeStatus(t.url, undefined)).toBe(101);
  });

  it('keeps serving after refused handshakes', async () => {
    const v = await connect(t.url, '/visitor');
    expect((await next<{ state: { phase: string } }>(v, 'session')).state.phase).toBe('idle');
    expect(logEntries(t.logs, 50)).toEqual([]);
  });
});
