-- Every trigger, attached after all trigger functions exist (create or
-- replace, so applying this file again changes nothing). Triggers of one
-- event fire in the order of their names.
-- Function file (see shared.sql for how function files are applied); applied last.

set local role orientir_owner;

-- Row triggers. Editable rows carry a version (app.bump_version; the
-- explicit kind where a writer moves the parent's version itself); the
-- audited tables write one app.audit_log row per changed row; the guards
-- keep each object's lifecycle.
do $$
declare
  t record;
begin
  for t in select unnest(array['schools', 'users', 'campaigns', 'projects', 'documents', 'document_items',
                               'assignments']) as tbl, 'bump_version' as suffix, 'before update' as events,
                  'app.bump_version()' as fn
           union all
           select unnest(array['programs', 'program_measures', 'practices']), 'bump_version', 'before update',
                  'app.bump_version_explicit()'
           union all
           select unnest(array['regions', 'municipalities', 'schools', 'users', 'instruments', 'campaigns',
                               'submissions', 'projects', 'project_schools', 'documents', 'document_items',
                               'assignments', 'programs', 'program_comments', 'practices', 'partnerships']),
                  'audit', 'after insert or update or delete', 'app.audit_row()'
           union all
           select * from (values ('audit_log', 'no_update_delete', 'before update or delete',
                                  'app.audit_log_is_append_only()'),
                                 ('instruments', 'guard', 'before update or delete', 'app.instrument_guard()'),
                                 ('directions', 'guard', 'before insert or update or delete', 'app.instrument_part_guard()'),
                                 ('indicators', 'guard', 'before insert or update or delete', 'app.instrument_part_guard()'),
                                 ('indicator_options', 'guard', 'before insert or update or delete',
                                  'app.instrument_part_guard()'),
                                 ('submissions', 'guard', 'before update', 'app.submission_guard()'),
                                 ('assignments', 'guard', 'before update', 'app.assignment_guard()'),
                                 ('programs', 'guard', 'before update', 'app.program_guard()'),
                                 ('users', 'bump_epoch', 'before update', 'app.users_bump_epoch()')) v
  loop
    execute format('create or replace trigger %I %s on app.%I for each row execute function %s',
                   t.tbl || '_' || t.suffix, t.events, t.tbl, t.fn);
  end loop;
end
$$;

create or replace trigger audit_log_no_truncate before truncate on app.audit_log
  for each statement execute function app.audit_log_is_append_only();
create or replace trigger users_revoke_tokens after update on app.users
  for each row
  when (old.is_active and not new.is_active
        or old.password_hash is distinct from new.password_hash
        or old.role is distinct from new.role
        or old.region_id is distinct from new.region_id
        or old.municipality_id is distinct from new.municipality_id
        or old.school_id is distinct from new.school_id)
  execute function app.users_revoke_tokens();
-- Only when a lifecycle column changes: rescoring and acceptance rewrite
-- thousands of rows (kind, points, official) without calling the guard.
create or replace trigger deficits_guard before update on app.deficits
  for each row
  when ((new.status, new.closed_reason, new.closed_by, new.eliminated_by)
        is distinct from (old.status, old.closed_reason, old.closed_by, old.eliminated_by))
  execute function app.deficit_guard();
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
    ('answers', 'answers_guard', '{insert,update,delete}',
     'app.draft_parent_guard(''submissions'', ''submission_id'', ''Ответы можно менять только в черновике или возвращённой анкете'')',
     'changed_rows', null),
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
    ('program_analyses', 'program_analyses_guard', '{insert,update,delete}',
     'app.draft_parent_guard(''programs'', ''program_id'', ''Программу можно изменять только в черновике или после возврата на доработку'')',
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
