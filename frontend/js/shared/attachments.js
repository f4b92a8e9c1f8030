// The files attached to an object (issue 14), one component for every screen
// that holds evidence: the list (name, type, size, who attached it and when),
// «Открыть» or «Скачать» per file, «Удалить» with a confirmation when the user
// may remove, and an upload area when the user may attach — drag and drop or
// «Выбрать файл», several files at once (one request each, one after
// another), a progress bar per file and the server's message beside a file it
// refused. The screen says what the user may do from data it already has; the
// server enforces it anyway. The panel keeps `owner.attachments` current, so a
// screen that redraws from its object shows the files as they are.

import { h, replace, saveBlob, uid } from './dom.js';
import { api, fetchFile, uploadFile } from '../api.js';
import { errorText, formatDateTime, formatSize, quoted } from './format.js';
import { confirmDialog } from './dialog.js';

/** The server's limit of one file (ORIENTIR_MAX_UPLOAD's default); the server stays the judge. */
export const MAX_UPLOAD = 20 * 1024 * 1024;

const TYPE_NAMES = Object.freeze({
  'application/pdf': 'PDF',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'DOCX',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'XLSX',
  'application/vnd.oasis.opendocument.text': 'ODT',
  'application/vnd.oasis.opendocument.spreadsheet': 'ODS',
  'image/jpeg': 'JPEG',
  'image/png': 'PNG',
});

/** Types a browser shows itself: they open in a new tab; the rest are saved. */
const SHOWN_IN_TAB = new Set(['application/pdf', 'image/jpeg', 'image/png']);

/** What the file chooser offers first (the server decides by the content, not the name). */
const ACCEPT = '.pdf,.docx,.xlsx,.odt,.ods,.jpg,.jpeg,.png';

/** How long a tab may still need its blob: URL (a PDF viewer reads it again to save or print). */
const TAB_URL_LIFETIME = 10 * 60_000;

/** «PDF», «DOCX» … for an attachment; the name's extension for a type not in the list. */
export function fileType(att) {
  return TYPE_NAMES[att.content_type] || (/\.([a-z0-9]{1,5})$/i.exec(att.name || '')?.[1] || '').toUpperCase() || 'файл';
}

/** True when the attachment opens in a tab (PDF, images) rather than being saved. */
export function opensInTab(att) {
  return SHOWN_IN_TAB.has(att.content_type);
}

/**
 * Opens an attachment: fetched with the session's bearer token (no token in a
 * URL, no cookie) and shown through a blob: URL — PDF and images in a new tab,
 * other types saved under their original name. Rejects with ApiError when the
 * file cannot be fetched (the empty tab is closed then).
 */
export async function openAttachment(att) {
  // The tab is opened during the click, before the bytes arrive: one opened
  // after an await may be taken for a pop-up and blocked.
  const tab = opensInTab(att) ? window.open('', '_blank') : null;
  let file;
  try {
    file = await fetchFile(`/attachments/${att.id}`, null, att.name);
  } catch (err) {
    tab?.close();
    throw err;
  }
  if (!tab) {
    saveBlob(file.blob, att.name);
    return;
  }
  const url = URL.createObjectURL(file.blob);
  tab.opener = null;
  tab.location.href = url;
  setTimeout(() => URL.revokeObjectURL(url), TAB_URL_LIFETIME);
}

/** «Иванова Мария Петровна (МОУ «СОШ № 1»)» of created_by. */
function attachedBy(by) {
  if (!by) return '';
  const org = by.organisation_name ? ` (${by.organisation_name})` : '';
  return `${by.full_name || 'Пользователь'}${org}`;
}

/** One file of the list with its actions. */
function fileItem(panel, att) {
  const open = h('button', {
    type: 'button', class: 'btn btn--small', 'aria-label': `${opensInTab(att) ? 'Открыть' : 'Скачать'} ${quoted(att.name)}`,
    onclick: async () => {
      panel.clearError();
      try {
        await openAttachment(att);
      } catch (err) {
        panel.showError(`Файл ${quoted(att.name)} не открылся: ${errorText(err)}`);
      }
    },
  }, opensInTab(att) ? 'Открыть' : 'Скачать');
  const remove = panel.canRemove ? h('button', {
    type: 'button', class: 'btn btn--small btn--danger', 'aria-label': `Удалить ${quoted(att.name)}`,
    onclick: () => panel.remove(att),
  }, 'Удалить') : null;
  return h('li', { class: 'attachment', 'data-attachment-id': att.id, 'data-testid': 'attachment' },
    h('span', { class: 'attachment__type', 'data-testid': 'attachment-type' }, fileType(att)),
    h('span', { class: 'attachment__main' },
      h('span', { class: 'attachment__name', 'data-testid': 'attachment-name' }, att.name),
      h('span', { class: 'attachment__meta muted small' },
        h('span', { class: 'nowrap', 'data-testid': 'attachment-size' }, formatSize(att.size)),
        att.created_at ? [' · ', h('span', { class: 'nowrap' }, formatDateTime(att.created_at))] : null,
        att.created_by ? [' · ', attachedBy(att.created_by)] : null)),
    h('span', { class: 'attachment__actions no-print' }, open, remove));
}

