// The monitoring dashboard (#/dashboard?campaign_id=&municipality_id=&offset=):
// the committee and ЛОИРО see their region municipality by municipality, a
// municipality its own schools. One campaign at a time (the newest with
// accepted submissions by default): headline figures, questionnaire statuses,
// levels, mean points per direction, change since the previous campaign, the
// most frequent deficits, development programs and execution of assignments —
// from GET /reports/summary; the schools one by one from GET /reports/schools,
// each linking to its printable card. Every chart has its table beside it.
// Exports: GET /reports/summary.xlsx and .csv through fetch (bearer token) → Blob.

import { h, replace, saveBlob, uid } from '../shared/dom.js';
import { api, fetchFile, listAll } from '../api.js';
import { errorText, formatDateTime, formatNumber, rangeText } from '../shared/format.js';
import { messageBox } from '../shared/forms.js';
import { emptyRow, latestOnly, parseSort, renderPager, sortHeaders } from '../shared/list.js';
import { COLORS } from '../shared/charts.js';
import { levelBadge, levelName, period, RESULT_LEVELS } from '../diagnostics.js';
import { progressSection } from './campaigns.js';
import {
  barChart, countCell, formatDecimal, share, shortMunicipality, stackedShareChart,
} from '../reports.js';
import { statusBadge } from '../shared/vocabulary.js';

const SCHOOLS_LIMIT = 100;
/** The fields GET /reports/schools sorts by that the schools table shows as columns. */
const SCHOOL_SORTS = ['short_name', 'percent', 'deficits'];
const REGION_ROLES = ['committee', 'loiro'];

/** Program states counted per municipality, in the order of the chart and the table. */
const PROGRAM_COLUMNS = Object.freeze([
  ['not_started', 'Без программы', '#c5ccd5'],
  ['draft', 'Черновик', '#8fb3d9'],
  ['submitted', 'На утверждении', '#d6ae4b'],
  ['returned', 'Возвращена', '#b4373b'],
  ['approved', 'Утверждена', '#2d7a45'],
]);

/**
 * The campaign shown when the address names none: the one of the newest
 * accepted submission in the caller's scope (submissions come newest campaign
 * first), else the newest campaign.
 */
async function defaultCampaign(campaigns) {
  const page = await api.get('/submissions', { status: 'accepted', limit: 1 });
  const id = page.items[0]?.campaign_id;
  return campaigns.find((c) => c.id === id) || campaigns[0];
}

/** A table inside its scroll wrapper; caption is for screen readers. */
function table(caption, head, body, foot, testId) {
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data-table data-table--compact', 'data-testid': testId || null },
    h('caption', { class: 'visually-hidden' }, caption),
    h('thead', null, head),
    h('tbody', null, body),
    foot ? h('tfoot', null, foot) : null));
}

const th = (text, cls = 'num') => h('th', { scope: 'col', class: cls }, text);
const num = (n) => h('td', { class: 'num' }, n === null || n === undefined ? '—' : formatNumber(n));

/** The row heading of a municipality: the short name («Тихвинский»), the full one as a tooltip. */
const munCell = (m) => h('th', { scope: 'row', title: m.name }, shortMunicipality(m.name));

function section(id, title, testId, ...content) {
  return h('section', { class: 'card report-section', 'aria-labelledby': id, 'data-testid': testId },
    h('h2', { id }, title), ...content);
}

// ————————————————————————————————————— headline figures

function kpi(label, value, hint, testId) {
  return h('div', { class: 'kpi kpi--tile', 'data-testid': testId || null },
    h('span', { class: 'kpi__label' }, label),
    h('span', { class: 'kpi__value' }, value),
    hint ? h('span', { class: 'kpi__hint' }, hint) : null);
}

