// Projects and control of execution (issue 5) through nginx: each rule of the issue (who
// reports, who reviews, who sees what, overdue computed, every change audited), the CSV import
// of a project's schools with good, bad and mixed files, and the whole review flow.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  assertFieldError, assertProblem, auditRowsSince, demoActors, get, lastAuditId, psql, psqlValue, request, tokenOf,
} from './lib.mjs';
import {
  accept, addItem, addSchool, createDocument, createProject, foreignExecution, giveBack, importCsv, moscowDay,
  nextItemNumber, recordsOf, report,
} from './execution.mjs';

const HEADER = 'school_code;group;unfavorable_conditions';
let a; // demo actors
let region, munA, schoolA, schoolACode; // the demo municipality and its school
let munB, munBToken, schoolB, schoolBCode, schoolBToken; // another municipality and its school

before(async () => {
  a = await demoActors();
  region = a.committee.user.region_id;
  munA = a.municipality.user.municipality_id;
  schoolA = a.school.user.school_id;
  schoolACode = a.school.schoolRow.code;
  const [row] = psql(`select s.id, s.code, s.municipality_id, u.login
                        from app.schools s join app.municipalities m on m.id = s.municipality_id
                        join app.users u on u.municipality_id = m.id and u.role = 'municipality'
                       where m.region_id = ${region} and m.id <> ${munA} order by s.id limit 1`);
  [schoolB, schoolBCode, munB] = [Number(row[0]), row[1], Number(row[2])];
  munBToken = await tokenOf(row[3]);
  schoolBToken = await tokenOf(`school-${schoolBCode}`);
});

const participations = (projectId) => Number(psqlValue(`select count(*) from app.project_schools where project_id = ${projectId}`));
const schoolOfMunicipality = (municipalityId) => psql(`select id from app.schools where municipality_id = ${municipalityId}`).map((r) => Number(r[0]));

// ---------------------------------------------------------------------------------------
describe('only the executor reports on its own record', () => {
  let recs;
  before(async () => {
    const doc = await createDocument(a.committee.token);
    recs = recordsOf(await addItem(a.committee.token, doc.id, [
      { kind: 'committee' }, { kind: 'loiro' }, { kind: 'municipality', id: munA }, { kind: 'school', id: schoolA },
    ]));
  });

  test('each executor reports on its own record → 200 with the record', async () => {
    for (const [role, key] of [['committee', `committee:${region}`], ['loiro', `loiro:${region}`],
      ['municipality', `municipality:${munA}`], ['school', `school:${schoolA}`]]) {
      const res = await report(a[role].token, recs[key], { status: 'in_progress', text: 'Работаем', links: ['https://example.org/x'] });
      assert.equal(res.status, 200, `${role}: ${res.text}`);
      assert.equal(res.body.id, recs[key]);
      assert.equal(res.body.status, 'in_progress');
      assert.equal(res.body.report.status, 'in_progress');
      assert.deepEqual(res.body.report.links, ['https://example.org/x']);
      assert.equal(res.body.report.by.id, a[role].user.id);
      assert.equal(res.body.review, null);
    }
  });

  test("a municipality cannot report on its school's record (visible, not its own) → 403", async () => {
    assertProblem(await report(a.municipality.token, recs[`school:${schoolA}`]), 403, 'auth.forbidden');
  });

  test("the committee cannot report on a municipality's record → 403; ЛОИРО not on the committee's", async () => {
    assertProblem(await report(a.committee.token, recs[`municipality:${munA}`]), 403, 'auth.forbidden');
    assertProblem(await report(a.loiro.token, recs[`committee:${region}`]), 403, 'auth.forbidden');
  });

  test("a school cannot report on the municipality's record (not visible) → 404", async () => {
    assertProblem(await report(a.school.token, recs[`municipality:${munA}`]), 404);
  });

  test('a report is checked: done needs a text, links are http(s), status is one of three', async () => {
    const id = recs[`school:${schoolA}`];
    assertFieldError(await report(a.school.token, id, { status: 'done', text: '' }), 'text');
    assertFieldError(await report(a.school.token, id, { status: 'in_progress', links: ['javascript:alert(1)'] }), 'links[0]');
    assertFieldError(await report(a.school.token, id, { status: 'accepted' }), 'status');
    assertFieldError(await report(a.school.token, id, { status: 'done', text: 'x', extra: 1 }), 'extra');
  });

  test('a stale If-Match version → 409 conflict.stale_version, the current one → 200', async () => {
    const id = recs[`school:${schoolA}`];
    const current = (await get(`/assignments/${id}`, a.school.token)).body.version;
    const body = { status: 'in_progress', text: 'Снова' };
    assertProblem(await report(a.school.token, id, body, { headers: { 'If-Match': String(current + 5) } }), 409, 'conflict.stale_version');
    const ok = await report(a.school.token, id, body, { headers: { 'If-Match': `"${current}"` } });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.body.version, current + 1);
  });
});

