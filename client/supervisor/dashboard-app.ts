/**
 * The supervisor dashboard once signed in: live figures and alerts from the /supervisor namespace,
 * charts of the last hour (the server's recorded history, then the same stream), then accounts
 * and quick replies.
 */
import { io, type Socket } from 'socket.io-client';
import type { SupervisorClientEvents, SupervisorServerEvents } from '../../shared/events';
import type { StatsHistoryReply, StatsSnapshot } from '../../shared/protocol';
import { ConnectionStatus } from '../ui/connection-status';
import { h, mount } from '../ui/dom';
import { formatTime } from '../ui/format';
import { api } from '../ui/http';
import type { StaffI18n } from '../ui/staff-i18n';
import { TitleBadge } from '../ui/title-badge';
import { AlertsView } from './alerts-view';
import { CannedEditor } from './canned-editor';
import { lineChart } from './line-chart';
import { StatsHistory, WINDOW_MS } from './stats-history';
import { statsView } from './stats-view';
import { UsersView } from './users-view';

const CHART_REFRESH_MS = 15_000;

export class DashboardApp {
  private readonly socket: Socket<SupervisorServerEvents, SupervisorClientEvents>;
  private readonly history = new StatsHistory();
  private readonly conn: ConnectionStatus;
  private readonly alerts: AlertsView;
  private readonly users: UsersView;
  private readonly canned: CannedEditor;
  private readonly statsBox = h('div', { class: 'dash-grid' });
  private readonly chartsBox = h('section', { class: 'card dash-section charts', 'aria-labelledby': 'charts-heading' });
  private readonly updated = h('p', { class: 'hint updated' });
  private last: StatsSnapshot | undefined;
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(
    private readonly i18n: StaffI18n,
    root: HTMLElement,
    languages: readonly string[],
    onRefused: (code: string) => void,
  ) {
    const t = i18n.t.bind(i18n);
    const title = new TitleBadge(t('dashboardTitle'));
    this.conn = new ConnectionStatus({ reconnecting: () => t('reconnecting'), back: () => t('reconnected') });
    this.alerts = new AlertsView(i18n, title);
    this.users = new UsersView(i18n, languages);
    this.canned = new CannedEditor(i18n, languages);
    mount(root, h('div', { class: 'dashboard' }, this.conn.el, this.alerts.el, this.updated, this.statsBox, this.chartsBox, this.users.el, this.canned.el));
    this.render();
    void this.users.load();
    void this.canned.load();
    void this.loadHistory();

    this.socket = io('/supervisor');
    this.socket.on('stats', (snapshot) => this.onStats(snapshot));
    this.socket.on('alert', (alert) => this.alerts.add(alert));
    this.socket.on('connect', () => this.conn.connected());
    this.socket.on('disconnect', () => this.conn.lost());
    this.socket.on('connect_error', (err) => {
      if (err.message === 'unauthorized' || err.message === 'forbidden') onRefused(err.message);
    });
    this.timer = setInterval(() => this.renderCharts(), CHART_REFRESH_MS);
    i18n.onChange(() => {
      title.setBase(i18n.t('dashboardTitle'));
      this.render();
      this.alerts.render();
      this.users.render();
      this.canned.render();
    });
  }

  close(): void {
    clearInterval(this.timer);
    this.socket.close();
  }

  /** Seeds the charts; on failure they simply fill from the stream, as before there was history. */
  private async loadHistory(): Promise<void> {
    const reply = await api<StatsHistoryReply>('GET', `/api/stats/history?minutes=${WINDOW_MS / 60_000}`);
    if (!reply.ok) return;
    this.history.seed(reply.data.samples);
    this.renderCharts();
  }

  private onStats(snapshot: StatsSnapshot): void {
    this.last = snapshot;
    this.history.add(snapshot);
    this.render();
  }

  private render(): void {
    this.conn.render();
    const s = this.last;
    this.updated.textContent = s ? this.i18n.t('updatedAt', { time: formatTime(s.at, this.i18n.lang) }) : this.i18n.t('waitingForData');
    // The figures are redrawn every few seconds: keep keyboard focus on the same table box.
    const focusables = () => [...this.statsBox.querySelectorAll<HTMLElement>('[tabindex="0"]')];
    const focused = focusables().findIndex((el) => el === document.activeElement);
    mount(this.statsBox, ...(s ? statsView(this.i18n, s) : []));
    if (focused >= 0) focusables()[focused]?.focus({ preventScroll: true });
    this.renderCharts();
  }

  private renderCharts(): void {
    const t = this.i18n.t.bind(this.i18n);
    const now = Date.now();
    const from = now - WINDOW_MS;
    const samples = this.history.window(now);
    const xTicks = [60, 45, 30, 15, 0].map((m) => ({ at: now - m * 60_000, label: m === 0 ? t('now') : t('minutesAgo', { n: m }) }));
    const summary = (name: string, values: number[]) =>
      values.length === 0 ? t('chartEmpty') : t('chartSummary', { name, now: values[values.length - 1], max: Math.max(...values) });
    const waiting = samples.map((s) => ({ at: s.at, value: s.waiting }));
    const longest = samples.map((s) => ({ at: s.at, value: Math.round(s.longestWaitSeconds / 6) / 10 }));
    const median = samples.map((s) => ({ at: s.at, value: Math.round(s.medianWaitSeconds / 6) / 10 }));
    mount(
      this.chartsBox,
      h('h2', { id: 'charts-heading' }, t('chartsSection')),
      h(
        'div',
        { class: 'chart-grid' },
        lineChart({ title: t('chartQueue'), summary: summary(t('statWaiting'), waiting.map((p) => p.value)), series: [{ name: t('statWaiting'), className: 'series-a', points: waiting }], from, to: now, xTicks }),
        lineChart({
          title: t('chartWait'),
          summary: summary(t('statLongest'), longest.map((p) => p.value)),
          series: [
            { name: t('statLongest'), className: 'series-b', points: longest },
            { name: t('statMedian15'), className: 'series-c', points: median },
          ],
          from,
          to: now,
          xTicks,
        }),
      ),
    );
  }
}
