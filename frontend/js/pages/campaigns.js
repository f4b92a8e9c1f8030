// Campaigns of self-diagnostics (committee, ЛОИРО): the list with a status
// filter (#/campaigns), creating one (#/campaigns/new: title, published
// instruments in order, dates, target schools) and one campaign's card
// (#/campaigns/{id}): extending the deadline (PATCH with If-Match) and the
// progress by municipality — a table of counts and percentages with a stacked
// Chart.js bar per municipality beside it.

import { h, replace, uid } from '../shared/dom.js';
import { api, listAll } from '../api.js';
import { formatDate, formatNumber, parseDate, plural } from '../shared/format.js';
import { field, checkboxGroup, messageBox, showApiError, clearErrors, sendNew } from '../shared/forms.js';
import { emptyRow, listView } from '../shared/list.js';
import { schoolSearch } from '../shared/school-search.js';
import { countCell, shortMunicipality, stackedShareChart } from '../reports.js';
import { COLORS } from '../shared/charts.js';
import { appliesToText, instrumentLabel, period } from '../diagnostics.js';
import { statusBadge, statusLabel, statusLabels, statusCodes } from '../shared/vocabulary.js';

const LIMIT = 50;
let flash = null;

/** Today in Moscow as YYYY-MM-DD (the API computes statuses in Europe/Moscow). */
function moscowToday() {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Moscow', year: 'numeric', month: '2-digit', day: '2-digit',
  }).formatToParts(new Date());
  const get = (t) => parts.find((p) => p.type === t).value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** The campaign's target in words. */
function targetText(target, municipalities) {
  if (!target || target.all) return 'все школы региона';
  if (Array.isArray(target.municipality_ids)) {
    const names = target.municipality_ids.map((id) => municipalities.get(String(id)) || `№ ${id}`);
    return `школы ${plural(names.length, ['муниципалитета', 'муниципалитетов', 'муниципалитетов'])}: ${names.join(', ')}`;
  }
  if (Array.isArray(target.school_ids)) {
    const n = target.school_ids.length;
    return `список из ${formatNumber(n)} ${plural(n, ['школы', 'школ', 'школ'])}`;
  }
  return '—';
}

// ————————————————————————————————————— list

async function renderList(ctx) {
  const thead = h('thead');
  const tbody = h('tbody');
  const table = h('table', { class: 'data-table', 'data-testid': 'campaigns-table' },
    h('caption', { class: 'visually-hidden' }, 'Кампании самодиагностики'), thead, tbody);
  const list = listView(ctx, {
    path: '/campaigns',
    filters: { status: (v) => (statusCodes('campaign').includes(v) ? v : '') },
    limit: LIMIT,
    body: tbody,
    busy: table,
    row: (c) => h('tr', { 'data-campaign-id': c.id },
      h('th', { scope: 'row' }, h('a', { href: `#/campaigns/${c.id}` }, c.title)),
      h('td', { class: 'nowrap' }, period(c.opens_on, c.closes_on)),
      h('td', { class: 'nowrap' }, statusBadge('campaign', c.status)),
      h('td', null, (c.instruments || []).map((i) => h('div', { class: 'small' }, `${i.code}, версия ${i.version}`))),
      h('td', { class: 'num' }, formatNumber(c.targeted ?? 0))),
    empty: (state) => emptyRow(5, state.status ? 'Кампаний с таким статусом нет.' : 'Кампаний пока нет.'),
    summaryTestId: 'campaigns-summary',
    pagerLabel: 'Страницы списка кампаний',
    sortable: ['title', 'opens_on', 'closes_on'],
  });
  const { state } = list;
  replace(thead, h('tr', null,
    list.header('Кампания', { sort: 'title' }),
    list.header('Сроки', { sort: 'opens_on' }),
    list.header('Статус'),
    list.header('Инструменты'),
    list.header('Школ', { class: 'num' })));

  const statusId = uid('campaigns-status');
  const statusFilter = h('select', {
    id: statusId, onchange: () => list.change('status', statusFilter.value),
  }, h('option', { value: '' }, 'Все'),
  Object.entries(statusLabels('campaign')).map(([code, name]) => h('option', { value: code, selected: code === state.status }, name)));

  await list.load();
  const node = h('section', { class: 'page', 'aria-labelledby': 'campaigns-title' },
    h('div', { class: 'page__head page__head--row' },
      h('div', null,
        h('h1', { id: 'campaigns-title' }, 'Кампании'),
        h('p', { class: 'page__sub' }, 'Кампании самодиагностики школ: сроки, инструменты, участники и ход заполнения')),
      h('div', { class: 'page__actions no-print' },
        h('a', { class: 'btn btn--primary', href: '#/campaigns/new' }, 'Создать кампанию'))),
    h('form', { class: 'filters no-print', 'aria-label': 'Отбор кампаний', onsubmit: (e) => e.preventDefault() },
      h('div', { class: 'field' }, h('label', { for: statusId }, 'Статус'), statusFilter)),
    list.box.node,
    list.summary,
    h('div', { class: 'table-wrap' }, table),
    list.pager);
  return { node, title: 'Кампании' };
}

