// Projects and control of execution in the browser (issue 5): the committee
// registers a document and gives an item to all municipalities (one by one
// and pasted in bulk, with per-line errors); a municipality reports, the
// committee returns the report with a comment, the municipality reports
// again, the committee accepts; overdue records of the demo data carry the
// «просрочено» badge; the committee creates a project and loads its schools
// from a CSV file (a dry run with every bad line first); a municipality keeps
// its road map; the committee edits a document and a project (If-Match), and a
// stale edit is explained and changes nothing.
//
// Skipped, and only skipped, while EXECUTION_ENABLED is false in
// frontend/js/features.js (the screens are not reachable then).

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  BASE_URL, launchBrowser, openPage, checkNoErrors, signIn, screenshot, apiLogin, apiGet, demoAccounts,
  textMatching, eventually, apiCall,
} from './helpers.mjs';
import { EXECUTION_ENABLED } from '../../frontend/js/features.js';

const skip = EXECUTION_ENABLED ? false : 'EXECUTION_ENABLED is false in frontend/js/features.js';

/** Today in Moscow plus n days, as {iso: 'YYYY-MM-DD', ru: 'ДД.ММ.ГГГГ'}. */
function moscowDate(n = 0) {
  const iso = new Date(Date.now() + 3 * 3600e3 + n * 86400e3).toISOString().slice(0, 10);
  return { iso, ru: `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}` };
}

const stamp = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4).toString(36)}`;

/** Opens a record's page afresh (reloads when it is already open: a same-hash goto changes nothing). */
async function openRecord(page, id) {
  const url = `${BASE_URL}/#/assignments/${id}`;
  if (page.url() === url) await page.reload();
  else await page.goto(url);
  await page.locator('[data-testid="record-props"]').waitFor();
}

