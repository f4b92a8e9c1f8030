// «Контроль исполнения» (committee, ЛОИРО): the documents — orders, decisions,
// plan-graphs, letters, road maps — with execution counts and a summary by
// executor, filtered to one municipality (#/documents); registering a
// document (#/documents/new, committee); one document with its item tree,
// the executors and per-item execution and its files (the scanned order), where
// the issuer adds items one by one or pasted in bulk and attaches the files
// (#/documents/{id}). A municipality keeps its own road
// map the same way (#/roadmap: creates it, then shows it).

import { h, replace, uid } from '../shared/dom.js';
import { api, listAll } from '../api.js';
import { dateProblem, errorText, formatDate, formatNumber, parseDate, plural, quoted } from '../shared/format.js';
import { field, messageBox, showApiError, clearErrors, sendChanges } from '../shared/forms.js';
import { latestOnly } from '../shared/list.js';
import { schoolSearch } from '../shared/school-search.js';
import {
  bulkErrorPath, COMMITTEE_KINDS, countRecords, countsText, deadlineText, DOCUMENT_KINDS, documentLabel, dueBadge, dueRowClass, executorName, kindName, moscowToday, parseBulkItems, parseDeadline,
} from '../execution.js';
import { statusBadge } from '../shared/vocabulary.js';
import { attachmentsCard } from '../shared/attachments.js';

const REGION = ['committee', 'loiro'];
let flash = null;

const dateInput = (iso) => h('input', {
  type: 'text', value: iso ? formatDate(iso) : '', class: 'input-date', inputmode: 'numeric', autocomplete: 'off',
  maxlength: 10, placeholder: 'ДД.ММ.ГГГГ',
});

// ————————————————————————————————————— list

const COUNT_COLUMNS = [
  ['not_started', 'Не начато'], ['in_progress', 'В работе'], ['done', 'На проверке'],
  ['returned', 'Возвращено'], ['accepted', 'Принято'], ['overdue', 'Просрочено'],
];

function countCells(c) {
  return COUNT_COLUMNS.map(([k]) => h('td', { class: ['num', k === 'overdue' && c?.[k] ? 'num--danger' : null] },
    formatNumber(c?.[k] ?? 0)));
}

/** The summary by executor (GET /assignments/summary?by=executor); null when the API has none. */
async function executorSummary(municipalityId) {
  let data;
  try {
    data = await api.get('/assignments/summary', { by: 'executor', municipality_id: municipalityId });
  } catch (err) {
    if (err.status === 404 || err.status === 405) return null;
    throw err;
  }
  const rows = data.items || [];
  return h('section', { class: 'card', 'aria-labelledby': 'by-executor-title', 'data-testid': 'executor-summary' },
    h('h2', { id: 'by-executor-title' }, 'Исполнение по исполнителям'),
    h('div', { class: 'table-wrap table-wrap--scroll' }, h('table', { class: 'data-table data-table--compact' },
      h('caption', { class: 'visually-hidden' }, 'Число поручений каждого исполнителя по состоянию'),
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Исполнитель'), h('th', { scope: 'col', class: 'num' }, 'Всего'),
        COUNT_COLUMNS.map(([, label]) => h('th', { scope: 'col', class: 'num' }, label)))),
      h('tbody', null, rows.length ? rows.map((r) => h('tr', null,
        h('th', { scope: 'row' }, executorName(r.executor)),
        h('td', { class: 'num' }, formatNumber(r.total ?? 0)), countCells(r)))
        : h('tr', null, h('td', { colspan: 8, class: 'empty' }, 'Поручений нет.'))),
      data.totals ? h('tfoot', null, h('tr', null, h('th', { scope: 'row' }, 'Всего'),
        h('td', { class: 'num' }, formatNumber(data.totals.total ?? 0)), countCells(data.totals))) : null)));
}

