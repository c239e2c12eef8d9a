/** Before a chat: what stays private, whether we are open, and the optional choices. */
import { AGE_RANGES, type AgeRange } from '../../../shared/protocol';
import { h, uid } from '../../ui/dom';
import { formatMinutes } from '../../ui/format';
import { isLang } from '../../ui/i18n/index';
import { LONG_WAIT_SECONDS, type VisitorContext, errorText, languageLabel, topicLabel } from '../context';
import type { StartChoices } from '../visitor-connection';
import { resourcesView } from './resources';

/** The form's values, kept outside the view so a language switch does not lose them. */
export interface IntroDraft {
  language?: string;
  topic: string;
  ageRange: string;
  urgent: boolean;
  firstMessage: string;
}

export function emptyDraft(): IntroDraft {
  return { topic: '', ageRange: '', urgent: false, firstMessage: '' };
}

function isAgeRange(value: string): value is AgeRange {
  return (AGE_RANGES as readonly string[]).includes(value);
}

function field(label: string, control: HTMLElement, hint?: string): HTMLElement {
  const id = control.id;
  if (hint) control.setAttribute('aria-describedby', `${id}-hint`);
  return h('div', { class: 'field' }, h('label', { for: id }, label), hint ? h('p', { id: `${id}-hint`, class: 'hint' }, hint) : null, control);
}

function select(options: Array<[string, string]>, value: string, onChange: (v: string) => void): HTMLSelectElement {
  const el = h('select', { id: uid('f') }, ...options.map(([v, label]) => h('option', { value: v, selected: v === value }, label)));
  el.addEventListener('change', () => onChange(el.value));
  return el;
}

function privacy(ctx: VisitorContext): HTMLElement {
  const t = ctx.i18n.t.bind(ctx.i18n);
  const id = uid('privacy');
  return h(
    'section',
    { class: 'privacy', 'aria-labelledby': id },
    h('h2', { id }, t('privacyHeading')),
    h('ul', null, ...(['privacyAnonymous', 'privacySecret', 'privacyDanger', 'privacyDevice', 'privacyExit'] as const).map((k) => h('li', null, t(k)))),
  );
}

function waitLine(ctx: VisitorContext, language: string): string {
  const seconds = ctx.status.estimatedWaitSeconds[language] ?? 0;
  if (seconds < 60) return ctx.i18n.t('waitNone');
  return seconds >= LONG_WAIT_SECONDS ? ctx.i18n.t('queueEtaLong') : ctx.i18n.t('waitNow', { time: formatMinutes(seconds, ctx.i18n.lang) });
}

function choicesOf(ctx: VisitorContext, draft: IntroDraft): StartChoices {
  const choices: StartChoices = { language: draft.language ?? ctx.i18n.lang };
  if (draft.topic) choices.topic = draft.topic;
  if (isAgeRange(draft.ageRange)) choices.ageRange = draft.ageRange;
  if (draft.urgent) choices.urgent = true;
  if (draft.firstMessage.trim()) choices.firstMessage = draft.firstMessage.trim();
  return choices;
}

export function introView(ctx: VisitorContext, draft: IntroDraft, start: (choices: StartChoices) => Promise<string | undefined>): HTMLElement {
  const t = ctx.i18n.t.bind(ctx.i18n);
  const offered = ctx.status.languages;
  const chatLanguage = draft.language && offered.includes(draft.language) ? draft.language : offered.includes(ctx.i18n.lang) ? ctx.i18n.lang : offered[0];
  draft.language = chatLanguage;
  const wait = h('p', { class: 'open-state' }, t('openNow'), ' ', waitLine(ctx, chatLanguage));
  const notRather: [string, string] = ['', t('formRatherNot')];

  const language = select(offered.map((l) => [l, isLang(l) ? languageLabel(ctx, l) : l.toUpperCase()]), chatLanguage, (v) => {
    draft.language = v;
    wait.replaceChildren(t('openNow'), ' ', waitLine(ctx, v));
  });
  const topic = select([notRather, ...ctx.status.topics.map((k): [string, string] => [k, topicLabel(ctx, k)])], draft.topic, (v) => (draft.topic = v));
  const age = select([notRather, ...AGE_RANGES.map((k): [string, string] => [k, t(`age.${k}`)])], draft.ageRange, (v) => (draft.ageRange = v));
  const urgentId = uid('f');
  const urgent = h('input', { type: 'checkbox', id: urgentId, checked: draft.urgent, 'aria-describedby': `${urgentId}-hint` });
  urgent.addEventListener('change', () => (draft.urgent = urgent.checked));
  const first = h('textarea', { id: uid('f'), rows: 3, maxlength: ctx.status.maxMessageLength });
  first.value = draft.firstMessage;
  first.addEventListener('input', () => (draft.firstMessage = first.value));

  const error = h('p', { class: 'error', role: 'alert' });
  const button = h('button', { type: 'submit', class: 'button primary large' }, t('start'));
  const form = h(
    'form',
    { class: 'card start-form', 'aria-labelledby': 'start-heading' },
    h('h2', { id: 'start-heading' }, t('formHeading')),
    h('p', { class: 'hint' }, t('formOptional')),
    field(t('formLanguage'), language),
    field(t('formTopic'), topic),
    field(t('formAge'), age),
    h('div', { class: 'field check' }, urgent, h('label', { for: urgentId }, t('formUrgent')), h('p', { id: `${urgentId}-hint`, class: 'hint' }, t('formUrgentHint'))),
    field(t('formFirst'), first, t('formFirstHint')),
    button,
    error,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    button.disabled = true;
    button.textContent = t('starting');
    error.textContent = '';
    void start(choicesOf(ctx, draft)).then((code) => {
      if (!code) return;
      button.disabled = false;
      button.textContent = t('start');
      error.textContent = errorText(ctx, code);
    });
  });

  return h(
    'div',
    { class: 'intro stack' },
    h('h1', null, t('introHeading')),
    h('p', { class: 'lead' }, t('introLead')),
    wait,
    privacy(ctx),
    form,
    resourcesView(ctx),
  );
}
