/**
 * A small hand-made SVG line chart (no library): time on x over a fixed window, values on y from 0
 * to a rounded maximum. Colours come from CSS classes; a text summary goes in the figure caption so
 * screen-reader users get the figures without reading a picture.
 */
import { h, svg } from '../ui/dom';

export interface ChartSeries {
  name: string;
  className: string;
  points: Array<{ at: number; value: number }>;
}

export interface ChartOptions {
  title: string;
  summary: string;
  series: ChartSeries[];
  from: number;
  to: number;
  /** Labels of the x ticks, from `from` to `to`. */
  xTicks: Array<{ at: number; label: string }>;
}

const W = 600;
const H = 220;
const PAD = { left: 40, right: 12, top: 12, bottom: 28 };

/** 0, then the smallest of 1, 2, 5, 10, 20, 50… that is >= max. */
export function niceMax(max: number): number {
  if (max <= 1) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 5, 10]) if (step * magnitude >= max) return step * magnitude;
  return 10 * magnitude;
}

function path(points: ChartSeries['points'], x: (at: number) => number, y: (v: number) => number): string {
  // Steps, not slopes: a count changes at an instant, it does not glide.
  let d = '';
  points.forEach((p, i) => {
    const px = x(p.at).toFixed(1);
    const py = y(p.value).toFixed(1);
    d += i === 0 ? `M${px},${py}` : `H${px}V${py}`;
  });
  return d;
}

export function lineChart(options: ChartOptions): HTMLElement {
  const all = options.series.flatMap((s) => s.points.map((p) => p.value));
  const top = niceMax(Math.max(0, ...all));
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const span = Math.max(1, options.to - options.from);
  const x = (at: number) => PAD.left + ((at - options.from) / span) * innerW;
  const y = (v: number) => PAD.top + innerH - (v / top) * innerH;
  const yTicks = [0, top / 2, top];

  const chart = svg(
    'svg',
    // The caption carries the figures in words; the drawing itself is hidden from screen readers.
    { viewBox: `0 0 ${W} ${H}`, class: 'chart', 'aria-hidden': 'true', focusable: 'false' },
    ...yTicks.map((v) => svg('g', { class: 'chart-grid' }, svg('line', { x1: PAD.left, x2: W - PAD.right, y1: y(v), y2: y(v) }), svg('text', { x: PAD.left - 6, y: y(v) + 4, 'text-anchor': 'end' }, Number.isInteger(v) ? String(v) : v.toFixed(1)))),
    ...options.xTicks.map((tick, i, all) =>
      svg('text', { class: 'chart-x', x: x(tick.at), y: H - 8, 'text-anchor': i === 0 ? 'start' : i === all.length - 1 ? 'end' : 'middle' }, tick.label),
    ),
    ...options.series.map((s) => svg('path', { class: `chart-line ${s.className}`, d: path(s.points, x, y), fill: 'none' })),
    // The latest value as a dot, so a line that has only just started is still seen.
    ...options.series.flatMap((s) => {
      const last = s.points[s.points.length - 1];
      return last ? [svg('circle', { class: `chart-dot ${s.className}`, cx: x(last.at), cy: y(last.value), r: 4 })] : [];
    }),
  );
  const legend =
    options.series.length > 1 ? h('ul', { class: 'chart-legend' }, ...options.series.map((s) => h('li', null, h('span', { class: `chart-key ${s.className}`, 'aria-hidden': 'true' }), s.name))) : null;
  return h('figure', { class: 'chart-box' }, h('figcaption', null, h('strong', null, options.title), ' ', h('span', { class: 'hint' }, options.summary)), chart, legend);
}
