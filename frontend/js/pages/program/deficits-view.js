// The deficits and growth areas of the program page, and the banner of deficits still without a measure.

import { h } from '../../shared/dom.js';
import { formatNumber, plural } from '../../shared/format.js';
import { ofPoints } from '../../diagnostics.js';
import { needsMeasure } from '../../programs.js';
import { statusBadge } from '../../shared/vocabulary.js';
import { PENDING } from './constants.js';

export function deficitItem(pg, d, { mode }) {
  const numbers = pg.numberOf();
  const ids = (d.measure_ids || []).filter((mid) => numbers.has(String(mid)));
  const uncovered = needsMeasure(d) && !ids.length;
  const error = pg.uncoveredErrors.get(String(d.id));
  const canClose = pg.user.role === 'municipality' && d.kind === 'deficit' && (d.status === 'open' || d.status === 'in_work');
  const coverage = ids.length
    ? h('span', { class: 'pdeficit__measures' }, ids.length === 1 ? 'Мероприятие ' : 'Мероприятия ',
      ids.map((mid, i) => [i ? ', ' : '', h('button', { type: 'button', class: 'link-button', onclick: () => pg.jumpToMeasure(mid) }, `№\u00a0${numbers.get(String(mid))}`)]))
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
    mode === 'edit' ? h('button', { type: 'button', class: 'btn btn--small', onclick: () => pg.startMeasure([d.id]) }, '+ Мероприятие') : null,
    canClose ? h('button', { type: 'button', class: 'btn btn--small btn--danger', onclick: () => pg.closeDeficit(d) }, 'Закрыть дефицит') : null) : null);
}

export function deficitsCard(pg, { mode, compact = false }) {
  const all = pg.program.deficits || [];
  const real = all.filter((d) => d.kind === 'deficit');
  const growth = all.filter((d) => d.kind !== 'deficit');
  const growthCovered = growth.filter((d) => (d.measure_ids || []).length).length;
  return h('section', { class: 'card', 'aria-labelledby': 'pdeficits-title', 'data-testid': 'program-deficits' },
    h('h2', { id: 'pdeficits-title' }, 'Дефициты и зоны роста'),
    h('h3', null, `Дефициты — 0 баллов (${formatNumber(real.length)})`),
    real.length ? h('ol', { class: ['pdeficits', compact ? null : 'pdeficits--grid'], 'data-testid': 'deficits-list' }, real.map((d) => pg.deficitItem(d, { mode })))
      : h('p', { class: 'muted' }, 'Дефицитов нет: по каждому показателю получены баллы.'),
    h('details', { class: 'pgrowth', open: growthCovered > 0 || growth.some((d) => pg.uncoveredErrors.has(String(d.id))) },
      h('summary', null, `Зоны роста — баллы ниже максимума (${formatNumber(growth.length)})`,
        growthCovered ? h('span', { class: 'muted small' }, ` · с мероприятиями: ${formatNumber(growthCovered)}`) : null),
      growth.length ? h('ol', { class: ['pdeficits', compact ? 'pdeficits--compact' : 'pdeficits--grid'], 'data-testid': 'growth-list' }, growth.map((d) => pg.deficitItem(d, { mode })))
        : h('p', { class: 'muted' }, 'Зон роста нет.')));
}

export function coverageBanner(pg) {
  if (!PENDING.has(pg.program.status)) return null;
  const list = pg.program.uncovered_deficits || [];
  if (!list.length) {
    return h('div', { class: 'coverage coverage--ok', role: 'status', 'data-testid': 'coverage-banner', 'data-uncovered': '0' },
      pg.editable() ? 'Все дефициты закрыты мероприятиями. Программу можно отправить на согласование.'
        : 'Все дефициты закрыты мероприятиями.');
  }
  return h('div', { class: 'coverage coverage--warn', role: 'status', 'data-testid': 'coverage-banner', 'data-uncovered': String(list.length) },
    h('strong', null, `Без мероприятий ${formatNumber(list.length)} ${plural(list.length, ['дефицит', 'дефицита', 'дефицитов'])}: `),
    list.map((d, i) => [i ? ', ' : '', h('button', {
      type: 'button', class: 'link-button', title: d.indicator_text || '', onclick: () => pg.jumpToDeficit(d.id),
    }, d.indicator_code), d.critical ? ' (критический)' : '']),
    pg.editable() ? '. Добавьте для каждого хотя бы одно мероприятие, иначе программу не отправить.' : '.');
}
