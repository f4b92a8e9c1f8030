// «Наставничество» (#/partnerships?school_id=&offset=): partnerships between a
// school and a mentor school («сетевое наставничество»). A municipality records
// them for its schools — the school, the indicators the mentor helps with
// (from the school's latest deficits and growth areas) and the mentor, chosen
// among schools of the region that reached full points on those indicators
// (GET /indicators/{id}/mentors) or among its own schools — and deletes them.
// Schools see the partnerships they are part of; ЛОИРО and the committee, the
// region's.

import { h, replace, uid } from '../shared/dom.js';
import { api, listAll } from '../api.js';
import { errorText, formatDate, formatNumber } from '../shared/format.js';
import { messageBox, showApiError, clearErrors } from '../shared/forms.js';
import { emptyRow, listView } from '../shared/list.js';
import { confirmDialog } from '../shared/dialog.js';
import { byDirection, shortText } from '../programs.js';

const LIMIT = 50;

function schoolCell(s) {
  if (!s) return '—';
  return [h('span', null, s.short_name || s.name), h('span', { class: 'muted small block' }, s.municipality_name || '')];
}

/**
 * The municipality's form: {node}. onSaved(partnership) after POST /partnerships.
 */
/**
 * The possible mentors of a school for the chosen indicators: school id →
 * {m (the mentor row), n (for how many of the indicators it scored the maximum)}.
 * An indicator whose mentors do not load counts for none.
 */
async function mentorCounts(indicatorIds, campaignId, schoolId) {
  const counts = new Map();
  const answers = await Promise.all(indicatorIds.map((ind) => api.get(`/indicators/${ind}/mentors`, { campaign_id: campaignId, limit: 200 })
    .then((p) => p.items).catch(() => [])));
  for (const m of answers.flat()) {
    if (String(m.school_id) === schoolId) continue;
    const c = counts.get(String(m.school_id)) || { m, n: 0 };
    c.n += 1;
    counts.set(String(m.school_id), c);
  }
  return counts;
}

