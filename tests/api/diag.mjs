// Helpers of the self-diagnostics API tests (issue 3), shared by diagnostics.test.mjs and
// matrix.test.mjs: a small instrument document whose scores are easy to work out, creating
// and publishing it, campaigns open today, driving a school's submission, and a foreign
// region with a school and a municipality user of its own.
import assert from 'node:assert/strict';
import { foreignRegion, get, login, psql, psqlValue, request, tokenOf, unique } from './lib.mjs';

/** A date (YYYY-MM-DD) in Europe/Moscow, `days` from today: campaign dates are Moscow dates. */
export function moscowDate(days = 0) {
  const d = new Date(Date.now() + days * 86400000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Moscow' }).format(d);
}

const YES_NO = [
  { value: 'no', label: 'Нет', points: 0 },
  { value: 'yes', label: 'Да', points: 1 },
];
const GRADED = [
  { value: 'none', label: 'Не выполняется', points: 0 },
  { value: 'partly', label: 'Выполняется частично', points: 1 },
  { value: 'full', label: 'Выполняется полностью', points: 2 },
];

/**
 * A valid instrument document: two directions of two indicators each,
 *   knowledge: K01 yes/no (critical) + K02 graded 0..2  → max 3, thresholds 1/2/3
 *   health:    H01 yes/no            + H02 graded 0..2  → max 3, thresholds 1/2/3
 * total max 6, thresholds 2/4/6, critical_rule on. `patch` is merged at the top.
 */
export function instrumentDoc(patch = {}) {
  const code = unique('ti').slice(-32);
  // a deep copy: tests spoil documents in place
  return structuredClone({
    code,
    version: 1,
    title: `Тестовая самодиагностика ${code}`,
    critical_rule: true,
    thresholds: { basic: 2, medium: 4, high: 6 },
    directions: [
      {
        code: 'knowledge', title: 'Знание', thresholds: { basic: 1, medium: 2, high: 3 },
        indicators: [
          { code: 'K01', text: 'Реализуются федеральные рабочие программы', hint: 'Проверьте сайт школы', critical: true, options: YES_NO },
          { code: 'K02', text: 'Организовано углублённое изучение предметов', options: GRADED },
        ],
      },
      {
        code: 'health', title: 'Здоровье', thresholds: { basic: 1, medium: 2, high: 3 },
        indicators: [
          { code: 'H01', text: 'Обеспечено горячее питание', critical: false, options: YES_NO },
          { code: 'H02', text: 'Работают школьные спортивные клубы', options: GRADED },
        ],
      },
    ],
    ...patch,
  });
}

/** POST /instruments (201) and, unless `publish` is false, publish (200). Returns the tree. */
export async function createInstrument(token, doc = instrumentDoc(), { publish = true } = {}) {
  const res = await request('POST', '/instruments', { token, json: doc });
  assert.equal(res.status, 201, `POST /instruments: ${res.text}`);
  if (!publish) return res.body;
  const pub = await request('POST', `/instruments/${res.body.id}/publish`, { token });
  assert.equal(pub.status, 200, `publish: ${pub.text}`);
  return pub.body;
}

/** The indicators of an instrument tree as {code: indicator} (each with its options). */
export function indicatorsByCode(tree) {
  const out = {};
  for (const d of tree.directions) for (const x of d.indicators) out[x.code] = { ...x, direction_id: d.id };
  return out;
}

/** POST /campaigns open today for 30 days; `fields` override. Returns the campaign. */
export async function createCampaign(token, instrumentIds, target, fields = {}) {
  const res = await request('POST', '/campaigns', {
    token,
    json: {
      title: `Тестовая кампания ${unique('c')}`, instrument_ids: instrumentIds,
      opens_on: moscowDate(0), closes_on: moscowDate(30), target, ...fields,
    },
  });
  assert.equal(res.status, 201, `POST /campaigns: ${res.text}`);
  return res.body;
}

/** The school opens its submission (201 or 200); returns the submission. */
export async function openSubmission(token, campaignId) {
  const res = await request('POST', `/campaigns/${campaignId}/submissions`, { token });
  assert.ok(res.status === 201 || res.status === 200, `open: ${res.status} ${res.text}`);
  return res.body;
}

/** PUT one answer; returns the answer. */
export function putAnswer(token, submissionId, indicatorId, value, { comment, ifMatch } = {}) {
  const json = comment === undefined ? { value } : { value, comment };
  const headers = ifMatch === undefined ? {} : { 'If-Match': String(ifMatch) };
  return request('PUT', `/submissions/${submissionId}/answers/${indicatorId}`, { token, json, headers });
}

/** Answers every indicator: `values` maps a code to an option value (default: the best option). */
export async function answerAll(token, submissionId, tree, values = {}) {
  for (const [code, x] of Object.entries(indicatorsByCode(tree))) {
    const value = values[code] ?? x.options[x.options.length - 1].value;
    const res = await putAnswer(token, submissionId, x.id, value);
    assert.equal(res.status, 200, `answer ${code}: ${res.text}`);
  }
}

/** POST an action (submit, accept, return, reopen) with an optional JSON body; asserts 200. */
export async function act(token, submissionId, action, json) {
  const res = await request('POST', `/submissions/${submissionId}/${action}`, json === undefined ? { token } : { token, json });
  assert.equal(res.status, 200, `${action}: ${res.text}`);
  return res.body;
}

/**
 * The foreign region of lib.mjs's foreignRegion() with self-diagnostics of its own, made
 * through the API by its ЛОИРО and school users (the school and municipality users are
 * inserted directly: no API route creates users in another region). Returns the foreign
 * ids plus {loiroToken, schoolToken, municipalityToken, instrument, draft, campaign,
 * submission (accepted)}. A new instrument, campaign and submission on every call.
 */
export async function foreignDiagnostics() {
  const x = foreignRegion();
  const hash = psqlValue("select password_hash from app.users where login = 'committee'");
  psql(`
    insert into app.users (login, full_name, role, school_id, password_hash)
      select 'diag-foreign-school', 'Чужая Школа', 'school', id, :'hash' from app.schools where code = '99-01-001'
      on conflict do nothing;
    insert into app.users (login, full_name, role, municipality_id, password_hash)
      select 'diag-foreign-mo', 'Чужой Муниципалитет', 'municipality', id, :'hash' from app.municipalities where code = '99-01'
      on conflict do nothing;
  `, { hash });
  // The foreign school takes every variant (no applies_to); the demo password is the committee's.
  const loiroToken = await tokenOf('matrix-foreign-loiro');
  const schoolToken = await tokenOf('diag-foreign-school');
  const municipalityToken = await tokenOf('diag-foreign-mo');
  const instrument = await createInstrument(loiroToken);
  const draft = await createInstrument(loiroToken, instrumentDoc(), { publish: false });
  const campaign = await createCampaign(loiroToken, [instrument.id], { all: true });
  const sub = await openSubmission(schoolToken, campaign.id);
  await answerAll(schoolToken, sub.id, instrument);
  await act(schoolToken, sub.id, 'submit');
  const submission = await act(municipalityToken, sub.id, 'accept');
  return { ...x, loiroToken, schoolToken, municipalityToken, instrument, draft, campaign, submission };
}

/** Signs in a demo school by its code (school-<code>) and returns its token. */
export const schoolToken = (code) => tokenOf(`school-${code}`);

/** A school of the demo region that is not `excludeId`, in municipality `munId` (or any). */
export async function anotherSchool(token, munId, excludeIds = []) {
  const q = munId ? `?municipality_id=${munId}&limit=200` : '?limit=200';
  const res = await get(`/schools${q}`, token);
  assert.equal(res.status, 200, res.text);
  return res.body.items.find((s) => !excludeIds.includes(s.id));
}

export { login };
