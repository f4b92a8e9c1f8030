// One direction of the editable questionnaire and its indicators (answer choices, a comment
// and the files that confirm the answer).

import { h, uid } from '../../shared/dom.js';
import { formatNumber, plural } from '../../shared/format.js';
import { filesOf, pointsText } from '../../diagnostics.js';
import { attachmentsPanel } from '../../shared/attachments.js';

/** The files of one answer (the order that confirms the indicator): the school attaches and removes them. */
function answerFiles(pg, x) {
  return attachmentsPanel({
    owner: { attachments: filesOf(pg.submission, x.id) },
    objectPath: `/submissions/${pg.submission.id}/answers/${x.id}`,
    canAttach: true,
    canRemove: true,
    empty: null,
    compact: true,
    testId: 'answer-attachments',
  });
}

export function indicatorBlock(pg, x) {
  const id = String(x.id);
  const name = uid(`ind-${x.id}`);
  const a = pg.wanted.get(id);
  const legendId = uid('ind-legend');
  const hintId = x.hint ? uid('ind-hint') : null;
  const radios = x.options.map((o) => h('input', {
    type: 'radio', name, id: uid('opt'), value: o.value, checked: Boolean(a && a.value === o.value),
    'aria-describedby': hintId,
  }));
  const comment = h('textarea', { id: uid('ind-comment'), rows: 2, maxlength: 2000, class: 'indicator__comment' }, a?.comment || '');
  const details = h('details', { class: 'indicator__more', open: Boolean(a?.comment) },
    h('summary', null, 'Комментарий'),
    h('label', { for: comment.id, class: 'visually-hidden' }, `Комментарий к показателю ${x.code}`),
    comment);
  const stateEl = h('p', { class: 'save-state', 'aria-live': 'polite', 'data-testid': 'save-state' });
  const fieldset = h('fieldset', {
    class: ['indicator', x.critical ? 'indicator--critical' : null],
    id: `indicator-${x.id}`, 'data-indicator-id': id, 'data-indicator-code': x.code, 'aria-labelledby': legendId,
  },
  h('legend', { id: legendId, class: 'indicator__legend' },
    h('span', { class: 'code indicator__code' }, x.code), ' ',
    h('span', { class: 'indicator__text' }, x.text),
    x.critical ? [' ', h('span', { class: 'badge badge--danger' }, 'критический')] : null),
  x.hint ? h('p', { class: 'indicator__hint', id: hintId }, x.hint) : null,
  h('div', { class: 'indicator__options' }, x.options.map((o, i) => h('div', { class: 'option' },
    radios[i],
    h('label', { for: radios[i].id }, o.label, h('span', { class: 'option__points' }, ` · ${pointsText(o.points)}`))))),
  details,
  answerFiles(pg, x),
  stateEl);
  for (const r of radios) {
    r.addEventListener('change', () => {
      if (!r.checked) return;
      const w = pg.wanted.get(id) || { value: null, comment: '' };
      pg.wanted.set(id, { value: r.value, comment: comment.value.trim() || w.comment || '' });
      pg.enqueue(id);
    });
  }
  comment.addEventListener('blur', () => {
    const text = comment.value.trim();
    const w = pg.wanted.get(id) || { value: null, comment: '' };
    if (text === (w.comment || '') && text === (pg.saved.get(id)?.comment || '')) return;
    pg.wanted.set(id, { ...w, comment: text });
    if (!w.value) {
      pg.setIndicatorState(id, 'note', 'комментарий сохранится, когда вы выберете ответ');
      return;
    }
    pg.enqueue(id);
  });
  pg.controls.set(id, { fieldset, radios, comment, details, stateEl });
  if (a?.value) pg.setIndicatorState(id, 'saved', '');
  return fieldset;
}

export function directionSection(pg, d, n) {
  const titleId = uid('dir-title');
  const i = pg.index.directions.indexOf(d);
  const prev = pg.index.directions[i - 1];
  const next = pg.index.directions[i + 1];
  const section = h('section', { class: 'qdirection', 'aria-labelledby': titleId, 'data-direction-code': d.code, hidden: true },
    h('h2', { id: titleId, tabindex: '-1', class: 'qdirection__title' }, `${n}. ${d.title}`),
    h('p', { class: 'muted small' },
      `${formatNumber(d.indicators.length)} ${plural(d.indicators.length, ['показатель', 'показателя', 'показателей'])}, `
      + `максимум ${pointsText(d.max_points)}.`),
    d.indicators.map(pg.indicatorBlock),
    h('div', { class: 'qdirection__nav no-print' },
      prev ? h('button', { type: 'button', class: 'btn', onclick: () => pg.show(prev.code, true) }, `← ${prev.title}`) : h('span'),
      next
        ? h('button', { type: 'button', class: 'btn btn--primary', onclick: () => pg.show(next.code, true) }, `${next.title} →`)
        : h('button', { type: 'button', class: 'btn btn--primary', onclick: () => pg.show('check', true) }, 'Проверить и отправить →')));
  pg.sections.set(d.code, section);
  return section;
}