async function renderList(ctx) {
  const { user } = ctx;
  const state = {
    kind: Object.keys(DOCUMENT_KINDS).includes(ctx.query.kind) ? ctx.query.kind : '',
    municipality_id: ctx.query.municipality_id || '',
  };
  const municipalities = await listAll('/municipalities');
  const box = messageBox();
  const tableHolder = h('div');
  const summaryHolder = h('div');
  const printFilter = h('p', { class: 'print-only' });

  const fetch = () => Promise.all([
    listAll('/documents', { kind: state.kind }),
    state.municipality_id
      ? api.get('/assignments/summary', { by: 'document', municipality_id: state.municipality_id }).catch(() => null)
      : null,
    executorSummary(state.municipality_id),
  ]);
  function draw([docs, byDoc, summary]) {
    const counts = new Map((byDoc?.items || []).map((r) => [String(r.document?.id), r]));
    const rows = state.municipality_id ? docs.filter((d) => counts.has(String(d.id))) : docs;
    replace(tableHolder, h('div', { class: 'table-wrap' }, h('table', { class: 'data-table', 'data-testid': 'documents-table' },
      h('caption', { class: 'visually-hidden' }, 'Документы и исполнение их пунктов'),
      h('thead', null, h('tr', null,
        h('th', { scope: 'col' }, 'Документ'),
        h('th', { scope: 'col' }, 'Название'),
        h('th', { scope: 'col', class: 'num' }, 'Пунктов'),
        h('th', { scope: 'col', class: 'num' }, 'Поручений'),
        h('th', { scope: 'col', class: 'num' }, 'Принято'),
        h('th', { scope: 'col', class: 'num' }, 'В работе'),
        h('th', { scope: 'col', class: 'num' }, 'Просрочено'))),
      h('tbody', null, rows.length ? rows.map((d) => {
        const c = state.municipality_id ? counts.get(String(d.id)) : d.execution;
        return h('tr', { 'data-document-id': d.id, class: c?.overdue ? 'row--overdue' : null },
          h('td', { class: 'nowrap' }, kindName(d.kind), h('span', { class: 'muted block' },
            `${d.number ? `№\u00a0${d.number} ` : ''}от\u00a0${formatDate(d.date)}`)),
          h('th', { scope: 'row', class: 'cell-title' },
            h('a', { href: `#/documents/${d.id}${state.municipality_id ? `?municipality_id=${state.municipality_id}` : ''}` }, d.title),
            d.project_title ? h('span', { class: 'muted block small' }, `Проект ${quoted(d.project_title)}`) : null,
            d.issuer?.kind === 'municipality' ? h('span', { class: 'muted block small' }, d.issuer.name || '') : null),
          h('td', { class: 'num' }, formatNumber(d.item_count ?? 0)),
          h('td', { class: 'num' }, formatNumber(c?.total ?? 0)),
          h('td', { class: 'num' }, formatNumber(c?.accepted ?? 0)),
          h('td', { class: 'num' }, formatNumber((c?.in_progress ?? 0) + (c?.done ?? 0) + (c?.returned ?? 0))),
          h('td', { class: ['num', c?.overdue ? 'num--danger' : null] }, formatNumber(c?.overdue ?? 0)));
      }) : h('tr', null, h('td', { colspan: 7, class: 'empty' }, 'Документов нет.'))))));
    replace(summaryHolder, summary);
    printFilter.textContent = [state.kind ? `Вид: ${DOCUMENT_KINDS[state.kind]}` : null,
      state.municipality_id ? `Муниципалитет: ${municipalities.find((m) => String(m.id) === String(state.municipality_id))?.name || ''}` : null]
      .filter(Boolean).join('; ');
    if (ctx.isCurrent()) ctx.setQuery(state);
  }
  // Without the guard a slow answer for an earlier filter could replace the current one.
  const { load, reload } = latestOnly({ busy: tableHolder, box, fetch, draw });
  const ids = { kind: uid('d-kind'), mun: uid('d-mun') };
  const filters = h('form', { class: 'filters no-print', 'aria-label': 'Отбор документов', onsubmit: (e) => e.preventDefault() },
    h('div', { class: 'field' }, h('label', { for: ids.kind }, 'Вид документа'),
      h('select', { id: ids.kind, onchange: (e) => { state.kind = e.target.value; reload(); } },
        h('option', { value: '' }, 'Все'),
        Object.entries(DOCUMENT_KINDS).map(([k, name]) => h('option', { value: k, selected: k === state.kind }, name)))),
    h('div', { class: 'field' }, h('label', { for: ids.mun }, 'Муниципалитет'),
      h('select', { id: ids.mun, onchange: (e) => { state.municipality_id = e.target.value; reload(); } },
        h('option', { value: '' }, 'Все исполнители'),
        municipalities.map((m) => h('option', { value: String(m.id), selected: String(m.id) === String(state.municipality_id) }, m.name)))));
  await load();
  const node = h('section', { class: 'page', 'aria-labelledby': 'documents-title' },
    h('div', { class: 'page__head page__head--row' },
      h('div', null, h('h1', { id: 'documents-title' }, 'Контроль исполнения'),
        h('p', { class: 'page__sub' }, 'Приказы, решения, планы-графики, письма и дорожные карты: исполнение их пунктов')),
      h('div', { class: 'page__actions no-print' },
        h('a', { class: 'btn', href: '#/assignments?scope=all&status=done' }, 'Отчёты на проверке'),
        user.role === 'committee' ? h('a', { class: 'btn btn--primary', href: '#/documents/new' }, 'Зарегистрировать документ') : null)),
    filters,
    printFilter,
    box.node,
    tableHolder,
    h('div', { class: 'spacer' }),
    summaryHolder);
  return { node, title: 'Контроль исполнения' };
}

// ————————————————————————————————————— create (committee) and the road map's creation

