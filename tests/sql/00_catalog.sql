-- Catalog rules that keep the database the guard of the data (ARCHITECTURE.md
-- "The database guards the data"): RLS on every table, ownership out of the
-- API's reach, exact grants, roles and their memberships.
begin;
\ir fixtures.psql
select plan(34);

-- RLS and ownership ----------------------------------------------------------
select is_empty($$
  select c.relname from pg_class c
  where c.relnamespace = 'app'::regnamespace and c.relkind in ('r', 'p')
    and not (c.relrowsecurity and c.relforcerowsecurity) $$,
  'every table in schema app has row-level security enabled and forced');

select is_empty($$
  select c.relname from pg_class c
  where c.relnamespace = 'app'::regnamespace
    and pg_has_role('orientir_api', c.relowner, 'MEMBER') $$,
  'no relation in schema app is owned by a role orientir_api can become');

select is_empty($$
  select p.proname from pg_proc p
  where p.pronamespace = 'app'::regnamespace
    and pg_has_role('orientir_api', p.proowner, 'MEMBER') $$,
  'no function in schema app is owned by a role orientir_api can become');

select is_empty($$
  select c.relname from pg_class c
  where c.relnamespace = 'app'::regnamespace and c.relowner <> 'orientir_owner'::regrole $$,
  'every relation in schema app is owned by orientir_owner');

select is((select nspowner::regrole::text from pg_namespace where nspname = 'app'), 'orientir_owner',
  'schema app is owned by orientir_owner');

select is_empty($$
  select c.relname from pg_class c
  where c.relnamespace = 'app'::regnamespace and c.relkind = 'v' $$,
  'schema app has no views (a view would read tables with its owner''s rights)');

select is_empty($$
  select c.relname from pg_class c
  where c.relnamespace = 'app'::regnamespace and c.relkind in ('r', 'p')
    and obj_description(c.oid, 'pg_class') is null $$,
  'every table in schema app has a comment');

-- Functions ------------------------------------------------------------------
select is_empty($$
  select p.proname from pg_proc p
  where p.pronamespace = 'app'::regnamespace
    and exists (select 1 from aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
                where a.grantee = 0 and a.privilege_type = 'EXECUTE') $$,
  'EXECUTE is revoked from PUBLIC on every function in schema app');

select is_empty($$
  select p.proname from pg_proc p
  where p.pronamespace = 'app'::regnamespace and p.prosecdef
    and not coalesce('search_path=app, pg_temp' = any (p.proconfig), false) $$,
  'every SECURITY DEFINER function pins search_path = app, pg_temp');

