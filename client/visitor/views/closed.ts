/** Outside opening hours: when we are back, and who to call meanwhile. No start button. */
import { h } from '../../ui/dom';
import { splitWhen } from '../../ui/format';
import type { VisitorContext } from '../context';
import { resourcesView } from './resources';

export function closedView(ctx: VisitorContext): HTMLElement {
  const t = ctx.i18n.t.bind(ctx.i18n);
  const when = ctx.status.nextOpenAt ? splitWhen(ctx.status.nextOpenAt, ctx.i18n.lang) : undefined;
  const day = when ? (when.day === 'today' ? t('today') : when.day === 'tomorrow' ? t('tomorrow') : t(when.day === 'weekday' ? 'onDay' : 'onDate', { name: when.name })) : '';
  return h(
    'div',
    { class: 'closed stack' },
    h('h1', null, t('closedHeading')),
    h('p', { class: 'lead' }, when ? t('closedNext', { day, time: when.time }) : t('closedLater')),
    resourcesView(ctx),
  );
}
