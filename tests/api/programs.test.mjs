// Development programs (issue 4) through nginx: a school's program from its deficits to the
// municipality's approval, progress and a revision; each rule of the contract; the deficit
// lifecycle (in work, closed, eliminated); ЛОИРО's practices, mentor schools and partnerships.
// Every fixture is made here (new schools of the demo municipalities, campaigns over a small
// instrument): the demo's programs and school-47-16-005's open-campaign submission (the
// browser test's) are never touched.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  assertFieldError, assertProblem, demoActors, get, patch, post, request,
} from './lib.mjs';
import { createInstrument, indicatorsByCode, instrumentDoc, moscowDate } from './diag.mjs';
import {
  DEFICIT_ANSWERS, FULL_ANSWERS, addMeasure, createProgram, deficitsByCode, diagnose, measureBody,
  municipalityTokenOf, newSchool, programAct, programIn, programPeriod, schoolDeficits,
} from './programs.mjs';

let a; // demo actors: committee, loiro, municipality (mo-vsevolozhsky), school
let mun; // token of the demo municipality
let munId;
let otherMunId; // a municipality that is neither the demo one nor Тихвинский (the browser test's)
let otherMun; // its municipality user's token
let instrument; // K01 (critical), K02, H01, H02: see programs.mjs
let ind; // its indicators by code

before(async () => {
  a = await demoActors();
  mun = a.municipality.token;
  munId = a.municipality.user.municipality_id;
  const muns = (await get(`/municipalities?region_id=${a.committee.user.region_id}&limit=200`, a.committee.token)).body.items;
  otherMunId = muns.find((m) => m.id !== munId && m.code !== '47-16').id;
  otherMun = await municipalityTokenOf(a.committee.token, otherMunId);
  instrument = await createInstrument(a.loiro.token);
  ind = indicatorsByCode(instrument);
});

/** 422 validation.failed naming `field` with `code`. */
function assertFieldCode(res, field, code) {
  assertFieldError(res, field);
  assert.ok(res.body.errors.some((e) => e.field === field && e.code === code), `error ${field}/${code} in ${res.text}`);
}

const ifMatch = (version) => ({ 'If-Match': String(version) });
const programOf = async (id, token) => {
  const res = await get(`/programs/${id}`, token);
  assert.equal(res.status, 200, res.text);
  return res.body;
};
const sortedIds = (list) => list.map((x) => x.id ?? x).sort((x, y) => x - y);

