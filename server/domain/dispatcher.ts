/**
 * Routes waiting conversations to listeners. Any node may run it at any time: the plan is computed
 * from a snapshot and each assignment is re-checked atomically by the store, so a conversation is
 * never given to two listeners. Runs coalesce: a kick during a run causes one more run.
 */
import type { ConversationRecord, PresenceRecord, Transition } from '../store/types';
import type { Announcer } from './announce';
import { dayOf, iso, secondsBetween, type DomainContext } from './context';
import { QUEUE_READ_SLACK, byRoutingOrder, freeSlotsByLanguage, planAssignments } from './routing';
import { errorSummary } from '../logger';

/** Rounds per run: a lost race costs one more round, a storm of them stops here until the next kick. */
const MAX_ROUNDS = 5;
const NO_LISTENERS_ALERT_EVERY_SECONDS = 300;
/**
 * How long a read of every listener's presence serves new arrivals. Reading them all costs one
 * hash per listener; under a burst of new chats that read dominated pairing (docs/benchmarks.md).
 * Anything that frees capacity asks for a fresh read, and a refused assignment forces one.
 */
const PRESENCE_REUSE_MS = 250;
/** Far longer than any healthy round (a few store calls). */
const ROUND_DEADLINE_MS = 15_000;

export class Dispatcher {
  private running = false;
  private again = false;
  private presenceRead: { list: PresenceRecord[]; at: number } | null = null;
  private wantFresh = true;
  private readonly announcing = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly ctx: DomainContext,
    private readonly announcer: Announcer,
  ) {}

  /**
   * Starts a routing run without waiting for it; failures are logged, the next tick retries.
   * `fresh: false` (a new arrival) may reuse a recent read of the listeners' presence.
   */
  kick(fresh = true): void {
    if (this.stopped) return;
    if (fresh) this.wantFresh = true;
    this.run().catch((err: unknown) => this.ctx.logger.error({ err: errorSummary(err) }, 'dispatch failed'));
  }

  /** No more runs (shutdown); resolves once the announcements under way are sent. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.announcing);
  }

  /** Routes until nothing more can be assigned (bounded). */
  async run(): Promise<void> {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    try {
      for (let round = 0; round < MAX_ROUNDS; round += 1) {
        this.again = false;
        const raced = await this.withDeadline(this.round());
        if (!raced && !this.again) break;
      }
    } finally {
      this.running = false;
    }
    // Arrivals during the last allowed round still need a round: a new run, after other work.
    if (this.again) setImmediate(() => this.kick(false));
    // A run ends once what it assigned is announced (the rounds themselves did not wait).
    await Promise.all(this.announcing);
  }

  /**
   * One pass; true when some assignment lost a race and another pass may help. Reads of the queue
   * are bounded by free capacity, not by its length: an overloaded service does not slow its own
   * routing down by reading a long queue over and over.
   */
  private async round(): Promise<boolean> {
    const { store } = this.ctx;
    const queueEmpty = async () => (await store.queuedConversations(null, 1)).length === 0;
    // A fresh read of every presence is worth it only when somebody waits; a reused one is free,
    // and the heads read below tells as well whether anybody waits.
    if (!this.canReusePresences() && (await queueEmpty())) return false;
    const presences = await this.presences();
    const free = Object.entries(freeSlotsByLanguage(presences));
    if (free.length === 0) {
      if (!(await queueEmpty())) await this.alertIfNobodyAvailable(presences);
      return false;
    }
    const heads = await Promise.all(free.map(([lang, slots]) => store.queuedConversations([lang], slots + QUEUE_READ_SLACK)));
    const queued = heads.flat().sort(byRoutingOrder);
    const languages = new Map(queued.map((c) => [c.id, c.language]));
    const plan = planAssignments(queued, presences).map((a) => ({ ...a, language: languages.get(a.conversationId) ?? '' }));
    if (plan.length === 0) return false;
    const now = this.ctx.clock();
    // One store call, in plan order, stopping at the first refusal: the snapshot is stale, and
    // assigning the rest would serve later visitors while an earlier one of the same language waits.
    const { done, refusal } = await store.assignInOrder(plan, now, dayOf(now, this.ctx.config.TIMEZONE));
    if (refusal) this.wantFresh = true;
    this.countAssigned(done, now);
    // The next round need not wait for the announcements (a listener's name may be a store read).
    for (const t of done) this.announce(t);
    return refusal !== undefined;
  }

  private announce(t: Transition): void {
    const announcing: Promise<void> = this.assigned(t)
      .catch((err: unknown) => this.ctx.logger.error({ err: errorSummary(err) }, 'announcing an assignment failed'))
      .finally(() => this.announcing.delete(announcing));
    this.announcing.add(announcing);
  }

  /** Announces an assignment (automatic or by hand) and records the wait of a first answer only. */
  async assigned(t: Transition, exceptSocketId: string | null = null): Promise<void> {
    const c: ConversationRecord = t.conversation;
    // A requeued or transferred conversation waited once already: its second answer is no new wait.
    if (t.firstAnswer && c.assignedAt !== undefined) this.ctx.metrics.waitSeconds.observe({ language: c.language }, secondsBetween(c.startedAt, c.assignedAt));
    await this.announcer.assigned(t, exceptSocketId);
  }

  /**
   * A round that never settles (a store call lost on the way) must not stop routing on this node
   * for good: past the deadline the run ends, and the next kick starts afresh. The late round may
   * still finish; every assignment it makes is checked by the store all the same.
   */
  private async withDeadline(round: Promise<boolean>): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('routing round timed out')), ROUND_DEADLINE_MS);
    });
    try {
      return await Promise.race([round, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  private canReusePresences(): boolean {
    return !this.wantFresh && this.presenceRead !== null && Date.now() - this.presenceRead.at < PRESENCE_REUSE_MS;
  }

  /** Every listener's presence: a fresh read, or a recent one for new arrivals. */
  private async presences(): Promise<PresenceRecord[]> {
    if (this.presenceRead && this.canReusePresences()) return this.presenceRead.list;
    this.wantFresh = false;
    const at = Date.now();
    const list = await this.ctx.store.listPresence();
    this.presenceRead = { list, at };
    return list;
  }

  /** Keeps a reused presence read in step with the assignments this node just made. */
  private countAssigned(done: readonly Transition[], now: number): void {
    const list = this.presenceRead?.list ?? [];
    for (const t of done) {
      const p = list.find((x) => x.userId === t.conversation.listenerId);
      if (!p) continue;
      p.load += 1;
      p.lastAssignedAt = now;
    }
  }

  private async alertIfNobodyAvailable(presences: readonly PresenceRecord[]): Promise<void> {
    if (presences.some((p) => p.status === 'available' && p.connections > 0)) return;
    if (await this.ctx.store.acquireOnce('alert:no_listeners', NO_LISTENERS_ALERT_EVERY_SECONDS)) {
      this.ctx.notifier.toSupervisors('alert', { kind: 'no_listeners', at: iso(this.ctx.clock()) });
    }
  }
}
