// Server-side sorting of the paged lists (issue 11): every list route takes ?sort=<field> or
// ?sort=-<field> from its allow-list, orders the whole list (not one page) by it, ties in the
// list's default order ending with the id, and refuses any other value with 422 sort invalid.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertFieldError, demoActors, get, post } from './lib.mjs';
import { createInstrument, instrumentDoc } from './diag.mjs';

const ru = new Intl.Collator('ru');
/** How two values of a field compare: ru (the app.ru collation), bytes (C), time, or a fixed order. */
const KINDS = {
  ru: (a, b) => ru.compare(a, b),
  bytes: (a, b) => (a < b ? -1 : a > b ? 1 : 0),
  time: (a, b) => Date.parse(a) - Date.parse(b),
  number: (a, b) => Number(a) - Number(b),
  order: (list) => (a, b) => list.indexOf(a) - list.indexOf(b),
};

// route → field → [how it compares, the item's value]; the fields are the route's whole allow-list.
// {campaign}, {project}, {indicator}: the demo's closed campaign, its biggest project, the indicator
// with the most deficits in that campaign (resolved before the tests).
const LISTS = {
  '/schools': {
    code: [KINDS.bytes, (i) => i.code], short_name: [KINDS.ru, (i) => i.short_name],
    municipality_name: [KINDS.ru, (i) => i.municipality_name],
  },
  '/users': {
    full_name: [KINDS.ru, (i) => i.full_name], login: [KINDS.bytes, (i) => i.login],
    role: [KINDS.order(['committee', 'loiro', 'municipality', 'school']), (i) => i.role],
  },
  '/campaigns': {
    title: [KINDS.ru, (i) => i.title], opens_on: [KINDS.bytes, (i) => i.opens_on], closes_on: [KINDS.bytes, (i) => i.closes_on],
  },
  '/projects': {
    title: [KINDS.ru, (i) => i.title], starts_on: [KINDS.bytes, (i) => i.starts_on],
  },
  '/documents': {
    date: [KINDS.bytes, (i) => i.date], number: [KINDS.bytes, (i) => i.number], title: [KINDS.ru, (i) => i.title],
  },
  '/assignments': {
    deadline: [KINDS.bytes, (i) => i.deadline],
    status: [KINDS.order(['not_started', 'in_progress', 'done', 'returned', 'accepted']), (i) => i.status],
  },
  '/programs': {
    school_code: [KINDS.bytes, (i) => i.school_code], school_name: [KINDS.ru, (i) => i.school_name],
    municipality_name: [KINDS.ru, (i) => i.municipality_name],
    status: [KINDS.order(['submitted', 'returned', 'draft', 'not_started', 'approved', 'superseded']), (i) => i.status],
    updated_at: [KINDS.time, (i) => i.updated_at],
  },
  '/practices': {
    title: [KINDS.ru, (i) => i.title], created_at: [KINDS.time, (i) => i.created_at],
    updated_at: [KINDS.time, (i) => i.updated_at],
  },
  '/municipalities': { name: [KINDS.ru, (i) => i.name], code: [KINDS.bytes, (i) => i.code] },
  '/instruments': {
    code: [KINDS.bytes, (i) => i.code], title: [KINDS.ru, (i) => i.title],
    status: [KINDS.bytes, (i) => i.status], published_at: [KINDS.time, (i) => i.published_at],
  },
  '/deficits?campaign_id={campaign}': {
    indicator_code: [KINDS.bytes, (i) => i.indicator_code], deficit_schools: [KINDS.number, (i) => i.deficit_schools],
    growth_schools: [KINDS.number, (i) => i.growth_schools],
  },
  '/projects/{project}/schools': {
    code: [KINDS.bytes, (i) => i.code], short_name: [KINDS.ru, (i) => i.short_name],
    municipality_name: [KINDS.ru, (i) => i.municipality_name],
    group: [KINDS.order(['low_results', 'risk_zone', 'academic_failure']), (i) => i.group],
  },
  '/indicators/{indicator}/mentors?campaign_id={campaign}': {
    short_name: [KINDS.ru, (i) => i.short_name], municipality_name: [KINDS.ru, (i) => i.municipality_name],
  },
  '/partnerships': {
    school_name: [KINDS.ru, (i) => i.school.short_name], mentor_school_name: [KINDS.ru, (i) => i.mentor.short_name],
    created_at: [KINDS.time, (i) => i.created_at],
  },
  '/reports/schools?campaign_id={campaign}': {
    code: [KINDS.bytes, (i) => i.code], short_name: [KINDS.ru, (i) => i.short_name],
    municipality_name: [KINDS.ru, (i) => i.municipality_name], percent: [KINDS.number, (i) => i.percent],
    deficits: [KINDS.number, (i) => i.deficits],
  },
};

