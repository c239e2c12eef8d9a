/**
 * A data table in a scroll box: on a phone it scrolls sideways instead of squeezing its columns.
 * The box is a named, focusable region so keyboard users can scroll it too.
 */
import { type Child, h } from './dom';

export function dataTable(caption: string, heads: string[], rows: HTMLTableRowElement[]): HTMLElement {
  const table = h(
    'table',
    { class: 'data' },
    h('caption', { class: 'sr-only' }, caption),
    h('thead', null, h('tr', null, ...heads.map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', null, ...rows),
  );
  return h('div', { class: 'table-scroll', role: 'region', 'aria-label': caption, tabindex: '0' }, table);
}

export function row(cells: Child[], className?: string): HTMLTableRowElement {
  return h('tr', className ? { class: className } : null, ...cells.map((c) => h('td', null, c)));
}
