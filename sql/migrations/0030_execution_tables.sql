-- 0030_execution_tables: regional projects with their participating schools,
-- and control of execution (issue 5, DOMAIN.md §3): documents (orders,
-- council decisions, plan-graphs, letters, municipal road maps), their
-- numbered items, and one execution record per item and executor with the
-- executor's report and the issuer's review.
--
-- Created as orientir_owner. Privileges: 0031; RLS policies: 0032;
-- functions and triggers: sql/functions/. Nothing here depends on the
-- self-diagnostics migrations (0009–0019): this part of the schema stands on the foundation alone.
--
-- Overdue is never stored: it is computed from the deadline and the status
-- (app.assignment_overdue). Every table is audited by app.audit_row;
-- editable rows carry a version moved by app.bump_version.

set local role orientir_owner;

------------------------------------------------------------------------------
-- Projects and their schools
------------------------------------------------------------------------------

create table app.projects (
  id           bigint generated always as identity,
  region_id    bigint not null,
  title        text collate app.ru not null,
  description  text,
  starts_on    date not null,
  ends_on      date,
  lead         text not null default 'committee',
  order_number text,
  order_date   date,
  version      integer not null default 1,
  created_by   bigint,
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now(),
  constraint projects_pkey primary key (id),
  constraint projects_region_id_fkey foreign key (region_id) references app.regions (id),
  constraint projects_created_by_fkey foreign key (created_by) references app.users (id),
  constraint projects_title_length check (btrim(title) <> '' and char_length(title) <= 500),
  constraint projects_description_length check (char_length(description) <= 4000),
  constraint projects_period_ordered check (ends_on is null or ends_on >= starts_on),
  constraint projects_lead_valid check (lead in ('committee', 'loiro')),
  constraint projects_order_number_length check (btrim(order_number) <> '' and char_length(order_number) <= 64),
  constraint projects_order_complete check ((order_number is null) = (order_date is null)),
  constraint projects_version_positive check (version > 0)
);
comment on table app.projects is
  'Regional projects (e.g. «Школа Минпросвещения России», школы с НОР); the committee manages them, schools see those they take part in';
comment on column app.projects.lead is 'Who leads the project: committee or loiro (the region''s institute)';
comment on column app.projects.order_number is
  'Number of the committee order that approved the list of participating schools (with order_date)';
create index projects_region_id_idx on app.projects (region_id);

create table app.project_schools (
  id                     bigint generated always as identity,
  project_id             bigint not null,
  school_id              bigint not null,
  school_group           text not null,
  unfavorable_conditions boolean not null default false,
  created_at             timestamptz not null default now(),
  updated_at             timestamptz not null default now(),
  constraint project_schools_pkey primary key (id),
  constraint project_schools_project_id_fkey foreign key (project_id) references app.projects (id),
  constraint project_schools_school_id_fkey foreign key (school_id) references app.schools (id),
  constraint project_schools_project_id_school_id_key unique (project_id, school_id),
  constraint project_schools_group_valid
    check (school_group in ('low_results', 'risk_zone', 'academic_failure'))
);
comment on table app.project_schools is
  'Participation of a school in a project, with its group (low_results, risk_zone, academic_failure) and the flag «функционирует в неблагоприятных социальных условиях»';
comment on column app.project_schools.school_group is
  'low_results «низкие образовательные результаты», risk_zone «в зоне риска по снижению образовательных результатов», academic_failure «признаки учебной неуспешности» (the API calls it group)';
create index project_schools_school_id_idx on app.project_schools (school_id);

------------------------------------------------------------------------------
-- Documents, items, execution records
------------------------------------------------------------------------------

