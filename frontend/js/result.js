// The result of a submitted self-diagnostic, shown to the school after
// submitting and to the municipality when it reviews: total points of the
// maximum, the overall level, points and level per direction (a Chart.js bar
// chart with its table beside it), the deficits (critical first) and growth
// areas, and — when given — the change of level per direction since earlier
// campaigns (↑/↓/=); the answers with the school's comments and files.

import { h } from './shared/dom.js';
import { formatNumber } from './shared/format.js';
import { chartBox, axis, COLORS } from './shared/charts.js';
import { answeredOf, filesOf, levelBadge, levelName, ofPoints, outOf, RESULT_LEVELS } from './diagnostics.js';
import { attachmentsPanel } from './shared/attachments.js';

/**
 * Orders deficits: critical first, then in the order of the questionnaire.
 * index: indexInstrument(); items: the API's deficits.
 */
function byQuestionnaireOrder(index, items) {
  const position = new Map(index.indicators.map((x, i) => [String(x.id), i]));
  return [...items].sort((a, b) => (Number(Boolean(b.critical)) - Number(Boolean(a.critical)))
    || ((position.get(String(a.indicator_id)) ?? 1e9) - (position.get(String(b.indicator_id)) ?? 1e9)));
}

/** One deficit or growth area: code, wording, direction, points. */
function deficitItem(index, d) {
  const indicator = index.indicatorById.get(String(d.indicator_id));
  const direction = index.directionById.get(String(d.direction_id)) || index.directionOf(d.indicator_id);
  return h('li', { class: 'deficit', 'data-indicator-code': d.indicator_code || indicator?.code || '' },
    h('div', { class: 'deficit__head' },
      h('span', { class: 'code' }, d.indicator_code || indicator?.code || ''),
      d.critical ? h('span', { class: 'badge badge--danger' }, 'критический') : null,
      direction || d.direction_title ? h('span', { class: 'muted small' }, direction?.title || d.direction_title) : null),
    h('p', { class: 'deficit__text' }, indicator?.text || d.indicator_text || ''),
    h('p', { class: 'deficit__points muted small' },
      `${formatNumber(d.points)} ${ofPoints(d.max_points ?? indicator?.max_points ?? 0)}`));
}

/**
 * The deficits section: {node}. deficits: the items of GET
 * /schools/{id}/deficits (or null when they could not be loaded: errorText).
 */
export function deficitsSection(index, deficits, { errorText, heading = 'h2' } = {}) {
  if (!deficits) {
    return h('section', { class: 'card', 'aria-label': 'Дефициты' },
      h(heading, null, 'Дефициты и зоны роста'),
      h('p', { class: 'message message--error', role: 'alert' }, errorText || 'Список дефицитов не загрузился.'));
  }
  const ordered = byQuestionnaireOrder(index, deficits);
  const real = ordered.filter((d) => d.kind === 'deficit');
  const growth = ordered.filter((d) => d.kind === 'growth');
  const provisional = deficits.some((d) => d.official === false);
  return h('section', { class: 'card', 'aria-labelledby': 'deficits-title', 'data-testid': 'deficits' },
    h(heading, { id: 'deficits-title' }, 'Дефициты и зоны роста'),
    provisional ? h('p', { class: 'note' },
      'Список предварительный: он станет официальным, когда муниципалитет примет анкету.') : null,
    h('div', { class: 'columns columns--top' },
      h('section', { 'aria-labelledby': 'deficits-real-title', 'data-testid': 'deficits-list' },
        h('h3', { id: 'deficits-real-title' }, `Дефициты — 0 баллов (${formatNumber(real.length)})`),
        real.length
          ? h('ol', { class: 'deficits' }, real.map((d) => deficitItem(index, d)))
          : h('p', { class: 'muted' }, 'Дефицитов нет: по каждому показателю получены баллы.')),
      h('section', { 'aria-labelledby': 'deficits-growth-title', 'data-testid': 'growth-list' },
        h('h3', { id: 'deficits-growth-title' }, `Зоны роста — баллы ниже максимума (${formatNumber(growth.length)})`),
        growth.length
          ? h('ol', { class: 'deficits' }, growth.map((d) => deficitItem(index, d)))
          : h('p', { class: 'muted' }, 'Зон роста нет.'))));
}

/** Did a critical indicator at 0 lower the overall level (critical_rule)? */
function loweredByCritical(index, result) {
  const i = index.instrument;
  return Boolean(i.critical_rule) && result.level === 'below_basic'
    && i.thresholds && result.total_points >= i.thresholds.basic;
}