// ---------------------------------------------------------------------------------------
describe('only the issuing organisation accepts or returns', () => {
  let doc, recA, recB;
  before(async () => {
    doc = await createDocument(a.committee.token);
    const recs = recordsOf(await addItem(a.committee.token, doc.id, [{ kind: 'municipality', id: munA }, { kind: 'municipality', id: munB }]));
    recA = recs[`municipality:${munA}`];
    recB = recs[`municipality:${munB}`];
  });

  test('accept or return before a done report → 409 conflict.state', async () => {
    assertProblem(await accept(a.committee.token, recA), 409, 'conflict.state');
    assertProblem(await giveBack(a.committee.token, recA), 409, 'conflict.state');
  });

  test('ЛОИРО, a municipality and a school may not review (route table) → 403', async () => {
    assert.equal((await report(a.municipality.token, recA)).status, 200);
    for (const role of ['loiro', 'municipality', 'school']) {
      assertProblem(await accept(a[role].token, recA), 403, 'auth.forbidden');
      assertProblem(await giveBack(a[role].token, recA), 403, 'auth.forbidden');
    }
  });

  test("another region's committee does not see the record → 404", async () => {
    const x = await foreignExecution();
    assertProblem(await accept(x.token, recA), 404);
  });

  test('a return needs a comment', async () => {
    assertFieldError(await request('POST', `/assignments/${recA}/return`, { token: a.committee.token, json: {} }), 'comment');
    assertFieldError(await giveBack(a.committee.token, recA, '   '), 'comment');
  });

  test('the committee accepts; then nothing changes the record any more → 409', async () => {
    const res = await accept(a.committee.token, recA);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.status, 'accepted');
    assert.equal(res.body.review.decision, 'accepted');
    assert.equal(res.body.review.by.id, a.committee.user.id);
    assertProblem(await accept(a.committee.token, recA), 409, 'conflict.state');
    assertProblem(await report(a.municipality.token, recA), 409, 'conflict.state');
    // the other municipality's record of the same item is untouched
    assert.equal((await get(`/assignments/${recB}`, a.committee.token)).body.status, 'not_started');
  });

  test("the committee reviews a municipality's road map; the municipality does not review its own", async () => {
    const roadmap = await createDocument(a.municipality.token, { kind: 'roadmap', title: 'Дорожная карта теста' });
    assert.equal(roadmap.issuer.kind, 'municipality');
    const rec = recordsOf(await addItem(a.municipality.token, roadmap.id, [{ kind: 'school', id: schoolA }]))[`school:${schoolA}`];
    assert.equal((await report(a.school.token, rec)).status, 200);
    assertProblem(await accept(a.municipality.token, rec), 403, 'auth.forbidden');
    const res = await giveBack(a.committee.token, rec, 'Уточните сроки');
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.status, 'returned');
    assert.equal(res.body.review.comment, 'Уточните сроки');
  });
});

