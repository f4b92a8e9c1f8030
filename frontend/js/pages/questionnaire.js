// The school's questionnaire of one campaign (#/diagnostics/{campaign_id}).
// Opening it creates the school's submission or resumes it (POST
// /campaigns/{id}/submissions). While the submission is a draft or returned
// and the campaign is open, every answer is saved as soon as it is chosen
// (PUT /submissions/{id}/answers/{indicator_id} with If-Match: that answer's
// own version, so that deputies answering different indicators never
// conflict), one save at a time; a comment is saved when its box
// loses focus. Each indicator and the page show «Сохранение…», «Сохранено»
// or the error. A 409 for a stale version (another window or colleague)
// reloads the submission and says so. Before submitting, the unanswered
// indicators are listed as links; after submitting (and when the submission
// is submitted, accepted or the campaign has closed) the page shows the
// result read-only.

import { h, replace } from '../shared/dom.js';
import { api } from '../api.js';
import { formatDate, formatDateTime } from '../shared/format.js';
import { messageBox } from '../shared/forms.js';
import { byWhom, indexInstrument, lastReturn, loadInstrument, period } from '../diagnostics.js';
import { statusBadge } from '../shared/vocabulary.js';
import { answersMap, loadSubmission, pending } from './questionnaire/common.js';
import * as readOnly from './questionnaire/read-only.js';
import * as saving from './questionnaire/saving.js';
import * as indicatorView from './questionnaire/indicator-view.js';
import * as checkView from './questionnaire/check-view.js';

/** The parts of the page; each exported function takes the page object first. */
const PARTS = [readOnly, saving, indicatorView, checkView];

/** The campaign before it opens, or closed without this school's submission. */
function noSubmission(root, back, campaign) {
  replace(root, back,
    h('div', { class: 'page__head' }, h('h1', { id: 'questionnaire-title' }, campaign.title),
      h('p', { class: 'page__sub' }, period(campaign.opens_on, campaign.closes_on))),
    h('p', { class: 'note' }, campaign.status === 'planned'
      ? `Приём анкет начнётся ${formatDate(campaign.opens_on)}.`
      : 'Кампания завершена; ваша школа не заполняла анкету в ней.'));
  return { node: root, title: campaign.title };
}

/**
 * The page object every part works on (pg.submission, pg.saved, pg.controls …)
 * with each part's functions bound to it (pg.saveOne(id), pg.show(code) …), so
 * that a part calls another without importing it.
 */
export async function render(ctx) {
  const campaign = await api.get(`/campaigns/${ctx.params.id}`);
  const submission = await loadSubmission(campaign);
  const root = h('section', { class: 'page', 'aria-labelledby': 'questionnaire-title' });
  const back = h('p', { class: 'breadcrumbs no-print' }, h('a', { href: '#/diagnostics' }, '← К кампаниям самодиагностики'));
  if (!submission) return noSubmission(root, back, campaign);
  const index = indexInstrument(await loadInstrument(submission.instrument_id));
  const total = index.indicators.length;
  const saved = answersMap(submission);
  const pg = {
    ctx, campaign, submission, root, back, index, total,
    box: messageBox(),
    /** Answers the server has: indicator id → {value, comment}. */
    saved,
    /** What the user has chosen and typed: indicator id → {value, comment}. */
    wanted: new Map([...saved].map(([k, v]) => [k, { ...v }])),
    /** indicator id → 'saving' | 'saved' | 'error' | 'note'. */
    saveState: new Map(),
    /** indicator id → {fieldset, radios, comment, details, stateEl}. */
    controls: new Map(),
    /** The saves, one after another: each carries the version the previous one returned. */
    chain: Promise.resolve(),
    touched: false,
    progressBar: h('progress', { class: 'progress', max: total, value: 0, 'aria-labelledby': 'progress-label' }),
    progressText: h('span', { id: 'progress-label', 'data-testid': 'progress-text' }),
    globalState: h('span', { class: 'save-state save-state--global', role: 'status', 'aria-live': 'polite', 'data-testid': 'global-save-state' }),
    navList: h('ul', { class: 'qnav__list' }),
    pane: h('div', { class: 'qpane' }),
    checkPane: h('section', { class: 'card qcheck', 'aria-labelledby': 'check-title', 'data-testid': 'check-pane', hidden: true }),
    sections: new Map(),
    /** The direction code shown, or 'check'. */
    current: null,
    submitBox: messageBox('submit-message'),
  };
  for (const part of PARTS) {
    for (const [name, fn] of Object.entries(part)) pg[name] = (...args) => fn(pg, ...args);
  }
  if (!pg.editableNow(submission)) {
    await pg.drawReadOnly(pending.flash);
    pending.flash = null;
    return { node: root, title: 'Самодиагностика' };
  }

  replace(pg.navList,
    pg.index.directions.map((d, n) => h('li', { class: 'qnav__item', 'data-direction-code': d.code },
      h('button', { type: 'button', class: 'qnav__button', onclick: () => pg.show(d.code, true) },
        h('span', { class: 'qnav__title' }, `${n + 1}. ${d.title}`),
        h('span', { class: 'qnav__count' })))),
    h('li', { class: 'qnav__item qnav__item--check', 'data-direction-code': 'check' },
      h('button', { type: 'button', class: 'qnav__button', onclick: () => pg.show('check', true) },
        h('span', { class: 'qnav__title' }, 'Проверка и отправка'))));
  replace(pg.pane, pg.index.directions.map((d, n) => pg.directionSection(d, n + 1)), pg.checkPane);

  const returned = pg.submission.status === 'returned' ? lastReturn(pg.submission) : null;
  replace(pg.root, pg.back,
    h('div', { class: 'page__head' },
      h('h1', { id: 'questionnaire-title' }, 'Самодиагностика'),
      h('p', { class: 'page__sub' }, `${pg.campaign.title} · приём анкет по ${formatDate(pg.campaign.closes_on)} · `,
        statusBadge('submission', pg.submission.status))),
    pg.submission.status === 'returned' ? h('section', { class: 'returned', role: 'note', 'aria-labelledby': 'returned-title', 'data-testid': 'return-comment' },
      h('h2', { id: 'returned-title' }, 'Анкета возвращена на доработку'),
      h('p', null, returned?.action === 'reopen' ? 'Причина' : 'Комментарий',
        returned?.by ? ` (${byWhom(returned.by)})` : '',
        returned?.at ? ` от ${formatDateTime(returned.at)}` : '', ':'),
      h('blockquote', { class: 'returned__comment' }, returned?.comment || 'Комментарий не указан.'),
      h('p', { class: 'small' }, 'Исправьте ответы и отправьте анкету снова.')) : null,
    pg.box.node,
    h('div', { class: 'qprogress', 'data-testid': 'questionnaire-progress' },
      h('div', { class: 'qprogress__bar' }, pg.progressText, pg.progressBar),
      pg.globalState),
    h('div', { class: 'questionnaire' },
      h('nav', { class: 'qnav no-print', 'aria-label': 'Направления анкеты' }, pg.navList),
      pg.pane));
  pg.updateProgress();
  pg.updateGlobal();
  const start = pg.ctx.query.d && (pg.ctx.query.d === 'check' || pg.sections.has(pg.ctx.query.d)) ? pg.ctx.query.d : pg.index.directions[0]?.code;
  pg.show(start, false);
  if (pending.flash) { pg.box.show(...pending.flash); pending.flash = null; }
  return { node: pg.root, title: 'Самодиагностика' };
}
