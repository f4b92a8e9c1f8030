// Self-diagnostics (issue 3) through nginx: instruments (load, export, publish, bad
// documents), campaigns (create, target shapes, variants, extend), a school's submission
// from the first answer to the committee's reopen, the municipal review, deficits, results
// and progress. Destructive flows run on instruments and campaigns made here, so the files
// do not depend on each other; the demo's open campaign is only read.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  assertFieldError, assertProblem, auditRowsSince, demoActors, get, lastAuditId, login, psql, psqlValue, request,
  tokenOf, unique,
} from './lib.mjs';
import {
  act, answerAll, createCampaign, createInstrument, indicatorsByCode, instrumentDoc, moscowDate,
  openSubmission, putAnswer,
} from './diag.mjs';

let a; // demo actors: committee, loiro, municipality (mo-vsevolozhsky), school (its first school)
let neighbour; // {id, code, token}: another school of the same municipality
let otherMunicipality; // token of mo-tikhvinsky, a district that is not school A's
before(async () => {
  a = await demoActors();
  const list = await get(`/schools?municipality_id=${a.municipality.user.municipality_id}&limit=5`, a.committee.token);
  const n = list.body.items.find((s) => s.id !== a.school.user.school_id);
  neighbour = { id: n.id, code: n.code, token: await tokenOf(`school-${n.code}`) };
  otherMunicipality = await tokenOf('mo-tikhvinsky');
});

/** Row counts of every self-diagnostics table and of the audit log: "nothing stored". */
function diagFingerprint() {
  return psqlValue(`select concat_ws(' ',
    (select count(*) from app.instruments), (select count(*) from app.directions),
    (select count(*) from app.indicators), (select count(*) from app.indicator_options),
    (select count(*) from app.campaigns), (select count(*) from app.campaign_schools),
    (select count(*) from app.submissions), (select count(*) from app.answers),
    (select coalesce(sum(version), 0) from app.submissions), (select count(*) from app.submission_events),
    (select count(*) from app.deficits), (select count(*) from app.deficits where official),
    (select count(*) from app.audit_log))`);
}

/** Sends, asserts the answer with `check`, and that nothing was stored. */
async function refusedUnchanged(send, check) {
  const before = diagFingerprint();
  const res = await send();
  check(res);
  assert.equal(diagFingerprint(), before, `nothing stored: ${res.text.slice(0, 300)}`);
  return res;
}

/** 422 validation.failed naming `field` with `code`. */
function assertFieldCode(res, field, code) {
  assertFieldError(res, field);
  assert.ok(res.body.errors.some((e) => e.field === field && e.code === code),
    `error ${field}/${code} in ${res.text}`);
}

