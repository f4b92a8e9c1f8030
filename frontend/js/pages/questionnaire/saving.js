// Saving the answers of the questionnaire one at a time (If-Match: the answer's own version),
// the save state of each indicator and of the page, the progress, and the reload after a
// 409. Each function takes the page object pg (see questionnaire.js) first.

import { h, replace } from '../../shared/dom.js';
import { api, ApiError } from '../../api.js';
import { sentence } from '../../shared/format.js';
import { outOf, percent, unwrapSubmission } from '../../diagnostics.js';
import { answersMap, EDITABLE, pending } from './common.js';

/** The API says whether this school may edit now (`editable`); older answers lack the flag. */
export function editableNow(pg, s) {
  return typeof s.editable === 'boolean' ? s.editable : pg.campaign.status === 'open' && EDITABLE.has(s.status);
}

/** How many indicators of a direction have a saved answer. */
export function answeredIn(pg, d) {
  return d.indicators.filter((x) => pg.saved.get(String(x.id))?.value).length;
}

export function answeredAll(pg) {
  return pg.index.indicators.filter((x) => pg.saved.get(String(x.id))?.value).length;
}

export function setIndicatorState(pg, id, state, text, retry) {
  pg.saveState.set(id, state);
  const c = pg.controls.get(id);
  if (!c) return;
  c.stateEl.className = `save-state save-state--${state}`;
  c.stateEl.dataset.state = state;
  const label = {
    saving: 'Сохранение…',
    saved: 'Сохранено',
    error: 'Не сохранено',
    note: '',
  }[state];
  replace(c.stateEl,
    label,
    text ? `${label ? ': ' : ''}${text}` : '',
    retry ? h('button', { type: 'button', class: 'btn btn--small', onclick: retry }, 'Повторить') : null);
  c.fieldset.classList.toggle('indicator--error', state === 'error');
  pg.updateGlobal();
}

export function updateGlobal(pg) {
  const states = [...pg.saveState.values()];
  let cls = 'idle';
  let text = 'Ответы сохраняются автоматически';
  if (states.includes('saving')) { cls = 'saving'; text = 'Сохранение…'; }
  else if (states.includes('error')) { cls = 'error'; text = 'Не все ответы сохранены'; }
  else if (pg.touched) { cls = 'saved'; text = 'Все ответы сохранены'; }
  pg.globalState.className = `save-state save-state--global save-state--${cls}`;
  pg.globalState.dataset.state = cls;
  replace(pg.globalState, text);
}

export function updateProgress(pg) {
  const n = pg.answeredAll();
  pg.progressBar.value = n;
  replace(pg.progressText, `Отвечено ${outOf(n, pg.total)} (${percent(n, pg.total)})`);
  for (const d of pg.index.directions) {
    const item = pg.navList.querySelector(`[data-direction-code="${CSS.escape(d.code)}"]`);
    if (!item) continue;
    const done = pg.answeredIn(d);
    const count = item.querySelector('.qnav__count');
    replace(count, `${done}/${d.indicators.length}`);
    item.classList.toggle('qnav__item--done', done === d.indicators.length);
    count.setAttribute('aria-label', `отвечено ${done} из ${d.indicators.length}`);
  }
  if (pg.current === 'check') pg.drawCheck();
}

/** Reloads the submission after a conflict; redraws read-only when it can no longer be edited. */
export async function reloadAfterConflict(pg, text) {
  const fresh = unwrapSubmission(await api.get(`/submissions/${pg.submission.id}`));
  pg.submission = fresh;
  if (!pg.editableNow(fresh)) {
    pending.flash = null;
    await pg.drawReadOnly(['error', text]);
    return false;
  }
  pg.saved = answersMap(fresh);
  pg.wanted.clear();
  for (const [k, v] of pg.saved) pg.wanted.set(k, { ...v });
  for (const [id, c] of pg.controls) {
    const a = pg.saved.get(id);
    for (const r of c.radios) r.checked = Boolean(a && r.value === a.value);
    c.comment.value = a?.comment || '';
    if (a?.comment) c.details.open = true;
    pg.setIndicatorState(id, a ? 'saved' : 'note', '');
  }
  pg.updateProgress();
  pg.box.show('error', text);
  return true;
}

/**
 * Takes the submission's new version from a save's answer ({submission_id, status,
 * version, progress, answer}): it is the If-Match of submitting.
 */
export async function absorb(pg, body) {
  if (body && Number.isInteger(body.version)) {
    pg.submission = { ...pg.submission, version: body.version, status: body.status || pg.submission.status };
    return;
  }
  // No version in the answer: read it, or submitting would be refused as stale.
  pg.submission = unwrapSubmission(await api.get(`/submissions/${pg.submission.id}`));
}

export async function saveOne(pg, id) {
  const want = pg.wanted.get(id);
  const have = pg.saved.get(id);
  if (!want || !want.value) return;
  if (have && have.value === want.value && (have.comment || '') === (want.comment || '')) {
    pg.setIndicatorState(id, 'saved', '');
    return;
  }
  const sent = { value: want.value, comment: want.comment || '' };
  try {
    // A first answer goes without If-Match; a change names the version it changes.
    const body = await api.put(`/submissions/${pg.submission.id}/answers/${id}`, have?.version, sent);
    await pg.absorb(body);
    pg.saved.set(id, { ...sent, version: body?.answer?.version });
    const now = pg.wanted.get(id);
    if (now.value === sent.value && (now.comment || '') === sent.comment) pg.setIndicatorState(id, 'saved', '');
    pg.updateProgress();
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    const code = pg.index.indicatorById.get(id)?.code || id;
    if (err.status === 409 && err.code === 'conflict.stale_version') {
      await pg.reloadAfterConflict(`Ответ на показатель ${code} только что изменили в другом окне или другим сотрудником школы. `
        + `Загружены актуальные ответы; ваш ответ не сохранён — при необходимости выберите его снова.`)
        .then((editable) => editable && pg.setIndicatorState(id, 'note', 'ответ не сохранён: анкета была изменена, проверьте ответ'))
        .catch(() => pg.setIndicatorState(id, 'error', 'анкета изменена, обновите страницу'));
    } else if (err.status === 409) {
      await pg.reloadAfterConflict(`Ответ не сохранён: ${sentence(err.title)}`)
        .catch(() => pg.setIndicatorState(id, 'error', sentence(err.title)));
    } else if (err.unavailable) {
      pg.setIndicatorState(id, 'error', 'сервис временно недоступен', () => pg.enqueue(id));
    } else {
      const msg = err.fieldErrors.value || err.fieldErrors.comment || err.title;
      pg.setIndicatorState(id, 'error', sentence(msg), () => pg.enqueue(id));
    }
  }
}

export function enqueue(pg, id) {
  pg.touched = true;
  pg.setIndicatorState(id, 'saving', '');
  pg.chain = pg.chain.then(() => pg.saveOne(id)).catch((err) => {
    console.error(err);
    pg.setIndicatorState(id, 'error', 'непредвиденная ошибка; обновите страницу');
  });
}
