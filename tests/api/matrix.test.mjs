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
  DEMO_PASSWORD, ROLES, assertProblem, createUser, dbFingerprint, demoActors, foreignRegion, get, login,
  orgFor, refreshCookie, request, routeTable, unique,
} from './lib.mjs';

const ALL = ROLES;
const REGIONAL_AND_MUNICIPAL = ['committee', 'municipality'];

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

// The expectation table. send({token, id, caller}) performs the request with a valid body.
const EXPECT = {
  'GET /api/v1/health': {
    public: true, ok: 200,
    send: () => request('GET', '/health'),
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
    send: async () => request('POST', '/auth/logout', { cookie: refreshCookie(await login('loiro')).pair }),
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
            else assert.ok(res.body && typeof res.body === 'object', `a JSON body: ${res.text}`);
          }
        });
      }
    }
  });
}

