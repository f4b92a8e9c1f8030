// The search of a school by code or name used by the forms that pick schools
// (a campaign's list, an item's executors, a project's participant): the
// input, the list of matches with one action per school, a short debounce,
// Enter to search at once, and the guard that drops an overtaken answer.

import { h, replace, uid } from './dom.js';
import { api } from '../api.js';
import { errorText, formatNumber } from './format.js';

/**
 * schoolSearch({choice, limit, testId, itemClass, moreHint}) → {input, results, find, clear}.
 * choice(school) → the Node beside a match (a «Добавить» button, or a note
 * that it is chosen already); call find() again after a choice to redraw.
 * moreHint: say «Показаны первые N из M; уточните запрос.» when more match.
 */
export function schoolSearch({ choice, limit = 10, testId, itemClass, moreHint = false }) {
  const input = h('input', {
    id: uid('f-school-q'), type: 'search', maxlength: 100, autocomplete: 'off', placeholder: 'код или наименование школы',
  });
  const results = h('ul', { class: 'search-results', 'aria-live': 'polite', 'data-testid': testId });
  let requestNo = 0;

  async function find() {
    const mine = ++requestNo;
    const q = input.value.trim();
    if (!q) { replace(results); return; }
    try {
      const page = await api.get('/schools', { q, limit });
      if (mine !== requestNo) return;
      replace(results, page.items.length ? page.items.map((s) => h('li', { class: itemClass },
        h('span', null, `${s.short_name || s.name} `, h('span', { class: 'muted small' }, `${s.code} · ${s.municipality_name || ''}`)),
        choice(s)))
        : h('li', { class: 'muted' }, 'Школ не найдено.'),
      moreHint && page.total > page.items.length
        ? h('li', { class: 'muted small' }, `Показаны первые ${page.items.length} из ${formatNumber(page.total)}; уточните запрос.`)
        : null);
    } catch (err) {
      if (mine === requestNo) replace(results, h('li', { class: 'field__error' }, errorText(err)));
    }
  }

  let debounce = null;
  input.addEventListener('input', () => { clearTimeout(debounce); debounce = setTimeout(find, 300); });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') { e.preventDefault(); clearTimeout(debounce); find(); }
  });
  return {
    input,
    results,
    find,
    clear() { clearTimeout(debounce); requestNo += 1; input.value = ''; replace(results); },
  };
}
