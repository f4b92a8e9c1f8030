-- 0040_program_tables: development programs (issue 4, DOMAIN.md §2) — a
-- school's program built on the deficits of its accepted self-diagnostic,
-- its measures and the deficits each addresses, the problem analysis per
-- direction, comments and history; the lifecycle of deficits (open → in_work
-- → eliminated | closed); ЛОИРО's practices library and the municipalities'
-- mentoring partnerships — plus the triggers that keep them honest whoever
-- writes (the owner included): a program moves only along its state machine,
-- its content changes only while the school may edit it, measure progress
-- only while it is approved, a measure addresses only deficits of the
-- program's own school and campaign, and eliminated/closed deficits are final.
--
-- Created as orientir_owner. Privileges: 0041; RLS policies: 0042;
-- functions and triggers: sql/functions/ (programs, deficits, practices,
-- partnerships). Every table is audited (programs, comments, practices and
-- partnerships by app.audit_row; measures per statement, so that the demo's
-- bulk writes stay cheap; the link tables and analyses, which have no id
-- column, per statement by app.audit_statement_keyed);
-- deficit close and elimination write
-- explicit audit rows (entity deficits, action close / eliminate).

set local role orientir_owner;

------------------------------------------------------------------------------
-- Deficit lifecycle
------------------------------------------------------------------------------

alter table app.deficits
  add column status        text not null default 'open',
  add column status_at     timestamptz,
  add column closed_reason text,
  add column closed_by     bigint,
  add column eliminated_by bigint,
  add constraint deficits_status_valid check (status in ('open', 'in_work', 'eliminated', 'closed')),
  add constraint deficits_closed_reason_length
    check (btrim(closed_reason) <> '' and char_length(closed_reason) <= 2000),
  add constraint deficits_closed_has_reason check ((status = 'closed') = (closed_reason is not null)),
  add constraint deficits_eliminated_has_submission check ((status = 'eliminated') = (eliminated_by is not null)),
  add constraint deficits_closed_by_fkey foreign key (closed_by) references app.users (id),
  add constraint deficits_eliminated_by_fkey foreign key (eliminated_by) references app.submissions (id);
comment on column app.deficits.status is
  'Lifecycle: open → in_work (a program addressing it approved) → eliminated (a later accepted self-diagnostic of the school meets the indicator) | closed (by the municipality with a reason); eliminated and closed are final';
comment on column app.deficits.status_at is 'When the status last changed (NULL while open since derivation)';
comment on column app.deficits.closed_reason is 'The municipality''s reason for closing it (status closed only)';
comment on column app.deficits.eliminated_by is
  'The accepted submission of a later campaign in which the indicator (same instrument code and indicator code) was met';
create index deficits_status_idx on app.deficits (school_id, status) where status in ('open', 'in_work');

------------------------------------------------------------------------------
-- Programs
------------------------------------------------------------------------------

create table app.programs (
  id              bigint generated always as identity,
  region_id       bigint not null,
  municipality_id bigint not null,
  school_id       bigint not null,
  campaign_id     bigint not null,
  submission_id   bigint not null,
  title           text collate app.ru not null,
  period_start    date not null,
  period_end      date not null,
  status          text not null default 'draft',
  revision        integer not null default 1,
  previous_id     bigint,
  version         integer not null default 1,
  created_by      bigint,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  submitted_at    timestamptz,
  decided_at      timestamptz,
  constraint programs_pkey primary key (id),
  constraint programs_region_id_fkey foreign key (region_id) references app.regions (id),
  constraint programs_municipality_id_fkey foreign key (municipality_id) references app.municipalities (id),
  constraint programs_school_id_fkey foreign key (school_id) references app.schools (id),
  -- The submission is the school's own in that campaign (one per school and campaign).
  constraint programs_submission_fkey foreign key (submission_id, campaign_id, school_id)
    references app.submissions (id, campaign_id, school_id),
  constraint programs_previous_id_fkey foreign key (previous_id) references app.programs (id),
  constraint programs_created_by_fkey foreign key (created_by) references app.users (id),
  constraint programs_school_id_campaign_id_revision_key unique (school_id, campaign_id, revision),
  constraint programs_title_length check (btrim(title) <> '' and char_length(title) <= 500),
  constraint programs_period_valid
    check (period_end >= period_start and period_end <= period_start + interval '5 years'),
  constraint programs_status_valid check (status in ('draft', 'submitted', 'returned', 'approved', 'superseded')),
  constraint programs_revision_positive check (revision > 0),
  constraint programs_previous_matches_revision check ((revision = 1) = (previous_id is null)),
  constraint programs_version_positive check (version > 0)
);
comment on table app.programs is
  'A school''s development program (программа развития) for the deficits of its accepted self-diagnostic in a campaign, in revisions: draft → submitted → approved | returned; an approved one is superseded when its next revision is approved';
