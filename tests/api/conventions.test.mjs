// The API conventions of the foundation issue: list shape and paging, the organisation
// reads and their scope, creates, optimistic locking with If-Match, the audit log,
// security headers, health and the problem+json error shape.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  API, BASE, DEMO_PASSWORD, VAR, assertProblem, auditRowsSince, createUser, demoActors, get, lastAuditId, orgFor,
  patch, post, psqlValue, request, sleep, unique,
} from './lib.mjs';

let actors;
let regionId;
let munId;
before(async () => {
  actors = await demoActors();
  regionId = actors.committee.user.region_id;
  munId = actors.municipality.user.municipality_id;
});

const collator = new Intl.Collator('ru');
const isList = (body) => body && Array.isArray(body.items) && Number.isInteger(body.total)
  && Number.isInteger(body.limit) && Number.isInteger(body.offset);

/** Every item of a list, following offset until total is reached. */
async function all(path, token) {
  const items = [];
  for (let offset = 0; ; offset += 200) {
    const sep = path.includes('?') ? '&' : '?';
    const res = await get(`${path}${sep}limit=200&offset=${offset}`, token);
    assert.equal(res.status, 200, res.text);
    items.push(...res.body.items);
    if (items.length >= res.body.total || res.body.items.length === 0) return { items, total: res.body.total };
  }
}

function schoolBody(patchFields = {}) {
  const code = unique('c').slice(-24);
  return {
    code,
    name: `Муниципальное общеобразовательное учреждение «Школа проверки ${code}»`,
    short_name: `Школа проверки ${code}`,
    municipality_id: munId,
    address: 'Ленинградская область, г. Всеволожск, ул. Проверочная, д. 2',
    is_rural: false,
    unfavorable_conditions: true,
    education_levels: ['primary', 'basic', 'secondary'],
    has_ovz_pupils: true,
    ...patchFields,
  };
}

describe('lists', () => {
  test('a list answers {items, total, limit, offset} with the default limit 50', async () => {
    const res = await get('/schools', actors.committee.token);
    assert.equal(res.status, 200, res.text);
    assert.ok(isList(res.body), res.text.slice(0, 300));
    assert.equal(res.body.limit, 50);
    assert.equal(res.body.offset, 0);
    assert.equal(res.body.items.length, 50);
    assert.ok(res.body.total >= 300, `at least 300 demo schools, got ${res.body.total}`);
  });

  test('limit and offset page through the same order', async () => {
    const t = actors.committee.token;
    const wide = await get('/schools?limit=20&offset=0', t);
    const page = await get('/schools?limit=10&offset=10', t);
    assert.equal(page.status, 200, page.text);
    assert.equal(page.body.limit, 10);
    assert.equal(page.body.offset, 10);
    assert.deepEqual(page.body.items.map((s) => s.id), wide.body.items.slice(10).map((s) => s.id));
    assert.equal(page.body.total, wide.body.total);
  });

  test('limit=200 is allowed (the maximum)', async () => {
    const res = await get('/schools?limit=200', actors.committee.token);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.items.length, 200);
    assert.equal(res.body.limit, 200);
  });

  test('an offset past the end answers an empty page with the true total', async () => {
    const res = await get('/schools?offset=100000', actors.committee.token);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body.items, []);
    assert.ok(res.body.total >= 300);
  });

  test('every list route answers the list shape for a role that may read it', async () => {
    for (const [path, role] of [['/regions', 'school'], ['/municipalities', 'loiro'], ['/schools', 'municipality'], ['/users', 'committee']]) {
      const res = await get(path, actors[role].token);
      assert.equal(res.status, 200, `${path}: ${res.text}`);
      assert.ok(isList(res.body), `${path}: ${res.text.slice(0, 200)}`);
    }
  });
});

