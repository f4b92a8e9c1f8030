// Attached files in the browser (issue 14). A new school of the demo
// municipality, built through the API with a draft and an approved program:
// the school attaches its signed program (PDF) to the approved program and sees
// it listed with its name and size; a text file named .pdf is refused with the
// server's message; the municipality opens the program and opens the file —
// fetched with the bearer token (no token in the address) and shown in a new
// tab through a blob: URL; in the draft program the school removes a file after
// confirming. The committee attaches the scanned order to its document and
// downloads it under its original name; the school attaches the order that
// confirms an answer of its questionnaire and the municipality sees it there;
// the school attaches evidence to a measure's progress and to its report on
// an assignment.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  BASE_URL, launchBrowser, openPage, checkNoErrors, signIn, screenshot, apiGet, textMatching, eventually,
} from './helpers.mjs';
import { createUser, demoActors, upload } from '../api/lib.mjs';
import { createCampaign, createInstrument, indicatorsByCode, moscowDate, openSubmission } from '../api/diag.mjs';
import { diagnose, newSchool, programIn } from '../api/programs.mjs';
import { addItem, createDocument, recordsOf } from '../api/execution.mjs';
import { formatSize } from '../../frontend/js/shared/format.js';

const FILES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/files');
const PDF_BYTES = readFileSync(path.join(FILES, 'program-chromium.pdf'));
const DOCX_BYTES = readFileSync(path.join(FILES, 'order-libreoffice.docx'));
const SIGNED_NAME = 'Программа развития «подписана» 2026.pdf';
// How the page names it in «…»: quotes inside a quotation become „…“.
const SIGNED_QUOTED = '«Программа развития „подписана“ 2026.pdf»';

const fx = {};

before(async () => {
  const a = await demoActors();
  const c = a.committee.token;
  const school = await newSchool(c, a.municipality.user.municipality_id, 'Школа файлов');
  fx.schoolUser = await createUser(c, 'school', { school_id: school.id });
  fx.municipality = a.municipality;
  fx.committee = a.committee;
  const instrument = await createInstrument(c);
  const entry = { school: { id: school.id, token: school.token }, munToken: a.municipality.token };
  fx.approved = (await programIn('approved', entry.school, entry.munToken, (await diagnose(c, instrument, [entry])).campaign.id)).program;
  fx.draft = (await programIn('draft', entry.school, entry.munToken, (await diagnose(c, instrument, [entry])).campaign.id)).program;
  fx.schoolToken = school.token;
  // A questionnaire in the works: the school attaches the order that confirms K01.
  fx.campaign = await createCampaign(c, [instrument.id], { school_ids: [school.id] }, { opens_on: moscowDate(0), closes_on: moscowDate(20) });
  fx.submission = await openSubmission(school.token, fx.campaign.id);
  fx.k01 = indicatorsByCode(instrument).K01;
  fx.document = await createDocument(c, { title: `Распоряжение о программах развития (файлы ${Date.now().toString(36)})` });
  fx.record = recordsOf(await addItem(c, fx.document.id, [{ kind: 'school', id: school.id }]))[`school:${school.id}`];
});

