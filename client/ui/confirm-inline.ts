/**
 * A button that asks "are you sure?" in place, instead of a modal: the question and its two
 * answers replace the button, focus goes to the safe answer, and "no" puts everything back.
 */
import { h, uid } from './dom';

export interface ConfirmOptions {
  label: string;
  question: string;
  yes: string;
  no: string;
  onYes(): void;
  className?: string;
}

export function confirmInline(options: ConfirmOptions): HTMLElement {
  const wrap = h('div', { class: 'confirm' });
  const button = h('button', { type: 'button', class: options.className ?? 'button secondary' }, options.label);
  const questionId = uid('confirm');
  const no = h('button', { type: 'button', class: 'button secondary' }, options.no);
  const yes = h('button', { type: 'button', class: 'button danger' }, options.yes);
  const ask = h('div', { class: 'confirm-ask', role: 'group', 'aria-labelledby': questionId }, h('p', { id: questionId, class: 'confirm-question' }, options.question), h('div', { class: 'actions' }, no, yes));

  button.addEventListener('click', () => {
    wrap.replaceChildren(ask);
    no.focus();
  });
  no.addEventListener('click', () => {
    wrap.replaceChildren(button);
    button.focus();
  });
  yes.addEventListener('click', () => {
    yes.disabled = true;
    options.onYes();
  });
  wrap.append(button);
  return wrap;
}
