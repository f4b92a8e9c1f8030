-- 0005_policies: row-level security, enabled and forced on every table of
-- schema app, one policy per command and scope
-- (roles with the same scope share one policy), reading the request claims.
--
-- Scope (DOMAIN.md): the committee and ЛОИРО see their region; a municipality
-- sees the municipalities of its region as names but only its own schools; a
-- school sees itself (and its own municipality and region as names).
-- Tables with no policy for a role deny everything to it (refresh_tokens,
-- login_attempts, audit_log have none: only definer code owned by
-- orientir_owner, which has BYPASSRLS, reads and writes them).
-- Claims are wrapped in (select ...) so each is evaluated once per query, and
-- scopes are written "col = any (array(subquery))" so that the planner can use
-- an index on col (Russia: 40,000 schools) instead of a hashed-subplan filter
-- over every row of the country.

alter table app.regions        enable row level security, force row level security;
alter table app.municipalities enable row level security, force row level security;
alter table app.schools        enable row level security, force row level security;
alter table app.users          enable row level security, force row level security;
alter table app.refresh_tokens enable row level security, force row level security;
alter table app.login_attempts enable row level security, force row level security;
alter table app.audit_log      enable row level security, force row level security;

-- regions: every role sees its own region only.
create policy regions_select_all_roles on app.regions for select
  to orientir_committee, orientir_loiro, orientir_municipality, orientir_school
  using (id = (select app.claim_region_id()));

-- municipalities: the region's list for the regional bodies and municipalities;
-- a school sees only its own municipality.
create policy municipalities_select_committee_loiro_municipality on app.municipalities for select
  to orientir_committee, orientir_loiro, orientir_municipality
  using (region_id = (select app.claim_region_id()));
create policy municipalities_select_school on app.municipalities for select to orientir_school
  using (id = (select app.claim_municipality_id()));

-- schools
create policy schools_select_committee_loiro on app.schools for select to orientir_committee, orientir_loiro
  using (municipality_id = any (array(select m.id from app.municipalities m
                                      where m.region_id = (select app.claim_region_id()))));
create policy schools_select_municipality on app.schools for select to orientir_municipality
  using (municipality_id = (select app.claim_municipality_id()));
create policy schools_select_school on app.schools for select to orientir_school
  using (id = (select app.claim_school_id()));

create policy schools_insert_committee on app.schools for insert to orientir_committee
  with check (municipality_id = any (array(select m.id from app.municipalities m
                                           where m.region_id = (select app.claim_region_id()))));
create policy schools_update_committee on app.schools for update to orientir_committee
  using (municipality_id = any (array(select m.id from app.municipalities m
                                      where m.region_id = (select app.claim_region_id()))))
  with check (municipality_id = any (array(select m.id from app.municipalities m
                                           where m.region_id = (select app.claim_region_id()))));

-- users: the committee manages every user of its region (regional users,
-- municipality users, school users); a municipality manages the school users
-- of its own schools and reads itself. ЛОИРО and schools have no grant.
create policy users_select_committee on app.users for select to orientir_committee
  using (region_id = (select app.claim_region_id())
         or municipality_id = any (array(select m.id from app.municipalities m
                                         where m.region_id = (select app.claim_region_id())))
         or school_id = any (array(select s.id from app.schools s
                                   join app.municipalities m on m.id = s.municipality_id
                                   where m.region_id = (select app.claim_region_id()))));
create policy users_insert_committee on app.users for insert to orientir_committee
  with check (region_id = (select app.claim_region_id())
              or municipality_id = any (array(select m.id from app.municipalities m
                                              where m.region_id = (select app.claim_region_id())))
              or school_id = any (array(select s.id from app.schools s
                                        join app.municipalities m on m.id = s.municipality_id
                                        where m.region_id = (select app.claim_region_id()))));
create policy users_update_committee on app.users for update to orientir_committee
  using (region_id = (select app.claim_region_id())
         or municipality_id = any (array(select m.id from app.municipalities m
                                         where m.region_id = (select app.claim_region_id())))
         or school_id = any (array(select s.id from app.schools s
                                   join app.municipalities m on m.id = s.municipality_id
                                   where m.region_id = (select app.claim_region_id()))))
  with check (region_id = (select app.claim_region_id())
              or municipality_id = any (array(select m.id from app.municipalities m
                                              where m.region_id = (select app.claim_region_id())))
              or school_id = any (array(select s.id from app.schools s
                                        join app.municipalities m on m.id = s.municipality_id
                                        where m.region_id = (select app.claim_region_id()))));

create policy users_select_municipality on app.users for select to orientir_municipality
  using (id = (select app.claim_user_id())
         or school_id = any (array(select id from app.municipality_school_ids() id)));
create policy users_insert_municipality on app.users for insert to orientir_municipality
  with check (role = 'school'
              and school_id = any (array(select id from app.municipality_school_ids() id)));
create policy users_update_municipality on app.users for update to orientir_municipality
  using (role = 'school'
         and school_id = any (array(select id from app.municipality_school_ids() id)))
  with check (role = 'school'
              and school_id = any (array(select id from app.municipality_school_ids() id)));