function documentForm(ctx, { kinds, defaults = {}, submitLabel, onCreated }) {
  const box = messageBox();
  const kindSelect = h('select', null, kinds.map((k) => h('option', { value: k, selected: k === defaults.kind }, DOCUMENT_KINDS[k])));
  const f = {
    kind: field('kind', 'Вид документа', kindSelect, { required: true }),
    number: field('number', 'Номер', h('input', { type: 'text', maxlength: 64, value: defaults.number || '' }),
      { hint: 'Например, 1584-р' }),
    date: field('date', 'Дата', dateInput(defaults.date || moscowToday()), { required: true, hint: 'ДД.ММ.ГГГГ' }),
    title: field('title', 'Название', h('textarea', { rows: 3, maxlength: 1000 }), { required: true }),
    project_id: field('project_id', 'Проект', h('select', null, h('option', { value: '' }, 'не относится к проекту'),
      (defaults.projects || []).map((p) => h('option', { value: String(p.id) }, p.title)))),
  };
  f.title.control.value = defaults.title || '';
  if (kinds.length === 1) f.kind.node.hidden = true;
  const submit = h('button', { type: 'submit', class: 'btn btn--primary' }, submitLabel);
  async function onSubmit(event) {
    event.preventDefault();
    box.clear();
    clearErrors(f);
    const data = {
      kind: kindSelect.value,
      number: f.number.control.value.trim(),
      date: parseDate(f.date.control.value),
      title: f.title.control.value.trim(),
    };
    if (f.project_id.control.value) data.project_id = Number(f.project_id.control.value);
    const missing = [];
    if (!data.date) missing.push(['date', dateProblem(f.date.control.value, 'Укажите дату документа.')]);
    if (!data.title) missing.push(['title', 'Укажите название документа.']);
    if (missing.length) {
      for (const [name, m] of missing) f[name].setError(m);
      box.show('error', 'Заполните обязательные поля.');
      f[missing[0][0]].focus();
      return;
    }
    submit.disabled = true;
    try {
      onCreated(await api.post('/documents', data));
    } catch (err) {
      submit.disabled = false;
      showApiError(err, f, box);
    }
  }
  return h('div', null, box.node, h('div', { class: 'card' },
    h('form', { class: 'form form--wide', novalidate: true, onsubmit: onSubmit },
      f.kind.node, h('div', { class: 'field-row' }, f.number.node, f.date.node), f.title.node,
      defaults.projects ? f.project_id.node : null,
      h('p', { class: 'muted small' }, 'Поля, отмеченные *, обязательны. Пункты добавляются после регистрации.'),
      h('div', { class: 'form__actions' }, submit))));
}

/** The changed fields of a document (PATCH /documents/{id} body); null detaches the project. */
function documentChanges(doc, data) {
  const changes = {};
  for (const k of ['kind', 'number', 'date', 'title']) {
    if (String(data[k] ?? '') !== String(doc[k] ?? '')) changes[k] = data[k];
  }
  if ('project_id' in data && String(data.project_id ?? '') !== String(doc.project_id ?? '')) changes.project_id = data.project_id;
  return changes;
}

/**
 * Editing a registered document (kind, number, date, title, project) with
 * PATCH and If-Match; a stale version is explained and nothing is overwritten.
 * opts: {kinds, projects (null: no project field), onSaved(doc), onCancel(), onStale()}.
 */
