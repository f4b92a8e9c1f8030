// One development program (#/programs/{id}), GET /programs/{id}.
// The school, while the program is a draft or returned: its deficits (critical
// first) and growth areas, each marked covered or not, a banner of the
// deficits still without a measure, the measures with their form (deficit
// picker, ЛОИРО's recommendations and mentor schools), the optional problem
// analysis per direction, and «Отправить на согласование» — a 422
// program.deficits_uncovered puts each error beside its deficit. After
// approval the school reports progress per measure and may start a new
// revision («Изменить программу»; the approved one stays in force).
// The municipality reads a submitted program side by side with the deficits,
// approves it or returns it with a required comment, and closes a deficit with
// a reason; the municipality, ЛОИРО and the committee comment. Everyone sees
// the history, comments and revisions. A 409 (stale version, or the state
// changed meanwhile) reloads the program and says so.

import { h, replace, uid } from '../shared/dom.js';
import { api } from '../api.js';
import {
  errorText, formatDate, formatDateTime, formatNumber, parseDate, plural, sentence,
} from '../shared/format.js';
import { field, messageBox, showApiError, clearErrors } from '../shared/forms.js';
import { confirmDialog, textDialog } from '../shared/dialog.js';
import { byWhom, ofPoints } from '../diagnostics.js';
import { measureForm } from '../measure-form.js';
import { progressForm } from '../measure-progress.js';
import {
  commentsList, lastReturn, needsMeasure, programFlash, programHistory, programPeriod, revisionsList, shortText,
} from '../programs.js';
import { statusBadge, statusLabel } from '../shared/vocabulary.js';

const REVIEWERS = ['committee', 'loiro', 'municipality'];
const PENDING = new Set(['draft', 'submitted', 'returned']);

const dateInput = (iso) => h('input', {
  type: 'text', value: iso ? formatDate(iso) : '', class: 'input-date', inputmode: 'numeric', autocomplete: 'off',
  maxlength: 10, placeholder: 'ДД.ММ.ГГГГ',
});

