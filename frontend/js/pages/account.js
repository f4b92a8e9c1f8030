// The user's own profile (GET /me) and password change (POST /me/password).
// Changing the password revokes every refresh token of the user, so the page
// signs in again with the new password to keep this session going.

import { h } from '../shared/dom.js';
import { api, login } from '../api.js';
import { roleName } from '../shared/format.js';
import { field, messageBox, showApiError, clearErrors } from '../shared/forms.js';

export async function render(ctx) {
  const me = await api.get('/me');
  const box = messageBox();

  const pwInput = (autocomplete) => h('input', { type: 'password', autocomplete, maxlength: 200 });
  const f = {
    current_password: field('current_password', 'Текущий пароль', pwInput('current-password'), { required: true }),
    new_password: field('new_password', 'Новый пароль', pwInput('new-password'), { required: true }),
    repeat: field('repeat', 'Новый пароль ещё раз', pwInput('new-password'), { required: true }),
  };
  const submit = h('button', { type: 'submit', class: 'btn btn--primary' }, 'Сменить пароль');

  async function onSubmit(event) {
    event.preventDefault();
    box.clear();
    clearErrors(f);
    const current = f.current_password.control.value;
    const next = f.new_password.control.value;
    const repeat = f.repeat.control.value;
    if (!current) { f.current_password.setError('Введите текущий пароль.'); f.current_password.focus(); return; }
    if (!next) { f.new_password.setError('Введите новый пароль.'); f.new_password.focus(); return; }
    if (next !== repeat) { f.repeat.setError('Пароли не совпадают.'); f.repeat.focus(); return; }
    if (next === current) { f.new_password.setError('Новый пароль должен отличаться от текущего.'); f.new_password.focus(); return; }
    submit.disabled = true;
    try {
      await api.post('/me/password', { current_password: current, new_password: next });
    } catch (err) {
      submit.disabled = false;
      showApiError(err, f, box);
      return;
    }
    for (const x of Object.values(f)) x.control.value = '';
    submit.disabled = false;
    try {
      await login(me.login, next);
      box.show('success', 'Пароль изменён. Сеансы на других устройствах завершены.');
    } catch {
      box.show('success', 'Пароль изменён. Войдите в систему с новым паролем.');
      ctx.navigate('#/login');
    }
  }

  const row = (label, value) => (value ? [h('dt', null, label), h('dd', null, value)] : null);
  const node = h('section', { class: 'page', 'aria-labelledby': 'account-title' },
    h('div', { class: 'page__head' }, h('h1', { id: 'account-title' }, 'Мой профиль')),
    h('div', { class: 'columns' },
      h('section', { class: 'card', 'aria-labelledby': 'account-data-title' },
        h('h2', { id: 'account-data-title' }, 'Учётная запись'),
        h('dl', { class: 'props props--narrow', 'data-testid': 'profile' },
          row('Ф. И. О.', me.full_name),
          row('Логин', h('span', { class: 'code' }, me.login)),
          row('Роль', roleName(me.role)),
          row('Организация', me.organisation_name || ctx.user.organisation_name),
          row('Регион', me.region_name),
          row('Муниципалитет', me.municipality_name),
          row('Школа', me.school_name)),
        h('p', { class: 'muted small' }, 'Чтобы исправить данные учётной записи, обратитесь к администратору вашей организации.')),
      h('section', { class: 'card no-print', 'aria-labelledby': 'account-password-title' },
        h('h2', { id: 'account-password-title' }, 'Смена пароля'),
        box.node,
        h('form', { class: 'form', novalidate: true, onsubmit: onSubmit },
          f.current_password.node, f.new_password.node, f.repeat.node,
          h('div', { class: 'form__actions' }, submit)))));
  return { node, title: 'Мой профиль' };
}
