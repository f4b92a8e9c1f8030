// The application shell: restores the session, draws the header and the menu for
// the user's role, and routes location.hash to one page module per screen.
//
// Routes: #/login, #/schools, #/schools/{id}, #/users, #/users/new, #/users/{id},
// #/account; with DIAGNOSTICS_ENABLED also #/instruments[/{id}],
// #/campaigns[/new|/{id}], #/diagnostics[/{campaign_id}], #/review[/{id}] and
// #/deficits; with EXECUTION_ENABLED #/assignments[/{id}], #/documents[/new|/{id}],
// #/roadmap and #/projects[/{id}]; with REPORTS_ENABLED #/dashboard (committee,
// ЛОИРО, municipality) and #/schools/{id}/card (all four roles); with PROGRAMS_ENABLED
// #/programs[/{id}], #/practices[/new|/{id}] and #/partnerships. Query parameters after the path
// (#/schools?q=…&offset=50) keep a screen's filters across reloads.

import { h, replace } from './shared/dom.js';
import { ApiError, currentUser, logout, onSessionChange, refreshSession } from './api.js';
import { roleName, formatDateTime } from './shared/format.js';
import { errorPage } from './pages/error.js';
import { DIAGNOSTICS_ENABLED, EXECUTION_ENABLED, PROGRAMS_ENABLED } from './features.js';
import { REPORTS_ENABLED } from './features.js';

const PRODUCT = 'Ориентир';

/** [pattern, loader, options]; options.roles limits the route to those roles. */
const BASE_ROUTES = [
  [/^\/login$/, () => import('./pages/login.js'), { public: true }],
  [/^\/schools$/, () => import('./pages/schools.js'), {}],
  [/^\/schools\/(?<id>\d+)$/, () => import('./pages/school.js'), {}],
  [/^\/users$/, () => import('./pages/users.js'), { roles: ['committee', 'municipality'], view: 'list' }],
  [/^\/users\/new$/, () => import('./pages/users.js'), { roles: ['committee', 'municipality'], view: 'create' }],
  [/^\/users\/(?<id>\d+)$/, () => import('./pages/users.js'), { roles: ['committee', 'municipality'], view: 'card' }],
  [/^\/account$/, () => import('./pages/account.js'), {}],
];

// ——— Self-diagnostics (issue 3): routes and menu items, on only when
// DIAGNOSTICS_ENABLED (features.js) says the backend serves them.
const REGION = ['committee', 'loiro'];
const REVIEWERS = ['committee', 'loiro', 'municipality'];
const DIAGNOSTICS_ROUTES = [
  [/^\/instruments$/, () => import('./pages/instruments.js'), { roles: REGION, view: 'list' }],
  [/^\/instruments\/(?<id>\d+)$/, () => import('./pages/instruments.js'), { roles: REGION, view: 'card' }],
  [/^\/campaigns$/, () => import('./pages/campaigns.js'), { roles: REGION, view: 'list' }],
  [/^\/campaigns\/new$/, () => import('./pages/campaigns.js'), { roles: REGION, view: 'create' }],
  [/^\/campaigns\/(?<id>\d+)$/, () => import('./pages/campaigns.js'), { roles: REGION, view: 'card' }],
  [/^\/diagnostics$/, () => import('./pages/diagnostics.js'), { roles: ['school'] }],
  [/^\/diagnostics\/(?<id>\d+)$/, () => import('./pages/questionnaire.js'), { roles: ['school'] }],
  [/^\/review$/, () => import('./pages/review.js'), { roles: REVIEWERS, view: 'list' }],
  [/^\/review\/(?<id>\d+)$/, () => import('./pages/review.js'), { roles: REVIEWERS, view: 'card' }],
  [/^\/deficits$/, () => import('./pages/deficits.js'), {}],
];