describe('organisations', () => {
  test('GET /regions lists «Ленинградская область» with {id, code, name}', async () => {
    const res = await get('/regions', actors.school.token);
    assert.equal(res.status, 200, res.text);
    const lo = res.body.items.find((r) => r.name === 'Ленинградская область');
    assert.ok(lo, res.text);
    assert.deepEqual(Object.keys(lo).sort(), ['code', 'id', 'name']);
    assert.equal(lo.id, regionId);
  });

  test('GET /municipalities?region_id= lists the 18 of Leningrad Oblast, by name', async () => {
    const res = await get(`/municipalities?region_id=${regionId}`, actors.committee.token);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.total, 18);
    assert.equal(res.body.items.length, 18);
    const names = res.body.items.map((m) => m.name);
    for (const stem of ['Бокситогорский', 'Волосовский', 'Волховский', 'Всеволожский', 'Выборгский', 'Гатчинский',
      'Кингисеппский', 'Киришский', 'Кировский', 'Лодейнопольский', 'Ломоносовский', 'Лужский', 'Подпорожский',
      'Приозерский', 'Сланцевский', 'Тихвинский', 'Тосненский', 'Сосновоборский']) {
      assert.ok(names.some((n) => n.startsWith(stem)), `${stem}: ${names}`);
    }
    assert.deepEqual(names, [...names].sort(collator.compare), 'ordered by name (Russian collation)');
    for (const m of res.body.items) {
      for (const f of ['id', 'code', 'name', 'region_id']) assert.ok(f in m, `${f} in ${JSON.stringify(m)}`);
      assert.equal(m.region_id, regionId);
    }
    assert.equal(new Set(res.body.items.map((m) => m.code)).size, 18, 'stable distinct codes');
  });

  test('a municipality sees every municipality of its region as names (design.md scope)', async () => {
    const res = await get(`/municipalities?region_id=${regionId}`, actors.municipality.token);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.total, 18);
  });

  test('a school sees its own municipality', async () => {
    const res = await get('/municipalities', actors.school.token);
    assert.equal(res.status, 200, res.text);
    assert.ok(res.body.items.some((m) => m.id === actors.school.user.municipality_id), res.text);
  });

  test('school items carry the documented fields', async () => {
    const res = await get('/schools?limit=5', actors.committee.token);
    for (const s of res.body.items) {
      for (const f of ['id', 'code', 'name', 'short_name', 'municipality_id', 'address', 'is_rural',
        'unfavorable_conditions', 'education_levels', 'has_ovz_pupils', 'version']) {
        assert.ok(f in s, `${f} in ${JSON.stringify(s)}`);
      }
      assert.ok(Array.isArray(s.education_levels));
      for (const l of s.education_levels) assert.ok(['primary', 'basic', 'secondary'].includes(l), l);
      assert.equal(typeof s.is_rural, 'boolean');
      assert.ok(Number.isInteger(s.version));
    }
  });

  test('GET /schools?municipality_id= returns only that municipality\'s schools', async () => {
    const { items, total } = await all(`/schools?municipality_id=${munId}`, actors.committee.token);
    assert.ok(total > 0);
    assert.equal(items.length, total);
    for (const s of items) assert.equal(s.municipality_id, munId);
  });

  test('Всеволожский has the most demo schools', async () => {
    const muns = (await get(`/municipalities?region_id=${regionId}`, actors.committee.token)).body.items;
    const counts = {};
    for (const m of muns) counts[m.name] = (await get(`/schools?municipality_id=${m.id}&limit=1`, actors.committee.token)).body.total;
    const top = Object.entries(counts).sort((a, b) => b[1] - a[1])[0][0];
    assert.match(top, /^Всеволожский/, JSON.stringify(counts));
    for (const [name, n] of Object.entries(counts)) assert.ok(n > 0, `${name} has schools`);
  });

  test('GET /schools?q= matches code, name or short_name case-insensitively', async () => {
    const sample = actors.school.schoolRow;
    const byCode = await get(`/schools?q=${encodeURIComponent(sample.code)}`, actors.committee.token);
    assert.equal(byCode.status, 200, byCode.text);
    assert.ok(byCode.body.items.some((s) => s.id === sample.id), 'found by its code');
    const word = sample.short_name.split(/\s+/).find((w) => w.length >= 4) || sample.short_name;
    const q = word.toUpperCase();
    const { items } = await all(`/schools?q=${encodeURIComponent(q)}`, actors.committee.token);
    assert.ok(items.some((s) => s.id === sample.id), `found by "${q}"`);
    const lq = q.toLowerCase();
    for (const s of items) {
      assert.ok([s.code, s.name, s.short_name].some((v) => v.toLowerCase().includes(lq)), `${JSON.stringify(s)} matches ${q}`);
    }
  });

  test('GET /schools?q= with nothing matching answers an empty list', async () => {
    const res = await get(`/schools?q=${encodeURIComponent('нет-такой-школы-zzz')}`, actors.committee.token);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.total, 0);
    assert.deepEqual(res.body.items, []);
  });

  test('GET /schools?q= treats % and _ literally (no pattern injection)', async () => {
    const all_ = await get('/schools?limit=1', actors.committee.token);
    const res = await get(`/schools?q=${encodeURIComponent('%')}`, actors.committee.token);
    assert.equal(res.status, 200, res.text);
    assert.ok(res.body.total < all_.body.total, `"%" must not match every school (${res.body.total})`);
  });

  test('schools are ordered by short_name (Russian collation), then id', async () => {
    const { items } = await all(`/schools?municipality_id=${munId}`, actors.committee.token);
    for (let i = 1; i < items.length; i++) {
      const c = collator.compare(items[i - 1].short_name, items[i].short_name);
      assert.ok(c < 0 || (c === 0 && items[i - 1].id < items[i].id),
        `${items[i - 1].short_name} before ${items[i].short_name}`);
    }
  });

  test('a school sees only itself in /schools', async () => {
    const res = await get('/schools', actors.school.token);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.total, 1);
    assert.deepEqual(res.body.items.map((s) => s.id), [actors.school.user.school_id]);
  });

  test('a school filtering by another municipality sees nothing', async () => {
    const other = (await get(`/municipalities?region_id=${regionId}`, actors.committee.token)).body.items.find((m) => m.id !== munId);
    const res = await get(`/schools?municipality_id=${other.id}`, actors.school.token);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.total, 0);
  });

  test('a municipality sees only its own schools, all of them', async () => {
    const mine = await all('/schools', actors.municipality.token);
    const truth = await all(`/schools?municipality_id=${munId}`, actors.committee.token);
    assert.equal(mine.total, truth.total);
    for (const s of mine.items) assert.equal(s.municipality_id, munId);
  });

  test('a municipality asking for another municipality\'s schools gets none', async () => {
    const other = (await get(`/municipalities?region_id=${regionId}`, actors.committee.token)).body.items.find((m) => m.id !== munId);
    const res = await get(`/schools?municipality_id=${other.id}`, actors.municipality.token);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.total, 0);
  });

  test('ЛОИРО and the committee see every school of the region', async () => {
    const c = await get('/schools?limit=1', actors.committee.token);
    const l = await get('/schools?limit=1', actors.loiro.token);
    assert.equal(l.body.total, c.body.total);
    assert.equal(Number(psqlValue(`select count(*) from app.schools s join app.municipalities m on m.id = s.municipality_id where m.region_id = ${Number(regionId)}`)), c.body.total);
  });

  test('GET /schools/{id} answers the school item', async () => {
    const id = actors.school.schoolRow.id;
    const res = await get(`/schools/${id}`, actors.school.token);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.id, id);
    assert.equal(res.body.code, actors.school.schoolRow.code);
  });
});

