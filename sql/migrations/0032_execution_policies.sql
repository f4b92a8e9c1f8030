-- 0032_execution_policies: row-level security of projects and control of
-- execution, enabled and forced, one policy per command and scope
-- (roles with the same scope share one policy).
--
-- Scope (DOMAIN.md, issue 5):
--   projects: the committee, ЛОИРО and municipalities see the region's
--     projects; a school only the projects it takes part in.
--   project_schools: the committee and ЛОИРО the region's, a municipality
--     its own schools', a school its own participation.
--   assignments (execution records): the committee and ЛОИРО the region's;
--     a municipality those assigned to it or to its schools (municipality_id
--     holds both); a school those assigned to it.
--   document_items: the committee and ЛОИРО the region's; a municipality the
--     items of its own road maps and the items with a record it sees; a
--     school the items assigned to it.
--   documents: the committee and ЛОИРО the region's; a municipality its own
--     road maps and the documents with a record it sees; a school the
--     documents with a record assigned to it.
-- Writes: the committee in its region (documents it issues: municipality_id
-- NULL); a municipality only its own road maps, with executors limited to
-- itself and its schools. No policy reads a table whose policy reads back
-- (documents → assignments, items → documents/assignments; the
-- municipality's assignments INSERT reads its road maps through a definer
-- helper, because documents → assignments would be a cycle).
-- Scopes are "col = any (array(subquery))" with the claims in (select ...),
-- as in 0005, so that the planner can use an index on col.

-- The road maps of the caller's municipality. Definer, because the
-- municipality's INSERT policy on assignments needs them and reading
-- documents under RLS would read assignments again (documents' SELECT policy
-- for municipalities looks at their records): PostgreSQL refuses such a
-- policy cycle as infinite recursion.
set local role orientir_owner;

create or replace function app.municipality_roadmap_ids() returns bigint[]
language sql stable
security definer
set search_path = app, pg_temp
as $$
  select coalesce(array_agg(d.id), '{}')
  from app.documents d
  where app.claim_role() = 'municipality' and d.municipality_id = app.claim_municipality_id()
$$;
revoke execute on function app.municipality_roadmap_ids() from public;
grant execute on function app.municipality_roadmap_ids() to orientir_municipality;
comment on function app.municipality_roadmap_ids() is
  'Municipality (definer, for the assignments INSERT policy): ids of the caller''s own road maps';
reset role;

alter table app.projects        enable row level security, force row level security;
alter table app.project_schools enable row level security, force row level security;
alter table app.documents       enable row level security, force row level security;
alter table app.document_items  enable row level security, force row level security;
alter table app.assignments     enable row level security, force row level security;

-- projects ----------------------------------------------------------------------
create policy projects_select_committee_loiro_municipality on app.projects for select
  to orientir_committee, orientir_loiro, orientir_municipality
  using (region_id = (select app.claim_region_id()));
create policy projects_select_school on app.projects for select to orientir_school
  using (id = any (array(select ps.project_id from app.project_schools ps
                         where ps.school_id = (select app.claim_school_id()))));
create policy projects_insert_committee on app.projects for insert to orientir_committee
  with check (region_id = (select app.claim_region_id()));
create policy projects_update_committee on app.projects for update to orientir_committee
  using (region_id = (select app.claim_region_id()))
  with check (region_id = (select app.claim_region_id()));

-- project_schools -----------------------------------------------------------------
create policy project_schools_select_committee_loiro on app.project_schools for select
  to orientir_committee, orientir_loiro
  using (project_id = any (array(select p.id from app.projects p
                                 where p.region_id = (select app.claim_region_id()))));
create policy project_schools_select_municipality on app.project_schools for select to orientir_municipality
  using (school_id = any (array(select id from app.municipality_school_ids() id)));
create policy project_schools_select_school on app.project_schools for select to orientir_school
  using (school_id = (select app.claim_school_id()));
create policy project_schools_insert_committee on app.project_schools for insert to orientir_committee
  with check (project_id = any (array(select p.id from app.projects p
                                      where p.region_id = (select app.claim_region_id())))
              and school_id = any (array(select s.id from app.schools s
                                         join app.municipalities m on m.id = s.municipality_id
                                         where m.region_id = (select app.claim_region_id()))));