function headline(summary) {
  const r = summary.region;
  const p = r.programs || {};
  const e = r.execution || {};
  const c = r.change || {};
  return h('section', { class: 'kpis', 'aria-label': 'Главные показатели', 'data-testid': 'headline' },
    kpi('Школ в кампании', formatNumber(r.schools), summary.scope?.kind === 'municipality' ? 'школы муниципалитета' : 'школы региона', 'kpi-schools'),
    kpi('Анкеты приняты', formatNumber(r.accepted), `${share(r.accepted, r.schools)} школ в кампании`, 'kpi-accepted'),
    kpi('Ждут проверки', formatNumber(r.submitted), `возвращено на доработку ${formatNumber(r.returned)}; не начато ${formatNumber(r.not_started)}`, 'kpi-submitted'),
    kpi('Уровень «ниже базового»', formatNumber(r.levels?.below_basic ?? 0), `${share(r.levels?.below_basic, r.accepted)} принятых анкет`, 'kpi-below'),
    summary.previous_campaign
      ? kpi('Уровень повысился / понизился', `${formatNumber(c.rose ?? 0)} / ${formatNumber(c.fell ?? 0)}`,
        `из ${formatNumber(c.compared ?? 0)} школ, сравнимых с прошлой кампанией`, 'kpi-change')
      : kpi('Изменение уровня', '—', 'предыдущей кампании нет', 'kpi-change'),
    kpi('Программы утверждены', `${formatNumber(p.approved ?? 0)} из ${formatNumber(p.needed ?? 0)}`,
      `нужны школам с дефицитами; без программы ${formatNumber(p.not_started ?? 0)}`, 'kpi-programs'),
    kpi('Мероприятия программ', `${formatNumber(p.measures_done ?? 0)} из ${formatNumber(p.measures_total ?? 0)}`,
      `выполнено; просрочено ${formatNumber(p.measures_overdue ?? 0)}`, 'kpi-measures'),
    kpi('Поручения', `${formatNumber((e.done ?? 0) + (e.accepted ?? 0))} из ${formatNumber(e.total ?? 0)}`,
      `выполнено; просрочено ${formatNumber(e.overdue ?? 0)}`, 'kpi-execution'));
}

// ————————————————————————————————————— sections

/**
 * One scope's distribution (a municipality looking at itself): a bar per part
 * and a table of counts and shares. parts: [{key, label, color, count}].
 */
function distribution({ caption, label, head, parts, whole, wholeLabel, testId }) {
  const chart = barChart({
    caption, label,
    bars: parts.map((p) => ({ label: p.label, value: p.count ?? 0, color: p.color, tip: `${formatNumber(p.count ?? 0)} (${share(p.count, whole)})` })),
    testId: `${testId}-chart`,
  });
  const t = table(caption,
    h('tr', null, th(head, null), th('Школ'), th('Доля')),
    parts.map((p) => h('tr', { 'data-key': p.key },
      h('th', { scope: 'row' }, h('span', { class: 'swatch-inline', dataset: { key: p.key } }), p.label),
      num(p.count ?? 0), h('td', { class: 'num' }, share(p.count, whole)))),
    h('tr', null, h('th', { scope: 'row' }, wholeLabel), num(whole), h('td', { class: 'num' }, whole ? '100\u00a0%' : '—')),
    `${testId}-table`);
  return h('div', { class: 'chart-pair' }, chart.node, t);
}

const STATUS_PARTS = Object.freeze([
  ['not_started', 'не начата'], ['in_progress', 'заполняется'], ['submitted', 'на проверке'],
  ['returned', 'возвращена на доработку'], ['accepted', 'принята'],
]);

/** Questionnaire statuses per municipality: the campaign screen's chart and table. */
function statusSection(summary, rows, regionWide) {
  if (!regionWide) {
    const r = summary.region;
    return section('status-title', 'Анкеты школ', 'progress', distribution({
      caption: 'Школы по состоянию анкеты',
      label: 'Диаграмма: число школ муниципалитета по состоянию анкеты самодиагностики. Те же числа — в таблице рядом.',
      head: 'Анкета',
      parts: STATUS_PARTS.map(([key, text]) => ({
        key, label: text, count: r[key], color: COLORS.statuses[key === 'in_progress' ? 'draft' : key],
      })),
      whole: r.schools, wholeLabel: 'Всего школ в кампании', testId: 'status',
    }));
  }
  const toProgress = (m) => ({
    municipality_id: m.municipality_id, name: shortMunicipality(m.name), targeted: m.schools, not_started: m.not_started,
    draft: m.in_progress, submitted: m.submitted, returned: m.returned, accepted: m.accepted,
  });
  const node = progressSection({ municipalities: rows.map(toProgress), total: toProgress(summary.region) }, summary.campaign.id);
  node.querySelector('.chart-pair')?.classList.add('chart-pair--stretch');
  const canvas = node.querySelector('canvas');
  if (canvas) {
    canvas.removeAttribute('aria-hidden');
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', 'Диаграмма: доли школ по состоянию анкеты в каждом муниципалитете. '
      + 'Те же числа — в таблице «Ход кампании по муниципалитетам».');
  }
  return node;
}