/** The row of one file going up: its name, size, progress and, when refused, the server's message. */
function uploadRow(panel, file) {
  const progress = h('progress', { class: 'progress upload__bar', max: 100, value: 0, 'aria-label': `Загрузка ${quoted(file.name)}` });
  const state = h('span', { class: 'upload__state small', 'data-testid': 'upload-state' },
    file.size > MAX_UPLOAD ? 'Файл больше 20 МБ — сервер, скорее всего, его не примет. Отправляется…' : 'Отправляется…');
  const node = h('li', { class: 'upload', 'data-testid': 'upload' },
    h('span', { class: 'upload__name' }, file.name, h('span', { class: 'muted small' }, ` · ${formatSize(file.size)}`)),
    progress, state);
  return {
    node,
    progress(loaded, total) { progress.value = total ? Math.round((loaded / total) * 100) : 0; },
    failed(message) {
      progress.remove();
      node.classList.add('upload--error');
      replace(state, message);
      state.setAttribute('data-error', '');
      node.append(h('button', { type: 'button', class: 'btn btn--small', onclick: () => node.remove() },
        'Скрыть', h('span', { class: 'visually-hidden' }, ` сообщение о файле ${quoted(file.name)}`)));
    },
  };
}

/** The message for a file the server (or the connection) refused. */
function uploadError(err, file) {
  const tooLarge = `Файл — ${formatSize(file.size)}, а прикрепить можно не больше 20 МБ.`;
  // nginx may drop the connection of a body over its limit instead of answering 413.
  if (err?.status === 0 && file.size > MAX_UPLOAD) return tooLarge;
  if (err?.status === 413 && file.size > MAX_UPLOAD) return `${errorText(err)} ${tooLarge}`;
  return errorText(err, 'Файл не прикреплён');
}

/*
 * A file dropped beside a drop zone would make the browser open it in place of the page (and
 * lose what was typed): once a page has a drop zone, a file dropped anywhere else does nothing.
 */
let pageGuarded = false;
function guardPageAgainstStrayDrops() {
  if (pageGuarded) return;
  pageGuarded = true;
  const stray = (e) => {
    if (e.dataTransfer?.types?.includes('Files') && !e.target.closest?.('.dropzone')) e.preventDefault();
  };
  window.addEventListener('dragover', stray);
  window.addEventListener('drop', stray);
}

