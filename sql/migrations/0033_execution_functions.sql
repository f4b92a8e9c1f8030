-- 0033_execution_functions: the functions behind /projects, /documents and
-- /assignments (docs/design.md "Projects and control of execution (issue 5)").
--
-- Reads and the committee's/municipalities' writes are SECURITY INVOKER: they
-- run as the request role, so grants and RLS (0031/0032) decide what they see
-- and change. The execution state changes (report, accept, return) and the
-- removal of a school from a project are SECURITY DEFINER: no API role may
-- UPDATE an execution record or DELETE anything, so these functions check
-- the caller themselves — only the executor reports on its own record, only
-- the region's committee (the issuer of its documents and the reviewer of
-- municipal road maps) accepts or returns.
-- Errors: OR404 not_found, OR403 auth.forbidden, OR409 conflict.state /
-- conflict.stale_version, OR422 validation.failed (HINT: [{field, code,
-- message}]) and OR422 import.invalid_lines (HINT: [{line, field, code,
-- message}]). Dates are 'YYYY-MM-DD'; "today" is the date in Europe/Moscow.

set local role orientir_owner;

------------------------------------------------------------------------------
-- Helpers
------------------------------------------------------------------------------

-- Overdue: a deadline before today and not reported done nor accepted.
-- Computed on every read, never stored.
create function app.assignment_overdue(p_deadline date, p_status text) returns boolean
language sql stable
set search_path = app, pg_temp
as $$
  select coalesce(p_deadline < app.moscow_today() and p_status not in ('done', 'accepted'), false)
$$;
comment on function app.assignment_overdue(date, text) is
  'True when the deadline is before today (Europe/Moscow) and the status is not done or accepted';

-- Due soon: the deadline is today or within the next 7 days, not yet done.
create function app.assignment_due_soon(p_deadline date, p_status text) returns boolean
language sql stable
set search_path = app, pg_temp
as $$
  select coalesce(p_deadline between app.moscow_today() and app.moscow_today() + 7
                  and p_status not in ('done', 'accepted'), false)
$$;
comment on function app.assignment_due_soon(date, text) is
  'True when the deadline is within today .. today + 7 (Europe/Moscow) and the status is not done or accepted';

-- Errors of a date field of p (path p_path in messages): required when
-- p_required, invalid when present and not a real YYYY-MM-DD date.
create function app.execution_date_errors(p jsonb, p_field text, p_path text, p_required boolean) returns jsonb
language sql immutable
set search_path = app, pg_temp
as $$
  select case
    when p -> p_field is null or jsonb_typeof(p -> p_field) = 'null' then
      case when p_required then jsonb_build_array(app.field_error(p_path, 'required', 'Укажите дату'))
           else '[]'::jsonb end
    when jsonb_typeof(p -> p_field) <> 'string' or app.parse_date(p ->> p_field) is null then
      jsonb_build_array(app.field_error(p_path, 'invalid', 'Дата в формате ГГГГ-ММ-ДД'))
    else '[]'::jsonb
  end
$$;
comment on function app.execution_date_errors(jsonb, text, text, boolean) is
  'Field errors of a date: required, invalid (not a real YYYY-MM-DD)';

create function app.project_group_label(p_group text) returns text
language sql immutable
set search_path = app, pg_temp
as $$
  select case p_group
           when 'low_results' then 'низкие образовательные результаты'
           when 'risk_zone' then 'в зоне риска по снижению образовательных результатов'
           when 'academic_failure' then 'признаки учебной неуспешности'
         end
$$;
comment on function app.project_group_label(text) is 'Russian name of a project group';

-- {kind, id, name} of an executor. committee/loiro: id is the region, name
-- the committee's or institute's; all_municipalities: id NULL. Names the
-- caller cannot see are NULL.
create function app.executor_json(p_kind text, p_region_id bigint, p_municipality_id bigint, p_school_id bigint)
returns json
language plpgsql stable
set search_path = app, pg_temp
as $$
begin
  return json_build_object(
    'kind', p_kind,
    'id', case p_kind when 'committee' then p_region_id when 'loiro' then p_region_id
                      when 'municipality' then p_municipality_id when 'school' then p_school_id end,
    'name', case p_kind
              when 'committee' then (select r.committee_name from app.regions r where r.id = p_region_id)
              when 'loiro' then (select r.institute_name from app.regions r where r.id = p_region_id)
              when 'all_municipalities' then 'Все муниципалитеты'
              when 'municipality' then (select m.name from app.municipalities m where m.id = p_municipality_id)
              when 'school' then (select s.short_name from app.schools s where s.id = p_school_id)
            end);
end
$$;
comment on function app.executor_json(text, bigint, bigint, bigint) is 'An executor as the API shows it: {kind, id, name}';

------------------------------------------------------------------------------
-- Projects
------------------------------------------------------------------------------

-- The project as the API returns it, NULL when not visible (404):
-- {id, title, description, starts_on, ends_on, lead, lead_name, order_number,
--  order_date, school_count, groups: {low_results, risk_zone,
--  academic_failure}, version}. Counts are of the participations the caller
-- sees (a municipality: its own schools).
create function app.project_get(p_id bigint) returns json
language plpgsql stable
set search_path = app, pg_temp
as $$
begin
  return (
    select json_build_object(
             'id', p.id, 'title', p.title, 'description', p.description,
             'starts_on', p.starts_on, 'ends_on', p.ends_on,
             'lead', p.lead,
             'lead_name', case p.lead when 'loiro' then r.institute_name else r.committee_name end,
             'order_number', p.order_number, 'order_date', p.order_date,
             'school_count', c.total,
             'groups', json_build_object('low_results', c.low_results, 'risk_zone', c.risk_zone,
                                         'academic_failure', c.academic_failure),
             'version', p.version)
    from app.projects p
    left join app.regions r on r.id = p.region_id
    cross join lateral (
      select count(*) as total,
             count(*) filter (where ps.school_group = 'low_results') as low_results,
             count(*) filter (where ps.school_group = 'risk_zone') as risk_zone,
             count(*) filter (where ps.school_group = 'academic_failure') as academic_failure
      from app.project_schools ps where ps.project_id = p.id) c
    where p.id = p_id);
end
$$;
comment on function app.project_get(bigint) is 'Four roles: one visible project with its school counts, NULL when not visible';

-- Items as project_get, newest period first (starts_on desc, then id).
create function app.projects_list(p_limit integer, p_offset integer) returns json
language plpgsql stable
set search_path = app, pg_temp
as $$
declare
  v_limit  integer := coalesce(p_limit, 50);
  v_offset integer := coalesce(p_offset, 0);
begin
  perform app.check_paging(v_limit, v_offset);
  return json_build_object(
    'items', coalesce((
      select json_agg(app.project_get(p.id) order by p.starts_on desc, p.id desc)
      from (select id, starts_on from app.projects order by starts_on desc, id desc
            limit v_limit offset v_offset) p), '[]'::json),
    'total', (select count(*) from app.projects),
    'limit', v_limit,
    'offset', v_offset);
end
$$;
comment on function app.projects_list(integer, integer) is 'Four roles: visible projects, newest first';

-- Field errors of a project body; p_create: required fields must be there,
-- otherwise only the fields present are checked. p_old: the stored row's
-- dates and order (update), to check the result as a whole.
create function app.project_errors(p jsonb, p_create boolean) returns jsonb
language plpgsql stable
set search_path = app, pg_temp
as $$
declare
  v_errors jsonb;
begin
  v_errors := app.type_errors(p, array['title', 'description', 'order_number', 'lead'], 'string');
  if jsonb_array_length(v_errors) > 0 then
    return v_errors;
  end if;
  if p_create or p ? 'title' then
    v_errors := v_errors || app.text_errors(p ->> 'title', 'title', true, 500);
  end if;
  if p ? 'description' then
    v_errors := v_errors || app.text_errors(p ->> 'description', 'description', false, 4000);
  end if;
  if p_create or p ? 'starts_on' then
    v_errors := v_errors || app.execution_date_errors(p, 'starts_on', 'starts_on', true);
  end if;
  if p ? 'ends_on' then
    v_errors := v_errors || app.execution_date_errors(p, 'ends_on', 'ends_on', false);
  end if;
  if p ? 'order_number' then
    v_errors := v_errors || app.text_errors(p ->> 'order_number', 'order_number', false, 64);
  end if;
  if p ? 'order_date' then
    v_errors := v_errors || app.execution_date_errors(p, 'order_date', 'order_date', false);
  end if;
  if p ? 'lead' and coalesce(p ->> 'lead', '') not in ('committee', 'loiro') then
    v_errors := v_errors || app.field_error('lead', 'invalid', 'Допустимо: committee (комитет) или loiro (ЛОИРО)');
  end if;
  return v_errors;