/** The per-direction chart: points coloured by level, the rest of the maximum in grey. */
function directionsChart(rows) {
  const box = chartBox({ caption: 'Баллы по направлениям', size: rows.length > 6 ? 'tall' : 'medium', testId: 'directions-chart' });
  box.draw({
    type: 'bar',
    data: {
      labels: rows.map((r) => r.title),
      datasets: [
        {
          label: 'Набрано баллов',
          data: rows.map((r) => r.points),
          backgroundColor: rows.map((r) => COLORS.levels[r.level] || COLORS.navy),
          stack: 'points',
        },
        {
          label: 'До максимума',
          data: rows.map((r) => Math.max(0, r.max - r.points)),
          backgroundColor: COLORS.rest,
          stack: 'points',
        },
      ],
    },
    options: {
      indexAxis: 'y',
      scales: {
        x: axis({ stacked: true, beginAtZero: true, title: { display: true, text: 'баллы', color: COLORS.muted } }),
        y: axis({ stacked: true, grid: { display: false } }),
      },
      plugins: {
        legend: { display: false },
        tooltip: {
          callbacks: {
            label: (ctx) => {
              const r = rows[ctx.dataIndex];
              return ctx.datasetIndex === 0
                ? `${formatNumber(r.points)} ${ofPoints(r.max)}, уровень «${levelName(r.level)}»`
                : `до максимума: ${formatNumber(ctx.raw)}`;
            },
          },
        },
      },
    },
  });
  return box.node;
}

function directionRows(index, result) {
  return (result.directions || []).map((d) => {
    const dir = index.directionById.get(String(d.direction_id));
    return {
      id: d.direction_id, code: dir?.code || d.code || '', title: dir?.title || d.title || `Направление ${d.direction_id}`,
      points: d.points, max: d.max_points, level: d.level,
    };
  });
}

/**
 * The change of level per direction against earlier campaigns. earlier: items
 * of GET /schools/{id}/results (oldest first); directions are matched by code,
 * so that results of different instrument versions compare.
 */
function comparisonSection(rows, result, earlier) {
  const arrow = (from, to) => {
    if (!from || !to) return h('span', { class: 'muted' }, '—');
    const d = RESULT_LEVELS.indexOf(to) - RESULT_LEVELS.indexOf(from);
    if (d > 0) return h('span', { class: 'trend trend--up', title: 'уровень повысился' }, '↑');
    if (d < 0) return h('span', { class: 'trend trend--down', title: 'уровень понизился' }, '↓');
    return h('span', { class: 'trend trend--same', title: 'уровень не изменился' }, '=');
  };
  const earlierLevels = earlier.map((e) => new Map((e.directions || []).map((d) => [d.code, d.level])));
  const lastLevels = earlierLevels[earlierLevels.length - 1];
  const lastOverall = earlier[earlier.length - 1].level;
  return h('section', { class: 'card', 'aria-labelledby': 'compare-title', 'data-testid': 'comparison' },
    h('h2', { id: 'compare-title' }, 'Сравнение с прошлыми кампаниями'),
    h('div', { class: 'table-wrap' }, h('table', { class: 'data-table' },
      h('caption', { class: 'visually-hidden' }, 'Уровни по направлениям в прошлых кампаниях и сейчас'),
      h('thead', null, h('tr', null,
        h('th', { scope: 'col' }, 'Направление'),
        earlier.map((e) => h('th', { scope: 'col' }, e.campaign_title)),
        h('th', { scope: 'col' }, 'Сейчас'),
        h('th', { scope: 'col', class: 'center' }, 'Изменение'))),
      h('tbody', null,
        rows.map((r) => h('tr', { 'data-direction-code': r.code },
          h('th', { scope: 'row' }, r.title),
          earlierLevels.map((m) => h('td', null, levelBadge(m.get(r.code)))),
          h('td', null, levelBadge(r.level)),
          h('td', { class: 'center' }, arrow(lastLevels.get(r.code), r.level)))),
        h('tr', { class: 'row--total' },
          h('th', { scope: 'row' }, 'Итоговый уровень'),
          earlier.map((e) => h('td', null, levelBadge(e.level))),
          h('td', null, levelBadge(result.level)),
          h('td', { class: 'center' }, arrow(lastOverall, result.level)))))),
    h('p', { class: 'muted small' }, '↑ — уровень повысился, ↓ — понизился, = — не изменился; ',
      'направления сопоставлены по кодам, даже если версия инструмента изменилась.'));
}

/**
 * resultView({submission, index, deficits, deficitsError, earlier}) → node.
 * submission.result must not be null.
 */
