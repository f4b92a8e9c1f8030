// GET /api/v1/openapi.json: the OpenAPI 3.1 description generated from the route table.
// It must validate with a real validator, list exactly the routes the binary serves with
// their roles, and describe what the live API answers: every GET route's reply is checked
// against the schema the description gives (ajv), as the demo actor of every role the route
// allows. The response schemas live in backend/src/openapi_schemas.json.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import SwaggerParser from '@apidevtools/swagger-parser';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { demoActors, get, request, routeTable } from './lib.mjs';

let doc;
let actors;
const routes = routeTable();
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);

before(async () => {
  const res = await request('GET', '/openapi.json');
  assert.equal(res.status, 200, res.text.slice(0, 300));
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  doc = res.body;
  actors = await demoActors();
});

/** The response schema of an operation for a status, with #/components references resolvable by ajv. */
function schemaFor(op, status, type = 'application/json') {
  const r = op.responses[String(status)];
  assert.ok(r, `the description has no ${status} answer`);
  const schema = r.content?.[type]?.schema;
  assert.ok(schema, `no ${type} schema for ${status}`);
  return { ...schema, components: doc.components }; // so that #/components/… references resolve
}

function validate(schema, body) {
  const check = ajv.compile(schema);
  return check(body) ? null : ajv.errorsText(check.errors);
}

