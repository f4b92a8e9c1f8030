// Scope beyond the route matrix: writes whose body names an organisation outside the
// caller's scope (moving a user or school there, creating one there, escalating a role)
// are refused — 404 (outside the scope) or 422 (not a valid choice), never 200/201 — and
// change nothing; lists never leak rows of another region or municipality.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  assertProblem, createUser, dbFingerprint, demoActors, foreignRegion, get, login, patch, post,
  psqlValue, request, unique,
} from './lib.mjs';

let a;
let x; // the foreign region's ids
let munId;
let otherMun; // another municipality of Leningrad Oblast
let schoolB; // a school of that other municipality
let victim; // a user of the demo school, created here
before(async () => {
  a = await demoActors();
  x = foreignRegion();
  munId = a.municipality.user.municipality_id;
  const muns = (await get(`/municipalities?region_id=${a.committee.user.region_id}`, a.committee.token)).body.items;
  otherMun = muns.find((m) => m.id !== munId).id;
  schoolB = (await get(`/schools?municipality_id=${otherMun}&limit=1`, a.committee.token)).body.items[0].id;
  victim = await createUser(a.committee.token, 'school', { school_id: a.school.user.school_id });
});

/** Sends, and asserts a refusal (404 or 422 problem) that leaves the database as it was. */
async function refused(send, statuses = [404, 422]) {
  const before = dbFingerprint();
  const res = await send();
  assert.ok(statuses.includes(res.status), `expected one of ${statuses}, got ${res.status} ${res.text}`);
  assertProblem(res, res.status);
  assert.equal(dbFingerprint(), before, 'nothing changed');
  return res;
}

const schoolBody = (municipality_id) => {
  const code = unique('sc').slice(-20);
  return {
    code, name: `МОУ «Школа ${code}»`, short_name: `Школа ${code}`, municipality_id,
    address: 'адрес', is_rural: false, unfavorable_conditions: false, education_levels: ['primary'], has_ovz_pupils: false,
  };
};
const userBody = (fields) => ({ login: unique('sc').toLowerCase(), full_name: 'Области Чужой', password: 'Пароль-длинный-1', ...fields });

describe('the committee stays inside its region', () => {
  test('cannot create a school in a municipality of another region', async () => {
    await refused(() => post('/schools', a.committee.token, schoolBody(x.municipalityX)));
  });

  test('cannot move a school of its region into another region', async () => {
    const s = (await post('/schools', a.committee.token, schoolBody(munId))).body;
    await refused(() => patch(`/schools/${s.id}`, a.committee.token, { municipality_id: x.municipalityX }));
  });

  test('cannot create a user of another region', async () => {
    await refused(() => post('/users', a.committee.token, userBody({ role: 'loiro', region_id: x.regionX })));
  });

  test('cannot create a school user for a school of another region', async () => {
    await refused(() => post('/users', a.committee.token, userBody({ role: 'school', school_id: x.schoolX })));
  });

  test('cannot move a user of its region into another region', async () => {
    await refused(() => patch(`/users/${victim.id}`, a.committee.token, { school_id: x.schoolX }));
  });

  test('cannot reset the password of a user of another region', async () => {
    await refused(() => post(`/users/${x.userX}/password`, a.committee.token, { new_password: 'Новый-пароль-123' }), [404]);
  });

  test('lists show nothing of another region', async () => {
    const schools = await get('/schools?q=99-01', a.committee.token);
    assert.equal(schools.status, 200);
    assert.ok(!schools.body.items.some((s) => s.id === x.schoolX), 'foreign school listed');
    const byMun = await get(`/schools?municipality_id=${x.municipalityX}`, a.committee.token);
    assert.equal(byMun.body.total, 0);
    const users = await get('/users?role=loiro&limit=200', a.committee.token);
    assert.ok(!users.body.items.some((u) => u.id === x.userX), 'foreign user listed');
    const loiroSchools = await get(`/schools?municipality_id=${x.municipalityX}`, a.loiro.token);
    assert.equal(loiroSchools.body.total, 0);
  });
});

