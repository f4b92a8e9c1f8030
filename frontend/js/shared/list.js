// The one list component of the screens: it reads the filters, the sort and
// the page from the route's query, loads a page of a list endpoint, draws the
// rows, «Показано 1–50 из 312» and the pager, keeps the filters in the URL
// (so reload and back/forward show the same list), marks the list busy while
// a page is on its way, drops answers that a newer request has overtaken,
// and shows a failed reload in an error box instead of the old rows.

import { h, replace } from './dom.js';
import { errorText, formatNumber, rangeText } from './format.js';
import { messageBox } from './forms.js';
import { api } from '../api.js';

/**
 * Draws «← Предыдущая · Страница N из M · Следующая →» into nav, or hides it
 * when everything fits on one page. go(offset) is called on a click; once the
 * page it returns (a promise) is drawn, `top` (the list's first line) is
 * scrolled into view when it is above the window — the pager sits below the
 * rows, and a new page should be read from its beginning.
 */
export function renderPager(nav, { total, offset, limit, go, top }) {
  const pages = Math.ceil(total / limit);
  if (pages <= 1) {
    replace(nav);
    nav.hidden = true;
    return;
  }
  nav.hidden = false;
  const current = Math.floor(offset / limit) + 1;
  const turn = async (to) => {
    await go(to);
    if (top && top.isConnected && top.getBoundingClientRect().top < 0) top.scrollIntoView({ block: 'start' });
  };
  replace(nav,
    h('button', {
      type: 'button', class: 'btn btn--small', disabled: current === 1, onclick: () => turn(offset - limit),
    }, '← Предыдущая'),
    h('span', { class: 'pager__info' }, `Страница ${formatNumber(current)} из ${formatNumber(pages)}`),
    h('button', {
      type: 'button', class: 'btn btn--small', disabled: current === pages, onclick: () => turn(offset + limit),
    }, 'Следующая →'));
}

/** The row of an empty table: one cell across all columns. */
export function emptyRow(colspan, text) {
  return h('tr', null, h('td', { colspan, class: 'empty' }, text));
}

/**
 * latestOnly({busy, box, fetch, draw}) → {load, reload}: the loading of a
 * screen part that the user can ask for again before the last answer came.
 * load() marks `busy` aria-busy, awaits fetch(), and draws the answer only
 * when no newer load() started meanwhile (an overtaken answer is dropped, so
 * a slow old page never replaces a new one); it throws a failure (the first
 * load lets the route show its error page). reload() shows a failure in
 * `box` (a messageBox) instead, with `consequence` (errorText) when the
 * service is unavailable. cancel() drops the answer on its way.
 */
export function latestOnly({ busy, box, fetch, draw, consequence }) {
  let requestNo = 0;
  async function load() {
    const mine = ++requestNo;
    busy.setAttribute('aria-busy', 'true');
    let data;
    try {
      data = await fetch();
    } catch (err) {
      if (mine === requestNo) throw err;
      return; // an overtaken request's failure says nothing about the list shown
    }
    if (mine !== requestNo) return;
    await draw(data);
    if (mine === requestNo) busy.removeAttribute('aria-busy');
  }
  async function reload() {
    box.clear();
    try {
      await load();
    } catch (err) {
      busy.removeAttribute('aria-busy');
      box.show('error', errorText(err, consequence));
    }
  }
  function cancel() {
    requestNo += 1;
    busy.removeAttribute('aria-busy');
  }
  return { load, reload, cancel };
}

/** A non-negative offset from the query, 0 when missing or malformed. */
function parseOffset(raw) {
  return Math.max(0, Number.parseInt(raw, 10) || 0);
}

/**
 * The sort of the query when the route allows it: 'field' or '-field' for a
 * field in `sortable`, else ''. A screen that declares no sortable column
 * never sends `sort` (the API answers 422 to a parameter it does not know).
 */
export function parseSort(raw, sortable) {
  const value = String(raw ?? '');
  return sortable.includes(value.replace(/^-/, '')) ? value : '';
}

/** The arrow and aria-sort of a column header for the list's sort ('field', '-field' or ''). */
function sortMarks(sort, field) {
  if (sort === field) return { arrow: '↑', aria: 'ascending' };
  if (sort === `-${field}`) return { arrow: '↓', aria: 'descending' };
  return { arrow: '↕', aria: null };
}

/**
 * sortHeaders({sortable, current, change}) → {header, mark, sortBy}: the
 * column headers of a list that sorts on the server. current() is the list's
 * sort ('field', '-field' or ''); change(sort) asks for another and reloads.
 * header(label, {sort, ...attrs}) → a <th scope="col">: with `sort` (a field
 * of `sortable`) its label is a button that sorts by the field (again: the
 * other way), with an arrow and aria-sort; mark() brings every header in line
 * with current() (call it after each page drawn). sortBy(field): as a click.
 */
