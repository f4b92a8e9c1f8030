// One school's card. The committee edits it through PATCH with If-Match; a stale
// version (409 conflict.stale_version) is explained and nothing is overwritten.

import { h, replace } from '../shared/dom.js';
import { api, listAll } from '../api.js';
import { errorText, levelCodes, LEVELS, yesNo } from '../shared/format.js';
import { field, checkboxGroup, checkbox, messageBox, showApiError, clearErrors, showStale } from '../shared/forms.js';

/** The fields PATCH /schools/{id} accepts, as the form edits them. */
const EDITABLE = ['code', 'name', 'short_name', 'municipality_id', 'address',
  'education_levels', 'has_ovz_pupils', 'is_rural', 'unfavorable_conditions'];

function levelsLong(value) {
  const codes = new Set(levelCodes(value));
  const list = LEVELS.filter((l) => codes.has(l.code));
  if (!list.length) return '—';
  return h('ul', { class: 'plain' }, list.map((l) => h('li', null, `${l.abbr} — ${l.name}`)));
}

function sameValue(a, b) {
  if (Array.isArray(a) || Array.isArray(b)) {
    return JSON.stringify([...(a || [])].map(String).sort()) === JSON.stringify([...(b || [])].map(String).sort());
  }
  return String(a ?? '') === String(b ?? '');
}

