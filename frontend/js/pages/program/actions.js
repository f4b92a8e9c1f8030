// The one place for the actions of the program page (pages/program.js): reload, submit,
// revise, approve, return, close a deficit, the measure form's open/close, and the reading of
// the program's state they share. Each takes the page object pg (see program.js) first.

import { h } from '../../shared/dom.js';
import { api } from '../../api.js';
import { errorText, sentence } from '../../shared/format.js';
import { confirmDialog, textDialog } from '../../shared/dialog.js';
import { programFlash, shortText } from '../../programs.js';

/** True while the school may change the program (the API says so; else draft or returned). */
export function editable(pg) {
  return typeof pg.program.editable === 'boolean' ? pg.program.editable
    : pg.isSchool && (pg.program.status === 'draft' || pg.program.status === 'returned');
}

/** measure id → its number in the program. */
export function numberOf(pg) {
  return new Map((pg.program.measures || []).map((m, i) => [String(m.id), i + 1]));
}

export function deficitById(pg) {
  return new Map((pg.program.deficits || []).map((d) => [String(d.id), d]));
}

/** Re-reads the program and redraws; message: [kind, ...content] for the box. */
export async function reload(pg, message) {
  pg.program = await api.get(`/programs/${pg.id}`);
  const still = new Set((pg.program.uncovered_deficits || []).map((d) => String(d.id)));
  pg.uncoveredErrors = new Map([...pg.uncoveredErrors].filter(([k]) => still.has(k)));
  pg.draw();
  if (message) pg.box.show(...message);
}

/** Explains an error of an action; a 409 reloads the program first. */
export async function failed(pg, err, prefix) {
  if (err?.status === 409) {
    const why = err.code === 'conflict.stale_version'
      ? 'Программу только что изменили в другом окне или другой пользователь. Показано её текущее состояние; проверьте и повторите действие.'
      : `${sentence(err.title)} Показано текущее состояние программы.`;
    try {
      await pg.reload(['error', h('strong', null, `${prefix} `), why]);
    } catch (again) {
      pg.box.show('error', h('strong', null, `${prefix} `), errorText(again));
    }
    return;
  }
  pg.box.show('error', h('strong', null, `${prefix} `), errorText(err));
}

/**
 * Runs an action from a text dialog. guard(promise) turns a 409 into a null
 * result so that the dialog closes; the program is then reloaded and the
 * conflict explained.
 */
export async function fromDialog(pg, run, okText, prefix) {
  let conflict = null;
  const guard = (promise) => promise.catch((err) => {
    if (err.status === 409) { conflict = err; return null; }
    throw err;
  });
  pg.box.clear();
  let result;
  try {
    result = await run(guard);
  } catch (err) {
    await pg.failed(err, prefix);
    return;
  }
  if (conflict) { await pg.failed(conflict, prefix); return; }
  if (result === null || result === undefined) return;
  try {
    await pg.reload(['success', okText]);
  } catch (err) {
    pg.box.show('error', errorText(err));
  }
}

/** «Программа не отправлена»: the uncovered deficits ([id, message]) beside themselves and listed as links. */
function showUncovered(pg, uncovered, title) {
  pg.uncoveredErrors = new Map(uncovered);
  pg.draw();
  const byId = pg.deficitById();
  pg.box.show('error', h('strong', null, 'Программа не отправлена. '), sentence(title),
    ' Добавьте мероприятия для этих дефицитов:',
    h('ul', { 'data-testid': 'uncovered-errors' }, [...pg.uncoveredErrors.keys()].map((k) => {
      const d = byId.get(k);
      return h('li', null, h('button', { type: 'button', class: 'link-button', onclick: () => pg.jumpToDeficit(k) },
        d ? [h('span', { class: 'code' }, d.indicator_code), ` ${shortText(d.indicator_text, 120)}`] : pg.uncoveredErrors.get(k)));
    })));
}

/**
 * Submits after a confirmation — unless the page already shows why the municipality cannot get
 * it (a deficit without a measure, no measure at all): then it says so at once, asking nothing.
 */
export async function submit(pg) {
  pg.box.clear();
  const known = pg.program.uncovered_deficits || [];
  if (known.length) {
    // The server's words for the same refusal (program_submit), so the page reads the same either way.
    showUncovered(pg, known.map((d) => [String(d.id), `Нет мероприятия для дефицита ${d.indicator_code}: ${shortText(d.indicator_text, 120)}`]),
      `Не все дефициты закрыты мероприятиями: ${known.length}`);
    return;
  }
  if (!(pg.program.measures || []).length) {
    pg.box.show('error', h('strong', null, 'Программа не отправлена. '), 'Добавьте хотя бы одно мероприятие.');
    return;
  }
  const ok = await confirmDialog({
    title: 'Отправить программу на согласование?',
    text: [`Программа уйдёт в муниципалитет${pg.program.municipality_name ? ` (${pg.program.municipality_name})` : ''}.`,
      'Пока муниципалитет не утвердит её или не вернёт на доработку, изменить её будет нельзя.'],
    confirm: 'Отправить',
    testId: 'submit-dialog',
  });
  if (!ok) return;
  try {
    await api.post(`/programs/${pg.id}/submit`, undefined, pg.program.version);
    pg.uncoveredErrors = new Map();
    pg.editing = null;
    await pg.reload(['success', 'Программа отправлена на согласование в муниципалитет.']);
  } catch (err) {
    if (err.status === 422 && err.code === 'program.deficits_uncovered') {
      showUncovered(pg, err.errors
        .filter((e) => /^deficits\.\d+$/.test(e.field || ''))
        .map((e) => [e.field.slice('deficits.'.length), e.message || 'Нет мероприятия для этого дефицита.']), err.title);
    } else if (err.status === 422 && err.fieldErrors.measures) {
      pg.box.show('error', h('strong', null, 'Программа не отправлена. '), 'Добавьте хотя бы одно мероприятие.');
    } else {
      await pg.failed(err, 'Программа не отправлена.');
    }
  }
}