function levelsSection(summary, rows, regionWide) {
  if (!regionWide) {
    const r = summary.region;
    return section('levels-title', 'Уровни школ', 'levels', distribution({
      caption: 'Школы по уровню, принятые анкеты',
      label: 'Диаграмма: число школ муниципалитета с уровнем «ниже базового», «базовый», «средний», «высокий». Те же числа — в таблице рядом.',
      head: 'Уровень',
      parts: RESULT_LEVELS.map((l) => ({ key: l, label: levelName(l), count: r.levels?.[l] ?? 0, color: COLORS.levels[l] })),
      whole: r.accepted, wholeLabel: 'Принято анкет', testId: 'levels',
    }),
    h('p', { class: 'muted small' }, 'Учитываются только принятые анкеты.'));
  }
  const chart = stackedShareChart({
    caption: 'Уровни школ, % принятых анкет',
    label: 'Диаграмма: доли уровней «ниже базового», «базовый», «средний», «высокий» по муниципалитетам. Те же числа — в таблице «Уровни по муниципалитетам».',
    rows: rows.map((m) => ({ label: shortMunicipality(m.name), whole: m.accepted, values: m.levels || {} })),
    series: RESULT_LEVELS.map((l) => ({ key: l, label: levelName(l), color: COLORS.levels[l] })),
    testId: 'levels-chart',
  });
  const line = (m) => [
    munCell(m),
    num(m.accepted),
    RESULT_LEVELS.map((l) => countCell(m.levels?.[l], m.accepted)),
  ];
  const t = table('Уровни по муниципалитетам: число школ и доля от принятых анкет',
    h('tr', null, th('Муниципалитет', null), th('Принято анкет'), RESULT_LEVELS.map((l) => th(levelName(l)))),
    rows.map((m) => h('tr', { 'data-municipality-id': m.municipality_id }, line(m))),
    h('tr', { 'data-testid': 'levels-total' }, h('th', { scope: 'row' }, 'Всего'), num(summary.region.accepted),
      RESULT_LEVELS.map((l) => countCell(summary.region.levels?.[l], summary.region.accepted))),
    'levels-table');
  return section('levels-title', 'Уровни по муниципалитетам', 'levels',
    h('div', { class: 'chart-pair chart-pair--table-wide chart-pair--stretch' }, chart.node, t),
    h('p', { class: 'muted small' }, 'Учитываются только принятые муниципалитетом анкеты. Под числом школ — доля от принятых анкет.'));
}

