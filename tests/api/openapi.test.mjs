// GET /api/v1/openapi.json: the OpenAPI 3.1 description generated from the route table.
// It must validate with a real validator, list exactly the routes the binary serves with
// their roles, and describe what the live API answers: every GET route's reply is checked
// against the schema the description gives for its status (ajv), as the demo actor of the
// first role the route allows.
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

  test('describes a request body wherever the API takes one, unknown members refused', () => {
    const users = doc.paths['/api/v1/users'].post.requestBody.content['application/json'].schema;
    assert.equal(users.additionalProperties, false);
    assert.ok(users.required.includes('login') && users.required.includes('password'));
    assert.equal(users.properties.password.minLength, 10);
    assert.deepEqual(users.properties.role.enum, ['committee', 'loiro', 'municipality', 'school']);
  });
});

// Ids for placeholders, from the lists the same actor sees: /schools/{id} takes a school of /schools.
const campaignOf = new Map(); // token → a campaign it sees, asked once
async function resolve(path, token) {
  let out = path;
  if (!campaignOf.has(token)) campaignOf.set(token, (await get('/campaigns?limit=1', token)).body?.items?.[0]?.id);
  const campaignId = campaignOf.get(token);
  for (const m of path.matchAll(/\/api\/v1\/([a-z_]+)\/\{id\}/g)) {
    const list = await get(`/${m[1]}?limit=1`, token);
    const id = list.body?.items?.[0]?.id;
    if (!id) return null;
    out = out.replace('{id}', id);
  }
  if (/\{\w+\}/.test(out)) return null; // a second placeholder: covered by the resource tests
  return { path: out.replace('/api/v1', ''), campaignId };
}

describe('live GET replies match the description', () => {
  for (const r of routes.filter((x) => x.method === 'GET' && !/\.(xlsx|csv)$/.test(x.path))) {
    test(`GET ${r.path}`, async (t) => {
      const role = r.public ? null : r.roles[0];
      const token = role ? actors[role].token : undefined;
      const target = await resolve(r.path, token);
      if (!target) return t.skip('no object of this kind visible to the demo actor');
      const op = doc.paths[r.path].get;
      // Query parameters the SQL needs although the description leaves them optional: a campaign,
      // and the grouping of a summary (a required enum whose absence SQL reports as invalid).
      const params = new URLSearchParams();
      for (const p of op.parameters ?? []) {
        if (p.name === 'campaign_id' && p.required) params.set(p.name, target.campaignId);
        if (p.name === 'by') params.set(p.name, p.schema.enum[0]);
      }
      const query = params.size ? `?${params}` : '';
      const res = await get(target.path + query, token);
      assert.ok([200, 404].includes(res.status), `${res.status} ${res.text.slice(0, 300)}`);
      const error = res.status === 200
        ? validate(schemaFor(op, 200), res.body)
        : validate(schemaFor(op, res.status, 'application/problem+json'), res.body);
      assert.equal(error, null, `${res.status}: ${error}`);
    });
  }

  test('an error reply matches the Problem schema', async () => {
    const res = await get('/schools/999999999', actors.committee.token);
    assert.equal(res.status, 404);
    assert.equal(validate(schemaFor(doc.paths['/api/v1/schools/{id}'].get, 404, 'application/problem+json'), res.body), null);
  });
});
