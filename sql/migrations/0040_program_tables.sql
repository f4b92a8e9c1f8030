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
-- functions: 0043 (programs, deficits), 0044 (practices, mentors,
-- partnerships). Every table is audited (programs, comments, practices and
-- partnerships by app.audit_row; measures per statement, so that the demo's
-- bulk writes stay cheap; the link tables and analyses, which have no id
-- column, per statement by app.audit_statement_keyed);
-- deficit close and elimination write
-- explicit audit rows (entity deficits, action close / eliminate).

set local role orientir_owner;

------------------------------------------------------------------------------
-- Versions: like app.bump_version (0002), but a writer may also move the
-- version itself. A program's version must move when its measures, their
-- deficit links or its analyses change (an approve with If-Match then
-- approves exactly what the reviewer saw), and a measure's (or practice's)
-- when its links change: the state functions do that by setting
-- version = version + 1 on the parent row, which app.bump_version would undo
-- (nothing else in the row changed).
------------------------------------------------------------------------------

create function app.bump_version_explicit() returns trigger
language plpgsql
set search_path = app, pg_temp
as $$
begin
  if new.version is distinct from old.version
     or (to_jsonb(new) - array['version', 'updated_at']) is distinct from (to_jsonb(old) - array['version', 'updated_at']) then
    new.version := old.version + 1;
    new.updated_at := now();
  else
    new.updated_at := old.updated_at;
  end if;
  return new;
end
$$;
comment on function app.bump_version_explicit() is
  'Trigger: version + 1 and updated_at = now() on a real change, or when the writer moved the version (a change to the row''s children)';

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

-- Eliminated and closed deficits are final; a deficit moves only open →
-- in_work, open|in_work → eliminated|closed. (Rescoring a reopened submission
-- may still rewrite kind/points of a row: the lifecycle columns are what is
-- guarded.)
create function app.deficit_guard() returns trigger
language plpgsql
set search_path = app, pg_temp
as $$
begin
  if old.status in ('eliminated', 'closed') then
    perform app.raise_conflict_state(case old.status when 'eliminated' then 'Дефицит уже устранён'
                                                     else 'Дефицит уже закрыт' end);
  end if;
  if not ((old.status, new.status) in (('open', 'in_work'), ('open', 'eliminated'), ('open', 'closed'),
                                        ('in_work', 'eliminated'), ('in_work', 'closed'))) then
    perform app.raise_conflict_state(format('Недопустимый переход дефицита: %s → %s', old.status, new.status));
  end if;
  return new;
end
$$;
comment on function app.deficit_guard() is
  'Trigger: deficits move only open → in_work → eliminated|closed (eliminated and closed are final)';

-- Marks as eliminated the open/in_work deficits of these schools that a
-- later accepted submission of the same school meets: the same indicator —
-- same instrument code and indicator code, so variants and versions compare
-- — answered above 0 points (a deficit row) or at its maximum (a growth
-- row), in a campaign that opened later than the deficit's. The earliest
-- such submission is recorded as eliminated_by; each change is audited
-- (entity deficits, action eliminate). Set-based: the trigger below and the
-- migration's backfill call it for many schools at once.
create function app.deficits_eliminate(p_school_ids bigint[]) returns integer
language plpgsql
security definer
set search_path = app, pg_temp
as $$
declare
  v_count integer;
begin
  with met as (
    select s.id as submission_id, s.school_id, c.opens_on, i.code as instrument_code, x.code as indicator_code,
           a.points, x.max_points
    from app.submissions s
    join app.campaigns c on c.id = s.campaign_id
    join app.instruments i on i.id = s.instrument_id
    join app.answers a on a.submission_id = s.id
    join app.indicators x on x.id = a.indicator_id
    where s.school_id = any (p_school_ids) and s.status = 'accepted' and a.points > 0
  ),
  hit as (
    select distinct on (df.id) df.id, df.status as old_status, m.submission_id
    from app.deficits df
    join app.campaigns c on c.id = df.campaign_id
    join app.indicators x on x.id = df.indicator_id
    join app.instruments i on i.id = x.instrument_id
    join met m on m.school_id = df.school_id and m.instrument_code = i.code and m.indicator_code = x.code
              and m.opens_on > c.opens_on
    where df.school_id = any (p_school_ids) and df.status in ('open', 'in_work')
      and (df.kind = 'deficit' or m.points >= m.max_points)
    order by df.id, m.opens_on, m.submission_id
  ),
  done as (
    update app.deficits df
    set status = 'eliminated', status_at = now(), eliminated_by = h.submission_id
    from hit h
    where df.id = h.id
    returning df.id, h.old_status, h.submission_id
  )
  insert into app.audit_log (user_id, role, request_id, action, entity, entity_id, before, after)
  select app.claim_user_id(), coalesce(app.claim_role(), 'system'), nullif(current_setting('request.id', true), ''),
         'eliminate', 'deficits', d.id, jsonb_build_object('status', d.old_status),
         jsonb_build_object('status', 'eliminated', 'eliminated_by', d.submission_id)
  from done d;
  get diagnostics v_count = row_count;
  return v_count;
