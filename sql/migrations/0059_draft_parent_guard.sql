-- 0059_draft_parent_guard: answers and program analyses are guarded by one
-- statement trigger function, app.draft_parent_guard (sql/functions/shared.sql),
-- instead of one function each. Their triggers go with the old functions and
-- sql/functions/triggers.sql, applied after this, creates them again.
drop function if exists app.answers_guard() cascade;
drop function if exists app.program_analyses_guard() cascade;
