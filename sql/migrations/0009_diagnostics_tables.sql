-- 0009_diagnostics_tables: the tables of self-diagnostics (issue 3) —
-- instruments (a versioned questionnaire: directions → indicators → options),
-- campaigns (an instrument run for a period over a set of schools), school
-- submissions with their answers, results and history, and the deficits
-- derived from them — plus the triggers that keep them honest: published
-- instruments are immutable, submissions move only along the state machine,
-- answers change only while their submission is editable, and every mutation
-- a person makes is audited.
--
-- Created as orientir_owner. Privileges: 0010; RLS policies: 0011; functions:
-- sql/functions/ (instruments, campaigns, submissions, deficits).
-- Levels everywhere: below_basic, basic, medium, high. Points are integers.

set local role orientir_owner;

------------------------------------------------------------------------------
-- Instruments
------------------------------------------------------------------------------

create table app.instruments (
  id               bigint generated always as identity,
  region_id        bigint not null,
  code             text not null,
  version          integer not null,
  title            text collate app.ru not null,
  applies_levels   text[] not null default '{}',
  applies_ovz      boolean,
  critical_rule    boolean not null default false,
  threshold_basic  integer not null,
  threshold_medium integer not null,
  threshold_high   integer not null,
  max_points       integer not null,
  status           text not null default 'draft',
  document         json not null,
  created_by       bigint,
  created_at       timestamptz not null default now(),
  published_at     timestamptz,
  constraint instruments_pkey primary key (id),
  constraint instruments_region_id_fkey foreign key (region_id) references app.regions (id),
  constraint instruments_created_by_fkey foreign key (created_by) references app.users (id),
  constraint instruments_region_id_code_version_key unique (region_id, code, version),
  constraint instruments_code_format check (code ~ '^[A-Za-z0-9._-]{1,32}$'),
  constraint instruments_version_positive check (version > 0),
  constraint instruments_title_length check (btrim(title) <> '' and char_length(title) <= 500),
  constraint instruments_applies_levels_valid
    check (array_position(applies_levels, null) is null
           and applies_levels <@ array['primary', 'basic', 'secondary']::text[]),
  constraint instruments_thresholds_rising
    check (threshold_basic > 0 and threshold_basic < threshold_medium
           and threshold_medium < threshold_high and threshold_high <= max_points),
  constraint instruments_status_valid check (status in ('draft', 'published')),
  constraint instruments_published_at_matches_status
    check ((status = 'published') = (published_at is not null))
);
comment on table app.instruments is
  'Self-diagnostic questionnaires of a region, versioned by (code, version); drafts until published, then immutable';
comment on column app.instruments.applies_levels is
  'applies_to.levels: levels of education a school must offer for this variant to fit it (empty: any school)';
comment on column app.instruments.applies_ovz is
  'applies_to.ovz: the school''s has_ovz_pupils must equal it; NULL: either';
comment on column app.instruments.critical_rule is
  'When true, any critical indicator at 0 points makes the overall level below_basic';
comment on column app.instruments.max_points is 'Sum of the directions'' maxima';
comment on column app.instruments.document is
  'The JSON document exactly as loaded (json, not jsonb: key order and layout kept), returned by the export';

create table app.directions (
  id               bigint generated always as identity,
  instrument_id    bigint not null,
  code             text not null,
  title            text collate app.ru not null,
  position         integer not null,
  threshold_basic  integer not null,
  threshold_medium integer not null,
  threshold_high   integer not null,
  max_points       integer not null,
  constraint directions_pkey primary key (id),
  constraint directions_instrument_id_fkey foreign key (instrument_id) references app.instruments (id),
  constraint directions_id_instrument_id_key unique (id, instrument_id),
  constraint directions_instrument_id_code_key unique (instrument_id, code),
  constraint directions_instrument_id_position_key unique (instrument_id, position),
  constraint directions_code_format check (code ~ '^[A-Za-z0-9._-]{1,32}$'),
  constraint directions_title_length check (btrim(title) <> '' and char_length(title) <= 500),
  constraint directions_thresholds_rising
    check (threshold_basic > 0 and threshold_basic < threshold_medium
           and threshold_medium < threshold_high and threshold_high <= max_points)
);
comment on table app.directions is
  'Directions (направления) of an instrument, in document order (position 1..n), with their level thresholds';
