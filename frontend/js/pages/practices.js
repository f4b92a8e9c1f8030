// «Практики» — ЛОИРО's library of methodological recommendations and
// successful practices. The list (#/practices?q=&indicator_id=&offset=) with
// a search and an indicator filter, read by every role; one practice
// (#/practices/{id}) with its text, links, indicators and files; ЛОИРО creates
// (#/practices/new) and edits them (PATCH with If-Match; a stale version is
// explained and nothing is overwritten). Indicators are picked from the
// published instruments.

import { h, replace, uid } from '../shared/dom.js';
import { api, listAll } from '../api.js';
import { errorText, formatDate, formatNumber, plural, sentence } from '../shared/format.js';
import { field, messageBox, showApiError, clearErrors } from '../shared/forms.js';
import { listView } from '../shared/list.js';
import { loadInstrument } from '../diagnostics.js';
import { shortText } from '../programs.js';
import { attachmentsCard } from '../shared/attachments.js';

const LIMIT = 20;
let flash = null;

/** The published instruments as trees ({id, code, version, title, directions}). */
async function publishedInstruments() {
  const list = await listAll('/instruments', { status: 'published' });
  return Promise.all(list.map((i) => loadInstrument(i.id)));
}

/** <select> of every indicator of the published instruments, one optgroup per instrument. */
function indicatorSelect(trees, selected, attrs) {
  return h('select', attrs,
    h('option', { value: '' }, 'Любой показатель'),
    trees.map((t) => h('optgroup', { label: `${t.title} (${t.code}, версия ${t.version})` },
      (t.directions || []).flatMap((d) => d.indicators.map((x) => h('option', {
        value: String(x.id), selected: String(x.id) === String(selected),
      }, `${x.code} — ${shortText(x.text, 90)}`))))));
}

/**
 * One chip per indicator code: a practice linked to the same indicator in several instruments
 * (variants and versions share their codes) names it once, its instruments in the tooltip.
 */
function indicatorChips(indicators) {
  if (!indicators?.length) return null;
  const byCode = new Map();
  for (const x of indicators) {
    const chip = byCode.get(x.code) || { code: x.code, text: x.text || '', instruments: [] };
    if (x.instrument_code && !chip.instruments.includes(x.instrument_code)) chip.instruments.push(x.instrument_code);
    byCode.set(x.code, chip);
  }
  return h('ul', { class: 'chips chips--codes' }, [...byCode.values()].map((x) => h('li', {
    class: 'chip chip--code', title: `${x.instruments.length ? `${x.instruments.join(', ')}: ` : ''}${x.text}`,
  }, x.code)));
}

// ————————————————————————————————————— list

