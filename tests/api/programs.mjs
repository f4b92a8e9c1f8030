// Helpers of the development-program tests (issue 4), shared by programs.test.mjs and
// matrix.test.mjs: schools made for the tests (with a school user each), campaigns whose
// small instrument (diag.mjs) gives a school known deficits and growth areas, accepted by
// the school's municipality, and programs with measures in each state.
//
// With the answers of DEFICIT_ANSWERS the instrument of diag.mjs scores
//   K01 no (0 of 1, critical) → deficit      K02 partly (1 of 2) → growth area
//   H01 no (0 of 1)           → deficit      H02 full (2 of 2)   → nothing
import assert from 'node:assert/strict';
import { createUser, get, request, tokenOf, unique } from './lib.mjs';
import { act, answerAll, createCampaign, moscowDate, openSubmission } from './diag.mjs';

export const DEFICIT_ANSWERS = Object.freeze({ K01: 'no', K02: 'partly', H01: 'no', H02: 'full' });
export const FULL_ANSWERS = Object.freeze({ K01: 'yes', K02: 'full', H01: 'yes', H02: 'full' });

/** A program period starting today (Moscow) and lasting a year, as the body fields. */
export const programPeriod = () => ({ period_start: moscowDate(0), period_end: moscowDate(365) });

/**
 * A new school of `municipalityId` (made by the committee) and a school user of it, signed in.
 * Returns {id, code, short_name, municipality_id, token, login}.
 */
export async function newSchool(committeeToken, municipalityId, label = 'Школа программ') {
  const code = unique('pg').slice(-24);
  const res = await request('POST', '/schools', {
    token: committeeToken,
    json: {
      code, name: `МОУ «${label} ${code}»`, short_name: `${label} ${code}`, municipality_id: municipalityId,
      education_levels: ['primary', 'basic'],
    },
  });
  assert.equal(res.status, 201, `POST /schools: ${res.text}`);
  const user = await createUser(committeeToken, 'school', { school_id: res.body.id });
  const token = await tokenOf(user.login, user.password);
  return { ...res.body, token, login: user.login };
}

/** The login of the municipality user of `municipalityId` (one `mo-…` per demo municipality), signed in. */
export async function municipalityTokenOf(committeeToken, municipalityId) {
  const res = await get(`/users?role=municipality&municipality_id=${municipalityId}&limit=1`, committeeToken);
  assert.equal(res.status, 200, res.text);
  assert.ok(res.body.items.length > 0, `no municipality user for ${municipalityId}`);
  return tokenOf(res.body.items[0].login);
}

/**
 * A campaign over `instrument` targeting the schools of `entries`, open today (its opening
 * `opensIn` days from today, ≤ 0), and each entry's submission driven to `until`:
 * 'open' | 'submitted' | 'accepted' (default). Entry: {school: {id, token}, munToken,
 * values (default DEFICIT_ANSWERS), until}. Returns {campaign, subs: [submission…]}.
 */
export async function diagnose(committeeToken, instrument, entries, { opensIn = 0 } = {}) {
  const campaign = await createCampaign(committeeToken, [instrument.id], { school_ids: entries.map((e) => e.school.id) }, {
    opens_on: moscowDate(opensIn), closes_on: moscowDate(30),
  });
  const subs = [];
  for (const e of entries) {
    const until = e.until ?? 'accepted';
    let sub = await openSubmission(e.school.token, campaign.id);
    if (until !== 'open') {
      await answerAll(e.school.token, sub.id, instrument, e.values ?? DEFICIT_ANSWERS);
      sub = await act(e.school.token, sub.id, 'submit');
    }
    if (until === 'accepted') sub = await act(e.munToken, sub.id, 'accept');
    subs.push(sub);
  }
  return { campaign, subs };
}

/** GET /schools/{id}/deficits?campaign_id= as `token`; asserts 200 and returns the body. */
export async function schoolDeficits(token, schoolId, campaignId) {
  const res = await get(`/schools/${schoolId}/deficits?campaign_id=${campaignId}`, token);
  assert.equal(res.status, 200, res.text);
  return res.body;
}

/** The deficit items of a school_deficits answer keyed by indicator code. */
export const deficitsByCode = (body) => Object.fromEntries(body.items.map((d) => [d.indicator_code, d]));

/** POST /programs; asserts 201 and returns the program. */
export async function createProgram(token, campaignId, extra = {}) {
  const res = await request('POST', '/programs', {
    token, json: { campaign_id: campaignId, title: `Программа развития ${unique('p')}`, ...programPeriod(), ...extra },
  });
  assert.equal(res.status, 201, `POST /programs: ${res.text}`);
  return res.body;
}

/** A valid measure body addressing `deficitIds`, due in 90 days. */
export const measureBody = (deficitIds, extra = {}) => ({
  title: `Мероприятие ${unique('m')}`, deficit_ids: deficitIds, due_date: moscowDate(90),
  responsible: 'Заместитель директора по УВР', expected_result: 'Показатель достигнут', ...extra,
});

/** POST /programs/{id}/measures; asserts 201 and returns the measure. */
export async function addMeasure(token, programId, deficitIds, extra = {}) {
  const res = await request('POST', `/programs/${programId}/measures`, { token, json: measureBody(deficitIds, extra) });
  assert.equal(res.status, 201, `POST measures: ${res.text}`);
  return res.body;
}

/** POST /programs/{id}/<action> (submit, approve, revise, return with `json`); asserts `status`. */
export async function programAct(token, programId, action, { json, status = action === 'revise' ? 201 : 200, ifMatch } = {}) {
  const headers = ifMatch === undefined ? {} : { 'If-Match': String(ifMatch) };
  const res = await request('POST', `/programs/${programId}/${action}`, json === undefined ? { token, headers } : { token, json, headers });
  assert.equal(res.status, status, `${action}: ${res.text}`);
  return res.body;
}

/**
 * A program of `school` for `campaignId` (whose accepted submission has DEFICIT_ANSWERS)
 * brought to `state`: 'draft' (one measure on K01 only), 'complete' (a draft covering every
 * deficit), 'submitted', 'approved'. Returns {program, measures: [measure…], deficits}.
 */
export async function programIn(state, school, munToken, campaignId) {
  const deficits = deficitsByCode(await schoolDeficits(school.token, school.id, campaignId));
  let program = await createProgram(school.token, campaignId);
  const measures = [await addMeasure(school.token, program.id, [deficits.K01.id, deficits.K02.id])];
  if (state !== 'draft') measures.push(await addMeasure(school.token, program.id, [deficits.H01.id]));
  if (state === 'submitted' || state === 'approved') program = await programAct(school.token, program.id, 'submit');
  if (state === 'approved') program = await programAct(munToken, program.id, 'approve');
  if (state === 'draft' || state === 'complete') program = (await get(`/programs/${program.id}`, school.token)).body;
  return { program, measures, deficits };
}