// ---------------------------------------------------------------------------------------
describe('documents: who registers and edits what', () => {
  test('a municipality keeps only road maps, with itself and its schools as executors', async () => {
    assertFieldError(await request('POST', '/documents', {
      token: a.municipality.token, json: { kind: 'order', number: '5', date: moscowDay(), title: 'Не дорожная карта' },
    }), 'kind');
    const roadmap = await createDocument(a.municipality.token, { kind: 'roadmap', title: 'Карта' });
    const bad = await request('POST', `/documents/${roadmap.id}/items`, {
      token: a.municipality.token,
      json: { number: '1', content: 'К', deadline: moscowDay(5), executors: [{ kind: 'school', id: schoolB }] },
    });
    assertFieldError(bad, 'executors[0].id');
    const notAllowed = await request('POST', `/documents/${roadmap.id}/items`, {
      token: a.municipality.token, json: { number: '1', content: 'К', deadline: moscowDay(5), executors: [{ kind: 'loiro' }] },
    });
    assertFieldError(notAllowed, 'executors[0].kind');
  });

  test("a municipality cannot edit the committee's document it sees, nor add items → 403", async () => {
    const doc = await createDocument(a.committee.token);
    await addItem(a.committee.token, doc.id, [{ kind: 'municipality', id: munA }]);
    assertProblem(await request('PATCH', `/documents/${doc.id}`, { token: a.municipality.token, json: { title: 'Моё' } }), 403, 'auth.forbidden');
    assertProblem(await request('POST', `/documents/${doc.id}/items`, { token: a.municipality.token, json: { number: '9', content: 'К' } }), 403, 'auth.forbidden');
  });

  test('items pasted in bulk are stored all or nothing, and come back as a tree', async () => {
    const doc = await createDocument(a.committee.token, { kind: 'plan' });
    const items = [
      { number: '1', content: 'Раздел' },
      { number: '1.1', content: 'Подпункт', deadline: moscowDay(20), deadline_text: 'в течение месяца', executors: [{ kind: 'loiro' }] },
      { number: '1.1', content: 'Повтор', deadline: moscowDay(20) },
    ];
    const bad = await request('POST', `/documents/${doc.id}/items`, { token: a.committee.token, json: { items } });
    assertFieldError(bad, 'items[2].number');
    assert.equal(Number(psqlValue(`select count(*) from app.document_items where document_id = ${doc.id}`)), 0);
    const res = await request('POST', `/documents/${doc.id}/items`, { token: a.committee.token, json: { items: items.slice(0, 2) } });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.id, doc.id);
    assert.equal(res.body.items.length, 1);
    assert.equal(res.body.items[0].number, '1');
    assert.equal(res.body.items[0].children[0].number, '1.1');
    assert.equal(res.body.items[0].children[0].deadline_text, 'в течение месяца');
    const tree = await get(`/documents/${doc.id}`, a.committee.token);
    assert.equal(tree.body.item_count, 2);
  });

  test('a PATCH with a stale If-Match → 409; with the current version → 200', async () => {
    const doc = await createDocument(a.committee.token);
    assertProblem(await request('PATCH', `/documents/${doc.id}`, {
      token: a.committee.token, json: { title: 'Новое' }, headers: { 'If-Match': String(doc.version + 1) },
    }), 409, 'conflict.stale_version');
    const ok = await request('PATCH', `/documents/${doc.id}`, {
      token: a.committee.token, json: { title: 'Новое' }, headers: { 'If-Match': String(doc.version) },
    });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.body.title, 'Новое');
  });
});

