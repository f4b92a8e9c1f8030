// Development programs in the browser (issue 4): school-47-16-005 writes a
// program for the open demo campaign (its submission there is accepted and the
// demo data has no program for it), adds a measure, cannot submit while a
// deficit has no measure, covers it and submits; mo-tikhvinsky returns it with
// a comment; the school fixes it (a stale submit is explained and reloaded) and
// submits again; mo-tikhvinsky approves; the school reports a measure done
// with a note. ЛОИРО adds a practice and comments on the program; the
// municipality records a partnership and deletes it.
//
// Skipped, and only skipped, while PROGRAMS_ENABLED is false in
// frontend/js/features.js (the screens are not reachable then).

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  BASE_URL, launchBrowser, openPage, checkNoErrors, signIn, screenshot, apiLogin, apiGet, apiCall, textMatching,
  eventually,
} from './helpers.mjs';
import { PROGRAMS_ENABLED } from '../../frontend/js/features.js';

const skip = PROGRAMS_ENABLED ? false : 'PROGRAMS_ENABLED is false in frontend/js/features.js';

const SCHOOL = 'school-47-16-005';
const MUNICIPALITY = 'mo-tikhvinsky';
const stamp = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4).toString(36)}`;

/** Today in Moscow plus n days, as {iso: 'YYYY-MM-DD', ru: 'ДД.ММ.ГГГГ'}. */
function moscowDate(n = 0) {
  const iso = new Date(Date.now() + 3 * 3600e3 + n * 86400e3).toISOString().slice(0, 10);
  return { iso, ru: `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}` };
}

/** Opens a program's page afresh (reloads when it is already open). */
async function openProgram(page, id) {
  const url = `${BASE_URL}/#/programs/${id}`;
  if (page.url() === url) await page.reload();
  else await page.goto(url);
  await page.locator('[data-testid="program-state"]').waitFor();
}

/** Fills the measure form that is open on the page. */
async function fillMeasure(page, { title, codes, due, responsible, expected }) {
  const form = page.locator('[data-testid="measure-form"]');
  await form.getByLabel('Мероприятие', { exact: true }).fill(title);
  for (const code of codes) {
    await form.locator(`[data-testid="deficit-picker"] input[data-indicator-code="${code}"]`).check();
  }
  await form.getByLabel('Срок', { exact: true }).fill(due);
  await form.getByLabel('Ответственный', { exact: true }).fill(responsible);
  if (expected) await form.getByLabel('Ожидаемый результат').fill(expected);
  return form;
}