export async function revise(pg) {
  pg.box.clear();
  const ok = await confirmDialog({
    title: 'Изменить программу?',
    text: ['Будет создана новая редакция программы — черновик с теми же мероприятиями и отметками о ходе выполнения.',
      'Утверждённая редакция остаётся в силе, пока муниципалитет не утвердит новую.'],
    confirm: 'Создать новую редакцию',
    testId: 'revise-dialog',
  });
  if (!ok) return;
  try {
    const fresh = await api.post(`/programs/${pg.id}/revise`, undefined, pg.program.version);
    programFlash.set(fresh.id, ['success', `Создана редакция ${fresh.revision}. Внесите изменения и отправьте её на согласование; `
      + 'до её утверждения действует прежняя редакция.']);
    pg.ctx.navigate(`#/programs/${fresh.id}`);
  } catch (err) {
    await pg.failed(err, 'Новая редакция не создана.');
  }
}

export async function approve(pg) {
  pg.box.clear();
  const ok = await confirmDialog({
    title: 'Утвердить программу?',
    text: [`${pg.program.school_name} — ${pg.program.title}`,
      'Дефициты, на которые направлены мероприятия, перейдут в работу; школа начнёт отмечать ход выполнения.'],
    confirm: 'Утвердить',
    testId: 'approve-dialog',
  });
  if (!ok) return;
  try {
    await api.post(`/programs/${pg.id}/approve`, undefined, pg.program.version);
    await pg.reload(['success', 'Программа утверждена.']);
  } catch (err) {
    await pg.failed(err, 'Программа не утверждена.');
  }
}

export function returnBack(pg) {
  return pg.fromDialog((guard) => textDialog({
    title: 'Вернуть программу на доработку',
    intro: 'Школа увидит комментарий, исправит программу и отправит её снова.',
    label: 'Комментарий для школы',
    hint: 'Что нужно исправить или дополнить.',
    confirm: 'Вернуть на доработку',
    field: 'comment',
    emptyMessage: 'Напишите комментарий: без него программу вернуть нельзя.',
    testId: 'return-dialog',
    submit: (comment) => guard(api.post(`/programs/${pg.id}/return`, { comment }, pg.program.version)),
  }), 'Программа возвращена школе на доработку с вашим комментарием.', 'Программа не возвращена.');
}

export function closeDeficit(pg, d) {
  return pg.fromDialog((guard) => textDialog({
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

export function startMeasure(pg, preset = []) {
  pg.editing = { measure: null, preset };
  pg.progressFor = null;
  pg.draw();
  pg.root.querySelector('[data-testid="measure-form"] textarea')?.focus();
  pg.root.querySelector('[data-testid="measure-form"]')?.scrollIntoView({ block: 'start' });
}

export function editMeasure(pg, m) {
  pg.editing = { measure: m };
  pg.progressFor = null;
  pg.draw();
  pg.root.querySelector('[data-testid="measure-form"] textarea')?.focus();
  pg.root.querySelector('[data-testid="measure-form"]')?.scrollIntoView({ block: 'start' });
}

export async function deleteMeasure(pg, m) {
  pg.box.clear();
  const ok = await confirmDialog({
    title: 'Удалить мероприятие?',
    text: `№ ${pg.numberOf().get(String(m.id))}. ${shortText(m.title, 200)}`,
    confirm: 'Удалить',
    danger: true,
    testId: 'delete-dialog',
  });
  if (!ok) return;
  try {
    await api.del(`/programs/${pg.id}/measures/${m.id}`);
    if (pg.editing?.measure?.id === m.id) pg.editing = null;
    await pg.reload(['success', 'Мероприятие удалено.']);
  } catch (err) {
    await pg.failed(err, 'Мероприятие не удалено.');
  }
}

export function jumpToDeficit(pg, deficitId) {
  const li = pg.root.querySelector(`li[data-deficit-id="${CSS.escape(String(deficitId))}"]`);
  if (!li) return;
  const details = li.closest('details');
  if (details) details.open = true;
  li.scrollIntoView({ block: 'center' });
  li.focus({ preventScroll: true });
}

export function jumpToMeasure(pg, measureId) {
  const el = pg.root.querySelector(`[data-measure-id="${CSS.escape(String(measureId))}"]`);
  if (!el) return;
  el.scrollIntoView({ block: 'center' });
  el.querySelector('th, .pmeasure__title')?.focus({ preventScroll: true });
}
