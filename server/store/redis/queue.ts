/** Reads of the waiting queues: one sorted set per language, scored urgent first, then oldest. */
import type { ConversationRecord } from '../types';
import { hashFromFlat, toConversation } from './codec';
import { execPipeline, type RedisContext } from './context';
import { keyParts } from './keys';

export class RedisQueue {
  constructor(private readonly ctx: RedisContext) {}

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

  /**
   * Waiting conversations in routing order (urgent first, then oldest), across the given languages
   * (null: all). One script call reads the queues' heads with the conversations' records.
   */
  async queued(languages: readonly string[] | null, limit: number): Promise<ConversationRecord[]> {
    if (limit <= 0 || languages?.length === 0) return [];
    const { keys } = this.ctx;
    const [convHead, convTail] = keyParts(keys.conversation);
    const reply = await this.ctx.scripts.run(
      'queueHeads',
      [keys.queueLanguages, ...(languages ?? []).map(keys.queue)],
      [limit, convHead, convTail, languages === null ? '1' : '0', ...keyParts(keys.queue)],
    );
    const flat = Array.isArray(reply) ? reply : [];
    const entries: { id: string; score: number; record: ConversationRecord | null }[] = [];
    for (let i = 0; i + 2 < flat.length; i += 3) {
      entries.push({ id: String(flat[i]), score: Number(flat[i + 1]), record: toConversation(hashFromFlat(flat[i + 2])) });
    }
    // Scores of all languages share one scale, so merging them keeps urgent-then-oldest order.
    entries.sort((a, b) => a.score - b.score || a.id.localeCompare(b.id));
    return entries.slice(0, limit).flatMap((e) => (e.record?.state === 'queued' ? [e.record] : []));
  }
}

function strings(reply: unknown): (string | null)[] {
  return Array.isArray(reply) ? reply.map((v) => (v === null || v === undefined ? null : String(v))) : [];
}
