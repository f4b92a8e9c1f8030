-- 0042_program_policies: row-level security of the development-program
-- tables, enabled and forced, one SELECT policy per scope (roles
-- with the same scope share it; no API role
-- writes them: 0041).
--
-- Scope (docs/design.md "Development programs"):
--   programs and everything below them (measures, their deficit links,
--     analyses, comments, history): a school its own, a municipality its
--     schools', the committee and ЛОИРО the region's — as submissions and
--     deficits (0011), through the school, so that a school moved to another
--     municipality takes its programs along.
--   practices and their indicators: the region's, all four roles.
--   partnerships and their indicators: the committee and ЛОИРО the region's,
--     a municipality those where the school or the mentor school is its own,
--     a school those where it is the school or the mentor.
-- The programs' own scopes are "col = any (array(subquery))" with the claims
-- in (select ...), as in 0005/0011, so that the planner can use an index on
-- col. The tables below a program use "col in (subquery)" instead: the
-- region's programs, measures and links number in the thousands, and
-- "= any (array)" compares every row with the whole array (a committee's
-- programs_list took seconds), while an uncorrelated IN is one hashed lookup
-- per row; reads of these tables always come with their own index condition
-- (program_id, measure_id, deficit_id).

alter table app.programs                 enable row level security, force row level security;
alter table app.program_measures         enable row level security, force row level security;
alter table app.program_measure_deficits enable row level security, force row level security;
alter table app.program_analyses         enable row level security, force row level security;
alter table app.program_comments         enable row level security, force row level security;
alter table app.program_events           enable row level security, force row level security;
alter table app.practices                enable row level security, force row level security;
alter table app.practice_indicators      enable row level security, force row level security;
alter table app.partnerships             enable row level security, force row level security;
alter table app.partnership_indicators   enable row level security, force row level security;

-- programs -------------------------------------------------------------------------
create policy programs_select_committee_loiro on app.programs for select to orientir_committee, orientir_loiro
  using (region_id = (select app.claim_region_id()));
create policy programs_select_municipality on app.programs for select to orientir_municipality
  using (school_id = any (array(select id from app.municipality_school_ids() id)));
create policy programs_select_school on app.programs for select to orientir_school
  using (school_id = (select app.claim_school_id()));

-- measures, analyses, comments, history: as their program ---------------------------
-- (The inner selects are themselves narrowed by the policies of their tables.)
create policy program_measures_select_committee_loiro on app.program_measures for select
  to orientir_committee, orientir_loiro
  using (program_id in (select p.id from app.programs p where p.region_id = (select app.claim_region_id())));
create policy program_measures_select_municipality on app.program_measures for select to orientir_municipality
  using (program_id in (select p.id from app.programs p
                        join app.schools s on s.id = p.school_id
                        where s.municipality_id = (select app.claim_municipality_id())));
create policy program_measures_select_school on app.program_measures for select to orientir_school
  using (program_id in (select p.id from app.programs p where p.school_id = (select app.claim_school_id())));

-- A link is visible with its measure.
create policy program_measure_deficits_select_committee_loiro on app.program_measure_deficits for select
  to orientir_committee, orientir_loiro
  using (measure_id in (select m.id from app.program_measures m join app.programs p on p.id = m.program_id
                        where p.region_id = (select app.claim_region_id())));
create policy program_measure_deficits_select_municipality on app.program_measure_deficits for select to orientir_municipality
  using (measure_id in (select m.id from app.program_measures m join app.programs p on p.id = m.program_id
                        join app.schools s on s.id = p.school_id
                        where s.municipality_id = (select app.claim_municipality_id())));
create policy program_measure_deficits_select_school on app.program_measure_deficits for select to orientir_school
  using (measure_id in (select m.id from app.program_measures m join app.programs p on p.id = m.program_id
                        where p.school_id = (select app.claim_school_id())));

create policy program_analyses_select_committee_loiro on app.program_analyses for select
  to orientir_committee, orientir_loiro
  using (program_id in (select p.id from app.programs p where p.region_id = (select app.claim_region_id())));
create policy program_analyses_select_municipality on app.program_analyses for select to orientir_municipality
  using (program_id in (select p.id from app.programs p
                        join app.schools s on s.id = p.school_id
                        where s.municipality_id = (select app.claim_municipality_id())));
create policy program_analyses_select_school on app.program_analyses for select to orientir_school
  using (program_id in (select p.id from app.programs p where p.school_id = (select app.claim_school_id())));

create policy program_comments_select_committee_loiro on app.program_comments for select
  to orientir_committee, orientir_loiro
  using (program_id in (select p.id from app.programs p where p.region_id = (select app.claim_region_id())));
create policy program_comments_select_municipality on app.program_comments for select to orientir_municipality
  using (program_id in (select p.id from app.programs p
                        join app.schools s on s.id = p.school_id
                        where s.municipality_id = (select app.claim_municipality_id())));
create policy program_comments_select_school on app.program_comments for select to orientir_school
  using (program_id in (select p.id from app.programs p where p.school_id = (select app.claim_school_id())));

create policy program_events_select_committee_loiro on app.program_events for select
  to orientir_committee, orientir_loiro
  using (program_id in (select p.id from app.programs p where p.region_id = (select app.claim_region_id())));
create policy program_events_select_municipality on app.program_events for select to orientir_municipality
  using (program_id in (select p.id from app.programs p
                        join app.schools s on s.id = p.school_id
                        where s.municipality_id = (select app.claim_municipality_id())));
create policy program_events_select_school on app.program_events for select to orientir_school
  using (program_id in (select p.id from app.programs p where p.school_id = (select app.claim_school_id())));

-- practices: the region's, for everyone -----------------------------------------------
create policy practices_select_all_roles on app.practices for select
  to orientir_committee, orientir_loiro, orientir_municipality, orientir_school
  using (region_id = (select app.claim_region_id()));

create policy practice_indicators_select_all_roles on app.practice_indicators for select
  to orientir_committee, orientir_loiro, orientir_municipality, orientir_school
  using (practice_id = any (array(select p.id from app.practices p where p.region_id = (select app.claim_region_id()))));

-- partnerships ---------------------------------------------------------------------------
create policy partnerships_select_committee_loiro on app.partnerships for select
  to orientir_committee, orientir_loiro
  using (region_id = (select app.claim_region_id()));
create policy partnerships_select_municipality on app.partnerships for select to orientir_municipality
  using (school_id = any (array(select id from app.municipality_school_ids() id))
         or mentor_school_id = any (array(select id from app.municipality_school_ids() id)));
create policy partnerships_select_school on app.partnerships for select to orientir_school
  using (school_id = (select app.claim_school_id()) or mentor_school_id = (select app.claim_school_id()));

create policy partnership_indicators_select_all_roles on app.partnership_indicators for select
  to orientir_committee, orientir_loiro, orientir_municipality, orientir_school
  using (partnership_id = any (array(select p.id from app.partnerships p)));
