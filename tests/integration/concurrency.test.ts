/**
 * Load over two nodes on one Redis: 200 visitors and 20 listeners (3 chats each). Every visitor
 * joins the queue while the listeners are away; then the listeners become available and end their
 * chats one by one, so the queue drains in waves and routing order can be checked afterwards.
 */
import type { ConversationView, Message } from '../../shared/protocol';
import { createStaff, startTestApp, type Staff, type TestApp } from '../support/app';
import { inBatches, logEntries, until, withDeadline } from '../support/load-helpers';
import { startRedis, type TestRedis } from '../support/redis-server';
import { ack, closeAll, connect, msgId, next, type ClientSocket } from '../support/sockets';

const VISITORS = 200;
const LISTENERS = 20;
const MAX_CONCURRENT = 3;
const MESSAGES_EACH_WAY = 3;
const DEADLINE_MS = 60_000;
const ACK_MS = 10_000;

type Reply = { ok: boolean; error?: { code: string }; seq?: number; conversationId?: string };

/** Listener languages: every language has several listeners, some speak only one. */
const LISTENER_LANGUAGES = [['fr'], ['nl'], ['en', 'fr'], ['fr', 'nl', 'en']];
const visitorLanguage = (i: number) => (i % 4 === 1 ? 'nl' : i % 4 === 3 ? 'en' : 'fr');
const isUrgent = (i: number) => i % 7 === 3;
const hasFirstMessage = (i: number) => i % 5 === 0;
const writesWhileQueued = (i: number) => i % 10 === 7;

interface VisitorRun {
  index: number;
  node: number;
  socket: ClientSocket;
  language: string;
  urgent: boolean;
  conversationId: string;
  /** Seqs of this visitor's own accepted messages (the first message is seq 1). */
  ownSeqs: number[];
  received: Message[];
  assignedEvents: number;
  ended: boolean;
  failures: string[];
}

interface ListenerRun {
  index: number;
  node: number;
  staff: Staff;
  socket: ClientSocket;
  assigned: ConversationView[];
  /** Per conversation: history at assignment, messages received later, own accepted seqs. */
  history: Map<string, Message[]>;
  received: Map<string, Message[]>;
  ownSeqs: Map<string, number[]>;
  work: Promise<void>[];
  failures: string[];
}

const seqsOf = (messages: readonly Message[]) => messages.map((m) => m.seq);
const isIncreasing = (xs: readonly number[]) => xs.every((x, i) => i === 0 || x > xs[i - 1]);
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('two nodes on one Redis under load', () => {
  let redis: TestRedis;
  let nodes: TestApp[] = [];

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    closeAll();
    for (const node of nodes) await node.stop();
    await redis.stop();
  });

  it('routes 200 visitors to 20 listeners once each, in order per language, and delivers every message once in seq order', async () => {
    const env = { RATE_LIMIT_MULTIPLIER: '0' };
    const a = await startTestApp({ redis, env });
    const b = await startTestApp({ redis, env: { ...env, REDIS_PREFIX: a.config.REDIS_PREFIX } });
    nodes = [a, b];
    expect(b.config.REDIS_PREFIX).toBe(a.config.REDIS_PREFIX);
    expect(a.store.kind).toBe('redis');

    const listeners = await withDeadline(startListeners(nodes), 20_000, 'listener setup');
    const visitors = await withDeadline(startVisitors(nodes), 20_000, 'visitor setup');
    for (const v of visitors) expect(v.conversationId).toBeTruthy();

    // Nothing is routed while every listener is away.
    const waiting = await a.app.domain.stats.queueSummary();
    expect(waiting.waiting).toBe(VISITORS);
    expect(listeners.every((l) => l.assigned.length === 0)).toBe(true);

    const started = Date.now();
    const available = await Promise.all(listeners.map((l) => ack<Reply>(l.socket, 'status:set', { status: 'available' }, ACK_MS)));
    expect(available.every((r) => r.ok)).toBe(true);
    await until(() => visitors.every((v) => v.ended), DEADLINE_MS - 5_000, 'every chat to end', 25);
    await withDeadline(Promise.all(listeners.flatMap((l) => l.work)), 10_000, 'listener chats');
    const drainMs = Date.now() - started;

    expect(listeners.flatMap((l) => l.failures)).toEqual([]);
    expect(visitors.flatMap((v) => v.failures)).toEqual([]);

    const assignedTo = checkAssignedOnce(listeners, visitors);
    await checkStore(a, visitors, assignedTo);
    checkRoutingOrder(listeners);
    await checkVisitorDelivery(visitors);
    await checkListenerDelivery(listeners);

    const crossNode = visitors.filter((v) => listeners.find((l) => l.staff.user.id === assignedTo.get(v.conversationId))?.node !== v.node);
    expect(crossNode.length).toBeGreaterThan(20);
    // Nothing failed unexpectedly on either node.
    for (const node of nodes) expect(logEntries(node.logs, 50).map((e) => e.msg)).toEqual([]);
    expect(drainMs).toBeLessThan(DEADLINE_MS);
  }, 120_000);
});