/** The self-diagnostics menu items of a role, placed before «Мой профиль». */
function diagnosticsMenu(user) {
  if (user.role === 'school') {
    return [
      { href: '#/diagnostics', label: 'Самодиагностика', match: /^\/diagnostics/ },
      { href: '#/deficits', label: 'Дефициты', match: /^\/deficits/ },
    ];
  }
  if (user.role === 'municipality') {
    return [
      { href: '#/review', label: 'Проверка самодиагностики', match: /^\/review/ },
      { href: '#/deficits', label: 'Дефициты', match: /^\/deficits/ },
    ];
  }
  // The schools' submissions (#/review) open from a campaign; no menu item of their own,
  // so that the menu still fits a 1366-pixel screen.
  return [
    { href: '#/instruments', label: 'Инструменты', match: /^\/instruments/ },
    { href: '#/campaigns', label: 'Кампании', match: /^\/(campaigns|review)/ },
    { href: '#/deficits', label: 'Дефициты', match: /^\/deficits/ },
  ];
}

// ——— Projects and control of execution (issue 5): on only when
// EXECUTION_ENABLED (features.js) says the backend serves them.
const EXECUTION_ROUTES = [
  [/^\/assignments$/, () => import('./pages/assignments.js'), { view: 'list' }],
  [/^\/assignments\/(?<id>\d+)$/, () => import('./pages/assignments.js'), { view: 'card' }],
  [/^\/documents$/, () => import('./pages/documents.js'), { roles: REGION, view: 'list' }],
  [/^\/documents\/new$/, () => import('./pages/documents.js'), { roles: ['committee'], view: 'create' }],
  [/^\/documents\/(?<id>\d+)$/, () => import('./pages/documents.js'), { view: 'card' }],
  [/^\/roadmap$/, () => import('./pages/documents.js'), { roles: ['municipality'], view: 'roadmap' }],
  [/^\/projects$/, () => import('./pages/projects.js'), { view: 'list' }],
  [/^\/projects\/(?<id>\d+)$/, () => import('./pages/projects.js'), { view: 'card' }],
];

/** The execution menu items of a role, placed before «Мой профиль». */
function executionMenu(user) {
  const items = [{ href: '#/assignments', label: 'Поручения', match: /^\/assignments/ }];
  if (REGION.includes(user.role)) {
    items.push({ href: '#/documents', label: 'Контроль исполнения', match: /^\/documents/ });
  }
  if (user.role === 'municipality') {
    items.push({ href: '#/roadmap', label: 'Дорожная карта', match: /^\/roadmap/ });
  }
  items.push({ href: '#/projects', label: 'Проекты', match: /^\/projects/ });
  return items;
}

// ——— Monitoring summaries (issue 6): on only when REPORTS_ENABLED (features.js)
// says the backend serves /reports/* and /schools/{id}/card.
const REPORTS_ROUTES = [
  [/^\/dashboard$/, () => import('./pages/dashboard.js'), { roles: REVIEWERS }],
  [/^\/schools\/(?<id>\d+)\/card$/, () => import('./pages/school-card.js'), {}],
];

/** The monitoring menu item of a role, placed after «Школы» / «Моя школа». */
function reportsMenu(user) {
  if (user.role === 'school') {
    return user.school_id
      ? [{ href: `#/schools/${user.school_id}/card`, label: 'Карточка школы', match: /^\/schools\/\d+\/card/ }]
      : [];
  }
  return [{ href: '#/dashboard', label: 'Мониторинг', match: /^\/(dashboard|schools\/\d+\/card)/ }];
}

// ——— Development programs (issue 4): on only when PROGRAMS_ENABLED
// (features.js) says the backend serves /programs, /practices and /partnerships.
const PROGRAMS_ROUTES = [
  [/^\/programs$/, () => import('./pages/programs.js'), {}],
  [/^\/programs\/(?<id>\d+)$/, () => import('./pages/program.js'), {}],
  [/^\/practices$/, () => import('./pages/practices.js'), { view: 'list' }],
  [/^\/practices\/new$/, () => import('./pages/practices.js'), { roles: ['loiro'], view: 'create' }],
  [/^\/practices\/(?<id>\d+)$/, () => import('./pages/practices.js'), { view: 'card' }],
  [/^\/partnerships$/, () => import('./pages/partnerships.js'), {}],
];

/**
 * The programs menu items of a role, placed after the self-diagnostics ones.
 * «Наставничество» and (except for ЛОИРО, who keeps it) «Практики» open from
 * the programs page so that the menu still fits a 1366-pixel screen; the
 * programs item stays marked there.
 */
