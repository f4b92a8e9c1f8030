// Files attached to objects (issue 14): upload as the raw body with ?name=, the object's
// JSON lists its files, download through nginx (X-Accel-Redirect) with the stored type and
// the original name, removal while the object is editable. Types are decided by content;
// limits, the quota and the virus scan refuse a file and store nothing. Who may do what on
// each kind is in matrix.test.mjs; here the rules within the allowed roles.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  API, ROOT, VAR, assertFieldError, assertProblem, auditRowsSince, demoActors, get, lastAuditId, psql, psqlValue, request, upload,
} from './lib.mjs';
import { createInstrument, openSubmission, indicatorsByCode, createCampaign, moscowDate, act, answerAll } from './diag.mjs';
import { addItem, createDocument, recordsOf, accept, report } from './execution.mjs';
import { diagnose, municipalityTokenOf, programIn } from './programs.mjs';

const FILES = join(ROOT, 'tests', 'fixtures', 'files');
const fixture = (name) => readFileSync(join(FILES, name));
const PDF = 'application/pdf';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const STORE = join(VAR, 'files');

const storedPath = (sha) => join(STORE, sha.slice(0, 2), sha);
const storeCount = () => (existsSync(STORE) ? readdirSync(STORE).filter((d) => d !== 'tmp')
  .reduce((n, d) => n + readdirSync(join(STORE, d)).length, 0) : 0);
function fieldError(res, field, code) {
  assertFieldError(res, field);
  assert.ok(res.body.errors.some((e) => e.field === field && e.code === code), `${field} ${code}: ${res.text}`);
}
const attachmentRows = () => Number(psqlValue('select count(*) from app.attachments'));

const fx = {};
before(async () => {
  const a = await demoActors();
  fx.a = a;
  const c = a.committee.token;
  const school = { id: a.school.user.school_id, token: a.school.token };
  const mun = a.municipality.token;
  const instrument = await createInstrument(c);
  fx.instrument = instrument;
  fx.indicator = indicatorsByCode(instrument).K01.id;
  // programs: a draft and an approved one of the demo school
  const campaignDraft = (await diagnose(c, instrument, [{ school, munToken: mun }])).campaign.id;
  fx.draft = await programIn('draft', school, mun, campaignDraft);
  const campaignApproved = (await diagnose(c, instrument, [{ school, munToken: mun }])).campaign.id;
  fx.approved = await programIn('approved', school, mun, campaignApproved);
  // a questionnaire in the works, and one submitted
  const open = await createCampaign(c, [instrument.id], { school_ids: [school.id] }, { opens_on: moscowDate(0), closes_on: moscowDate(20) });
  fx.submission = (await openSubmission(school.token, open.id)).id;
  const sent = await createCampaign(c, [instrument.id], { school_ids: [school.id] }, { opens_on: moscowDate(0), closes_on: moscowDate(20) });
  fx.submitted = (await openSubmission(school.token, sent.id)).id;
  await answerAll(school.token, fx.submitted, instrument);
  await act(school.token, fx.submitted, 'submit');
  // a committee document with a record of the school, and one of them accepted
  fx.document = await createDocument(c);
  const item = recordsOf(await addItem(c, fx.document.id, [{ kind: 'school', id: school.id }]));
  fx.record = item[`school:${school.id}`];
  const done = recordsOf(await addItem(c, fx.document.id, [{ kind: 'school', id: school.id }]))[`school:${school.id}`];
  assert.equal((await report(school.token, done)).status, 200);
  assert.equal((await accept(c, done)).status, 200);
  fx.recordAccepted = done;
  const practice = await request('POST', '/practices', {
    token: a.loiro.token, json: { title: 'Практика с файлами', body: 'Описание', links: [], indicator_ids: [fx.indicator] },
  });
  assert.equal(practice.status, 201, practice.text);
  fx.practice = practice.body.id;
});

