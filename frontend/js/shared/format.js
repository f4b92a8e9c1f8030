// Russian wording and formatting shared by the screens: role names, levels of
// education, dates in Moscow time (ДД.ММ.ГГГГ), numbers, file sizes and plural forms.

export const ROLE_NAMES = Object.freeze({
  committee: 'Комитет',
  loiro: 'ЛОИРО',
  municipality: 'Муниципалитет',
  school: 'Школа',
});

export const ROLES = Object.freeze(['committee', 'loiro', 'municipality', 'school']);

/** The role's Russian name, or the raw value for an unknown role. */
export function roleName(role) {
  return ROLE_NAMES[role] ?? String(role ?? '');
}

/** Levels of education in their fixed order: code → abbreviation and full name. */
export const LEVELS = Object.freeze([
  { code: 'primary', abbr: 'НОО', name: 'начальное общее образование' },
  { code: 'basic', abbr: 'ООО', name: 'основное общее образование' },
  { code: 'secondary', abbr: 'СОО', name: 'среднее общее образование' },
]);

/** Normalises education_levels (a JSON array, or a PostgreSQL array literal) to codes. */
export function levelCodes(value) {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string') {
    return value.replace(/[{}\s]/g, '').split(',').filter(Boolean);
  }
  return [];
}

/** «НОО, ООО, СОО» in the fixed order, or an em dash when none. */
export function levelsShort(value) {
  const codes = new Set(levelCodes(value));
  const names = LEVELS.filter((l) => codes.has(l.code)).map((l) => l.abbr);
  return names.length ? names.join(', ') : '—';
}

const MOSCOW = 'Europe/Moscow';
const dateFmt = new Intl.DateTimeFormat('ru-RU', {
  timeZone: MOSCOW, day: '2-digit', month: '2-digit', year: 'numeric',
});
const timeFmt = new Intl.DateTimeFormat('ru-RU', {
  timeZone: MOSCOW, hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
});

/**
 * ДД.ММ.ГГГГ. A plain date 'YYYY-MM-DD' is shown as it is (no time-zone shift);
 * a timestamp or Date is shown in Moscow time.
 */
export function formatDate(value) {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'string') {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    if (m) return `${m[3]}.${m[2]}.${m[1]}`;
  }
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? '—' : dateFmt.format(d);
}

/** ДД.ММ.ГГГГ ЧЧ:ММ in Moscow time. */
export function formatDateTime(value) {
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) return '—';
  return `${dateFmt.format(d)} ${timeFmt.format(d)}`;
}

const numberFmt = new Intl.NumberFormat('ru-RU');
/** 1 234 with a non-breaking space as the group separator. */
export function formatNumber(n) {
  return numberFmt.format(n);
}

const sizeFmt = new Intl.NumberFormat('ru-RU', { maximumFractionDigits: 1 });
/**
 * A file size as people read it: «812 байт», «45,3 КБ», «2,4 МБ» (a KB is 1024
 * bytes; a non-breaking space before the unit).
 */
export function formatSize(bytes) {
  const n = Number(bytes);
  if (!Number.isFinite(n) || n < 0) return '—';
  if (n < 1024) return `${numberFmt.format(n)}\u00a0${plural(n, ['байт', 'байта', 'байт'])}`;
  if (n < 1024 * 1024) return `${sizeFmt.format(n / 1024)}\u00a0КБ`;
  return `${sizeFmt.format(n / (1024 * 1024))}\u00a0МБ`;
}

/** Russian plural: plural(5, ['школа', 'школы', 'школ']) → 'школ'. */
export function plural(n, forms) {
  const abs = Math.abs(n) % 100;
  const last = abs % 10;
  if (abs > 10 && abs < 20) return forms[2];
  if (last > 1 && last < 5) return forms[1];
  if (last === 1) return forms[0];
  return forms[2];
}

/** «Показано 1–50 из 312» (en dash, non-breaking spaces inside numbers). */
export function rangeText(offset, count, total) {
  if (!total || count === 0) return 'Ничего не найдено';
  return `Показано ${formatNumber(offset + 1)}–${formatNumber(offset + count)} из ${formatNumber(total)}`;
}

/** «да» / «нет» for a boolean. */
export function yesNo(value) {
  return value ? 'да' : 'нет';
}

/**
 * Text in «ёлочках», as Russian typography nests them: quotes inside become „лапки“
 * (Проект «Школа „Точка роста“»), so a title that has quotes of its own reads right.
 */
export function quoted(text) {
  const inner = String(text ?? '').replace(/«([^«»]*)»/g, '„$1“');
  return `«${inner}»`;
}

/** Ends a message with a full stop unless it already ends with punctuation. */
export function sentence(text) {
  const t = String(text ?? '').trim();
  return /[.!?…»)]$/.test(t) || t === '' ? t : `${t}.`;
}

/**
 * The sentence to show for a failed request: the API's Russian title, or a
 * plain Russian notice — never the text of an unexpected exception. When the
 * service is unavailable, `consequence` (e.g. «Изменения не сохранены») says
 * what did not happen: «Сервис временно недоступен. Изменения не сохранены;
 * повторите попытку позже.»
 */
export function errorText(err, consequence) {
  if (err?.unavailable) {
    return consequence
      ? `Сервис временно недоступен. ${consequence}; повторите попытку позже.`
      : 'Сервис временно недоступен. Повторите попытку позже.';
  }
  return sentence(err?.title || 'Не удалось выполнить действие. Повторите попытку');
}

/**
 * The inverse of formatDate for what a user types: «30.11.2025» (also with
 * single-digit day or month) → '2025-11-30'; null when it is not a real date.
 */
/**
 * Why a typed date was not taken (parseDate gave null): `empty` when nothing was typed, a date
 * in the right shape that does not exist («31.02.2027») said so, anything else the format.
 */
export function dateProblem(text, empty) {
  const typed = String(text ?? '').trim();
  if (!typed) return empty;
  if (/^\d{1,2}\.\d{1,2}\.\d{4}$/.test(typed)) return `Такой даты нет: ${typed}.`;
  return 'Дата в формате ДД.ММ.ГГГГ, например 31.12.2026.';
}

export function parseDate(text) {
  const m = /^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$/.exec(String(text ?? ''));
  if (!m) return null;
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return `${m[3]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}
