// Shared helpers of the API tests: the stack's address, an HTTP helper that returns
// {status, headers, body}, sign-in with tokens cached per role, psql for looking into the
// database, and a JWT forger that signs with the API's real secret.
//
// The tests run through nginx against the real stack that `make test` starts
// (scripts/test-all.sh exports ORIENTIR_URL, ORIENTIR_VAR and the PG* variables).
// Run by hand against a stack of your own:
//   ORIENTIR_VAR=$PWD/var/test PORT=18080 PG_FAST=1 API_BIN=backend/build/asan/orientir-api scripts/stack.sh up
//   eval "$(ORIENTIR_VAR=$PWD/var/test PORT=18080 scripts/stack.sh env)"; export PGHOST PGUSER PGDATABASE ORIENTIR_URL ORIENTIR_VAR
//   node --test --test-concurrency=1 tests/api/*.test.mjs
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agent, fetch as fetchVia } from 'undici';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const VAR = process.env.ORIENTIR_VAR || join(ROOT, 'var', 'test');
export const BASE = (process.env.ORIENTIR_URL || 'http://127.0.0.1:18080').replace(/\/$/, '');
export const API = `${BASE}/api/v1`;
export const DEMO_PASSWORD = process.env.DEMO_PASSWORD || 'orientir-demo';
export const ROLES = ['committee', 'loiro', 'municipality', 'school'];

/** The demo municipality whose user acts as "the municipality" of the tests. */
export const DEMO_MUNICIPALITY_LOGIN = 'mo-vsevolozhsky';

// When run by hand without the PG* variables, ask the stack script where the cluster is.
function stackEnv() {
  if (process.env.PGHOST) return process.env;
  try {
    const line = execFileSync(join(ROOT, 'scripts', 'stack.sh'), ['env'], {
      env: { ...process.env, ORIENTIR_VAR: VAR },
      encoding: 'utf8',
    });
    const env = { ...process.env };
    for (const pair of line.trim().split(/\s+/)) {
      const i = pair.indexOf('=');
      if (i > 0 && !['ORIENTIR_URL', 'ORIENTIR_VAR'].includes(pair.slice(0, i))) env[pair.slice(0, i)] = pair.slice(i + 1);
    }
    return env;
  } catch {
    return process.env;
  }
}
export const ENV = stackEnv();

/** A string unique within this run, for logins and codes. */
let uniqueCounter = 0;
export function unique(prefix = 't') {
  uniqueCounter += 1;
  return `${prefix}-${Date.now().toString(36)}-${process.pid.toString(36)}-${uniqueCounter}`;
}

/**
 * One HTTP request to the stack. `path` is relative to /api/v1 unless it starts with
 * "http" or "/"+"/"-less absolute ("/" paths are taken relative to BASE when `raw: true`).
 * Options: method, token, json (serialised, Content-Type application/json), body (raw:
 * string or Buffer, sent as is), contentType, headers, cookie, from (a loopback source
 * address such as 127.0.0.2: nginx passes it to the API as the client's address).
 * Returns {status, headers, body, text, cookies}: body is the parsed JSON when the answer
 * is JSON (problem+json included), else null.
 */
export async function request(method, path, opts = {}) {
  const url = /^https?:/.test(path) ? path : opts.raw ? BASE + path : API + path;
  const headers = { ...(opts.headers || {}) };
  let body;
  if (opts.json !== undefined) {
    body = JSON.stringify(opts.json);
    headers['Content-Type'] = opts.contentType ?? 'application/json';
  } else if (opts.body !== undefined) {
    body = opts.body;
    if (opts.contentType !== null) headers['Content-Type'] = opts.contentType ?? 'application/json';
  }
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  if (opts.cookie) headers.Cookie = opts.cookie;
  const res = opts.from
    ? await fetchVia(url, { method, headers, body, redirect: 'manual', dispatcher: agentFrom(opts.from) })
    : await fetch(url, { method, headers, body, redirect: 'manual' });
  const text = await res.text();
  const type = res.headers.get('content-type') || '';
  let parsed = null;
  if (/json/.test(type) && text.length) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined; // JSON promised but not delivered: tests see `undefined`
    }
  }
  return {
    status: res.status,
    headers: res.headers,
    body: parsed,
    text,
    cookies: typeof res.headers.getSetCookie === 'function' ? res.headers.getSetCookie() : [],
  };
}

