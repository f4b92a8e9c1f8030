// Monitoring summaries in the browser (issue 6): the committee opens the
// dashboard, sees the charts with their tables for every municipality and
// exports the summary (XLSX, CSV); a municipality sees only its own schools,
// school by school, and opens a school's printable card; a school opens its
// own card and no other.
//
// Skipped, and only skipped, while REPORTS_ENABLED is false in
// frontend/js/features.js (the screens are not reachable then). Expected
// numbers come from the API (GET /reports/summary, /reports/schools) as the
// same user.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  BASE_URL, SCREENSHOT_DIR, launchBrowser, openPage, checkNoErrors, signIn, screenshot, apiLogin, apiGet,
  textMatching, eventually,
} from './helpers.mjs';
import { REPORTS_ENABLED } from '../../frontend/js/features.js';

const skip = REPORTS_ENABLED ? false : 'REPORTS_ENABLED is false in frontend/js/features.js';

/** The demo municipality of the scenario (Тихвинский district). */
const MUNICIPALITY = process.env.DEMO_MUNICIPALITY_LOGIN || 'mo-tikhvinsky';

const fmt = (n) => new Intl.NumberFormat('ru-RU').format(n);
const norm = (s) => String(s ?? '').replace(/[\s\u00a0\u202f]+/g, ' ').trim();

/** All items of a list endpoint (pages of 200). */
async function apiAll(token, p) {
  const items = [];
  for (let offset = 0; ; offset += 200) {
    const sep = p.includes('?') ? '&' : '?';
    const page = await apiGet(token, `${p}${sep}limit=200&offset=${offset}`);
    items.push(...page.items);
    if (!page.items.length || items.length >= page.total) return items;
  }
}

/** The campaign the dashboard opens with: the one of the newest accepted submission in scope. */
async function defaultCampaign(token) {
  const campaigns = (await apiAll(token, '/campaigns')).filter((c) => c.status !== 'planned');
  const page = await apiGet(token, '/submissions?status=accepted&limit=1');
  return campaigns.find((c) => c.id === page.items[0]?.campaign_id) || campaigns[0];
}

async function openDashboard(page) {
  await page.getByRole('navigation', { name: 'Основное меню' }).getByRole('link', { name: 'Мониторинг' }).click();
  await page.getByRole('heading', { name: 'Мониторинг', level: 1 }).waitFor();
  await page.getByTestId('dashboard').waitFor();
}

/** Waits until every chart of the page has been drawn by Chart.js. */
async function chartsDrawn(page, minimum) {
  await eventually(async () => {
    const figures = await page.locator('figure.chart').count();
    const drawn = await page.locator('figure.chart[data-drawn="true"]').count();
    assert.ok(figures >= minimum, `at least ${minimum} charts (${figures})`);
    assert.equal(drawn, figures, 'every chart is drawn');
  });
}