// ————————————————————————————————————— create

/** The ordered choice of instruments: {node, values(), setError, focus}. */
function instrumentPicker(published) {
  const chosen = [];
  const list = h('ol', { class: 'picked', 'data-testid': 'chosen-instruments' });
  const addId = uid('f-instrument-add');
  const addSelect = h('select', { id: addId });
  const errorEl = h('p', { class: 'field__error', hidden: true });
  const byId = new Map(published.map((i) => [String(i.id), i]));

  function draw() {
    replace(list, chosen.length ? chosen.map((id, k) => {
      const i = byId.get(id);
      return h('li', { class: 'picked__item', 'data-instrument-id': id },
        h('div', { class: 'picked__text' },
          h('span', null, instrumentLabel(i)),
          h('span', { class: 'muted small' }, `Для каких школ: ${appliesToText(i.applies_to)}`)),
        h('div', { class: 'picked__actions' },
          h('button', {
            type: 'button', class: 'btn btn--small', disabled: k === 0, 'aria-label': `Выше: ${i.title}`,
            onclick: () => { [chosen[k - 1], chosen[k]] = [chosen[k], chosen[k - 1]]; draw(); },
          }, '↑'),
          h('button', {
            type: 'button', class: 'btn btn--small', disabled: k === chosen.length - 1, 'aria-label': `Ниже: ${i.title}`,
            onclick: () => { [chosen[k + 1], chosen[k]] = [chosen[k], chosen[k + 1]]; draw(); },
          }, '↓'),
          h('button', {
            type: 'button', class: 'btn btn--small', 'aria-label': `Убрать: ${i.title}`,
            onclick: () => { chosen.splice(k, 1); draw(); },
          }, 'Убрать')));
    }) : h('li', { class: 'picked__empty muted' }, 'Инструменты не выбраны.'));
    const rest = published.filter((i) => !chosen.includes(String(i.id)));
    replace(addSelect, rest.length
      ? rest.map((i) => h('option', { value: String(i.id) }, `${instrumentLabel(i)} — ${appliesToText(i.applies_to)}`))
      : h('option', { value: '' }, published.length ? 'Все опубликованные инструменты выбраны' : 'Нет опубликованных инструментов'));
    addSelect.disabled = rest.length === 0;
    addButton.disabled = rest.length === 0;
  }
  const addButton = h('button', {
    type: 'button', class: 'btn',
    onclick: () => { if (addSelect.value) { chosen.push(addSelect.value); draw(); addSelect.focus(); } },
  }, 'Добавить');
  if (published.length === 1) chosen.push(String(published[0].id));
  draw();

  const node = h('fieldset', { class: 'field fieldset', 'data-field': 'instrument_ids' },
    h('legend', null, 'Инструменты', h('span', { class: 'required', 'aria-hidden': 'true' }, '*')),
    h('p', { class: 'field__hint' },
      'Только опубликованные. Каждая школа заполняет первый по порядку инструмент, который подходит ей ',
      'по уровням образования и признаку ОВЗ; если подходящего нет, кампания не будет создана.'),
    list,
    h('div', { class: 'input-row' },
      h('label', { for: addId, class: 'visually-hidden' }, 'Добавить инструмент'),
      addSelect, addButton),
    errorEl);
  return {
    node,
    values: () => chosen.map(Number),
    focus: () => addSelect.focus(),
    setError(message) {
      replace(errorEl, message || '');
      errorEl.hidden = !message;
      node.classList.toggle('field--invalid-group', Boolean(message));
    },
  };
}