const agents = new Map();
/** One connection pool per loopback source address (requests from "another client"). */
function agentFrom(address) {
  if (!agents.has(address)) agents.set(address, new Agent({ localAddress: address }));
  return agents.get(address);
}

export const get = (path, token, opts = {}) => request('GET', path, { ...opts, token });
/** POST <objectPath>/attachments?name=… with `bytes` (a Buffer) as the raw body: a file upload. */
export function upload(token, objectPath, bytes, name = 'Приказ.pdf', contentType = 'application/octet-stream') {
  const q = name === null ? '' : `?name=${encodeURIComponent(name)}`;
  return request('POST', `${objectPath}/attachments${q}`, { token, body: bytes, contentType });
}
/** A small real PDF of tests/fixtures/files. */
export const samplePdf = () => readFileSync(join(ROOT, 'tests', 'fixtures', 'files', 'program-chromium.pdf'));
export const post = (path, token, json, opts = {}) => request('POST', path, { ...opts, token, json });
export const patch = (path, token, json, opts = {}) => request('PATCH', path, { ...opts, token, json });

/** The refresh cookie ("orientir_refresh=...") of an answer, or null, plus its attributes. */
export function refreshCookie(res) {
  const raw = res.cookies.find((c) => c.startsWith('orientir_refresh='));
  if (!raw) return null;
  const [pair, ...attrs] = raw.split(';').map((s) => s.trim());
  return { raw, pair, value: pair.slice('orientir_refresh='.length), attrs };
}

/** POST /auth/login (opts as for request, e.g. {from: '127.0.0.2'}); returns the whole answer. */
export function login(loginName, password = DEMO_PASSWORD, opts = {}) {
  return request('POST', '/auth/login', { ...opts, json: { login: loginName, password } });
}

const tokenCache = new Map();
/** An access token for a login (cached for this test file); throws when sign-in fails. */
export async function tokenOf(loginName, password = DEMO_PASSWORD) {
  const key = `${loginName}\0${password}`;
  if (!tokenCache.has(key)) {
    const res = await login(loginName, password);
    if (res.status !== 200 || !res.body?.access_token) {
      throw new Error(`sign-in as ${loginName} failed: ${res.status} ${res.text.slice(0, 300)}`);
    }
    tokenCache.set(key, { token: res.body.access_token, user: res.body.user });
  }
  return tokenCache.get(key).token;
}
export async function sessionOf(loginName, password = DEMO_PASSWORD) {
  await tokenOf(loginName, password);
  return tokenCache.get(`${loginName}\0${password}`);
}

/**
 * The demo actors the tests use: the committee, ЛОИРО, the municipality
 * mo-vsevolozhsky and the first school of that municipality. Cached per file.
 * Returns {committee, loiro, municipality, school}: each {login, token, user}.
 */
let actorsPromise = null;
export function demoActors() {
  actorsPromise ??= (async () => {
    const committee = await sessionOf('committee');
    const loiro = await sessionOf('loiro');
    const municipality = await sessionOf(DEMO_MUNICIPALITY_LOGIN);
    const list = await get(`/schools?municipality_id=${municipality.user.municipality_id}&limit=1`, municipality.token);
    if (list.status !== 200 || !list.body?.items?.length) {
      throw new Error(`no school for ${DEMO_MUNICIPALITY_LOGIN}: ${list.status} ${list.text.slice(0, 300)}`);
    }
    const schoolLogin = `school-${list.body.items[0].code}`;
    const school = await sessionOf(schoolLogin);
    return {
      committee: { login: 'committee', ...committee },
      loiro: { login: 'loiro', ...loiro },
      municipality: { login: DEMO_MUNICIPALITY_LOGIN, ...municipality },
      school: { login: schoolLogin, ...school, schoolRow: list.body.items[0] },
    };
  })();
  return actorsPromise;
}

/** Token of the demo actor of a role. */
export async function roleToken(role) {
  return (await demoActors())[role].token;
}

/**
 * Creates a user through the API as `creatorToken` (POST /users carries the initial
 * password) and returns {id, login, password, user}.
 * `org` names the organisation: {region_id} | {municipality_id} | {school_id}.
 */
export async function createUser(creatorToken, role, org, extra = {}) {
  const loginName = unique(`u-${role}`).toLowerCase();
  const password = `Pw-${randomBytes(9).toString('base64url')}`;
  const res = await request('POST', '/users', {
    token: creatorToken,
    json: { login: loginName, full_name: `Тестовый Пользователь ${loginName}`, role, ...org, password, ...extra },
  });
  if (res.status !== 201) throw new Error(`POST /users failed: ${res.status} ${res.text.slice(0, 400)}`);
  return { id: res.body.id, login: loginName, password, user: res.body };
}

