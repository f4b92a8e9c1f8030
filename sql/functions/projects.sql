-- Projects and their schools (committee writes, every role reads its scope).
-- Function file (see shared.sql for how function files are applied).

set local role orientir_owner;

create or replace function app.project_group_label(p_group text) returns text
language sql immutable set search_path = app, pg_temp as $$
  select case p_group
           when 'low_results' then 'низкие образовательные результаты'
           when 'risk_zone' then 'в зоне риска по снижению образовательных результатов'
           when 'academic_failure' then 'признаки учебной неуспешности'
         end
$$;
grant execute on function app.project_group_label(text) to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.project_group_label(text) is 'Russian name of a project group';

-- The project as the API returns it, NULL when not visible (404):
-- {id, title, description, starts_on, ends_on, lead, lead_name, order_number,
--  order_date, school_count, groups: {low_results, risk_zone,
--  academic_failure}, version}. Counts are of the participations the caller
-- sees (a municipality: its own schools).
create or replace function app.project_get(p_id bigint) returns json
language plpgsql stable set search_path = app, pg_temp as $$
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
grant execute on function app.project_get(bigint) to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.project_get(bigint) is 'Four roles: one visible project with its school counts, NULL when not visible';

-- Items as project_get, newest period first (starts_on desc, then id), or by
-- p_sort: title, starts_on, each also descending ('-title'), ties in the
-- default order.
create or replace function app.projects_list(p_limit integer, p_offset integer, p_sort text default null) returns json
language plpgsql stable set search_path = app, pg_temp as $$
begin
  select * into p_limit, p_offset from app.list_page(p_limit, p_offset, p_sort, array['title', 'starts_on']);
  return app.page_json((
      select json_agg(app.project_get(p.id) order by p.pos)
      from (select pr.id, row_number() over (order by
                     case p_sort when 'title' then pr.title end,
                     case p_sort when '-title' then pr.title end desc,
                     case p_sort when 'starts_on' then pr.starts_on end,
                     pr.starts_on desc, pr.id desc) as pos
            from app.projects pr
            order by pos
            limit p_limit offset p_offset) p),
    (select count(*) from app.projects), p_limit, p_offset);
end
$$;
grant execute on function app.projects_list(integer,integer,text) to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.projects_list(integer, integer, text) is 'Four roles: visible projects, newest first or by p_sort';

-- Field errors of a project body; p_create: required fields must be there,
-- otherwise only the fields present are checked. p_old: the stored row's
-- dates and order (update), to check the result as a whole.
create or replace function app.project_errors(p jsonb, p_create boolean) returns jsonb
language plpgsql stable set search_path = app, pg_temp as $$
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
grant execute on function app.project_errors(jsonb,boolean) to orientir_committee;
comment on function app.project_errors(jsonb, boolean) is 'Committee: field errors of a project body (create or partial update)';

-- The stored row after applying p must still be whole: the period ordered,
-- the order number and date given together.
create or replace function app.project_row_errors(p_starts_on date, p_ends_on date, p_order_number text, p_order_date date)
returns jsonb
language sql immutable set search_path = app, pg_temp as $$
  select case when p_ends_on < p_starts_on
              then jsonb_build_array(app.field_error('ends_on', 'invalid', 'Окончание не раньше начала'))
              else '[]'::jsonb end
      || case when p_order_number is not null and p_order_date is null
              then jsonb_build_array(app.field_error('order_date', 'required', 'Укажите дату распоряжения'))
              when p_order_number is null and p_order_date is not null
              then jsonb_build_array(app.field_error('order_number', 'required', 'Укажите номер распоряжения'))
              else '[]'::jsonb end
$$;
grant execute on function app.project_row_errors(date,date,text,date) to orientir_committee;
comment on function app.project_row_errors(date, date, text, date) is
  'Committee: errors of a project as a whole (period order, order number with its date)';

-- Committee: creates a project of its region. p: {title, description?,
-- starts_on, ends_on?, lead? (committee|loiro, default committee),
-- order_number?, order_date?}. Returns project_get.
create or replace function app.project_create(p jsonb) returns json
language plpgsql set search_path = app, pg_temp as $$
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
grant execute on function app.project_create(jsonb) to orientir_committee;
comment on function app.project_create(jsonb) is 'Committee: create a project of its region; audited';

-- Committee: changes the fields present in p (as project_create; a null
-- clears an optional one). OR404, OR409 conflict.stale_version, OR422.
create or replace function app.project_update(p_id bigint, p_version integer, p jsonb) returns json
language plpgsql set search_path = app, pg_temp as $$
declare
  v_old record;
  v_new record;
begin
  p := coalesce(p, '{}'::jsonb);
  select * into v_old from app.projects x where x.id = p_id for update;
  if not found then
    perform app.raise_not_found('Проект не найден');
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
grant execute on function app.project_update(bigint,integer,jsonb) to orientir_committee;
comment on function app.project_update(bigint, integer, jsonb) is
  'Committee: change a project of its region (If-Match via p_version); audited';

