// Sign-in, the shell of each role, sign-out and session restore, in headless Chromium.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  BASE_URL, PASSWORD, launchBrowser, openPage, checkNoErrors, signIn, screenshot,
  demoAccounts, apiCall, apiLogin, uniqueLogin, textMatching,
} from './helpers.mjs';
import { DIAGNOSTICS_ENABLED, EXECUTION_ENABLED } from '../../frontend/js/features.js';
import { REPORTS_ENABLED } from '../../frontend/js/features.js';
import { PROGRAMS_ENABLED } from '../../frontend/js/features.js';

let browser;
let accounts;

before(async () => {
  browser = await launchBrowser();
  accounts = await demoAccounts();
});
after(async () => { await browser?.close(); });

describe('sign-in page', () => {
  it('is a Russian sign-in page without console errors', async () => {
    const { context, page, errors } = await openPage(browser);
    await page.goto(`${BASE_URL}/`);
    await page.getByRole('heading', { name: 'Вход в систему' }).waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'ru');
    assert.match(await page.title(), /Вход в систему — Ориентир/);
    await page.getByLabel('Логин').waitFor();
    await page.getByLabel('Пароль').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Выйти' }).count(), 0, 'no shell before signing in');
    await screenshot(page, 'login');
    checkNoErrors(errors);
    await context.close();
  });

  it('shows the server\'s Russian error for a wrong password', async () => {
    const { context, page, errors } = await openPage(browser);
    // A school user other than the one the sign-in tests use, so that repeated
    // runs cannot lock an account the other tests need.
    const victim = accounts.spareSchool || accounts.school;
    await page.goto(`${BASE_URL}/`);
    await page.getByLabel('Логин').fill(victim.login);
    await page.getByLabel('Пароль').fill(`${PASSWORD}-wrong`);
    await page.getByRole('button', { name: 'Войти' }).click();
    const alert = page.getByTestId('login-error');
    await textMatching(alert, /Неверный логин или пароль/);
    assert.equal(await alert.getAttribute('role'), 'alert');
    assert.equal(await page.getByLabel('Пароль').inputValue(), '', 'the password field is cleared');
    await screenshot(page, 'login-error');
    checkNoErrors(errors);
    await context.close();
  });

  it('explains throttling (429) after too many failed attempts, with the wait', async () => {
    // A fresh account: five failures hold back only this login from this address.
    const login = uniqueLogin('lock');
    const created = await apiCall(accounts.committee.token, 'POST', '/users', {
      login, full_name: 'Проверка Блокировки Входа', role: 'loiro',
      region_id: accounts.committee.user.region_id, password: `${PASSWORD}-lock`,
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    let status = 0;
    for (let i = 0; i < 12 && status !== 429; i += 1) {
      const r = await fetch(`${BASE_URL}/api/v1/auth/login`, {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ login, password: 'wrong-password' }),
      });
      status = r.status;
    }
    assert.equal(status, 429, 'the login is throttled');
    const { context, page, errors } = await openPage(browser);
    await page.goto(`${BASE_URL}/`);
    await page.getByLabel('Логин').fill(login);
    await page.getByLabel('Пароль').fill(`${PASSWORD}-lock`);
    await page.getByRole('button', { name: 'Войти' }).click();
    const text = await textMatching(page.getByTestId('login-error'), /[А-Яа-я]/);
    assert.match(text, /Повторите через \d+ секунд/);
    assert.match(text, /обратитесь к администратору/);
    await screenshot(page, 'login-throttled');
    checkNoErrors(errors);
    await context.close();
  });
});