// ---------------------------------------------------------------------------------------
describe('a program from the deficits to approval, progress and a revision', () => {
  let P; // the school writing it (demo municipality)
  let Q; // a school of another municipality, same campaign
  let campaign;
  let d; // P's deficits by indicator code
  let dQ; // Q's
  let program; // the latest answer for revision 1
  let m1; // measure on K01 + K02
  let m2; // measure on H01
  let revision; // revision 2

  before(async () => {
    P = await newSchool(a.committee.token, munId);
    Q = await newSchool(a.committee.token, otherMunId);
    ({ campaign } = await diagnose(a.committee.token, instrument, [
      { school: P, munToken: mun }, { school: Q, munToken: otherMun },
    ], { opensIn: -20 }));
    d = deficitsByCode(await schoolDeficits(P.token, P.id, campaign.id));
    dQ = deficitsByCode(await schoolDeficits(Q.token, Q.id, campaign.id));
  });

  test('the accepted self-diagnostic gave the deficits and the growth area the answers imply, all open', () => {
    assert.equal(d.K01.kind, 'deficit');
    assert.equal(d.K01.critical, true);
    assert.equal(d.H01.kind, 'deficit');
    assert.equal(d.K02.kind, 'growth');
    assert.equal(d.H02, undefined);
    for (const code of ['K01', 'H01', 'K02']) assert.equal(d[code].status, 'open', code);
  });

  test('the school creates its program: 201, draft, revision 1, every open deficit uncovered (critical first)', async () => {
    const res = await post('/programs', P.token, { campaign_id: campaign.id, title: 'Программа развития школы', ...programPeriod() });
    assert.equal(res.status, 201, res.text);
    program = res.body;
    assert.equal(program.school_id, P.id);
    assert.equal(program.campaign_id, campaign.id);
    assert.equal(program.municipality_id, munId);
    assert.equal(program.status, 'draft');
    assert.equal(program.revision, 1);
    assert.equal(program.previous_id, null);
    assert.equal(program.editable, true);
    assert.equal(program.in_force, false);
    assert.equal(typeof program.version, 'number');
    assert.deepEqual(program.measures, []);
    assert.deepEqual(program.uncovered_deficits.map((u) => u.id), [d.K01.id, d.H01.id]);
    assert.equal(program.uncovered_deficits[0].indicator_code, 'K01');
    assert.equal(program.uncovered_deficits[0].indicator_id, ind.K01.id);
    assert.deepEqual(sortedIds(program.deficits), sortedIds([d.K01, d.H01, d.K02]));
    assert.equal(program.history.length, 1);
    assert.equal(program.history[0].status, 'draft');
    assert.equal(program.history[0].by.role, 'school');
  });

  test('a second program for the same school and campaign → 409 conflict.duplicate', async () => {
    const res = await post('/programs', P.token, { campaign_id: campaign.id, title: 'Ещё одна', ...programPeriod() });
    assertProblem(res, 409, 'conflict.duplicate');
  });

  test('submitting without any measure → 422 program.deficits_uncovered naming every deficit', async () => {
    const res = await request('POST', `/programs/${program.id}/submit`, { token: P.token });
    assertProblem(res, 422, 'program.deficits_uncovered');
    const expected = program.uncovered_deficits.map((u) => `deficits.${u.id}`).sort();
    assert.ok(expected.length > 0, 'the fixture has deficits');
    assert.deepEqual(res.body.errors.map((e) => e.field).sort(), expected);
  });

  test('a measure addresses a deficit and a growth area: 201 with the program\'s new version; the uncovered list shrinks', async () => {
    const res = await post(`/programs/${program.id}/measures`, P.token, measureBody([d.K01.id, d.K02.id], { title: 'Обновить рабочие программы' }));
    assert.equal(res.status, 201, res.text);
    m1 = res.body;
    assert.equal(m1.program_id, program.id);
    assert.equal(m1.status, 'planned');
    assert.equal(m1.overdue, false);
    assert.deepEqual([...m1.deficit_ids].sort((x, y) => x - y), sortedIds([d.K01.id, d.K02.id]));
    assert.ok(m1.program_version > program.version, 'a measure bumps the program version');
    program = await programOf(program.id, P.token);
    assert.equal(program.version, m1.program_version);
    assert.deepEqual(program.uncovered_deficits.map((u) => u.id), [d.H01.id]);
    const k01 = program.deficits.find((x) => x.id === d.K01.id);
    assert.deepEqual(k01.measure_ids, [m1.id]);
  });

  test('submitting with an uncovered deficit → 422 program.deficits_uncovered, one entry per uncovered deficit', async () => {
    const res = await request('POST', `/programs/${program.id}/submit`, { token: P.token, headers: ifMatch(program.version) });
    assertProblem(res, 422, 'program.deficits_uncovered');
    assert.match(res.body.title, /Не все дефициты/);
    assert.equal(res.body.errors.length, 1, res.text);
    assert.equal(res.body.errors[0].field, `deficits.${d.H01.id}`);
    assert.equal(res.body.errors[0].code, 'required');
    assert.match(res.body.errors[0].message, /H01/);
    assert.equal((await programOf(program.id, P.token)).status, 'draft');
  });

  test('a measure pointing at another school\'s deficit → 422 deficit_ids[i] not_found', async () => {
    const res = await post(`/programs/${program.id}/measures`, P.token, measureBody([d.H01.id, dQ.H01.id]));
    assertFieldCode(res, 'deficit_ids[1]', 'not_found');
  });

  test('a due date outside the program period → 422 due_date invalid', async () => {
    const res = await post(`/programs/${program.id}/measures`, P.token, measureBody([d.H01.id], { due_date: moscowDate(400) }));
    assertFieldCode(res, 'due_date', 'invalid');
  });

  test('the remaining deficit gets its measure; a measure PATCH with a stale If-Match → 409, the current one → 200', async () => {
    m2 = await addMeasure(P.token, program.id, [d.H01.id], { title: 'Организовать горячее питание' });
    const stale = await request('PATCH', `/programs/${program.id}/measures/${m2.id}`, {
      token: P.token, json: { responsible: 'Директор' }, headers: ifMatch(m2.version + 5),
    });
    assertProblem(stale, 409, 'conflict.stale_version');
    const ok = await request('PATCH', `/programs/${program.id}/measures/${m2.id}`, {
      token: P.token, json: { responsible: 'Директор' }, headers: ifMatch(m2.version),
    });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.body.responsible, 'Директор');
    assert.ok(ok.body.version > m2.version);
    m2 = ok.body;
    program = await programOf(program.id, P.token);
    assert.deepEqual(program.uncovered_deficits, []);
  });

  test('a measure is deleted: 204 and gone from the program', async () => {
    const extra = await addMeasure(P.token, program.id, [d.K02.id]);
    const res = await request('DELETE', `/programs/${program.id}/measures/${extra.id}`, { token: P.token });
    assert.equal(res.status, 204, res.text);
    assert.equal(res.text, '');
    program = await programOf(program.id, P.token);
    assert.deepEqual(sortedIds(program.measures), sortedIds([m1, m2]));
    const again = await request('DELETE', `/programs/${program.id}/measures/${extra.id}`, { token: P.token });
    assertProblem(again, 404);
  });

  test('the problem analysis of a direction is set by PUT and removed by null', async () => {
    const dir = ind.K01.direction_id;
    const set = await request('PUT', `/programs/${program.id}/analyses/${dir}`, { token: P.token, json: { text: 'Рабочие программы устарели' } });
    assert.equal(set.status, 200, set.text);
    assert.deepEqual(set.body.analyses.map((x) => [x.direction_id, x.text]), [[dir, 'Рабочие программы устарели']]);
    const removed = await request('PUT', `/programs/${program.id}/analyses/${dir}`, { token: P.token, json: { text: null } });
    assert.equal(removed.status, 200, removed.text);
    assert.deepEqual(removed.body.analyses, []);
    const foreignDirection = await request('PUT', `/programs/${program.id}/analyses/999999999`, { token: P.token, json: { text: 'x' } });
    assertProblem(foreignDirection, 404);
    program = removed.body;
  });

  test('PATCH of the program: a stale If-Match → 409 conflict.stale_version, the current one → 200', async () => {
    const stale = await request('PATCH', `/programs/${program.id}`, { token: P.token, json: { title: 'Программа «Вектор»' }, headers: ifMatch(program.version - 1) });
    assertProblem(stale, 409, 'conflict.stale_version');
    const ok = await request('PATCH', `/programs/${program.id}`, { token: P.token, json: { title: 'Программа «Вектор»' }, headers: ifMatch(program.version) });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.body.title, 'Программа «Вектор»');
    program = ok.body;
  });

  test('the covered program is submitted (a stale If-Match first → 409); then it is no longer editable', async () => {
    const stale = await request('POST', `/programs/${program.id}/submit`, { token: P.token, headers: ifMatch(program.version + 1) });
    assertProblem(stale, 409, 'conflict.stale_version');
    program = await programAct(P.token, program.id, 'submit', { ifMatch: program.version });
    assert.equal(program.status, 'submitted');
    assert.equal(program.editable, false);
    assert.ok(program.submitted_at);
    const late = await post(`/programs/${program.id}/measures`, P.token, measureBody([d.K02.id]));
    assertProblem(late, 409, 'conflict.state');
  });

  test('only the school\'s own municipality reviews: ЛОИРО and the committee 403, another municipality 404', async () => {
    assertProblem(await request('POST', `/programs/${program.id}/approve`, { token: a.loiro.token }), 403, 'auth.forbidden');
    assertProblem(await request('POST', `/programs/${program.id}/approve`, { token: a.committee.token }), 403, 'auth.forbidden');
    assertProblem(await request('POST', `/programs/${program.id}/approve`, { token: otherMun }), 404);
    assertProblem(await request('POST', `/programs/${program.id}/return`, { token: otherMun, json: { comment: 'Чужой' } }), 404);
    assert.equal((await programOf(program.id, P.token)).status, 'submitted');
  });

  test('the municipality returns it: the comment is required (422), then 200 returned with the comment in the history', async () => {
    assertFieldCode(await request('POST', `/programs/${program.id}/return`, { token: mun }), 'comment', 'required');
    program = await programAct(mun, program.id, 'return', { json: { comment: 'Уточните ответственных' }, ifMatch: program.version });
    assert.equal(program.status, 'returned');
    assert.equal(program.editable, false, 'not editable for the municipality');
    const seen = await programOf(program.id, P.token);
    assert.equal(seen.editable, true, 'editable again for the school');
    const last = seen.history.at(-1);
    assert.equal(last.status, 'returned');
    assert.equal(last.comment, 'Уточните ответственных');
    assert.equal(last.by.role, 'municipality');
  });

  test('approving a program that is not submitted → 409 conflict.state; progress before approval → 409 conflict.state', async () => {
    assertProblem(await request('POST', `/programs/${program.id}/approve`, { token: mun }), 409, 'conflict.state');
    const res = await post(`/programs/${program.id}/measures/${m1.id}/progress`, P.token, { status: 'in_progress' });
    assertProblem(res, 409, 'conflict.state');
  });

  test('the school fixes and resubmits; the municipality approves (a stale If-Match first → 409)', async () => {
    const fix = await request('PATCH', `/programs/${program.id}/measures/${m2.id}`, { token: P.token, json: { responsible: 'Заместитель директора по АХЧ' } });
    assert.equal(fix.status, 200, fix.text);
    program = await programAct(P.token, program.id, 'submit');
    assert.equal(program.status, 'submitted');
    const stale = await request('POST', `/programs/${program.id}/approve`, { token: mun, headers: ifMatch(program.version + 3) });
    assertProblem(stale, 409, 'conflict.stale_version');
    program = await programAct(mun, program.id, 'approve', { ifMatch: program.version });
    assert.equal(program.status, 'approved');
    assert.equal(program.in_force, true);
    assert.ok(program.decided_at);
    assert.deepEqual(program.history.map((h) => h.status), ['draft', 'submitted', 'returned', 'submitted', 'approved']);
  });

  test('after approval the addressed deficits are in work, with the measures that address them, and counted by state', async () => {
    const body = await schoolDeficits(mun, P.id, campaign.id);
    const now = deficitsByCode(body);
    assert.equal(now.K01.status, 'in_work');
    assert.equal(now.H01.status, 'in_work');
    assert.ok(now.K01.status_at);
    assert.deepEqual(now.H01.measures.map((m) => [m.id, m.program_id, m.program_status]), [[m2.id, program.id, 'approved']]);
    assert.deepEqual(body.states, { open: 0, in_work: 2, eliminated: 0, closed: 0 });
  });

  test('progress: done needs a note (422), then 200; not_done needs its reason; a stale If-Match → 409', async () => {
    const url = `/programs/${program.id}/measures/${m1.id}/progress`;
    assertFieldCode(await post(url, P.token, { status: 'done' }), 'note', 'required');
    assertFieldCode(await post(`/programs/${program.id}/measures/${m2.id}/progress`, P.token, { status: 'not_done', note: '' }), 'note', 'required');
    const current = (await programOf(program.id, P.token)).measures.find((m) => m.id === m1.id);
    assertProblem(await request('POST', url, { token: P.token, json: { status: 'in_progress' }, headers: ifMatch(current.version + 1) }), 409, 'conflict.stale_version');
    const done = await request('POST', url, { token: P.token, json: { status: 'done', note: 'Рабочие программы обновлены' }, headers: ifMatch(current.version) });
    assert.equal(done.status, 200, done.text);
    assert.equal(done.body.status, 'done');
    assert.equal(done.body.progress_note, 'Рабочие программы обновлены');
    assert.ok(done.body.progress_at);
    const notDone = await post(`/programs/${program.id}/measures/${m2.id}/progress`, P.token, { status: 'not_done', note: 'Нет подрядчика' });
    assert.equal(notDone.status, 200, notDone.text);
    assert.equal(notDone.body.status, 'not_done');
    assertProblem(await post(url, mun, { status: 'planned' }), 403, 'auth.forbidden');
  });

  test('ЛОИРО, the committee and the municipality comment (201); the status and version stay; a school may not (403)', async () => {
    const before = await programOf(program.id, P.token);
    for (const [token, text] of [[a.loiro.token, 'Рекомендуем практику «Школьный театр»'], [a.committee.token, 'Принято к сведению'], [mun, 'Контроль в марте']]) {
      const res = await post(`/programs/${program.id}/comments`, token, { text });
      assert.equal(res.status, 201, res.text);
      assert.equal(res.body.program_id, program.id);
      assert.equal(res.body.text, text);
      assert.ok(res.body.at && res.body.by && res.body.by.full_name);
    }
    assertProblem(await post(`/programs/${program.id}/comments`, P.token, { text: 'Мы сами' }), 403, 'auth.forbidden');
    assertFieldCode(await post(`/programs/${program.id}/comments`, a.loiro.token, { text: ' ' }), 'text', 'too_short');
    const after = await programOf(program.id, P.token);
    assert.equal(after.status, before.status);
    assert.equal(after.version, before.version);
    assert.deepEqual(after.comments.map((c) => c.by.role), ['loiro', 'committee', 'municipality']);
  });

  test('revise: a stale If-Match → 409; then 201 a new draft (revision 2) with the measures and their progress; the approved one stays in force', async () => {
    program = await programOf(program.id, P.token);
    assertProblem(await request('POST', `/programs/${program.id}/revise`, { token: P.token, headers: ifMatch(program.version + 1) }), 409, 'conflict.stale_version');
    revision = await programAct(P.token, program.id, 'revise', { ifMatch: program.version });
    assert.notEqual(revision.id, program.id);
    assert.equal(revision.revision, 2);
    assert.equal(revision.status, 'draft');
    assert.equal(revision.previous_id, program.id);
    assert.equal(revision.title, program.title);
    assert.equal(revision.measures.length, 2);
    const copied = Object.fromEntries(revision.measures.map((m) => [m.title, m]));
    assert.equal(copied[m1.title].status, 'done');
    assert.equal(copied[m1.title].progress_note, 'Рабочие программы обновлены');
    assert.equal(copied['Организовать горячее питание'].status, 'not_done');
    assert.deepEqual(sortedIds(copied[m1.title].deficit_ids), sortedIds([d.K01.id, d.K02.id]));
    const old = await programOf(program.id, P.token);
    assert.equal(old.status, 'approved');
    assert.equal(old.in_force, true);
    assertProblem(await request('POST', `/programs/${program.id}/revise`, { token: P.token }), 409, 'conflict.state');
  });

  test('the revision approved: the previous one is superseded; both list each other as revisions', async () => {
    await addMeasure(P.token, revision.id, [d.K02.id], { title: 'Углублённое изучение математики' });
    await programAct(P.token, revision.id, 'submit');
    const approved = await programAct(mun, revision.id, 'approve');
    assert.equal(approved.status, 'approved');
    const old = await programOf(program.id, mun);
    assert.equal(old.status, 'superseded');
    assert.equal(old.in_force, false);
    assert.equal(old.history.at(-1).status, 'superseded');
    assert.deepEqual(old.revisions.map((r) => [r.id, r.revision, r.status]), [[program.id, 1, 'superseded'], [revision.id, 2, 'approved']]);
    assert.deepEqual(approved.revisions.map((r) => r.id), [program.id, revision.id]);
  });

  test('the list filters by school and status; every revision is listed', async () => {
    const all = await get(`/programs?school_id=${P.id}`, mun);
    assert.equal(all.status, 200, all.text);
    assert.deepEqual(all.body.items.map((p) => [p.id, p.revision, p.status]), [[revision.id, 2, 'approved'], [program.id, 1, 'superseded']]);
    const item = all.body.items[0];
    assert.equal(item.measure_count, 3);
    assert.equal(item.deficit_count, 2);
    assert.equal(item.uncovered_count, 0);
    const superseded = await get(`/programs?school_id=${P.id}&status=superseded`, a.committee.token);
    assert.deepEqual(superseded.body.items.map((p) => p.id), [program.id]);
    const ofQ = await get(`/programs?school_id=${P.id}`, Q.token);
    assert.equal(ofQ.status, 200);
    assert.equal(ofQ.body.total, 0, 'another school sees none of them');
  });
});