create policy project_schools_update_committee on app.project_schools for update to orientir_committee
  using (project_id = any (array(select p.id from app.projects p
                                 where p.region_id = (select app.claim_region_id()))))
  with check (project_id = any (array(select p.id from app.projects p
                                      where p.region_id = (select app.claim_region_id())))
              and school_id = any (array(select s.id from app.schools s
                                         join app.municipalities m on m.id = s.municipality_id
                                         where m.region_id = (select app.claim_region_id()))));

-- assignments ---------------------------------------------------------------------
create policy assignments_select_committee_loiro on app.assignments for select
  to orientir_committee, orientir_loiro
  using (region_id = (select app.claim_region_id()));
create policy assignments_select_municipality on app.assignments for select to orientir_municipality
  using (municipality_id = (select app.claim_municipality_id()));
create policy assignments_select_school on app.assignments for select to orientir_school
  using (school_id = (select app.claim_school_id()));
create policy assignments_insert_committee on app.assignments for insert to orientir_committee
  with check (region_id = (select app.claim_region_id())
              and document_id = any (array(select d.id from app.documents d
                                           where d.region_id = (select app.claim_region_id())
                                             and d.municipality_id is null))
              and (municipality_id is null
                   or municipality_id = any (array(select m.id from app.municipalities m
                                                   where m.region_id = (select app.claim_region_id()))))
              and (school_id is null
                   or school_id = any (array(select s.id from app.schools s
                                             where s.municipality_id = assignments.municipality_id))));
create policy assignments_insert_municipality on app.assignments for insert to orientir_municipality
  with check (region_id = (select app.claim_region_id())
              and executor_kind in ('municipality', 'school')
              and municipality_id = (select app.claim_municipality_id())
              and document_id = any ((select app.municipality_roadmap_ids())::bigint[])
              and (school_id is null
                   or school_id = any (array(select id from app.municipality_school_ids() id))));

-- documents -----------------------------------------------------------------------
create policy documents_select_committee_loiro on app.documents for select
  to orientir_committee, orientir_loiro
  using (region_id = (select app.claim_region_id()));
create policy documents_select_municipality on app.documents for select to orientir_municipality
  using (municipality_id = (select app.claim_municipality_id())
         or id = any (array(select a.document_id from app.assignments a
                            where a.municipality_id = (select app.claim_municipality_id()))));
create policy documents_select_school on app.documents for select to orientir_school
  using (id = any (array(select a.document_id from app.assignments a
                         where a.school_id = (select app.claim_school_id()))));
create policy documents_insert_committee on app.documents for insert to orientir_committee
  with check (region_id = (select app.claim_region_id()) and municipality_id is null);
create policy documents_insert_municipality on app.documents for insert to orientir_municipality
  with check (region_id = (select app.claim_region_id())
              and municipality_id = (select app.claim_municipality_id()) and kind = 'roadmap');
create policy documents_update_committee on app.documents for update to orientir_committee
  using (region_id = (select app.claim_region_id()) and municipality_id is null)
  with check (region_id = (select app.claim_region_id()) and municipality_id is null);
create policy documents_update_municipality on app.documents for update to orientir_municipality
  using (municipality_id = (select app.claim_municipality_id()))
  with check (municipality_id = (select app.claim_municipality_id()) and kind = 'roadmap');

-- document_items ------------------------------------------------------------------
create policy document_items_select_committee_loiro on app.document_items for select
  to orientir_committee, orientir_loiro
  using (region_id = (select app.claim_region_id()));
create policy document_items_select_municipality on app.document_items for select to orientir_municipality
  using (document_id = any (array(select d.id from app.documents d
                                  where d.municipality_id = (select app.claim_municipality_id())))
         or id = any (array(select a.item_id from app.assignments a
                            where a.municipality_id = (select app.claim_municipality_id()))));
create policy document_items_select_school on app.document_items for select to orientir_school
  using (id = any (array(select a.item_id from app.assignments a
                         where a.school_id = (select app.claim_school_id()))));
create policy document_items_insert_committee on app.document_items for insert to orientir_committee
  with check (region_id = (select app.claim_region_id())
              and document_id = any (array(select d.id from app.documents d
                                           where d.region_id = (select app.claim_region_id())
                                             and d.municipality_id is null)));
create policy document_items_insert_municipality on app.document_items for insert to orientir_municipality
  with check (document_id = any (array(select d.id from app.documents d
                                       where d.municipality_id = (select app.claim_municipality_id()))));