describe('the shell of each role', () => {
  // With self-diagnostics and control of execution on (frontend/js/features.js) each role has
  // their items before «Мой профиль».
  const diag = (items) => (DIAGNOSTICS_ENABLED ? items : []);
  const exec = (items) => (EXECUTION_ENABLED ? items : []);
  const reports = (items) => (REPORTS_ENABLED ? items : []);
  const programs = (items) => (PROGRAMS_ENABLED ? items : []);
  const cases = [
    { role: 'committee', roleName: 'Комитет', menu: ['Школы', ...reports(['Мониторинг']), 'Пользователи', ...diag(['Инструменты', 'Кампании', 'Дефициты']), ...programs(['Программы развития']), ...exec(['Поручения', 'Контроль исполнения', 'Проекты']), 'Мой профиль'] },
    { role: 'loiro', roleName: 'ЛОИРО', menu: ['Школы', ...reports(['Мониторинг']), ...diag(['Инструменты', 'Кампании', 'Дефициты']), ...programs(['Программы развития', 'Практики']), ...exec(['Поручения', 'Контроль исполнения', 'Проекты']), 'Мой профиль'] },
    { role: 'municipality', roleName: 'Муниципалитет', menu: ['Школы', ...reports(['Мониторинг']), 'Пользователи', ...diag(['Проверка самодиагностики', 'Дефициты']), ...programs(['Программы развития']), ...exec(['Поручения', 'Дорожная карта', 'Проекты']), 'Мой профиль'] },
    { role: 'school', roleName: 'Школа', menu: ['Моя школа', ...reports(['Карточка школы']), ...diag(['Самодиагностика', 'Дефициты']), ...programs(['Программа развития']), ...exec(['Поручения', 'Проекты']), 'Мой профиль'] },
  ];
  for (const c of cases) {
    it(`${c.role}: header shows name, organisation and «${c.roleName}»; menu ${c.menu.join(', ')}`, async () => {
      const { context, page, errors } = await openPage(browser);
      await signIn(page, accounts[c.role].login);
      const { token } = await apiLogin(accounts[c.role].login);
      const me = (await apiCall(token, 'GET', '/me')).body;
      await textMatching(page.getByTestId('user-name'), new RegExp(me.full_name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
      assert.equal((await page.getByTestId('user-role').textContent()).trim(), c.roleName);
      const org = (await page.getByTestId('user-org').textContent()).trim();
      assert.ok(org.length > 0, 'organisation name shown');
      if (me.organisation_name) assert.equal(org, me.organisation_name);
      const menu = await page.getByRole('navigation', { name: 'Основное меню' }).getByRole('link').allTextContents();
      assert.deepEqual(menu.map((s) => s.trim()), c.menu);
      checkNoErrors(errors);
      await context.close();
    });
  }
});

describe('session', () => {
  it('a reload keeps the session (refresh cookie), the token is not in web storage', async () => {
    const { context, page, errors } = await openPage(browser);
    await signIn(page, accounts.committee.login);
    await page.reload();
    await page.getByRole('button', { name: 'Выйти' }).waitFor();
    await page.getByRole('heading', { name: 'Школы', level: 1 }).waitFor();
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
    assert.doesNotMatch(stored, /ey[A-Za-z0-9_-]{10,}\./, 'no JWT in localStorage or sessionStorage');
    const cookies = await context.cookies();
    const refresh = cookies.find((c) => c.name === 'orientir_refresh');
    assert.ok(refresh, 'refresh cookie set');
    assert.equal(refresh.httpOnly, true);
    assert.equal(refresh.sameSite, 'Strict');
    checkNoErrors(errors);
    await context.close();
  });

  it('two tabs reloading at the same moment both keep the session (refreshes take turns)', async () => {
    const { context, page, errors } = await openPage(browser);
    await signIn(page, accounts.committee.login);
    const second = await context.newPage();
    await second.goto(`${BASE_URL}/#/account`);
    await second.getByRole('heading', { name: 'Мой профиль' }).waitFor();
    // Hold every refresh for a moment, so that without turn-taking both tabs
    // would send the same (single-use) refresh cookie.
    await context.route('**/api/v1/auth/refresh', async (route) => {
      await new Promise((r) => setTimeout(r, 400));
      await route.continue();
    });
    await Promise.all([page.reload(), second.reload()]);
    await page.getByRole('button', { name: 'Выйти' }).waitFor();
    await second.getByRole('heading', { name: 'Мой профиль' }).waitFor();
    // And the session is still alive on the server afterwards.
    await page.reload();
    await page.getByRole('heading', { name: 'Школы', level: 1 }).waitFor();
    checkNoErrors(errors);
    await context.close();
  });

  it('sign-out returns to the sign-in page and a reload stays signed out', async () => {
    const { context, page, errors } = await openPage(browser);
    await signIn(page, accounts.loiro.login);
    await page.getByRole('button', { name: 'Выйти' }).click();
    await page.getByRole('heading', { name: 'Вход в систему' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Вход в систему' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Выйти' }).count(), 0);
    // A protected address also leads to the sign-in page.
    await page.goto(`${BASE_URL}/#/schools`);
    await page.getByRole('heading', { name: 'Вход в систему' }).waitFor();
    checkNoErrors(errors);
    await context.close();
  });

  it('after signing in from a deep link the user lands on that page', async () => {
    const { context, page, errors } = await openPage(browser);
    await page.goto(`${BASE_URL}/#/account`);
    await page.getByRole('heading', { name: 'Вход в систему' }).waitFor();
    await page.getByLabel('Логин').fill(accounts.committee.login);
    await page.getByLabel('Пароль').fill(PASSWORD);
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.getByRole('heading', { name: 'Мой профиль' }).waitFor();
    checkNoErrors(errors);
    await context.close();
  });
});