end
$$;
comment on function app.project_errors(jsonb, boolean) is 'Committee: field errors of a project body (create or partial update)';

-- The stored row after applying p must still be whole: the period ordered,
-- the order number and date given together.
create function app.project_row_errors(p_starts_on date, p_ends_on date, p_order_number text, p_order_date date)
returns jsonb
language sql immutable
set search_path = app, pg_temp
as $$
  select case when p_ends_on < p_starts_on
              then jsonb_build_array(app.field_error('ends_on', 'invalid', 'Окончание не раньше начала'))
              else '[]'::jsonb end
      || case when p_order_number is not null and p_order_date is null
              then jsonb_build_array(app.field_error('order_date', 'required', 'Укажите дату распоряжения'))
              when p_order_number is null and p_order_date is not null
              then jsonb_build_array(app.field_error('order_number', 'required', 'Укажите номер распоряжения'))
              else '[]'::jsonb end
$$;
comment on function app.project_row_errors(date, date, text, date) is
  'Committee: errors of a project as a whole (period order, order number with its date)';

-- Committee: creates a project of its region. p: {title, description?,
-- starts_on, ends_on?, lead? (committee|loiro, default committee),
-- order_number?, order_date?}. Returns project_get.
create function app.project_create(p jsonb) returns json
language plpgsql
set search_path = app, pg_temp
as $$
declare
  v_id bigint;
begin
  p := coalesce(p, '{}'::jsonb);
  perform app.raise_if_invalid(app.project_errors(p, true));
  perform app.raise_if_invalid(app.project_row_errors(
    (p ->> 'starts_on')::date, (p ->> 'ends_on')::date,
    nullif(btrim(p ->> 'order_number'), ''), (p ->> 'order_date')::date));
  insert into app.projects (region_id, title, description, starts_on, ends_on, lead,
                            order_number, order_date, created_by)
  values (app.claim_region_id(), btrim(p ->> 'title'), nullif(btrim(p ->> 'description'), ''),
          (p ->> 'starts_on')::date, (p ->> 'ends_on')::date, coalesce(p ->> 'lead', 'committee'),
          nullif(btrim(p ->> 'order_number'), ''), (p ->> 'order_date')::date, app.claim_user_id())
  returning id into v_id;
  return app.project_get(v_id);
end
$$;
comment on function app.project_create(jsonb) is 'Committee: create a project of its region; audited';

-- Committee: changes the fields present in p (as project_create; a null
-- clears an optional one). OR404, OR409 conflict.stale_version, OR422.
create function app.project_update(p_id bigint, p_version integer, p jsonb) returns json
language plpgsql
set search_path = app, pg_temp
as $$
declare
  v_old record;
  v_new record;
begin
  p := coalesce(p, '{}'::jsonb);
  select * into v_old from app.projects x where x.id = p_id for update;
  if not found then
    raise exception using errcode = 'OR404', message = 'Проект не найден', detail = 'not_found';
  end if;
  perform app.check_version(p_version, v_old.version);
  perform app.raise_if_invalid(app.project_errors(p, false));
  select case when p ? 'title' then btrim(p ->> 'title') else v_old.title end as title,
         case when p ? 'description' then nullif(btrim(p ->> 'description'), '') else v_old.description end as description,
         case when p ? 'starts_on' then (p ->> 'starts_on')::date else v_old.starts_on end as starts_on,
         case when p ? 'ends_on' then (p ->> 'ends_on')::date else v_old.ends_on end as ends_on,
         case when p ? 'lead' then p ->> 'lead' else v_old.lead end as lead,
         case when p ? 'order_number' then nullif(btrim(p ->> 'order_number'), '') else v_old.order_number end as order_number,
         case when p ? 'order_date' then (p ->> 'order_date')::date else v_old.order_date end as order_date
  into v_new;
  perform app.raise_if_invalid(app.project_row_errors(v_new.starts_on, v_new.ends_on, v_new.order_number, v_new.order_date));
  update app.projects x set
    title = v_new.title, description = v_new.description, starts_on = v_new.starts_on,
    ends_on = v_new.ends_on, lead = v_new.lead, order_number = v_new.order_number,
    order_date = v_new.order_date
  where x.id = p_id;
  return app.project_get(p_id);
end
$$;
comment on function app.project_update(bigint, integer, jsonb) is
  'Committee: change a project of its region (If-Match via p_version); audited';

-- One participation as the API returns it: {school_id, code, name,
-- short_name, municipality_id, municipality_name, group, group_label,
-- unfavorable_conditions}.
create function app.project_school_json(p_project_id bigint, p_school_id bigint) returns json
language plpgsql stable
set search_path = app, pg_temp
as $$
begin
  return (
    select json_build_object(
             'school_id', s.id, 'code', s.code, 'name', s.name, 'short_name', s.short_name,
             'municipality_id', s.municipality_id, 'municipality_name', m.name,
             'group', ps.school_group, 'group_label', app.project_group_label(ps.school_group),
             'unfavorable_conditions', ps.unfavorable_conditions)
    from app.project_schools ps
    join app.schools s on s.id = ps.school_id
    left join app.municipalities m on m.id = s.municipality_id
    where ps.project_id = p_project_id and ps.school_id = p_school_id);
end
$$;
comment on function app.project_school_json(bigint, bigint) is 'Four roles: one visible participation, NULL when not visible';

-- The participating schools of a project the caller sees, by municipality
-- name then school short_name; NULL when the project is not visible (404).
-- Filters (NULL: none): group, municipality.
create function app.project_schools_list(p_project_id bigint, p_group text, p_municipality_id bigint,
                                         p_limit integer, p_offset integer)
returns json
language plpgsql stable
set search_path = app, pg_temp
as $$
declare
  v_limit  integer := coalesce(p_limit, 50);
  v_offset integer := coalesce(p_offset, 0);
begin
  perform app.check_paging(v_limit, v_offset);
  if p_group is not null and p_group not in ('low_results', 'risk_zone', 'academic_failure') then
    perform app.raise_if_invalid(jsonb_build_array(app.field_error('group', 'invalid',
      'Допустимые группы: low_results, risk_zone, academic_failure')));
  end if;
  if not exists (select 1 from app.projects p where p.id = p_project_id) then
    return null;
  end if;
  return (
    with found as (
      select s.id, s.code, s.name, s.short_name, s.municipality_id, m.name as municipality_name,
             ps.school_group, ps.unfavorable_conditions
      from app.project_schools ps
      join app.schools s on s.id = ps.school_id
      left join app.municipalities m on m.id = s.municipality_id
      where ps.project_id = p_project_id
        and (p_group is null or ps.school_group = p_group)
        and (p_municipality_id is null or s.municipality_id = p_municipality_id)
    ),
    page as (
      select * from found order by municipality_name, short_name, id limit v_limit offset v_offset
    )
    select json_build_object(
      'items', coalesce((
        select json_agg(json_build_object(
                 'school_id', f.id, 'code', f.code, 'name', f.name, 'short_name', f.short_name,
                 'municipality_id', f.municipality_id, 'municipality_name', f.municipality_name,
                 'group', f.school_group, 'group_label', app.project_group_label(f.school_group),
                 'unfavorable_conditions', f.unfavorable_conditions)
               order by f.municipality_name, f.short_name, f.id)
        from page f), '[]'::json),
      'total', (select count(*) from found),
      'limit', v_limit,
      'offset', v_offset));
end
$$;
comment on function app.project_schools_list(bigint, text, bigint, integer, integer) is
  'Four roles: the visible participating schools of a visible project (NULL: project not visible)';

-- Committee: adds a school to a project or changes its group and flag.
-- p: {school_id, group, unfavorable_conditions?} — the flag defaults to the
-- school's own «неблагоприятные условия». OR404 project not visible;
-- OR422 school_id not_found (not in the region), group invalid.
-- Returns {created, school: project_school_json}.
create function app.project_school_add(p_project_id bigint, p jsonb) returns json
language plpgsql
set search_path = app, pg_temp
as $$
declare
  v_school  record;
  v_errors  jsonb;
  v_created boolean;
