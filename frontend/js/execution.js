// Shared wording and small builders of the control-of-execution screens
// (issue 5): Russian names of document kinds, record statuses and project
// groups, deadline badges («просрочено», «срок через 3 дня»), executor names
// and the parser of items pasted in bulk («номер<TAB>содержание<TAB>срок»).

import { formatDate, formatNumber, parseDate, plural } from './shared/format.js';
import { badge } from './shared/vocabulary.js';

export const DOCUMENT_KINDS = Object.freeze({
  order: 'приказ',
  decision: 'решение',
  plan: 'план-график',
  letter: 'письмо',
  roadmap: 'дорожная карта',
});
/** Kinds the committee registers (a road map is a municipality's own). */
export const COMMITTEE_KINDS = Object.freeze(['order', 'decision', 'plan', 'letter']);

export const PROJECT_GROUPS = Object.freeze({
  low_results: 'низкие образовательные результаты',
  risk_zone: 'в зоне риска по снижению образовательных результатов',
  academic_failure: 'признаки учебной неуспешности',
});
export const PROJECT_GROUP_CODES = Object.freeze(['low_results', 'risk_zone', 'academic_failure']);

export const EXECUTOR_KINDS = Object.freeze({
  committee: 'Комитет',
  loiro: 'ЛОИРО',
  all_municipalities: 'Все муниципалитеты',
  municipality: 'Муниципалитет',
  school: 'Школа',
});

/** «Приказ», «Дорожная карта» (capitalised kind). */
export function kindName(kind) {
  const name = DOCUMENT_KINDS[kind] ?? String(kind ?? '');
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** «Приказ № 1584-р от 20.06.2023». */
export function documentLabel(doc) {
  if (!doc) return '';
  const parts = [kindName(doc.kind)];
  if (doc.number) parts.push(`№\u00a0${doc.number}`);
  if (doc.date) parts.push(`от\u00a0${formatDate(doc.date)}`);
  return parts.join(' ');
}

/** The executor's name; a name the caller cannot see falls back to the kind. */
export function executorName(executor) {
  if (!executor) return '—';
  return executor.name || EXECUTOR_KINDS[executor.kind] || String(executor.kind ?? '—');
}

/** Today in Moscow as YYYY-MM-DD (the API computes overdue in Europe/Moscow). */
export function moscowToday() {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Moscow', year: 'numeric', month: '2-digit', day: '2-digit',
  }).formatToParts(new Date());
  const get = (t) => parts.find((p) => p.type === t).value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** Whole days from today (Moscow) to a YYYY-MM-DD date; negative when past. */
export function daysUntil(iso) {
  if (!iso) return null;
  const toUtc = (s) => Date.UTC(Number(s.slice(0, 4)), Number(s.slice(5, 7)) - 1, Number(s.slice(8, 10)));
  return Math.round((toUtc(iso) - toUtc(moscowToday())) / 86400000);
}

/** The deadline in words: «31.12.2025», or «в течение 2025 года (до 31.12.2025)». */
export function deadlineText(x) {
  if (!x || (!x.deadline && !x.deadline_text)) return 'без срока';
  if (x.deadline_text) return x.deadline ? `${x.deadline_text} (до ${formatDate(x.deadline)})` : x.deadline_text;
  return formatDate(x.deadline);
}

/**
 * The badge of an overdue or soon-due item or record (x.overdue and x.due_soon
 * come from the API), or null. «просрочено», «срок сегодня», «срок через 3 дня».
 */
export function dueBadge(x) {
  if (!x) return null;
  if (x.overdue) return badge('danger', 'просрочено', 'overdue-badge');
  if (x.due_soon) {
    const n = daysUntil(x.deadline);
    const text = n === null ? 'срок в ближайшие 7 дней' : n <= 0 ? 'срок сегодня'
      : `срок через ${formatNumber(n)}\u00a0${plural(n, ['день', 'дня', 'дней'])}`;
    return badge('warn', text, 'due-soon-badge');
  }
  return null;
}

/** The CSS class of a table row: overdue and soon-due rows stand out. */
export function dueRowClass(x) {
  if (x?.overdue) return 'row--overdue';
  if (x?.due_soon) return 'row--soon';
  return null;
}

/** Counts of records: «принято 2 · на проверке 1 · в работе 3 · просрочено 1 из 18». */
export function countsText(c) {
  if (!c || !c.total) return 'поручений нет';
  const parts = [];
  const add = (n, label) => { if (n) parts.push(`${label} ${formatNumber(n)}`); };
  add(c.accepted, 'принято');
  add(c.done, 'на проверке');
  add(c.in_progress, 'в работе');
  add(c.returned, 'возвращено');
  add(c.not_started, 'не начато');
  return `${parts.join(' · ')} (всего ${formatNumber(c.total)})`;
}

