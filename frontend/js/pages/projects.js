// «Проекты»: the regional projects the user may see (#/projects; the committee
// creates them) and one project (#/projects/{id}): its period, lead and
// approving order, and the participating schools with their group and the
// НСУ flag, filtered by group and municipality. The committee adds and
// removes schools and loads a list from a CSV file: a dry run first
// (?dry_run=1) that shows every bad line, then «Загрузить» for real.

import { h, replace, uid } from '../shared/dom.js';
import { api, listAll } from '../api.js';
import { errorText, formatDate, formatNumber, parseDate, plural } from '../shared/format.js';
import { field, messageBox, showApiError, clearErrors, sendChanges, sendNew } from '../shared/forms.js';
import { emptyRow, listView } from '../shared/list.js';
import { schoolSearch } from '../shared/school-search.js';
import { confirmDialog } from '../shared/dialog.js';
import { PROJECT_GROUPS, PROJECT_GROUP_CODES } from '../execution.js';

const LIMIT = 50;
const REGION = ['committee', 'loiro'];

const dateInput = (iso) => h('input', {
  type: 'text', value: iso ? formatDate(iso) : '', class: 'input-date', inputmode: 'numeric', autocomplete: 'off',
  maxlength: 10, placeholder: 'ДД.ММ.ГГГГ',
});

function periodText(p) {
  if (!p.starts_on) return '—';
  return p.ends_on ? `${formatDate(p.starts_on)} – ${formatDate(p.ends_on)}` : `с ${formatDate(p.starts_on)}`;
}

function orderText(p) {
  return p.order_number ? `№\u00a0${p.order_number} от\u00a0${formatDate(p.order_date)}` : '—';
}

function groupBadge(code, label) {
  return h('span', { class: ['group', `group--${code}`], 'data-group': code }, label || PROJECT_GROUPS[code] || code);
}

// ————————————————————————————————————— list and creation

/** The fields of a project's form, prefilled from p (an existing project, or {} for a new one). */
function projectFields(p = {}) {
  const f = {
    title: field('title', 'Название', h('textarea', { rows: 2, maxlength: 500 }), { required: true }),
    description: field('description', 'Описание', h('textarea', { rows: 3, maxlength: 4000 })),
    starts_on: field('starts_on', 'Начало', dateInput(p.starts_on), { required: true, hint: 'ДД.ММ.ГГГГ' }),
    ends_on: field('ends_on', 'Окончание', dateInput(p.ends_on), { hint: 'ДД.ММ.ГГГГ, если известно' }),
    lead: field('lead', 'Руководит', h('select', null,
      h('option', { value: 'committee', selected: p.lead !== 'loiro' }, 'Комитет'),
      h('option', { value: 'loiro', selected: p.lead === 'loiro' }, 'ЛОИРО'))),
    order_number: field('order_number', 'Приказ об утверждении списка школ: номер',
      h('input', { type: 'text', maxlength: 64, value: p.order_number || '' })),
    order_date: field('order_date', 'дата приказа', dateInput(p.order_date), { hint: 'Номер и дата — вместе или ни одного.' }),
  };
  f.title.control.value = p.title || '';
  f.description.control.value = p.description || '';
  return f;
}

/**
 * Reads a project's form: {data, missing}. data has every field; an empty
 * optional one is null. missing: [[field, message]] found here.
 */
function readProjectFields(f) {
  const val = (n) => f[n].control.value.trim();
  const data = {
    title: val('title'),
    description: val('description') || null,
    starts_on: parseDate(val('starts_on')),
    ends_on: null,
    lead: val('lead'),
    order_number: val('order_number') || null,
    order_date: null,
  };
  const missing = [];
  for (const n of ['ends_on', 'order_date']) {
    if (val(n)) {
      data[n] = parseDate(val(n));
      if (!data[n]) missing.push([n, 'Дата в формате ДД.ММ.ГГГГ.']);
    }
  }
  if (!data.title) missing.push(['title', 'Укажите название проекта.']);
  if (!data.starts_on) missing.push(['starts_on', val('starts_on') ? 'Дата в формате ДД.ММ.ГГГГ.' : 'Укажите дату начала.']);
  if (Boolean(data.order_number) !== Boolean(val('order_date'))) missing.push(['order_number', 'Укажите и номер, и дату приказа — или ни одного.']);
  return { data, missing };
}

