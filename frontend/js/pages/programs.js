// «Программа развития» / «Программы развития» (#/programs). A school sees, per
// campaign whose self-diagnostic was accepted, its program and every revision
// of it, or «Составить программу» (POST /programs) when there is none yet.
// A municipality, ЛОИРО and the committee see the queue
// (#/programs?status=&campaign_id=&municipality_id=&offset=) with tabs by
// status, including «Без программы» — schools with deficits and no program
// (GET /programs?status=not_started).

import { h, replace, uid } from '../shared/dom.js';
import { api, listAll } from '../api.js';
import { formatDate, formatNumber, parseDate, plural } from '../shared/format.js';
import { field, messageBox, showApiError, clearErrors } from '../shared/forms.js';
import { emptyRow, listView } from '../shared/list.js';
import { moscowToday } from '../execution.js';
import { period } from '../diagnostics.js';
import { programFlash, programPeriod } from '../programs.js';
import { statusBadge } from '../shared/vocabulary.js';

const LIMIT = 50;
const REGION = ['committee', 'loiro'];

const dateInput = (iso) => h('input', {
  type: 'text', value: iso ? formatDate(iso) : '', class: 'input-date', inputmode: 'numeric', autocomplete: 'off',
  maxlength: 10, placeholder: 'ДД.ММ.ГГГГ',
});
const dateProblem = (text, empty) => (String(text).trim() ? 'Дата в формате ДД.ММ.ГГГГ, например 31.12.2026.' : empty);

/** «3 из 10 выполнено» and the overdue count. */
function measuresCell(p) {
  if (p.measure_count === null || p.measure_count === undefined) return h('span', { class: 'muted' }, '—');
  return [
    h('span', { class: 'nowrap' }, `${formatNumber(p.measure_count)} ${plural(p.measure_count, ['мероприятие', 'мероприятия', 'мероприятий'])}`),
    p.status === 'approved' || p.status === 'superseded'
      ? h('span', { class: 'muted small block' }, `выполнено ${formatNumber(p.measures_done ?? 0)}`) : null,
    p.measures_overdue && p.status === 'approved' ? h('span', { class: 'badge badge--danger', 'data-testid': 'overdue-count' },
      `просрочено ${formatNumber(p.measures_overdue)}`) : null,
  ];
}

// ————————————————————————————————————— a school: its programs

function createForm(ctx, { campaign, schoolName, onCancel }) {
  const box = messageBox('create-message');
  const today = moscowToday();
  const year = Number(today.slice(0, 4));
  const f = {
    title: field('title', 'Название программы', h('input', {
      type: 'text', maxlength: 500, value: `Программа развития ${schoolName || 'школы'} на ${year}–${year + 2} годы`,
    }), { required: true }),
    period_start: field('period_start', 'Начало', dateInput(today), { required: true, hint: 'ДД.ММ.ГГГГ' }),
    period_end: field('period_end', 'Окончание', dateInput(`${year + 2}-12-31`), { required: true, hint: 'ДД.ММ.ГГГГ; не больше 5 лет от начала' }),
  };
  const save = h('button', { type: 'submit', class: 'btn btn--primary' }, 'Создать программу');
  async function onSubmit(event) {
    event.preventDefault();
    box.clear();
    clearErrors(f);
    const data = {
      campaign_id: Number(campaign.id),
      title: f.title.control.value.trim(),
      period_start: parseDate(f.period_start.control.value),
      period_end: parseDate(f.period_end.control.value),
    };
    const missing = [];
    if (!data.title) missing.push(['title', 'Укажите название программы.']);
    if (!data.period_start) missing.push(['period_start', dateProblem(f.period_start.control.value, 'Укажите начало периода.')]);
    if (!data.period_end) missing.push(['period_end', dateProblem(f.period_end.control.value, 'Укажите окончание периода.')]);
    if (!missing.length && data.period_end < data.period_start) missing.push(['period_end', 'Окончание не может быть раньше начала.']);
    if (missing.length) {
      for (const [n, m] of missing) f[n].setError(m);
      box.show('error', 'Проверьте поля программы.');
      f[missing[0][0]].focus();
      return;
    }
    save.disabled = true;
    try {
      const program = await api.post('/programs', data);
      programFlash.set(program.id, ['success', 'Программа создана. Добавьте мероприятия: для каждого дефицита нужно хотя бы одно.']);
      ctx.navigate(`#/programs/${program.id}`);
    } catch (err) {
      save.disabled = false;
      if (err.status === 409 && err.code === 'conflict.duplicate') {
        box.show('error', 'Программа по этой самодиагностике уже есть. ',
          h('button', { type: 'button', class: 'btn btn--small', onclick: () => ctx.navigate('#/programs') }, 'Обновить список'));
      } else {
        const fe = err.fieldErrors || {};
        if (fe.campaign_id) box.show('error', fe.campaign_id);
        else showApiError(err, f, box);
      }
    }
  }
  const node = h('form', { class: 'form form--card program-create', novalidate: true, onsubmit: onSubmit, 'aria-label': 'Новая программа развития', 'data-testid': 'program-create' },
    box.node,
    f.title.node,
    h('div', { class: 'field-row' }, f.period_start.node, f.period_end.node),
    h('p', { class: 'muted small' }, 'Мероприятия добавляются на следующем шаге. Поля, отмеченные *, обязательны.'),
    h('div', { class: 'form__actions' }, save, h('button', { type: 'button', class: 'btn', onclick: onCancel }, 'Отмена')));
  return { node, focus: () => f.title.focus() };
}