comment on column app.programs.municipality_id is 'The school''s municipality when the program was created (lists and filters; scope goes through the school)';
comment on column app.programs.submission_id is 'The school''s accepted submission of the campaign: its deficits are what the program addresses';
comment on column app.programs.previous_id is 'The revision this one was made from (revise); NULL for revision 1';
comment on column app.programs.decided_at is 'When the municipality last approved or returned it';
-- One revision in the works and one in force per school and campaign.
create unique index programs_one_open_key on app.programs (school_id, campaign_id)
  where status in ('draft', 'submitted', 'returned');
create unique index programs_one_approved_key on app.programs (school_id, campaign_id) where status = 'approved';
create index programs_municipality_id_status_idx on app.programs (municipality_id, status);
create index programs_region_id_idx on app.programs (region_id);
create index programs_campaign_id_idx on app.programs (campaign_id);
create index programs_submission_id_idx on app.programs (submission_id);

create table app.program_measures (
  id                bigint generated always as identity,
  program_id        bigint not null,
  title             text not null,
  due_date          date not null,
  responsible       text not null,
  expected_result   text,
  status            text not null default 'planned',
  progress_note     text,
  progress_at       timestamptz,
  progress_by       bigint,
  position          integer not null,
  source_measure_id bigint,
  version           integer not null default 1,
  created_at        timestamptz not null default now(),
  updated_at        timestamptz not null default now(),
  constraint program_measures_pkey primary key (id),
  constraint program_measures_program_id_fkey foreign key (program_id) references app.programs (id),
  constraint program_measures_progress_by_fkey foreign key (progress_by) references app.users (id),
  constraint program_measures_source_measure_id_fkey foreign key (source_measure_id)
    references app.program_measures (id),
  constraint program_measures_title_length check (btrim(title) <> '' and char_length(title) <= 1000),
  constraint program_measures_responsible_length
    check (btrim(responsible) <> '' and char_length(responsible) <= 300),
  constraint program_measures_expected_result_length
    check (btrim(expected_result) <> '' and char_length(expected_result) <= 2000),
  constraint program_measures_status_valid check (status in ('planned', 'in_progress', 'done', 'not_done')),
  constraint program_measures_progress_note_length
    check (btrim(progress_note) <> '' and char_length(progress_note) <= 2000),
  -- done needs a note (what was achieved), not_done a reason.
  constraint program_measures_outcome_has_note check (status not in ('done', 'not_done') or progress_note is not null),
  constraint program_measures_version_positive check (version > 0)
);
comment on table app.program_measures is
  'Measures (мероприятия) of a program: what, by when (within the program period), who, the expected result, and the progress the school reports after approval';
comment on column app.program_measures.position is 'Order of entry within the program (ties of due_date)';
comment on column app.program_measures.source_measure_id is
  'The measure of the previous revision this one was copied from (revise); its progress is carried over on approval';
create index program_measures_program_id_idx on app.program_measures (program_id);
create index program_measures_source_measure_id_idx on app.program_measures (source_measure_id)
  where source_measure_id is not null;

create table app.program_measure_deficits (
  measure_id bigint not null,
  deficit_id bigint not null,
  constraint program_measure_deficits_pkey primary key (measure_id, deficit_id),
  constraint program_measure_deficits_measure_id_fkey foreign key (measure_id)
    references app.program_measures (id) on delete cascade,
  -- A rescored (reopened) submission may drop a deficit row: its links go with it.
  constraint program_measure_deficits_deficit_id_fkey foreign key (deficit_id)
    references app.deficits (id) on delete cascade
);
comment on table app.program_measure_deficits is
  'Which deficits and growth areas a measure addresses (deficits of the program''s own school and campaign only)';
create index program_measure_deficits_deficit_id_idx on app.program_measure_deficits (deficit_id);

create table app.program_analyses (
  program_id   bigint not null,
  direction_id bigint not null,
  text         text not null,
  updated_at   timestamptz not null default now(),
  constraint program_analyses_pkey primary key (program_id, direction_id),
  constraint program_analyses_program_id_fkey foreign key (program_id) references app.programs (id),
  constraint program_analyses_direction_id_fkey foreign key (direction_id) references app.directions (id),
  constraint program_analyses_text_length check (btrim(text) <> '' and char_length(text) <= 10000)
);
comment on table app.program_analyses is
  'The optional problem analysis of a program per direction of the instrument (results, deficits and their causes)';

create table app.program_comments (
  id                 bigint generated always as identity,
  program_id         bigint not null,
  text               text not null,
  at                 timestamptz not null default now(),
  user_id            bigint,
  actor_role         text,
  actor_name         text,
  actor_organisation text,
  constraint program_comments_pkey primary key (id),
  constraint program_comments_program_id_fkey foreign key (program_id) references app.programs (id),
  constraint program_comments_user_id_fkey foreign key (user_id) references app.users (id),
  constraint program_comments_text_length check (btrim(text) <> '' and char_length(text) <= 4000)
);
comment on table app.program_comments is
  'Comments on a program by the committee, ЛОИРО or the municipality (name and organisation as they were); they change neither its status nor its version';
create index program_comments_program_id_idx on app.program_comments (program_id, at, id);

