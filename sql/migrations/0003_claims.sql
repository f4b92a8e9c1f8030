-- 0003_claims: the per-request claims, as RLS policies and functions read them,
-- and the row scopes built on them.
--
-- The API sets the claims of the verified JWT as separate transaction-local
-- settings (request.sub, request.role, request.reg, request.mun, request.sch)
-- with set_config(..., true) at the start of every transaction. Before any set
-- a setting is NULL, after a transaction that set it locally it is '' — both
-- mean "no claim" here. Invoker functions: they grant nothing. They stay in a
-- numbered migration (not sql/functions/) because the policies depend on them.

set local role orientir_owner;

-- The claim helpers: no SET clause and one expression each, so that the
-- planner inlines them into policies and queries (a SET clause or SECURITY
-- DEFINER would prevent it). '' and NULL both mean "no claim".
create or replace function app.claim_user_id() returns bigint
language sql stable parallel safe
as $$ select nullif(pg_catalog.current_setting('request.sub', true), '')::bigint $$;
revoke execute on function app.claim_user_id() from public;
grant execute on function app.claim_user_id() to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.claim_user_id() is 'Claim sub: the caller''s user id, NULL when absent';

create or replace function app.claim_role() returns text
language sql stable parallel safe
as $$ select nullif(pg_catalog.current_setting('request.role', true), '') $$;
revoke execute on function app.claim_role() from public;
grant execute on function app.claim_role() to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.claim_role() is 'Claim role: committee, loiro, municipality or school; NULL when absent';

create or replace function app.claim_region_id() returns bigint
language sql stable parallel safe
as $$ select nullif(pg_catalog.current_setting('request.reg', true), '')::bigint $$;
revoke execute on function app.claim_region_id() from public;
grant execute on function app.claim_region_id() to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.claim_region_id() is 'Claim reg: the caller''s region (set for every role)';

create or replace function app.claim_municipality_id() returns bigint
language sql stable parallel safe
as $$ select nullif(pg_catalog.current_setting('request.mun', true), '')::bigint $$;
revoke execute on function app.claim_municipality_id() from public;
grant execute on function app.claim_municipality_id() to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.claim_municipality_id() is 'Claim mun: the caller''s municipality (municipality and school roles)';

create or replace function app.claim_school_id() returns bigint
language sql stable parallel safe
as $$ select nullif(pg_catalog.current_setting('request.sch', true), '')::bigint $$;
revoke execute on function app.claim_school_id() from public;
grant execute on function app.claim_school_id() to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.claim_school_id() is 'Claim sch: the caller''s school (school role)';

-- Row scopes, stated once for the RLS policies and for the SECURITY DEFINER
-- functions that check the same scope by hand. Set-returning plain SQL: used
-- in FROM, "col = any (array(select id from app.…() id))", the planner inlines
-- it into exactly the indexable subquery a policy would otherwise spell out
-- (a scalar function holding a subquery is not inlined).

-- The schools of the caller's municipality (municipality role; none otherwise).
create or replace function app.municipality_school_ids() returns setof bigint
language sql stable parallel safe
as $$
  select s.id from app.schools s where s.municipality_id = (select app.claim_municipality_id())
$$;
revoke execute on function app.municipality_school_ids() from public;
grant execute on function app.municipality_school_ids() to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.municipality_school_ids() is
  'Scope: ids of the schools of the caller''s municipality (policies and definer writers of municipality scope)';

reset role;
