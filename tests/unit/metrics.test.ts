import { createMetrics } from '../../server/metrics';

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