begin
  p := coalesce(p, '{}'::jsonb);
  if not exists (select 1 from app.projects x where x.id = p_project_id) then
    raise exception using errcode = 'OR404', message = 'Проект не найден', detail = 'not_found';
  end if;
  perform app.raise_if_invalid(
    app.type_errors(p, array['school_id'], 'integer')
    || app.type_errors(p, array['group'], 'string')
    || app.type_errors(p, array['unfavorable_conditions'], 'boolean'));
  v_errors := '[]'::jsonb;
  if p ->> 'school_id' is null then
    v_errors := v_errors || app.field_error('school_id', 'required', 'Укажите школу');
  else
    select s.id, s.unfavorable_conditions into v_school from app.schools s where s.id = (p ->> 'school_id')::bigint;
    if not found then
      v_errors := v_errors || app.field_error('school_id', 'not_found', 'Школа не найдена');
    end if;
  end if;
  if p ->> 'group' is null then
    v_errors := v_errors || app.field_error('group', 'required', 'Укажите группу');
  elsif p ->> 'group' not in ('low_results', 'risk_zone', 'academic_failure') then
    v_errors := v_errors || app.field_error('group', 'invalid',
      'Допустимые группы: low_results, risk_zone, academic_failure');
  end if;
  perform app.raise_if_invalid(v_errors);

  v_created := not exists (select 1 from app.project_schools ps
                           where ps.project_id = p_project_id and ps.school_id = v_school.id);
  insert into app.project_schools (project_id, school_id, school_group, unfavorable_conditions)
  values (p_project_id, v_school.id, p ->> 'group',
          coalesce((p ->> 'unfavorable_conditions')::boolean, v_school.unfavorable_conditions))
  on conflict (project_id, school_id) do update
    set school_group = excluded.school_group, unfavorable_conditions = excluded.unfavorable_conditions,
        updated_at = now()
    where (project_schools.school_group, project_schools.unfavorable_conditions)
          is distinct from (excluded.school_group, excluded.unfavorable_conditions);
  return json_build_object('created', v_created,
                           'school', app.project_school_json(p_project_id, v_school.id));
end
$$;
comment on function app.project_school_add(bigint, jsonb) is
  'Committee: add a school of its region to a project, or change its group and flag; audited';

-- Committee: removes a school from a project of its region. Definer: no API
-- role may DELETE (catalog rule), so the scope is checked here. OR404 when
-- the project is not the committee's or the school does not take part.
create function app.project_school_remove(p_project_id bigint, p_school_id bigint) returns void
language plpgsql
security definer
set search_path = app, pg_temp
as $$
begin
  if app.claim_role() is distinct from 'committee'
     or not exists (select 1 from app.projects p
                    where p.id = p_project_id and p.region_id = app.claim_region_id()) then
    raise exception using errcode = 'OR404', message = 'Проект не найден', detail = 'not_found';
  end if;
  delete from app.project_schools ps where ps.project_id = p_project_id and ps.school_id = p_school_id;
  if not found then
    raise exception using errcode = 'OR404', message = 'Школа не участвует в проекте', detail = 'not_found';
  end if;
end
$$;
comment on function app.project_school_remove(bigint, bigint) is
  'Committee (definer, checks the region): remove a school from a project; audited';

------------------------------------------------------------------------------
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
------------------------------------------------------------------------------

-- Committee: (re)creates the temporary table COPY fills; it disappears at
-- the end of the transaction. line = the record's line number (header = 1).
create function app.project_schools_import_begin() returns void
language plpgsql
set search_path = app, pg_temp
as $$
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
comment on function app.project_schools_import_begin() is
  'Committee: create pg_temp.project_school_csv for COPY … FROM STDIN (dropped at commit)';

-- Codes (of p_codes) of schools that exist in another region than the
-- caller's. Definer: the caller's RLS hides them, and the import must tell
-- "outside your region" from "no such school". Reveals only that a code exists.
create function app.school_codes_elsewhere(p_codes text[]) returns text[]
language sql stable
security definer
set search_path = app, pg_temp
as $$
  select coalesce(array_agg(s.code), '{}')
  from app.schools s join app.municipalities m on m.id = s.municipality_id
  where s.code = any (p_codes) and m.region_id is distinct from app.claim_region_id()
$$;
comment on function app.school_codes_elsewhere(text[]) is
  'Committee (definer): which of the codes belong to schools of another region';

-- Committee: checks every line of pg_temp.project_school_csv for project
-- p_project_id: school code required, known, in the region, not repeated;
-- group one of low_results, risk_zone, academic_failure; flag 0 or 1.
-- Any bad line → OR422 import.invalid_lines with HINT = every error
-- [{line, field, code, message}] by line, and nothing is stored. Otherwise
-- stores every line (adds the school or changes its group and flag), unless
-- p_dry_run. Returns {imported, would_import} (imported = 0 on a dry run).
create function app.project_schools_import(p_project_id bigint, p_dry_run boolean) returns json
language plpgsql
set search_path = app, pg_temp
as $$
declare
  v_errors    jsonb;
  v_lines     integer;
  v_elsewhere text[];