comment on column app.directions.max_points is 'Sum of its indicators'' maxima';

create table app.indicators (
  id            bigint generated always as identity,
  instrument_id bigint not null,
  direction_id  bigint not null,
  code          text not null,
  text          text not null,
  hint          text,
  critical      boolean not null default false,
  position      integer not null,
  max_points    integer not null,
  constraint indicators_pkey primary key (id),
  constraint indicators_direction_fkey foreign key (direction_id, instrument_id)
    references app.directions (id, instrument_id),
  constraint indicators_id_instrument_id_key unique (id, instrument_id),
  constraint indicators_instrument_id_code_key unique (instrument_id, code),
  constraint indicators_direction_id_position_key unique (direction_id, position),
  constraint indicators_code_format check (code ~ '^[A-Za-z0-9._-]{1,32}$'),
  constraint indicators_text_length check (btrim(text) <> '' and char_length(text) <= 2000),
  constraint indicators_hint_length check (char_length(hint) <= 4000),
  constraint indicators_max_points_positive check (max_points > 0)
);
comment on table app.indicators is
  'Indicators (показатели) of an instrument; the code is unique in the instrument and kept across versions, so results of campaigns compare by code';
comment on column app.indicators.position is 'Order within its direction, 1..n';
comment on column app.indicators.max_points is 'The highest points of its options';

create table app.indicator_options (
  id            bigint generated always as identity,
  instrument_id bigint not null,
  indicator_id  bigint not null,
  value         text not null,
  label         text not null,
  points        integer not null,
  position      integer not null,
  constraint indicator_options_pkey primary key (id),
  constraint indicator_options_indicator_fkey foreign key (indicator_id, instrument_id)
    references app.indicators (id, instrument_id),
  constraint indicator_options_id_indicator_id_instrument_id_key unique (id, indicator_id, instrument_id),
  constraint indicator_options_indicator_id_value_key unique (indicator_id, value),
  constraint indicator_options_indicator_id_position_key unique (indicator_id, position),
  constraint indicator_options_value_format check (value ~ '^[A-Za-z0-9._-]{1,32}$'),
  constraint indicator_options_label_length check (btrim(label) <> '' and char_length(label) <= 200),
  constraint indicator_options_points_range check (points between 0 and 1000)
);
comment on table app.indicator_options is
  'Answer options of an indicator: the value a school sends, the label it sees, the points it scores';
comment on column app.indicator_options.instrument_id is
  'The indicator''s instrument (kept here so that one foreign key of answers checks option, indicator and instrument together)';

------------------------------------------------------------------------------
-- Campaigns
------------------------------------------------------------------------------

create table app.campaigns (
  id         bigint generated always as identity,
  region_id  bigint not null,
  title      text collate app.ru not null,
  opens_on   date not null,
  closes_on  date not null,
  target     jsonb not null,
  version    integer not null default 1,
  created_by bigint,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint campaigns_pkey primary key (id),
  constraint campaigns_region_id_fkey foreign key (region_id) references app.regions (id),
  constraint campaigns_created_by_fkey foreign key (created_by) references app.users (id),
  constraint campaigns_title_length check (btrim(title) <> '' and char_length(title) <= 500),
  constraint campaigns_dates_ordered check (closes_on >= opens_on),
  constraint campaigns_target_shape check (jsonb_typeof(target) = 'object'),
  constraint campaigns_version_positive check (version > 0)
);
comment on table app.campaigns is
  'A run of one or more instrument variants over a period and a set of schools; status (planned/open/closed) is computed from the dates in Europe/Moscow';