// ---------------------------------------------------------------------------------------
describe('program rules', () => {
  let P;
  let Q;
  let accepted; // campaign with P's and Q's accepted submissions
  let pending; // campaign where P's submission is only submitted
  let ofQOnly; // campaign targeting Q alone
  before(async () => {
    P = await newSchool(a.committee.token, munId);
    Q = await newSchool(a.committee.token, otherMunId);
    accepted = (await diagnose(a.committee.token, instrument, [{ school: P, munToken: mun }, { school: Q, munToken: otherMun }])).campaign;
    pending = (await diagnose(a.committee.token, instrument, [{ school: P, munToken: mun, until: 'submitted' }])).campaign;
    ofQOnly = (await diagnose(a.committee.token, instrument, [{ school: Q, munToken: otherMun }])).campaign;
  });

  test('a campaign whose submission is not accepted → 422 campaign_id not_accepted', async () => {
    const res = await post('/programs', P.token, { campaign_id: pending.id, title: 'Рано', ...programPeriod() });
    assertFieldCode(res, 'campaign_id', 'not_accepted');
  });

  test('a campaign that does not target the school → 422 campaign_id not_found', async () => {
    const res = await post('/programs', P.token, { campaign_id: ofQOnly.id, title: 'Чужая', ...programPeriod() });
    assertFieldCode(res, 'campaign_id', 'not_found');
  });

  test('a period ending before it starts → 422 period_end invalid', async () => {
    const res = await post('/programs', P.token, { campaign_id: accepted.id, title: 'Наоборот', period_start: moscowDate(10), period_end: moscowDate(0) });
    assertFieldCode(res, 'period_end', 'invalid');
  });

  test('a period longer than 5 years → 422 period_end invalid', async () => {
    const res = await post('/programs', P.token, { campaign_id: accepted.id, title: 'Долгая', period_start: moscowDate(0), period_end: moscowDate(365 * 6) });
    assertFieldCode(res, 'period_end', 'invalid');
  });

  test('schools with deficits but no program are listed as not_started for their municipality', async () => {
    const res = await get(`/programs?status=not_started&campaign_id=${accepted.id}`, mun);
    assert.equal(res.status, 200, res.text);
    const row = res.body.items.find((x) => x.school_id === P.id);
    assert.ok(row, res.text);
    assert.equal(row.status, 'not_started');
    assert.equal(row.id, null);
    assert.equal(row.deficit_count, 2);
    assert.ok(!res.body.items.some((x) => x.school_id === Q.id), 'another municipality\'s school is not listed');
  });

  test('an unknown status filter → 422 naming status', async () => {
    assertFieldCode(await get('/programs?status=accepted', mun), 'status', 'invalid');
  });

  describe('scope', () => {
    let prog;
    let measure;
    before(async () => {
      ({ program: prog, measures: [measure] } = await programIn('draft', P, mun, accepted.id));
    });

    test('the school, its municipality, the committee and ЛОИРО read it', async () => {
      for (const token of [P.token, mun, a.committee.token, a.loiro.token]) {
        const res = await get(`/programs/${prog.id}`, token);
        assert.equal(res.status, 200, res.text);
        assert.equal(res.body.id, prog.id);
      }
    });

    test('another school and another municipality get 404 on reads and writes', async () => {
      assertProblem(await get(`/programs/${prog.id}`, Q.token), 404);
      assertProblem(await get(`/programs/${prog.id}`, otherMun), 404);
      assertProblem(await patch(`/programs/${prog.id}`, Q.token, { title: 'Чужое' }), 404);
      assertProblem(await post(`/programs/${prog.id}/measures`, Q.token, measureBody([1])), 404);
      assertProblem(await request('DELETE', `/programs/${prog.id}/measures/${measure.id}`, { token: Q.token }), 404);
      assertProblem(await post(`/programs/${prog.id}/comments`, otherMun, { text: 'Чужой комментарий' }), 404);
      assert.equal((await programOf(prog.id, P.token)).measures.length, 1);
    });

    test('ЛОИРО and the committee are refused every program write by the route table (403)', async () => {
      const writes = [
        ['POST', '/programs', { campaign_id: accepted.id, title: 'Т', ...programPeriod() }],
        ['PATCH', `/programs/${prog.id}`, { title: 'Т' }],
        ['PUT', `/programs/${prog.id}/analyses/${ind.K01.direction_id}`, { text: 'Т' }],
        ['POST', `/programs/${prog.id}/measures`, measureBody([1])],
        ['PATCH', `/programs/${prog.id}/measures/${measure.id}`, { title: 'Т' }],
        ['DELETE', `/programs/${prog.id}/measures/${measure.id}`, undefined],
        ['POST', `/programs/${prog.id}/measures/${measure.id}/progress`, { status: 'in_progress' }],
        ['POST', `/programs/${prog.id}/submit`, undefined],
        ['POST', `/programs/${prog.id}/approve`, undefined],
        ['POST', `/programs/${prog.id}/return`, { comment: 'Т' }],
        ['POST', `/programs/${prog.id}/revise`, undefined],
      ];
      for (const token of [a.loiro.token, a.committee.token]) {
        for (const [method, url, json] of writes) {
          const res = await request(method, url, json === undefined ? { token } : { token, json });
          assertProblem(res, 403, 'auth.forbidden');
        }
      }
    });

    test('a measure edit in a submitted program → 409 conflict.state', async () => {
      const { program: sub, measures } = await programIn('submitted', P, mun, (await diagnose(a.committee.token, instrument, [{ school: P, munToken: mun }])).campaign.id);
      assertProblem(await patch(`/programs/${sub.id}/measures/${measures[0].id}`, P.token, { title: 'Поздно' }), 409, 'conflict.state');
      assertProblem(await request('DELETE', `/programs/${sub.id}/measures/${measures[0].id}`, { token: P.token }), 409, 'conflict.state');
    });
  });
});