/** The list of chosen schools with a search: {node, values(), setError, focus}. */
function schoolPicker() {
  const chosen = new Map();
  const searcher = schoolSearch({
    limit: 20,
    testId: 'school-search-results',
    itemClass: 'search-results__item',
    moreHint: true,
    choice: (s) => (chosen.has(String(s.id))
      ? h('span', { class: 'muted small' }, 'добавлена')
      : h('button', {
        type: 'button', class: 'btn btn--small', 'aria-label': `Добавить: ${s.short_name || s.name}`,
        onclick: () => { chosen.set(String(s.id), s); drawPicked(); searcher.find(); },
      }, 'Добавить')),
  });
  const { input: search, results } = searcher;
  const picked = h('ol', { class: 'picked', 'data-testid': 'chosen-schools' });
  const errorEl = h('p', { class: 'field__error', hidden: true });

  function drawPicked() {
    replace(picked, chosen.size ? [...chosen.values()].map((s) => h('li', { class: 'picked__item', 'data-school-id': s.id },
      h('div', { class: 'picked__text' },
        h('span', null, s.short_name || s.name),
        h('span', { class: 'muted small' }, `${s.code} · ${s.municipality_name || ''}`)),
      h('div', { class: 'picked__actions' }, h('button', {
        type: 'button', class: 'btn btn--small', 'aria-label': `Убрать: ${s.short_name || s.name}`,
        onclick: () => { chosen.delete(String(s.id)); drawPicked(); },
      }, 'Убрать'))))
      : h('li', { class: 'picked__empty muted' }, 'Школы не выбраны.'));
  }
  drawPicked();
  const node = h('div', { class: 'field school-picker', 'data-field': 'target.school_ids' },
    h('label', { for: search.id }, 'Найти школу'), search, results,
    h('p', { class: 'label' }, 'Выбранные школы'), picked, errorEl);
  return {
    node,
    values: () => [...chosen.keys()].map(Number),
    focus: () => search.focus(),
    setError(message) {
      replace(errorEl, message || '');
      errorEl.hidden = !message;
      node.classList.toggle('field--invalid', Boolean(message));
    },
  };
}

