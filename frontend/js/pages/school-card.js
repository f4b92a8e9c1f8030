// The printable card of one school (#/schools/{id}/card, GET /schools/{id}/card):
// its levels over the campaigns (a chart with its table, and levels per
// direction), the deficits of the latest scored campaign with their states and
// the measures addressing them, and its development program with the measures'
// progress. «Печать» prints it on A4 (the print rules of app.css drop the
// navigation and buttons). Every role in scope; a school sees its own card.

import { h } from '../shared/dom.js';
import { api } from '../api.js';
import { formatDate, formatDateTime, formatNumber, levelsShort, quoted } from '../shared/format.js';
import { COLORS } from '../shared/charts.js';
import { levelBadge, levelName, period, RESULT_LEVELS } from '../diagnostics.js';
import { barChart, share } from '../reports.js';
import * as features from '../features.js';
import { statusBadge, statusLabel, statusCodes } from '../shared/vocabulary.js';

/** How many campaigns the per-direction table shows (the newest ones). */
const DIRECTION_CAMPAIGNS = 4;

const th = (text, cls) => h('th', { scope: 'col', class: cls || null }, text);

function section(id, title, testId, ...content) {
  return h('section', { class: 'card report-section card-section', 'aria-labelledby': id, 'data-testid': testId },
    h('h2', { id }, title), ...content);
}

function trend(from, to) {
  if (!from || !to) return h('span', { class: 'muted' }, '—');
  const d = RESULT_LEVELS.indexOf(to) - RESULT_LEVELS.indexOf(from);
  const [mark, cls, text] = d > 0 ? ['↑', 'trend--up', 'уровень повысился']
    : d < 0 ? ['↓', 'trend--down', 'уровень понизился'] : ['=', 'trend--same', 'уровень не изменился'];
  return h('span', { class: ['trend', cls], title: text }, mark, h('span', { class: 'visually-hidden' }, ` ${text}`));
}

function percentOf(r) {
  return r.max_points ? (100 * r.total_points) / r.max_points : null;
}

const pctFmt = new Intl.NumberFormat('ru-RU', { maximumFractionDigits: 1 });

// ————————————————————————————————————— results over the campaigns

function resultsSection(results) {
  if (!results.length) {
    return section('card-results-title', 'Результаты самодиагностики', 'card-results',
      h('p', { class: 'muted' }, 'Результатов самодиагностики пока нет.'));
  }
  const oldestFirst = [...results].reverse();
  const chart = barChart({
    caption: 'Сумма баллов, % от максимума',
    label: 'Диаграмма: сумма баллов школы в каждой кампании в процентах от максимума, цвет — уровень. Те же числа — в таблице рядом.',
    bars: oldestFirst.map((r) => ({
      label: formatDate(r.opens_on).slice(3),
      value: Math.round((percentOf(r) ?? 0) * 10) / 10,
      color: COLORS.levels[r.level] || COLORS.navy,
      tip: `${r.campaign_title}: ${formatNumber(r.total_points)} из ${formatNumber(r.max_points)}, «${levelName(r.level)}»`,
    })),
    unit: '%', max: 100, testId: 'card-results-chart', vertical: true,
  });
  const table = h('div', { class: 'table-wrap' }, h('table', { class: 'data-table data-table--compact', 'data-testid': 'card-results-table' },
    h('caption', { class: 'visually-hidden' }, 'Результаты самодиагностики по кампаниям, новые сверху'),
    h('thead', null, h('tr', null, th('Кампания'), th('Анкета'), th('Баллы', 'num'), th('%', 'num'), th('Уровень'), th('Изменение', 'center'))),
    h('tbody', null, results.map((r, i) => h('tr', { 'data-campaign-id': r.campaign_id },
      h('th', { scope: 'row' }, r.campaign_title, h('span', { class: 'block muted small' }, period(r.opens_on, r.closes_on))),
      h('td', null, statusBadge('submission', r.status)),
      h('td', { class: 'num nowrap' }, `${formatNumber(r.total_points)} из ${formatNumber(r.max_points)}`),
      h('td', { class: 'num' }, percentOf(r) === null ? '—' : `${pctFmt.format(percentOf(r))}\u00a0%`),
      h('td', null, levelBadge(r.level)),
      h('td', { class: 'center' }, trend(results[i + 1]?.level, r.level)))))));

  // Levels per direction, matched by direction code across instrument versions.
  const shown = oldestFirst.slice(-DIRECTION_CAMPAIGNS);
  const directions = [];
  const seen = new Set();
  for (const r of [...shown].reverse()) {
    for (const d of r.directions || []) {
      if (!seen.has(d.code)) { seen.add(d.code); directions.push({ code: d.code, title: d.title }); }
    }
  }
  const maps = shown.map((r) => new Map((r.directions || []).map((d) => [d.code, d])));
  const dirTable = directions.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'data-table data-table--compact', 'data-testid': 'card-directions-table' },
    h('caption', { class: 'visually-hidden' }, 'Уровни по направлениям в каждой кампании'),
    h('thead', null, h('tr', null, th('Направление'), shown.map((r) => th(r.campaign_title)))),
    h('tbody', null, directions.map((d) => h('tr', { 'data-direction-code': d.code },
      h('th', { scope: 'row' }, d.title),
      maps.map((m) => {
        const x = m.get(d.code);
        return h('td', null, x ? [levelBadge(x.level), h('span', { class: 'block muted small' }, `${formatNumber(x.points)} из ${formatNumber(x.max_points)}`)]
          : h('span', { class: 'muted' }, '—'));
      })))))) : null;

  return section('card-results-title', 'Результаты самодиагностики', 'card-results',
    h('div', { class: 'chart-pair chart-pair--table-wide' }, chart.node, table),
    dirTable ? h('h3', null, 'Уровни по направлениям') : null,
    dirTable,
    h('p', { class: 'muted small' }, 'Учитываются отправленные и принятые анкеты; пока анкета не принята, результат предварительный. ',
      'Направления сопоставлены по кодам, даже если версия инструмента менялась.'));
}

