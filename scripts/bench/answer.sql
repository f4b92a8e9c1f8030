-- pgbench: the database side of PUT /api/v1/submissions/{id}/answers/{indicator_id},
-- as the API sends it (backend/src/db.c, api/submissions.c): the opening in one
-- pipelined round trip (BEGIN; claims, request id, role; the active check), the
-- call, COMMIT. Each client saves into its own draft (:submission_id, with the
-- school's :claims); the indicator and one of two values are drawn per
-- transaction from :indicators / :values_a / :values_b (arrays of :n items).
-- No If-Match (p_version NULL): the version check is one comparison either way.
\set k random(1, :n)
\set v random(0, 1)
\startpipeline
BEGIN;
SELECT set_config('request.claims', :claims, true), set_config('request.id', 'bench-pgbench', true),
       set_config('role', :role, true);
SELECT app.current_user_is_active();
\endpipeline
SELECT app.submission_answer(:submission_id::bigint, (:indicators::bigint[])[:k],
                             (case when :v = 0 then :values_a::text[] else :values_b::text[] end)[:k],
                             NULL, NULL::int);
COMMIT;