/** An item's identity: its id, or the school or indicator code a list of schools or indicators is of. */
const key = (i) => i.id ?? i.school_id ?? i.indicator_code;

/** Asserts the items are ordered by the field (descending when desc), missing values last either way. */
function assertOrdered(items, [compare, value], desc, what) {
  for (let k = 1; k < items.length; k++) {
    const [a, b] = [value(items[k - 1]), value(items[k])];
    if (b === null || b === undefined) continue;
    assert.ok(a !== null && a !== undefined, `${what}: a missing value before ${b}`);
    const c = compare(a, b);
    assert.ok(desc ? c >= 0 : c <= 0, `${what}: ${a} (${key(items[k - 1])}) before ${b} (${key(items[k])})`);
  }
}

let token;
const ids = {};
before(async () => {
  const actors = await demoActors();
  token = actors.committee.token;
  // The demo loads its instruments and its partnerships in one transaction each (one
  // published_at, one created_at): one more of each, later, gives those fields two values.
  await createInstrument(token, instrumentDoc());
  const mun = actors.municipality;
  const own = (await get('/schools?limit=200', mun.token)).body.items;
  const region = (await get('/schools?limit=200', token)).body.items;
  let created = null;
  for (const mentor of region.filter((x) => x.municipality_id !== mun.user.municipality_id)) {
    created = await post('/partnerships', mun.token, { school_id: own[0].id, mentor_school_id: mentor.id, indicator_ids: [] });
    if (created.status !== 409) break; // 409: the pair is recorded already, another mentor then
  }
  assert.equal(created?.status, 201, `POST /partnerships: ${created?.text}`);
  const campaigns = (await get('/campaigns?status=closed&limit=200', token)).body.items;
  ids.campaign = campaigns.find((c) => c.title.startsWith('Самодиагностика ОО')).id;
  const projects = (await get('/projects?limit=200', token)).body.items;
  ids.project = projects.reduce((a, b) => (b.school_count > a.school_count ? b : a)).id;
  ids.indicator = (await get(`/deficits?campaign_id=${ids.campaign}&limit=1`, token)).body.items[0].indicator_ids[0];
});

/** The list's path with the demo's ids, and `?` or `&` for more parameters. */
function listPath(template) {
  const path = template.replace(/\{(\w+)\}/g, (_, name) => ids[name]);
  return path.includes('?') ? `${path}&` : `${path}?`;
}

for (const [template, fields] of Object.entries(LISTS)) {
  describe(`GET ${template} sorts on the server`, () => {
    for (const [field, how] of Object.entries(fields)) {
      test(`sort=${field} ascending and sort=-${field} descending, over the whole list`, async () => {
        const asc = await get(`${listPath(template)}sort=${field}&limit=200`, token);
        assert.equal(asc.status, 200, asc.text.slice(0, 300));
        const values = new Set(asc.body.items.map(how[1]).filter((v) => v !== null));
        assert.ok(values.size >= 2, `${template}: ${values.size} distinct ${field} values in the demo data, nothing to sort`);
        assertOrdered(asc.body.items, how, false, `${listPath(template)}sort=${field}`);
        const desc = await get(`${listPath(template)}sort=-${field}&limit=200`, token);
        assert.equal(desc.status, 200, desc.text.slice(0, 300));
        assertOrdered(desc.body.items, how, true, `${listPath(template)}sort=-${field}`);
        assert.notDeepEqual(desc.body.items.map(key), asc.body.items.map(key), 'the two directions differ');
        // Paging follows the sort: the second page of one goes on where the first ended.
        const [one, two] = await Promise.all([1, 2].map((n) => get(`${listPath(template)}sort=-${field}&limit=${n}`, token)));
        assert.equal(key(one.body.items[0]), key(two.body.items[0]), 'the first item of a page of 1 and of 2');
        const next = await get(`${listPath(template)}sort=-${field}&limit=1&offset=1`, token);
        assert.equal(key(next.body.items[0]), key(two.body.items[1]), 'offset 1 is the second item of the sorted list');
      });
    }

    test('the same sort answers in the same order each time (ties broken down to the id)', async () => {
      const field = Object.keys(fields).at(-1);
      const [a, b] = await Promise.all([0, 1].map(() => get(`${listPath(template)}sort=${field}&limit=200`, token)));
      assert.deepEqual(a.body.items.map(key), b.body.items.map(key));
    });

    test('an unknown field, a bare «-», the id and a field of another list are refused with 422 sort invalid', async () => {
      for (const bad of ['nope', '-', 'id', '--title', 'total_points', ' title']) {
        const res = await get(`${listPath(template)}sort=${encodeURIComponent(bad)}`, token);
        assertFieldError(res, 'sort');
        assert.deepEqual(res.body.errors.map((e) => [e.field, e.code]), [['sort', 'invalid']], `sort=${bad}`);
      }
    });
  });
}