// ————————————————————————————————————— deficits

function deficitsSection(deficits, results, programId) {
  const items = deficits?.items || [];
  const campaign = results.find((r) => String(r.campaign_id) === String(deficits?.campaign_id));
  const heading = 'Дефициты и зоны роста';
  if (!deficits || !items.length) {
    return section('card-deficits-title', heading, 'card-deficits',
      h('p', { class: 'muted' }, deficits?.submission_id ? 'Дефицитов и зон роста нет.' : 'Анкет с результатом пока нет.'));
  }
  const real = items.filter((d) => d.kind === 'deficit');
  const states = deficits.states || statusCodes('deficit').reduce((acc, s) => ({ ...acc, [s]: real.filter((d) => d.status === s).length }), {});
  const provisional = items.some((d) => d.official === false);
  const measuresCell = (d) => {
    const list = Array.isArray(d.measures) ? d.measures.filter((m) => !programId || String(m.program_id) === String(programId)) : [];
    if (!list.length) return h('span', { class: 'muted' }, d.kind === 'deficit' ? 'нет' : '—');
    return h('ul', { class: 'plain small' }, list.map((m) => h('li', null, m.title, ' ', h('span', { class: 'muted nowrap' }, `(до ${formatDate(m.due_date)})`))));
  };
  const growth = items.filter((d) => d.kind !== 'deficit');
  const indicatorCell = (d) => h('td', null, d.indicator_text,
    d.critical ? [' ', h('span', { class: 'badge badge--danger' }, 'критический')] : null,
    d.direction_title ? h('span', { class: 'block muted small' }, d.direction_title) : null);
  const points = (d) => h('td', { class: 'num nowrap' }, `${formatNumber(d.points)} из ${formatNumber(d.max_points)}`);
  return section('card-deficits-title', heading, 'card-deficits',
    h('p', null, campaign ? `По кампании ${quoted(campaign.campaign_title)}. ` : '',
      `Дефицитов: ${formatNumber(real.length)} (`,
      statusCodes('deficit').map((s, i) => `${i ? ', ' : ''}${statusLabel('deficit', s)} — ${formatNumber(states[s] ?? 0)}`),
      `); зон роста: ${formatNumber(growth.length)}.`),
    provisional ? h('p', { class: 'note' }, 'Список предварительный: анкета ещё не принята муниципалитетом.') : null,
    real.length ? [
      h('h3', null, `Дефициты — 0 баллов (${formatNumber(real.length)})`),
      h('div', { class: 'table-wrap' }, h('table', { class: 'data-table data-table--compact', 'data-testid': 'card-deficits-table' },
        h('caption', { class: 'visually-hidden' }, 'Дефициты, критические первыми: состояние и мероприятия программы'),
        h('thead', null, h('tr', null, th('Код'), th('Показатель'), th('Баллы', 'num'), th('Состояние'), th('Мероприятия программы'))),
        h('tbody', null, real.map((d) => h('tr', { 'data-indicator-code': d.indicator_code },
          h('td', { class: 'code nowrap' }, d.indicator_code),
          indicatorCell(d),
          points(d),
          h('td', null, statusBadge('deficit', d.status),
            d.closed_reason ? h('span', { class: 'block small' }, `Причина: ${d.closed_reason}`) : null),
          h('td', null, measuresCell(d))))))),
    ] : h('p', { class: 'muted' }, 'Дефицитов нет.'),
    growth.length ? [
      h('h3', null, `Зоны роста — баллы ниже максимума (${formatNumber(growth.length)})`),
      h('div', { class: 'table-wrap' }, h('table', { class: 'data-table data-table--compact', 'data-testid': 'card-growth-table' },
        h('caption', { class: 'visually-hidden' }, 'Зоны роста'),
        h('thead', null, h('tr', null, th('Код'), th('Показатель'), th('Баллы', 'num'))),
        h('tbody', null, growth.map((d) => h('tr', { 'data-indicator-code': d.indicator_code },
          h('td', { class: 'code nowrap' }, d.indicator_code), indicatorCell(d), points(d)))))),
    ] : null);
}

