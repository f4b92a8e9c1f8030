// Helpers of the projects / control-of-execution tests (issue 5): making projects,
// documents, items and reports through the API, the CSV import, and a foreign region's
// objects (made through the API by a committee of that region).
import assert from 'node:assert/strict';
import { foreignRegion, psql, psqlValue, request, tokenOf } from './lib.mjs';

/** Today in Europe/Moscow plus `days`, as YYYY-MM-DD (the API computes overdue there). */
export function moscowDay(days = 0) {
  const t = new Date(Date.now() + days * 86400000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Moscow' }).format(t);
}

let numberSeq = 0;
/** An item number not used before in this run (e.g. "7.12"), valid for the API's form. */
export const nextItemNumber = (top = 7) => `${top}.${(numberSeq += 1)}`;

/** POST /projects as `token`; asserts 201 and returns the project. */
export async function createProject(token, extra = {}) {
  const res = await request('POST', '/projects', {
    token, json: { title: `Проект теста ${Date.now()}-${numberSeq++}`, starts_on: moscowDay(-30), ...extra },
  });
  assert.equal(res.status, 201, res.text);
  return res.body;
}

/** POST /projects/{id}/schools; asserts 200/201 and returns the participation. */
export async function addSchool(token, projectId, schoolId, group = 'low_results', extra = {}) {
  const res = await request('POST', `/projects/${projectId}/schools`, { token, json: { school_id: schoolId, group, ...extra } });
  assert.ok(res.status === 201 || res.status === 200, res.text);
  return res.body;
}

/** POST /projects/{id}/schools/import with a raw CSV body (string or Buffer). */
export function importCsv(token, projectId, csv, { dryRun = false, contentType = 'text/csv' } = {}) {
  return request('POST', `/projects/${projectId}/schools/import${dryRun ? '?dry_run=1' : ''}`, {
    token, body: csv, contentType,
  });
}

/** POST /documents; asserts 201 and returns the document. */
export async function createDocument(token, extra = {}) {
  const res = await request('POST', '/documents', {
    token,
    json: { kind: 'order', number: `${numberSeq++}-р`, date: moscowDay(-10), title: 'Распоряжение теста', ...extra },
  });
  assert.equal(res.status, 201, res.text);
  return res.body;
}

/** POST /documents/{id}/items with one item; asserts 201 and returns the item node. */
export async function addItem(token, documentId, executors, extra = {}) {
  const res = await request('POST', `/documents/${documentId}/items`, {
    token,
    json: { number: nextItemNumber(), content: 'Пункт теста', deadline: moscowDay(30), executors, ...extra },
  });
  assert.equal(res.status, 201, res.text);
  return res.body;
}

/** The records of an item node keyed "kind:id" (municipality:5, school:7, committee:1, loiro:1). */
export const recordsOf = (item) =>
  Object.fromEntries(item.assignments.map((a) => [`${a.executor.kind}:${a.executor.id}`, a.id]));

/** POST /assignments/{id}/report. */
export const report = (token, id, body = { status: 'done', text: 'Выполнено', links: [] }, opts = {}) =>
  request('POST', `/assignments/${id}/report`, { token, json: body, ...opts });
export const accept = (token, id, opts = {}) => request('POST', `/assignments/${id}/accept`, { token, ...opts });
export const giveBack = (token, id, comment = 'Приложите протокол', opts = {}) =>
  request('POST', `/assignments/${id}/return`, { token, json: { comment }, ...opts });

/**
 * A committee user of the foreign region (code 99) and, made through the API as that
 * committee: a project, a document with one item for the committee and all the region's
 * municipalities, and its records. Idempotent for the user; new objects each call.
 */
export async function foreignExecution() {
  const x = foreignRegion();
  const hash = psqlValue("select password_hash from app.users where login = 'committee'");
  psql(`
    insert into app.users (login, full_name, role, region_id, password_hash)
      select 'exec-foreign-committee', 'Чужой Комитет', 'committee', id, :'hash' from app.regions where code = '99'
      on conflict do nothing;
  `, { hash });
  const token = await tokenOf('exec-foreign-committee');
  const project = await createProject(token);
  const document = await createDocument(token);
  const item = await addItem(token, document.id, [{ kind: 'committee' }, { kind: 'all_municipalities' }]);
  const recs = recordsOf(item);
  return { ...x, token, project, document, item, record: recs[`municipality:${x.municipalityX}`], committeeRecord: recs[`committee:${x.regionX}`] };
}