function documentEditForm(doc, opts) {
  const box = messageBox('edit-message');
  const kinds = opts.kinds.includes(doc.kind) ? opts.kinds : [...opts.kinds, doc.kind];
  const kindSelect = h('select', null, kinds.map((k) => h('option', { value: k, selected: k === doc.kind }, DOCUMENT_KINDS[k] ?? k)));
  const projects = opts.projects || [];
  const f = {
    kind: field('kind', 'Вид документа', kindSelect, { required: true }),
    number: field('number', 'Номер', h('input', { type: 'text', maxlength: 64, value: doc.number || '' }), { required: true }),
    date: field('date', 'Дата', dateInput(doc.date), { required: true, hint: 'ДД.ММ.ГГГГ' }),
    title: field('title', 'Название', h('textarea', { rows: 3, maxlength: 1000 }), { required: true }),
    project_id: field('project_id', 'Проект', h('select', null, h('option', { value: '' }, 'не относится к проекту'),
      projects.map((p) => h('option', { value: String(p.id), selected: String(p.id) === String(doc.project_id ?? '') }, p.title)),
      // A project the caller cannot list any more stays chosen.
      doc.project_id && !projects.some((p) => String(p.id) === String(doc.project_id))
        ? h('option', { value: String(doc.project_id), selected: true }, doc.project_title || `Проект ${doc.project_id}`) : null)),
  };
  f.title.control.value = doc.title || '';
  if (kinds.length === 1) f.kind.node.hidden = true;
  const save = h('button', { type: 'submit', class: 'btn btn--primary' }, 'Сохранить');
  async function onSubmit(event) {
    event.preventDefault();
    box.clear();
    clearErrors(f);
    const data = {
      kind: kindSelect.value,
      number: f.number.control.value.trim(),
      date: parseDate(f.date.control.value),
      title: f.title.control.value.trim(),
    };
    if (opts.projects) data.project_id = f.project_id.control.value ? Number(f.project_id.control.value) : null;
    const missing = [];
    if (!data.number) missing.push(['number', 'Укажите номер документа.']);
    if (!data.date) missing.push(['date', dateProblem(f.date.control.value, 'Укажите дату документа.')]);
    if (!data.title) missing.push(['title', 'Укажите название документа.']);
    await sendChanges({
      fields: f, box, save, missing, missingText: 'Заполните обязательные поля.',
      changes: documentChanges(doc, data),
      patch: (changes) => api.patch(`/documents/${doc.id}`, doc.version, changes),
      happened: 'Пока вы редактировали документ, его изменил другой пользователь.',
      onSaved: opts.onSaved,
      onStale: opts.onStale,
    });
  }
  const node = h('section', { class: 'card no-print', 'aria-labelledby': 'document-edit-title', 'data-testid': 'document-edit' },
    h('h2', { id: 'document-edit-title' }, 'Изменение документа'),
    box.node,
    h('form', { class: 'form form--wide', novalidate: true, onsubmit: onSubmit, 'aria-label': 'Изменение документа' },
      f.kind.node, h('div', { class: 'field-row' }, f.number.node, f.date.node), f.title.node,
      opts.projects ? f.project_id.node : null,
      h('p', { class: 'muted small' }, 'Поля, отмеченные *, обязательны. Пункты и их исполнение не меняются.'),
      h('div', { class: 'form__actions' }, save,
        h('button', { type: 'button', class: 'btn', onclick: opts.onCancel }, 'Отмена'))));
  return { node, focus: () => (kinds.length === 1 ? f.number.focus() : f.kind.focus()) };
}

async function renderCreate(ctx) {
  const projects = await listAll('/projects');
  const node = h('section', { class: 'page', 'aria-labelledby': 'document-new-title' },
    h('p', { class: 'breadcrumbs no-print' }, h('a', { href: '#/documents' }, '← К документам')),
    h('div', { class: 'page__head' }, h('h1', { id: 'document-new-title' }, 'Регистрация документа')),
    documentForm(ctx, {
      kinds: COMMITTEE_KINDS,
      defaults: { kind: 'order', projects },
      submitLabel: 'Зарегистрировать',
      onCreated: (doc) => {
        flash = ['success', `${documentLabel(doc)} зарегистрирован. Добавьте его пункты.`];
        ctx.navigate(`#/documents/${doc.id}`);
      },
    }));
  return { node, title: 'Регистрация документа' };
}

async function renderRoadmap(ctx) {
  const { user } = ctx;
  const maps = await listAll('/documents', { kind: 'roadmap' });
  const own = maps.find((d) => d.issuer?.kind === 'municipality' && String(d.issuer.id) === String(user.municipality_id));
  if (own) return renderCard({ ...ctx, params: { id: own.id }, roadmap: true });
  const node = h('section', { class: 'page', 'aria-labelledby': 'roadmap-new-title' },
    h('div', { class: 'page__head' }, h('h1', { id: 'roadmap-new-title' }, 'Муниципальная дорожная карта'),
      h('p', { class: 'page__sub' }, user.organisation_name || '')),
    h('p', { class: 'note' }, 'Дорожной карты пока нет. Зарегистрируйте её, затем добавьте пункты для муниципалитета и его школ; ',
      'исполнение пунктов проверяет комитет.'),
    documentForm(ctx, {
      kinds: ['roadmap'],
      defaults: { kind: 'roadmap', title: `Муниципальная дорожная карта: ${user.organisation_name || ''}` },
      submitLabel: 'Создать дорожную карту',
      onCreated: (doc) => {
        flash = ['success', `Дорожная карта создана (${documentLabel(doc)}). Добавьте её пункты.`];
        ctx.navigate('#/roadmap');
      },
    }));
  return { node, title: 'Дорожная карта' };
}

// ————————————————————————————————————— executors and item forms

/** The chosen schools with a search: {node, values(), clear()}. */
function schoolChooser(label) {
  const chosen = new Map();
  const searcher = schoolSearch({
    choice: (s) => (chosen.has(String(s.id)) ? h('span', { class: 'muted small' }, 'выбрана')
      : h('button', {
        type: 'button', class: 'btn btn--small', 'aria-label': `Добавить: ${s.short_name || s.name}`,
        onclick: () => { chosen.set(String(s.id), s); drawPicked(); searcher.find(); },
      }, 'Добавить')),
  });
  const { input: search, results } = searcher;
  const picked = h('ul', { class: 'chips', 'aria-label': 'Выбранные школы' });
  function drawPicked() {
    replace(picked, [...chosen.values()].map((s) => h('li', { class: 'chip' }, s.short_name || s.name,
      h('button', {
        type: 'button', class: 'chip__remove', 'aria-label': `Убрать: ${s.short_name || s.name}`,
        onclick: () => { chosen.delete(String(s.id)); drawPicked(); },
      }, '×'))));
  }
  return {
    node: h('div', { class: 'field school-chooser' }, h('label', { for: search.id }, label), search, results, picked),
    values: () => [...chosen.keys()].map((id) => ({ kind: 'school', id: Number(id) })),
    clear() { chosen.clear(); searcher.clear(); drawPicked(); },
  };
}

