// Each role sees exactly the schools in its scope; search, the municipality
// filter, paging; the committee edits a school card with If-Match.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  BASE_URL, launchBrowser, openPage, checkNoErrors, signIn, screenshot,
  demoAccounts, apiGet, apiCall, textMatching, eventually,
} from './helpers.mjs';

let browser;
let accounts;
let allSchools; // total visible to the committee

/** «Показано 1–50 из 312» → {from, to, total} (spaces inside numbers removed). */
function parseSummary(text) {
  const m = /Показано\s+([\d\s]+)–([\d\s]+)\s+из\s+([\d\s]+)/.exec(text.replace(/[\u00a0\u202f]/g, ' '));
  assert.ok(m, `summary «${text}» has the form «Показано A–B из N»`);
  const n = (s) => Number(s.replace(/\s/g, ''));
  return { from: n(m[1]), to: n(m[2]), total: n(m[3]) };
}

async function summary(page) {
  return parseSummary(await textMatching(page.getByTestId('schools-summary'), /Показано/));
}

/** The table's rows: [{code, name, municipality}]. */
async function rows(page) {
  return page.getByTestId('schools-table').locator('tbody tr[data-school-id]').evaluateAll((trs) => trs.map((tr) => ({
    code: tr.cells[0].textContent.trim(),
    name: tr.cells[1].textContent.trim(),
    municipality: tr.cells[2].textContent.trim(),
  })));
}

before(async () => {
  browser = await launchBrowser();
  accounts = await demoAccounts();
  allSchools = (await apiGet(accounts.committee.token, '/schools?limit=1')).total;
});
after(async () => { await browser?.close(); });

describe('schools by role', () => {
  it('a school sees exactly its own school', async () => {
    const { context, page, errors } = await openPage(browser);
    await signIn(page, accounts.school.login);
    const schoolId = accounts.school.user.school_id;
    // The school lands on its own card.
    await page.getByTestId('school-card').waitFor();
    assert.match(page.url(), new RegExp(`#/schools/${schoolId}$`));
    await screenshot(page, 'school-own-card');
    // The list shows one row: its own school.
    await page.goto(`${BASE_URL}/#/schools`);
    const s = await summary(page);
    assert.deepEqual(s, { from: 1, to: 1, total: 1 });
    const ids = await page.locator('tbody tr[data-school-id]').evaluateAll((trs) => trs.map((tr) => tr.dataset.schoolId));
    assert.deepEqual(ids, [String(schoolId)]);
    assert.equal(await page.getByLabel('Муниципалитет').count(), 0, 'no municipality filter for a school');
    // Another school's card is «not found», never shown.
    const other = (await apiGet(accounts.committee.token, '/schools?limit=2')).items.find((x) => x.id !== schoolId);
    await page.goto(`${BASE_URL}/#/schools/${other.id}`);
    await page.getByRole('heading', { name: 'Страница не найдена' }).waitFor();
    await screenshot(page, 'error-404');
    checkNoErrors(errors);
    await context.close();
  });

  it('a municipality sees only its own municipality\'s schools', async () => {
    const mun = accounts.municipality.user;
    const expected = (await apiGet(accounts.committee.token, `/schools?municipality_id=${mun.municipality_id}&limit=200`));
    const munName = expected.items[0].municipality_name;
    const { context, page, errors } = await openPage(browser);
    await signIn(page, accounts.municipality.login);
    await page.getByRole('heading', { name: 'Школы', level: 1 }).waitFor();
    const s = await summary(page);
    assert.equal(s.total, expected.total);
    assert.ok(s.total < allSchools, 'fewer than the whole region');
    const shown = await rows(page);
    assert.equal(shown.length, Math.min(50, expected.total));
    if (munName) for (const r of shown) assert.equal(r.municipality, munName);
    const expectedCodes = new Set(expected.items.map((x) => x.code));
    for (const r of shown) assert.ok(expectedCodes.has(r.code), `${r.code} belongs to the municipality`);
    assert.equal(await page.getByLabel('Муниципалитет').count(), 0, 'no municipality filter for a municipality');
    await screenshot(page, 'schools-municipality');
    checkNoErrors(errors);
    await context.close();
  });

  it('ЛОИРО sees every school of the region and has no users menu', async () => {
    const { context, page, errors } = await openPage(browser);
    await signIn(page, accounts.loiro.login);
    const s = await summary(page);
    assert.equal(s.total, allSchools);
    assert.equal(await page.getByRole('link', { name: 'Пользователи' }).count(), 0);
    await page.goto(`${BASE_URL}/#/users`);
    await page.getByRole('heading', { name: 'Доступ запрещён' }).waitFor();
    await screenshot(page, 'error-403');
    checkNoErrors(errors);
    await context.close();
  });
});

