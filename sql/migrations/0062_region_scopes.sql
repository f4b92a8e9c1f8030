-- 0062_region_scopes: the region's municipalities, schools, campaigns and
-- projects, each stated once (as 0003 states a municipality's schools), for
-- the RLS policies and for the functions that check the same scope by hand.
-- The policies that spelt these scopes out are altered to call them; their
-- names, commands and roles stay, and so does what they allow: each helper
-- is the policy's former subquery, and the planner inlines it back into the
-- same plan (plain STABLE SQL returning a set, no SET clause, not SECURITY
-- DEFINER — tests/sql/46_scope_helpers.sql checks that of every scope helper).
-- Invoker functions: under a policy they read the tables with the caller's
-- rights, exactly as the subqueries did.

set local role orientir_owner;

create function app.region_municipality_ids() returns setof bigint
language sql stable parallel safe
as $$
  select m.id from app.municipalities m where m.region_id = (select app.claim_region_id())
$$;
create function app.region_school_ids() returns setof bigint
language sql stable parallel safe
as $$
  select s.id from app.schools s
  join app.municipalities m on m.id = s.municipality_id
  where m.region_id = (select app.claim_region_id())
$$;
create function app.region_campaign_ids() returns setof bigint
language sql stable parallel safe
as $$
  select c.id from app.campaigns c where c.region_id = (select app.claim_region_id())
$$;
create function app.region_project_ids() returns setof bigint
language sql stable parallel safe
as $$
  select p.id from app.projects p where p.region_id = (select app.claim_region_id())
$$;

revoke execute on function app.region_municipality_ids(), app.region_school_ids(), app.region_campaign_ids(),
  app.region_project_ids() from public;
grant execute on function app.region_municipality_ids(), app.region_school_ids(), app.region_campaign_ids(),
  app.region_project_ids() to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.region_municipality_ids() is
  'Scope: ids of the municipalities of the caller''s region (policies and functions of region scope)';
comment on function app.region_school_ids() is
  'Scope: ids of the schools of the caller''s region (policies and functions of region scope)';
comment on function app.region_campaign_ids() is
  'Scope: ids of the self-diagnostic campaigns of the caller''s region (policies of region scope)';
comment on function app.region_project_ids() is
  'Scope: ids of the projects of the caller''s region (policies and functions of region scope)';

-- schools (0005)
alter policy schools_select_committee_loiro on app.schools
  using (municipality_id = any (array(select id from app.region_municipality_ids() id)));
alter policy schools_insert_committee on app.schools
  with check (municipality_id = any (array(select id from app.region_municipality_ids() id)));
alter policy schools_update_committee on app.schools
  using (municipality_id = any (array(select id from app.region_municipality_ids() id)))
  with check (municipality_id = any (array(select id from app.region_municipality_ids() id)));

-- users (0005): the committee's users are the region's, its municipalities' and its schools'
alter policy users_select_committee on app.users
  using (region_id = (select app.claim_region_id())
         or municipality_id = any (array(select id from app.region_municipality_ids() id))
         or school_id = any (array(select id from app.region_school_ids() id)));
alter policy users_insert_committee on app.users
  with check (region_id = (select app.claim_region_id())
              or municipality_id = any (array(select id from app.region_municipality_ids() id))
              or school_id = any (array(select id from app.region_school_ids() id)));
alter policy users_update_committee on app.users
  using (region_id = (select app.claim_region_id())
         or municipality_id = any (array(select id from app.region_municipality_ids() id))
         or school_id = any (array(select id from app.region_school_ids() id)))
  with check (region_id = (select app.claim_region_id())
              or municipality_id = any (array(select id from app.region_municipality_ids() id))
              or school_id = any (array(select id from app.region_school_ids() id)));

-- campaigns' targets and instruments, submissions, deficits (0011)
alter policy campaign_instruments_select_committee_loiro_municipality on app.campaign_instruments
  using (campaign_id = any (array(select id from app.region_campaign_ids() id)));
alter policy campaign_instruments_insert_committee_loiro on app.campaign_instruments
  with check (campaign_id = any (array(select id from app.region_campaign_ids() id))
              and instrument_id = any (array(select i.id from app.instruments i
                                             where i.region_id = (select app.claim_region_id())
                                               and i.status = 'published')));
alter policy campaign_schools_select_committee_loiro on app.campaign_schools
  using (campaign_id = any (array(select id from app.region_campaign_ids() id)));
alter policy campaign_schools_insert_committee_loiro on app.campaign_schools
  with check (campaign_id = any (array(select id from app.region_campaign_ids() id))
              and school_id = any (array(select id from app.region_school_ids() id)));
alter policy submissions_select_committee_loiro on app.submissions
  using (campaign_id = any (array(select id from app.region_campaign_ids() id)));
alter policy deficits_select_committee_loiro on app.deficits
  using (campaign_id = any (array(select id from app.region_campaign_ids() id)));

-- projects' schools and execution records (0032)
alter policy project_schools_select_committee_loiro on app.project_schools
  using (project_id = any (array(select id from app.region_project_ids() id)));
alter policy project_schools_insert_committee on app.project_schools
  with check (project_id = any (array(select id from app.region_project_ids() id))
              and school_id = any (array(select id from app.region_school_ids() id)));
alter policy project_schools_update_committee on app.project_schools
  using (project_id = any (array(select id from app.region_project_ids() id)))
  with check (project_id = any (array(select id from app.region_project_ids() id))
              and school_id = any (array(select id from app.region_school_ids() id)));
alter policy assignments_insert_committee on app.assignments
  with check (region_id = (select app.claim_region_id())
              and document_id = any (array(select d.id from app.documents d
                                           where d.region_id = (select app.claim_region_id())
                                             and d.municipality_id is null))
              and (municipality_id is null
                   or municipality_id = any (array(select id from app.region_municipality_ids() id)))
              and (school_id is null
                   or school_id = any (array(select s.id from app.schools s
                                             where s.municipality_id = assignments.municipality_id))));

reset role;