/**
 * The executors of an item: {node, values(), setError, focus, clear()}. A
 * committee document: the committee, ЛОИРО, all municipalities, chosen
 * municipalities and schools; a road map: the municipality itself and its schools.
 */
function executorPicker({ roadmap, user, municipalities }) {
  const boxes = [];
  const box = (kind, id, label) => {
    const input = h('input', { type: 'checkbox', id: uid('f-exec'), value: `${kind}:${id ?? ''}` });
    boxes.push(input);
    return h('div', { class: 'check' }, input, h('label', { for: input.id }, label));
  };
  const errorEl = h('p', { class: 'field__error', hidden: true });
  const schools = schoolChooser(roadmap ? 'Школы муниципалитета' : 'Школы');
  const node = h('fieldset', { class: 'field fieldset', 'data-field': 'executors' },
    h('legend', null, 'Исполнители'),
    roadmap
      ? h('div', { class: 'checks' }, box('municipality', user.municipality_id, user.organisation_name || 'Муниципалитет'))
      : [h('div', { class: 'checks' }, box('committee', null, 'Комитет'), box('loiro', null, 'ЛОИРО'),
        box('all_municipalities', null, 'Все муниципалитеты')),
      h('details', { class: 'executors-more' }, h('summary', null, 'Отдельные муниципалитеты'),
        h('div', { class: 'checks checks-grid3' }, municipalities.map((m) => box('municipality', m.id, m.name))))],
    schools.node,
    errorEl);
  return {
    node,
    values: () => [...boxes.filter((b) => b.checked).map((b) => {
      const [kind, id] = b.value.split(':');
      return id ? { kind, id: Number(id) } : { kind };
    }), ...schools.values()],
    focus: () => boxes[0]?.focus(),
    setError(m) { replace(errorEl, m || ''); errorEl.hidden = !m; node.classList.toggle('field--invalid-group', Boolean(m)); },
    clear() { for (const b of boxes) b.checked = false; schools.clear(); },
  };
}

/** Adding one item: number, content, deadline (a date or a period), expected result, executors. */
function itemForm(doc, opts) {
  const box = messageBox('item-message');
  const f = {
    number: field('number', 'Номер пункта', h('input', { type: 'text', maxlength: 20, placeholder: '2.1.3' }), { required: true }),
    content: field('content', 'Содержание', h('textarea', { rows: 3, maxlength: 4000 }), { required: true }),
    deadline: field('deadline', 'Срок', dateInput(''), { hint: 'ДД.ММ.ГГГГ; обязателен, если есть исполнители.' }),
    deadline_text: field('deadline_text', 'Срок словами', h('input', { type: 'text', maxlength: 200, placeholder: `в течение ${moscowToday().slice(0, 4)} года` }),
      { hint: 'Если срок — период; в поле «Срок» тогда последний день периода.' }),
    expected_result: field('expected_result', 'Ожидаемый результат', h('textarea', { rows: 2, maxlength: 2000 })),
    executors: executorPicker(opts),
  };
  const submit = h('button', { type: 'submit', class: 'btn btn--primary' }, 'Добавить пункт');
  async function onSubmit(event) {
    event.preventDefault();
    box.clear();
    clearErrors(f);
    const data = { number: f.number.control.value.trim(), content: f.content.control.value.trim() };
    const deadlineRaw = f.deadline.control.value;
    const words = f.deadline_text.control.value.trim();
    let deadline = parseDate(deadlineRaw);
    if (!deadline && !deadlineRaw.trim() && words) deadline = parseDeadline(words).deadline || null;
    if (deadline) data.deadline = deadline;
    if (words) data.deadline_text = words;
    const expected = f.expected_result.control.value.trim();
    if (expected) data.expected_result = expected;
    data.executors = f.executors.values();
    const missing = [];
    if (!data.number) missing.push(['number', 'Укажите номер пункта, например 2.1.']);
    if (!data.content) missing.push(['content', 'Укажите содержание пункта.']);
    if (deadlineRaw.trim() && !deadline) missing.push(['deadline', dateProblem(deadlineRaw)]);
    else if (!deadline && data.executors.length) missing.push(['deadline', 'Укажите срок: у пункта есть исполнители.']);
    if (missing.length) {
      for (const [name, m] of missing) f[name].setError(m);
      box.show('error', 'Проверьте пункт.');
      f[missing[0][0]].focus();
      return;
    }
    submit.disabled = true;
    try {
      const item = await api.post(`/documents/${doc.id}/items`, data);
      f.number.control.value = '';
      f.content.control.value = '';
      f.expected_result.control.value = '';
      await opts.onAdded(`Пункт ${item.number} добавлен.`);
    } catch (err) {
      const errors = err.errors.map((e) => (/^executors/.test(e.field || '') ? { ...e, field: 'executors' } : e));
      err.errors.splice(0, err.errors.length, ...errors);
      showApiError(err, f, box);
    } finally {
      submit.disabled = false;
    }
  }
  return h('section', { class: 'card no-print', 'aria-labelledby': 'item-add-title', 'data-testid': 'item-form' },
    h('h2', { id: 'item-add-title' }, 'Добавить пункт'),
    box.node,
    h('form', { class: 'form form--wide', novalidate: true, onsubmit: onSubmit },
      h('div', { class: 'field-row' }, f.number.node, f.deadline.node, f.deadline_text.node),
      f.content.node, f.expected_result.node, f.executors.node,
      h('div', { class: 'form__actions' }, submit)));
}