async function renderList(ctx) {
  const { user } = ctx;
  const trees = await publishedInstruments().catch(() => []);
  const box = messageBox();
  const body = h('ol', { class: 'practice-list', 'data-testid': 'practices-list' });
  const list = listView(ctx, {
    path: '/practices',
    filters: { q: (v) => v || '', indicator_id: (v) => v || '' },
    query: (st) => ({ q: st.q.trim(), indicator_id: st.indicator_id }),
    limit: LIMIT,
    body,
    box,
    row: (p) => h('li', { class: 'practice', 'data-practice-id': p.id },
      h('h2', { class: 'practice__title' }, h('a', { href: `#/practices/${p.id}` }, p.title)),
      p.excerpt ? h('p', { class: 'practice__excerpt' }, p.excerpt) : null,
      indicatorChips(p.indicators),
      h('p', { class: 'muted small practice__meta' }, [p.author_name, p.updated_at ? `обновлено ${formatDate(p.updated_at)}` : null]
        .filter(Boolean).join(' · '))),
    empty: (st) => h('li', { class: 'practice practice--empty muted' }, st.q || st.indicator_id
      ? 'По заданным условиям практик нет.' : 'Практик пока нет.'),
    summaryTestId: 'practices-summary',
    pagerLabel: 'Страницы списка практик',
  });
  const { state } = list;
  const ids = { q: uid('pr-q'), ind: uid('pr-ind') };
  const search = h('input', { type: 'search', id: ids.q, value: state.q, maxlength: 200, placeholder: 'слово из названия или текста' });
  const filters = h('form', {
    class: 'filters no-print',
    role: 'search',
    'aria-label': 'Поиск практик',
    onsubmit: (e) => { e.preventDefault(); list.change('q', search.value); },
  },
  h('div', { class: 'field field--grow' }, h('label', { for: ids.q }, 'Поиск'), search),
  h('div', { class: 'field' }, h('label', { for: ids.ind }, 'Показатель'),
    indicatorSelect(trees, state.indicator_id, {
      id: ids.ind, class: 'select--indicator', onchange: (e) => list.change('indicator_id', e.target.value),
    })),
  h('div', { class: 'field field--buttons' }, h('button', { type: 'submit', class: 'btn' }, 'Найти')));

  await list.load();
  if (flash) { box.show(...flash); flash = null; }
  return {
    node: h('section', { class: 'page', 'aria-labelledby': 'practices-title' },
      h('div', { class: 'page__head page__head--row' },
        h('div', null,
          h('h1', { id: 'practices-title' }, 'Практики'),
          h('p', { class: 'page__sub' }, 'Методические рекомендации и успешные практики ЛОИРО по показателям самодиагностики')),
        user.role === 'loiro' ? h('div', { class: 'page__actions no-print' },
          h('a', { class: 'btn btn--primary', href: '#/practices/new' }, 'Добавить практику')) : null),
      filters, box.node, list.summary, body, list.pager),
    title: 'Практики',
  };
}

// ————————————————————————————————————— the form

/**
 * The indicator picker: {node, values(), setError, focus}. An instrument is
 * chosen from a list, its indicators are checkboxes by direction; the chosen
 * ones (of any instrument) stay as chips with a remove button.
 */
function indicatorPicker(trees, initial) {
  const chosen = new Map((initial || []).map((x) => [String(x.id), x]));
  const errorEl = h('p', { class: 'field__error', id: uid('f-ind-error'), hidden: true });
  const chips = h('ul', { class: 'chips', 'aria-live': 'polite', 'data-testid': 'chosen-indicators' });
  const holder = h('div', { class: 'indicator-picker__list' });
  const filterId = uid('f-ind-filter');
  const filter = h('input', { type: 'search', id: filterId, placeholder: 'код или слово', maxlength: 100 });
  const instrumentId = uid('f-ind-instrument');
  const instrumentSelect = h('select', { id: instrumentId },
    trees.map((t) => h('option', { value: String(t.id) }, `${t.title} (${t.code}, версия ${t.version})`)));

  function drawChips() {
    replace(chips, chosen.size ? [...chosen.values()].map((x) => h('li', { class: 'chip', 'data-indicator-id': x.id },
      h('span', { class: 'code' }, x.code), h('span', { class: 'muted small' }, x.instrument_code ? ` ${x.instrument_code}` : ''),
      h('button', {
        type: 'button', class: 'chip__remove', 'aria-label': `Убрать показатель ${x.code}`,
        onclick: () => { chosen.delete(String(x.id)); drawChips(); drawList(); },
      }, '×'))) : h('li', { class: 'muted small' }, 'Показатели не выбраны.'));
  }
  function drawList() {
    const tree = trees.find((t) => String(t.id) === instrumentSelect.value);
    const needle = filter.value.trim().toLowerCase();
    if (!tree) { replace(holder, h('p', { class: 'muted' }, 'Опубликованных инструментов нет.')); return; }
    replace(holder, (tree.directions || []).map((d) => {
      const shown = d.indicators.filter((x) => !needle || x.code.toLowerCase().includes(needle) || x.text.toLowerCase().includes(needle));
      if (!shown.length) return null;
      return h('fieldset', { class: 'picker__group' },
        h('legend', { class: 'picker__direction' }, d.title),
        shown.map((x) => {
          const box = h('input', {
            type: 'checkbox', id: uid('f-ind'), value: String(x.id), checked: chosen.has(String(x.id)), 'data-indicator-code': x.code,
          });
          box.addEventListener('change', () => {
            if (box.checked) chosen.set(String(x.id), { id: x.id, code: x.code, text: x.text, instrument_code: tree.code });
            else chosen.delete(String(x.id));
            drawChips();
          });
          return h('div', { class: 'check picker__item' }, box, h('label', { for: box.id }, h('span', { class: 'code' }, x.code), ` ${x.text}`));
        }));
    }));
  }
  instrumentSelect.addEventListener('change', drawList);
  filter.addEventListener('input', drawList);
  drawChips();
  drawList();
  const node = h('fieldset', { class: 'field fieldset indicator-picker', 'data-field': 'indicator_ids', 'data-testid': 'indicator-picker' },
    h('legend', null, 'Показатели, по которым помогает практика', h('span', { class: 'required', 'aria-hidden': 'true' }, '*')),
    h('p', { class: 'field__hint' }, 'Школы увидят практику, когда составляют мероприятия по этим показателям (во всех версиях инструмента с тем же кодом).'),
    chips,
    h('div', { class: 'field-row' },
      h('div', { class: 'field field--grow' }, h('label', { for: instrumentId }, 'Инструмент'), instrumentSelect),
      h('div', { class: 'field' }, h('label', { for: filterId }, 'Отбор показателей'), filter)),
    holder,
    errorEl);
  return {
    node,
    values: () => [...chosen.keys()].map(Number),
    focus: () => instrumentSelect.focus(),
    setError(message) {
      replace(errorEl, message || '');
      errorEl.hidden = !message;
      node.classList.toggle('field--invalid', Boolean(message));
      if (message) node.setAttribute('aria-describedby', errorEl.id);
      else node.removeAttribute('aria-describedby');
    },
  };
}