async function startListeners(nodes: TestApp[]): Promise<ListenerRun[]> {
  // The first call sets up the supervisor, so it goes alone; sessions live in Redis, valid on both nodes.
  const first = await createStaff(nodes[0].url, { languages: LISTENER_LANGUAGES[0], maxConcurrent: MAX_CONCURRENT });
  const rest = await inBatches(range(LISTENERS - 1), 5, (i) =>
    createStaff(nodes[0].url, { languages: LISTENER_LANGUAGES[i % LISTENER_LANGUAGES.length], maxConcurrent: MAX_CONCURRENT }),
  );
  return inBatches([first, ...rest], 10, async (staff, index) => {
    const node = index % 2;
    const socket = await connect(nodes[node].url, '/listener', { cookie: staff.cookie });
    const run: ListenerRun = { index, node, staff, socket, assigned: [], history: new Map(), received: new Map(), ownSeqs: new Map(), work: [], failures: [] };
    socket.on('chat:assigned', ({ conversation }: { conversation: ConversationView }) => {
      run.assigned.push(conversation);
      run.history.set(conversation.id, conversation.messages ?? []);
      run.work.push(listenerChat(run, conversation).catch((err: unknown) => void run.failures.push(`${conversation.id}: ${String(err)}`)));
    });
    socket.on('message', (m: Message) => {
      const list = run.received.get(m.conversationId) ?? [];
      list.push(m);
      run.received.set(m.conversationId, list);
    });
    const state = await next<{ status: string }>(socket, 'listener:state', () => true, ACK_MS);
    expect(state.status).toBe('available');
    const away = await ack<Reply>(socket, 'status:set', { status: 'away' }, ACK_MS);
    expect(away.ok).toBe(true);
    return run;
  });
}

/** The listener's side of one chat: write, wait for the visitor's messages, end it. */
async function listenerChat(run: ListenerRun, conversation: ConversationView): Promise<void> {
  const own: number[] = [];
  run.ownSeqs.set(conversation.id, own);
  for (let k = 0; k < MESSAGES_EACH_WAY; k += 1) {
    const r = await ack<Reply>(run.socket, 'message:send', { conversationId: conversation.id, clientMsgId: msgId(), text: `listener ${k}` }, ACK_MS);
    if (!r.ok || typeof r.seq !== 'number') throw new Error(`listener send refused: ${r.error?.code}`);
    own.push(r.seq);
  }
  const fromVisitor = () => (run.received.get(conversation.id) ?? []).filter((m) => m.from === 'visitor').length;
  await until(() => fromVisitor() >= MESSAGES_EACH_WAY, 20_000, `visitor messages in ${conversation.id}`);
  const end = await ack<Reply>(run.socket, 'chat:end', { conversationId: conversation.id, outcome: { topics: ['other'], risk: 'none' } }, ACK_MS);
  if (!end.ok) throw new Error(`chat:end refused: ${end.error?.code}`);
}

