// User management: the committee creates, deactivates, re-activates a user and
// resets its password; field errors from 422 appear beside the fields; a
// municipality sees the users of its own schools only; the account page.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  BASE_URL, PASSWORD, launchBrowser, openPage, checkNoErrors, signIn, screenshot,
  demoAccounts, apiGet, apiCall, apiLogin, uniqueLogin, textMatching, eventually,
} from './helpers.mjs';

let browser;
let accounts;

before(async () => {
  browser = await launchBrowser();
  accounts = await demoAccounts();
});
after(async () => { await browser?.close(); });

/** Signs in through the form of a fresh page and reports whether the shell appeared. */
async function trySignIn(login, password) {
  const { context, page, errors } = await openPage(browser);
  await page.goto(`${BASE_URL}/`);
  await page.getByLabel('Логин', { exact: true }).fill(login);
  await page.getByLabel('Пароль').fill(password);
  await page.getByRole('button', { name: 'Войти' }).click();
  const outcome = await Promise.race([
    page.getByRole('button', { name: 'Выйти' }).waitFor().then(() => 'in'),
    page.getByTestId('login-error').filter({ hasText: /./ }).waitFor().then(() => 'refused'),
  ]);
  checkNoErrors(errors);
  await context.close();
  return outcome;
}

describe('the committee manages users', () => {
  it('creates a school user, deactivates and re-activates it, resets its password', async () => {
    const mun = accounts.municipality.user;
    const schools = await apiGet(accounts.committee.token, `/schools?municipality_id=${mun.municipality_id}&limit=200`);
    const school = schools.items[schools.items.length - 1];
    const login = uniqueLogin('brw');
    const { context, page, errors } = await openPage(browser);
    await signIn(page, accounts.committee.login);
    await page.getByRole('link', { name: 'Пользователи' }).click();
    await page.getByRole('heading', { name: 'Пользователи', level: 1 }).waitFor();
    await textMatching(page.getByTestId('users-summary'), /Показано 1–/);
    await screenshot(page, 'users-committee');

    await page.getByRole('link', { name: 'Добавить пользователя' }).click();
    await page.getByRole('heading', { name: 'Новый пользователь' }).waitFor();
    await page.getByLabel('Логин', { exact: true }).fill(login);
    await page.getByLabel('Фамилия, имя, отчество').fill('Проверкина Анна Сергеевна');
    await page.getByLabel('Роль', { exact: true }).selectOption('school');
    await page.getByLabel('Муниципалитет', { exact: true }).selectOption(String(mun.municipality_id));
    await eventually(async () => assert.ok(await page.getByLabel('Школа', { exact: true }).locator(`option[value="${school.id}"]`).count() === 1));
    await page.getByLabel('Школа', { exact: true }).selectOption(String(school.id));
    await page.getByLabel('Начальный пароль').fill(`${PASSWORD}-first`);
    await screenshot(page, 'user-create');
    await page.getByRole('button', { name: 'Создать пользователя' }).click();

    await page.getByTestId('user-card').waitFor();
    await textMatching(page.getByTestId('message'), /создан/);
    const card = await page.getByTestId('user-card').textContent();
    assert.ok(card.includes(login));
    assert.ok(card.includes('Школа'));
    await textMatching(page.getByTestId('user-status'), /Активна/);
    await screenshot(page, 'user-card');
    const userId = Number(/#\/users\/(\d+)/.exec(page.url())[1]);
    const created = await apiGet(accounts.committee.token, `/users/${userId}`);
    assert.equal(created.school_id, school.id);
    assert.equal(created.role, 'school');

    assert.equal(await trySignIn(login, `${PASSWORD}-first`), 'in', 'the new user can sign in');

    // Move the user to another school of the same municipality (PATCH with If-Match).
    const otherSchool = schools.items[0];
    const editForm = page.getByRole('region', { name: 'Данные и организация' });
    await eventually(async () => assert.equal(await editForm.getByLabel('Школа', { exact: true }).inputValue(), String(school.id)));
    await editForm.getByLabel('Школа', { exact: true }).selectOption(String(otherSchool.id));
    const patch = page.waitForRequest((r) => r.method() === 'PATCH' && r.url().endsWith(`/api/v1/users/${userId}`));
    await editForm.getByRole('button', { name: 'Сохранить изменения' }).click();
    assert.equal((await patch).headers()['if-match'], String(created.version));
    await textMatching(page.getByTestId('message'), /Изменения сохранены/);
    assert.equal((await apiGet(accounts.committee.token, `/users/${userId}`)).school_id, otherSchool.id);

    // Deactivate (with a confirmation step).
    await page.getByRole('button', { name: 'Отключить учётную запись' }).click();
    await page.getByRole('button', { name: 'Да, отключить' }).click();
    await textMatching(page.getByTestId('message'), /Учётная запись отключена/);
    await textMatching(page.getByTestId('user-status'), /Отключена/);
    assert.equal((await apiGet(accounts.committee.token, `/users/${userId}`)).is_active, false);
    assert.equal(await trySignIn(login, `${PASSWORD}-first`), 'refused', 'a deactivated user cannot sign in');

    // The list shows it as disabled, on whichever page of 50 it falls (offset in the address).
    const listed = await apiGet(accounts.committee.token,
      `/users?role=school&municipality_id=${mun.municipality_id}&limit=200`);
    const index = listed.items.findIndex((u) => u.login === login);
    assert.ok(index >= 0, 'the new user is in its municipality\'s list');
    const offset = Math.floor(index / 50) * 50;
    await page.goto(`${BASE_URL}/#/users?role=school&municipality_id=${mun.municipality_id}&offset=${offset}`);
    assert.equal(await page.getByLabel('Роль', { exact: true }).inputValue(), 'school');
    assert.equal(await page.getByLabel('Муниципалитет', { exact: true }).inputValue(), String(mun.municipality_id));
    await eventually(async () => {
      const row = page.locator(`tr[data-login="${login}"]`);
      assert.match(await row.textContent(), /Отключена/);
    });

    // Activate again and reset the password.
    await page.locator(`tr[data-login="${login}"] a`).click();
    await page.getByRole('button', { name: 'Включить учётную запись' }).click();
    await textMatching(page.getByTestId('user-status'), /Активна/);
    await page.getByLabel('Новый пароль', { exact: true }).fill(`${PASSWORD}-second`);
    await page.getByRole('button', { name: 'Установить пароль' }).click();
    await textMatching(page.getByTestId('password-message'), /Пароль изменён/);
    assert.equal(await trySignIn(login, `${PASSWORD}-second`), 'in', 'the reset password works');
    checkNoErrors(errors);
    await context.close();
  });

  it('shows the server\'s field errors beside the fields (taken login)', async () => {
    const { context, page, errors } = await openPage(browser);
    await signIn(page, accounts.committee.login);
    await page.goto(`${BASE_URL}/#/users/new`);
    await page.getByRole('heading', { name: 'Новый пользователь' }).waitFor();
    await page.getByLabel('Логин', { exact: true }).fill('loiro');
    await page.getByLabel('Фамилия, имя, отчество').fill('Дубликат Логина');
    await page.getByLabel('Роль', { exact: true }).selectOption('loiro');
    await page.getByLabel('Начальный пароль').fill(`${PASSWORD}-dup`);
    await page.getByRole('button', { name: 'Создать пользователя' }).click();
    const loginField = page.locator('[data-field="login"]');
    await textMatching(loginField.locator('.field__error'), /[А-Яа-я]/);
    assert.equal(await page.getByLabel('Логин', { exact: true }).getAttribute('aria-invalid'), 'true');
    await screenshot(page, 'user-create-errors');
    checkNoErrors(errors);
    await context.close();
  });

  it('checks required fields before sending', async () => {
    const { context, page, errors } = await openPage(browser);
    await signIn(page, accounts.committee.login);
    await page.goto(`${BASE_URL}/#/users/new`);
    await page.getByRole('button', { name: 'Создать пользователя' }).click();
    await textMatching(page.locator('[data-field="login"] .field__error'), /Укажите логин/);
    await textMatching(page.locator('[data-field="role"] .field__error'), /Выберите роль/);
    checkNoErrors(errors);
    await context.close();
  });
});

describe('finding a user', () => {
  it('the committee types part of a name: the list narrows on the server, the search is kept in the URL', async () => {
    const target = accounts.school.user;
    const surname = target.full_name.split(' ')[0];
    const { context, page, errors } = await openPage(browser);
    await signIn(page, accounts.committee.login);
    await page.goto(`${BASE_URL}/#/users`);
    await textMatching(page.getByTestId('users-summary'), /Показано 1–/);
    await page.getByLabel('Поиск').fill(surname.slice(0, -1).toLowerCase());
    await eventually(async () => assert.match(page.url(), /[?&]q=/));
    await eventually(async () => {
      const names = await page.locator('[data-testid="users-table"] tbody th').allInnerTexts();
      assert.ok(names.length > 0 && names.every((n) => n.toLowerCase().includes(surname.slice(0, -1).toLowerCase())), names.join('; '));
    });
    assert.ok(await page.locator(`[data-testid="users-table"] tr[data-user-id="${target.id}"]`).count() === 1, 'the user is found');
    await page.reload();
    assert.equal(await page.getByLabel('Поиск').inputValue(), surname.slice(0, -1).toLowerCase(), 'the search survives a reload');
    checkNoErrors(errors);
    await context.close();
  });
});

describe('a municipality manages the users of its schools', () => {
  it('sees only users of its own municipality and may create school users only', async () => {
    const mun = accounts.municipality.user;
    const { context, page, errors } = await openPage(browser);
    await signIn(page, accounts.municipality.login);
    await page.getByRole('link', { name: 'Пользователи' }).click();
    await textMatching(page.getByTestId('users-summary'), /Показано|Ничего/);
    const { token } = await apiLogin(accounts.municipality.login);
    const expected = await apiGet(token, '/users?limit=200');
    const shownLogins = await page.locator('tbody tr[data-login]').evaluateAll((trs) => trs.map((tr) => tr.dataset.login));
    const allowed = new Set(expected.items.map((u) => u.login));
    for (const l of shownLogins) assert.ok(allowed.has(l));
    // Only the organisation the role requires is stored: school users carry school_id.
    const ownSchools = new Set((await apiGet(accounts.committee.token,
      `/schools?municipality_id=${mun.municipality_id}&limit=200`)).items.map((s) => s.id));
    for (const u of expected.items) {
      assert.ok(u.id === mun.id || ownSchools.has(u.school_id), `${u.login} belongs to the municipality`);
    }
    assert.equal(await page.getByLabel('Муниципалитет', { exact: true }).count(), 0, 'no municipality filter');
    await screenshot(page, 'users-municipality');
    await page.getByRole('link', { name: 'Добавить пользователя' }).click();
    await page.getByRole('heading', { name: 'Новый пользователь' }).waitFor();
    const roles = await page.getByLabel('Роль', { exact: true }).locator('option').allTextContents();
    assert.deepEqual(roles, ['Школа']);
    checkNoErrors(errors);
    await context.close();
  });
});

describe('my profile', () => {
  it('shows the profile and changes the password', async () => {
    const login = uniqueLogin('acc');
    const created = await apiCall(accounts.committee.token, 'POST', '/users', {
      login, full_name: 'Профилева Ольга Ивановна', role: 'loiro',
      region_id: accounts.committee.user.region_id, password: `${PASSWORD}-old`,
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const { context, page, errors } = await openPage(browser);
    await signIn(page, login, `${PASSWORD}-old`);
    await page.getByRole('link', { name: 'Мой профиль' }).click();
    await page.getByRole('heading', { name: 'Мой профиль' }).waitFor();
    const profile = await page.getByTestId('profile').textContent();
    assert.ok(profile.includes('Профилева Ольга Ивановна'));
    assert.ok(profile.includes('ЛОИРО'));
    await screenshot(page, 'account');
    // A wrong current password is refused beside its field.
    await page.getByLabel('Текущий пароль').fill('not-my-password');
    await page.getByLabel('Новый пароль', { exact: true }).fill(`${PASSWORD}-new`);
    await page.getByLabel('Новый пароль ещё раз').fill(`${PASSWORD}-new`);
    await page.getByRole('button', { name: 'Сменить пароль' }).click();
    await textMatching(page.getByTestId('message'), /[А-Яа-я]/);
    // The right one works, and the session goes on.
    await page.getByLabel('Текущий пароль').fill(`${PASSWORD}-old`);
    await page.getByLabel('Новый пароль', { exact: true }).fill(`${PASSWORD}-new`);
    await page.getByLabel('Новый пароль ещё раз').fill(`${PASSWORD}-new`);
    await page.getByRole('button', { name: 'Сменить пароль' }).click();
    await textMatching(page.getByTestId('message'), /Пароль изменён/);
    await page.reload();
    await page.getByRole('heading', { name: 'Мой профиль' }).waitFor();
    checkNoErrors(errors);
    await context.close();
    assert.equal(await trySignIn(login, `${PASSWORD}-new`), 'in');
    assert.equal(await trySignIn(login, `${PASSWORD}-old`), 'refused');
  });
});