comment on column app.campaigns.target is
  'The target as given: {"all": true} | {"municipality_ids": [...]} | {"school_ids": [...]} (ids sorted, distinct)';
comment on column app.campaigns.closes_on is 'Last day (inclusive, Moscow time) on which schools may edit and submit';
create index campaigns_region_id_opens_on_idx on app.campaigns (region_id, opens_on);

create table app.campaign_instruments (
  campaign_id   bigint not null,
  instrument_id bigint not null,
  position      integer not null,
  constraint campaign_instruments_pkey primary key (campaign_id, instrument_id),
  constraint campaign_instruments_campaign_id_fkey foreign key (campaign_id) references app.campaigns (id),
  constraint campaign_instruments_instrument_id_fkey foreign key (instrument_id) references app.instruments (id),
  constraint campaign_instruments_campaign_id_position_key unique (campaign_id, position)
);
comment on table app.campaign_instruments is
  'The instrument variants of a campaign in order: a school answers the first one whose applies_to fits it';
create index campaign_instruments_instrument_id_idx on app.campaign_instruments (instrument_id);

create table app.campaign_schools (
  campaign_id   bigint not null,
  school_id     bigint not null,
  instrument_id bigint not null,
  constraint campaign_schools_pkey primary key (campaign_id, school_id),
  constraint campaign_schools_campaign_instrument_fkey foreign key (campaign_id, instrument_id)
    references app.campaign_instruments (campaign_id, instrument_id),
  constraint campaign_schools_school_id_fkey foreign key (school_id) references app.schools (id),
  constraint campaign_schools_campaign_id_school_id_instrument_id_key
    unique (campaign_id, school_id, instrument_id)
);
comment on table app.campaign_schools is
  'The schools a campaign targets, each with the instrument variant resolved when the campaign was created';
create index campaign_schools_school_id_idx on app.campaign_schools (school_id);

------------------------------------------------------------------------------
-- Submissions
------------------------------------------------------------------------------

create table app.submissions (
  id            bigint generated always as identity,
  campaign_id   bigint not null,
  school_id     bigint not null,
  instrument_id bigint not null,
  status        text not null default 'draft',
  version       integer not null default 1,
  total_points  integer,
  max_points    integer,
  level         text,
  submitted_at  timestamptz,
  decided_at    timestamptz,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  constraint submissions_pkey primary key (id),
  constraint submissions_campaign_school_fkey foreign key (campaign_id, school_id, instrument_id)
    references app.campaign_schools (campaign_id, school_id, instrument_id),
  constraint submissions_campaign_id_school_id_key unique (campaign_id, school_id),
  constraint submissions_id_instrument_id_key unique (id, instrument_id),
  constraint submissions_id_campaign_id_school_id_key unique (id, campaign_id, school_id),
  constraint submissions_status_valid check (status in ('draft', 'submitted', 'returned', 'accepted')),
  constraint submissions_level_valid check (level in ('below_basic', 'basic', 'medium', 'high')),
  constraint submissions_result_complete
    check ((total_points is null) = (max_points is null) and (total_points is null) = (level is null)),
  constraint submissions_result_after_submit check (status = 'draft' or total_points is not null),
  constraint submissions_version_positive check (version > 0)
);
comment on table app.submissions is
  'A school''s self-diagnostic in a campaign (one per school and campaign): draft → submitted → accepted, or returned → submitted again; the result columns hold the last submit''s score';
comment on column app.submissions.version is
  'Optimistic-lock version: every write (an answer, a state change) adds 1; set by the state functions, not by trigger';
comment on column app.submissions.level is 'Overall level of the last submit, with the instrument''s critical rule applied';
create index submissions_school_id_idx on app.submissions (school_id);
create index submissions_campaign_id_status_idx on app.submissions (campaign_id, status);