describe('users', () => {
  test('user items carry the documented fields and never a password hash', async () => {
    const res = await get('/users?limit=20', actors.committee.token);
    assert.equal(res.status, 200, res.text);
    assert.ok(res.body.items.length > 0);
    for (const u of res.body.items) {
      for (const f of ['id', 'login', 'full_name', 'role', 'region_id', 'municipality_id', 'school_id', 'is_active', 'version']) {
        assert.ok(f in u, `${f} in ${JSON.stringify(u)}`);
      }
    }
    assert.doesNotMatch(res.text, /pbkdf2|password/i);
  });

  test('users are ordered by full_name (Russian collation)', async () => {
    const { items } = await all('/users', actors.municipality.token);
    for (let i = 1; i < items.length; i++) {
      assert.ok(collator.compare(items[i - 1].full_name, items[i].full_name) <= 0,
        `${items[i - 1].full_name} before ${items[i].full_name}`);
    }
  });

  test('GET /users?role=school&school_id= filters', async () => {
    const sid = actors.school.user.school_id;
    const res = await get(`/users?role=school&school_id=${sid}`, actors.committee.token);
    assert.equal(res.status, 200, res.text);
    assert.ok(res.body.items.some((u) => u.login === actors.school.login));
    for (const u of res.body.items) {
      assert.equal(u.role, 'school');
      assert.equal(u.school_id, sid);
    }
  });

  test('GET /users?municipality_id= filters', async () => {
    const res = await get(`/users?role=municipality&municipality_id=${munId}`, actors.committee.token);
    assert.equal(res.status, 200, res.text);
    assert.ok(res.body.items.some((u) => u.login === actors.municipality.login));
    for (const u of res.body.items) assert.equal(u.municipality_id, munId);
  });

  test('a municipality lists only users of its own schools and itself', async () => {
    const { items } = await all('/users', actors.municipality.token);
    assert.ok(items.length > 1);
    const own = new Set((await all('/schools', actors.municipality.token)).items.map((s) => s.id));
    for (const u of items) {
      assert.ok(u.id === actors.municipality.user.id || own.has(u.school_id), `out of scope: ${JSON.stringify(u)}`);
    }
  });

  test('a municipality may create a user for its own school (201)', async () => {
    const res = await post('/users', actors.municipality.token, {
      login: unique('mo-made').toLowerCase(), full_name: 'Сидоров Пётр Ильич', role: 'school', school_id: actors.school.user.school_id, password: 'Пароль-для-Сидорова',
    });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.role, 'school');
    assert.equal(res.body.school_id, actors.school.user.school_id);
  });

  test('a municipality may not create a municipality or regional user (not 201, nothing created)', async () => {
    for (const body of [
      { role: 'municipality', municipality_id: munId },
      { role: 'committee', region_id: regionId },
      { role: 'loiro', region_id: regionId },
    ]) {
      const login = unique('esc').toLowerCase();
      const res = await post('/users', actors.municipality.token, { login, full_name: 'Захватов Иван', password: 'Пароль-захватчика', ...body });
      assert.ok([403, 404, 422].includes(res.status), `${body.role}: ${res.status} ${res.text}`);
      assertProblem(res, res.status);
      assert.equal(psqlValue(`select count(*) from app.users where login = '${login}'`), '0');
    }
  });

  test('a municipality may not create a user for a school of another municipality (not 201, nothing created)', async () => {
    const other = (await get('/schools?limit=200', actors.committee.token)).body.items.find((s) => s.municipality_id !== munId);
    const login = unique('esc').toLowerCase();
    const res = await post('/users', actors.municipality.token, { login, full_name: 'Чужой Иван', role: 'school', school_id: other.id, password: 'Пароль-чужого' });
    assert.ok([404, 422].includes(res.status), `${res.status} ${res.text}`);
    assertProblem(res, res.status);
    assert.equal(psqlValue(`select count(*) from app.users where login = '${login}'`), '0');
  });

  test('the demo data has a municipality user for each of the 18 municipalities', async () => {
    const { items } = await all('/users?role=municipality', actors.committee.token);
    const covered = new Set(items.filter((u) => u.login.startsWith('mo-')).map((u) => u.municipality_id));
    assert.equal(covered.size, 18);
  });

  test('the demo data has a school user school-<code> for every school', async () => {
    const schools = (await all('/schools', actors.committee.token)).items.filter((s) => /^47-/.test(s.code));
    const users = new Set((await all('/users?role=school', actors.committee.token)).items.map((u) => u.login));
    const missing = schools.filter((s) => !users.has(`school-${s.code.toLowerCase()}`)).map((s) => s.code);
    assert.deepEqual(missing, []);
  });

  test('a created user can sign in with its initial password', async () => {
    const u = await createUser(actors.committee.token, 'municipality', await orgFor('municipality'));
    const res = await request('POST', '/auth/login', { json: { login: u.login, password: u.password } });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.user.role, 'municipality');
    assert.equal(res.body.user.municipality_id, munId);
  });
});