end
$$;
comment on function app.deficits_eliminate(bigint[]) is
  'Internal: eliminate the open/in_work deficits of these schools met by a later accepted submission (audited)';

-- Statement trigger of submissions (INSERT and UPDATE): the schools whose
-- submission became accepted in this statement get the lifecycle applied.
-- Per statement with transition tables: the demo accepts hundreds at once.
create function app.submissions_accepted_eliminate() returns trigger
language plpgsql
security definer
set search_path = app, pg_temp
as $$
begin
  if tg_op = 'INSERT' then
    perform app.deficits_eliminate(array(select distinct n.school_id from new_rows n where n.status = 'accepted'));
  else
    perform app.deficits_eliminate(array(select distinct n.school_id from new_rows n join old_rows o on o.id = n.id
                                         where n.status = 'accepted' and o.status <> 'accepted'));
  end if;
  return null;
end
$$;
comment on function app.submissions_accepted_eliminate() is
  'Trigger (per statement): a submission becoming accepted eliminates the earlier deficits of its school it meets';

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

------------------------------------------------------------------------------
-- Practices and partnerships
------------------------------------------------------------------------------

-- Links of a practice: at most 10, each an http(s) URL of at most 500
-- characters without spaces. Immutable (used by a CHECK).
create function app.links_valid(p_links text[]) returns boolean
language sql immutable
set search_path = app, pg_temp
as $$
  select coalesce(cardinality(p_links), 0) <= 10
         and not exists (select 1 from unnest(p_links) l
                         where l is null or char_length(l) > 500 or l !~ '^https?://[^[:space:]]+$')
$$;
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

------------------------------------------------------------------------------
-- Guards
------------------------------------------------------------------------------

-- The state machine of a program, whoever writes the row:
--   draft → submitted, returned → submitted (submit), submitted → approved,
--   submitted → returned (municipality), approved → superseded (its next
--   revision approved). Its school, campaign, submission, revision and
--   lineage never change; its own fields (title, period) only while draft or
--   returned; a superseded program is frozen. A same-status write that only
--   moves the version (a child changed) is allowed in any other state.
create function app.program_guard() returns trigger
language plpgsql
set search_path = app, pg_temp
as $$
begin
  if (new.region_id, new.municipality_id, new.school_id, new.campaign_id, new.submission_id, new.revision,
      new.previous_id, new.created_by, new.created_at)
     is distinct from (old.region_id, old.municipality_id, old.school_id, old.campaign_id, old.submission_id,
                       old.revision, old.previous_id, old.created_by, old.created_at) then
    perform app.raise_conflict_state('Школу, кампанию и редакцию программы изменить нельзя');
  end if;
  if old.status = 'superseded' and to_jsonb(new) is distinct from to_jsonb(old) then
    perform app.raise_conflict_state('Программа заменена новой редакцией и не может быть изменена');
  end if;
  if not ((old.status, new.status) in (('draft', 'submitted'), ('returned', 'submitted'),
                                        ('submitted', 'approved'), ('submitted', 'returned'),
                                        ('approved', 'superseded'), ('draft', 'draft'), ('returned', 'returned'),
                                        ('submitted', 'submitted'), ('approved', 'approved'),
                                        ('superseded', 'superseded'))) then
    perform app.raise_conflict_state(format('Недопустимый переход программы: %s → %s', old.status, new.status));
  end if;
  if old.status not in ('draft', 'returned')
     and (new.title, new.period_start, new.period_end) is distinct from (old.title, old.period_start, old.period_end) then
    perform app.raise_conflict_state('Программу можно изменять только в черновике или после возврата на доработку');
  end if;
  return new;
end
$$;
comment on function app.program_guard() is
  'Trigger: programs move only draft/returned → submitted → approved|returned, approved → superseded; content only while draft/returned';