function schoolCampaignCard(ctx, { campaign, submission, programs, notStarted }) {
  const titleId = uid('campaign-title');
  const body = h('div');
  const card = h('section', { class: 'card', 'aria-labelledby': titleId, 'data-campaign-id': campaign.id, 'data-testid': 'program-campaign' },
    h('h2', { id: titleId }, campaign.title),
    h('p', { class: 'muted small' }, `Самодиагностика ${period(campaign.opens_on, campaign.closes_on)}, анкета принята `
      + `${formatDate(submission.decided_at)}.`),
    body);
  function drawList() {
    if (programs.length) {
      replace(body, h('div', { class: 'table-wrap' }, h('table', { class: 'data-table', 'data-testid': 'school-programs' },
        h('caption', { class: 'visually-hidden' }, `Программы по кампании «${campaign.title}»`),
        h('thead', null, h('tr', null,
          h('th', { scope: 'col' }, 'Программа'),
          h('th', { scope: 'col' }, 'Редакция'),
          h('th', { scope: 'col' }, 'Период'),
          h('th', { scope: 'col' }, 'Состояние'),
          h('th', { scope: 'col' }, 'Мероприятия'),
          h('th', { scope: 'col', class: 'num' }, 'Дефициты без мероприятий'))),
        h('tbody', null, programs.map((p) => h('tr', { 'data-program-id': p.id, 'data-status': p.status },
          h('th', { scope: 'row' }, h('a', { href: `#/programs/${p.id}` }, p.title)),
          h('td', { class: 'num' }, formatNumber(p.revision)),
          h('td', { class: 'nowrap' }, programPeriod(p)),
          h('td', null, statusBadge('program', p.status)),
          h('td', null, measuresCell(p)),
          h('td', { class: ['num', p.uncovered_count ? 'num--danger' : null] },
            p.status === 'draft' || p.status === 'returned' ? formatNumber(p.uncovered_count ?? 0) : '—')))))));
      return;
    }
    const deficits = notStarted?.deficit_count;
    replace(body,
      h('p', null, 'Программа развития по этой самодиагностике ещё не составлена.',
        deficits ? ` Дефицитов: ${formatNumber(deficits)} — для каждого понадобится хотя бы одно мероприятие.` : ''),
      h('div', { class: 'form__actions no-print' },
        h('button', { type: 'button', class: 'btn btn--primary', onclick: showForm }, 'Составить программу'),
        h('a', { class: 'btn', href: `#/deficits?campaign_id=${campaign.id}` }, 'Дефициты')));
  }
  function showForm() {
    const form = createForm(ctx, { campaign, schoolName: submission.school_name, onCancel: drawList });
    replace(body, form.node);
    form.focus();
  }
  drawList();
  return card;
}

async function renderSchool(ctx) {
  const [accepted, programs, notStarted] = await Promise.all([
    listAll('/submissions', { status: 'accepted' }),
    listAll('/programs'),
    listAll('/programs', { status: 'not_started' }).catch(() => []),
  ]);
  const campaigns = await Promise.all(accepted.map((s) => api.get(`/campaigns/${s.campaign_id}`)));
  const head = h('div', { class: 'page__head page__head--row' },
    h('div', null,
      h('h1', { id: 'programs-title' }, 'Программа развития'),
      h('p', { class: 'page__sub' }, 'Мероприятия школы по дефицитам самодиагностики, согласование с муниципалитетом и ход выполнения')),
    h('div', { class: 'page__actions no-print' },
      h('a', { class: 'btn', href: '#/practices' }, 'Практики ЛОИРО'),
      h('a', { class: 'btn', href: '#/partnerships' }, 'Наставничество')));
  const cards = accepted.map((s, i) => schoolCampaignCard(ctx, {
    campaign: campaigns[i],
    submission: s,
    programs: programs.filter((p) => String(p.campaign_id) === String(s.campaign_id))
      .sort((a, b) => b.revision - a.revision),
    notStarted: notStarted.find((n) => String(n.campaign_id) === String(s.campaign_id)),
  }));
  return {
    node: h('section', { class: 'page', 'aria-labelledby': 'programs-title' }, head,
      cards.length ? cards : h('p', { class: 'note', 'data-testid': 'no-accepted' },
        'Программа развития составляется по принятым результатам самодиагностики. ',
        'Когда муниципалитет примет анкету вашей школы, здесь появится возможность составить программу.')),
    title: 'Программа развития',
  };
}