describe('creates and If-Match', () => {
  test('POST /schools answers 201 with the created school and version', async () => {
    const body = schoolBody();
    const res = await post('/schools', actors.committee.token, body);
    assert.equal(res.status, 201, res.text);
    assert.ok(Number.isInteger(res.body.id));
    assert.ok(Number.isInteger(res.body.version));
    for (const [k, v] of Object.entries(body)) assert.deepEqual(res.body[k], v, k);
    const read = await get(`/schools/${res.body.id}`, actors.committee.token);
    assert.equal(read.status, 200);
    assert.equal(read.body.code, body.code);
  });

  test('a duplicate school code answers 409 conflict.duplicate or 422, and creates nothing', async () => {
    const body = schoolBody();
    assert.equal((await post('/schools', actors.committee.token, body)).status, 201);
    const res = await post('/schools', actors.committee.token, { ...body, short_name: 'другая' });
    assert.ok([409, 422].includes(res.status), `${res.status} ${res.text}`);
    assertProblem(res, res.status, res.status === 409 ? 'conflict.duplicate' : 'validation.failed');
    assert.equal(psqlValue(`select count(*) from app.schools where code = '${body.code}'`), '1');
  });

  test('PATCH answers 200 with the updated object and a higher version', async () => {
    const created = (await post('/schools', actors.committee.token, schoolBody())).body;
    const res = await patch(`/schools/${created.id}`, actors.committee.token, { address: 'г. Всеволожск, ул. Новая, д. 3' }, {
      headers: { 'If-Match': String(created.version) },
    });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.address, 'г. Всеволожск, ул. Новая, д. 3');
    assert.ok(res.body.version > created.version);
    assert.equal(res.body.short_name, created.short_name, 'other fields untouched');
  });

  test('PATCH with a stale If-Match answers 409 conflict.stale_version and writes nothing', async () => {
    const created = (await post('/schools', actors.committee.token, schoolBody())).body;
    const first = await patch(`/schools/${created.id}`, actors.committee.token, { address: 'первый' }, { headers: { 'If-Match': String(created.version) } });
    assert.equal(first.status, 200, first.text);
    const auditBefore = lastAuditId();
    const stale = await patch(`/schools/${created.id}`, actors.committee.token, { address: 'второй' }, { headers: { 'If-Match': String(created.version) } });
    assertProblem(stale, 409, 'conflict.stale_version');
    const now = (await get(`/schools/${created.id}`, actors.committee.token)).body;
    assert.equal(now.address, 'первый');
    assert.equal(now.version, first.body.version);
    assert.equal(lastAuditId(), auditBefore, 'no audit row for a refused write');
  });

  test('two concurrent PATCHes with the same If-Match: one wins (200), the other gets 409 and overwrites nothing', async () => {
    const created = (await post('/schools', actors.committee.token, schoolBody())).body;
    const send = (address) => patch(`/schools/${created.id}`, actors.committee.token, { address }, { headers: { 'If-Match': String(created.version) } });
    const [a, b] = await Promise.all([send('адрес А'), send('адрес Б')]);
    const statuses = [a.status, b.status].sort();
    assert.deepEqual(statuses, [200, 409], `${a.status} ${a.text} / ${b.status} ${b.text}`);
    const [win, lose] = a.status === 200 ? [a, b] : [b, a];
    assertProblem(lose, 409, 'conflict.stale_version');
    const now = (await get(`/schools/${created.id}`, actors.committee.token)).body;
    assert.equal(now.address, win.body.address);
    assert.equal(now.version, win.body.version);
  });

  test('two concurrent user PATCHes with the same If-Match: one wins, the other gets 409', async () => {
    const u = await createUser(actors.committee.token, 'school', await orgFor('school'));
    const v = (await get(`/users/${u.id}`, actors.committee.token)).body.version;
    const send = (full_name) => patch(`/users/${u.id}`, actors.committee.token, { full_name }, { headers: { 'If-Match': String(v) } });
    const [a, b] = await Promise.all([send('Первая Анна'), send('Вторая Анна')]);
    assert.deepEqual([a.status, b.status].sort(), [200, 409], `${a.text} / ${b.text}`);
    const win = a.status === 200 ? a : b;
    assert.equal((await get(`/users/${u.id}`, actors.committee.token)).body.full_name, win.body.full_name);
  });

  test('PATCH without If-Match is applied (the header is optional)', async () => {
    const created = (await post('/schools', actors.committee.token, schoolBody())).body;
    const res = await patch(`/schools/${created.id}`, actors.committee.token, { is_rural: true });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.is_rural, true);
  });
});

