// Every route that only calls SQL names its function and the types of its arguments in the
// route table (backend/src/routes.c). Against the migrated database: each function exists in
// schema app with exactly those argument types, so a renamed function, a changed signature or
// a misplaced argument in a route row fails here, not in front of a user.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { psql, routeTable } from './lib.mjs';

// The route table's short SQL type names, as format_type() spells them.
const CANONICAL = { bigint: 'bigint', int: 'integer', boolean: 'boolean', text: 'text', json: 'json', jsonb: 'jsonb' };

const signatures = new Map(); // "app.name" → ["bigint,integer", …] (overloads)
for (const [name, args] of psql(`
  select 'app.' || p.proname, coalesce((select string_agg(format_type(t, null), ',' order by k)
                                        from unnest(p.proargtypes) with ordinality u(t, k)), '')
  from pg_proc p where p.pronamespace = 'app'::regnamespace`)) {
  signatures.set(name, [...(signatures.get(name) ?? []), args ?? '']);
}

const calls = routeTable().filter((r) => r.call);

test('most routes only declare their SQL call', () => {
  assert.ok(calls.length >= 70, `${calls.length} routes declare a call`);
});

for (const r of calls) {
  test(`${r.method} ${r.path} → ${r.call.function}(${r.call.args.join(', ')})`, () => {
    const want = r.call.args.map((t) => CANONICAL[t] ?? `unknown type ${t}`).join(',');
    const have = signatures.get(r.call.function);
    assert.ok(have, `${r.call.function} does not exist in schema app`);
    assert.ok(have.includes(want), `${r.call.function} takes (${have.join(' | ')}), the route passes (${want})`);
  });
}
