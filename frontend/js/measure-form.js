// The form of one measure of a development program (the school's editor):
// title, the deficits and growth areas it addresses (checkboxes grouped by
// direction, each marked when no measure covers it yet), due date within the
// program's period, responsible person and expected result. Beside it, for the
// deficit in focus, ЛОИРО's recommendations (GET /practices?indicator_id=) and
// mentor schools that reached full points on that indicator (GET
// /indicators/{id}/mentors?campaign_id=, own municipality first).

import { h, replace, uid } from './shared/dom.js';
import { api } from './api.js';
import { dateProblem, errorText, formatDate, formatNumber, parseDate } from './shared/format.js';
import { field, messageBox, showApiError, clearErrors } from './shared/forms.js';
import { ofPoints } from './diagnostics.js';
import { byDirection, needsMeasure, shortText } from './programs.js';

const dateInput = (iso) => h('input', {
  type: 'text', value: iso ? formatDate(iso) : '', class: 'input-date', inputmode: 'numeric', autocomplete: 'off',
  maxlength: 10, placeholder: 'ДД.ММ.ГГГГ',
});

/** Recommendations and mentors are the same for every measure: kept for the page's life. */
const practicesCache = new Map();
const mentorsCache = new Map();

function practicesFor(indicatorId) {
  const key = String(indicatorId);
  if (!practicesCache.has(key)) {
    practicesCache.set(key, api.get('/practices', { indicator_id: indicatorId, limit: 10 })
      .catch((err) => { practicesCache.delete(key); throw err; }));
  }
  return practicesCache.get(key);
}

function mentorsFor(indicatorId, campaignId) {
  const key = `${indicatorId}/${campaignId}`;
  if (!mentorsCache.has(key)) {
    mentorsCache.set(key, api.get(`/indicators/${indicatorId}/mentors`, { campaign_id: campaignId, limit: 8 })
      .catch((err) => { mentorsCache.delete(key); throw err; }));
  }
  return mentorsCache.get(key);
}

/**
 * The help panel: {node, show(deficit|null)}. For the deficit in focus it
 * lists ЛОИРО's recommendations and mentor schools.
 */
export function helpPanel(program) {
  const body = h('div', { class: 'help__body' });
  const node = h('aside', { class: 'help', 'aria-labelledby': 'help-title', 'data-testid': 'measure-help' },
    h('h3', { id: 'help-title' }, 'Рекомендации и наставники'), body);
  let shown = null;
  let requestNo = 0;

  async function show(d) {
    const mine = ++requestNo;
    shown = d;
    if (!d) {
      replace(body, h('p', { class: 'muted small' },
        'Отметьте дефицит или зону роста: здесь появятся рекомендации ЛОИРО и школы, получившие по этому показателю максимальный балл.'));
      return;
    }
    const practicesBox = h('div', { 'data-testid': 'help-practices' }, h('p', { class: 'muted small' }, 'Загрузка…'));
    const mentorsBox = h('div', { 'data-testid': 'help-mentors' }, h('p', { class: 'muted small' }, 'Загрузка…'));
    replace(body,
      h('p', { class: 'help__indicator', 'data-indicator-code': d.indicator_code },
        h('span', { class: 'code' }, d.indicator_code), ' ', shortText(d.indicator_text, 160)),
      h('h4', null, 'Рекомендации ЛОИРО'), practicesBox,
      h('h4', null, 'Школы-наставники'), mentorsBox);
    const [practices, mentors] = await Promise.allSettled([
      practicesFor(d.indicator_id), mentorsFor(d.indicator_id, program.campaign_id),
    ]);
    if (mine !== requestNo || shown !== d) return;
    if (practices.status === 'rejected') {
      replace(practicesBox, h('p', { class: 'field__error' }, errorText(practices.reason)));
    } else if (!practices.value.items.length) {
      replace(practicesBox, h('p', { class: 'muted small' }, 'Рекомендаций по этому показателю пока нет.'));
    } else {
      replace(practicesBox, h('ul', { class: 'help__list' }, practices.value.items.map((p) => h('li', { 'data-practice-id': p.id },
        h('a', { href: `#/practices/${p.id}`, target: '_blank', rel: 'noopener' }, p.title),
        p.excerpt ? h('span', { class: 'muted small block' }, shortText(p.excerpt, 200)) : null))),
      practices.value.total > practices.value.items.length
        ? h('p', { class: 'small' }, h('a', { href: `#/practices?indicator_id=${d.indicator_id}`, target: '_blank', rel: 'noopener' },
          `Все рекомендации (${formatNumber(practices.value.total)})`)) : null);
    }
    if (mentors.status === 'rejected') {
      replace(mentorsBox, h('p', { class: 'field__error' }, errorText(mentors.reason)));
    } else if (!mentors.value.items.length) {
      replace(mentorsBox, h('p', { class: 'muted small' }, 'Школ с максимальным баллом по этому показателю в этой кампании нет.'));
    } else {
      replace(mentorsBox, h('ul', { class: 'help__list' }, mentors.value.items.map((m) => h('li', { 'data-school-id': m.school_id },
        h('span', null, m.short_name || m.name),
        m.same_municipality ? [' ', h('span', { class: 'badge badge--ok' }, 'ваш район')] : null,
        h('span', { class: 'muted small block' }, m.municipality_name || '',
          m.max_points ? ` · ${formatNumber(m.points)} ${ofPoints(m.max_points)}` : '')))),
      mentors.value.total > mentors.value.items.length
        ? h('p', { class: 'muted small' }, `Всего таких школ: ${formatNumber(mentors.value.total)}.`) : null,
      h('p', { class: 'muted small' }, 'Наставничество оформляет муниципалитет: ', h('a', { href: '#/partnerships' }, 'наставничество'), '.'));
    }
  }
  show(null);
  return { node, show, current: () => shown };
}

