// Deficits (#/deficits?campaign_id=&municipality_id=). A school sees its own
// deficits and growth areas of a campaign; a municipality, the committee and
// ЛОИРО see, per indicator, how many schools of their scope have it as a
// deficit (GET /deficits), most frequent first. With development programs
// (PROGRAMS_ENABLED) the school also sees each deficit's state (open, in work,
// eliminated, closed) and the measures of its programs that address it, and
// every role sees the counts of deficits by state.

import { h, replace, uid } from '../shared/dom.js';
import { api, listAll } from '../api.js';
import { errorText, formatDate, formatNumber } from '../shared/format.js';
import { messageBox } from '../shared/forms.js';
import { deficitsSection } from '../result.js';
import { PROGRAMS_ENABLED } from '../features.js';
import { deficitStates } from '../programs.js';
import {
  indexInstrument, loadInstrument, ofPoints, percent, period, unwrapSubmission,
} from '../diagnostics.js';
import { latestOnly } from '../shared/list.js';
import { statusBadge, statusLabel } from '../shared/vocabulary.js';

const WITH_RESULT = new Set(['submitted', 'returned', 'accepted']);

function campaignSelect(campaigns, selected, onchange) {
  const id = uid('deficits-campaign');
  const select = h('select', { id, onchange: () => onchange(select.value) },
    campaigns.map((c) => h('option', { value: String(c.id), selected: String(c.id) === String(selected) },
      `${c.title} (${period(c.opens_on, c.closes_on)})`)));
  return h('div', { class: 'field field--grow' }, h('label', { for: id }, 'Кампания'), select);
}

// ————————————————————————————————————— a school

/** The measures of the school's programs that address a deficit, with links to the programs. */
function measuresOf(d) {
  const list = Array.isArray(d.measures) ? d.measures : [];
  if (!list.length) {
    return d.kind === 'deficit' && (d.status === 'open' || d.status === 'in_work')
      ? h('p', { class: 'deficit__measures small' }, h('span', { class: 'mark-uncovered' }, 'нет мероприятия в программе'))
      : null;
  }
  return h('ul', { class: 'plain deficit__measures small', 'data-testid': 'deficit-measures' }, list.map((m) => h('li', null,
    h('a', { href: `#/programs/${m.program_id}` }, m.title),
    h('span', { class: 'muted' }, ` — ${statusLabel('measure', m.status)}`, m.due_date ? `, срок ${formatDate(m.due_date)}` : '',
      m.program_status && m.program_status !== 'approved' ? ` (программа: ${statusLabel('program', m.program_status)})` : ''))));
}

function stateItem(d) {
  return h('li', { class: 'deficit', 'data-indicator-code': d.indicator_code || '', 'data-status': d.status || '' },
    h('div', { class: 'deficit__head' },
      h('span', { class: 'code' }, d.indicator_code || ''),
      d.critical ? h('span', { class: 'badge badge--danger' }, 'критический') : null,
      d.kind === 'deficit' && d.status ? statusBadge('deficit', d.status) : null,
      d.direction_title ? h('span', { class: 'muted small' }, d.direction_title) : null),
    h('p', { class: 'deficit__text' }, d.indicator_text || ''),
    h('p', { class: 'deficit__points muted small' }, `${formatNumber(d.points)} ${ofPoints(d.max_points ?? 0)}`,
      d.status_at && d.kind === 'deficit' && d.status !== 'open' ? ` · состояние с ${formatDate(d.status_at)}` : ''),
    d.status === 'closed' && d.closed_reason ? h('p', { class: 'small' }, h('span', { class: 'muted' }, 'Причина закрытия: '), d.closed_reason) : null,
    measuresOf(d));
}

