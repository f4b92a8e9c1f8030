// The authorization matrix: every route of `orientir-api routes` × each role × an object
// inside the caller's scope and one outside it. The expectation table below is keyed by
// "METHOD path"; a route without an expectation fails, and so does an expectation without
// a route, so a new route cannot slip in untested.
//
// For every route: no token → 401; a role that may never use it → 403 auth.forbidden (for
// own and foreign objects alike); an allowed role → the success status on an object in its
// scope and 404 (never 200 or 403) on one outside. Refused writes change nothing.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEMO_PASSWORD, ROLES, assertProblem, createUser, dbFingerprint, demoActors, freshUser, foreignRegion, get, login,
  orgFor, refreshCookie, request, routeTable, samplePdf, tokenOf, unique, upload,
} from './lib.mjs';
import {
  act, answerAll, createCampaign, createInstrument, foreignDiagnostics, indicatorsByCode, instrumentDoc,
  moscowDate, openSubmission, putAnswer,
} from './diag.mjs';
import {
  accept, addItem, addSchool, createDocument, createProject, foreignExecution, nextItemNumber, recordsOf, report,
} from './execution.mjs';
import {
  addMeasure, createProgram, deficitsByCode, diagnose, measureBody, municipalityTokenOf, newSchool, programIn,
  programPeriod, schoolDeficits,
} from './programs.mjs';

const ALL = ROLES;
const REGIONAL_AND_MUNICIPAL = ['committee', 'municipality'];
const REGIONAL = ['committee', 'loiro'];
const REVIEWERS = ['committee', 'loiro', 'municipality'];

// ---------------------------------------------------------------------------------------
// Fixtures: objects in and out of each role's scope.
const fx = {};

// Built once, on first use by a route's tests (the route-table checks need none of it).
let fixturesMade = null;
const fixtures = () => (fixturesMade ??= makeFixtures());
async function makeFixtures() {
  const a = await demoActors();
  fx.actors = a;
  fx.munId = a.municipality.user.municipality_id;
  fx.schoolA = a.school.user.school_id;
  fx.userA = a.school.user.id;
  const schools = (await get('/schools?limit=200', a.committee.token)).body.items;
  const b = schools.find((s) => s.municipality_id !== fx.munId);
  fx.schoolB = b.id;
  fx.schoolBCode = b.code;
  fx.schoolBMun = b.municipality_id;
  const usersB = await get(`/users?role=school&school_id=${b.id}`, a.committee.token);
  assert.equal(usersB.status, 200, usersB.text);
  fx.userB = usersB.body.items[0].id;
  Object.assign(fx, foreignRegion());
  // A school of the demo municipality made for this file, so PATCH leaves demo schools alone.
  const y = await request('POST', '/schools', {
    token: a.committee.token,
    json: {
      code: unique('mx').slice(-20), name: 'МОУ «Школа матрицы»', short_name: 'Школа матрицы',
      municipality_id: fx.munId, address: 'г. Всеволожск', is_rural: false, unfavorable_conditions: false,
      education_levels: ['primary'], has_ovz_pupils: false,
    },
  });
  assert.equal(y.status, 201, y.text);
  fx.schoolY = y.body.id;
  // A school user of the demo school, the object of user writes.
  fx.victim = (await createUser(a.committee.token, 'school', { school_id: fx.schoolA })).id;
  await makeDiagnosticsFixtures(a);
  await makeExecutionFixtures(a);
  await makeProgramFixtures(a);
  await makeAttachmentFixtures(a);
}

/*
 * Self-diagnostics objects, each in the state its route acts on. School A is the demo
 * school (municipality mo-vsevolozhsky), school B one of another municipality; both are the
 * targets of fresh campaigns over a small published instrument, one campaign per state
 * needed, since a school has one submission per campaign. The foreign region has its own
 * instrument, draft, campaign and accepted submission.
 */
async function makeDiagnosticsFixtures(a) {
  const tokA = a.school.token;
  const tokB = await tokenOf(`school-${fx.schoolBCode}`);
  fx.instrument = await createInstrument(a.loiro.token);
  fx.indicator = indicatorsByCode(fx.instrument).K01.id;
  fx.drafts = {
    committee: (await createInstrument(a.committee.token, instrumentDoc(), { publish: false })).id,
    loiro: (await createInstrument(a.loiro.token, instrumentDoc(), { publish: false })).id,
  };
  const campaign = async (schoolIds) =>
    (await createCampaign(a.committee.token, [fx.instrument.id], { school_ids: schoolIds })).id;
  const both = [fx.schoolA, fx.schoolB];
  fx.campaignMain = await campaign(both); // drafts of A and B
  fx.campaignUnopened = await campaign(both); // A opens it in the matrix: 201
  fx.campaignToExtend = await campaign(both);
  fx.campaignOfB = await campaign([fx.schoolB]); // not visible to school A
  fx.campaignSubmit = await campaign(both); // complete drafts of A and B
  fx.campaignAccept = await campaign(both); // A and B submitted
  fx.campaignReturn = await campaign(both); // A submitted
  fx.campaignReopen = await campaign(both); // A accepted

  fx.subA = (await openSubmission(tokA, fx.campaignMain)).id;
  fx.subB = (await openSubmission(tokB, fx.campaignMain)).id;
  const complete = async (token, campaignId) => {
    const sub = await openSubmission(token, campaignId);
    await answerAll(token, sub.id, fx.instrument);
    return sub.id;
  };
  fx.subSubmitA = await complete(tokA, fx.campaignSubmit);
  fx.subSubmitB = await complete(tokB, fx.campaignSubmit);
  fx.subAcceptA = await complete(tokA, fx.campaignAccept);
  await act(tokA, fx.subAcceptA, 'submit');
  fx.subAcceptB = await complete(tokB, fx.campaignAccept);
  await act(tokB, fx.subAcceptB, 'submit');
  fx.subReturnA = await complete(tokA, fx.campaignReturn);
  await act(tokA, fx.subReturnA, 'submit');
  fx.subReopenA = await complete(tokA, fx.campaignReopen);
  await act(tokA, fx.subReopenA, 'submit');
  await act(a.municipality.token, fx.subReopenA, 'accept');
  fx.foreignDiag = await foreignDiagnostics();
}

