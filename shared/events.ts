/** Typed Socket.IO event maps of the three namespaces: they type both the server and the clients. */
import type { Reply } from './errors';
import type {
  Alert,
  CannedResponse,
  ChatEnded,
  ConversationView,
  ListenerStatus,
  Message,
  QueueSummary,
  StatsSnapshot,
  User,
  VisitorState,
} from './protocol';

type Ack<T extends object = object> = (reply: Reply<T>) => void;
export type SendResult = { seq: number; at: string };

export interface VisitorServerEvents {
  session: (payload: { token: string; state: VisitorState }) => void;
  'queue:update': (payload: { conversationId: string; position: number; estimatedWaitSeconds: number }) => void;
  'chat:assigned': (payload: { conversationId: string; listener: { displayName: string } }) => void;
  message: (message: Message) => void;
  typing: (payload: { conversationId: string; from: 'listener'; isTyping: boolean }) => void;
  'chat:ended': (payload: ChatEnded) => void;
}

export interface VisitorClientEvents {
  'chat:start': (payload: unknown, ack: Ack<{ conversationId: string; position: number; estimatedWaitSeconds: number }>) => void;
  'message:send': (payload: unknown, ack: Ack<SendResult>) => void;
  typing: (payload: unknown) => void;
  sync: (payload: unknown, ack: Ack<{ messages: Message[] }>) => void;
  'chat:end': (payload: unknown, ack: Ack) => void;
  feedback: (payload: unknown, ack: Ack) => void;
}

export interface ListenerState {
  user: User;
  status: ListenerStatus;
  conversations: ConversationView[];
  queue: QueueSummary;
}

export interface ListenerServerEvents {
  'listener:state': (payload: ListenerState) => void;
  'chat:assigned': (payload: { conversation: ConversationView }) => void;
  message: (message: Message) => void;
  typing: (payload: { conversationId: string; from: 'visitor'; isTyping: boolean }) => void;
  'chat:ended': (payload: ChatEnded) => void;
  'queue:update': (payload: QueueSummary) => void;
  /** Extension: a conversation left this listener (transfer or requeue). */
  'chat:removed': (payload: { conversationId: string; reason: 'transferred' | 'requeued' }) => void;
}

export interface ListenerClientEvents {
  'status:set': (payload: unknown, ack: Ack) => void;
  'chat:accept': (payload: unknown, ack: Ack<{ conversation: ConversationView }>) => void;
  'message:send': (payload: unknown, ack: Ack<SendResult>) => void;
  typing: (payload: unknown) => void;
  sync: (payload: unknown, ack: Ack<{ messages: Message[] }>) => void;
  'chat:end': (payload: unknown, ack: Ack) => void;
  'chat:transfer': (payload: unknown, ack: Ack) => void;
  'chat:flag': (payload: unknown, ack: Ack) => void;
  'visitor:block': (payload: unknown, ack: Ack) => void;
  /** Extension: the canned responses for a language (default: all languages). */
  'canned:list': (payload: unknown, ack: Ack<{ responses: Record<string, CannedResponse[]> }>) => void;
}

export interface SupervisorServerEvents {
  stats: (snapshot: StatsSnapshot) => void;
  alert: (alert: Alert) => void;
}

export type SupervisorClientEvents = Record<string, never>;