/** Items pasted in bulk: one per line «номер<TAB>содержание<TAB>срок», the same executors for all. */
function bulkForm(doc, opts) {
  const box = messageBox('bulk-message');
  const textId = uid('f-bulk');
  const text = h('textarea', { id: textId, rows: 8, class: 'input--mono', spellcheck: 'false', 'aria-describedby': `${textId}-hint` });
  const executors = executorPicker(opts);
  const submit = h('button', { type: 'submit', class: 'btn btn--primary' }, 'Добавить пункты');
  const lineErrors = (errors, intro) => {
    box.show('error', h('strong', null, intro), h('ul', { class: 'error-list', 'data-testid': 'bulk-errors' },
      errors.map((e) => h('li', { 'data-line': e.line ?? '' },
        e.line ? h('span', { class: 'error-list__where' }, `Строка ${e.line}: `) : null, e.message))));
  };
  async function onSubmit(event) {
    event.preventDefault();
    box.clear();
    const parsed = parseBulkItems(text.value);
    if (parsed.errors.length) {
      lineErrors(parsed.errors, `Пункты не добавлены: ошибки в ${formatNumber(parsed.errors.length)} `
        + `${plural(parsed.errors.length, ['строке', 'строках', 'строках'])}.`);
      text.focus();
      return;
    }
    if (!parsed.items.length) {
      box.show('error', 'Вставьте пункты: по одному в строке, номер, содержание и срок через табуляцию.');
      text.focus();
      return;
    }
    const chosen = executors.values();
    const items = parsed.items.map((i) => (chosen.length ? { ...i, executors: chosen } : i));
    submit.disabled = true;
    try {
      await api.post(`/documents/${doc.id}/items`, { items });
      text.value = '';
      executors.clear();
      const n = items.length;
      await opts.onAdded(`Добавлено ${formatNumber(n)} ${plural(n, ['пункт', 'пункта', 'пунктов'])}.`);
    } catch (err) {
      if (err.status === 422 && err.errors.length) {
        const byLine = err.errors.map((e) => {
          const p = bulkErrorPath(e.field);
          if (!p) return { line: null, message: e.message || e.code };
          const item = parsed.items[p.index];
          const what = p.field.startsWith('executors') ? 'исполнители: ' : '';
          const message = `${what}${e.message || e.code}`;
          // «пункт 2.1 — …» unless the server's message names the item itself.
          const named = item && !message.includes(`Пункт ${item.number} `);
          return { line: parsed.lines[p.index] ?? null, message: named ? `пункт ${item.number} — ${message}` : message };
        });
        lineErrors(byLine, 'Пункты не добавлены, ни один. Исправьте строки и повторите:');
      } else {
        box.show('error', errorText(err));
      }
    } finally {
      submit.disabled = false;
    }
  }
  return h('section', { class: 'card no-print', 'aria-labelledby': 'bulk-title', 'data-testid': 'bulk-form' },
    h('h2', { id: 'bulk-title' }, 'Вставить пункты списком'),
    box.node,
    h('form', { class: 'form form--wide', novalidate: true, onsubmit: onSubmit },
      h('div', { class: 'field' }, h('label', { for: textId }, 'Пункты'), text,
        h('p', { class: 'field__hint', id: `${textId}-hint` },
          'По одному пункту в строке: номер, содержание и срок, разделённые табуляцией (так вставляются три столбца ',
          `из таблицы Excel или Word). Срок — дата ДД.ММ.ГГГГ или период («в течение ${moscowToday().slice(0, 4)} года», «IV квартал ${moscowToday().slice(0, 4)} года»); `,
          'может быть пустым, если у пунктов нет исполнителей. Добавляются все строки или ни одной.')),
      executors.node,
      h('div', { class: 'form__actions' }, submit)));
}

// ————————————————————————————————————— card: the item tree

