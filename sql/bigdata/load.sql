-- Big data for Orientir (never in production): a data set shaped like all of
-- Russia, for `make bigdata` and `make bench` — 89 regions, about 2,000
-- municipalities and 41,000 schools, plus one oversized synthetic region of
-- 10,000 schools; per region an instrument of 104 indicators, two closed
-- campaigns answered in full and accepted, an open one with drafts; a user
-- per region (committee, ЛОИРО), per municipality and per school.
--
--   psql -v ON_ERROR_STOP=1 -v bigdata_password_hash='pbkdf2_sha256$…' \
--        -v bigdata_doc_file=instrument.json -f sql/bigdata/load.sql
--
-- scripts/bigdata.sh is the entry point (it makes the instrument document,
-- the hash, and runs VACUUM ANALYZE afterwards). Runs as a superuser on a
-- migrated database, beside the demo data (codes ru-NN never clash with it),
-- in one transaction. Refuses to run twice (region ru-01 exists).
--
-- How the row-by-row triggers are bypassed, and why it is safe:
--   `set local session_replication_role = replica` (superuser only, this
--   transaction only) switches off every ordinary trigger: the audit
--   triggers (one audit row per answer would be ten million rows of jsonb),
--   the guards (published instruments are immutable — the copies of the
--   template instrument are inserted published; answers only while a
--   submission is a draft), the version bumps, and the foreign-key triggers.
--   What they would have guaranteed is kept otherwise:
--   - constraints that are not triggers (primary and unique keys, CHECKs,
--     NOT NULL) still apply to every row;
--   - every foreign key is checked set-based by check.sql before COMMIT;
--   - the state the guards protect is generated directly in its final shape
--     (submissions inserted as drafts, scored, then accepted: the same path
--     as submit/accept), and the derived rows come from app.submissions_score,
--     the scoring submit uses;
--   - audit: one row (action 'bulk_load', entity 'bigdata', role 'system')
--     records the load and its row counts instead of a row per inserted row.
--   The setting ends with the transaction; the API's sessions never see it.

\set ON_ERROR_STOP on
\if :{?bigdata_password_hash}
\else
  do $$ begin raise exception 'sql/bigdata/load.sql: pass -v bigdata_password_hash=... (a pbkdf2_sha256 hash)'; end $$;
\endif
\if :{?bigdata_doc_file}
\else
  do $$ begin raise exception 'sql/bigdata/load.sql: pass -v bigdata_doc_file=... (the instrument document)'; end $$;
\endif
\set bigdata_doc `cat :'bigdata_doc_file'`

begin;
set local session_replication_role = replica;
set local work_mem = '256MB';
set local maintenance_work_mem = '256MB';
set local client_min_messages = warning;

do $$
begin
  if exists (select 1 from app.regions where code = 'ru-01') then
    raise exception 'bigdata: already loaded (region ru-01 exists)';
  end if;
end
$$;

-- A deterministic draw in [0, 1) from an integer key.
create function pg_temp.bd_u(k bigint) returns double precision
language sql immutable parallel safe
as $$ select (hashint8(k) & 2147483647)::double precision / 2147483648.0 $$;

-- A plausible Russian full name for a number (as the demo's users).
create function pg_temp.bd_person(n integer) returns text
language sql immutable
as $$
  select format('%s %s %s',
                (array['Иванова', 'Петрова', 'Смирнова', 'Кузнецова', 'Соколова', 'Попова', 'Лебедева',
                       'Козлова', 'Новикова', 'Морозова', 'Волкова', 'Соловьёва', 'Васильева', 'Зайцева',
                       'Павлова', 'Семёнова', 'Голубева', 'Виноградова', 'Богданова', 'Воробьёва'])[1 + n % 20],
                (array['Анна', 'Елена', 'Ольга', 'Наталья', 'Ирина', 'Татьяна', 'Светлана', 'Марина',
                       'Екатерина', 'Юлия', 'Людмила', 'Галина', 'Надежда'])[1 + (n * 7) % 13],
                (array['Александровна', 'Сергеевна', 'Владимировна', 'Николаевна', 'Викторовна',
                       'Андреевна', 'Михайловна', 'Игоревна', 'Юрьевна', 'Петровна', 'Дмитриевна'])[1 + (n * 11) % 11])
$$;

select round(extract(epoch from clock_timestamp() - now()))::integer as bd_t \gset
\echo bigdata: :bd_t s, organisations
\ir organisations.sql
select round(extract(epoch from clock_timestamp() - now()))::integer as bd_t \gset
\echo bigdata: :bd_t s, users
\ir users.sql
select round(extract(epoch from clock_timestamp() - now()))::integer as bd_t \gset
\echo bigdata: :bd_t s, instruments
\ir instruments.sql
select round(extract(epoch from clock_timestamp() - now()))::integer as bd_t \gset
\echo bigdata: :bd_t s, campaigns
\ir campaigns.sql
select round(extract(epoch from clock_timestamp() - now()))::integer as bd_t \gset
\echo bigdata: :bd_t s, submissions and answers
\ir submissions.sql
select round(extract(epoch from clock_timestamp() - now()))::integer as bd_t \gset
\echo bigdata: :bd_t s, scoring, acceptance, history
\ir results.sql
select round(extract(epoch from clock_timestamp() - now()))::integer as bd_t \gset
\echo bigdata: :bd_t s, foreign keys
\ir check.sql

select round(extract(epoch from clock_timestamp() - now()))::integer as bd_t \gset
\echo bigdata: :bd_t s, commit
insert into app.audit_log (role, request_id, action, entity, after)
select 'system', 'bigdata', 'bulk_load', 'bigdata', jsonb_build_object(
  'regions', (select count(*) from bd_region),
  'municipalities', (select count(*) from app.municipalities mu join app.regions r on r.id = mu.region_id
                     join bd_region b on b.code = r.code),
  'schools', (select count(*) from app.schools s join app.municipalities mu on mu.id = s.municipality_id
              join app.regions r on r.id = mu.region_id join bd_region b on b.code = r.code),
  'submissions', (select count(*) from bd_sub),
  'answers', (select count(*) from app.answers a where a.submission_id in (select submission_id from bd_sub)));

commit;
