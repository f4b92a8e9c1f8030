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
create or replace trigger campaigns_bump_version before update on app.campaigns
  for each row execute function app.bump_version();
create or replace trigger instruments_audit after insert or update or delete on app.instruments
  for each row execute function app.audit_row();
create or replace trigger campaigns_audit after insert or update or delete on app.campaigns
  for each row execute function app.audit_row();
create or replace trigger submissions_audit after insert or update or delete on app.submissions
  for each row execute function app.audit_row();
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
create or replace trigger programs_guard before update on app.programs
  for each row execute function app.program_guard();
create or replace trigger programs_bump_version before update on app.programs
  for each row execute function app.bump_version_explicit();
create or replace trigger programs_audit after insert or update or delete on app.programs
  for each row execute function app.audit_row();
create or replace trigger program_measures_bump_version before update on app.program_measures
  for each row execute function app.bump_version_explicit();
create or replace trigger program_comments_audit after insert or update or delete on app.program_comments
  for each row execute function app.audit_row();
create or replace trigger practices_bump_version before update on app.practices
  for each row execute function app.bump_version_explicit();
create or replace trigger practices_audit after insert or update or delete on app.practices
  for each row execute function app.audit_row();
create or replace trigger partnerships_audit after insert or update or delete on app.partnerships
  for each row execute function app.audit_row();
create or replace trigger users_bump_epoch before update on app.users
  for each row execute function app.users_bump_epoch();
create or replace trigger schools_moved_bump_epoch after update of municipality_id on app.schools
  for each row when (old.municipality_id is distinct from new.municipality_id)
  execute function app.org_moved_bump_epoch();
create or replace trigger municipalities_moved_bump_epoch after update of region_id on app.municipalities
  for each row when (old.region_id is distinct from new.region_id)
  execute function app.org_moved_bump_epoch();

-- Statement triggers with transition tables, one per event, named
-- <name>_<event>. Rows with a «one table» name see the changed rows under
-- that name (new rows on insert and update, old rows on delete); the others
-- see new_rows and old_rows as the event has them. An update function, when
-- given, replaces the function on update.
-- Answers, measures and links are audited per statement: the same rows in
-- app.audit_log as app.audit_row writes, one INSERT … SELECT per statement
-- instead of one call per row, so that a bulk write (demo data) stays cheap.
do $$
declare
  t record;
  e text;
begin
  for t in select * from (values
    ('answers', 'answers_guard', '{insert,update,delete}', 'app.answers_guard()', 'changed_answers', null),
    ('answers', 'answers_audit', '{insert,update,delete}', 'app.audit_statement()', null, null),
    ('submissions', 'submissions_accepted', '{insert,update}', 'app.submissions_accepted_eliminate()', null, null),
    ('program_measures', 'program_measures_guard', '{insert,update,delete}', 'app.program_measures_guard()',
     null, null),
    ('program_measures', 'program_measures_audit', '{insert,update,delete}', 'app.audit_statement()', null,
     'app.audit_statement_update()'),
    ('program_measure_deficits', 'program_measure_deficits_guard', '{insert,delete}',
     'app.program_measure_deficits_guard()', 'changed_rows', null),
    ('program_measure_deficits', 'program_measure_deficits_audit', '{insert,delete}',
     'app.audit_statement_keyed(''measure_id'')', null, null),
    ('program_analyses', 'program_analyses_guard', '{insert,update,delete}', 'app.program_analyses_guard()',
     'changed_rows', null),
    ('program_analyses', 'program_analyses_audit', '{insert,update,delete}',
     'app.audit_statement_keyed(''program_id'')', null, null),
    ('practice_indicators', 'practice_indicators_audit', '{insert,delete}',
     'app.audit_statement_keyed(''practice_id'')', null, null),
    ('partnership_indicators', 'partnership_indicators_audit', '{insert,delete}',
     'app.audit_statement_keyed(''partnership_id'')', null, null)
  ) v(tbl, name, events, fn, one_table, update_fn)
  loop
    foreach e in array t.events::text[] loop
      execute format('create or replace trigger %I after %s on app.%I referencing %s for each statement execute function %s',
                     t.name || '_' || e, e, t.tbl,
                     case when t.one_table is not null
                          then format('%s table as %I', case e when 'delete' then 'old' else 'new' end, t.one_table)
                          else case e when 'insert' then 'new table as new_rows'
                                      when 'update' then 'old table as old_rows new table as new_rows'
                                      else 'old table as old_rows' end end,
                     case when e = 'update' and t.update_fn is not null then t.update_fn else t.fn end);
    end loop;
  end loop;
end
$$;

reset role;
