-- pgbench: the database side of POST /api/v1/auth/login, as the API sends it
-- (backend/src/api/auth.c, db.c) — two anonymous transactions, each in one
-- pipeline (one round trip: BEGIN; request id and orientir_anon; the call;
-- COMMIT): the lookup, then (after the PBKDF2 check, which happens in C and is
-- not measured here) the success with a fresh refresh-token hash. A complete
-- script (it has its own BEGIN): bench.sh runs it as it is, with no minimal
-- transaction. Variables: :login, :user_id.
\startpipeline
BEGIN;
SELECT set_config('request.id', 'bench-pgbench', true), set_config('role', 'orientir_anon', true);
SELECT user_id, password_hash, is_active, retry_after FROM app.login_lookup(:login, '127.0.0.1');
COMMIT;
\endpipeline
\startpipeline
BEGIN;
SELECT set_config('request.id', 'bench-pgbench', true), set_config('role', 'orientir_anon', true);
SELECT app.login_succeed(:user_id::bigint, '127.0.0.1', decode(md5(random()::text) || md5(random()::text), 'hex'),
                         now() + make_interval(secs => 1209600));
COMMIT;
\endpipeline