create table app.documents (
  id              bigint generated always as identity,
  region_id       bigint not null,
  municipality_id bigint,
  kind            text not null,
  number          text not null,
  doc_date        date not null,
  title           text collate app.ru not null,
  project_id      bigint,
  version         integer not null default 1,
  created_by      bigint,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  constraint documents_pkey primary key (id),
  constraint documents_id_region_id_key unique (id, region_id),
  constraint documents_region_id_fkey foreign key (region_id) references app.regions (id),
  constraint documents_municipality_id_fkey foreign key (municipality_id) references app.municipalities (id),
  constraint documents_project_id_fkey foreign key (project_id) references app.projects (id),
  constraint documents_created_by_fkey foreign key (created_by) references app.users (id),
  constraint documents_kind_valid check (kind in ('order', 'decision', 'plan', 'letter', 'roadmap')),
  -- A municipality owns only road maps; the committee may issue any kind.
  constraint documents_municipal_is_roadmap check (municipality_id is null or kind = 'roadmap'),
  constraint documents_number_length check (btrim(number) <> '' and char_length(number) <= 64),
  constraint documents_title_length check (btrim(title) <> '' and char_length(title) <= 1000),
  constraint documents_version_positive check (version > 0)
);
comment on table app.documents is
  'Orders, council decisions, plan-graphs, letters and road maps whose items are controlled; issued by the region''s committee (municipality_id NULL) or, for a municipal road map, owned by a municipality';
comment on column app.documents.municipality_id is
  'Owner of a municipal road map (kind roadmap); NULL: issued by the region''s committee';
comment on column app.documents.doc_date is 'Date of the document (the API calls it date)';
create index documents_region_id_date_idx on app.documents (region_id, doc_date);
create index documents_municipality_id_idx on app.documents (municipality_id) where municipality_id is not null;
create index documents_project_id_idx on app.documents (project_id) where project_id is not null;

create table app.document_items (
  id              bigint generated always as identity,
  document_id     bigint not null,
  region_id       bigint not null,
  number          text not null,
  number_path     integer[] generated always as (string_to_array(number, '.')::integer[]) stored,
  content         text not null,
  deadline        date,
  deadline_text   text,
  expected_result text,
  executors       jsonb not null default '[]',
  version         integer not null default 1,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  constraint document_items_pkey primary key (id),
  constraint document_items_id_document_id_region_id_key unique (id, document_id, region_id),
  constraint document_items_document_fkey foreign key (document_id, region_id)
    references app.documents (id, region_id),
  constraint document_items_document_id_number_key unique (document_id, number),
  constraint document_items_number_format check (number ~ '^[0-9]{1,3}(\.[0-9]{1,3}){0,5}$'),
  constraint document_items_content_length check (btrim(content) <> '' and char_length(content) <= 4000),
  constraint document_items_deadline_text_length
    check (btrim(deadline_text) <> '' and char_length(deadline_text) <= 200),
  -- «в течение 2024 года» is kept as text, with the date the period ends.
  constraint document_items_deadline_text_has_date check (deadline_text is null or deadline is not null),
  constraint document_items_expected_result_length check (char_length(expected_result) <= 2000),
  constraint document_items_executors_array check (jsonb_typeof(executors) = 'array'),
  constraint document_items_version_positive check (version > 0)
);
comment on table app.document_items is
  'Numbered items of a document (1, 2.1, 2.1.3): content, deadline, expected result; the tree follows the numbers';
comment on column app.document_items.number_path is 'The number as integers, for ordering (2.10 after 2.9) and the tree';
comment on column app.document_items.deadline is
  'The deadline, or the last day of a period given as deadline_text (e.g. «в течение 2024 года» → 2024-12-31)';
comment on column app.document_items.executors is
  'The executors as the issuer named them, [{kind, id}] (id NULL for committee, loiro, all_municipalities); the records are in assignments';
create index document_items_document_id_path_idx on app.document_items (document_id, number_path);

