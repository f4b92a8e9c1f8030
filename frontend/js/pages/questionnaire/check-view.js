// The check before submitting (unanswered indicators as links), submitting, and moving
// between the directions of the questionnaire.

import { h, replace } from '../../shared/dom.js';
import { api } from '../../api.js';
import { errorText, formatNumber, plural, sentence } from '../../shared/format.js';
import { confirmDialog } from '../../shared/dialog.js';
import { answeredOf, unwrapSubmission } from '../../diagnostics.js';
import { pending } from './common.js';

export function jumpTo(pg, indicatorId) {
  const d = pg.index.directionOf(indicatorId);
  if (!d) return;
  pg.show(d.code, false);
  const c = pg.controls.get(String(indicatorId));
  c.fieldset.scrollIntoView({ block: 'center' });
  (c.radios.find((r) => r.checked) || c.radios[0]).focus({ preventScroll: true });
}

/** The unanswered indicators as links, grouped by direction. */
export function unansweredList(pg, ids) {
  const set = new Set(ids.map(String));
  return h('ul', { class: 'unanswered', 'data-testid': 'unanswered' }, pg.index.directions
    .filter((d) => d.indicators.some((x) => set.has(String(x.id))))
    .map((d) => h('li', null, h('span', { class: 'unanswered__dir' }, d.title),
      h('ul', null, d.indicators.filter((x) => set.has(String(x.id))).map((x) => h('li', null,
        h('button', { type: 'button', class: 'link-button', 'data-indicator-code': x.code, onclick: () => pg.jumpTo(x.id) },
          h('span', { class: 'code' }, x.code), ` ${x.text}`),
        x.critical ? [' ', h('span', { class: 'badge badge--danger' }, 'критический')] : null))))));
}

export async function submitNow(pg) {
  pg.submitBox.clear();
  await pg.chain; // every save finished first
  const missing = pg.index.indicators.filter((x) => !pg.saved.get(String(x.id))?.value);
  if (missing.length) {
    pg.drawCheck();
    pg.submitBox.show('error', 'Ответьте на все показатели: список ниже.');
    return;
  }
  if ([...pg.saveState.values()].includes('error')) {
    pg.submitBox.show('error', 'Есть несохранённые ответы или комментарии: повторите их сохранение.');
    return;
  }
  const yes = await confirmDialog({
    title: 'Отправить анкету на проверку?',
    text: ['Анкета уйдёт в муниципалитет. Пока муниципалитет её не вернёт, изменить ответы будет нельзя.'],
    confirm: 'Отправить',
  });
  if (!yes) return;
  try {
    pg.submission = unwrapSubmission(await api.post(`/submissions/${pg.submission.id}/submit`, undefined, pg.submission.version));
    pending.flash = ['success', 'Анкета отправлена на проверку в муниципалитет. Ниже — результат самодиагностики.'];
    if (!pg.submission.result) pg.submission = unwrapSubmission(await api.get(`/submissions/${pg.submission.id}`));
    await pg.drawReadOnly(pending.flash);
    pending.flash = null;
    pg.root.querySelector('h1')?.focus();
  } catch (err) {
    if (err.status === 422 && err.code === 'submission.incomplete') {
      const ids = err.errors.map((e) => String(e.field || '').replace(/^answers\./, '')).filter(Boolean);
      pg.submitBox.show('error', `Анкета не отправлена: нет ответа на ${formatNumber(ids.length)} `
        + `${plural(ids.length, ['показатель', 'показателя', 'показателей'])}.`, pg.unansweredList(ids));
    } else if (err.status === 409 && err.code === 'conflict.stale_version') {
      await pg.reloadAfterConflict('Анкета не отправлена: её только что изменили в другом окне или другим сотрудником школы. '
        + 'Загружены актуальные ответы; проверьте их и отправьте снова.').catch(() => {});
      pg.drawCheck();
    } else if (err.status === 409) {
      await pg.reloadAfterConflict(`Анкета не отправлена: ${sentence(err.title)}`).catch(() => {});
    } else {
      pg.submitBox.show('error', errorText(err, 'Анкета не отправлена'));
    }
  }
}

export function drawCheck(pg) {
  const missing = pg.index.indicators.filter((x) => !pg.saved.get(String(x.id))?.value);
  const n = pg.total - missing.length;
  replace(pg.checkPane,
    h('h2', { id: 'check-title', tabindex: '-1' }, 'Проверка и отправка'),
    h('p', null, `Отвечено ${answeredOf(n, pg.total)}.`),
    pg.submitBox.node,
    missing.length
      ? [h('h3', null, `Нет ответа на ${formatNumber(missing.length)} ${plural(missing.length, ['показатель', 'показателя', 'показателей'])}`),
        pg.unansweredList(missing.map((x) => x.id))]
      : h('p', { class: 'message message--success', 'data-testid': 'all-answered' }, 'На все показатели даны ответы. Анкету можно отправить.'),
    h('div', { class: 'form__actions' },
      h('button', { type: 'button', class: 'btn btn--primary', onclick: pg.submitNow }, 'Отправить на проверку')));
}

export function show(pg, code, focus) {
  pg.current = code;
  for (const [c, s] of pg.sections) s.hidden = c !== code;
  pg.checkPane.hidden = code !== 'check';
  if (code === 'check') pg.drawCheck();
  for (const li of pg.navList.children) {
    const b = li.querySelector('button');
    if (li.dataset.directionCode === code) b.setAttribute('aria-current', 'step');
    else b.removeAttribute('aria-current');
  }
  if (pg.ctx.isCurrent()) pg.ctx.setQuery({ d: code === pg.index.directions[0]?.code ? '' : code });
  if (focus) {
    const heading = code === 'check' ? pg.checkPane.querySelector('h2') : pg.sections.get(code)?.querySelector('h2');
    pg.pane.scrollIntoView({ block: 'start' });
    heading?.focus({ preventScroll: true });
  }
}