/** practiceForm(trees, practice|null, {onSaved, onCancel, onStale}) → {node, focus}. */
function practiceForm(trees, practice, { onSaved, onCancel, onStale }) {
  const box = messageBox('practice-message');
  const f = {
    title: field('title', 'Название', h('input', { type: 'text', maxlength: 500, value: practice?.title || '' }), { required: true }),
    body: field('body', 'Текст', h('textarea', { rows: 12, maxlength: 20000 }), {
      required: true, hint: 'Описание практики или рекомендации: что сделать, как, с какими ресурсами.',
    }),
    links: field('links', 'Ссылки', h('textarea', { rows: 3, class: 'input--mono' }), {
      hint: 'По одной ссылке в строке, начиная с http:// или https://; не больше 10.',
    }),
    indicator_ids: indicatorPicker(trees, practice?.indicators),
  };
  f.body.control.value = practice?.body || '';
  f.links.control.value = (practice?.links || []).join('\n');
  const save = h('button', { type: 'submit', class: 'btn btn--primary' }, practice ? 'Сохранить' : 'Добавить практику');
  async function onSubmit(event) {
    event.preventDefault();
    box.clear();
    clearErrors(f);
    const data = {
      title: f.title.control.value.trim(),
      body: f.body.control.value.trim(),
      links: f.links.control.value.split(/\r?\n/).map((l) => l.trim()).filter(Boolean),
      indicator_ids: f.indicator_ids.values(),
    };
    const missing = [];
    if (!data.title) missing.push(['title', 'Укажите название.']);
    if (!data.body) missing.push(['body', 'Напишите текст практики.']);
    const bad = data.links.findIndex((l) => !/^https?:\/\/\S+$/i.test(l));
    if (bad !== -1) missing.push(['links', `Строка ${bad + 1}: ссылка должна начинаться с http:// или https:// и не содержать пробелов.`]);
    else if (data.links.length > 10) missing.push(['links', 'Не больше 10 ссылок.']);
    if (!data.indicator_ids.length) missing.push(['indicator_ids', 'Выберите хотя бы один показатель.']);
    if (missing.length) {
      for (const [n, m] of missing) f[n].setError(m);
      box.show('error', 'Проверьте поля практики.');
      f[missing[0][0]].focus();
      return;
    }
    let body = data;
    if (practice) {
      body = {};
      if (data.title !== practice.title) body.title = data.title;
      if (data.body !== practice.body) body.body = data.body;
      if (JSON.stringify(data.links) !== JSON.stringify(practice.links || [])) body.links = data.links;
      const was = (practice.indicators || []).map((x) => Number(x.id)).sort((a, b) => a - b);
      if (JSON.stringify([...data.indicator_ids].sort((a, b) => a - b)) !== JSON.stringify(was)) body.indicator_ids = data.indicator_ids;
      if (!Object.keys(body).length) { box.show('info', 'Изменений нет.'); return; }
    }
    save.disabled = true;
    try {
      onSaved(practice ? await api.patch(`/practices/${practice.id}`, practice.version, body) : await api.post('/practices', body));
    } catch (err) {
      save.disabled = false;
      if (err.status === 409 && err.code === 'conflict.stale_version') {
        box.show('error', h('strong', null, 'Изменения не сохранены. '),
          'Пока вы редактировали практику, её изменил другой пользователь. ',
          'Чтобы не затереть его правки, загрузите актуальные данные и внесите свои изменения снова. ',
          h('button', { type: 'button', class: 'btn btn--small', onclick: onStale }, 'Загрузить актуальные данные'));
      } else {
        const errors = err.errors.map((e) => {
          if (/^links\[\d+\]$/.test(e.field || '')) return { ...e, field: 'links' };
          if (/^indicator_ids\[\d+\]$/.test(e.field || '')) return { ...e, field: 'indicator_ids' };
          return e;
        });
        err.errors.splice(0, err.errors.length, ...errors);
        showApiError(err, f, box);
      }
    }
  }
  const node = h('section', { class: 'card', 'aria-labelledby': 'practice-form-title', 'data-testid': 'practice-form' },
    h('h2', { id: 'practice-form-title' }, practice ? 'Изменение практики' : 'Новая практика'),
    box.node,
    h('form', { class: 'form form--wide', novalidate: true, onsubmit: onSubmit, 'aria-labelledby': 'practice-form-title' },
      f.title.node, f.body.node, f.links.node, f.indicator_ids.node,
      h('p', { class: 'muted small' }, 'Поля, отмеченные *, обязательны.'),
      h('div', { class: 'form__actions' }, save, h('button', { type: 'button', class: 'btn', onclick: onCancel }, 'Отмена'))));
  return { node, focus: () => f.title.focus() };
}