/*
 * Projects and control of execution (issue 5). A project with school A (visible to every
 * demo role), one without it (outside school A's scope), one to remove school A from; a
 * committee document whose item has a record for each demo role's organisation, one whose
 * only record is school B's (outside the municipality's and school A's scope), the demo
 * municipality's own road map, records reported done (to accept and to return), and a
 * foreign region's project, document and record (outside the committee's and ЛОИРО's).
 */
async function makeExecutionFixtures(a) {
  const c = a.committee.token;
  const ex = {};
  ex.project = await createProject(c);
  await addSchool(c, ex.project.id, fx.schoolA);
  ex.projectNoA = await createProject(c);
  ex.projectDel = await createProject(c);
  await addSchool(c, ex.projectDel.id, fx.schoolA);
  ex.doc = await createDocument(c);
  const region = a.committee.user.region_id;
  const recs = recordsOf(await addItem(c, ex.doc.id, [
    { kind: 'committee' }, { kind: 'loiro' }, { kind: 'municipality', id: fx.munId }, { kind: 'school', id: fx.schoolA },
  ]));
  ex.record = {
    committee: recs[`committee:${region}`], loiro: recs[`loiro:${region}`],
    municipality: recs[`municipality:${fx.munId}`], school: recs[`school:${fx.schoolA}`],
  };
  ex.docB = await createDocument(c);
  ex.recordB = recordsOf(await addItem(c, ex.docB.id, [{ kind: 'school', id: fx.schoolB }]))[`school:${fx.schoolB}`];
  ex.roadmap = await createDocument(a.municipality.token, { kind: 'roadmap', title: 'Дорожная карта матрицы' });
  const reportedDone = async () => {
    const id = recordsOf(await addItem(c, ex.doc.id, [{ kind: 'municipality', id: fx.munId }]))[`municipality:${fx.munId}`];
    const res = await report(a.municipality.token, id);
    assert.equal(res.status, 200, res.text);
    return id;
  };
  ex.recordToAccept = await reportedDone();
  ex.recordToReturn = await reportedDone();
  ex.foreign = await foreignExecution();
  fx.ex = ex;
}

/*
 * Development programs (issue 4). Schools A and B (as above) take part in fresh campaigns
 * over the matrix instrument, answered so that each gets deficits (programs.mjs), accepted by
 * their municipalities; one campaign per program state a route acts on: none yet (create),
 * draft (edits), complete draft (submit), submitted (approve; return), approved (progress,
 * revise). School B's are outside the municipality's and school A's scope; the foreign
 * region's program and practice are outside the committee's and ЛОИРО's. Partnerships: one
 * of the demo municipality's own to delete, one of school B's municipality outside it.
 */
async function makeProgramFixtures(a) {
  const c = a.committee.token;
  const munA = a.municipality.token;
  const munB = await municipalityTokenOf(c, fx.schoolBMun);
  const A = { id: fx.schoolA, token: a.school.token };
  const B = { id: fx.schoolB, token: await tokenOf(`school-${fx.schoolBCode}`) };
  const campaignAB = async () =>
    (await diagnose(c, fx.instrument, [{ school: A, munToken: munA }, { school: B, munToken: munB }])).campaign.id;
  const inState = async (state) => {
    const id = await campaignAB();
    return { A: await programIn(state, A, munA, id), B: await programIn(state, B, munB, id) };
  };
  const pg = {};
  pg.campaignNew = await campaignAB();
  pg.deficitA = deficitsByCode(await schoolDeficits(c, A.id, pg.campaignNew)).H01.id;
  pg.deficitB = deficitsByCode(await schoolDeficits(c, B.id, pg.campaignNew)).H01.id;
  pg.draft = await inState('draft');
  pg.complete = await inState('complete');
  pg.submitted = await inState('submitted');
  pg.toReturn = await inState('submitted');
  pg.approved = await inState('approved');
  // measures by program id: the one a PATCH or progress changes, and one to delete
  pg.measure = {};
  for (const s of [pg.draft, pg.approved]) for (const x of [s.A, s.B]) pg.measure[x.program.id] = x.measures[0].id;
  pg.measureToDelete = {
    [pg.draft.A.program.id]: (await addMeasure(A.token, pg.draft.A.program.id, [pg.draft.A.deficits.K02.id])).id,
    [pg.draft.B.program.id]: pg.draft.B.measures[0].id,
  };
  pg.direction = fx.instrument.directions[0].id;
  const fd = fx.foreignDiag;
  pg.foreignProgram = (await createProgram(fd.schoolToken, fd.campaign.id)).id;
  pg.foreignIndicator = indicatorsByCode(fd.instrument).K01.id;
  const practice = (token, indicatorId) => request('POST', '/practices', {
    token, json: { title: 'Практика матрицы', body: 'Описание практики', links: [], indicator_ids: [indicatorId] },
  });
  const own = await practice(a.loiro.token, fx.indicator);
  assert.equal(own.status, 201, own.text);
  pg.practice = own.body.id;
  const foreign = await practice(fd.loiroToken, pg.foreignIndicator);
  assert.equal(foreign.status, 201, foreign.text);
  pg.foreignPractice = foreign.body.id;
  const pair = async (token, schoolId, mentorId) => {
    const res = await request('POST', '/partnerships', { token, json: { school_id: schoolId, mentor_school_id: mentorId, indicator_ids: [] } });
    assert.equal(res.status, 201, res.text);
    return res.body.id;
  };
  pg.partnership = await pair(munA, fx.schoolY, fx.schoolA);
  const schoolBY = await newSchool(c, fx.schoolBMun, 'Школа матрицы Б');
  pg.partnershipB = await pair(munB, schoolBY.id, fx.schoolB);
  fx.pg = pg;
}

