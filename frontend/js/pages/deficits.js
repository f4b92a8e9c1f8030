// Deficits (#/deficits?campaign_id=&municipality_id=). A school sees its own
// deficits and growth areas of a campaign; a municipality, the committee and
// ЛОИРО see, per indicator, how many schools of their scope have it as a
// deficit (GET /deficits), most frequent first.

import { h, replace, uid } from '../dom.js';
import { api, listAll } from '../api.js';
import { formatNumber, sentence } from '../format.js';
import { messageBox } from '../forms.js';
import { deficitsSection } from '../result.js';
import {
  indexInstrument, loadInstrument, percent, period, submissionStatusBadge, unwrapSubmission,
} from '../diagnostics.js';

const WITH_RESULT = new Set(['submitted', 'returned', 'accepted']);

function campaignSelect(campaigns, selected, onchange) {
  const id = uid('deficits-campaign');
  const select = h('select', { id, onchange: () => onchange(select.value) },
    campaigns.map((c) => h('option', { value: String(c.id), selected: String(c.id) === String(selected) },
      `${c.title} (${period(c.opens_on, c.closes_on)})`)));
  return h('div', { class: 'field field--grow' }, h('label', { for: id }, 'Кампания'), select);
}

// ————————————————————————————————————— a school

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
    let items = null;
    let error = null;
    try {
      items = (await api.get(`/schools/${submission.school_id}/deficits`, { campaign_id: chosen.campaign.id })).items;
    } catch (err) {
      error = err.unavailable ? 'Сервис временно недоступен: список дефицитов не загрузился.' : sentence(err.title);
    }
    replace(holder,
      h('p', { class: 'list-summary' }, 'Анкета: ', submissionStatusBadge(submission.status), ' ',
        h('a', { href: `#/diagnostics/${chosen.campaign.id}` }, 'результат самодиагностики')),
      deficitsSection(index, items, { errorText: error }));
    if (ctx.isCurrent()) ctx.setQuery({ campaign_id: chosen.campaign.id });
  }
  const select = campaignSelect(usable.map((p) => p.campaign), chosen.campaign.id, (value) => {
    chosen = usable.find((p) => String(p.campaign.id) === value);
    load().catch((err) => box.show('error', err.unavailable ? 'Сервис временно недоступен.' : sentence(err.title)));
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
  for (let offset = 0; ; offset += 200) {
    const page = await api.get('/deficits', { campaign_id: campaignId, municipality_id: municipalityId, limit: 200, offset });
    if (assessed === null) assessed = page.assessed ?? null;
    items.push(...page.items);
    if (!page.items.length || items.length >= page.total) return { items, assessed: assessed ?? 0 };
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

  let requestNo = 0;
  async function load() {
    const mine = ++requestNo;
    table.setAttribute('aria-busy', 'true');
    const campaign = campaigns.find((c) => String(c.id) === state.campaign_id);
    const [summaryPage, trees] = await Promise.all([
      deficitsSummary(campaign.id, state.municipality_id),
      Promise.all((campaign.instruments || []).map((i) => loadInstrument(i.id).catch(() => null))),
    ]);
    const { items, assessed } = summaryPage;
    if (mine !== requestNo) return;
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
    table.removeAttribute('aria-busy');
    if (ctx.isCurrent()) ctx.setQuery(state);
  }
  async function reload() {
    box.clear();
    try {
      await load();
    } catch (err) {
      table.removeAttribute('aria-busy');
      box.show('error', err.unavailable ? 'Сервис временно недоступен. Повторите попытку позже.' : sentence(err.title));
    }
  }
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
      box.node, summary,
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
