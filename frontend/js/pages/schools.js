// The schools the user may see: search (q), municipality filter (region-wide
// roles only), paging by limit/offset with «Показано 1–50 из 312».

import { h, replace, uid } from '../dom.js';
import { api, listAll } from '../api.js';
import { levelsShort, rangeText } from '../format.js';
import { renderPager } from '../list.js';

const LIMIT = 50;

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
  const state = {
    q: ctx.query.q || '',
    municipality_id: regionWide ? (ctx.query.municipality_id || '') : '',
    offset: Math.max(0, Number.parseInt(ctx.query.offset, 10) || 0),
  };

  const municipalities = regionWide ? await listAll('/municipalities') : [];
  const munNames = new Map(municipalities.map((m) => [String(m.id), m.name]));

  const tbody = h('tbody');
  const summary = h('p', { class: 'list-summary', role: 'status', 'aria-live': 'polite', 'data-testid': 'schools-summary' });
  const errorBox = h('div', { class: 'form-error', role: 'alert', hidden: true });
  const pager = h('nav', { class: 'pager', 'aria-label': 'Страницы списка школ' });
  const table = h('table', { class: 'data-table', 'data-testid': 'schools-table' },
    h('caption', { class: 'visually-hidden' }, 'Список школ'),
    h('thead', null, h('tr', null,
      h('th', { scope: 'col' }, 'Код'),
      h('th', { scope: 'col' }, 'Школа'),
      h('th', { scope: 'col' }, 'Муниципалитет'),
      h('th', { scope: 'col' }, 'Уровни'),
      h('th', { scope: 'col', class: 'center' }, h('abbr', { title: 'обучаются дети с ограниченными возможностями здоровья' }, 'ОВЗ')),
      h('th', { scope: 'col', class: 'center' }, 'Сельская'),
      h('th', { scope: 'col', class: 'center' }, h('abbr', { title: 'функционирует в неблагоприятных социальных условиях' }, 'НСУ')))),
    tbody);

  // On paper the active filters are stated above the table.
  const printFilter = h('p', { class: 'print-only' });
  function updatePrintFilter() {
    printFilter.textContent = [state.q.trim() ? `Поиск: «${state.q.trim()}»` : null,
      state.municipality_id ? `Муниципалитет: ${munNames.get(String(state.municipality_id)) || ''}` : null]
      .filter(Boolean).join('; ');
  }

  let requestNo = 0;
  async function load() {
    const mine = ++requestNo;
    table.setAttribute('aria-busy', 'true');
    const page = await api.get('/schools', {
      q: state.q.trim(), municipality_id: state.municipality_id, limit: LIMIT, offset: state.offset,
    });
    if (mine !== requestNo) return;
    // Paged past the end (e.g. the list shrank): go back to the first page.
    if (page.items.length === 0 && state.offset > 0 && page.total > 0) {
      state.offset = 0;
      await load();
      return;
    }
    for (const s of page.items) {
      if (!s.municipality_name) s.municipality_name = munNames.get(String(s.municipality_id)) || '';
    }
    replace(tbody, page.items.length
      ? page.items.map(schoolRow)
      : h('tr', null, h('td', { colspan: 7, class: 'empty' },
        state.q || state.municipality_id ? 'По заданным условиям школ не найдено.' : 'Нет доступных школ.')));
    replace(summary, rangeText(state.offset, page.items.length, page.total));
    renderPager(pager, {
      total: page.total, offset: state.offset, limit: LIMIT, go: (offset) => { state.offset = offset; reload(); },
    });
    table.removeAttribute('aria-busy');
    updatePrintFilter();
    if (ctx.isCurrent()) ctx.setQuery({ q: state.q.trim(), municipality_id: state.municipality_id, offset: state.offset });
  }

  async function reload() {
    errorBox.hidden = true;
    try {
      await load();
    } catch (err) {
      table.removeAttribute('aria-busy');
      replace(errorBox, err.unavailable ? 'Сервис временно недоступен. Повторите попытку позже.' : err.title);
      errorBox.hidden = false;
    }
  }

  // Filters.
  const searchId = uid('schools-q');
  const munId = uid('schools-mun');
  let debounce = null;
  const search = h('input', {
    id: searchId, type: 'search', name: 'q', value: state.q, maxlength: 100, autocomplete: 'off',
    placeholder: 'код, полное или краткое наименование',
    oninput: () => {
      clearTimeout(debounce);
      debounce = setTimeout(() => { state.q = search.value; state.offset = 0; reload(); }, 350);
    },
  });
  const munSelect = regionWide ? h('select', {
    id: munId, name: 'municipality_id',
    onchange: () => { state.municipality_id = munSelect.value; state.offset = 0; reload(); },
  },
  h('option', { value: '' }, 'Все муниципалитеты'),
  municipalities.map((m) => h('option', { value: String(m.id), selected: String(m.id) === String(state.municipality_id) }, m.name)))
    : null;
  const filters = h('form', {
    class: 'filters no-print', role: 'search', 'aria-label': 'Поиск школ',
    onsubmit: (e) => { e.preventDefault(); clearTimeout(debounce); state.q = search.value; state.offset = 0; reload(); },
  },
  h('div', { class: 'field field--grow' }, h('label', { for: searchId }, 'Поиск'), search),
  munSelect ? h('div', { class: 'field' }, h('label', { for: munId }, 'Муниципалитет'), munSelect) : null,
  h('div', { class: 'field field--buttons' },
    h('button', { type: 'submit', class: 'btn btn--primary' }, 'Найти'),
    h('button', {
      type: 'button', class: 'btn',
      onclick: () => {
        clearTimeout(debounce);
        search.value = ''; state.q = '';
        if (munSelect) { munSelect.value = ''; state.municipality_id = ''; }
        state.offset = 0; reload();
      },
    }, 'Сбросить')));

  await load();

  let subtitle = null;
  if (user.role === 'municipality') subtitle = user.organisation_name;
  if (regionWide) subtitle = 'Все школы региона, доступные вашей организации';
  const node = h('section', { class: 'page', 'aria-labelledby': 'schools-title' },
    h('div', { class: 'page__head' },
      h('h1', { id: 'schools-title' }, single ? 'Моя школа' : 'Школы'),
      subtitle ? h('p', { class: 'page__sub' }, subtitle) : null),
    single ? null : filters,
    printFilter,
    errorBox,
    summary,
    h('div', { class: 'table-wrap' }, table),
    pager,
    h('p', { class: 'legend muted small' },
      'НОО, ООО, СОО — начальное, основное и среднее общее образование; ',
      'ОВЗ — обучаются дети с ограниченными возможностями здоровья; ',
      'НСУ — школа функционирует в неблагоприятных социальных условиях.'));
  return { node, title: single ? 'Моя школа' : 'Школы' };
}