/*
 * Attached files (issue 14): one on the committee's document that every demo role sees, one
 * per role for that role to remove (on an object it changes), and the foreign ones: on the
 * foreign region's practice (outside the committee's and ЛОИРО's scope) and on school B's
 * program (outside the municipality's and school A's).
 */
async function makeAttachmentFixtures(a) {
  const put = async (token, path) => {
    const res = await upload(token, path, samplePdf(), 'Файл матрицы.pdf');
    assert.equal(res.status, 201, `${path}: ${res.text}`);
    return res.body.id;
  };
  const at = {};
  at.shared = await put(a.committee.token, `/documents/${fx.ex.doc.id}`);
  at.toRemove = {
    committee: await put(a.committee.token, `/documents/${fx.ex.doc.id}`),
    loiro: await put(a.loiro.token, `/practices/${fx.pg.practice}`),
    municipality: await put(a.municipality.token, `/documents/${fx.ex.roadmap.id}`),
    school: await put(a.school.token, `/programs/${fx.pg.draft.A.program.id}`),
  };
  at.foreignRegional = await put(fx.foreignDiag.loiroToken, `/practices/${fx.pg.foreignPractice}`);
  at.foreignLocal = await put(await tokenOf(`school-${fx.schoolBCode}`), `/programs/${fx.pg.draft.B.program.id}`);
  fx.at = at;
}

// A caller per role. Most routes use the demo users; POST /me/password uses a fresh user
// of that role so the demo passwords stay as they are.
const demoCaller = async (role) => ({ token: fx.actors[role].token });
async function freshCaller(role) {
  const u = await createUser(fx.actors.committee.token, role, await orgFor(role));
  const res = await login(u.login, u.password);
  assert.equal(res.status, 200, res.text);
  return { token: res.body.access_token, password: u.password };
}

// own(role) / foreign(role): the {id} of an object inside / outside that role's scope.
const schoolOwn = () => fx.schoolA; // the demo school lies in every demo role's scope
const schoolForeign = (role) => (role === 'committee' || role === 'loiro' ? fx.schoolX : fx.schoolB);
const userOwn = () => fx.userA; // a user of the demo school: in the committee's and the municipality's scope
const userForeign = (role) => (role === 'committee' || role === 'loiro' ? fx.userX : fx.userB);

// Self-diagnostics: the committee and ЛОИРО reach their region (the foreign one is outside);
// a municipality its own schools (school B's are outside), campaigns of its region; a school
// itself and the campaigns that target it.
const regional = (role) => role === 'committee' || role === 'loiro';
const instrumentForeign = () => fx.foreignDiag.instrument.id;
const campaignForeign = (role) => (role === 'school' ? fx.campaignOfB : fx.foreignDiag.campaign.id);
const submissionForeign = (other) => (role) => (regional(role) ? fx.foreignDiag.submission.id : other());

// Execution: the committee and ЛОИРО reach their region; a municipality its own records and
// its schools' (and the documents holding them), its own road map; a school its own records
// and the projects it takes part in.
const projectForeign = (role) => (role === 'school' ? fx.ex.projectNoA.id : fx.ex.foreign.project.id);
const documentForeign = (role) => (regional(role) ? fx.ex.foreign.document.id : fx.ex.docB.id);
const documentOwnToEdit = (role) => (role === 'municipality' ? fx.ex.roadmap.id : fx.ex.doc.id);
const recordOwn = (role) => fx.ex.record[role];
const recordForeign = (role) => (regional(role) ? fx.ex.foreign.record : fx.ex.recordB);
const withRole = async (role) => ({ ...(await demoCaller(role)), role });

// Programs: the committee and ЛОИРО reach their region's; a municipality its schools'; a
// school its own. State routes act on school A's program in the state they need.
const programForeign = (role) => (regional(role) ? fx.pg.foreignProgram : null);
const programPair = (state) => ({
  own: () => fx.pg[state].A.program.id,
  foreign: (role) => programForeign(role) ?? fx.pg[state].B.program.id,
});
const SCHOOL = ['school'];
const MUNICIPALITY = ['municipality'];
const attachmentForeign = (role) => (regional(role) ? fx.at.foreignRegional : fx.at.foreignLocal);
const attach = (token, path) => upload(token, path, samplePdf(), 'Файл матрицы.pdf');

