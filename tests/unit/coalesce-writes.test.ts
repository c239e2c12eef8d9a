/**
 * Commands issued in one event-loop turn leave in one socket write, with their own replies in
 * order, on the first connection and on the one opened after a reconnect.
 */
import type { Socket } from 'node:net';
import { Redis } from 'ioredis';
import { coalesceWrites } from '../../server/store/redis/coalesce-writes';
import { atTurnEnd } from '../../server/store/redis/turn-end';
import { countWrites } from '../support/count-writes';
import { startRedis, type TestRedis } from '../support/redis-server';

const COMMANDS = 20;

async function burst(client: Redis, tag: string): Promise<string[]> {
  const replies = Array.from({ length: COMMANDS }, () => client.incr(`${tag}:n`).then(String));
  return Promise.all(replies);
}

describe('coalesceWrites', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis.stop();
  });

  it('sends the commands of one turn in one write, before and after a reconnect', async () => {
    const client = new Redis(redis.url, { lazyConnect: true });
    coalesceWrites(client);
    await client.connect();
    try {
      const counts = countWrites(client.stream as Socket);
      expect(await burst(client, 'a')).toEqual(Array.from({ length: COMMANDS }, (_, i) => String(i + 1)));
      expect(counts).toEqual({ single: 0, batches: [COMMANDS] });

      const first = client.stream;
      const ready = new Promise((resolve) => client.once('ready', resolve));
      client.disconnect(true);
      await ready;
      expect(client.stream).not.toBe(first);
      const again = countWrites(client.stream as Socket);
      expect(await burst(client, 'b')).toEqual(Array.from({ length: COMMANDS }, (_, i) => String(i + 1)));
      expect(again).toEqual({ single: 0, batches: [COMMANDS] });
    } finally {
      client.disconnect();
    }
  });

  it('writes as usual without it (the comparison the test above relies on)', async () => {
    const client = new Redis(redis.url);
    try {
      await client.ping();
      const counts = countWrites(client.stream as Socket);
      await burst(client, 'c');
      expect(counts.single).toBeGreaterThan(0);
    } finally {
      client.disconnect();
    }
  });
});

describe('atTurnEnd', () => {
  it('runs every flush of the turn before any release, even a flush registered later or by a flush', async () => {
    const order: string[] = [];
    atTurnEnd('release', () => order.push('release 1'));
    atTurnEnd('flush', () => {
      order.push('flush 1');
      atTurnEnd('release', () => order.push('release 2'));
      atTurnEnd('flush', () => order.push('flush 2'));
    });
    expect(order).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual(['flush 1', 'flush 2', 'release 1', 'release 2']);
  });
});
