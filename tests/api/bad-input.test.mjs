// Bad input gets a clear error and changes nothing: each case states the status and code
// it expects, and the rows of users and schools and the audit log are the same afterwards.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  assertFieldError, assertProblem, dbFingerprint, demoActors, get, request, unique,
} from './lib.mjs';

let actors;
let schoolId;
let committee;
before(async () => {
  actors = await demoActors();
  committee = actors.committee.token;
  schoolId = actors.school.schoolRow.id;
});

/** A valid POST /users body for a new school user, with `patch` merged in. */
const userBody = (patch = {}) => ({
  login: unique('bad').toLowerCase(),
  full_name: 'Петрова Анна Сергеевна',
  role: 'school',
  school_id: schoolId,
  password: 'Начальный-пароль-1',
  ...patch,
});
const without = (obj, key) => {
  const copy = { ...obj };
  delete copy[key];
  return copy;
};
/** A JSON text with raw bytes spliced into the value of full_name. */
const withRawBytes = (bytes) => {
  const text = JSON.stringify(userBody({ full_name: '@@' }));
  const [a, b] = text.split('@@');
  return Buffer.concat([Buffer.from(a), Buffer.from(bytes), Buffer.from(b)]);
};
/** A valid POST /schools body. */
const schoolBody = (patch = {}) => {
  const code = unique('bad').slice(-20);
  return {
    code,
    name: `Муниципальное общеобразовательное учреждение «Тестовая школа ${code}»`,
    short_name: `Тестовая школа ${code}`,
    municipality_id: actors.municipality.user.municipality_id,
    address: 'Ленинградская область, г. Всеволожск, ул. Тестовая, д. 1',
    is_rural: false,
    unfavorable_conditions: false,
    education_levels: ['primary', 'basic'],
    has_ovz_pupils: false,
    ...patch,
  };
};

