/**
 * Staff sockets lose their connection within 5 s once their session ends for any reason: logout
 * or deactivation on another node, the command-line tool, idle or absolute expiry. Runs on its own
 * wall-clock interval, so a slow ticker round cannot delay it. A session's idle clock restarts
 * only when its sockets did something since the last check: an unattended console still expires.
 */
import type { Server, Socket } from 'socket.io';
import type { SocketDeps } from './deps';
import { errorSummary } from './handler';
import { staffOf } from './staff-auth';

export const SESSION_CHECK_MS = 4000;
/**
 * Each session is checked every SESSION_CHECK_MS, a slice of them each second: a check costs two
 * store reads a session, and with a couple of thousand staff sessions checking them all at once
 * stalled the node for tens of milliseconds every 4 s (docs/benchmarks.md).
 */
const SLICES = 4;
const STAFF_NAMESPACES = ['/listener', '/supervisor'];

export class SessionGuard {
  private timer: NodeJS.Timeout | null = null;
  private busy = false;
  private slice = 0;

  constructor(
    private readonly io: Server,
    private readonly deps: SocketDeps,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.check(), SESSION_CHECK_MS / SLICES);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Disconnects the sockets of sessions that ended or whose user was deactivated (the next slice). */
  async check(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    const slice = this.slice;
    this.slice = (this.slice + 1) % SLICES;
    try {
      const due = [...this.socketsBySession()].filter(([sessionId]) => sessionId.charCodeAt(0) % SLICES === slice);
      await Promise.all(due.map(([sessionId, sockets]) => this.checkSession(sessionId, sockets)));
    } catch (err) {
      this.deps.logger.warn({ err: errorSummary(err) }, 'session check failed');
    } finally {
      this.busy = false;
    }
  }

  private socketsBySession(): Map<string, Socket[]> {
    const bySession = new Map<string, Socket[]>();
    for (const name of STAFF_NAMESPACES) {
      for (const socket of this.io.of(name).sockets.values()) {
        const { sessionId } = staffOf(socket);
        bySession.set(sessionId, [...(bySession.get(sessionId) ?? []), socket]);
      }
    }
    return bySession;
  }

  private async checkSession(sessionId: string, sockets: Socket[]): Promise<void> {
    const { store, clock } = this.deps.domain.ctx;
    const idleSeconds = this.deps.config.SESSION_IDLE_MINUTES * 60;
    const active = sockets.some((s) => staffOf(s).active);
    for (const s of sockets) staffOf(s).active = false;
    const session = active ? await store.touchSession(sessionId, clock(), idleSeconds) : await store.peekSession(sessionId, clock(), idleSeconds);
    const user = session ? await store.getUser(session.userId) : null;
    if (!user?.active) for (const s of sockets) s.disconnect(true);
  }
}