// ---------------------------------------------------------------------------------------
describe('instruments', () => {
  test('ЛОИРО loads a document: 201, a draft with the full tree (directions → indicators → options with points, critical)', async () => {
    const doc = instrumentDoc();
    const res = await request('POST', '/instruments', { token: a.loiro.token, json: doc });
    assert.equal(res.status, 201, res.text);
    const t = res.body;
    assert.equal(t.status, 'draft');
    assert.equal(t.code, doc.code);
    assert.equal(t.version, 1);
    assert.equal(t.max_points, 6);
    assert.deepEqual(t.thresholds, { basic: 2, medium: 4, high: 6 });
    assert.equal(t.directions.length, 2);
    assert.deepEqual(t.directions.map((d) => d.code), ['knowledge', 'health']);
    assert.deepEqual(t.directions.map((d) => d.max_points), [3, 3]);
    const k01 = t.directions[0].indicators[0];
    assert.equal(k01.code, 'K01');
    assert.equal(k01.critical, true);
    assert.equal(t.directions[0].indicators[1].critical, false);
    assert.deepEqual(k01.options.map((o) => [o.value, o.points]), [['no', 0], ['yes', 1]]);
    assert.ok(k01.options.every((o) => Number.isInteger(o.id)));
    assert.ok(Number.isInteger(k01.id));
  });

  test('the export returns the document exactly as it was sent, byte for byte', async () => {
    const doc = instrumentDoc();
    const text = JSON.stringify(doc, null, 1); // a layout of the client's own
    const res = await request('POST', '/instruments', { token: a.committee.token, body: text });
    assert.equal(res.status, 201, res.text);
    const exp = await get(`/instruments/${res.body.id}/document`, a.loiro.token);
    assert.equal(exp.status, 200, exp.text);
    assert.match(exp.headers.get('content-type'), /^application\/json/);
    assert.equal(exp.text, text);
  });

  test('a draft is hidden from municipalities and schools; published, every role reads it', async () => {
    const draft = await createInstrument(a.loiro.token, instrumentDoc(), { publish: false });
    for (const role of ['municipality', 'school']) {
      assertProblem(await get(`/instruments/${draft.id}`, a[role].token), 404);
      const list = await get('/instruments?limit=200', a[role].token);
      assert.equal(list.status, 200, list.text);
      assert.ok(list.body.items.every((i) => i.status === 'published'), `${role} lists drafts`);
    }
    const pub = await request('POST', `/instruments/${draft.id}/publish`, { token: a.committee.token });
    assert.equal(pub.status, 200, pub.text);
    assert.equal(pub.body.status, 'published');
    for (const role of ['committee', 'loiro', 'municipality', 'school']) {
      const res = await get(`/instruments/${draft.id}`, a[role].token);
      assert.equal(res.status, 200, `${role}: ${res.text}`);
      assert.equal(res.body.directions[1].indicators[1].options[2].points, 2);
    }
  });

  test('publishing twice: the second is 409 conflict.state', async () => {
    const t = await createInstrument(a.loiro.token);
    await refusedUnchanged(() => request('POST', `/instruments/${t.id}/publish`, { token: a.loiro.token }),
      (res) => assertProblem(res, 409, 'conflict.state'));
  });

  test('the list filters by status and rejects an unknown one', async () => {
    const res = await get('/instruments?status=draft&limit=200', a.loiro.token);
    assert.equal(res.status, 200, res.text);
    assert.ok(res.body.items.length > 0 && res.body.items.every((i) => i.status === 'draft'));
    assertFieldCode(await get('/instruments?status=open', a.loiro.token), 'status', 'invalid');
  });

  test('only the committee and ЛОИРО export or load', async () => {
    const t = (await get('/instruments?status=published&limit=1', a.school.token)).body.items[0];
    assertProblem(await get(`/instruments/${t.id}/document`, a.school.token), 403, 'auth.forbidden');
    assertProblem(await get(`/instruments/${t.id}/document`, a.municipality.token), 403, 'auth.forbidden');
    await refusedUnchanged(() => request('POST', '/instruments', { token: a.municipality.token, json: instrumentDoc() }),
      (res) => assertProblem(res, 403, 'auth.forbidden'));
  });

  // Each bad document: 422 with the field named by its path, and nothing stored.
  const bad = [
    ['duplicate indicator codes across directions', (d) => { d.directions[1].indicators[0].code = 'K01'; },
      'directions[1].indicators[0].code', 'duplicate'],
    ['duplicate direction codes', (d) => { d.directions[1].code = 'knowledge'; }, 'directions[1].code', 'duplicate'],
    ['duplicate option values', (d) => { d.directions[0].indicators[1].options[1].value = 'none'; },
      'directions[0].indicators[1].options[1].value', 'duplicate'],
    ['thresholds out of order', (d) => { d.thresholds = { basic: 4, medium: 3, high: 6 }; }, 'thresholds.medium', 'out_of_order'],
    ['equal thresholds', (d) => { d.directions[0].thresholds = { basic: 1, medium: 1, high: 3 }; },
      'directions[0].thresholds.medium', 'out_of_order'],
    ['a threshold above the maximum', (d) => { d.thresholds.high = 7; }, 'thresholds.high', 'above_max'],
    ['an option without points', (d) => { delete d.directions[0].indicators[0].options[1].points; },
      'directions[0].indicators[0].options[1].points', 'required'],
    ['a direction without indicators', (d) => { d.directions[1].indicators = []; }, 'directions[1].indicators', 'required'],
    ['no directions', (d) => { d.directions = []; }, 'directions', 'required'],
    ['an unknown member deep inside', (d) => { d.directions[0].indicators[0].weight = 2; },
      'directions[0].indicators[0].weight', 'unknown'],
  ];
  for (const [name, spoil, field, code] of bad) {
    test(`bad document — ${name}: 422 ${field} ${code}, nothing stored`, async () => {
      const doc = instrumentDoc();
      spoil(doc);
      const res = await refusedUnchanged(() => request('POST', '/instruments', { token: a.loiro.token, json: doc }),
        (r) => assertFieldCode(r, field, code));
      assert.match(res.body.errors.find((e) => e.field === field).message, /[А-Яа-яЁё]/);
    });
  }

  test('bad document — every problem is reported in one answer', async () => {
    const doc = instrumentDoc();
    doc.directions[1].indicators[0].code = 'K01';
    doc.thresholds = { basic: 4, medium: 3, high: 6 };
    delete doc.directions[0].indicators[1].options[0].points;
    const res = await refusedUnchanged(() => request('POST', '/instruments', { token: a.loiro.token, json: doc }),
      (r) => assertProblem(r, 422, 'validation.failed'));
    const fields = res.body.errors.map((e) => e.field);
    for (const f of ['directions[1].indicators[0].code', 'thresholds.medium', 'directions[0].indicators[1].options[0].points']) {
      assert.ok(fields.includes(f), `${f} in ${res.text}`);
    }
  });

  test('a version that exists is 422 version taken; the next version loads', async () => {
    const doc = instrumentDoc();
    await createInstrument(a.loiro.token, doc);
    await refusedUnchanged(() => request('POST', '/instruments', { token: a.committee.token, json: doc }),
      (r) => assertFieldCode(r, 'version', 'taken'));
    const next = await request('POST', '/instruments', { token: a.committee.token, json: { ...doc, version: 2 } });
    assert.equal(next.status, 201, next.text);
  });

  test('not a document: an array, too deep, not JSON, no content type', async () => {
    const tok = a.loiro.token;
    await refusedUnchanged(() => request('POST', '/instruments', { token: tok, json: [instrumentDoc()] }),
      (r) => assertProblem(r, 422, 'validation.failed'));
    const deep = `{"directions":${'['.repeat(20)}${']'.repeat(20)}}`;
    await refusedUnchanged(() => request('POST', '/instruments', { token: tok, body: deep }),
      (r) => assertFieldCode(r, 'directions', 'too_deep'));
    await refusedUnchanged(() => request('POST', '/instruments', { token: tok, body: '{"code":' }),
      (r) => assertProblem(r, 400, 'request.malformed'));
    await refusedUnchanged(
      () => request('POST', '/instruments', { token: tok, body: JSON.stringify(instrumentDoc()), contentType: 'text/plain' }),
      (r) => assertProblem(r, 400, 'request.malformed'));
    const dup = '{"code":"x","version":1,"directions":[{"code":"a","code":"b"}]}';
    await refusedUnchanged(() => request('POST', '/instruments', { token: tok, body: dup }),
      (r) => assertFieldCode(r, 'directions', 'duplicate'));
  });
});

