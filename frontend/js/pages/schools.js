// The schools the user may see: search (q), municipality filter (region-wide
// roles only), paging by limit/offset with «Показано 1–50 из 312».

import { h, replace, uid } from '../shared/dom.js';
import { listAll } from '../api.js';
import { levelsShort } from '../shared/format.js';
import { emptyRow, listView, searchBox } from '../shared/list.js';

function flag(value) {
  return value ? h('span', { class: 'flag' }, 'да') : h('span', { class: 'muted', 'aria-label': 'нет' }, '—');
}

function schoolRow(s) {
  return h('tr', { 'data-school-id': s.id },
    h('td', { class: 'nowrap code' }, s.code),
    h('th', { scope: 'row', class: 'cell-name' }, h('a', { href: `#/schools/${s.id}` }, s.short_name || s.name)),
    h('td', { class: 'cell-mun' }, s.municipality_name || ''),
    h('td', { class: 'nowrap' }, levelsShort(s.education_levels)),
    h('td', { class: 'center' }, flag(s.has_ovz_pupils)),
    h('td', { class: 'center' }, flag(s.is_rural)),
    h('td', { class: 'center' }, flag(s.unfavorable_conditions)));
}

export async function render(ctx) {
  const { user } = ctx;
  const regionWide = user.role === 'committee' || user.role === 'loiro';
  const single = user.role === 'school';

  const municipalities = regionWide ? await listAll('/municipalities') : [];
  const munNames = new Map(municipalities.map((m) => [String(m.id), m.name]));

  const thead = h('thead');
  const tbody = h('tbody');
  const table = h('table', { class: 'data-table', 'data-testid': 'schools-table' },
    h('caption', { class: 'visually-hidden' }, 'Список школ'), thead, tbody);

  // On paper the active filters are stated above the table.
  const printFilter = h('p', { class: 'print-only' });
  const list = listView(ctx, {
    path: '/schools',
    filters: { q: (v) => v || '', municipality_id: (v) => (regionWide ? v || '' : '') },
    query: (s) => ({ q: s.q.trim(), municipality_id: s.municipality_id }),
    body: tbody,
    busy: table,
    row: (s) => schoolRow({ ...s, municipality_name: s.municipality_name || munNames.get(String(s.municipality_id)) || '' }),
    empty: (s) => emptyRow(7, s.q || s.municipality_id ? 'По заданным условиям школ не найдено.' : 'Нет доступных школ.'),
    drawn: (page, s) => {
      printFilter.textContent = [s.q.trim() ? `Поиск: «${s.q.trim()}»` : null,
        s.municipality_id ? `Муниципалитет: ${munNames.get(String(s.municipality_id)) || ''}` : null]
        .filter(Boolean).join('; ');
    },
    summaryTestId: 'schools-summary',
    pagerLabel: 'Страницы списка школ',
    sortable: ['code', 'short_name', 'municipality_name'],
  });
  const { state } = list;
  replace(thead, h('tr', null,
    list.header('Код', { sort: 'code' }),
    list.header('Школа', { sort: 'short_name' }),
    list.header('Муниципалитет', { sort: 'municipality_name' }),
    list.header('Уровни'),
    list.header(h('abbr', { title: 'обучаются дети с ограниченными возможностями здоровья' }, 'ОВЗ'), { class: 'center' }),
    list.header('Сельская', { class: 'center' }),
    list.header(h('abbr', { title: 'функционирует в неблагоприятных социальных условиях' }, 'НСУ'), { class: 'center' })));

  // Filters.
  const searchId = uid('schools-q');
  const munId = uid('schools-mun');
  const search = searchBox(list, { id: searchId, value: state.q, placeholder: 'код, полное или краткое наименование' });
  const munSelect = regionWide ? h('select', {
    id: munId, name: 'municipality_id',
    onchange: () => list.change('municipality_id', munSelect.value),
  },
  h('option', { value: '' }, 'Все муниципалитеты'),
  municipalities.map((m) => h('option', { value: String(m.id), selected: String(m.id) === String(state.municipality_id) }, m.name)))
    : null;
  const filters = h('form', {
    class: 'filters no-print', role: 'search', 'aria-label': 'Поиск школ',
    onsubmit: (e) => { e.preventDefault(); search.now(); },
  },
  h('div', { class: 'field field--grow' }, h('label', { for: searchId }, 'Поиск'), search.input),
  munSelect ? h('div', { class: 'field' }, h('label', { for: munId }, 'Муниципалитет'), munSelect) : null,
  h('div', { class: 'field field--buttons' },
    h('button', { type: 'submit', class: 'btn btn--primary' }, 'Найти'),
    h('button', {
      type: 'button', class: 'btn',
      onclick: () => {
        if (munSelect) { munSelect.value = ''; state.municipality_id = ''; }
        search.now('');
      },
    }, 'Сбросить')));

  await list.load();

  let subtitle = null;
  if (user.role === 'municipality') subtitle = user.organisation_name;
  if (regionWide) subtitle = 'Все школы региона, доступные вашей организации';
  const node = h('section', { class: 'page', 'aria-labelledby': 'schools-title' },
    h('div', { class: 'page__head' },
      h('h1', { id: 'schools-title' }, single ? 'Моя школа' : 'Школы'),
      subtitle ? h('p', { class: 'page__sub' }, subtitle) : null),
    single ? null : filters,
    printFilter,
    list.box.node,
    list.summary,
    h('div', { class: 'table-wrap' }, table),
    list.pager,
    h('p', { class: 'legend muted small' },
      'НОО, ООО, СОО — начальное, основное и среднее общее образование; ',
      'ОВЗ — обучаются дети с ограниченными возможностями здоровья; ',
      'НСУ — школа функционирует в неблагоприятных социальных условиях.'));
  return { node, title: single ? 'Моя школа' : 'Школы' };
}