function projectFormBody(f) {
  return [f.title.node, f.description.node,
    h('div', { class: 'field-row' }, f.starts_on.node, f.ends_on.node, f.lead.node),
    h('div', { class: 'field-row' }, f.order_number.node, f.order_date.node)];
}

function createForm(ctx) {
  const box = messageBox('project-message');
  const f = projectFields();
  const submit = h('button', { type: 'submit', class: 'btn btn--primary' }, 'Создать проект');
  async function onSubmit(event) {
    event.preventDefault();
    box.clear();
    clearErrors(f);
    const { data: all, missing } = readProjectFields(f);
    const data = Object.fromEntries(Object.entries(all).filter(([, v]) => v !== null));
    if (missing.length) {
      for (const [n, m] of missing) f[n].setError(m);
      box.show('error', 'Проверьте поля проекта.');
      f[missing[0][0]].focus();
      return;
    }
    const created = await sendNew(submit, () => api.post('/projects', data), { fields: f, box });
    if (created) ctx.navigate(`#/projects/${created.id}`);
  }
  return h('section', { class: 'card no-print', 'aria-labelledby': 'project-new-title' },
    h('h2', { id: 'project-new-title' }, 'Новый проект'),
    box.node,
    h('form', { class: 'form form--wide', novalidate: true, onsubmit: onSubmit },
      projectFormBody(f),
      h('div', { class: 'form__actions' }, submit)));
}

async function renderList(ctx) {
  const projects = await listAll('/projects');
  const table = h('table', { class: 'data-table', 'data-testid': 'projects-table' },
    h('caption', { class: 'visually-hidden' }, 'Региональные проекты'),
    h('thead', null, h('tr', null,
      h('th', { scope: 'col' }, 'Проект'),
      h('th', { scope: 'col' }, 'Сроки'),
      h('th', { scope: 'col' }, 'Руководит'),
      h('th', { scope: 'col' }, 'Приказ о списке школ'),
      h('th', { scope: 'col', class: 'num' }, 'Школ'))),
    h('tbody', null, projects.length ? projects.map((p) => h('tr', { 'data-project-id': p.id },
      h('th', { scope: 'row', class: 'cell-title' }, h('a', { href: `#/projects/${p.id}` }, p.title)),
      h('td', { class: 'nowrap' }, periodText(p)),
      h('td', null, p.lead_name || (p.lead === 'loiro' ? 'ЛОИРО' : 'Комитет')),
      h('td', { class: 'nowrap' }, orderText(p)),
      h('td', { class: 'num' }, formatNumber(p.school_count ?? 0))))
      : h('tr', null, h('td', { colspan: 5, class: 'empty' }, 'Проектов нет.'))));
  const sub = {
    committee: 'Региональные проекты, их сроки и школы-участники',
    loiro: 'Региональные проекты и школы-участники',
    municipality: 'Региональные проекты; школы — только вашего муниципалитета',
    school: 'Проекты, в которых участвует ваша школа',
  }[ctx.user.role];
  const node = h('section', { class: 'page', 'aria-labelledby': 'projects-title' },
    h('div', { class: 'page__head' }, h('h1', { id: 'projects-title' }, 'Проекты'), h('p', { class: 'page__sub' }, sub)),
    h('div', { class: 'table-wrap' }, table),
    h('div', { class: 'spacer' }),
    ctx.user.role === 'committee' ? createForm(ctx) : null);
  return { node, title: 'Проекты' };
}

// ————————————————————————————————————— one project

