// Constants and small builders shared by the parts of the program page.

import { h } from '../../shared/dom.js';
import { formatDate } from '../../shared/format.js';

/** Who may comment a program. */
export const REVIEWERS = Object.freeze(['committee', 'loiro', 'municipality']);

/** Program states before a decision: a revision in one of them is «pending». */
export const PENDING = new Set(['draft', 'submitted', 'returned']);

/** A date input showing ДД.ММ.ГГГГ. */
export const dateInput = (iso) => h('input', {
  type: 'text', value: iso ? formatDate(iso) : '', class: 'input-date', inputmode: 'numeric', autocomplete: 'off',
  maxlength: 10, placeholder: 'ДД.ММ.ГГГГ',
});