describe('the description', () => {
  test('is served without a token and validates as OpenAPI 3.1 (swagger-parser)', async () => {
    assert.equal(doc.openapi, '3.1.0');
    assert.deepEqual(doc.servers, [{ url: '/' }]);
    await SwaggerParser.validate(structuredClone(doc));
  });

  test('has exactly the routes of `orientir-api routes`, with their roles and security', () => {
    const described = [];
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) described.push(`${method.toUpperCase()} ${path}`);
    }
    assert.deepEqual(described.sort(), routes.map((r) => `${r.method} ${r.path}`).sort());
    for (const r of routes) {
      const op = doc.paths[r.path][r.method.toLowerCase()];
      assert.deepEqual(op['x-roles'], r.roles, `${r.method} ${r.path}`);
      assert.deepEqual(op.security, r.public ? [] : [{ bearer: [] }], `${r.method} ${r.path}`);
      for (const name of r.path.match(/\{(\w+)\}/g) ?? []) {
        assert.ok(op.parameters?.some((p) => p.in === 'path' && `{${p.name}}` === name), `${r.path}: ${name}`);
      }
    }
  });

  test('documents the sort allow-list of every list that sorts: each field and its descending -field', () => {
    const sorting = ['submissions', 'schools', 'users', 'campaigns', 'projects', 'documents', 'assignments', 'programs',
      'practices', 'municipalities', 'instruments', 'deficits', 'partnerships', 'reports/schools', 'projects/{id}/schools',
      'indicators/{id}/mentors'];
    for (const list of sorting) {
      const sort = doc.paths[`/api/v1/${list}`].get.parameters.find((p) => p.in === 'query' && p.name === 'sort');
      assert.ok(sort, `GET /${list} takes sort`);
      assert.ok(sort.description, `/${list}: the sort parameter says how it reads`);
      const fields = sort.schema.enum.filter((v) => !v.startsWith('-'));
      assert.ok(fields.length >= 2, `/${list}: ${fields.length} fields to sort by`);
      assert.deepEqual(sort.schema.enum, fields.flatMap((f) => [f, `-${f}`]), `/${list}: each field, then -field`);
    }
    const submissions = doc.paths['/api/v1/submissions'].get.parameters.find((p) => p.name === 'sort').schema.enum;
    for (const field of ['status', 'school_name', 'municipality_name', 'submitted_at', 'total_points']) {
      assert.ok(submissions.includes(field) && submissions.includes(`-${field}`), field);
    }
  });

  test('describes a request body wherever the API takes one, unknown members refused', () => {
    const users = doc.paths['/api/v1/users'].post.requestBody.content['application/json'].schema;
    assert.equal(users.additionalProperties, false);
    assert.ok(users.required.includes('login') && users.required.includes('password'));
    assert.equal(users.properties.password.minLength, 10);
    assert.deepEqual(users.properties.role.enum, ['committee', 'loiro', 'municipality', 'school']);
  });

  test('gives every JSON answer of every route a schema of its own shape, not a bare object', () => {
    for (const r of routes) {
      const op = doc.paths[r.path][r.method.toLowerCase()];
      const success = Object.entries(op.responses).filter(([status]) => /^2/.test(status));
      assert.ok(success.length > 0, `${r.method} ${r.path}: no success answer`);
      for (const [status, answer] of success) {
        const schema = answer.content?.['application/json']?.schema;
        if (status === '204' || /\.(xlsx|csv)$/.test(r.path) || answer.content?.['*/*']) { // a file, not JSON
          assert.equal(schema, undefined, `${r.method} ${r.path} ${status}: a body described`);
          continue;
        }
        assert.ok(schema, `${r.method} ${r.path} ${status}: no application/json schema`);
        const named = schema.$ref ?? schema.properties?.items?.items?.$ref; // a schema or a Page of one
        assert.match(named ?? '', /^#\/components\/schemas\/\w+$/,
          `${r.method} ${r.path} ${status}: ${JSON.stringify(schema)}, not a schema of components.schemas`);
        assert.ok(doc.components.schemas[named.split('/').pop()], `${r.method} ${r.path}: ${named} undefined`);
      }
    }
  });

  test('describes a list as a Page of the item schema, unknown members refused', () => {
    const schema = doc.paths['/api/v1/schools'].get.responses['200'].content['application/json'].schema;
    assert.deepEqual(schema, {
      allOf: [{ $ref: '#/components/schemas/Page' }],
      properties: { items: { items: { $ref: '#/components/schemas/School' } } },
      unevaluatedProperties: false,
    });
    const school = doc.components.schemas.School;
    assert.equal(school.additionalProperties, false);
    assert.deepEqual(school.required, Object.keys(school.properties));
  });

  test('answers of a writer that returns the object have the schema of its GET', () => {
    const ok = (path, method, status) => doc.paths[path][method].responses[status].content['application/json'].schema;
    assert.deepEqual(ok('/api/v1/schools/{id}', 'patch', 200), ok('/api/v1/schools/{id}', 'get', 200));
    assert.deepEqual(ok('/api/v1/schools', 'post', 201), ok('/api/v1/schools/{id}', 'get', 200));
    assert.deepEqual(ok('/api/v1/programs/{id}/submit', 'post', 200), ok('/api/v1/programs/{id}', 'get', 200));
    // found (200) or created (201): the same submission either way
    assert.deepEqual(ok('/api/v1/campaigns/{id}/submissions', 'post', 201), ok('/api/v1/submissions/{id}', 'get', 200));
    assert.deepEqual(ok('/api/v1/campaigns/{id}/submissions', 'post', 200), ok('/api/v1/submissions/{id}', 'get', 200));
  });
});

// Ids for placeholders, from the lists the same actor sees: /schools/{id} takes a school of /schools,
// /indicators/{id} an indicator of the first instrument of the actor's latest campaign.
const campaignOf = new Map(); // token → the latest campaign it sees, asked once
async function campaignFor(token) {
  if (!campaignOf.has(token)) campaignOf.set(token, (await get('/campaigns?limit=1', token)).body?.items?.[0]);
  return campaignOf.get(token);
}

async function resolve(path, token) {
  let out = path;
  const campaign = await campaignFor(token);
  for (const m of path.matchAll(/\/api\/v1\/([a-z_]+)\/\{id\}/g)) {
    let id;
    if (m[1] === 'indicators') {
      const instrument = await get(`/instruments/${campaign?.instruments?.[0]?.id}`, token);
      id = instrument.body?.directions?.[0]?.indicators?.[0]?.id;
    } else {
      id = (await get(`/${m[1]}?limit=1`, token)).body?.items?.[0]?.id;
    }
    if (!id) return null;
    out = out.replace('{id}', id);
  }
  if (/\{\w+\}/.test(out)) return null; // a second placeholder: covered by the resource tests
  return { path: out.replace('/api/v1', ''), campaignId: campaign?.id };
}