// ---------------------------------------------------------------------------------------
describe('who sees which records', () => {
  let doc, recs;
  before(async () => {
    doc = await createDocument(a.committee.token);
    recs = recordsOf(await addItem(a.committee.token, doc.id, [
      { kind: 'loiro' }, { kind: 'municipality', id: munA }, { kind: 'municipality', id: munB },
      { kind: 'school', id: schoolA }, { kind: 'school', id: schoolB },
    ]));
  });

  test('a school sees only the records assigned to it', async () => {
    const list = await get(`/assignments?document_id=${doc.id}`, a.school.token);
    assert.equal(list.status, 200, list.text);
    assert.deepEqual(list.body.items.map((r) => r.executor), [list.body.items[0].executor]);
    assert.equal(list.body.items[0].executor.kind, 'school');
    assert.equal(list.body.items[0].executor.id, schoolA);
    const all = await get('/assignments?limit=200', a.school.token);
    assert.ok(all.body.items.every((r) => r.executor.kind === 'school' && r.executor.id === schoolA));
    assertProblem(await get(`/assignments/${recs[`school:${schoolB}`]}`, a.school.token), 404);
    assertProblem(await get(`/assignments/${recs[`municipality:${munA}`]}`, a.school.token), 404);
    const tree = await get(`/documents/${doc.id}`, a.school.token);
    assert.equal(tree.status, 200, tree.text);
    assert.deepEqual(tree.body.items[0].assignments.map((r) => r.id), [recs[`school:${schoolA}`]]);
  });

  test("a municipality sees its own records and its schools', nobody else's", async () => {
    const list = await get(`/assignments?document_id=${doc.id}`, a.municipality.token);
    assert.equal(list.status, 200, list.text);
    assert.deepEqual(list.body.items.map((r) => r.id).sort((x, y) => x - y),
      [recs[`municipality:${munA}`], recs[`school:${schoolA}`]].sort((x, y) => x - y));
    const mine = await get(`/assignments?document_id=${doc.id}&mine=1`, a.municipality.token);
    assert.deepEqual(mine.body.items.map((r) => r.id), [recs[`municipality:${munA}`]]);
    const own = new Set(schoolOfMunicipality(munA));
    const all = await get('/assignments?limit=200', a.municipality.token);
    assert.ok(all.body.total > 0);
    for (const r of all.body.items) {
      assert.ok((r.executor.kind === 'municipality' && r.executor.id === munA) || (r.executor.kind === 'school' && own.has(r.executor.id)),
        JSON.stringify(r.executor));
    }
    assertProblem(await get(`/assignments/${recs[`municipality:${munB}`]}`, a.municipality.token), 404);
    assertProblem(await get(`/assignments/${recs[`school:${schoolB}`]}`, a.municipality.token), 404);
  });

  test('the committee and ЛОИРО see the region, filter by executor and municipality', async () => {
    for (const role of ['committee', 'loiro']) {
      const list = await get(`/assignments?document_id=${doc.id}`, a[role].token);
      assert.equal(list.body.total, 5, `${role}: ${list.text}`);
      const one = await get(`/assignments?document_id=${doc.id}&executor=municipality:${munB}`, a[role].token);
      assert.deepEqual(one.body.items.map((r) => r.id), [recs[`municipality:${munB}`]]);
      const ofMun = await get(`/assignments?document_id=${doc.id}&municipality_id=${munA}`, a[role].token);
      assert.equal(ofMun.body.total, 2);
    }
    assertFieldError(await get('/assignments?executor=everyone', a.committee.token), 'executor');
  });

  test('the summary counts by document and by executor; a school may not ask for it', async () => {
    const byDoc = await get(`/assignments/summary?by=document`, a.committee.token);
    assert.equal(byDoc.status, 200, byDoc.text);
    const row = byDoc.body.items.find((i) => i.document.id === doc.id);
    assert.equal(row.total, 5);
    const byExec = await get(`/assignments/summary?by=executor&municipality_id=${munA}`, a.municipality.token);
    assert.equal(byExec.status, 200, byExec.text);
    assertProblem(await get('/assignments/summary?by=document', a.school.token), 403, 'auth.forbidden');
    assertFieldError(await get('/assignments/summary?by=school', a.committee.token), 'by');
  });
});

