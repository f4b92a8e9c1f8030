-- 0011_diagnostics_policies: row-level security of the self-diagnostic
-- tables, enabled and forced, one policy per command and scope
-- (roles with the same scope share one policy).
--
-- Scope (DOMAIN.md, docs/design.md "Self-diagnostics"):
--   instruments and their parts: the committee and ЛОИРО see every instrument
--     of their region, drafts included, and write drafts; municipalities and
--     schools see only published instruments of their region.
--   campaigns: the committee, ЛОИРО and municipalities see the region's
--     campaigns; a school only the campaigns that target it.
--   campaign_schools, submissions and everything hanging off them, deficits:
--     a school its own, a municipality its own schools', the committee and
--     ЛОИРО the region's (through the campaign's region).
-- Writes of submissions and below happen only in definer code (no grants).
-- Scopes are "col = any (array(subquery))" with the claims in (select ...),
-- as in 0005, so that the planner can use an index on col.

alter table app.instruments           enable row level security, force row level security;
alter table app.directions            enable row level security, force row level security;
alter table app.indicators            enable row level security, force row level security;
alter table app.indicator_options     enable row level security, force row level security;
alter table app.campaigns             enable row level security, force row level security;
alter table app.campaign_instruments  enable row level security, force row level security;
alter table app.campaign_schools      enable row level security, force row level security;
alter table app.submissions           enable row level security, force row level security;
alter table app.answers               enable row level security, force row level security;
alter table app.submission_directions enable row level security, force row level security;
alter table app.submission_events     enable row level security, force row level security;
alter table app.deficits              enable row level security, force row level security;

-- instruments ------------------------------------------------------------------
create policy instruments_select_committee_loiro on app.instruments for select
  to orientir_committee, orientir_loiro
  using (region_id = (select app.claim_region_id()));
create policy instruments_select_municipality_school on app.instruments for select
  to orientir_municipality, orientir_school
  using (region_id = (select app.claim_region_id()) and status = 'published');
create policy instruments_insert_committee_loiro on app.instruments for insert
  to orientir_committee, orientir_loiro
  with check (region_id = (select app.claim_region_id()) and status = 'draft');
create policy instruments_update_committee_loiro on app.instruments for update
  to orientir_committee, orientir_loiro
  using (region_id = (select app.claim_region_id()))
  with check (region_id = (select app.claim_region_id()));

-- directions, indicators, options: as their instrument ---------------------------
create policy directions_select_committee_loiro on app.directions for select
  to orientir_committee, orientir_loiro
  using (instrument_id = any (array(select i.id from app.instruments i
                                    where i.region_id = (select app.claim_region_id()))));
create policy directions_select_municipality_school on app.directions for select
  to orientir_municipality, orientir_school
  using (instrument_id = any (array(select i.id from app.instruments i
                                    where i.region_id = (select app.claim_region_id())
                                      and i.status = 'published')));
create policy directions_insert_committee_loiro on app.directions for insert
  to orientir_committee, orientir_loiro
  with check (instrument_id = any (array(select i.id from app.instruments i
                                         where i.region_id = (select app.claim_region_id())
                                           and i.status = 'draft')));

create policy indicators_select_committee_loiro on app.indicators for select
  to orientir_committee, orientir_loiro
  using (instrument_id = any (array(select i.id from app.instruments i
                                    where i.region_id = (select app.claim_region_id()))));
create policy indicators_select_municipality_school on app.indicators for select
  to orientir_municipality, orientir_school
  using (instrument_id = any (array(select i.id from app.instruments i
                                    where i.region_id = (select app.claim_region_id())
                                      and i.status = 'published')));
create policy indicators_insert_committee_loiro on app.indicators for insert
  to orientir_committee, orientir_loiro
  with check (instrument_id = any (array(select i.id from app.instruments i
                                         where i.region_id = (select app.claim_region_id())
                                           and i.status = 'draft')));

create policy indicator_options_select_committee_loiro on app.indicator_options for select
  to orientir_committee, orientir_loiro
  using (instrument_id = any (array(select i.id from app.instruments i
                                    where i.region_id = (select app.claim_region_id()))));
create policy indicator_options_select_municipality_school on app.indicator_options for select
  to orientir_municipality, orientir_school
  using (instrument_id = any (array(select i.id from app.instruments i
                                    where i.region_id = (select app.claim_region_id())
                                      and i.status = 'published')));
create policy indicator_options_insert_committee_loiro on app.indicator_options for insert
  to orientir_committee, orientir_loiro
  with check (instrument_id = any (array(select i.id from app.instruments i
                                         where i.region_id = (select app.claim_region_id())
                                           and i.status = 'draft')));

-- campaigns ----------------------------------------------------------------------
create policy campaigns_select_committee_loiro_municipality on app.campaigns for select
  to orientir_committee, orientir_loiro, orientir_municipality
  using (region_id = (select app.claim_region_id()));
create policy campaigns_select_school on app.campaigns for select to orientir_school
  using (id = any (array(select cs.campaign_id from app.campaign_schools cs
                         where cs.school_id = (select app.claim_school_id()))));
create policy campaigns_insert_committee_loiro on app.campaigns for insert
  to orientir_committee, orientir_loiro
  with check (region_id = (select app.claim_region_id()));
