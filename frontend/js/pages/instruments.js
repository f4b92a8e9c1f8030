// Instruments of self-diagnostics (committee, ЛОИРО): the list with loading a
// new instrument from a JSON file (#/instruments), and one instrument's full
// tree — directions, indicators, options with points — with publishing and
// export back to JSON (#/instruments/{id}).

import { h, replace, uid } from '../shared/dom.js';
import { api } from '../api.js';
import { emptyRow, listView } from '../shared/list.js';
import { errorText, formatDate, formatDateTime, formatNumber, plural, sentence } from '../shared/format.js';
import { messageBox } from '../shared/forms.js';
import { confirmDialog } from '../shared/dialog.js';
import { appliesToText, downloadJson, levelName, pointsText } from '../diagnostics.js';
import { statusBadge } from '../shared/vocabulary.js';

/** A message for the next screen (e.g. «загружен» on the preview after loading). */
let flash = null;

// ————————————————————————————————————— readable error paths

const FIELD_NAMES = Object.freeze({
  document: 'документ',
  code: 'код',
  version: 'версия',
  title: 'название',
  applies_to: 'применимость',
  levels: 'уровни образования',
  ovz: 'признак ОВЗ',
  critical_rule: 'правило критических показателей',
  thresholds: 'пороги уровней',
  basic: `порог уровня «${levelName('basic')}»`,
  medium: `порог уровня «${levelName('medium')}»`,
  high: `порог уровня «${levelName('high')}»`,
  directions: 'направления',
  indicators: 'показатели',
  text: 'формулировка',
  hint: 'подсказка',
  critical: 'признак «критический»',
  options: 'варианты ответа',
  value: 'значение',
  label: 'подпись',
  points: 'баллы',
});

/**
 * A field path of the API (directions[2].indicators[0].options[1].points) in
 * words, with the codes found in the document: «Направление 3 («health») →
 * показатель 1 («H01») → вариант ответа 2 → баллы».
 */
export function describePath(path, doc) {
  const parts = [];
  let node = doc;
  const re = /([A-Za-z_]+)(?:\[(\d+)\])?/g;
  let m;
  while ((m = re.exec(String(path))) !== null) {
    const [, name, index] = m;
    if (index === undefined) {
      parts.push(FIELD_NAMES[name] || name);
      node = node && typeof node === 'object' ? node[name] : undefined;
      continue;
    }
    const i = Number(index);
    const item = node && Array.isArray(node[name]) ? node[name][i] : undefined;
    const code = item && typeof item === 'object' && typeof item.code === 'string' ? ` («${item.code}»)` : '';
    if (name === 'directions') parts.push(`направление ${i + 1}${code}`);
    else if (name === 'indicators') parts.push(`показатель ${i + 1}${code}`);
    else if (name === 'options') parts.push(`вариант ответа ${i + 1}`);
    else parts.push(`${FIELD_NAMES[name] || name} ${i + 1}`);
    node = item;
  }
  const text = parts.join(' → ');
  return text ? text[0].toUpperCase() + text.slice(1) : 'Документ';
}

/** The server's field errors of a document as a readable list. */
function documentErrors(err, doc) {
  return h('ul', { class: 'error-list', 'data-testid': 'document-errors' }, err.errors.map((e) => h('li', null,
    h('span', { class: 'error-list__where' }, describePath(e.field || 'document', doc)),
    ': ', sentence(e.message || e.code),
    e.field ? h('span', { class: 'error-list__path code' }, e.field) : null)));
}

// ————————————————————————————————————— list and loading

function summaryOfDocument(doc) {
  const dirs = Array.isArray(doc.directions) ? doc.directions : [];
  const indicators = dirs.reduce((n, d) => n + (Array.isArray(d?.indicators) ? d.indicators.length : 0), 0);
  return `«${doc.title ?? 'без названия'}», код ${doc.code ?? '—'}, версия ${doc.version ?? '—'}: `
    + `${formatNumber(dirs.length)} ${plural(dirs.length, ['направление', 'направления', 'направлений'])}, `
    + `${formatNumber(indicators)} ${plural(indicators, ['показатель', 'показателя', 'показателей'])}.`;
}