// ---------------------------------------------------------------------------------------
describe('overdue is computed, never stored', () => {
  let late, soon, later;
  before(async () => {
    const doc = await createDocument(a.committee.token);
    const mk = async (deadline) =>
      recordsOf(await addItem(a.committee.token, doc.id, [{ kind: 'municipality', id: munA }], { deadline }))[`municipality:${munA}`];
    late = await mk(moscowDay(-1));
    soon = await mk(moscowDay(3));
    later = await mk(moscowDay(30));
  });

  test('no overdue column exists: the table cannot hold it', () => {
    assert.equal(Number(psqlValue(`select count(*) from information_schema.columns
      where table_schema = 'app' and table_name = 'assignments' and column_name in ('overdue', 'due_soon')`)), 0);
  });

  test('past the deadline (Europe/Moscow) and not done → overdue; within 7 days → due_soon', async () => {
    const [l, s, f] = await Promise.all([late, soon, later].map((id) => get(`/assignments/${id}`, a.municipality.token)));
    assert.deepEqual([l.body.overdue, l.body.due_soon], [true, false]);
    assert.deepEqual([s.body.overdue, s.body.due_soon], [false, true]);
    assert.deepEqual([f.body.overdue, f.body.due_soon], [false, false]);
    const list = await get('/assignments?overdue=1&limit=200', a.municipality.token);
    assert.ok(list.body.items.some((r) => r.id === late));
    assert.ok(list.body.items.every((r) => r.overdue === true));
    const mine = await get('/assignments?mine=1&limit=200', a.municipality.token);
    const firstNotOverdue = mine.body.items.findIndex((r) => !r.overdue);
    assert.ok(firstNotOverdue === -1 || mine.body.items.slice(firstNotOverdue).every((r) => !r.overdue), 'overdue first');
  });

  test('a done report ends the overdue state; a return brings it back', async () => {
    const done = await report(a.municipality.token, late);
    assert.equal(done.body.overdue, false);
    const back = await giveBack(a.committee.token, late);
    assert.equal(back.body.status, 'returned');
    assert.equal(back.body.overdue, true);
  });
});

// ---------------------------------------------------------------------------------------
describe('every change is audited', () => {
  test('create, items, report and review write audit rows in the same request', async () => {
    const since = lastAuditId();
    const doc = await createDocument(a.committee.token);
    const rec = recordsOf(await addItem(a.committee.token, doc.id, [{ kind: 'municipality', id: munA }]))[`municipality:${munA}`];
    await report(a.municipality.token, rec);
    await accept(a.committee.token, rec);
    const rows = auditRowsSince(since);
    const of = (entity, id) => rows.filter((r) => r.entity === entity && Number(r.entity_id) === id);
    assert.ok(of('documents', doc.id).length >= 1, 'document audited');
    assert.ok(rows.some((r) => r.entity === 'document_items'), 'item audited');
    const recRows = of('assignments', rec);
    assert.ok(recRows.length >= 3, `record created, reported, accepted: ${JSON.stringify(recRows.map((r) => r.action))}`);
    const last = recRows.at(-1);
    assert.equal(last.user_id, a.committee.user.id);
    assert.equal(last.after.status, 'accepted');
    assert.equal(last.before.status, 'done');
  });

  test('a project, a participation and its removal are audited', async () => {
    const since = lastAuditId();
    const p = await createProject(a.committee.token);
    await addSchool(a.committee.token, p.id, schoolA);
    const del = await request('DELETE', `/projects/${p.id}/schools/${schoolA}`, { token: a.committee.token });
    assert.equal(del.status, 204, del.text);
    const rows = auditRowsSince(since);
    assert.ok(rows.some((r) => r.entity === 'projects' && Number(r.entity_id) === p.id));
    assert.ok(rows.filter((r) => r.entity === 'project_schools').length >= 2, 'insert and delete');
    assertProblem(await request('DELETE', `/projects/${p.id}/schools/${schoolA}`, { token: a.committee.token }), 404);
  });
});

