// «Поручения» (every role): the execution records of the user's organisation
// (GET /assignments?mine=1), overdue first then by deadline, with overdue rows
// highlighted and soon-due ones marked (#/assignments); the committee and
// ЛОИРО may switch to every executor, filter by municipality, status and
// document. One record (#/assignments/{id}): the item, its deadline and
// expected result, the executor's report form with its files and, for the
// committee, the review (accept, or return with a required comment).

import { h, replace, uid } from '../shared/dom.js';
import { api, listAll } from '../api.js';
import { errorText, formatDate, formatDateTime, sentence } from '../shared/format.js';
import { field, messageBox, showApiError, clearErrors } from '../shared/forms.js';
import { emptyRow, listView } from '../shared/list.js';
import { textDialog, confirmDialog } from '../shared/dialog.js';
import { attachmentsCard } from '../shared/attachments.js';
import { deadlineText, documentLabel, dueBadge, dueRowClass, executorName } from '../execution.js';
import { statusBadge, statusLabel, statusLabels, statusCodes } from '../shared/vocabulary.js';

const LIMIT = 50;
const REGION = ['committee', 'loiro'];
let flash = null;

/** Is the record's executor the user's own organisation? */
export function isOwnRecord(user, rec) {
  const e = rec.executor || {};
  if (user.role === 'committee') return e.kind === 'committee';
  if (user.role === 'loiro') return e.kind === 'loiro';
  if (user.role === 'municipality') return e.kind === 'municipality' && String(e.id) === String(user.municipality_id);
  if (user.role === 'school') return e.kind === 'school' && String(e.id) === String(user.school_id);
  return false;
}

/** The deadline cell: the date, the period in words under it, the badge. */
function deadlineCell(r) {
  if (!r.deadline) return h('span', { class: 'muted' }, r.deadline_text || 'без срока');
  return [h('span', { class: 'nowrap deadline-date' }, formatDate(r.deadline)),
    r.deadline_text ? h('span', { class: 'muted small block' }, r.deadline_text) : null,
    h('span', { class: 'block' }, dueBadge(r))];
}

function shorten(text, max = 220) {
  const t = String(text ?? '');
  return t.length > max ? `${t.slice(0, max - 1).trimEnd()}…` : t;
}

// ————————————————————————————————————— list