describe('audit', () => {
  let u;
  before(async () => {
    u = await createUser(actors.committee.token, 'school', await orgFor('school'));
  });

  const mutations = [
    ['POST /schools', async () => post('/schools', actors.committee.token, schoolBody()), 201, 'committee'],
    ['PATCH /schools/{id}', async () => {
      const s = (await post('/schools', actors.committee.token, schoolBody())).body;
      return patch(`/schools/${s.id}`, actors.committee.token, { address: 'ул. Аудита, 1' });
    }, 200, 'committee'],
    ['POST /users', async () => post('/users', actors.committee.token, {
      login: unique('aud').toLowerCase(), full_name: 'Аудитов Павел', role: 'loiro', region_id: regionId, password: 'Пароль-аудитора',
    }), 201, 'committee'],
    ['PATCH /users/{id}', async () => patch(`/users/${u.id}`, actors.committee.token, { full_name: `Аудитова ${unique('n')}` }), 200, 'committee'],
    ['POST /users/{id}/password', async () => post(`/users/${u.id}/password`, actors.committee.token, { new_password: `Pw-${unique('p')}` }), 204, 'committee'],
    ['POST /users by a municipality', async () => post('/users', actors.municipality.token, {
      login: unique('aud').toLowerCase(), full_name: 'Аудитов Семён', role: 'school', school_id: actors.school.user.school_id, password: 'Пароль-аудитора',
    }), 201, 'municipality'],
  ];
  for (const [name, run, status, role] of mutations) {
    test(`${name} writes an audit row naming the caller`, async () => {
      const since = lastAuditId();
      const res = await run();
      assert.equal(res.status, status, res.text);
      const rows = auditRowsSince(since);
      assert.ok(rows.length >= 1, 'at least one audit row');
      const caller = actors[role].user.id;
      assert.ok(rows.some((r) => r.user_id === caller && r.role === role), JSON.stringify(rows));
      if (res.body?.id) assert.ok(rows.some((r) => String(r.entity_id) === String(res.body.id)), `entity_id ${res.body.id}: ${JSON.stringify(rows)}`);
      assert.doesNotMatch(JSON.stringify(rows), /pbkdf2_sha256/, 'password hashes never reach the audit log');
    });
  }

  test('POST /me/password writes an audit row', async () => {
    const v = await createUser(actors.committee.token, 'school', await orgFor('school'));
    const t = (await request('POST', '/auth/login', { json: { login: v.login, password: v.password } })).body.access_token;
    const since = lastAuditId();
    const res = await post('/me/password', t, { current_password: v.password, new_password: `${v.password}-x` });
    assert.equal(res.status, 204, res.text);
    const rows = auditRowsSince(since);
    assert.ok(rows.some((r) => r.user_id === v.id), JSON.stringify(rows));
    assert.doesNotMatch(JSON.stringify(rows), /pbkdf2_sha256/);
  });

  test('a sign-in writes an audit row', async () => {
    const since = lastAuditId();
    const res = await request('POST', '/auth/login', { json: { login: 'loiro', password: process.env.DEMO_PASSWORD || 'orientir-demo' } });
    assert.equal(res.status, 200, res.text);
    assert.ok(auditRowsSince(since).some((r) => r.user_id === actors.loiro.user.id), 'login audited');
  });

  test('an update records before and after', async () => {
    const s = (await post('/schools', actors.committee.token, schoolBody({ address: 'до' }))).body;
    const since = lastAuditId();
    assert.equal((await patch(`/schools/${s.id}`, actors.committee.token, { address: 'после' })).status, 200);
    const row = auditRowsSince(since).find((r) => String(r.entity_id) === String(s.id));
    assert.ok(row, 'audit row for the school');
    assert.equal(row.before?.address, 'до');
    assert.equal(row.after?.address, 'после');
  });

  test('the audit row carries the request id of the answer (X-Request-Id)', async () => {
    const since = lastAuditId();
    const res = await post('/schools', actors.committee.token, schoolBody());
    assert.equal(res.status, 201, res.text);
    const rid = res.headers.get('x-request-id');
    assert.ok(rid, 'X-Request-Id on a success');
    const ids = psqlValue(`select string_agg(coalesce(request_id, '∅'), ',') from app.audit_log where id > ${since}`);
    assert.equal(ids, rid);
  });

  test('a read writes no audit row', async () => {
    const since = lastAuditId();
    assert.equal((await get('/schools?limit=5', actors.committee.token)).status, 200);
    assert.equal(lastAuditId(), since);
  });
});