async function renderCreate(ctx) {
  const [instruments, municipalities] = await Promise.all([
    listAll('/instruments', { status: 'published' }),
    listAll('/municipalities'),
  ]);
  const published = instruments.filter((i) => i.status === 'published');
  const box = messageBox();

  const dateInput = (iso) => h('input', {
    type: 'text', value: iso ? formatDate(iso) : '', class: 'input-date', inputmode: 'numeric', autocomplete: 'off',
    maxlength: 10, placeholder: 'ДД.ММ.ГГГГ',
  });
  const f = {
    title: field('title', 'Название', h('input', { type: 'text', maxlength: 500, placeholder: 'например, «Самодиагностика, ноябрь 2025»' }), { required: true }),
    instrument_ids: instrumentPicker(published),
    opens_on: field('opens_on', 'Начало приёма анкет', dateInput(moscowToday()), { required: true, hint: 'ДД.ММ.ГГГГ' }),
    closes_on: field('closes_on', 'Окончание приёма анкет', dateInput(''), { required: true, hint: 'ДД.ММ.ГГГГ, включительно; позже срок можно продлить.' }),
  };

  // Target: one of three ways to choose the schools.
  const targetError = h('p', { class: 'field__error', hidden: true, 'data-testid': 'target-error' });
  const kinds = [['all', 'Все школы региона'], ['municipality_ids', 'Школы выбранных муниципалитетов'], ['school_ids', 'Список школ']];
  const radios = kinds.map(([value]) => h('input', { type: 'radio', name: 'target_kind', id: uid('f-target'), value, checked: value === 'all' }));
  const munGroup = checkboxGroup('target.municipality_ids', 'Муниципалитеты',
    municipalities.map((m) => ({ value: m.id, label: m.name })));
  munGroup.node.classList.add('checks-grid');
  const schools = schoolPicker();
  const targetNode = h('fieldset', { class: 'field fieldset', 'data-field': 'target' },
    h('legend', null, 'Участники', h('span', { class: 'required', 'aria-hidden': 'true' }, '*')),
    h('div', { class: 'checks' }, kinds.map(([, label], i) => h('div', { class: 'check' }, radios[i], h('label', { for: radios[i].id }, label)))),
    targetError,
    h('div', { class: 'target-detail' }, munGroup.node, schools.node));
  const targetKind = () => radios.find((r) => r.checked)?.value || 'all';
  const showKind = () => {
    munGroup.node.hidden = targetKind() !== 'municipality_ids';
    schools.node.hidden = targetKind() !== 'school_ids';
  };
  for (const r of radios) r.addEventListener('change', showKind);
  showKind();
  f.target = {
    node: targetNode,
    focus: () => radios.find((r) => r.checked)?.focus(),
    setError(message) {
      replace(targetError, message || '');
      targetError.hidden = !message;
      targetNode.classList.toggle('field--invalid-group', Boolean(message));
    },
  };
  f['target.all'] = f.target;
  f['target.municipality_ids'] = munGroup;
  f['target.school_ids'] = schools;

  const submit = h('button', { type: 'submit', class: 'btn btn--primary' }, 'Создать кампанию');
  async function onSubmit(event) {
    event.preventDefault();
    box.clear();
    clearErrors(f);
    const kind = targetKind();
    const data = {
      title: f.title.control.value.trim(),
      instrument_ids: f.instrument_ids.values(),
      opens_on: parseDate(f.opens_on.control.value),
      closes_on: parseDate(f.closes_on.control.value),
      target: kind === 'all' ? { all: true }
        : kind === 'municipality_ids' ? { municipality_ids: munGroup.values().map(Number) }
          : { school_ids: schools.values() },
    };
    const missing = [];
    if (!data.title) missing.push(['title', 'Укажите название кампании.']);
    if (!data.instrument_ids.length) missing.push(['instrument_ids', 'Выберите хотя бы один опубликованный инструмент.']);
    const dateProblem = (text) => (text.trim() ? 'Дата в формате ДД.ММ.ГГГГ, например 30.11.2025.' : null);
    if (!data.opens_on) missing.push(['opens_on', dateProblem(f.opens_on.control.value) || 'Укажите дату начала.']);
    if (!data.closes_on) missing.push(['closes_on', dateProblem(f.closes_on.control.value) || 'Укажите дату окончания.']);
    else if (data.opens_on && data.closes_on < data.opens_on) missing.push(['closes_on', 'Дата окончания раньше даты начала.']);
    if (kind === 'municipality_ids' && !data.target.municipality_ids.length) missing.push(['target.municipality_ids', 'Выберите хотя бы один муниципалитет.']);
    if (kind === 'school_ids' && !data.target.school_ids.length) missing.push(['target.school_ids', 'Добавьте хотя бы одну школу.']);
    if (missing.length) {
      for (const [name, msg] of missing) f[name].setError(msg);
      box.show('error', 'Заполните обязательные поля.');
      f[missing[0][0]].focus();
      return;
    }
    const created = await sendNew(submit, () => api.post('/campaigns', data), { fields: f, box });
    if (!created) return;
    flash = ['success', `Кампания «${created.title}» создана: ${formatNumber(created.targeted ?? 0)} `
      + `${plural(created.targeted ?? 0, ['школа', 'школы', 'школ'])}.`];
    ctx.navigate(`#/campaigns/${created.id}`);
  }

  const node = h('section', { class: 'page', 'aria-labelledby': 'campaign-new-title' },
    h('p', { class: 'breadcrumbs no-print' }, h('a', { href: '#/campaigns' }, '← К списку кампаний')),
    h('div', { class: 'page__head' }, h('h1', { id: 'campaign-new-title' }, 'Новая кампания')),
    box.node,
    h('div', { class: 'card' },
      h('form', { class: 'form form--wide', novalidate: true, onsubmit: onSubmit, 'aria-labelledby': 'campaign-new-title' },
        f.title.node,
        f.instrument_ids.node,
        h('div', { class: 'field-row' }, f.opens_on.node, f.closes_on.node),
        targetNode,
        h('p', { class: 'muted small' }, 'Поля, отмеченные *, обязательны.'),
        h('div', { class: 'form__actions' }, submit,
          h('a', { class: 'btn', href: '#/campaigns' }, 'Отмена')))));
  return { node, title: 'Новая кампания' };
}