/** The school's deficits and growth areas with their states and measures (API order: critical first). */
function schoolDeficitsSection(items) {
  const real = items.filter((d) => d.kind === 'deficit');
  const growth = items.filter((d) => d.kind !== 'deficit');
  const provisional = items.some((d) => d.official === false);
  return h('section', { class: 'card', 'aria-labelledby': 'deficits-title', 'data-testid': 'deficits' },
    h('h2', { id: 'deficits-title' }, 'Дефициты и зоны роста'),
    provisional ? h('p', { class: 'note' },
      'Список предварительный: он станет официальным, когда муниципалитет примет анкету.') : null,
    h('div', { class: 'columns columns--top' },
      h('section', { 'aria-labelledby': 'deficits-real-title', 'data-testid': 'deficits-list' },
        h('h3', { id: 'deficits-real-title' }, `Дефициты — 0 баллов (${formatNumber(real.length)})`),
        real.length ? h('ol', { class: 'deficits' }, real.map(stateItem))
          : h('p', { class: 'muted' }, 'Дефицитов нет: по каждому показателю получены баллы.')),
      h('section', { 'aria-labelledby': 'deficits-growth-title', 'data-testid': 'growth-list' },
        h('h3', { id: 'deficits-growth-title' }, `Зоны роста — баллы ниже максимума (${formatNumber(growth.length)})`),
        growth.length ? h('ol', { class: 'deficits' }, growth.map(stateItem)) : h('p', { class: 'muted' }, 'Зон роста нет.'))),
    h('p', { class: 'muted small' }, 'Состояние дефицита: открыт — мероприятий в утверждённой программе нет; в работе — им занимается ',
      'утверждённая программа; устранён — в более поздней принятой самодиагностике показатель получил баллы; закрыт — муниципалитетом с указанием причины.'));
}

async function renderSchool(ctx) {
  const all = (await listAll('/campaigns')).filter((c) => c.status !== 'planned');
  const pairs = await Promise.all(all.map(async (c) => {
    const page = await api.get('/submissions', { campaign_id: c.id, limit: 1 });
    return { campaign: c, sub: page.items[0] || null };
  }));
  const usable = pairs.filter((p) => p.sub && WITH_RESULT.has(p.sub.status));
  const head = h('div', { class: 'page__head' },
    h('h1', { id: 'deficits-title' }, 'Дефициты'),
    h('p', { class: 'page__sub' }, 'Показатели самодиагностики, по которым школа получила 0 баллов (дефициты) или меньше максимума (зоны роста)'));
  if (!usable.length) {
    return {
      node: h('section', { class: 'page', 'aria-labelledby': 'deficits-title' }, head,
        h('p', { class: 'note' }, 'Дефициты появятся после отправки анкеты самодиагностики.')),
      title: 'Дефициты',
    };
  }
  let chosen = usable.find((p) => String(p.campaign.id) === ctx.query.campaign_id) || usable[0];
  const holder = h('div');
  const box = messageBox();

  async function load() {
    box.clear();
    const submission = unwrapSubmission(await api.get(`/submissions/${chosen.sub.id}`));
    const index = indexInstrument(await loadInstrument(submission.instrument_id));
    let body = null;
    let error = null;
    try {
      body = await api.get(`/schools/${submission.school_id}/deficits`, { campaign_id: chosen.campaign.id });
    } catch (err) {
      error = errorText(err, 'Список дефицитов не загрузился');
    }
    const withStates = PROGRAMS_ENABLED && body && body.items.some((d) => d.status);
    replace(holder,
      h('p', { class: 'list-summary' }, 'Анкета: ', statusBadge('submission', submission.status), ' ',
        h('a', { href: `#/diagnostics/${chosen.campaign.id}` }, 'результат самодиагностики'),
        PROGRAMS_ENABLED && submission.status === 'accepted' ? [' · ', h('a', { href: '#/programs' }, 'программа развития')] : null),
      withStates ? deficitStates(body.states) : null,
      withStates ? schoolDeficitsSection(body.items) : deficitsSection(index, body ? body.items : null, { errorText: error }));
    if (ctx.isCurrent()) ctx.setQuery({ campaign_id: chosen.campaign.id });
  }
  const select = campaignSelect(usable.map((p) => p.campaign), chosen.campaign.id, (value) => {
    chosen = usable.find((p) => String(p.campaign.id) === value);
    load().catch((err) => box.show('error', errorText(err)));
  });
  await load();
  return {
    node: h('section', { class: 'page', 'aria-labelledby': 'deficits-title' }, head,
      h('form', { class: 'filters no-print', 'aria-label': 'Выбор кампании', onsubmit: (e) => e.preventDefault() }, select),
      box.node, holder),
    title: 'Дефициты',
  };
}

