/** Namespace `/supervisor`: live statistics and alerts for supervisors. */
import type { Namespace, Socket } from 'socket.io';
import type { SocketDeps } from './deps';
import { errorSummary } from './handler';
import { staffAuth } from './staff-auth';

export function supervisorNamespace(nsp: Namespace, deps: SocketDeps): void {
  nsp.use(staffAuth(deps, true));
  nsp.on('connection', (socket: Socket) => {
    deps.metrics.socketConnections.inc({ namespace: 'supervisor' });
    socket.on('disconnect', () => deps.metrics.socketConnections.dec({ namespace: 'supervisor' }));
    deps.inflight
      .track(deps.domain.stats.snapshot())
      .then((snapshot) => socket.emit('stats', snapshot))
      .catch((err: unknown) => deps.logger.error({ err: errorSummary(err) }, 'stats snapshot failed'));
  });
}
