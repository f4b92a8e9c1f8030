// Shared pieces of the monitoring screens (issue 6): the dashboard
// (pages/dashboard.js) and the printable school card (pages/school-card.js).
// Russian names of program, measure and deficit states, number formats of
// the summaries and accessible charts (a stacked share bar and a plain bar).

import { h } from './shared/dom.js';
import { formatNumber } from './shared/format.js';
import { chartBox, axis, COLORS } from './shared/charts.js';

const decimalFmt = new Intl.NumberFormat('ru-RU', { maximumFractionDigits: 2 });
const shareFmt = new Intl.NumberFormat('ru-RU', { maximumFractionDigits: 1 });

/** «12,35» (up to two decimals, comma), «—» for null. */
export function formatDecimal(n) {
  if (n === null || n === undefined || Number.isNaN(Number(n))) return '—';
  return decimalFmt.format(Number(n));
}

/** «12,5 %» of part ÷ whole, «—» when whole is 0 or unknown. */
export function share(part, whole) {
  if (!whole) return '—';
  return `${shareFmt.format((100 * (part ?? 0)) / whole)}\u00a0%`;
}

/** «12,5 %» of a fraction 0..1 (as report_deficits gives it), «—» for null. */
export function fractionPercent(x) {
  if (x === null || x === undefined) return '—';
  return `${shareFmt.format(100 * Number(x))}\u00a0%`;
}

/** A count with its share under it, for table cells: [count, share]. */
export function countCell(n, whole, extra = {}) {
  return h('td', { class: 'num', ...extra },
    h('span', { class: 'count' }, formatNumber(n ?? 0)),
    h('span', { class: 'pct' }, share(n ?? 0, whole)));
}

/** «Бокситогорский муниципальный район» → «Бокситогорский» for a chart axis. */
export function shortMunicipality(name) {
  return String(name ?? '').replace(/\s+(муниципальный район|муниципальный округ|городской округ)$/u, '');
}

/**
 * Makes a chart's canvas an image for screen readers: role img, a label that
 * says what it shows and where the same numbers are as text (the table beside it).
 */
function labelCanvas(box, label) {
  const canvas = box.node.querySelector('canvas');
  canvas.removeAttribute('aria-hidden');
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', label);
}

/**
 * A horizontal stacked bar per row, each part the share of the row's whole:
 * {node}. rows: [{label, whole, values: {key: count}}]; series: [{key, label, color}].
 */
export function stackedShareChart({ caption, label, rows, series, testId }) {
  const size = rows.length > 10 ? 'tall' : rows.length > 3 ? 'medium' : 'small';
  const box = chartBox({ caption, size, testId });
  labelCanvas(box, label);
  box.draw({
    type: 'bar',
    data: {
      labels: rows.map((r) => r.label),
      datasets: series.map((s) => ({
        label: s.label,
        data: rows.map((r) => (r.whole ? (100 * (r.values[s.key] ?? 0)) / r.whole : 0)),
        counts: rows.map((r) => r.values[s.key] ?? 0),
        backgroundColor: s.color,
        stack: 'all',
      })),
    },
    options: {
      indexAxis: 'y',
      scales: {
        x: axis({ stacked: true, min: 0, max: 100, ticks: { color: COLORS.muted, callback: (v) => `${v}\u00a0%` } }),
        y: axis({ stacked: true, grid: { display: false }, ticks: { color: COLORS.ink, autoSkip: false } }),
      },
      plugins: {
        legend: { position: 'top', labels: { boxWidth: 14 } },
        tooltip: {
          callbacks: {
            label: (c) => {
              const n = c.dataset.counts[c.dataIndex];
              return `${c.dataset.label}: ${formatNumber(n)} (${share(n, rows[c.dataIndex].whole)})`;
            },
          },
        },
      },
    },
  });
  return box;
}

/**
 * A plain bar chart, horizontal unless vertical (a series over time): {node}.
 * bars: [{label, value, color, tip}]; unit: the value axis suffix ('' or '%');
 * max: the value axis maximum or undefined.
 */
export function barChart({ caption, label, bars, testId, unit = '', max, axisTitle, vertical = false }) {
  const size = vertical ? 'small' : bars.length > 8 ? 'tall' : bars.length > 3 ? 'medium' : 'small';
  const box = chartBox({ caption, size, testId });
  labelCanvas(box, label);
  box.draw({
    type: 'bar',
    data: {
      labels: bars.map((b) => b.label),
      datasets: [{ label: caption, data: bars.map((b) => b.value), backgroundColor: bars.map((b) => b.color || COLORS.navy) }],
    },
    options: {
      indexAxis: vertical ? 'x' : 'y',
      maxBarThickness: 56,
      scales: {
        [vertical ? 'y' : 'x']: axis({
          beginAtZero: true,
          max,
          title: axisTitle ? { display: true, text: axisTitle, color: COLORS.muted } : undefined,
          ticks: { color: COLORS.muted, precision: unit ? undefined : 0, callback: (v) => `${formatNumber(v)}${unit ? `\u00a0${unit}` : ''}` },
        }),
        [vertical ? 'x' : 'y']: axis({ grid: { display: false }, ticks: { color: COLORS.ink, autoSkip: false } }),
      },
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { label: (c) => bars[c.dataIndex].tip || String(c.raw) } },
      },
    },
  });
  return box;
}
