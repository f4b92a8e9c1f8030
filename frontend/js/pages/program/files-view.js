// The files of the program page (issue 14): the program's own — the signed
// program (PDF), the order approving it, annexes — and each measure's
// evidence of progress in an approved program. The school attaches to its
// program while it is a draft, returned or approved (the signed PDF exists
// only after approval) and removes files only while it is a draft or
// returned; a measure's files come and go while the program is approved.
// The municipality, ЛОИРО and the committee see and open them.

import { attachmentsCard, attachmentsPanel } from '../../shared/attachments.js';

const ATTACHING = new Set(['draft', 'returned', 'approved']);
const REMOVING = new Set(['draft', 'returned']);

/** A 409 from a panel: the program changed state meanwhile; show it as it is now. */
function onConflict(pg, err) {
  pg.failed(err, 'Файлы не изменены.');
}

export function filesCard(pg) {
  const p = pg.program;
  const own = pg.isSchool;
  const hasPdf = (p.attachments || []).some((a) => a.content_type === 'application/pdf');
  let intro = 'Подписанная программа (PDF) после утверждения, приказ о её утверждении и приложения.';
  if (own && p.status === 'approved' && !hasPdf) {
    intro = 'Программа утверждена: прикрепите подписанную программу (PDF) и приказ о её утверждении.';
  } else if (own && REMOVING.has(p.status)) {
    intro = 'Приложения к программе. Подписанную программу (PDF) прикрепите после утверждения.';
  }
  return attachmentsCard('program', {
    heading: 'Подписанная программа и приложения',
    always: true,
    owner: p,
    objectPath: `/programs/${pg.id}`,
    canAttach: own && ATTACHING.has(p.status),
    canRemove: own && REMOVING.has(p.status),
    intro,
    empty: 'Файлов пока нет.',
    onConflict: (err) => onConflict(pg, err),
  });
}

/**
 * The files of one measure: read-only in its row (null when it has none), or
 * with attaching and removing beside the progress form of an approved program.
 */
export function measureFiles(pg, m, { editing = false } = {}) {
  if (!editing && !(m.attachments || []).length) return null;
  const may = editing && pg.isSchool && pg.program.status === 'approved';
  return attachmentsPanel({
    owner: m,
    objectPath: `/programs/${pg.id}/measures/${m.id}`,
    canAttach: may,
    canRemove: may,
    title: editing ? 'Подтверждающие файлы' : null,
    intro: editing ? 'Приказ, протокол, отчёт или фотографии — то, что подтверждает ход мероприятия.' : null,
    empty: editing ? 'Файлов пока нет.' : null,
    compact: !editing,
    testId: 'measure-attachments',
    onConflict: (err) => onConflict(pg, err),
  });
}