// ---------------------------------------------------------------------------------------
describe('projects: who sees the participation', () => {
  let project, other;
  before(async () => {
    project = await createProject(a.committee.token, { order_number: '77-р', order_date: moscowDay(-40) });
    await addSchool(a.committee.token, project.id, schoolA, 'risk_zone', { unfavorable_conditions: true });
    await addSchool(a.committee.token, project.id, schoolB, 'academic_failure');
    other = await createProject(a.committee.token);
  });

  test('the committee sees every participation; adding again changes the group (200)', async () => {
    const list = await get(`/projects/${project.id}/schools`, a.committee.token);
    assert.equal(list.status, 200, list.text);
    assert.equal(list.body.total, 2);
    const mine = list.body.items.find((s) => s.school_id === schoolA);
    assert.deepEqual([mine.group, mine.unfavorable_conditions, mine.municipality_id], ['risk_zone', true, munA]);
    assert.equal(typeof mine.name, 'string');
    const again = await request('POST', `/projects/${project.id}/schools`, { token: a.committee.token, json: { school_id: schoolA, group: 'low_results' } });
    assert.equal(again.status, 200, again.text);
    assert.equal(again.body.group, 'low_results');
  });

  test("a municipality sees only its schools' participation", async () => {
    const list = await get(`/projects/${project.id}/schools`, a.municipality.token);
    assert.deepEqual(list.body.items.map((s) => s.school_id), [schoolA]);
    const p = await get(`/projects/${project.id}`, a.municipality.token);
    assert.equal(p.body.school_count, 1);
  });

  test('a school sees the projects it takes part in, and no others', async () => {
    const list = await get('/projects?limit=200', a.school.token);
    assert.ok(list.body.items.some((p) => p.id === project.id));
    assert.ok(!list.body.items.some((p) => p.id === other.id));
    assertProblem(await get(`/projects/${other.id}`, a.school.token), 404);
    assertProblem(await get(`/projects/${other.id}/schools`, a.school.token), 404);
    const own = await get(`/projects/${project.id}/schools`, schoolBToken);
    assert.deepEqual(own.body.items.map((s) => s.school_id), [schoolB]);
  });

  test('the order number goes with its date; the period is ordered', async () => {
    assertFieldError(await request('POST', '/projects', { token: a.committee.token, json: { title: 'П', starts_on: '2024-09-01', order_number: '1-р' } }), 'order_date');
    assertFieldError(await request('POST', '/projects', { token: a.committee.token, json: { title: 'П', starts_on: '2024-09-01', ends_on: '2024-01-01' } }), 'ends_on');
    const patched = await request('PATCH', `/projects/${project.id}`, { token: a.committee.token, json: { order_number: null } });
    assertFieldError(patched, 'order_number');
  });
});

