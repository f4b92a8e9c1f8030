// Review of self-diagnostics. The queue (#/review?campaign_id=&status=&municipality_id=):
// every school targeted by a campaign within the user's scope with the state
// of its questionnaire — GET /submissions?with_not_started=1&sort=status, sorted by
// the server (not started included) — for a municipality its own schools,
// for the committee and ЛОИРО the region (with a municipality filter). One submission (#/review/{id}) read-only with its
// result; the municipality accepts a submitted one or returns it with a
// required comment; the committee reopens an accepted one with a reason.

import { h, replace, uid } from '../shared/dom.js';
import { api, listAll } from '../api.js';
import { errorText, formatDate, formatDateTime, formatNumber, sentence } from '../shared/format.js';
import { messageBox } from '../shared/forms.js';
import { confirmDialog, textDialog } from '../shared/dialog.js';
import { resultView, answersView } from '../result.js';
import {
  answeredOf, historyList, indexInstrument, lastReturn, levelBadge, loadEarlierResults, loadInstrument, outOf, period, unwrapSubmission,
} from '../diagnostics.js';
import { latestOnly } from '../shared/list.js';
import { statusBadge, statusLabel, statusCodes } from '../shared/vocabulary.js';

function defaultCampaign(campaigns) {
  return campaigns.find((c) => c.status === 'open') || campaigns.find((c) => c.status === 'closed') || campaigns[0] || null;
}

// ————————————————————————————————————— the queue

async function renderList(ctx) {
  const { user } = ctx;
  const regionWide = user.role === 'committee' || user.role === 'loiro';
  const campaigns = (await listAll('/campaigns')).filter((c) => c.status !== 'planned');
  const municipalities = regionWide ? await listAll('/municipalities') : [];
  const title = user.role === 'municipality' ? 'Проверка самодиагностики' : 'Анкеты школ';
  const head = h('div', { class: 'page__head' },
    h('h1', { id: 'review-title' }, title),
    h('p', { class: 'page__sub' }, user.role === 'municipality'
      ? `Анкеты школ: ${user.organisation_name || 'вашего муниципалитета'}`
      : 'Анкеты самодиагностики школ региона'));
  if (!campaigns.length) {
    return {
      node: h('section', { class: 'page', 'aria-labelledby': 'review-title' }, head,
        h('p', { class: 'note' }, 'Кампаний самодиагностики пока нет.')),
      title,
    };
  }
  const state = {
    campaign_id: campaigns.some((c) => String(c.id) === ctx.query.campaign_id) ? ctx.query.campaign_id : String(defaultCampaign(campaigns).id),
    status: statusCodes('submission').includes(ctx.query.status) ? ctx.query.status : '',
    municipality_id: regionWide ? (ctx.query.municipality_id || '') : '',
  };

  const tbody = h('tbody');
  const counts = h('p', { class: 'list-summary', role: 'status', 'aria-live': 'polite', 'data-testid': 'review-summary' });
  const errorBox = messageBox();
  const table = h('table', { class: 'data-table', 'data-testid': 'review-table' },
    h('caption', { class: 'visually-hidden' }, 'Анкеты школ'),
    h('thead', null, h('tr', null,
      h('th', { scope: 'col' }, 'Код'),
      h('th', { scope: 'col' }, 'Школа'),
      regionWide ? h('th', { scope: 'col' }, 'Муниципалитет') : null,
      h('th', { scope: 'col' }, 'Анкета'),
      h('th', { scope: 'col' }, 'Отправлена'),
      h('th', { scope: 'col', class: 'num' }, 'Баллы'),
      h('th', { scope: 'col' }, 'Уровень'))),
    tbody);

  function fetch() {
    const campaign = campaigns.find((c) => String(c.id) === state.campaign_id);
    // Every targeted school, with its submission or not started, in the order the server
    // sorts the review queue: what needs the reviewer first (sort=status), then by
    // municipality and school name.
    return listAll('/submissions', {
      campaign_id: campaign.id, municipality_id: state.municipality_id, with_not_started: 1, sort: 'status',
    });
  }
  function draw(list) {
    const rows = list.map((s) => ({
      sub: s.id ? s : null,
      status: s.id ? s.status : 'not_started',
      school: {
        id: s.school_id, code: s.school_code || '', name: s.school_name || `Школа № ${s.school_id}`,
        municipality_name: s.municipality_name || '',
      },
    }));
    const tally = Object.fromEntries(statusCodes('submission').map((st) => [st, rows.filter((r) => r.status === st).length]));
    const shown = rows.filter((r) => !state.status || r.status === state.status);
    replace(tbody, shown.length ? shown.map(({ school: s, sub, status }) => h('tr', {
      'data-school-id': s.id, 'data-status': status, 'data-submission-id': sub ? sub.id : null,
    },
    h('td', { class: 'code nowrap' }, s.code),
    h('th', { scope: 'row' }, sub ? h('a', { href: `#/review/${sub.id}` }, s.name) : s.name),
    regionWide ? h('td', { class: 'cell-mun' }, s.municipality_name || '') : null,
    h('td', { class: 'nowrap' }, statusBadge('submission', status)),
    h('td', { class: 'nowrap' }, sub?.submitted_at ? formatDate(sub.submitted_at) : '—'),
    h('td', { class: 'num nowrap' }, sub && sub.total_points !== null && sub.total_points !== undefined ? outOf(sub.total_points, sub.max_points) : '—'),
    h('td', null, levelBadge(sub?.level))))
      : h('tr', null, h('td', { colspan: regionWide ? 7 : 6, class: 'empty' }, 'Школ с таким состоянием анкеты нет.')));
    replace(counts, `Школ в кампании: ${formatNumber(rows.length)} (`,
      statusCodes('submission').map((st) => `${statusLabel('submission', st)} — ${formatNumber(tally[st])}`).join(', '), ').');
    if (ctx.isCurrent()) ctx.setQuery(state);
  }
  const { load, reload } = latestOnly({ busy: table, box: errorBox, fetch, draw });

  const campaignId = uid('review-campaign');
  const campaignSelect = h('select', {
    id: campaignId, onchange: () => { state.campaign_id = campaignSelect.value; reload(); },
  }, campaigns.map((c) => h('option', { value: String(c.id), selected: String(c.id) === state.campaign_id },
    `${c.title} (${period(c.opens_on, c.closes_on)})`)));
  const statusId = uid('review-status');
  const statusSelect = h('select', {
    id: statusId, onchange: () => { state.status = statusSelect.value; reload(); },
  }, h('option', { value: '' }, 'Все'),
  statusCodes('submission').map((st) => h('option', { value: st, selected: st === state.status }, statusLabel('submission', st))));
  const munId = uid('review-mun');
  const munSelect = regionWide ? h('select', {
    id: munId, onchange: () => { state.municipality_id = munSelect.value; reload(); },
  }, h('option', { value: '' }, 'Все муниципалитеты'),
  municipalities.map((m) => h('option', { value: String(m.id), selected: String(m.id) === String(state.municipality_id) }, m.name))) : null;

  await load();
  const node = h('section', { class: 'page', 'aria-labelledby': 'review-title' },
    head,
    h('form', { class: 'filters no-print', 'aria-label': 'Отбор анкет', onsubmit: (e) => e.preventDefault() },
      h('div', { class: 'field field--grow' }, h('label', { for: campaignId }, 'Кампания'), campaignSelect),
      munSelect ? h('div', { class: 'field' }, h('label', { for: munId }, 'Муниципалитет'), munSelect) : null,
      h('div', { class: 'field' }, h('label', { for: statusId }, 'Состояние анкеты'), statusSelect)),
    errorBox.node,
    counts,
    h('div', { class: 'table-wrap' }, table));
  return { node, title };
}

