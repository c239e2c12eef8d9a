/** The listener console: sign in, then the live console on the /listener namespace. */
import '../ui/base.css';
import '../ui/forms.css';
import '../ui/chat.css';
import '../ui/staff.css';
import './listener.css';
import type { ServiceStatus, User } from '../../shared/protocol';
import { api } from '../ui/http';
import { currentUser, loginView } from '../ui/login-view';
import { errorText, staffTranslator } from '../ui/staff-i18n';
import { staffShell } from '../ui/staff-shell';
import { unlockAudio } from '../ui/tone';
import { type CannedByLanguage, loadCanned } from './canned';
import { ConsoleApp } from './console-app';
import type { ConsoleContext } from './context';
import { ListenerConnection } from './listener-connection';
import { mount } from '../ui/dom';

const i18n = staffTranslator();
let connection: ListenerConnection | undefined;
let signedIn = false;
const shell = staffShell(i18n, 'consoleTitle', () => showLogin(i18n.t('signedOut')));

function showLogin(notice?: string): void {
  connection?.close();
  connection = undefined;
  signedIn = false;
  shell.setUser(undefined);
  mount(shell.main, loginView(i18n, (user) => void start(user), notice));
}

async function start(user: User): Promise<void> {
  signedIn = true;
  shell.setUser(user);
  const [status, canned] = await Promise.all([api<ServiceStatus>('GET', '/api/status'), loadCanned()]);
  const responses: CannedByLanguage = canned;
  let app: ConsoleApp | undefined;
  const conn = new ListenerConnection({
    state: (s) => {
      shell.setUser(s.user);
      app?.onState(s);
    },
    assigned: (c) => app?.onAssigned(c),
    message: (m) => app?.onMessage(m),
    typing: (id, on) => app?.onTyping(id, on),
    ended: (u) => app?.onEnded(u),
    queue: (q) => app?.onQueue(q),
    removed: (id, reason) => app?.onRemoved(id, reason),
    connection: (up) => app?.onConnection(up),
    refused: (code) => showLogin(errorText(i18n, code)),
  });
  connection = conn;
  const ctx: ConsoleContext = {
    i18n,
    conn,
    topics: status.ok ? status.data.topics : [],
    maxMessageLength: status.ok ? status.data.maxMessageLength : 2000,
    canned: (language) => responses[language] ?? [],
  };
  app = new ConsoleApp(ctx, shell.main);
}

i18n.onChange(() => {
  if (!signedIn) showLogin();
});
document.addEventListener('pointerdown', unlockAudio, { once: true });
document.addEventListener('keydown', unlockAudio, { once: true });

void currentUser().then((user) => (user ? start(user) : showLogin()));
