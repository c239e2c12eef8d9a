/** Everything in one `stats` snapshot, at a glance: queue, listeners, conversations, today. */
import type { ListenerSummary, StatsSnapshot } from '../../shared/protocol';
import { dataTable, row } from '../ui/data-table';
import { h, uid } from '../ui/dom';
import { formatDuration, formatTime } from '../ui/format';
import type { StaffI18n } from '../ui/staff-i18n';

type Key = Parameters<StaffI18n['t']>[0];

function tile(label: string, value: string, emphasis = false): HTMLElement {
  return h('div', { class: emphasis ? 'tile tile-alert' : 'tile' }, h('dt', null, label), h('dd', null, value));
}

function section(title: string, ...children: Array<HTMLElement | null>): HTMLElement {
  const id = uid('sec');
  return h('section', { class: 'card dash-section', 'aria-labelledby': id }, h('h2', { id }, title), ...children);
}

function statusBadge(i18n: StaffI18n, l: ListenerSummary): HTMLElement {
  const full = l.activeConversations >= l.maxConcurrent;
  const key: Key = l.status === 'available' ? (full ? 'statAtCapacity' : 'available') : l.status === 'away' ? 'away' : 'offline';
  return h('span', { class: `status status-${full && l.status === 'available' ? 'full' : l.status}` }, i18n.t(key));
}

export function statsView(i18n: StaffI18n, s: StatsSnapshot): HTMLElement[] {
  const t = i18n.t.bind(i18n);
  const d = (seconds: number) => formatDuration(seconds, i18n.lang, 'short');
  const q = s.queue;
  const byLang = Object.entries(q.byLanguage).map(([lang, n]) => `${lang.toUpperCase()} ${n}`).join(' · ');
  const names = new Map(s.listeners.list.map((l) => [l.id, l.displayName]));

  const queue = section(
    t('queueSection'),
    h('dl', { class: 'tiles' }, tile(t('statWaiting'), String(q.waiting), q.waiting > 0), tile(t('statUrgent'), String(q.urgent), q.urgent > 0), tile(t('statLongest'), d(q.oldestWaitSeconds)), tile(t('statMedian15'), d(q.medianWaitSeconds15m))),
    byLang ? h('p', { class: 'hint by-language' }, `${t('byLanguage')}: ${byLang}`) : null,
  );
  const l = s.listeners;
  const listeners = section(
    t('listenersSection'),
    h('dl', { class: 'tiles' }, tile(t('statOnline'), String(l.online)), tile(t('statAvailable'), String(l.available), l.available === 0 && q.waiting > 0), tile(t('statAway'), String(l.away)), tile(t('statAtCapacity'), String(l.atCapacity))),
    l.list.length === 0
      ? h('p', { class: 'hint' }, t('noListeners'))
      : dataTable(
          t('listenersSection'),
          [t('colName'), t('colStatus'), t('colLoad'), t('colLanguages')],
          l.list.map((x) => row([x.displayName, statusBadge(i18n, x), `${x.activeConversations} / ${x.maxConcurrent}`, x.languages.map((c) => c.toUpperCase()).join(', ')])),
        ),
  );
  const c = s.conversations;
  const conversations = section(
    t('conversationsSection'),
    h('dl', { class: 'tiles' }, tile(t('statActive'), String(c.active)), tile(t('statFlagged'), String(c.flagged.length), c.flagged.length > 0)),
    c.flagged.length === 0
      ? h('p', { class: 'hint' }, t('noFlags'))
      : dataTable(
          t('statFlagged'),
          [t('colConversation'), t('colListener'), t('colLevel'), t('colSince')],
          c.flagged.map((f) =>
            row([f.conversationId.slice(-6), names.get(f.listenerId) ?? '—', h('span', { class: f.level === 'urgent' ? 'badge danger' : 'badge' }, t(`flagLevel_${f.level}`)), formatTime(f.since, i18n.lang)]),
          ),
        ),
  );
  const today = section(
    t('todaySection'),
    h(
      'dl',
      { class: 'tiles' },
      tile(t('statStarted'), String(s.today.started)),
      tile(t('statAnswered'), String(s.today.answered)),
      tile(t('statAbandoned'), String(s.today.abandoned)),
      tile(t('statMedianWait'), d(s.today.medianWaitSeconds)),
      tile(t('statMedianDuration'), d(s.today.medianDurationSeconds)),
    ),
  );
  return [queue, listeners, conversations, today];
}