/**
 * The deficit picker: {node, values(), setError, focus, onChange(fn)}; every
 * deficit and growth area of the program, grouped by direction, deficits first.
 */
function deficitPicker(program, selected) {
  const chosen = new Set(selected.map(String));
  const errorEl = h('p', { class: 'field__error', id: uid('f-deficits-error'), hidden: true });
  const boxes = [];
  const listeners = [];
  const groups = byDirection(program.deficits);
  const node = h('fieldset', { class: 'field fieldset picker', 'data-field': 'deficit_ids', 'data-testid': 'deficit-picker' },
    h('legend', null, 'На что направлено мероприятие', h('span', { class: 'required', 'aria-hidden': 'true' }, '*')),
    h('p', { class: 'field__hint' }, 'Дефициты (0 баллов) и зоны роста; можно отметить несколько.'),
    h('div', { class: 'picker__groups' }, groups.map((g) => h('fieldset', { class: 'picker__group', 'data-direction-code': g.direction_code },
      h('legend', { class: 'picker__direction' }, g.direction_title),
      g.items.map((d) => {
        const box = h('input', {
          type: 'checkbox', id: uid('f-deficit'), value: String(d.id), checked: chosen.has(String(d.id)),
          'data-indicator-code': d.indicator_code,
        });
        box.addEventListener('change', () => { for (const fn of listeners) fn(d, box.checked); });
        boxes.push(box);
        const uncovered = needsMeasure(d) && !(d.measure_ids || []).length;
        return h('div', { class: ['check', 'picker__item', uncovered ? 'picker__item--uncovered' : null] },
          box,
          h('label', { for: box.id },
            h('span', { class: 'code' }, d.indicator_code), ' ', shortText(d.indicator_text, 150), ' ',
            h('span', { class: ['badge', d.kind === 'deficit' ? 'badge--danger' : 'badge--info'] }, d.kind === 'deficit' ? 'дефицит' : 'зона роста'),
            d.critical ? [' ', h('span', { class: 'badge badge--danger' }, 'критический')] : null,
            uncovered ? [' ', h('span', { class: 'mark-uncovered' }, 'нет мероприятия')] : null));
      })))),
    errorEl);
  return {
    node,
    values: () => boxes.filter((b) => b.checked).map((b) => Number(b.value)),
    focus: () => (boxes.find((b) => b.checked) || boxes[0])?.focus(),
    onChange: (fn) => listeners.push(fn),
    setError(message) {
      replace(errorEl, message || '');
      errorEl.hidden = !message;
      node.classList.toggle('field--invalid', Boolean(message));
      if (message) node.setAttribute('aria-describedby', errorEl.id);
      else node.removeAttribute('aria-describedby');
    },
  };
}

/**
 * measureForm({program, measure, preset, onSaved, onCancel, onStale, onState})
 * → {node, focus}. measure null creates one (POST), else edits it (PATCH with
 * If-Match = the measure's version, only the changed fields). preset: deficit
 * ids checked on a new measure. onSaved(measure, created) after a write;
 * onStale() / onState(err) after a 409.
 */
