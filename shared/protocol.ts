/** Wire types of PROTOCOL.md, shared by the server and the browser. */
import type { ErrorCode } from './errors';

export const DEFAULT_LANGUAGES = ['fr', 'nl', 'en'] as const;
export const DEFAULT_TOPICS = ['abuse', 'online', 'bullying', 'family', 'feelings', 'relationships', 'other'] as const;
export const AGE_RANGES = ['under-12', '12-14', '15-17', '18-plus'] as const;
export const ROLES = ['listener', 'supervisor'] as const;
export const LISTENER_STATUSES = ['available', 'away'] as const;
export const FLAG_LEVELS = ['support', 'urgent'] as const;
export const RISK_LEVELS = ['none', 'low', 'high'] as const;

export type AgeRange = (typeof AGE_RANGES)[number];
export type Role = (typeof ROLES)[number];
export type ListenerStatus = (typeof LISTENER_STATUSES)[number];
/** What supervisors see: `offline` is a listener with no socket (or in their grace period). */
export type PresenceStatus = ListenerStatus | 'offline';
export type FlagLevel = (typeof FLAG_LEVELS)[number];
export type RiskLevel = (typeof RISK_LEVELS)[number];
export type Sender = 'visitor' | 'listener' | 'system';
export type EndedBy = 'visitor' | 'listener' | 'system';
export type ConversationState = 'queued' | 'active' | 'ended';

/** Codes of system messages; `text` beside them is only an English fallback. */
export type SystemCode = 'assigned' | 'transferred' | 'listener_lost' | 'ended';

/** Why a conversation ended, when there is more to say than who ended it. */
export type EndReason = 'quick_exit' | 'blocked' | 'grace_expired' | 'listener_ended' | 'visitor_ended';

export interface User {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  languages: string[];
  maxConcurrent: number;
  active: boolean;
}

export interface Message {
  conversationId: string;
  seq: number;
  from: Sender;
  text: string;
  at: string;
  clientMsgId?: string;
  code?: SystemCode;
}

export interface ConversationView {
  id: string;
  language: string;
  topic?: string;
  ageRange?: AgeRange;
  urgent: boolean;
  state: ConversationState;
  waitedSeconds: number;
  startedAt: string;
  assignedAt?: string;
  listenerId?: string;
  lastSeq: number;
  messages?: Message[];
  /** Extension: set once a listener flagged the conversation. */
  flag?: FlagLevel;
  /** Extension: why it ended, when it has. */
  endedBy?: EndedBy;
  reason?: EndReason;
}

/** Extension: one waiting conversation, as staff see it in the queue (no text). */
export interface QueueItem {
  conversationId: string;
  language: string;
  urgent: boolean;
  waitedSeconds: number;
  topic?: string;
}

export interface QueueSummary {
  waiting: number;
  urgent: number;
  byLanguage: Record<string, number>;
  oldestWaitSeconds: number;
  /** Extension: the first waiting conversations in routing order (at most QUEUE_LIST_LIMIT). */
  list?: QueueItem[];
}

export const QUEUE_LIST_LIMIT = 20;

export type VisitorState =
  | { phase: 'idle' }
  | { phase: 'queued'; conversationId: string; position: number; estimatedWaitSeconds: number }
  | { phase: 'chatting'; conversationId: string; listener: { displayName: string }; lastSeq: number }
  | { phase: 'ended'; conversationId: string; endedBy: EndedBy; reason?: EndReason };

export interface Resource {
  name: string;
  phone?: string;
  url?: string;
  hours?: string;
  description?: string;
  emergency?: boolean;
}

export interface ServiceStatus {
  open: boolean;
  languages: string[];
  nextOpenAt?: string;
  estimatedWaitSeconds: Record<string, number>;
  resources: Record<string, Resource[]>;
  /** Extensions the pages need. */
  topics: string[];
  maxMessageLength: number;
  quickExitUrl: string;
}

export interface ListenerSummary {
  id: string;
  displayName: string;
  status: PresenceStatus;
  activeConversations: number;
  maxConcurrent: number;
  languages: string[];
}

export interface FlaggedConversation {
  conversationId: string;
  listenerId: string;
  level: FlagLevel;
  since: string;
}

export interface StatsSnapshot {
  at: string;
  queue: QueueSummary & { medianWaitSeconds15m: number };
  listeners: {
    online: number;
    available: number;
    away: number;
    atCapacity: number;
    list: ListenerSummary[];
  };
  conversations: { active: number; flagged: FlaggedConversation[] };
  today: {
    started: number;
    answered: number;
    abandoned: number;
    medianWaitSeconds: number;
    medianDurationSeconds: number;
  };
}

/** One point of `GET /api/stats/history` (an extension): figures of the queue and staff at `at`. */
export interface StatsHistorySample {
  at: string;
  waiting: number;
  urgent: number;
  oldestWaitSeconds: number;
  medianWaitSeconds15m: number;
  active: number;
  available: number;
}

/** The body of `GET /api/stats/history?minutes=N`. */
export interface StatsHistoryReply {
  samples: StatsHistorySample[];
}

export type AlertKind = 'flag' | 'long_wait' | 'no_listeners';
export interface Alert {
  kind: AlertKind;
  conversationId?: string;
  level?: FlagLevel;
  at: string;
}

export interface ChatEnded {
  conversationId: string;
  endedBy: EndedBy;
  reason?: EndReason;
}

export interface CannedResponse {
  id: string;
  title: string;
  text: string;
}

export type { ErrorCode };
