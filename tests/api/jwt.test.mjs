// Attacks on the access token. Every forged or broken token answers 401; a token forged
// correctly with the real secret is accepted, which proves the forger itself is right.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  assertProblem, b64url, claimsFor, dbFingerprint, createUser, decodeJwt, demoActors, forgeJwt, get, login,
  freshUser, now, orgFor, patch, post, refreshCookie, request,
} from './lib.mjs';

let actors;
let school; // the demo school's session user: the victim whose identity is forged
before(async () => {
  actors = await demoActors();
  school = actors.school.user;
});

const me = (token) => get('/me', token);

test('a token forged with the real secret and the API\'s claims is accepted (the forger is right)', async () => {
  const res = await me(forgeJwt(claimsFor(school)));
  assert.equal(res.status, 200, res.text);
  assert.equal(res.body.id, school.id);
});

test('a forged committee token with the real secret is accepted as the committee', async () => {
  const res = await get('/users?limit=1', forgeJwt(claimsFor(actors.committee.user)));
  assert.equal(res.status, 200, res.text);
});

describe('rejected tokens (401)', () => {
  const t = () => now();
  const cases = [
    ['alg none, no signature', () => forgeJwt(claimsFor(school), { alg: 'none' })],
    ['alg none with the signature of a valid token', () => {
      const valid = forgeJwt(claimsFor(school));
      return `${b64url({ alg: 'none', typ: 'JWT' })}.${valid.split('.')[1]}.${valid.split('.')[2]}`;
    }],
    ['alg "None" (mixed case)', () => forgeJwt(claimsFor(school), { alg: 'none', header: { alg: 'None' } })],
    ['HS256 signed with an empty key', () => forgeJwt(claimsFor(school), { key: Buffer.alloc(0) })],
    ['HS256 signed with another secret', () => forgeJwt(claimsFor(school), { key: 'x'.repeat(64) })],
    ['HS512 signed with the real secret', () => forgeJwt(claimsFor(school), { alg: 'HS512' })],
    ['HS384 signed with the real secret', () => forgeJwt(claimsFor(school), { alg: 'HS384' })],
    ['tampered payload: role changed to committee, signature kept', () => {
      const [h, , s] = actors.school.token.split('.');
      return `${h}.${b64url({ ...decodeJwt(actors.school.token), role: 'committee', sch: null, mun: null })}.${s}`;
    }],
    ['tampered payload: sub changed to another user, signature kept', () => {
      const [h, , s] = actors.school.token.split('.');
      return `${h}.${b64url({ ...decodeJwt(actors.school.token), sub: String(actors.committee.user.id) })}.${s}`;
    }],
    ['expired (exp two minutes ago)', () => forgeJwt(claimsFor(school, { iat: t() - 1200, nbf: t() - 1200, exp: t() - 120 }))],
    ['nbf an hour in the future', () => forgeJwt(claimsFor(school, { nbf: t() + 3600, exp: t() + 7200 }))],
    ['iat an hour in the future', () => forgeJwt(claimsFor(school, { iat: t() + 3600, nbf: t(), exp: t() + 7200 }))],
    ['wrong iss', () => forgeJwt(claimsFor(school, { iss: 'someone-else' }))],
    ['missing iss', () => forgeJwt(claimsFor(school, { iss: undefined }))],
    ['wrong aud', () => forgeJwt(claimsFor(school, { aud: 'someone-else' }))],
    ['missing aud', () => forgeJwt(claimsFor(school, { aud: undefined }))],
    ['unknown role "admin"', () => forgeJwt(claimsFor(school, { role: 'admin' }))],
    ['role "anon" (the unauthenticated database role)', () => forgeJwt(claimsFor(school, { role: 'anon' }))],
    ['role "api" (the login role)', () => forgeJwt(claimsFor(school, { role: 'api' }))],
    ['missing role', () => forgeJwt(claimsFor(school, { role: undefined }))],
    ['missing exp', () => forgeJwt(claimsFor(school, { exp: undefined }))],
    ['exp as a string', () => forgeJwt(claimsFor(school, { exp: String(t() + 600) }))],
    ['missing sub', () => forgeJwt(claimsFor(school, { sub: undefined }))],
    ['sub of a user that does not exist', () => forgeJwt(claimsFor(school, { sub: '999999999' }))],
    ['garbage instead of a token', () => 'not-a-jwt'],
    ['two segments only', () => forgeJwt(claimsFor(school)).split('.').slice(0, 2).join('.')],
    ['signature of another token', () => {
      const a = forgeJwt(claimsFor(school));
      const b = forgeJwt(claimsFor(school, { jti: 'other' }));
      return `${a.split('.').slice(0, 2).join('.')}.${b.split('.')[2]}`;
    }],
  ];
  for (const [name, make] of cases) {
    test(`${name} → 401`, async () => {
      // JSON.stringify drops undefined members: "missing X" really is missing.
      const res = await me(make());
      assertProblem(res, 401);
    });
  }

  test('a token with a trailing space-separated extra is rejected', async () => {
    const res = await request('GET', '/me', { headers: { Authorization: `Bearer ${forgeJwt(claimsFor(school))} extra` } });
    assertProblem(res, 401);
  });

  test('an Authorization header of another scheme is rejected', async () => {
    const res = await request('GET', '/me', { headers: { Authorization: `Basic ${Buffer.from('committee:orientir-demo').toString('base64')}` } });
    assertProblem(res, 401);
  });

  test('a tampered token is refused on a write too, and nothing is written', async () => {
    const [h, , s] = actors.school.token.split('.');
    const forged = `${h}.${b64url({ ...decodeJwt(actors.school.token), role: 'committee' })}.${s}`;
    const before = dbFingerprint();
    const res = await request('POST', '/schools', {
      token: forged,
      json: {
        code: 'hack', name: 'x', short_name: 'x', municipality_id: school.municipality_id, education_levels: ['primary'],
      },
    });
    assertProblem(res, 401);
    assert.equal(dbFingerprint(), before);
  });
});

