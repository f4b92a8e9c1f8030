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

-- The lines of a statement's plan (costs off), as the current role plans it.
create function pg_temp.plan_of(p_sql text) returns setof text language plpgsql as $$
begin
  return query execute 'explain (costs off) ' || p_sql;
end
$$;
select pg_temp.act_as('t-committee');
select ok((select bool_or(l ~ 'on schools') and bool_or(l ~ 'on municipalities')
           from pg_temp.plan_of('select id from app.users') l),
  'the committee''s users policy reads the region''s schools and municipalities in the plan itself');
select ok((select not bool_or(l ~ 'region_\w+_ids|Function Scan') from pg_temp.plan_of('select id from app.users') l),
  'no scope helper is called in the plan: it is inlined');
reset role;

select pg_temp.act_as('t-committee');
select is((select count(*) from app.schools)::int,
          (select count(*) from app.region_school_ids())::int,
  'region_school_ids() are the schools the committee sees');
reset role;

select * from finish();
rollback;