/** The drop zone with «Выбрать файл» (the keyboard's way in) and the hidden file input. */
function dropZone(panel, { compact }) {
  guardPageAgainstStrayDrops();
  const input = h('input', {
    type: 'file', multiple: true, accept: ACCEPT, hidden: true, 'data-testid': 'attachment-input',
    'aria-label': 'Файлы для прикрепления',
    onchange: () => { panel.upload([...input.files]); input.value = ''; },
  });
  const hintId = uid('attach-hint');
  const choose = h('button', {
    type: 'button', class: ['btn', compact ? 'btn--small' : null], 'aria-describedby': hintId, onclick: () => input.click(),
  }, compact ? 'Прикрепить файл' : 'Выбрать файл');
  const zone = h('div', { class: ['dropzone', compact ? 'dropzone--compact' : null], 'data-testid': 'dropzone' },
    compact ? null : h('span', { class: 'dropzone__lead' }, 'Перетащите файлы сюда или'), ' ',
    choose, input,
    h('span', { id: hintId, class: 'dropzone__hint muted small' },
      'PDF, DOCX, XLSX, ODT, ODS, JPEG или PNG, каждый до 20 МБ.'));
  zone.addEventListener('dragover', (e) => {
    if (!e.dataTransfer?.types?.includes('Files')) return;
    e.preventDefault();
    zone.classList.add('dropzone--over');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('dropzone--over'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('dropzone--over');
    const files = [...(e.dataTransfer?.files || [])];
    if (files.length) panel.upload(files);
  });
  return zone;
}

/**
 * attachmentsPanel({owner, objectPath, canAttach, canRemove, title, intro,
 * empty, compact, testId, onConflict}) → the panel's node.
 * owner: the object whose `attachments` array is shown (the panel adds and
 * removes its items as files go up and away); objectPath: the object's API
 * path, e.g. '/programs/12' (files go to objectPath + '/attachments');
 * title: a heading (h3) or none; intro: a line under it; empty: the text for
 * no files (null shows nothing); compact: a small «Прикрепить файл» button
 * instead of the drop zone's sentence (for a row of a list); onConflict(err):
 * called after a 409 (the object is no longer editable) so the screen can
 * reload it.
 */
export function attachmentsPanel({
  owner, objectPath, canAttach = false, canRemove = false, title = null, intro = null, empty = 'Файлов нет.',
  compact = false, testId = 'attachments', onConflict = null,
}) {
  if (!Array.isArray(owner.attachments)) owner.attachments = [];
  const list = h('ul', { class: 'attachments__list', 'data-testid': 'attachment-list' });
  const uploads = h('ul', { class: 'uploads' });
  const status = h('p', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite', 'data-testid': 'attachments-status' });
  const errorBox = h('p', { class: 'attachments__error', role: 'alert', hidden: true, 'data-testid': 'attachments-error' });
  const emptyNote = h('p', { class: 'muted small attachments__empty', 'data-testid': 'no-attachments' }, empty || '');
  const panel = {
    canRemove,
    clearError() { errorBox.hidden = true; replace(errorBox); },
    showError(message) { replace(errorBox, message); errorBox.hidden = false; },
    say(message) { replace(status, message); },
    draw() {
      const files = owner.attachments;
      replace(list, files.map((att) => fileItem(panel, att)));
      list.hidden = !files.length;
      emptyNote.hidden = Boolean(files.length) || !empty;
    },
    conflict(err) { if (err?.status === 409 && onConflict) onConflict(err); },
    upload: (files) => uploadAll(panel, owner, objectPath, uploads, files),
    remove: (att) => removeFile(panel, owner, att),
  };
  panel.draw();
  return h('div', { class: ['attachments', compact ? 'attachments--compact' : null], 'data-testid': testId },
    title ? h('h3', { class: 'attachments__title' }, title) : null,
    intro ? h('p', { class: 'small attachments__intro' }, intro) : null,
    list, emptyNote, errorBox,
    canAttach ? [dropZone(panel, { compact }), uploads] : null,
    status);
}

/** Sends the files one after another; each success joins the list, each refusal stays with its message. */
async function uploadAll(panel, owner, objectPath, uploads, files) {
  panel.clearError();
  const rows = files.map((file) => {
    const row = uploadRow(panel, file);
    uploads.append(row.node);
    return { file, row };
  });
  panel.say(files.length === 1 ? `Отправляется ${quoted(files[0].name)}.` : `Отправляется файлов: ${files.length}.`);
  let conflict = null;
  for (const { file, row } of rows) {
    try {
      const att = await uploadFile(objectPath, file, { onProgress: (loaded, total) => row.progress(loaded, total) });
      owner.attachments.push(att);
      row.node.remove();
      panel.draw();
      panel.say(`Файл ${quoted(att.name)} прикреплён.`);
    } catch (err) {
      const message = uploadError(err, file);
      row.failed(message);
      panel.say(`Файл ${quoted(file.name)} не прикреплён: ${message}`);
      if (err?.status === 409) conflict = err;
    }
  }
  if (conflict) panel.conflict(conflict);
}

/** Asks, then removes one file (DELETE /attachments/{id}). */
async function removeFile(panel, owner, att) {
  panel.clearError();
  const ok = await confirmDialog({
    title: 'Удалить файл?',
    text: `Файл ${quoted(att.name)} исчезнет из списка; запись о нём останется в журнале.`,
    confirm: 'Удалить', danger: true, testId: 'remove-attachment-dialog',
  });
  if (!ok) return;
  try {
    await api.del(`/attachments/${att.id}`);
  } catch (err) {
    panel.showError(`Файл ${quoted(att.name)} не удалён: ${errorText(err)}`);
    panel.conflict(err);
    return;
  }
  const i = owner.attachments.findIndex((x) => String(x.id) === String(att.id));
  if (i !== -1) owner.attachments.splice(i, 1);
  panel.draw();
  panel.say(`Файл ${quoted(att.name)} удалён.`);
}

/**
 * attachmentsCard(kind, {heading, always, ...panel options}) → a card (a
 * section with an h2 heading, data-testid "<kind>-files") holding an
 * attachmentsPanel (data-testid "<kind>-attachments"), or null when the user
 * may not attach, the object has no files and `always` is false.
 */
export function attachmentsCard(kind, { heading, always = false, ...options }) {
  if (!always && !options.canAttach && !(options.owner.attachments || []).length) return null;
  const titleId = uid('files-title');
  return h('section', { class: 'card', 'aria-labelledby': titleId, 'data-testid': `${kind}-files` },
    h('h2', { id: titleId }, heading),
    attachmentsPanel({ testId: `${kind}-attachments`, ...options }));
}