export function resultView({ submission, index, deficits, deficitsError, earlier = [] }) {
  const { result } = submission;
  const rows = directionRows(index, result);
  const official = submission.status === 'accepted';
  const summary = h('section', { class: 'card result-summary', 'aria-labelledby': 'result-title', 'data-testid': 'result-summary' },
    h('h2', { id: 'result-title' }, 'Результат самодиагностики'),
    official ? null : h('p', { class: 'note' },
      submission.status === 'returned'
        ? 'Анкета возвращена на доработку; результат будет пересчитан после повторной отправки.'
        : 'Результат предварительный: анкета ещё не принята муниципалитетом.'),
    h('div', { class: 'result-summary__grid' },
      h('div', { class: 'kpi' },
        h('span', { class: 'kpi__label' }, 'Сумма баллов'),
        h('span', { class: 'kpi__value', 'data-testid': 'total-points' }, outOf(result.total_points, result.max_points))),
      h('div', { class: 'kpi' },
        h('span', { class: 'kpi__label' }, 'Уровень'),
        h('span', { class: 'kpi__value', 'data-testid': 'overall-level' }, levelBadge(result.level)))),
    loweredByCritical(index, result) ? h('p', { class: 'message message--error' },
      'Уровень «ниже базового» установлен, потому что по критическому показателю получено 0 баллов, ',
      'хотя сумма баллов достигает порога базового уровня.') : null);

  const table = h('table', { class: 'data-table', 'data-testid': 'directions-table' },
    h('caption', { class: 'visually-hidden' }, 'Баллы и уровни по направлениям'),
    h('thead', null, h('tr', null,
      h('th', { scope: 'col' }, 'Направление'),
      h('th', { scope: 'col', class: 'num' }, 'Баллы'),
      h('th', { scope: 'col', class: 'num' }, 'Максимум'),
      h('th', { scope: 'col' }, 'Уровень'))),
    h('tbody', null, rows.map((r) => h('tr', { 'data-direction-code': r.code },
      h('th', { scope: 'row' }, r.title),
      h('td', { class: 'num' }, formatNumber(r.points)),
      h('td', { class: 'num' }, formatNumber(r.max)),
      h('td', null, levelBadge(r.level))))),
    h('tfoot', null, h('tr', null,
      h('th', { scope: 'row' }, 'Итого'),
      h('td', { class: 'num' }, formatNumber(result.total_points)),
      h('td', { class: 'num' }, formatNumber(result.max_points)),
      h('td', null, levelBadge(result.level)))));

  const directions = h('section', { class: 'card', 'aria-labelledby': 'directions-title' },
    h('h2', { id: 'directions-title' }, 'По направлениям'),
    h('div', { class: 'chart-pair' }, directionsChart(rows), h('div', { class: 'table-wrap' }, table)),
    h('p', { class: 'legend-levels small' }, RESULT_LEVELS.map((l) => h('span', { class: 'legend-levels__item' },
      h('span', { class: ['swatch', `swatch--${l}`], 'aria-hidden': 'true' }), levelName(l)))));

  return h('div', { class: 'result', 'data-testid': 'result' },
    summary,
    directions,
    earlier.length ? comparisonSection(rows, result, earlier) : null,
    deficitsSection(index, deficits, { errorText: deficitsError }));
}

/**
 * The answers of a submission, read-only: one collapsible block per direction
 * with a table (code, indicator, answer, points, comment). open: expand all.
 */
/** The files of one answer, read-only (null when there are none). */
function answerFiles(submission, indicatorId) {
  const files = filesOf(submission, indicatorId);
  if (!files.length) return null;
  return attachmentsPanel({ owner: { attachments: files }, empty: null, compact: true, testId: 'answer-attachments' });
}

export function answersView(index, submission, { open = false } = {}) {
  const answers = new Map((submission.answers || []).map((a) => [String(a.indicator_id), a]));
  const answered = index.indicators.filter((x) => answers.has(String(x.id))).length;
  return h('section', { class: 'card', 'aria-labelledby': 'answers-title', 'data-testid': 'answers' },
    h('h2', { id: 'answers-title' }, 'Ответы анкеты'),
    h('p', { class: 'muted small' }, `Отвечено ${answeredOf(answered, index.indicators.length)}.`),
    index.directions.map((d, n) => {
      const done = d.indicators.filter((x) => answers.has(String(x.id))).length;
      return h('details', { class: 'answers-block', open, 'data-direction-code': d.code },
        h('summary', null, `${n + 1}. ${d.title}`, h('span', { class: 'muted small' }, ` — отвечено ${outOf(done, d.indicators.length)}`)),
        h('div', { class: 'table-wrap' }, h('table', { class: 'data-table data-table--compact' },
          h('caption', { class: 'visually-hidden' }, `Ответы: ${d.title}`),
          h('thead', null, h('tr', null,
            h('th', { scope: 'col' }, 'Код'),
            h('th', { scope: 'col' }, 'Показатель'),
            h('th', { scope: 'col' }, 'Ответ'),
            h('th', { scope: 'col', class: 'num' }, 'Баллы'),
            h('th', { scope: 'col' }, 'Комментарий и файлы школы'))),
          h('tbody', null, d.indicators.map((x) => {
            const a = answers.get(String(x.id));
            const option = a ? x.options.find((o) => o.value === a.value) : null;
            return h('tr', { 'data-indicator-code': x.code },
              h('td', { class: 'code nowrap' }, x.code),
              h('td', null, x.text, x.critical ? [' ', h('span', { class: 'badge badge--danger' }, 'критический')] : null),
              h('td', null, option ? option.label : h('span', { class: 'muted' }, 'нет ответа')),
              h('td', { class: 'num nowrap' }, option ? `${formatNumber(option.points)} из ${formatNumber(x.max_points)}` : '—'),
              h('td', { class: 'small' }, a?.comment || '', answerFiles(submission, x.id)));
          })))));
    }));
}

// On paper every block of answers is shown, not only the expanded ones.
window.addEventListener('beforeprint', () => {
  for (const d of document.querySelectorAll('details.answers-block')) d.open = true;
});
