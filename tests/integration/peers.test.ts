/**
 * A node alone on its Redis keeps room broadcasts local (no PUBLISH per message); a second node
 * that joins is known before it accepts its first socket, so a chat across the two nodes loses
 * nothing; once it leaves, the first node is alone again.
 */
import { Redis } from 'ioredis';
import { CHECK_EVERY_MS } from '../../server/sockets/peers';
import { startTestApp, type TestApp } from '../support/app';
import { chatBetween, joinAsListener, joinAsVisitor, listenerSays, until, visitorSays } from '../support/integration-helpers';
import { startRedis, type TestRedis } from '../support/redis-server';
import { closeAll, next } from '../support/sockets';

const MESSAGES = 20;

describe('nodes on one Redis know whether they are alone', () => {
  let redis: TestRedis;
  let admin: Redis;
  const running: TestApp[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    admin = new Redis(redis.url);
  });
  afterAll(async () => {
    closeAll();
    for (const node of running) await node.stop();
    admin.disconnect();
    await redis.stop();
  });

  async function publishes(): Promise<number> {
    const info = await admin.info('commandstats');
    return Number(/cmdstat_publish:calls=(\d+)/.exec(info)?.[1] ?? 0);
  }

  it('relays without publishing while alone, across nodes once another joins, and alone again after it left', async () => {
    const env = { RATE_LIMIT_MULTIPLIER: '0' };
    const a = await startTestApp({ redis, env });
    running.push(a);
    expect(a.app.peers?.isAlone).toBe(true);

    const listener = await joinAsListener(a.url, { languages: ['en'], maxConcurrent: 5 });
    const first = await joinAsVisitor(a.url);
    const conversation = await chatBetween(listener, first);
    const before = await publishes();
    for (let i = 0; i < MESSAGES; i += 1) {
      const heard = next(listener.socket, 'message', (m: { text: string }) => m.text === `alone ${i}`);
      expect((await visitorSays(first, `alone ${i}`)).ok).toBe(true);
      await heard;
    }
    // Background work may publish now and then; one publish a message would be 20.
    expect((await publishes()) - before).toBeLessThan(5);

    // The second node is known to the first before it serves anyone.
    const b = await startTestApp({ redis, env: { ...env, REDIS_PREFIX: a.config.REDIS_PREFIX } });
    running.push(b);
    expect(a.app.peers?.isAlone).toBe(false);
    expect(b.app.peers?.isAlone).toBe(false);

    const second = await joinAsVisitor(b.url);
    const across = await chatBetween(listener, second);
    const toVisitor = next(second.socket, 'message', (m: { text: string }) => m.text === 'from node a');
    expect((await listenerSays(listener, across.id, 'from node a')).ok).toBe(true);
    await toVisitor;
    const toListener = next(listener.socket, 'message', (m: { text: string; conversationId: string }) => m.conversationId === across.id);
    expect((await visitorSays(second, 'from node b')).ok).toBe(true);
    expect((await toListener).text).toBe('from node b');

    // After the second node stops, the first counts itself alone at a later check.
    second.socket.disconnect();
    await b.stop();
    running.pop();
    await until('node a alone again', async () => a.app.peers?.isAlone, CHECK_EVERY_MS * 3);
    const stillHeard = next(listener.socket, 'message', (m: { text: string; conversationId: string }) => m.text === 'alone again');
    expect((await visitorSays(first, 'alone again')).ok).toBe(true);
    expect((await stillHeard).conversationId).toBe(conversation.id);
  });

  it('asks the other nodes whether a visitor is online without publishing their token or address', async () => {
    const env = { RATE_LIMIT_MULTIPLIER: '0' };
    const a = await startTestApp({ redis, env });
    running.push(a);
    const b = await startTestApp({ redis, env: { ...env, REDIS_PREFIX: a.config.REDIS_PREFIX } });
    running.push(b);
    const visitor = await joinAsVisitor(b.url);
    const [onB] = b.app.io.of('/visitor').sockets.values();
    const { visitorId } = onB.data as { visitorId: string };

    const published: string[] = [];
    const spy = new Redis(redis.url);
    spy.on('pmessageBuffer', (_pattern: Buffer, _channel: Buffer, message: Buffer) => published.push(message.toString('latin1')));
    await spy.psubscribe('*');
    try {
      const notifier = a.app.domain.ctx.notifier;
      expect(await notifier.visitorOnline(visitorId)).toBe(true);
      expect(await notifier.visitorOnline('no-such-visitor')).toBe(false);
      visitor.socket.disconnect();
      await until('the visitor gone from node b', async () => b.app.io.of('/visitor').sockets.size === 0, 5_000);
      expect(await notifier.visitorOnline(visitorId)).toBe(false);
    } finally {
      spy.disconnect();
    }
    // The question and the answers went through Redis, and nothing of the visitor's socket with them.
    expect(published.some((m) => m.includes(visitorId))).toBe(true);
    expect(published.filter((m) => m.includes(visitor.token) || m.includes('127.0.0.1') || m.includes('handshake'))).toEqual([]);
    for (const node of running.splice(0)) await node.stop();
  });
});
