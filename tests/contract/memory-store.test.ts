/** The Store contract on the in-process store, plus what only the in-process store promises. */
import { createMemoryStore } from '../../server/store/memory/memory-store';
import { describeStoreContract } from './store-contract';

describeStoreContract('memory', async () => createMemoryStore());

describe('memory store specifics', () => {
  test('retention runs on the injected wall clock, without real waiting', async () => {
    let wall = 1_000_000;
    const store = createMemoryStore({ clock: () => wall });
    await store.createVisitor('hash-v1', 'v1', wall, 3600);
    await store.startConversation({ conversationId: 'c1', visitorId: 'v1', language: 'en', urgent: false, now: wall, day: 'd', maxQueued: 10 });
    await store.endConversation({ conversationId: 'c1', endedBy: 'visitor', now: wall, day: 'd', retentionSeconds: 60 });
    wall += 59_000;
    expect(await store.getConversation('c1')).not.toBeNull();
    wall += 2_000;
    expect(await store.getConversation('c1')).toBeNull();
    await store.close();
  });

  test('day statistics are kept about a week, like the Redis keys, not for ever', async () => {
    const store = createMemoryStore();
    await store.createVisitor('hash-v1', 'v1', 0, 3600);
    await store.startConversation({ conversationId: 'c1', visitorId: 'v1', language: 'en', urgent: false, now: 0, day: '2030-01-01', maxQueued: 10 });
    await store.endConversation({ conversationId: 'c1', endedBy: 'visitor', now: 0, day: '2030-01-08', retentionSeconds: 60 });
    expect((await store.dayStats('2030-01-01')).started).toBe(1);
    await store.createVisitor('hash-v2', 'v2', 0, 3600);
    await store.startConversation({ conversationId: 'c2', visitorId: 'v2', language: 'en', urgent: false, now: 0, day: '2030-01-10', maxQueued: 10 });
    expect((await store.dayStats('2030-01-01')).started).toBe(0);
    expect((await store.dayStats('2030-01-08')).abandoned).toBe(1);
    expect((await store.dayStats('2030-01-10')).started).toBe(1);
    await store.close();
  });

  test('ping rejects with unavailable once closed', async () => {
    const store = createMemoryStore();
    await store.close();
    await expect(store.ping()).rejects.toMatchObject({ code: 'unavailable' });
  });
});