describe('each kind of object takes, lists, serves and lets go of its files', () => {
  const kinds = [
    { kind: 'assignment', who: 'school', path: () => `/assignments/${fx.record}`, list: (b) => b.attachments, get: () => `/assignments/${fx.record}` },
    { kind: 'program', who: 'school', path: () => `/programs/${fx.draft.program.id}`, list: (b) => b.attachments, get: () => `/programs/${fx.draft.program.id}` },
    {
      kind: 'measure', who: 'school', path: () => `/programs/${fx.approved.program.id}/measures/${fx.approved.measures[0].id}`,
      list: (b) => b.measures.find((m) => m.id === fx.approved.measures[0].id).attachments, get: () => `/programs/${fx.approved.program.id}`,
      removable: true,
    },
    {
      kind: 'answer', who: 'school', path: () => `/submissions/${fx.submission}/answers/${fx.indicator}`,
      list: (b) => b.attachments.filter((f) => f.indicator_id === fx.indicator), get: () => `/submissions/${fx.submission}`,
    },
    { kind: 'document', who: 'committee', path: () => `/documents/${fx.document.id}`, list: (b) => b.attachments, get: () => `/documents/${fx.document.id}` },
    { kind: 'practice', who: 'loiro', path: () => `/practices/${fx.practice}`, list: (b) => b.attachments, get: () => `/practices/${fx.practice}` },
  ];
  for (const k of kinds) {
    test(`${k.kind}: upload 201, listed on the object, downloaded as stored, removed 204`, async () => {
      const token = fx.a[k.who].token;
      const bytes = fixture('program-chromium.pdf');
      const name = `Файл ${k.kind}.pdf`;
      const up = await upload(token, k.path(), bytes, name, 'text/plain');
      assert.equal(up.status, 201, up.text);
      assert.equal(up.body.name, name);
      assert.equal(up.body.size, bytes.length);
      assert.equal(up.body.content_type, PDF, 'the type is the content\'s, not the request\'s');
      assert.match(up.body.sha256, /^[0-9a-f]{64}$/);
      assert.equal(up.body.created_by.id, fx.a[k.who].user.id);
      assert.ok(up.body.created_by.full_name && up.body.created_by.organisation_name);
      const listed = k.list((await get(k.get(), token)).body);
      assert.ok(listed.some((f) => f.id === up.body.id), 'listed on its object');
      const down = await get(`/attachments/${up.body.id}`, token);
      assert.equal(down.status, 200);
      assert.equal(down.headers.get('content-type'), PDF);
      const raw = await fetch(`${API}/attachments/${up.body.id}`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      assert.deepEqual(Buffer.from(await raw.arrayBuffer()), bytes, 'the same bytes');
      const del = await request('DELETE', `/attachments/${up.body.id}`, { token });
      assert.equal(del.status, 204, del.text);
      assert.ok(!k.list((await get(k.get(), token)).body).some((f) => f.id === up.body.id), 'gone from the object');
      assertProblem(await get(`/attachments/${up.body.id}`, token), 404);
      assert.ok(existsSync(storedPath(up.body.sha256)), 'the bytes stay (other objects may hold them)');
    });
  }
});

describe('types are decided by the content', () => {
  const accepted = [
    ['program-chromium.pdf', PDF], ['order-libreoffice.docx', DOCX], ['order-custom-xml-first.docx', DOCX],
    ['order-libreoffice.odt', 'application/vnd.oasis.opendocument.text'], ['table-libreoffice.xlsx', XLSX],
    ['table-openpyxl.xlsx', XLSX], ['table-custom-xml-first.xlsx', XLSX], ['summary-libxlsxwriter.xlsx', XLSX],
    ['table-libreoffice.ods', 'application/vnd.oasis.opendocument.spreadsheet'], ['photo-chromium.jpg', 'image/jpeg'],
    ['scan-chromium.png', 'image/png'],
  ];
  for (const [file, type] of accepted) {
    test(`${file} is stored as ${type}`, async () => {
      const res = await upload(fx.a.committee.token, `/documents/${fx.document.id}`, fixture(file), file);
      assert.equal(res.status, 201, res.text);
      assert.equal(res.body.content_type, type);
    });
  }
  const refused = [
    ['an executable named .pdf', () => readFileSync('/bin/true'), 'Приказ.pdf'],
    ['an HTML page named .pdf', () => Buffer.from('<!doctype html><html><script>alert(1)</script></html>'), 'Приказ.pdf'],
    ['plain text', () => Buffer.from('Просто текст'), 'Приказ.docx'],
    ['a ZIP that is no office document', () => fixture('archive.zip'), 'Таблица.xlsx'],
  ];
  for (const [what, bytes, name] of refused) {
    test(`${what} → 415 file.type_not_allowed, nothing stored`, async () => {
      const rows = attachmentRows();
      const files = storeCount();
      assertProblem(await upload(fx.a.committee.token, `/documents/${fx.document.id}`, bytes(), name), 415, 'file.type_not_allowed');
      assert.equal(attachmentRows(), rows);
      assert.equal(storeCount(), files);
    });
  }
});

describe('bad uploads get a clear error and change nothing', () => {
  test('no name → 422 name required; an empty body → 422 file required', async () => {
    const path = `/documents/${fx.document.id}`;
    fieldError(await upload(fx.a.committee.token, path, fixture('program-chromium.pdf'), null), 'name', 'required');
    fieldError(await upload(fx.a.committee.token, path, Buffer.alloc(0), 'Пустой.pdf'), 'file', 'required');
    fieldError(await upload(fx.a.committee.token, path, fixture('program-chromium.pdf'), '   '), 'name', 'required');
  });
  test('20 MiB + 1 byte → 413 request.too_large (problem+json), nothing stored', async () => {
    const rows = attachmentRows();
    const big = Buffer.alloc(20 * 1024 * 1024 + 1, 0x20);
    big.write('%PDF-1.4\n');
    const res = await upload(fx.a.committee.token, `/documents/${fx.document.id}`, big, 'Большой.pdf');
    assertProblem(res, 413, 'request.too_large');
    assert.equal(attachmentRows(), rows);
  });
  test('an infected file → 422 file.infected, nothing stored (the scanner of ORIENTIR_SCAN_COMMAND)', async () => {
    const pid = readFileSync(join(VAR, 'run', 'api-1.pid'), 'utf8').trim();
    const env = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    assert.ok(env.some((v) => /^ORIENTIR_SCAN_COMMAND=.+scan-stub\.sh$/.test(v)), 'the stack runs with tests/api/scan-stub.sh as its scanner');
    const rows = attachmentRows();
    const files = storeCount();
    const infected = Buffer.concat([fixture('program-chromium.pdf'),
      Buffer.from('\n% X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*\n')]);
    assertProblem(await upload(fx.a.committee.token, `/documents/${fx.document.id}`, infected, 'Заражённый.pdf'), 422, 'file.infected');
    assert.equal(attachmentRows(), rows);
    assert.equal(storeCount(), files);
  });
  test('the organisation\'s quota → 422 file.quota_exceeded', async () => {
    const org = `loiro:${fx.a.loiro.user.region_id}`;
    // a file of almost 1 GiB the institute already holds (the metadata is what the quota counts)
    psql(`insert into app.attachments (region_id, object_kind, practice_id, organisation, name, size, content_type, sha256, created_by)
          values (:'region', 'practice', :'practice', :'org', 'Архив.pdf', 1073741000, 'application/pdf', repeat('0', 64), :'user')`,
    { region: fx.a.loiro.user.region_id, practice: fx.practice, org, user: fx.a.loiro.user.id });
    try {
      const res = await upload(fx.a.loiro.token, `/practices/${fx.practice}`, fixture('program-chromium.pdf'), 'Ещё.pdf');
      assertProblem(res, 422, 'file.quota_exceeded');
    } finally {
      psql("delete from app.attachments where name = 'Архив.pdf' and sha256 = repeat('0', 64)");
    }
    assert.equal((await upload(fx.a.loiro.token, `/practices/${fx.practice}`, fixture('program-chromium.pdf'), 'Ещё.pdf')).status, 201);
  });
});

describe('names, identical files, memory', () => {
  test('a Cyrillic name with spaces and quotes survives the round trip (RFC 6266 filename*)', async () => {
    const name = 'Приказ № 12 «О программе» "подписан" от 01.09.2026.docx';
    const up = await upload(fx.a.committee.token, `/documents/${fx.document.id}`, fixture('order-libreoffice.docx'), name);
    assert.equal(up.status, 201, up.text);
    assert.equal(up.body.name, name);
    const down = await get(`/attachments/${up.body.id}`, fx.a.committee.token);
    const cd = down.headers.get('content-disposition');
    assert.match(cd, /^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''/, 'an office file downloads');
    assert.equal(decodeURIComponent(cd.split("filename*=UTF-8''")[1]), name);
    const pdf = await upload(fx.a.committee.token, `/documents/${fx.document.id}`, fixture('program-chromium.pdf'), 'Скан.pdf');
    assert.match((await get(`/attachments/${pdf.body.id}`, fx.a.committee.token)).headers.get('content-disposition'), /^inline;/,
      'a PDF opens in the browser');
  });
  test('the same file uploaded twice is stored once', async () => {
    const bytes = Buffer.concat([fixture('program-chromium.pdf'), Buffer.from(`\n% ${Date.now()}-${process.pid}\n`)]);
    const before = storeCount();
    const one = await upload(fx.a.committee.token, `/documents/${fx.document.id}`, bytes, 'Один.pdf');
    const two = await upload(fx.a.loiro.token, `/practices/${fx.practice}`, bytes, 'Два.pdf');
    assert.equal(one.status, 201);
    assert.equal(two.status, 201);
    assert.notEqual(one.body.id, two.body.id);
    assert.equal(one.body.sha256, two.body.sha256);
    assert.equal(storeCount(), before + 1);
    assert.deepEqual(readFileSync(storedPath(one.body.sha256)), bytes);
  });
  test('the API\'s peak memory grows by less than 8 MiB while a 20 MiB file goes up and down', async () => {
    const pids = readdirSync(join(VAR, 'run')).filter((f) => /^api-\d+\.pid$/.test(f))
      .map((f) => readFileSync(join(VAR, 'run', f), 'utf8').trim());
    const hwm = () => pids.map((p) => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))[1]));
    const before = hwm();
    const big = Buffer.alloc(20 * 1024 * 1024 - 4096, 0x20);
    big.write('%PDF-1.4\n');
    big.write(`% ${Date.now()}`, 16);
    const up = await upload(fx.a.committee.token, `/documents/${fx.document.id}`, big, 'Большой скан.pdf');
    assert.equal(up.status, 201, up.text);
    const raw = await fetch(`${API}/attachments/${up.body.id}`, {
      headers: { Authorization: `Bearer ${fx.a.committee.token}` },
    });
    assert.equal((await raw.arrayBuffer()).byteLength, big.length);
    const after = hwm();
    const growth = Math.max(...after.map((v, i) => v - before[i]));
    assert.ok(growth < 8 * 1024, `VmHWM grew by ${growth} kB`);
  });
});

