// Sign-in, refresh, sign-out, /me, changing one's password and the throttling of failed
// passwords. Every test that fails a password on purpose uses a user it creates and, for
// more than one failure, a loopback source address of its own (127.0.0.x), so that
// neither the demo users nor this machine's address are held back for the other tests.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  DEMO_PASSWORD, assertFieldError, assertProblem, createUser, demoActors, freshUser, get, login,
  orgFor, post, psql, psqlValue, refreshCookie, request,
} from './lib.mjs';

const refresh = (cookiePair) => request('POST', '/auth/refresh', cookiePair ? { cookie: cookiePair } : {});
const logout = (cookiePair) => request('POST', '/auth/logout', cookiePair ? { cookie: cookiePair } : {});

let actors;
before(async () => {
  actors = await demoActors();
});

describe('POST /auth/login', () => {
  test('valid credentials answer 200 with access_token, token_type Bearer, expires_in and user', async () => {
    const res = await login('committee');
    assert.equal(res.status, 200, res.text);
    assert.match(res.headers.get('content-type'), /^application\/json/);
    assert.equal(typeof res.body.access_token, 'string');
    assert.equal(res.body.access_token.split('.').length, 3, 'a compact JWT');
    assert.equal(res.body.token_type, 'Bearer');
    assert.ok(Number.isInteger(res.body.expires_in) && res.body.expires_in > 0, `expires_in: ${res.body.expires_in}`);
    assert.equal(res.body.user.login, 'committee');
    assert.equal(res.body.user.role, 'committee');
    assert.ok(Number.isInteger(res.body.user.id));
  });

  test('the access token carries the documented claims (sub as string, role, reg/mun/sch, iss/aud orientir, exp/nbf/iat/jti)', async () => {
    const res = await login(actors.school.login);
    assert.equal(res.status, 200, res.text);
    const [head, payload] = res.body.access_token.split('.').slice(0, 2).map((p) => JSON.parse(Buffer.from(p, 'base64url')));
    assert.equal(head.alg, 'HS256');
    const u = res.body.user;
    assert.equal(payload.sub, String(u.id));
    assert.equal(payload.role, 'school');
    assert.equal(payload.reg, u.region_id);
    assert.equal(payload.mun, u.municipality_id);
    assert.equal(payload.sch, u.school_id);
    assert.equal(payload.iss, 'orientir');
    assert.equal(payload.aud, 'orientir');
    for (const c of ['exp', 'nbf', 'iat']) assert.ok(Number.isInteger(payload[c]), `${c} is a number`);
    assert.ok(payload.exp > payload.iat);
    assert.equal(payload.exp - payload.iat, res.body.expires_in, 'expires_in matches the token lifetime');
    assert.equal(typeof payload.jti, 'string');
    assert.ok(payload.jti.length >= 8);
  });

  test('sets the refresh cookie HttpOnly, SameSite=Strict, Path=/api/v1/auth', async () => {
    const res = await login('loiro');
    assert.equal(res.status, 200, res.text);
    const c = refreshCookie(res);
    assert.ok(c, `Set-Cookie orientir_refresh: ${res.cookies}`);
    assert.ok(c.value.length >= 40, 'a random token of 32 bytes, base64url');
    const attrs = c.attrs.map((a) => a.toLowerCase());
    assert.ok(attrs.includes('httponly'), c.raw);
    assert.ok(attrs.includes('samesite=strict'), c.raw);
    assert.ok(attrs.includes('path=/api/v1/auth'), c.raw);
    assert.ok(attrs.some((a) => /^max-age=\d+$/.test(a)), `Max-Age: ${c.raw}`);
  });

  test('a wrong password answers 401 auth.invalid_credentials with a Russian title', async () => {
    const u = await createUser(actors.committee.token, 'loiro', await orgFor('loiro'));
    const res = await login(u.login, `${u.password}-wrong`);
    assertProblem(res, 401, 'auth.invalid_credentials');
    assert.equal(refreshCookie(res), null, 'no refresh cookie');
  });

  test('an unknown login answers exactly like a wrong password (401 auth.invalid_credentials)', async () => {
    const res = await login('no-such-user-anywhere', 'whatever');
    assertProblem(res, 401, 'auth.invalid_credentials');
  });

  test('the demo password works for every demo role', async () => {
    for (const role of ['committee', 'loiro', 'municipality', 'school']) {
      const res = await login(actors[role].login, DEMO_PASSWORD);
      assert.equal(res.status, 200, `${role}: ${res.text}`);
      assert.equal(res.body.user.role, role);
    }
  });
});

