-- Every trigger, attached after all trigger functions exist (create or
-- replace, so applying this file again changes nothing). Triggers of one
-- event fire in the order of their names.
-- Function file (see shared.sql for how function files are applied); applied last.

set local role orientir_owner;

create or replace trigger schools_bump_version before update on app.schools
  for each row execute function app.bump_version();
create or replace trigger users_bump_version before update on app.users
  for each row execute function app.bump_version();
create or replace trigger audit_log_no_update_delete before update or delete on app.audit_log
  for each row execute function app.audit_log_is_append_only();
create or replace trigger audit_log_no_truncate before truncate on app.audit_log
  for each statement execute function app.audit_log_is_append_only();
create or replace trigger regions_audit after insert or update or delete on app.regions
  for each row execute function app.audit_row();
create or replace trigger municipalities_audit after insert or update or delete on app.municipalities
  for each row execute function app.audit_row();
create or replace trigger schools_audit after insert or update or delete on app.schools
  for each row execute function app.audit_row();
create or replace trigger users_audit after insert or update or delete on app.users
  for each row execute function app.audit_row();
create or replace trigger users_revoke_tokens after update on app.users
  for each row
  when (old.is_active and not new.is_active
        or old.password_hash is distinct from new.password_hash
        or old.role is distinct from new.role
        or old.region_id is distinct from new.region_id
        or old.municipality_id is distinct from new.municipality_id
        or old.school_id is distinct from new.school_id)
  execute function app.users_revoke_tokens();
create or replace trigger instruments_guard before update or delete on app.instruments
  for each row execute function app.instrument_guard();
create or replace trigger directions_guard before insert or update or delete on app.directions
  for each row execute function app.instrument_part_guard();
create or replace trigger indicators_guard before insert or update or delete on app.indicators
  for each row execute function app.instrument_part_guard();
create or replace trigger indicator_options_guard before insert or update or delete on app.indicator_options
  for each row execute function app.instrument_part_guard();
create or replace trigger submissions_guard before update on app.submissions
  for each row execute function app.submission_guard();
create or replace trigger answers_guard_insert after insert on app.answers
  referencing new table as changed_answers
  for each statement execute function app.answers_guard();
create or replace trigger answers_guard_update after update on app.answers
  referencing new table as changed_answers
  for each statement execute function app.answers_guard();
create or replace trigger answers_guard_delete after delete on app.answers
  referencing old table as changed_answers
  for each statement execute function app.answers_guard();
create or replace trigger campaigns_bump_version before update on app.campaigns
  for each row execute function app.bump_version();
create or replace trigger instruments_audit after insert or update or delete on app.instruments
  for each row execute function app.audit_row();
create or replace trigger campaigns_audit after insert or update or delete on app.campaigns
  for each row execute function app.audit_row();
create or replace trigger submissions_audit after insert or update or delete on app.submissions
  for each row execute function app.audit_row();
-- Answers are audited per statement (transition tables): the same rows in
-- app.audit_log as app.audit_row writes, one INSERT … SELECT per statement
-- instead of one call per row, so that a bulk write (demo data) stays cheap.
create or replace trigger answers_audit_insert after insert on app.answers
  referencing new table as new_rows
  for each statement execute function app.audit_statement();
create or replace trigger answers_audit_update after update on app.answers
  referencing old table as old_rows new table as new_rows
  for each statement execute function app.audit_statement();
create or replace trigger answers_audit_delete after delete on app.answers
  referencing old table as old_rows
  for each statement execute function app.audit_statement();
create or replace trigger assignments_guard before update on app.assignments
  for each row execute function app.assignment_guard();
create or replace trigger projects_bump_version before update on app.projects
  for each row execute function app.bump_version();
create or replace trigger documents_bump_version before update on app.documents
  for each row execute function app.bump_version();
create or replace trigger document_items_bump_version before update on app.document_items
  for each row execute function app.bump_version();
create or replace trigger assignments_bump_version before update on app.assignments
  for each row execute function app.bump_version();
create or replace trigger projects_audit after insert or update or delete on app.projects
  for each row execute function app.audit_row();
create or replace trigger project_schools_audit after insert or update or delete on app.project_schools
  for each row execute function app.audit_row();
create or replace trigger documents_audit after insert or update or delete on app.documents
  for each row execute function app.audit_row();
create or replace trigger document_items_audit after insert or update or delete on app.document_items
  for each row execute function app.audit_row();
create or replace trigger assignments_audit after insert or update or delete on app.assignments
  for each row execute function app.audit_row();
-- Only when a lifecycle column changes: rescoring and acceptance rewrite
-- thousands of rows (kind, points, official) without calling the guard.
create or replace trigger deficits_guard before update on app.deficits
  for each row
  when ((new.status, new.closed_reason, new.closed_by, new.eliminated_by)
        is distinct from (old.status, old.closed_reason, old.closed_by, old.eliminated_by))
  execute function app.deficit_guard();