/** Counts of a list of records (tree assignments or list items). */
export function countRecords(records) {
  const c = { total: 0, not_started: 0, in_progress: 0, done: 0, accepted: 0, returned: 0, overdue: 0, due_soon: 0 };
  for (const r of records) {
    c.total += 1;
    if (r.status in c) c[r.status] += 1;
    if (r.overdue) c.overdue += 1;
    if (r.due_soon) c.due_soon += 1;
  }
  return c;
}

// ——— Items pasted in bulk

const ROMAN = { I: 1, II: 2, III: 3, IV: 4 };

/**
 * A deadline as people write it → {deadline?, deadline_text?} or {error}.
 * «31.12.2025» → a date; «в течение 2025 года», «2025 год» → the year's last
 * day with the words kept; «IV квартал 2025 года» → the quarter's last day;
 * words with a date inside («до 01.09.2025», «ежегодно, до 20.12.2025») →
 * that date with the words kept; empty → no deadline.
 */
export function parseDeadline(text) {
  const t = String(text ?? '').trim().replace(/\s+/g, ' ');
  if (!t) return {};
  const plain = parseDate(t);
  if (plain) return { deadline: plain };
  const words = t.length > 200 ? null : t;
  const inside = /(\d{1,2}\.\d{1,2}\.\d{4})/.exec(t);
  if (inside) {
    const d = parseDate(inside[1]);
    if (d && words) return { deadline: d, deadline_text: words };
  }
  const quarter = /\b(I|II|III|IV)\s+квартал\w*\s+(\d{4})/iu.exec(t);
  if (quarter && words) {
    const q = ROMAN[quarter[1].toUpperCase()];
    const y = quarter[2];
    const last = ['03-31', '06-30', '09-30', '12-31'][q - 1];
    return { deadline: `${y}-${last}`, deadline_text: words };
  }
  const year = /(\d{4})\s*(г\.|год|года|году)?/u.exec(t);
  if (year && words && /год|г\./u.test(t)) return { deadline: `${year[1]}-12-31`, deadline_text: words };
  return { error: 'срок: дата ДД.ММ.ГГГГ или период вида «в течение 2025 года», «IV квартал 2025 года»' };
}

/**
 * Parses pasted lines «номер<TAB>содержание<TAB>срок» (the deadline may be
 * empty). Empty lines are skipped. Returns {items, lines, errors}: items as the
 * API takes them, lines[i] = the line number of items[i], errors = [{line,
 * message}] found here (the server checks the rest).
 */
export function parseBulkItems(text) {
  const items = [];
  const lines = [];
  const errors = [];
  String(text ?? '').split(/\r?\n/).forEach((raw, k) => {
    const line = k + 1;
    if (!raw.trim()) return;
    const cols = raw.split('\t').map((c) => c.trim());
    if (cols.length < 2) {
      errors.push({ line, message: 'нужны номер и содержание, разделённые табуляцией' });
      return;
    }
    if (cols.length > 3) {
      errors.push({ line, message: `лишние столбцы (${cols.length}); ожидаются номер, содержание и срок` });
      return;
    }
    const [number, content, deadline = ''] = cols;
    const problems = [];
    if (!number) problems.push('не указан номер пункта');
    else if (!/^\d{1,3}(\.\d{1,3}){0,5}\.?$/.test(number)) problems.push(`номер «${number}» — ожидаются числа до 999 через точку, например 2.1.3`);
    if (!content) problems.push('не указано содержание');
    const d = parseDeadline(deadline);
    if (d.error) problems.push(d.error);
    if (problems.length) {
      errors.push({ line, message: problems.join('; ') });
      return;
    }
    const item = { number: number.replace(/\.$/, ''), content };
    if (d.deadline) item.deadline = d.deadline;
    if (d.deadline_text) item.deadline_text = d.deadline_text;
    items.push(item);
    lines.push(line);
  });
  return { items, lines, errors };
}

/** «items[3].deadline» → {index: 3, field: 'deadline'}, or null. */
export function bulkErrorPath(field) {
  const m = /^items\[(\d+)\](?:\.(.+))?$/.exec(String(field ?? ''));
  return m ? { index: Number(m[1]), field: m[2] || '' } : null;
}

/** Depth of an item number: «2» → 0, «2.1.3» → 2. */
export function itemDepth(number) {
  return Math.max(0, String(number ?? '').split('.').length - 1);
}