// The expectation table. send({token, id, caller}) performs the request with a valid body.
const EXPECT = {
  'GET /api/v1/health': {
    public: true, ok: 200,
    send: () => request('GET', '/health'),
  },
  'GET /api/v1/openapi.json': {
    public: true, ok: 200,
    send: () => request('GET', '/openapi.json'),
  },
  'POST /api/v1/auth/login': {
    public: true, ok: 200,
    send: () => login('loiro', DEMO_PASSWORD),
  },
  'POST /api/v1/auth/refresh': {
    public: true, ok: 200,
    send: async () => request('POST', '/auth/refresh', { cookie: refreshCookie(await login('loiro')).pair }),
  },
  'POST /api/v1/auth/logout': {
    public: true, ok: 204,
    send: async () => {
      const u = await freshUser('loiro'); // sign-out ends the user's tokens: not a demo user's
      return request('POST', '/auth/logout', { cookie: refreshCookie(await login(u.login, u.password)).pair });
    },
  },
  'GET /api/v1/me': {
    roles: ALL, ok: 200,
    send: ({ token }) => get('/me', token),
  },
  'POST /api/v1/me/password': {
    roles: ALL, ok: 204, caller: freshCaller,
    send: ({ token, caller }) => request('POST', '/me/password', {
      token, json: { current_password: caller?.password ?? 'x', new_password: `Nw-${unique('pw')}` },
    }),
  },
  'GET /api/v1/regions': {
    roles: ALL, ok: 200,
    send: ({ token }) => get('/regions', token),
  },
  'GET /api/v1/municipalities': {
    roles: ALL, ok: 200,
    send: ({ token }) => get('/municipalities', token),
  },
  'GET /api/v1/schools': {
    roles: ALL, ok: 200,
    send: ({ token }) => get('/schools', token),
  },
  'GET /api/v1/schools/{id}': {
    roles: ALL, ok: 200, own: schoolOwn, foreign: schoolForeign,
    send: ({ token, id }) => get(`/schools/${id}`, token),
  },
  'POST /api/v1/schools': {
    roles: ['committee'], ok: 201,
    send: ({ token }) => {
      const code = unique('mx').slice(-20);
      return request('POST', '/schools', {
        token,
        json: {
          code, name: `МОУ «Школа ${code}»`, short_name: `Школа ${code}`, municipality_id: fx.munId,
          address: 'г. Всеволожск', is_rural: true, unfavorable_conditions: false,
          education_levels: ['primary', 'basic'], has_ovz_pupils: false,
        },
      });
    },
  },
  'PATCH /api/v1/schools/{id}': {
    roles: ['committee'], ok: 200,
    own: (role) => (role === 'committee' ? fx.schoolY : schoolOwn()), foreign: schoolForeign,
    send: ({ token, id }) => request('PATCH', `/schools/${id}`, { token, json: { address: `ул. Матричная, д. ${unique('d')}` } }),
  },
  'GET /api/v1/users': {
    roles: REGIONAL_AND_MUNICIPAL, ok: 200,
    send: ({ token }) => get('/users', token),
  },
  'GET /api/v1/users/{id}': {
    roles: REGIONAL_AND_MUNICIPAL, ok: 200, own: userOwn, foreign: userForeign,
    send: ({ token, id }) => get(`/users/${id}`, token),
  },
  'POST /api/v1/users': {
    roles: REGIONAL_AND_MUNICIPAL, ok: 201,
    send: ({ token }) => request('POST', '/users', {
      token, json: { login: unique('mx').toLowerCase(), full_name: 'Матрицын Олег', role: 'school', school_id: fx.schoolA, password: `Pw-${unique('pw')}` },
    }),
  },
  'PATCH /api/v1/users/{id}': {
    roles: REGIONAL_AND_MUNICIPAL, ok: 200, own: () => fx.victim, foreign: userForeign,
    send: ({ token, id }) => request('PATCH', `/users/${id}`, { token, json: { full_name: `Матрицына ${unique('n')}` } }),
  },
  'POST /api/v1/users/{id}/password': {
    roles: REGIONAL_AND_MUNICIPAL, ok: 204, own: () => fx.victim, foreign: userForeign,
    send: ({ token, id }) => request('POST', `/users/${id}/password`, { token, json: { new_password: `Nw-${unique('pw')}` } }),
  },
  // ---- self-diagnostics (issue 3)
  'GET /api/v1/instruments': {
    roles: ALL, ok: 200,
    send: ({ token }) => get('/instruments', token),
  },
  'GET /api/v1/instruments/{id}': {
    roles: ALL, ok: 200, own: () => fx.instrument.id, foreign: instrumentForeign,
    send: ({ token, id }) => get(`/instruments/${id}`, token),
  },
  'GET /api/v1/instruments/{id}/document': {
    roles: REGIONAL, ok: 200, own: () => fx.instrument.id, foreign: instrumentForeign,
    send: ({ token, id }) => get(`/instruments/${id}/document`, token),
  },
  'POST /api/v1/instruments': {
    roles: REGIONAL, ok: 201,
    send: ({ token }) => request('POST', '/instruments', { token, json: instrumentDoc() }),
  },
  'POST /api/v1/instruments/{id}/publish': {
    roles: REGIONAL, ok: 200,
    own: (role) => fx.drafts[role] ?? fx.drafts.loiro, foreign: () => fx.foreignDiag.draft.id,
    send: ({ token, id }) => request('POST', `/instruments/${id}/publish`, { token }),
  },
  'GET /api/v1/campaigns': {
    roles: ALL, ok: 200,
    send: ({ token }) => get('/campaigns?status=open', token),
  },
  'GET /api/v1/campaigns/{id}': {
    roles: ALL, ok: 200, own: () => fx.campaignMain, foreign: campaignForeign,
    send: ({ token, id }) => get(`/campaigns/${id}`, token),
  },
  'POST /api/v1/campaigns': {
    roles: REGIONAL, ok: 201,
    send: ({ token }) => request('POST', '/campaigns', {
      token,
      json: {
        title: `Кампания матрицы ${unique('c')}`, instrument_ids: [fx.instrument.id], opens_on: moscowDate(0),
        closes_on: moscowDate(10), target: { school_ids: [fx.schoolA] },
      },
    }),
  },
  'PATCH /api/v1/campaigns/{id}': {
    roles: REGIONAL, ok: 200, own: () => fx.campaignToExtend, foreign: () => fx.foreignDiag.campaign.id,
    send: ({ token, id }) => request('PATCH', `/campaigns/${id}`, { token, json: { closes_on: moscowDate(45) } }),
  },
  'GET /api/v1/campaigns/{id}/progress': {
    roles: REVIEWERS, ok: 200, own: () => fx.campaignMain, foreign: () => fx.foreignDiag.campaign.id,
    send: ({ token, id }) => get(`/campaigns/${id}/progress`, token),
  },
  'POST /api/v1/campaigns/{id}/submissions': {
    roles: ['school'], ok: 201, own: () => fx.campaignUnopened, foreign: () => fx.campaignOfB,
    send: ({ token, id }) => request('POST', `/campaigns/${id}/submissions`, { token }),
  },
  'GET /api/v1/submissions': {
    roles: ALL, ok: 200,
    send: ({ token }) => get('/submissions', token),
  },
  'GET /api/v1/submissions/{id}': {
    roles: ALL, ok: 200, own: () => fx.subA, foreign: submissionForeign(() => fx.subB),
    send: ({ token, id }) => get(`/submissions/${id}`, token),
  },
  'PUT /api/v1/submissions/{id}/answers/{indicator_id}': {
    roles: ['school'], ok: 200, own: () => fx.subA, foreign: () => fx.subB,
    send: ({ token, id }) => putAnswer(token, id, fx.indicator, 'yes', { comment: 'Ответ матрицы' }),
  },
  'GET /api/v1/submissions/{id}/answers/{indicator_id}/history': {
    roles: ['municipality', 'school'], ok: 200, own: () => fx.subA, foreign: () => fx.subB,
    send: ({ token, id }) => get(`/submissions/${id}/answers/${fx.indicator}/history`, token),
  },
  'POST /api/v1/submissions/{id}/submit': {
    roles: ['school'], ok: 200, own: () => fx.subSubmitA, foreign: () => fx.subSubmitB,
    send: ({ token, id }) => request('POST', `/submissions/${id}/submit`, { token }),
  },
  'POST /api/v1/submissions/{id}/accept': {
    roles: ['municipality'], ok: 200, own: () => fx.subAcceptA, foreign: () => fx.subAcceptB,
    send: ({ token, id }) => request('POST', `/submissions/${id}/accept`, { token }),
  },
  'POST /api/v1/submissions/{id}/return': {
    roles: ['municipality'], ok: 200, own: () => fx.subReturnA, foreign: () => fx.subAcceptB,
    send: ({ token, id }) => request('POST', `/submissions/${id}/return`, { token, json: { comment: 'Уточните ответы' } }),
  },
  'POST /api/v1/submissions/{id}/reopen': {
    roles: ['committee'], ok: 200, own: () => fx.subReopenA, foreign: () => fx.foreignDiag.submission.id,
    send: ({ token, id }) => request('POST', `/submissions/${id}/reopen`, { token, json: { reason: 'Проверка матрицы' } }),
  },
  'GET /api/v1/schools/{id}/deficits': {
    roles: ALL, ok: 200, own: schoolOwn, foreign: schoolForeign,
    send: ({ token, id }) => get(`/schools/${id}/deficits`, token),
  },
  'GET /api/v1/schools/{id}/results': {
    roles: ALL, ok: 200, own: schoolOwn, foreign: schoolForeign,
    send: ({ token, id }) => get(`/schools/${id}/results`, token),
  },
  'GET /api/v1/deficits': {
    roles: REVIEWERS, ok: 200,
    send: ({ token }) => get(`/deficits?campaign_id=${fx.campaignAccept}`, token),
  },
  // ---- projects and control of execution (issue 5)
  'GET /api/v1/projects': {
    roles: ALL, ok: 200,
    send: ({ token }) => get('/projects', token),
  },
  'POST /api/v1/projects': {
    roles: ['committee'], ok: 201,
    send: ({ token }) => request('POST', '/projects', {
      token, json: { title: `Проект матрицы ${unique('p')}`, starts_on: '2024-09-01', order_number: '1-р', order_date: '2024-08-20' },
    }),
  },
  'GET /api/v1/projects/{id}': {
    roles: ALL, ok: 200, own: () => fx.ex.project.id, foreign: projectForeign,
    send: ({ token, id }) => get(`/projects/${id}`, token),
  },
  'PATCH /api/v1/projects/{id}': {
    roles: ['committee'], ok: 200, own: () => fx.ex.project.id, foreign: projectForeign,
    send: ({ token, id }) => request('PATCH', `/projects/${id}`, { token, json: { description: `Описание ${unique('d')}` } }),
  },
  'GET /api/v1/projects/{id}/schools': {
    roles: ALL, ok: 200, own: () => fx.ex.project.id, foreign: projectForeign,
    send: ({ token, id }) => get(`/projects/${id}/schools`, token),
  },
  'POST /api/v1/projects/{id}/schools': {
    roles: ['committee'], ok: 201, own: () => fx.ex.project.id, foreign: projectForeign,
    send: ({ token, id }) => request('POST', `/projects/${id}/schools`, { token, json: { school_id: fx.schoolY, group: 'risk_zone' } }),
  },
  'DELETE /api/v1/projects/{id}/schools/{school_id}': {
    roles: ['committee'], ok: 204, own: () => fx.ex.projectDel.id, foreign: projectForeign,
    send: ({ token, id }) => request('DELETE', `/projects/${id}/schools/${fx.schoolA}`, { token }),
  },
  'POST /api/v1/projects/{id}/schools/import': {
    roles: ['committee'], ok: 200, own: () => fx.ex.project.id, foreign: projectForeign,
    send: ({ token, id }) => request('POST', `/projects/${id}/schools/import`, {
      token, contentType: 'text/csv',
      body: `school_code;group;unfavorable_conditions\n${fx.actors.school.schoolRow.code};academic_failure;0\n`,
    }),
  },
  'GET /api/v1/documents': {
    roles: ALL, ok: 200,
    send: ({ token }) => get('/documents', token),
  },
  'POST /api/v1/documents': {
    roles: REGIONAL_AND_MUNICIPAL, ok: 201, caller: withRole,
    send: ({ token, caller }) => request('POST', '/documents', {
      token,
      json: {
        kind: caller?.role === 'committee' ? 'order' : 'roadmap', number: unique('n').slice(-20), date: '2024-06-20',
        title: 'Документ матрицы',
      },
    }),
  },
  'GET /api/v1/documents/{id}': {
    roles: ALL, ok: 200, own: () => fx.ex.doc.id, foreign: documentForeign,
    send: ({ token, id }) => get(`/documents/${id}`, token),
  },
  'PATCH /api/v1/documents/{id}': {
    roles: REGIONAL_AND_MUNICIPAL, ok: 200, own: documentOwnToEdit, foreign: documentForeign,
    send: ({ token, id }) => request('PATCH', `/documents/${id}`, { token, json: { title: `Документ ${unique('t')}` } }),
  },
  'POST /api/v1/documents/{id}/items': {
    roles: REGIONAL_AND_MUNICIPAL, ok: 201, own: documentOwnToEdit, foreign: documentForeign,
    send: ({ token, id }) => request('POST', `/documents/${id}/items`, {
      token, json: { number: nextItemNumber(8), content: 'Пункт матрицы' },
    }),
  },
  'GET /api/v1/assignments': {
    roles: ALL, ok: 200,
    send: ({ token }) => get('/assignments?mine=1', token),
  },
  'GET /api/v1/assignments/summary': {
    roles: REVIEWERS, ok: 200,
    send: ({ token }) => get('/assignments/summary?by=executor', token),
  },
  'GET /api/v1/assignments/{id}': {
    roles: ALL, ok: 200, own: recordOwn, foreign: recordForeign,
    send: ({ token, id }) => get(`/assignments/${id}`, token),
  },
  'POST /api/v1/assignments/{id}/report': {
    roles: ALL, ok: 200, own: recordOwn, foreign: recordForeign,
    send: ({ token, id }) => report(token, id, { status: 'in_progress', text: 'Работа идёт', links: ['https://example.org/a'] }),
  },
  'POST /api/v1/assignments/{id}/accept': {
    roles: ['committee'], ok: 200, own: () => fx.ex.recordToAccept, foreign: recordForeign,
    send: ({ token, id }) => accept(token, id),
  },
  'POST /api/v1/assignments/{id}/return': {
    roles: ['committee'], ok: 200, own: () => fx.ex.recordToReturn, foreign: recordForeign,
    send: ({ token, id }) => request('POST', `/assignments/${id}/return`, { token, json: { comment: 'Дополните отчёт' } }),
  },
  // ---- development programs, deficits, practices, mentors, partnerships (issue 4)
  'GET /api/v1/programs': {
    roles: ALL, ok: 200,
    send: ({ token }) => get('/programs?status=approved', token),
  },
  'POST /api/v1/programs': {
    roles: SCHOOL, ok: 201,
    send: ({ token }) => request('POST', '/programs', {
      token, json: { campaign_id: fx.pg.campaignNew, title: 'Программа матрицы', ...programPeriod() },
    }),
  },
  'GET /api/v1/programs/{id}': {
    roles: ALL, ok: 200, ...programPair('draft'),
    send: ({ token, id }) => get(`/programs/${id}`, token),
  },
  'PATCH /api/v1/programs/{id}': {
    roles: SCHOOL, ok: 200, ...programPair('draft'),
    send: ({ token, id }) => request('PATCH', `/programs/${id}`, { token, json: { title: `Программа ${unique('t')}` } }),
  },
  'PUT /api/v1/programs/{id}/analyses/{direction_id}': {
    roles: SCHOOL, ok: 200, ...programPair('draft'),
    send: ({ token, id }) => request('PUT', `/programs/${id}/analyses/${fx.pg.direction}`, { token, json: { text: 'Анализ матрицы' } }),
  },
  'POST /api/v1/programs/{id}/measures': {
    roles: SCHOOL, ok: 201, ...programPair('draft'),
    send: ({ token, id }) => request('POST', `/programs/${id}/measures`, { token, json: measureBody([fx.pg.draft.A.deficits.H01.id]) }),
  },
  'PATCH /api/v1/programs/{id}/measures/{measure_id}': {
    roles: SCHOOL, ok: 200, ...programPair('draft'),
    send: ({ token, id }) => request('PATCH', `/programs/${id}/measures/${fx.pg.measure[id] ?? 1}`, {
      token, json: { responsible: `Ответственный ${unique('r')}` },
    }),
  },
  'DELETE /api/v1/programs/{id}/measures/{measure_id}': {
    roles: SCHOOL, ok: 204, ...programPair('draft'),
    send: ({ token, id }) => request('DELETE', `/programs/${id}/measures/${fx.pg.measureToDelete[id] ?? 1}`, { token }),
  },
  'POST /api/v1/programs/{id}/measures/{measure_id}/progress': {
    roles: SCHOOL, ok: 200, ...programPair('approved'),
    send: ({ token, id }) => request('POST', `/programs/${id}/measures/${fx.pg.measure[id] ?? 1}/progress`, {
      token, json: { status: 'in_progress' },
    }),
  },
  'POST /api/v1/programs/{id}/submit': {
    roles: SCHOOL, ok: 200, ...programPair('complete'),
    send: ({ token, id }) => request('POST', `/programs/${id}/submit`, { token }),
  },
  'POST /api/v1/programs/{id}/approve': {
    roles: MUNICIPALITY, ok: 200, ...programPair('submitted'),
    send: ({ token, id }) => request('POST', `/programs/${id}/approve`, { token }),
  },
  'POST /api/v1/programs/{id}/return': {
    roles: MUNICIPALITY, ok: 200, ...programPair('toReturn'),
    send: ({ token, id }) => request('POST', `/programs/${id}/return`, { token, json: { comment: 'Доработайте мероприятия' } }),
  },
  'POST /api/v1/programs/{id}/comments': {
    roles: REVIEWERS, ok: 201, ...programPair('draft'),
    send: ({ token, id }) => request('POST', `/programs/${id}/comments`, { token, json: { text: 'Комментарий матрицы' } }),
  },
  'POST /api/v1/programs/{id}/revise': {
    roles: SCHOOL, ok: 201, ...programPair('approved'),
    send: ({ token, id }) => request('POST', `/programs/${id}/revise`, { token }),
  },
  'POST /api/v1/deficits/{id}/close': {
    roles: MUNICIPALITY, ok: 200, own: () => fx.pg.deficitA, foreign: () => fx.pg.deficitB,
    send: ({ token, id }) => request('POST', `/deficits/${id}/close`, { token, json: { reason: 'Закрыт матрицей' } }),
  },
  'GET /api/v1/practices': {
    roles: ALL, ok: 200,
    send: ({ token }) => get(`/practices?indicator_id=${fx.indicator}`, token),
  },
  'POST /api/v1/practices': {
    roles: ['loiro'], ok: 201,
    send: ({ token }) => request('POST', '/practices', {
      token, json: { title: 'Практика матрицы', body: 'Текст практики', links: ['https://example.org/p'], indicator_ids: [fx.indicator] },
    }),
  },
  'GET /api/v1/practices/{id}': {
    roles: ALL, ok: 200, own: () => fx.pg.practice, foreign: () => fx.pg.foreignPractice,
    send: ({ token, id }) => get(`/practices/${id}`, token),
  },
  'PATCH /api/v1/practices/{id}': {
    roles: ['loiro'], ok: 200, own: () => fx.pg.practice, foreign: () => fx.pg.foreignPractice,
    send: ({ token, id }) => request('PATCH', `/practices/${id}`, { token, json: { title: `Практика ${unique('t')}` } }),
  },
  'GET /api/v1/indicators/{id}/mentors': {
    roles: ALL, ok: 200, own: () => fx.indicator, foreign: () => fx.pg.foreignIndicator,
    send: ({ token, id }) => get(`/indicators/${id}/mentors`, token),
  },
  'GET /api/v1/partnerships': {
    roles: ALL, ok: 200,
    send: ({ token }) => get('/partnerships', token),
  },
  'POST /api/v1/partnerships': {
    roles: MUNICIPALITY, ok: 201,
    send: ({ token }) => request('POST', '/partnerships', {
      token, json: { school_id: fx.schoolY, mentor_school_id: fx.schoolB, indicator_ids: [fx.indicator] },
    }),
  },
  'DELETE /api/v1/partnerships/{id}': {
    roles: MUNICIPALITY, ok: 204, own: () => fx.pg.partnership, foreign: () => fx.pg.partnershipB,
    send: ({ token, id }) => request('DELETE', `/partnerships/${id}`, { token }),
  },
  // ---- monitoring summaries and exports (issue 6); the exports answer a file (`type`), not JSON
  'GET /api/v1/reports/summary': {
    roles: REVIEWERS, ok: 200,
    send: ({ token }) => get(`/reports/summary?campaign_id=${fx.campaignAccept}`, token),
  },
  'GET /api/v1/reports/summary.xlsx': {
    roles: REVIEWERS, ok: 200, type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    send: ({ token }) => get(`/reports/summary.xlsx?campaign_id=${fx.campaignAccept}`, token),
  },
  'GET /api/v1/reports/summary.csv': {
    roles: REVIEWERS, ok: 200, type: 'text/csv; charset=utf-8',
    send: ({ token }) => get(`/reports/summary.csv?campaign_id=${fx.campaignAccept}&sep=comma`, token),
  },
  'GET /api/v1/reports/schools': {
    roles: REVIEWERS, ok: 200,
    send: ({ token }) => get(`/reports/schools?campaign_id=${fx.campaignAccept}&limit=500`, token),
  },
  'GET /api/v1/reports/deficits': {
    roles: REVIEWERS, ok: 200,
    send: ({ token }) => get(`/reports/deficits?campaign_id=${fx.campaignAccept}`, token),
  },
  'GET /api/v1/reports/programs': {
    roles: REVIEWERS, ok: 200,
    send: ({ token }) => get(`/reports/programs?campaign_id=${fx.campaignAccept}`, token),
  },
  'GET /api/v1/schools/{id}/card': {
    roles: ALL, ok: 200, own: schoolOwn, foreign: schoolForeign,
    send: ({ token, id }) => get(`/schools/${id}/card`, token),
  },
  // ---- attached files (issue 14): upload by whoever changes the object
  'POST /api/v1/assignments/{id}/attachments': {
    roles: ALL, ok: 201, own: recordOwn, foreign: recordForeign,
    send: ({ token, id }) => attach(token, `/assignments/${id}`),
  },
  'POST /api/v1/programs/{id}/attachments': {
    roles: SCHOOL, ok: 201, ...programPair('draft'),
    send: ({ token, id }) => attach(token, `/programs/${id}`),
  },
  'POST /api/v1/programs/{id}/measures/{measure_id}/attachments': {
    roles: SCHOOL, ok: 201, ...programPair('approved'),
    send: ({ token, id }) => attach(token, `/programs/${id}/measures/${fx.pg.measure[id] ?? 1}`),
  },
  'POST /api/v1/submissions/{id}/answers/{indicator_id}/attachments': {
    roles: SCHOOL, ok: 201, own: () => fx.subA, foreign: () => fx.subB,
    send: ({ token, id }) => attach(token, `/submissions/${id}/answers/${fx.indicator}`),
  },
  'POST /api/v1/documents/{id}/attachments': {
    roles: REGIONAL_AND_MUNICIPAL, ok: 201, own: documentOwnToEdit, foreign: documentForeign,
    send: ({ token, id }) => attach(token, `/documents/${id}`),
  },
  'POST /api/v1/practices/{id}/attachments': {
    roles: ['loiro'], ok: 201, own: () => fx.pg.practice, foreign: () => fx.pg.foreignPractice,
    send: ({ token, id }) => attach(token, `/practices/${id}`),
  },
  'GET /api/v1/attachments/{id}': {
    roles: ALL, ok: 200, type: 'application/pdf', own: () => fx.at.shared, foreign: attachmentForeign,
    send: ({ token, id }) => get(`/attachments/${id}`, token),
  },
  'DELETE /api/v1/attachments/{id}': {
    roles: ALL, ok: 204, own: (role) => fx.at.toRemove[role], foreign: attachmentForeign,
    send: ({ token, id }) => request('DELETE', `/attachments/${id}`, { token }),
  },
};

