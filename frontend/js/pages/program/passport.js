// The program's passport form (title and period) of the program page.

import { h } from '../../shared/dom.js';
import { api } from '../../api.js';
import { errorText, parseDate } from '../../shared/format.js';
import { field, messageBox, showApiError, clearErrors } from '../../shared/forms.js';
import { dateInput } from './constants.js';

export function passportForm(pg) {
  const formBox = messageBox('passport-message');
  const f = {
    title: field('title', 'Название программы', h('input', { type: 'text', maxlength: 500, value: pg.program.title || '' }), { required: true }),
    period_start: field('period_start', 'Начало', dateInput(pg.program.period_start), { required: true, hint: 'ДД.ММ.ГГГГ' }),
    period_end: field('period_end', 'Окончание', dateInput(pg.program.period_end), { required: true, hint: 'ДД.ММ.ГГГГ' }),
  };
  const save = h('button', { type: 'submit', class: 'btn btn--primary' }, 'Сохранить');
  async function onSubmit(event) {
    event.preventDefault();
    formBox.clear();
    clearErrors(f);
    const data = {
      title: f.title.control.value.trim(),
      period_start: parseDate(f.period_start.control.value),
      period_end: parseDate(f.period_end.control.value),
    };
    const missing = [];
    if (!data.title) missing.push(['title', 'Укажите название программы.']);
    if (!data.period_start) missing.push(['period_start', 'Дата в формате ДД.ММ.ГГГГ.']);
    if (!data.period_end) missing.push(['period_end', 'Дата в формате ДД.ММ.ГГГГ.']);
    if (missing.length) {
      for (const [n, m] of missing) f[n].setError(m);
      formBox.show('error', 'Проверьте поля.');
      f[missing[0][0]].focus();
      return;
    }
    const changes = {};
    for (const [k, v] of Object.entries(data)) if (String(v) !== String(pg.program[k] ?? '')) changes[k] = v;
    if (!Object.keys(changes).length) { formBox.show('info', 'Изменений нет.'); return; }
    save.disabled = true;
    try {
      await api.patch(`/programs/${pg.id}`, pg.program.version, changes);
      pg.editingPassport = false;
      await pg.reload(['success', 'Название и сроки программы сохранены.']);
    } catch (err) {
      save.disabled = false;
      if (err.status === 409 && err.code === 'conflict.stale_version') {
        formBox.show('error', h('strong', null, 'Изменения не сохранены. '),
          'Пока вы редактировали программу, её изменили в другом окне или другим сотрудником школы. ',
          h('button', { type: 'button', class: 'btn btn--small', onclick: () => { pg.editingPassport = false; pg.reload(['info', 'Показана актуальная программа.']).catch((e) => pg.box.show('error', errorText(e))); } },
            'Загрузить актуальные данные'));
      } else if (err.status === 409) {
        pg.editingPassport = false;
        await pg.failed(err, 'Изменения не сохранены.');
      } else {
        showApiError(err, f, formBox);
      }
    }
  }
  return h('section', { class: 'card no-print', 'aria-labelledby': 'passport-title', 'data-testid': 'passport-form' },
    h('h2', { id: 'passport-title' }, 'Название и сроки программы'),
    formBox.node,
    h('form', { class: 'form form--card', novalidate: true, onsubmit: onSubmit, 'aria-labelledby': 'passport-title' },
      f.title.node,
      h('div', { class: 'field-row' }, f.period_start.node, f.period_end.node),
      h('div', { class: 'form__actions' }, save,
        h('button', { type: 'button', class: 'btn', onclick: () => { pg.editingPassport = false; pg.draw(); } }, 'Отмена'))));
}
