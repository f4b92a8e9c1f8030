// Charts through Chart.js (its UMD build, /vendor/chart.umd.js, defines
// window.Chart; index.html loads it before the application). Every chart is
// drawn into a <canvas> that screen readers skip: the table placed beside it
// by the screen carries the same numbers. Chart.js styles its canvas through
// the CSSOM (element.style), which the CSP allows; it adds no <style> or script.
// Without Chart.js (e.g. the file is missing) the table alone is shown.

import { h } from './dom.js';

/** Colours of the stylesheet, repeated here because a canvas cannot read CSS classes. */
export const COLORS = Object.freeze({
  ink: '#1b2430',
  muted: '#596474',
  grid: '#e3e7ec',
  navy: '#1d3b5c',
  rest: '#dfe4ea',
  levels: Object.freeze({ below_basic: '#b4373b', basic: '#d08c1d', medium: '#3a6ea5', high: '#2d7a45' }),
  statuses: Object.freeze({
    not_started: '#c5ccd5', draft: '#8fb3d9', submitted: '#d6ae4b', returned: '#b4373b', accepted: '#2d7a45',
  }),
});

const live = new Set();

/** Destroys the charts whose canvas has left the page (the screen changed). */
function sweep() {
  for (const chart of live) {
    if (!chart.canvas || !chart.canvas.isConnected) {
      chart.destroy();
      live.delete(chart);
    }
  }
}
window.addEventListener('hashchange', () => setTimeout(sweep, 0));

export function chartsAvailable() {
  return typeof window.Chart === 'function';
}

let defaultsSet = false;
function setDefaults(Chart) {
  if (defaultsSet) return;
  defaultsSet = true;
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.font.size = 13;
  Chart.defaults.color = COLORS.ink;
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.plugins.tooltip.displayColors = true;
}

/**
 * A chart box: {node, draw(config)}. node is a figure with a caption (for
 * sighted readers; the canvas itself is aria-hidden, the table beside it is
 * the accessible form). draw(config) takes a Chart.js configuration; it may be
 * called before node is in the document and draws once it is there.
 * size: 'small' | 'medium' | 'tall' sets the height through a CSS class.
 */
export function chartBox({ caption, size = 'medium', testId }) {
  const canvas = h('canvas', { 'aria-hidden': 'true' });
  const box = h('div', { class: ['chart-box', `chart-box--${size}`] }, canvas);
  const node = h('figure', { class: 'chart', 'data-testid': testId || null },
    caption ? h('figcaption', { class: 'chart__caption' }, caption) : null,
    box);
  let chart = null;
  return {
    node,
    /** Draws now, or as soon as the figure is in the document (Chart.js measures its box). */
    draw(config) {
      if (!chartsAvailable()) {
        node.hidden = true;
        return;
      }
      let tries = 0;
      const attempt = () => {
        if (!node.isConnected) {
          tries += 1;
          if (tries < 600) requestAnimationFrame(attempt);
          return;
        }
        setDefaults(window.Chart);
        sweep();
        if (chart) { chart.destroy(); live.delete(chart); }
        chart = new window.Chart(canvas, config);
        live.add(chart);
        node.dataset.drawn = 'true';
      };
      attempt();
    },
  };
}

/** Grid lines and ticks of an axis in the application's colours. */
export function axis(extra = {}) {
  return {
    grid: { color: COLORS.grid },
    ticks: { color: COLORS.muted },
    border: { color: COLORS.grid },
    ...extra,
  };
}