// ————————————————————————————————————— one submission

async function renderCard(ctx) {
  const { user } = ctx;
  const id = ctx.params.id;
  let submission = unwrapSubmission(await api.get(`/submissions/${id}`));
  const [campaign, school, tree] = await Promise.all([
    api.get(`/campaigns/${submission.campaign_id}`),
    api.get(`/schools/${submission.school_id}`),
    loadInstrument(submission.instrument_id),
  ]);
  const index = indexInstrument(tree);
  const earlier = await loadEarlierResults(submission.school_id, campaign);
  const root = h('section', { class: 'page', 'aria-labelledby': 'submission-title' });
  const box = messageBox();

  async function reload(message) {
    submission = unwrapSubmission(await api.get(`/submissions/${id}`));
    await draw();
    if (message) box.show(...message);
  }

  /**
   * Runs a decision. run(guard) performs it; guard(promise) turns a 409 (someone
   * decided first, or a stale version) into null so that a dialog closes, and
   * the page then reloads the submission and explains. run resolving to null
   * without a conflict means the user cancelled.
   */
  async function decide(run, okText) {
    let conflict = null;
    const guard = (promise) => promise.catch((err) => {
      if (err.status === 409) { conflict = err; return null; }
      throw err;
    });
    let result;
    try {
      result = await run(guard);
    } catch (err) {
      box.show('error', errorText(err));
      return;
    }
    if (conflict) {
      await reload(['error', h('strong', null, 'Действие не выполнено. '),
        `${sentence(conflict.title)} Показано текущее состояние анкеты.`]);
      return;
    }
    if (result === null || result === undefined) return;
    submission = unwrapSubmission(result);
    if (!submission.history || !submission.answers) submission = unwrapSubmission(await api.get(`/submissions/${id}`));
    await draw();
    box.show('success', okText);
  }

  async function accept() {
    const yes = await confirmDialog({
      title: 'Принять анкету?',
      text: [`${school.short_name || school.name} — ${campaign.title}`,
        'Принятая анкета закрывается для изменений; результат и дефициты школы становятся официальными.'],
      confirm: 'Принять',
    });
    if (!yes) return;
    await decide((guard) => guard(api.post(`/submissions/${id}/accept`, undefined, submission.version)),
      'Анкета принята. Результат и дефициты школы стали официальными.');
  }

  async function returnBack() {
    await decide((guard) => textDialog({
      title: 'Вернуть анкету на доработку',
      intro: 'Школа увидит комментарий, сможет исправить ответы и отправить анкету снова.',
      label: 'Комментарий для школы',
      hint: 'Что нужно исправить или подтвердить.',
      confirm: 'Вернуть на доработку',
      field: 'comment',
      emptyMessage: 'Напишите комментарий: без него анкету вернуть нельзя.',
      testId: 'return-dialog',
      submit: (comment) => guard(api.post(`/submissions/${id}/return`, { comment }, submission.version)),
    }), 'Анкета возвращена школе на доработку с вашим комментарием.');
  }

  async function reopen() {
    await decide((guard) => textDialog({
      title: 'Переоткрыть принятую анкету',
      intro: 'Анкета вернётся школе на доработку; причина будет показана школе и записана в журнал действий.',
      label: 'Причина',
      confirm: 'Переоткрыть',
      field: 'reason',
      emptyMessage: 'Укажите причину: без неё анкету переоткрыть нельзя.',
      testId: 'reopen-dialog',
      submit: (reason) => guard(api.post(`/submissions/${id}/reopen`, { reason }, submission.version)),
    }), 'Анкета переоткрыта и возвращена школе на доработку.');
  }

  async function draw() {
    let deficits = null;
    let deficitsError = null;
    if (submission.result) {
      try {
        deficits = (await api.get(`/schools/${submission.school_id}/deficits`, { campaign_id: campaign.id })).items;
      } catch (err) {
        deficitsError = errorText(err, 'Список дефицитов не загрузился');
      }
    }
    const canDecide = user.role === 'municipality' && submission.status === 'submitted';
    const canReopen = user.role === 'committee' && submission.status === 'accepted';
    const answered = (submission.answers || []).filter((a) => a.value).length;
    const returned = submission.status === 'returned' ? lastReturn(submission) : null;
    const stateText = {
      draft: `Школа заполняет анкету: отвечено ${answeredOf(answered, index.indicators.length)}.`,
      submitted: 'Анкета отправлена школой и ждёт проверки.',
      returned: 'Анкета возвращена школе на доработку.',
      accepted: 'Анкета принята; изменить её может только Комитет, переоткрыв с указанием причины.',
    }[submission.status] || '';
    replace(root,
      h('p', { class: 'breadcrumbs no-print' }, h('a', { href: `#/review?campaign_id=${campaign.id}` }, '← К анкетам школ')),
      h('div', { class: 'page__head page__head--row' },
        h('div', null,
          h('h1', { id: 'submission-title' }, school.short_name || school.name),
          h('p', { class: 'page__sub' }, `${campaign.title} · ${school.code} · ${school.municipality_name || ''} · `,
            statusBadge('submission', submission.status))),
        h('div', { class: 'page__actions no-print', 'data-testid': 'review-actions' },
          canDecide ? [
            h('button', { type: 'button', class: 'btn btn--primary', onclick: accept }, 'Принять'),
            h('button', { type: 'button', class: 'btn btn--danger', onclick: returnBack }, 'Вернуть на доработку'),
          ] : null,
          canReopen ? h('button', { type: 'button', class: 'btn btn--danger', onclick: reopen }, 'Переоткрыть') : null)),
      box.node,
      h('p', { class: 'note', 'data-testid': 'submission-state' }, stateText),
      returned ? h('section', { class: 'returned', 'aria-labelledby': 'returned-title' },
        h('h2', { id: 'returned-title' }, 'Комментарий при возврате'),
        h('p', { class: 'small' }, returned.at ? formatDateTime(returned.at) : ''),
        h('blockquote', { class: 'returned__comment' }, returned.comment || '—')) : null,
      submission.result ? resultView({ submission, index, deficits, deficitsError, earlier }) : null,
      answersView(index, submission),
      h('section', { class: 'card', 'aria-labelledby': 'history-title' },
        h('h2', { id: 'history-title' }, 'История анкеты'), historyList(submission)));
    ctx.setTitle(school.short_name || school.name);
  }

  await draw();
  return { node: root, title: school.short_name || school.name };
}

export async function render(ctx) {
  if (ctx.view === 'card') return renderCard(ctx);
  return renderList(ctx);
}
