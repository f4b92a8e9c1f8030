-- 0003_claims: the per-request claims, as RLS policies and functions read them.
--
-- The API sets request.claims (the verified JWT payload: sub, role, reg, mun,
-- sch) with set_config(..., true) at the start of every transaction. Before
-- any set the setting is NULL, after a transaction that set it locally it is
-- '' — both mean "no claims" here. Invoker functions: they grant nothing.

set local role orientir_owner;

create function app.claims() returns jsonb
language sql stable parallel safe
set search_path = app, pg_temp
as $$ select nullif(current_setting('request.claims', true), '')::jsonb $$;
comment on function app.claims() is 'The verified JWT payload of this request, NULL when none';

create function app.claim_user_id() returns bigint
language sql stable parallel safe
set search_path = app, pg_temp
as $$ select (app.claims() ->> 'sub')::bigint $$;
comment on function app.claim_user_id() is 'Claim sub (a string in the JWT) as the user id, NULL when absent';

create function app.claim_role() returns text
language sql stable parallel safe
set search_path = app, pg_temp
as $$ select app.claims() ->> 'role' $$;
comment on function app.claim_role() is 'Claim role: committee, loiro, municipality or school; NULL when absent';

create function app.claim_region_id() returns bigint
language sql stable parallel safe
set search_path = app, pg_temp
as $$ select (app.claims() ->> 'reg')::bigint $$;
comment on function app.claim_region_id() is 'Claim reg: the caller''s region (set for every role)';

create function app.claim_municipality_id() returns bigint
language sql stable parallel safe
set search_path = app, pg_temp
as $$ select (app.claims() ->> 'mun')::bigint $$;
comment on function app.claim_municipality_id() is 'Claim mun: the caller''s municipality (municipality and school roles)';

create function app.claim_school_id() returns bigint
language sql stable parallel safe
set search_path = app, pg_temp
as $$ select (app.claims() ->> 'sch')::bigint $$;
comment on function app.claim_school_id() is 'Claim sch: the caller''s school (school role)';

revoke execute on function app.claims(), app.claim_user_id(), app.claim_role(),
  app.claim_region_id(), app.claim_municipality_id(), app.claim_school_id() from public;
grant execute on function app.claims(), app.claim_user_id(), app.claim_role(),
  app.claim_region_id(), app.claim_municipality_id(), app.claim_school_id()
  to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;

reset role;