// ---------------------------------------------------------------------------------------
describe('the deficit lifecycle', () => {
  let L; // a school of the demo municipality
  let first; // its first campaign
  let d;
  before(async () => {
    L = await newSchool(a.committee.token, munId);
    first = (await diagnose(a.committee.token, instrument, [{ school: L, munToken: mun }], { opensIn: -20 })).campaign;
    d = deficitsByCode(await schoolDeficits(L.token, L.id, first.id));
  });

  test('every role in scope sees the status and the counts by state', async () => {
    for (const token of [L.token, mun, a.committee.token, a.loiro.token]) {
      const body = await schoolDeficits(token, L.id, first.id);
      assert.deepEqual(body.states, { open: 2, in_work: 0, eliminated: 0, closed: 0 });
      for (const item of body.items) {
        assert.equal(item.status, 'open');
        assert.deepEqual(item.measures, []);
      }
    }
  });

  test('closing: a reason is required (422); a school and ЛОИРО 403; another municipality 404', async () => {
    assertFieldCode(await request('POST', `/deficits/${d.K01.id}/close`, { token: mun }), 'reason', 'required');
    assertProblem(await post(`/deficits/${d.K01.id}/close`, L.token, { reason: 'Сами' }), 403, 'auth.forbidden');
    assertProblem(await post(`/deficits/${d.K01.id}/close`, a.loiro.token, { reason: 'Мы' }), 403, 'auth.forbidden');
    assertProblem(await post(`/deficits/${d.K01.id}/close`, otherMun, { reason: 'Чужие' }), 404);
    assert.equal(deficitsByCode(await schoolDeficits(L.token, L.id, first.id)).K01.status, 'open');
  });

  test('the municipality closes a deficit with a reason: closed; closing it again → 409 conflict.state', async () => {
    const res = await post(`/deficits/${d.K01.id}/close`, mun, { reason: 'Рабочие программы утверждены приказом' });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.id, d.K01.id);
    assert.equal(res.body.status, 'closed');
    assert.equal(res.body.closed_reason, 'Рабочие программы утверждены приказом');
    assertProblem(await post(`/deficits/${d.K01.id}/close`, mun, { reason: 'Ещё раз' }), 409, 'conflict.state');
    const body = await schoolDeficits(L.token, L.id, first.id);
    assert.deepEqual(body.states, { open: 1, in_work: 0, eliminated: 0, closed: 1 });
  });

  test('a later accepted self-diagnostic eliminates what it no longer finds; closed stays closed', async () => {
    await diagnose(a.committee.token, instrument, [{ school: L, munToken: mun, values: { ...DEFICIT_ANSWERS, H01: 'yes', K02: 'full' } }], { opensIn: -10 });
    const body = await schoolDeficits(mun, L.id, first.id);
    const now = deficitsByCode(body);
    assert.equal(now.H01.status, 'eliminated');
    assert.equal(now.K02.status, 'eliminated', 'a growth area at full points is eliminated too');
    assert.equal(now.K01.status, 'closed');
    assert.deepEqual(body.states, { open: 0, in_work: 0, eliminated: 1, closed: 1 });
    assertProblem(await post(`/deficits/${d.H01.id}/close`, mun, { reason: 'Поздно' }), 409, 'conflict.state');
  });

  test('an eliminated or closed deficit needs no measure: a program of that campaign has nothing uncovered', async () => {
    const prog = await createProgram(L.token, first.id);
    assert.deepEqual(prog.uncovered_deficits, []);
  });
});

