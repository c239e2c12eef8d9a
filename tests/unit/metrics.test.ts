import { createMetrics } from '../../server/metrics';
import { buildDomain } from '../support/domain-harness';

const sample = async () => ({ queueByLanguage: {}, activeConversations: 0, listenersByStatus: { available: 0, away: 0, offline: 0 } });

function relayed(text: string, from: string): number | undefined {
  const line = new RegExp(`^ps_messages_relayed_total\\{from="${from}"\\} (\\d+)$`, 'm').exec(text);
  return line ? Number(line[1]) : undefined;
}

describe('relayed message counter', () => {
  it('reports the tallies by sender when scraped, and each message once across scrapes', async () => {
    const m = createMetrics(sample);
    m.messagesRelayed.visitor += 3;
    m.messagesRelayed.listener += 1;
    const first = await m.registry.metrics();
    expect(relayed(first, 'visitor')).toBe(3);
    expect(relayed(first, 'listener')).toBe(1);

    m.messagesRelayed.visitor += 2;
    const second = await m.registry.metrics();
    expect(relayed(second, 'visitor')).toBe(5);
    expect(relayed(second, 'listener')).toBe(1);
    expect(relayed(await m.registry.metrics(), 'visitor')).toBe(5);
  });
});

describe('relayed message tallies from the domain', () => {
  it('count each accepted message of each side once, a retried clientMsgId not again', async () => {
    const h = buildDomain();
    try {
      const { store } = h.domain.ctx;
      await store.listenerConnected({ userId: 'l1', nodeId: 'node-test', displayName: 'L', languages: ['en'], maxConcurrent: 3, now: h.clock.now });
      await store.createVisitor('hash-v1', 'v1', h.clock.now, 3600);
      await store.startConversation({ conversationId: 'c1', visitorId: 'v1', language: 'en', urgent: false, now: h.clock.now, day: '2030-03-01', maxQueued: 100 });
      await store.assign({ conversationId: 'c1', listenerId: 'l1', manual: true, now: h.clock.now, day: '2030-03-01' });

      const first = await h.domain.visitors.send('v1', 'c1', 'm-1', 'hello');
      const retry = await h.domain.visitors.send('v1', 'c1', 'm-1', 'hello');
      await h.domain.listeners.send('l1', 'c1', 'm-1', 'hi');
      expect(retry.seq).toBe(first.seq);
      expect(h.metrics.messagesRelayed).toEqual({ visitor: 1, listener: 1 });
    } finally {
      await h.close();
    }
  });
});
