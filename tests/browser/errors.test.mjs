// How the frontend behaves when things go wrong: an unavailable service (503 or
// no network), an unknown address, an expired access token (one refresh, one retry).
// Failures are injected with page.route, so the real stack keeps running.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  BASE_URL, launchBrowser, openPage, checkNoErrors, signIn, screenshot, demoAccounts, textMatching,
} from './helpers.mjs';

let browser;
let accounts;

before(async () => {
  browser = await launchBrowser();
  accounts = await demoAccounts();
});
after(async () => { await browser?.close(); });

/** Drops the console lines the injected failures themselves cause. */
const injected = (errors) => errors.filter((e) => !/status of 503|net::ERR_FAILED/.test(e));

describe('errors', () => {
  it('a 503 from the API shows «Сервис временно недоступен» and «Повторить» recovers', async () => {
    const { context, page, errors } = await openPage(browser);
    await signIn(page, accounts.committee.login);
    await page.getByRole('heading', { name: 'Школы', level: 1 }).waitFor();
    const unavailable = (route) => route.fulfill({
      status: 503,
      contentType: 'application/problem+json',
      body: JSON.stringify({ status: 503, code: 'service.unavailable', title: 'Сервис временно недоступен' }),
    });
    const schoolsList = (url) => url.pathname === '/api/v1/schools';
    await page.route(schoolsList, unavailable);
    await page.getByRole('link', { name: 'Мой профиль' }).click();
    await page.getByRole('heading', { name: 'Мой профиль' }).waitFor();
    await page.getByRole('link', { name: 'Школы' }).click();
    await page.getByRole('heading', { name: 'Сервис временно недоступен' }).waitFor();
    await screenshot(page, 'error-unavailable');
    await page.unroute(schoolsList, unavailable);
    await page.getByRole('button', { name: 'Повторить' }).click();
    await page.getByRole('heading', { name: 'Школы', level: 1 }).waitFor();
    checkNoErrors(injected(errors));
    await context.close();
  });

  it('no network at start-up shows «Сервис временно недоступен», not the sign-in form', async () => {
    const { context, page, errors } = await openPage(browser);
    await page.route('**/api/v1/auth/refresh', (route) => route.abort('failed'));
    await page.goto(`${BASE_URL}/`);
    await page.getByRole('heading', { name: 'Сервис временно недоступен' }).waitFor();
    await page.unroute('**/api/v1/auth/refresh');
    await page.getByRole('button', { name: 'Повторить' }).click();
    await page.getByRole('heading', { name: 'Вход в систему' }).waitFor();
    checkNoErrors(injected(errors));
    await context.close();
  });

  it('an unknown address shows «Страница не найдена»', async () => {
    const { context, page, errors } = await openPage(browser);
    await signIn(page, accounts.loiro.login);
    await page.goto(`${BASE_URL}/#/no-such-page`);
    await page.getByRole('heading', { name: 'Страница не найдена' }).waitFor();
    await page.getByRole('link', { name: 'На главную' }).click();
    await page.getByRole('heading', { name: 'Школы', level: 1 }).waitFor();
    checkNoErrors(errors);
    await context.close();
  });

  it('an expired access token is refreshed once and the request retried', async () => {
    const { context, page, errors } = await openPage(browser);
    await signIn(page, accounts.committee.login);
    await page.getByRole('heading', { name: 'Школы', level: 1 }).waitFor();
    let rejected = 0;
    await page.route('**/api/v1/me', (route) => {
      if (rejected === 0) {
        rejected += 1;
        return route.fulfill({
          status: 401, contentType: 'application/problem+json',
          body: JSON.stringify({ status: 401, code: 'auth.invalid_token', title: 'Требуется вход в систему' }),
        });
      }
      return route.continue();
    });
    const refreshed = page.waitForRequest((r) => r.url().endsWith('/api/v1/auth/refresh'));
    await page.getByRole('link', { name: 'Мой профиль' }).click();
    await refreshed;
    await page.getByRole('heading', { name: 'Мой профиль' }).waitFor();
    await textMatching(page.getByTestId('profile'), /committee/);
    assert.equal(rejected, 1);
    checkNoErrors(errors);
    await context.close();
  });
});