// ---------------------------------------------------------------------------------------
describe('practices', () => {
  let practice;
  let sibling; // version 2 of the same instrument code
  before(async () => {
    sibling = indicatorsByCode(await createInstrument(a.loiro.token, instrumentDoc({ code: instrument.code, version: 2 })));
  });

  const body = (extra = {}) => ({
    title: 'Школьный театр как средство воспитания', body: 'Опыт создания школьного театра: этапы, роли, результаты.',
    links: ['https://edu.lenobl.ru/practices/teatr'], indicator_ids: [ind.K01.id], ...extra,
  });

  test('ЛОИРО adds a practice: 201 with its indicators and author', async () => {
    const res = await post('/practices', a.loiro.token, body());
    assert.equal(res.status, 201, res.text);
    practice = res.body;
    assert.equal(practice.title, 'Школьный театр как средство воспитания');
    assert.deepEqual(practice.links, ['https://edu.lenobl.ru/practices/teatr']);
    assert.deepEqual(practice.indicators.map((i) => [i.id, i.code, i.instrument_id]), [[ind.K01.id, 'K01', instrument.id]]);
    assert.ok(practice.author_name);
    assert.equal(typeof practice.version, 'number');
  });

  test('the committee, a municipality and a school may not write practices (403)', async () => {
    for (const token of [a.committee.token, mun, a.school.token]) {
      assertProblem(await post('/practices', token, body()), 403, 'auth.forbidden');
      assertProblem(await patch(`/practices/${practice.id}`, token, { title: 'Чужая правка' }), 403, 'auth.forbidden');
    }
  });

  test('every role reads it', async () => {
    for (const token of [a.committee.token, a.loiro.token, mun, a.school.token]) {
      const res = await get(`/practices/${practice.id}`, token);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.body, practice.body);
    }
  });

  test('PATCH: a stale If-Match → 409; the current one → 200 with a new version', async () => {
    assertProblem(await request('PATCH', `/practices/${practice.id}`, { token: a.loiro.token, json: { title: 'Театр' }, headers: ifMatch(practice.version + 1) }), 409, 'conflict.stale_version');
    const res = await request('PATCH', `/practices/${practice.id}`, {
      token: a.loiro.token, json: { title: 'Школьный театр', indicator_ids: [ind.K01.id, ind.H02.id] }, headers: ifMatch(practice.version),
    });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.title, 'Школьный театр');
    assert.ok(res.body.version > practice.version);
    assert.deepEqual(res.body.indicators.map((i) => i.code).sort(), ['H02', 'K01']);
    practice = res.body;
  });

  test('listed by indicator: the same indicator code in another version of the instrument finds it, another code does not', async () => {
    const same = await get(`/practices?indicator_id=${sibling.K01.id}&limit=200`, a.school.token);
    assert.equal(same.status, 200, same.text);
    const item = same.body.items.find((p) => p.id === practice.id);
    assert.ok(item, same.text);
    assert.equal(item.body, undefined, 'list items carry an excerpt, not the text');
    assert.equal(typeof item.excerpt, 'string');
    const other = await get(`/practices?indicator_id=${sibling.H01.id}&limit=200`, a.school.token);
    assert.ok(!other.body.items.some((p) => p.id === practice.id), other.text);
    const byText = await get(`/practices?q=${encodeURIComponent('школьный ТЕАТР')}&indicator_id=${ind.K01.id}`, mun);
    assert.ok(byText.body.items.some((p) => p.id === practice.id), byText.text);
  });

  test('bad links and unknown indicators → 422 naming them', async () => {
    assertFieldCode(await post('/practices', a.loiro.token, body({ links: ['ftp://example.org'] })), 'links[0]', 'invalid');
    assertFieldCode(await post('/practices', a.loiro.token, body({ indicator_ids: [ind.K01.id, 999999999] })), 'indicator_ids[1]', 'not_found');
    assertFieldCode(await post('/practices', a.loiro.token, body({ indicator_ids: [] })), 'indicator_ids', 'required');
  });
});

