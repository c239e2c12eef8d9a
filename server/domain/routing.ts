/**
 * Routing rules, as pure functions: which waiting conversation goes to which listener.
 * Urgent first, then the longest waiting; among eligible listeners the least loaded, then the
 * longest idle. The store's `assign` re-checks everything atomically, so a stale plan is harmless.
 */
import type { ConversationRecord, PresenceRecord } from '../store/types';

/** How much of the queue a listener taking one by hand reads at once. */
export const QUEUE_HEAD = 500;
/**
 * Routing reads, per language, as many waiting conversations as there are free slots for it, plus
 * this many: a conversation its only free listener gave back must not hide the ones behind it.
 */
export const QUEUE_READ_SLACK = 5;

export interface Assignment {
  conversationId: string;
  listenerId: string;
}

/** Listeners who may be offered a conversation right now. */
export function eligibleListeners(presences: readonly PresenceRecord[]): PresenceRecord[] {
  return presences.filter((p) => p.status === 'available' && p.connections > 0 && p.load < p.maxConcurrent);
}

const byLoadThenIdle = (a: PresenceRecord, b: PresenceRecord) =>
  a.load - b.load || a.lastAssignedAt - b.lastAssignedAt || a.userId.localeCompare(b.userId);

/**
 * Plans assignments for conversations given in routing order (urgent first, then oldest).
 * Each conversation goes to the best listener who speaks its language and still has room.
 */
export function planAssignments(queued: readonly ConversationRecord[], presences: readonly PresenceRecord[]): Assignment[] {
  const pool = eligibleListeners(presences).map((p) => ({ ...p }));
  const plan: Assignment[] = [];
  for (const conversation of queued) {
    // One pass for the best candidate: with thousands of listeners, sorting them all for every
    // waiting conversation was most of a routing round.
    let best: PresenceRecord | undefined;
    for (const p of pool) {
      if (p.load >= p.maxConcurrent || p.userId === conversation.releasedBy || !p.languages.includes(conversation.language)) continue;
      if (!best || byLoadThenIdle(p, best) < 0) best = p;
    }
    if (!best) continue;
    best.load += 1;
    // Just served: the least idle of all, after anyone served earlier in this plan.
    best.lastAssignedAt = Number.MAX_SAFE_INTEGER / 2 + plan.length;
    plan.push({ conversationId: conversation.id, listenerId: best.userId });
  }
  return plan;
}

/** The next waiting conversation a listener may take by hand (routing order, their languages). */
export function nextFor(listener: Pick<PresenceRecord, 'languages'>, queued: readonly ConversationRecord[]): ConversationRecord | undefined {
  return queued.find((c) => listener.languages.includes(c.language));
}

/** Free slots per language among the listeners who may be offered conversations now. */
export function freeSlotsByLanguage(presences: readonly PresenceRecord[]): Record<string, number> {
  const free: Record<string, number> = {};
  for (const p of eligibleListeners(presences)) {
    for (const lang of p.languages) free[lang] = (free[lang] ?? 0) + p.maxConcurrent - p.load;
  }
  return free;
}

/** Routing order across languages: urgent first, then the longest waiting (as each queue is kept). */
export function byRoutingOrder(a: ConversationRecord, b: ConversationRecord): number {
  return Number(b.urgent) - Number(a.urgent) || a.queuedAt - b.queuedAt || a.id.localeCompare(b.id);
}