// ---------------------------------------------------------------------------------------
describe('campaigns', () => {
  let instrument;
  before(async () => {
    instrument = await createInstrument(a.loiro.token);
  });

  test('ЛОИРО creates one open today: 201, status open, the targeted schools counted', async () => {
    const c = await createCampaign(a.loiro.token, [instrument.id],
      { school_ids: [a.school.user.school_id, neighbour.id] });
    assert.equal(c.status, 'open');
    assert.equal(c.targeted, 2);
    assert.equal(c.opens_on, moscowDate(0));
    assert.deepEqual(c.instruments.map((i) => i.id), [instrument.id]);
    const open = await get('/campaigns?status=open&limit=200', a.committee.token);
    assert.ok(open.body.items.some((x) => x.id === c.id), 'listed as open');
    const planned = await get('/campaigns?status=planned&limit=200', a.committee.token);
    assert.ok(!planned.body.items.some((x) => x.id === c.id), 'not listed as planned');
    assertFieldCode(await get('/campaigns?status=draft', a.committee.token), 'status', 'invalid');
  });

  test('the targeted school sees it, a school outside the target does not (404)', async () => {
    const c = await createCampaign(a.committee.token, [instrument.id], { school_ids: [neighbour.id] });
    assert.equal((await get(`/campaigns/${c.id}`, neighbour.token)).status, 200);
    assertProblem(await get(`/campaigns/${c.id}`, a.school.token), 404);
    assertProblem(await request('POST', `/campaigns/${c.id}/submissions`, { token: a.school.token }), 404);
  });

  test('a planned campaign (opening later) cannot be opened by a school yet: 409', async () => {
    const c = await createCampaign(a.committee.token, [instrument.id], { school_ids: [a.school.user.school_id] },
      { opens_on: moscowDate(10), closes_on: moscowDate(20) });
    assert.equal(c.status, 'planned');
    await refusedUnchanged(() => request('POST', `/campaigns/${c.id}/submissions`, { token: a.school.token }),
      (r) => assertProblem(r, 409, 'conflict.state'));
  });

  const body = (patch) => ({
    title: `Кампания ${unique('c')}`, instrument_ids: [instrument.id], opens_on: moscowDate(0),
    closes_on: moscowDate(30), target: { all: true }, ...patch,
  });
  const badTargets = [
    ['no target', { target: undefined }, 'target', 'required'],
    ['an empty target', { target: {} }, 'target', 'invalid'],
    ['two ways at once', { target: { all: true, school_ids: [1] } }, 'target', 'invalid'],
    ['all: false', { target: { all: false } }, 'target.all', 'invalid'],
    ['no municipality chosen', { target: { municipality_ids: [] } }, 'target.municipality_ids', 'required'],
    ['ids that are not ids', { target: { school_ids: ['7'] } }, 'target.school_ids', 'type'],
    ['an unknown way', { target: { region_ids: [1] } }, 'target.region_ids', 'unknown'],
    ['a target that is a list', { target: [{ all: true }] }, 'target', 'type'],
    ['closes before it opens', { opens_on: moscowDate(5), closes_on: moscowDate(4) }, 'closes_on', 'invalid'],
    ['not a date', { opens_on: '2025-02-30' }, 'opens_on', 'invalid_date'],
    ['no instruments', { instrument_ids: [] }, 'instrument_ids', 'required'],
    ['a municipality of no one', { target: { municipality_ids: [987654321] } }, 'target.municipality_ids', 'not_found'],
  ];
  for (const [name, patch, field, code] of badTargets) {
    test(`bad campaign — ${name}: 422 ${field} ${code}, nothing stored`, async () => {
      const json = body(patch);
      for (const k of Object.keys(json)) if (json[k] === undefined) delete json[k];
      await refusedUnchanged(() => request('POST', '/campaigns', { token: a.committee.token, json }),
        (r) => assertFieldCode(r, field, code));
    });
  }

  test('an unpublished instrument is refused: 422 instrument_ids', async () => {
    const draft = await createInstrument(a.loiro.token, instrumentDoc(), { publish: false });
    await refusedUnchanged(() => request('POST', '/campaigns', { token: a.loiro.token, json: body({ instrument_ids: [draft.id] }) }),
      (r) => assertFieldError(r, 'instrument_ids'));
  });

  test('a campaign that leaves a targeted school without a fitting variant: 422 target, nothing stored', async () => {
    const senior = await createInstrument(a.loiro.token, instrumentDoc({ applies_to: { levels: ['secondary'] } }));
    const schools = (await get('/schools?limit=200', a.committee.token)).body.items;
    const primary = schools.find((s) => !s.education_levels.includes('secondary'));
    const withSenior = schools.find((s) => s.education_levels.includes('secondary'));
    assert.ok(primary && withSenior, 'demo schools with and without senior classes');
    const res = await refusedUnchanged(
      () => request('POST', '/campaigns', {
        token: a.loiro.token, json: body({ instrument_ids: [senior.id], target: { school_ids: [withSenior.id, primary.id] } }),
      }),
      (r) => assertFieldError(r, 'target'));
    assert.match(res.body.errors.find((e) => e.field === 'target').message, new RegExp(primary.code));
    // with a second variant that fits everyone, the same target is fine
    const c = await createCampaign(a.loiro.token, [senior.id, instrument.id], { school_ids: [withSenior.id, primary.id] });
    assert.equal(c.targeted, 2);
  });

  test('the deadline is extended with If-Match; a stale version is 409, an earlier date than the opening 422', async () => {
    const c = await createCampaign(a.committee.token, [instrument.id], { school_ids: [a.school.user.school_id] });
    const ok = await request('PATCH', `/campaigns/${c.id}`, {
      token: a.loiro.token, json: { closes_on: moscowDate(60) }, headers: { 'If-Match': `"${c.version}"` },
    });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.body.closes_on, moscowDate(60));
    assert.equal(ok.body.version, c.version + 1);
    await refusedUnchanged(() => request('PATCH', `/campaigns/${c.id}`, {
      token: a.loiro.token, json: { closes_on: moscowDate(61) }, headers: { 'If-Match': String(c.version) },
    }), (r) => assertProblem(r, 409, 'conflict.stale_version'));
    await refusedUnchanged(() => request('PATCH', `/campaigns/${c.id}`, {
      token: a.loiro.token, json: { closes_on: moscowDate(-1) },
    }), (r) => assertFieldCode(r, 'closes_on', 'invalid'));
    await refusedUnchanged(() => request('PATCH', `/campaigns/${c.id}`, {
      token: a.loiro.token, json: { closes_on: moscowDate(70), title: 'Другое' },
    }), (r) => assertFieldCode(r, 'title', 'unknown'));
    await refusedUnchanged(() => request('PATCH', `/campaigns/${c.id}`, { token: a.municipality.token, json: { closes_on: moscowDate(70) } }),
      (r) => assertProblem(r, 403, 'auth.forbidden'));
  });
});