// ————————————————————————————————————— card: deadline and progress

const PROGRESS_COLUMNS = Object.freeze(['not_started', 'draft', 'submitted', 'returned', 'accepted']);
/** Column headings of the progress table (short, so that the table fits beside its chart). */
const PROGRESS_HEADINGS = Object.freeze({
  not_started: 'Не начата', draft: 'Заполняется', submitted: 'На проверке', returned: 'Возвращена', accepted: 'Принята',
});

/** The progress table and its stacked bar chart: {node}. */
export function progressSection(progress, campaignId, { linkMunicipalities = true } = {}) {
  const rows = progress.municipalities || [];
  const table = h('table', { class: 'data-table data-table--compact', 'data-testid': 'progress-table' },
    h('caption', { class: 'visually-hidden' }, 'Ход кампании по муниципалитетам: число школ и доля от участвующих'),
    h('thead', null, h('tr', null,
      h('th', { scope: 'col' }, 'Муниципалитет'),
      h('th', { scope: 'col', class: 'num' }, 'Школ'),
      PROGRESS_COLUMNS.map((c) => h('th', { scope: 'col', class: 'num' }, PROGRESS_HEADINGS[c])))),
    h('tbody', null, rows.length ? rows.map((m) => h('tr', { 'data-municipality-id': m.municipality_id },
      h('th', { scope: 'row' }, linkMunicipalities
        ? h('a', { href: `#/review?campaign_id=${campaignId}&municipality_id=${m.municipality_id}` }, m.name)
        : m.name),
      h('td', { class: 'num' }, formatNumber(m.targeted ?? 0)),
      PROGRESS_COLUMNS.map((c) => countCell(m[c], m.targeted))))
      : h('tr', null, h('td', { colspan: 7, class: 'empty' }, 'В кампании нет школ.'))),
    h('tfoot', null, h('tr', { 'data-testid': 'progress-total' },
      h('th', { scope: 'row' }, 'Всего'),
      h('td', { class: 'num' }, formatNumber(progress.total?.targeted ?? 0)),
      PROGRESS_COLUMNS.map((c) => countCell(progress.total?.[c], progress.total?.targeted)))));

  const chart = stackedShareChart({
    caption: 'Доля школ по состоянию анкеты, %',
    label: 'Доля школ каждого муниципалитета по состоянию анкеты; те же числа — в таблице рядом',
    rows: rows.map((m) => ({ label: shortMunicipality(m.name), whole: m.targeted, values: m })),
    series: PROGRESS_COLUMNS.map((c) => ({ key: c, label: statusLabel('submission', c), color: COLORS.statuses[c] })),
    testId: 'progress-chart',
  });

  return h('section', { class: 'card', 'aria-labelledby': 'progress-title', 'data-testid': 'progress' },
    h('h2', { id: 'progress-title' }, 'Ход кампании по муниципалитетам'),
    h('div', { class: 'chart-pair chart-pair--table-wide' }, chart.node, h('div', { class: 'table-wrap' }, table)),
    h('p', { class: 'muted small' }, 'Под числом школ — доля от участвующих школ муниципалитета. ',
      '«Заполняется» — анкета начата, но не отправлена.'));
}

