-- 0073_answer_history: who set which value and comment of an answer, and when (issue 15,
-- item 5). A row per change of an answer (app.submission_answer writes it in the same
-- transaction), with the person as they were named then. Read by the school and its
-- municipality (GET /submissions/{id}/answers/{indicator_id}/history): visible with the
-- submission, for those two roles only. Answers saved before this migration have no rows;
-- app.answer_history shows such an answer's current state as its one known entry.

set local role orientir_owner;

create table app.answer_history (
  id                 bigint generated always as identity,
  submission_id      bigint not null,
  indicator_id       bigint not null,
  version            integer not null,
  value              text not null,
  comment            text,
  points             integer not null,
  at                 timestamptz not null default now(),
  user_id            bigint,
  actor_role         text,
  actor_name         text,
  actor_organisation text,
  constraint answer_history_pkey primary key (id),
  constraint answer_history_submission_id_fkey foreign key (submission_id) references app.submissions (id),
  constraint answer_history_indicator_id_fkey foreign key (indicator_id) references app.indicators (id),
  constraint answer_history_version_positive check (version > 0)
);
comment on table app.answer_history is
  'Each change of an answer: the value, comment and points set, the answer''s version after it, who (as then named) and when';
create index answer_history_submission_indicator_idx on app.answer_history (submission_id, indicator_id, version);

grant select on app.answer_history to orientir_municipality, orientir_school;
alter table app.answer_history enable row level security, force row level security;
-- Visible with its submission (whose policies then apply), to the school and its municipality.
create policy answer_history_select_with_submission on app.answer_history for select
  to orientir_municipality, orientir_school
  using (exists (select 1 from app.submissions s where s.id = submission_id));

reset role;