async function renderList(ctx) {
  const { user } = ctx;
  const regionWide = REGION.includes(user.role);
  const [municipalities, documents] = await Promise.all([
    regionWide ? listAll('/municipalities') : [],
    listAll('/documents'),
  ]);

  const thead = h('thead');
  const tbody = h('tbody');
  const executorHead = h('th', { scope: 'col' }, 'Исполнитель');
  const table = h('table', { class: 'data-table', 'data-testid': 'assignments-table' },
    h('caption', { class: 'visually-hidden' }, 'Поручения: сначала просроченные, затем по сроку'), thead, tbody);
  const printFilter = h('p', { class: 'print-only' });

  function row(r, state) {
    return h('tr', { class: dueRowClass(r), 'data-assignment-id': r.id, 'data-item-id': r.item_id },
      h('td', { class: 'cell-deadline' }, deadlineCell(r)),
      h('th', { scope: 'row', class: 'cell-item' },
        h('a', { href: `#/assignments/${r.id}` }, h('span', { class: 'item-number' }, `п.\u00a0${r.item_number}`), ' ', shorten(r.content))),
      h('td', { class: 'cell-doc small' }, h('a', { href: `#/documents/${r.document_id}` }, documentLabel(r.document)),
        h('span', { class: 'muted block', title: r.document?.title || '' }, shorten(r.document?.title, 70))),
      state.scope === 'all' ? h('td', { class: 'small' }, executorName(r.executor)) : null,
      h('td', { class: 'nowrap' }, statusBadge('record', r.status)));
  }

  const list = listView(ctx, {
    path: '/assignments',
    filters: {
      scope: (v) => (regionWide && v === 'all' ? 'all' : 'mine'),
      municipality_id: (v) => (regionWide ? v || '' : ''),
      status: (v) => (statusCodes('record').includes(v) ? v : ''),
      document_id: (v) => v || '',
      overdue: (v) => (v === '1' ? '1' : ''),
    },
    defaults: { scope: 'mine' },
    query: (st) => ({
      mine: st.scope === 'mine' ? 1 : '',
      municipality_id: st.scope === 'all' ? st.municipality_id : '',
      status: st.status,
      document_id: st.document_id,
      overdue: st.overdue,
    }),
    limit: LIMIT,
    body: tbody,
    busy: table,
    row,
    empty: (st) => emptyRow(5, st.status || st.document_id || st.overdue || st.municipality_id
      ? 'По заданным условиям поручений нет.' : 'Поручений нет.'),
    drawn: (page, st) => {
      executorHead.hidden = st.scope !== 'all';
      printFilter.textContent = [
        st.scope === 'all' ? 'Все исполнители' : `Исполнитель: ${user.organisation_name || ''}`,
        st.municipality_id ? `Муниципалитет: ${municipalities.find((m) => String(m.id) === String(st.municipality_id))?.name || ''}` : null,
        st.status ? `Состояние: ${statusLabel('record', st.status)}` : null,
        st.overdue ? 'только просроченные' : null,
      ].filter(Boolean).join('; ');
    },
    summaryTestId: 'assignments-summary',
    pagerLabel: 'Страницы списка поручений',
    sortable: ['deadline', 'status'],
  });
  const { state, box } = list;
  replace(thead, h('tr', null,
    list.header('Срок', { sort: 'deadline' }),
    list.header('Пункт'),
    list.header('Документ'),
    executorHead,
    list.header('Состояние', { sort: 'status' })));
  const change = list.change;

  const ids = { scope: uid('a-scope'), mun: uid('a-mun'), status: uid('a-status'), doc: uid('a-doc'), overdue: uid('a-overdue') };
  const munSelect = regionWide ? h('select', { id: ids.mun, disabled: state.scope !== 'all', onchange: (e) => change('municipality_id', e.target.value) },
    h('option', { value: '' }, 'Все муниципалитеты'),
    municipalities.map((m) => h('option', { value: String(m.id), selected: String(m.id) === String(state.municipality_id) }, m.name))) : null;
  const scopeSelect = regionWide ? h('select', {
    id: ids.scope,
    onchange: (e) => {
      state.scope = e.target.value;
      munSelect.disabled = state.scope !== 'all';
      if (state.scope !== 'all') { state.municipality_id = ''; munSelect.value = ''; }
      list.change('scope', e.target.value);
    },
  }, h('option', { value: 'mine', selected: state.scope === 'mine' }, `Поручения: ${user.role === 'committee' ? 'комитета' : 'ЛОИРО'}`),
  h('option', { value: 'all', selected: state.scope === 'all' }, 'Все исполнители')) : null;
  const filters = h('form', { class: 'filters no-print', 'aria-label': 'Отбор поручений', onsubmit: (e) => e.preventDefault() },
    scopeSelect ? h('div', { class: 'field' }, h('label', { for: ids.scope }, 'Исполнитель'), scopeSelect) : null,
    munSelect ? h('div', { class: 'field' }, h('label', { for: ids.mun }, 'Муниципалитет'), munSelect) : null,
    h('div', { class: 'field' }, h('label', { for: ids.doc }, 'Документ'),
      h('select', { id: ids.doc, class: 'select--doc', onchange: (e) => change('document_id', e.target.value) },
        h('option', { value: '' }, 'Все документы'),
        documents.map((d) => h('option', { value: String(d.id), selected: String(d.id) === String(state.document_id) },
          `${documentLabel(d)} — ${shorten(d.title, 60)}`)))),
    h('div', { class: 'field' }, h('label', { for: ids.status }, 'Состояние'),
      h('select', { id: ids.status, onchange: (e) => change('status', e.target.value) },
        h('option', { value: '' }, 'Любое'),
        statusCodes('record').map((s) => h('option', { value: s, selected: s === state.status }, statusLabel('record', s))))),
    h('div', { class: 'field field--check' }, h('div', { class: 'check' },
      h('input', { type: 'checkbox', id: ids.overdue, checked: state.overdue === '1', onchange: (e) => change('overdue', e.target.checked ? '1' : '') }),
      h('label', { for: ids.overdue }, 'Только просроченные'))));

  await list.load();
  const node = h('section', { class: 'page', 'aria-labelledby': 'assignments-title' },
    h('div', { class: 'page__head' },
      h('h1', { id: 'assignments-title' }, 'Поручения'),
      h('p', { class: 'page__sub' }, regionWide
        ? 'Пункты документов, порученные вашей организации, или исполнение всеми исполнителями'
        : `Пункты документов, порученные организации: ${user.organisation_name || ''}`)),
    filters,
    printFilter,
    box.node,
    list.summary,
    h('div', { class: 'table-wrap' }, table),
    list.pager,
    h('p', { class: 'legend muted small' },
      'Сначала просроченные, затем по сроку. Просроченные строки выделены красным, ',
      'поручения со сроком в ближайшие 7 дней — жёлтым. Просрочено — срок прошёл (по московскому времени), ',
      'а выполнение не отмечено.'));
  return { node, title: 'Поручения' };
}

