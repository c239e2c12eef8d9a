/**
 * Fault test: a server node killed outright (SIGKILL: no disconnects, no cleanup) must not leave
 * its listeners "online" for ever, nor its visitors without a grace period. Node A runs in this
 * process; node B is a child process on the same private Redis and key prefix, so it can be killed.
 */
import type { Message } from '../../shared/protocol';
import { createStaff, startTestApp, type TestApp } from '../support/app';
import { startChildNode, type ChildNode } from '../support/child-node';
import {
  assignedTo,
  chatBetween,
  connectListener,
  disconnected,
  joinAsListener,
  joinAsVisitor,
  startChat,
  until,
} from '../support/integration-helpers';
import { startRedis, type TestRedis } from '../support/redis-server';
import { closeAll, next } from '../support/sockets';

const SETTINGS = { VISITOR_GRACE_SECONDS: '1', LISTENER_GRACE_SECONDS: '1', NODE_TIMEOUT_SECONDS: '3' };
/** B's silence is noticed within the timeout (3 s) and a reap round (2 s); then the grace period (1 s), a timer round and slack. */
const AFTER_KILL_MS = 15_000;

let redis: TestRedis;
let a: TestApp;
let b: ChildNode;

beforeAll(async () => {
  redis = await startRedis({ appendonly: false });
  const prefix = `crash${process.pid}:`;
  a = await startTestApp({ redis, env: { ...SETTINGS, REDIS_PREFIX: prefix } });
  b = await startChildNode({ ...SETTINGS, REDIS_URL: redis.url, REDIS_PREFIX: prefix });
}, 60_000);

afterAll(async () => {
  closeAll();
  await b?.kill();
  await a?.stop();
  await redis?.stop();
});

test('after a node is killed, its listener\'s chat goes back to the queue and to a listener on a surviving node, and its queued visitor is dropped', async () => {
  const lost = await createStaff(a.url, { languages: ['en'], maxConcurrent: 1 });
  const lostOnB = await connectListener(b.url, lost);
  const v1 = await joinAsVisitor(a.url);
  const c1 = await chatBetween(lostOnB, v1, { language: 'en', firstMessage: 'are you there?' });
  const v2 = await joinAsVisitor(b.url);
  const c2 = await startChat(v2, { language: 'nl' });
  const survivor = await joinAsListener(a.url, { languages: ['en'], displayName: 'Survivor' });
  expect((await a.store.getPresence(lost.user.id))?.connections).toBe(1);

  await b.kill();

  const system = await next<Message>(v1.socket, 'message', (m) => m.code === 'listener_lost', AFTER_KILL_MS);
  expect(system).toMatchObject({ conversationId: c1.id, from: 'system' });
  const { conversation } = await assignedTo(survivor, c1.id, 5_000);
  expect(conversation.listenerId).toBe(survivor.staff.user.id);
  expect((conversation.messages ?? []).map((m) => m.code ?? m.text)).toEqual(['are you there?', 'assigned', 'listener_lost', 'assigned']);

  const dropped = await until('the queued visitor of the killed node is dropped', async () => {
    const c = await a.store.getConversation(c2);
    return c?.state === 'ended' ? c : null;
  }, AFTER_KILL_MS, 200);
  expect(dropped).toMatchObject({ endedBy: 'system', reason: 'grace_expired' });
  expect(await a.store.getPresence(lost.user.id)).toBeNull();
  expect(await a.store.deadNodes()).toEqual([]);
}, 60_000);

test('a node that was presumed dead (it stalled) drops its sockets, which reconnect and are counted afresh', async () => {
  const l = await joinAsListener(a.url, { languages: ['fr'] });
  const { nodeId } = a.app.domain.ctx;
  const grace = { visitorGraceDueAt: Date.now() + 60_000, listenerGraceDueAt: Date.now() + 60_000 };
  expect(await a.store.reapNode({ nodeId, ...grace, force: true })).toMatchObject({ listenerIds: expect.arrayContaining([l.staff.user.id]) });

  // Its next heartbeat (every NODE_TIMEOUT / 3 = 1 s) tells it.
  await disconnected(l.socket, 5_000);
  expect((await a.store.getPresence(l.staff.user.id))?.connections).toBe(0);
  await connectListener(a.url, l.staff);
  expect((await a.store.getPresence(l.staff.user.id))?.connections).toBe(1);
}, 30_000);