-- A new function must be added here with exactly the roles design.md grants it.
select results_eq($$
  select p.proname::text collate "default", a.grantee::regrole::text
  from pg_proc p, aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
  where p.pronamespace = 'app'::regnamespace and a.privilege_type = 'EXECUTE'
    and a.grantee <> p.proowner
  order by 1, 2 $$,
  $$
  select f::text, g::text
  from (values
    ('change_my_password', 'orientir_committee'), ('change_my_password', 'orientir_loiro'),
    ('change_my_password', 'orientir_municipality'), ('change_my_password', 'orientir_school'),
    ('paging', 'orientir_committee'), ('paging', 'orientir_loiro'),
    ('paging', 'orientir_municipality'), ('paging', 'orientir_school'),
    ('raise_not_found', 'orientir_committee'), ('raise_not_found', 'orientir_loiro'),
    ('raise_not_found', 'orientir_municipality'), ('raise_not_found', 'orientir_school'),
    ('raise_problem', 'orientir_committee'), ('raise_problem', 'orientir_loiro'),
    ('raise_problem', 'orientir_municipality'), ('raise_problem', 'orientir_school'),
    ('raise_if_school_code_taken', 'orientir_committee'),
    ('practice_indicators_json', 'orientir_committee'), ('practice_indicators_json', 'orientir_loiro'),
    ('practice_indicators_json', 'orientir_municipality'), ('practice_indicators_json', 'orientir_school'),
    ('one_of_errors', 'orientir_committee'), ('one_of_errors', 'orientir_loiro'),
    ('one_of_errors', 'orientir_municipality'), ('one_of_errors', 'orientir_school'),
    ('like_pattern', 'orientir_committee'), ('like_pattern', 'orientir_loiro'),
    ('like_pattern', 'orientir_municipality'), ('like_pattern', 'orientir_school'),
    ('claim_municipality_id', 'orientir_committee'), ('claim_municipality_id', 'orientir_loiro'),
    ('claim_municipality_id', 'orientir_municipality'), ('claim_municipality_id', 'orientir_school'),
    ('claim_region_id', 'orientir_committee'), ('claim_region_id', 'orientir_loiro'),
    ('claim_region_id', 'orientir_municipality'), ('claim_region_id', 'orientir_school'),
    ('claim_role', 'orientir_committee'), ('claim_role', 'orientir_loiro'),
    ('claim_role', 'orientir_municipality'), ('claim_role', 'orientir_school'),
    ('claim_school_id', 'orientir_committee'), ('claim_school_id', 'orientir_loiro'),
    ('claim_school_id', 'orientir_municipality'), ('claim_school_id', 'orientir_school'),
    ('claim_user_id', 'orientir_committee'), ('claim_user_id', 'orientir_loiro'),
    ('claim_user_id', 'orientir_municipality'), ('claim_user_id', 'orientir_school'),
    ('education_levels_of', 'orientir_committee'),
    -- two overloads: with a message, and with the catalogue's message of the code
    ('field_error', 'orientir_committee'), ('field_error', 'orientir_loiro'),
    ('field_error', 'orientir_municipality'), ('field_error', 'orientir_school'),
    ('field_error', 'orientir_committee'), ('field_error', 'orientir_loiro'),
    ('field_error', 'orientir_municipality'), ('field_error', 'orientir_school'),
    ('field_messages', 'orientir_committee'), ('field_messages', 'orientir_loiro'),
    ('field_messages', 'orientir_municipality'), ('field_messages', 'orientir_school'),
    ('login_fail', 'orientir_anon'), ('login_lookup', 'orientir_anon'),
    ('login_succeed', 'orientir_anon'), ('logout', 'orientir_anon'),
    ('me', 'orientir_committee'), ('me', 'orientir_loiro'),
    ('me', 'orientir_municipality'), ('me', 'orientir_school'),
    ('municipalities_list', 'orientir_committee'), ('municipalities_list', 'orientir_loiro'),
    ('municipalities_list', 'orientir_municipality'), ('municipalities_list', 'orientir_school'),
    ('my_password_hash', 'orientir_committee'), ('my_password_hash', 'orientir_loiro'),
    ('my_password_hash', 'orientir_municipality'), ('my_password_hash', 'orientir_school'),
    ('my_password_failed', 'orientir_committee'), ('my_password_failed', 'orientir_loiro'),
    ('my_password_failed', 'orientir_municipality'), ('my_password_failed', 'orientir_school'),
    ('municipality_school_ids', 'orientir_committee'), ('municipality_school_ids', 'orientir_loiro'),
    ('municipality_school_ids', 'orientir_municipality'), ('municipality_school_ids', 'orientir_school'),
    -- two overloads: the list envelope, and the same after a head object
    ('page_json', 'orientir_committee'), ('page_json', 'orientir_loiro'),
    ('page_json', 'orientir_municipality'), ('page_json', 'orientir_school'),
    ('page_json', 'orientir_committee'), ('page_json', 'orientir_loiro'),
    ('page_json', 'orientir_municipality'), ('page_json', 'orientir_school'),
    ('raise_if_invalid', 'orientir_committee'), ('raise_if_invalid', 'orientir_loiro'),
    ('raise_if_invalid', 'orientir_municipality'), ('raise_if_invalid', 'orientir_school'),
    ('refresh_rotate', 'orientir_anon'),
    ('regions_list', 'orientir_committee'), ('regions_list', 'orientir_loiro'),
    ('regions_list', 'orientir_municipality'), ('regions_list', 'orientir_school'),
    ('role_label', 'orientir_committee'), ('role_label', 'orientir_municipality'),
    ('school_create', 'orientir_committee'), ('school_errors', 'orientir_committee'),
    ('school_get', 'orientir_committee'), ('school_get', 'orientir_loiro'),
    ('school_get', 'orientir_municipality'), ('school_get', 'orientir_school'),
    ('school_update', 'orientir_committee'),
    ('schools_list', 'orientir_committee'), ('schools_list', 'orientir_loiro'),
    ('schools_list', 'orientir_municipality'), ('schools_list', 'orientir_school'),
    ('text_errors', 'orientir_committee'), ('text_errors', 'orientir_municipality'),
    ('type_errors', 'orientir_committee'), ('type_errors', 'orientir_municipality'),
    ('user_assignment_errors', 'orientir_committee'), ('user_assignment_errors', 'orientir_municipality'),
    ('user_create', 'orientir_committee'), ('user_create', 'orientir_municipality'),
    ('user_get', 'orientir_committee'), ('user_get', 'orientir_municipality'),
    ('user_set_password', 'orientir_committee'), ('user_set_password', 'orientir_municipality'),
    ('user_update', 'orientir_committee'), ('user_update', 'orientir_municipality'),
    ('users_list', 'orientir_committee'), ('users_list', 'orientir_municipality'),
    -- Self-diagnostics (0009–0014): reads for the four roles, instrument and
    -- campaign writes (and their validators) for the committee and ЛОИРО, each
    -- state function for exactly the one role that performs it.
    ('applies_to_json', 'orientir_committee'), ('applies_to_json', 'orientir_loiro'),
    ('applies_to_json', 'orientir_municipality'), ('applies_to_json', 'orientir_school'),
    ('campaign_create', 'orientir_committee'), ('campaign_create', 'orientir_loiro'),
    ('campaign_get', 'orientir_committee'), ('campaign_get', 'orientir_loiro'),
    ('campaign_get', 'orientir_municipality'), ('campaign_get', 'orientir_school'),
    ('campaign_progress', 'orientir_committee'), ('campaign_progress', 'orientir_loiro'),
    ('campaign_progress', 'orientir_municipality'),
    ('campaign_status', 'orientir_committee'), ('campaign_status', 'orientir_loiro'),
    ('campaign_status', 'orientir_municipality'), ('campaign_status', 'orientir_school'),
    ('campaign_update', 'orientir_committee'), ('campaign_update', 'orientir_loiro'),
    ('campaigns_list', 'orientir_committee'), ('campaigns_list', 'orientir_loiro'),
    ('campaigns_list', 'orientir_municipality'), ('campaigns_list', 'orientir_school'),
    ('deficits_summary', 'orientir_committee'), ('deficits_summary', 'orientir_loiro'),
    ('deficits_summary', 'orientir_municipality'),
    ('doc_code_errors', 'orientir_committee'), ('doc_code_errors', 'orientir_loiro'),
    ('doc_date_errors', 'orientir_committee'), ('doc_date_errors', 'orientir_loiro'),
    ('doc_ids', 'orientir_committee'), ('doc_ids', 'orientir_loiro'),
    ('doc_integer', 'orientir_committee'), ('doc_integer', 'orientir_loiro'),
    ('doc_string_errors', 'orientir_committee'), ('doc_string_errors', 'orientir_loiro'),
    ('doc_thresholds_errors', 'orientir_committee'), ('doc_thresholds_errors', 'orientir_loiro'),
    ('doc_unknown_errors', 'orientir_committee'), ('doc_unknown_errors', 'orientir_loiro'),
    ('instrument_create', 'orientir_committee'), ('instrument_create', 'orientir_loiro'),
    ('instrument_document', 'orientir_committee'), ('instrument_document', 'orientir_loiro'),
    ('instrument_document', 'orientir_municipality'), ('instrument_document', 'orientir_school'),
    ('instrument_errors', 'orientir_committee'), ('instrument_errors', 'orientir_loiro'),
    ('instrument_fits', 'orientir_committee'), ('instrument_fits', 'orientir_loiro'),
    ('instrument_get', 'orientir_committee'), ('instrument_get', 'orientir_loiro'),
    ('instrument_get', 'orientir_municipality'), ('instrument_get', 'orientir_school'),
    ('instrument_publish', 'orientir_committee'), ('instrument_publish', 'orientir_loiro'),
    ('instruments_list', 'orientir_committee'), ('instruments_list', 'orientir_loiro'),
    ('instruments_list', 'orientir_municipality'), ('instruments_list', 'orientir_school'),
    ('moscow_today', 'orientir_committee'), ('moscow_today', 'orientir_loiro'),
    ('moscow_today', 'orientir_municipality'), ('moscow_today', 'orientir_school'),
    ('parse_date', 'orientir_committee'), ('parse_date', 'orientir_loiro'),
    ('parse_date', 'orientir_municipality'),
    ('check_version', 'orientir_committee'), ('check_version', 'orientir_municipality'),
    ('raise_conflict_state', 'orientir_committee'), ('raise_conflict_state', 'orientir_loiro'),
    ('raise_conflict_state', 'orientir_municipality'), ('raise_conflict_state', 'orientir_school'),
    ('school_deficits', 'orientir_committee'), ('school_deficits', 'orientir_loiro'),
    ('school_deficits', 'orientir_municipality'), ('school_deficits', 'orientir_school'),
    ('school_results', 'orientir_committee'), ('school_results', 'orientir_loiro'),
    ('school_results', 'orientir_municipality'), ('school_results', 'orientir_school'),
    ('session_check', 'orientir_api'), ('session_check', 'orientir_committee'),
    ('session_check', 'orientir_loiro'), ('session_check', 'orientir_municipality'),
    ('session_check', 'orientir_school'),
    ('submission_accept', 'orientir_municipality'),
    ('submission_answer', 'orientir_school'),
    ('submission_get', 'orientir_committee'), ('submission_get', 'orientir_loiro'),
    ('submission_get', 'orientir_municipality'), ('submission_get', 'orientir_school'),
    ('submission_open', 'orientir_school'),
    ('submission_reopen', 'orientir_committee'),
    ('submission_return', 'orientir_municipality'),
    ('submission_submit', 'orientir_school'),
    ('submissions_list', 'orientir_committee'), ('submissions_list', 'orientir_loiro'),
    ('submissions_list', 'orientir_municipality'), ('submissions_list', 'orientir_school'),
    ('submission_review_order', 'orientir_committee'), ('submission_review_order', 'orientir_loiro'),
    ('submission_review_order', 'orientir_municipality'), ('submission_review_order', 'orientir_school'),
    ('text_errors', 'orientir_loiro'),
    -- Projects and control of execution (0030–0033): reads for the four roles,
    -- reporting for every executor (the definer function checks it is the
    -- caller's own record), review and projects for the committee, documents
    -- and items for the committee and municipalities (road maps).
    ('assignment_accept', 'orientir_committee'),
    ('assignment_due_soon', 'orientir_committee'), ('assignment_due_soon', 'orientir_loiro'),
    ('assignment_due_soon', 'orientir_municipality'), ('assignment_due_soon', 'orientir_school'),
    ('assignment_get', 'orientir_committee'), ('assignment_get', 'orientir_loiro'),
    ('assignment_get', 'orientir_municipality'), ('assignment_get', 'orientir_school'),
    ('assignment_json', 'orientir_committee'), ('assignment_json', 'orientir_loiro'),
    ('assignment_json', 'orientir_municipality'), ('assignment_json', 'orientir_school'),
    ('assignment_overdue', 'orientir_committee'), ('assignment_overdue', 'orientir_loiro'),
    ('assignment_overdue', 'orientir_municipality'), ('assignment_overdue', 'orientir_school'),
    ('assignment_report', 'orientir_committee'), ('assignment_report', 'orientir_loiro'),
    ('assignment_report', 'orientir_municipality'), ('assignment_report', 'orientir_school'),
    ('assignment_return', 'orientir_committee'),
    ('assignments_list', 'orientir_committee'), ('assignments_list', 'orientir_loiro'),
    ('assignments_list', 'orientir_municipality'), ('assignments_list', 'orientir_school'),
    ('document_create', 'orientir_committee'), ('document_create', 'orientir_municipality'),
    ('document_errors', 'orientir_committee'), ('document_errors', 'orientir_municipality'),
    ('document_get', 'orientir_committee'), ('document_get', 'orientir_loiro'),
    ('document_get', 'orientir_municipality'), ('document_get', 'orientir_school'),
    ('document_issuer_json', 'orientir_committee'), ('document_issuer_json', 'orientir_loiro'),
    ('document_issuer_json', 'orientir_municipality'), ('document_issuer_json', 'orientir_school'),
    ('document_item_create', 'orientir_committee'), ('document_item_create', 'orientir_municipality'),
    ('document_item_json', 'orientir_committee'), ('document_item_json', 'orientir_loiro'),
    ('document_item_json', 'orientir_municipality'), ('document_item_json', 'orientir_school'),
    ('document_item_nodes', 'orientir_committee'), ('document_item_nodes', 'orientir_loiro'),
    ('document_item_nodes', 'orientir_municipality'), ('document_item_nodes', 'orientir_school'),
    ('document_items_create', 'orientir_committee'), ('document_items_create', 'orientir_municipality'),
    ('document_items_insert', 'orientir_committee'), ('document_items_insert', 'orientir_municipality'),
    ('document_json', 'orientir_committee'), ('document_json', 'orientir_loiro'),
    ('document_json', 'orientir_municipality'), ('document_json', 'orientir_school'),
    ('document_update', 'orientir_committee'), ('document_update', 'orientir_municipality'),
    ('documents_list', 'orientir_committee'), ('documents_list', 'orientir_loiro'),
    ('documents_list', 'orientir_municipality'), ('documents_list', 'orientir_school'),
    ('execution_date_errors', 'orientir_committee'), ('execution_date_errors', 'orientir_municipality'),
    ('execution_summary', 'orientir_committee'), ('execution_summary', 'orientir_loiro'),
    ('execution_summary', 'orientir_municipality'),
    ('executor_json', 'orientir_committee'), ('executor_json', 'orientir_loiro'),
    ('executor_json', 'orientir_municipality'), ('executor_json', 'orientir_school'),
    ('municipality_roadmap_ids', 'orientir_municipality'),
    ('project_create', 'orientir_committee'),
    ('project_errors', 'orientir_committee'),
    ('project_get', 'orientir_committee'), ('project_get', 'orientir_loiro'),
    ('project_get', 'orientir_municipality'), ('project_get', 'orientir_school'),
    ('project_group_label', 'orientir_committee'), ('project_group_label', 'orientir_loiro'),
    ('project_group_label', 'orientir_municipality'), ('project_group_label', 'orientir_school'),
    ('project_row_errors', 'orientir_committee'),
    ('project_school_add', 'orientir_committee'),
    ('project_school_json', 'orientir_committee'), ('project_school_json', 'orientir_loiro'),
    ('project_school_json', 'orientir_municipality'), ('project_school_json', 'orientir_school'),
    ('project_school_remove', 'orientir_committee'),
    ('project_schools_import', 'orientir_committee'),
    ('project_schools_import_begin', 'orientir_committee'),
    ('project_schools_import_copy_error', 'orientir_committee'),
    ('project_schools_list', 'orientir_committee'), ('project_schools_list', 'orientir_loiro'),
    ('project_schools_list', 'orientir_municipality'), ('project_schools_list', 'orientir_school'),
    ('project_update', 'orientir_committee'),
    ('projects_list', 'orientir_committee'), ('projects_list', 'orientir_loiro'),
    ('projects_list', 'orientir_municipality'), ('projects_list', 'orientir_school'),
    -- Development programs (0040–0044): reads for the four roles (mentors and
    -- partnerships are definer reads that check the scope themselves); the
    -- school's writes for the school, decisions, deficit close and
    -- partnerships for the municipality, comments for the three reviewers,
    -- practices for ЛОИРО. Every write is a definer function.
    ('deficits_json', 'orientir_committee'), ('deficits_json', 'orientir_loiro'), ('deficits_json', 'orientir_municipality'), ('deficits_json', 'orientir_school'),
    ('indicator_mentors', 'orientir_committee'), ('indicator_mentors', 'orientir_loiro'), ('indicator_mentors', 'orientir_municipality'), ('indicator_mentors', 'orientir_school'),
    ('measure_overdue', 'orientir_committee'), ('measure_overdue', 'orientir_loiro'), ('measure_overdue', 'orientir_municipality'), ('measure_overdue', 'orientir_school'),
    ('partnerships_list', 'orientir_committee'), ('partnerships_list', 'orientir_loiro'), ('partnerships_list', 'orientir_municipality'), ('partnerships_list', 'orientir_school'),
    ('practice_get', 'orientir_committee'), ('practice_get', 'orientir_loiro'), ('practice_get', 'orientir_municipality'), ('practice_get', 'orientir_school'),
    ('practices_list', 'orientir_committee'), ('practices_list', 'orientir_loiro'), ('practices_list', 'orientir_municipality'), ('practices_list', 'orientir_school'),
    ('program_get', 'orientir_committee'), ('program_get', 'orientir_loiro'), ('program_get', 'orientir_municipality'), ('program_get', 'orientir_school'),
    ('program_measure_json', 'orientir_committee'), ('program_measure_json', 'orientir_loiro'), ('program_measure_json', 'orientir_municipality'), ('program_measure_json', 'orientir_school'),
    ('programs_list', 'orientir_committee'), ('programs_list', 'orientir_loiro'), ('programs_list', 'orientir_municipality'), ('programs_list', 'orientir_school'),
    ('program_create', 'orientir_school'),
    ('program_update', 'orientir_school'),
    ('program_analysis_set', 'orientir_school'),
    ('program_measure_create', 'orientir_school'),
    ('program_measure_update', 'orientir_school'),
    ('program_measure_delete', 'orientir_school'),
    ('program_submit', 'orientir_school'),
    ('program_revise', 'orientir_school'),
    ('program_measure_progress', 'orientir_school'),
    ('program_approve', 'orientir_municipality'),
    ('program_return', 'orientir_municipality'),
    ('deficit_close', 'orientir_municipality'),
    ('partnership_create', 'orientir_municipality'),
    ('partnership_delete', 'orientir_municipality'),
    ('program_comment_add', 'orientir_committee'), ('program_comment_add', 'orientir_loiro'), ('program_comment_add', 'orientir_municipality'),
    ('practice_create', 'orientir_loiro'), ('practice_update', 'orientir_loiro'),
    -- Monitoring summaries and exports (0050–0052): the summaries and the five
    -- export row functions for the committee, ЛОИРО and municipalities (definer
    -- reads that apply the scope themselves; their helpers are owner only), the
    -- school card (an invoker read) for all four.
    ('report_deficit_rows', 'orientir_committee'), ('report_deficit_rows', 'orientir_loiro'),
    ('report_deficit_rows', 'orientir_municipality'),
    ('report_deficits', 'orientir_committee'), ('report_deficits', 'orientir_loiro'),
    ('report_deficits', 'orientir_municipality'),
    ('report_execution_rows', 'orientir_committee'), ('report_execution_rows', 'orientir_loiro'),
    ('report_execution_rows', 'orientir_municipality'),
    ('report_export_begin', 'orientir_committee'), ('report_export_begin', 'orientir_loiro'),
    ('report_export_begin', 'orientir_municipality'),
    ('report_municipality_rows', 'orientir_committee'), ('report_municipality_rows', 'orientir_loiro'),
    ('report_municipality_rows', 'orientir_municipality'),
    ('report_program_rows', 'orientir_committee'), ('report_program_rows', 'orientir_loiro'),
    ('report_program_rows', 'orientir_municipality'),
    ('report_programs', 'orientir_committee'), ('report_programs', 'orientir_loiro'),
    ('report_programs', 'orientir_municipality'),
    ('report_school_rows', 'orientir_committee'), ('report_school_rows', 'orientir_loiro'),
    ('report_school_rows', 'orientir_municipality'),
    ('report_schools', 'orientir_committee'), ('report_schools', 'orientir_loiro'),
    ('report_schools', 'orientir_municipality'),
    ('report_summary', 'orientir_committee'), ('report_summary', 'orientir_loiro'),
    ('report_summary', 'orientir_municipality'),
    ('school_card', 'orientir_committee'), ('school_card', 'orientir_loiro'),
    ('school_card', 'orientir_municipality'), ('school_card', 'orientir_school'),
    ('answer_history', 'orientir_municipality'), ('answer_history', 'orientir_school'),
    ('answer_updater_json', 'orientir_municipality'), ('answer_updater_json', 'orientir_school'),
    -- Attached files (0070): every function for the four roles — the public ones are invoker
    -- (RLS), the definer internals check the caller's organisation themselves.
    ('attachment_add', 'orientir_committee'), ('attachment_add', 'orientir_loiro'),
    ('attachment_add', 'orientir_municipality'), ('attachment_add', 'orientir_school'),
    ('attachment_detach', 'orientir_committee'), ('attachment_detach', 'orientir_loiro'),
    ('attachment_detach', 'orientir_municipality'), ('attachment_detach', 'orientir_school'),
    ('attachment_get', 'orientir_committee'), ('attachment_get', 'orientir_loiro'),
    ('attachment_get', 'orientir_municipality'), ('attachment_get', 'orientir_school'),
    ('attachment_insert', 'orientir_committee'), ('attachment_insert', 'orientir_loiro'),
    ('attachment_insert', 'orientir_municipality'), ('attachment_insert', 'orientir_school'),
    ('attachment_json', 'orientir_committee'), ('attachment_json', 'orientir_loiro'),
    ('attachment_json', 'orientir_municipality'), ('attachment_json', 'orientir_school'),
    ('attachment_object_visible', 'orientir_committee'), ('attachment_object_visible', 'orientir_loiro'),
    ('attachment_object_visible', 'orientir_municipality'), ('attachment_object_visible', 'orientir_school'),
    ('attachment_read_audit', 'orientir_committee'), ('attachment_read_audit', 'orientir_loiro'),
    ('attachment_read_audit', 'orientir_municipality'), ('attachment_read_audit', 'orientir_school'),
    ('attachment_remove', 'orientir_committee'), ('attachment_remove', 'orientir_loiro'),
    ('attachment_remove', 'orientir_municipality'), ('attachment_remove', 'orientir_school'),
    ('attachments_json', 'orientir_committee'), ('attachments_json', 'orientir_loiro'),
    ('attachments_json', 'orientir_municipality'), ('attachments_json', 'orientir_school'),
    ('claim_organisation', 'orientir_committee'), ('claim_organisation', 'orientir_loiro'),
    ('claim_organisation', 'orientir_municipality'), ('claim_organisation', 'orientir_school')
  ) v(f, g)
  order by 1, 2 $$,
  'EXECUTE is granted exactly to the roles docs/design.md names, function by function');

-- Table privileges -------------------------------------------------------------
-- A new table or grant must be added to these two lists deliberately.
select results_eq($$
  select c.relname::text collate "default", a.grantee::regrole::text, a.privilege_type::text
  from pg_class c, aclexplode(c.relacl) a
  where c.relnamespace = 'app'::regnamespace and a.grantee <> c.relowner
  order by 1, 2, 3 $$,
  $$
  select t::text, g::text, p::text
  from (values
    ('municipalities', 'orientir_committee', 'SELECT'), ('municipalities', 'orientir_loiro', 'SELECT'),
    ('municipalities', 'orientir_municipality', 'SELECT'), ('municipalities', 'orientir_school', 'SELECT'),
    ('regions', 'orientir_committee', 'SELECT'), ('regions', 'orientir_loiro', 'SELECT'),
    ('regions', 'orientir_municipality', 'SELECT'), ('regions', 'orientir_school', 'SELECT'),
    ('schools', 'orientir_committee', 'SELECT'), ('schools', 'orientir_loiro', 'SELECT'),
    ('schools', 'orientir_municipality', 'SELECT'), ('schools', 'orientir_school', 'SELECT'),
    -- the history of answers (0073): the school and its municipality only
    ('answer_history', 'orientir_municipality', 'SELECT'), ('answer_history', 'orientir_school', 'SELECT')
  ) v(t, g, p)
  union all
  select t, g, 'SELECT'
  from unnest(array['instruments', 'directions', 'indicators', 'indicator_options', 'campaigns',
                    'campaign_instruments', 'campaign_schools', 'submissions', 'answers',
                    'submission_directions', 'submission_events', 'deficits',
                    -- projects and control of execution (0030–0033)
                    'projects', 'project_schools', 'documents', 'document_items', 'assignments',
                    -- development programs, practices, partnerships (0040–0044)
                    'programs', 'program_measures', 'program_measure_deficits', 'program_analyses',
                    'program_comments', 'program_events', 'practices', 'practice_indicators',
                    'partnerships', 'partnership_indicators',
                    -- attached files (0070)
                    'attachments']) t,
       unnest(array['orientir_committee', 'orientir_loiro', 'orientir_municipality', 'orientir_school']) g
  order by 1, 2, 3 $$,
  'table-level privileges in schema app: SELECT on the organisations and the self-diagnostic tables for the four request roles, nothing else');

select results_eq($$
  select distinct c.relname::text collate "default", a.grantee::regrole::text, a.privilege_type::text
  from pg_class c
  join pg_attribute att on att.attrelid = c.oid and att.attnum > 0 and not att.attisdropped
  cross join aclexplode(att.attacl) a
  where c.relnamespace = 'app'::regnamespace and a.grantee <> c.relowner
  order by 1, 2, 3 $$,
  $$
  select t::text, g::text, p::text
  from (values
    ('schools', 'orientir_committee', 'INSERT'), ('schools', 'orientir_committee', 'UPDATE'),
    ('users', 'orientir_committee', 'INSERT'), ('users', 'orientir_committee', 'SELECT'),
    ('users', 'orientir_committee', 'UPDATE'),
    ('users', 'orientir_municipality', 'INSERT'), ('users', 'orientir_municipality', 'SELECT'),
    ('users', 'orientir_municipality', 'UPDATE'),
    -- Instruments and campaigns are written by the committee and ЛОИРО; UPDATE
    -- only to publish an instrument and to extend a campaign. Submissions and
    -- everything below them: no write privilege (definer state functions).
    ('campaign_instruments', 'orientir_committee', 'INSERT'), ('campaign_instruments', 'orientir_loiro', 'INSERT'),
    ('campaign_schools', 'orientir_committee', 'INSERT'), ('campaign_schools', 'orientir_loiro', 'INSERT'),
    ('campaigns', 'orientir_committee', 'INSERT'), ('campaigns', 'orientir_committee', 'UPDATE'),
    ('campaigns', 'orientir_loiro', 'INSERT'), ('campaigns', 'orientir_loiro', 'UPDATE'),
    ('directions', 'orientir_committee', 'INSERT'), ('directions', 'orientir_loiro', 'INSERT'),
    ('indicator_options', 'orientir_committee', 'INSERT'), ('indicator_options', 'orientir_loiro', 'INSERT'),
    ('indicators', 'orientir_committee', 'INSERT'), ('indicators', 'orientir_loiro', 'INSERT'),
    ('instruments', 'orientir_committee', 'INSERT'), ('instruments', 'orientir_committee', 'UPDATE'),
    ('instruments', 'orientir_loiro', 'INSERT'), ('instruments', 'orientir_loiro', 'UPDATE'),
    -- Projects: the committee. Documents and items: the committee and
    -- municipalities (road maps); execution records only INSERT (created with
    -- their item) — reports and reviews are definer functions, no UPDATE.
    ('assignments', 'orientir_committee', 'INSERT'), ('assignments', 'orientir_municipality', 'INSERT'),
    ('document_items', 'orientir_committee', 'INSERT'), ('document_items', 'orientir_municipality', 'INSERT'),
    ('documents', 'orientir_committee', 'INSERT'), ('documents', 'orientir_committee', 'UPDATE'),
    ('documents', 'orientir_municipality', 'INSERT'), ('documents', 'orientir_municipality', 'UPDATE'),
    ('project_schools', 'orientir_committee', 'INSERT'), ('project_schools', 'orientir_committee', 'UPDATE'),
    ('projects', 'orientir_committee', 'INSERT'), ('projects', 'orientir_committee', 'UPDATE')
  ) v(t, g, p)
  order by 1, 2, 3 $$,
  'column privileges: schools by the committee; users by the committee and municipalities; instruments and campaigns by the committee and ЛОИРО');

select results_eq($$
  select c.relname::text collate "default", att.attname::text collate "default", a.grantee::regrole::text
  from pg_class c
  join pg_attribute att on att.attrelid = c.oid and att.attnum > 0 and not att.attisdropped
  cross join aclexplode(att.attacl) a
  where c.relname in ('instruments', 'campaigns') and c.relnamespace = 'app'::regnamespace
    and a.privilege_type = 'UPDATE' and a.grantee <> c.relowner
  order by 1, 2, 3 $$,
  $$ values ('campaigns', 'closes_on', 'orientir_committee'), ('campaigns', 'closes_on', 'orientir_loiro'),
            ('instruments', 'published_at', 'orientir_committee'), ('instruments', 'published_at', 'orientir_loiro'),
            ('instruments', 'status', 'orientir_committee'), ('instruments', 'status', 'orientir_loiro') $$,
  'only publishing (status, published_at) and extending (closes_on) are updatable columns');

select is_empty($$
  select r, t, p from
    unnest(array['orientir_api', 'orientir_anon', 'orientir_committee', 'orientir_loiro',
                 'orientir_municipality', 'orientir_school']) r,
    unnest(array['app.submissions', 'app.answers', 'app.submission_directions', 'app.submission_events',
                 'app.deficits']) t,
    unnest(array['INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) p
  where case when p in ('INSERT', 'UPDATE', 'REFERENCES') then has_any_column_privilege(r, t, p)
             else has_table_privilege(r, t, p) end $$,
  'no API role may write submissions, answers, results, history or deficits (only the definer state functions do)');

select results_eq($$
  select p.proname::text collate "default" from pg_proc p
  where p.pronamespace = 'app'::regnamespace and p.prosecdef and p.proname like 'submission\_%'
    and exists (select 1 from aclexplode(p.proacl) a where a.grantee <> p.proowner)
  order by 1 $$,
  $$ values ('submission_accept'), ('submission_answer'), ('submission_open'), ('submission_reopen'),
            ('submission_return'), ('submission_submit') $$,
  'the submission state functions are SECURITY DEFINER (and the only definer submission functions callable by API roles)');

select is_empty($$
  select r, t, p from
    unnest(array['orientir_api', 'orientir_anon', 'orientir_committee', 'orientir_loiro',
                 'orientir_municipality', 'orientir_school']) r,
    unnest(array['app.programs', 'app.program_measures', 'app.program_measure_deficits', 'app.program_analyses',
                 'app.program_comments', 'app.program_events', 'app.practices', 'app.practice_indicators',
                 'app.partnerships', 'app.partnership_indicators']) t,
    unnest(array['INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) p
  where case when p in ('INSERT', 'UPDATE', 'REFERENCES') then has_any_column_privilege(r, t, p)
             else has_table_privilege(r, t, p) end $$,
  'no API role may write program, practice or partnership tables (only the definer functions do)');

select results_eq($$
  select p.proname::text collate "default" from pg_proc p
  where p.pronamespace = 'app'::regnamespace and not p.prosecdef
    and (p.proname like 'program\_%' or p.proname like 'practice\_%' or p.proname like 'partnership\_%'
         or p.proname = 'deficit_close')
    and exists (select 1 from aclexplode(p.proacl) a where a.grantee <> p.proowner)
  order by 1 $$,
  $$ values ('practice_get'), ('practice_indicators_json'), ('program_get'), ('program_measure_json') $$,
  'every program, practice and partnership function an API role may call is SECURITY DEFINER, except the reads');

select is_empty($$
  select r, att.attrelid::regclass from pg_attribute att,
    unnest(array['orientir_api', 'orientir_anon', 'orientir_committee', 'orientir_loiro',
                 'orientir_municipality', 'orientir_school']) r
  where att.attname = 'password_hash' and not att.attisdropped
    and att.attrelid in (select oid from pg_class where relnamespace = 'app'::regnamespace)
    and has_column_privilege(r, att.attrelid, att.attnum, 'SELECT') $$,
  'no API role may select password_hash');

select ok(not has_any_column_privilege('orientir_api', 'app.users', 'SELECT, INSERT, UPDATE, REFERENCES')
          and not has_table_privilege('orientir_api', 'app.schools', 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE')
          and not has_table_privilege('orientir_anon', 'app.users', 'SELECT, INSERT, UPDATE, DELETE')
          and not has_any_column_privilege('orientir_anon', 'app.users', 'SELECT'),
  'orientir_api and orientir_anon hold no privilege on tables themselves');

select ok(not has_any_column_privilege('orientir_loiro', 'app.users', 'SELECT, INSERT, UPDATE, REFERENCES')
          and not has_any_column_privilege('orientir_school', 'app.users', 'SELECT, INSERT, UPDATE, REFERENCES'),
  'ЛОИРО and schools have no privilege on users');

select is_empty($$
  select r, t, p from
    unnest(array['orientir_api', 'orientir_anon', 'orientir_committee', 'orientir_loiro',
                 'orientir_municipality', 'orientir_school']) r,
    unnest(array['app.audit_log', 'app.refresh_tokens', 'app.login_attempts']) t,
    unnest(array['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) p
  where has_table_privilege(r, t, p) $$,
  'no API role has any privilege on audit_log, refresh_tokens or login_attempts');

select is_empty($$
  select r, c.relname from pg_class c,
    unnest(array['orientir_api', 'orientir_anon', 'orientir_committee', 'orientir_loiro',
                 'orientir_municipality', 'orientir_school']) r
  where c.relnamespace = 'app'::regnamespace and c.relkind in ('r', 'p')
    and has_table_privilege(r, c.oid, 'DELETE, TRUNCATE') $$,
  'no API role may DELETE or TRUNCATE any table');

select ok(not has_schema_privilege('public', 'app', 'USAGE, CREATE'),
  'PUBLIC has no privilege on schema app');

-- Roles ------------------------------------------------------------------------
select results_eq($$
  select rolname::text collate "default", rolcanlogin, rolinherit, rolbypassrls, rolsuper, rolcreaterole, rolcreatedb
  from pg_roles where rolname like 'orientir\_%' order by rolname $$,
  $$ values ('orientir_anon', false, false, false, false, false, false),
            ('orientir_api', true, false, false, false, false, false),
            ('orientir_committee', false, false, false, false, false, false),
            ('orientir_loiro', false, false, false, false, false, false),
            ('orientir_municipality', false, false, false, false, false, false),
            ('orientir_owner', false, true, true, false, false, false),
            ('orientir_school', false, false, false, false, false, false) $$,
  'roles have the attributes of docs/design.md (owner NOLOGIN BYPASSRLS, api LOGIN NOINHERIT)');

select results_eq($$
  select g.rolname::text collate "default" from pg_auth_members am
  join pg_roles g on g.oid = am.roleid
  where am.member = 'orientir_api'::regrole order by 1 $$,
  $$ values ('orientir_anon'), ('orientir_committee'), ('orientir_loiro'),
            ('orientir_municipality'), ('orientir_school') $$,
  'orientir_api is a member of exactly the five request roles');

select is_empty($$
  select am.member::regrole from pg_auth_members am where am.roleid = 'orientir_owner'::regrole $$,
  'nobody is a member of orientir_owner');

select is_empty($$
  select r.rolname, g.rolname from pg_auth_members am
  join pg_roles r on r.oid = am.member join pg_roles g on g.oid = am.roleid
  where r.rolname in ('orientir_anon', 'orientir_committee', 'orientir_loiro',
                      'orientir_municipality', 'orientir_school') $$,
  'the request roles are members of nothing');

-- The API's first statement of a request works as orientir_api itself ---------
-- (backend/src/db.c SQL_OPEN: the account check, the claims, request id and role)
select token_epoch as fx_epoch from app.users where id = pg_temp.fx('user:t-school-a1') \gset
set local role orientir_api;
select is(
  (select ok from (
     select app.session_check(pg_temp.fx('user:t-school-a1'), :fx_epoch) as ok,
            set_config('request.sub', pg_temp.fx('user:t-school-a1')::text, true),
            set_config('request.role', 'school', true),
            set_config('request.reg', pg_temp.fx('region:T1')::text, true),
            set_config('request.mun', pg_temp.fx('municipality:T1-A')::text, true),
            set_config('request.sch', pg_temp.fx('school:T1-A-1')::text, true),
            set_config('request.id', 'req-1', true),
            set_config('role', 'orientir_school', true)) s),
  true, 'the first statement of a request (account check, claims, request id, role) runs for orientir_api');
select is(app.claim_school_id(), pg_temp.fx('school:T1-A-1'), 'the claims reach the helpers');
select is(current_user::text, 'orientir_school', 'after it the transaction runs as the request role');
reset role;

set local role orientir_api;
select throws_ok($$ select count(*) from app.schools $$, '42501', null,
  'orientir_api itself cannot read any table');
select throws_ok($$ select app.schools_list(null, null, null, null) $$, '42501', null,
  'orientir_api itself cannot call resource functions');
reset role;

select pg_temp.act_as(null);
select throws_ok($$ select count(*) from app.regions $$, '42501', null,
  'orientir_anon cannot read any table');
reset role;

select cmp_ok((select count(*)::int from pg_class where relnamespace = 'app'::regnamespace and relkind = 'r'),
  '>=', 34, 'the catalog tests saw (at least) the tables of the foundation, self-diagnostics, execution and programs');

select * from finish();
rollback;