describe('headers and errors', () => {
  const checkSecurityHeaders = (res, what) => {
    const csp = res.headers.get('content-security-policy') || '';
    assert.match(csp, /default-src 'self'/, `${what}: CSP ${csp}`);
    assert.match(csp, /frame-ancestors 'none'/, `${what}: CSP ${csp}`);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff', what);
    assert.ok(res.headers.get('referrer-policy'), `${what}: Referrer-Policy`);
  };
  const targets = [
    ['API success (GET /api/v1/health)', () => request('GET', `${API}/health`)],
    ['API list (GET /api/v1/schools)', async () => get('/schools?limit=1', await actors.committee.token)],
    ['API error 401 (GET /api/v1/me without a token)', () => request('GET', `${API}/me`)],
    ['API error 404 (unknown API path)', () => request('GET', `${API}/no-such-thing`)],
    ['API error 422 (limit=500)', async () => get('/schools?limit=500', actors.committee.token)],
    ['nginx error 413 (body over 1 MiB)', async () => request('POST', '/schools', {
      token: actors.committee.token, body: `{"name":"${'x'.repeat(1024 * 1024 + 10)}"}`,
    })],
    ['static page (GET /)', () => request('GET', `${BASE}/`)],
    ['static module (GET /js/api.js)', () => request('GET', `${BASE}/js/api.js`)],
    ['static fallback (GET /some/client/route)', () => request('GET', `${BASE}/schools/5`)],
  ];
  for (const [what, send] of targets) {
    test(`security headers on ${what}`, async () => {
      checkSecurityHeaders(await send(), what);
    });
  }

  test('a static module is served as JavaScript', async () => {
    const res = await request('GET', `${BASE}/js/api.js`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /javascript/);
  });

  test('GET /api/v1/health → 200 {"status":"ok","database":"ok"}', async () => {
    const res = await request('GET', `${API}/health`);
    assert.equal(res.status, 200, res.text);
    assert.match(res.headers.get('content-type'), /^application\/json/);
    assert.deepEqual(res.body, { status: 'ok', database: 'ok' });
  });

  const errors = [
    ['401 without a token', () => request('GET', `${API}/me`), 401, undefined],
    ['401 with a bad token', () => get('/me', 'abc.def.ghi'), 401, undefined],
    ['403 for a role that may never use the route', async () => get('/users', actors.school.token), 403, 'auth.forbidden'],
    ['404 for a school outside the scope', async () => {
      const other = (await get('/schools?limit=200', actors.committee.token)).body.items.find((s) => s.id !== actors.school.user.school_id);
      return get(`/schools/${other.id}`, actors.school.token);
    }, 404, 'not_found'],
    ['404 for an id that does not exist', async () => get('/schools/987654321', actors.committee.token), 404, 'not_found'],
    ['404 for an unknown path under /api/v1', () => request('GET', `${API}/nothing-here`), 404, undefined],
    ['400 for malformed JSON', async () => request('POST', '/schools', { token: actors.committee.token, body: '{' }), 400, 'request.malformed'],
    ['422 for an invalid body', async () => post('/schools', actors.committee.token, { code: 1 }), 422, 'validation.failed'],
    ['401 for wrong credentials', () => request('POST', '/auth/login', { json: { login: 'no-such', password: 'x' } }), 401, 'auth.invalid_credentials'],
  ];
  for (const [name, send, status, code] of errors) {
    test(`errors are problem+json with status, code, Russian title and request_id: ${name}`, async () => {
      const res = await send();
      assertProblem(res, status, code);
      assert.equal(typeof res.body.request_id, 'string', `request_id: ${res.text}`);
      assert.ok(res.body.request_id.length > 0);
    });
  }

  test('a 403 answers the same whether or not the object exists', async () => {
    const a = await get('/users/1', actors.school.token);
    const b = await get('/users/987654321', actors.school.token);
    assertProblem(a, 403, 'auth.forbidden');
    assertProblem(b, 403, 'auth.forbidden');
  });

  test('a 404 for a foreign object is indistinguishable from one for a missing object', async () => {
    const other = (await get('/schools?limit=200', actors.committee.token)).body.items.find((s) => s.municipality_id !== munId);
    const foreign = await get(`/schools/${other.id}`, actors.municipality.token);
    const missing = await get('/schools/987654321', actors.municipality.token);
    assertProblem(foreign, 404);
    assertProblem(missing, 404);
    assert.equal(foreign.body.code, missing.body.code);
    assert.equal(foreign.body.title, missing.body.title);
  });

  test('an unsupported method on a known path is refused with a problem (405 or 404)', async () => {
    const res = await request('DELETE', '/schools', { token: actors.committee.token });
    assert.ok([404, 405].includes(res.status), `${res.status} ${res.text}`);
    assertProblem(res, res.status);
  });
});

