// Shared wording and small builders of the development-program screens
// (issue 4): Russian names and badges of program, measure and deficit
// statuses, the deficit-state counts, the history, comments and revisions of
// a program, and the deficits of a program grouped by direction.

import { h } from './shared/dom.js';
import { formatDate, formatDateTime, formatNumber } from './shared/format.js';
import { byWhom } from './diagnostics.js';
import { statusBadge, statusLabel, statusCodes } from './shared/vocabulary.js';

/** «Открыто 3 · в работе 5 · устранено 2 · закрыто 0» as a row of figures; null without states. */
export function deficitStates(states, { caption = 'Дефициты по состоянию' } = {}) {
  if (!states || typeof states !== 'object') return null;
  const names = { open: 'открыты', in_work: 'в работе', eliminated: 'устранены', closed: 'закрыты' };
  return h('div', { class: 'states', 'data-testid': 'deficit-states', role: 'group', 'aria-label': caption },
    h('span', { class: 'states__caption' }, `${caption}:`),
    statusCodes('deficit').map((s) => h('span', { class: ['states__item', `states__item--${s}`], 'data-state': s },
      h('span', { class: 'states__value' }, formatNumber(Number(states[s] ?? 0))),
      ` ${names[s]}`)));
}

/** «01.01.2026 – 31.12.2027». */
export function programPeriod(p) {
  if (!p?.period_start && !p?.period_end) return '—';
  return `${formatDate(p.period_start)} – ${formatDate(p.period_end)}`;
}

/** «ред. 2» for a revision after the first, else ''. */
export function revisionLabel(p) {
  return p?.revision > 1 ? `редакция ${p.revision}` : '';
}

const HISTORY_ACTION = Object.freeze({
  create: 'Программа создана',
  submit: 'Отправлена на согласование',
  approve: 'Утверждена',
  return: 'Возвращена на доработку',
  revise: 'Начата новая редакция',
  supersede: 'Заменена утверждённой новой редакцией',
  attach: 'Прикреплён файл',
  detach: 'Удалён файл',
});

/** The history of a program (oldest first) with the comments of returns. */
export function programHistory(program) {
  const history = Array.isArray(program?.history) ? program.history : [];
  if (!history.length) return h('p', { class: 'muted' }, 'История пуста.');
  return h('ol', { class: 'history', 'data-testid': 'program-history' }, history.map((e) => h('li', { 'data-action': e.action || '' },
    h('span', { class: 'history__when' }, e.at ? formatDateTime(e.at) : ''),
    h('span', { class: 'history__what' }, HISTORY_ACTION[e.action] || statusLabel('program', e.status) || e.status || ''),
    byWhom(e.by) ? h('span', { class: 'history__who muted' }, byWhom(e.by)) : null,
    e.comment ? h('blockquote', { class: 'history__comment' }, e.comment) : null)));
}

/** The latest «return» step of the history, or null. */
export function lastReturn(program) {
  const history = Array.isArray(program?.history) ? program.history : [];
  for (let i = history.length - 1; i >= 0; i -= 1) {
    if (history[i].action === 'return' || (!history[i].action && history[i].status === 'returned')) return history[i];
  }
  return null;
}

/** Comments, oldest first. */
export function commentsList(comments) {
  const list = Array.isArray(comments) ? comments : [];
  if (!list.length) return h('p', { class: 'muted', 'data-testid': 'no-comments' }, 'Комментариев нет.');
  return h('ol', { class: 'comments', 'data-testid': 'program-comments' }, list.map((c) => h('li', { class: 'comment', 'data-comment-id': c.id },
    h('p', { class: 'comment__head' },
      h('span', { class: 'comment__who' }, byWhom(c.by) || 'Пользователь'),
      h('span', { class: 'muted small' }, c.at ? ` · ${formatDateTime(c.at)}` : '')),
    h('p', { class: 'comment__text' }, c.text))));
}

/** The revisions of the school's program for the campaign, the current one marked. */
export function revisionsList(program) {
  const list = Array.isArray(program?.revisions) ? program.revisions : [];
  if (list.length <= 1) return null;
  return h('ol', { class: 'revisions', 'data-testid': 'program-revisions' }, list.map((r) => {
    const current = String(r.id) === String(program.id);
    const label = `Редакция ${r.revision}`;
    return h('li', { 'data-revision': r.revision },
      current ? h('strong', { 'aria-current': 'page' }, label) : h('a', { href: `#/programs/${r.id}` }, label),
      ' ', statusBadge('program', r.status),
      r.decided_at ? h('span', { class: 'muted small' }, ` · решение ${formatDate(r.decided_at)}`) : null,
      current ? h('span', { class: 'muted small' }, ' · открыта сейчас') : null);
  }));
}


/**
 * Groups deficits (items of program.deficits or /schools/{id}/deficits) by
 * direction in the order they come (critical first within the API's order is
 * kept inside each group): [{direction_id, direction_code, direction_title, items}].
 */
export function byDirection(items) {
  const groups = new Map();
  for (const d of items || []) {
    const key = String(d.direction_id ?? d.direction_code ?? '');
    if (!groups.has(key)) {
      groups.set(key, {
        direction_id: d.direction_id, direction_code: d.direction_code || '', direction_title: d.direction_title || 'Без направления', items: [],
      });
    }
    groups.get(key).items.push(d);
  }
  return [...groups.values()];
}

/** «Z02» + the wording, shortened for a line. */
export function shortText(text, max = 140) {
  const t = String(text ?? '');
  return t.length > max ? `${t.slice(0, max - 1).trimEnd()}…` : t;
}

/** Does a deficit still need a measure before submitting (a `deficit`-kind row, open or in work)? */
export function needsMeasure(d) {
  return d.kind === 'deficit' && (!d.status || d.status === 'open' || d.status === 'in_work');
}

/** A message carried to the next render of one program (e.g. after creating or revising it). */
export const programFlash = {
  id: null,
  message: null,
  set(id, message) { this.id = String(id); this.message = message; },
  /** The message for program id, once; null for any other. */
  take(id) {
    if (this.id !== String(id)) return null;
    const m = this.message;
    this.id = null;
    this.message = null;
    return m;
  },
};