describe('live GET replies match the description', () => {
  for (const r of routes.filter((x) => x.method === 'GET' && !/\.(xlsx|csv)$/.test(x.path))) {
    test(`GET ${r.path}`, async (t) => {
      const op = doc.paths[r.path].get;
      let checked = 0;
      for (const role of r.public ? [null] : r.roles) {
        const token = role ? actors[role].token : undefined;
        const target = await resolve(r.path, token);
        if (!target) continue; // nothing of this kind visible to this role's demo actor
        // A campaign wherever the route takes one (required or not: with it the reply carries data),
        // the grouping of a summary (a required enum whose absence SQL reports as invalid), and a
        // page large enough to hold rows of every kind the demo data has.
        const params = new URLSearchParams();
        for (const p of op.parameters ?? []) {
          if (p.name === 'campaign_id' && target.campaignId) params.set(p.name, target.campaignId);
          if (p.name === 'by') params.set(p.name, p.schema.enum[0]);
          if (p.name === 'limit') params.set(p.name, String(p.schema.maximum));
        }
        const query = params.size ? `?${params}` : '';
        const res = await get(target.path + query, token);
        assert.equal(res.status, 200, `${role}: GET ${target.path}${query}: ${res.text.slice(0, 300)}`);
        const error = validate(schemaFor(op, 200), res.body);
        assert.equal(error, null, `${role}: GET ${target.path}${query}: ${error}`);
        checked += 1;
      }
      if (checked === 0) t.skip('no object of this kind visible to the demo actors');
    });
  }

  // C checks a query enum against the route's allow-list (422 before any SQL) and the SQL
  // function checks it again: every value the description allows must also pass SQL, so that
  // the two lists cannot drift apart (a value only C knows would answer 422 from SQL).
  test('every value of every query enum is accepted by its SQL function too', async () => {
    let tried = 0;
    for (const r of routes.filter((x) => x.method === 'GET' && !/\.(xlsx|csv)$/.test(x.path) && !x.public)) {
      const op = doc.paths[r.path].get;
      const token = actors[r.roles[0]].token;
      const target = await resolve(r.path, token);
      if (!target) continue;
      const base = new URLSearchParams();
      for (const p of op.parameters ?? []) {
        if (p.name === 'campaign_id' && target.campaignId) base.set(p.name, target.campaignId);
        if (p.name === 'by') base.set(p.name, p.schema.enum[0]);
      }
      for (const p of (op.parameters ?? []).filter((x) => x.in === 'query' && x.schema?.enum)) {
        for (const value of p.schema.enum) {
          const params = new URLSearchParams(base);
          params.set(p.name, value);
          const res = await get(`${target.path}?${params}`, token);
          assert.equal(res.status, 200, `GET ${target.path}?${params}: ${res.text.slice(0, 300)}`);
          tried += 1;
        }
      }
    }
    assert.ok(tried >= 20, `${tried} enum values tried`);
  });

  test('the schemas refuse a reply whose member is missing, unknown or of another type', async () => {
    const res = await get('/schools?limit=1', actors.committee.token);
    const schema = schemaFor(doc.paths['/api/v1/schools'].get, 200);
    assert.equal(validate(schema, res.body), null);
    const [school] = res.body.items;
    const variants = [
      { ...school, id: String(school.id) },
      { ...school, extra: 1 },
      Object.fromEntries(Object.entries(school).filter(([k]) => k !== 'version')),
    ];
    for (const item of variants) assert.notEqual(validate(schema, { ...res.body, items: [item] }), null, JSON.stringify(item));
    assert.notEqual(validate(schema, { ...res.body, extra: 1 }), null, 'a member beside the page');
  });

  test('an error reply matches the Problem schema', async () => {
    const res = await get('/schools/999999999', actors.committee.token);
    assert.equal(res.status, 404);
    assert.equal(validate(schemaFor(doc.paths['/api/v1/schools/{id}'].get, 404, 'application/problem+json'), res.body), null);
  });
});