export function measureForm({ program, measure, preset = [], onSaved, onCancel, onStale, onState }) {
  const box = messageBox('measure-message');
  const help = helpPanel(program);
  const picker = deficitPicker(program, measure ? measure.deficit_ids : preset);
  const f = {
    title: field('title', 'Мероприятие', h('textarea', { rows: 2, maxlength: 1000 }), { required: true }),
    deficit_ids: picker,
    due_date: field('due_date', 'Срок', dateInput(measure?.due_date), {
      required: true, hint: `ДД.ММ.ГГГГ, в периоде программы: ${formatDate(program.period_start)} – ${formatDate(program.period_end)}`,
    }),
    responsible: field('responsible', 'Ответственный', h('input', { type: 'text', maxlength: 300 }), {
      required: true, hint: 'Должность и фамилия, например «заместитель директора по УВР Иванова А. П.»',
    }),
    expected_result: field('expected_result', 'Ожидаемый результат', h('textarea', { rows: 2, maxlength: 2000 })),
  };
  f.title.control.value = measure?.title || '';
  f.responsible.control.value = measure?.responsible || '';
  f.expected_result.control.value = measure?.expected_result || '';
  const byId = new Map((program.deficits || []).map((d) => [String(d.id), d]));
  picker.onChange((d, checked) => {
    if (checked) help.show(d);
    else if (help.current() === d) help.show(byId.get(String(picker.values()[0])) || null);
  });
  const first = byId.get(String((measure ? measure.deficit_ids : preset)[0]));
  if (first) help.show(first);

  const save = h('button', { type: 'submit', class: 'btn btn--primary' }, measure ? 'Сохранить мероприятие' : 'Добавить мероприятие');
  async function onSubmit(event) {
    event.preventDefault();
    box.clear();
    clearErrors(f);
    const expected = f.expected_result.control.value.trim();
    const data = {
      title: f.title.control.value.trim(),
      deficit_ids: picker.values(),
      due_date: parseDate(f.due_date.control.value),
      responsible: f.responsible.control.value.trim(),
      expected_result: expected || null,
    };
    const missing = [];
    if (!data.title) missing.push(['title', 'Опишите мероприятие.']);
    if (!data.deficit_ids.length) missing.push(['deficit_ids', 'Отметьте хотя бы один дефицит или зону роста.']);
    if (!data.due_date) {
      missing.push(['due_date', dateProblem(f.due_date.control.value, 'Укажите срок.')]);
    } else if (data.due_date < program.period_start || data.due_date > program.period_end) {
      missing.push(['due_date', `Срок должен быть в периоде программы: ${formatDate(program.period_start)} — ${formatDate(program.period_end)}.`]);
    }
    if (!data.responsible) missing.push(['responsible', 'Укажите ответственного.']);
    if (missing.length) {
      for (const [n, m] of missing) f[n].setError(m);
      box.show('error', 'Проверьте мероприятие.');
      f[missing[0][0]].focus();
      return;
    }
    let body = data;
    if (measure) {
      body = {};
      for (const [k, v] of Object.entries(data)) {
        const was = measure[k] ?? null;
        const same = Array.isArray(v) ? JSON.stringify([...v].sort()) === JSON.stringify([...(was || [])].map(Number).sort()) : String(v ?? '') === String(was ?? '');
        if (!same) body[k] = v;
      }
      if (!Object.keys(body).length) {
        box.show('info', 'Изменений нет.');
        return;
      }
    }
    save.disabled = true;
    try {
      const saved = measure
        ? await api.patch(`/programs/${program.id}/measures/${measure.id}`, measure.version, body)
        : await api.post(`/programs/${program.id}/measures`, body);
      onSaved(saved, !measure);
    } catch (err) {
      save.disabled = false;
      if (err.status === 409 && err.code === 'conflict.stale_version') {
        box.show('error', h('strong', null, 'Мероприятие не сохранено. '),
          'Пока вы его редактировали, его изменили в другом окне или другим сотрудником школы. ',
          'Загрузите актуальную программу и внесите изменения снова. ',
          h('button', { type: 'button', class: 'btn btn--small', onclick: onStale }, 'Загрузить актуальные данные'));
      } else if (err.status === 409) {
        onState(err);
      } else {
        // deficit_ids[2] → the picker.
        const errors = err.errors.map((e) => (/^deficit_ids\[\d+\]$/.test(e.field || '') ? { ...e, field: 'deficit_ids' } : e));
        err.errors.splice(0, err.errors.length, ...errors);
        showApiError(err, f, box);
      }
    }
  }
  const titleId = uid('measure-form-title');
  const node = h('section', { class: 'card measure-form no-print', 'aria-labelledby': titleId, 'data-testid': 'measure-form' },
    h('h2', { id: titleId }, measure ? 'Изменение мероприятия' : 'Новое мероприятие'),
    box.node,
    h('div', { class: 'measure-form__grid' },
      h('form', { class: 'form form--wide', novalidate: true, onsubmit: onSubmit, 'aria-labelledby': titleId },
        f.title.node,
        picker.node,
        f.due_date.node,
        f.responsible.node,
        f.expected_result.node,
        h('p', { class: 'muted small' }, 'Поля, отмеченные *, обязательны.'),
        h('div', { class: 'form__actions' }, save, h('button', { type: 'button', class: 'btn', onclick: onCancel }, 'Отмена'))),
      help.node));
  return { node, focus: () => f.title.focus() };
}