describe('secrets at rest', () => {
  test('the database keeps only a SHA-256 of the refresh token, never the token', async () => {
    const c = refreshCookie(await login('loiro'));
    const raw = Buffer.from(c.value, 'base64url');
    const hashes = [createHash('sha256').update(raw).digest('hex'), createHash('sha256').update(c.value).digest('hex')];
    const n = Number(psqlValue(`select count(*) from app.refresh_tokens where encode(token_hash, 'hex') in ('${hashes[0]}', '${hashes[1]}')`));
    assert.equal(n, 1, 'one stored row is the SHA-256 of the token');
    const leaked = Number(psqlValue(`select count(*) from app.refresh_tokens t where t::text like '%${c.value.replace(/[%_]/g, '')}%'`));
    assert.equal(leaked, 0, 'the token itself is not stored');
  });

  test('a new password is stored as PBKDF2-SHA256 with at least 600 000 iterations and its own salt', async () => {
    const same = 'Одинаковый-пароль-42';
    const u1 = await createUser(actors.committee.token, 'school', await orgFor('school'), { password: same });
    const u2 = await createUser(actors.committee.token, 'school', await orgFor('school'), { password: same });
    const h1 = psqlValue(`select password_hash from app.users where id = ${Number(u1.id)}`);
    const h2 = psqlValue(`select password_hash from app.users where id = ${Number(u2.id)}`);
    for (const h of [h1, h2]) {
      const m = /^pbkdf2_sha256\$(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/.exec(h);
      assert.ok(m, `hash format: ${h}`);
      assert.ok(Number(m[1]) >= 600_000, `iterations ${m[1]}`);
      assert.ok(Buffer.from(m[2], 'base64').length >= 16, 'salt of at least 16 bytes');
      assert.equal(Buffer.from(m[3], 'base64').length, 32, 'a 32-byte key');
    }
    assert.notEqual(h1.split('$')[2], h2.split('$')[2], 'a per-user salt');
  });
});

describe('POST /auth/refresh', () => {
  test('a valid refresh cookie answers 200 with a new access token and a rotated cookie', async () => {
    const first = await login('committee');
    const c1 = refreshCookie(first);
    const res = await refresh(c1.pair);
    assert.equal(res.status, 200, res.text);
    assert.equal(typeof res.body.access_token, 'string');
    assert.equal(res.body.token_type, 'Bearer');
    assert.equal(res.body.user.login, 'committee');
    const c2 = refreshCookie(res);
    assert.ok(c2, 'a new refresh cookie is set');
    assert.notEqual(c2.value, c1.value, 'the refresh token rotates');
    const me = await get('/me', res.body.access_token);
    assert.equal(me.status, 200, me.text);
  });

  test('the old refresh cookie no longer works after a rotation (401)', async () => {
    const u = await freshUser(); // presenting a rotated token is reuse: it ends the user's sessions
    const c1 = refreshCookie(await login(u.login, u.password));
    const r1 = await refresh(c1.pair);
    assert.equal(r1.status, 200, r1.text);
    const again = await refresh(c1.pair);
    assertProblem(again, 401);
  });

  test('presenting a rotated token again revokes the whole session (the newest token fails too)', async () => {
    const u = await freshUser();
    const c1 = refreshCookie(await login(u.login, u.password));
    const r1 = await refresh(c1.pair);
    assert.equal(r1.status, 200, r1.text);
    const c2 = refreshCookie(r1);
    const token = r1.body.access_token;
    assert.equal((await get('/me', token)).status, 200);
    assertProblem(await refresh(c1.pair), 401);
    assertProblem(await refresh(c2.pair), 401);
    assertProblem(await get('/me', token), 401, 'auth.invalid_token');
  });

  test('no cookie answers 401', async () => {
    assertProblem(await refresh(null), 401);
  });

  test('an unknown cookie value answers 401 auth.invalid_refresh', async () => {
    assertProblem(await refresh(`orientir_refresh=${Buffer.alloc(32, 7).toString('base64url')}`), 401, 'auth.invalid_refresh');
  });
});

describe('POST /auth/logout', () => {
  test('answers 204 without a body or content type, and the refresh cookie stops working', async () => {
    const u = await freshUser();
    const c = refreshCookie(await login(u.login, u.password));
    const res = await logout(c.pair);
    assert.equal(res.status, 204, res.text);
    assert.equal(res.text, '');
    assertProblem(await refresh(c.pair), 401);
  });

  test('without a cookie answers 204 as well (nothing to revoke)', async () => {
    const res = await logout(null);
    assert.equal(res.status, 204, res.text);
  });
});

describe('GET /me', () => {
  test('answers the session user with id, login, full_name, role, municipality_id and school_id', async () => {
    for (const role of ['committee', 'loiro', 'municipality', 'school']) {
      const a = actors[role];
      const res = await get('/me', a.token);
      assert.equal(res.status, 200, `${role}: ${res.text}`);
      for (const f of ['id', 'login', 'full_name', 'role', 'municipality_id', 'school_id']) {
        assert.ok(f in res.body, `${role}: /me has ${f}: ${res.text}`);
      }
      assert.equal(res.body.login, a.login);
      assert.equal(res.body.role, role);
      assert.equal(res.body.id, a.user.id);
      assert.equal(typeof res.body.full_name, 'string');
      assert.ok(res.body.full_name.length > 0);
    }
  });

  test('organisation ids fit the role: regional roles have none, a municipality its own, a school its school and municipality', async () => {
    const me = async (role) => (await get('/me', actors[role].token)).body;
    for (const role of ['committee', 'loiro']) {
      const m = await me(role);
      assert.equal(m.municipality_id, null, role);
      assert.equal(m.school_id, null, role);
    }
    const mo = await me('municipality');
    assert.ok(Number.isInteger(mo.municipality_id));
    assert.equal(mo.school_id, null);
    const sc = await me('school');
    assert.equal(sc.school_id, actors.school.schoolRow.id);
    assert.equal(sc.municipality_id, mo.municipality_id, 'the demo school lies in the demo municipality');
  });

  test('without a token answers 401 problem+json', async () => {
    assertProblem(await get('/me', null), 401);
  });
});

describe('POST /me/password', () => {
  async function freshUser() {
    const u = await createUser(actors.committee.token, 'school', await orgFor('school'));
    const res = await login(u.login, u.password);
    assert.equal(res.status, 200, res.text);
    return { ...u, token: res.body.access_token, cookie: refreshCookie(res) };
  }

  test('with the right current password answers 204; the new password signs in and the old one does not', async () => {
    const u = await freshUser();
    const next = `${u.password}-new`;
    const res = await post('/me/password', u.token, { current_password: u.password, new_password: next });
    assert.equal(res.status, 204, res.text);
    assert.equal((await login(u.login, next)).status, 200);
    assertProblem(await login(u.login, u.password), 401, 'auth.invalid_credentials');
  });

  test('changing the password revokes the refresh tokens of the user', async () => {
    const u = await freshUser();
    const res = await post('/me/password', u.token, { current_password: u.password, new_password: `${u.password}-2` });
    assert.equal(res.status, 204, res.text);
    assertProblem(await refresh(u.cookie.pair), 401);
  });

  test('a wrong current password is refused (422 naming current_password) and the password stays', async () => {
    const u = await freshUser();
    const res = await post('/me/password', u.token, { current_password: `${u.password}-wrong`, new_password: `${u.password}-3` });
    assertFieldError(res, 'current_password');
    assert.equal((await login(u.login, u.password)).status, 200, 'the old password still works');
    assertProblem(await login(u.login, `${u.password}-3`), 401);
  });

  test('a missing new_password answers 422 naming new_password', async () => {
    const u = await freshUser();
    const res = await post('/me/password', u.token, { current_password: u.password });
    assertFieldError(res, 'new_password');
  });
});

describe('throttling of failed passwords', () => {
  // The source addresses below are this file's own: a second run within 15 minutes starts clean.
  before(() => psql(`delete from app.login_attempts where address like '127.0.0.%' and address <> '127.0.0.1'`));
  const fresh = async () => createUser(actors.committee.token, 'school', await orgFor('school'));
  // How long a 429 says to wait, after checking it is auth.throttled with a Russian title.
  function waitOf(res) {
    assertProblem(res, 429, 'auth.throttled');
    assert.match(res.body.title, /^Слишком много неудачных попыток\. Повторите через \d+ (секунд[уы]?|минут[уы]?)$/);
    assert.equal(refreshCookie(res), null, 'no session while throttled');
    return Number(res.headers.get('retry-after'));
  }
  // Dates the failures of a login back, as if that much time had passed.
  const age = (loginName, seconds) => psql(
    `update app.login_attempts set at = at - make_interval(secs => :s) where login = lower(:'l')`, { s: seconds, l: loginName });

  test('five failures of a login from one address make it wait 30 s there, even with the right password; elsewhere the owner gets in', async () => {
    const u = await fresh();
    for (let i = 1; i <= 5; i++) {
      assertProblem(await login(u.login, `wrong-${i}`, { from: '127.0.0.11' }), 401, 'auth.invalid_credentials');
    }
    const wait = waitOf(await login(u.login, u.password, { from: '127.0.0.11' }));
    assert.ok(wait > 0 && wait <= 30, `Retry-After ${wait}`);
    assert.equal((await login(u.login, u.password, { from: '127.0.0.12' })).status, 200, 'the owner from another address');
  });

  test('an unknown login is throttled exactly like a known one', async () => {
    const u = await fresh();
    const ghost = `ghost-${u.login}`;
    const answers = async (name, from) => {
      const out = [];
      for (let i = 1; i <= 6; i++) {
        const res = await login(name, `wrong-${i}`, { from });
        const wait = Number(res.headers.get('retry-after'));
        out.push(`${res.status} ${res.body?.code} ${res.status === 429 && wait > 25 && wait <= 30 ? 'about 30 s' : wait}`);
      }
      return out;
    };
    const known = await answers(u.login, '127.0.0.13');
    const unknown = await answers(ghost, '127.0.0.14');
    assert.deepEqual(unknown, known);
    assert.equal(known[5], '429 auth.throttled about 30 s');
  });

  test('the wait doubles with each further failure: 30 s, 60 s, 120 s', async () => {
    const u = await fresh();
    const from = '127.0.0.15';
    for (let i = 1; i <= 5; i++) await login(u.login, `wrong-${i}`, { from });
    assert.ok(waitOf(await login(u.login, u.password, { from })) <= 30);
    for (const [waited, next] of [[31, 60], [61, 120]]) {
      age(u.login, waited);
      assertProblem(await login(u.login, 'wrong-again', { from }), 401, 'auth.invalid_credentials');
      const wait = waitOf(await login(u.login, u.password, { from }));
      assert.ok(wait > next / 2 && wait <= next, `after ${waited} s: Retry-After ${wait}, expected up to ${next}`);
    }
    age(u.login, 121);
    assert.equal((await login(u.login, u.password, { from })).status, 200, 'after the wait the right password signs in');
  });

  test('thirty failures from one address, whatever the logins, hold back every login there', async () => {
    const u = await fresh();
    psql(`insert into app.login_attempts (login, address, succeeded)
          select 'spray-' || i, '127.0.0.16', false from generate_series(1, 29) i`);
    assertProblem(await login(`spray-${u.login}`, 'x', { from: '127.0.0.16' }), 401, 'auth.invalid_credentials');
    const wait = waitOf(await login(u.login, u.password, { from: '127.0.0.16' }));
    assert.ok(wait > 14 * 60 && wait <= 15 * 60, `Retry-After ${wait}`);
    assert.match((await login(u.login, u.password, { from: '127.0.0.16' })).body.title, /через 15 минут$/);
    assert.equal((await login(u.login, u.password, { from: '127.0.0.17' })).status, 200, 'other addresses are not held back');
  });

  test('a hundred failures of one login from all addresses together hold it back everywhere', async () => {
    const u = await fresh();
    psql(`insert into app.login_attempts (login, address, succeeded)
          select :'l', '10.7.' || (i / 250) || '.' || (i % 250), false from generate_series(1, 99) i`, { l: u.login });
    assertProblem(await login(u.login, 'wrong', { from: '127.0.0.18' }), 401, 'auth.invalid_credentials');
    waitOf(await login(u.login, u.password, { from: '127.0.0.19' }));
  });

  test('wrong current passwords of POST /me/password count with the sign-in failures of that login', async () => {
    const u = await fresh();
    const from = '127.0.0.20';
    const token = (await login(u.login, u.password, { from })).body.access_token;
    for (let i = 1; i <= 5; i++) {
      const res = await post('/me/password', token, { current_password: `wrong-${i}`, new_password: `${u.password}-x` }, { from });
      assertFieldError(res, 'current_password');
    }
    waitOf(await post('/me/password', token, { current_password: u.password, new_password: `${u.password}-x` }, { from }));
    waitOf(await login(u.login, u.password, { from }));
    assert.equal((await login(u.login, u.password, { from: '127.0.0.21' })).status, 200, 'the password did not change');
    assert.equal(psqlValue(`select count(*) from app.audit_log where action = 'password_check_failed' and user_id = :id`,
      { id: u.id }), '5', 'each wrong current password is audited');
  });
});