create table app.answers (
  id            bigint generated always as identity,
  submission_id bigint not null,
  instrument_id bigint not null,
  indicator_id  bigint not null,
  option_id     bigint not null,
  points        integer not null,
  comment       text,
  updated_at    timestamptz not null default now(),
  updated_by    bigint,
  constraint answers_pkey primary key (id),
  constraint answers_submission_fkey foreign key (submission_id, instrument_id)
    references app.submissions (id, instrument_id),
  -- The option belongs to the indicator, and the indicator to the submission's
  -- instrument: one check. (updated_by has no foreign key: only definer code
  -- writes it, from the claims; bulk writes stay cheap.)
  constraint answers_option_fkey foreign key (option_id, indicator_id, instrument_id)
    references app.indicator_options (id, indicator_id, instrument_id),
  constraint answers_submission_id_indicator_id_key unique (submission_id, indicator_id),
  constraint answers_comment_length check (char_length(comment) <= 2000)
);
comment on table app.answers is
  'One answer per indicator of a submission: the chosen option (its points copied, options being immutable) and an optional comment';

create table app.submission_directions (
  submission_id bigint not null,
  direction_id  bigint not null,
  points        integer not null,
  max_points    integer not null,
  level         text not null,
  constraint submission_directions_pkey primary key (submission_id, direction_id),
  constraint submission_directions_submission_id_fkey foreign key (submission_id) references app.submissions (id),
  constraint submission_directions_direction_id_fkey foreign key (direction_id) references app.directions (id),
  constraint submission_directions_level_valid check (level in ('below_basic', 'basic', 'medium', 'high'))
);
comment on table app.submission_directions is
  'Per-direction result of a submission''s last submit (derived by app.submissions_score)';

create table app.submission_events (
  id                 bigint generated always as identity,
  submission_id      bigint not null,
  action             text not null,
  status             text not null,
  at                 timestamptz not null default now(),
  user_id            bigint,
  actor_role         text,
  actor_name         text,
  actor_organisation text,
  comment            text,
  constraint submission_events_pkey primary key (id),
  constraint submission_events_submission_id_fkey foreign key (submission_id) references app.submissions (id),
  constraint submission_events_user_id_fkey foreign key (user_id) references app.users (id),
  constraint submission_events_action_valid
    check (action in ('open', 'submit', 'accept', 'return', 'reopen')),
  constraint submission_events_status_valid check (status in ('draft', 'submitted', 'returned', 'accepted')),
  constraint submission_events_comment_length check (char_length(comment) <= 2000)
);
comment on table app.submission_events is
  'History of a submission: each state change with who (name and organisation as they were), when and the comment';
create index submission_events_submission_id_at_idx on app.submission_events (submission_id, at, id);

create table app.deficits (
  id            bigint generated always as identity,
  submission_id bigint not null,
  school_id     bigint not null,
  campaign_id   bigint not null,
  indicator_id  bigint not null,
  kind          text not null,
  points        integer not null,
  max_points    integer not null,
  critical      boolean not null,
  official      boolean not null default false,
  created_at    timestamptz not null default now(),
  constraint deficits_pkey primary key (id),
  constraint deficits_submission_fkey foreign key (submission_id, campaign_id, school_id)
    references app.submissions (id, campaign_id, school_id),
  constraint deficits_indicator_id_fkey foreign key (indicator_id) references app.indicators (id),
  constraint deficits_submission_id_indicator_id_key unique (submission_id, indicator_id),
  constraint deficits_kind_valid check (kind in ('deficit', 'growth')),
  constraint deficits_kind_matches_points
    check (case kind when 'deficit' then points = 0 else points > 0 and points < max_points end)
);
comment on table app.deficits is
  'Deficits (0 points) and growth areas (above 0, below the maximum) of a submission, derived on submit; official once the submission is accepted. A row keeps its id while its indicator stays a deficit or growth area across resubmits';
create index deficits_school_id_campaign_id_idx on app.deficits (school_id, campaign_id);
create index deficits_campaign_id_indicator_id_idx on app.deficits (campaign_id, indicator_id);

reset role;
