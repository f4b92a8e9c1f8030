-- CSV import of a project's schools: the sequence the C layer runs (begin,
-- COPY into a temporary table, import) and its error mapping.
-- Function file (see shared.sql for how function files are applied).

set local role orientir_owner;

-- CSV import of a project's schools
--
-- PostgreSQL's own CSV parser reads the file: the C layer, in the request's
-- transaction, calls project_schools_import_begin() (a temporary table),
-- streams the body with
--   COPY pg_temp.project_school_csv (school_code, "group", unfavorable_conditions)
--     FROM STDIN (FORMAT csv, DELIMITER ';', HEADER match, ENCODING 'UTF8')
-- and calls project_schools_import(project, dry_run), which checks every
-- line set-based and stores all lines or none. A file COPY itself rejects
-- (wrong number of fields, unclosed quote, wrong header, bad UTF-8) is
-- reported by project_schools_import_copy_error after ROLLBACK TO SAVEPOINT.
-- Line numbers count the header as line 1.

-- Committee: (re)creates the temporary table COPY fills; it disappears at
-- the end of the transaction. line = the record's line number (header = 1).
create or replace function app.project_schools_import_begin() returns void
language plpgsql set search_path = app, pg_temp as $$
begin
  if to_regclass('pg_temp.project_school_csv') is not null then
    drop table pg_temp.project_school_csv;
  end if;
  create temporary table project_school_csv (
    line                   bigint generated always as identity (start with 2),
    school_code            text,
    "group"                text,
    unfavorable_conditions text
  ) on commit drop;
end
$$;
grant execute on function app.project_schools_import_begin() to orientir_committee;
comment on function app.project_schools_import_begin() is
  'Committee: create pg_temp.project_school_csv for COPY … FROM STDIN (dropped at commit)';

-- Committee: checks every line of pg_temp.project_school_csv for project
-- p_project_id: school code required, known in the caller's region (a school of
-- another region is not_found like an unknown one: the import does not tell which
-- codes exist elsewhere), not repeated;
-- group one of low_results, risk_zone, academic_failure; flag 0 or 1.
-- Any bad line → OR422 import.invalid_lines with HINT = every error
-- [{line, field, code, message}] by line, and nothing is stored. Otherwise
-- stores every line (adds the school or changes its group and flag), unless
-- p_dry_run. Returns {imported, would_import} (imported = 0 on a dry run).
create or replace function app.project_schools_import(p_project_id bigint, p_dry_run boolean) returns json
language plpgsql set search_path = app, pg_temp as $$
declare
  v_errors    jsonb;
  v_lines     integer;
begin
  if not exists (select 1 from app.projects x where x.id = p_project_id) then
    perform app.raise_not_found('Проект не найден');
  end if;

  create temporary table project_school_import_rows on commit drop as
  select c.line, nullif(btrim(c.school_code), '') as code,
         lower(nullif(btrim(c."group"), '')) as grp,
         nullif(btrim(c.unfavorable_conditions), '') as flag,
         s.id as school_id
  from pg_temp.project_school_csv c
  left join app.schools s on s.code = nullif(btrim(c.school_code), '');

  with checked as (
    select r.*, min(r.line) over (partition by r.code) as first_line
    from pg_temp.project_school_import_rows r
  ),
  errors as (
    select line, 1 as ord, 'school_code' as field, 'required' as code,
           format('Строка %s: не указан код школы', line) as message
    from checked where code is null
    union all
    select line, 1, 'school_code', 'not_found',
           format('Строка %s: школа с кодом «%s» не найдена', line, code)
    from checked where code is not null and school_id is null
    union all
    select line, 2, 'school_code', 'duplicate',
           format('Строка %s: школа «%s» уже указана в строке %s', line, code, first_line)
    from checked where code is not null and line > first_line
    union all
    select line, 3, 'group', case when grp is null then 'required' else 'invalid' end,
           case when grp is null then format('Строка %s: не указана группа', line)
                else format('Строка %s: группа «%s» не из списка: low_results, risk_zone, academic_failure', line, grp) end
    from checked where grp is null or grp not in ('low_results', 'risk_zone', 'academic_failure')
    union all
    select line, 4, 'unfavorable_conditions', 'invalid',
           format('Строка %s: признак «неблагоприятные социальные условия» — 0 или 1', line)
    from checked where flag is null or flag not in ('0', '1')
  )
  select jsonb_agg(jsonb_build_object('line', line, 'field', field, 'code', code, 'message', message)
                   order by line, ord),
         count(distinct line)
  into v_errors, v_lines
  from errors;

  if v_errors is not null then
    drop table pg_temp.project_school_import_rows;
    raise exception using errcode = 'OR422',
      message = format('Файл не загружен: ошибки в строках — %s', v_lines),
      detail = 'import.invalid_lines', hint = v_errors::text;
  end if;

  select count(*) into v_lines from pg_temp.project_school_import_rows;
  if not coalesce(p_dry_run, false) then
    insert into app.project_schools (project_id, school_id, school_group, unfavorable_conditions)
    select p_project_id, r.school_id, r.grp, r.flag = '1'
    from pg_temp.project_school_import_rows r
    order by r.line
    on conflict (project_id, school_id) do update
      set school_group = excluded.school_group, unfavorable_conditions = excluded.unfavorable_conditions,
          updated_at = now()
      where (project_schools.school_group, project_schools.unfavorable_conditions)
            is distinct from (excluded.school_group, excluded.unfavorable_conditions);
  end if;
  drop table pg_temp.project_school_import_rows;
  return json_build_object('imported', case when coalesce(p_dry_run, false) then 0 else v_lines end,
                           'would_import', v_lines);
end
$$;
grant execute on function app.project_schools_import(bigint,boolean) to orientir_committee;
comment on function app.project_schools_import(bigint, boolean) is
  'Committee: validate pg_temp.project_school_csv line by line; store all lines or none (dry run: none); audited';

-- Committee: turns a failed COPY into the import's error: always raises
-- OR422 import.invalid_lines with one entry {line, field: "file", code,
-- message}; the line is read from the error's CONTEXT ("COPY …, line N"),
-- the code from the SQLSTATE (22P04 format, 22021/22P05 encoding).
create or replace function app.project_schools_import_copy_error(p_sqlstate text, p_context text) returns void
language plpgsql set search_path = app, pg_temp as $$
declare
  v_line    integer := coalesce((substring(p_context from 'line ([0-9]+)'))::integer, 1);
  v_code    text;
  v_message text;
begin
  if p_sqlstate in ('22021', '22P05') then
    v_code := 'encoding';
    v_message := format('Строка %s: файл должен быть в кодировке UTF-8', v_line);
  elsif v_line = 1 then
    v_code := 'header';
    v_message := 'Строка 1: заголовок должен быть school_code;group;unfavorable_conditions';
  else
    v_code := 'format';
    v_message := format('Строка %s: ожидается три поля через «;»: код школы;группа;0 или 1', v_line);
  end if;
  raise exception using errcode = 'OR422', message = 'Файл не загружен: он не разбирается как CSV',
    detail = 'import.invalid_lines',
    hint = jsonb_build_array(jsonb_build_object('line', v_line, 'field', 'file', 'code', v_code,
                                                'message', v_message))::text;
end
$$;
grant execute on function app.project_schools_import_copy_error(text,text) to orientir_committee;
comment on function app.project_schools_import_copy_error(text, text) is
  'Committee: raise the import error (OR422 import.invalid_lines) for a COPY that failed';

reset role;