// ————————————————————————————————————— the queue

const TABS = Object.freeze([
  { status: 'submitted', label: 'На согласовании' },
  { status: 'returned', label: 'Возвращены' },
  { status: 'approved', label: 'Утверждены' },
  { status: 'not_started', label: 'Без программы' },
  { status: 'all', label: 'Все' },
]);

/** What an empty tab of the queue says. */
const EMPTY_TEXT = Object.freeze({
  submitted: 'Программ на согласовании нет.',
  returned: 'Возвращённых программ нет.',
  approved: 'Утверждённых программ нет.',
  not_started: 'Школ с дефицитами без программы нет.',
  all: 'Программ нет.',
});

async function renderQueue(ctx) {
  const { user } = ctx;
  const regionWide = REGION.includes(user.role);
  const [campaigns, municipalities] = await Promise.all([
    listAll('/campaigns').then((list) => list.filter((c) => c.status !== 'planned')),
    regionWide ? listAll('/municipalities') : [],
  ]);
  const thead = h('thead');
  const tbody = h('tbody');
  const table = h('table', { class: 'data-table', 'data-testid': 'programs-table' },
    h('caption', { class: 'visually-hidden' }, 'Программы развития школ'), thead, tbody);
  const scope = () => ({ campaign_id: list.state.campaign_id, municipality_id: list.state.municipality_id });
  const list = listView(ctx, {
    path: '/programs',
    filters: {
      status: (v) => (TABS.some((t) => t.status === v) ? v : 'submitted'),
      campaign_id: (v) => (campaigns.some((c) => String(c.id) === v) ? v : ''),
      municipality_id: (v) => (regionWide ? v || '' : ''),
    },
    defaults: { status: 'submitted' },
    query: (st) => ({ ...scope(), status: st.status === 'all' ? '' : st.status }),
    limit: LIMIT,
    body: tbody,
    busy: table,
    row: (p) => row(p),
    empty: (st) => emptyRow(
      (regionWide ? 1 : 0) + (st.campaign_id ? 0 : 1) + (st.status === 'not_started' ? 3 : 6),
      EMPTY_TEXT[st.status]),
    drawn: headRow,
    summaryTestId: 'programs-summary',
    pagerLabel: 'Страницы списка программ',
    // the date column shows the submission or decision date, not updated_at: not sorted by it
    sortable: ['school_code', 'school_name', 'municipality_name', 'status'],
  });
  const { state, box } = list;
  const tabButtons = new Map();
  const tabs = h('div', { class: 'tabs no-print', role: 'group', 'aria-label': 'Состояние программы', 'data-testid': 'programs-tabs' },
    TABS.map((t) => {
      const count = h('span', { class: 'tabs__count' });
      const b = h('button', {
        type: 'button', class: 'tabs__tab', 'data-status': t.status, 'aria-pressed': String(t.status === state.status),
        onclick: () => {
          for (const [status, tab] of tabButtons) tab.b.setAttribute('aria-pressed', String(status === t.status));
          list.change('status', t.status);
        },
      }, t.label, count);
      tabButtons.set(t.status, { b, count });
      return b;
    }));

  async function loadCounts() {
    const totals = await Promise.all(TABS.map((t) => api.get('/programs', {
      ...scope(), status: t.status === 'all' ? '' : t.status, limit: 1,
    }).then((p) => p.total).catch(() => null)));
    TABS.forEach((t, i) => {
      const { count } = tabButtons.get(t.status);
      replace(count, totals[i] === null ? '' : ` ${formatNumber(totals[i])}`);
    });
  }

  function headRow() {
    const notStarted = state.status === 'not_started';
    replace(thead, h('tr', null,
      list.header('Код', { sort: 'school_code' }),
      list.header(notStarted ? 'Школа' : 'Школа и программа', { sort: 'school_name' }),
      regionWide ? list.header('Муниципалитет', { sort: 'municipality_name' }) : null,
      state.campaign_id ? null : list.header('Кампания'),
      notStarted ? null : list.header('Состояние', { sort: 'status' }),
      notStarted ? null : list.header('Мероприятия'),
      list.header(notStarted ? 'Дефицитов' : 'Без мероприятий', { class: 'num' }),
      notStarted ? null : list.header('Дата')));
  }

  function row(p) {
    if (state.status === 'not_started' || p.status === 'not_started') {
      return h('tr', { 'data-school-id': p.school_id, 'data-status': 'not_started' },
        h('td', { class: 'code nowrap' }, p.school_code || ''),
        h('th', { scope: 'row' }, h('a', { href: `#/schools/${p.school_id}` }, p.school_name || `Школа № ${p.school_id}`)),
        regionWide ? h('td', { class: 'cell-mun' }, p.municipality_name || '') : null,
        state.campaign_id ? null : h('td', { class: 'small' }, p.campaign_title || ''),
        h('td', { class: 'num' }, formatNumber(p.deficit_count ?? 0)));
    }
    const date = { submitted: p.submitted_at, approved: p.decided_at, returned: p.decided_at, superseded: p.decided_at }[p.status] || p.updated_at;
    return h('tr', {
      'data-program-id': p.id, 'data-school-id': p.school_id, 'data-status': p.status,
      class: p.measures_overdue && p.status === 'approved' ? 'row--overdue' : null,
    },
      h('td', { class: 'code nowrap' }, p.school_code || ''),
      h('th', { scope: 'row' },
        h('a', { href: `#/programs/${p.id}` }, p.school_name || `Школа № ${p.school_id}`),
        h('span', { class: 'muted small block' }, p.title, p.revision > 1 ? ` (редакция ${p.revision})` : '')),
      regionWide ? h('td', { class: 'cell-mun' }, p.municipality_name || '') : null,
      state.campaign_id ? null : h('td', { class: 'small' }, p.campaign_title || ''),
      h('td', { class: 'nowrap' }, statusBadge('program', p.status)),
      h('td', null, measuresCell(p)),
      h('td', { class: ['num', p.uncovered_count ? 'num--danger' : null] }, formatNumber(p.uncovered_count ?? 0)),
      h('td', { class: 'nowrap' }, date ? formatDate(date) : '—'));
  }

  const change = (key, value) => { list.change(key, value); loadCounts(); };
  const ids = { campaign: uid('p-campaign'), mun: uid('p-mun') };
  const filters = h('form', { class: 'filters no-print', 'aria-label': 'Отбор программ', onsubmit: (e) => e.preventDefault() },
    h('div', { class: 'field field--grow field--limited' }, h('label', { for: ids.campaign }, 'Кампания самодиагностики'),
      h('select', { id: ids.campaign, onchange: (e) => change('campaign_id', e.target.value) },
        h('option', { value: '' }, 'Все кампании'),
        campaigns.map((c) => h('option', { value: String(c.id), selected: String(c.id) === state.campaign_id }, c.title)))),
    regionWide ? h('div', { class: 'field' }, h('label', { for: ids.mun }, 'Муниципалитет'),
      h('select', { id: ids.mun, onchange: (e) => change('municipality_id', e.target.value) },
        h('option', { value: '' }, 'Все муниципалитеты'),
        municipalities.map((m) => h('option', { value: String(m.id), selected: String(m.id) === String(state.municipality_id) }, m.name)))) : null);

  await Promise.all([list.load(), loadCounts()]);
  const title = 'Программы развития';
  return {
    node: h('section', { class: 'page', 'aria-labelledby': 'programs-title' },
      h('div', { class: 'page__head page__head--row' },
        h('div', null,
          h('h1', { id: 'programs-title' }, title),
          h('p', { class: 'page__sub' }, user.role === 'municipality'
            ? `Программы школ: ${user.organisation_name || 'вашего муниципалитета'}`
            : 'Программы развития школ региона')),
        h('div', { class: 'page__actions no-print' },
          user.role === 'loiro' ? null : h('a', { class: 'btn', href: '#/practices' }, 'Практики ЛОИРО'),
          h('a', { class: 'btn', href: '#/partnerships' }, 'Наставничество'))),
      filters,
      tabs,
      box.node,
      list.summary,
      h('div', { class: 'table-wrap' }, table),
      list.pager,
      h('p', { class: 'legend muted small' }, 'Утверждённые программы с просроченными мероприятиями выделены красным. ',
        '«Без мероприятий» — дефициты, которые ещё не закрыты мероприятиями программы.')),
    title,
  };
}

export async function render(ctx) {
  if (ctx.user.role === 'school') return renderSchool(ctx);
  return renderQueue(ctx);
}
