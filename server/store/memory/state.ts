/** The in-process store's data and the indexes that keep every operation free of full scans. */
import type { CannedResponse } from '../../../shared/protocol';
import type { ConversationRecord, PresenceRecord, SessionRecord, UserRecord, VisitorRecord } from '../types';
import { LanguageQueues } from './language-queues';
import { compareStrings, SortedList } from './sorted-list';
import { StatsBook } from './stats-book';
import { Transcript } from './transcript';
import { TtlMap } from './ttl-map';

export interface ConversationEntry {
  record: ConversationRecord;
  /** The messages, with each sender's clientMsgIds for de-duplication. */
  transcript: Transcript;
  /** The first assignment: waits count once and durations run from here, across requeues and transfers. */
  answeredAt?: number;
  feedback?: { rating: number; comment?: string; at: number };
}

export interface TimerEntry {
  key: string;
  dueAt: number;
}

export interface MemoryState {
  /** Wall clock for expiries (TTL semantics match Redis, which has no `now` argument). */
  clock: () => number;
  visitors: TtlMap<VisitorRecord>;
  visitorIdsByToken: TtlMap<string>;
  conversations: Map<string, ConversationEntry>;
  /** Ended conversations: the wall-clock time their data is deleted. */
  expiries: Map<string, number>;
  queue: LanguageQueues;
  active: Set<string>;
  activeByListener: Map<string, Set<string>>;
  presence: Map<string, PresenceRecord>;
  users: Map<string, UserRecord>;
  userIdsByName: Map<string, string>;
  sessions: Map<string, SessionRecord>;
  sessionIdsByUser: Map<string, Set<string>>;
  timers: Map<string, number>;
  timerOrder: SortedList<TimerEntry>;
  once: TtlMap<true>;
  canned: Map<string, CannedResponse[]>;
  stats: StatsBook;
  secrets: Map<string, string>;
  /** Known server nodes: when their heartbeat lapses (wall clock). */
  nodes: Map<string, number>;
  /** Per node, the sockets it holds: visitor id -> count. */
  nodeVisitors: Map<string, Map<string, number>>;
  /** Per node, the sockets it holds: listener id -> count. */
  nodeListeners: Map<string, Map<string, number>>;
}

/** An empty store state. */
export function createState(clock: () => number): MemoryState {
  return {
    clock,
    visitors: new TtlMap(clock),
    visitorIdsByToken: new TtlMap(clock),
    conversations: new Map(),
    expiries: new Map(),
    queue: new LanguageQueues(),
    active: new Set(),
    activeByListener: new Map(),
    presence: new Map(),
    users: new Map(),
    userIdsByName: new Map(),
    sessions: new Map(),
    sessionIdsByUser: new Map(),
    timers: new Map(),
    timerOrder: new SortedList<TimerEntry>((a, b) => a.dueAt - b.dueAt || compareStrings(a.key, b.key)),
    once: new TtlMap(clock),
    canned: new Map(),
    stats: new StatsBook(),
    secrets: new Map(),
    nodes: new Map(),
    nodeVisitors: new Map(),
    nodeListeners: new Map(),
  };
}

/** Adds `value` to the set stored under `key`, creating it. */
export function addToIndex(index: Map<string, Set<string>>, key: string, value: string): void {
  let set = index.get(key);
  if (!set) {
    set = new Set();
    index.set(key, set);
  }
  set.add(value);
}

/** Adds `delta` to the count of `key` in the counter map under `owner`; counts at 0 or below are dropped. */
export function addToCount(counters: Map<string, Map<string, number>>, owner: string, key: string, delta: number): void {
  let counts = counters.get(owner);
  if (!counts) {
    counts = new Map();
    counters.set(owner, counts);
  }
  const next = (counts.get(key) ?? 0) + delta;
  if (next > 0) counts.set(key, next);
  else counts.delete(key);
  if (counts.size === 0) counters.delete(owner);
}

/** Removes `value` from the set under `key`, dropping the set once empty. */
export function removeFromIndex(index: Map<string, Set<string>>, key: string, value: string): void {
  const set = index.get(key);
  if (!set) return;
  set.delete(value);
  if (set.size === 0) index.delete(key);
}