// ————————————————————————————————————— one record

function linksList(links) {
  if (!Array.isArray(links) || !links.length) return null;
  return h('ul', { class: 'links' }, links.map((l) => h('li', null,
    /^https?:\/\//i.test(l) ? h('a', { href: l, rel: 'noopener noreferrer', target: '_blank' }, l) : l)));
}

/** The report and the review as a short history, oldest first. */
function historySection(rec) {
  const events = [];
  if (rec.report) {
    events.push(h('li', { 'data-testid': 'history-report' },
      h('span', { class: 'history__when' }, formatDateTime(rec.report.at)),
      h('span', { class: 'history__what' }, `Отчёт: ${statusLabel('report', rec.report.status)}`),
      h('span', { class: 'muted' }, rec.report.by?.name || ''),
      rec.report.text ? h('p', { class: 'history__comment', 'data-testid': 'report-text' }, rec.report.text) : null,
      linksList(rec.report.links)));
  }
  if (rec.review) {
    const returned = rec.review.decision === 'returned';
    events.push(h('li', { 'data-testid': 'history-review', 'data-decision': rec.review.decision },
      h('span', { class: 'history__when' }, formatDateTime(rec.review.at)),
      h('span', { class: 'history__what' }, returned ? 'Отчёт возвращён на доработку' : 'Отчёт принят'),
      h('span', { class: 'muted' }, rec.review.by?.name || ''),
      rec.review.comment ? h('p', { class: 'history__comment', 'data-testid': 'review-comment' }, rec.review.comment) : null));
  }
  return h('section', { class: 'card', 'aria-labelledby': 'history-title', 'data-testid': 'record-history' },
    h('h2', { id: 'history-title' }, 'Отчёт и проверка'),
    events.length ? h('ol', { class: 'history' }, events) : h('p', { class: 'muted' }, 'Исполнитель ещё не отчитывался.'));
}

/**
 * The files of the report: the executor attaches and removes them until the
 * report is accepted; everyone who sees the record opens them.
 */
function reportFiles(rec, own) {
  const may = own && rec.status !== 'accepted';
  return attachmentsCard('report', {
    heading: 'Файлы отчёта', owner: rec, objectPath: `/assignments/${rec.id}`, canAttach: may, canRemove: may,
    intro: may ? 'Приказ, протокол, справка — подтверждение исполнения. Файлы видит тот, кто проверяет отчёт.' : null,
  });
}

function reportForm(rec, { onSaved }) {
  const statusName = uid('f-report-status');
  const radios = Object.entries(statusLabels('report')).map(([value, label]) => {
    const input = h('input', {
      type: 'radio', name: statusName, id: uid('f-report-status'), value,
      checked: (rec.report?.status || (rec.status === 'returned' ? 'in_progress' : rec.status)) === value,
    });
    return h('div', { class: 'check' }, input, h('label', { for: input.id }, label));
  });
  const statusError = h('p', { class: 'field__error', hidden: true });
  const statusNode = h('fieldset', { class: 'field fieldset', 'data-field': 'status' },
    h('legend', null, 'Состояние исполнения', h('span', { class: 'required', 'aria-hidden': 'true' }, '*')),
    h('div', { class: 'checks' }, radios), statusError);
  const f = {
    status: {
      node: statusNode,
      focus: () => statusNode.querySelector('input')?.focus(),
      setError(m) { replace(statusError, m || ''); statusError.hidden = !m; statusNode.classList.toggle('field--invalid-group', Boolean(m)); },
    },
    text: field('text', 'Отчёт', h('textarea', { rows: 6, maxlength: 10000 }),
      { hint: 'Что сделано. Обязателен, когда пункт выполнен.' }),
    links: field('links', 'Ссылки', h('textarea', { rows: 3, class: 'input--mono' }),
      { hint: 'По одной ссылке в строке, начиная с http:// или https://; не больше 10.' }),
  };
  f.text.control.value = rec.report?.text || '';
  f.links.control.value = (rec.report?.links || []).join('\n');
  const box = messageBox('report-message');
  const submit = h('button', { type: 'submit', class: 'btn btn--primary' }, 'Отправить отчёт');
  async function onSubmit(event) {
    event.preventDefault();
    box.clear();
    clearErrors(f);
    const status = statusNode.querySelector('input:checked')?.value;
    const text = f.text.control.value.trim();
    const links = f.links.control.value.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
    const missing = [];
    if (!status) missing.push(['status', 'Выберите состояние.']);
    if (status === 'done' && !text) missing.push(['text', 'Опишите, что сделано: без отчёта пункт не может быть отмечен выполненным.']);
    const badLink = links.findIndex((l) => !/^https?:\/\/\S+$/i.test(l));
    if (badLink !== -1) missing.push(['links', `Строка ${badLink + 1}: ссылка должна начинаться с http:// или https:// и не содержать пробелов.`]);
    else if (links.length > 10) missing.push(['links', 'Не больше 10 ссылок.']);
    if (missing.length) {
      for (const [name, m] of missing) f[name].setError(m);
      box.show('error', 'Проверьте отчёт.');
      f[missing[0][0]].focus();
      return;
    }
    submit.disabled = true;
    try {
      const saved = await api.post(`/assignments/${rec.id}/report`, { status, text, links }, rec.version);
      onSaved(saved, status === 'done' ? 'Отчёт отправлен на проверку.' : 'Отчёт сохранён.');
    } catch (err) {
      submit.disabled = false;
      // links[2] → the links field.
      const errors = err.errors.map((e) => (/^links\[\d+\]$/.test(e.field || '') ? { ...e, field: 'links' } : e));
      err.errors.splice(0, err.errors.length, ...errors);
      if (err.status === 409) {
        box.show('error', h('strong', null, 'Отчёт не сохранён. '), err.code === 'conflict.stale_version'
          ? 'Поручение только что изменилось; обновите страницу и повторите.'
          : sentence(err.title));
      } else {
        showApiError(err, f, box);
      }
    }
  }
  return h('section', { class: 'card no-print', 'aria-labelledby': 'report-title', 'data-testid': 'report-form' },
    h('h2', { id: 'report-title' }, rec.status === 'returned' ? 'Доработка: новый отчёт' : 'Отчёт об исполнении'),
    box.node,
    h('form', { class: 'form form--wide', novalidate: true, onsubmit: onSubmit },
      statusNode, f.text.node, f.links.node,
      h('div', { class: 'form__actions' }, submit)));
}

async function renderCard(ctx) {
  const { user } = ctx;
  let rec = await api.get(`/assignments/${ctx.params.id}`);
  const box = messageBox();
  const holder = h('div');
  const heading = h('h1', { id: 'record-title' });

  function draw() {
    const own = isOwnRecord(user, rec);
    const canReview = user.role === 'committee' && rec.status === 'done';
    replace(heading, `Пункт ${rec.item_number}`);
    const row = (label, value, testId) => [h('dt', null, label), h('dd', { 'data-testid': testId || null }, value)];
    const returned = rec.status === 'returned' && rec.review?.decision === 'returned';
    replace(holder,
      returned && own ? h('section', { class: 'returned', 'aria-labelledby': 'returned-title' },
        h('h2', { id: 'returned-title' }, 'Отчёт возвращён на доработку'),
        h('p', { class: 'returned__comment' }, rec.review.comment || ''),
        h('p', { class: 'small' }, `${rec.review.by?.name || ''}, ${formatDateTime(rec.review.at)}`)) : null,
      h('div', { class: 'card' }, h('dl', { class: 'props', 'data-testid': 'record-props' },
        row('Документ', h('span', null, h('a', { href: `#/documents/${rec.document_id}` }, documentLabel(rec.document)),
          h('span', { class: 'muted block' }, rec.document?.title || ''))),
        row('Содержание пункта', h('span', { class: 'pre-wrap' }, rec.content)),
        row('Срок', h('span', null, deadlineText(rec), ' ', dueBadge(rec)), 'record-deadline'),
        row('Ожидаемый результат', rec.expected_result || '—'),
        row('Исполнитель', `${executorName(rec.executor)}${rec.assigned_as === 'all_municipalities' ? ' (поручено всем муниципалитетам)' : ''}`),
        row('Состояние', statusBadge('record', rec.status), 'record-state'))),
      historySection(rec),
      reportFiles(rec, own),
      own && rec.status !== 'accepted' ? reportForm(rec, {
        onSaved: (saved, message) => { rec = saved; draw(); box.show('success', message); },
      }) : null,
      canReview ? reviewCard() : null,
      !own && !canReview && rec.status !== 'accepted' && user.role !== 'committee'
        ? h('p', { class: 'muted no-print' }, 'Отчитывается только исполнитель поручения.') : null);
  }

  function reviewCard() {
    const accept = async () => {
      const ok = await confirmDialog({
        title: 'Принять отчёт?', text: `Пункт ${rec.item_number} будет отмечен исполненным: ${executorName(rec.executor)}.`,
        confirm: 'Принять', testId: 'accept-dialog',
      });
      if (!ok) return;
      try {
        rec = await api.post(`/assignments/${rec.id}/accept`, undefined, rec.version);
        draw();
        box.show('success', 'Отчёт принят, пункт исполнен.');
      } catch (err) {
        box.show('error', h('strong', null, 'Отчёт не принят. '), errorText(err));
      }
    };
    const giveBack = async () => {
      const saved = await textDialog({
        title: 'Вернуть отчёт на доработку',
        intro: `${executorName(rec.executor)} увидит комментарий и отправит отчёт заново.`,
        label: 'Комментарий',
        hint: 'Что нужно исправить или дополнить.',
        confirm: 'Вернуть',
        emptyMessage: 'Напишите, что нужно доработать: без комментария отчёт не возвращается.',
        testId: 'return-dialog',
        submit: (comment) => api.post(`/assignments/${rec.id}/return`, { comment }, rec.version),
      });
      if (!saved) return;
      rec = saved;
      draw();
      box.show('success', 'Отчёт возвращён на доработку.');
    };
    return h('section', { class: 'card no-print', 'aria-labelledby': 'review-title', 'data-testid': 'review-actions' },
      h('h2', { id: 'review-title' }, 'Проверка отчёта'),
      h('p', null, 'Исполнитель отметил пункт выполненным. Примите отчёт или верните его с комментарием.'),
      h('div', { class: 'form__actions' },
        h('button', { type: 'button', class: 'btn btn--primary', onclick: accept }, 'Принять'),
        h('button', { type: 'button', class: 'btn btn--danger', onclick: giveBack }, 'Вернуть на доработку')));
  }

  draw();
  if (flash) { box.show(...flash); flash = null; }
  const node = h('section', { class: 'page', 'aria-labelledby': 'record-title' },
    h('p', { class: 'breadcrumbs no-print' }, h('a', { href: '#/assignments' }, '← К поручениям'), ' · ',
      h('a', { href: `#/documents/${rec.document_id}` }, 'К документу')),
    h('div', { class: 'page__head' }, heading,
      h('p', { class: 'page__sub' }, `${documentLabel(rec.document)} · ${executorName(rec.executor)}`)),
    box.node,
    holder);
  return { node, title: `Пункт ${rec.item_number} — ${documentLabel(rec.document)}` };
}

export async function render(ctx) {
  if (ctx.view === 'card') return renderCard(ctx);
  return renderList(ctx);
}
