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
-- Self-diagnostics (diagnostics.sql): instruments, a closed and an open
-- campaign with submissions in every state. Development programs
-- (programs.sql): programs of last year's campaign in every state, practices
-- of ЛОИРО, mentoring partnerships.
--
-- diagnostics.sql reads JSON files beside this one with the shell (psql's
-- backquotes run in psql's working directory, not this file's), so it needs
-- this directory: pass -v demo_dir=DIR, or it is taken from psql's own
-- command line (-f PATH), else sql/demo (the repository root as working
-- directory).

\set ON_ERROR_STOP on
\if :{?demo_password_hash}
\else
  do $$ begin raise exception 'sql/demo/load.sql: pass -v demo_password_hash=... (a pbkdf2_sha256 hash)'; end $$;
\endif

\if :{?demo_dir}
\else
  \set demo_dir `f=$(tr '\0' '\n' </proc/$PPID/cmdline 2>/dev/null | awk 'p { print; p = 0 } /^(-f|--file)$/ { p = 1 } /^--file=/ { sub(/^--file=/, ""); print } /^-f./ { sub(/^-f/, ""); print }' | grep 'load[.]sql$' | head -n 1); if [ -n "$f" ]; then dirname "$f"; else echo sql/demo; fi`
\endif

begin;
\ir organisations.sql
\ir schools.sql
\ir users.sql
\ir diagnostics.sql
\ir execution.sql
\ir programs.sql
commit;
