-- The scope helpers (app.*_ids(), comment «Scope: …»): each row kind's scope
-- is stated once, for the RLS policies and the functions that check it by
-- hand, and a policy that calls one must cost what the subquery it replaced
-- cost — so every helper stays inlinable, and the planner does inline it.
begin;
\ir fixtures.psql
select plan(5);

select ok((select count(*) from pg_proc p
           where p.pronamespace = 'app'::regnamespace and obj_description(p.oid, 'pg_proc') like 'Scope:%') >= 5,
  'the scope helpers are there: a municipality''s schools and the region''s municipalities, schools, campaigns, projects');
select is_empty($$ select p.proname from pg_proc p join pg_language l on l.oid = p.prolang
                   where p.pronamespace = 'app'::regnamespace and obj_description(p.oid, 'pg_proc') like 'Scope:%'
                     and (l.lanname <> 'sql' or p.proconfig is not null or p.prosecdef or p.provolatile <> 's'
                          or not p.proretset) $$,
  'every scope helper is plain STABLE SQL returning a set, without a SET clause or SECURITY DEFINER (inlinable)');

create temp table plan_lines (line text);
grant insert, select on plan_lines to public;
select pg_temp.act_as('t-committee');
do $$
declare
  l text;
begin
  for l in execute 'explain (costs off) select id from app.users' loop
    insert into plan_lines values (l);
  end loop;
end
$$;
reset role;
select ok((select bool_or(line ~ 'Seq Scan on schools|Index.* on schools') from plan_lines)
          and (select bool_or(line ~ 'on municipalities') from plan_lines),
  'the committee''s users policy reads the region''s schools and municipalities in the plan itself');
select ok(not (select bool_or(line ~ 'region_\w+_ids|Function Scan') from plan_lines),
  'no scope helper is called in the plan: it is inlined');

select pg_temp.act_as('t-committee');
select is((select count(*) from app.schools)::int,
          (select count(*) from app.region_school_ids())::int,
  'region_school_ids() are the schools the committee sees');
reset role;

select * from finish();
rollback;
