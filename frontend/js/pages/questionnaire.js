// The school's questionnaire of one campaign (#/diagnostics/{campaign_id}).
// Opening it creates the school's submission or resumes it (POST
// /campaigns/{id}/submissions). While the submission is a draft or returned
// and the campaign is open, every answer is saved as soon as it is chosen
// (PUT /submissions/{id}/answers/{indicator_id} with If-Match: the
// submission's version, taken from each answer), one save at a time so that
// two saves never carry the same version; a comment is saved when its box
// loses focus. Each indicator and the page show «Сохранение…», «Сохранено»
// or the error. A 409 for a stale version (another window or colleague)
// reloads the submission and says so. Before submitting, the unanswered
// indicators are listed as links; after submitting (and when the submission
// is submitted, accepted or the campaign has closed) the page shows the
// result read-only.

import { h, replace, uid } from '../shared/dom.js';
import { api, ApiError } from '../api.js';
import { errorText, formatDate, formatDateTime, formatNumber, plural, sentence } from '../shared/format.js';
import { messageBox } from '../shared/forms.js';
import { confirmDialog } from '../shared/dialog.js';
import { resultView, answersView } from '../result.js';
import {
  answeredOf, byWhom, historyList, indexInstrument, lastReturn, loadEarlierResults, loadInstrument, outOf, percent, period, pointsText, unwrapSubmission,
} from '../diagnostics.js';
import { statusBadge } from '../shared/vocabulary.js';

const EDITABLE = new Set(['draft', 'returned']);

/** A message for the next render of this screen (e.g. after submitting). */
let flash = null;

async function loadSubmission(campaign) {
  if (campaign.status === 'open') {
    return unwrapSubmission(await api.post(`/campaigns/${campaign.id}/submissions`));
  }
  const page = await api.get('/submissions', { campaign_id: campaign.id, limit: 1 });
  if (!page.items.length) return null;
  return unwrapSubmission(await api.get(`/submissions/${page.items[0].id}`));
}

function answersMap(submission) {
  return new Map((submission.answers || []).map((a) => [String(a.indicator_id), { value: a.value, comment: a.comment || '' }]));
}

