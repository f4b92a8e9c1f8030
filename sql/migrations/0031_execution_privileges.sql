-- 0031_execution_privileges: which role may touch which table (and column)
-- of projects and control of execution at all. Row scope is the job of the
-- policies (0032).
--
--   Every table: SELECT for the four request roles (RLS narrows it).
--   projects, project_schools: written by the committee through the invoker
--     functions of sql/functions/ (INSERT of the columns they set; UPDATE of the
--     editable ones). Removing a school from a project is a definer function
--     (no API role may DELETE any table).
--   documents, document_items: INSERT by the committee (its documents) and
--     municipalities (their road maps); UPDATE of the document's own fields.
--   assignments: INSERT by the same issuers, when an item is created with
--     its executors; no UPDATE for anyone — reports, acceptance and returns
--     are the SECURITY DEFINER state functions of sql/functions/, which check that the
--     caller is the executor (report) or the reviewing committee (review).

grant select on app.projects, app.project_schools, app.documents, app.document_items, app.assignments
  to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;

grant insert (region_id, title, description, starts_on, ends_on, lead, order_number, order_date, created_by),
      update (title, description, starts_on, ends_on, lead, order_number, order_date)
  on app.projects to orientir_committee;

grant insert (project_id, school_id, school_group, unfavorable_conditions),
      update (school_group, unfavorable_conditions, updated_at)
  on app.project_schools to orientir_committee;

grant insert (region_id, municipality_id, kind, number, doc_date, title, project_id, created_by),
      update (kind, number, doc_date, title, project_id)
  on app.documents to orientir_committee, orientir_municipality;

grant insert (document_id, region_id, number, content, deadline, deadline_text, expected_result, executors)
  on app.document_items to orientir_committee, orientir_municipality;

grant insert (region_id, document_id, item_id, executor_kind, municipality_id, school_id, assigned_as)
  on app.assignments to orientir_committee, orientir_municipality;