-- One participation as the API returns it: {school_id, code, name,
-- short_name, municipality_id, municipality_name, group, group_label,
-- unfavorable_conditions}.
create or replace function app.project_school_json(p_project_id bigint, p_school_id bigint) returns json
language plpgsql stable set search_path = app, pg_temp as $$
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
grant execute on function app.project_school_json(bigint,bigint) to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.project_school_json(bigint, bigint) is 'Four roles: one visible participation, NULL when not visible';

-- The participating schools of a project the caller sees, by municipality
-- name then school short_name, or by p_sort: code, short_name,
-- municipality_name, group (in the order low_results, risk_zone,
-- academic_failure), each also descending ('-code'), ties in the default
-- order; NULL when the project is not visible (404). Filters (NULL: none):
-- group, municipality.
create or replace function app.project_schools_list(p_project_id bigint, p_group text, p_municipality_id bigint,
                                         p_limit integer, p_offset integer, p_sort text default null)
returns json
language plpgsql stable set search_path = app, pg_temp as $$
declare
  v_groups constant text[] := array['low_results', 'risk_zone', 'academic_failure'];
begin
  select * into p_limit, p_offset
  from app.list_page(p_limit, p_offset, p_sort, array['code', 'short_name', 'municipality_name', 'group']);
  perform app.raise_if_invalid(app.one_of_errors('group', p_group, v_groups, 'Допустимые группы'));
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
      select f.*, row_number() over (order by
               -- one key a type and direction: only the field asked for is not null
               case p_sort when 'code' then f.code end,
               case p_sort when '-code' then f.code end desc,
               case p_sort when 'short_name' then f.short_name end,
               case p_sort when '-short_name' then f.short_name when '-municipality_name' then f.municipality_name end desc,
               case p_sort when 'group' then array_position(v_groups, f.school_group) end,
               case p_sort when '-group' then array_position(v_groups, f.school_group) end desc,
               f.municipality_name, f.short_name, f.id) as pos
      from found f
      order by pos
      limit p_limit offset p_offset
    )
    select app.page_json((
        select json_agg(json_build_object(
                 'school_id', f.id, 'code', f.code, 'name', f.name, 'short_name', f.short_name,
                 'municipality_id', f.municipality_id, 'municipality_name', f.municipality_name,
                 'group', f.school_group, 'group_label', app.project_group_label(f.school_group),
                 'unfavorable_conditions', f.unfavorable_conditions)
               order by f.pos)
        from page f),
      (select count(*) from found), p_limit, p_offset));
end
$$;
grant execute on function app.project_schools_list(bigint,text,bigint,integer,integer,text) to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.project_schools_list(bigint, text, bigint, integer, integer, text) is
  'Four roles: the visible participating schools of a visible project (NULL: project not visible)';

-- Committee: adds a school to a project or changes its group and flag.
-- p: {school_id, group, unfavorable_conditions?} — the flag defaults to the
-- school's own «неблагоприятные условия». OR404 project not visible;
-- OR422 school_id not_found (not in the region), group invalid.
-- Returns {created, school: project_school_json}.
create or replace function app.project_school_add(p_project_id bigint, p jsonb) returns json
language plpgsql set search_path = app, pg_temp as $$
declare
  v_school  record;
  v_errors  jsonb;
  v_created boolean;
begin
  p := coalesce(p, '{}'::jsonb);
  if not exists (select 1 from app.projects x where x.id = p_project_id) then
    perform app.raise_not_found('Проект не найден');
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
grant execute on function app.project_school_add(bigint,jsonb) to orientir_committee;
comment on function app.project_school_add(bigint, jsonb) is
  'Committee: add a school of its region to a project, or change its group and flag; audited';

-- Committee: removes a school from a project of its region. Definer: no API
-- role may DELETE (catalog rule), so the scope is checked here. OR404 when
-- the project is not the committee's or the school does not take part.
create or replace function app.project_school_remove(p_project_id bigint, p_school_id bigint) returns void
language plpgsql security definer set search_path = app, pg_temp as $$
begin
  if app.claim_role() is distinct from 'committee'
     or not exists (select 1 from app.region_project_ids() id where id = p_project_id) then
    perform app.raise_not_found('Проект не найден');
  end if;
  delete from app.project_schools ps where ps.project_id = p_project_id and ps.school_id = p_school_id;
  if not found then
    perform app.raise_not_found('Школа не участвует в проекте');
  end if;
end
$$;
grant execute on function app.project_school_remove(bigint,bigint) to orientir_committee;
comment on function app.project_school_remove(bigint, bigint) is
  'Committee (definer, checks the region): remove a school from a project; audited';

reset role;