describe('a deactivated user', () => {
  test('a token issued before deactivation answers 401 at once (auth.inactive)', async () => {
    const u = await createUser(actors.committee.token, 'school', await orgFor('school'));
    const signedIn = await login(u.login, u.password);
    assert.equal(signedIn.status, 200, signedIn.text);
    const token = signedIn.body.access_token;
    assert.equal((await me(token)).status, 200, 'works while active');
    const off = await patch(`/users/${u.id}`, actors.committee.token, { is_active: false });
    assert.equal(off.status, 200, off.text);
    assert.equal(off.body.is_active, false);
    assertProblem(await me(token), 401, 'auth.inactive');
  });

  test('a token forged for a deactivated user with the real secret answers 401', async () => {
    const u = await createUser(actors.committee.token, 'school', await orgFor('school'));
    const signedIn = await login(u.login, u.password);
    const off = await patch(`/users/${u.id}`, actors.committee.token, { is_active: false });
    assert.equal(off.status, 200, off.text);
    assertProblem(await me(forgeJwt(claimsFor(signedIn.body.user))), 401);
  });

  test('its refresh cookie is revoked and it cannot sign in again', async () => {
    const u = await createUser(actors.committee.token, 'school', await orgFor('school'));
    const signedIn = await login(u.login, u.password);
    const cookie = refreshCookie(signedIn);
    const off = await patch(`/users/${u.id}`, actors.committee.token, { is_active: false });
    assert.equal(off.status, 200, off.text);
    assertProblem(await request('POST', '/auth/refresh', { cookie: cookie.pair }), 401);
    const again = await login(u.login, u.password);
    assert.equal(again.status, 401, again.text);
  });

  test('reactivated, the same user signs in again', async () => {
    const u = await createUser(actors.committee.token, 'school', await orgFor('school'));
    assert.equal((await patch(`/users/${u.id}`, actors.committee.token, { is_active: false })).status, 200);
    const on = await patch(`/users/${u.id}`, actors.committee.token, { is_active: true });
    assert.equal(on.status, 200, on.text);
    assert.equal((await login(u.login, u.password)).status, 200);
  });
});