// [name, request(), check(res)]
const cases = [
  // 400: not JSON, or not declared as JSON
  ['malformed JSON → 400 request.malformed',
    () => request('POST', '/users', { token: committee, body: '{"login": "x", "full_name": ' }),
    (res) => assertProblem(res, 400, 'request.malformed')],
  ['JSON with a trailing comma → 400 request.malformed',
    () => request('POST', '/users', { token: committee, body: '{"login": "x",}' }),
    (res) => assertProblem(res, 400, 'request.malformed')],
  ['two JSON documents in one body → 400 request.malformed',
    () => request('POST', '/users', { token: committee, body: `${JSON.stringify(userBody())} {}` }),
    (res) => assertProblem(res, 400, 'request.malformed')],
  ['an empty body on a create → 400 request.malformed',
    () => request('POST', '/users', { token: committee, body: '' }),
    (res) => assertProblem(res, 400, 'request.malformed')],
  ['valid JSON sent as text/plain → 400 request.malformed',
    () => request('POST', '/users', { token: committee, body: JSON.stringify(userBody()), contentType: 'text/plain' }),
    (res) => assertProblem(res, 400, 'request.malformed')],
  ['valid JSON sent as a form → 400 request.malformed',
    () => request('POST', '/users', { token: committee, body: JSON.stringify(userBody()), contentType: 'application/x-www-form-urlencoded' }),
    (res) => assertProblem(res, 400, 'request.malformed')],
  ['valid JSON without a content type → 400 request.malformed',
    () => request('POST', '/users', { token: committee, body: JSON.stringify(userBody()), contentType: null }),
    (res) => assertProblem(res, 400, 'request.malformed')],
  ['a PATCH with malformed JSON → 400 request.malformed',
    () => request('PATCH', `/schools/${schoolId}`, { token: committee, body: '{"address": ' }),
    (res) => assertProblem(res, 400, 'request.malformed')],

  // 422: well-formed but invalid
  ['an unknown field → 422 naming it',
    () => request('POST', '/users', { token: committee, json: userBody({ is_admin: true }) }),
    (res) => assertFieldError(res, 'is_admin')],
  ['an unknown field on a PATCH → 422 naming it',
    () => request('PATCH', `/schools/${schoolId}`, { token: committee, json: { adress: 'опечатка' } }),
    (res) => assertFieldError(res, 'adress')],
  ['a missing login → 422 naming login',
    () => request('POST', '/users', { token: committee, json: without(userBody(), 'login') }),
    (res) => assertFieldError(res, 'login')],
  ['a missing full_name → 422 naming full_name',
    () => request('POST', '/users', { token: committee, json: without(userBody(), 'full_name') }),
    (res) => assertFieldError(res, 'full_name')],
  ['a missing role → 422 naming role',
    () => request('POST', '/users', { token: committee, json: without(userBody(), 'role') }),
    (res) => assertFieldError(res, 'role')],
  ['a missing school name → 422 naming name',
    () => request('POST', '/schools', { token: committee, json: without(schoolBody(), 'name') }),
    (res) => assertFieldError(res, 'name')],
  ['full_name of the wrong type (number) → 422 naming full_name',
    () => request('POST', '/users', { token: committee, json: userBody({ full_name: 123 }) }),
    (res) => assertFieldError(res, 'full_name')],
  ['school_id of the wrong type (string) → 422 naming school_id',
    () => request('POST', '/users', { token: committee, json: userBody({ school_id: String(schoolId) }) }),
    (res) => assertFieldError(res, 'school_id')],
  ['is_rural of the wrong type (string) → 422 naming is_rural',
    () => request('PATCH', `/schools/${schoolId}`, { token: committee, json: { is_rural: 'yes' } }),
    (res) => assertFieldError(res, 'is_rural')],
  ['education_levels of the wrong type (string) → 422 naming education_levels',
    () => request('POST', '/schools', { token: committee, json: schoolBody({ education_levels: 'primary' }) }),
    (res) => assertFieldError(res, 'education_levels')],
  ['a null full_name → 422 naming full_name',
    () => request('POST', '/users', { token: committee, json: userBody({ full_name: null }) }),
    (res) => assertFieldError(res, 'full_name')],
  ['a JSON array instead of an object → 422 or 400',
    () => request('POST', '/users', { token: committee, json: [userBody()] }),
    (res) => {
      assert.ok([400, 422].includes(res.status), `${res.status} ${res.text}`);
      assertProblem(res, res.status, res.status === 400 ? 'request.malformed' : 'validation.failed');
    }],
  ['an over-long full_name (100 000 characters) → 422 naming full_name',
    () => request('POST', '/users', { token: committee, json: userBody({ full_name: 'Я'.repeat(100_000) }) }),
    (res) => assertFieldError(res, 'full_name')],
  ['an over-long login (1 000 characters) → 422 naming login',
    () => request('POST', '/users', { token: committee, json: userBody({ login: 'a'.repeat(1000) }) }),
    (res) => assertFieldError(res, 'login')],
  ['an over-long school address (100 000 characters) → 422 naming address',
    () => request('PATCH', `/schools/${schoolId}`, { token: committee, json: { address: 'д'.repeat(100_000) } }),
    (res) => assertFieldError(res, 'address')],
  ['invalid UTF-8 (a lone 0xFF byte) in a value → 422 naming full_name',
    () => request('POST', '/users', { token: committee, body: withRawBytes([0x41, 0xff, 0x42]) }),
    (res) => assertFieldError(res, 'full_name')],
  ['invalid UTF-8 (an overlong encoding of "/") in a value → 422 naming full_name',
    () => request('POST', '/users', { token: committee, body: withRawBytes([0xc0, 0xaf]) }),
    (res) => assertFieldError(res, 'full_name')],
  ['invalid UTF-8 (a UTF-16 surrogate encoded as UTF-8) in a value → 422 naming full_name',
    () => request('POST', '/users', { token: committee, body: withRawBytes([0xed, 0xa0, 0x80]) }),
    (res) => assertFieldError(res, 'full_name')],
  ['a NUL character (\\u0000) in a value → 422 naming full_name',
    () => request('POST', '/users', { token: committee, json: userBody({ full_name: 'Иван\u0000ов' }) }),
    (res) => assertFieldError(res, 'full_name')],
  ['an empty login → 422 naming login',
    () => request('POST', '/users', { token: committee, json: userBody({ login: '' }) }),
    (res) => assertFieldError(res, 'login')],
  ['a bad role value → 422 naming role',
    () => request('POST', '/users', { token: committee, json: userBody({ role: 'admin' }) }),
    (res) => assertFieldError(res, 'role')],
  ['a bad education level → 422 naming education_levels',
    () => request('POST', '/schools', { token: committee, json: schoolBody({ education_levels: ['primary', 'college'] }) }),
    (res) => assertFieldError(res, 'education_levels')],
  ['role school with a region instead of a school → 422 naming the organisation field',
    () => request('POST', '/users', {
      token: committee,
      json: { ...without(userBody(), 'school_id'), region_id: actors.committee.user.region_id },
    }),
    (res) => assertFieldError(res, ['school_id', 'region_id'])],
  ['role municipality with a school → 422 naming the organisation field',
    () => request('POST', '/users', {
      token: committee,
      json: { ...userBody({ role: 'municipality' }) },
    }),
    (res) => assertFieldError(res, ['municipality_id', 'school_id'])],
  ['role committee with a municipality → 422 naming the organisation field',
    () => request('POST', '/users', {
      token: committee,
      json: { ...without(userBody({ role: 'committee' }), 'school_id'), municipality_id: actors.municipality.user.municipality_id },
    }),
    (res) => assertFieldError(res, ['region_id', 'municipality_id'])],
  ['a login that is taken → 422 naming login (code taken)',
    () => request('POST', '/users', { token: committee, json: userBody({ login: 'committee' }) }),
    (res) => {
      assertFieldError(res, 'login');
      assert.ok(res.body.errors.some((e) => e.field === 'login' && e.code === 'taken'), res.text);
    }],
  ['limit=500 → 422 naming limit',
    () => get('/schools?limit=500', committee),
    (res) => assertFieldError(res, 'limit')],
  ['limit=201 → 422 naming limit',
    () => get('/schools?limit=201', committee),
    (res) => assertFieldError(res, 'limit')],
  ['limit=abc → 422 naming limit',
    () => get('/schools?limit=abc', committee),
    (res) => assertFieldError(res, 'limit')],
  ['offset=-1 → 422 naming offset',
    () => get('/schools?offset=-1', committee),
    (res) => assertFieldError(res, 'offset')],
  ['municipality_id=abc in a filter → 422 naming municipality_id',
    () => get('/schools?municipality_id=abc', committee),
    (res) => assertFieldError(res, 'municipality_id')],
  ['a non-numeric id in the path → 404',
    () => get('/schools/abc', committee),
    (res) => assertProblem(res, 404)],
  ['a fractional id in the path → 404',
    () => get('/schools/1.5', committee),
    (res) => assertProblem(res, 404)],
  ['an id beyond 64 bits in the path → 404',
    () => get('/schools/99999999999999999999999', committee),
    (res) => assertProblem(res, 404)],
  ['a negative id in the path → 404',
    () => get('/schools/-1', committee),
    (res) => assertProblem(res, 404)],
  ['a non-numeric id on a PATCH → 404',
    () => request('PATCH', '/users/abc', { token: committee, json: { full_name: 'Никто' } }),
    (res) => assertProblem(res, 404)],
  // development programs (issue 4): the route table's body and query specs answer before any SQL
  ['a program without a title → 422 naming title',
    () => request('POST', '/programs', { token: actors.school.token, json: { campaign_id: 1, period_start: '2025-09-01', period_end: '2026-08-31' } }),
    (res) => assertFieldError(res, 'title')],
  ['a program period that ends before it starts → 422 naming period_end',
    () => request('POST', '/programs', { token: actors.school.token, json: { campaign_id: 1, title: 'П', period_start: '2025-09-01', period_end: '2025-08-31' } }),
    (res) => assertFieldError(res, 'period_end')],
  ['a measure without deficits → 422 naming deficit_ids',
    () => request('POST', '/programs/1/measures', { token: actors.school.token, json: { title: 'М', deficit_ids: [], due_date: '2026-01-10', responsible: 'Директор' } }),
    (res) => assertFieldError(res, 'deficit_ids')],
  ['a measure with a repeated deficit id → 422 naming deficit_ids',
    () => request('POST', '/programs/1/measures', { token: actors.school.token, json: { title: 'М', deficit_ids: [3, 3], due_date: '2026-01-10', responsible: 'Директор' } }),
    (res) => assertFieldError(res, 'deficit_ids')],
  ['progress done without a note → 422 naming note',
    () => request('POST', '/programs/1/measures/1/progress', { token: actors.school.token, json: { status: 'done' } }),
    (res) => assertFieldError(res, 'note')],
  ['progress with an unknown status → 422 naming status',
    () => request('POST', '/programs/1/measures/1/progress', { token: actors.school.token, json: { status: 'finished', note: 'x' } }),
    (res) => assertFieldError(res, 'status')],
  ['a program return without a body → 422 naming comment',
    () => request('POST', '/programs/1/return', { token: actors.municipality.token }),
    (res) => assertFieldError(res, 'comment')],
  ['a bad If-Match on a program submit → 422 naming If-Match',
    () => request('POST', '/programs/1/submit', { token: actors.school.token, headers: { 'If-Match': 'version-3' } }),
    (res) => assertFieldError(res, 'If-Match')],
  ['a deficit closed without a reason → 422 naming reason',
    () => request('POST', '/deficits/1/close', { token: actors.municipality.token, json: { reason: '   ' } }),
    (res) => assertFieldError(res, 'reason')],
  ['a practice link that is not http(s) → 422 naming links[0]',
    () => request('POST', '/practices', { token: actors.loiro.token, json: { title: 'П', body: 'Т', links: ['javascript:alert(1)'], indicator_ids: [1] } }),
    (res) => assertFieldError(res, 'links[0]')],
  ['a school as its own mentor → 422 naming mentor_school_id',
    () => request('POST', '/partnerships', { token: actors.municipality.token, json: { school_id: schoolId, mentor_school_id: schoolId, indicator_ids: [] } }),
    (res) => assertFieldError(res, 'mentor_school_id')],
  ['programs?status=accepted → 422 naming status',
    () => get('/programs?status=accepted', committee),
    (res) => assertFieldError(res, 'status')],
  ['JSON nested 10 000 deep → 400 or 422, never a crash',
    () => request('POST', '/users', { token: committee, body: `{"full_name":${'['.repeat(10_000)}${']'.repeat(10_000)}}` }),
    (res) => {
      assert.ok([400, 422].includes(res.status), `${res.status} ${res.text.slice(0, 300)}`);
      assertProblem(res, res.status);
    }],
];