async function startVisitors(nodes: TestApp[]): Promise<VisitorRun[]> {
  const runs = await inBatches(range(VISITORS), 20, async (n) => {
    const index = n - 1;
    const node = (index >> 1) % 2 === 0 ? index % 2 : 1 - (index % 2);
    const socket = await connect(nodes[node].url, '/visitor');
    await next(socket, 'session', () => true, ACK_MS);
    const run: VisitorRun = {
      index, node, socket, language: visitorLanguage(index), urgent: isUrgent(index), conversationId: '',
      ownSeqs: [], received: [], assignedEvents: 0, ended: false, failures: [],
    };
    socket.on('message', (m: Message) => run.received.push(m));
    socket.on('chat:assigned', () => {
      run.assignedEvents += 1;
      void visitorChat(run).catch((err: unknown) => void run.failures.push(String(err)));
    });
    socket.on('chat:ended', () => {
      run.ended = true;
    });
    return run;
  });
  // One after the other, so the order of starts is known.
  for (const run of runs) {
    const i = run.index;
    const payload = { language: run.language, urgent: run.urgent, topic: 'other', ...(hasFirstMessage(i) ? { firstMessage: `first ${i}` } : {}) };
    const r = await ack<Reply>(run.socket, 'chat:start', payload, ACK_MS);
    if (!r.ok || !r.conversationId) throw new Error(`chat:start refused: ${r.error?.code}`);
    run.conversationId = r.conversationId;
    if (hasFirstMessage(i)) run.ownSeqs.push(1);
  }
  await Promise.all(
    runs.filter((r) => writesWhileQueued(r.index)).map(async (run) => {
      const r = await ack<Reply>(run.socket, 'message:send', { clientMsgId: msgId(), text: 'still waiting' }, ACK_MS);
      if (!r.ok || typeof r.seq !== 'number') throw new Error(`queued send refused: ${r.error?.code}`);
      run.ownSeqs.push(r.seq);
    }),
  );
  return runs;
}

/** The visitor's side of one chat: write a few messages as soon as a listener is there. */
async function visitorChat(run: VisitorRun): Promise<void> {
  for (let k = 0; k < MESSAGES_EACH_WAY; k += 1) {
    const r = await ack<Reply>(run.socket, 'message:send', { clientMsgId: msgId(), text: `visitor ${k}` }, ACK_MS);
    if (!r.ok || typeof r.seq !== 'number') throw new Error(`visitor send refused: ${r.error?.code}`);
    run.ownSeqs.push(r.seq);
  }
}

/** Each conversation reached exactly one listener, once; returns conversation -> listener id. */
function checkAssignedOnce(listeners: ListenerRun[], visitors: VisitorRun[]): Map<string, string> {
  const assignedTo = new Map<string, string>();
  const duplicates: string[] = [];
  for (const l of listeners) {
    for (const c of l.assigned) {
      if (assignedTo.has(c.id)) duplicates.push(c.id);
      assignedTo.set(c.id, l.staff.user.id);
    }
  }
  expect(duplicates).toEqual([]);
  expect(new Set(assignedTo.keys())).toEqual(new Set(visitors.map((v) => v.conversationId)));
  expect(visitors.filter((v) => v.assignedEvents !== 1).map((v) => v.index)).toEqual([]);
  for (const l of listeners) expect(l.assigned.length).toBeGreaterThan(0);
  return assignedTo;
}

async function checkStore(node: TestApp, visitors: VisitorRun[], assignedTo: Map<string, string>): Promise<void> {
  const records = await node.store.getConversations(visitors.map((v) => v.conversationId));
  records.forEach((c, i) => {
    expect(c?.listenerId).toBe(assignedTo.get(visitors[i].conversationId));
    expect(c?.state).toBe('ended');
  });
  expect(await node.store.activeCount()).toBe(0);
  expect((await node.app.domain.stats.queueSummary()).waiting).toBe(0);
}