async function renderCreate(ctx) {
  const trees = await publishedInstruments();
  const form = practiceForm(trees, null, {
    onSaved: (p) => { flash = ['success', 'Практика добавлена.']; ctx.navigate(`#/practices/${p.id}`); },
    onCancel: () => ctx.navigate('#/practices'),
    onStale: () => {},
  });
  return {
    node: h('section', { class: 'page', 'aria-labelledby': 'practice-new-title' },
      h('p', { class: 'breadcrumbs no-print' }, h('a', { href: '#/practices' }, '← К практикам')),
      h('div', { class: 'page__head' }, h('h1', { id: 'practice-new-title' }, 'Новая практика')),
      form.node),
    title: 'Новая практика',
  };
}

// ————————————————————————————————————— one practice

/** The practice's files — methodological materials, templates: ЛОИРО attaches and removes them. */
function practiceFiles(practice, canEdit) {
  return attachmentsCard('practice', {
    heading: 'Материалы', owner: practice, objectPath: `/practices/${practice.id}`, canAttach: canEdit, canRemove: canEdit,
    intro: canEdit ? 'Методические материалы, шаблоны документов, презентации: их видят все пользователи.' : null,
    empty: 'Материалов пока нет.',
  });
}

async function renderCard(ctx) {
  const { user } = ctx;
  const id = ctx.params.id;
  let practice = await api.get(`/practices/${id}`);
  const canEdit = user.role === 'loiro';
  const box = messageBox();
  const heading = h('h1', { id: 'practice-title' });
  const sub = h('p', { class: 'page__sub' });
  const actions = h('div', { class: 'page__actions no-print' });
  const body = h('div');

  function showView() {
    replace(heading, practice.title);
    replace(sub, [practice.author_name, practice.created_at ? `добавлено ${formatDate(practice.created_at)}` : null,
      practice.updated_at && practice.updated_at !== practice.created_at ? `обновлено ${formatDate(practice.updated_at)}` : null]
      .filter(Boolean).join(' · '));
    ctx.setTitle(practice.title);
    replace(actions, canEdit ? h('button', { type: 'button', class: 'btn btn--primary', onclick: showForm }, 'Изменить') : null);
    const n = (practice.indicators || []).length;
    replace(body,
      h('section', { class: 'card', 'aria-label': 'Текст практики' },
        h('div', { class: 'practice__body pre-wrap', 'data-testid': 'practice-body' }, practice.body),
        practice.links?.length ? [h('h3', { class: 'section-title' }, 'Ссылки'),
          h('ul', { class: 'links', 'data-testid': 'practice-links' }, practice.links.map((l) => h('li', null,
            /^https?:\/\//i.test(l) ? h('a', { href: l, rel: 'noopener noreferrer', target: '_blank' }, l) : l)))] : null),
      h('section', { class: 'card', 'aria-labelledby': 'practice-indicators-title' },
        h('h2', { id: 'practice-indicators-title' }, `Показатели (${formatNumber(n)})`),
        n ? h('ul', { class: 'plain practice-indicators', 'data-testid': 'practice-indicators' }, practice.indicators.map((x) => h('li', { 'data-indicator-id': x.id },
          h('span', { class: 'code' }, x.code), ' ', x.text,
          x.instrument_code ? h('span', { class: 'muted small' }, ` · ${x.instrument_code}`) : null,
          ' ', h('a', { class: 'small no-print', href: `#/practices?indicator_id=${x.id}` }, 'другие практики'))))
          : h('p', { class: 'muted' }, 'Показатели не указаны.'),
        n ? h('p', { class: 'muted small' }, `Школы видят эту практику, когда составляют мероприятия по ${n === 1 ? 'этому показателю' : `этим ${formatNumber(n)} ${plural(n, ['показателю', 'показателям', 'показателям'])}`}.`) : null),
      practiceFiles(practice, canEdit));
  }

  async function reloadFresh() {
    try {
      practice = await api.get(`/practices/${id}`);
      showView();
      box.show('info', 'Показаны актуальные данные практики. При необходимости внесите изменения снова.');
    } catch (err) {
      box.show('error', errorText(err));
    }
  }

  async function showForm() {
    box.clear();
    replace(actions);
    let trees;
    try {
      trees = await publishedInstruments();
    } catch (err) {
      box.show('error', sentence(errorText(err)));
      showView();
      return;
    }
    const form = practiceForm(trees, practice, {
      onSaved: (saved) => { practice = saved; showView(); box.show('success', 'Изменения сохранены.'); },
      onCancel: () => { box.clear(); showView(); },
      onStale: reloadFresh,
    });
    replace(body, form.node);
    form.focus();
  }

  showView();
  if (flash) { box.show(...flash); flash = null; }
  return {
    node: h('section', { class: 'page', 'aria-labelledby': 'practice-title' },
      h('p', { class: 'breadcrumbs no-print' }, h('a', { href: '#/practices' }, '← К практикам')),
      h('div', { class: 'page__head page__head--row' }, h('div', null, heading, sub), actions),
      box.node, body),
    title: practice.title,
  };
}

export async function render(ctx) {
  if (ctx.view === 'create') return renderCreate(ctx);
  if (ctx.view === 'card') return renderCard(ctx);
  return renderList(ctx);
}
