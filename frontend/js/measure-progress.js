// The school's mark of how a measure of an approved program goes: planned →
// in progress → done (with what was done) or not done (with the reason).
// POST /programs/{id}/measures/{measure_id}/progress with If-Match = the
// measure's version; the note is required for done and not done.

import { h, replace, uid } from './shared/dom.js';
import { api } from './api.js';
import { messageBox } from './shared/forms.js';
import { errorText } from './shared/format.js';
import { statusLabel, statusCodes } from './shared/vocabulary.js';

const NEEDS_NOTE = new Set(['done', 'not_done']);

/**
 * progressForm({programId, measure, number, onSaved, onConflict, onCancel}) →
 * the form. onSaved(status) after the write; onConflict(err) for a 409 (stale
 * version, or the program is no longer approved); other errors are shown in
 * the form.
 */
export function progressForm({ programId, measure: m, number, onSaved, onConflict, onCancel }) {
  const formBox = messageBox('progress-message');
  const name = uid('f-progress');
  const radios = statusCodes('measure').map((s) => h('input', {
    type: 'radio', name, id: uid('f-progress-status'), value: s, checked: m.status === s,
  }));
  const note = h('textarea', { id: uid('f-progress-note'), rows: 3, maxlength: 2000 }, m.progress_note || '');
  const noteLabel = h('label', { for: note.id });
  const noteRequired = h('span', { class: 'required', 'aria-hidden': 'true' }, '*');
  const noteError = h('p', { class: 'field__error', id: `${note.id}-error`, hidden: true });
  const noteField = h('div', { class: 'field', 'data-field': 'note' },
    h('div', { class: 'field__label' }, noteLabel, noteRequired), note, noteError);
  const chosen = () => radios.find((r) => r.checked)?.value || m.status;
  const setNoteError = (message) => {
    replace(noteError, message || '');
    noteError.hidden = !message;
    noteField.classList.toggle('field--invalid', Boolean(message));
    if (message) {
      note.setAttribute('aria-invalid', 'true');
      note.setAttribute('aria-describedby', noteError.id);
    } else {
      note.removeAttribute('aria-invalid');
      note.removeAttribute('aria-describedby');
    }
  };
  // The note's name says what it is for the chosen status.
  const relabel = () => {
    const s = chosen();
    replace(noteLabel, { done: 'Что сделано', not_done: 'Причина невыполнения' }[s] || 'Комментарий');
    noteRequired.hidden = !NEEDS_NOTE.has(s);
    note.required = NEEDS_NOTE.has(s);
  };
  for (const r of radios) r.addEventListener('change', relabel);
  relabel();
  const save = h('button', { type: 'submit', class: 'btn btn--primary' }, 'Сохранить отметку');
  async function onSubmit(event) {
    event.preventDefault();
    formBox.clear();
    setNoteError(null);
    const status = chosen();
    const text = note.value.trim();
    if (NEEDS_NOTE.has(status) && !text) {
      setNoteError(status === 'done' ? 'Опишите, что сделано: без этого мероприятие нельзя отметить выполненным.'
        : 'Укажите причину, по которой мероприятие не выполнено.');
      note.focus();
      return;
    }
    save.disabled = true;
    try {
      await api.post(`/programs/${programId}/measures/${m.id}/progress`, { status, note: text || null }, m.version);
    } catch (err) {
      save.disabled = false;
      if (err.status === 409) {
        await onConflict(err);
      } else if (err.fieldErrors.note) {
        setNoteError(err.fieldErrors.note);
        note.focus();
      } else {
        formBox.show('error', errorText(err));
      }
      return;
    }
    try {
      await onSaved(status);
    } catch (err) {
      formBox.show('error', errorText(err));
    }
  }
  const legendId = uid('progress-legend');
  return h('form', { class: 'progress-form', novalidate: true, onsubmit: onSubmit, 'aria-label': `Ход выполнения мероприятия № ${number}` },
    formBox.node,
    h('fieldset', { class: 'field fieldset', 'aria-labelledby': legendId },
      h('legend', { id: legendId }, 'Ход выполнения'),
      h('div', { class: 'checks' }, statusCodes('measure').map((s, i) => h('div', { class: 'check' },
        radios[i], h('label', { for: radios[i].id }, statusLabel('measure', s)))))),
    noteField,
    h('div', { class: 'form__actions' }, save, h('button', { type: 'button', class: 'btn', onclick: onCancel }, 'Отмена')));
}
