/** The emergency and alternative contacts from /api/status, in the page's language. */
import type { Resource } from '../../../shared/protocol';
import { h, uid } from '../../ui/dom';
import type { VisitorContext } from '../context';

function resourcesFor(ctx: VisitorContext): Resource[] {
  const all = ctx.status.resources;
  return all[ctx.i18n.lang] ?? all.en ?? Object.values(all)[0] ?? [];
}

function contact(ctx: VisitorContext, resource: Resource): HTMLElement {
  const t = ctx.i18n.t.bind(ctx.i18n);
  return h(
    'li',
    { class: resource.emergency ? 'contact contact-emergency' : 'contact' },
    h('p', { class: 'contact-name' }, resource.name, resource.emergency ? h('span', { class: 'badge danger' }, t('emergency')) : null),
    resource.description ? h('p', { class: 'contact-desc' }, resource.description) : null,
    resource.hours ? h('p', { class: 'contact-hours' }, resource.hours) : null,
    h(
      'p',
      { class: 'contact-actions' },
      resource.phone ? h('a', { class: 'button secondary small', href: `tel:${resource.phone.replace(/[^+\d]/g, '')}` }, t('call', { phone: resource.phone })) : null,
      resource.url ? h('a', { class: 'link', href: resource.url, rel: 'noopener noreferrer', target: '_blank' }, t('website', { name: resource.name })) : null,
    ),
  );
}

export function resourcesView(ctx: VisitorContext, intro = true): HTMLElement {
  const list = resourcesFor(ctx);
  const headingId = uid('contacts');
  return h(
    'section',
    { class: 'contacts', 'aria-labelledby': headingId },
    h('h2', { id: headingId }, ctx.i18n.t('contactsHeading')),
    intro ? h('p', null, ctx.i18n.t('contactsIntro')) : null,
    h('ul', { class: 'contact-list' }, ...list.map((r) => contact(ctx, r))),
  );
}