function uploadCard(ctx, box) {
  const inputId = uid('instrument-file');
  const input = h('input', { id: inputId, type: 'file', accept: 'application/json,.json', class: 'file-pick__input' });
  const fileName = h('span', { class: 'file-pick__name' }, 'файл не выбран');
  const info = h('p', { class: 'upload__info', 'data-testid': 'upload-info', hidden: true });
  const submit = h('button', { type: 'submit', class: 'btn btn--primary', disabled: true }, 'Загрузить');
  let doc = null;

  function readFile(file) {
    return new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result));
      reader.onerror = () => reject(reader.error);
      reader.readAsText(file, 'utf-8');
    });
  }

  input.addEventListener('change', async () => {
    box.clear();
    doc = null;
    submit.disabled = true;
    info.hidden = true;
    const file = input.files && input.files[0];
    replace(fileName, file ? file.name : 'файл не выбран');
    if (!file) return;
    if (file.size > 900 * 1024) {
      box.show('error', 'Файл слишком большой: инструмент должен занимать не больше 900 КБ.');
      return;
    }
    let text;
    try {
      text = await readFile(file);
    } catch {
      box.show('error', 'Не удалось прочитать файл. Выберите его ещё раз.');
      return;
    }
    try {
      doc = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch (e) {
      box.show('error', `Файл «${file.name}» — не JSON: ${e.message}. Проверьте, что выбран файл инструмента.`);
      return;
    }
    if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
      box.show('error', `В файле «${file.name}» нет объекта инструмента (ожидается {"code": …, "directions": […]}).`);
      doc = null;
      return;
    }
    replace(info, `Файл «${file.name}»: ${summaryOfDocument(doc)}`);
    info.hidden = false;
    submit.disabled = false;
  });

  async function onSubmit(event) {
    event.preventDefault();
    if (!doc) return;
    box.clear();
    submit.disabled = true;
    try {
      const created = await api.post('/instruments', doc);
      flash = ['success', `Инструмент «${created.title}» (версия ${created.version}) загружен как черновик. `
        + 'Проверьте его и опубликуйте, чтобы включить в кампанию.'];
      ctx.navigate(`#/instruments/${created.id}`);
    } catch (err) {
      submit.disabled = false;
      if (err.status === 422 && err.errors.length) {
        box.show('error', h('strong', null, 'Инструмент не загружен. '),
          `Исправьте в файле ${formatNumber(err.errors.length)} ${plural(err.errors.length, ['ошибку', 'ошибки', 'ошибок'])}:`,
          documentErrors(err, doc));
      } else if (err.status === 413) {
        box.show('error', 'Файл слишком большой для загрузки.');
      } else if (err.unavailable) {
        box.show('error', errorText(err, 'Инструмент не загружен'));
      } else {
        box.show('error', sentence(err.title));
      }
    }
  }

  return h('section', { class: 'card no-print', 'aria-labelledby': 'upload-title' },
    h('h2', { id: 'upload-title' }, 'Загрузка нового инструмента'),
    h('p', { class: 'muted small' },
      'Инструмент загружается из файла JSON (формат описан в документации системы) и сохраняется как черновик. ',
      'Исправления опубликованного инструмента загружаются новой версией с тем же кодом.'),
    box.node,
    h('form', { class: 'form upload', novalidate: true, onsubmit: onSubmit },
      h('div', { class: 'field' }, h('label', { for: inputId }, 'Файл инструмента (JSON)'),
        h('div', { class: 'file-pick' }, input,
          h('label', { for: inputId, class: 'btn', 'aria-hidden': 'true' }, 'Выбрать файл…'), fileName)),
      info,
      h('div', { class: 'form__actions' }, submit)));
}

