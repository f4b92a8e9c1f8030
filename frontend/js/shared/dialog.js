// Modal dialogs on the native <dialog> element (focus is trapped and Esc
// closes it without any script of ours): a confirmation, and a required
// comment (returning a submission, reopening one) whose empty value or the
// server's field error is shown beside the text box.

import { h, replace, uid } from './dom.js';
import { errorText } from './format.js';

function openDialog(dialog) {
  document.body.append(dialog);
  dialog.addEventListener('close', () => dialog.remove());
  dialog.showModal();
}

/**
 * confirmDialog({title, text, confirm, danger, testId}) → Promise<boolean>:
 * true when the user confirmed.
 */
export function confirmDialog({ title, text, confirm = 'Подтвердить', cancel = 'Отмена', danger = false, testId }) {
  return new Promise((resolve) => {
    const titleId = uid('dialog-title');
    const yes = h('button', { type: 'submit', class: ['btn', danger ? 'btn--danger' : 'btn--primary'], value: 'yes' }, confirm);
    const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': titleId, 'data-testid': testId || 'confirm-dialog' },
      h('form', { method: 'dialog', class: 'dialog__form' },
        h('h2', { id: titleId, class: 'dialog__title' }, title),
        Array.isArray(text) ? text.map((t) => h('p', null, t)) : h('p', null, text),
        h('div', { class: 'form__actions dialog__actions' },
          yes,
          h('button', { type: 'submit', class: 'btn', value: 'no' }, cancel))));
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'yes'));
    openDialog(dialog);
    yes.focus();
  });
}

/**
 * textDialog({title, intro, label, hint, confirm, field, emptyMessage, submit})
 * asks for a required text. submit(text) performs the action: when it throws
 * an ApiError, its message for `field` (or its title) is shown and the dialog
 * stays open; when it resolves, the dialog closes. Resolves to submit's result,
 * or null when cancelled.
 */
export function textDialog({
  title, intro, label, hint, confirm, field = 'comment', emptyMessage, submit, testId, maxlength = 2000,
}) {
  return new Promise((resolve) => {
    const titleId = uid('dialog-title');
    const input = h('textarea', { id: uid(`dialog-${field}`), name: field, rows: 5, maxlength, required: true });
    const hintEl = hint ? h('p', { class: 'field__hint', id: `${input.id}-hint` }, hint) : null;
    const errorEl = h('p', { class: 'field__error', id: `${input.id}-error`, hidden: true, 'data-testid': 'dialog-error' });
    const fieldNode = h('div', { class: 'field' },
      h('div', { class: 'field__label' }, h('label', { for: input.id }, label),
        h('span', { class: 'required', 'aria-hidden': 'true' }, '*')),
      input, hintEl, errorEl);
    const setError = (message) => {
      replace(errorEl, message || '');
      errorEl.hidden = !message;
      fieldNode.classList.toggle('field--invalid', Boolean(message));
      if (message) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
      input.setAttribute('aria-describedby', [hintEl?.id, message ? errorEl.id : null].filter(Boolean).join(' '));
    };
    setError(null);
    const ok = h('button', { type: 'submit', class: 'btn btn--primary' }, confirm);
    let result = null;
    const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': titleId, 'data-testid': testId || 'text-dialog' });
    const cancelBtn = h('button', { type: 'button', class: 'btn', onclick: () => dialog.close() }, 'Отмена');
    const form = h('form', {
      class: 'dialog__form',
      novalidate: true,
      onsubmit: async (event) => {
        event.preventDefault();
        const text = input.value.trim();
        if (!text) {
          setError(emptyMessage || 'Заполните поле.');
          input.focus();
          return;
        }
        setError(null);
        ok.disabled = true;
        try {
          result = await submit(text);
          dialog.close();
        } catch (err) {
          ok.disabled = false;
          const msg = err?.fieldErrors?.[field];
          setError(msg || errorText(err));
          input.focus();
        }
      },
    },
    h('h2', { id: titleId, class: 'dialog__title' }, title),
    intro ? h('p', null, intro) : null,
    fieldNode,
    h('div', { class: 'form__actions dialog__actions' }, ok, cancelBtn));
    dialog.append(form);
    dialog.addEventListener('close', () => resolve(result));
    openDialog(dialog);
    input.focus();
  });
}