describe('the committee\'s school list', () => {
  it('shows all schools with paging «Показано 1–50 из N»', async () => {
    const { context, page, errors } = await openPage(browser);
    await signIn(page, accounts.committee.login);
    const first = await summary(page);
    assert.deepEqual(first, { from: 1, to: Math.min(50, allSchools), total: allSchools });
    assert.ok(allSchools >= 300, 'the demo region has at least 300 schools');
    assert.equal((await rows(page)).length, 50);
    await screenshot(page, 'schools-committee');
    await page.emulateMedia({ media: 'print' });
    await screenshot(page, 'schools-print');
    await page.emulateMedia({ media: 'screen' });
    const firstCodes = (await rows(page)).map((r) => r.code);
    await page.getByRole('button', { name: 'Следующая →' }).click();
    await eventually(async () => assert.deepEqual(await summary(page), { from: 51, to: Math.min(100, allSchools), total: allSchools }));
    // The pager is below the rows: the new page is shown from its first line.
    await eventually(async () => {
      const top = await page.getByTestId('schools-summary').evaluate((e) => e.getBoundingClientRect().top);
      assert.ok(top >= 0 && top < page.viewportSize().height, `the list's first line is in view (top ${top})`);
    });
    const secondCodes = (await rows(page)).map((r) => r.code);
    assert.equal(secondCodes.filter((c) => firstCodes.includes(c)).length, 0, 'the second page has other schools');
    // The page survives a reload (offset in the address).
    await page.reload();
    await eventually(async () => assert.equal((await summary(page)).from, 51));
    checkNoErrors(errors);
    await context.close();
  });

  it('filters by municipality', async () => {
    const municipalities = (await apiGet(accounts.committee.token, '/municipalities?limit=200')).items;
    const target = municipalities.find((m) => /Всеволожский/.test(m.name)) || municipalities[0];
    const expected = await apiGet(accounts.committee.token, `/schools?municipality_id=${target.id}&limit=1`);
    const { context, page, errors } = await openPage(browser);
    await signIn(page, accounts.committee.login);
    await summary(page);
    const options = await page.getByLabel('Муниципалитет').locator('option').count();
    assert.equal(options, municipalities.length + 1, 'every municipality plus «Все муниципалитеты»');
    await page.getByLabel('Муниципалитет').selectOption(String(target.id));
    await eventually(async () => assert.equal((await summary(page)).total, expected.total));
    for (const r of await rows(page)) assert.equal(r.municipality, target.name);
    checkNoErrors(errors);
    await context.close();
  });

  it('sorts on the server by a column header: the arrow, aria-sort and the address follow, a reload keeps it', async () => {
    const desc = (await apiGet(accounts.committee.token, '/schools?sort=-code&limit=50')).items.map((x) => x.code);
    const { context, page, errors } = await openPage(browser);
    await signIn(page, accounts.committee.login);
    await summary(page);
    const codeHead = page.getByTestId('schools-table').locator('th[data-sort="code"]');
    const codeButton = codeHead.getByRole('button', { name: /Код/ });
    assert.equal(await codeHead.getAttribute('aria-sort'), null, 'not sorted by code at first');
    assert.equal(await page.getByTestId('schools-table').locator('th[data-sort]').count(), 3,
      'code, school and municipality sort: the fields GET /schools allows');
    // First click: ascending (the whole list, not the page: the first codes of all schools).
    await codeButton.click();
    const asc = (await apiGet(accounts.committee.token, '/schools?sort=code&limit=50')).items.map((x) => x.code);
    await eventually(async () => assert.deepEqual((await rows(page)).map((r) => r.code), asc));
    assert.equal(await codeHead.getAttribute('aria-sort'), 'ascending');
    assert.equal((await codeButton.textContent()).trim(), 'Код↑');
    assert.match(page.url(), /[?&]sort=code(&|$)/);
    // Second, by keyboard: descending.
    await codeButton.focus();
    await page.keyboard.press('Enter');
    await eventually(async () => assert.deepEqual((await rows(page)).map((r) => r.code), desc));
    assert.equal(await codeHead.getAttribute('aria-sort'), 'descending');
    assert.match(page.url(), /[?&]sort=-code(&|$)/);
    // Another column takes the sort over; the page survives a reload.
    await page.getByTestId('schools-table').locator('th[data-sort="municipality_name"] button').click();
    await eventually(async () => assert.match(page.url(), /[?&]sort=municipality_name(&|$)/));
    assert.equal(await codeHead.getAttribute('aria-sort'), null);
    await page.reload();
    await eventually(async () => assert.equal(
      await page.getByTestId('schools-table').locator('th[data-sort="municipality_name"]').getAttribute('aria-sort'), 'ascending'));
    const byMunicipality = (await apiGet(accounts.committee.token, '/schools?sort=municipality_name&limit=50')).items;
    assert.deepEqual((await rows(page)).map((r) => r.code), byMunicipality.map((x) => x.code));
    checkNoErrors(errors);
    await context.close();
  });

  it('searches by code and by name', async () => {
    const sample = (await apiGet(accounts.committee.token, '/schools?limit=1&offset=7')).items[0];
    const { context, page, errors } = await openPage(browser);
    await signIn(page, accounts.committee.login);
    await summary(page);
    await page.getByLabel('Поиск', { exact: true }).fill(sample.code);
    await page.getByRole('button', { name: 'Найти' }).click();
    await eventually(async () => {
      const shown = await rows(page);
      assert.ok(shown.length >= 1);
      assert.ok(shown.some((r) => r.code === sample.code));
    });
    const byName = await apiGet(accounts.committee.token, `/schools?limit=1&q=${encodeURIComponent(sample.short_name)}`);
    await page.getByLabel('Поиск', { exact: true }).fill(sample.short_name);
    await page.getByRole('button', { name: 'Найти' }).click();
    await eventually(async () => assert.equal((await summary(page)).total, byName.total));
    // Nothing found is said in words.
    await page.getByLabel('Поиск', { exact: true }).fill('нет-такой-школы-ни-где');
    await page.getByRole('button', { name: 'Найти' }).click();
    await textMatching(page.getByTestId('schools-summary'), /Ничего не найдено/);
    checkNoErrors(errors);
    await context.close();
  });
});