/** Mean points per direction: a chart of the scope's means and the table (plus a municipality matrix for the region). */
function directionsSection(summary, rows, regionWide) {
  const dirs = summary.region.directions || [];
  // mean_percent is the mean of the schools' own percentages (variants of the
  // instrument may differ in maximum); points ÷ maximum only when it is missing.
  const pct = (d) => {
    if (d.mean_percent !== null && d.mean_percent !== undefined) return Number(d.mean_percent);
    return d.mean_points !== null && d.mean_points !== undefined && d.max_points ? (100 * d.mean_points) / d.max_points : null;
  };
  if (!dirs.length || dirs.every((d) => d.mean_points === null || d.mean_points === undefined)) {
    return section('directions-title', 'Средние баллы по направлениям', 'directions',
      h('p', { class: 'muted' }, 'Принятых анкет пока нет.'));
  }
  const chart = barChart({
    caption: 'Средний балл, % от максимума',
    label: 'Диаграмма: средний балл по каждому направлению в процентах от максимума. Те же числа — в таблице рядом.',
    bars: dirs.map((d) => ({
      label: d.title, value: pct(d) === null ? 0 : Math.round(pct(d) * 10) / 10,
      tip: `${formatDecimal(d.mean_points)} из ${formatNumber(d.max_points)} (${formatDecimal(pct(d))}\u00a0%)`,
    })),
    unit: '%', max: 100, testId: 'directions-chart',
  });
  const t = table('Средние баллы по направлениям',
    h('tr', null, th('Направление', null), th('Средний балл'), th('Максимум'), th('% от максимума')),
    dirs.map((d) => h('tr', { 'data-direction-code': d.code },
      h('th', { scope: 'row' }, d.title),
      h('td', { class: 'num' }, formatDecimal(d.mean_points)),
      num(d.max_points),
      h('td', { class: 'num' }, pct(d) === null ? '—' : `${formatDecimal(Math.round(pct(d) * 10) / 10)}\u00a0%`))),
    null, 'directions-table');
  let matrix = null;
  if (regionWide && rows.length > 1) {
    const byCode = (m) => new Map((m.directions || []).map((d) => [d.code, d]));
    const cell = (d) => h('td', { class: 'num' }, d && pct(d) !== null ? `${formatDecimal(Math.round(pct(d)))}\u00a0%` : '—');
    matrix = h('details', { class: 'report-more' },
      h('summary', null, 'По муниципалитетам, % от максимума'),
      table('Средний балл по направлениям в каждом муниципалитете, % от максимума',
        h('tr', null, th('Муниципалитет', null), dirs.map((d) => th(d.title))),
        rows.map((m) => { const map = byCode(m); return h('tr', null, munCell(m), dirs.map((d) => cell(map.get(d.code)))); }),
        h('tr', null, h('th', { scope: 'row' }, 'Регион'), dirs.map((d) => cell(d))),
        'directions-matrix'));
  }
  return section('directions-title', 'Средние баллы по направлениям', 'directions',
    h('div', { class: 'chart-pair' }, chart.node, t),
    matrix,
    h('p', { class: 'muted small' }, 'Средние по принятым анкетам; варианты инструмента сведены по коду направления.'));
}

function changeSection(summary, rows) {
  const prev = summary.previous_campaign;
  if (!prev) {
    return section('change-title', 'Изменение с прошлой кампанией', 'change',
      h('p', { class: 'muted' }, 'Предыдущей кампании нет: сравнивать не с чем.'));
  }
  const cells = (c = {}) => [num(c.compared), countCell(c.rose, c.compared), countCell(c.fell, c.compared), countCell(c.same, c.compared)];
  return section('change-title', 'Изменение с прошлой кампанией', 'change',
    h('p', null, `Сравнение с кампанией «${prev.title}»: школы, чьи анкеты приняты в обеих кампаниях.`),
    table('Изменение уровня школ с прошлой кампанией',
      h('tr', null, th('Муниципалитет', null), th('Сравнимо школ'), th('Уровень повысился'), th('Понизился'), th('Не изменился')),
      rows.map((m) => h('tr', { 'data-municipality-id': m.municipality_id }, munCell(m), cells(m.change))),
      h('tr', null, h('th', { scope: 'row' }, rows.length ? 'Всего' : 'Школы муниципалитета'), cells(summary.region.change)),
      'change-table'));
}

function deficitsSection(summary) {
  const top = summary.region.top_deficits || [];
  const directionTitle = new Map((summary.region.directions || []).map((d) => [d.code, d.title]));
  const accepted = summary.region.accepted;
  const link = h('p', { class: 'no-print' }, h('a', { href: `#/deficits?campaign_id=${summary.campaign.id}` }, 'Все дефициты кампании →'));
  if (!top.length) {
    return section('top-deficits-title', 'Самые частые дефициты', 'top-deficits',
      h('p', { class: 'muted' }, 'Дефицитов в принятых анкетах нет.'), link);
  }
  const chart = barChart({
    caption: 'Число школ с дефицитом',
    label: 'Диаграмма: десять самых частых дефицитов, число школ по каждому показателю; критические показатели — красным. Формулировки и числа — в таблице рядом.',
    bars: top.map((d) => ({
      label: d.indicator_code, value: d.schools, color: d.critical ? COLORS.levels.below_basic : COLORS.navy,
      tip: `${d.critical ? 'критический; ' : ''}${formatNumber(d.schools)} школ (${share(d.schools, accepted)})`,
    })),
    testId: 'deficits-chart',
  });
  const t = table('Десять самых частых дефицитов: критические первыми',
    h('tr', null, th('Код', null), th('Показатель', null), th('Школ'), th('Доля')),
    top.map((d) => h('tr', { 'data-indicator-code': d.indicator_code },
      h('td', { class: 'code nowrap' }, d.indicator_code),
      h('td', null, d.indicator_text, d.critical ? [' ', h('span', { class: 'badge badge--danger' }, 'критический')] : null,
        d.direction_code ? h('span', { class: 'block muted small' }, d.direction_title || directionTitle.get(d.direction_code) || d.direction_code) : null),
      num(d.schools),
      h('td', { class: 'num' }, share(d.schools, accepted)))),
    null, 'deficits-table');
  return section('top-deficits-title', 'Самые частые дефициты', 'top-deficits',
    h('div', { class: 'chart-pair chart-pair--table-wide chart-pair--stretch' }, chart.node, t),
    h('p', { class: 'muted small' }, 'Дефицит — показатель с 0 баллов в принятой анкете. Доля — от числа принятых анкет. Критические показатели идут первыми.'),
    link);
}