// The token epoch (claim ep): every event that ends a user's sessions ends the access
// tokens already issued, on the very next request — not when they expire 15 minutes later.
describe('a token ends at once', () => {
  const signIn = async (u) => {
    const res = await login(u.login, u.password);
    assert.equal(res.status, 200, res.text);
    assert.equal(decodeJwt(res.body.access_token).ep, res.body.user.token_epoch, 'the token carries the epoch');
    assert.equal((await me(res.body.access_token)).status, 200, 'works before');
    return res;
  };

  test('a token without the claim ep answers 401 auth.invalid_token', async () => {
    const { ep, ...claims } = claimsFor(school);
    assert.ok(Number.isInteger(ep) && ep >= 1, `the demo school's epoch: ${ep}`);
    assertProblem(await me(forgeJwt(claims)), 401, 'auth.invalid_token');
    assertProblem(await me(forgeJwt({ ...claims, ep: String(ep) })), 401, 'auth.invalid_token');
  });

  test('a token of an earlier epoch answers 401, even signed with the real secret', async () => {
    const u = await freshUser();
    const res = await signIn(u);
    const user = res.body.user;
    assertProblem(await me(forgeJwt(claimsFor(user, { ep: user.token_epoch - 1 }))), 401, 'auth.invalid_token');
    assertProblem(await me(forgeJwt(claimsFor(user, { ep: user.token_epoch + 1 }))), 401, 'auth.invalid_token');
  });

  test('after sign-out', async () => {
    const u = await freshUser();
    const res = await signIn(u);
    const out = await request('POST', '/auth/logout', { cookie: refreshCookie(res).pair });
    assert.equal(out.status, 204, out.text);
    const after = await me(res.body.access_token);
    assertProblem(after, 401, 'auth.invalid_token');
    assert.match(after.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
    assert.equal((await me((await signIn(u)).body.access_token)).status, 200, 'signing in again works');
  });

  test('after the user changes the password, and the new password opens a new session', async () => {
    const u = await freshUser();
    const res = await signIn(u);
    const next = `${u.password}-new`;
    const changed = await post('/me/password', res.body.access_token, { current_password: u.password, new_password: next });
    assert.equal(changed.status, 204, changed.text);
    assertProblem(await me(res.body.access_token), 401, 'auth.invalid_token');
    await signIn({ login: u.login, password: next });
  });

  test('after an administrator sets the password', async () => {
    const u = await freshUser();
    const res = await signIn(u);
    const set = await post(`/users/${u.id}/password`, actors.committee.token, { new_password: `${u.password}-set` });
    assert.equal(set.status, 204, set.text);
    assertProblem(await me(res.body.access_token), 401, 'auth.invalid_token');
  });

  test('after deactivation, and reactivation does not revive it', async () => {
    const u = await freshUser();
    const res = await signIn(u);
    assert.equal((await patch(`/users/${u.id}`, actors.committee.token, { is_active: false })).status, 200);
    assertProblem(await me(res.body.access_token), 401, 'auth.inactive');
    assert.equal((await patch(`/users/${u.id}`, actors.committee.token, { is_active: true })).status, 200);
    assertProblem(await me(res.body.access_token), 401, 'auth.invalid_token');
    await signIn(u);
  });

  test('after a change of role and organisation', async () => {
    const u = await freshUser('school');
    const res = await signIn(u);
    const moved = await patch(`/users/${u.id}`, actors.committee.token,
      { role: 'municipality', ...(await orgFor('municipality')) });
    assert.equal(moved.status, 200, moved.text);
    assertProblem(await me(res.body.access_token), 401, 'auth.invalid_token');
    const again = await signIn(u);
    assert.equal(again.body.user.role, 'municipality');
  });

  test('a refused token changes nothing: the write it carried is not made', async () => {
    const u = await freshUser('municipality');
    const res = await signIn(u);
    assert.equal((await request('POST', '/auth/logout', { cookie: refreshCookie(res).pair })).status, 204);
    const before = dbFingerprint();
    const put = await patch(`/users/${u.id}`, res.body.access_token, { full_name: 'Изменено после выхода' });
    assertProblem(put, 401, 'auth.invalid_token');
    assert.equal(dbFingerprint(), before);
  });
});
