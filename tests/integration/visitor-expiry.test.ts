/** Anonymous visitor sessions expire a day after they were last used, not a day after they began. */
import type { RedisStore } from '../../server/store/redis/redis-store';
import { appsOn, joinAsVisitor, startChat } from '../support/integration-helpers';

describe('visitor session expiry on Redis', () => {
  const apps = appsOn('redis');
  const DAY_SECONDS = 24 * 3600;

  it('a reconnect and a chat start each give the visitor a full day again, so a long chat keeps its visitor', async () => {
    const t = await apps.start();
    const { client, keys } = t.store as RedisStore;
    const v = await joinAsVisitor(t.url);
    const visitorKeys = async () => {
      const token = (await client.keys(keys.visitorToken('*')))[0];
      const visitorId = token === undefined ? null : await client.get(token);
      return visitorId === null ? [] : [token, keys.visitor(visitorId)];
    };
    const shorten = async () => Promise.all((await visitorKeys()).map((key) => client.expire(key, 60)));
    const ttls = async () => Promise.all((await visitorKeys()).map((key) => client.ttl(key)));

    expect(await visitorKeys()).toHaveLength(2);
    await shorten();
    v.socket.disconnect();
    const back = await joinAsVisitor(t.url, v.token);
    for (const ttl of await ttls()) expect(ttl).toBeGreaterThan(DAY_SECONDS - 60);

    await shorten();
    await startChat(back);
    for (const ttl of await ttls()) expect(ttl).toBeGreaterThan(DAY_SECONDS - 60);
  });
});