// ---------------------------------------------------------------------------------------
let routes;
let routeError;
try {
  routes = routeTable();
} catch (e) {
  routeError = e;
}

test('the route table can be read from `orientir-api routes`', () => {
  assert.ifError(routeError);
  assert.ok(Array.isArray(routes) && routes.length > 0);
  for (const r of routes) {
    assert.equal(typeof r.method, 'string', JSON.stringify(r));
    assert.equal(typeof r.path, 'string', JSON.stringify(r));
    assert.equal(typeof r.public, 'boolean', JSON.stringify(r));
    assert.ok(Array.isArray(r.roles), JSON.stringify(r));
  }
});

const keyOf = (r) => `${r.method} ${r.path}`;

test('every route in the table has an expectation', () => {
  assert.ok(routes, 'route table');
  const missing = routes.map(keyOf).filter((k) => !(k in EXPECT));
  assert.deepEqual(missing, [], 'routes without an expectation in matrix.test.mjs');
});

test('every expectation has a route in the table', () => {
  assert.ok(routes, 'route table');
  const keys = new Set(routes.map(keyOf));
  const stale = Object.keys(EXPECT).filter((k) => !keys.has(k));
  assert.deepEqual(stale, [], 'expectations without a route');
});

test('no route appears twice in the table', () => {
  assert.ok(routes, 'route table');
  const keys = routes.map(keyOf);
  assert.equal(new Set(keys).size, keys.length);
});

