/** The waiting conversations: one sorted list per language, urgent first, then oldest queuedAt. */
import { compareStrings, SortedList } from './sorted-list';

export interface QueueItem {
  id: string;
  language: string;
  urgent: boolean;
  queuedAt: number;
}

/** Routing order; ties on time fall back to the id, as a Redis sorted set does. */
export function compareQueueItems(a: QueueItem, b: QueueItem): number {
  if (a.urgent !== b.urgent) return a.urgent ? -1 : 1;
  if (a.queuedAt !== b.queuedAt) return a.queuedAt - b.queuedAt;
  return compareStrings(a.id, b.id);
}

export class LanguageQueues {
  private readonly lists = new Map<string, SortedList<QueueItem>>();
  private total = 0;

  /** Conversations waiting across all languages. */
  get size(): number {
    return this.total;
  }

  /** Adds a conversation to its language's queue. */
  add(item: QueueItem): void {
    let list = this.lists.get(item.language);
    if (!list) {
      list = new SortedList(compareQueueItems);
      this.lists.set(item.language, list);
    }
    list.insert({ ...item });
    this.total += 1;
  }

  /** Removes a conversation; the item must carry the values it was added with. */
  remove(item: QueueItem): void {
    if (this.lists.get(item.language)?.remove(item)) this.total -= 1;
  }

  /** 1-based place in its language's queue, 0 when absent. */
  rank(item: QueueItem): number {
    const list = this.lists.get(item.language);
    return list ? list.indexOf(item) + 1 : 0;
  }

  /** Ids in routing order across the given languages (all when null), at most `limit`. */
  ids(languages: readonly string[] | null, limit: number): string[] {
    const lists = this.pick(languages);
    const cursors = lists.map(() => 0);
    const out: string[] = [];
    while (out.length < limit) {
      const head = nextHead(lists, cursors);
      if (!head) break;
      out.push(head.item.id);
      cursors[head.index] += 1;
    }
    return out;
  }

  private pick(languages: readonly string[] | null): SortedList<QueueItem>[] {
    const keys = languages ?? [...this.lists.keys()];
    const lists = new Set(keys.map((lang) => this.lists.get(lang)));
    return [...lists].filter((list): list is SortedList<QueueItem> => list !== undefined);
  }
}

/** The head (at its cursor) that comes first in routing order across the lists, or null when all are done. */
function nextHead(lists: SortedList<QueueItem>[], cursors: number[]): { index: number; item: QueueItem } | null {
  let best: { index: number; item: QueueItem } | null = null;
  for (let index = 0; index < lists.length; index += 1) {
    const item = lists[index].at(cursors[index]);
    if (item && (!best || compareQueueItems(item, best.item) < 0)) best = { index, item };
  }
  return best;
}