create policy campaigns_update_committee_loiro on app.campaigns for update
  to orientir_committee, orientir_loiro
  using (region_id = (select app.claim_region_id()))
  with check (region_id = (select app.claim_region_id()));

create policy campaign_instruments_select_committee_loiro_municipality on app.campaign_instruments for select
  to orientir_committee, orientir_loiro, orientir_municipality
  using (campaign_id = any (array(select c.id from app.campaigns c
                                  where c.region_id = (select app.claim_region_id()))));
create policy campaign_instruments_select_school on app.campaign_instruments for select to orientir_school
  using (campaign_id = any (array(select cs.campaign_id from app.campaign_schools cs
                                  where cs.school_id = (select app.claim_school_id()))));
create policy campaign_instruments_insert_committee_loiro on app.campaign_instruments for insert
  to orientir_committee, orientir_loiro
  with check (campaign_id = any (array(select c.id from app.campaigns c
                                       where c.region_id = (select app.claim_region_id())))
              and instrument_id = any (array(select i.id from app.instruments i
                                             where i.region_id = (select app.claim_region_id())
                                               and i.status = 'published')));

create policy campaign_schools_select_committee_loiro on app.campaign_schools for select
  to orientir_committee, orientir_loiro
  using (campaign_id = any (array(select c.id from app.campaigns c
                                  where c.region_id = (select app.claim_region_id()))));
create policy campaign_schools_select_municipality on app.campaign_schools for select to orientir_municipality
  using (school_id = any (array(select id from app.municipality_school_ids() id)));
create policy campaign_schools_select_school on app.campaign_schools for select to orientir_school
  using (school_id = (select app.claim_school_id()));
create policy campaign_schools_insert_committee_loiro on app.campaign_schools for insert
  to orientir_committee, orientir_loiro
  with check (campaign_id = any (array(select c.id from app.campaigns c
                                       where c.region_id = (select app.claim_region_id())))
              and school_id = any (array(select s.id from app.schools s
                                         join app.municipalities m on m.id = s.municipality_id
                                         where m.region_id = (select app.claim_region_id()))));

-- submissions (read only for every API role) ---------------------------------------
create policy submissions_select_committee_loiro on app.submissions for select
  to orientir_committee, orientir_loiro
  using (campaign_id = any (array(select c.id from app.campaigns c
                                  where c.region_id = (select app.claim_region_id()))));
create policy submissions_select_municipality on app.submissions for select to orientir_municipality
  using (school_id = any (array(select id from app.municipality_school_ids() id)));
create policy submissions_select_school on app.submissions for select to orientir_school
  using (school_id = (select app.claim_school_id()));

-- answers, per-direction results, history: as their submission ------------------------
create policy answers_select_committee_loiro on app.answers for select to orientir_committee, orientir_loiro
  using (submission_id = any (array(select s.id from app.submissions s
                                    join app.campaigns c on c.id = s.campaign_id
                                    where c.region_id = (select app.claim_region_id()))));
create policy answers_select_municipality on app.answers for select to orientir_municipality
  using (submission_id = any (array(select s.id from app.submissions s
                                    join app.schools sc on sc.id = s.school_id
                                    where sc.municipality_id = (select app.claim_municipality_id()))));
create policy answers_select_school on app.answers for select to orientir_school
  using (submission_id = any (array(select s.id from app.submissions s
                                    where s.school_id = (select app.claim_school_id()))));

create policy submission_directions_select_committee_loiro on app.submission_directions for select
  to orientir_committee, orientir_loiro
  using (submission_id = any (array(select s.id from app.submissions s
                                    join app.campaigns c on c.id = s.campaign_id
                                    where c.region_id = (select app.claim_region_id()))));
create policy submission_directions_select_municipality on app.submission_directions for select to orientir_municipality
  using (submission_id = any (array(select s.id from app.submissions s
                                    join app.schools sc on sc.id = s.school_id
                                    where sc.municipality_id = (select app.claim_municipality_id()))));
create policy submission_directions_select_school on app.submission_directions for select to orientir_school
  using (submission_id = any (array(select s.id from app.submissions s
                                    where s.school_id = (select app.claim_school_id()))));

create policy submission_events_select_committee_loiro on app.submission_events for select
  to orientir_committee, orientir_loiro
  using (submission_id = any (array(select s.id from app.submissions s
                                    join app.campaigns c on c.id = s.campaign_id
                                    where c.region_id = (select app.claim_region_id()))));
create policy submission_events_select_municipality on app.submission_events for select to orientir_municipality
  using (submission_id = any (array(select s.id from app.submissions s
                                    join app.schools sc on sc.id = s.school_id
                                    where sc.municipality_id = (select app.claim_municipality_id()))));
create policy submission_events_select_school on app.submission_events for select to orientir_school
  using (submission_id = any (array(select s.id from app.submissions s
                                    where s.school_id = (select app.claim_school_id()))));

-- deficits -------------------------------------------------------------------------
create policy deficits_select_committee_loiro on app.deficits for select to orientir_committee, orientir_loiro
  using (campaign_id = any (array(select c.id from app.campaigns c
                                  where c.region_id = (select app.claim_region_id()))));
create policy deficits_select_municipality on app.deficits for select to orientir_municipality
  using (school_id = any (array(select id from app.municipality_school_ids() id)));
create policy deficits_select_school on app.deficits for select to orientir_school
  using (school_id = (select app.claim_school_id()));