begin
  if not exists (select 1 from app.projects x where x.id = p_project_id) then
    raise exception using errcode = 'OR404', message = 'Проект не найден', detail = 'not_found';
  end if;

  create temporary table project_school_import_rows on commit drop as
  select c.line, nullif(btrim(c.school_code), '') as code,
         lower(nullif(btrim(c."group"), '')) as grp,
         nullif(btrim(c.unfavorable_conditions), '') as flag,
         s.id as school_id
  from pg_temp.project_school_csv c
  left join app.schools s on s.code = nullif(btrim(c.school_code), '');
  v_elsewhere := app.school_codes_elsewhere(
    array(select r.code from pg_temp.project_school_import_rows r where r.school_id is null and r.code is not null));

  with checked as (
    select r.*, min(r.line) over (partition by r.code) as first_line
    from pg_temp.project_school_import_rows r
  ),
  errors as (
    select line, 1 as ord, 'school_code' as field, 'required' as code,
           format('Строка %s: не указан код школы', line) as message
    from checked where code is null
    union all
    select line, 1, 'school_code', 'outside_region',
           format('Строка %s: школа «%s» не относится к вашему региону', line, code)
    from checked where code is not null and school_id is null and code = any (v_elsewhere)
    union all
    select line, 1, 'school_code', 'not_found',
           format('Строка %s: школа с кодом «%s» не найдена', line, code)
    from checked where code is not null and school_id is null and not code = any (v_elsewhere)
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
comment on function app.project_schools_import(bigint, boolean) is
  'Committee: validate pg_temp.project_school_csv line by line; store all lines or none (dry run: none); audited';

-- Committee: turns a failed COPY into the import's error: always raises
-- OR422 import.invalid_lines with one entry {line, field: "file", code,
-- message}; the line is read from the error's CONTEXT ("COPY …, line N"),
-- the code from the SQLSTATE (22P04 format, 22021/22P05 encoding).
create function app.project_schools_import_copy_error(p_sqlstate text, p_context text) returns void
language plpgsql
set search_path = app, pg_temp
as $$
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
comment on function app.project_schools_import_copy_error(text, text) is
  'Committee: raise the import error (OR422 import.invalid_lines) for a COPY that failed';

------------------------------------------------------------------------------
-- Execution records
------------------------------------------------------------------------------

-- One execution record as the API returns it:
-- {id, document_id, document: {kind, number, date, title}, item_id,
--  item_number, content, expected_result, deadline, deadline_text,
--  executor: {kind, id, name}, assigned_as, status, overdue, due_soon,
--  report: {status, text, links, at, by: {id, name}} | null,
--  review: {decision, comment, at, by: {id, name}} | null, version}
create function app.assignment_json(a app.assignments) returns json
language plpgsql stable
set search_path = app, pg_temp
as $$
begin
  return (
    select json_build_object(
             'id', a.id, 'document_id', a.document_id,
             'document', json_build_object('kind', d.kind, 'number', d.number, 'date', d.doc_date, 'title', d.title),
             'item_id', a.item_id, 'item_number', i.number, 'content', i.content,
             'expected_result', i.expected_result,
             'deadline', i.deadline, 'deadline_text', i.deadline_text,
             'executor', app.executor_json(a.executor_kind, a.region_id, a.municipality_id, a.school_id),
             'assigned_as', a.assigned_as,
             'status', a.status,
             'overdue', app.assignment_overdue(i.deadline, a.status),
             'due_soon', app.assignment_due_soon(i.deadline, a.status),
             'report', case when a.report_status is not null then json_build_object(
                          'status', a.report_status, 'text', a.report_text, 'links', to_json(a.report_links),
                          'at', a.reported_at,
                          'by', json_build_object('id', a.reported_by, 'name', a.reported_by_name)) end,
             'review', case when a.review_decision is not null then json_build_object(
                          'decision', a.review_decision, 'comment', a.review_comment, 'at', a.reviewed_at,
                          'by', json_build_object('id', a.reviewed_by, 'name', a.reviewed_by_name)) end,
             'version', a.version)
    from app.document_items i
    join app.documents d on d.id = i.document_id
    where i.id = a.item_id);
end
$$;
comment on function app.assignment_json(app.assignments) is 'An execution record as the API returns it';

-- One visible execution record, NULL when not visible (404).
create function app.assignment_get(p_id bigint) returns json
language plpgsql stable
set search_path = app, pg_temp
as $$
begin
  return (select app.assignment_json(a) from app.assignments a where a.id = p_id);
end
$$;
comment on function app.assignment_get(bigint) is 'Four roles: one visible execution record, NULL when not visible';

-- «Мои поручения» and the control lists. Filters (NULL: none):
--   p_mine          true: only records whose executor is the caller's
--                   organisation (the committee, ЛОИРО, the municipality
--                   itself — not its schools —, the school);
--   p_overdue       true: only overdue records;
--   p_executor      'committee', 'loiro', 'municipality:<id>', 'school:<id>';
--   p_document_id   one document;
--   p_municipality_id  records of that municipality and of its schools;
--   p_status        not_started, in_progress, done, accepted, returned.
-- Order: overdue first, then deadline (none last), document date, item
-- number, id. Items as assignment_json; {items, total, limit, offset}.
create function app.assignments_list(p_mine boolean, p_overdue boolean, p_executor text,
                                     p_document_id bigint, p_municipality_id bigint, p_status text,
                                     p_limit integer, p_offset integer)
returns json
language plpgsql stable
set search_path = app, pg_temp
as $$
declare
  v_limit  integer := coalesce(p_limit, 50);
  v_offset integer := coalesce(p_offset, 0);
  v_kind   text;
  v_id     bigint;
  v_errors jsonb := '[]'::jsonb;
begin
  perform app.check_paging(v_limit, v_offset);
  if p_executor is not null then
    if p_executor in ('committee', 'loiro') then
      v_kind := p_executor;
    elsif p_executor ~ '^(municipality|school):[1-9][0-9]{0,17}$' then
      v_kind := split_part(p_executor, ':', 1);
      v_id := split_part(p_executor, ':', 2)::bigint;
    else
      v_errors := v_errors || app.field_error('executor', 'invalid',
        'Исполнитель: committee, loiro, municipality:<id> или school:<id>');
    end if;
  end if;
  if p_status is not null and p_status not in ('not_started', 'in_progress', 'done', 'accepted', 'returned') then
    v_errors := v_errors || app.field_error('status', 'invalid',
      'Допустимые статусы: not_started, in_progress, done, accepted, returned');
  end if;
  perform app.raise_if_invalid(v_errors);

  return (
    with found as (
      select a as rec, a.id, i.deadline, i.number_path, d.doc_date,
             app.assignment_overdue(i.deadline, a.status) as overdue
      from app.assignments a
      join app.document_items i on i.id = a.item_id
      join app.documents d on d.id = a.document_id
      where (not coalesce(p_mine, false) or case app.claim_role()
               when 'committee' then a.executor_kind = 'committee'
               when 'loiro' then a.executor_kind = 'loiro'
               when 'municipality' then a.executor_kind = 'municipality'
                                        and a.municipality_id = app.claim_municipality_id()
               when 'school' then a.executor_kind = 'school' and a.school_id = app.claim_school_id()
               else false end)
        and (v_kind is null or (a.executor_kind = v_kind
                                and (v_id is null
                                     or v_id = case v_kind when 'municipality' then a.municipality_id
                                                           else a.school_id end)))
        and (p_document_id is null or a.document_id = p_document_id)
        and (p_municipality_id is null or a.municipality_id = p_municipality_id)
        and (p_status is null or a.status = p_status)
        and (not coalesce(p_overdue, false) or app.assignment_overdue(i.deadline, a.status))
    ),
    page as (
      select * from found
      order by overdue desc, deadline nulls last, doc_date, number_path, id
      limit v_limit offset v_offset
    )
    select json_build_object(
      'items', coalesce((select json_agg(app.assignment_json(p.rec)
                                         order by p.overdue desc, p.deadline nulls last, p.doc_date,
                                                  p.number_path, p.id)
                         from page p), '[]'::json),
      'total', (select count(*) from found),
      'limit', v_limit,
      'offset', v_offset));
end
$$;
comment on function app.assignments_list(boolean, boolean, text, bigint, bigint, text, integer, integer) is
  'Four roles: visible execution records, overdue first then by deadline, with filters';

-- Execution at a glance for the committee, ЛОИРО and municipalities (their
-- own records and their schools'): counts per document (p_by 'document') or
-- per executor (p_by 'executor'), optionally of one municipality.
-- {by, items: [{document: {id, kind, number, date, title} | executor: {kind,
-- id, name}, total, not_started, in_progress, done, accepted, returned,
-- overdue, due_soon}], totals: {…same counts}}. Documents newest first;
-- executors committee, ЛОИРО, municipalities by name, schools by name.
create function app.execution_summary(p_by text, p_municipality_id bigint) returns json
language plpgsql stable
set search_path = app, pg_temp
as $$
begin
  if p_by is null or p_by not in ('document', 'executor') then
    perform app.raise_if_invalid(jsonb_build_array(app.field_error('by', 'invalid',
      'Группировка: document или executor')));
  end if;
  return (
    with recs as (
      select a.*, app.assignment_overdue(i.deadline, a.status) as overdue,
             app.assignment_due_soon(i.deadline, a.status) as due_soon
      from app.assignments a join app.document_items i on i.id = a.item_id
      where p_municipality_id is null or a.municipality_id = p_municipality_id
    ),
    grouped as (
      select case when p_by = 'document' then r.document_id end as document_id,
             case when p_by = 'executor' then r.executor_kind end as executor_kind,
             case when p_by = 'executor' then r.region_id end as region_id,
             case when p_by = 'executor' and r.executor_kind in ('municipality', 'school') then r.municipality_id end as municipality_id,
             case when p_by = 'executor' then r.school_id end as school_id,
             count(*) as total,
             count(*) filter (where r.status = 'not_started') as not_started,
             count(*) filter (where r.status = 'in_progress') as in_progress,
             count(*) filter (where r.status = 'done') as done,
             count(*) filter (where r.status = 'accepted') as accepted,
             count(*) filter (where r.status = 'returned') as returned,
             count(*) filter (where r.overdue) as overdue,
             count(*) filter (where r.due_soon) as due_soon
      from recs r
      group by 1, 2, 3, 4, 5
    ),
    named as (
      select g.*, d.kind, d.number, d.doc_date, d.title,
             app.executor_json(g.executor_kind, g.region_id, g.municipality_id, g.school_id) as executor
      from grouped g left join app.documents d on d.id = g.document_id
    )
    select json_build_object(
      'by', p_by,
      'items', coalesce((
        select json_agg(
                 case when p_by = 'document'
                      then json_build_object('document', json_build_object('id', n.document_id, 'kind', n.kind,
                                               'number', n.number, 'date', n.doc_date, 'title', n.title))
                      else json_build_object('executor', n.executor) end::jsonb
                 || jsonb_build_object('total', n.total, 'not_started', n.not_started,
                                       'in_progress', n.in_progress, 'done', n.done, 'accepted', n.accepted,
                                       'returned', n.returned, 'overdue', n.overdue, 'due_soon', n.due_soon)
                 order by n.doc_date desc nulls last, n.document_id desc,
                          array_position(array['committee', 'loiro', 'municipality', 'school'], n.executor_kind),
                          n.executor ->> 'name' collate app.ru, n.school_id)
        from named n), '[]'::json),
      'totals', (select json_build_object('total', count(*),
                          'not_started', count(*) filter (where status = 'not_started'),
                          'in_progress', count(*) filter (where status = 'in_progress'),
                          'done', count(*) filter (where status = 'done'),
                          'accepted', count(*) filter (where status = 'accepted'),
                          'returned', count(*) filter (where status = 'returned'),
                          'overdue', count(*) filter (where overdue),
                          'due_soon', count(*) filter (where due_soon))
                 from recs)));
end
$$;
comment on function app.execution_summary(text, bigint) is
  'Committee, ЛОИРО, municipality: counts of visible execution records by document or by executor';

-- The caller and a record (locked row from the state functions):
-- in scope = the caller may see it; mine = the caller's organisation is its
-- executor; reviewer = the region's committee (it reviews its own documents
-- and the municipalities' road maps).
create function app.assignment_in_scope(a app.assignments) returns boolean
language sql stable
set search_path = app, pg_temp
as $$
  select coalesce(case app.claim_role()
    when 'committee' then a.region_id = app.claim_region_id()
    when 'loiro' then a.region_id = app.claim_region_id()
    when 'municipality' then a.municipality_id = app.claim_municipality_id()
    when 'school' then a.school_id = app.claim_school_id()
  end, false)
$$;
comment on function app.assignment_in_scope(app.assignments) is 'Internal: the caller may see this record';

create function app.assignment_is_mine(a app.assignments) returns boolean
language sql stable
set search_path = app, pg_temp
as $$
  select coalesce(app.assignment_in_scope(a) and case app.claim_role()
    when 'committee' then a.executor_kind = 'committee'
    when 'loiro' then a.executor_kind = 'loiro'
    when 'municipality' then a.executor_kind = 'municipality'
    when 'school' then a.executor_kind = 'school'
  end, false)
$$;
comment on function app.assignment_is_mine(app.assignments) is 'Internal: the caller''s organisation is the executor of this record';

-- The executor reports: p = {status: not_started|in_progress|done, text,
-- links: [url, …]}. text is required for done (≤ 10000 characters); links
-- ≤ 10 http(s) URLs of ≤ 500 characters. A returned (or not yet reviewed)
-- record may be reported again; the report replaces the previous one and
-- clears the review. OR404 not visible; OR403 auth.forbidden visible but not
-- the caller's own; OR409 conflict.state accepted; OR409 stale version;
-- OR422 fields status, text, links / links[i]. Returns assignment_get.
create function app.assignment_report(p_id bigint, p_version integer, p jsonb) returns json
language plpgsql
security definer
set search_path = app, pg_temp
as $$
declare
  v        app.assignments;
  v_errors jsonb := '[]'::jsonb;
  v_links  text[];
begin
  p := coalesce(p, '{}'::jsonb);
  select * into v from app.assignments a where a.id = p_id for update;
  if not found or not app.assignment_in_scope(v) then
    raise exception using errcode = 'OR404', message = 'Поручение не найдено', detail = 'not_found';
  end if;
  if not app.assignment_is_mine(v) then
    raise exception using errcode = 'OR403', message = 'Отчитаться может только исполнитель поручения',
      detail = 'auth.forbidden';
  end if;
  if v.status = 'accepted' then
    raise exception using errcode = 'OR409', message = 'Отчёт уже принят: поручение закрыто',
      detail = 'conflict.state';
  end if;
  perform app.check_version(p_version, v.version);

  perform app.raise_if_invalid(app.type_errors(p, array['status', 'text'], 'string')
                               || app.type_errors(p, array['links'], 'array'));
  if p ->> 'status' is null then
    v_errors := v_errors || app.field_error('status', 'required', 'Укажите ход исполнения');
  elsif p ->> 'status' not in ('not_started', 'in_progress', 'done') then
    v_errors := v_errors || app.field_error('status', 'invalid', 'Допустимо: not_started, in_progress, done');
  end if;
  v_errors := v_errors || app.text_errors(p ->> 'text', 'text', p ->> 'status' = 'done', 10000);
  if jsonb_array_length(coalesce(nullif(p -> 'links', 'null'::jsonb), '[]'::jsonb)) > 10 then
    v_errors := v_errors || app.field_error('links', 'too_many', 'Не больше 10 ссылок');
  else
    select v_errors || coalesce(jsonb_agg(app.field_error(format('links[%s]', l.ord - 1),
                                  case when jsonb_typeof(l.value) <> 'string' then 'invalid'
                                       when char_length(l.value #>> '{}') > 500 then 'too_long'
                                       else 'invalid' end,
                                  case when jsonb_typeof(l.value) = 'string' and char_length(l.value #>> '{}') > 500
                                       then 'Ссылка не длиннее 500 символов'
                                       else 'Ссылка должна начинаться с http:// или https://' end)
                                  order by l.ord), '[]'::jsonb)
    into v_errors
    from jsonb_array_elements(coalesce(nullif(p -> 'links', 'null'::jsonb), '[]'::jsonb)) with ordinality l(value, ord)
    where jsonb_typeof(l.value) <> 'string' or char_length(l.value #>> '{}') > 500
       or btrim(l.value #>> '{}') !~ '^https?://[^[:space:]]+$';
  end if;
  perform app.raise_if_invalid(v_errors);

  v_links := array(select btrim(l.value) from jsonb_array_elements_text(
                     coalesce(nullif(p -> 'links', 'null'::jsonb), '[]'::jsonb)) with ordinality l(value, ord)
                   order by l.ord);
  update app.assignments a set
    status = p ->> 'status',
    report_status = p ->> 'status',
    report_text = nullif(btrim(p ->> 'text'), ''),
    report_links = v_links,
    reported_at = now(),
    reported_by = app.claim_user_id(),
    reported_by_name = (select u.full_name from app.users u where u.id = app.claim_user_id()),
    review_decision = null, review_comment = null, reviewed_at = null,
    reviewed_by = null, reviewed_by_name = null
  where a.id = p_id;
  return app.assignment_get(p_id);
end
$$;
comment on function app.assignment_report(bigint, integer, jsonb) is
  'Four roles (definer): the executor reports on its own record; audited';

-- The review of a done report by the region's committee. p_decision
-- accepted|returned; a return needs a comment (≤ 2000). OR404 not visible;
-- OR403 visible but the caller is not the committee; OR409 conflict.state
-- unless the record is done (reported, awaiting review); OR409 stale version;
-- OR422 field comment.
create function app.assignment_review(p_id bigint, p_version integer, p_decision text, p_comment text)
returns json
language plpgsql
set search_path = app, pg_temp
as $$
declare
  v app.assignments;
begin
  select * into v from app.assignments a where a.id = p_id for update;
  if not found or not app.assignment_in_scope(v) then
    raise exception using errcode = 'OR404', message = 'Поручение не найдено', detail = 'not_found';
  end if;
  if app.claim_role() is distinct from 'committee' then
    raise exception using errcode = 'OR403',
      message = 'Принять или вернуть отчёт может только комитет, выпустивший документ',
      detail = 'auth.forbidden';
  end if;
  if v.status <> 'done' then
    raise exception using errcode = 'OR409',
      message = case v.status when 'accepted' then 'Отчёт уже принят'
                              when 'returned' then 'Отчёт уже возвращён на доработку'
                              else 'Исполнитель ещё не отчитался о выполнении' end,
      detail = 'conflict.state';
  end if;
  perform app.check_version(p_version, v.version);
  if p_decision = 'returned' then
    perform app.raise_if_invalid(app.text_errors(p_comment, 'comment', true, 2000));
  end if;
  update app.assignments a set
    status = p_decision,
    review_decision = p_decision,
    review_comment = case when p_decision = 'returned' then btrim(p_comment) end,
    reviewed_at = now(),
    reviewed_by = app.claim_user_id(),
    reviewed_by_name = (select u.full_name from app.users u where u.id = app.claim_user_id())
  where a.id = p_id;
  return app.assignment_get(p_id);
end
$$;
comment on function app.assignment_review(bigint, integer, text, text) is
  'Internal (owner): accept or return a done report, called by the definer assignment_accept/assignment_return';

create function app.assignment_accept(p_id bigint, p_version integer) returns json
language sql
security definer
set search_path = app, pg_temp
as $$ select app.assignment_review(p_id, p_version, 'accepted', null) $$;
comment on function app.assignment_accept(bigint, integer) is
  'Committee (definer): accept a done report of a record of its region; audited';

create function app.assignment_return(p_id bigint, p_version integer, p_comment text) returns json
language sql
security definer
set search_path = app, pg_temp
as $$ select app.assignment_review(p_id, p_version, 'returned', p_comment) $$;
comment on function app.assignment_return(bigint, integer, text) is
  'Committee (definer): return a done report with a comment; the executor may report again; audited';

------------------------------------------------------------------------------
-- Documents and items
------------------------------------------------------------------------------

-- {kind: committee|municipality, id, name} of a document's issuer.
create function app.document_issuer_json(p_region_id bigint, p_municipality_id bigint) returns json
language plpgsql stable
set search_path = app, pg_temp
as $$
begin
  return case when p_municipality_id is null
              then app.executor_json('committee', p_region_id, null, null)
              else app.executor_json('municipality', p_region_id, p_municipality_id, null) end;
end
$$;
comment on function app.document_issuer_json(bigint, bigint) is 'The issuer of a document: {kind, id, name}';

-- One item node: {id, number, content, deadline, deadline_text,
-- expected_result, overdue, due_soon, executors: [{kind, id, name}],
-- assignments: [{id, executor, status, overdue, due_soon}], version,
-- children}. The item's overdue/due_soon: any visible record is.
-- assignments: the records the caller sees, by executor.
create function app.document_item_json(p_id bigint, p_children json) returns json
language plpgsql stable
set search_path = app, pg_temp
as $$
begin
  return (
    select json_build_object(
             'id', i.id, 'number', i.number, 'content', i.content,
             'deadline', i.deadline, 'deadline_text', i.deadline_text,
             'expected_result', i.expected_result,
             'overdue', coalesce(x.overdue, false), 'due_soon', coalesce(x.due_soon, false),
             'executors', coalesce((
               select json_agg(app.executor_json(e ->> 'kind', i.region_id, (e ->> 'id')::bigint,
                                                 (e ->> 'id')::bigint) order by e.ord)
               from jsonb_array_elements(i.executors) with ordinality e(e, ord)), '[]'::json),
             'assignments', coalesce(x.records, '[]'::json),
             'version', i.version,
             'children', coalesce(p_children, '[]'::json))
    from app.document_items i
    left join lateral (
      select bool_or(app.assignment_overdue(i.deadline, a.status)) as overdue,
             bool_or(app.assignment_due_soon(i.deadline, a.status)) as due_soon,
             json_agg(json_build_object(
                        'id', a.id,
                        'executor', app.executor_json(a.executor_kind, a.region_id, a.municipality_id, a.school_id),
                        'status', a.status,
                        'overdue', app.assignment_overdue(i.deadline, a.status),
                        'due_soon', app.assignment_due_soon(i.deadline, a.status))
                      order by array_position(array['committee', 'loiro', 'municipality', 'school'], a.executor_kind),
                               a.municipality_id, a.school_id) as records
      from app.assignments a where a.item_id = i.id) x on true
    where i.id = p_id);
end
$$;
comment on function app.document_item_json(bigint, json) is 'One item of a document with its executors and visible records';

-- The visible items of a document under p_parent_id (NULL: the top level),
-- each with its children, by number. An item's parent is the visible item
-- whose number is its longest proper prefix (2.1.3 → 2.1, or 2 when 2.1 is
-- missing).
create function app.document_item_nodes(p_document_id bigint, p_parent_id bigint) returns json
language plpgsql stable
set search_path = app, pg_temp
as $$
declare
  v json;
begin
  with items as (
    select i.id, i.number_path from app.document_items i where i.document_id = p_document_id
  ),
  parented as (
    select x.id, x.number_path,
           (select y.id from items y
            where cardinality(y.number_path) < cardinality(x.number_path)
              and y.number_path = x.number_path[1:cardinality(y.number_path)]
            order by cardinality(y.number_path) desc limit 1) as parent_id
    from items x
  )
  select json_agg(app.document_item_json(p.id, app.document_item_nodes(p_document_id, p.id)) order by p.number_path)
  into v
  from parented p where p.parent_id is not distinct from p_parent_id;
  return coalesce(v, '[]'::json);
end
$$;
comment on function app.document_item_nodes(bigint, bigint) is 'The item tree of a document below one item (NULL: top level)';

-- The document as the API returns it, NULL when not visible (404):
-- {id, kind, number, date, title, project_id, project_title, issuer,
--  execution: {total, not_started, in_progress, done, accepted, returned,
--  overdue, due_soon} (of the records the caller sees), version, items: tree}
-- (items only when p_with_items).
create function app.document_json(p_id bigint, p_with_items boolean) returns json
language plpgsql stable
set search_path = app, pg_temp
as $$
begin
  return (
    select json_build_object(
             'id', d.id, 'kind', d.kind, 'number', d.number, 'date', d.doc_date, 'title', d.title,
             'project_id', d.project_id, 'project_title', p.title,
             'issuer', app.document_issuer_json(d.region_id, d.municipality_id),
             'item_count', (select count(*) from app.document_items i where i.document_id = d.id),
             'execution', (
               select json_build_object('total', count(*),
                        'not_started', count(*) filter (where a.status = 'not_started'),
                        'in_progress', count(*) filter (where a.status = 'in_progress'),
                        'done', count(*) filter (where a.status = 'done'),
                        'accepted', count(*) filter (where a.status = 'accepted'),
                        'returned', count(*) filter (where a.status = 'returned'),
                        'overdue', count(*) filter (where app.assignment_overdue(i.deadline, a.status)),
                        'due_soon', count(*) filter (where app.assignment_due_soon(i.deadline, a.status)))
               from app.assignments a join app.document_items i on i.id = a.item_id
               where a.document_id = d.id),
             'version', d.version)::jsonb
           || case when p_with_items
                   then jsonb_build_object('items', app.document_item_nodes(d.id, null))
                   else '{}'::jsonb end
    from app.documents d
    left join app.projects p on p.id = d.project_id
    where d.id = p_id)::json;
end
$$;
comment on function app.document_json(bigint, boolean) is 'A visible document (with its item tree when asked), NULL when not visible';

create function app.document_get(p_id bigint) returns json
language plpgsql stable
set search_path = app, pg_temp
as $$
begin
  return app.document_json(p_id, true);
end
$$;
comment on function app.document_get(bigint) is 'Four roles: one visible document with its item tree, NULL when not visible';

-- Items as document_json without items, newest first (date desc, id desc).
-- Filters (NULL: none): kind, project.
create function app.documents_list(p_kind text, p_project_id bigint, p_limit integer, p_offset integer)
returns json
language plpgsql stable
set search_path = app, pg_temp
as $$
declare
  v_limit  integer := coalesce(p_limit, 50);
  v_offset integer := coalesce(p_offset, 0);
begin
  perform app.check_paging(v_limit, v_offset);
  if p_kind is not null and p_kind not in ('order', 'decision', 'plan', 'letter', 'roadmap') then
    perform app.raise_if_invalid(jsonb_build_array(app.field_error('kind', 'invalid',
      'Допустимые виды: order, decision, plan, letter, roadmap')));
  end if;
  return (
    with found as (
      select d.id, d.doc_date from app.documents d
      where (p_kind is null or d.kind = p_kind) and (p_project_id is null or d.project_id = p_project_id)
    )
    select json_build_object(
      'items', coalesce((select json_agg(app.document_json(f.id, false) order by f.doc_date desc, f.id desc)
                         from (select * from found order by doc_date desc, id desc
                               limit v_limit offset v_offset) f), '[]'::json),
      'total', (select count(*) from found),
      'limit', v_limit,
      'offset', v_offset));
end
$$;
comment on function app.documents_list(text, bigint, integer, integer) is 'Four roles: visible documents, newest first';

-- Field errors of a document body (committee or municipality). p_create:
-- kind, number, date, title required. A municipality may only keep road
-- maps (kind roadmap, else kind not_allowed). project_id must be visible.
create function app.document_errors(p jsonb, p_create boolean) returns jsonb
language plpgsql stable
set search_path = app, pg_temp
as $$
declare
  v_errors jsonb;
begin
  v_errors := app.type_errors(p, array['kind', 'number', 'title'], 'string')
           || app.type_errors(p, array['project_id'], 'integer');
  if jsonb_array_length(v_errors) > 0 then
    return v_errors;
  end if;
  if p_create or p ? 'kind' then
    if p ->> 'kind' is null then
      v_errors := v_errors || app.field_error('kind', 'required', 'Укажите вид документа');
    elsif p ->> 'kind' not in ('order', 'decision', 'plan', 'letter', 'roadmap') then
      v_errors := v_errors || app.field_error('kind', 'invalid', 'Допустимые виды: order, decision, plan, letter, roadmap');
    elsif app.claim_role() = 'municipality' and p ->> 'kind' <> 'roadmap' then
      v_errors := v_errors || app.field_error('kind', 'not_allowed',
        'Муниципалитет ведёт только муниципальную дорожную карту (roadmap)');
    end if;
  end if;
  if p_create or p ? 'number' then
    v_errors := v_errors || app.text_errors(p ->> 'number', 'number', true, 64);
  end if;
  if p_create or p ? 'date' then
    v_errors := v_errors || app.execution_date_errors(p, 'date', 'date', true);
  end if;
  if p_create or p ? 'title' then
    v_errors := v_errors || app.text_errors(p ->> 'title', 'title', true, 1000);
  end if;
  if p ->> 'project_id' is not null
     and not exists (select 1 from app.projects x where x.id = (p ->> 'project_id')::bigint) then
    v_errors := v_errors || app.field_error('project_id', 'not_found', 'Проект не найден');
  end if;
  return v_errors;
end
$$;
comment on function app.document_errors(jsonb, boolean) is 'Committee, municipality: field errors of a document body';

-- Registers a document. Committee: any kind, issued by the committee of its
-- region. Municipality: a road map of its own (kind roadmap). p: {kind,
-- number, date, title, project_id?}. Returns document_get (no items yet).
create function app.document_create(p jsonb) returns json
language plpgsql
set search_path = app, pg_temp
as $$
declare
  v_id bigint;
begin
  p := coalesce(p, '{}'::jsonb);
  perform app.raise_if_invalid(app.document_errors(p, true));
  insert into app.documents (region_id, municipality_id, kind, number, doc_date, title, project_id, created_by)
  values (app.claim_region_id(),
          case when app.claim_role() = 'municipality' then app.claim_municipality_id() end,
          p ->> 'kind', btrim(p ->> 'number'), (p ->> 'date')::date, btrim(p ->> 'title'),
          (p ->> 'project_id')::bigint, app.claim_user_id())
  returning id into v_id;
  return app.document_get(v_id);
end
$$;
comment on function app.document_create(jsonb) is
  'Committee (any kind), municipality (its own road map): register a document; audited';

-- Changes any of kind, number, date, title, project_id (null detaches the
-- project). OR404 not visible; OR403 visible but not the caller's to edit;
-- OR409 conflict.stale_version; OR422. Returns document_get.
create function app.document_update(p_id bigint, p_version integer, p jsonb) returns json
language plpgsql
set search_path = app, pg_temp
as $$
declare
  v_old record;
begin
  p := coalesce(p, '{}'::jsonb);
  perform 1 from app.documents d where d.id = p_id;
  if not found then
    raise exception using errcode = 'OR404', message = 'Документ не найден', detail = 'not_found';
  end if;
  select d.id, d.version into v_old from app.documents d
  where d.id = p_id
    and d.municipality_id is not distinct from case when app.claim_role() = 'municipality'
                                                    then app.claim_municipality_id() end
  for update;
  if not found then
    raise exception using errcode = 'OR403', message = 'Изменять документ может только выпустившая его организация',
      detail = 'auth.forbidden';
  end if;
  perform app.check_version(p_version, v_old.version);
  perform app.raise_if_invalid(app.document_errors(p, false));
  update app.documents d set
    kind = case when p ? 'kind' then p ->> 'kind' else d.kind end,
    number = case when p ? 'number' then btrim(p ->> 'number') else d.number end,
    doc_date = case when p ? 'date' then (p ->> 'date')::date else d.doc_date end,
    title = case when p ? 'title' then btrim(p ->> 'title') else d.title end,
    project_id = case when p ? 'project_id' then (p ->> 'project_id')::bigint else d.project_id end
  where d.id = p_id;
  return app.document_get(p_id);
end
$$;
comment on function app.document_update(bigint, integer, jsonb) is
  'Committee, municipality: change a document they issued (If-Match via p_version); audited';

-- Adds items to a document the caller issued and creates their execution
-- records. p_items: array of {number, content, deadline?, deadline_text?,
-- expected_result?, executors: [{kind, id?}]}; error fields are named
-- '<p_prefix>[i].field' (p_prefix NULL: a single item, plain field names).
-- Numbers like 2.1.3 (a trailing dot is dropped), unique in the document
-- (taken) and in the batch (duplicate). deadline required when there are
-- executors or a deadline_text. Executors: committee, loiro,
-- all_municipalities (one record per municipality of the region),
-- municipality {id}, school {id} — in a municipal road map only the
-- municipality itself and its schools. Returns the new item ids, by number.
create function app.document_items_insert(p_document_id bigint, p_items jsonb, p_prefix text) returns bigint[]
language plpgsql
set search_path = app, pg_temp
as $$
declare
  v_doc      record;
  v_errors   jsonb := '[]'::jsonb;
  v_item     jsonb;
  v_ord      integer;
  v_path     text;
  v_number   text;
  v_numbers  text[] := '{}';
  v_exec     jsonb;
  v_eord     integer;
  v_epath    text;
  v_kind     text;
  v_seen     text[];
  v_execs    jsonb;
  v_id       bigint;
  v_ids      bigint[] := '{}';
  v_mun      bigint;
begin
  select d.id, d.region_id, d.municipality_id into v_doc from app.documents d where d.id = p_document_id;
  if not found then
    raise exception using errcode = 'OR404', message = 'Документ не найден', detail = 'not_found';
  end if;
  if v_doc.municipality_id is distinct from (case when app.claim_role() = 'municipality'
                                                  then app.claim_municipality_id() end)
     or app.claim_role() not in ('committee', 'municipality') then
    raise exception using errcode = 'OR403', message = 'Пункты добавляет только выпустившая документ организация',
      detail = 'auth.forbidden';
  end if;
  if jsonb_typeof(p_items) is distinct from 'array' or jsonb_array_length(p_items) = 0 then
    perform app.raise_if_invalid(jsonb_build_array(app.field_error(coalesce(p_prefix, 'items'), 'required',
      'Добавьте хотя бы один пункт')));
  end if;
  if jsonb_array_length(p_items) > 500 then
    perform app.raise_if_invalid(jsonb_build_array(app.field_error(p_prefix, 'too_many', 'Не больше 500 пунктов за раз')));
  end if;

  -- Validate everything first; store nothing unless every item is right.
  for v_item, v_ord in select e, o - 1 from jsonb_array_elements(p_items) with ordinality x(e, o) loop
    v_path := case when p_prefix is null then '' else format('%s[%s].', p_prefix, v_ord) end;
    if jsonb_typeof(v_item) <> 'object' then
      v_errors := v_errors || app.field_error(rtrim(v_path, '.'), 'invalid', 'Ожидается объект');
      continue;
    end if;
    select coalesce(jsonb_agg(app.field_error(v_path || (t ->> 'field'), t ->> 'code', t ->> 'message')), '[]'::jsonb)
    into v_execs
    from jsonb_array_elements(app.type_errors(v_item, array['number', 'content', 'deadline', 'deadline_text', 'expected_result'], 'string')
                              || app.type_errors(v_item, array['executors'], 'array')) t;
    if jsonb_array_length(v_execs) > 0 then
      v_errors := v_errors || v_execs;
      continue;
    end if;

    v_number := regexp_replace(btrim(coalesce(v_item ->> 'number', '')), '\.$', '');
    if v_number = '' then
      v_errors := v_errors || app.field_error(v_path || 'number', 'required', 'Укажите номер пункта');
    elsif v_number !~ '^[0-9]{1,3}(\.[0-9]{1,3}){0,5}$' then
      v_errors := v_errors || app.field_error(v_path || 'number', 'invalid', 'Номер пункта вида 1, 2.1 или 2.1.3');
    elsif v_number = any (v_numbers) then
      v_errors := v_errors || app.field_error(v_path || 'number', 'duplicate', format('Пункт %s указан дважды', v_number));
    elsif exists (select 1 from app.document_items i where i.document_id = p_document_id and i.number = v_number) then
      v_errors := v_errors || app.field_error(v_path || 'number', 'taken', format('Пункт %s уже есть в документе', v_number));
    end if;
    v_numbers := v_numbers || v_number;

    select coalesce(jsonb_agg(app.field_error(v_path || (t ->> 'field'), t ->> 'code', t ->> 'message')), '[]'::jsonb)
    into v_execs
    from jsonb_array_elements(app.text_errors(v_item ->> 'content', 'content', true, 4000)
                              || app.text_errors(v_item ->> 'deadline_text', 'deadline_text', false, 200)
                              || app.text_errors(v_item ->> 'expected_result', 'expected_result', false, 2000)
                              || app.execution_date_errors(v_item, 'deadline', 'deadline',
                                   jsonb_array_length(coalesce(nullif(v_item -> 'executors', 'null'::jsonb), '[]'::jsonb)) > 0
                                   or nullif(btrim(v_item ->> 'deadline_text'), '') is not null)) t;
    v_errors := v_errors || v_execs;

    v_seen := '{}';
    for v_exec, v_eord in select e, o - 1
                          from jsonb_array_elements(coalesce(nullif(v_item -> 'executors', 'null'::jsonb), '[]'::jsonb))
                               with ordinality x(e, o) loop
      v_epath := format('%sexecutors[%s]', v_path, v_eord);
      if jsonb_typeof(v_exec) <> 'object' or jsonb_typeof(v_exec -> 'kind') is distinct from 'string'
         or (v_exec ? 'id' and jsonb_typeof(v_exec -> 'id') not in ('number', 'null'))
         or (jsonb_typeof(v_exec -> 'id') = 'number' and (v_exec ->> 'id') !~ '^[0-9]{1,18}$') then
        v_errors := v_errors || app.field_error(v_epath, 'invalid', 'Исполнитель: {kind, id}');
        continue;
      end if;
      v_kind := v_exec ->> 'kind';
      if v_kind not in ('committee', 'loiro', 'all_municipalities', 'municipality', 'school') then
        v_errors := v_errors || app.field_error(v_epath || '.kind', 'invalid',
          'Исполнитель: committee, loiro, all_municipalities, municipality или school');
        continue;
      end if;
      if v_doc.municipality_id is not null and v_kind not in ('municipality', 'school') then
        v_errors := v_errors || app.field_error(v_epath || '.kind', 'not_allowed',
          'В муниципальной дорожной карте исполнители — сам муниципалитет или его школы');
        continue;
      end if;
      if v_kind in ('municipality', 'school') then
        if v_exec ->> 'id' is null then
          v_errors := v_errors || app.field_error(v_epath || '.id', 'required', 'Укажите организацию');
          continue;
        end if;
        if v_kind = 'municipality' and not exists (
             select 1 from app.municipalities m where m.id = (v_exec ->> 'id')::bigint and m.region_id = v_doc.region_id
               and (v_doc.municipality_id is null or m.id = v_doc.municipality_id)) then
          v_errors := v_errors || app.field_error(v_epath || '.id', 'not_found', 'Муниципалитет не найден');
          continue;
        end if;
        if v_kind = 'school' and not exists (
             select 1 from app.schools s join app.municipalities m on m.id = s.municipality_id
             where s.id = (v_exec ->> 'id')::bigint and m.region_id = v_doc.region_id
               and (v_doc.municipality_id is null or s.municipality_id = v_doc.municipality_id)) then
          v_errors := v_errors || app.field_error(v_epath || '.id', 'not_found', 'Школа не найдена');
          continue;
        end if;
      elsif v_exec ->> 'id' is not null then
        v_errors := v_errors || app.field_error(v_epath || '.id', 'must_be_empty',
          'Для этого исполнителя организацию указывать не нужно');
        continue;
      end if;
      -- all_municipalities and a named municipality would be the same record.
      if (v_kind || ':' || coalesce(v_exec ->> 'id', '')) = any (v_seen)
         or (v_kind = 'municipality' and 'all_municipalities:' = any (v_seen))
         or (v_kind = 'all_municipalities' and exists (select 1 from unnest(v_seen) s where s like 'municipality:%')) then
        v_errors := v_errors || app.field_error(v_epath, 'duplicate', 'Исполнитель указан дважды');
        continue;
      end if;
      v_seen := v_seen || (v_kind || ':' || coalesce(v_exec ->> 'id', ''));
    end loop;
  end loop;
  perform app.raise_if_invalid(v_errors);

  -- Store the items and their records.
  for v_item in select e from jsonb_array_elements(p_items) x(e) loop
    v_number := regexp_replace(btrim(v_item ->> 'number'), '\.$', '');
    select coalesce(jsonb_agg(jsonb_build_object('kind', e ->> 'kind', 'id', (e ->> 'id')::bigint) order by o), '[]'::jsonb)
    into v_execs
    from jsonb_array_elements(coalesce(nullif(v_item -> 'executors', 'null'::jsonb), '[]'::jsonb)) with ordinality x(e, o);
    insert into app.document_items (document_id, region_id, number, content, deadline, deadline_text,
                                    expected_result, executors)
    values (p_document_id, v_doc.region_id, v_number, btrim(v_item ->> 'content'),
            (v_item ->> 'deadline')::date, nullif(btrim(v_item ->> 'deadline_text'), ''),
            nullif(btrim(v_item ->> 'expected_result'), ''), v_execs)
    returning id into v_id;
    v_ids := v_ids || v_id;

    insert into app.assignments (region_id, document_id, item_id, executor_kind, municipality_id, school_id, assigned_as)
    select v_doc.region_id, p_document_id, v_id, e.kind, e.municipality_id, e.school_id, e.assigned_as
    from (
      select x ->> 'kind' as kind, null::bigint as municipality_id, null::bigint as school_id, null::text as assigned_as
      from jsonb_array_elements(v_execs) x where x ->> 'kind' in ('committee', 'loiro')
      union all
      select 'municipality', (x ->> 'id')::bigint, null, null
      from jsonb_array_elements(v_execs) x where x ->> 'kind' = 'municipality'
      union all
      select 'school', s.municipality_id, s.id, null
      from jsonb_array_elements(v_execs) x join app.schools s on s.id = (x ->> 'id')::bigint
      where x ->> 'kind' = 'school'
      union all
      select 'municipality', m.id, null, 'all_municipalities'
      from jsonb_array_elements(v_execs) x join app.municipalities m on m.region_id = v_doc.region_id
      where x ->> 'kind' = 'all_municipalities'
    ) e;
  end loop;
  return v_ids;
end
$$;
comment on function app.document_items_insert(bigint, jsonb, text) is
  'Committee, municipality: validate and store items of a document they issued with their execution records; audited';

-- One item: p as an element of document_items_insert. Returns the item
-- node (document_item_json, no children).
create function app.document_item_create(p_document_id bigint, p jsonb) returns json
language plpgsql
set search_path = app, pg_temp
as $$
declare
  v_ids bigint[];
begin
  v_ids := app.document_items_insert(p_document_id, jsonb_build_array(coalesce(p, '{}'::jsonb)), null);
  return app.document_item_json(v_ids[1], null);
end
$$;
comment on function app.document_item_create(bigint, jsonb) is
  'Committee, municipality: add one item with its executors to a document they issued; audited';

-- Items pasted in bulk: p_items is the array (fields named items[i].…).
-- All or nothing. Returns document_get.
create function app.document_items_create(p_document_id bigint, p_items jsonb) returns json
language plpgsql
set search_path = app, pg_temp
as $$
begin
  perform app.document_items_insert(p_document_id, p_items, 'items');
  return app.document_get(p_document_id);
end
$$;
comment on function app.document_items_create(bigint, jsonb) is
  'Committee, municipality: add many items at once (all or nothing); audited';

------------------------------------------------------------------------------
-- Grants
------------------------------------------------------------------------------

revoke execute on function
  app.assignment_overdue(date, text), app.assignment_due_soon(date, text),
  app.execution_date_errors(jsonb, text, text, boolean), app.project_group_label(text),
  app.executor_json(text, bigint, bigint, bigint),
  app.project_get(bigint), app.projects_list(integer, integer), app.project_errors(jsonb, boolean),
  app.project_row_errors(date, date, text, date), app.project_create(jsonb),
  app.project_update(bigint, integer, jsonb), app.project_school_json(bigint, bigint),
  app.project_schools_list(bigint, text, bigint, integer, integer), app.project_school_add(bigint, jsonb),
  app.project_school_remove(bigint, bigint), app.project_schools_import_begin(),
  app.school_codes_elsewhere(text[]), app.project_schools_import(bigint, boolean),
  app.project_schools_import_copy_error(text, text),
  app.assignment_json(app.assignments), app.assignment_get(bigint),
  app.assignments_list(boolean, boolean, text, bigint, bigint, text, integer, integer),
  app.execution_summary(text, bigint), app.assignment_in_scope(app.assignments),
  app.assignment_is_mine(app.assignments), app.assignment_report(bigint, integer, jsonb),
  app.assignment_review(bigint, integer, text, text), app.assignment_accept(bigint, integer),
  app.assignment_return(bigint, integer, text),
  app.document_issuer_json(bigint, bigint), app.document_item_json(bigint, json),
  app.document_item_nodes(bigint, bigint), app.document_json(bigint, boolean), app.document_get(bigint),
  app.documents_list(text, bigint, integer, integer), app.document_errors(jsonb, boolean),
  app.document_create(jsonb), app.document_update(bigint, integer, jsonb),
  app.document_items_insert(bigint, jsonb, text), app.document_item_create(bigint, jsonb),
  app.document_items_create(bigint, jsonb)
  from public;

-- Reads (and what they call) for the four roles; reporting is for every
-- executor (the function checks the record is the caller's own).
grant execute on function
  app.assignment_overdue(date, text), app.assignment_due_soon(date, text),
  app.project_group_label(text), app.executor_json(text, bigint, bigint, bigint),
  app.project_get(bigint), app.projects_list(integer, integer), app.project_school_json(bigint, bigint),
  app.project_schools_list(bigint, text, bigint, integer, integer),
  app.assignment_json(app.assignments), app.assignment_get(bigint),
  app.assignments_list(boolean, boolean, text, bigint, bigint, text, integer, integer),
  app.assignment_report(bigint, integer, jsonb),
  app.document_issuer_json(bigint, bigint), app.document_item_json(bigint, json),
  app.document_item_nodes(bigint, bigint), app.document_json(bigint, boolean), app.document_get(bigint),
  app.documents_list(text, bigint, integer, integer)
  to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;

grant execute on function app.execution_summary(text, bigint)
  to orientir_committee, orientir_loiro, orientir_municipality;

-- Projects, their schools and the import; the review of reports.
grant execute on function
  app.project_errors(jsonb, boolean), app.project_row_errors(date, date, text, date),
  app.project_create(jsonb), app.project_update(bigint, integer, jsonb),
  app.project_school_add(bigint, jsonb), app.project_school_remove(bigint, bigint),
  app.project_schools_import_begin(), app.school_codes_elsewhere(text[]),
  app.project_schools_import(bigint, boolean), app.project_schools_import_copy_error(text, text),
  app.assignment_accept(bigint, integer), app.assignment_return(bigint, integer, text)
  to orientir_committee;

-- Documents and items: the committee (its documents) and municipalities
-- (their road maps). parse_date and check_version are the self-diagnostics
-- helpers (0013, 0014), reused here by these invoker functions.
grant execute on function
  app.parse_date(text), app.execution_date_errors(jsonb, text, text, boolean),
  app.check_version(integer, integer),
  app.document_errors(jsonb, boolean), app.document_create(jsonb), app.document_update(bigint, integer, jsonb),
  app.document_items_insert(bigint, jsonb, text), app.document_item_create(bigint, jsonb),
  app.document_items_create(bigint, jsonb)
  to orientir_committee, orientir_municipality;

reset role;
