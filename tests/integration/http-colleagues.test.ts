/** GET /api/colleagues lists online staff a listener can transfer to, never themselves. */
import { createStaff, startTestApp, type TestApp } from '../support/app';
import { closeAll, connect, next } from '../support/sockets';

describe('GET /api/colleagues', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(async () => {
    closeAll();
    await t.stop();
  });

  it('answers 401 without a session', async () => {
    const res = await fetch(`${t.url}/api/colleagues`);
    expect(res.status).toBe(401);
  });

  it('lists online colleagues with their status and load, without the caller or offline staff', async () => {
    const me = await createStaff(t.url, { languages: ['fr'] });
    const other = await createStaff(t.url, { languages: ['nl', 'en'], maxConcurrent: 2 });
    await createStaff(t.url, { languages: ['en'] }); // never connects: offline
    for (const s of [me, other]) {
      const socket = await connect(t.url, '/listener', { cookie: s.cookie });
      await next(socket, 'listener:state');
    }
    const res = await fetch(`${t.url}/api/colleagues`, { headers: { cookie: me.cookie } });
    expect(res.status).toBe(200);
    const { colleagues } = (await res.json()) as { colleagues: { id: string; status: string; languages: string[]; maxConcurrent: number }[] };
    expect(colleagues).toEqual([expect.objectContaining({ id: other.user.id, status: 'available', languages: ['nl', 'en'], maxConcurrent: 2 })]);
  });
});