const isWrite = (method) => method !== 'GET' && method !== 'HEAD';
/** Sends and, for writes that must be refused, checks the database stays as it was. */
async function sendRefused(e, method, ctx) {
  const fp = isWrite(method) ? dbFingerprint() : null;
  const res = await e.send(ctx);
  if (fp !== null) assert.equal(dbFingerprint(), fp, 'a refused write changes nothing');
  return res;
}

for (const r of routes || []) {
  const key = keyOf(r);
  const e = EXPECT[key];
  if (!e) continue; // reported by "every route in the table has an expectation"
  const hasId = r.path.includes('{id}');

  describe(key, () => {
    before(fixtures);
    if (e.public) {
      test('is public in the route table', () => {
        assert.equal(r.public, true);
      });
      test(`without a token → ${e.ok}`, async () => {
        const res = await e.send({});
        assert.equal(res.status, e.ok, res.text);
      });
      return;
    }

    test(`the route table allows exactly: ${e.roles.join(', ')}`, () => {
      assert.equal(r.public, false);
      assert.deepEqual([...r.roles].sort(), [...e.roles].sort());
    });

    test('without a token → 401', async () => {
      const id = hasId ? (e.own ?? (() => 1))('committee') : undefined;
      assertProblem(await sendRefused(e, r.method, { token: null, id, caller: null }), 401);
    });

    test('with a forged-looking garbage token → 401', async () => {
      const id = hasId ? (e.own ?? (() => 1))('committee') : undefined;
      assertProblem(await sendRefused(e, r.method, { token: 'eyJhbGciOiJIUzI1NiJ9.e30.AAAA', id, caller: null }), 401);
    });

    for (const role of ALL) {
      const allowed = e.roles.includes(role);
      const objects = hasId ? [['own', e.own], ['foreign', e.foreign]] : [['—', null]];
      for (const [which, pick] of objects) {
        const label = hasId ? `${role}, ${which === 'own' ? 'object in scope' : 'object outside scope'}` : role;
        let want;
        if (!allowed) want = '403 auth.forbidden';
        else if (which === 'foreign') want = '404';
        else want = String(e.ok);
        test(`${label} → ${want}`, async () => {
          const caller = allowed && e.caller ? await e.caller(role) : await demoCaller(role);
          const ctx = { token: caller.token, caller, id: pick ? pick(role) : undefined };
          if (!allowed) {
            assertProblem(await sendRefused(e, r.method, ctx), 403, 'auth.forbidden');
          } else if (which === 'foreign') {
            const res = await sendRefused(e, r.method, ctx);
            assertProblem(res, 404);
          } else {
            const res = await e.send(ctx);
            assert.equal(res.status, e.ok, res.text);
            if (e.ok === 204) assert.equal(res.text, '');
            else if (e.type) assert.equal(res.headers.get('content-type'), e.type, 'a file of its type');
            else assert.ok(res.body && typeof res.body === 'object', `a JSON body: ${res.text}`);
          }
        });
      }
    }
  });
}