/** Records of one item; their deadline is the item's. */
function recordsTable(records, item) {
  return h('table', { class: 'data-table data-table--compact records' },
    h('caption', { class: 'visually-hidden' }, 'Исполнение по исполнителям'),
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Исполнитель'), h('th', { scope: 'col' }, 'Состояние'))),
    h('tbody', null, records.map((a) => h('tr', { class: dueRowClass(a), 'data-assignment-id': a.id },
      h('th', { scope: 'row' }, h('a', { href: `#/assignments/${a.id}` }, executorName(a.executor))),
      h('td', null, statusBadge('record', a.status), ' ', dueBadge({ ...a, deadline: item.deadline }))))));
}

function itemNode(item, visible) {
  const records = (item.assignments || []).filter((a) => !visible || visible.has(String(a.id)));
  const c = countRecords(records);
  const execNames = (item.executors || []).map(executorName).join(', ');
  const overdueNow = records.some((a) => a.overdue);
  // Filtered to one municipality: the badge follows its records only.
  const due = visible ? { overdue: overdueNow, due_soon: records.some((a) => a.due_soon), deadline: item.deadline }
    : { ...item, overdue: item.overdue || overdueNow };
  return h('li', { class: ['item', overdueNow ? 'item--overdue' : null], 'data-item-id': item.id, 'data-number': item.number },
    h('div', { class: 'item__head' },
      h('span', { class: 'item__number' }, item.number),
      h('div', { class: 'item__body' },
        h('p', { class: 'item__content' }, item.content),
        h('p', { class: 'item__meta small' },
          h('span', { class: 'nowrap' }, `Срок: ${deadlineText(item)}`), ' ', dueBadge(due),
          execNames ? h('span', null, ` · Исполнители: ${execNames}`) : null),
        item.expected_result ? h('p', { class: 'item__meta small muted' }, `Ожидаемый результат: ${item.expected_result}`) : null,
        records.length ? h('details', { class: 'item__records', open: records.length <= 3 },
          h('summary', { 'data-testid': 'item-counts' }, `Исполнение: ${countsText(c)}`,
            c.overdue ? h('span', { class: 'badge badge--danger' }, `просрочено ${formatNumber(c.overdue)}`) : null),
          recordsTable(records, item)) : null)),
    (item.children || []).length ? h('ol', { class: 'item-tree' }, item.children.map((ch) => itemNode(ch, visible))) : null);
}

/** The document's own files — the scanned order, the plan-graph: its issuer attaches and removes them. */
function documentFiles(doc, isIssuer) {
  return attachmentsCard('document', {
    heading: 'Файлы документа', owner: doc, objectPath: `/documents/${doc.id}`, canAttach: isIssuer, canRemove: isIssuer,
    intro: isIssuer ? 'Скан подписанного документа и приложения к нему: их видят исполнители.' : null,
  });
}