create table app.program_events (
  id                 bigint generated always as identity,
  program_id         bigint not null,
  action             text not null,
  status             text not null,
  at                 timestamptz not null default now(),
  user_id            bigint,
  actor_role         text,
  actor_name         text,
  actor_organisation text,
  comment            text,
  constraint program_events_pkey primary key (id),
  constraint program_events_program_id_fkey foreign key (program_id) references app.programs (id),
  constraint program_events_user_id_fkey foreign key (user_id) references app.users (id),
  constraint program_events_action_valid
    check (action in ('create', 'submit', 'approve', 'return', 'revise', 'supersede')),
  constraint program_events_status_valid
    check (status in ('draft', 'submitted', 'returned', 'approved', 'superseded')),
  constraint program_events_comment_length check (char_length(comment) <= 2000)
);
comment on table app.program_events is
  'History of a program: each state change with who (name and organisation as they were), when and the comment';
create index program_events_program_id_idx on app.program_events (program_id, at, id);

-- Links of a practice: at most 10, each an http(s) URL of at most 500
-- characters without spaces. Immutable (used by a CHECK).
create or replace function app.links_valid(p_links text[]) returns boolean
language sql immutable
set search_path = app, pg_temp
as $$
  select coalesce(cardinality(p_links), 0) <= 10
         and not exists (select 1 from unnest(p_links) l
                         where l is null or char_length(l) > 500 or l !~ '^https?://[^[:space:]]+$')
$$;
revoke execute on function app.links_valid(text[]) from public;
comment on function app.links_valid(text[]) is 'Internal: at most 10 http(s) URLs of at most 500 characters (CHECK of practices)';

create table app.practices (
  id          bigint generated always as identity,
  region_id   bigint not null,
  title       text collate app.ru not null,
  body        text not null,
  links       text[] not null default '{}',
  created_by  bigint,
  author_name text,
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now(),
  version     integer not null default 1,
  constraint practices_pkey primary key (id),
  constraint practices_region_id_fkey foreign key (region_id) references app.regions (id),
  constraint practices_created_by_fkey foreign key (created_by) references app.users (id),
  constraint practices_title_length check (btrim(title) <> '' and char_length(title) <= 500),
  constraint practices_body_length check (btrim(body) <> '' and char_length(body) <= 20000),
  constraint practices_links_valid check (app.links_valid(links)),
  constraint practices_version_positive check (version > 0)
);
comment on table app.practices is
  'ЛОИРО''s library of methodological recommendations and successful practices («Мои успешные практики»), linked to the indicators they help with';
comment on column app.practices.author_name is 'Full name of the ЛОИРО user who wrote it, as it was';
create index practices_region_id_created_at_idx on app.practices (region_id, created_at desc);

create table app.practice_indicators (
  practice_id  bigint not null,
  indicator_id bigint not null,
  constraint practice_indicators_pkey primary key (practice_id, indicator_id),
  constraint practice_indicators_practice_id_fkey foreign key (practice_id)
    references app.practices (id) on delete cascade,
  constraint practice_indicators_indicator_id_fkey foreign key (indicator_id) references app.indicators (id)
);
comment on table app.practice_indicators is
  'Indicators a practice helps with (it is shown for every indicator of the same code in an instrument of the same code)';
create index practice_indicators_indicator_id_idx on app.practice_indicators (indicator_id);

create table app.partnerships (
  id               bigint generated always as identity,
  region_id        bigint not null,
  municipality_id  bigint not null,
  school_id        bigint not null,
  mentor_school_id bigint not null,
  created_by       bigint,
  created_at       timestamptz not null default now(),
  constraint partnerships_pkey primary key (id),
  constraint partnerships_region_id_fkey foreign key (region_id) references app.regions (id),
  constraint partnerships_municipality_id_fkey foreign key (municipality_id) references app.municipalities (id),
  constraint partnerships_school_id_fkey foreign key (school_id) references app.schools (id),
  constraint partnerships_mentor_school_id_fkey foreign key (mentor_school_id) references app.schools (id),
  constraint partnerships_created_by_fkey foreign key (created_by) references app.users (id),
  constraint partnerships_school_id_mentor_school_id_key unique (school_id, mentor_school_id),
  constraint partnerships_not_self check (school_id <> mentor_school_id)
);
comment on table app.partnerships is
  'Network mentoring (сетевое наставничество): a school paired with a mentor school of the region, recorded by the mentee school''s municipality';
comment on column app.partnerships.municipality_id is 'The mentee school''s municipality (the one that recorded it)';
create index partnerships_municipality_id_idx on app.partnerships (municipality_id);
create index partnerships_mentor_school_id_idx on app.partnerships (mentor_school_id);

create table app.partnership_indicators (
  partnership_id bigint not null,
  indicator_id   bigint not null,
  constraint partnership_indicators_pkey primary key (partnership_id, indicator_id),
  constraint partnership_indicators_partnership_id_fkey foreign key (partnership_id)
    references app.partnerships (id) on delete cascade,
  constraint partnership_indicators_indicator_id_fkey foreign key (indicator_id) references app.indicators (id)
);
comment on table app.partnership_indicators is 'The indicators a partnership works on (may be none)';

reset role;