create or replace trigger submissions_accepted_insert after insert on app.submissions
  referencing new table as new_rows
  for each statement execute function app.submissions_accepted_eliminate();
create or replace trigger submissions_accepted_update after update on app.submissions
  referencing old table as old_rows new table as new_rows
  for each statement execute function app.submissions_accepted_eliminate();
create or replace trigger programs_guard before update on app.programs
  for each row execute function app.program_guard();
create or replace trigger programs_bump_version before update on app.programs
  for each row execute function app.bump_version_explicit();
create or replace trigger programs_audit after insert or update or delete on app.programs
  for each row execute function app.audit_row();
create or replace trigger program_measures_guard_insert after insert on app.program_measures
  referencing new table as new_rows
  for each statement execute function app.program_measures_guard();
create or replace trigger program_measures_guard_update after update on app.program_measures
  referencing old table as old_rows new table as new_rows
  for each statement execute function app.program_measures_guard();
create or replace trigger program_measures_guard_delete after delete on app.program_measures
  referencing old table as old_rows
  for each statement execute function app.program_measures_guard();
create or replace trigger program_measures_bump_version before update on app.program_measures
  for each row execute function app.bump_version_explicit();
create or replace trigger program_measures_audit_insert after insert on app.program_measures
  referencing new table as new_rows
  for each statement execute function app.audit_statement();
create or replace trigger program_measures_audit_update after update on app.program_measures
  referencing old table as old_rows new table as new_rows
  for each statement execute function app.audit_statement_update();
create or replace trigger program_measures_audit_delete after delete on app.program_measures
  referencing old table as old_rows
  for each statement execute function app.audit_statement();
create or replace trigger program_measure_deficits_guard_insert after insert on app.program_measure_deficits
  referencing new table as changed_rows
  for each statement execute function app.program_measure_deficits_guard();
create or replace trigger program_measure_deficits_guard_delete after delete on app.program_measure_deficits
  referencing old table as changed_rows
  for each statement execute function app.program_measure_deficits_guard();
create or replace trigger program_measure_deficits_audit_insert after insert on app.program_measure_deficits
  referencing new table as new_rows
  for each statement execute function app.audit_statement_keyed('measure_id');
create or replace trigger program_measure_deficits_audit_delete after delete on app.program_measure_deficits
  referencing old table as old_rows
  for each statement execute function app.audit_statement_keyed('measure_id');
create or replace trigger program_analyses_guard_insert after insert on app.program_analyses
  referencing new table as changed_rows
  for each statement execute function app.program_analyses_guard();
create or replace trigger program_analyses_guard_update after update on app.program_analyses
  referencing new table as changed_rows
  for each statement execute function app.program_analyses_guard();
create or replace trigger program_analyses_guard_delete after delete on app.program_analyses
  referencing old table as changed_rows
  for each statement execute function app.program_analyses_guard();
create or replace trigger program_analyses_audit_insert after insert on app.program_analyses
  referencing new table as new_rows
  for each statement execute function app.audit_statement_keyed('program_id');
create or replace trigger program_analyses_audit_update after update on app.program_analyses
  referencing old table as old_rows new table as new_rows
  for each statement execute function app.audit_statement_keyed('program_id');
create or replace trigger program_analyses_audit_delete after delete on app.program_analyses
  referencing old table as old_rows
  for each statement execute function app.audit_statement_keyed('program_id');
create or replace trigger program_comments_audit after insert or update or delete on app.program_comments
  for each row execute function app.audit_row();
create or replace trigger practices_bump_version before update on app.practices
  for each row execute function app.bump_version_explicit();
create or replace trigger practices_audit after insert or update or delete on app.practices
  for each row execute function app.audit_row();
create or replace trigger practice_indicators_audit_insert after insert on app.practice_indicators
  referencing new table as new_rows
  for each statement execute function app.audit_statement_keyed('practice_id');
create or replace trigger practice_indicators_audit_delete after delete on app.practice_indicators
  referencing old table as old_rows
  for each statement execute function app.audit_statement_keyed('practice_id');
create or replace trigger partnerships_audit after insert or update or delete on app.partnerships
  for each row execute function app.audit_row();
create or replace trigger partnership_indicators_audit_insert after insert on app.partnership_indicators
  referencing new table as new_rows
  for each statement execute function app.audit_statement_keyed('partnership_id');
create or replace trigger partnership_indicators_audit_delete after delete on app.partnership_indicators
  referencing old table as old_rows
  for each statement execute function app.audit_statement_keyed('partnership_id');
create or replace trigger users_bump_epoch before update on app.users
  for each row execute function app.users_bump_epoch();
create or replace trigger schools_moved_bump_epoch after update of municipality_id on app.schools
  for each row when (old.municipality_id is distinct from new.municipality_id)
  execute function app.org_moved_bump_epoch();
create or replace trigger municipalities_moved_bump_epoch after update of region_id on app.municipalities
  for each row when (old.region_id is distinct from new.region_id)
  execute function app.org_moved_bump_epoch();

reset role;
