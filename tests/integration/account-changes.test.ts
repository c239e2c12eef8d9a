/** A supervisor's change of an online listener's account takes effect in routing at once. */
import {
  STORES,
  api,
  appsOn,
  assignedTo,
  expectNoEvent,
  joinAsListener,
  joinAsVisitor,
  startChat,
  supervisorCookie,
} from '../support/integration-helpers';

describe.each(STORES)('account changes on the %s store', (kind) => {
  const apps = appsOn(kind);

  it('a listener given a new language gets a waiting chat in it without reconnecting', async () => {
    const t = await apps.start();
    const l = await joinAsListener(t.url, { languages: ['en'], maxConcurrent: 2 });
    const v = await joinAsVisitor(t.url);
    const id = await startChat(v, { language: 'fr' });
    await expectNoEvent(l.socket, 'chat:assigned', undefined, 1200);

    const patched = await api(t.url, 'PATCH', `/api/users/${l.staff.user.id}`, await supervisorCookie(t.url), { languages: ['en', 'fr'] });
    expect(patched.status).toBe(200);
    expect((await assignedTo(l, id, 3000)).conversation.language).toBe('fr');
  });

  it('a listener whose capacity is raised gets the next waiting chat', async () => {
    const t = await apps.start();
    const l = await joinAsListener(t.url, { languages: ['en'], maxConcurrent: 1 });
    const first = await startChat(await joinAsVisitor(t.url));
    await assignedTo(l, first, 3000);
    const second = await startChat(await joinAsVisitor(t.url));
    await expectNoEvent(l.socket, 'chat:assigned', undefined, 1200);

    await api(t.url, 'PATCH', `/api/users/${l.staff.user.id}`, await supervisorCookie(t.url), { maxConcurrent: 2 });
    await assignedTo(l, second, 3000);
  });
});