export function sortHeaders({ sortable, current, change }) {
  const headers = new Map(); // field → [th, arrow] of its column header (the latest one, when redrawn)
  function mark() {
    for (const [field, [th, arrow]] of headers) {
      const { arrow: text, aria } = sortMarks(current(), field);
      arrow.textContent = text;
      if (aria) th.setAttribute('aria-sort', aria);
      else th.removeAttribute('aria-sort');
    }
  }
  function sortBy(field) {
    if (!sortable.includes(field)) throw new Error(`the route does not sort by ${field}`);
    return change(current() === field ? `-${field}` : field);
  }
  function header(label, { sort, ...attrs } = {}) {
    if (!sort) return h('th', { scope: 'col', ...attrs }, label);
    if (!sortable.includes(sort)) throw new Error(`the route does not sort by ${sort}`);
    const arrow = h('span', { class: 'sort-button__arrow', 'aria-hidden': 'true' });
    const th = h('th', { scope: 'col', ...attrs, 'data-sort': sort },
      h('button', { type: 'button', class: 'sort-button', onclick: () => sortBy(sort) }, label, arrow));
    headers.set(sort, [th, arrow]);
    mark();
    return th;
  }
  return { header, mark, sortBy };
}

/**
 * searchBox(list, {id, value, placeholder}) → {input, now(text)}: the search field of a list
 * whose route takes `q`; it asks the list for `q` 350 ms after typing stops. now(text) sets the
 * field and asks at once (a submit: the field's text; a reset: '').
 */
export function searchBox(list, { id, value, placeholder }) {
  let debounce = null;
  const input = h('input', {
    id, type: 'search', name: 'q', value, maxlength: 100, autocomplete: 'off', placeholder,
    oninput: () => {
      clearTimeout(debounce);
      debounce = setTimeout(() => list.change('q', input.value), 350);
    },
  });
  function now(text = input.value) {
    clearTimeout(debounce);
    input.value = text;
    list.change('q', text);
  }
  return { input, now };
}

/**
 * listView(ctx, options) → {state, summary, pager, box, load, reload, change, sortBy, header}:
 * a paged list endpoint on a screen.
 *
 * options:
 *  - path: the list endpoint ('/schools');
 *  - filters: name → parse(raw query value) → value ('' for none); the
 *    initial state is read from ctx.query through them;
 *  - defaults: name → the value left out of the URL (default '');
 *  - query(state): the API's query for the filters (default: the filters as
 *    they are); limit, offset and sort are added to it;
 *  - sortable: the fields the route may sort by (its allow-list in
 *    backend/src/routes.c), sent as `sort=field` or `sort=-field`;
 *  - limit (50), body (the tbody or list the rows go into), busy (the element
 *    marked aria-busy, default body);
 *  - row(item, state) → Node; empty(state) → Node for an empty page;
 *  - drawn(page, state): called after a page is drawn (print lines, columns);
 *  - summaryTestId, pagerLabel; box (a messageBox of the page, default a new one).
 *
 * load() throws (for the first load: the route shows its error page); reload()
 * shows a failure in the box. change(name, value) sets a filter, goes back to
 * the first page and reloads. header and sortBy: sortHeaders' for the list.
 */
export function listView(ctx, options) {
  const {
    path, filters = {}, defaults = {}, sortable = [], limit = 50, body, busy = body,
    row, empty, drawn, summaryTestId, pagerLabel,
  } = options;
  const query = options.query || ((s) => Object.fromEntries(Object.keys(filters).map((k) => [k, s[k]])));
  const state = {};
  for (const [name, parse] of Object.entries(filters)) state[name] = parse(ctx.query[name]);
  state.sort = parseSort(ctx.query.sort, sortable);
  state.offset = parseOffset(ctx.query.offset);

  const summary = h('p', { class: 'list-summary', role: 'status', 'aria-live': 'polite', 'data-testid': summaryTestId });
  const pager = h('nav', { class: 'pager', 'aria-label': pagerLabel });
  const box = options.box || messageBox();

  /** The filters as the URL keeps them: defaults and the first page are left out. */
  function urlState() {
    const kept = {};
    for (const name of Object.keys(filters)) {
      if (state[name] !== (defaults[name] ?? '')) kept[name] = state[name];
    }
    return { ...kept, sort: state.sort, offset: state.offset };
  }

  /** Draws a page; a page past the end (the list shrank) sends back to the first. */
  function draw(page) {
    if (page.items.length === 0 && state.offset > 0 && page.total > 0) {
      state.offset = 0;
      return loader.load();
    }
    replace(body, page.items.length ? page.items.map((item) => row(item, state)) : empty(state));
    replace(summary, rangeText(state.offset, page.items.length, page.total));
    renderPager(pager, {
      total: page.total,
      offset: state.offset,
      limit,
      top: summary,
      go: (offset) => { state.offset = offset; return loader.reload(); },
    });
    if (drawn) drawn(page, state);
    sorting.mark();
    if (ctx.isCurrent()) ctx.setQuery(urlState());
    return null;
  }
  const loader = latestOnly({
    busy,
    box,
    fetch: () => api.get(path, { ...query(state), sort: state.sort, limit, offset: state.offset }),
    draw,
  });

  function change(name, value) {
    state[name] = value;
    state.offset = 0;
    return loader.reload();
  }

  // Sorts by a declared field: ascending first, descending on the second call.
  const sorting = sortHeaders({ sortable, current: () => state.sort, change: (sort) => change('sort', sort) });

  return {
    state, summary, pager, box, load: loader.load, reload: loader.reload, change,
    sortBy: sorting.sortBy, header: sorting.header,
  };
}
