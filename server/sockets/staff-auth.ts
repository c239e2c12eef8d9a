/** Handshake checks for staff namespaces: a live session cookie, and the right role. */
import type { Socket } from 'socket.io';
import type { User } from '../../shared/protocol';
import type { SocketDeps } from './deps';
import { errorSummary } from './handler';
import { rooms } from './rooms';

export interface StaffSocketData {
  user: User;
  sessionId: string;
  /** Set by any event from the socket: the session's idle clock restarts at the next check. */
  active?: boolean;
}

export const staffOf = (socket: Socket) => socket.data as StaffSocketData;

/** Any event from a staff socket marks its session active (one function for every socket). */
function markActive(this: Socket): void {
  staffOf(this).active = true;
}

/** Namespace middleware: `unauthorized` without a session, `forbidden` without the role. */
export function staffAuth(deps: SocketDeps, supervisorsOnly: boolean) {
  return (socket: Socket, next: (err?: Error) => void): void => {
    deps.accounts.authenticateCookieHeader(socket.handshake.headers.cookie).then(
      (auth) => {
        if (!auth) return next(new Error('unauthorized'));
        if (supervisorsOnly && auth.user.role !== 'supervisor') return next(new Error('forbidden'));
        const data: StaffSocketData = { user: auth.user, sessionId: auth.sessionId };
        socket.data = data;
        socket.onAny(markActive);
        void socket.join(rooms.session(auth.sessionId));
        next();
      },
      (err: unknown) => {
        deps.logger.error({ err: errorSummary(err) }, 'staff handshake failed');
        next(new Error('unavailable'));
      },
    );
  };
}
