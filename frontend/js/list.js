// Shared pieces of list screens: the pager under a table.

import { h, replace } from './dom.js';
import { formatNumber } from './format.js';

/**
 * Draws «← Предыдущая · Страница N из M · Следующая →» into nav, or hides it
 * when everything fits on one page. go(offset) is called on a click.
 */
export function renderPager(nav, { total, offset, limit, go }) {
  const pages = Math.ceil(total / limit);
  if (pages <= 1) {
    replace(nav);
    nav.hidden = true;
    return;
  }
  nav.hidden = false;
  const current = Math.floor(offset / limit) + 1;
  replace(nav,
    h('button', {
      type: 'button', class: 'btn btn--small', disabled: current === 1, onclick: () => go(offset - limit),
    }, '← Предыдущая'),
    h('span', { class: 'pager__info' }, `Страница ${formatNumber(current)} из ${formatNumber(pages)}`),
    h('button', {
      type: 'button', class: 'btn btn--small', disabled: current === pages, onclick: () => go(offset + limit),
    }, 'Следующая →'));
}