// ---------------------------------------------------------------------------------------
describe('CSV import of a project\'s schools', () => {
  let project;
  const codes = () => psql(`select s.code from app.schools s join app.municipalities m on m.id = s.municipality_id
                             where m.region_id = ${region} order by s.id limit 4`).map((r) => r[0]);
  before(async () => {
    project = await createProject(a.committee.token);
  });

  test('a good file: the dry run stores nothing, the real run stores every line', async () => {
    const [c1, c2, c3] = codes();
    const csv = `\uFEFF${HEADER}\r\n${c1};low_results;1\r\n${c2};RISK_ZONE;0\r\n"${c3}";academic_failure;0\r\n`;
    const dry = await importCsv(a.committee.token, project.id, csv, { dryRun: true });
    assert.equal(dry.status, 200, dry.text);
    assert.deepEqual(dry.body, { imported: 0, would_import: 3 });
    assert.equal(participations(project.id), 0);
    const real = await importCsv(a.committee.token, project.id, csv, { contentType: 'text/csv; charset=utf-8' });
    assert.equal(real.status, 200, real.text);
    assert.deepEqual(real.body, { imported: 3, would_import: 3 });
    assert.equal(participations(project.id), 3);
    const first = psql(`select ps.school_group, ps.unfavorable_conditions from app.project_schools ps join app.schools s on s.id = ps.school_id
                         where ps.project_id = ${project.id} and s.code = '${c1}'`)[0];
    assert.deepEqual(first, ['low_results', 't']);
  });

  test('a bad file: 422 import.invalid_lines naming every line, nothing stored', async () => {
    const p = await createProject(a.committee.token);
    const csv = `${HEADER}\nnope-1;low_results;0\n;risk_zone;1\n${codes()[0]};best;2\n99-01-001;low_results;0\n`;
    const since = lastAuditId();
    const res = await importCsv(a.committee.token, p.id, csv);
    assertProblem(res, 422, 'import.invalid_lines');
    const byLine = (n) => res.body.errors.filter((e) => e.line === n).map((e) => `${e.field}:${e.code}`);
    assert.deepEqual(byLine(2), ['school_code:not_found']);
    assert.deepEqual(byLine(3), ['school_code:required']);
    assert.deepEqual(byLine(4), ['group:invalid', 'unfavorable_conditions:invalid']);
    assert.deepEqual(byLine(5), ['school_code:not_found'], 'another region\'s school is not found either: no code leaks');
    for (const e of res.body.errors) assert.match(e.message, new RegExp(`^Строка ${e.line}: `));
    assert.equal(participations(p.id), 0);
    assert.equal(lastAuditId(), since, 'no audit rows: nothing changed');
  });

  test('a mixed file (good lines and one bad): 422 for the bad line only, nothing stored, even the good lines', async () => {
    const p = await createProject(a.committee.token);
    const [c1, c2] = codes();
    const csv = `${HEADER}\n${c1};low_results;0\n${c2};risk_zone;1\n${c1};risk_zone;0\n`;
    const res = await importCsv(a.committee.token, p.id, csv);
    assertProblem(res, 422, 'import.invalid_lines');
    assert.deepEqual(res.body.errors.map((e) => [e.line, e.code]), [[4, 'duplicate']]);
    assert.equal(participations(p.id), 0);
    const dry = await importCsv(a.committee.token, p.id, csv, { dryRun: true });
    assertProblem(dry, 422, 'import.invalid_lines');
    assert.equal(participations(p.id), 0);
  });

  test('files COPY cannot read: wrong header, wrong field count, not UTF-8, empty', async () => {
    const p = await createProject(a.committee.token);
    const cases = [
      [`code;group;flag\n${codes()[0]};low_results;0\n`, 1, 'header'],
      [`${HEADER}\n${codes()[0]};low_results\n`, 2, 'format'],
      [`${HEADER}\n${codes()[0]};low_results;0;x\n`, 2, 'format'],
      // an unclosed quote runs to the end of the file: PostgreSQL names the line after it
      [`${HEADER}\n"${codes()[0]};low_results;0\n`, 3, 'format'],
      [Buffer.concat([Buffer.from(`${HEADER}\n${codes()[0]};`), Buffer.from([0xcd, 0xe8, 0xe7]), Buffer.from(';0\n')]), 2, 'encoding'],
      ['', 1, 'header'],
      // COPY's end-of-data marker would silently drop the lines after it: the file is refused
      [`${HEADER}\n${codes()[0]};low_results;0\n\\.\n${codes()[1]};risk_zone;0\n`, 3, 'format'],
      [`${HEADER}\r\n${codes()[0]};low_results;0\r\n\\.\r\n`, 3, 'format'],
    ];
    for (const [csv, line, code] of cases) {
      const res = await importCsv(a.committee.token, p.id, csv);
      assertProblem(res, 422, 'import.invalid_lines');
      assert.deepEqual(res.body.errors.map((e) => [e.line, e.field, e.code]), [[line, 'file', code]], JSON.stringify(csv.toString()));
    }
    assert.equal(participations(p.id), 0);
  });

  test('a last line without a newline is read like the others', async () => {
    const p = await createProject(a.committee.token);
    const [c1, c2] = codes();
    const res = await importCsv(a.committee.token, p.id, `${HEADER}\n${c1};low_results;0\n${c2};risk_zone;1`);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, { imported: 2, would_import: 2 });
    assert.equal(participations(p.id), 2);
  });

  test('the body must be text/csv, at most 64 MiB (streamed); only the committee imports; unknown project → 404', async () => {
    const csv = `${HEADER}\n${codes()[0]};low_results;0\n`;
    assertProblem(await importCsv(a.committee.token, project.id, csv, { contentType: 'application/json' }), 400, 'request.malformed');
    assertProblem(await importCsv(a.committee.token, project.id, csv, { contentType: 'text/csv; charset=windows-1251' }), 400, 'request.malformed');
    // Past JSON's 1 MiB a file is still read to its last line: 60,000 lines of one school repeat it.
    const big = `${HEADER}\n${`${codes()[0]};low_results;0\n`.repeat(60000)}`;
    assert.ok(big.length > 1024 * 1024);
    const judged = await importCsv(a.committee.token, project.id, big, { dryRun: true });
    assertProblem(judged, 422, 'import.invalid_lines');
    assert.ok(judged.body.errors.some((e) => e.line === 60001), 'the last line is read');
    const tooBig = Buffer.alloc(64 * 1024 * 1024 + 1, 0x41);
    assertProblem(await importCsv(a.committee.token, project.id, tooBig), 413, 'request.too_large');
    assertProblem(await importCsv(a.municipality.token, project.id, csv), 403, 'auth.forbidden');
    assertProblem(await importCsv(a.loiro.token, project.id, csv), 403, 'auth.forbidden');
    assertProblem(await importCsv(a.committee.token, 999999999, csv), 404);
    assertFieldError(await request('POST', `/projects/${project.id}/schools/import?dry_run=yes`, { token: a.committee.token, body: csv, contentType: 'text/csv' }), 'dry_run');
  });
});