async function renderCard(ctx) {
  const { user } = ctx;
  const id = ctx.params.id;
  const regionWide = REGION.includes(user.role);
  let doc = await api.get(`/documents/${id}`);
  const municipalities = regionWide || (doc.issuer?.kind === 'committee' && user.role === 'committee')
    ? await listAll('/municipalities') : [];
  const state = { municipality_id: regionWide ? (ctx.query.municipality_id || '') : '' };
  const box = messageBox();
  const treeHolder = h('div', { 'data-testid': 'item-tree' });
  const propsHolder = h('div', { class: 'card' });
  const isIssuer = (user.role === 'committee' && doc.issuer?.kind === 'committee')
    || (user.role === 'municipality' && doc.issuer?.kind === 'municipality' && String(doc.issuer.id) === String(user.municipality_id));

  async function visibleIds() {
    if (!state.municipality_id) return null;
    const records = await listAll('/assignments', { document_id: id, municipality_id: state.municipality_id });
    return new Set(records.map((r) => String(r.id)));
  }

  async function draw() {
    const visible = await visibleIds();
    const row = (label, value) => [h('dt', null, label), h('dd', null, value)];
    const all = [];
    const walk = (items) => { for (const i of items || []) { all.push(...(i.assignments || [])); walk(i.children); } };
    walk(doc.items);
    const c = countRecords(visible ? all.filter((a) => visible.has(String(a.id))) : all);
    replace(propsHolder, h('dl', { class: 'props', 'data-testid': 'document-props' },
      doc.project_title ? row('Проект', h('a', { href: `#/projects/${doc.project_id}` }, doc.project_title)) : null,
      row('Издал', doc.issuer?.name || '—'),
      row('Пунктов', formatNumber(doc.item_count ?? 0)),
      row('Исполнение', h('span', { 'data-testid': 'document-counts' }, countsText(c), ' ',
        c.overdue ? h('span', { class: 'badge badge--danger' }, `просрочено ${formatNumber(c.overdue)}`) : null))));
    replace(treeHolder, (doc.items || []).length
      ? h('ol', { class: 'item-tree item-tree--root' }, doc.items.map((i) => itemNode(i, visible)))
      : h('p', { class: 'muted' }, isIssuer ? 'Пунктов пока нет — добавьте их ниже.' : 'Пунктов нет.'));
  }

  async function reloadDoc(message) {
    doc = await api.get(`/documents/${id}`);
    await draw();
    if (message) box.show('success', message);
  }

  const printFilter = h('p', { class: 'print-only' });
  const drawPrintFilter = () => {
    const m = municipalities.find((x) => String(x.id) === String(state.municipality_id));
    printFilter.textContent = m ? `Исполнение: ${m.name} и его школы` : '';
  };
  drawPrintFilter();
  const munId = uid('doc-mun');
  const filter = regionWide ? h('form', { class: 'filters no-print', 'aria-label': 'Отбор исполнителей', onsubmit: (e) => e.preventDefault() },
    h('div', { class: 'field' }, h('label', { for: munId }, 'Муниципалитет'),
      h('select', {
        id: munId,
        onchange: async (e) => {
          state.municipality_id = e.target.value;
          drawPrintFilter();
          box.clear();
          try { await draw(); } catch (err) { box.show('error', errorText(err)); }
          if (ctx.isCurrent()) ctx.setQuery(state);
        },
      }, h('option', { value: '' }, 'Все исполнители'),
      municipalities.map((m) => h('option', { value: String(m.id), selected: String(m.id) === String(state.municipality_id) }, m.name)))))
    : null;

  await draw();
  if (flash) { box.show(...flash); flash = null; }
  const opts = {
    roadmap: doc.kind === 'roadmap', user, municipalities, onAdded: (message) => reloadDoc(message),
  };
  const heading = h('h1', { id: 'document-title' });
  const sub = h('p', { class: 'page__sub' });
  const headActions = h('div', { class: 'page__actions no-print' });
  const editHolder = h('div');
  const pageTitle = () => (ctx.roadmap ? 'Дорожная карта' : documentLabel(doc));
  function drawHead() {
    replace(heading, ctx.roadmap ? 'Муниципальная дорожная карта' : documentLabel(doc));
    replace(sub, ctx.roadmap ? `${documentLabel(doc)} · ${doc.title}` : doc.title);
  }
  // The issuer edits the document: the committee its own, a municipality its road map.
  const editButton = isIssuer
    ? h('button', { type: 'button', class: 'btn btn--primary', onclick: () => openEdit() }, 'Изменить') : null;
  function closeEdit() {
    replace(editHolder);
    propsHolder.hidden = false;
    if (editButton) editButton.hidden = false;
  }
  async function openEdit() {
    box.clear();
    let projects = null;
    if (user.role === 'committee') {
      try { projects = await listAll('/projects'); } catch (err) { box.show('error', errorText(err)); return; }
    }
    const form = documentEditForm(doc, {
      kinds: user.role === 'committee' ? COMMITTEE_KINDS : ['roadmap'],
      projects,
      onCancel: () => { box.clear(); closeEdit(); },
      onSaved: async (saved) => {
        doc = saved;
        closeEdit();
        drawHead();
        ctx.setTitle(pageTitle());
        await draw();
        box.show('success', 'Изменения сохранены.');
      },
      onStale: async () => {
        box.clear();
        try {
          doc = await api.get(`/documents/${id}`);
          closeEdit();
          drawHead();
          ctx.setTitle(pageTitle());
          await draw();
          box.show('info', 'Показаны актуальные данные документа. При необходимости внесите изменения снова.');
        } catch (err) {
          box.show('error', errorText(err));
        }
      },
    });
    replace(editHolder, form.node);
    propsHolder.hidden = true;
    editButton.hidden = true;
    form.focus();
  }
  drawHead();
  replace(headActions, editButton);
  const node = h('section', { class: 'page', 'aria-labelledby': 'document-title', 'data-document-id': doc.id },
    ctx.roadmap ? null : h('p', { class: 'breadcrumbs no-print' },
      regionWide ? h('a', { href: '#/documents' }, '← К документам') : h('a', { href: '#/assignments' }, '← К поручениям')),
    h('div', { class: 'page__head page__head--row' }, h('div', null, heading, sub), headActions),
    box.node,
    editHolder,
    propsHolder,
    documentFiles(doc, isIssuer),
    filter,
    printFilter,
    h('section', { class: 'card', 'aria-labelledby': 'items-title' },
      h('h2', { id: 'items-title' }, 'Пункты и их исполнение'), treeHolder),
    isIssuer ? h('div', { class: 'columns columns--top' }, itemForm(doc, opts), bulkForm(doc, opts)) : null);
  return { node, title: pageTitle() };
}

export async function render(ctx) {
  if (ctx.view === 'create') return renderCreate(ctx);
  if (ctx.view === 'roadmap') return renderRoadmap(ctx);
  if (ctx.view === 'card') return renderCard(ctx);
  return renderList(ctx);
}
