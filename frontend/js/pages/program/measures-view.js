// The measures of the program page: the table (edit and report modes), the compact list
// beside the deficits, the filter after approval and the progress form of a measure.

import { h } from '../../shared/dom.js';
import { errorText, formatDate, formatNumber } from '../../shared/format.js';
import { measureForm } from '../../measure-form.js';
import { progressForm } from '../../measure-progress.js';
import { statusBadge, statusLabel } from '../../shared/vocabulary.js';

export function progressRow(pg, m, cols) {
  const number = pg.numberOf().get(String(m.id));
  return h('tr', { class: 'row--form', 'data-testid': 'progress-form' }, h('td', { colspan: cols }, progressForm({
    programId: pg.id,
    measure: m,
    number,
    onSaved: async (status) => {
      pg.progressFor = null;
      await pg.reload(['success', `Отметка о мероприятии № ${number} сохранена: ${statusLabel('measure', status)}.`]);
    },
    onConflict: async (err) => {
      pg.progressFor = null;
      await pg.failed(err, 'Отметка не сохранена.');
    },
    onCancel: () => { pg.progressFor = null; pg.draw(); },
  }), pg.measureFiles(m, { editing: true })));
}

export function measureRow(pg, m, n, { mode }) {
  const byId = pg.deficitById();
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
      m.progress_at ? h('span', { class: 'muted' }, ` (${formatDate(m.progress_at)})`) : null) : null,
    pg.progressFor === m.id ? null : pg.measureFiles(m)),
  h('td', { class: 'cell-codes' }, codes.map((d) => h('button', {
    type: 'button', class: ['chip-code', d.kind === 'deficit' ? 'chip-code--deficit' : null], title: d.indicator_text || '',
    onclick: () => pg.jumpToDeficit(d.id),
  }, d.indicator_code))),
  h('td', { class: 'nowrap' }, formatDate(m.due_date),
    m.overdue ? h('span', { class: 'block' }, h('span', { class: 'badge badge--danger', 'data-testid': 'overdue-badge' }, 'просрочено')) : null),
  h('td', { class: 'small' }, m.responsible),
  mode === 'edit' ? null : h('td', null, statusBadge('measure', m.status)),
  mode === 'edit' ? h('td', { class: 'nowrap no-print' },
    h('button', { type: 'button', class: 'btn btn--small', onclick: () => pg.editMeasure(m) }, 'Изменить'), ' ',
    h('button', { type: 'button', class: 'btn btn--small btn--danger', onclick: () => pg.deleteMeasure(m) }, 'Удалить')) : null,
  mode === 'report' ? h('td', { class: 'nowrap no-print' },
    h('button', {
      type: 'button', class: 'btn btn--small', 'aria-expanded': String(pg.progressFor === m.id),
      onclick: () => { pg.progressFor = pg.progressFor === m.id ? null : m.id; pg.draw(); pg.root.querySelector('[data-testid="progress-form"] input:checked')?.focus(); },
    }, 'Отметить ход')) : null);
}

/** One measure as a block (the narrow column of the side-by-side layout). */
export function measureItem(pg, m, n) {
  const byId = pg.deficitById();
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
    onclick: () => pg.jumpToDeficit(d.id),
  }, d.indicator_code))) : null,
  m.progress_note ? h('p', { class: 'measure__note small', 'data-testid': 'progress-note' },
    { done: 'Что сделано: ', not_done: 'Причина: ' }[m.status] || 'Комментарий: ', m.progress_note,
    m.progress_at ? h('span', { class: 'muted' }, ` (${formatDate(m.progress_at)})`) : null) : null,
  pg.measureFiles(m));
}

export function measuresCard(pg, { mode, compact = false }) {
  const measures = pg.program.measures || [];
  const cols = 6 + (mode === 'edit' || mode === 'report' ? 1 : 0);
  const overdue = measures.filter((m) => m.overdue).length;
  const done = measures.filter((m) => m.status === 'done').length;
  const rows = [];
  const shown = (m) => !pg.measureFilter || mode === 'edit'
    || (pg.measureFilter === 'overdue' && m.overdue)
    || (pg.measureFilter === 'open' && (m.status === 'planned' || m.status === 'in_progress'))
    || m.status === pg.measureFilter;
  measures.forEach((m, i) => {
    if (!shown(m)) return;
    rows.push(pg.measureRow(m, i + 1, { mode }));
    if (mode === 'report' && pg.progressFor === m.id) rows.push(pg.progressRow(m, cols));
  });
  const filterId = 'measure-filter';
  const count = (fn) => formatNumber(measures.filter(fn).length);
  const filter = mode !== 'edit' && measures.length > 8 ? h('div', { class: 'field field--inline no-print' },
    h('label', { for: filterId }, 'Показать'),
    h('select', {
      id: filterId,
      onchange: (e) => { pg.measureFilter = e.target.value; pg.progressFor = null; pg.draw(); document.getElementById(filterId)?.focus(); },
    },
    [['', `все (${count(() => true)})`], ['overdue', `просроченные (${count((m) => m.overdue)})`],
      ['open', `невыполненные (${count((m) => m.status === 'planned' || m.status === 'in_progress')})`],
      ['done', `выполненные (${count((m) => m.status === 'done')})`], ['not_done', `не выполненные, с причиной (${count((m) => m.status === 'not_done')})`]]
      .map(([v, label]) => h('option', { value: v, selected: v === pg.measureFilter }, label)))) : null;
  const form = mode === 'edit' && pg.editing ? measureForm({
    program: pg.program,
    measure: pg.editing.measure,
    preset: pg.editing.preset || [],
    onSaved: async (saved, created) => {
      pg.editing = null;
      try {
        await pg.reload(['success', created ? 'Мероприятие добавлено.' : 'Мероприятие сохранено.']);
      } catch (err) {
        pg.box.show('error', errorText(err));
      }
    },
    onCancel: () => { pg.editing = null; pg.draw(); },
    onStale: () => { pg.editing = null; pg.reload(['info', 'Показана актуальная программа.']).catch((err) => pg.box.show('error', errorText(err))); },
    onState: (err) => { pg.editing = null; pg.failed(err, 'Мероприятие не сохранено.'); },
  }) : null;
  return h('section', { class: 'card', 'aria-labelledby': 'measures-title', 'data-testid': 'program-measures' },
    h('div', { class: 'card__head' },
      h('h2', { id: 'measures-title' }, `Мероприятия (${formatNumber(measures.length)})`),
      mode === 'edit' && !pg.editing ? h('button', { type: 'button', class: 'btn btn--primary no-print', onclick: () => pg.startMeasure([]) }, 'Добавить мероприятие') : null),
    mode !== 'edit' && measures.length ? h('div', { class: 'measures-bar' }, h('p', { class: 'list-summary' },
      `Выполнено ${formatNumber(done)} из ${formatNumber(measures.length)}`,
      overdue ? [', ', h('span', { class: 'num--danger' }, `просрочено ${formatNumber(overdue)}`)] : '', '.'), filter) : null,
    measures.length && compact ? h('ol', { class: 'pmeasures', 'data-testid': 'measures-list' },
      measures.map((m, i) => (shown(m) ? pg.measureItem(m, i + 1) : null))) : null,
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