describe('development programs', { skip }, () => {
  let browser;
  let schoolToken;
  let schoolId;
  let campaign; // the open campaign whose submission of the school is accepted
  let needing; // deficits of the school in it that need a measure (API order)
  let growth; // growth areas
  let programId;
  const returnComment = `Уточните ожидаемые результаты мероприятий (проверка ${stamp}).`;

  before(async () => {
    browser = await launchBrowser();
    const school = await apiLogin(SCHOOL);
    schoolToken = school.token;
    schoolId = school.user.school_id;
    const accepted = await apiGet(schoolToken, '/submissions?status=accepted&limit=200');
    for (const s of accepted.items) {
      const c = await apiGet(schoolToken, `/campaigns/${s.campaign_id}`);
      if (c.status === 'open') { campaign = c; break; }
    }
    assert.ok(campaign, `${SCHOOL} has an accepted submission in an open campaign`);
    const programs = await apiGet(schoolToken, `/programs?campaign_id=${campaign.id}`);
    assert.equal(programs.total, 0, `${SCHOOL} has no program for «${campaign.title}» yet (a fresh demo database)`);
    const deficits = await apiGet(schoolToken, `/schools/${schoolId}/deficits?campaign_id=${campaign.id}`);
    needing = deficits.items.filter((d) => d.kind === 'deficit' && (!d.status || d.status === 'open' || d.status === 'in_work'));
    growth = deficits.items.filter((d) => d.kind === 'growth');
    assert.ok(needing.length >= 1, 'the school has at least one deficit that needs a measure');
  });
  after(async () => {
    await browser?.close();
  });

  it('a school writes a program and cannot submit it while a deficit has no measure, then covers it and submits', async () => {
    const { page, errors, context } = await openPage(browser);
    await signIn(page, SCHOOL);
    await page.getByRole('link', { name: 'Программа развития', exact: true }).click();
    await page.getByRole('heading', { name: 'Программа развития', level: 1 }).waitFor();
    const card = page.locator(`[data-testid="program-campaign"][data-campaign-id="${campaign.id}"]`);
    await card.getByRole('button', { name: 'Составить программу' }).click();
    await card.getByLabel('Название программы').fill(`Программа развития СОШ № 5 г. Тихвин (тест ${stamp})`);
    await card.getByRole('button', { name: 'Создать программу' }).click();
    await page.locator('[data-testid="program-state"]').waitFor();
    await textMatching(page.locator('[data-testid="message"]'), /Программа создана/);
    programId = /#\/programs\/(\d+)/.exec(page.url())?.[1];
    assert.ok(programId, 'the program page has its id in the address');

    // Every deficit is marked uncovered, and so says the banner.
    const banner = page.locator('[data-testid="coverage-banner"]');
    await textMatching(banner, new RegExp(`Без мероприятий ${needing.length} `));
    for (const d of needing) {
      await page.locator(`li[data-deficit-id="${d.id}"] [data-testid="uncovered-mark"]`).waitFor();
    }

    // One measure for every deficit but the last (and a growth area), started from the first deficit.
    const last = needing[needing.length - 1];
    const first = needing.length > 1 ? needing.slice(0, -1) : [];
    const firstCodes = [...first.map((d) => d.indicator_code), ...(growth[0] ? [growth[0].indicator_code] : [])];
    assert.ok(firstCodes.length, 'the first measure addresses something');
    const start = first[0] || growth[0];
    await page.locator(`li[data-deficit-id="${start.id}"]`).getByRole('button', { name: '+ Мероприятие' }).click();
    const form = page.locator('[data-testid="measure-form"]');
    await form.waitFor();
    assert.equal(await form.locator(`input[data-indicator-code="${start.indicator_code}"]`).isChecked(), true,
      'the deficit the measure was started from is checked');
    // The help panel shows recommendations and mentor schools for the deficit in focus.
    const help = form.locator('[data-testid="measure-help"]');
    await textMatching(help, new RegExp(start.indicator_code));
    await eventually(async () => {
      assert.doesNotMatch(await help.locator('[data-testid="help-practices"]').textContent(), /Загрузка/);
      assert.doesNotMatch(await help.locator('[data-testid="help-mentors"]').textContent(), /Загрузка/);
    });
    await fillMeasure(page, {
      title: `Создать школьный спортивный клуб и профильные классы (тест ${stamp})`,
      codes: firstCodes,
      due: moscowDate(90).ru,
      responsible: 'Заместитель директора по ВР Петрова Е. С.',
      expected: 'Клуб зарегистрирован, набраны группы',
    });
    await form.getByRole('button', { name: 'Добавить мероприятие' }).click();
    await textMatching(page.locator('[data-testid="message"]'), /Мероприятие добавлено/);
    await page.locator('[data-testid="measures-table"] tbody tr[data-measure-id]').first().waitFor();
    await textMatching(banner, /Без мероприятий 1 дефицит/);
    await page.locator(`li[data-deficit-id="${last.id}"] [data-testid="uncovered-mark"]`).waitFor();

    // Submitting is refused at once — the page asks no confirmation for what it knows would fail —
    // and the error stands beside the uncovered deficit.
    await page.getByRole('button', { name: 'Отправить на согласование' }).click();
    await textMatching(page.locator('[data-testid="message"]'), /Программа не отправлена/);
    assert.equal(await page.locator('[data-testid="submit-dialog"]').count(), 0, 'no confirmation was asked');
    await textMatching(page.locator(`li[data-deficit-id="${last.id}"] [data-testid="deficit-error"]`), new RegExp(last.indicator_code));
    await screenshot(page, 'programs-uncovered', { fullPage: false });
    const draft = await apiGet(schoolToken, `/programs/${programId}`);
    assert.equal(draft.status, 'draft', 'a refused submit leaves the program a draft');

    // Cover it and submit.
    await page.locator(`li[data-deficit-id="${last.id}"]`).getByRole('button', { name: '+ Мероприятие' }).click();
    await fillMeasure(page, {
      title: `Открыть площадку «Точка роста» (тест ${stamp})`,
      codes: [],
      due: moscowDate(120).ru,
      responsible: 'Директор Сидоров И. В.',
    });
    await form.getByRole('button', { name: 'Добавить мероприятие' }).click();
    await textMatching(page.locator('[data-testid="message"]'), /Мероприятие добавлено/);
    await textMatching(banner, /Все дефициты закрыты мероприятиями/);
    assert.equal(await page.locator('[data-testid="deficit-error"]').count(), 0, 'no error is left beside a covered deficit');
    await screenshot(page, 'programs-editor');
    await page.getByRole('button', { name: 'Отправить на согласование' }).click();
    await page.locator('[data-testid="submit-dialog"]').getByRole('button', { name: 'Отправить' }).click();
    await textMatching(page.locator('[data-testid="message"]'), /отправлена на согласование/);
    await textMatching(page.locator('[data-testid="program-status"]').first(), /на согласовании/);
    assert.equal(await page.getByRole('button', { name: 'Отправить на согласование' }).count(), 0, 'a submitted program is read-only');
    checkNoErrors(errors);
    await context.close();
  });

  it('the municipality returns the program with a comment; the school fixes it and submits again', async () => {
    assert.ok(programId, 'the previous test created the program');
    const mun = await openPage(browser);
    await signIn(mun.page, MUNICIPALITY);
    await mun.page.getByRole('link', { name: 'Программы развития', exact: true }).click();
    await mun.page.getByRole('heading', { name: 'Программы развития', level: 1 }).waitFor();
    await mun.page.locator('[data-testid="programs-tabs"] button[data-status="submitted"]').click();
    await mun.page.locator('[data-testid="programs-table"]:not([aria-busy])').waitFor();
    const row = mun.page.locator(`[data-testid="programs-table"] tr[data-program-id="${programId}"]`);
    await row.waitFor();
    await screenshot(mun.page, 'programs-queue');
    await row.getByRole('link').first().click();
    await mun.page.locator('[data-testid="program-measures"]').waitFor();
    await mun.page.locator('.program-review [data-testid="program-deficits"]').waitFor();
    await screenshot(mun.page, 'programs-review');

    await mun.page.getByRole('button', { name: 'Вернуть на доработку' }).click();
    const dialog = mun.page.locator('[data-testid="return-dialog"]');
    await dialog.getByRole('button', { name: 'Вернуть на доработку' }).click();
    await textMatching(dialog.locator('[data-testid="dialog-error"]'), /без него программу вернуть нельзя/);
    await dialog.getByLabel('Комментарий для школы').fill(returnComment);
    await dialog.getByRole('button', { name: 'Вернуть на доработку' }).click();
    await textMatching(mun.page.locator('[data-testid="message"]'), /возвращена школе/);
    await textMatching(mun.page.locator('[data-testid="program-history"]'), /Уточните ожидаемые результаты/);
    assert.equal(await mun.page.getByRole('button', { name: 'Утвердить' }).count(), 0, 'a returned program cannot be approved');
    checkNoErrors(mun.errors);
    await mun.context.close();

    const { page, errors, context } = await openPage(browser);
    await signIn(page, SCHOOL);
    await openProgram(page, programId);
    await textMatching(page.locator('[data-testid="return-comment"]'), /Уточните ожидаемые результаты/);
    // Fix the measure without an expected result.
    const rows = page.locator('[data-testid="measures-table"] tbody tr[data-measure-id]');
    assert.equal(await rows.count(), 2);
    const program = await apiGet(schoolToken, `/programs/${programId}`);
    const bare = program.measures.find((m) => !m.expected_result);
    assert.ok(bare, 'one measure has no expected result');
    await page.locator(`tr[data-measure-id="${bare.id}"]`).getByRole('button', { name: 'Изменить' }).click();
    const form = page.locator('[data-testid="measure-form"]');
    await form.getByLabel('Ожидаемый результат').fill('Площадка открыта, занятия ведутся по расписанию');
    await form.getByRole('button', { name: 'Сохранить мероприятие' }).click();
    await textMatching(page.locator('[data-testid="message"]'), /Мероприятие сохранено/);

    // Someone else changes the program meanwhile: the submit is refused as stale and the page reloads.
    const fresh = await apiGet(schoolToken, `/programs/${programId}`);
    const renamed = `${fresh.title} (уточнено)`;
    const patched = await apiCall(schoolToken, 'PATCH', `/programs/${programId}`, { title: renamed }, { 'If-Match': String(fresh.version) });
    assert.equal(patched.status, 200, 'the concurrent change is stored');
    await page.getByRole('button', { name: 'Отправить на согласование' }).click();
    await page.locator('[data-testid="submit-dialog"]').getByRole('button', { name: 'Отправить' }).click();
    await textMatching(page.locator('[data-testid="message"]'), /только что изменили/);
    await textMatching(page.locator('h1'), /\(уточнено\)/);
    await textMatching(page.locator('[data-testid="program-status"]').first(), /возвращена/);

    await page.getByRole('button', { name: 'Отправить на согласование' }).click();
    await page.locator('[data-testid="submit-dialog"]').getByRole('button', { name: 'Отправить' }).click();
    await textMatching(page.locator('[data-testid="message"]'), /отправлена на согласование/);
    await textMatching(page.locator('[data-testid="program-history"]'), /Отправлена на согласование[\s\S]*Возвращена[\s\S]*Отправлена на согласование/);
    checkNoErrors(errors);
    await context.close();
  });

  it('ЛОИРО comments on the program; the comment does not change its status', async () => {
    assert.ok(programId, 'the first test created the program');
    const { page, errors, context } = await openPage(browser);
    await signIn(page, 'loiro');
    await openProgram(page, programId);
    const text = `Рекомендуем практику «Школьный спортивный клуб» (ЛОИРО, ${stamp}).`;
    await page.getByLabel('Новый комментарий').fill(text);
    await page.getByRole('button', { name: 'Добавить комментарий' }).click();
    await textMatching(page.locator('[data-testid="program-comments"]'), new RegExp(stamp));
    await textMatching(page.locator('[data-testid="program-status"]').first(), /на согласовании/);
    assert.equal(await page.getByRole('button', { name: 'Утвердить' }).count(), 0, 'ЛОИРО does not approve');
    checkNoErrors(errors);
    await context.close();
  });

  it('the municipality approves; the school reports a measure done with a note', async () => {
    assert.ok(programId, 'the first test created the program');
    const mun = await openPage(browser);
    await signIn(mun.page, MUNICIPALITY);
    await openProgram(mun.page, programId);
    await textMatching(mun.page.locator('[data-testid="program-comments"]'), new RegExp(stamp));
    await mun.page.getByRole('button', { name: 'Утвердить' }).click();
    await mun.page.locator('[data-testid="approve-dialog"]').getByRole('button', { name: 'Утвердить' }).click();
    await textMatching(mun.page.locator('[data-testid="message"]'), /Программа утверждена/);
    await textMatching(mun.page.locator('[data-testid="program-status"]').first(), /утверждена/);
    checkNoErrors(mun.errors);
    await mun.context.close();

    const { page, errors, context } = await openPage(browser);
    await signIn(page, SCHOOL);
    await openProgram(page, programId);
    await textMatching(page.locator('[data-testid="program-state"]'), /утверждена/);
    const program = await apiGet(schoolToken, `/programs/${programId}`);
    const measure = program.measures[0];
    const row = page.locator(`tr[data-measure-id="${measure.id}"]`);
    await row.getByRole('button', { name: 'Отметить ход' }).click();
    const progress = page.locator('[data-testid="progress-form"]');
    await progress.getByLabel('выполнено', { exact: true }).check();
    await progress.getByRole('button', { name: 'Сохранить отметку' }).click();
    await textMatching(progress.locator('.field__error'), /Опишите, что сделано/);
    await progress.getByLabel('Что сделано').fill(`Мероприятие проведено, приказ № 12 от ${moscowDate(0).ru} (тест ${stamp}).`);
    await progress.getByRole('button', { name: 'Сохранить отметку' }).click();
    await textMatching(page.locator('[data-testid="message"]'), /сохранена: выполнено/);
    await textMatching(row.locator('[data-testid="measure-status"]'), /выполнено/);
    await textMatching(row.locator('[data-testid="progress-note"]'), /приказ № 12/);
    await page.getByRole('button', { name: 'Изменить программу' }).waitFor();
    await screenshot(page, 'programs-approved');

    // The deficits page shows the state of each deficit and the measures addressing it.
    await page.goto(`${BASE_URL}/#/deficits?campaign_id=${campaign.id}`);
    await page.locator('[data-testid="deficit-states"]').waitFor();
    await textMatching(page.locator('[data-testid="deficits-list"]'), /в работе/);
    await page.locator('[data-testid="deficit-measures"]').first().waitFor();
    await screenshot(page, 'programs-deficits');
    const after = await apiGet(schoolToken, `/programs/${programId}`);
    assert.equal(after.measures.find((m) => m.id === measure.id).status, 'done');
    checkNoErrors(errors);
    await context.close();
  });

  it('ЛОИРО adds a practice linked to an indicator and finds it in the library', async () => {
    const { page, errors, context } = await openPage(browser);
    await signIn(page, 'loiro');
    await page.getByRole('link', { name: 'Практики', exact: true }).click();
    await page.getByRole('heading', { name: 'Практики', level: 1 }).waitFor();
    await page.locator('[data-testid="practices-list"] li').first().waitFor();
    await screenshot(page, 'programs-practices');
    // The demo's practices are linked to one indicator in each of the three variants: one chip a code.
    const chipLists = await page.locator('[data-testid="practices-list"] .chips--codes').all();
    assert.ok(chipLists.length > 0, 'practices show their indicators');
    for (const chips of chipLists) {
      const codes = await chips.locator('.chip--code').allInnerTexts();
      assert.equal(new Set(codes).size, codes.length, `one chip per code: ${codes.join(' ')}`);
    }
    await page.getByRole('link', { name: 'Добавить практику' }).click();
    await page.getByRole('heading', { name: 'Новая практика', level: 1 }).waitFor();
    const form = page.locator('[data-testid="practice-form"]');
    const title = `Школьный спортивный клуб за один учебный год (тест ${stamp})`;
    await form.getByLabel('Название').fill(title);
    await form.getByRole('button', { name: 'Добавить практику' }).click();
    await textMatching(form.locator('[data-field="body"] .field__error'), /Напишите текст/);
    await form.getByLabel('Текст').fill('Порядок создания клуба: приказ, положение, расписание секций, регистрация в реестре ШСК.');
    await form.getByLabel('Ссылки').fill('https://example.org/shsk');
    const code = needing[0].indicator_code;
    await form.getByLabel('Отбор показателей').fill(code);
    await form.locator(`[data-testid="indicator-picker"] input[data-indicator-code="${code}"]`).first().check();
    await textMatching(form.locator('[data-testid="chosen-indicators"]'), new RegExp(code));
    await form.getByRole('button', { name: 'Добавить практику' }).click();
    await page.getByRole('heading', { name: title, level: 1 }).waitFor();
    await textMatching(page.locator('[data-testid="message"]'), /Практика добавлена/);
    await textMatching(page.locator('[data-testid="practice-indicators"]'), new RegExp(code));

    await page.getByRole('link', { name: '← К практикам' }).click();
    await page.getByLabel('Поиск', { exact: true }).fill(stamp);
    await page.getByRole('button', { name: 'Найти' }).click();
    await textMatching(page.locator('[data-testid="practices-summary"]'), /из 1$/);
    await page.getByRole('link', { name: title }).waitFor();
    // A school writing a measure for that indicator gets it as a recommendation.
    const found = await apiGet(schoolToken, `/practices?indicator_id=${needing[0].indicator_id}&q=${encodeURIComponent(stamp)}`);
    assert.equal(found.total, 1, 'the practice is recommended for the indicator');
    checkNoErrors(errors);
    await context.close();
  });

  it('a municipality records a partnership with a mentor school and deletes it', async () => {
    const munToken = (await apiLogin(MUNICIPALITY)).token;
    const { page, errors, context } = await openPage(browser);
    await signIn(page, MUNICIPALITY);
    await page.getByRole('link', { name: 'Программы развития', exact: true }).click();
    await page.getByRole('link', { name: 'Наставничество' }).click();
    await page.getByRole('heading', { name: 'Наставничество', level: 1 }).waitFor();
    const form = page.locator('[data-testid="partnership-form"]');
    await form.getByLabel('Школа', { exact: true }).selectOption(String(schoolId));
    const box = form.locator(`[data-testid="partnership-indicators"] input[data-indicator-code="${needing[0].indicator_code}"]`);
    await box.check();
    const mentor = form.getByLabel('Школа-наставник');
    // The mentors of the checked indicator come first; take the first school offered.
    const value = await eventually(async () => {
      const v = await mentor.locator('option:not([value=""])').first().getAttribute('value');
      assert.ok(v);
      return v;
    });
    const before = await apiGet(munToken, `/partnerships?school_id=${schoolId}&limit=200`);
    const taken = before.items.find((p) => String(p.mentor?.id) === value);
    if (taken) assert.equal((await apiCall(munToken, 'DELETE', `/partnerships/${taken.id}`)).status, 204, 'a leftover pair is removed first');
    await mentor.selectOption(value);
    await form.getByRole('button', { name: 'Записать наставничество' }).click();
    await textMatching(page.locator('[data-testid="message"]'), /Наставничество записано/);
    const row = page.locator(`[data-testid="partnerships-table"] tr[data-school-id="${schoolId}"][data-mentor-id="${value}"]`);
    await textMatching(row, new RegExp(needing[0].indicator_code));
    await screenshot(page, 'programs-partnerships');

    // The school sees it.
    const seen = await apiGet(schoolToken, '/partnerships?limit=200');
    assert.ok(seen.items.some((p) => String(p.mentor?.id) === value), 'the school sees its partnership');

    await row.getByRole('button', { name: 'Удалить' }).click();
    await page.locator('[data-testid="delete-dialog"]').getByRole('button', { name: 'Удалить' }).click();
    await textMatching(page.locator('[data-testid="message"]'), /Наставничество удалено/);
    assert.equal(await row.count(), 0, 'the deleted partnership is gone from the list');
    checkNoErrors(errors);
    await context.close();
  });
});
