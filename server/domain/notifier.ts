/**
 * How the domain reaches people without knowing about sockets. The socket layer implements it with
 * Socket.IO rooms (one per visitor, per listener and per staff session), so it works across nodes.
 */
import type { ListenerServerEvents, SupervisorServerEvents, VisitorServerEvents } from '../../shared/events';
import type { VisitorState } from '../../shared/protocol';

/** The argument list of event E in event map M. */
export type Args<M, E extends keyof M> = M[E] extends (...args: infer A) => void ? A : never;

type VisitorEvent = Exclude<keyof VisitorServerEvents, 'session'>;

export interface Notifier {
  toVisitor<E extends VisitorEvent>(visitorId: string, event: E, ...args: Args<VisitorServerEvents, E>): void;
  /** Reaches every socket of a listener, except `exceptSocketId` (the sender's own socket). */
  toListener<E extends keyof ListenerServerEvents>(
    userId: string,
    exceptSocketId: string | null,
    event: E,
    ...args: Args<ListenerServerEvents, E>
  ): void;
  /** Sends `session` with the new phase to each of the visitor's sockets, each with its own token. */
  visitorSession(visitorId: string, state: VisitorState): void;
  toSupervisors<E extends keyof SupervisorServerEvents>(event: E, ...args: Args<SupervisorServerEvents, E>): void;
  /** Whether the visitor has a socket on any node (checked before a grace period ends a chat); null when unknown. */
  visitorOnline(visitorId: string): Promise<boolean | null>;
}