// ————————————————————————————————————— the program

function programSection(program, user) {
  const heading = 'Программа развития';
  if (!program) {
    return section('card-program-title', heading, 'card-program',
      h('p', { class: 'muted' }, 'Программы развития по результатам последней кампании нет.'));
  }
  const measures = program.measures || [];
  const done = measures.filter((m) => m.status === 'done').length;
  const overdue = measures.filter((m) => m.overdue).length;
  const row = (label, value) => [h('dt', null, label), h('dd', null, value)];
  const link = features.PROGRAMS_ENABLED && user
    ? h('p', { class: 'no-print' }, h('a', { href: `#/programs/${program.id}` }, 'Открыть программу →')) : null;
  return section('card-program-title', heading, 'card-program',
    h('dl', { class: 'props props--narrow' },
      row('Название', program.title),
      row('Период', `${formatDate(program.period_start)} – ${formatDate(program.period_end)}`),
      row('Состояние', [statusBadge('program', program.status), program.revision > 1 ? ` редакция ${formatNumber(program.revision)}` : '',
        program.decided_at && program.status === 'approved' ? ` · утверждена ${formatDate(program.decided_at)}` : '']),
      row('Кампания', program.campaign_title || '—'),
      row('Мероприятия', `${formatNumber(measures.length)}; выполнено ${formatNumber(done)} (${share(done, measures.length)}); просрочено ${formatNumber(overdue)}`)),
    measures.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'data-table data-table--compact card-measures', 'data-testid': 'card-measures-table' },
      h('caption', { class: 'visually-hidden' }, 'Мероприятия программы развития'),
      h('thead', null, h('tr', null, th('№', 'num'), th('Мероприятие', 'col-measure'), th('Срок'), th('Ответственный', 'col-who'), th('Состояние'), th('Отметка о ходе', 'col-note'))),
      h('tbody', null, measures.map((m, i) => h('tr', { class: m.overdue ? 'row--overdue' : null, 'data-measure-id': m.id },
        h('td', { class: 'num' }, formatNumber(i + 1)),
        h('td', null, m.title, m.expected_result ? h('span', { class: 'block muted small' }, `Результат: ${m.expected_result}`) : null),
        h('td', { class: 'nowrap' }, formatDate(m.due_date), m.overdue ? h('span', { class: 'block' }, h('span', { class: 'badge badge--danger' }, 'просрочено')) : null),
        h('td', null, m.responsible),
        h('td', null, statusBadge('measure', m.status)),
        h('td', { class: 'small' }, m.progress_note || '', m.progress_at ? h('span', { class: 'block muted' }, formatDate(m.progress_at)) : null))))))
      : h('p', { class: 'muted' }, 'Мероприятий нет.'),
    link);
}

// ————————————————————————————————————— the page

export async function render(ctx) {
  const { user } = ctx;
  const card = await api.get(`/schools/${ctx.params.id}/card`);
  const s = card.school;
  const results = card.results || [];
  const name = s.short_name || s.name;
  const row = (label, value) => [h('dt', null, label), h('dd', null, value || '—')];
  const back = user.role === 'school' ? null
    : h('p', { class: 'breadcrumbs no-print' },
      h('a', { href: '#/dashboard' }, '← К мониторингу'), ' · ',
      h('a', { href: `#/schools/${s.id}` }, 'Сведения о школе'));
  const node = h('section', { class: 'page page--school-card', 'aria-labelledby': 'card-title', 'data-testid': 'school-card-page' },
    back,
    h('div', { class: 'page__head page__head--row' },
      h('div', null,
        h('p', { class: 'page__kicker' }, 'Карточка школы'),
        h('h1', { id: 'card-title' }, name),
        h('p', { class: 'page__sub' }, s.municipality_name || '')),
      h('div', { class: 'page__actions no-print' },
        h('button', { type: 'button', class: 'btn btn--primary', onclick: () => window.print() }, 'Печать'))),
    h('section', { class: 'card card-section', 'aria-label': 'Сведения о школе' },
      h('dl', { class: 'props props--narrow', 'data-testid': 'card-school' },
        row('Полное наименование', s.name),
        row('Код', s.code),
        row('Муниципалитет', s.municipality_name),
        row('Адрес', s.address),
        row('Уровни образования', levelsShort(s.education_levels)))),
    resultsSection(results),
    deficitsSection(card.deficits, results, card.program?.id),
    programSection(card.program, user),
    h('p', { class: 'muted small report-meta' }, `Данные на ${formatDateTime(card.generated_at || new Date())} (МСК).`));
  return { node, title: `Карточка школы: ${name}` };
}
