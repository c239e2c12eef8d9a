/** After the chat: who ended it, the 1-5 feedback question with an optional comment, the contacts again. */
import type { EndedBy } from '../../../shared/protocol';
import { h, uid } from '../../ui/dom';
import { type VisitorContext, errorText } from '../context';
import { resourcesView } from './resources';

export interface EndedInfo {
  conversationId: string;
  endedBy: EndedBy;
  feedbackSent: boolean;
}

export interface EndedHandlers {
  feedback(rating: number, comment: string): Promise<string | undefined>;
  newChat(): void;
}

const ENDED_TEXT = { visitor: 'endedByVisitor', listener: 'endedByListener', system: 'endedBySystem' } as const;

function feedbackForm(ctx: VisitorContext, info: EndedInfo, handlers: EndedHandlers): HTMLElement {
  const t = ctx.i18n.t.bind(ctx.i18n);
  const thanks = () => h('p', { class: 'notice success', role: 'status' }, t('feedbackThanks'));
  if (info.feedbackSent) return thanks();
  const name = uid('rating');
  const legendId = uid('legend');
  const radios = [1, 2, 3, 4, 5].map((n) => {
    const id = `${name}-${n}`;
    return h('span', { class: 'rating-option' }, h('input', { type: 'radio', name, id, value: n, required: true }), h('label', { for: id }, String(n)));
  });
  const commentId = uid('comment');
  const comment = h('textarea', { id: commentId, rows: 3, maxlength: 1000 });
  const error = h('p', { class: 'error', role: 'alert' });
  const button = h('button', { type: 'submit', class: 'button primary' }, t('feedbackSend'));
  const form = h(
    'form',
    { class: 'card feedback' },
    h('fieldset', { 'aria-describedby': legendId }, h('legend', null, t('feedbackHeading')), h('p', { id: legendId, class: 'hint' }, t('feedbackScale')), h('div', { class: 'rating' }, ...radios)),
    h('div', { class: 'field' }, h('label', { for: commentId }, t('feedbackComment')), comment),
    button,
    error,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const checked = form.querySelector<HTMLInputElement>('input[type="radio"]:checked');
    if (!checked) return;
    button.disabled = true;
    void handlers.feedback(Number(checked.value), comment.value.trim()).then((code) => {
      if (!code || code === 'already_rated') {
        info.feedbackSent = true;
        const done = thanks();
        form.replaceWith(done);
        return;
      }
      button.disabled = false;
      error.textContent = errorText(ctx, code);
    });
  });
  return form;
}

export function endedView(ctx: VisitorContext, info: EndedInfo, handlers: EndedHandlers): HTMLElement {
  const t = ctx.i18n.t.bind(ctx.i18n);
  return h(
    'div',
    { class: 'ended stack' },
    h('h1', null, t('endedHeading')),
    h('p', { class: 'lead' }, t(ENDED_TEXT[info.endedBy]), ' ', t('endedThanks')),
    feedbackForm(ctx, info, handlers),
    resourcesView(ctx, false),
    h('p', null, h('button', { type: 'button', class: 'button secondary', onclick: () => handlers.newChat() }, t('newChat'))),
  );
}
