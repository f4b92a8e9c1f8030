// GET /users?q= (issue 15, item 5): a part of the full name or of the login, case-insensitive,
// inside the caller's scope only, % and _ taken literally, combined with the other filters.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertFieldError, demoActors, get } from './lib.mjs';

let a;
let foreign; // a municipality user of another municipality
before(async () => {
  a = await demoActors();
  const others = await get(`/users?role=municipality&limit=200`, a.committee.token);
  foreign = others.body.items.find((u) => u.municipality_id !== a.municipality.user.municipality_id);
  assert.ok(foreign, 'another municipality has a user');
});

const ids = (res) => {
  assert.equal(res.status, 200, res.text);
  return res.body.items.map((u) => u.id);
};

test('a part of the login or of the name finds the user, whatever the case', async () => {
  const own = a.school.user;
  const part = own.login.slice(own.login.length - 6).toUpperCase();
  assert.ok(ids(await get(`/users?q=${encodeURIComponent(part)}`, a.municipality.token)).includes(own.id), `login part ${part}`);
  const surname = own.full_name.split(' ')[0].toLowerCase();
  const found = await get(`/users?q=${encodeURIComponent(surname)}`, a.municipality.token);
  assert.ok(ids(found).includes(own.id), `name part ${surname}`);
  assert.ok(found.body.items.every((u) => `${u.full_name} ${u.login}`.toLowerCase().includes(surname)), 'only matches');
});

test('only inside the scope: a municipality never finds another municipality\'s user; the committee does', async () => {
  assert.deepEqual(ids(await get(`/users?q=${encodeURIComponent(foreign.login)}`, a.municipality.token)), []);
  assert.ok(ids(await get(`/users?q=${encodeURIComponent(foreign.login)}`, a.committee.token)).includes(foreign.id));
});

test('with the other filters; % and _ are literal; blank is no filter; too long is 422', async () => {
  const own = a.school.user;
  assert.deepEqual(ids(await get(`/users?q=${encodeURIComponent(own.login)}&role=municipality`, a.municipality.token)), []);
  assert.deepEqual(ids(await get('/users?q=%25', a.municipality.token)), [], '% matches only a %');
  const all = await get('/users', a.municipality.token);
  assert.equal((await get('/users?q=%20%20', a.municipality.token)).body.total, all.body.total);
  assertFieldError(await get(`/users?q=${'я'.repeat(201)}`, a.municipality.token), 'q');
});