function programsSection(summary, rows, regionWide) {
  if (!regionWide) {
    const p = summary.region.programs || {};
    return section('programs-title', 'Программы развития', 'programs', distribution({
      caption: 'Школы с дефицитами по состоянию программы',
      label: 'Диаграмма: число школ с дефицитами по состоянию программы развития. Те же числа — в таблице рядом.',
      head: 'Программа',
      parts: PROGRAM_COLUMNS.map(([key, text, color]) => ({ key, label: text, color, count: p[key] ?? 0 })),
      whole: p.needed ?? 0, wholeLabel: 'Нужна программа', testId: 'programs',
    }),
    h('p', null, `Мероприятия действующих программ: ${formatNumber(p.measures_total ?? 0)}, выполнено ${formatNumber(p.measures_done ?? 0)}`,
      ` (${share(p.measures_done, p.measures_total)}), просрочено `, h('strong', { class: p.measures_overdue ? 'num--danger' : null }, formatNumber(p.measures_overdue ?? 0)), '.'),
    h('p', { class: 'muted small' }, 'Программа нужна школе, у которой в принятой анкете есть дефициты; школа учитывается по действующей программе.'));
  }
  const chart = stackedShareChart({
    caption: 'Доля школ, которым нужна программа, %',
    label: 'Диаграмма: состояние программ развития по муниципалитетам — без программы, черновик, на утверждении, возвращена, утверждена. Те же числа — в таблице «Программы развития».',
    rows: rows.map((m) => ({ label: shortMunicipality(m.name), whole: m.programs?.needed ?? 0, values: m.programs || {} })),
    series: PROGRAM_COLUMNS.map(([key, label, color]) => ({ key, label, color })),
    testId: 'programs-chart',
  });
  const cells = (p = {}) => [
    num(p.needed),
    PROGRAM_COLUMNS.map(([key]) => countCell(p[key], p.needed)),
    h('td', { class: 'num' },
      h('span', { class: 'count' }, `${formatNumber(p.measures_done ?? 0)} из ${formatNumber(p.measures_total ?? 0)}`),
      h('span', { class: ['pct', p.measures_overdue ? 'num--danger' : null] }, `просрочено\u00a0${formatNumber(p.measures_overdue ?? 0)}`)),
  ];
  const t = table('Программы развития по муниципалитетам: число школ и доля от тех, кому программа нужна',
    h('tr', null, th('Муниципалитет', null), th('Нужна'), PROGRAM_COLUMNS.map(([, label]) => th(label)),
      th('Мероприятий выполнено')),
    rows.map((m) => h('tr', { 'data-municipality-id': m.municipality_id }, munCell(m), cells(m.programs))),
    h('tr', null, h('th', { scope: 'row' }, 'Всего'), cells(summary.region.programs)),
    'programs-table');
  return section('programs-title', 'Программы развития', 'programs',
    h('div', { class: 'chart-pair chart-pair--table-wide chart-pair--table-wider chart-pair--stretch' }, chart.node, t),
    h('p', { class: 'muted small' }, 'Программа нужна школе, у которой в принятой анкете есть дефициты. Школа учитывается по действующей ',
      'программе (утверждённой, иначе — последней редакции). Мероприятия — действующих программ; просрочено — срок прошёл, а мероприятие не выполнено.'));
}

