/**
 * Server nodes on Redis: a heartbeat key per node, the set of known nodes, and per node the
 * sockets it holds (visitor id -> count, listener id -> count). A node killed without warning
 * never closes its sockets; reaping it takes back what they counted and starts grace timers.
 */
import type { ReapedNode, ReapInput } from '../types';
import { TIMER_PREFIX, timerKeys } from '../timer-keys';
import { execPipeline, type RedisContext } from './context';
import { keyParts } from './keys';
import { withFreshRead } from './scripts';

export class RedisNodes {
  constructor(private readonly ctx: RedisContext) {}

  /** Keeps the node alive for ttlMs; false when it was not known before. */
  async heartbeat(nodeId: string, ttlMs: number): Promise<boolean> {
    const { keys } = this.ctx;
    const added = await this.ctx.scripts.run(
      'nodeHeartbeat',
      [keys.nodes, keys.nodeHeartbeat(nodeId)],
      [nodeId, Math.max(1, Math.round(ttlMs))],
    );
    return Number(added) === 0;
  }

  /** Known nodes whose heartbeat key expired. */
  async dead(): Promise<string[]> {
    const { client, keys } = this.ctx;
    const ids = (await client.smembers(keys.nodes)).sort();
    if (ids.length === 0) return [];
    const alive = await execPipeline(ids.reduce((p, id) => p.exists(keys.nodeHeartbeat(id)), client.pipeline()));
    return ids.filter((_, i) => Number(alive[i]) === 0);
  }

  /** Forgets a dead (or stopping) node in one script; the listener keys are read first, then checked. */
  reap(input: ReapInput): Promise<ReapedNode | null> {
    const { client, keys } = this.ctx;
    return withFreshRead(async () => {
      const listenerIds = (await client.hkeys(keys.nodeListeners(input.nodeId))).sort();
      const reply = await this.ctx.scripts.run(
        'reapNode',
        [
          keys.nodes, keys.nodeHeartbeat(input.nodeId), keys.nodeVisitors(input.nodeId), keys.nodeListeners(input.nodeId),
          keys.timers, ...listenerIds.map((id) => keys.presence(id)),
        ],
        [
          input.nodeId, input.force ? '1' : '0', TIMER_PREFIX.visitorGrace, input.visitorGraceDueAt,
          TIMER_PREFIX.listenerGrace, input.listenerGraceDueAt, ...keyParts(keys.visitor), ...listenerIds,
        ],
      );
      if (!Array.isArray(reply)) return null;
      return { nodeId: input.nodeId, visitorIds: strings(reply[0]).sort(), listenerIds: strings(reply[1]).sort() };
    });
  }

  /** Counts a visitor socket on its node and cancels their grace timer. */
  async visitorConnected(visitorId: string, nodeId: string): Promise<void> {
    const { keys } = this.ctx;
    await this.ctx.scripts.run('visitorConnected', [keys.nodeVisitors(nodeId), keys.timers], [visitorId, timerKeys.visitorGrace(visitorId)]);
  }

  /** Uncounts a visitor socket on its node and starts their grace timer. */
  async visitorDisconnected(visitorId: string, nodeId: string, graceDueAt: number): Promise<void> {
    const { keys } = this.ctx;
    await this.ctx.scripts.run(
      'visitorDisconnected',
      [keys.nodeVisitors(nodeId), keys.timers, keys.visitor(visitorId)],
      [visitorId, timerKeys.visitorGrace(visitorId), graceDueAt],
    );
  }
}

function strings(reply: unknown): string[] {
  return Array.isArray(reply) ? reply.map(String) : [];
}