create table app.assignments (
  id               bigint generated always as identity,
  region_id        bigint not null,
  document_id      bigint not null,
  item_id          bigint not null,
  executor_kind    text not null,
  municipality_id  bigint,
  school_id        bigint,
  assigned_as      text,
  status           text not null default 'not_started',
  report_status    text,
  report_text      text,
  report_links     text[] not null default '{}',
  reported_at      timestamptz,
  reported_by      bigint,
  reported_by_name text,
  review_decision  text,
  review_comment   text,
  reviewed_at      timestamptz,
  reviewed_by      bigint,
  reviewed_by_name text,
  version          integer not null default 1,
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now(),
  constraint assignments_pkey primary key (id),
  constraint assignments_item_fkey foreign key (item_id, document_id, region_id)
    references app.document_items (id, document_id, region_id),
  constraint assignments_municipality_id_fkey foreign key (municipality_id) references app.municipalities (id),
  constraint assignments_school_id_fkey foreign key (school_id) references app.schools (id),
  constraint assignments_reported_by_fkey foreign key (reported_by) references app.users (id),
  constraint assignments_reviewed_by_fkey foreign key (reviewed_by) references app.users (id),
  constraint assignments_executor_key unique nulls not distinct (item_id, executor_kind, municipality_id, school_id),
  -- committee/loiro: the region's; municipality: municipality_id; school:
  -- school_id and its municipality (so "assigned to it or to its schools" is
  -- one column for a municipality).
  constraint assignments_executor_valid check (coalesce(
    case executor_kind
      when 'committee'    then municipality_id is null and school_id is null
      when 'loiro'        then municipality_id is null and school_id is null
      when 'municipality' then municipality_id is not null and school_id is null
      when 'school'       then municipality_id is not null and school_id is not null
    end, false)),
  constraint assignments_assigned_as_valid
    check (assigned_as is null or (assigned_as = 'all_municipalities' and executor_kind = 'municipality')),
  constraint assignments_status_valid
    check (status in ('not_started', 'in_progress', 'done', 'accepted', 'returned')),
  constraint assignments_report_status_valid check (report_status in ('not_started', 'in_progress', 'done')),
  constraint assignments_review_decision_valid check (review_decision in ('accepted', 'returned')),
  -- The record's status is the last report's status until the issuer
  -- reviews a done report: then accepted or returned.
  constraint assignments_status_matches check (coalesce(
    case status
      when 'not_started' then coalesce(report_status, 'not_started') = 'not_started' and review_decision is null
      when 'in_progress' then report_status = 'in_progress' and review_decision is null
      when 'done'        then report_status = 'done' and review_decision is null
      when 'accepted'    then report_status = 'done' and review_decision = 'accepted'
      when 'returned'    then report_status = 'done' and review_decision = 'returned'
    end, false)),
  constraint assignments_report_complete
    check ((report_status is null) = (reported_at is null)),
  constraint assignments_review_complete
    check ((review_decision is null) = (reviewed_at is null)
           and (review_decision = 'returned') = (review_comment is not null)),
  constraint assignments_report_text_length check (char_length(report_text) <= 10000),
  constraint assignments_report_links_valid
    check (cardinality(report_links) <= 10 and array_position(report_links, null) is null
           and char_length(array_to_string(report_links, '')) <= 5000),
  constraint assignments_review_comment_length check (char_length(review_comment) <= 2000),
  constraint assignments_version_positive check (version > 0)
);
comment on table app.assignments is
  'Execution records: one per item and executor (all_municipalities makes one per municipality of the region), with the executor''s report and the issuer''s review; overdue is computed, never stored';
comment on column app.assignments.municipality_id is
  'The executor municipality, or the municipality of the executor school';
comment on column app.assignments.assigned_as is 'all_municipalities when the item named all municipalities';
comment on column app.assignments.status is
  'not_started, in_progress, done (reported, awaiting review), accepted, returned (may be reported again)';
comment on column app.assignments.report_links is 'Up to 10 http(s) links of at most 500 characters each';
comment on column app.assignments.reported_by_name is 'Full name of the reporting user at the time (readable by every role in scope)';
create index assignments_item_id_idx on app.assignments (item_id);
create index assignments_document_id_idx on app.assignments (document_id);
create index assignments_region_id_status_idx on app.assignments (region_id, status);
create index assignments_municipality_id_idx on app.assignments (municipality_id) where municipality_id is not null;
create index assignments_school_id_idx on app.assignments (school_id) where school_id is not null;

reset role;
