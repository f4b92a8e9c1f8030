// The comments, the history, the note on the program's state and the banner of a
// returned program on the program page.

import { h, uid } from '../../shared/dom.js';
import { api } from '../../api.js';
import { formatDate, formatDateTime, formatNumber } from '../../shared/format.js';
import { field, messageBox, showApiError, clearErrors } from '../../shared/forms.js';
import { byWhom } from '../../diagnostics.js';
import { commentsList, lastReturn, programHistory, revisionsList } from '../../programs.js';
import { PENDING, REVIEWERS } from './constants.js';

export function commentsCard(pg) {
  const canComment = REVIEWERS.includes(pg.user.role);
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
          await api.post(`/programs/${pg.id}/comments`, { text: value });
          await pg.reload(['success', 'Комментарий добавлен.']);
        } catch (err) {
          send.disabled = false;
          showApiError(err, f, formBox);
        }
      },
    }, formBox.node, f.text.node, h('div', { class: 'form__actions' }, send));
  }
  return h('section', { class: 'card', 'aria-labelledby': 'comments-title', 'data-testid': 'comments-card' },
    h('h2', { id: 'comments-title' }, `Комментарии (${formatNumber((pg.program.comments || []).length)})`),
    commentsList(pg.program.comments),
    form);
}

export function historyCard(pg) {
  const revisions = revisionsList(pg.program);
  return h('section', { class: 'card', 'aria-labelledby': 'history-title' },
    h('h2', { id: 'history-title' }, 'История программы'),
    programHistory(pg.program),
    revisions ? [h('h3', { class: 'section-title' }, 'Редакции'), revisions] : null);
}

export function stateNote(pg) {
  const p = pg.program;
  const revisions = p.revisions || [];
  const approvedOther = revisions.find((r) => r.status === 'approved' && String(r.id) !== String(p.id));
  const pendingOther = revisions.find((r) => PENDING.has(r.status) && String(r.id) !== String(p.id));
  const parts = [];
  const say = {
    draft: pg.isSchool ? 'Черновик. Добавьте мероприятия для каждого дефицита и отправьте программу на согласование в муниципалитет.'
      : 'Школа составляет программу (черновик).',
    submitted: pg.isSchool
      ? `Программа на согласовании в муниципалитете${p.submitted_at ? ` с ${formatDate(p.submitted_at)}` : ''}. Пока её не утвердят или не вернут, изменить её нельзя.`
      : `Школа отправила программу на согласование${p.submitted_at ? ` ${formatDate(p.submitted_at)}` : ''}.`
        + (pg.user.role === 'municipality' ? ' Сверьте мероприятия с дефицитами и утвердите программу или верните её с комментарием.' : ''),
    returned: pg.isSchool ? 'Программа возвращена на доработку: исправьте её и отправьте снова.' : 'Программа возвращена школе на доработку.',
    approved: `Программа утверждена${p.decided_at ? ` ${formatDate(p.decided_at)}` : ''} и действует.`
      + (pg.isSchool ? ' Отмечайте ход выполнения мероприятий.' : ''),
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

export function returnedBanner(pg) {
  if (pg.program.status !== 'returned') return null;
  const r = lastReturn(pg.program);
  return h('section', { class: 'returned', role: 'note', 'aria-labelledby': 'returned-title', 'data-testid': 'return-comment' },
    h('h2', { id: 'returned-title' }, 'Программа возвращена на доработку'),
    h('p', null, 'Комментарий', r?.by ? ` (${byWhom(r.by)})` : '', r?.at ? ` от ${formatDateTime(r.at)}` : '', ':'),
    h('blockquote', { class: 'returned__comment' }, r?.comment || 'Комментарий не указан.'));
}
