// The sign-in page: login and password; the server's Russian error is shown as
// it comes (e.g. «Неверный логин или пароль»), throttling (429) explained.

import { h, replace } from '../shared/dom.js';
import { login } from '../api.js';
import { errorText, sentence } from '../shared/format.js';

export async function render(ctx) {
  const status = h('div', { class: 'form-error', role: 'alert', 'data-testid': 'login-error', hidden: true });
  const loginInput = h('input', {
    id: 'login-login', name: 'login', type: 'text', autocomplete: 'username',
    autocapitalize: 'none', spellcheck: 'false', required: true, autofocus: true, maxlength: 100,
  });
  const passwordInput = h('input', {
    id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password',
    required: true, maxlength: 200,
  });
  const submit = h('button', { type: 'submit', class: 'btn btn--primary btn--wide' }, 'Войти');

  function showError(text) {
    replace(status, text);
    status.hidden = false;
  }

  async function onSubmit(event) {
    event.preventDefault();
    status.hidden = true;
    const loginName = loginInput.value.trim();
    if (!loginName || !passwordInput.value) {
      showError('Введите логин и пароль.');
      (loginName ? passwordInput : loginInput).focus();
      return;
    }
    submit.disabled = true;
    submit.textContent = 'Вход…';
    try {
      const user = await login(loginName, passwordInput.value);
      ctx.afterLogin(user);
    } catch (err) {
      submit.disabled = false;
      submit.textContent = 'Войти';
      passwordInput.value = '';
      if (err.status === 429) {
        // The server's title says how long to wait (e.g. «…Повторите через 30 секунд»).
        showError([sentence(err.title), h('br'), 'Если вы не помните пароль, обратитесь к администратору вашей организации.']);
      } else if (err.unavailable) {
        showError(errorText(err));
      } else {
        showError(err.title);
      }
      passwordInput.focus();
    }
  }

  const node = h('div', { class: 'login' },
    h('div', { class: 'login__brand' },
      h('span', { class: 'brand__mark brand__mark--large', 'aria-hidden': 'true' }),
      h('div', null,
        h('p', { class: 'login__product' }, 'Ориентир'),
        h('p', { class: 'login__tagline' }, 'Система управления качеством общего образования'))),
    h('section', { class: 'login__card', 'aria-labelledby': 'login-title' },
      h('h1', { id: 'login-title' }, 'Вход в систему'),
      h('form', { class: 'form', novalidate: true, onsubmit: onSubmit, 'aria-describedby': 'login-hint' },
        status,
        h('div', { class: 'field' },
          h('label', { for: 'login-login' }, 'Логин'),
          loginInput),
        h('div', { class: 'field' },
          h('label', { for: 'login-password' }, 'Пароль'),
          passwordInput),
        h('div', { class: 'form__actions' }, submit)),
      h('p', { class: 'muted small', id: 'login-hint' },
        'Учётную запись выдаёт администратор вашей организации. '
        + 'Если вы забыли пароль, обратитесь к нему для сброса.')));
  return { node, title: 'Вход в систему' };
}
