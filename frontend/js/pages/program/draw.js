// Draws the whole program page from pg: the head with the actions, then the parts.

import { h, replace } from '../../shared/dom.js';
import { programPeriod } from '../../programs.js';
import { statusBadge } from '../../shared/vocabulary.js';
import { PENDING } from './constants.js';

export function draw(pg) {
  const p = pg.program;
  const canEdit = pg.editable();
  const canReport = pg.isSchool && p.status === 'approved';
  const pendingOther = (p.revisions || []).some((r) => PENDING.has(r.status) && String(r.id) !== String(p.id));
  const canRevise = canReport && !pendingOther;
  const canDecide = pg.user.role === 'municipality' && p.status === 'submitted';
  const mode = canEdit ? 'edit' : canReport ? 'report' : 'read';
  const title = pg.isSchool ? p.title : (p.school_name || p.title);
  pg.ctx.setTitle(title);
  const actions = [];
  if (canEdit) {
    if (!pg.editingPassport) actions.push(h('button', { type: 'button', class: 'btn', onclick: () => { pg.editingPassport = true; pg.draw(); pg.root.querySelector('[data-testid="passport-form"] input')?.focus(); } }, 'Название и сроки'));
    actions.push(h('button', { type: 'button', class: 'btn btn--primary', onclick: pg.submit, 'data-testid': 'submit-program' }, 'Отправить на согласование'));
  }
  if (canRevise) actions.push(h('button', { type: 'button', class: 'btn', onclick: pg.revise }, 'Изменить программу'));
  if (canDecide) {
    actions.push(h('button', { type: 'button', class: 'btn btn--primary', onclick: pg.approve }, 'Утвердить'));
    actions.push(h('button', { type: 'button', class: 'btn btn--danger', onclick: pg.returnBack }, 'Вернуть на доработку'));
  }
  const side = !pg.isSchool;
  replace(pg.root,
    h('p', { class: 'breadcrumbs no-print' }, h('a', { href: '#/programs' }, pg.isSchool ? '← К программе развития' : '← К программам школ')),
    h('div', { class: 'page__head page__head--row' },
      h('div', null,
        h('h1', { id: 'program-title' }, title),
        h('p', { class: 'page__sub' },
          pg.isSchool ? null : [p.title, ' · '],
          `${p.school_code ? `${p.school_code} · ` : ''}${pg.isSchool ? '' : `${p.municipality_name || ''} · `}`,
          `${p.campaign_title || ''} · ${programPeriod(p)}`,
          p.revision > 1 ? ` · редакция ${p.revision}` : '', ' · ', statusBadge('program', p.status))),
      actions.length ? h('div', { class: 'page__actions no-print', 'data-testid': 'program-actions' }, actions) : null),
    pg.box.node,
    pg.stateNote(),
    pg.returnedBanner(),
    pg.editingPassport && canEdit ? pg.passportForm() : null,
    pg.coverageBanner(),
    side
      ? h('div', { class: 'columns columns--top program-review' }, pg.deficitsCard({ mode, compact: true }), pg.measuresCard({ mode, compact: true }))
      : mode === 'edit' ? [pg.deficitsCard({ mode }), pg.measuresCard({ mode })] : [pg.measuresCard({ mode }), pg.deficitsCard({ mode })],
    pg.filesCard(),
    pg.analysesCard({ mode }),
    pg.commentsCard(),
    pg.historyCard());
}