/** Adding one school: search, group, НСУ flag. */
function addSchoolForm(projectId, onDone) {
  const box = messageBox('add-school-message');
  let chosen = null;
  const searcher = schoolSearch({
    testId: 'school-search-results',
    choice: (s) => h('button', {
      type: 'button', class: 'btn btn--small', 'aria-label': `Выбрать: ${s.short_name || s.name}`,
      onclick: () => {
        chosen = s;
        replace(chosenEl, 'Выбрана: ', h('strong', null, s.short_name || s.name), ` (${s.code})`);
        replace(searcher.results);
        f.group.control.focus();
      },
    }, 'Выбрать'),
  });
  const search = searcher.input;
  const chosenEl = h('p', { class: 'chosen', 'data-testid': 'chosen-school' }, h('span', { class: 'muted' }, 'Школа не выбрана.'));
  const f = {
    group: field('group', 'Группа', h('select', null, PROJECT_GROUP_CODES.map((g) => h('option', { value: g }, PROJECT_GROUPS[g]))), { required: true }),
    unfavorable_conditions: field('unfavorable_conditions', 'Неблагоприятные социальные условия', h('select', null,
      h('option', { value: '' }, 'как в карточке школы'), h('option', { value: '1' }, 'да'), h('option', { value: '0' }, 'нет'))),
  };
  const schoolError = { setError: (m) => (m ? box.show('error', m) : null), focus: () => search.focus() };
  const submit = h('button', { type: 'submit', class: 'btn btn--primary' }, 'Добавить школу');
  async function onSubmit(event) {
    event.preventDefault();
    box.clear();
    clearErrors(f);
    if (!chosen) { box.show('error', 'Найдите и выберите школу.'); search.focus(); return; }
    const data = { school_id: chosen.id, group: f.group.control.value };
    if (f.unfavorable_conditions.control.value) data.unfavorable_conditions = f.unfavorable_conditions.control.value === '1';
    submit.disabled = true;
    try {
      const s = await api.post(`/projects/${projectId}/schools`, data);
      const name = s?.short_name || chosen.short_name || chosen.name;
      chosen = null;
      search.value = '';
      replace(chosenEl, h('span', { class: 'muted' }, 'Школа не выбрана.'));
      await onDone(`${name}: ${s?.group_label || PROJECT_GROUPS[data.group]}.`);
    } catch (err) {
      showApiError(err, { ...f, school_id: schoolError }, box);
    } finally {
      submit.disabled = false;
    }
  }
  return h('section', { class: 'card no-print', 'aria-labelledby': 'add-school-title', 'data-testid': 'add-school' },
    h('h2', { id: 'add-school-title' }, 'Добавить школу'),
    box.node,
    h('form', { class: 'form', novalidate: true, onsubmit: onSubmit },
      h('div', { class: 'field' }, h('label', { for: search.id }, 'Найти школу'), search, searcher.results, chosenEl),
      f.group.node, f.unfavorable_conditions.node,
      h('p', { class: 'muted small' }, 'Если школа уже в проекте, изменятся её группа и признак.'),
      h('div', { class: 'form__actions' }, submit)));
}