// ————————————————————————————————————— municipality, committee, ЛОИРО

/** The number of schools with the indicator as a deficit, from whichever name the API gives it. */
function deficitCount(item) {
  for (const k of ['deficit_schools', 'schools_deficit', 'deficit_count', 'schools', 'school_count', 'count']) {
    if (Number.isFinite(Number(item[k])) && item[k] !== null && item[k] !== undefined && typeof item[k] !== 'object') return Number(item[k]);
  }
  return 0;
}

function growthCount(item) {
  for (const k of ['growth_schools', 'schools_growth', 'growth_count']) {
    if (item[k] !== null && item[k] !== undefined) return Number(item[k]);
  }
  return null;
}

/** Every row of GET /deficits (pages of 200) and the number of assessed schools. */
async function deficitsSummary(campaignId, municipalityId) {
  const items = [];
  let assessed = null;
  let states = null;
  for (let offset = 0; ; offset += 200) {
    const page = await api.get('/deficits', { campaign_id: campaignId, municipality_id: municipalityId, limit: 200, offset });
    if (assessed === null) assessed = page.assessed ?? null;
    if (states === null) states = page.states ?? null;
    items.push(...page.items);
    if (!page.items.length || items.length >= page.total) return { items, assessed: assessed ?? 0, states };
  }
}