-- Measures, per statement (transition tables; bulk writes cost one check):
-- inserted, deleted or edited only while their program is draft or returned;
-- progress (status, progress_note, progress_at, progress_by) changes only
-- while it is approved; a measure never moves to another program or changes
-- its source; its due date lies within the program period (OR422, field
-- due_date — the functions say it first, with the dates).
create function app.program_measures_guard() returns trigger
language plpgsql
security definer
set search_path = app, pg_temp
as $$
declare
  v_period record;
begin
  -- Changed rows are found with EXCEPT, not by joining the two transition
  -- tables: they have no statistics, and a nested loop over thousands of
  -- rows (the demo's bulk progress update) would be quadratic.
  if tg_op = 'UPDATE' then
    if exists (select n.id, n.program_id, n.source_measure_id, n.position, n.created_at from new_rows n
               except
               select o.id, o.program_id, o.source_measure_id, o.position, o.created_at from old_rows o) then
      perform app.raise_conflict_state('Мероприятие нельзя перенести в другую программу');
    end if;
    if exists (select 1 from (select n.id, n.program_id, n.title, n.due_date, n.responsible, n.expected_result
                              from new_rows n
                              except
                              select o.id, o.program_id, o.title, o.due_date, o.responsible, o.expected_result
                              from old_rows o) c
               join app.programs p on p.id = c.program_id
               where p.status not in ('draft', 'returned')) then
      perform app.raise_conflict_state('Мероприятия можно изменять только в черновике или после возврата на доработку');
    end if;
    if exists (select 1 from (select n.id, n.program_id, n.status, n.progress_note, n.progress_at, n.progress_by
                              from new_rows n
                              except
                              select o.id, o.program_id, o.status, o.progress_note, o.progress_at, o.progress_by
                              from old_rows o) c
               join app.programs p on p.id = c.program_id
               where p.status <> 'approved') then
      perform app.raise_conflict_state('Ход выполнения отмечается только в утверждённой программе');
    end if;
  elsif tg_op = 'INSERT' then
    if exists (select 1 from new_rows r join app.programs p on p.id = r.program_id
               where p.status not in ('draft', 'returned')) then
      perform app.raise_conflict_state('Мероприятия можно изменять только в черновике или после возврата на доработку');
    end if;
  elsif exists (select 1 from old_rows r join app.programs p on p.id = r.program_id
                where p.status not in ('draft', 'returned')) then
    perform app.raise_conflict_state('Мероприятия можно изменять только в черновике или после возврата на доработку');
  end if;
  if tg_op <> 'DELETE' then
    select r.due_date, p.period_start, p.period_end into v_period
    from new_rows r join app.programs p on p.id = r.program_id
    where r.due_date not between p.period_start and p.period_end
    limit 1;
    if found then
      perform app.raise_if_invalid(jsonb_build_array(app.field_error('due_date', 'invalid',
        format('Срок должен быть в периоде программы: %s — %s', to_char(v_period.period_start, 'DD.MM.YYYY'),
               to_char(v_period.period_end, 'DD.MM.YYYY')))));
    end if;
  end if;
  return null;
end
$$;
comment on function app.program_measures_guard() is
  'Trigger (per statement): measures change only while their program is draft/returned, progress only while approved; due dates within the period';

-- Deficit links, per statement: a measure addresses only deficits of its
-- program's own school and campaign (OR422 field deficit_ids), and links
-- change only while the program is draft or returned. Links removed because
-- their deficit row went away (a reopened submission rescored) or with their
-- measure are not refused here: the measure's own guard covers the latter.
create function app.program_measure_deficits_guard() returns trigger
language plpgsql
security definer
set search_path = app, pg_temp
as $$
begin
  if tg_op = 'INSERT' then
    if exists (select 1 from changed_rows r
               join app.program_measures m on m.id = r.measure_id
               join app.programs p on p.id = m.program_id
               join app.deficits df on df.id = r.deficit_id
               where (df.school_id, df.campaign_id) is distinct from (p.school_id, p.campaign_id)) then
      perform app.raise_if_invalid(jsonb_build_array(app.field_error('deficit_ids', 'not_found',
        'Мероприятие может быть направлено только на дефициты своей школы в этой самодиагностике')));
    end if;
  end if;
  if exists (select 1 from changed_rows r
             join app.program_measures m on m.id = r.measure_id
             join app.programs p on p.id = m.program_id
             where p.status not in ('draft', 'returned')
               and exists (select 1 from app.deficits df where df.id = r.deficit_id)) then
    perform app.raise_conflict_state('Мероприятия можно изменять только в черновике или после возврата на доработку');
  end if;
  return null;
end
$$;
comment on function app.program_measure_deficits_guard() is
  'Trigger (per statement): links only to deficits of the program''s school and campaign, only while draft/returned';

-- The analysis of a program changes only while it is draft or returned.
create function app.program_analyses_guard() returns trigger
language plpgsql
security definer
set search_path = app, pg_temp
as $$
begin
  if exists (select 1 from changed_rows r join app.programs p on p.id = r.program_id
             where p.status not in ('draft', 'returned')) then
    perform app.raise_conflict_state('Программу можно изменять только в черновике или после возврата на доработку');
  end if;
  return null;
end
$$;
comment on function app.program_analyses_guard() is
  'Trigger (per statement): analyses change only while their program is draft or returned';

-- Statement-level audit for tables keyed by another column than id (the
-- link tables and analyses): entity_id is the column named by the trigger's
-- argument (the measure, program, practice or partnership).
create function app.audit_statement_keyed() returns trigger
language plpgsql
security definer
set search_path = app, pg_temp
as $$
declare
  v_user    bigint := app.claim_user_id();
  v_role    text := coalesce(app.claim_role(), 'system');
  v_request text := nullif(current_setting('request.id', true), '');
  v_key     text := tg_argv[0];
begin
  if tg_op = 'INSERT' then
    insert into app.audit_log (user_id, role, request_id, action, entity, entity_id, before, after)
    select v_user, v_role, v_request, 'insert', tg_table_name, (to_jsonb(n) ->> v_key)::bigint, null, to_jsonb(n)
    from new_rows n;
  elsif tg_op = 'UPDATE' then
    -- Keyed tables are updated only by the analyses upsert (one row per key
    -- pair): pair old and new rows by their whole primary key.
    insert into app.audit_log (user_id, role, request_id, action, entity, entity_id, before, after)
    select v_user, v_role, v_request, 'update', tg_table_name, (to_jsonb(n) ->> v_key)::bigint, to_jsonb(o), to_jsonb(n)
    from old_rows o join new_rows n on n.program_id = o.program_id and n.direction_id = o.direction_id
    where to_jsonb(o) <> to_jsonb(n);
  else
    insert into app.audit_log (user_id, role, request_id, action, entity, entity_id, before, after)
    select v_user, v_role, v_request, 'delete', tg_table_name, (to_jsonb(o) ->> v_key)::bigint, to_jsonb(o), null
    from old_rows o;
  end if;
  return null;
end
$$;
comment on function app.audit_statement_keyed() is
  'Trigger (per statement): audit rows of a table without an id column; entity_id = the column named by the argument';

-- The UPDATE branch of app.audit_statement (0009) for bulk updates: it pairs
-- old and new rows by a join of the two transition tables, which have no
-- statistics, so the planner picks a nested loop — quadratic for the demo's
-- thousands of measures. Here the pairing is forced to a hash join.
create function app.audit_statement_update() returns trigger
language plpgsql
security definer
set search_path = app, pg_temp
set enable_nestloop = off
as $$
begin
  insert into app.audit_log (user_id, role, request_id, action, entity, entity_id, before, after)
  select app.claim_user_id(), coalesce(app.claim_role(), 'system'), nullif(current_setting('request.id', true), ''),
         'update', tg_table_name, n.id, to_jsonb(o), to_jsonb(n)
  from old_rows o join new_rows n on n.id = o.id
  where to_jsonb(o) <> to_jsonb(n);
  return null;
end
$$;
comment on function app.audit_statement_update() is
  'Trigger (per statement, UPDATE): audit the updated rows with before and after, pairing them by a hash join';

revoke execute on function app.audit_statement_update(), app.bump_version_explicit(), app.deficit_guard(), app.deficits_eliminate(bigint[]),
  app.submissions_accepted_eliminate(), app.links_valid(text[]), app.program_guard(),
  app.program_measures_guard(), app.program_measure_deficits_guard(), app.program_analyses_guard(),
  app.audit_statement_keyed()
  from public;

-- Only when a lifecycle column changes: rescoring and acceptance rewrite
-- thousands of rows (kind, points, official) without calling the guard.
create trigger deficits_guard before update on app.deficits
  for each row
  when ((new.status, new.closed_reason, new.closed_by, new.eliminated_by)
        is distinct from (old.status, old.closed_reason, old.closed_by, old.eliminated_by))
  execute function app.deficit_guard();
create trigger submissions_accepted_insert after insert on app.submissions
  referencing new table as new_rows
  for each statement execute function app.submissions_accepted_eliminate();
create trigger submissions_accepted_update after update on app.submissions
  referencing old table as old_rows new table as new_rows
  for each statement execute function app.submissions_accepted_eliminate();

create trigger programs_guard before update on app.programs
  for each row execute function app.program_guard();
create trigger programs_bump_version before update on app.programs
  for each row execute function app.bump_version_explicit();
create trigger programs_audit after insert or update or delete on app.programs
  for each row execute function app.audit_row();

create trigger program_measures_guard_insert after insert on app.program_measures
  referencing new table as new_rows
  for each statement execute function app.program_measures_guard();
create trigger program_measures_guard_update after update on app.program_measures
  referencing old table as old_rows new table as new_rows
  for each statement execute function app.program_measures_guard();
create trigger program_measures_guard_delete after delete on app.program_measures
  referencing old table as old_rows
  for each statement execute function app.program_measures_guard();
create trigger program_measures_bump_version before update on app.program_measures
  for each row execute function app.bump_version_explicit();
create trigger program_measures_audit_insert after insert on app.program_measures
  referencing new table as new_rows
  for each statement execute function app.audit_statement();
create trigger program_measures_audit_update after update on app.program_measures
  referencing old table as old_rows new table as new_rows
  for each statement execute function app.audit_statement_update();
create trigger program_measures_audit_delete after delete on app.program_measures
  referencing old table as old_rows
  for each statement execute function app.audit_statement();

create trigger program_measure_deficits_guard_insert after insert on app.program_measure_deficits
  referencing new table as changed_rows
  for each statement execute function app.program_measure_deficits_guard();
create trigger program_measure_deficits_guard_delete after delete on app.program_measure_deficits
  referencing old table as changed_rows
  for each statement execute function app.program_measure_deficits_guard();
create trigger program_measure_deficits_audit_insert after insert on app.program_measure_deficits
  referencing new table as new_rows
  for each statement execute function app.audit_statement_keyed('measure_id');
create trigger program_measure_deficits_audit_delete after delete on app.program_measure_deficits
  referencing old table as old_rows
  for each statement execute function app.audit_statement_keyed('measure_id');

create trigger program_analyses_guard_insert after insert on app.program_analyses
  referencing new table as changed_rows
  for each statement execute function app.program_analyses_guard();
create trigger program_analyses_guard_update after update on app.program_analyses
  referencing new table as changed_rows
  for each statement execute function app.program_analyses_guard();
create trigger program_analyses_guard_delete after delete on app.program_analyses
  referencing old table as changed_rows
  for each statement execute function app.program_analyses_guard();
create trigger program_analyses_audit_insert after insert on app.program_analyses
  referencing new table as new_rows
  for each statement execute function app.audit_statement_keyed('program_id');
create trigger program_analyses_audit_update after update on app.program_analyses
  referencing old table as old_rows new table as new_rows
  for each statement execute function app.audit_statement_keyed('program_id');
create trigger program_analyses_audit_delete after delete on app.program_analyses
  referencing old table as old_rows
  for each statement execute function app.audit_statement_keyed('program_id');

create trigger program_comments_audit after insert or update or delete on app.program_comments
  for each row execute function app.audit_row();

create trigger practices_bump_version before update on app.practices
  for each row execute function app.bump_version_explicit();
create trigger practices_audit after insert or update or delete on app.practices
  for each row execute function app.audit_row();
create trigger practice_indicators_audit_insert after insert on app.practice_indicators
  referencing new table as new_rows
  for each statement execute function app.audit_statement_keyed('practice_id');
create trigger practice_indicators_audit_delete after delete on app.practice_indicators
  referencing old table as old_rows
  for each statement execute function app.audit_statement_keyed('practice_id');

create trigger partnerships_audit after insert or update or delete on app.partnerships
  for each row execute function app.audit_row();
create trigger partnership_indicators_audit_insert after insert on app.partnership_indicators
  referencing new table as new_rows
  for each statement execute function app.audit_statement_keyed('partnership_id');
create trigger partnership_indicators_audit_delete after delete on app.partnership_indicators
  referencing old table as old_rows
  for each statement execute function app.audit_statement_keyed('partnership_id');

------------------------------------------------------------------------------
-- An existing database: deficits already met by a later accepted
-- self-diagnostic are eliminated now (audited as the system), so the data
-- agrees with what the trigger will do from here on.
------------------------------------------------------------------------------

select app.deficits_eliminate(array(select distinct s.school_id from app.submissions s where s.status = 'accepted'));

reset role;
