// Small DOM helpers: every element is built with createElement and every piece of
// data goes in through textContent or setAttribute — never innerHTML — so text
// from the server can never become markup. No inline styles either (CSP).

let nextId = 0;

/** A document-unique id for label/aria wiring, e.g. uid('login') → "login-7". */
export function uid(prefix = 'id') {
  nextId += 1;
  return `${prefix}-${nextId}`;
}

/**
 * h(tag, attrs, ...children) creates an element.
 * attrs: `class` (string or array, falsy entries dropped), `on<event>` functions
 * (added as listeners), `dataset` object, boolean values (true → empty attribute,
 * false/null/undefined → omitted), anything else via setAttribute. The DOM
 * properties `value`, `checked`, `selected`, `disabled` and `hidden` are set as
 * properties. Children: strings and numbers become text nodes; Nodes are
 * appended; arrays are flattened; null/undefined/false are skipped.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [key, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (key === 'class') {
        const names = Array.isArray(value) ? value.filter(Boolean) : [value];
        if (names.length) el.className = names.join(' ');
      } else if (key === 'dataset') {
        for (const [k, v] of Object.entries(value)) el.dataset[k] = String(v);
      } else if (key.startsWith('on') && typeof value === 'function') {
        el.addEventListener(key.slice(2).toLowerCase(), value);
      } else if (key === 'value' || key === 'checked' || key === 'selected'
                 || key === 'disabled' || key === 'hidden') {
        el[key] = value;
      } else if (key === 'style') {
        throw new Error('inline styles are forbidden by the CSP; use a class');
      } else {
        el.setAttribute(key, value === true ? '' : String(value));
      }
    }
  }
  append(el, children);
  return el;
}

/** Appends children (same rules as h) to el and returns el. */
export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Replaces all children of el. */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

/**
 * Saves a Blob as a file named `filename` through a temporary <a download>
 * (no inline script; nothing leaves the browser). The blob: URL is revoked a
 * minute later, when the browser has long taken the bytes.
 */
export function saveBlob(blob, filename) {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: filename, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