// ---------------------------------------------------------------------------------------
// One submission from the first answer to the committee's reopen; the tests run in order.
describe('a school fills, submits and is reviewed', () => {
  let instrument;
  let ind; // indicators by code
  let campaign;
  let sub; // the submission as last seen
  let otherInstrumentIndicator; // an indicator of another instrument
  const schoolTok = () => a.school.token;

  before(async () => {
    instrument = await createInstrument(a.loiro.token);
    ind = indicatorsByCode(instrument);
    otherInstrumentIndicator = indicatorsByCode(await createInstrument(a.loiro.token)).K01.id;
    campaign = await createCampaign(a.committee.token, [instrument.id],
      { school_ids: [a.school.user.school_id, neighbour.id] });
  });

  const refresh = async () => {
    const res = await get(`/submissions/${sub.id}`, schoolTok());
    assert.equal(res.status, 200, res.text);
    sub = res.body;
    return sub;
  };

  test('opening creates the draft (201), opening again returns it (200)', async () => {
    const first = await request('POST', `/campaigns/${campaign.id}/submissions`, { token: schoolTok() });
    assert.equal(first.status, 201, first.text);
    sub = first.body;
    assert.equal(sub.status, 'draft');
    assert.equal(sub.school_id, a.school.user.school_id);
    assert.equal(sub.campaign_id, campaign.id);
    assert.equal(sub.instrument_id, instrument.id);
    assert.deepEqual(sub.answers, []);
    assert.equal(sub.result, null);
    assert.ok(Array.isArray(sub.history));
    const again = await request('POST', `/campaigns/${campaign.id}/submissions`, { token: schoolTok() });
    assert.equal(again.status, 200, again.text);
    assert.equal(again.body.id, sub.id);
  });

  test('an answer is saved with its comment and the version moves', async () => {
    const res = await putAnswer(schoolTok(), sub.id, ind.K01.id, 'no', { comment: 'Программы на согласовании' });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.version, sub.version + 1);
    const s = await refresh();
    assert.deepEqual(s.answers.map((x) => [x.indicator_id, x.value, x.comment]),
      [[ind.K01.id, 'no', 'Программы на согласовании']]);
  });

  test('an option the indicator does not offer: 422 value, nothing stored', async () => {
    await refusedUnchanged(() => putAnswer(schoolTok(), sub.id, ind.K02.id, 'yes'), (r) => assertFieldCode(r, 'value', 'invalid'));
    await refusedUnchanged(() => putAnswer(schoolTok(), sub.id, ind.K02.id, 'да'), (r) => assertFieldError(r, 'value'));
  });

  test('an indicator of another instrument: 422 indicator_id; a non-numeric one: 404', async () => {
    await refusedUnchanged(() => putAnswer(schoolTok(), sub.id, otherInstrumentIndicator, 'yes'),
      (r) => assertFieldCode(r, 'indicator_id', 'not_found'));
    await refusedUnchanged(() => request('PUT', `/submissions/${sub.id}/answers/K01`, { token: schoolTok(), json: { value: 'yes' } }),
      (r) => assertProblem(r, 404, 'not_found'));
  });

  test('If-Match is the answer\'s own version: saves of different indicators from two tabs never conflict', async () => {
    // Two signed-in tabs of the school (two sessions), each with the page as it was loaded.
    const tabA = schoolTok();
    const tabB = (await login(a.school.login)).body.access_token;
    await putAnswer(tabA, sub.id, ind.K01.id, 'no');
    await putAnswer(tabA, sub.id, ind.K02.id, 'partly');
    const loaded = await refresh();
    const version = (code) => loaded.answers.find((x) => x.indicator_id === ind[code].id).version;
    assert.ok(Number.isInteger(version('K01')) && version('K01') >= 1, 'each answer carries its version');
    const a1 = await putAnswer(tabA, sub.id, ind.K01.id, 'yes', { ifMatch: version('K01') });
    assert.equal(a1.status, 200, a1.text);
    assert.equal(a1.body.answer.version, version('K01') + 1, 'a change moves the answer\'s version');
    assert.ok(a1.body.version > loaded.version, 'and the submission\'s');
    const b1 = await putAnswer(tabB, sub.id, ind.K02.id, 'full', { ifMatch: `W/"${version('K02')}"` });
    assert.equal(b1.status, 200, `another indicator from the other tab saves: ${b1.text}`);
    // tab B still shows K01 as loaded: its change is based on a stale answer
    await refusedUnchanged(() => putAnswer(tabB, sub.id, ind.K01.id, 'no', { ifMatch: version('K01') }),
      (r) => assertProblem(r, 409, 'conflict.stale_version'));
    // an If-Match for an answer not saved yet is stale too; without one nothing is checked
    await refusedUnchanged(() => putAnswer(tabB, sub.id, ind.H01.id, 'yes', { ifMatch: 1 }),
      (r) => assertProblem(r, 409, 'conflict.stale_version'));
    const c = await putAnswer(tabB, sub.id, ind.K01.id, 'no');
    assert.equal(c.status, 200, c.text);
    assert.equal(c.body.answer.version, version('K01') + 2);
    const after = await refresh();
    const now = (code) => after.answers.find((x) => x.indicator_id === ind[code].id).version;
    assert.deepEqual([now('K01'), now('K02')], [version('K01') + 2, version('K02') + 1]);
    // the submission's own version still guards submitting
    await refusedUnchanged(() => request('POST', `/submissions/${sub.id}/submit`, { token: tabA, headers: { 'If-Match': String(loaded.version) } }),
      (r) => assertProblem(r, 409, 'conflict.stale_version'));
    await putAnswer(tabA, sub.id, ind.K02.id, 'partly');
  });

  test('an answer\'s history: who set which value and comment when, newest first; the school and its municipality', async () => {
    await putAnswer(schoolTok(), sub.id, ind.K02.id, 'full', { comment: 'Подтверждено приказом № 5' });
    await putAnswer(schoolTok(), sub.id, ind.K02.id, 'partly');
    const res = await get(`/submissions/${sub.id}/answers/${ind.K02.id}/history`, schoolTok());
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.indicator_id, ind.K02.id);
    const [last, before] = res.body.items;
    assert.deepEqual([last.value, last.comment], ['partly', null]);
    assert.deepEqual([before.value, before.comment], ['full', 'Подтверждено приказом № 5']);
    assert.equal(last.version, before.version + 1, 'newest first, one entry per change');
    assert.ok(last.value_label, 'the option as the form shows it');
    assert.equal(last.by.id, a.school.user.id);
    assert.equal(last.by.role, 'school');
    assert.ok(last.by.full_name && last.by.organisation_name);
    const current = (await refresh()).answers.find((x) => x.indicator_id === ind.K02.id);
    assert.equal(last.version, current.version, 'the newest entry is the answer as it stands');
    const mun = await get(`/submissions/${sub.id}/answers/${ind.K02.id}/history`, a.municipality.token);
    assert.equal(mun.status, 200, mun.text);
    assert.deepEqual(mun.body.items, res.body.items, 'its municipality sees the same');
    assertProblem(await get(`/submissions/${sub.id}/answers/${ind.K02.id}/history`, a.committee.token), 403, 'auth.forbidden');
    assertProblem(await get(`/submissions/${sub.id}/answers/${otherInstrumentIndicator}/history`, schoolTok()), 404);
    const none = await get(`/submissions/${sub.id}/answers/${ind.H02.id}/history`, schoolTok());
    assert.deepEqual(none.body.items, [], 'an indicator not answered has no history');
    // An answer saved before changes were recorded (the demo's) shows its state as its one entry.
    const [old] = psql(`select a.submission_id, a.indicator_id, a.version from app.answers a
                         join app.submissions s on s.id = a.submission_id
                        where s.school_id = ${a.school.user.school_id}
                          and not exists (select 1 from app.answer_history h where h.submission_id = a.submission_id
                                            and h.indicator_id = a.indicator_id) limit 1`);
    assert.ok(old, 'the demo school has answers from before the history');
    const demo = await get(`/submissions/${old[0]}/answers/${old[1]}/history`, schoolTok());
    assert.equal(demo.status, 200, demo.text);
    assert.equal(demo.body.items.length, 1);
    assert.equal(demo.body.items[0].version, Number(old[2]));
    assert.ok(demo.body.items[0].by.full_name, 'with who saved it');
  });

  test('submitting with unanswered indicators: 422 submission.incomplete, one answers.<id> per missing one', async () => {
    const res = await refusedUnchanged(() => request('POST', `/submissions/${sub.id}/submit`, { token: schoolTok() }),
      (r) => assertProblem(r, 422, 'submission.incomplete'));
    const fields = res.body.errors.map((e) => e.field).sort();
    assert.deepEqual(fields, [`answers.${ind.H01.id}`, `answers.${ind.H02.id}`].sort());
    for (const e of res.body.errors) assert.match(e.message, /[А-Яа-яЁё]/);
  });

  test('complete and submitted (no body, no content type): the result with levels per direction and deficits', async () => {
    // K01 (critical) no = 0, K02 partly = 1, H01 yes = 1, H02 full = 2 → 4 of 6 (medium by
    // points) but below_basic by the critical rule; knowledge 1 of 3 basic, health 3 of 3 high.
    await answerAll(schoolTok(), sub.id, instrument, { K01: 'no', K02: 'partly', H01: 'yes', H02: 'full' });
    const res = await request('POST', `/submissions/${sub.id}/submit`, { token: schoolTok() });
    assert.equal(res.status, 200, res.text);
    sub = res.body;
    assert.equal(sub.status, 'submitted');
    assert.equal(sub.result.total_points, 4);
    assert.equal(sub.result.max_points, 6);
    assert.equal(sub.result.level, 'below_basic');
    const dirs = Object.fromEntries(sub.result.directions.map((d) => [d.direction_id, d]));
    assert.deepEqual([dirs[ind.K01.direction_id].points, dirs[ind.K01.direction_id].max_points, dirs[ind.K01.direction_id].level], [1, 3, 'basic']);
    assert.deepEqual([dirs[ind.H01.direction_id].points, dirs[ind.H01.direction_id].level], [3, 'high']);
    const def = await get(`/schools/${a.school.user.school_id}/deficits?campaign_id=${campaign.id}`, schoolTok());
    assert.equal(def.status, 200, def.text);
    const byInd = Object.fromEntries(def.body.items.map((d) => [d.indicator_id, d]));
    assert.deepEqual(Object.keys(byInd).map(Number).sort(), [ind.K01.id, ind.K02.id].sort());
    assert.deepEqual([byInd[ind.K01.id].kind, byInd[ind.K01.id].critical, byInd[ind.K01.id].official, byInd[ind.K01.id].indicator_code],
      ['deficit', true, false, 'K01']);
    assert.deepEqual([byInd[ind.K02.id].kind, byInd[ind.K02.id].points, byInd[ind.K02.id].max_points], ['growth', 1, 2]);
    for (const d of def.body.items) {
      for (const k of ['id', 'indicator_id', 'indicator_code', 'direction_id', 'points', 'max_points', 'critical', 'kind', 'official']) {
        assert.ok(k in d, `${k} in a deficit item`);
      }
    }
  });

  test('after submit the school can change nothing: 409', async () => {
    await refusedUnchanged(() => putAnswer(schoolTok(), sub.id, ind.K01.id, 'yes'), (r) => assertProblem(r, 409, 'conflict.state'));
    await refusedUnchanged(() => request('POST', `/submissions/${sub.id}/submit`, { token: schoolTok() }),
      (r) => assertProblem(r, 409, 'conflict.state'));
  });

  test('another school cannot see or touch it: 404, and does not list it', async () => {
    await refusedUnchanged(() => get(`/submissions/${sub.id}`, neighbour.token), (r) => assertProblem(r, 404));
    await refusedUnchanged(() => putAnswer(neighbour.token, sub.id, ind.K01.id, 'yes'), (r) => assertProblem(r, 404));
    const list = await get(`/submissions?campaign_id=${campaign.id}`, neighbour.token);
    assert.equal(list.status, 200, list.text);
    assert.ok(!list.body.items.some((s) => s.id === sub.id));
    assertProblem(await get(`/schools/${a.school.user.school_id}/deficits`, neighbour.token), 404);
  });

  test('a municipality of another district cannot read, accept or return it: 404', async () => {
    await refusedUnchanged(() => get(`/submissions/${sub.id}`, otherMunicipality), (r) => assertProblem(r, 404));
    await refusedUnchanged(() => request('POST', `/submissions/${sub.id}/accept`, { token: otherMunicipality }),
      (r) => assertProblem(r, 404));
    await refusedUnchanged(() => request('POST', `/submissions/${sub.id}/return`, { token: otherMunicipality, json: { comment: 'Чужая' } }),
      (r) => assertProblem(r, 404));
  });

  test('only the municipality decides: the school, ЛОИРО and the committee get 403', async () => {
    for (const role of ['school', 'loiro', 'committee']) {
      await refusedUnchanged(() => request('POST', `/submissions/${sub.id}/accept`, { token: a[role].token }),
        (r) => assertProblem(r, 403, 'auth.forbidden'));
    }
  });

  test('returning without a comment is 422 comment (no body, {}, blanks), nothing stored', async () => {
    const tok = a.municipality.token;
    await refusedUnchanged(() => request('POST', `/submissions/${sub.id}/return`, { token: tok }),
      (r) => assertFieldCode(r, 'comment', 'required'));
    await refusedUnchanged(() => request('POST', `/submissions/${sub.id}/return`, { token: tok, json: {} }),
      (r) => assertFieldCode(r, 'comment', 'required'));
    await refusedUnchanged(() => request('POST', `/submissions/${sub.id}/return`, { token: tok, json: { comment: '   ' } }),
      (r) => assertFieldError(r, 'comment'));
  });

  test('its municipality returns it with a comment; the school sees the comment', async () => {
    const comment = 'Уточните показатель K01: программы утверждены приказом';
    const res = await request('POST', `/submissions/${sub.id}/return`, { token: a.municipality.token, json: { comment } });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.status, 'returned');
    const s = await refresh();
    const last = s.history[s.history.length - 1];
    assert.deepEqual([last.status, last.comment], ['returned', comment]);
    assert.ok(last.at && last.by, 'history names when and who');
    assert.equal(s.result.level, 'below_basic', 'the last result stays visible while returned');
  });

  test('corrected and submitted again: new result, the deficits replaced', async () => {
    const before = (await get(`/schools/${a.school.user.school_id}/deficits?campaign_id=${campaign.id}`, schoolTok())).body.items;
    const growthId = before.find((d) => d.indicator_id === ind.K02.id).id;
    assert.equal((await putAnswer(schoolTok(), sub.id, ind.K01.id, 'yes')).status, 200);
    const res = await request('POST', `/submissions/${sub.id}/submit`, { token: schoolTok() });
    assert.equal(res.status, 200, res.text);
    sub = res.body;
    assert.deepEqual([sub.status, sub.result.total_points, sub.result.level], ['submitted', 5, 'medium']);
    const after = (await get(`/schools/${a.school.user.school_id}/deficits?campaign_id=${campaign.id}`, schoolTok())).body.items;
    assert.deepEqual(after.map((d) => [d.indicator_id, d.kind, d.official]), [[ind.K02.id, 'growth', false]]);
    assert.equal(after[0].id, growthId, 'a deficit that stays keeps its id');
  });

  test('accepted: the deficits become official and the submission is frozen (409)', async () => {
    const res = await request('POST', `/submissions/${sub.id}/accept`, { token: a.municipality.token });
    assert.equal(res.status, 200, res.text);
    sub = res.body;
    assert.equal(sub.status, 'accepted');
    const def = (await get(`/schools/${a.school.user.school_id}/deficits?campaign_id=${campaign.id}`, a.municipality.token)).body.items;
    assert.ok(def.length === 1 && def.every((d) => d.official === true), JSON.stringify(def));
    await refusedUnchanged(() => putAnswer(schoolTok(), sub.id, ind.K02.id, 'full'), (r) => assertProblem(r, 409, 'conflict.state'));
    await refusedUnchanged(() => request('POST', `/submissions/${sub.id}/submit`, { token: schoolTok() }),
      (r) => assertProblem(r, 409, 'conflict.state'));
    await refusedUnchanged(() => request('POST', `/submissions/${sub.id}/accept`, { token: a.municipality.token }),
      (r) => assertProblem(r, 409, 'conflict.state'));
    await refusedUnchanged(() => request('POST', `/submissions/${sub.id}/return`, { token: a.municipality.token, json: { comment: 'Ещё раз' } }),
      (r) => assertProblem(r, 409, 'conflict.state'));
  });

  test('only the committee reopens: 403 for ЛОИРО, the municipality and the school; a reason is required', async () => {
    for (const role of ['loiro', 'municipality', 'school']) {
      await refusedUnchanged(() => request('POST', `/submissions/${sub.id}/reopen`, { token: a[role].token, json: { reason: 'Ошибка' } }),
        (r) => assertProblem(r, 403, 'auth.forbidden'));
    }
    await refusedUnchanged(() => request('POST', `/submissions/${sub.id}/reopen`, { token: a.committee.token }),
      (r) => assertFieldCode(r, 'reason', 'required'));
    await refusedUnchanged(() => request('POST', `/submissions/${sub.id}/reopen`, { token: a.committee.token, json: { comment: 'x' } }),
      (r) => assertFieldCode(r, 'comment', 'unknown'));
  });

  test('the committee reopens it with a reason: returned, the reason in the history, audited', async () => {
    const since = lastAuditId();
    const reason = 'Выявлена ошибка в разделе «Здоровье»';
    const res = await request('POST', `/submissions/${sub.id}/reopen`, { token: a.committee.token, json: { reason } });
    assert.equal(res.status, 200, res.text);
    sub = res.body;
    assert.equal(sub.status, 'returned');
    const last = sub.history[sub.history.length - 1];
    assert.deepEqual([last.status, last.comment], ['returned', reason]);
    const rows = auditRowsSince(since).filter((r) => r.entity === 'submissions' && Number(r.entity_id) === sub.id);
    assert.ok(rows.some((r) => r.action === 'reopen' && r.user_id === a.committee.user.id && r.role === 'committee'
      && JSON.stringify(r.after).includes(reason)), JSON.stringify(rows));
    const def = (await get(`/schools/${a.school.user.school_id}/deficits?campaign_id=${campaign.id}`, schoolTok())).body.items;
    assert.ok(def.every((d) => d.official === false), 'no longer official');
    // reopening again is a state conflict
    await refusedUnchanged(() => request('POST', `/submissions/${sub.id}/reopen`, { token: a.committee.token, json: { reason } }),
      (r) => assertProblem(r, 409, 'conflict.state'));
  });

  test('the progress of the campaign counts it: one returned, one not started', async () => {
    const res = await get(`/campaigns/${campaign.id}/progress`, a.loiro.token);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.campaign_id, campaign.id);
    assert.deepEqual(res.body.total, { targeted: 2, not_started: 1, draft: 0, submitted: 0, returned: 1, accepted: 0 });
    assert.equal(res.body.municipalities.length, 1);
    assert.equal(res.body.municipalities[0].municipality_id, a.municipality.user.municipality_id);
  });
});