function partnershipForm(schools, { onSaved }) {
  const box = messageBox('partnership-message');
  const ids = { school: uid('f-ps-school'), mentor: uid('f-ps-mentor') };
  const errors = {};
  const errorEl = (name) => {
    errors[name] = h('p', { class: 'field__error', id: uid(`f-ps-${name}-error`), hidden: true });
    return errors[name];
  };
  const schoolSelect = h('select', { id: ids.school, required: true },
    h('option', { value: '' }, '— выберите школу —'),
    schools.map((s) => h('option', { value: String(s.id) }, `${s.code} — ${s.short_name || s.name}`)));
  const indicatorsHolder = h('div', { class: 'indicator-picker__list', 'data-testid': 'partnership-indicators' },
    h('p', { class: 'muted small' }, 'Выберите школу: здесь появятся её дефициты и зоны роста.'));
  const mentorSelect = h('select', { id: ids.mentor, required: true, disabled: true }, h('option', { value: '' }, '— сначала выберите школу —'));
  const mentorHint = h('p', { class: 'field__hint', id: uid('f-ps-mentor-hint') },
    'Школы региона, получившие максимальный балл по отмеченным показателям, — первыми; затем школы вашего муниципалитета.');
  mentorSelect.setAttribute('aria-describedby', mentorHint.id);
  let deficits = null; // {campaign_id, items}
  let boxes = [];
  let requestNo = 0;

  const fields = {
    school_id: { node: null, setError: (m) => setError('school_id', schoolSelect, m), focus: () => schoolSelect.focus() },
    mentor_school_id: { node: null, setError: (m) => setError('mentor_school_id', mentorSelect, m), focus: () => mentorSelect.focus() },
    indicator_ids: { node: null, setError: (m) => setError('indicator_ids', null, m), focus: () => boxes[0]?.focus() },
  };
  function setError(name, control, message) {
    const el = errors[name];
    replace(el, message || '');
    el.hidden = !message;
    el.parentElement?.classList.toggle('field--invalid', Boolean(message));
    if (control) {
      if (message) { control.setAttribute('aria-invalid', 'true'); control.setAttribute('aria-describedby', [el.id, control === mentorSelect ? mentorHint.id : null].filter(Boolean).join(' ')); } else { control.removeAttribute('aria-invalid'); if (control === mentorSelect) control.setAttribute('aria-describedby', mentorHint.id); else control.removeAttribute('aria-describedby'); }
    }
  }

  const checkedIndicators = () => boxes.filter((b) => b.checked).map((b) => Number(b.value));

  async function fillMentors() {
    const mine = ++requestNo;
    const schoolId = schoolSelect.value;
    if (!schoolId) {
      replace(mentorSelect, h('option', { value: '' }, '— сначала выберите школу —'));
      mentorSelect.disabled = true;
      return;
    }
    const chosen = checkedIndicators();
    const counts = deficits && chosen.length ? await mentorCounts(chosen, deficits.campaign_id, schoolId) : new Map();
    if (mine !== requestNo) return;
    const previous = mentorSelect.value;
    const ranked = [...counts.values()].sort((a, b) => (b.n - a.n) || (Number(b.m.same_municipality) - Number(a.m.same_municipality))
      || String(a.m.short_name || a.m.name).localeCompare(String(b.m.short_name || b.m.name), 'ru'));
    const own = schools.filter((s) => String(s.id) !== schoolId && !counts.has(String(s.id)));
    replace(mentorSelect,
      h('option', { value: '' }, '— выберите школу-наставника —'),
      ranked.length ? h('optgroup', { label: 'Максимальный балл по отмеченным показателям' }, ranked.map(({ m, n }) => h('option', {
        value: String(m.school_id), selected: String(m.school_id) === previous,
      }, `${m.short_name || m.name} (${m.municipality_name || ''}) — ${formatNumber(n)} из ${formatNumber(chosen.length)}`))) : null,
      own.length ? h('optgroup', { label: 'Школы вашего муниципалитета' }, own.map((s) => h('option', {
        value: String(s.id), selected: String(s.id) === previous,
      }, `${s.code} — ${s.short_name || s.name}`))) : null);
    mentorSelect.disabled = false;
  }

  async function loadDeficits() {
    deficits = null;
    boxes = [];
    const schoolId = schoolSelect.value;
    if (!schoolId) {
      replace(indicatorsHolder, h('p', { class: 'muted small' }, 'Выберите школу: здесь появятся её дефициты и зоны роста.'));
      await fillMentors();
      return;
    }
    replace(indicatorsHolder, h('p', { class: 'muted small' }, 'Загрузка…'));
    try {
      deficits = await api.get(`/schools/${schoolId}/deficits`);
    } catch (err) {
      replace(indicatorsHolder, h('p', { class: 'field__error' }, errorText(err)));
      await fillMentors();
      return;
    }
    if (schoolSelect.value !== schoolId) return;
    const items = deficits.items || [];
    replace(indicatorsHolder, items.length ? byDirection(items).map((g) => h('fieldset', { class: 'picker__group' },
      h('legend', { class: 'picker__direction' }, g.direction_title),
      g.items.map((d) => {
        const box = h('input', { type: 'checkbox', id: uid('f-ps-ind'), value: String(d.indicator_id), 'data-indicator-code': d.indicator_code });
        box.addEventListener('change', () => { fillMentors(); });
        boxes.push(box);
        return h('div', { class: 'check picker__item' }, box, h('label', { for: box.id },
          h('span', { class: 'code' }, d.indicator_code), ` ${shortText(d.indicator_text, 140)} `,
          h('span', { class: ['badge', d.kind === 'deficit' ? 'badge--danger' : 'badge--info'] }, d.kind === 'deficit' ? 'дефицит' : 'зона роста')));
      })))
      : h('p', { class: 'muted small' }, 'У школы нет дефицитов и зон роста по последней самодиагностике; наставника можно выбрать без показателей.'));
    await fillMentors();
  }
  schoolSelect.addEventListener('change', () => { loadDeficits(); });

  const save = h('button', { type: 'submit', class: 'btn btn--primary' }, 'Записать наставничество');
  async function onSubmit(event) {
    event.preventDefault();
    box.clear();
    clearErrors(fields);
    const data = {
      school_id: Number(schoolSelect.value) || null,
      mentor_school_id: Number(mentorSelect.value) || null,
      indicator_ids: checkedIndicators(),
    };
    const missing = [];
    if (!data.school_id) missing.push(['school_id', 'Выберите школу.']);
    if (!data.mentor_school_id) missing.push(['mentor_school_id', 'Выберите школу-наставника.']);
    if (missing.length) {
      for (const [n, m] of missing) fields[n].setError(m);
      box.show('error', 'Проверьте поля.');
      fields[missing[0][0]].focus();
      return;
    }
    save.disabled = true;
    try {
      const saved = await api.post('/partnerships', data);
      save.disabled = false;
      schoolSelect.value = '';
      await loadDeficits();
      onSaved(saved);
    } catch (err) {
      save.disabled = false;
      if (err.status === 409 && err.code === 'conflict.duplicate') {
        box.show('error', 'Такое наставничество уже записано.');
      } else {
        const errs = err.errors.map((e) => (/^indicator_ids\[\d+\]$/.test(e.field || '') ? { ...e, field: 'indicator_ids' } : e));
        err.errors.splice(0, err.errors.length, ...errs);
        showApiError(err, fields, box);
      }
    }
  }
  const node = h('section', { class: 'card no-print partnership-form-gap', 'aria-labelledby': 'partnership-form-title', 'data-testid': 'partnership-form' },
    h('h2', { id: 'partnership-form-title' }, 'Новое наставничество'),
    box.node,
    h('form', { class: 'form form--wide', novalidate: true, onsubmit: onSubmit, 'aria-labelledby': 'partnership-form-title' },
      h('div', { class: 'field', 'data-field': 'school_id' },
        h('div', { class: 'field__label' }, h('label', { for: ids.school }, 'Школа'), h('span', { class: 'required', 'aria-hidden': 'true' }, '*')),
        schoolSelect, errorEl('school_id')),
      h('fieldset', { class: 'field fieldset', 'data-field': 'indicator_ids' },
        h('legend', null, 'Показатели, по которым нужна помощь'),
        indicatorsHolder, errorEl('indicator_ids')),
      h('div', { class: 'field', 'data-field': 'mentor_school_id' },
        h('div', { class: 'field__label' }, h('label', { for: ids.mentor }, 'Школа-наставник'), h('span', { class: 'required', 'aria-hidden': 'true' }, '*')),
        mentorSelect, mentorHint, errorEl('mentor_school_id')),
      h('div', { class: 'form__actions' }, save)));
  return { node };
}

