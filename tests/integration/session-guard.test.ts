/** Staff sockets follow their session: idle consoles expire, active ones stay signed in. */
import { createStaff, startTestApp, type TestApp } from '../support/app';
import { ack, closeAll, connect, next, type ClientSocket } from '../support/sockets';

const MINUTE = 60_000;

describe('session guard', () => {
  let t: TestApp;
  let offset = 0;

  beforeEach(async () => {
    offset = 0;
    t = await startTestApp({ clock: () => Date.now() + offset });
  });
  afterEach(async () => {
    closeAll();
    await t.stop();
  });

  const disconnected = (socket: ClientSocket, timeoutMs: number) =>
    new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      socket.once('disconnect', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });

  it('an unattended console loses its socket once the idle time has passed', async () => {
    const staff = await createStaff(t.url);
    const socket = await connect(t.url, '/listener', { cookie: staff.cookie });
    await next(socket, 'listener:state');
    const idle = t.config.SESSION_IDLE_MINUTES * MINUTE;
    // A check while nothing happens must not restart the idle clock...
    offset = idle - 10 * MINUTE;
    expect(await disconnected(socket, 5000)).toBe(false);
    // ...so just past the idle time counted from sign-in, the socket goes.
    offset = idle + 5 * MINUTE;
    expect(await disconnected(socket, 6000)).toBe(true);
  });

  it('a console in use keeps its session alive past the idle time', async () => {
    const staff = await createStaff(t.url);
    const socket = await connect(t.url, '/listener', { cookie: staff.cookie });
    await next(socket, 'listener:state');
    const idle = t.config.SESSION_IDLE_MINUTES * MINUTE;
    offset = idle - 10 * MINUTE;
    expect(await ack(socket, 'status:set', { status: 'away' })).toMatchObject({ ok: true });
    // The next check sees the activity and restarts the idle clock from the shifted "now".
    expect(await disconnected(socket, 5000)).toBe(false);
    offset = idle + 20 * MINUTE;
    expect(await disconnected(socket, 5000)).toBe(false);
    expect(socket.connected).toBe(true);
  });
});