describe('bad input: a clear error and the database unchanged', () => {
  for (const [name, send, check] of cases) {
    test(name, async () => {
      const before = dbFingerprint();
      const res = await send();
      check(res);
      assert.equal(dbFingerprint(), before, 'the database is unchanged');
    });
  }

  test('a body over 1 MiB → 413 problem+json (from nginx), database unchanged', async () => {
    const before = dbFingerprint();
    const big = JSON.stringify(userBody({ full_name: 'x'.repeat(1024 * 1024 + 16) }));
    const res = await request('POST', '/users', { token: committee, body: big });
    assert.equal(res.status, 413, res.text.slice(0, 300));
    assert.match(res.headers.get('content-type') || '', /^application\/problem\+json/);
    assert.equal(res.body.status, 413);
    assert.equal(typeof res.body.code, 'string');
    assert.match(res.body.title, /[А-Яа-я]/);
    assert.equal(dbFingerprint(), before, 'the database is unchanged');
  });

  test('a body of 1 MiB less a little still reaches the API (and is judged on its content)', async () => {
    const before = dbFingerprint();
    const big = JSON.stringify(userBody({ full_name: 'x'.repeat(1000 * 1000) }));
    const res = await request('POST', '/users', { token: committee, body: big });
    assertFieldError(res, 'full_name');
    assert.equal(dbFingerprint(), before, 'the database is unchanged');
  });

  test('every field problem of one body is reported, one entry per field', async () => {
    const res = await request('POST', '/users', {
      token: committee,
      json: { login: 5, full_name: 6, role: 'admin', school_id: schoolId, password: 'Пароль-достаточной-длины' },
    });
    assertFieldError(res, 'login');
    const fields = new Set(res.body.errors.map((e) => e.field));
    for (const f of ['login', 'full_name', 'role']) assert.ok(fields.has(f), `${f} reported: ${res.text}`);
  });
});