/**
 * Per language: every urgent conversation was answered no later than any ordinary one, and within
 * each class, one that started earlier was answered no later than one that started after it.
 */
function checkRoutingOrder(listeners: ListenerRun[]): void {
  const all = listeners.flatMap((l) => l.assigned).map((c) => ({
    id: c.id, language: c.language, urgent: c.urgent, startedAt: Date.parse(c.startedAt), assignedAt: Date.parse(c.assignedAt ?? ''),
  }));
  expect(all.every((c) => Number.isFinite(c.assignedAt))).toBe(true);
  const violations: string[] = [];
  for (const language of ['fr', 'nl', 'en']) {
    const mine = all.filter((c) => c.language === language);
    const urgent = mine.filter((c) => c.urgent);
    const ordinary = mine.filter((c) => !c.urgent);
    expect(urgent.length).toBeGreaterThan(0);
    const lastUrgent = Math.max(...urgent.map((c) => c.assignedAt));
    const firstOrdinary = Math.min(...ordinary.map((c) => c.assignedAt));
    if (lastUrgent > firstOrdinary) violations.push(`${language}: an urgent chat was answered after an ordinary one`);
    for (const group of [urgent, ordinary]) {
      for (const x of group) {
        for (const y of group) {
          if (x.startedAt < y.startedAt && x.assignedAt > y.assignedAt) {
            violations.push(`${language}: ${x.id} started before ${y.id} but was answered ${x.assignedAt - y.assignedAt} ms later`);
          }
        }
      }
    }
  }
  expect(violations).toEqual([]);
}

/** The visitor saw every message not its own exactly once, in order; with its own, no gaps. */
async function checkVisitorDelivery(visitors: VisitorRun[]): Promise<void> {
  await inBatches(visitors, 20, async (v) => {
    const sync = await ack<{ ok: boolean; messages: Message[] }>(v.socket, 'sync', { conversationId: v.conversationId, afterSeq: 0 }, ACK_MS);
    expect(sync.ok).toBe(true);
    const all = seqsOf(sync.messages);
    expect(all).toEqual(range(all.length));
    const received = seqsOf(v.received.filter((m) => m.conversationId === v.conversationId));
    expect(isIncreasing(received)).toBe(true);
    expect([...received, ...v.ownSeqs].sort((x, y) => x - y)).toEqual(all);
    const visitorCount = (hasFirstMessage(v.index) ? 1 : 0) + (writesWhileQueued(v.index) ? 1 : 0) + MESSAGES_EACH_WAY;
    expect(sync.messages.filter((m) => m.from === 'visitor')).toHaveLength(visitorCount);
    expect(sync.messages.filter((m) => m.from === 'listener')).toHaveLength(MESSAGES_EACH_WAY);
    expect(sync.messages.filter((m) => m.from === 'system').map((m) => m.code)).toEqual(['assigned', 'ended']);
  });
}

/** The listener saw the history once at assignment, then each new message once, in order. */
async function checkListenerDelivery(listeners: ListenerRun[]): Promise<void> {
  for (const l of listeners) {
    for (const c of l.assigned) {
      const sync = await ack<{ ok: boolean; messages: Message[] }>(l.socket, 'sync', { conversationId: c.id, afterSeq: 0 }, ACK_MS);
      expect(sync.ok).toBe(true);
      const all = seqsOf(sync.messages);
      const seen = [...seqsOf(l.history.get(c.id) ?? []), ...seqsOf(l.received.get(c.id) ?? [])];
      expect(isIncreasing(seen)).toBe(true);
      expect([...seen, ...(l.ownSeqs.get(c.id) ?? [])].sort((x, y) => x - y)).toEqual(all);
      expect(all).toEqual(range(all.length));
    }
  }
}