describe('the committee edits a school card', () => {
  it('saves with If-Match and explains a stale version (409)', async () => {
    const school = (await apiGet(accounts.committee.token, '/schools?limit=1&offset=3')).items[0];
    const { context, page, errors } = await openPage(browser);
    await signIn(page, accounts.committee.login);
    await page.goto(`${BASE_URL}/#/schools/${school.id}`);
    await page.getByTestId('school-card').waitFor();
    await screenshot(page, 'school-card');
    await page.getByRole('button', { name: 'Изменить' }).click();
    await screenshot(page, 'school-edit');
    const newAddress = `${school.address || 'Ленинградская область'} (проверено ${Date.now()})`;
    await page.getByLabel('Адрес').fill(newAddress);
    const patch = page.waitForRequest((r) => r.method() === 'PATCH' && r.url().endsWith(`/api/v1/schools/${school.id}`));
    await page.getByRole('button', { name: 'Сохранить' }).click();
    const req = await patch;
    assert.equal(req.headers()['if-match'].replace(/"/g, ''), String(school.version), 'If-Match carries the version');
    await textMatching(page.getByTestId('message'), /Изменения сохранены/);
    await eventually(async () => assert.ok((await page.getByTestId('school-card').textContent()).includes(newAddress)));

    // Someone else saves while the form is open: the UI's save gets 409.
    await page.getByRole('button', { name: 'Изменить' }).click();
    const current = await apiGet(accounts.committee.token, `/schools/${school.id}`);
    const other = await apiCall(accounts.committee.token, 'PATCH', `/schools/${school.id}`,
      { address: `${current.address} — правка коллеги` }, { 'If-Match': String(current.version) });
    assert.equal(other.status, 200, JSON.stringify(other.body));
    await page.getByLabel('Адрес').fill(`${current.address} — моя правка`);
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await textMatching(page.getByTestId('message'), /изменил другой пользователь/);
    await screenshot(page, 'school-conflict');
    const after = await apiGet(accounts.committee.token, `/schools/${school.id}`);
    assert.match(after.address, /правка коллеги/, 'the stale write changed nothing');
    await page.getByRole('button', { name: 'Загрузить актуальные данные' }).click();
    await textMatching(page.getByTestId('school-card'), /правка коллеги/);
    checkNoErrors(errors);
    await context.close();
  });

  it('a municipality user has no edit button on a school card', async () => {
    const { context, page, errors } = await openPage(browser);
    await signIn(page, accounts.municipality.login);
    await page.locator('tbody tr[data-school-id] a').first().click();
    await page.getByTestId('school-card').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Изменить' }).count(), 0);
    checkNoErrors(errors);
    await context.close();
  });
});