// ---------------------------------------------------------------------------------------
describe('mentor schools and partnerships', () => {
  let M; // the mentee (demo municipality): K01 and H01 at 0
  let S1; // same municipality, full points everywhere, accepted
  let S2; // another municipality, full points, accepted
  let S3; // same municipality, K01 full but K02 partly, accepted
  let S4; // same municipality, full points, only submitted
  let campaign;
  let partnership;
  before(async () => {
    M = await newSchool(a.committee.token, munId, 'Подопечная школа');
    S1 = await newSchool(a.committee.token, munId, 'Наставник А');
    S2 = await newSchool(a.committee.token, otherMunId, 'Наставник Б');
    S3 = await newSchool(a.committee.token, munId, 'Наставник В');
    S4 = await newSchool(a.committee.token, munId, 'Не принятая');
    ({ campaign } = await diagnose(a.committee.token, instrument, [
      { school: M, munToken: mun },
      { school: S1, munToken: mun, values: FULL_ANSWERS },
      { school: S2, munToken: otherMun, values: FULL_ANSWERS },
      { school: S3, munToken: mun, values: { ...FULL_ANSWERS, K02: 'partly' } },
      { school: S4, munToken: mun, values: FULL_ANSWERS, until: 'submitted' },
    ]));
  });

  test('mentors of an indicator: accepted full points only, the caller\'s municipality first, the caller excluded', async () => {
    const res = await get(`/indicators/${ind.K01.id}/mentors?campaign_id=${campaign.id}`, M.token);
    assert.equal(res.status, 200, res.text);
    const ids = res.body.items.map((m) => m.school_id);
    assert.deepEqual(ids.slice(0, 2).sort(), [S1.id, S3.id].sort());
    assert.deepEqual(ids.slice(2), [S2.id]);
    const first = res.body.items[0];
    assert.equal(first.same_municipality, true);
    assert.equal(first.points, first.max_points);
    assert.equal(first.municipality_id, munId);
    assert.equal(res.body.items[2].same_municipality, false);
    const k02 = await get(`/indicators/${ind.K02.id}/mentors?campaign_id=${campaign.id}`, M.token);
    assert.deepEqual(k02.body.items.map((m) => m.school_id), [S1.id, S2.id]);
  });

  test('mentors of an indicator nobody can see → 404', async () => {
    assertProblem(await get('/indicators/999999999/mentors', M.token), 404);
  });

  test('the municipality pairs its school with a mentor: 201; the same pair again → 409', async () => {
    const res = await post('/partnerships', mun, { school_id: M.id, mentor_school_id: S2.id, indicator_ids: [ind.K01.id] });
    assert.equal(res.status, 201, res.text);
    partnership = res.body;
    assert.equal(partnership.school.id, M.id);
    assert.equal(partnership.mentor.id, S2.id);
    assert.equal(partnership.mentor.municipality_id, otherMunId);
    assert.deepEqual(partnership.indicators.map((i) => [i.id, i.code]), [[ind.K01.id, 'K01']]);
    assertProblem(await post('/partnerships', mun, { school_id: M.id, mentor_school_id: S2.id, indicator_ids: [] }), 409, 'conflict.duplicate');
  });

  test('pairing a school of another municipality → 422 school_id not_found; a school with itself → 422; others 403', async () => {
    assertFieldCode(await post('/partnerships', mun, { school_id: S2.id, mentor_school_id: S1.id, indicator_ids: [] }), 'school_id', 'not_found');
    assertFieldCode(await post('/partnerships', mun, { school_id: M.id, mentor_school_id: M.id, indicator_ids: [] }), 'mentor_school_id', 'invalid');
    for (const token of [M.token, a.loiro.token, a.committee.token]) {
      assertProblem(await post('/partnerships', token, { school_id: M.id, mentor_school_id: S1.id, indicator_ids: [] }), 403, 'auth.forbidden');
    }
  });

  test('both schools and both municipalities see it; a third school does not', async () => {
    for (const token of [M.token, S2.token, mun, otherMun, a.committee.token]) {
      const res = await get(`/partnerships?school_id=${M.id}`, token);
      assert.equal(res.status, 200, res.text);
      assert.ok(res.body.items.some((p) => p.id === partnership.id), res.text);
    }
    const third = await get('/partnerships', S1.token);
    assert.equal(third.status, 200);
    assert.ok(!third.body.items.some((p) => p.id === partnership.id), third.text);
  });

  test('only the mentee\'s municipality deletes it: the mentor\'s → 404; its own → 204, then 404', async () => {
    assertProblem(await request('DELETE', `/partnerships/${partnership.id}`, { token: otherMun }), 404);
    const res = await request('DELETE', `/partnerships/${partnership.id}`, { token: mun });
    assert.equal(res.status, 204, res.text);
    assertProblem(await request('DELETE', `/partnerships/${partnership.id}`, { token: mun }), 404);
    const list = await get(`/partnerships?school_id=${M.id}`, M.token);
    assert.ok(!list.body.items.some((p) => p.id === partnership.id));
  });
});