describe('control of execution', { skip }, () => {
  let browser;
  let accounts;
  let committeeToken;
  let municipalityToken;
  let doc; // {id, number}
  let recordId; // the municipality's record of item 1
  const returnComment = `Приложите ссылку на приказ муниципалитета (проверка ${stamp}).`;

  before(async () => {
    browser = await launchBrowser();
    accounts = await demoAccounts();
    committeeToken = accounts.committee.token;
    municipalityToken = (await apiLogin(accounts.municipality.login)).token;
  });
  after(async () => {
    await browser?.close();
  });

  it('the committee registers a document and its items for all municipalities', async () => {
    const { page, errors, context } = await openPage(browser);
    await signIn(page, 'committee');
    await page.getByRole('link', { name: 'Контроль исполнения', exact: true }).click();
    await page.getByRole('heading', { name: 'Контроль исполнения', level: 1 }).waitFor();
    await page.locator('[data-testid="documents-table"] tbody tr').first().waitFor();
    await page.locator('[data-testid="executor-summary"]').waitFor();
    await screenshot(page, 'execution-documents');

    await page.getByRole('link', { name: 'Зарегистрировать документ' }).click();
    await page.getByRole('heading', { name: 'Регистрация документа', level: 1 }).waitFor();
    const number = `T-${stamp}`;
    await page.getByLabel('Вид документа').selectOption('order');
    await page.getByLabel('Номер').fill(number);
    await page.getByLabel('Дата').fill(moscowDate(0).ru);
    await page.getByLabel('Название').fill(`О проверке исполнения поручений (тест ${stamp})`);
    await page.getByRole('button', { name: 'Зарегистрировать' }).click();
    await page.getByRole('heading', { name: new RegExp(`Приказ № ${number}`), level: 1 }).waitFor();
    await textMatching(page.locator('[data-testid="message"]'), /зарегистрирован/);
    const id = /#\/documents\/(\d+)/.exec(page.url())?.[1];
    assert.ok(id, 'the document page has its id in the address');
    doc = { id, number };

    // One item for all municipalities.
    const form = page.locator('[data-testid="item-form"]');
    await form.getByLabel('Номер пункта').fill('1');
    await form.getByLabel('Содержание').fill(`Утвердить муниципальный план мероприятий (тест ${stamp})`);
    await form.getByLabel('Срок', { exact: true }).fill(moscowDate(30).ru);
    await form.getByLabel('Ожидаемый результат').fill('Муниципальный приказ');
    await form.getByLabel('Все муниципалитеты').check();
    await form.getByRole('button', { name: 'Добавить пункт' }).click();
    await textMatching(page.locator('[data-testid="message"]'), /Пункт 1 добавлен/);
    const item1 = page.locator('[data-testid="item-tree"] li.item[data-number="1"]');
    await item1.waitFor();
    const municipalities = await apiGet(committeeToken, '/municipalities?limit=200');
    await textMatching(item1.locator('[data-testid="item-counts"]').first(),
      new RegExp(`не начато ${municipalities.total} \\(всего ${municipalities.total}\\)`));

    // Pasted in bulk: a bad deadline is caught here, a taken number by the server; nothing stored.
    const bulk = page.locator('[data-testid="bulk-form"]');
    const deadline = moscowDate(60).ru;
    await bulk.getByLabel('Пункты').fill(`1.1\tПодпункт первый\t${deadline}\n1.2\tПодпункт второй\tкогда-нибудь\n`);
    await bulk.getByRole('button', { name: 'Добавить пункты' }).click();
    await textMatching(page.locator('[data-testid="bulk-message"]'), /Строка 2: .*срок/);
    await bulk.getByLabel('Пункты').fill(`1.1\tПодпункт первый\t${deadline}\n\n1\tПовтор номера\t${deadline}\n`);
    await bulk.getByRole('button', { name: 'Добавить пункты' }).click();
    await textMatching(page.locator('[data-testid="bulk-errors"]'), /Строка 3: Пункт 1 уже есть/);
    await screenshot(page, 'execution-bulk-errors', { fullPage: false });
    assert.equal(await page.locator('li.item[data-number="1.1"]').count(), 0, 'a paste with an error stores nothing');

    await bulk.getByLabel('Пункты').fill(
      `1.1\tПодпункт первый (тест ${stamp})\t${deadline}\n1.2\tПодпункт второй (тест ${stamp})\tв течение ${moscowDate(0).iso.slice(0, 4)} года\n`,
    );
    await bulk.getByLabel('Комитет').check();
    await bulk.getByRole('button', { name: 'Добавить пункты' }).click();
    await textMatching(page.locator('[data-testid="message"]'), /Добавлено 2 пункта/);
    // Nested: 1.1 and 1.2 under 1.
    await item1.locator('li.item[data-number="1.1"]').waitFor();
    await item1.locator('li.item[data-number="1.2"]').waitFor();
    await screenshot(page, 'execution-document');

    const records = await apiGet(committeeToken,
      `/assignments?document_id=${id}&executor=municipality:${accounts.municipality.user.municipality_id}`);
    assert.equal(records.total, 1, 'one record of the municipality');
    recordId = records.items[0].id;
    checkNoErrors(errors);
    await context.close();
  });

  it('a municipality reports, the committee returns, the municipality reports again, the committee accepts', async () => {
    assert.ok(recordId, 'the previous test created the record');
    const mun = await openPage(browser);
    const com = await openPage(browser);
    await signIn(mun.page, accounts.municipality.login);
    await signIn(com.page, 'committee');

    // The municipality finds the item in «Поручения» through the document filter.
    await mun.page.getByRole('link', { name: 'Поручения', exact: true }).click();
    await mun.page.getByRole('heading', { name: 'Поручения', level: 1 }).waitFor();
    await mun.page.getByLabel('Документ').selectOption(String(doc.id));
    const row = mun.page.locator(`[data-testid="assignments-table"] tr[data-assignment-id="${recordId}"]`);
    await row.waitFor();
    await textMatching(row, /не начато/);
    await row.getByRole('link').first().click();
    await mun.page.getByRole('heading', { name: 'Пункт 1', level: 1 }).waitFor();
    await textMatching(mun.page.locator('[data-testid="record-deadline"]'), new RegExp(moscowDate(30).ru.replace(/\./g, '\\.')));

    // Done without a text: refused here.
    const report = mun.page.locator('[data-testid="report-form"]');
    await report.getByLabel('выполнено').check();
    await report.getByRole('button', { name: 'Отправить отчёт' }).click();
    await textMatching(report.locator('[data-field="text"] .field__error'), /Опишите, что сделано/);
    await report.getByLabel('Отчёт', { exact: true }).fill('План утверждён приказом управления образования.');
    await report.getByRole('button', { name: 'Отправить отчёт' }).click();
    await textMatching(mun.page.locator('[data-testid="message"]'), /отправлен на проверку/);
    await textMatching(mun.page.locator('[data-testid="record-state"]'), /выполнено, на проверке/);

    // The committee opens it from the document's tree and returns it.
    await com.page.goto(`${BASE_URL}/#/documents/${doc.id}`);
    const item1 = com.page.locator('[data-testid="item-tree"] li.item[data-number="1"]');
    await item1.locator('[data-testid="item-counts"]').first().click();
    await item1.locator(`tr[data-assignment-id="${recordId}"] a`).click();
    await com.page.locator('[data-testid="review-actions"]').waitFor();
    await textMatching(com.page.locator('[data-testid="report-text"]'), /План утверждён/);
    await com.page.getByRole('button', { name: 'Вернуть на доработку' }).click();
    const dialog = com.page.locator('[data-testid="return-dialog"]');
    await dialog.getByRole('button', { name: 'Вернуть' }).click();
    await textMatching(dialog.locator('[data-testid="dialog-error"]'), /без комментария/);
    await dialog.getByLabel('Комментарий').fill(returnComment);
    await dialog.getByRole('button', { name: 'Вернуть' }).click();
    await textMatching(com.page.locator('[data-testid="record-state"]'), /возвращено на доработку/);
    await textMatching(com.page.locator('[data-testid="review-comment"]'), /Приложите ссылку/);
    assert.equal(await com.page.locator('[data-testid="review-actions"]').count(), 0, 'no review of a returned report');

    // The municipality sees the comment and reports again.
    await openRecord(mun.page, recordId);
    await textMatching(mun.page.locator('.returned'), /Приложите ссылку на приказ/);
    await screenshot(mun.page, 'execution-returned');
    const again = mun.page.locator('[data-testid="report-form"]');
    await again.getByLabel('выполнено').check();
    await again.getByLabel('Отчёт', { exact: true }).fill('План утверждён приказом управления образования; ссылка приложена.');
    await again.getByLabel('Ссылки').fill('не ссылка');
    await again.getByRole('button', { name: 'Отправить отчёт' }).click();
    await textMatching(again.locator('[data-field="links"] .field__error'), /http/);
    await again.getByLabel('Ссылки').fill(`https://example.org/orders/${stamp}`);
    await again.getByRole('button', { name: 'Отправить отчёт' }).click();
    await textMatching(mun.page.locator('[data-testid="record-state"]'), /выполнено, на проверке/);

    // The committee accepts.
    await openRecord(com.page, recordId);
    await textMatching(com.page.locator('[data-testid="record-history"]'), /ссылка приложена/);
    await com.page.getByRole('button', { name: 'Принять' }).click();
    await com.page.locator('[data-testid="accept-dialog"]').getByRole('button', { name: 'Принять' }).click();
    await textMatching(com.page.locator('[data-testid="record-state"]'), /принято/);
    await textMatching(com.page.locator('[data-testid="history-review"]'), /Отчёт принят/);
    await screenshot(com.page, 'execution-accepted');

    // Closed for the municipality too.
    await openRecord(mun.page, recordId);
    await textMatching(mun.page.locator('[data-testid="record-state"]'), /принято/);
    assert.equal(await mun.page.locator('[data-testid="report-form"]').count(), 0, 'an accepted record takes no report');
    const rec = await apiGet(municipalityToken, `/assignments/${recordId}`);
    assert.equal(rec.status, 'accepted');

    checkNoErrors(mun.errors);
    checkNoErrors(com.errors);
    await mun.context.close();
    await com.context.close();
  });

  it('overdue records carry the «просрочено» badge', async () => {
    const overdue = await apiGet(municipalityToken, '/assignments?mine=1&overdue=1&limit=1');
    assert.ok(overdue.total > 0, 'the demo data has an overdue record of the municipality');
    const rec = overdue.items[0];
    const { page, errors, context } = await openPage(browser);
    await signIn(page, accounts.municipality.login);
    await page.getByRole('link', { name: 'Поручения', exact: true }).click();
    // Overdue first: the record is on the first page, highlighted, with the badge.
    const row = page.locator(`[data-testid="assignments-table"] tr[data-assignment-id="${rec.id}"]`);
    await row.waitFor();
    assert.match(await row.getAttribute('class'), /row--overdue/);
    await textMatching(row.locator('[data-testid="overdue-badge"]'), /^просрочено$/);
    const firstRow = page.locator('[data-testid="assignments-table"] tbody tr').first();
    await textMatching(firstRow, /просрочено/);
    await screenshot(page, 'execution-my-assignments', { fullPage: false });

    // Only overdue ones.
    await page.getByLabel('Только просроченные').check();
    await textMatching(page.locator('[data-testid="assignments-summary"]'), new RegExp(`из ${overdue.total}$`));
    await eventually(async () => {
      const n = await page.locator('[data-testid="assignments-table"] tbody tr').count();
      const badges = await page.locator('[data-testid="assignments-table"] [data-testid="overdue-badge"]').count();
      assert.equal(badges, n);
    });

    await openRecord(page, rec.id);
    await textMatching(page.locator('[data-testid="record-deadline"] [data-testid="overdue-badge"]'), /просрочено/);
    checkNoErrors(errors);
    await context.close();
  });

  it('the committee creates a project and loads its schools from a CSV file', async () => {
    const schools = await apiGet(committeeToken, '/schools?limit=3');
    assert.ok(schools.items.length >= 2, 'the demo data has schools');
    const [a, b] = schools.items;
    const { page, errors, context } = await openPage(browser);
    await signIn(page, 'committee');
    await page.getByRole('link', { name: 'Проекты', exact: true }).click();
    await page.getByRole('heading', { name: 'Проекты', level: 1 }).waitFor();
    await page.locator('[data-testid="projects-table"] tbody tr').first().waitFor();
    const title = `Пилотный проект (тест ${stamp})`;
    await page.getByLabel('Название').fill(title);
    await page.getByLabel('Начало').fill(moscowDate(0).ru);
    await page.getByRole('button', { name: 'Создать проект' }).click();
    await page.getByRole('heading', { name: title, level: 1 }).waitFor();

    const upload = async (name, text) => {
      await page.locator('[data-testid="import"] input[type="file"]').setInputFiles({
        name, mimeType: 'text/csv', buffer: Buffer.from(text, 'utf-8'),
      });
    };
    // Bad lines: every one reported with its line number; nothing stored.
    await upload('bad.csv', `school_code;group;unfavorable_conditions\n${a.code};low_results;1\n99-99-999;risk_zone;0\n${b.code};nonsense;2\n`);
    const list = page.locator('[data-testid="import-errors"]');
    await textMatching(list, /Строка 3:/);
    await textMatching(list, /Строка 4:/);
    assert.equal(await list.locator('li[data-line="2"]').count(), 0, 'the good line is not reported');
    await screenshot(page, 'execution-import-errors', { fullPage: false });
    assert.equal(await page.getByRole('button', { name: 'Загрузить' }).isDisabled(), true);
    assert.equal((await apiGet(committeeToken, `/projects/${/#\/projects\/(\d+)/.exec(page.url())[1]}`)).school_count, 0);

    // A good file: the dry run, then the real load.
    await upload('good.csv', `\uFEFFschool_code;group;unfavorable_conditions\n${a.code};low_results;1\n${b.code};academic_failure;0\n`);
    await textMatching(page.locator('[data-testid="import-message"]'), /ошибок нет, будет загружено строк — 2/);
    await page.getByRole('button', { name: 'Загрузить' }).click();
    await textMatching(page.locator('[data-testid="message"]'), /Список загружен: 2/);
    await textMatching(page.locator('[data-testid="project-school-count"]'), /^2$/);
    const rowA = page.locator(`[data-testid="project-schools"] tr[data-school-id="${a.id}"]`);
    await textMatching(rowA, /низкие образовательные результаты/);
    await textMatching(rowA, /да/);
    await screenshot(page, 'execution-project');

    // Removing a school.
    await rowA.getByRole('button', { name: /Исключить/ }).click();
    await page.locator('[data-testid="remove-school-dialog"]').getByRole('button', { name: 'Исключить' }).click();
    await textMatching(page.locator('[data-testid="project-school-count"]'), /^1$/);
    checkNoErrors(errors);
    await context.close();
  });

  it('a municipality keeps its road map', async () => {
    const { page, errors, context } = await openPage(browser);
    await signIn(page, accounts.municipality.login);
    await page.getByRole('link', { name: 'Дорожная карта', exact: true }).click();
    await page.getByRole('heading', { name: 'Муниципальная дорожная карта', level: 1 }).waitFor();
    if (await page.getByRole('button', { name: 'Создать дорожную карту' }).count()) {
      await page.getByLabel('Номер').fill(`МДК-${stamp}`);
      await page.getByRole('button', { name: 'Создать дорожную карту' }).click();
      await textMatching(page.locator('[data-testid="message"]'), /Дорожная карта создана/);
    }
    const form = page.locator('[data-testid="item-form"]');
    await form.waitFor();
    // The next free top-level number of the road map.
    const mine = (await apiGet(municipalityToken, '/documents?kind=roadmap')).items
      .find((d) => d.issuer?.kind === 'municipality' && String(d.issuer.id) === String(accounts.municipality.user.municipality_id));
    assert.ok(mine, 'the municipality has its road map');
    const tree = await apiGet(municipalityToken, `/documents/${mine.id}`);
    const number = String(Math.max(0, ...tree.items.map((i) => Number.parseInt(i.number, 10))) + 1);
    await form.getByLabel('Номер пункта').fill(number);
    await form.getByLabel('Содержание').fill(`Совещание с руководителями школ (тест ${stamp})`);
    await form.getByLabel('Срок', { exact: true }).fill(moscowDate(3).ru);
    await form.getByLabel(accounts.municipality.user.organisation_name, { exact: true }).check();
    await form.getByRole('button', { name: 'Добавить пункт' }).click();
    const item = page.locator(`[data-testid="item-tree"] li.item[data-number="${number}"]`);
    await item.waitFor().catch(async (err) => { await screenshot(page, 'execution-roadmap-failed'); throw err; });
    // Due within 7 days: marked.
    await textMatching(item.locator('[data-testid="due-soon-badge"]').first(), /^срок через\s3\sдня$/);
    await screenshot(page, 'execution-roadmap');
    checkNoErrors(errors);
    await context.close();
  });

  it('the committee edits a document and a project; a stale edit changes nothing', async () => {
    const made = await apiCall(committeeToken, 'POST', '/documents', {
      kind: 'letter', number: `E-${stamp}`, date: moscowDate(-1).iso, title: `Письмо для правки (тест ${stamp})`,
    });
    assert.ok([200, 201].includes(made.status), `POST /documents: ${made.status}`);
    const docId = made.body.id;
    const madeProject = await apiCall(committeeToken, 'POST', '/projects', {
      title: `Проект для правки (тест ${stamp})`, starts_on: moscowDate(0).iso,
    });
    assert.ok([200, 201].includes(madeProject.status), `POST /projects: ${madeProject.status}`);
    const projectId = madeProject.body.id;

    const { page, errors, context } = await openPage(browser);
    await signIn(page, 'committee');

    // The document: prefilled form, a new title saved and shown.
    await page.goto(`${BASE_URL}/#/documents/${docId}`);
    await page.getByRole('heading', { name: new RegExp(`Письмо № E-${stamp}`), level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Изменить' }).click();
    const docForm = page.locator('[data-testid="document-edit"]');
    assert.equal(await docForm.getByLabel('Вид документа').inputValue(), 'letter');
    assert.equal(await docForm.getByLabel('Номер').inputValue(), `E-${stamp}`);
    assert.equal(await docForm.getByLabel('Дата').inputValue(), moscowDate(-1).ru);
    assert.equal(await docForm.getByLabel('Название').inputValue(), `Письмо для правки (тест ${stamp})`);
    await screenshot(page, 'execution-document-edit');
    // A field error beside its field: a date that does not exist is said so, a wrong shape shows the format.
    await docForm.getByLabel('Дата').fill('31.02.2025');
    await docForm.getByRole('button', { name: 'Сохранить' }).click();
    await textMatching(docForm.locator('[data-field="date"] .field__error'), /Такой даты нет: 31\.02\.2025/);
    await docForm.getByLabel('Дата').fill('2025-02-01');
    await docForm.getByRole('button', { name: 'Сохранить' }).click();
    await textMatching(docForm.locator('[data-field="date"] .field__error'), /ДД\.ММ\.ГГГГ/);
    await docForm.getByLabel('Дата').fill(moscowDate(-1).ru);
    const newTitle = `Письмо после правки (тест ${stamp})`;
    await docForm.getByLabel('Название').fill(newTitle);
    await docForm.getByRole('button', { name: 'Сохранить' }).click();
    await textMatching(page.locator('[data-testid="message"]'), /Изменения сохранены/);
    await textMatching(page.locator('.page__sub'), new RegExp(`^Письмо после правки \\(тест ${stamp}\\)$`));
    assert.equal(await docForm.count(), 0, 'the form closes');
    await page.locator('[data-testid="document-props"]').waitFor();
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'execution-document-edited', { fullPage: false });
    assert.equal((await apiGet(committeeToken, `/documents/${docId}`)).title, newTitle);

    // A stale edit: the document changes meanwhile; the page's save is refused and nothing is overwritten.
    await page.getByRole('button', { name: 'Изменить' }).click();
    await docForm.getByLabel('Название').fill(`Устаревшая правка (тест ${stamp})`);
    const current = await apiGet(committeeToken, `/documents/${docId}`);
    const meanwhile = `Письмо, изменённое коллегой (тест ${stamp})`;
    const patched = await apiCall(committeeToken, 'PATCH', `/documents/${docId}`, { title: meanwhile },
      { 'If-Match': String(current.version) });
    assert.equal(patched.status, 200);
    await docForm.getByRole('button', { name: 'Сохранить' }).click();
    await textMatching(docForm.locator('[data-testid="edit-message"]'), /Изменения не сохранены.*изменил другой пользователь/);
    await screenshot(page, 'execution-document-stale', { fullPage: false });
    assert.equal((await apiGet(committeeToken, `/documents/${docId}`)).title, meanwhile, 'the stale edit changed nothing');
    await docForm.getByRole('button', { name: 'Загрузить актуальные данные' }).click();
    await textMatching(page.locator('.page__sub'), new RegExp(`изменённое коллегой`));
    await textMatching(page.locator('[data-testid="message"]'), /актуальные данные/);

    // The project: the order number and date saved and shown.
    await page.goto(`${BASE_URL}/#/projects/${projectId}`);
    await page.getByRole('heading', { name: `Проект для правки (тест ${stamp})`, level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Изменить' }).click();
    const projectForm = page.locator('[data-testid="project-edit"]');
    assert.equal(await projectForm.getByLabel('Название').inputValue(), `Проект для правки (тест ${stamp})`);
    assert.equal(await projectForm.getByLabel('Начало').inputValue(), moscowDate(0).ru);
    // Only the number: refused here, beside the field.
    await projectForm.getByLabel('Приказ об утверждении списка школ: номер').fill(`П-${stamp}`);
    await projectForm.getByRole('button', { name: 'Сохранить' }).click();
    await textMatching(projectForm.locator('[data-field="order_number"] .field__error'), /и номер, и дату/);
    await projectForm.getByLabel('дата приказа').fill(moscowDate(0).ru);
    await screenshot(page, 'execution-project-edit');
    await projectForm.getByRole('button', { name: 'Сохранить' }).click();
    await textMatching(page.locator('[data-testid="message"]'), /Изменения сохранены/);
    await textMatching(page.locator('[data-testid="project-props"]'), new RegExp(`№\\sП-${stamp} от\\s${moscowDate(0).ru.replace(/\./g, '\\.')}`));
    const saved = await apiGet(committeeToken, `/projects/${projectId}`);
    assert.equal(saved.order_number, `П-${stamp}`);
    assert.equal(saved.order_date, moscowDate(0).iso);

    // A stale edit of the project.
    await page.getByRole('button', { name: 'Изменить' }).click();
    await projectForm.getByLabel('Приказ об утверждении списка школ: номер').fill(`УСТ-${stamp}`);
    const patchedProject = await apiCall(committeeToken, 'PATCH', `/projects/${projectId}`, { order_number: `К-${stamp}` },
      { 'If-Match': String(saved.version) });
    assert.equal(patchedProject.status, 200);
    await projectForm.getByRole('button', { name: 'Сохранить' }).click();
    await textMatching(projectForm.locator('[data-testid="edit-message"]'), /Изменения не сохранены.*изменил другой пользователь/);
    await screenshot(page, 'execution-project-stale', { fullPage: false });
    assert.equal((await apiGet(committeeToken, `/projects/${projectId}`)).order_number, `К-${stamp}`, 'the stale edit changed nothing');
    await projectForm.getByRole('button', { name: 'Загрузить актуальные данные' }).click();
    await textMatching(page.locator('[data-testid="project-props"]'), new RegExp(`№\\sК-${stamp}`));
    checkNoErrors(errors);
    await context.close();
  });

  it('a municipality may edit its road map, the committee may not', async () => {
    const maps = (await apiGet(municipalityToken, '/documents?kind=roadmap')).items;
    const mine = maps.find((d) => d.issuer?.kind === 'municipality'
      && String(d.issuer.id) === String(accounts.municipality.user.municipality_id));
    const { page, errors, context } = await openPage(browser);
    if (mine) {
      await signIn(page, 'committee');
      await page.goto(`${BASE_URL}/#/documents/${mine.id}`);
      await page.locator('[data-testid="document-props"]').waitFor();
      assert.equal(await page.getByRole('button', { name: 'Изменить' }).count(), 0, 'the committee does not edit a road map');
      await context.clearCookies();
    }
    await signIn(page, accounts.municipality.login);
    await page.getByRole('link', { name: 'Дорожная карта', exact: true }).click();
    await page.getByRole('heading', { name: 'Муниципальная дорожная карта', level: 1 }).waitFor();
    if (!mine) return context.close();
    await page.getByRole('button', { name: 'Изменить' }).click();
    const form = page.locator('[data-testid="document-edit"]');
    assert.equal(await form.getByLabel('Вид документа').isVisible(), false, 'a road map keeps its kind');
    assert.equal(await form.getByLabel('Название').inputValue(), mine.title);
    await screenshot(page, 'execution-roadmap-edit', { fullPage: false });
    await form.getByRole('button', { name: 'Отмена' }).click();
    assert.equal(await form.count(), 0);
    checkNoErrors(errors);
    return context.close();
  });
});