describe('monitoring dashboard and school card (issue 6)', { skip }, () => {
  let browser;
  let committee;
  let municipality;

  before(async () => {
    browser = await launchBrowser();
    committee = await apiLogin('committee');
    municipality = await apiLogin(MUNICIPALITY);
  });

  after(async () => {
    await browser?.close();
  });

  it('the committee sees the region: every chart with its table, a row for every municipality', async () => {
    const campaign = await defaultCampaign(committee.token);
    const summary = await apiGet(committee.token, `/reports/summary?campaign_id=${campaign.id}`);
    const { context, page, errors } = await openPage(browser);
    await signIn(page, 'committee');
    await openDashboard(page);
    assert.equal(await page.getByLabel('Кампания').inputValue(), String(campaign.id),
      'the newest campaign with accepted submissions is chosen');
    await chartsDrawn(page, 5);

    // Charts are images for screen readers, described by the table beside them.
    const canvases = page.getByTestId('dashboard').locator('canvas');
    assert.ok(await canvases.count() >= 5, 'canvases present');
    for (const canvas of await canvases.all()) {
      assert.equal(await canvas.getAttribute('role'), 'img');
      assert.match(await canvas.getAttribute('aria-label') || '', /таблиц/);
    }
    for (const id of ['progress-table', 'levels-table', 'directions-table', 'change', 'top-deficits', 'programs-table', 'execution-table']) {
      assert.ok(await page.getByTestId(id).isVisible(), `${id} shown`);
    }

    // One row per municipality of the region, totals as the API counts them.
    const rows = page.getByTestId('levels-table').locator('tbody tr');
    assert.equal(await rows.count(), summary.municipalities.length);
    const total = page.getByTestId('levels-total');
    assert.equal(norm(await total.locator('td').first().textContent()), norm(fmt(summary.region.accepted)));
    assert.equal(norm(await page.getByTestId('kpi-schools').locator('.kpi__value').textContent()), norm(fmt(summary.region.schools)));
    const progressTotal = page.getByTestId('progress-total');
    assert.equal(norm(await progressTotal.locator('td').first().textContent()), norm(fmt(summary.region.schools)));
    // The ten most frequent deficits, critical first, as the API orders them.
    const codes = await page.getByTestId('deficits-table').locator('tbody tr').evaluateAll(
      (trs) => trs.map((tr) => tr.dataset.indicatorCode));
    assert.deepEqual(codes, summary.region.top_deficits.map((d) => d.indicator_code));
    // Percentages with a comma and a space before the sign.
    const pcts = await page.getByTestId('levels-table').locator('.pct').allTextContents();
    assert.ok(pcts.every((t) => /^(\d+(,\d)?\u00a0%|—)$/.test(t)), `percent format: ${pcts.slice(0, 5).join(' | ')}`);

    await screenshot(page, 'reports-dashboard-committee');
    checkNoErrors(errors);
    await context.close();
  });

  it('the committee exports the summary: an XLSX workbook and a CSV file with a BOM', async () => {
    const { context, page, errors } = await openPage(browser);
    await signIn(page, 'committee');
    await openDashboard(page);
    const campaignId = await page.getByLabel('Кампания').inputValue();

    const [xlsx] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Выгрузить в Excel' }).click(),
    ]);
    assert.match(xlsx.suggestedFilename(), new RegExp(`^orientir-summary-${campaignId}-.*\\.xlsx$`));
    const book = fs.readFileSync(await xlsx.path());
    assert.equal(book.subarray(0, 2).toString('latin1'), 'PK', 'an XLSX file is a ZIP archive');
    assert.ok(book.length > 2000, `the workbook has content (${book.length} bytes)`);
    await textMatching(page.getByTestId('export-status'), /сохранён/);

    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'CSV' }).click(),
    ]);
    assert.match(csv.suggestedFilename(), /\.csv$/);
    const text = fs.readFileSync(await csv.path());
    assert.deepEqual([...text.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM');
    const lines = text.subarray(3).toString('utf8').trim().split(/\r?\n/);
    assert.ok(lines[0].includes(';'), 'semicolon-separated header');
    assert.ok(lines.length >= 3, 'a row per municipality');
    checkNoErrors(errors);
    await context.close();
  });

  it('a municipality sees only its own schools, school by school, and opens a printable card', async () => {
    const { user } = municipality;
    const { context, page, errors } = await openPage(browser);
    await signIn(page, MUNICIPALITY);
    await openDashboard(page);
    const campaignId = await page.getByLabel('Кампания').inputValue();
    const expected = await apiGet(municipality.token, `/reports/schools?campaign_id=${campaignId}&limit=500`);
    const own = new Set((await apiAll(committee.token, `/schools?municipality_id=${user.municipality_id}`)).map((s) => String(s.id)));
    assert.ok(expected.total > 0, 'the municipality has schools in the campaign');

    await chartsDrawn(page, 3);
    assert.equal(await page.getByTestId('schools-municipality').count(), 0, 'no municipality chooser');
    const table = page.getByTestId('schools-table');
    await eventually(async () => assert.equal(await table.locator('tbody tr').count(), Math.min(expected.total, 100)));
    const ids = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.dataset.schoolId));
    assert.deepEqual(ids, expected.items.slice(0, 100).map((s) => String(s.school_id)));
    assert.ok(ids.every((id) => own.has(id)), 'every row is a school of the municipality');
    await eventually(async () => assert.match(norm(await page.getByTestId('schools-summary').textContent()),
      new RegExp(`из ${norm(fmt(expected.total))}$`)));
    // No other municipality appears anywhere on the page.
    const others = (await apiAll(committee.token, '/municipalities')).filter((m) => String(m.id) !== String(user.municipality_id));
    const pageText = await page.getByTestId('dashboard').textContent();
    for (const m of others) {
      assert.ok(!pageText.includes(m.name.split(' ')[0]), `${m.name} is not shown`);
    }
    await screenshot(page, 'reports-dashboard-municipality');

    // The first school's card: levels over the campaigns, deficits, program; «Печать».
    const first = expected.items[0];
    await table.locator(`tr[data-school-id="${first.school_id}"] a`).first().click();
    await page.getByTestId('school-card-page').waitFor();
    await textMatching(page.getByRole('heading', { level: 1 }), new RegExp(first.short_name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    for (const id of ['card-school', 'card-results', 'card-deficits', 'card-program']) {
      assert.ok(await page.getByTestId(id).isVisible(), `${id} shown`);
    }
    await page.evaluate(() => { window.orientirPrinted = 0; window.print = () => { window.orientirPrinted += 1; }; });
    await page.getByRole('button', { name: 'Печать' }).click();
    assert.equal(await page.evaluate(() => window.orientirPrinted), 1, '«Печать» opens the print dialog');
    await screenshot(page, 'reports-school-card');

    // On paper: no navigation, no buttons; the card fits A4.
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('#app-header').isVisible(), false, 'no header on paper');
    assert.equal(await page.getByRole('button', { name: 'Печать' }).isVisible(), false, 'no buttons on paper');
    assert.equal(await page.locator('.breadcrumbs').isVisible(), false, 'no breadcrumbs on paper');
    assert.ok(await page.locator('#print-info').isVisible(), 'who printed it and when');
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.pdf({ path: path.join(SCREENSHOT_DIR, 'reports-school-card.pdf'), format: 'A4', printBackground: true });
    await page.setViewportSize({ width: 720, height: 1000 });
    await screenshot(page, 'reports-school-card-print');
    await page.emulateMedia({ media: 'screen' });
    checkNoErrors(errors);
    await context.close();
  });

  it('a school opens its own card from the menu and not another school\'s', async () => {
    const own = (await apiAll(municipality.token, `/users?role=school&municipality_id=${municipality.user.municipality_id}`))
      .sort((a, b) => a.id - b.id).find((u) => u.is_active);
    assert.ok(own, 'the municipality has an active school user');
    const other = (await apiGet(committee.token, '/schools?limit=5')).items.find((s) => String(s.id) !== String(own.school_id));
    const { context, page, errors } = await openPage(browser);
    await signIn(page, own.login);
    await page.getByRole('navigation', { name: 'Основное меню' }).getByRole('link', { name: 'Карточка школы' }).click();
    await page.getByTestId('school-card-page').waitFor();
    assert.equal(await page.getByRole('link', { name: 'Мониторинг' }).count(), 0, 'a school has no dashboard');
    assert.ok(await page.getByRole('button', { name: 'Печать' }).isVisible());
    await page.goto(`${BASE_URL}/#/schools/${other.id}/card`);
    await page.getByRole('heading', { name: 'Страница не найдена' }).waitFor();
    await page.goto(`${BASE_URL}/#/dashboard`);
    await page.getByRole('heading', { name: 'Доступ запрещён' }).waitFor();
    checkNoErrors(errors);
    await context.close();
  });
});
