/** Reads of the waiting queues: one sorted set per language, scored urgent first, then oldest. */
import type { ConversationRecord } from '../types';
import { execPipeline, type RedisContext } from './context';
import type { RedisConversations } from './conversations';

export class RedisQueue {
  constructor(
    private readonly ctx: RedisContext,
    private readonly conversations: RedisConversations,
  ) {}

  /** 1-based places in their language's queue; 0 when not queued. Two pipelined round trips. */
  async positions(ids: string[]): Promise<number[]> {
    if (ids.length === 0) return [];
    const { client, keys } = this.ctx;
    const fields = await execPipeline(
      ids.reduce((p, id) => p.hmget(keys.conversation(id), 'language', 'state'), client.pipeline()),
    );
    const queued = ids.flatMap((id, i) => {
      const [language, state] = strings(fields[i]);
      return state === 'queued' && language ? [{ i, id, language }] : [];
    });
    const positions = ids.map(() => 0);
    if (queued.length === 0) return positions;
    const ranks = await execPipeline(
      queued.reduce((p, q) => p.zrank(keys.queue(q.language), q.id), client.pipeline()),
    );
    queued.forEach((q, n) => {
      const rank = ranks[n];
      if (typeof rank === 'number') positions[q.i] = rank + 1;
    });
    return positions;
  }

  /** Waiting conversations in routing order (urgent first, then oldest), across the given languages. */
  async queued(languages: readonly string[] | null, limit: number): Promise<ConversationRecord[]> {
    if (limit <= 0) return [];
    const { client, keys } = this.ctx;
    const langs = languages ?? (await client.smembers(keys.queueLanguages));
    if (langs.length === 0) return [];
    const heads = await execPipeline(
      langs.reduce((p, language) => p.zrange(keys.queue(language), 0, limit - 1, 'WITHSCORES'), client.pipeline()),
    );
    const entries: { id: string; score: number }[] = [];
    for (const head of heads) {
      const flat = strings(head);
      for (let i = 0; i + 1 < flat.length; i += 2) entries.push({ id: String(flat[i]), score: Number(flat[i + 1]) });
    }
    // Scores of all languages share one scale, so merging them keeps urgent-then-oldest order.
    entries.sort((a, b) => a.score - b.score || a.id.localeCompare(b.id));
    const records = await this.conversations.getMany(entries.slice(0, limit).map((e) => e.id));
    return records.filter((c): c is ConversationRecord => c !== null && c.state === 'queued');
  }
}

function strings(reply: unknown): (string | null)[] {
  return Array.isArray(reply) ? reply.map((v) => (v === null || v === undefined ? null : String(v))) : [];
}
