// Form building blocks shared by the editing screens: a labelled field with a
// hint and an error line wired through aria-describedby, a checkbox group, and
// the display of an API error (422 field errors beside their fields).

import { h, replace, uid } from './dom.js';
import { errorText, sentence } from './format.js';

/**
 * field(name, label, control, {hint, required}) → {node, control, setError}.
 * control: an input/select/textarea; it gets an id and a name if it has none.
 */
export function field(name, label, control, { hint, required, className } = {}) {
  if (!control.id) control.id = uid(`f-${name}`);
  if (!control.name) control.name = name;
  if (required) control.required = true;
  const hintEl = hint ? h('p', { class: 'field__hint', id: `${control.id}-hint` }, hint) : null;
  const errorEl = h('p', { class: 'field__error', id: `${control.id}-error`, hidden: true });
  const describe = (withError) => {
    const ids = [hintEl?.id, withError ? errorEl.id : null].filter(Boolean);
    if (ids.length) control.setAttribute('aria-describedby', ids.join(' '));
    else control.removeAttribute('aria-describedby');
  };
  describe(false);
  const node = h('div', { class: ['field', className], 'data-field': name },
    // The asterisk stays outside the label so the field's name is exactly `label`.
    h('div', { class: 'field__label' }, h('label', { for: control.id }, label),
      required ? h('span', { class: 'required', 'aria-hidden': 'true' }, '*') : null),
    control, hintEl, errorEl);
  return {
    node,
    control,
    focus: () => control.focus(),
    setError(message) {
      replace(errorEl, message || '');
      errorEl.hidden = !message;
      node.classList.toggle('field--invalid', Boolean(message));
      if (message) control.setAttribute('aria-invalid', 'true');
      else control.removeAttribute('aria-invalid');
      describe(Boolean(message));
    },
  };
}

/**
 * checkboxGroup(name, legend, options) → {node, values(), setValues(), setError, focus}.
 * options: [{value, label}]; the group is a fieldset so the legend names it.
 */
export function checkboxGroup(name, legend, options, selected = []) {
  const chosen = new Set(selected.map(String));
  const errorEl = h('p', { class: 'field__error', id: uid(`f-${name}-error`), hidden: true });
  const boxes = options.map((o) => h('input', {
    type: 'checkbox', id: uid(`f-${name}`), name, value: String(o.value), checked: chosen.has(String(o.value)),
  }));
  const node = h('fieldset', { class: 'field fieldset', 'data-field': name },
    h('legend', null, legend),
    h('div', { class: 'checks checks--column' }, options.map((o, i) => h('div', { class: 'check' },
      boxes[i], h('label', { for: boxes[i].id }, o.label)))),
    errorEl);
  return {
    node,
    values: () => boxes.filter((b) => b.checked).map((b) => b.value),
    focus: () => boxes[0]?.focus(),
    setError(message) {
      replace(errorEl, message || '');
      errorEl.hidden = !message;
      node.classList.toggle('field--invalid', Boolean(message));
      if (message) node.setAttribute('aria-describedby', errorEl.id);
      else node.removeAttribute('aria-describedby');
    },
  };
}

/** A single labelled checkbox: {node, control, setError, focus}. */
export function checkbox(name, label, checked) {
  const control = h('input', { type: 'checkbox', id: uid(`f-${name}`), name, checked: Boolean(checked) });
  const errorEl = h('p', { class: 'field__error', hidden: true });
  const node = h('div', { class: 'check', 'data-field': name }, control, h('label', { for: control.id }, label), errorEl);
  return {
    node,
    control,
    focus: () => control.focus(),
    setError(message) { replace(errorEl, message || ''); errorEl.hidden = !message; },
  };
}

/**
 * A message box: {node, show(kind, ...content), clear()}; kind 'error' → role=alert,
 * else status. testId names it for the browser tests.
 */
export function messageBox(testId = 'message') {
  const node = h('div', { class: 'message', hidden: true, 'data-testid': testId });
  return {
    node,
    show(kind, ...content) {
      node.className = `message message--${kind}`;
      node.setAttribute('role', kind === 'error' ? 'alert' : 'status');
      replace(node, ...content);
      node.hidden = false;
      // On a 768-pixel screen the box may be above the fold when a button far below was pressed.
      if (typeof node.scrollIntoView === 'function') node.scrollIntoView({ block: 'nearest' });
    },
    clear() { node.hidden = true; replace(node); },
  };
}

/**
 * Shows an ApiError on a form: each {field, message} beside its field (fields:
 * name → field object), the rest and the title in the message box; focuses the
 * first invalid field. Returns true when at least one field got an error.
 */
export function showApiError(err, fields, box) {
  for (const f of Object.values(fields)) f.setError(null);
  const byField = err.fieldErrors || {};
  const unplaced = [];
  let first = null;
  for (const [name, message] of Object.entries(byField)) {
    const f = fields[name];
    if (f) { f.setError(message); first = first || f; } else unplaced.push(message);
  }
  if (err.unavailable) {
    box.show('error', errorText(err, 'Изменения не сохранены'));
  } else {
    box.show('error', sentence(err.title), unplaced.length ? h('ul', null, unplaced.map((m) => h('li', null, m))) : null);
  }
  if (first) first.focus();
  return Boolean(first);
}

/**
 * The answer of an edit form to 409 conflict.stale_version: nothing was
 * overwritten, `happened` says why («Пока вы редактировали документ, его
 * изменил другой пользователь.»), and a button calls onStale() to load the
 * current data.
 */
export function showStale(box, happened, onStale) {
  box.show('error',
    h('strong', null, 'Изменения не сохранены. '),
    `${happened} `,
    'Чтобы не затереть его правки, загрузите актуальные данные и внесите свои изменения снова. ',
    h('button', { type: 'button', class: 'btn btn--small', onclick: onStale }, 'Загрузить актуальные данные'));
}

/**
 * The end of an edit form's submit: the missing required fields ([[name,
 * message]]) beside their fields with `missingText` in the box, «Изменений нет.»
 * when nothing changed, else patch(changes) with the save button disabled —
 * onSaved(answer) on success, showStale(box, happened, onStale) for a stale
 * version, any other error beside its field.
 */
export async function sendChanges({ fields, box, save, missing, missingText, changes, patch, happened, onSaved, onStale }) {
  if (missing.length) {
    for (const [name, message] of missing) fields[name].setError(message);
    box.show('error', missingText);
    fields[missing[0][0]].focus();
    return;
  }
  if (!Object.keys(changes).length) {
    box.show('info', 'Изменений нет.');
    return;
  }
  save.disabled = true;
  try {
    onSaved(await patch(changes));
  } catch (err) {
    save.disabled = false;
    if (err.status === 409 && err.code === 'conflict.stale_version') showStale(box, happened, onStale);
    else showApiError(err, fields, box);
  }
}

/**
 * Sends a create form with its button disabled: resolves to the created
 * object, or to null after the error is shown beside the fields (the button
 * enabled again for another try).
 */
export async function sendNew(submit, post, { fields, box }) {
  submit.disabled = true;
  try {
    return await post();
  } catch (err) {
    submit.disabled = false;
    showApiError(err, fields, box);
    return null;
  }
}

/** Clears every field's error. */
export function clearErrors(fields) {
  for (const f of Object.values(fields)) f.setError(null);
}
