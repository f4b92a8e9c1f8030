// The optional problem analysis per direction of the program page.

import { h, replace, uid } from '../../shared/dom.js';
import { api } from '../../api.js';
import { errorText, sentence } from '../../shared/format.js';

/** Directions of the program's deficits plus those with an analysis, in instrument order (by id). */
export function analysisDirections(pg) {
  const map = new Map();
  for (const d of pg.program.deficits || []) {
    if (!map.has(String(d.direction_id))) map.set(String(d.direction_id), { id: d.direction_id, code: d.direction_code, title: d.direction_title, text: '' });
  }
  for (const a of pg.program.analyses || []) {
    const key = String(a.direction_id);
    map.set(key, { id: a.direction_id, code: a.direction_code, title: a.direction_title, text: a.text || '' });
  }
  return [...map.values()].sort((a, b) => Number(a.id) - Number(b.id));
}

export function analysisEditor(pg, dir) {
  const text = h('textarea', { id: uid('f-analysis'), rows: 5, maxlength: 10000 }, dir.text);
  const state = h('p', { class: 'save-state', role: 'status', 'aria-live': 'polite' });
  const save = h('button', {
    type: 'button',
    class: 'btn btn--small',
    onclick: async () => {
      save.disabled = true;
      state.className = 'save-state save-state--saving';
      replace(state, 'Сохранение…');
      try {
        await api.putUnversioned(`/programs/${pg.id}/analyses/${dir.id}`, { text: text.value.trim() || null });
        pg.program = await api.get(`/programs/${pg.id}`);
        dir.text = text.value.trim();
        state.className = 'save-state save-state--saved';
        replace(state, text.value.trim() ? 'Сохранено' : 'Анализ удалён');
      } catch (err) {
        state.className = 'save-state save-state--error';
        if (err.status === 409) {
          replace(state, 'Не сохранено: ', sentence(err.title));
          pg.failed(err, 'Анализ не сохранён.');
        } else {
          replace(state, 'Не сохранено: ', err.fieldErrors.text || errorText(err));
        }
      } finally {
        save.disabled = false;
      }
    },
  }, 'Сохранить анализ');
  return h('details', { class: 'analysis', open: Boolean(dir.text), 'data-direction-code': dir.code || '' },
    h('summary', null, dir.title || 'Направление', dir.text ? '' : h('span', { class: 'muted small' }, ' — не заполнен')),
    h('label', { for: text.id, class: 'visually-hidden' }, `Анализ проблем: ${dir.title}`),
    text,
    h('div', { class: 'form__actions' }, save, state));
}

export function analysesCard(pg, { mode }) {
  const dirs = pg.analysisDirections();
  if (mode !== 'edit') {
    const filled = dirs.filter((d) => d.text);
    if (!filled.length) return null;
    return h('section', { class: 'card', 'aria-labelledby': 'analyses-title', 'data-testid': 'program-analyses' },
      h('h2', { id: 'analyses-title' }, 'Анализ проблем по направлениям'),
      filled.map((d) => h('div', { class: 'analysis-read' }, h('h3', null, d.title), h('p', { class: 'pre-wrap' }, d.text))));
  }
  return h('section', { class: 'card no-print', 'aria-labelledby': 'analyses-title', 'data-testid': 'program-analyses' },
    h('h2', { id: 'analyses-title' }, 'Анализ проблем по направлениям (необязательно)'),
    h('p', { class: 'muted small' }, 'Результаты самодиагностики по направлению, причины дефицитов, управленческие решения. ',
      'Пустой анализ не сохраняется.'),
    dirs.length ? dirs.map(pg.analysisEditor) : h('p', { class: 'muted' }, 'Направлений с дефицитами нет.'));
}