async function renderList(ctx) {
  const box = messageBox('upload-message');
  const thead = h('thead');
  const tbody = h('tbody');
  const table = h('table', { class: 'data-table', 'data-testid': 'instruments-table' },
    h('caption', { class: 'visually-hidden' }, 'Инструменты самодиагностики'), thead, tbody);
  const list = listView(ctx, {
    path: '/instruments',
    body: tbody,
    busy: table,
    box,
    sortable: ['code', 'title', 'status', 'published_at'],
    row: (i) => h('tr', { 'data-instrument-id': i.id, 'data-code': i.code, 'data-version': i.version },
      h('td', { class: 'code nowrap' }, i.code),
      h('td', { class: 'num' }, formatNumber(i.version)),
      h('th', { scope: 'row' }, h('a', { href: `#/instruments/${i.id}` }, i.title)),
      h('td', { class: 'nowrap' }, statusBadge('instrument', i.status)),
      h('td', { class: 'num' }, formatNumber(i.indicator_count ?? 0)),
      h('td', null, appliesToText(i.applies_to)),
      h('td', { class: 'nowrap' }, i.published_at ? formatDate(i.published_at) : '—')),
    empty: () => emptyRow(7, 'Инструменты ещё не загружены.'),
    summaryTestId: 'instruments-summary',
    pagerLabel: 'Страницы списка инструментов',
  });
  replace(thead, h('tr', null,
    list.header('Код', { sort: 'code' }),
    list.header('Версия', { class: 'num' }),
    list.header('Название', { sort: 'title' }),
    list.header('Статус', { sort: 'status' }),
    list.header('Показателей', { class: 'num' }),
    list.header('Для каких школ'),
    list.header('Опубликован', { sort: 'published_at' })));
  await list.load();

  const node = h('section', { class: 'page', 'aria-labelledby': 'instruments-title' },
    h('div', { class: 'page__head' },
      h('h1', { id: 'instruments-title' }, 'Инструменты'),
      h('p', { class: 'page__sub' }, 'Анкеты самодиагностики школ: направления, показатели, варианты ответа и баллы')),
    list.summary,
    h('div', { class: 'table-wrap' }, table),
    list.pager,
    h('div', { class: 'spacer' }),
    uploadCard(ctx, box));
  return { node, title: 'Инструменты' };
}

// ————————————————————————————————————— one instrument

/** «базовый — от 12, средний — от 20, высокий — от 28 баллов». */
function thresholdsText(t) {
  if (!t) return '—';
  return `${levelName('basic')} — от ${formatNumber(t.basic)}, ${levelName('medium')} — от ${formatNumber(t.medium)}, `
    + `${levelName('high')} — от ${pointsText(t.high)}`;
}

/** The document of the export: the stored one, else rebuilt from the tree (same fields). */
async function exportDocument(tree) {
  try {
    return await api.get(`/instruments/${tree.id}/document`);
  } catch (err) {
    if (err.status !== 404 && err.status !== 405) throw err;
  }
  const doc = { code: tree.code, version: tree.version, title: tree.title };
  if (tree.applies_to) doc.applies_to = tree.applies_to;
  doc.critical_rule = Boolean(tree.critical_rule);
  doc.thresholds = tree.thresholds;
  doc.directions = tree.directions.map((d) => ({
    code: d.code,
    title: d.title,
    thresholds: d.thresholds,
    indicators: d.indicators.map((x) => ({
      code: x.code,
      text: x.text,
      ...(x.hint ? { hint: x.hint } : {}),
      ...(x.critical ? { critical: true } : {}),
      options: x.options.map((o) => ({ value: o.value, label: o.label, points: o.points })),
    })),
  }));
  return doc;
}

function indicatorItem(x) {
  return h('li', { class: 'tree-indicator', 'data-indicator-code': x.code },
    h('div', { class: 'tree-indicator__head' },
      h('span', { class: 'code' }, x.code),
      h('span', { class: 'tree-indicator__text' }, x.text),
      x.critical ? h('span', { class: 'badge badge--danger', 'data-testid': 'critical' }, 'критический') : null),
    x.hint ? h('p', { class: 'tree-indicator__hint muted small' }, x.hint) : null,
    h('ul', { class: 'tree-options', 'aria-label': `Варианты ответа ${x.code}` }, x.options.map((o) => h('li', null,
      h('span', { class: 'tree-options__label' }, o.label),
      h('span', { class: 'tree-options__points' }, pointsText(o.points))))));
}

function directionSection(d, n) {
  const titleId = uid('direction');
  return h('section', { class: 'card tree-direction', 'aria-labelledby': titleId, 'data-direction-code': d.code },
    h('h2', { id: titleId }, `${n}. ${d.title}`),
    h('p', { class: 'muted small' },
      `Код ${d.code}; показателей: ${formatNumber(d.indicators.length)}; максимум ${pointsText(d.max_points)}; `,
      `пороги: ${thresholdsText(d.thresholds)}.`),
    h('ol', { class: 'tree-indicators' }, d.indicators.map(indicatorItem)));
}

