/**
 * The message box: Enter sends, Shift+Enter adds a line, a counter appears near the length limit,
 * and typing on/off is reported (on at the first key, off after a pause or on send).
 */
import { h, uid } from './dom';

const TYPING_IDLE_MS = 3000;
const COUNTER_FROM = 200;

export interface ComposerOptions {
  label: string;
  sendLabel: string;
  maxLength: number;
  charsLeft(n: number): string;
  tooLongBy(n: number): string;
  onSend(text: string): void;
  onTyping(isTyping: boolean): void;
  /** Lets a page handle keys first (canned-response shortcuts); return true when handled. */
  onKey?(event: KeyboardEvent, textarea: HTMLTextAreaElement): boolean;
  hint?: string;
}

export class Composer {
  readonly el: HTMLFormElement;
  readonly textarea: HTMLTextAreaElement;
  private readonly counter: HTMLElement;
  private readonly button: HTMLButtonElement;
  private typing = false;
  private idle: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: ComposerOptions) {
    const id = uid('composer');
    const hintId = `${id}-hint`;
    const counterId = `${id}-count`;
    this.textarea = h('textarea', { id, name: 'message', rows: 2, autocomplete: 'off', 'aria-describedby': options.hint ? `${hintId} ${counterId}` : counterId });
    this.counter = h('p', { id: counterId, class: 'counter', 'aria-live': 'polite' });
    this.button = h('button', { type: 'submit', class: 'button primary' }, options.sendLabel);
    this.el = h(
      'form',
      { class: 'composer' },
      h('label', { for: id, class: 'composer-label' }, options.label),
      options.hint ? h('p', { id: hintId, class: 'hint' }, options.hint) : null,
      h('div', { class: 'composer-row' }, this.textarea, this.button),
      this.counter,
    );
    this.el.addEventListener('submit', (event) => {
      event.preventDefault();
      this.submit();
    });
    this.textarea.addEventListener('keydown', (event) => this.onKeyDown(event));
    this.textarea.addEventListener('input', () => this.onInput());
  }

  get value(): string {
    return this.textarea.value;
  }

  /** Restores text (a draft after a re-render) without telling anyone we are typing. */
  set value(text: string) {
    this.textarea.value = text;
    this.updateCounter();
  }

  focus(): void {
    this.textarea.focus();
  }

  setDisabled(disabled: boolean): void {
    this.textarea.disabled = disabled;
    this.button.disabled = disabled;
  }

  /** Puts text at the cursor (canned responses). */
  insert(text: string): void {
    const { selectionStart: start, selectionEnd: end, value } = this.textarea;
    this.textarea.value = value.slice(0, start) + text + value.slice(end);
    const caret = start + text.length;
    this.textarea.setSelectionRange(caret, caret);
    this.onInput();
    this.textarea.focus();
  }

  private onKeyDown(event: KeyboardEvent): void {
    if (this.options.onKey?.(event, this.textarea)) return;
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      this.submit();
    }
  }

  private updateCounter(): number {
    const length = this.textarea.value.trim().length;
    const left = this.options.maxLength - length;
    this.counter.textContent = left < 0 ? this.options.tooLongBy(-left) : left <= COUNTER_FROM ? this.options.charsLeft(left) : '';
    this.counter.classList.toggle('over', left < 0);
    this.textarea.setAttribute('aria-invalid', String(left < 0));
    return length;
  }

  private onInput(): void {
    const length = this.updateCounter();
    if (length === 0) return this.stopTyping();
    if (!this.typing) {
      this.typing = true;
      this.options.onTyping(true);
    }
    clearTimeout(this.idle);
    this.idle = setTimeout(() => this.stopTyping(), TYPING_IDLE_MS);
  }

  private stopTyping(): void {
    clearTimeout(this.idle);
    if (!this.typing) return;
    this.typing = false;
    this.options.onTyping(false);
  }

  private submit(): void {
    const text = this.textarea.value.trim();
    if (text.length === 0 || text.length > this.options.maxLength || this.textarea.disabled) return;
    this.textarea.value = '';
    this.onInput();
    this.stopTyping();
    this.options.onSend(text);
    this.textarea.focus();
  }
}