/** The CSV import: choose a file, a dry run shows every bad line, then «Загрузить». */
function importForm(projectId, onDone) {
  const box = messageBox('import-message');
  const inputId = uid('p-csv');
  const input = h('input', { id: inputId, type: 'file', accept: '.csv,text/csv', class: 'file-pick__input' });
  const fileName = h('span', { class: 'file-pick__name', 'data-testid': 'csv-name' }, 'файл не выбран');
  const check = h('button', { type: 'button', class: 'btn', disabled: true }, 'Проверить');
  const load = h('button', { type: 'button', class: 'btn btn--primary', disabled: true }, 'Загрузить');
  let text = null;
  let name = '';

  function showLineErrors(err) {
    const errors = err.errors || [];
    const n = errors.length;
    box.show('error', h('strong', null, `Файл не загружен: ${formatNumber(n)} ${plural(n, ['ошибка', 'ошибки', 'ошибок'])}. `),
      'Ничего не сохранено. Исправьте файл и выберите его снова.',
      h('ul', { class: 'error-list', 'data-testid': 'import-errors' }, errors.map((e) => h('li', { 'data-line': e.line ?? '' },
        e.line ? h('span', { class: 'error-list__where' }, `Строка ${e.line}: `) : null,
        String(e.message || e.code || '').replace(/^Строка\s+\d+:\s*/u, '')))));
  }

  async function send(dryRun) {
    box.clear();
    check.disabled = true;
    load.disabled = true;
    try {
      const r = await api.postText(`/projects/${projectId}/schools/import`, dryRun ? { dry_run: 1 } : null, text, 'text/csv; charset=utf-8');
      const n = r?.would_import ?? 0;
      if (dryRun) {
        box.show('success', `Файл «${name}» проверен: ошибок нет, будет загружено строк — ${formatNumber(n)}. Нажмите «Загрузить».`);
        load.disabled = false;
      } else {
        const m = r?.imported ?? 0;
        text = null;
        input.value = '';
        replace(fileName, 'файл не выбран');
        await onDone(`Список загружен: ${formatNumber(m)} ${plural(m, ['строка сохранена', 'строки сохранены', 'строк сохранено'])} `
          + '(добавленные школы и изменённые группы; неизменённые строки не меняют ничего).');
        return;
      }
    } catch (err) {
      if (err.status === 422 && err.errors.length) showLineErrors(err);
      else if (err.status === 413) box.show('error', 'Файл слишком большой для загрузки.');
      else box.show('error', errorText(err));
    }
    check.disabled = text === null;
  }

  input.addEventListener('change', async () => {
    box.clear();
    text = null;
    load.disabled = true;
    const file = input.files && input.files[0];
    replace(fileName, file ? file.name : 'файл не выбран');
    check.disabled = true;
    if (!file) return;
    name = file.name;
    if (file.size > 1024 * 1024) { box.show('error', 'Файл слишком большой: не больше 1 МБ.'); return; }
    try {
      text = (await file.text()).replace(/^\uFEFF/, '');
    } catch {
      box.show('error', 'Не удалось прочитать файл. Выберите его ещё раз.');
      return;
    }
    await send(true);
  });
  check.addEventListener('click', () => send(true));
  load.addEventListener('click', () => send(false));

  return h('section', { class: 'card no-print', 'aria-labelledby': 'import-title', 'data-testid': 'import' },
    h('h2', { id: 'import-title' }, 'Загрузка списка из файла CSV'),
    h('p', { class: 'small' }, 'Файл в кодировке UTF-8, столбцы через точку с запятой, первая строка — заголовок ',
      h('code', null, 'school_code;group;unfavorable_conditions'), '. Группа: ',
      h('code', null, 'low_results'), ', ', h('code', null, 'risk_zone'), ' или ', h('code', null, 'academic_failure'),
      '; последний столбец — 1 (неблагоприятные социальные условия) или 0. Сначала файл проверяется целиком: ',
      'при любой ошибке не сохраняется ничего.'),
    box.node,
    h('div', { class: 'form' },
      h('div', { class: 'field' }, h('label', { for: inputId }, 'Файл со списком школ (CSV)'),
        h('div', { class: 'file-pick' }, input,
          h('label', { for: inputId, class: 'btn', 'aria-hidden': 'true' }, 'Выбрать файл…'), fileName)),
      h('div', { class: 'form__actions' }, check, load)));
}

/**
 * Editing a project (committee) with PATCH and If-Match: only the changed
 * fields are sent (null clears an optional one); a stale version is explained
 * and nothing is overwritten. opts: {onSaved(project), onCancel(), onStale()}.
 */
function projectEditForm(project, opts) {
  const box = messageBox('edit-message');
  const f = projectFields(project);
  const save = h('button', { type: 'submit', class: 'btn btn--primary' }, 'Сохранить');
  async function onSubmit(event) {
    event.preventDefault();
    box.clear();
    clearErrors(f);
    const { data, missing } = readProjectFields(f);
    const changes = {};
    for (const [k, v] of Object.entries(data)) if (String(v ?? '') !== String(project[k] ?? '')) changes[k] = v;
    await sendChanges({
      fields: f, box, save, missing, missingText: 'Проверьте поля проекта.',
      changes,
      patch: (c) => api.patch(`/projects/${project.id}`, project.version, c),
      happened: 'Пока вы редактировали проект, его изменил другой пользователь.',
      onSaved: opts.onSaved,
      onStale: opts.onStale,
    });
  }
  const node = h('section', { class: 'card no-print', 'aria-labelledby': 'project-edit-title', 'data-testid': 'project-edit' },
    h('h2', { id: 'project-edit-title' }, 'Изменение проекта'),
    box.node,
    h('form', { class: 'form form--wide', novalidate: true, onsubmit: onSubmit, 'aria-label': 'Изменение проекта' },
      projectFormBody(f),
      h('p', { class: 'muted small' }, 'Поля, отмеченные *, обязательны. Школы-участники не меняются.'),
      h('div', { class: 'form__actions' }, save,
        h('button', { type: 'button', class: 'btn', onclick: opts.onCancel }, 'Отмена'))));
  return { node, focus: () => f.title.focus() };
}