// ---------------------------------------------------------------------------------------
describe('the demo open campaign: progress, review queue, deficits, results', () => {
  let demo; // the demo's open campaign
  before(async () => {
    const list = await get('/campaigns?status=open&limit=200', a.committee.token);
    assert.equal(list.status, 200, list.text);
    // the demo campaign targets every school of the region
    demo = list.body.items.filter((c) => c.target?.all === true).sort((x, y) => y.targeted - x.targeted)[0];
    assert.ok(demo, 'an open demo campaign targeting every school');
  });

  const STATUSES = ['not_started', 'draft', 'submitted', 'returned', 'accepted'];

  test('schools are in every state', async () => {
    const p = (await get(`/campaigns/${demo.id}/progress`, a.committee.token)).body;
    for (const s of STATUSES) assert.ok(p.total[s] > 0, `${s}: ${JSON.stringify(p.total)}`);
  });

  test('progress totals are the sums of the municipalities and match the submissions lists', async () => {
    const p = (await get(`/campaigns/${demo.id}/progress`, a.committee.token)).body;
    assert.equal(p.total.targeted, demo.targeted);
    for (const k of ['targeted', ...STATUSES]) {
      assert.equal(p.municipalities.reduce((n, m) => n + m[k], 0), p.total[k], k);
    }
    assert.equal(STATUSES.reduce((n, s) => n + p.total[s], 0), p.total.targeted);
    for (const s of STATUSES) {
      const list = await get(`/submissions?campaign_id=${demo.id}&status=${s}&limit=1`, a.committee.token);
      assert.equal(list.status, 200, list.text);
      assert.equal(list.body.total, p.total[s], s);
    }
  });

  test('a municipality sees its own row only, consistent with its review queue', async () => {
    const mun = a.municipality.user.municipality_id;
    const p = await get(`/campaigns/${demo.id}/progress`, a.municipality.token);
    assert.equal(p.status, 200, p.text);
    assert.deepEqual(p.body.municipalities.map((m) => m.municipality_id), [mun]);
    const all = (await get(`/campaigns/${demo.id}/progress`, a.committee.token)).body.municipalities.find((m) => m.municipality_id === mun);
    assert.deepEqual(p.body.municipalities[0], all);
    for (const s of STATUSES) {
      const q = await get(`/submissions?campaign_id=${demo.id}&status=${s}&limit=200`, a.municipality.token);
      assert.equal(q.body.total, all[s], s);
      assert.ok(q.body.items.every((i) => i.municipality_id === mun), 'only its own schools');
    }
    assertProblem(await get(`/campaigns/${demo.id}/progress`, a.school.token), 403, 'auth.forbidden');
  });

  test('the municipality filter of another district gives a municipality nothing', async () => {
    const other = (await get('/municipalities?limit=200', a.committee.token)).body.items
      .find((m) => m.id !== a.municipality.user.municipality_id);
    const res = await get(`/submissions?campaign_id=${demo.id}&municipality_id=${other.id}`, a.municipality.token);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.total, 0);
  });

  test('the review queue sorts on the server: sort=status in review order, ties by municipality and school', async () => {
    const ORDER = ['submitted', 'returned', 'draft', 'not_started', 'accepted'];
    const q = `/submissions?campaign_id=${demo.id}&with_not_started=1&sort=status&limit=200`;
    const res = await get(q, a.municipality.token);
    assert.equal(res.status, 200, res.text);
    const items = res.body.items;
    const mine = (await get(`/campaigns/${demo.id}/progress`, a.municipality.token)).body.municipalities[0];
    assert.equal(res.body.total, mine.targeted, 'every targeted school, started or not');
    assert.ok(res.body.total <= 200, 'one page holds the municipality\'s queue');
    assert.equal(items.filter((i) => i.status === 'not_started').length, mine.not_started, 'the schools not started');
    for (let k = 1; k < items.length; k++) {
      const [p, n] = [items[k - 1], items[k]];
      const byStatus = ORDER.indexOf(p.status) - ORDER.indexOf(n.status);
      assert.ok(byStatus < 0 || (byStatus === 0 && (p.municipality_name !== n.municipality_name
        || p.school_name.localeCompare(n.school_name, 'ru') <= 0)), `${p.school_code} ${p.status} before ${n.school_code} ${n.status}`);
    }
    const desc = (await get(`${q.replace('sort=status', 'sort=-total_points')}`, a.municipality.token)).body.items;
    const points = desc.map((i) => i.total_points).filter((v) => v !== null);
    assert.deepEqual(points, [...points].sort((x, y) => y - x), 'sort=-total_points: highest first');
    assert.ok(desc.slice(points.length).every((i) => i.total_points === null), 'missing points last');
    assertFieldCode(await get(`/submissions?campaign_id=${demo.id}&sort=id`, a.committee.token), 'sort', 'invalid');
    assertFieldCode(await get(`/submissions?campaign_id=${demo.id}&sort=-`, a.committee.token), 'sort', 'invalid');
  });

  test('the deficit summary: per indicator, scoped; a campaign is required', async () => {
    const region = await get(`/deficits?campaign_id=${demo.id}&limit=200`, a.committee.token);
    assert.equal(region.status, 200, region.text);
    assert.ok(region.body.items.length > 0);
    assert.ok(region.body.items.every((i) => typeof i.indicator_code === 'string' && Number.isInteger(i.deficit_schools)));
    const mine = await get(`/deficits?campaign_id=${demo.id}&limit=200`, a.municipality.token);
    assert.equal(mine.status, 200, mine.text);
    assert.ok(mine.body.assessed <= region.body.assessed);
    assertFieldCode(await get('/deficits', a.committee.token), 'campaign_id', 'required');
    assertProblem(await get(`/deficits?campaign_id=${demo.id}`, a.school.token), 403, 'auth.forbidden');
  });

  test('an accepted demo school sees its results of earlier campaigns beside the current one', async () => {
    const tok = await tokenOf('school-47-16-005');
    const me = (await get('/me', tok)).body;
    const res = await get(`/schools/${me.school_id}/results`, tok);
    assert.equal(res.status, 200, res.text);
    assert.ok(res.body.items.length >= 2, res.text.slice(0, 400));
    for (const r of res.body.items) {
      assert.ok(['below_basic', 'basic', 'medium', 'high'].includes(r.level), r.level);
      assert.ok(r.directions.length > 0 && r.directions.every((d) => typeof d.code === 'string'));
    }
    const def = await get(`/schools/${me.school_id}/deficits`, tok);
    assert.equal(def.status, 200, def.text);
    assertProblem(await get(`/schools/${me.school_id}/results`, a.school.token), 404);
  });

  test('the returned demo school shows the municipality\'s comment', async () => {
    const tok = await tokenOf('school-47-16-004');
    const list = await get(`/submissions?campaign_id=${demo.id}`, tok);
    assert.equal(list.body.items.length, 1);
    const s = (await get(`/submissions/${list.body.items[0].id}`, tok)).body;
    assert.equal(s.status, 'returned');
    assert.ok(s.history.some((h) => h.status === 'returned' && h.comment), JSON.stringify(s.history));
  });
});
