-- 0070_attachments: files attached to the objects that need evidence — an executor's report
-- (assignment), a development program, a measure's progress, an answer of a self-diagnostic,
-- a registered document, a practice of ЛОИРО's library. The bytes live outside the database
-- in a content-addressed store (by sha256, the API's ORIENTIR_FILES); a row here is the
-- file's metadata and its link to exactly one object.
--
-- Scope: a file is visible exactly when its object is (the SELECT policy asks the object's
-- own table, whose policies then apply) and while it is not removed. Nobody writes the table
-- directly: app.attachment_add and app.attachment_remove (sql/functions/attachments.sql)
-- check who may change the object, and audit. A removed file keeps its row (removed_at,
-- removed_by) for the history and the audit.

set local role orientir_owner;

create table app.attachments (
  id                      bigint generated always as identity,
  region_id               bigint not null,
  object_kind             text not null,
  assignment_id           bigint,
  program_id              bigint,
  measure_id              bigint,
  submission_id           bigint,
  indicator_id            bigint,
  document_id             bigint,
  practice_id             bigint,
  organisation            text not null,
  name                    text not null,
  size                    bigint not null,
  content_type            text not null,
  sha256                  text not null,
  created_at              timestamptz not null default now(),
  created_by              bigint,
  created_by_name         text,
  created_by_role         text,
  created_by_organisation text,
  removed_at              timestamptz,
  removed_by              bigint,
  constraint attachments_pkey primary key (id),
  constraint attachments_region_id_fkey foreign key (region_id) references app.regions (id),
  constraint attachments_assignment_id_fkey foreign key (assignment_id) references app.assignments (id),
  constraint attachments_program_id_fkey foreign key (program_id) references app.programs (id),
  constraint attachments_measure_id_fkey foreign key (measure_id) references app.program_measures (id),
  constraint attachments_submission_id_fkey foreign key (submission_id) references app.submissions (id),
  constraint attachments_indicator_id_fkey foreign key (indicator_id) references app.indicators (id),
  constraint attachments_document_id_fkey foreign key (document_id) references app.documents (id),
  constraint attachments_practice_id_fkey foreign key (practice_id) references app.practices (id),
  constraint attachments_created_by_fkey foreign key (created_by) references app.users (id),
  constraint attachments_removed_by_fkey foreign key (removed_by) references app.users (id),
  -- Exactly the columns of its kind are set (a measure's file names its program too).
  constraint attachments_object_valid check (coalesce(
    case object_kind
      when 'assignment' then num_nonnulls(assignment_id, program_id, measure_id, submission_id, indicator_id,
                                          document_id, practice_id) = 1 and assignment_id is not null
      when 'program'    then num_nonnulls(assignment_id, program_id, measure_id, submission_id, indicator_id,
                                          document_id, practice_id) = 1 and program_id is not null
      when 'measure'    then num_nonnulls(assignment_id, program_id, measure_id, submission_id, indicator_id,
                                          document_id, practice_id) = 2 and program_id is not null
                             and measure_id is not null
      when 'answer'     then num_nonnulls(assignment_id, program_id, measure_id, submission_id, indicator_id,
                                          document_id, practice_id) = 2 and submission_id is not null
                             and indicator_id is not null
      when 'document'   then num_nonnulls(assignment_id, program_id, measure_id, submission_id, indicator_id,
                                          document_id, practice_id) = 1 and document_id is not null
      when 'practice'   then num_nonnulls(assignment_id, program_id, measure_id, submission_id, indicator_id,
                                          document_id, practice_id) = 1 and practice_id is not null
    end, false)),
  constraint attachments_organisation_format
    check (organisation ~ '^(committee|loiro|municipality|school):[0-9]+$'),
  constraint attachments_name_length check (btrim(name) <> '' and char_length(name) <= 255),
  constraint attachments_size_positive check (size > 0),
  constraint attachments_content_type_valid check (content_type in (
    'application/pdf',
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    'application/vnd.oasis.opendocument.text',
    'application/vnd.oasis.opendocument.spreadsheet',
    'image/jpeg', 'image/png')),
  constraint attachments_sha256_format check (sha256 ~ '^[0-9a-f]{64}$'),
  constraint attachments_removed_complete check ((removed_at is null) = (removed_by is null))
);
comment on table app.attachments is
  'Files attached to assignments (reports), programs, measures, answers, documents and practices: metadata here, bytes in the content-addressed store by sha256';
comment on column app.attachments.organisation is
  'Whose quota the file counts against: the organisation that owns the object (committee:<region>, loiro:<region>, municipality:<id>, school:<id>)';
comment on column app.attachments.created_by_name is 'Who attached it, as they were named then (also created_by_role, created_by_organisation)';
comment on column app.attachments.removed_at is 'Set when the file is removed from its object: it disappears from the object, the row stays for history and audit';

create index attachments_assignment_id_idx on app.attachments (assignment_id) where assignment_id is not null;
create index attachments_program_id_idx on app.attachments (program_id) where program_id is not null;
create index attachments_measure_id_idx on app.attachments (measure_id) where measure_id is not null;
create index attachments_submission_id_idx on app.attachments (submission_id, indicator_id) where submission_id is not null;
create index attachments_document_id_idx on app.attachments (document_id) where document_id is not null;
create index attachments_practice_id_idx on app.attachments (practice_id) where practice_id is not null;
create index attachments_organisation_idx on app.attachments (organisation) where removed_at is null;
create index attachments_sha256_idx on app.attachments (sha256);

grant select on app.attachments to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;

alter table app.attachments enable row level security, force row level security;

-- Visible with its object, while not removed. Each inner select is narrowed by the
-- policies of the object's table, so the object's scope is stated once, there.
create policy attachments_select_with_object on app.attachments for select
  to orientir_committee, orientir_loiro, orientir_municipality, orientir_school
  using (removed_at is null and case object_kind
    when 'assignment' then exists (select 1 from app.assignments a where a.id = assignment_id)
    when 'program'    then exists (select 1 from app.programs p where p.id = program_id)
    when 'measure'    then exists (select 1 from app.program_measures m where m.id = measure_id)
    when 'answer'     then exists (select 1 from app.submissions s where s.id = submission_id)
    when 'document'   then exists (select 1 from app.documents d where d.id = document_id)
    when 'practice'   then exists (select 1 from app.practices p where p.id = practice_id)
    else false end);

-- A program's history tells when its files were attached and removed.
alter table app.program_events drop constraint program_events_action_valid;
alter table app.program_events add constraint program_events_action_valid
  check (action in ('create', 'submit', 'approve', 'return', 'revise', 'supersede', 'attach', 'detach'));

reset role;