describe('logging', () => {
  const apiLog = () => readFileSync(join(VAR, 'log', 'api.log'), 'utf8');

  test('each request is logged on one line with the request id the answer carries', async () => {
    const res = await get('/schools/987654321', actors.committee.token);
    assertProblem(res, 404);
    const rid = res.body.request_id;
    assert.ok(rid && rid.length >= 8, `request_id: ${res.text}`);
    assert.equal(res.headers.get('x-request-id'), rid, 'X-Request-Id header matches the body');
    let lines = [];
    for (let i = 0; i < 20 && lines.length === 0; i++) {
      lines = apiLog().split('\n').filter((l) => l.includes(rid));
      if (!lines.length) await sleep(100);
    }
    assert.equal(lines.length, 1, `one log line for ${rid}`);
    assert.match(lines[0], /404/);
  });

  test('the log never holds a password, a token or a refresh cookie', async () => {
    const secret = `Secret-${unique('pw')}`;
    const u = await createUser(actors.committee.token, 'school', await orgFor('school'), { password: secret });
    const signed = await request('POST', '/auth/login', { json: { login: u.login, password: secret } });
    assert.equal(signed.status, 200, signed.text);
    await request('POST', '/auth/login', { json: { login: u.login, password: `${secret}-wrong` } });
    await sleep(200);
    const log = apiLog();
    assert.ok(!log.includes(secret), 'password in the log');
    assert.ok(!log.includes(DEMO_PASSWORD), 'demo password in the log');
    assert.ok(!log.includes(signed.body.access_token.split('.')[2]), 'access token in the log');
    const cookie = signed.cookies.find((c) => c.startsWith('orientir_refresh='));
    assert.ok(!log.includes(cookie.split(';')[0].split('=')[1]), 'refresh token in the log');
  });
});