function executionSection(summary, rows) {
  const cells = (e = {}) => [num(e.total), countCell(e.done, e.total), countCell(e.accepted, e.total),
    countCell(e.overdue, e.total, { class: ['num', e.overdue ? 'num--danger' : null] })];
  return section('execution-title', 'Исполнение поручений', 'execution',
    table('Исполнение поручений по муниципалитетам',
      h('tr', null, th('Муниципалитет', null), th('Поручений'), th('Выполнено, ждёт приёмки'), th('Принято'), th('Просрочено')),
      rows.map((m) => h('tr', { 'data-municipality-id': m.municipality_id }, munCell(m), cells(m.execution))),
      [
        h('tr', null, h('th', { scope: 'row' }, rows.length ? 'Всего по муниципалитетам' : 'Муниципалитет и его школы'), cells(summary.region.execution)),
        summary.regional_execution ? h('tr', { 'data-testid': 'execution-regional' },
          h('th', { scope: 'row' }, 'Комитет и ЛОИРО'), cells(summary.regional_execution)) : null,
      ],
      'execution-table'),
    h('p', { class: 'muted small' }, 'Пункты документов («Контроль исполнения»), адресованные муниципалитету и его школам, за всё время — без привязки к кампании.'));
}

// ————————————————————————————————————— schools one by one

const CHANGE = Object.freeze({
  rose: ['↑', 'trend--up', 'уровень повысился'],
  fell: ['↓', 'trend--down', 'уровень понизился'],
  same: ['=', 'trend--same', 'уровень не изменился'],
});

function changeMark(change) {
  const c = CHANGE[change];
  if (!c) return h('span', { class: 'muted' }, '—');
  return h('span', { class: ['trend', c[1]], title: c[2] }, c[0], h('span', { class: 'visually-hidden' }, ` ${c[2]}`));
}

function schoolRow(s) {
  return h('tr', { 'data-school-id': s.school_id },
    h('th', { scope: 'row' }, h('a', { href: `#/schools/${s.school_id}/card` }, s.short_name),
      h('span', { class: 'block muted small' }, s.code)),
    h('td', null, statusBadge('submission', s.status || 'not_started')),
    h('td', { class: 'num nowrap' }, s.total_points === null || s.total_points === undefined ? '—' : [
      h('span', { class: 'count' }, `${formatNumber(s.total_points)} из ${formatNumber(s.max_points)}`),
      h('span', { class: 'pct' }, share(s.total_points, s.max_points))]),
    h('td', null, levelBadge(s.level)),
    h('td', { class: 'nowrap' }, levelBadge(s.previous_level), s.change ? ' ' : null, s.change ? changeMark(s.change) : null),
    num(s.deficits), num(s.growth),
    h('td', null, statusBadge('program', s.program_status)),
    h('td', { class: 'num nowrap' }, s.program_status && s.program_status !== 'not_started' ? [
      formatNumber(s.measures_done ?? 0), ' / ',
      h('span', { class: s.measures_overdue ? 'num--danger' : null }, formatNumber(s.measures_overdue ?? 0))] : '—'));
}

/**
 * The schools of one municipality (a municipality: its own; the region: the
 * one chosen) with paging: {node, load(municipalityId, offset)}.
 */
