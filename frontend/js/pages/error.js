// Friendly Russian pages for errors that end a screen: 403, 404, an unreachable
// or unavailable service (network error, 502/503/504) and anything unexpected.

import { h } from '../shared/dom.js';
import { ApiError } from '../api.js';
import { sentence } from '../shared/format.js';

/**
 * errorPage(err, {retry, home}) → {node, title}.
 * retry: function re-running the failed screen (offered for unavailability);
 * home: hash of the user's start screen, or null when not signed in.
 */
export function errorPage(err, { retry, home } = {}) {
  const e = err instanceof ApiError ? err : new ApiError({ status: 500, code: 'internal' });
  let title;
  let text;
  let offerRetry = false;
  if (e.unavailable) {
    title = 'Сервис временно недоступен';
    text = 'Не удалось связаться с сервером. Повторите попытку через несколько минут. '
      + 'Если ошибка сохраняется, обратитесь в службу технической поддержки.';
    offerRetry = true;
  } else if (e.status === 403) {
    title = 'Доступ запрещён';
    text = 'У вашей учётной записи нет прав на этот раздел. '
      + 'Если доступ нужен для работы, обратитесь к администратору вашей организации.';
  } else if (e.status === 404) {
    title = 'Страница не найдена';
    text = 'Запрошенная страница или запись не существует либо недоступна вашей организации.';
  } else {
    title = 'Произошла ошибка';
    text = `${sentence(e.title)} Повторите действие позже; если ошибка повторяется, `
      + 'сообщите в службу технической поддержки код запроса.';
    offerRetry = true;
  }
  const node = h('section', { class: 'error-page', 'data-testid': 'error-page', 'data-status': e.status },
    h('h1', null, title),
    h('p', { class: 'lead' }, text),
    e.requestId ? h('p', { class: 'muted' }, `Код запроса: ${e.requestId}`) : null,
    h('p', { class: 'actions' },
      offerRetry && retry ? h('button', { type: 'button', class: 'btn btn--primary', onclick: () => retry() }, 'Повторить') : null,
      home ? h('a', { class: 'btn', href: home }, 'На главную') : null));
  return { node, title };
}