function programsMenu(user) {
  if (user.role === 'loiro') {
    return [
      { href: '#/programs', label: 'Программы развития', match: /^\/(programs|partnerships)/ },
      { href: '#/practices', label: 'Практики', match: /^\/practices/ },
    ];
  }
  const label = user.role === 'school' ? 'Программа развития' : 'Программы развития';
  return [{ href: '#/programs', label, match: /^\/(programs|partnerships|practices)/ }];
}

const ROUTES = [
  ...(REPORTS_ENABLED ? REPORTS_ROUTES : []),
  ...BASE_ROUTES,
  ...(DIAGNOSTICS_ENABLED ? DIAGNOSTICS_ROUTES : []),
  ...(EXECUTION_ENABLED ? EXECUTION_ROUTES : []),
  ...(PROGRAMS_ENABLED ? PROGRAMS_ROUTES : []),
];

/** The menu of each role: only features that exist. */
function menuFor(user) {
  const items = [];
  if (user.role === 'school' && user.school_id) {
    items.push({ href: `#/schools/${user.school_id}`, label: 'Моя школа', match: /^\/schools(?!\/\d+\/card)/ });
  } else {
    items.push({ href: '#/schools', label: 'Школы', match: /^\/schools(?!\/\d+\/card)/ });
  }
  if (REPORTS_ENABLED) items.push(...reportsMenu(user));
  if (user.role === 'committee' || user.role === 'municipality') {
    items.push({ href: '#/users', label: 'Пользователи', match: /^\/users/ });
  }
  if (DIAGNOSTICS_ENABLED) items.push(...diagnosticsMenu(user));
  if (PROGRAMS_ENABLED) items.push(...programsMenu(user));
  if (EXECUTION_ENABLED) items.push(...executionMenu(user));
  items.push({ href: '#/account', label: 'Мой профиль', match: /^\/account/ });
  return items;
}

/** Where a user lands after signing in or on an empty hash. */
function homeFor(user) {
  if (user?.role === 'school' && user.school_id) return `#/schools/${user.school_id}`;
  return '#/schools';
}

const headerEl = document.getElementById('app-header');
const mainEl = document.getElementById('main');
const printInfoEl = document.getElementById('print-info');

let renderToken = 0;
/** The hash to return to after signing in. */
let returnTo = null;
let firstRender = true;

function parseHash() {
  const raw = location.hash.replace(/^#/, '') || '/';
  const q = raw.indexOf('?');
  const path = q === -1 ? raw : raw.slice(0, q);
  const query = Object.fromEntries(new URLSearchParams(q === -1 ? '' : raw.slice(q + 1)));
  return { path, query };
}

/** Changes the query of the current route without re-rendering (history.replaceState). */
function setQuery(query) {
  const { path } = parseHash();
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== null && v !== undefined && v !== '' && v !== 0 && v !== '0') params.set(k, String(v));
  }
  const qs = params.toString();
  history.replaceState(null, '', `#${path}${qs ? `?${qs}` : ''}`);
}