// ---------------------------------------------------------------------------------------
describe('the flow: register → report → return → report again → accept', () => {
  test('the committee and a municipality go through one item for all municipalities', async () => {
    const c = a.committee.token;
    const m = a.municipality.token;
    const doc = await createDocument(c, { kind: 'decision', title: 'Решение совещания' });
    const item = await addItem(c, doc.id, [{ kind: 'all_municipalities' }], { number: nextItemNumber(3), expected_result: 'Протокол' });
    assert.deepEqual(item.executors, [{ kind: 'all_municipalities', id: null, name: 'Все муниципалитеты' }]);
    const municipalities = Number(psqlValue(`select count(*) from app.municipalities where region_id = ${region}`));
    assert.equal(Number(psqlValue(`select count(*) from app.assignments where item_id = ${item.id}`)), municipalities);

    const mine = await get(`/assignments?mine=1&document_id=${doc.id}`, m);
    assert.equal(mine.body.total, 1);
    const rec = mine.body.items[0];
    assert.deepEqual([rec.executor.kind, rec.executor.id, rec.assigned_as, rec.status, rec.report, rec.review],
      ['municipality', munA, 'all_municipalities', 'not_started', null, null]);

    const r1 = await report(m, rec.id, { status: 'done', text: 'Проведено совещание', links: ['https://mo.example.org/protocol'] });
    assert.equal(r1.status, 200, r1.text);
    assert.equal(r1.body.status, 'done');

    const back = await giveBack(c, rec.id, 'Приложите протокол совещания');
    assert.equal(back.status, 200, back.text);
    assert.equal(back.body.status, 'returned');
    assert.deepEqual([back.body.review.decision, back.body.review.comment], ['returned', 'Приложите протокол совещания']);
    assert.equal(back.body.report.text, 'Проведено совещание');

    const r2 = await report(m, rec.id, { status: 'done', text: 'Протокол приложен', links: ['https://mo.example.org/protocol.pdf'] });
    assert.equal(r2.status, 200, r2.text);
    assert.equal(r2.body.status, 'done');
    assert.equal(r2.body.review, null, 'reporting again clears the review');

    const ok = await accept(c, rec.id);
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.body.status, 'accepted');
    assert.equal(ok.body.review.decision, 'accepted');
    assert.deepEqual(ok.body.report.links, ['https://mo.example.org/protocol.pdf']);

    const seenByMun = await get(`/assignments/${rec.id}`, m);
    assert.equal(seenByMun.body.status, 'accepted');
    const tree = await get(`/documents/${doc.id}`, c);
    assert.equal(tree.body.execution.accepted, 1);
    assert.equal(tree.body.execution.total, municipalities);
    const otherRec = (await get(`/assignments?document_id=${doc.id}&executor=municipality:${munB}`, c)).body.items[0];
    assert.equal(otherRec.status, 'not_started');
    assertProblem(await report(munBToken, rec.id), 404);
  });
});