describe('a municipality stays inside its schools', () => {
  test('cannot move a user of its school to a school of another municipality', async () => {
    await refused(() => patch(`/users/${victim.id}`, a.municipality.token, { school_id: schoolB }));
  });

  test('cannot turn a school user into a municipality user', async () => {
    await refused(() => patch(`/users/${victim.id}`, a.municipality.token, { role: 'municipality', school_id: null, municipality_id: munId }), [403, 404, 422]);
  });

  test('cannot turn a school user into a committee user', async () => {
    await refused(() => patch(`/users/${victim.id}`, a.municipality.token, { role: 'committee', school_id: null, region_id: a.committee.user.region_id }), [403, 404, 422]);
  });

  test('cannot deactivate or rename itself (read-only to itself)', async () => {
    await refused(() => patch(`/users/${a.municipality.user.id}`, a.municipality.token, { is_active: false }), [403, 404, 422]);
    await refused(() => patch(`/users/${a.municipality.user.id}`, a.municipality.token, { full_name: 'Самоназванный' }), [403, 404, 422]);
  });

  test('can read itself', async () => {
    const res = await get(`/users/${a.municipality.user.id}`, a.municipality.token);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.login, a.municipality.login);
  });

  test('cannot touch the committee user', async () => {
    await refused(() => patch(`/users/${a.committee.user.id}`, a.municipality.token, { is_active: false }), [404]);
    await refused(() => post(`/users/${a.committee.user.id}/password`, a.municipality.token, { new_password: 'Захват-пароля-1' }), [404]);
  });

  test('cannot touch another municipality\'s user', async () => {
    const other = (await get(`/users?role=municipality&municipality_id=${otherMun}`, a.committee.token)).body.items[0];
    await refused(() => patch(`/users/${other.id}`, a.municipality.token, { is_active: false }), [404]);
    await refused(() => get(`/users/${other.id}`, a.municipality.token), [404]);
  });

  test('deactivates a user of its own school: 200, and that user can no longer sign in', async () => {
    const u = await createUser(a.municipality.token, 'school', { school_id: a.school.user.school_id });
    assert.equal((await login(u.login, u.password)).status, 200);
    const res = await patch(`/users/${u.id}`, a.municipality.token, { is_active: false });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.is_active, false);
    assertProblem(await login(u.login, u.password), 401, 'auth.invalid_credentials');
  });

  test('resets the password of a user of its own school: 204, the new one works and the old one does not', async () => {
    const u = await createUser(a.municipality.token, 'school', { school_id: a.school.user.school_id });
    const res = await post(`/users/${u.id}/password`, a.municipality.token, { new_password: 'Сброшенный-пароль-1' });
    assert.equal(res.status, 204, res.text);
    assert.equal((await login(u.login, 'Сброшенный-пароль-1')).status, 200);
    assertProblem(await login(u.login, u.password), 401, 'auth.invalid_credentials');
  });

  test('a password reset revokes the user\'s refresh tokens', async () => {
    const u = await createUser(a.municipality.token, 'school', { school_id: a.school.user.school_id });
    const signed = await login(u.login, u.password);
    const cookie = signed.cookies.find((c) => c.startsWith('orientir_refresh=')).split(';')[0];
    assert.equal((await post(`/users/${u.id}/password`, a.municipality.token, { new_password: 'Сброшенный-пароль-2' })).status, 204);
    assertProblem(await request('POST', '/auth/refresh', { cookie }), 401);
  });
});

describe('a school stays inside itself', () => {
  test('searching for another school by its code finds nothing', async () => {
    const code = (await get(`/schools/${schoolB}`, a.committee.token)).body.code;
    const res = await get(`/schools?q=${encodeURIComponent(code)}`, a.school.token);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.total, 0);
  });

  test('cannot read a neighbouring school of its own municipality', async () => {
    const neighbour = (await get(`/schools?municipality_id=${munId}&limit=5`, a.committee.token)).body.items
      .find((s) => s.id !== a.school.user.school_id);
    assertProblem(await get(`/schools/${neighbour.id}`, a.school.token), 404);
  });

  test('the audit log holds no row written by a refused request', async () => {
    const before = Number(psqlValue('select count(*) from app.audit_log'));
    await request('PATCH', `/schools/${a.school.user.school_id}`, { token: a.school.token, json: { address: 'взлом' } });
    await request('POST', '/users', { token: a.school.token, json: userBody({ role: 'school', school_id: a.school.user.school_id }) });
    assert.equal(Number(psqlValue('select count(*) from app.audit_log')), before);
  });
});