function schoolsSection(ctx, state, municipalities, regionWide) {
  const box = messageBox('schools-message');
  const summaryLine = h('p', { class: 'list-summary', role: 'status', 'aria-live': 'polite', 'data-testid': 'schools-summary' });
  const tbody = h('tbody');
  const pager = h('nav', { class: 'pager', 'aria-label': 'Страницы списка школ' });
  const sorting = sortHeaders({
    sortable: SCHOOL_SORTS,
    current: () => state.sort,
    change: (sort) => { state.sort = sort; state.offset = 0; return load(); },
  });
  const { header } = sorting;
  const tableEl = h('table', { class: 'data-table data-table--compact schools-report', 'data-testid': 'schools-table' },
    h('caption', { class: 'visually-hidden' }, 'Школы: результат самодиагностики, дефициты и программа развития'),
    h('thead', null, h('tr', null,
      header('Школа', { sort: 'short_name', class: 'col-school' }), th('Анкета', null),
      header('Баллы', { sort: 'percent', class: 'num' }), th('Уровень', null), th('В прошлой кампании', null),
      header('Дефицитов', { sort: 'deficits', class: 'num' }), th('Зон роста'), th('Программа', null),
      th('Мероприятия: выполнено / просрочено'))),
    tbody);
  const wrap = h('div', { class: 'table-wrap' }, tableEl);
  const loader = latestOnly({
    busy: tableEl,
    box,
    consequence: 'Список школ не загрузился',
    fetch: () => api.get('/reports/schools', {
      campaign_id: state.campaign_id, municipality_id: regionWide ? state.municipality_id : '',
      sort: state.sort, limit: SCHOOLS_LIMIT, offset: state.offset,
    }),
    draw: (page) => {
      wrap.hidden = false;
      replace(tbody, page.items.length ? page.items.map(schoolRow) : emptyRow(9, 'В кампании нет школ.'));
      replace(summaryLine, rangeText(state.offset, page.items.length, page.total));
      renderPager(pager, {
        total: page.total, offset: state.offset, limit: SCHOOLS_LIMIT, top: summaryLine,
        go: (o) => { state.offset = o; return load(); },
      });
      sorting.mark();
    },
  });

  /** Never throws: a failure stays in the section's own box, the rest of the dashboard is shown. */
  async function load() {
    if (regionWide && !state.municipality_id) {
      loader.cancel();
      box.clear();
      wrap.hidden = true;
      replace(summaryLine, 'Выберите муниципалитет, чтобы увидеть его школы.');
      renderPager(pager, { total: 0, offset: 0, limit: SCHOOLS_LIMIT, go: () => {} });
    } else {
      await loader.reload();
    }
    if (ctx.isCurrent()) ctx.setQuery(state);
  }

  let chooser = null;
  if (regionWide) {
    const id = uid('dash-mun');
    const select = h('select', {
      id, 'data-testid': 'schools-municipality',
      onchange: () => { state.municipality_id = select.value; state.offset = 0; load(); },
    }, h('option', { value: '' }, '— выберите —'),
    municipalities.map((m) => h('option', { value: String(m.id), selected: String(m.id) === String(state.municipality_id) }, m.name)));
    chooser = h('form', { class: 'filters filters--inner no-print', 'aria-label': 'Выбор муниципалитета', onsubmit: (e) => e.preventDefault() },
      h('div', { class: 'field' }, h('label', { for: id }, 'Муниципалитет'), select));
  }
  const node = section('schools-title', regionWide ? 'Школы муниципалитета' : 'Школы', 'schools',
    chooser, box.node, summaryLine, wrap, pager,
    h('p', { class: 'muted small' }, 'Название школы открывает её карточку: уровни по кампаниям, дефициты и программу — для печати. ',
      'Стрелка после прошлого уровня: ↑ — уровень повысился, ↓ — понизился, = — не изменился.'));
  return { node, load };
}

// ————————————————————————————————————— the page