async function renderSummary(ctx) {
  const { user } = ctx;
  const regionWide = user.role === 'committee' || user.role === 'loiro';
  const campaigns = (await listAll('/campaigns')).filter((c) => c.status !== 'planned');
  const municipalities = regionWide ? await listAll('/municipalities') : [];
  const head = h('div', { class: 'page__head' },
    h('h1', { id: 'deficits-title' }, 'Дефициты'),
    h('p', { class: 'page__sub' }, user.role === 'municipality'
      ? `Дефициты школ: ${user.organisation_name || 'вашего муниципалитета'}`
      : 'Дефициты школ региона по показателям самодиагностики'));
  if (!campaigns.length) {
    return {
      node: h('section', { class: 'page', 'aria-labelledby': 'deficits-title' }, head,
        h('p', { class: 'note' }, 'Кампаний самодиагностики пока нет.')),
      title: 'Дефициты',
    };
  }
  const state = {
    campaign_id: campaigns.some((c) => String(c.id) === ctx.query.campaign_id) ? ctx.query.campaign_id
      : String((campaigns.find((c) => c.status === 'closed') || campaigns[0]).id),
    municipality_id: regionWide ? (ctx.query.municipality_id || '') : '',
  };
  const box = messageBox();
  const summary = h('p', { class: 'list-summary', role: 'status', 'aria-live': 'polite', 'data-testid': 'deficits-summary' });
  const statesHolder = h('div');
  const tbody = h('tbody');
  const growthHead = h('th', { scope: 'col', class: 'num', hidden: true }, 'Зона роста, школ');
  const table = h('table', { class: 'data-table', 'data-testid': 'deficits-table' },
    h('caption', { class: 'visually-hidden' }, 'Дефициты по показателям'),
    h('thead', null, h('tr', null,
      h('th', { scope: 'col', class: 'num' }, '№'),
      h('th', { scope: 'col' }, 'Код'),
      h('th', { scope: 'col' }, 'Показатель'),
      h('th', { scope: 'col' }, 'Направление'),
      h('th', { scope: 'col', class: 'num' }, 'Дефицит, школ'),
      h('th', { scope: 'col', class: 'num' }, 'Доля школ'),
      growthHead)),
    tbody);

  function fetch() {
    const campaign = campaigns.find((c) => String(c.id) === state.campaign_id);
    return Promise.all([
      deficitsSummary(campaign.id, state.municipality_id),
      Promise.all((campaign.instruments || []).map((i) => loadInstrument(i.id).catch(() => null))),
    ]);
  }
  function draw([{ items, assessed, states }, trees]) {
    replace(statesHolder, PROGRAMS_ENABLED ? deficitStates(states, { caption: 'Дефициты принятых анкет по состоянию' }) : null);
    const indexes = trees.filter(Boolean).map(indexInstrument);
    const find = (indicatorId) => {
      for (const ix of indexes) {
        const x = ix.indicatorById.get(String(indicatorId));
        if (x) return { x, d: ix.directionOf(indicatorId) };
      }
      return { x: null, d: null };
    };
    const withResult = assessed;
    const rows = items.map((it) => {
      const { x, d } = find(it.indicator_id ?? it.indicator_ids?.[0]);
      return {
        code: it.indicator_code || x?.code || '',
        text: it.indicator_text || it.text || x?.text || '',
        direction: it.direction_title || d?.title || '',
        critical: Boolean(it.critical ?? x?.critical),
        count: deficitCount(it),
        growth: growthCount(it),
      };
    }).filter((r) => r.count > 0 || r.growth)
      .sort((a, b) => (b.count - a.count) || (Number(b.critical) - Number(a.critical)) || a.code.localeCompare(b.code));
    const hasGrowth = rows.some((r) => r.growth !== null);
    growthHead.hidden = !hasGrowth;
    replace(tbody, rows.length ? rows.map((r, i) => h('tr', { 'data-indicator-code': r.code },
      h('td', { class: 'num' }, formatNumber(i + 1)),
      h('td', { class: 'code nowrap' }, r.code),
      h('td', null, r.text, r.critical ? [' ', h('span', { class: 'badge badge--danger' }, 'критический')] : null),
      h('td', { class: 'cell-mun' }, r.direction),
      h('td', { class: 'num', 'data-testid': 'deficit-count' }, formatNumber(r.count)),
      h('td', { class: 'num' }, percent(r.count, withResult)),
      hasGrowth ? h('td', { class: 'num' }, r.growth === null ? '—' : formatNumber(r.growth)) : null))
      : h('tr', null, h('td', { colspan: hasGrowth ? 7 : 6, class: 'empty' }, 'Дефицитов нет.')));
    replace(summary, `Школ с отправленной или принятой анкетой: ${formatNumber(withResult)}; показателей с дефицитом `
      + `хотя бы у одной школы: ${formatNumber(rows.filter((r) => r.count > 0).length)}. Доля — от этого числа школ.`);
    if (ctx.isCurrent()) ctx.setQuery(state);
  }
  const { load, reload } = latestOnly({ busy: table, box, fetch, draw });
  const munId = uid('deficits-mun');
  const munSelect = regionWide ? h('select', {
    id: munId, onchange: () => { state.municipality_id = munSelect.value; reload(); },
  }, h('option', { value: '' }, 'Все муниципалитеты'),
  municipalities.map((m) => h('option', { value: String(m.id), selected: String(m.id) === String(state.municipality_id) }, m.name))) : null;

  await load();
  return {
    node: h('section', { class: 'page', 'aria-labelledby': 'deficits-title' }, head,
      h('form', { class: 'filters no-print', 'aria-label': 'Отбор дефицитов', onsubmit: (e) => e.preventDefault() },
        campaignSelect(campaigns, state.campaign_id, (v) => { state.campaign_id = v; reload(); }),
        munSelect ? h('div', { class: 'field' }, h('label', { for: munId }, 'Муниципалитет'), munSelect) : null),
      box.node, statesHolder, summary,
      h('div', { class: 'table-wrap' }, table),
      h('p', { class: 'muted small' }, 'Дефицит — показатель, по которому школа получила 0 баллов; зона роста — баллы выше 0, '
        + 'но ниже максимума. Учитываются отправленные и принятые анкеты; пока анкета не принята, её дефициты предварительные. '
        + 'Варианты инструмента сведены по коду показателя.')),
    title: 'Дефициты',
  };
}

export async function render(ctx) {
  if (ctx.user.role === 'school') return renderSchool(ctx);
  return renderSummary(ctx);
}
