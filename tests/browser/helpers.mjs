// Shared set-up of the browser tests: headless Debian Chromium through
// playwright-core, a page that records console errors and CSP violations,
// sign-in helpers, direct API calls (to learn the demo logins and the expected
// counts) and screenshots into var/test/screenshots/.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const BASE_URL = (process.env.ORIENTIR_URL || 'http://127.0.0.1:18080').replace(/\/$/, '');
export const PASSWORD = process.env.DEMO_PASSWORD || 'orientir-demo';

const here = path.dirname(fileURLToPath(import.meta.url));
export const SCREENSHOT_DIR = path.resolve(here, '../../var/test/screenshots');

export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * Is this console error an expected one? Chromium logs every 4xx answer as
 * "Failed to load resource"; for /api/ calls those are answers the UI handles
 * (401 of the session probe at start-up or of a wrong password, 409, 422…).
 * Everything else — script errors, CSP violations, missing static files, 5xx — counts.
 */
function expectedConsoleError(msg) {
  const text = msg.text();
  const url = msg.location()?.url || '';
  return /^Failed to load resource: the server responded with a status of 4\d\d/.test(text)
    && url.startsWith(`${BASE_URL}/api/`);
}

/**
 * A new context (own cookies) and page sized like a 1366×768 office screen.
 * Returns {context, page, errors}; errors collects console errors, page errors
 * and CSP violations. Call checkNoErrors(errors) at the end of the test.
 */
export async function openPage(browser) {
  const context = await browser.newContext({
    viewport: { width: 1366, height: 768 }, locale: 'ru-RU', timezoneId: 'Europe/Moscow',
  });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const errors = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !expectedConsoleError(msg)) {
      errors.push(`console: ${msg.text()} (${msg.location()?.url || '?'})`);
    }
  });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  // Injected by the browser driver, so not itself subject to the page's CSP.
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`);
    });
  });
  return { context, page, errors };
}

export function checkNoErrors(errors) {
  assert.deepEqual(errors, [], 'no console errors, page errors or CSP violations');
}

/** Opens the application and signs in through the form; waits for the shell. */
export async function signIn(page, login, password = PASSWORD) {
  await page.goto(`${BASE_URL}/`);
  await page.getByRole('heading', { name: 'Вход в систему' }).waitFor();
  await page.getByLabel('Логин').fill(login);
  await page.getByLabel('Пароль').fill(password);
  await page.getByRole('button', { name: 'Войти' }).click();
  await page.getByRole('button', { name: 'Выйти' }).waitFor();
}

/** Saves a full-page screenshot as var/test/screenshots/NAME.png. */
export async function screenshot(page, name, options = {}) {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true, ...options });
}

/** Retries fn until it stops throwing (or the timeout ends, then rethrows). */
export async function eventually(fn, timeout = 8000) {
  const end = Date.now() + timeout;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > end) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** The text of an element, once it matches re. */
export async function textMatching(locator, re) {
  return eventually(async () => {
    const text = (await locator.textContent()) || '';
    assert.match(text, re);
    return text;
  });
}

// ——— Direct API access (fetch), for set-up and expected values ———

export async function apiLogin(login, password = PASSWORD) {
  const r = await fetch(`${BASE_URL}/api/v1/auth/login`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ login, password }),
  });
  assert.equal(r.status, 200, `API sign-in of ${login}`);
  const body = await r.json();
  return { token: body.access_token, user: body.user };
}

export async function apiCall(token, method, pathAndQuery, body, headers = {}) {
  const r = await fetch(`${BASE_URL}/api/v1${pathAndQuery}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}), ...headers,
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null };
}

export async function apiGet(token, pathAndQuery) {
  const { status, body } = await apiCall(token, 'GET', pathAndQuery);
  assert.equal(status, 200, `GET ${pathAndQuery}`);
  return body;
}

/**
 * The demo accounts used by the tests. committee and loiro are fixed logins;
 * a municipality user and a school user of that municipality are looked up
 * through the API as the committee, so the tests do not depend on how the demo
 * data names them (DEMO_MUNICIPALITY_LOGIN / DEMO_SCHOOL_LOGIN override).
 */
export async function demoAccounts() {
  const committee = await apiLogin('committee');
  let municipality;
  if (process.env.DEMO_MUNICIPALITY_LOGIN) {
    municipality = (await apiLogin(process.env.DEMO_MUNICIPALITY_LOGIN)).user;
  } else {
    const list = await apiGet(committee.token, '/users?role=municipality&limit=200');
    municipality = list.items.find((u) => u.is_active);
  }
  assert.ok(municipality, 'the demo data has an active municipality user');
  let school;
  let spareSchool;
  const schoolUsers = await apiGet(committee.token,
    `/users?role=school&municipality_id=${municipality.municipality_id}&limit=200`);
  const active = schoolUsers.items.filter((u) => u.is_active);
  if (process.env.DEMO_SCHOOL_LOGIN) {
    school = (await apiLogin(process.env.DEMO_SCHOOL_LOGIN)).user;
  } else {
    school = active[0];
  }
  spareSchool = active.find((u) => u.login !== school?.login);
  assert.ok(school, 'the demo data has an active school user');
  return {
    committee: { login: 'committee', ...committee },
    loiro: { login: 'loiro' },
    municipality: { login: municipality.login, user: municipality },
    school: { login: school.login, user: school },
    spareSchool: spareSchool ? { login: spareSchool.login, user: spareSchool } : null,
  };
}

/** A login that no other run has used: prefix plus time and randomness. */
export function uniqueLogin(prefix) {
  return `${prefix}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`;
}