function navigate(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

function setTitle(title) {
  document.title = title ? `${title} — ${PRODUCT}` : PRODUCT;
}

function renderHeader(user) {
  if (!user) {
    headerEl.hidden = true;
    replace(headerEl);
    return;
  }
  const { path } = parseHash();
  const nav = h('nav', { class: 'app-nav', 'aria-label': 'Основное меню' },
    h('ul', null, menuFor(user).map((item) => h('li', null,
      h('a', {
        href: item.href,
        'aria-current': item.match.test(path) ? 'page' : null,
      }, item.label)))));
  replace(headerEl,
    h('div', { class: 'app-header__bar' },
      h('div', { class: 'app-header__inner' },
        h('a', { class: 'brand', href: homeFor(user) },
          h('span', { class: 'brand__mark', 'aria-hidden': 'true' }),
          h('span', { class: 'brand__text' },
            h('span', { class: 'brand__name' }, PRODUCT),
            h('span', { class: 'brand__sub' }, 'управление качеством образования'))),
        h('div', { class: 'session' },
          h('div', { class: 'session__who' },
            h('span', { class: 'session__name', 'data-testid': 'user-name' }, user.full_name),
            h('span', { class: 'session__org' },
              h('span', { 'data-testid': 'user-org' }, user.organisation_name || ''),
              h('span', { class: 'session__role', 'data-testid': 'user-role' }, roleName(user.role)))),
          h('button', { type: 'button', class: 'btn btn--header', onclick: signOut }, 'Выйти')))),
    h('div', { class: 'app-header__navbar' }, h('div', { class: 'app-header__inner' }, nav)));
  headerEl.hidden = false;
}

function updatePrintInfo() {
  const user = currentUser();
  const parts = [`«${PRODUCT}»`, `сформировано ${formatDateTime(new Date())} (МСК)`];
  if (user) parts.push(`${user.full_name}, ${user.organisation_name || roleName(user.role)}`);
  printInfoEl.textContent = parts.join(' · ');
}

async function signOut() {
  await logout();
  returnTo = null;
  navigate('#/login');
}

function showLoading() {
  replace(mainEl, h('p', { class: 'loading', role: 'status' }, 'Загрузка…'));
}

/** Puts a page (or an error page) into <main> and moves focus to its heading. */
function show(node, title) {
  replace(mainEl, node);
  setTitle(title);
  updatePrintInfo();
  if (!firstRender) {
    const target = mainEl.querySelector('[autofocus]') || mainEl.querySelector('h1');
    if (target) {
      if (!target.hasAttribute('tabindex') && target.tagName === 'H1') target.setAttribute('tabindex', '-1');
      target.focus({ preventScroll: false });
    }
  }
  firstRender = false;
}

function showError(err, token) {
  if (token !== renderToken) return;
  if (err instanceof ApiError && err.status === 401) {
    // The session ended (e.g. the user was deactivated); the session listener redirects.
    if (currentUser()) navigate('#/login');
    return;
  }
  // Anything but an API answer is a bug in the frontend: say so loudly.
  if (!(err instanceof ApiError)) console.error(err);
  const page = errorPage(err, { retry: route, home: homeFor(currentUser()) });
  show(page.node, page.title);
}

async function route() {
  const token = ++renderToken;
  const { path, query } = parseHash();
  const user = currentUser();

  if (path === '/' || path === '') {
    location.replace(user ? homeFor(user) : '#/login');
    return;
  }
  const found = ROUTES.map(([re, load, opts]) => ({ m: re.exec(path), load, opts })).find((r) => r.m);

  if (!user && !(found && found.opts.public)) {
    returnTo = location.hash;
    location.replace('#/login');
    return;
  }
  if (user && found?.opts.public) {
    location.replace(homeFor(user));
    return;
  }
  renderHeader(user);
  if (!found) {
    showError(new ApiError({ status: 404, code: 'not_found' }), token);
    return;
  }
  if (found.opts.roles && !found.opts.roles.includes(user.role)) {
    showError(new ApiError({ status: 403, code: 'auth.forbidden' }), token);
    return;
  }
  showLoading();
  try {
    const mod = await found.load();
    const ctx = {
      user,
      params: found.m.groups || {},
      query,
      view: found.opts.view,
      setQuery,
      navigate,
      /** For the sign-in page: where to go after success. */
      afterLogin: (u) => { const to = returnTo || homeFor(u); returnTo = null; navigate(to); },
      /** True while this render is still the current one (async pages check before touching the DOM). */
      isCurrent: () => token === renderToken,
      setTitle,
    };
    const page = await mod.render(ctx);
    if (token !== renderToken) return;
    show(page.node, page.title);
  } catch (err) {
    showError(err, token);
  }
}

onSessionChange((user) => {
  if (!user) {
    renderHeader(null);
    const { path } = parseHash();
    if (path !== '/login') {
      returnTo = location.hash;
      location.replace('#/login');
    }
  }
});

document.getElementById('skip-link').addEventListener('click', (e) => {
  e.preventDefault();
  const target = mainEl.querySelector('h1') || mainEl;
  if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
  target.focus();
});

window.addEventListener('hashchange', route);
window.addEventListener('beforeprint', updatePrintInfo);

/** Restores the session from the refresh cookie, then routes. */
async function boot() {
  showLoading();
  try {
    await refreshSession();
  } catch (err) {
    const page = errorPage(err, { retry: boot, home: null });
    show(page.node, page.title);
    return;
  }
  route();
}

boot();
