/** The wrap-up form that ends a conversation: topics discussed, risk level, an optional note. */
import { RISK_LEVELS, type RiskLevel } from '../../shared/protocol';
import { h, uid } from '../ui/dom';
import { errorText, type StaffI18n } from '../ui/staff-i18n';
import type { Outcome } from './listener-connection';

function isRisk(value: string): value is RiskLevel {
  return (RISK_LEVELS as readonly string[]).includes(value);
}

export function wrapUpForm(i18n: StaffI18n, topics: readonly string[], alreadyEnded: boolean, submit: (outcome: Outcome) => Promise<string | undefined>): HTMLElement {
  const t = i18n.t.bind(i18n);
  const topicName = uid('topics');
  const riskName = uid('risk');
  const noteId = uid('note');
  const headingId = uid('wrap');
  const checks = topics.map((topic) => {
    const id = `${topicName}-${topic}`;
    return h('div', { class: 'field check' }, h('input', { type: 'checkbox', id, name: topicName, value: topic }), h('label', { for: id }, i18n.maybe(`topic.${topic}`) ?? topic));
  });
  const risks = RISK_LEVELS.map((risk) => {
    const id = `${riskName}-${risk}`;
    return h('div', { class: 'field check' }, h('input', { type: 'radio', id, name: riskName, value: risk, checked: risk === 'none' }), h('label', { for: id }, t(`risk_${risk}`)));
  });
  const note = h('textarea', { id: noteId, rows: 3, maxlength: 2000 });
  const error = h('p', { class: 'error', role: 'alert' });
  const button = h('button', { type: 'submit', class: 'button primary' }, alreadyEnded ? t('wrapSaveEnded') : t('wrapSave'));
  const form = h(
    'form',
    { class: 'wrap-up card', 'aria-labelledby': headingId },
    h('h3', { id: headingId }, t('wrapHeading')),
    h('p', { class: 'hint' }, t('wrapIntro')),
    h('fieldset', null, h('legend', null, t('wrapTopics')), h('div', { class: 'check-grid' }, ...checks)),
    h('fieldset', null, h('legend', null, t('wrapRisk')), h('div', { class: 'check-row' }, ...risks)),
    h('div', { class: 'field' }, h('label', { for: noteId }, t('wrapNote')), note),
    button,
    error,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const chosen = [...form.querySelectorAll<HTMLInputElement>(`input[name="${topicName}"]:checked`)].map((c) => c.value);
    const risk = form.querySelector<HTMLInputElement>(`input[name="${riskName}"]:checked`)?.value ?? 'none';
    const outcome: Outcome = { topics: chosen, risk: isRisk(risk) ? risk : 'none' };
    if (note.value.trim()) outcome.note = note.value.trim();
    button.disabled = true;
    error.textContent = '';
    void submit(outcome).then((code) => {
      button.disabled = false;
      if (code) error.textContent = errorText(i18n, code);
    });
  });
  return form;
}