export async function render(ctx) {
  const { user } = ctx;
  const regionWide = REGION_ROLES.includes(user.role);
  const campaigns = (await listAll('/campaigns')).filter((c) => c.status !== 'planned');
  const title = 'Мониторинг';
  const heading = h('h1', { id: 'dashboard-title' }, title);
  if (!campaigns.length) {
    return {
      node: h('section', { class: 'page', 'aria-labelledby': 'dashboard-title' },
        h('div', { class: 'page__head' }, heading),
        h('p', { class: 'note' }, 'Кампаний самодиагностики пока нет: сводке не из чего складываться.')),
      title,
    };
  }
  const fromQuery = campaigns.find((c) => String(c.id) === ctx.query.campaign_id);
  const [first, municipalities] = await Promise.all([
    fromQuery || defaultCampaign(campaigns),
    regionWide ? listAll('/municipalities') : [],
  ]);
  const state = {
    campaign_id: String(first.id),
    municipality_id: regionWide && municipalities.some((m) => String(m.id) === ctx.query.municipality_id) ? ctx.query.municipality_id : '',
    sort: parseSort(ctx.query.sort, SCHOOL_SORTS),
    offset: Math.max(0, Number.parseInt(ctx.query.offset, 10) || 0),
  };

  const box = messageBox();
  const sub = h('p', { class: 'page__sub' });
  const meta = h('p', { class: 'report-meta', 'data-testid': 'report-meta' });
  const holder = h('div', { class: 'report', 'data-testid': 'dashboard' });
  const schools = schoolsSection(ctx, state, municipalities, regionWide);

  async function load() {
    const summary = await api.get('/reports/summary', { campaign_id: state.campaign_id });
    const rows = summary.municipalities || [];
    const scopeName = summary.scope?.kind === 'municipality'
      ? (rows[0]?.name || user.organisation_name || 'муниципалитет')
      : (summary.scope?.region_name || 'регион');
    replace(sub, regionWide ? `Сводка по региону: ${scopeName}` : `Сводка по школам: ${scopeName}`);
    const c = summary.campaign;
    replace(meta, h('span', { class: 'print-only-inline' }, `Кампания «${c.title}», `),
      `${period(c.opens_on, c.closes_on)} `, statusBadge('campaign', c.status),
      summary.previous_campaign ? ` · сравнение с кампанией «${summary.previous_campaign.title}»` : '',
      ` · данные на ${formatDateTime(summary.generated_at || new Date())} (МСК)`);
    replace(holder,
      headline(summary),
      statusSection(summary, rows, regionWide),
      levelsSection(summary, rows, regionWide),
      directionsSection(summary, rows, regionWide),
      changeSection(summary, regionWide ? rows : []),
      deficitsSection(summary),
      programsSection(summary, rows, regionWide),
      executionSection(summary, regionWide ? rows : []));
    ctx.setQuery(state);
  }
  async function reload() {
    box.clear();
    holder.setAttribute('aria-busy', 'true');
    try {
      await load();
      await schools.load();
    } catch (err) {
      replace(holder);
      box.show('error', errorText(err));
    } finally {
      holder.removeAttribute('aria-busy');
    }
  }

  // Exports: the same summary as a workbook or a CSV file.
  const exportStatus = h('span', { class: 'export-status muted small', role: 'status', 'aria-live': 'polite', 'data-testid': 'export-status' });
  async function download(format, button) {
    box.clear();
    button.disabled = true;
    replace(exportStatus, 'Готовим файл…');
    const path = `/reports/summary.${format}`;
    try {
      const file = await fetchFile(path, { campaign_id: state.campaign_id }, `orientir-summary-${state.campaign_id}.${format}`);
      saveBlob(file.blob, file.filename);
      replace(exportStatus, `Файл «${file.filename}» сохранён.`);
    } catch (err) {
      replace(exportStatus);
      box.show('error', 'Файл не выгружен. ', errorText(err));
    } finally {
      button.disabled = false;
    }
  }
  const xlsxButton = h('button', { type: 'button', class: 'btn btn--primary', 'data-testid': 'export-xlsx' }, 'Выгрузить в Excel');
  xlsxButton.addEventListener('click', () => download('xlsx', xlsxButton));
  const csvButton = h('button', {
    type: 'button', class: 'btn', 'data-testid': 'export-csv', title: 'CSV: UTF-8, разделитель «;»',
  }, 'CSV');
  csvButton.addEventListener('click', () => download('csv', csvButton));

  const campaignId = uid('dash-campaign');
  const campaignSelect = h('select', {
    id: campaignId,
    onchange: () => { state.campaign_id = campaignSelect.value; state.offset = 0; reload(); },
  }, campaigns.map((c) => h('option', { value: String(c.id), selected: String(c.id) === state.campaign_id },
    `${c.title} (${period(c.opens_on, c.closes_on)})`)));

  await load();
  await schools.load();
  const node = h('section', { class: 'page page--report', 'aria-labelledby': 'dashboard-title' },
    h('div', { class: 'page__head page__head--row' },
      h('div', null, heading, sub),
      h('div', { class: 'page__actions no-print' },
        h('div', { class: 'export' }, xlsxButton, csvButton,
          h('button', { type: 'button', class: 'btn', onclick: () => window.print() }, 'Печать')),
        exportStatus)),
    h('form', { class: 'filters no-print', 'aria-label': 'Выбор кампании', onsubmit: (e) => e.preventDefault() },
      h('div', { class: 'field field--grow' }, h('label', { for: campaignId }, 'Кампания'), campaignSelect)),
    meta,
    box.node,
    holder,
    schools.node);
  return { node, title };
}
