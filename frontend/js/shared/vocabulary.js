// The one vocabulary of statuses: for every object, each status code has one
// Russian label and one badge colour, so a status reads the same on every
// screen. The wording follows the domain and the exports of the database
// («Программ на согласовании», «Дефицитов открыто»).

import { h } from './dom.js';

/**
 * object → {status code → [label, badge kind]}, codes in their display order.
 * Badge kinds: ok, info, warn, danger, off (app.css .badge--*).
 */
const VOCABULARY = Object.freeze({
  account: { active: ['Активна', 'ok'], disabled: ['Отключена', 'off'] }, // is_active of a user
  instrument: { draft: ['черновик', 'off'], published: ['опубликован', 'ok'] },
  campaign: { planned: ['запланирована', 'info'], open: ['идёт', 'ok'], closed: ['завершена', 'off'] },
  // not_started: a targeted school without a submission.
  submission: {
    not_started: ['не начата', 'off'], draft: ['заполняется', 'info'], submitted: ['на проверке', 'warn'],
    returned: ['возвращена на доработку', 'danger'], accepted: ['принята', 'ok'],
  },
  // not_started: a school with deficits and no program.
  program: {
    not_started: ['не составлена', 'danger'], draft: ['черновик', 'info'], submitted: ['на согласовании', 'warn'],
    returned: ['возвращена на доработку', 'danger'], approved: ['утверждена', 'ok'],
    superseded: ['заменена новой редакцией', 'off'],
  },
  measure: {
    planned: ['запланировано', 'off'], in_progress: ['выполняется', 'info'], done: ['выполнено', 'ok'],
    not_done: ['не выполнено', 'danger'],
  },
  deficit: { open: ['открыт', 'danger'], in_work: ['в работе', 'info'], eliminated: ['устранён', 'ok'], closed: ['закрыт', 'off'] },
  // An assignment record: the status of its last report until the issuer reviews a done one.
  record: {
    not_started: ['не начато', 'off'], in_progress: ['в работе', 'info'], done: ['выполнено, на проверке', 'warn'],
    returned: ['возвращено на доработку', 'danger'], accepted: ['принято', 'ok'],
  },
  // What an executor reports.
  report: { not_started: ['не начато', 'off'], in_progress: ['в работе', 'info'], done: ['выполнено', 'ok'] },
});

/** code → label of one object's statuses, frozen, in display order (for selects and legends). */
export function statusLabels(object) {
  return Object.freeze(Object.fromEntries(
    Object.entries(VOCABULARY[object]).map(([code, [label]]) => [code, label])));
}

/** The status codes of an object in display order. */
export function statusCodes(object) {
  return Object.freeze(Object.keys(VOCABULARY[object]));
}

/** The Russian label of a status; the raw code for an unknown one. */
export function statusLabel(object, status) {
  return VOCABULARY[object][status]?.[0] ?? String(status ?? '');
}

/** A coloured badge (kind: ok, info, warn, danger, off); testId becomes data-testid. */
export function badge(kind, text, testId) {
  return h('span', { class: ['badge', `badge--${kind}`], 'data-testid': testId || null }, text);
}

/**
 * The badge of an object's status, data-testid "<object>-status"; an em dash
 * for no status.
 */
export function statusBadge(object, status) {
  if (!status) return h('span', { class: 'muted' }, '—');
  const kind = VOCABULARY[object][status]?.[1] ?? 'off';
  return badge(kind, statusLabel(object, status), `${object}-status`);
}

/** «критический» beside an indicator. */
export function criticalBadge(testId) {
  return badge('danger', 'критический', testId);
}
