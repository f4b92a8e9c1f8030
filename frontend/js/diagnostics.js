// Shared wording and small builders of the self-diagnostics screens: Russian
// names of statuses and levels, their badges, percentages, the instrument tree
// as lookup maps, the history of a submission and the download of a JSON file.

import { h, saveBlob } from './shared/dom.js';
import { api } from './api.js';
import { formatDate, formatDateTime, formatNumber, LEVELS } from './shared/format.js';
import { statusLabel } from './shared/vocabulary.js';

/** Levels from the lowest; the API's codes → Russian names. */
export const RESULT_LEVELS = Object.freeze(['below_basic', 'basic', 'medium', 'high']);
export const LEVEL_NAMES = Object.freeze({
  below_basic: 'ниже базового', basic: 'базовый', medium: 'средний', high: 'высокий',
});

export function levelName(level) {
  return LEVEL_NAMES[level] ?? '—';
}

/** A level as a coloured badge (data-level keeps the code for tests and print). */
export function levelBadge(level) {
  if (!level) return h('span', { class: 'muted' }, '—');
  return h('span', { class: ['level', `level--${level}`], 'data-level': level }, levelName(level));
}

const percentFmt = new Intl.NumberFormat('ru-RU', { maximumFractionDigits: 1 });
/** «35,2 %» (a no-break space before the sign), «—» when the whole is 0. */
export function percent(part, whole) {
  if (!whole) return '—';
  return `${percentFmt.format((100 * part) / whole)}\u00a0%`;
}

/** «12 из 40» with no-break spaces. */
export function outOf(part, whole) {
  return `${formatNumber(part)}\u00a0из\u00a0${formatNumber(whole)}`;
}

/** «01.09.2025 – 30.09.2025». */
export function period(opensOn, closesOn) {
  return `${formatDate(opensOn)} – ${formatDate(closesOn)}`;
}

/** «НОО, ООО; с ОВЗ» for applies_to; «все школы» when it fits every school. */
export function appliesToText(appliesTo) {
  if (!appliesTo) return 'все школы';
  const parts = [];
  const levels = Array.isArray(appliesTo.levels) ? appliesTo.levels : [];
  if (levels.length) {
    parts.push(`уровни: ${LEVELS.filter((l) => levels.includes(l.code)).map((l) => l.abbr).join(', ')}`);
  }
  if (appliesTo.ovz === true) parts.push('обучаются дети с ОВЗ');
  if (appliesTo.ovz === false) parts.push('без детей с ОВЗ');
  return parts.length ? parts.join('; ') : 'все школы';
}

/** «shmr, версия 2». */
export function instrumentLabel(i) {
  return `${i.title} (${i.code}, версия ${i.version})`;
}

/** «1 балл», «3 балла», «5 баллов». */
export function pointsText(n) {
  const abs = Math.abs(n) % 100;
  const last = abs % 10;
  let word = 'баллов';
  if (!(abs > 10 && abs < 20)) {
    if (last === 1) word = 'балл';
    else if (last > 1 && last < 5) word = 'балла';
  }
  return `${formatNumber(n)}\u00a0${word}`;
}

/** «12 из 21 показателя», «3 из 40 показателей» (the genitive after «из»). */
export function answeredOf(part, whole) {
  const word = whole % 10 === 1 && whole % 100 !== 11 ? 'показателя' : 'показателей';
  return `${outOf(part, whole)}\u00a0${word}`;
}

/** «из 1 балла», «из 5 баллов», «из 21 балла» (the genitive after «из»). */
export function ofPoints(n) {
  const last = Math.abs(n) % 10;
  const word = last === 1 && Math.abs(n) % 100 !== 11 ? 'балла' : 'баллов';
  return `из\u00a0${formatNumber(n)}\u00a0${word}`;
}

/**
 * Lookup maps of an instrument tree (GET /instruments/{id}):
 * {instrument, directions[], directionById, indicatorById, indicators[] in order,
 *  directionOf(indicatorId)}.
 */
export function indexInstrument(instrument) {
  const directionById = new Map();
  const indicatorById = new Map();
  const indicators = [];
  const directionOfIndicator = new Map();
  for (const d of instrument.directions || []) {
    directionById.set(String(d.id), d);
    for (const x of d.indicators || []) {
      indicatorById.set(String(x.id), x);
      directionOfIndicator.set(String(x.id), d);
      indicators.push(x);
    }
  }
  return {
    instrument,
    directions: instrument.directions || [],
    directionById,
    indicatorById,
    indicators,
    directionOf: (indicatorId) => directionOfIndicator.get(String(indicatorId)) || null,
  };
}