/**
 * A new user of `role` in the demo actors' scope, created by the committee: for tests that
 * sign out, change a password or trip reuse detection, which end every access token of
 * that user (its token epoch) and so must not touch a demo user other tests hold tokens of.
 */
export async function freshUser(role = 'school') {
  return createUser((await demoActors()).committee.token, role, await orgFor(role));
}

/** Organisation fields for a new user of `role` inside the demo actors' scope. */
export async function orgFor(role) {
  const a = await demoActors();
  switch (role) {
    case 'committee':
    case 'loiro':
      return { region_id: a.committee.user.region_id };
    case 'municipality':
      return { municipality_id: a.municipality.user.municipality_id };
    case 'school':
      return { school_id: a.school.user.school_id };
    default:
      throw new Error(role);
  }
}

// ---------------------------------------------------------------------------------------
// The database, through psql as the superuser (bypasses RLS; for looking, and fixtures).

/** Runs SQL and returns the rows as arrays of strings (unaligned, tab-separated). */
export function psql(sql, vars = {}) {
  const args = ['-X', '-q', '-At', '-F', '\t', '-v', 'ON_ERROR_STOP=1'];
  for (const [k, v] of Object.entries(vars)) args.push('-v', `${k}=${v}`);
  const out = execFileSync('psql', args, { input: sql, env: ENV, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  return out
    .split('\n')
    .filter((l) => l.length)
    .map((l) => l.split('\t'));
}
/** The single value of a one-row, one-column query. */
export function psqlValue(sql, vars) {
  const rows = psql(sql, vars);
  return rows.length ? rows[0][0] : null;
}

/**
 * A fingerprint of the data a bad request must not change: the rows of users and
 * schools, the number of audit rows and refresh tokens.
 */
export function dbFingerprint() {
  return psqlValue(`
    select concat_ws(' ',
      (select count(*) from app.users), (select md5(coalesce(string_agg(u::text, '|' order by u.id), '')) from app.users u),
      (select count(*) from app.schools), (select md5(coalesce(string_agg(s::text, '|' order by s.id), '')) from app.schools s),
      (select count(*) from app.audit_log))`);
}

/** Highest audit_log id (0 when empty). */
export function lastAuditId() {
  return Number(psqlValue('select coalesce(max(id), 0) from app.audit_log'));
}

/** Audit rows after `sinceId`, as objects. */
export function auditRowsSince(sinceId) {
  const rows = psql(
    `select json_build_object('id', id, 'user_id', user_id, 'role', role, 'action', action,
            'entity', entity, 'entity_id', entity_id, 'before', before, 'after', after)
       from app.audit_log where id > ${Number(sinceId)} order by id`,
  );
  return rows.map((r) => JSON.parse(r[0]));
}

/**
 * A second region with one municipality, one school and one ЛОИРО user, made directly in
 * the database (the API has no route that creates regions): the committee and ЛОИРО of
 * Leningrad Oblast must not see any of it. Idempotent.
 */
export function foreignRegion() {
  const hash = psqlValue("select password_hash from app.users where login = 'committee'");
  psql(`
    insert into app.regions (code, name, committee_name, institute_name)
      values ('99', 'Тестовая чужая область', 'Комитет чужой области', 'Институт чужой области')
      on conflict do nothing;
    insert into app.municipalities (region_id, code, name)
      select id, '99-01', 'Чужой муниципальный район' from app.regions where code = '99'
      on conflict do nothing;
    insert into app.schools (municipality_id, code, name, short_name, address, is_rural,
                             unfavorable_conditions, education_levels, has_ovz_pupils)
      select id, '99-01-001', 'МОУ «Чужая школа»', 'Чужая школа', 'Чужая область, д. 1', true,
             false, '{primary,basic}', false
        from app.municipalities where code = '99-01'
      on conflict do nothing;
    insert into app.users (login, full_name, role, region_id, password_hash)
      select 'matrix-foreign-loiro', 'Чужой Методист', 'loiro', id, :'hash'
        from app.regions where code = '99'
      on conflict do nothing;
  `, { hash });
  return {
    regionX: Number(psqlValue("select id from app.regions where code = '99'")),
    municipalityX: Number(psqlValue("select id from app.municipalities where code = '99-01'")),
    schoolX: Number(psqlValue("select id from app.schools where code = '99-01-001'")),
    userX: Number(psqlValue("select id from app.users where login = 'matrix-foreign-loiro'")),
  };
}

// ---------------------------------------------------------------------------------------
// JWT forging with the real secret.

/**
 * The HS256 key of the API: the bytes of $ORIENTIR_VAR/secret/jwt.key exactly as stored
 * (backend/src/config.c reads the whole file as the key; scripts/stack.sh writes base64
 * text without a newline).
 */
export function jwtSecret() {
  return readFileSync(join(VAR, 'secret', 'jwt.key'));
}

export const b64url = (v) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

/**
 * Signs `payload` into a compact JWT. Options: alg (HS256 | HS512 | none), key (Buffer or
 * string; defaults to the real secret), header (extra header fields).
 */
export function forgeJwt(payload, { alg = 'HS256', key, header = {} } = {}) {
  const head = b64url({ alg, typ: 'JWT', ...header });
  const body = b64url(payload);
  const input = `${head}.${body}`;
  if (alg === 'none') return `${input}.`;
  const hash = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' }[alg];
  if (!hash) throw new Error(`cannot sign with ${alg}`);
  const sig = createHmac(hash, key ?? jwtSecret()).update(input).digest('base64url');
  return `${input}.${sig}`;
}

/** The payload of a compact JWT (not verified). */
export function decodeJwt(token) {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}

/** Seconds since the epoch. */
export const now = () => Math.floor(Date.now() / 1000);

/** Claims like the API's for an existing session user, fresh times and jti. */
export function claimsFor(user, overrides = {}) {
  const t = now();
  return {
    sub: String(user.id),
    role: user.role,
    reg: user.region_id ?? null,
    mun: user.municipality_id ?? null,
    sch: user.school_id ?? null,
    ep: user.token_epoch,
    iss: 'orientir',
    aud: 'orientir',
    iat: t,
    nbf: t,
    exp: t + 600,
    jti: randomBytes(12).toString('hex'),
    ...overrides,
  };
}

// ---------------------------------------------------------------------------------------
// The route table of the binary under test.

export function apiBinary() {
  for (const p of [process.env.API_BIN, join(ROOT, 'backend/build/asan/orientir-api'), join(ROOT, 'backend/build/orientir-api')]) {
    if (p && existsSync(p)) return p;
  }
  return null;
}

/** `orientir-api routes` → [{method, path, roles, public, call?}]. Throws when unavailable. */
export function routeTable() {
  const bin = apiBinary();
  if (!bin) throw new Error('no orientir-api binary (build backend first)');
  const out = execFileSync(bin, ['routes'], { encoding: 'utf8', env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
  return JSON.parse(out);
}

// ---------------------------------------------------------------------------------------
// Assertions shared by the files.

/** Asserts a problem+json answer with this status (and code, when given). */
export function assertProblem(res, status, code) {
  const ctx = `${res.status} ${res.text.slice(0, 500)}`;
  assert.equal(res.status, status, `status: ${ctx}`);
  assert.match(res.headers.get('content-type') || '', /^application\/problem\+json/, `content type: ${ctx}`);
  assert.ok(res.body && typeof res.body === 'object', `problem body: ${ctx}`);
  assert.equal(res.body.status, status, `body.status: ${ctx}`);
  assert.equal(typeof res.body.code, 'string', `body.code: ${ctx}`);
  assert.equal(typeof res.body.title, 'string', `body.title: ${ctx}`);
  assert.match(res.body.title, /[А-Яа-яЁё]/, `title in Russian: ${ctx}`);
  if (code !== undefined) assert.equal(res.body.code, code, `code: ${ctx}`);
}

/** Asserts 422 validation.failed whose errors name `field` (one of, when an array). */
export function assertFieldError(res, fields) {
  assertProblem(res, 422, 'validation.failed');
  const want = [].concat(fields);
  const errs = res.body.errors;
  assert.ok(Array.isArray(errs) && errs.length > 0, `errors[]: ${res.text}`);
  for (const e of errs) {
    assert.equal(typeof e.field, 'string', `error.field: ${res.text}`);
    assert.equal(typeof e.code, 'string', `error.code: ${res.text}`);
    assert.equal(typeof e.message, 'string', `error.message: ${res.text}`);
    assert.match(e.message, /[А-Яа-яЁё]/, `error.message in Russian: ${res.text}`);
  }
  assert.ok(
    errs.some((e) => want.includes(e.field)),
    `errors name ${want.join(' or ')}: ${res.text}`,
  );
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
