-- pgbench: the call of PUT /api/v1/submissions/{id}/answers/{indicator_id}
-- (backend/src/api/submissions.c). bench.sh wraps it in the request transaction,
-- as the API sends it (one pipeline: BEGIN; session check, settings, role; this;
-- COMMIT) and as the job's minimal transaction (pgbench_script); the \set lines
-- go before the transaction. Each client saves into its own draft
-- (:submission_id, with the school's claims); the indicator and one of two values
-- are drawn per transaction from :indicators / :values_a / :values_b (arrays of
-- :n items). If-Match is the answer's current version, as the questionnaire sends it
-- (NULL for an answer not saved yet).
\set k random(1, :n)
\set v random(0, 1)
SELECT app.submission_answer(:submission_id::bigint, (:indicators::bigint[])[:k],
                             (case when :v = 0 then :values_a::text[] else :values_b::text[] end)[:k],
                             NULL, (select a.version from app.answers a
                                    where a.submission_id = :submission_id::bigint
                                      and a.indicator_id = (:indicators::bigint[])[:k]));