const instrumentCache = new Map();
/** An instrument tree; published instruments never change, so they are kept for the session. */
export async function loadInstrument(id) {
  const key = String(id);
  if (instrumentCache.has(key)) return instrumentCache.get(key);
  const tree = await api.get(`/instruments/${id}`);
  if (tree.status === 'published') instrumentCache.set(key, tree);
  return tree;
}

/** The comment of the latest «returned» step of a submission's history, or null. */
export function lastReturn(submission) {
  const history = Array.isArray(submission?.history) ? submission.history : [];
  for (let i = history.length - 1; i >= 0; i -= 1) {
    if (history[i].status === 'returned') return history[i];
  }
  return null;
}

/** The name of whoever made a step of the history (a name string or a user object). */
function byName(by) {
  if (!by) return '';
  if (typeof by === 'string') return by;
  return by.full_name || by.name || '';
}

/** «Сидорова А. П., Тихвинский муниципальный район» (the name and, when given, the organisation). */
export function byWhom(by) {
  const name = byName(by);
  const org = by && typeof by === 'object' ? by.organisation_name : '';
  return [name, org].filter(Boolean).join(', ');
}

/** Steps of the history: by action (open, submit, accept, return, reopen), else by the status after it. */
const HISTORY_ACTION = Object.freeze({
  open: 'Анкета начата',
  submit: 'Отправлена на проверку',
  accept: 'Принята',
  return: 'Возвращена на доработку',
  reopen: 'Переоткрыта и возвращена на доработку',
});
const HISTORY_STATUS = Object.freeze({
  draft: 'Анкета начата',
  submitted: 'Отправлена на проверку',
  returned: 'Возвращена на доработку',
  accepted: 'Принята',
});

/** The history of a submission as a list (oldest first), with comments. */
export function historyList(submission) {
  const history = Array.isArray(submission?.history) ? submission.history : [];
  if (!history.length) return h('p', { class: 'muted' }, 'История пуста.');
  return h('ol', { class: 'history', 'data-testid': 'submission-history' }, history.map((e) => h('li', null,
    h('span', { class: 'history__when' }, e.at ? formatDateTime(e.at) : ''),
    h('span', { class: 'history__what' }, HISTORY_ACTION[e.action] || HISTORY_STATUS[e.status] || statusLabel('submission', e.status) || e.status),
    byWhom(e.by) ? h('span', { class: 'history__who muted' }, byWhom(e.by)) : null,
    e.comment ? h('blockquote', { class: 'history__comment' }, e.comment) : null)));
}

/**
 * Saves data as a JSON file through a Blob and a temporary <a download>
 * (no inline script, nothing leaves the browser).
 */
export function downloadJson(data, filename) {
  saveBlob(new Blob([`${JSON.stringify(data, null, 2)}\n`], { type: 'application/json' }), filename);
}

/** The files attached to one indicator's answer of a submission (submission.attachments carry indicator_id). */
export function filesOf(submission, indicatorId) {
  return (submission?.attachments || []).filter((a) => String(a.indicator_id) === String(indicatorId));
}

/** A submission from POST /campaigns/{id}/submissions or GET: either bare or {created, submission}. */
export function unwrapSubmission(body) {
  return body && body.submission && !body.answers ? body.submission : body;
}

/**
 * The school's scored results of campaigns that opened before `campaign`,
 * oldest first, at most `limit`: items of GET /schools/{id}/results
 * ({campaign_id, campaign_title, status, total_points, max_points, level,
 * directions: [{code, title, points, max_points, level}]}). The comparison is
 * an addition to the current result, so a failure leaves it out.
 */
export async function loadEarlierResults(schoolId, campaign, limit = 2) {
  try {
    const body = await api.get(`/schools/${schoolId}/results`);
    return (body.items || [])
      .filter((r) => String(r.campaign_id) !== String(campaign.id) && (!r.opens_on || r.opens_on < campaign.opens_on))
      .slice(0, limit)
      .reverse();
  } catch {
    return [];
  }
}