export async function render(ctx) {
  const { user } = ctx;
  const id = ctx.params.id;
  const canEdit = user.role === 'committee';
  let school = await api.get(`/schools/${id}`);
  const municipalities = canEdit || !school.municipality_name ? await listAll('/municipalities') : [];
  const munNames = new Map(municipalities.map((m) => [String(m.id), m.name]));
  /** Fills municipality_name when an answer (e.g. of PATCH) does not carry it. */
  const withMunName = (s) => (s.municipality_name ? s
    : { ...s, municipality_name: munNames.get(String(s.municipality_id)) || '' });
  school = withMunName(school);

  const box = messageBox();
  const body = h('div', { class: 'card-body' });
  const heading = h('h1', { id: 'school-title' });
  const sub = h('p', { class: 'page__sub' });
  const headActions = h('div', { class: 'page__actions no-print' });

  function showView() {
    replace(heading, school.short_name || school.name);
    replace(sub, school.municipality_name || '');
    ctx.setTitle(school.short_name || school.name);
    replace(headActions, canEdit
      ? h('button', { type: 'button', class: 'btn btn--primary', onclick: showForm }, 'Изменить')
      : null);
    const row = (label, value) => [h('dt', null, label), h('dd', null, value === '' || value === null || value === undefined ? '—' : value)];
    replace(body,
      h('dl', { class: 'props', 'data-testid': 'school-card' },
        row('Код', school.code),
        row('Полное наименование', school.name),
        row('Краткое наименование', school.short_name),
        row('Муниципалитет', school.municipality_name),
        row('Адрес', school.address),
        row('Уровни образования', levelsLong(school.education_levels)),
        row('Обучаются дети с ОВЗ', yesNo(school.has_ovz_pupils)),
        row('Сельская школа', yesNo(school.is_rural)),
        row('Функционирует в неблагоприятных социальных условиях', yesNo(school.unfavorable_conditions))));
  }

  async function reloadFresh() {
    box.clear();
    try {
      school = withMunName(await api.get(`/schools/${id}`));
      showView();
      box.show('info', 'Показаны актуальные данные карточки. При необходимости внесите изменения снова.');
    } catch (err) {
      box.show('error', errorText(err));
    }
  }

  function showForm() {
    box.clear();
    replace(headActions);
    const f = {
      code: field('code', 'Код', h('input', { type: 'text', value: school.code ?? '', maxlength: 50 }), { required: true, className: 'field--short' }),
      name: field('name', 'Полное наименование', h('textarea', { rows: 2, maxlength: 500 }, school.name ?? ''), { required: true }),
      short_name: field('short_name', 'Краткое наименование', h('input', { type: 'text', value: school.short_name ?? '', maxlength: 200 }), { required: true }),
      municipality_id: field('municipality_id', 'Муниципалитет', h('select', null,
        municipalities.map((m) => h('option', { value: String(m.id), selected: String(m.id) === String(school.municipality_id) }, m.name))),
      { required: true }),
      address: field('address', 'Адрес', h('input', { type: 'text', value: school.address ?? '', maxlength: 500 })),
      education_levels: checkboxGroup('education_levels', 'Уровни образования',
        LEVELS.map((l) => ({ value: l.code, label: `${l.abbr} — ${l.name}` })), levelCodes(school.education_levels)),
      has_ovz_pupils: checkbox('has_ovz_pupils', 'Обучаются дети с ограниченными возможностями здоровья (ОВЗ)', school.has_ovz_pupils),
      is_rural: checkbox('is_rural', 'Сельская школа', school.is_rural),
      unfavorable_conditions: checkbox('unfavorable_conditions', 'Функционирует в неблагоприятных социальных условиях', school.unfavorable_conditions),
    };
    const read = () => ({
      code: f.code.control.value.trim(),
      name: f.name.control.value.trim(),
      short_name: f.short_name.control.value.trim(),
      municipality_id: Number(f.municipality_id.control.value),
      address: f.address.control.value.trim(),
      education_levels: f.education_levels.values(),
      has_ovz_pupils: f.has_ovz_pupils.control.checked,
      is_rural: f.is_rural.control.checked,
      unfavorable_conditions: f.unfavorable_conditions.control.checked,
    });
    const save = h('button', { type: 'submit', class: 'btn btn--primary' }, 'Сохранить');

    async function onSubmit(event) {
      event.preventDefault();
      box.clear();
      clearErrors(f);
      const values = read();
      const changes = {};
      for (const k of EDITABLE) if (!sameValue(values[k], school[k])) changes[k] = values[k];
      if (Object.keys(changes).length === 0) {
        box.show('info', 'Изменений нет.');
        return;
      }
      save.disabled = true;
      try {
        school = withMunName(await api.patch(`/schools/${id}`, school.version, changes));
        showView();
        box.show('success', 'Изменения сохранены.');
      } catch (err) {
        save.disabled = false;
        if (err.status === 409 && err.code === 'conflict.stale_version') {
          showStale(box, 'Пока вы редактировали карточку, её изменил другой пользователь.', reloadFresh);
        } else {
          showApiError(err, f, box);
        }
      }
    }

    replace(body, h('form', { class: 'form form--card', novalidate: true, onsubmit: onSubmit, 'aria-label': 'Изменение карточки школы' },
      f.code.node, f.name.node, f.short_name.node, f.municipality_id.node, f.address.node,
      f.education_levels.node,
      h('fieldset', { class: 'field fieldset' }, h('legend', null, 'Особенности'),
        h('div', { class: 'checks checks--column' }, f.has_ovz_pupils.node, f.is_rural.node, f.unfavorable_conditions.node)),
      h('p', { class: 'muted small' }, 'Поля, отмеченные *, обязательны.'),
      h('div', { class: 'form__actions' },
        save,
        h('button', { type: 'button', class: 'btn', onclick: () => { box.clear(); showView(); } }, 'Отмена'))));
    f.code.focus();
  }

  showView();
  const back = user.role === 'school' ? null
    : h('p', { class: 'breadcrumbs no-print' }, h('a', { href: '#/schools' }, '← К списку школ'));
  const node = h('section', { class: 'page', 'aria-labelledby': 'school-title' },
    back,
    h('div', { class: 'page__head page__head--row' }, h('div', null, heading, sub), headActions),
    box.node,
    h('div', { class: 'card' }, body));
  return { node, title: school.short_name || school.name };
}