describe('who may attach and remove, beyond the route table', () => {
  test('the committee sees a school\'s record but is not its executor → 403; an outsider → 404', async () => {
    assertProblem(await upload(fx.a.committee.token, `/assignments/${fx.record}`, fixture('program-chromium.pdf')), 403, 'auth.forbidden');
    const other = (await get('/schools?limit=200', fx.a.committee.token)).body.items.find((s) => s.municipality_id !== fx.a.municipality.user.municipality_id);
    const munB = await municipalityTokenOf(fx.a.committee.token, other.municipality_id);
    assertProblem(await upload(munB, `/assignments/${fx.record}`, fixture('program-chromium.pdf')), 404);
  });
  test('an accepted report takes no more files → 409', async () => {
    assertProblem(await upload(fx.a.school.token, `/assignments/${fx.recordAccepted}`, fixture('program-chromium.pdf')), 409, 'conflict.state');
  });
  test('an approved program takes its signed PDF but lets no file go; its history keeps both', async () => {
    const id = fx.approved.program.id;
    const up = await upload(fx.a.school.token, `/programs/${id}`, fixture('program-chromium.pdf'), 'Программа (подписана).pdf');
    assert.equal(up.status, 201, up.text);
    assertProblem(await request('DELETE', `/attachments/${up.body.id}`, { token: fx.a.school.token }), 409, 'conflict.state');
    const draftId = fx.draft.program.id;
    const d = await upload(fx.a.school.token, `/programs/${draftId}`, fixture('program-chromium.pdf'), 'Черновик.pdf');
    const since = lastAuditId();
    assert.equal((await request('DELETE', `/attachments/${d.body.id}`, { token: fx.a.school.token })).status, 204);
    const history = (await get(`/programs/${draftId}`, fx.a.school.token)).body.history;
    assert.ok(history.some((h) => h.action === 'attach' && h.comment === 'Черновик.pdf'));
    assert.ok(history.some((h) => h.action === 'detach' && h.comment === 'Черновик.pdf'), 'the removal stays in the history');
    assert.ok(auditRowsSince(since).some((r) => r.action === 'detach' && r.entity === 'attachments'), 'and in the audit');
  });
  test('a submitted questionnaire takes no files → 409; a measure of a draft program neither', async () => {
    assertProblem(await upload(fx.a.school.token, `/submissions/${fx.submitted}/answers/${fx.indicator}`, fixture('program-chromium.pdf')), 409, 'conflict.state');
    assertProblem(await upload(fx.a.school.token, `/programs/${fx.draft.program.id}/measures/${fx.draft.measures[0].id}`, fixture('program-chromium.pdf')), 409, 'conflict.state');
    assertProblem(await upload(fx.a.school.token, `/submissions/${fx.submission}/answers/999999999`, fixture('program-chromium.pdf')), 404);
  });
  test('the municipality reads its school\'s file (audited: from outside the school); ЛОИРО may not remove it', async () => {
    const up = await upload(fx.a.school.token, `/programs/${fx.approved.program.id}`, fixture('scan-chromium.png'), 'Скан.png');
    assert.equal(up.status, 201, up.text);
    const since = lastAuditId();
    const down = await get(`/attachments/${up.body.id}`, fx.a.municipality.token);
    assert.equal(down.status, 200);
    assert.equal(down.headers.get('content-type'), 'image/png');
    assert.ok(auditRowsSince(since).some((r) => r.action === 'read' && r.entity === 'attachments' && Number(r.entity_id) === up.body.id));
    assertProblem(await request('DELETE', `/attachments/${up.body.id}`, { token: fx.a.loiro.token }), 403, 'auth.forbidden');
  });
});