async function renderCard(ctx) {
  const id = ctx.params.id;
  const canEdit = ctx.user.role === 'committee' || ctx.user.role === 'loiro';
  const [first, progress, municipalities] = await Promise.all([
    api.get(`/campaigns/${id}`),
    api.get(`/campaigns/${id}/progress`),
    listAll('/municipalities'),
  ]);
  let campaign = first;
  const munNames = new Map(municipalities.map((m) => [String(m.id), m.name]));
  const box = messageBox();
  const heading = h('h1', { id: 'campaign-title' });
  const sub = h('p', { class: 'page__sub' });
  const props = h('dl', { class: 'props', 'data-testid': 'campaign-props' });
  const progressHolder = h('div');

  function draw() {
    replace(heading, campaign.title);
    replace(sub, period(campaign.opens_on, campaign.closes_on), ' · ', statusBadge('campaign', campaign.status));
    const row = (label, value) => [h('dt', null, label), h('dd', null, value)];
    replace(props,
      row('Приём анкет', `с ${formatDate(campaign.opens_on)} по ${formatDate(campaign.closes_on)} включительно`),
      row('Статус', statusBadge('campaign', campaign.status)),
      row('Инструменты', h('ol', { class: 'plain-ol' }, (campaign.instruments || []).map((i) => h('li', null,
        h('a', { href: `#/instruments/${i.id}` }, instrumentLabel(i)),
        h('span', { class: 'muted small' }, ` — ${appliesToText(i.applies_to)}`))))),
      row('Участники', targetText(campaign.target, munNames)),
      row('Школ в кампании', h('span', { 'data-testid': 'campaign-targeted' }, formatNumber(campaign.targeted ?? 0))));
    replace(progressHolder, progressSection(progress, id));
  }

  function extendForm() {
    const f = {
      closes_on: field('closes_on', 'Новая дата окончания', h('input', {
        type: 'text', value: formatDate(campaign.closes_on), class: 'input-date', inputmode: 'numeric', autocomplete: 'off',
        maxlength: 10, placeholder: 'ДД.ММ.ГГГГ',
      }), { required: true, hint: 'ДД.ММ.ГГГГ. Школы смогут заполнять и отправлять анкеты по эту дату включительно.' }),
    };
    const localBox = messageBox('extend-message');
    const save = h('button', { type: 'submit', class: 'btn' }, 'Изменить срок');
    async function onSubmit(event) {
      event.preventDefault();
      localBox.clear();
      clearErrors(f);
      const text = f.closes_on.control.value;
      const value = parseDate(text);
      if (!value) {
        f.closes_on.setError(text.trim() ? 'Дата в формате ДД.ММ.ГГГГ, например 30.11.2025.' : 'Укажите дату.');
        f.closes_on.focus();
        return;
      }
      if (value === campaign.closes_on) { localBox.show('info', 'Дата не изменилась.'); return; }
      save.disabled = true;
      try {
        campaign = await api.patch(`/campaigns/${id}`, campaign.version, { closes_on: value });
        draw();
        localBox.show('success', `Срок изменён: анкеты принимаются по ${formatDate(campaign.closes_on)} включительно.`);
      } catch (err) {
        if (err.status === 409 && err.code === 'conflict.stale_version') {
          campaign = await api.get(`/campaigns/${id}`).catch(() => campaign);
          draw();
          f.closes_on.control.value = formatDate(campaign.closes_on);
          localBox.show('error', h('strong', null, 'Срок не изменён. '),
            'Кампанию только что изменил другой пользователь; показаны актуальные данные. Повторите действие.');
        } else {
          showApiError(err, f, localBox);
        }
      } finally {
        save.disabled = false;
      }
    }
    return h('section', { class: 'card no-print', 'aria-labelledby': 'extend-title' },
      h('h2', { id: 'extend-title' }, 'Срок приёма анкет'),
      localBox.node,
      h('form', { class: 'form form--inline', novalidate: true, onsubmit: onSubmit }, f.closes_on.node,
        h('div', { class: 'form__actions' }, save)));
  }

  draw();
  if (flash) { box.show(...flash); flash = null; }
  const node = h('section', { class: 'page', 'aria-labelledby': 'campaign-title' },
    h('p', { class: 'breadcrumbs no-print' }, h('a', { href: '#/campaigns' }, '← К списку кампаний')),
    h('div', { class: 'page__head page__head--row' }, h('div', null, heading, sub),
      h('div', { class: 'page__actions no-print' },
        h('a', { class: 'btn', href: `#/review?campaign_id=${id}` }, 'Анкеты школ'))),
    box.node,
    h('div', { class: 'columns columns--wide-left' },
      h('div', { class: 'card' }, props),
      canEdit ? extendForm() : null),
    progressHolder);
  return { node, title: campaign.title };
}

export async function render(ctx) {
  if (ctx.view === 'create') return renderCreate(ctx);
  if (ctx.view === 'card') return renderCard(ctx);
  return renderList(ctx);
}