async function renderCard(ctx) {
  const id = ctx.params.id;
  let tree = await api.get(`/instruments/${id}`);
  const box = messageBox();
  const heading = h('h1', { id: 'instrument-title' });
  const sub = h('p', { class: 'page__sub' });
  const actions = h('div', { class: 'page__actions no-print' });
  const props = h('dl', { class: 'props', 'data-testid': 'instrument-props' });
  const canPublish = ctx.user.role === 'committee' || ctx.user.role === 'loiro';

  async function publish() {
    const yes = await confirmDialog({
      title: 'Опубликовать инструмент?',
      text: [
        `«${tree.title}», версия ${tree.version}.`,
        'После публикации инструмент нельзя изменить: исправления загружаются новой версией с тем же кодом. '
        + 'Опубликованный инструмент можно выбрать при создании кампании.',
      ],
      confirm: 'Опубликовать',
    });
    if (!yes) return;
    box.clear();
    try {
      tree = await api.post(`/instruments/${id}/publish`);
      draw();
      box.show('success', 'Инструмент опубликован. Теперь его можно выбрать при создании кампании.');
    } catch (err) {
      if (err.status === 409) {
        tree = await api.get(`/instruments/${id}`).catch(() => tree);
        draw();
      }
      box.show('error', errorText(err));
    }
  }

  async function exportJson() {
    box.clear();
    try {
      const doc = await exportDocument(tree);
      downloadJson(doc, `${tree.code}-v${tree.version}.json`);
    } catch (err) {
      box.show('error', errorText(err));
    }
  }

  function draw() {
    replace(heading, tree.title);
    replace(sub, `Код ${tree.code} · версия ${tree.version} · `, statusBadge('instrument', tree.status));
    replace(actions,
      canPublish && tree.status === 'draft'
        ? h('button', { type: 'button', class: 'btn btn--primary', onclick: publish }, 'Опубликовать') : null,
      h('button', { type: 'button', class: 'btn', onclick: exportJson }, 'Экспорт в JSON'));
    const indicators = tree.directions.reduce((n, d) => n + d.indicators.length, 0);
    const critical = tree.directions.reduce((n, d) => n + d.indicators.filter((x) => x.critical).length, 0);
    const row = (label, value) => [h('dt', null, label), h('dd', null, value)];
    replace(props,
      row('Для каких школ', appliesToText(tree.applies_to)),
      row('Состав', `${formatNumber(tree.directions.length)} ${plural(tree.directions.length, ['направление', 'направления', 'направлений'])}, `
        + `${formatNumber(indicators)} ${plural(indicators, ['показатель', 'показателя', 'показателей'])}, `
        + `из них критических: ${formatNumber(critical)}`),
      row('Максимум', pointsText(tree.max_points)),
      row('Пороги итогового уровня', thresholdsText(tree.thresholds)),
      row('Критические показатели', tree.critical_rule
        ? `если по критическому показателю получено 0 баллов, итоговый уровень — «${levelName('below_basic')}»`
        : 'на итоговый уровень не влияют'),
      row('Загружен', tree.created_at ? formatDateTime(tree.created_at) : '—'),
      row('Опубликован', tree.published_at ? formatDateTime(tree.published_at) : 'нет (черновик)'));
    ctx.setTitle(tree.title);
  }

  draw();
  if (flash) { box.show(...flash); flash = null; }
  const node = h('section', { class: 'page', 'aria-labelledby': 'instrument-title' },
    h('p', { class: 'breadcrumbs no-print' }, h('a', { href: '#/instruments' }, '← К списку инструментов')),
    h('div', { class: 'page__head page__head--row' }, h('div', null, heading, sub), actions),
    box.node,
    h('div', { class: 'card' }, props),
    h('div', { 'data-testid': 'instrument-tree' }, tree.directions.map((d, i) => directionSection(d, i + 1))));
  return { node, title: tree.title };
}

export async function render(ctx) {
  if (ctx.view === 'card') return renderCard(ctx);
  return renderList(ctx);
}