/**
 * The participating schools of a project, paged, with the group and (region)
 * municipality filters: {node, load}. remove(school) is the «Исключить» button's action.
 */
function projectSchools(ctx, { id, canEdit, regionWide, municipalities, box, remove }) {
  const thead = h('thead');
  const tbody = h('tbody');
  const table = h('table', { class: 'data-table', 'data-testid': 'project-schools' },
    h('caption', { class: 'visually-hidden' }, 'Школы — участники проекта'), thead, tbody);
  const list = listView(ctx, {
    path: `/projects/${id}/schools`,
    filters: {
      group: (v) => (PROJECT_GROUP_CODES.includes(v) ? v : ''),
      municipality_id: (v) => (regionWide ? v || '' : ''),
    },
    limit: LIMIT,
    body: tbody,
    busy: table,
    box,
    row: (s) => h('tr', { 'data-school-id': s.school_id },
      h('td', { class: 'nowrap code' }, s.code || ''),
      h('th', { scope: 'row', class: 'cell-name' }, h('a', { href: `#/schools/${s.school_id}` }, s.short_name || s.name)),
      h('td', { class: 'cell-mun' }, s.municipality_name || ''),
      h('td', null, groupBadge(s.group, s.group_label)),
      h('td', { class: 'center' }, s.unfavorable_conditions ? h('span', { class: 'flag' }, 'да') : h('span', { class: 'muted', 'aria-label': 'нет' }, '—')),
      canEdit ? h('td', { class: 'no-print' }, h('button', {
        type: 'button', class: 'btn btn--small', 'aria-label': `Исключить: ${s.short_name || s.name}`, onclick: () => remove(s),
      }, 'Исключить')) : null),
    empty: (st) => emptyRow(canEdit ? 6 : 5, st.group || st.municipality_id ? 'По заданным условиям школ нет.' : 'В проекте пока нет школ.'),
    summaryTestId: 'project-schools-summary',
    pagerLabel: 'Страницы списка школ проекта',
    sortable: ['code', 'short_name', 'municipality_name', 'group'],
  });
  replace(thead, h('tr', null,
    list.header('Код', { sort: 'code' }),
    list.header('Школа', { sort: 'short_name' }),
    list.header('Муниципалитет', { sort: 'municipality_name' }),
    list.header('Группа', { sort: 'group' }),
    list.header(h('abbr', { title: 'функционирует в неблагоприятных социальных условиях' }, 'НСУ'), { class: 'center' }),
    canEdit ? list.header(h('span', { class: 'visually-hidden' }, 'Действия'), { class: 'no-print' }) : null));
  const { state } = list;
  const ids = { group: uid('p-group'), mun: uid('p-mun') };
  const filters = h('form', { class: 'filters no-print', 'aria-label': 'Отбор школ проекта', onsubmit: (e) => e.preventDefault() },
    h('div', { class: 'field' }, h('label', { for: ids.group }, 'Группа'),
      h('select', { id: ids.group, onchange: (e) => list.change('group', e.target.value) },
        h('option', { value: '' }, 'Все группы'),
        PROJECT_GROUP_CODES.map((g) => h('option', { value: g, selected: g === state.group }, PROJECT_GROUPS[g])))),
    regionWide ? h('div', { class: 'field' }, h('label', { for: ids.mun }, 'Муниципалитет'),
      h('select', { id: ids.mun, onchange: (e) => list.change('municipality_id', e.target.value) },
        h('option', { value: '' }, 'Все муниципалитеты'),
        municipalities.map((m) => h('option', { value: String(m.id), selected: String(m.id) === String(state.municipality_id) }, m.name))))
      : null);
  return {
    node: [filters, list.summary, h('div', { class: 'table-wrap' }, table), list.pager],
    load: list.load,
  };
}

