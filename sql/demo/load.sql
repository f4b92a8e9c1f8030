-- Demo data for Orientir (never loaded in production): Leningrad Oblast, its
-- 18 municipal formations, 348 schools and one user per organisation.
--
-- The single entry point:
--   psql -v ON_ERROR_STOP=1 -v demo_password_hash='pbkdf2_sha256$…' -f sql/demo/load.sql
-- Every demo user gets that one precomputed hash. Runs as a superuser on a
-- migrated database, in one transaction; rows are keyed by stable codes and
-- logins (on conflict do nothing), so loading it again adds nothing.
--
-- Demo logins (see users.sql): committee, loiro, mo-<district> (e.g.
-- mo-vsevolozhsky), school-<school code> (e.g. school-47-04-001).

\set ON_ERROR_STOP on
\if :{?demo_password_hash}
\else
  do $$ begin raise exception 'sql/demo/load.sql: pass -v demo_password_hash=... (a pbkdf2_sha256 hash)'; end $$;
\endif

begin;
\ir organisations.sql
\ir schools.sql
\ir users.sql
commit;
