// Server-side sorting of the paged lists (issue 11): every list route takes ?sort=<field> or
// ?sort=-<field> from its allow-list, orders the whole list (not one page) by it, ties in the
// list's default order ending with the id, and refuses any other value with 422 sort invalid.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertFieldError, demoActors, get } from './lib.mjs';

const ru = new Intl.Collator('ru');
/** How two values of a field compare: ru (the app.ru collation), bytes (C), time, or a fixed order. */
const KINDS = {
  ru: (a, b) => ru.compare(a, b),
  bytes: (a, b) => (a < b ? -1 : a > b ? 1 : 0),
  time: (a, b) => Date.parse(a) - Date.parse(b),
  order: (list) => (a, b) => list.indexOf(a) - list.indexOf(b),
};

// route → field → [how it compares, the item's value]; the fields are the route's whole allow-list.
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
};

/** Asserts the items are ordered by the field (descending when desc), missing values last either way. */
function assertOrdered(items, [compare, value], desc, what) {
  for (let k = 1; k < items.length; k++) {
    const [a, b] = [value(items[k - 1]), value(items[k])];
    if (b === null || b === undefined) continue;
    assert.ok(a !== null && a !== undefined, `${what}: a missing value before ${b}`);
    const c = compare(a, b);
    assert.ok(desc ? c >= 0 : c <= 0, `${what}: ${a} (id ${items[k - 1].id}) before ${b} (id ${items[k].id})`);
  }
}

let token;
before(async () => {
  token = (await demoActors()).committee.token;
});

for (const [path, fields] of Object.entries(LISTS)) {
  describe(`GET ${path} sorts on the server`, () => {
    for (const [field, how] of Object.entries(fields)) {
      test(`sort=${field} ascending and sort=-${field} descending, over the whole list`, async () => {
        const asc = await get(`${path}?sort=${field}&limit=200`, token);
        assert.equal(asc.status, 200, asc.text.slice(0, 300));
        const values = new Set(asc.body.items.map(how[1]).filter((v) => v !== null));
        assert.ok(values.size >= 2, `${path}: ${values.size} distinct ${field} values in the demo data, nothing to sort`);
        assertOrdered(asc.body.items, how, false, `${path}?sort=${field}`);
        const desc = await get(`${path}?sort=-${field}&limit=200`, token);
        assert.equal(desc.status, 200, desc.text.slice(0, 300));
        assertOrdered(desc.body.items, how, true, `${path}?sort=-${field}`);
        assert.notDeepEqual(desc.body.items.map((i) => i.id), asc.body.items.map((i) => i.id), 'the two directions differ');
        // Paging follows the sort: the second page of one goes on where the first ended.
        const [one, two] = await Promise.all([1, 2].map((n) => get(`${path}?sort=-${field}&limit=${n}`, token)));
        assert.equal(one.body.items[0].id, two.body.items[0].id, 'the first item of a page of 1 and of 2');
        const next = await get(`${path}?sort=-${field}&limit=1&offset=1`, token);
        assert.equal(next.body.items[0]?.id, two.body.items[1]?.id, 'offset 1 is the second item of the sorted list');
      });
    }

    test('the same sort answers in the same order each time (ties broken down to the id)', async () => {
      const field = Object.keys(fields).at(-1);
      const [a, b] = await Promise.all([0, 1].map(() => get(`${path}?sort=${field}&limit=200`, token)));
      assert.deepEqual(a.body.items.map((i) => i.id), b.body.items.map((i) => i.id));
    });

    test('an unknown field, a bare «-», the id and a field of another list are refused with 422 sort invalid', async () => {
      for (const bad of ['nope', '-', 'id', '--title', 'total_points', ' title']) {
        const res = await get(`${path}?sort=${encodeURIComponent(bad)}`, token);
        assertFieldError(res, 'sort');
        assert.deepEqual(res.body.errors.map((e) => [e.field, e.code]), [['sort', 'invalid']], `sort=${bad}`);
      }
    });
  });
}