async function renderCard(ctx) {
  const { user } = ctx;
  const id = ctx.params.id;
  const regionWide = REGION.includes(user.role);
  const canEdit = user.role === 'committee';
  let project = await api.get(`/projects/${id}`);
  const municipalities = regionWide ? await listAll('/municipalities') : [];
  const box = messageBox();
  const props = h('dl', { class: 'props', 'data-testid': 'project-props' });
  function drawProps() {
    const row = (label, value) => [h('dt', null, label), h('dd', null, value)];
    const g = project.groups || {};
    replace(props,
      project.description ? row('Описание', h('span', { class: 'pre-wrap' }, project.description)) : null,
      row('Сроки', periodText(project)),
      row('Руководит', project.lead_name || '—'),
      row('Приказ об утверждении списка', orderText(project)),
      row('Школ-участников', h('span', { 'data-testid': 'project-school-count' }, formatNumber(project.school_count ?? 0))),
      (g.low_results || g.risk_zone || g.academic_failure) ? row('По группам', h('ul', { class: 'plain' },
        PROJECT_GROUP_CODES.map((c) => h('li', null, groupBadge(c), ` — ${formatNumber(g[c] ?? 0)}`)))) : null);
  }

  async function removeSchool(s) {
    const ok = await confirmDialog({
      title: 'Исключить школу из проекта?', text: `${s.short_name || s.name} (${s.code}) будет исключена из проекта «${project.title}».`,
      confirm: 'Исключить', danger: true, testId: 'remove-school-dialog',
    });
    if (!ok) return;
    try {
      await api.del(`/projects/${id}/schools/${s.school_id}`);
      await refresh(`${s.short_name || s.name} исключена из проекта.`);
    } catch (err) {
      box.show('error', h('strong', null, 'Школа не исключена. '), errorText(err));
    }
  }

  async function refresh(message) {
    project = await api.get(`/projects/${id}`);
    drawProps();
    await schools.load();
    if (message) box.show('success', message);
  }

  const heading = h('h1', { id: 'project-title' });
  const sub = h('p', { class: 'page__sub' });
  const propsCard = h('div', { class: 'card' }, props);
  const editHolder = h('div');
  function drawHead() {
    replace(heading, project.title);
    replace(sub, `Региональный проект · ${periodText(project)}`);
  }
  const editButton = canEdit
    ? h('button', { type: 'button', class: 'btn btn--primary', onclick: () => openEdit() }, 'Изменить') : null;
  function closeEdit() {
    replace(editHolder);
    propsCard.hidden = false;
    if (editButton) editButton.hidden = false;
  }
  function shown(message, kind = 'success') {
    closeEdit();
    drawHead();
    drawProps();
    ctx.setTitle(project.title);
    box.show(kind, message);
  }
  function openEdit() {
    box.clear();
    const form = projectEditForm(project, {
      onCancel: () => { box.clear(); closeEdit(); },
      onSaved: (saved) => { project = saved; shown('Изменения сохранены.'); },
      onStale: async () => {
        box.clear();
        try {
          project = await api.get(`/projects/${id}`);
          shown('Показаны актуальные данные проекта. При необходимости внесите изменения снова.', 'info');
        } catch (err) {
          box.show('error', errorText(err));
        }
      },
    });
    replace(editHolder, form.node);
    propsCard.hidden = true;
    editButton.hidden = true;
    form.focus();
  }

  const schools = projectSchools(ctx, { id, canEdit, regionWide, municipalities, box, remove: removeSchool });
  drawHead();
  drawProps();
  await schools.load();
  const node = h('section', { class: 'page', 'aria-labelledby': 'project-title' },
    h('p', { class: 'breadcrumbs no-print' }, h('a', { href: '#/projects' }, '← К проектам')),
    h('div', { class: 'page__head page__head--row' }, h('div', null, heading, sub),
      h('div', { class: 'page__actions no-print' }, editButton)),
    box.node,
    editHolder,
    propsCard,
    canEdit ? h('div', { class: 'columns columns--top columns--gap' }, addSchoolForm(id, refresh), importForm(id, refresh)) : null,
    h('section', { 'aria-labelledby': 'project-schools-title' },
      h('h2', { id: 'project-schools-title', class: 'section-title' }, 'Школы — участники'),
      schools.node,
      h('p', { class: 'legend muted small' }, 'НСУ — школа функционирует в неблагоприятных социальных условиях.')));
  return { node, title: project.title };
}

export async function render(ctx) {
  if (ctx.view === 'card') return renderCard(ctx);
  return renderList(ctx);
}
