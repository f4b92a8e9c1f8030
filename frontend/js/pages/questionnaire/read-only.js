// The read-only questionnaire (submitted, accepted, or the campaign is not open): its state,
// the result with deficits and earlier campaigns, the answers and the history.

import { h, replace } from '../../shared/dom.js';
import { api } from '../../api.js';
import { errorText, formatDate } from '../../shared/format.js';
import { messageBox } from '../../shared/forms.js';
import { resultView, answersView } from '../../result.js';
import { historyList, loadEarlierResults, period } from '../../diagnostics.js';
import { statusBadge } from '../../shared/vocabulary.js';

/** Draws the read-only result (submitted, accepted, or the campaign is not open). */
export async function drawReadOnly(pg, message) {
  const readBox = messageBox();
  let deficits = null;
  let deficitsError = null;
  let earlier = [];
  if (pg.submission.result) {
    try {
      deficits = (await api.get(`/schools/${pg.submission.school_id}/deficits`, { campaign_id: pg.campaign.id })).items;
    } catch (err) {
      deficitsError = errorText(err, 'Список дефицитов не загрузился');
    }
    earlier = await loadEarlierResults(pg.submission.school_id, pg.campaign);
  }
  const last = (status) => [...(pg.submission.history || [])].reverse().find((e) => e.status === status);
  let state;
  if (pg.submission.status === 'submitted') {
    state = `Анкета отправлена на проверку${last('submitted')?.at ? ` ${formatDate(last('submitted').at)}` : ''}. `
      + 'Муниципалитет примет её или вернёт на доработку с комментарием; до тех пор ответы изменить нельзя.';
  } else if (pg.submission.status === 'accepted') {
    state = `Анкета принята муниципалитетом${last('accepted')?.at ? ` ${formatDate(last('accepted').at)}` : ''}. Результат официальный.`;
  } else {
    state = 'Кампания не принимает анкеты: ответы доступны только для просмотра.';
  }
  replace(pg.root, pg.back,
    h('div', { class: 'page__head page__head--row' },
      h('div', null,
        h('h1', { id: 'questionnaire-title' }, 'Самодиагностика'),
        h('p', { class: 'page__sub' }, `${pg.campaign.title} · ${period(pg.campaign.opens_on, pg.campaign.closes_on)} · `,
          statusBadge('submission', pg.submission.status))),
      h('div', { class: 'page__actions no-print' },
        h('a', { class: 'btn', href: `#/deficits?campaign_id=${pg.campaign.id}` }, 'Дефициты'))),
    readBox.node,
    h('p', { class: 'note', 'data-testid': 'submission-state' }, state),
    pg.submission.result ? resultView({ submission: pg.submission, index: pg.index, deficits, deficitsError, earlier }) : null,
    answersView(pg.index, pg.submission),
    h('section', { class: 'card', 'aria-labelledby': 'history-title' },
      h('h2', { id: 'history-title' }, 'История анкеты'), historyList(pg.submission)));
  if (message) readBox.show(...message);
}