export async function render(ctx) {
  const { user } = ctx;
  const id = ctx.params.id;
  let program = await api.get(`/programs/${id}`);
  const isSchool = user.role === 'school';
  const root = h('section', { class: 'page', 'aria-labelledby': 'program-title' });
  const box = messageBox();
  /** deficit id → the message of the last refused submit. */
  let uncoveredErrors = new Map();
  /** The form under the measures: null | {measure: null, preset: [ids]} | {measure}. */
  let editing = null;
  /** The measure whose progress form is open. */
  let progressFor = null;
  /** The passport (title, period) form is open. */
  let editingPassport = false;
  /** Which measures the table shows after approval: '' (all), overdue, open, done, not_done. */
  let measureFilter = '';

  const editable = () => (typeof program.editable === 'boolean' ? program.editable
    : isSchool && (program.status === 'draft' || program.status === 'returned'));
  const numberOf = () => new Map((program.measures || []).map((m, i) => [String(m.id), i + 1]));
  const deficitById = () => new Map((program.deficits || []).map((d) => [String(d.id), d]));

  /** Re-reads the program and redraws; message: [kind, ...content] for the box. */
  async function reload(message) {
    program = await api.get(`/programs/${id}`);
    const still = new Set((program.uncovered_deficits || []).map((d) => String(d.id)));
    uncoveredErrors = new Map([...uncoveredErrors].filter(([k]) => still.has(k)));
    draw();
    if (message) box.show(...message);
  }

  /** Explains an error of an action; a 409 reloads the program first. */
  async function failed(err, prefix) {
    if (err?.status === 409) {
      const why = err.code === 'conflict.stale_version'
        ? 'Программу только что изменили в другом окне или другой пользователь. Показано её текущее состояние; проверьте и повторите действие.'
        : `${sentence(err.title)} Показано текущее состояние программы.`;
      try {
        await reload(['error', h('strong', null, `${prefix} `), why]);
      } catch (again) {
        box.show('error', h('strong', null, `${prefix} `), errorText(again));
      }
      return;
    }
    box.show('error', h('strong', null, `${prefix} `), errorText(err));
  }

  /**
   * Runs an action from a text dialog. guard(promise) turns a 409 into a null
   * result so that the dialog closes; the program is then reloaded and the
   * conflict explained.
   */
  async function fromDialog(run, okText, prefix) {
    let conflict = null;
    const guard = (promise) => promise.catch((err) => {
      if (err.status === 409) { conflict = err; return null; }
      throw err;
    });
    box.clear();
    let result;
    try {
      result = await run(guard);
    } catch (err) {
      await failed(err, prefix);
      return;
    }
    if (conflict) { await failed(conflict, prefix); return; }
    if (result === null || result === undefined) return;
    try {
      await reload(['success', okText]);
    } catch (err) {
      box.show('error', errorText(err));
    }
  }

  // ——————————————————————————————— school: submit, revise, passport

  async function submit() {
    box.clear();
    const ok = await confirmDialog({
      title: 'Отправить программу на согласование?',
      text: [`Программа уйдёт в муниципалитет${program.municipality_name ? ` (${program.municipality_name})` : ''}.`,
        'Пока муниципалитет не утвердит её или не вернёт на доработку, изменить её будет нельзя.'],
      confirm: 'Отправить',
      testId: 'submit-dialog',
    });
    if (!ok) return;
    try {
      await api.post(`/programs/${id}/submit`, undefined, program.version);
      uncoveredErrors = new Map();
      editing = null;
      await reload(['success', 'Программа отправлена на согласование в муниципалитет.']);
    } catch (err) {
      if (err.status === 422 && err.code === 'program.deficits_uncovered') {
        uncoveredErrors = new Map(err.errors
          .filter((e) => /^deficits\.\d+$/.test(e.field || ''))
          .map((e) => [e.field.slice('deficits.'.length), e.message || 'Нет мероприятия для этого дефицита.']));
        draw();
        const byId = deficitById();
        box.show('error', h('strong', null, 'Программа не отправлена. '), sentence(err.title),
          ' Добавьте мероприятия для этих дефицитов:',
          h('ul', { 'data-testid': 'uncovered-errors' }, [...uncoveredErrors.keys()].map((k) => {
            const d = byId.get(k);
            return h('li', null, h('button', { type: 'button', class: 'link-button', onclick: () => jumpToDeficit(k) },
              d ? [h('span', { class: 'code' }, d.indicator_code), ` ${shortText(d.indicator_text, 120)}`] : uncoveredErrors.get(k)));
          })));
      } else if (err.status === 422 && err.fieldErrors.measures) {
        box.show('error', h('strong', null, 'Программа не отправлена. '), 'Добавьте хотя бы одно мероприятие.');
      } else {
        await failed(err, 'Программа не отправлена.');
      }
    }
  }

  async function revise() {
    box.clear();
    const ok = await confirmDialog({
      title: 'Изменить программу?',
      text: ['Будет создана новая редакция программы — черновик с теми же мероприятиями и отметками о ходе выполнения.',
        'Утверждённая редакция остаётся в силе, пока муниципалитет не утвердит новую.'],
      confirm: 'Создать новую редакцию',
      testId: 'revise-dialog',
    });
    if (!ok) return;
    try {
      const fresh = await api.post(`/programs/${id}/revise`, undefined, program.version);
      programFlash.set(fresh.id, ['success', `Создана редакция ${fresh.revision}. Внесите изменения и отправьте её на согласование; `
        + 'до её утверждения действует прежняя редакция.']);
      ctx.navigate(`#/programs/${fresh.id}`);
    } catch (err) {
      await failed(err, 'Новая редакция не создана.');
    }
  }

  function passportForm() {
    const formBox = messageBox('passport-message');
    const f = {
      title: field('title', 'Название программы', h('input', { type: 'text', maxlength: 500, value: program.title || '' }), { required: true }),
      period_start: field('period_start', 'Начало', dateInput(program.period_start), { required: true, hint: 'ДД.ММ.ГГГГ' }),
      period_end: field('period_end', 'Окончание', dateInput(program.period_end), { required: true, hint: 'ДД.ММ.ГГГГ' }),
    };
    const save = h('button', { type: 'submit', class: 'btn btn--primary' }, 'Сохранить');
    async function onSubmit(event) {
      event.preventDefault();
      formBox.clear();
      clearErrors(f);
      const data = {
        title: f.title.control.value.trim(),
        period_start: parseDate(f.period_start.control.value),
        period_end: parseDate(f.period_end.control.value),
      };
      const missing = [];
      if (!data.title) missing.push(['title', 'Укажите название программы.']);
      if (!data.period_start) missing.push(['period_start', 'Дата в формате ДД.ММ.ГГГГ.']);
      if (!data.period_end) missing.push(['period_end', 'Дата в формате ДД.ММ.ГГГГ.']);
      if (missing.length) {
        for (const [n, m] of missing) f[n].setError(m);
        formBox.show('error', 'Проверьте поля.');
        f[missing[0][0]].focus();
        return;
      }
      const changes = {};
      for (const [k, v] of Object.entries(data)) if (String(v) !== String(program[k] ?? '')) changes[k] = v;
      if (!Object.keys(changes).length) { formBox.show('info', 'Изменений нет.'); return; }
      save.disabled = true;
      try {
        await api.patch(`/programs/${id}`, program.version, changes);
        editingPassport = false;
        await reload(['success', 'Название и сроки программы сохранены.']);
      } catch (err) {
        save.disabled = false;
        if (err.status === 409 && err.code === 'conflict.stale_version') {
          formBox.show('error', h('strong', null, 'Изменения не сохранены. '),
            'Пока вы редактировали программу, её изменили в другом окне или другим сотрудником школы. ',
            h('button', { type: 'button', class: 'btn btn--small', onclick: () => { editingPassport = false; reload(['info', 'Показана актуальная программа.']).catch((e) => box.show('error', errorText(e))); } },
              'Загрузить актуальные данные'));
        } else if (err.status === 409) {
          editingPassport = false;
          await failed(err, 'Изменения не сохранены.');
        } else {
          showApiError(err, f, formBox);
        }
      }
    }
    return h('section', { class: 'card no-print', 'aria-labelledby': 'passport-title', 'data-testid': 'passport-form' },
      h('h2', { id: 'passport-title' }, 'Название и сроки программы'),
      formBox.node,
      h('form', { class: 'form form--card', novalidate: true, onsubmit: onSubmit, 'aria-labelledby': 'passport-title' },
        f.title.node,
        h('div', { class: 'field-row' }, f.period_start.node, f.period_end.node),
        h('div', { class: 'form__actions' }, save,
          h('button', { type: 'button', class: 'btn', onclick: () => { editingPassport = false; draw(); } }, 'Отмена'))));
  }

  // ——————————————————————————————— municipality: approve, return, close a deficit

  async function approve() {
    box.clear();
    const ok = await confirmDialog({
      title: 'Утвердить программу?',
      text: [`${program.school_name} — ${program.title}`,
        'Дефициты, на которые направлены мероприятия, перейдут в работу; школа начнёт отмечать ход выполнения.'],
      confirm: 'Утвердить',
      testId: 'approve-dialog',
    });
    if (!ok) return;
    try {
      await api.post(`/programs/${id}/approve`, undefined, program.version);
      await reload(['success', 'Программа утверждена.']);
    } catch (err) {
      await failed(err, 'Программа не утверждена.');
    }
  }

  function returnBack() {
    return fromDialog((guard) => textDialog({
      title: 'Вернуть программу на доработку',
      intro: 'Школа увидит комментарий, исправит программу и отправит её снова.',
      label: 'Комментарий для школы',
      hint: 'Что нужно исправить или дополнить.',
      confirm: 'Вернуть на доработку',
      field: 'comment',
      emptyMessage: 'Напишите комментарий: без него программу вернуть нельзя.',
      testId: 'return-dialog',
      submit: (comment) => guard(api.post(`/programs/${id}/return`, { comment }, program.version)),
    }), 'Программа возвращена школе на доработку с вашим комментарием.', 'Программа не возвращена.');
  }

  function closeDeficit(d) {
    return fromDialog((guard) => textDialog({
      title: `Закрыть дефицит ${d.indicator_code}`,
      intro: `${shortText(d.indicator_text, 200)} Закрытый дефицит больше не требует мероприятия; это решение окончательное.`,
      label: 'Причина',
      confirm: 'Закрыть дефицит',
      field: 'reason',
      emptyMessage: 'Укажите причину: без неё дефицит закрыть нельзя.',
      testId: 'close-dialog',
      submit: (reason) => guard(api.post(`/deficits/${d.id}/close`, { reason })),
    }), `Дефицит ${d.indicator_code} закрыт.`, 'Дефицит не закрыт.');
  }

  // ——————————————————————————————— school: measures

  function startMeasure(preset = []) {
    editing = { measure: null, preset };
    progressFor = null;
    draw();
    root.querySelector('[data-testid="measure-form"] textarea')?.focus();
    root.querySelector('[data-testid="measure-form"]')?.scrollIntoView({ block: 'start' });
  }

  function editMeasure(m) {
    editing = { measure: m };
    progressFor = null;
    draw();
    root.querySelector('[data-testid="measure-form"] textarea')?.focus();
    root.querySelector('[data-testid="measure-form"]')?.scrollIntoView({ block: 'start' });
  }

  async function deleteMeasure(m) {
    box.clear();
    const ok = await confirmDialog({
      title: 'Удалить мероприятие?',
      text: `№ ${numberOf().get(String(m.id))}. ${shortText(m.title, 200)}`,
      confirm: 'Удалить',
      danger: true,
      testId: 'delete-dialog',
    });
    if (!ok) return;
    try {
      await api.del(`/programs/${id}/measures/${m.id}`);
      if (editing?.measure?.id === m.id) editing = null;
      await reload(['success', 'Мероприятие удалено.']);
    } catch (err) {
      await failed(err, 'Мероприятие не удалено.');
    }
  }

  function jumpToDeficit(deficitId) {
    const li = root.querySelector(`li[data-deficit-id="${CSS.escape(String(deficitId))}"]`);
    if (!li) return;
    const details = li.closest('details');
    if (details) details.open = true;
    li.scrollIntoView({ block: 'center' });
    li.focus({ preventScroll: true });
  }

  function jumpToMeasure(measureId) {
    const el = root.querySelector(`[data-measure-id="${CSS.escape(String(measureId))}"]`);
    if (!el) return;
    el.scrollIntoView({ block: 'center' });
    el.querySelector('th, .pmeasure__title')?.focus({ preventScroll: true });
  }

  // ——————————————————————————————— school: progress of a measure

  function progressRow(m, cols) {
    const number = numberOf().get(String(m.id));
    return h('tr', { class: 'row--form', 'data-testid': 'progress-form' }, h('td', { colspan: cols }, progressForm({
      programId: id,
      measure: m,
      number,
      onSaved: async (status) => {
        progressFor = null;
        await reload(['success', `Отметка о мероприятии № ${number} сохранена: ${statusLabel('measure', status)}.`]);
      },
      onConflict: async (err) => {
        progressFor = null;
        await failed(err, 'Отметка не сохранена.');
      },
      onCancel: () => { progressFor = null; draw(); },
    })));
  }

  // ——————————————————————————————— sections

  function deficitItem(d, { mode }) {
    const numbers = numberOf();
    const ids = (d.measure_ids || []).filter((mid) => numbers.has(String(mid)));
    const uncovered = needsMeasure(d) && !ids.length;
    const error = uncoveredErrors.get(String(d.id));
    const canClose = user.role === 'municipality' && d.kind === 'deficit' && (d.status === 'open' || d.status === 'in_work');
    const coverage = ids.length
      ? h('span', { class: 'pdeficit__measures' }, ids.length === 1 ? 'Мероприятие ' : 'Мероприятия ',
        ids.map((mid, i) => [i ? ', ' : '', h('button', { type: 'button', class: 'link-button', onclick: () => jumpToMeasure(mid) }, `№\u00a0${numbers.get(String(mid))}`)]))
      : uncovered ? h('span', { class: 'mark-uncovered', 'data-testid': 'uncovered-mark' }, 'Нет мероприятия')
        : h('span', { class: 'muted' }, d.kind === 'deficit' ? 'мероприятие не требуется' : 'без мероприятий (необязательно)');
    return h('li', {
      class: ['pdeficit', uncovered ? 'pdeficit--uncovered' : null, error ? 'pdeficit--error' : null, d.critical ? 'pdeficit--critical' : null],
      tabindex: '-1',
      'data-deficit-id': d.id,
      'data-indicator-code': d.indicator_code,
      'data-kind': d.kind,
      'data-covered': String(!uncovered),
    },
    h('div', { class: 'pdeficit__head' },
      h('span', { class: 'code' }, d.indicator_code),
      d.critical ? h('span', { class: 'badge badge--danger' }, 'критический') : null,
      d.kind === 'deficit' && d.status ? statusBadge('deficit', d.status) : null,
      h('span', { class: 'muted small' }, d.direction_title || '')),
    h('p', { class: 'pdeficit__text' }, d.indicator_text),
    h('p', { class: 'pdeficit__meta small' },
      h('span', { class: 'muted' }, `${formatNumber(d.points)} ${ofPoints(d.max_points ?? 0)}`), ' · ', coverage),
    d.status === 'closed' && d.closed_reason ? h('p', { class: 'small' }, h('span', { class: 'muted' }, 'Причина закрытия: '), d.closed_reason) : null,
    error ? h('p', { class: 'field__error', 'data-testid': 'deficit-error' }, error) : null,
    mode === 'edit' || canClose ? h('div', { class: 'pdeficit__actions no-print' },
      mode === 'edit' ? h('button', { type: 'button', class: 'btn btn--small', onclick: () => startMeasure([d.id]) }, '+ Мероприятие') : null,
      canClose ? h('button', { type: 'button', class: 'btn btn--small btn--danger', onclick: () => closeDeficit(d) }, 'Закрыть дефицит') : null) : null);
  }

  function deficitsCard({ mode, compact = false }) {
    const all = program.deficits || [];
    const real = all.filter((d) => d.kind === 'deficit');
    const growth = all.filter((d) => d.kind !== 'deficit');
    const growthCovered = growth.filter((d) => (d.measure_ids || []).length).length;
    return h('section', { class: 'card', 'aria-labelledby': 'pdeficits-title', 'data-testid': 'program-deficits' },
      h('h2', { id: 'pdeficits-title' }, 'Дефициты и зоны роста'),
      h('h3', null, `Дефициты — 0 баллов (${formatNumber(real.length)})`),
      real.length ? h('ol', { class: ['pdeficits', compact ? null : 'pdeficits--grid'], 'data-testid': 'deficits-list' }, real.map((d) => deficitItem(d, { mode })))
        : h('p', { class: 'muted' }, 'Дефицитов нет: по каждому показателю получены баллы.'),
      h('details', { class: 'pgrowth', open: growthCovered > 0 || growth.some((d) => uncoveredErrors.has(String(d.id))) },
        h('summary', null, `Зоны роста — баллы ниже максимума (${formatNumber(growth.length)})`,
          growthCovered ? h('span', { class: 'muted small' }, ` · с мероприятиями: ${formatNumber(growthCovered)}`) : null),
        growth.length ? h('ol', { class: ['pdeficits', compact ? 'pdeficits--compact' : 'pdeficits--grid'], 'data-testid': 'growth-list' }, growth.map((d) => deficitItem(d, { mode })))
          : h('p', { class: 'muted' }, 'Зон роста нет.')));
  }

  function coverageBanner() {
    if (!PENDING.has(program.status)) return null;
    const list = program.uncovered_deficits || [];
    if (!list.length) {
      return h('div', { class: 'coverage coverage--ok', role: 'status', 'data-testid': 'coverage-banner', 'data-uncovered': '0' },
        editable() ? 'Все дефициты закрыты мероприятиями. Программу можно отправить на согласование.'
          : 'Все дефициты закрыты мероприятиями.');
    }
    return h('div', { class: 'coverage coverage--warn', role: 'status', 'data-testid': 'coverage-banner', 'data-uncovered': String(list.length) },
      h('strong', null, `Без мероприятий ${formatNumber(list.length)} ${plural(list.length, ['дефицит', 'дефицита', 'дефицитов'])}: `),
      list.map((d, i) => [i ? ', ' : '', h('button', {
        type: 'button', class: 'link-button', title: d.indicator_text || '', onclick: () => jumpToDeficit(d.id),
      }, d.indicator_code), d.critical ? ' (критический)' : '']),
      editable() ? '. Добавьте для каждого хотя бы одно мероприятие, иначе программу не отправить.' : '.');
  }

  function measureRow(m, n, { mode }) {
    const byId = deficitById();
    const codes = (m.deficit_ids || []).map((did) => byId.get(String(did))).filter(Boolean);
    return h('tr', {
      class: m.overdue ? 'row--overdue' : null,
      'data-measure-id': m.id, 'data-status': m.status, 'data-overdue': String(Boolean(m.overdue)),
    },
    h('td', { class: 'num' }, formatNumber(n)),
    h('th', { scope: 'row', tabindex: '-1', class: 'cell-measure' },
      h('span', { class: 'measure__title' }, m.title),
      m.expected_result ? h('span', { class: 'muted small block' }, `Ожидаемый результат: ${m.expected_result}`) : null,
      m.progress_note ? h('span', { class: 'measure__note small block', 'data-testid': 'progress-note' },
        { done: 'Что сделано: ', not_done: 'Причина: ' }[m.status] || 'Комментарий: ', m.progress_note,
        m.progress_at ? h('span', { class: 'muted' }, ` (${formatDate(m.progress_at)})`) : null) : null),
    h('td', { class: 'cell-codes' }, codes.map((d) => h('button', {
      type: 'button', class: ['chip-code', d.kind === 'deficit' ? 'chip-code--deficit' : null], title: d.indicator_text || '',
      onclick: () => jumpToDeficit(d.id),
    }, d.indicator_code))),
    h('td', { class: 'nowrap' }, formatDate(m.due_date),
      m.overdue ? h('span', { class: 'block' }, h('span', { class: 'badge badge--danger', 'data-testid': 'overdue-badge' }, 'просрочено')) : null),
    h('td', { class: 'small' }, m.responsible),
    mode === 'edit' ? null : h('td', null, statusBadge('measure', m.status)),
    mode === 'edit' ? h('td', { class: 'nowrap no-print' },
      h('button', { type: 'button', class: 'btn btn--small', onclick: () => editMeasure(m) }, 'Изменить'), ' ',
      h('button', { type: 'button', class: 'btn btn--small btn--danger', onclick: () => deleteMeasure(m) }, 'Удалить')) : null,
    mode === 'report' ? h('td', { class: 'nowrap no-print' },
      h('button', {
        type: 'button', class: 'btn btn--small', 'aria-expanded': String(progressFor === m.id),
        onclick: () => { progressFor = progressFor === m.id ? null : m.id; draw(); root.querySelector('[data-testid="progress-form"] input:checked')?.focus(); },
      }, 'Отметить ход')) : null);
  }

  /** One measure as a block (the narrow column of the side-by-side layout). */
  function measureItem(m, n) {
    const byId = deficitById();
    const codes = (m.deficit_ids || []).map((did) => byId.get(String(did))).filter(Boolean);
    return h('li', {
      class: ['pmeasure', m.overdue ? 'pmeasure--overdue' : null],
      'data-measure-id': m.id, 'data-status': m.status, 'data-overdue': String(Boolean(m.overdue)),
    },
    h('div', { class: 'pmeasure__head' },
      h('span', { class: 'pmeasure__number' }, `№ ${formatNumber(n)}`),
      statusBadge('measure', m.status),
      m.overdue ? h('span', { class: 'badge badge--danger', 'data-testid': 'overdue-badge' }, 'просрочено') : null),
    h('p', { class: 'pmeasure__title', tabindex: '-1' }, m.title),
    m.expected_result ? h('p', { class: 'muted small pmeasure__line' }, `Ожидаемый результат: ${m.expected_result}`) : null,
    h('p', { class: 'small pmeasure__line' },
      h('span', { class: 'muted' }, 'Срок: '), h('span', { class: 'nowrap' }, formatDate(m.due_date)),
      h('span', { class: 'muted' }, ' · Ответственный: '), m.responsible),
    codes.length ? h('p', { class: 'pmeasure__codes' }, codes.map((d) => h('button', {
      type: 'button', class: ['chip-code', d.kind === 'deficit' ? 'chip-code--deficit' : null], title: d.indicator_text || '',
      onclick: () => jumpToDeficit(d.id),
    }, d.indicator_code))) : null,
    m.progress_note ? h('p', { class: 'measure__note small', 'data-testid': 'progress-note' },
      { done: 'Что сделано: ', not_done: 'Причина: ' }[m.status] || 'Комментарий: ', m.progress_note,
      m.progress_at ? h('span', { class: 'muted' }, ` (${formatDate(m.progress_at)})`) : null) : null);
  }

  function measuresCard({ mode, compact = false }) {
    const measures = program.measures || [];
    const cols = 6 + (mode === 'edit' || mode === 'report' ? 1 : 0);
    const overdue = measures.filter((m) => m.overdue).length;
    const done = measures.filter((m) => m.status === 'done').length;
    const rows = [];
    const shown = (m) => !measureFilter || mode === 'edit'
      || (measureFilter === 'overdue' && m.overdue)
      || (measureFilter === 'open' && (m.status === 'planned' || m.status === 'in_progress'))
      || m.status === measureFilter;
    measures.forEach((m, i) => {
      if (!shown(m)) return;
      rows.push(measureRow(m, i + 1, { mode }));
      if (mode === 'report' && progressFor === m.id) rows.push(progressRow(m, cols));
    });
    const filterId = 'measure-filter';
    const count = (fn) => formatNumber(measures.filter(fn).length);
    const filter = mode !== 'edit' && measures.length > 8 ? h('div', { class: 'field field--inline no-print' },
      h('label', { for: filterId }, 'Показать'),
      h('select', {
        id: filterId,
        onchange: (e) => { measureFilter = e.target.value; progressFor = null; draw(); document.getElementById(filterId)?.focus(); },
      },
      [['', `все (${count(() => true)})`], ['overdue', `просроченные (${count((m) => m.overdue)})`],
        ['open', `невыполненные (${count((m) => m.status === 'planned' || m.status === 'in_progress')})`],
        ['done', `выполненные (${count((m) => m.status === 'done')})`], ['not_done', `не выполненные, с причиной (${count((m) => m.status === 'not_done')})`]]
        .map(([v, label]) => h('option', { value: v, selected: v === measureFilter }, label)))) : null;
    const form = mode === 'edit' && editing ? measureForm({
      program,
      measure: editing.measure,
      preset: editing.preset || [],
      onSaved: async (saved, created) => {
        editing = null;
        try {
          await reload(['success', created ? 'Мероприятие добавлено.' : 'Мероприятие сохранено.']);
        } catch (err) {
          box.show('error', errorText(err));
        }
      },
      onCancel: () => { editing = null; draw(); },
      onStale: () => { editing = null; reload(['info', 'Показана актуальная программа.']).catch((err) => box.show('error', errorText(err))); },
      onState: (err) => { editing = null; failed(err, 'Мероприятие не сохранено.'); },
    }) : null;
    return h('section', { class: 'card', 'aria-labelledby': 'measures-title', 'data-testid': 'program-measures' },
      h('div', { class: 'card__head' },
        h('h2', { id: 'measures-title' }, `Мероприятия (${formatNumber(measures.length)})`),
        mode === 'edit' && !editing ? h('button', { type: 'button', class: 'btn btn--primary no-print', onclick: () => startMeasure([]) }, 'Добавить мероприятие') : null),
      mode !== 'edit' && measures.length ? h('div', { class: 'measures-bar' }, h('p', { class: 'list-summary' },
        `Выполнено ${formatNumber(done)} из ${formatNumber(measures.length)}`,
        overdue ? [', ', h('span', { class: 'num--danger' }, `просрочено ${formatNumber(overdue)}`)] : '', '.'), filter) : null,
      measures.length && compact ? h('ol', { class: 'pmeasures', 'data-testid': 'measures-list' },
        measures.map((m, i) => (shown(m) ? measureItem(m, i + 1) : null))) : null,
      measures.length && !compact ? h('div', { class: 'table-wrap' }, h('table', { class: 'data-table', 'data-testid': 'measures-table' },
        h('caption', { class: 'visually-hidden' }, 'Мероприятия программы по сроку'),
        h('thead', null, h('tr', null,
          h('th', { scope: 'col', class: 'num' }, '№'),
          h('th', { scope: 'col' }, 'Мероприятие'),
          h('th', { scope: 'col' }, 'Показатели'),
          h('th', { scope: 'col' }, 'Срок'),
          h('th', { scope: 'col' }, 'Ответственный'),
          mode === 'edit' ? null : h('th', { scope: 'col' }, 'Выполнение'),
          mode === 'edit' || mode === 'report' ? h('th', { scope: 'col', class: 'no-print' }, h('span', { class: 'visually-hidden' }, 'Действия')) : null)),
        h('tbody', null, rows.length ? rows : h('tr', null, h('td', { colspan: cols, class: 'empty' }, 'Таких мероприятий нет.'))))) : null,
      measures.length ? null : h('p', { class: 'muted', 'data-testid': 'no-measures' }, mode === 'edit'
          ? 'Мероприятий пока нет. Начните с дефицитов выше: кнопка «+ Мероприятие» у каждого.' : 'Мероприятий нет.'),
      overdue && mode !== 'edit' ? h('p', { class: 'muted small' }, 'Просроченные мероприятия — срок прошёл, а выполнение не отмечено — выделены красным.') : null,
      form ? form.node : null);
  }

  /** Directions of the program's deficits plus those with an analysis, in instrument order (by id). */
  function analysisDirections() {
    const map = new Map();
    for (const d of program.deficits || []) {
      if (!map.has(String(d.direction_id))) map.set(String(d.direction_id), { id: d.direction_id, code: d.direction_code, title: d.direction_title, text: '' });
    }
    for (const a of program.analyses || []) {
      const key = String(a.direction_id);
      map.set(key, { id: a.direction_id, code: a.direction_code, title: a.direction_title, text: a.text || '' });
    }
    return [...map.values()].sort((a, b) => Number(a.id) - Number(b.id));
  }

  function analysisEditor(dir) {
    const text = h('textarea', { id: uid('f-analysis'), rows: 5, maxlength: 10000 }, dir.text);
    const state = h('p', { class: 'save-state', role: 'status', 'aria-live': 'polite' });
    const save = h('button', {
      type: 'button',
      class: 'btn btn--small',
      onclick: async () => {
        save.disabled = true;
        state.className = 'save-state save-state--saving';
        replace(state, 'Сохранение…');
        try {
          await api.putUnversioned(`/programs/${id}/analyses/${dir.id}`, { text: text.value.trim() || null });
          program = await api.get(`/programs/${id}`);
          dir.text = text.value.trim();
          state.className = 'save-state save-state--saved';
          replace(state, text.value.trim() ? 'Сохранено' : 'Анализ удалён');
        } catch (err) {
          state.className = 'save-state save-state--error';
          if (err.status === 409) {
            replace(state, 'Не сохранено: ', sentence(err.title));
            failed(err, 'Анализ не сохранён.');
          } else {
            replace(state, 'Не сохранено: ', err.fieldErrors.text || errorText(err));
          }
        } finally {
          save.disabled = false;
        }
      },
    }, 'Сохранить анализ');
    return h('details', { class: 'analysis', open: Boolean(dir.text), 'data-direction-code': dir.code || '' },
      h('summary', null, dir.title || 'Направление', dir.text ? '' : h('span', { class: 'muted small' }, ' — не заполнен')),
      h('label', { for: text.id, class: 'visually-hidden' }, `Анализ проблем: ${dir.title}`),
      text,
      h('div', { class: 'form__actions' }, save, state));
  }

  function analysesCard({ mode }) {
    const dirs = analysisDirections();
    if (mode !== 'edit') {
      const filled = dirs.filter((d) => d.text);
      if (!filled.length) return null;
      return h('section', { class: 'card', 'aria-labelledby': 'analyses-title', 'data-testid': 'program-analyses' },
        h('h2', { id: 'analyses-title' }, 'Анализ проблем по направлениям'),
        filled.map((d) => h('div', { class: 'analysis-read' }, h('h3', null, d.title), h('p', { class: 'pre-wrap' }, d.text))));
    }
    return h('section', { class: 'card no-print', 'aria-labelledby': 'analyses-title', 'data-testid': 'program-analyses' },
      h('h2', { id: 'analyses-title' }, 'Анализ проблем по направлениям (необязательно)'),
      h('p', { class: 'muted small' }, 'Результаты самодиагностики по направлению, причины дефицитов, управленческие решения. ',
        'Пустой анализ не сохраняется.'),
      dirs.length ? dirs.map(analysisEditor) : h('p', { class: 'muted' }, 'Направлений с дефицитами нет.'));
  }

  function commentsCard() {
    const canComment = REVIEWERS.includes(user.role);
    let form = null;
    if (canComment) {
      const formBox = messageBox('comment-message');
      const text = h('textarea', { id: uid('f-comment'), rows: 3, maxlength: 4000 });
      const f = { text: field('text', 'Новый комментарий', text, { hint: 'Комментарий видят школа и проверяющие; состояние программы он не меняет.' }) };
      const send = h('button', { type: 'submit', class: 'btn' }, 'Добавить комментарий');
      form = h('form', {
        class: 'form form--wide no-print',
        novalidate: true,
        'aria-label': 'Комментарий к программе',
        onsubmit: async (event) => {
          event.preventDefault();
          formBox.clear();
          clearErrors(f);
          const value = text.value.trim();
          if (!value) { f.text.setError('Напишите комментарий.'); text.focus(); return; }
          send.disabled = true;
          try {
            await api.post(`/programs/${id}/comments`, { text: value });
            await reload(['success', 'Комментарий добавлен.']);
          } catch (err) {
            send.disabled = false;
            showApiError(err, f, formBox);
          }
        },
      }, formBox.node, f.text.node, h('div', { class: 'form__actions' }, send));
    }
    return h('section', { class: 'card', 'aria-labelledby': 'comments-title', 'data-testid': 'comments-card' },
      h('h2', { id: 'comments-title' }, `Комментарии (${formatNumber((program.comments || []).length)})`),
      commentsList(program.comments),
      form);
  }

  function historyCard() {
    const revisions = revisionsList(program);
    return h('section', { class: 'card', 'aria-labelledby': 'history-title' },
      h('h2', { id: 'history-title' }, 'История программы'),
      programHistory(program),
      revisions ? [h('h3', { class: 'section-title' }, 'Редакции'), revisions] : null);
  }

  function stateNote() {
    const p = program;
    const revisions = p.revisions || [];
    const approvedOther = revisions.find((r) => r.status === 'approved' && String(r.id) !== String(p.id));
    const pendingOther = revisions.find((r) => PENDING.has(r.status) && String(r.id) !== String(p.id));
    const parts = [];
    const say = {
      draft: isSchool ? 'Черновик. Добавьте мероприятия для каждого дефицита и отправьте программу на согласование в муниципалитет.'
        : 'Школа составляет программу (черновик).',
      submitted: isSchool
        ? `Программа на согласовании в муниципалитете${p.submitted_at ? ` с ${formatDate(p.submitted_at)}` : ''}. Пока её не утвердят или не вернут, изменить её нельзя.`
        : `Школа отправила программу на согласование${p.submitted_at ? ` ${formatDate(p.submitted_at)}` : ''}.`
          + (user.role === 'municipality' ? ' Сверьте мероприятия с дефицитами и утвердите программу или верните её с комментарием.' : ''),
      returned: isSchool ? 'Программа возвращена на доработку: исправьте её и отправьте снова.' : 'Программа возвращена школе на доработку.',
      approved: `Программа утверждена${p.decided_at ? ` ${formatDate(p.decided_at)}` : ''} и действует.`
        + (isSchool ? ' Отмечайте ход выполнения мероприятий.' : ''),
      superseded: 'Эта редакция заменена утверждённой новой редакцией и больше не действует.',
    }[p.status] || '';
    parts.push(say);
    if (PENDING.has(p.status) && approvedOther) {
      parts.push(' ', `Это новая редакция: пока её не утвердят, действует утверждённая `,
        h('a', { href: `#/programs/${approvedOther.id}` }, `редакция ${approvedOther.revision}`), '.');
    }
    if (p.status === 'approved' && pendingOther) {
      parts.push(' ', 'Готовится ', h('a', { href: `#/programs/${pendingOther.id}`, 'data-testid': 'pending-revision' },
        `редакция ${pendingOther.revision}`), ` (${{ draft: 'черновик', submitted: 'на согласовании', returned: 'на доработке' }[pendingOther.status]}); `,
      'до её утверждения действует эта редакция.');
    }
    return h('p', { class: 'note', 'data-testid': 'program-state' }, parts);
  }

  function returnedBanner() {
    if (program.status !== 'returned') return null;
    const r = lastReturn(program);
    return h('section', { class: 'returned', role: 'note', 'aria-labelledby': 'returned-title', 'data-testid': 'return-comment' },
      h('h2', { id: 'returned-title' }, 'Программа возвращена на доработку'),
      h('p', null, 'Комментарий', r?.by ? ` (${byWhom(r.by)})` : '', r?.at ? ` от ${formatDateTime(r.at)}` : '', ':'),
      h('blockquote', { class: 'returned__comment' }, r?.comment || 'Комментарий не указан.'));
  }

  function draw() {
    const p = program;
    const canEdit = editable();
    const canReport = isSchool && p.status === 'approved';
    const pendingOther = (p.revisions || []).some((r) => PENDING.has(r.status) && String(r.id) !== String(p.id));
    const canRevise = canReport && !pendingOther;
    const canDecide = user.role === 'municipality' && p.status === 'submitted';
    const mode = canEdit ? 'edit' : canReport ? 'report' : 'read';
    const title = isSchool ? p.title : (p.school_name || p.title);
    ctx.setTitle(title);
    const actions = [];
    if (canEdit) {
      if (!editingPassport) actions.push(h('button', { type: 'button', class: 'btn', onclick: () => { editingPassport = true; draw(); root.querySelector('[data-testid="passport-form"] input')?.focus(); } }, 'Название и сроки'));
      actions.push(h('button', { type: 'button', class: 'btn btn--primary', onclick: submit, 'data-testid': 'submit-program' }, 'Отправить на согласование'));
    }
    if (canRevise) actions.push(h('button', { type: 'button', class: 'btn', onclick: revise }, 'Изменить программу'));
    if (canDecide) {
      actions.push(h('button', { type: 'button', class: 'btn btn--primary', onclick: approve }, 'Утвердить'));
      actions.push(h('button', { type: 'button', class: 'btn btn--danger', onclick: returnBack }, 'Вернуть на доработку'));
    }
    const side = !isSchool;
    replace(root,
      h('p', { class: 'breadcrumbs no-print' }, h('a', { href: '#/programs' }, isSchool ? '← К программе развития' : '← К программам школ')),
      h('div', { class: 'page__head page__head--row' },
        h('div', null,
          h('h1', { id: 'program-title' }, title),
          h('p', { class: 'page__sub' },
            isSchool ? null : [p.title, ' · '],
            `${p.school_code ? `${p.school_code} · ` : ''}${isSchool ? '' : `${p.municipality_name || ''} · `}`,
            `${p.campaign_title || ''} · ${programPeriod(p)}`,
            p.revision > 1 ? ` · редакция ${p.revision}` : '', ' · ', statusBadge('program', p.status))),
        actions.length ? h('div', { class: 'page__actions no-print', 'data-testid': 'program-actions' }, actions) : null),
      box.node,
      stateNote(),
      returnedBanner(),
      editingPassport && canEdit ? passportForm() : null,
      coverageBanner(),
      side
        ? h('div', { class: 'columns columns--top program-review' }, deficitsCard({ mode, compact: true }), measuresCard({ mode, compact: true }))
        : mode === 'edit' ? [deficitsCard({ mode }), measuresCard({ mode })] : [measuresCard({ mode }), deficitsCard({ mode })],
      analysesCard({ mode }),
      commentsCard(),
      historyCard());
  }

  draw();
  const flash = programFlash.take(id);
  if (flash) box.show(...flash);
  return { node: root, title: isSchool ? program.title : (program.school_name || program.title) };
}
