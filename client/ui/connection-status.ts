/**
 * A visible, announced connection state: nothing while connected, "reconnecting" while the socket
 * is down, and a short "connected again" once it is back.
 */
import { h } from './dom';

export type ConnectionState = 'online' | 'reconnecting' | 'back';

export interface ConnectionLabels {
  reconnecting(): string;
  back(): string;
}

export class ConnectionStatus {
  readonly el = h('p', { class: 'conn', role: 'status', 'aria-live': 'polite' });
  private state: ConnectionState = 'online';
  private timer: ReturnType<typeof setTimeout> | undefined;
  private everLost = false;

  constructor(private readonly labels: ConnectionLabels) {
    this.render();
  }

  lost(): void {
    this.everLost = true;
    this.set('reconnecting');
  }

  connected(): void {
    if (!this.everLost) return;
    this.set('back');
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.set('online'), 4000);
  }

  render(): void {
    this.el.dataset.state = this.state;
    this.el.textContent = this.state === 'reconnecting' ? this.labels.reconnecting() : this.state === 'back' ? this.labels.back() : '';
  }

  private set(state: ConnectionState): void {
    if (state === 'reconnecting') clearTimeout(this.timer);
    this.state = state;
    this.render();
  }
}
