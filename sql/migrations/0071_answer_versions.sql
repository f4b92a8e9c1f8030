-- 0071_answer_versions: each answer carries its own optimistic-lock version (issue 15, item 1).
-- Deputies split a questionnaire's indicators among themselves: saves of different indicators
-- must not conflict, so PUT …/answers/{indicator_id} checks If-Match against the answer's
-- version, not the submission's (which still moves on every save and state change).

set local role orientir_owner;

alter table app.answers add column version integer not null default 1;
alter table app.answers add constraint answers_version_positive check (version > 0);
comment on column app.answers.version is
  'Optimistic-lock version of this answer: 1 when created, +1 on every change (If-Match of PUT …/answers/{indicator_id})';

reset role;