export async function render(ctx) {
  const campaign = await api.get(`/campaigns/${ctx.params.id}`);
  let submission = await loadSubmission(campaign);
  const root = h('section', { class: 'page', 'aria-labelledby': 'questionnaire-title' });
  const back = h('p', { class: 'breadcrumbs no-print' }, h('a', { href: '#/diagnostics' }, '← К кампаниям самодиагностики'));

  if (!submission) {
    replace(root, back,
      h('div', { class: 'page__head' }, h('h1', { id: 'questionnaire-title' }, campaign.title),
        h('p', { class: 'page__sub' }, period(campaign.opens_on, campaign.closes_on))),
      h('p', { class: 'note' }, campaign.status === 'planned'
        ? `Приём анкет начнётся ${formatDate(campaign.opens_on)}.`
        : 'Кампания завершена; ваша школа не заполняла анкету в ней.'));
    return { node: root, title: campaign.title };
  }
  const index = indexInstrument(await loadInstrument(submission.instrument_id));

  /** Draws the read-only result (submitted, accepted, or the campaign is not open). */
  async function drawReadOnly(message) {
    const box = messageBox();
    let deficits = null;
    let deficitsError = null;
    let earlier = [];
    if (submission.result) {
      try {
        deficits = (await api.get(`/schools/${submission.school_id}/deficits`, { campaign_id: campaign.id })).items;
      } catch (err) {
        deficitsError = errorText(err, 'Список дефицитов не загрузился');
      }
      earlier = await loadEarlierResults(submission.school_id, campaign);
    }
    const last = (status) => [...(submission.history || [])].reverse().find((e) => e.status === status);
    let state;
    if (submission.status === 'submitted') {
      state = `Анкета отправлена на проверку${last('submitted')?.at ? ` ${formatDate(last('submitted').at)}` : ''}. `
        + 'Муниципалитет примет её или вернёт на доработку с комментарием; до тех пор ответы изменить нельзя.';
    } else if (submission.status === 'accepted') {
      state = `Анкета принята муниципалитетом${last('accepted')?.at ? ` ${formatDate(last('accepted').at)}` : ''}. Результат официальный.`;
    } else {
      state = 'Кампания не принимает анкеты: ответы доступны только для просмотра.';
    }
    replace(root, back,
      h('div', { class: 'page__head page__head--row' },
        h('div', null,
          h('h1', { id: 'questionnaire-title' }, 'Самодиагностика'),
          h('p', { class: 'page__sub' }, `${campaign.title} · ${period(campaign.opens_on, campaign.closes_on)} · `,
            statusBadge('submission', submission.status))),
        h('div', { class: 'page__actions no-print' },
          h('a', { class: 'btn', href: `#/deficits?campaign_id=${campaign.id}` }, 'Дефициты'))),
      box.node,
      h('p', { class: 'note', 'data-testid': 'submission-state' }, state),
      submission.result ? resultView({ submission, index, deficits, deficitsError, earlier }) : null,
      answersView(index, submission),
      h('section', { class: 'card', 'aria-labelledby': 'history-title' },
        h('h2', { id: 'history-title' }, 'История анкеты'), historyList(submission)));
    if (message) box.show(...message);
  }

  /** The API says whether this school may edit now (`editable`); older answers lack the flag. */
  const editableNow = (s) => (typeof s.editable === 'boolean' ? s.editable : campaign.status === 'open' && EDITABLE.has(s.status));
  if (!editableNow(submission)) {
    await drawReadOnly(flash);
    flash = null;
    return { node: root, title: 'Самодиагностика' };
  }

  // ————————————————————————————————— the editable questionnaire

  const box = messageBox();
  /** Answers the server has: indicator id → {value, comment}. */
  let saved = answersMap(submission);
  /** What the user has chosen and typed: indicator id → {value, comment}. */
  const wanted = new Map([...saved].map(([k, v]) => [k, { ...v }]));
  /** indicator id → 'saving' | 'saved' | 'error' | 'note'. */
  const saveState = new Map();
  /** indicator id → {fieldset, radios, comment, details, stateEl}. */
  const controls = new Map();
  let chain = Promise.resolve();
  let touched = false;

  const total = index.indicators.length;
  const progressBar = h('progress', { class: 'progress', max: total, value: 0, 'aria-labelledby': 'progress-label' });
  const progressText = h('span', { id: 'progress-label', 'data-testid': 'progress-text' });
  const globalState = h('span', { class: 'save-state save-state--global', role: 'status', 'aria-live': 'polite', 'data-testid': 'global-save-state' });
  const navList = h('ul', { class: 'qnav__list' });
  const pane = h('div', { class: 'qpane' });
  const checkPane = h('section', { class: 'card qcheck', 'aria-labelledby': 'check-title', 'data-testid': 'check-pane', hidden: true });
  const sections = new Map();
  let current = null; // direction code or 'check'

  const answeredIn = (d) => d.indicators.filter((x) => saved.get(String(x.id))?.value).length;
  const answeredAll = () => index.indicators.filter((x) => saved.get(String(x.id))?.value).length;

  function setIndicatorState(id, state, text, retry) {
    saveState.set(id, state);
    const c = controls.get(id);
    if (!c) return;
    c.stateEl.className = `save-state save-state--${state}`;
    c.stateEl.dataset.state = state;
    const label = {
      saving: 'Сохранение…',
      saved: 'Сохранено',
      error: 'Не сохранено',
      note: '',
    }[state];
    replace(c.stateEl,
      label,
      text ? `${label ? ': ' : ''}${text}` : '',
      retry ? h('button', { type: 'button', class: 'btn btn--small', onclick: retry }, 'Повторить') : null);
    c.fieldset.classList.toggle('indicator--error', state === 'error');
    updateGlobal();
  }

  function updateGlobal() {
    const states = [...saveState.values()];
    let cls = 'idle';
    let text = 'Ответы сохраняются автоматически';
    if (states.includes('saving')) { cls = 'saving'; text = 'Сохранение…'; }
    else if (states.includes('error')) { cls = 'error'; text = 'Не все ответы сохранены'; }
    else if (touched) { cls = 'saved'; text = 'Все ответы сохранены'; }
    globalState.className = `save-state save-state--global save-state--${cls}`;
    globalState.dataset.state = cls;
    replace(globalState, text);
  }

  function updateProgress() {
    const n = answeredAll();
    progressBar.value = n;
    replace(progressText, `Отвечено ${outOf(n, total)} (${percent(n, total)})`);
    for (const d of index.directions) {
      const item = navList.querySelector(`[data-direction-code="${CSS.escape(d.code)}"]`);
      if (!item) continue;
      const done = answeredIn(d);
      const count = item.querySelector('.qnav__count');
      replace(count, `${done}/${d.indicators.length}`);
      item.classList.toggle('qnav__item--done', done === d.indicators.length);
      count.setAttribute('aria-label', `отвечено ${done} из ${d.indicators.length}`);
    }
    if (current === 'check') drawCheck();
  }

  /** Reloads the submission after a conflict; redraws read-only when it can no longer be edited. */
  async function reloadAfterConflict(text) {
    const fresh = unwrapSubmission(await api.get(`/submissions/${submission.id}`));
    submission = fresh;
    if (!editableNow(fresh)) {
      flash = null;
      await drawReadOnly(['error', text]);
      return false;
    }
    saved = answersMap(fresh);
    wanted.clear();
    for (const [k, v] of saved) wanted.set(k, { ...v });
    for (const [id, c] of controls) {
      const a = saved.get(id);
      for (const r of c.radios) r.checked = Boolean(a && r.value === a.value);
      c.comment.value = a?.comment || '';
      if (a?.comment) c.details.open = true;
      setIndicatorState(id, a ? 'saved' : 'note', '');
    }
    updateProgress();
    box.show('error', text);
    return true;
  }

  /**
   * Takes the new version from a save's answer ({submission_id, status,
   * version, progress, answer}): it is the If-Match of the next save.
   */
  async function absorb(body) {
    if (body && Number.isInteger(body.version)) {
      submission = { ...submission, version: body.version, status: body.status || submission.status };
      return;
    }
    // No version in the answer: read it, or the next save would be refused as stale.
    submission = unwrapSubmission(await api.get(`/submissions/${submission.id}`));
  }

  async function saveOne(id) {
    const want = wanted.get(id);
    const have = saved.get(id);
    if (!want || !want.value) return;
    if (have && have.value === want.value && (have.comment || '') === (want.comment || '')) {
      setIndicatorState(id, 'saved', '');
      return;
    }
    const sent = { value: want.value, comment: want.comment || '' };
    try {
      const body = await api.put(`/submissions/${submission.id}/answers/${id}`, submission.version, sent);
      await absorb(body);
      saved.set(id, sent);
      const now = wanted.get(id);
      if (now.value === sent.value && (now.comment || '') === sent.comment) setIndicatorState(id, 'saved', '');
      updateProgress();
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      const code = index.indicatorById.get(id)?.code || id;
      if (err.status === 409 && err.code === 'conflict.stale_version') {
        await reloadAfterConflict(`Анкету только что изменили в другом окне или другим сотрудником школы. `
          + `Загружены актуальные ответы; ваш ответ на показатель ${code} не сохранён — при необходимости выберите его снова.`)
          .then((editable) => editable && setIndicatorState(id, 'note', 'ответ не сохранён: анкета была изменена, проверьте ответ'))
          .catch(() => setIndicatorState(id, 'error', 'анкета изменена, обновите страницу'));
      } else if (err.status === 409) {
        await reloadAfterConflict(`Ответ не сохранён: ${sentence(err.title)}`)
          .catch(() => setIndicatorState(id, 'error', sentence(err.title)));
      } else if (err.unavailable) {
        setIndicatorState(id, 'error', 'сервис временно недоступен', () => enqueue(id));
      } else {
        const msg = err.fieldErrors.value || err.fieldErrors.comment || err.title;
        setIndicatorState(id, 'error', sentence(msg), () => enqueue(id));
      }
    }
  }

  function enqueue(id) {
    touched = true;
    setIndicatorState(id, 'saving', '');
    chain = chain.then(() => saveOne(id)).catch((err) => {
      console.error(err);
      setIndicatorState(id, 'error', 'непредвиденная ошибка; обновите страницу');
    });
  }

  // ——— one indicator

  function indicatorBlock(x) {
    const id = String(x.id);
    const name = uid(`ind-${x.id}`);
    const a = wanted.get(id);
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
    stateEl);
    for (const r of radios) {
      r.addEventListener('change', () => {
        if (!r.checked) return;
        const w = wanted.get(id) || { value: null, comment: '' };
        wanted.set(id, { value: r.value, comment: comment.value.trim() || w.comment || '' });
        enqueue(id);
      });
    }
    comment.addEventListener('blur', () => {
      const text = comment.value.trim();
      const w = wanted.get(id) || { value: null, comment: '' };
      if (text === (w.comment || '') && text === (saved.get(id)?.comment || '')) return;
      wanted.set(id, { ...w, comment: text });
      if (!w.value) {
        setIndicatorState(id, 'note', 'комментарий сохранится, когда вы выберете ответ');
        return;
      }
      enqueue(id);
    });
    controls.set(id, { fieldset, radios, comment, details, stateEl });
    if (a?.value) setIndicatorState(id, 'saved', '');
    return fieldset;
  }

  // ——— directions and the check before submitting

  function directionSection(d, n) {
    const titleId = uid('dir-title');
    const i = index.directions.indexOf(d);
    const prev = index.directions[i - 1];
    const next = index.directions[i + 1];
    const section = h('section', { class: 'qdirection', 'aria-labelledby': titleId, 'data-direction-code': d.code, hidden: true },
      h('h2', { id: titleId, tabindex: '-1', class: 'qdirection__title' }, `${n}. ${d.title}`),
      h('p', { class: 'muted small' },
        `${formatNumber(d.indicators.length)} ${plural(d.indicators.length, ['показатель', 'показателя', 'показателей'])}, `
        + `максимум ${pointsText(d.max_points)}.`),
      d.indicators.map(indicatorBlock),
      h('div', { class: 'qdirection__nav no-print' },
        prev ? h('button', { type: 'button', class: 'btn', onclick: () => show(prev.code, true) }, `← ${prev.title}`) : h('span'),
        next
          ? h('button', { type: 'button', class: 'btn btn--primary', onclick: () => show(next.code, true) }, `${next.title} →`)
          : h('button', { type: 'button', class: 'btn btn--primary', onclick: () => show('check', true) }, 'Проверить и отправить →')));
    sections.set(d.code, section);
    return section;
  }

  function jumpTo(indicatorId) {
    const d = index.directionOf(indicatorId);
    if (!d) return;
    show(d.code, false);
    const c = controls.get(String(indicatorId));
    c.fieldset.scrollIntoView({ block: 'center' });
    (c.radios.find((r) => r.checked) || c.radios[0]).focus({ preventScroll: true });
  }

  /** The unanswered indicators as links, grouped by direction. */
  function unansweredList(ids) {
    const set = new Set(ids.map(String));
    return h('ul', { class: 'unanswered', 'data-testid': 'unanswered' }, index.directions
      .filter((d) => d.indicators.some((x) => set.has(String(x.id))))
      .map((d) => h('li', null, h('span', { class: 'unanswered__dir' }, d.title),
        h('ul', null, d.indicators.filter((x) => set.has(String(x.id))).map((x) => h('li', null,
          h('button', { type: 'button', class: 'link-button', 'data-indicator-code': x.code, onclick: () => jumpTo(x.id) },
            h('span', { class: 'code' }, x.code), ` ${x.text}`),
          x.critical ? [' ', h('span', { class: 'badge badge--danger' }, 'критический')] : null))))));
  }

  const submitBox = messageBox('submit-message');

  async function submitNow() {
    submitBox.clear();
    await chain; // every save finished first
    const missing = index.indicators.filter((x) => !saved.get(String(x.id))?.value);
    if (missing.length) {
      drawCheck();
      submitBox.show('error', 'Ответьте на все показатели: список ниже.');
      return;
    }
    if ([...saveState.values()].includes('error')) {
      submitBox.show('error', 'Есть несохранённые ответы или комментарии: повторите их сохранение.');
      return;
    }
    const yes = await confirmDialog({
      title: 'Отправить анкету на проверку?',
      text: ['Анкета уйдёт в муниципалитет. Пока муниципалитет её не вернёт, изменить ответы будет нельзя.'],
      confirm: 'Отправить',
    });
    if (!yes) return;
    try {
      submission = unwrapSubmission(await api.post(`/submissions/${submission.id}/submit`, undefined, submission.version));
      flash = ['success', 'Анкета отправлена на проверку в муниципалитет. Ниже — результат самодиагностики.'];
      if (!submission.result) submission = unwrapSubmission(await api.get(`/submissions/${submission.id}`));
      await drawReadOnly(flash);
      flash = null;
      root.querySelector('h1')?.focus();
    } catch (err) {
      if (err.status === 422 && err.code === 'submission.incomplete') {
        const ids = err.errors.map((e) => String(e.field || '').replace(/^answers\./, '')).filter(Boolean);
        submitBox.show('error', `Анкета не отправлена: нет ответа на ${formatNumber(ids.length)} `
          + `${plural(ids.length, ['показатель', 'показателя', 'показателей'])}.`, unansweredList(ids));
      } else if (err.status === 409 && err.code === 'conflict.stale_version') {
        await reloadAfterConflict('Анкета не отправлена: её только что изменили в другом окне или другим сотрудником школы. '
          + 'Загружены актуальные ответы; проверьте их и отправьте снова.').catch(() => {});
        drawCheck();
      } else if (err.status === 409) {
        await reloadAfterConflict(`Анкета не отправлена: ${sentence(err.title)}`).catch(() => {});
      } else {
        submitBox.show('error', errorText(err, 'Анкета не отправлена'));
      }
    }
  }

  function drawCheck() {
    const missing = index.indicators.filter((x) => !saved.get(String(x.id))?.value);
    const n = total - missing.length;
    replace(checkPane,
      h('h2', { id: 'check-title', tabindex: '-1' }, 'Проверка и отправка'),
      h('p', null, `Отвечено ${answeredOf(n, total)}.`),
      submitBox.node,
      missing.length
        ? [h('h3', null, `Нет ответа на ${formatNumber(missing.length)} ${plural(missing.length, ['показатель', 'показателя', 'показателей'])}`),
          unansweredList(missing.map((x) => x.id))]
        : h('p', { class: 'message message--success', 'data-testid': 'all-answered' }, 'На все показатели даны ответы. Анкету можно отправить.'),
      h('div', { class: 'form__actions' },
        h('button', { type: 'button', class: 'btn btn--primary', onclick: submitNow }, 'Отправить на проверку')));
  }

  function show(code, focus) {
    current = code;
    for (const [c, s] of sections) s.hidden = c !== code;
    checkPane.hidden = code !== 'check';
    if (code === 'check') drawCheck();
    for (const li of navList.children) {
      const b = li.querySelector('button');
      if (li.dataset.directionCode === code) b.setAttribute('aria-current', 'step');
      else b.removeAttribute('aria-current');
    }
    if (ctx.isCurrent()) ctx.setQuery({ d: code === index.directions[0]?.code ? '' : code });
    if (focus) {
      const heading = code === 'check' ? checkPane.querySelector('h2') : sections.get(code)?.querySelector('h2');
      pane.scrollIntoView({ block: 'start' });
      heading?.focus({ preventScroll: true });
    }
  }

  // ——— assemble

  replace(navList,
    index.directions.map((d, n) => h('li', { class: 'qnav__item', 'data-direction-code': d.code },
      h('button', { type: 'button', class: 'qnav__button', onclick: () => show(d.code, true) },
        h('span', { class: 'qnav__title' }, `${n + 1}. ${d.title}`),
        h('span', { class: 'qnav__count' })))),
    h('li', { class: 'qnav__item qnav__item--check', 'data-direction-code': 'check' },
      h('button', { type: 'button', class: 'qnav__button', onclick: () => show('check', true) },
        h('span', { class: 'qnav__title' }, 'Проверка и отправка'))));
  replace(pane, index.directions.map((d, n) => directionSection(d, n + 1)), checkPane);

  const returned = submission.status === 'returned' ? lastReturn(submission) : null;
  replace(root, back,
    h('div', { class: 'page__head' },
      h('h1', { id: 'questionnaire-title' }, 'Самодиагностика'),
      h('p', { class: 'page__sub' }, `${campaign.title} · приём анкет по ${formatDate(campaign.closes_on)} · `,
        statusBadge('submission', submission.status))),
    submission.status === 'returned' ? h('section', { class: 'returned', role: 'note', 'aria-labelledby': 'returned-title', 'data-testid': 'return-comment' },
      h('h2', { id: 'returned-title' }, 'Анкета возвращена на доработку'),
      h('p', null, returned?.action === 'reopen' ? 'Причина' : 'Комментарий',
        returned?.by ? ` (${byWhom(returned.by)})` : '',
        returned?.at ? ` от ${formatDateTime(returned.at)}` : '', ':'),
      h('blockquote', { class: 'returned__comment' }, returned?.comment || 'Комментарий не указан.'),
      h('p', { class: 'small' }, 'Исправьте ответы и отправьте анкету снова.')) : null,
    box.node,
    h('div', { class: 'qprogress', 'data-testid': 'questionnaire-progress' },
      h('div', { class: 'qprogress__bar' }, progressText, progressBar),
      globalState),
    h('div', { class: 'questionnaire' },
      h('nav', { class: 'qnav no-print', 'aria-label': 'Направления анкеты' }, navList),
      pane));
  updateProgress();
  updateGlobal();
  const start = ctx.query.d && (ctx.query.d === 'check' || sections.has(ctx.query.d)) ? ctx.query.d : index.directions[0]?.code;
  show(start, false);
  if (flash) { box.show(...flash); flash = null; }
  return { node: root, title: 'Самодиагностика' };
}
