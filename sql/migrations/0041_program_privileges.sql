-- 0041_program_privileges: which role may touch which development-program
-- table at all. Row scope is the job of the policies (0042).
--
--   Every table: SELECT for the four request roles (RLS narrows it).
--   No write privilege for any API role, on any of them (nor on deficits,
--     whose lifecycle columns these functions move): every write is a
--     SECURITY DEFINER function of sql/functions/ that checks the caller's scope
--     (the same as the SELECT policy), then the state, then the version,
--     then the input. Practices too: editing a practice replaces its
--     indicator links, which needs DELETE — a privilege no API role holds.

grant select on app.programs, app.program_measures, app.program_measure_deficits, app.program_analyses,
                app.program_comments, app.program_events, app.practices, app.practice_indicators,
                app.partnerships, app.partnership_indicators
  to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