describe('attached files', () => {
  let browser;
  before(async () => { browser = await launchBrowser(); });
  after(async () => { await browser?.close(); });

  it('a school attaches its signed program PDF to the approved program; a text file named .pdf is refused', async () => {
    const { page, errors, context } = await openPage(browser);
    await signIn(page, fx.schoolUser.login, fx.schoolUser.password);
    await page.goto(`${BASE_URL}/#/programs/${fx.approved.id}`);
    const panel = page.locator('[data-testid="program-attachments"]');
    await textMatching(page.locator('[data-testid="program-files"]'), /прикрепите подписанную программу \(PDF\)/);
    await panel.locator('input[type="file"]').setInputFiles({ name: SIGNED_NAME, mimeType: 'application/pdf', buffer: PDF_BYTES });
    const item = panel.locator('[data-testid="attachment"]');
    await textMatching(item.locator('[data-testid="attachment-name"]'), new RegExp(SIGNED_NAME.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    assert.equal(await item.locator('[data-testid="attachment-size"]').textContent(), formatSize(PDF_BYTES.length));
    assert.match(formatSize(PDF_BYTES.length), /^\d+(,\d)?\u00a0КБ$/, 'the size reads in КБ');
    assert.equal(await item.locator('[data-testid="attachment-type"]').textContent(), 'PDF');
    await textMatching(panel.locator('[data-testid="attachments-status"]'), /прикреплён/);
    // An approved program takes files but does not let them go.
    assert.equal(await item.getByRole('button', { name: /^Удалить/ }).count(), 0, 'no removal in an approved program');
    const listed = (await apiGet(fx.schoolToken, `/programs/${fx.approved.id}`)).attachments;
    assert.deepEqual(listed.map((f) => f.name), [SIGNED_NAME]);
    fx.signedId = listed[0].id;

    // The server decides by the content: a text file named .pdf is refused with its message.
    await panel.locator('input[type="file"]').setInputFiles({
      name: 'Приказ.pdf', mimeType: 'application/pdf', buffer: Buffer.from('Это обычный текст, а не PDF.\n'),
    });
    const refused = panel.locator('[data-testid="upload"].upload--error');
    await textMatching(refused.locator('[data-testid="upload-state"]'), /^Этот тип файла нельзя прикрепить/);
    await textMatching(refused, /Приказ\.pdf/);
    assert.equal(await item.count(), 1, 'the refused file is not listed');
    await screenshot(page, 'attachments-program-school');
    checkNoErrors(errors);
    await context.close();
  });

  it('the municipality opens the program\'s file: fetched with the bearer token and shown in a new tab as blob:', async () => {
    assert.ok(fx.signedId, 'the previous test attached the signed program');
    const { page, errors, context } = await openPage(browser);
    const fileRequests = [];
    page.on('request', (r) => { if (r.url().includes('/api/v1/attachments/')) fileRequests.push(r); });
    await signIn(page, fx.municipality.login);
    await page.goto(`${BASE_URL}/#/programs/${fx.approved.id}`);
    const panel = page.locator('[data-testid="program-attachments"]');
    const item = panel.locator(`[data-attachment-id="${fx.signedId}"]`);
    await textMatching(item, /Программа развития «подписана» 2026\.pdf/);
    assert.equal(await panel.locator('[data-testid="dropzone"]').count(), 0, 'the municipality does not attach');
    assert.equal(await item.getByRole('button', { name: /^Удалить/ }).count(), 0, 'nor remove');
    const [tab] = await Promise.all([
      context.waitForEvent('page'),
      item.getByRole('button', { name: `Открыть ${SIGNED_QUOTED}` }).click(),
    ]);
    await eventually(() => assert.match(tab.url(), /^blob:/));
    assert.equal(fileRequests.length, 1, 'one request for the file');
    const request = fileRequests[0];
    assert.equal(new URL(request.url()).pathname, `/api/v1/attachments/${fx.signedId}`);
    assert.equal(new URL(request.url()).search, '', 'no token in the address');
    assert.match((await request.allHeaders()).authorization || '', /^Bearer \S+$/, 'the bearer token in the header');
    const answer = await request.response();
    assert.equal(answer.status(), 200);
    assert.equal(answer.headers()['content-type'], 'application/pdf');
    await screenshot(page, 'attachments-program-municipality');
    checkNoErrors(errors);
    await context.close();
  });

  it('in a draft program the school removes a file after confirming', async () => {
    const up = await upload(fx.schoolToken, `/programs/${fx.draft.id}`, PDF_BYTES, 'Приложение 1.pdf');
    assert.equal(up.status, 201, up.text);
    const { page, errors, context } = await openPage(browser);
    await signIn(page, fx.schoolUser.login, fx.schoolUser.password);
    await page.goto(`${BASE_URL}/#/programs/${fx.draft.id}`);
    const panel = page.locator('[data-testid="program-attachments"]');
    const item = panel.locator(`[data-attachment-id="${up.body.id}"]`);
    // Cancelling keeps the file.
    await item.getByRole('button', { name: 'Удалить «Приложение 1.pdf»' }).click();
    const dialog = page.locator('[data-testid="remove-attachment-dialog"]');
    await textMatching(dialog, /Файл «Приложение 1\.pdf» исчезнет из списка/);
    await dialog.getByRole('button', { name: 'Отмена' }).click();
    await item.waitFor();
    await item.getByRole('button', { name: 'Удалить «Приложение 1.pdf»' }).click();
    await dialog.getByRole('button', { name: 'Удалить' }).click();
    await item.waitFor({ state: 'detached' });
    await textMatching(panel.locator('[data-testid="attachments-status"]'), /Файл «Приложение 1\.pdf» удалён/);
    await panel.locator('[data-testid="no-attachments"]').waitFor();
    const program = await apiGet(fx.schoolToken, `/programs/${fx.draft.id}`);
    assert.deepEqual(program.attachments, [], 'gone from the program');
    // The history keeps both steps, with the file's name.
    await page.reload();
    const history = page.locator('[data-testid="program-history"]');
    await textMatching(history.locator('li[data-action="detach"]'), /Удалён файл.*Приложение 1\.pdf/s);
    await textMatching(history.locator('li[data-action="attach"]'), /Прикреплён файл.*Приложение 1\.pdf/s);
    checkNoErrors(errors);
    await context.close();
  });

  it('the committee attaches the scanned order to its document and downloads it under its name', async () => {
    const { page, errors, context } = await openPage(browser);
    await signIn(page, 'committee');
    await page.goto(`${BASE_URL}/#/documents/${fx.document.id}`);
    const panel = page.locator('[data-testid="document-attachments"]');
    const name = 'Распоряжение № 1 (скан).docx';
    await panel.locator('input[type="file"]').setInputFiles({ name, mimeType: 'application/octet-stream', buffer: DOCX_BYTES });
    const item = panel.locator('[data-testid="attachment"]');
    await textMatching(item, /Распоряжение № 1 \(скан\)\.docx/);
    assert.equal(await item.locator('[data-testid="attachment-type"]').textContent(), 'DOCX');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      item.getByRole('button', { name: `Скачать «${name}»` }).click(),
    ]);
    assert.equal(download.suggestedFilename(), name);
    assert.match(download.url(), /^blob:/);
    assert.deepEqual(readFileSync(await download.path()), DOCX_BYTES, 'the same bytes');
    await screenshot(page, 'attachments-document');
    checkNoErrors(errors);
    await context.close();
  });

  it('the school attaches the order that confirms an answer; the municipality sees it with the answers', async () => {
    const { page, errors, context } = await openPage(browser);
    await signIn(page, fx.schoolUser.login, fx.schoolUser.password);
    await page.goto(`${BASE_URL}/#/diagnostics/${fx.campaign.id}`);
    const block = page.locator(`fieldset[data-indicator-code="K01"]`);
    const panel = block.locator('[data-testid="answer-attachments"]');
    await panel.getByRole('button', { name: 'Прикрепить файл' }).waitFor();
    await panel.locator('input[type="file"]').setInputFiles({ name: 'Приказ о ФРП.pdf', mimeType: 'application/pdf', buffer: PDF_BYTES });
    await textMatching(panel.locator('[data-testid="attachment"]'), /Приказ о ФРП\.pdf/);
    const sub = await apiGet(fx.schoolToken, `/submissions/${fx.submission.id}`);
    assert.deepEqual(sub.attachments.map((f) => [f.name, String(f.indicator_id)]), [['Приказ о ФРП.pdf', String(fx.k01.id)]]);
    await screenshot(page, 'attachments-answer');
    checkNoErrors(errors);
    await context.close();

    const mun = await openPage(browser);
    await signIn(mun.page, fx.municipality.login);
    await mun.page.goto(`${BASE_URL}/#/review/${fx.submission.id}`);
    const row = mun.page.locator('[data-testid="answers"] tr[data-indicator-code="K01"]');
    await row.locator('xpath=ancestor::details').evaluate((d) => { d.open = true; });
    await textMatching(row.locator('[data-testid="attachment"]'), /Приказ о ФРП\.pdf/);
    checkNoErrors(mun.errors);
    await mun.context.close();
  });

  it('the school attaches evidence to a measure of the approved program and to its report on an assignment', async () => {
    const { page, errors, context } = await openPage(browser);
    await signIn(page, fx.schoolUser.login, fx.schoolUser.password);
    await page.goto(`${BASE_URL}/#/programs/${fx.approved.id}`);
    const measure = (await apiGet(fx.schoolToken, `/programs/${fx.approved.id}`)).measures[0];
    const row = page.locator(`[data-testid="measures-table"] tr[data-measure-id="${measure.id}"]`);
    await row.getByRole('button', { name: 'Отметить ход' }).click();
    const panel = page.locator('[data-testid="progress-form"] [data-testid="measure-attachments"]');
    await panel.locator('input[type="file"]').setInputFiles({ name: 'Протокол педсовета.pdf', mimeType: 'application/pdf', buffer: PDF_BYTES });
    await textMatching(panel.locator('[data-testid="attachment"]'), /Протокол педсовета\.pdf/);
    await screenshot(page, 'attachments-measure');
    await page.locator('[data-testid="progress-form"]').getByRole('button', { name: 'Отмена' }).click();
    await textMatching(row.locator('[data-testid="measure-attachments"]'), /Протокол педсовета\.pdf/);
    const program = await apiGet(fx.schoolToken, `/programs/${fx.approved.id}`);
    assert.deepEqual(program.measures.find((m) => m.id === measure.id).attachments.map((f) => f.name), ['Протокол педсовета.pdf']);

    await page.goto(`${BASE_URL}/#/assignments/${fx.record}`);
    const report = page.locator('[data-testid="report-attachments"]');
    await report.locator('input[type="file"]').setInputFiles([
      { name: 'Справка.pdf', mimeType: 'application/pdf', buffer: PDF_BYTES },
      { name: 'Приказ.docx', mimeType: 'application/octet-stream', buffer: DOCX_BYTES },
    ]);
    await eventually(async () => assert.equal(await report.locator('[data-testid="attachment"]').count(), 2));
    assert.deepEqual((await apiGet(fx.schoolToken, `/assignments/${fx.record}`)).attachments.map((f) => f.name), ['Справка.pdf', 'Приказ.docx']);
    await screenshot(page, 'attachments-report');
    checkNoErrors(errors);
    await context.close();
  });
});