export async function render(ctx) {
  const { user } = ctx;
  const isMunicipality = user.role === 'municipality';
  const schools = isMunicipality ? (await listAll('/schools')).filter((s) => String(s.municipality_id) === String(user.municipality_id)) : [];
  const box = messageBox();
  const thead = h('thead');
  const tbody = h('tbody');
  const table = h('table', { class: 'data-table', 'data-testid': 'partnerships-table' },
    h('caption', { class: 'visually-hidden' }, 'Наставничество: школы и их наставники'), thead, tbody);

  async function remove(p) {
    box.clear();
    const ok = await confirmDialog({
      title: 'Удалить наставничество?',
      text: `${p.school?.short_name || p.school?.name}, наставник — ${p.mentor?.short_name || p.mentor?.name}.`,
      confirm: 'Удалить',
      danger: true,
      testId: 'delete-dialog',
    });
    if (!ok) return;
    try {
      await api.del(`/partnerships/${p.id}`);
      await reload();
      box.show('success', 'Наставничество удалено.');
    } catch (err) {
      box.show('error', h('strong', null, 'Не удалено. '), errorText(err));
    }
  }

  function row(p) {
    const mayDelete = isMunicipality && String(p.school?.municipality_id) === String(user.municipality_id);
    return h('tr', { 'data-partnership-id': p.id, 'data-school-id': p.school?.id, 'data-mentor-id': p.mentor?.id },
      h('th', { scope: 'row' }, schoolCell(p.school)),
      h('td', null, schoolCell(p.mentor)),
      h('td', null, p.indicators?.length ? h('ul', { class: 'chips chips--codes' }, p.indicators.map((x) => h('li', { class: 'chip chip--code', title: x.text || '' }, x.code)))
        : h('span', { class: 'muted' }, 'не указаны')),
      h('td', { class: 'small' }, h('span', { class: 'nowrap' }, formatDate(p.created_at)),
        p.created_by_name ? h('span', { class: 'muted block' }, p.created_by_name) : null),
      isMunicipality ? h('td', { class: 'no-print' }, mayDelete
        ? h('button', { type: 'button', class: 'btn btn--small btn--danger', onclick: () => remove(p) }, 'Удалить') : null) : null);
  }

  const list = listView(ctx, {
    path: '/partnerships',
    filters: { school_id: (v) => (isMunicipality ? v || '' : '') },
    limit: LIMIT,
    body: tbody,
    busy: table,
    box,
    row,
    empty: () => emptyRow(isMunicipality ? 5 : 4, 'Наставничество не записано.'),
    summaryTestId: 'partnerships-summary',
    pagerLabel: 'Страницы списка наставничества',
    sortable: ['school_name', 'mentor_school_name', 'created_at'],
  });
  const { state, reload } = list;
  replace(thead, h('tr', null,
    list.header('Школа', { sort: 'school_name' }),
    list.header('Школа-наставник', { sort: 'mentor_school_name' }),
    list.header('Показатели'),
    list.header('Записано', { sort: 'created_at' }),
    isMunicipality ? list.header(h('span', { class: 'visually-hidden' }, 'Действия'), { class: 'no-print' }) : null));

  const filterId = uid('ps-filter');
  const filters = isMunicipality ? h('form', { class: 'filters no-print', 'aria-label': 'Отбор наставничества', onsubmit: (e) => e.preventDefault() },
    h('div', { class: 'field field--grow field--limited' }, h('label', { for: filterId }, 'Показать наставничество школы'),
      h('select', { id: filterId, onchange: (e) => list.change('school_id', e.target.value) },
        h('option', { value: '' }, 'Все школы'),
        schools.map((s) => h('option', { value: String(s.id), selected: String(s.id) === String(state.school_id) }, `${s.code} — ${s.short_name || s.name}`))))) : null;
  const form = isMunicipality ? partnershipForm(schools, {
    onSaved: async (p) => {
      state.offset = 0;
      await reload();
      box.show('success', `Наставничество записано: ${p.school?.short_name || p.school?.name || 'школа'}, наставник — ${p.mentor?.short_name || p.mentor?.name || 'школа-наставник'}.`);
    },
  }) : null;

  await list.load();
  const sub = {
    municipality: 'Пары «школа — школа-наставник», которые записывает муниципалитет; обе школы видят наставничество.',
    school: 'Наставничество, в котором участвует ваша школа: как подопечная или как наставник.',
  }[user.role] || 'Наставничество школ региона.';
  return {
    node: h('section', { class: 'page', 'aria-labelledby': 'partnerships-title' },
      h('p', { class: 'breadcrumbs no-print' }, h('a', { href: '#/programs' }, user.role === 'school' ? '← К программе развития' : '← К программам развития')),
      h('div', { class: 'page__head' },
        h('h1', { id: 'partnerships-title' }, 'Наставничество'),
        h('p', { class: 'page__sub' }, sub)),
      box.node,
      filters,
      list.summary,
      h('div', { class: 'table-wrap' }, table),
      list.pager,
      isMunicipality ? h('p', { class: 'muted small' },
        'Удалить можно наставничество, записанное для школы вашего муниципалитета.') : null,
      form ? form.node : null),
    title: 'Наставничество',
  };
}
