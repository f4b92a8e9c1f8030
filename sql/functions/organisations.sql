-- Regions, municipalities, schools and users: lists, cards and the
-- committee's and municipalities' writers.
-- Function file (see shared.sql for how function files are applied).

set local role orientir_owner;

-- Items {id, code, name}, by name (ru collation) then id. RLS: own region.
create or replace function app.regions_list(p_limit integer, p_offset integer) returns json
language plpgsql stable set search_path = app, pg_temp as $$
begin
  select * into p_limit, p_offset from app.paging(p_limit, p_offset);
  return app.page_json((
      select json_agg(json_build_object('id', r.id, 'code', r.code, 'name', r.name) order by r.name, r.id)
      from (select id, code, name from app.regions order by name, id
            limit p_limit offset p_offset) r),
    (select count(*) from app.regions), p_limit, p_offset);
end
$$;
grant execute on function app.regions_list(integer,integer) to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.regions_list(integer, integer) is 'Four roles: visible regions {id, code, name} by name';

-- Items {id, code, name, region_id}, by name then id, or by p_sort: name,
-- code, each also descending ('-name'); p_region_id NULL: all visible. RLS:
-- the region's municipalities (a school: only its own).
create or replace function app.municipalities_list(p_region_id bigint, p_limit integer, p_offset integer,
                                                   p_sort text default null) returns json
language plpgsql stable set search_path = app, pg_temp as $$
begin
  select * into p_limit, p_offset from app.list_page(p_limit, p_offset, p_sort, array['name', 'code']);
  return app.page_json((
      select json_agg(json_build_object('id', m.id, 'code', m.code, 'name', m.name,
                                        'region_id', m.region_id) order by m.pos)
      from (select id, code, name, region_id,
                   row_number() over (order by case p_sort when 'code' then code end,
                                               case p_sort when '-code' then code end desc,
                                               case p_sort when '-name' then name end desc,
                                               name, id) as pos
            from app.municipalities
            where p_region_id is null or region_id = p_region_id
            order by pos limit p_limit offset p_offset) m),
    (select count(*) from app.municipalities
              where p_region_id is null or region_id = p_region_id), p_limit, p_offset);
end
$$;
grant execute on function app.municipalities_list(bigint,integer,integer,text) to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.municipalities_list(bigint, integer, integer, text) is
  'Four roles: visible municipalities {id, code, name, region_id} by name or p_sort, optionally of one region';

-- The school as the API returns it, NULL when not visible (404).
-- {id, code, name, short_name, municipality_id, municipality_name, address,
--  is_rural, unfavorable_conditions, education_levels, has_ovz_pupils, version}
-- (plpgsql, not sql: in PostgreSQL 15 a non-inlined SQL function keeps its
-- plan for the rest of the transaction without re-checking which role's RLS
-- it was planned for; plpgsql plans go through the plan cache, which does.)
create or replace function app.school_get(p_id bigint) returns json
language plpgsql stable set search_path = app, pg_temp as $$
begin
  return (
    select json_build_object(
             'id', s.id, 'code', s.code, 'name', s.name, 'short_name', s.short_name,
             'municipality_id', s.municipality_id, 'municipality_name', m.name,
             'address', s.address, 'is_rural', s.is_rural,
             'unfavorable_conditions', s.unfavorable_conditions,
             'education_levels', s.education_levels, 'has_ovz_pupils', s.has_ovz_pupils,
             'version', s.version)
    from app.schools s
    left join app.municipalities m on m.id = s.municipality_id
    where s.id = p_id);
end
$$;
grant execute on function app.school_get(bigint) to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.school_get(bigint) is 'Four roles: one visible school, NULL when not visible';

-- Items as school_get, ordered by short_name (ru collation) then id, or by
-- p_sort: code, short_name, municipality_name, each also descending
-- ('-code'), ties in the default order. p_municipality_id NULL: all visible;
-- p_q: substring of code, name or short_name, case-insensitive (blank: no
-- filter).
create or replace function app.schools_list(p_municipality_id bigint, p_q text, p_limit integer, p_offset integer,
                                            p_sort text default null)
returns json
language plpgsql stable set search_path = app, pg_temp as $$
declare
  v_pattern text := app.like_pattern(p_q);
begin
  select * into p_limit, p_offset
  from app.list_page(p_limit, p_offset, p_sort, array['code', 'short_name', 'municipality_name']);
  return (
    with found as (
      select s.id, s.code, s.name, s.short_name, s.municipality_id, s.address,
             s.is_rural, s.unfavorable_conditions, s.education_levels, s.has_ovz_pupils, s.version
      from app.schools s
      where (p_municipality_id is null or s.municipality_id = p_municipality_id)
        and (v_pattern is null
             or s.code ilike v_pattern or s.name ilike v_pattern or s.short_name ilike v_pattern)
    ),
    page as (
      select f.*, row_number() over (order by
               -- one key a type and direction: only the field asked for is not null
               case p_sort when 'code' then f.code end,
               case p_sort when '-code' then f.code end desc,
               -- the municipality's name only when sorting by it: joining it for every found row
               -- (under its RLS) would cost the list more than its sort
               case p_sort when 'municipality_name' then (select m.name from app.municipalities m
                                                          where m.id = f.municipality_id) end,
               case p_sort when '-municipality_name' then (select m.name from app.municipalities m
                                                           where m.id = f.municipality_id)
                           when '-short_name' then f.short_name end desc,
               f.short_name, f.id) as pos
      from found f
      order by pos
      limit p_limit offset p_offset
    )
    select app.page_json((
        select json_agg(json_build_object(
                 'id', p.id, 'code', p.code, 'name', p.name, 'short_name', p.short_name,
                 'municipality_id', p.municipality_id, 'municipality_name', m.name,
                 'address', p.address, 'is_rural', p.is_rural,
                 'unfavorable_conditions', p.unfavorable_conditions,
                 'education_levels', p.education_levels, 'has_ovz_pupils', p.has_ovz_pupils,
                 'version', p.version) order by p.pos)
        from page p left join app.municipalities m on m.id = p.municipality_id),
      (select count(*) from found), p_limit, p_offset));
end
$$;
grant execute on function app.schools_list(bigint,text,integer,integer,text) to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.schools_list(bigint, text, integer, integer, text) is
  'Four roles: visible schools by short_name or p_sort, filtered by municipality and a search string';

-- Validation of a school body (committee). p_create: every required field
-- must be there; otherwise only the fields present are checked.
create or replace function app.school_errors(p jsonb, p_create boolean) returns jsonb
language plpgsql stable set search_path = app, pg_temp as $$
declare
  v_errors jsonb;
  v_level  text;
begin
  v_errors := app.type_errors(p, array['code', 'name', 'short_name', 'address'], 'string')
           || app.type_errors(p, array['municipality_id'], 'integer')
           || app.type_errors(p, array['is_rural', 'unfavorable_conditions', 'has_ovz_pupils'], 'boolean')
           || app.type_errors(p, array['education_levels'], 'array');
  if jsonb_array_length(v_errors) > 0 then
    return v_errors;
  end if;

  if p_create or p ? 'code' then
    v_errors := v_errors || app.text_errors(p ->> 'code', 'code', true, 32);
    if btrim(p ->> 'code') !~ '^[0-9A-Za-z._-]{1,32}$' and char_length(btrim(p ->> 'code')) <= 32 then
      v_errors := v_errors || app.field_error('code', 'invalid',
        'Код: латинские буквы, цифры, «.», «_», «-»');
    end if;
  end if;
  if p_create or p ? 'name' then
    v_errors := v_errors || app.text_errors(p ->> 'name', 'name', true, 500);
  end if;
  if p_create or p ? 'short_name' then
    v_errors := v_errors || app.text_errors(p ->> 'short_name', 'short_name', true, 500);
  end if;
  if p ? 'address' then
    v_errors := v_errors || app.text_errors(p ->> 'address', 'address', false, 500);
  end if;
  if p_create or p ? 'municipality_id' then
    if p ->> 'municipality_id' is null then
      v_errors := v_errors || app.field_error('municipality_id', 'required', 'Укажите муниципалитет');
    elsif not exists (select 1 from app.municipalities m where m.id = (p ->> 'municipality_id')::bigint) then
      v_errors := v_errors || app.field_error('municipality_id', 'not_found', 'Муниципалитет не найден');
    end if;
  end if;
  if not p_create then
    -- NOT NULL flags: present means true or false.
    select v_errors || coalesce(jsonb_agg(app.field_error(f, 'required', 'Укажите значение')), '[]'::jsonb)
    into v_errors
    from unnest(array['is_rural', 'unfavorable_conditions', 'has_ovz_pupils']) f
    where p ? f and jsonb_typeof(p -> f) = 'null';
  end if;
  if p_create or p ? 'education_levels' then
    if coalesce(jsonb_array_length(nullif(p -> 'education_levels', 'null'::jsonb)), 0) = 0 then
      v_errors := v_errors || app.field_error('education_levels', 'required',
        'Укажите хотя бы один уровень образования');
    else
      for v_level in select jsonb_array_elements(p -> 'education_levels')::text loop
        if v_level not in ('"primary"', '"basic"', '"secondary"') then
          v_errors := v_errors || app.field_error('education_levels', 'invalid',
            'Допустимые уровни: primary (НОО), basic (ООО), secondary (СОО)');
          exit;
        end if;
      end loop;
    end if;
  end if;
  return v_errors;
end
$$;
grant execute on function app.school_errors(jsonb,boolean) to orientir_committee;
comment on function app.school_errors(jsonb, boolean) is 'Committee: field errors of a school body (create or partial update)';

-- The education levels of a body in canonical order, without duplicates.
create or replace function app.education_levels_of(p jsonb) returns text[]
language sql immutable set search_path = app, pg_temp as $$
  select array_agg(l order by array_position(array['primary', 'basic', 'secondary'], l))
  from (select distinct jsonb_array_elements_text(p -> 'education_levels') as l) d
$$;
grant execute on function app.education_levels_of(jsonb) to orientir_committee;
comment on function app.education_levels_of(jsonb) is 'education_levels of a body, canonical order, distinct';

-- A unique violation of a school write: OR422 field code taken when it is
-- the school code's (constraint schools_code_key); the caller re-raises any
-- other.
create or replace function app.raise_if_school_code_taken(p_constraint text, p jsonb) returns void
language plpgsql immutable set search_path = app, pg_temp as $$
begin
  if p_constraint = 'schools_code_key' then
    perform app.raise_if_invalid(jsonb_build_array(app.field_error('code', 'taken',
      format('Код «%s» уже занят', btrim(p ->> 'code')))));
  end if;
end
$$;
grant execute on function app.raise_if_school_code_taken(text,jsonb) to orientir_committee;
comment on function app.raise_if_school_code_taken(text, jsonb) is
  'Committee (school_create, school_update): OR422 field code taken for a violation of schools_code_key';

-- Committee: creates a school in a municipality of its region. p: {code,
-- name, short_name, municipality_id, address?, is_rural?,
-- unfavorable_conditions?, education_levels, has_ovz_pupils?} (flags default
-- false). Returns school_get. OR422: field errors (code taken included).
create or replace function app.school_create(p jsonb) returns json
language plpgsql set search_path = app, pg_temp as $$
declare
  v_id         bigint;
  v_constraint text;
begin
  p := coalesce(p, '{}'::jsonb);
  perform app.raise_if_invalid(app.school_errors(p, true));
  begin
    insert into app.schools (code, municipality_id, name, short_name, address, is_rural,
                             unfavorable_conditions, education_levels, has_ovz_pupils)
    values (btrim(p ->> 'code'), (p ->> 'municipality_id')::bigint, btrim(p ->> 'name'),
            btrim(p ->> 'short_name'), nullif(btrim(p ->> 'address'), ''),
            coalesce((p ->> 'is_rural')::boolean, false),
            coalesce((p ->> 'unfavorable_conditions')::boolean, false),
            app.education_levels_of(p),
            coalesce((p ->> 'has_ovz_pupils')::boolean, false))
    returning id into v_id;
  exception when unique_violation then
    get stacked diagnostics v_constraint = constraint_name;
    perform app.raise_if_school_code_taken(v_constraint, p);
    raise;
  end;
  return app.school_get(v_id);
end
$$;
grant execute on function app.school_create(jsonb) to orientir_committee;
comment on function app.school_create(jsonb) is 'Committee: create a school of its region; audited by trigger';

-- Committee: changes the fields present in p. p_version NULL: no If-Match.
-- OR404 not visible, OR409 conflict.stale_version, OR422 field errors.
create or replace function app.school_update(p_id bigint, p_version integer, p jsonb) returns json
language plpgsql set search_path = app, pg_temp as $$
declare
  v_old        record;
  v_constraint text;
begin
  p := coalesce(p, '{}'::jsonb);
  select s.id, s.version into v_old from app.schools s where s.id = p_id for update;
  if not found then
    perform app.raise_not_found('Школа не найдена');
  end if;
  perform app.check_version(p_version, v_old.version);
  perform app.raise_if_invalid(app.school_errors(p, false));
  begin
    update app.schools s set
      code = case when p ? 'code' then btrim(p ->> 'code') else s.code end,
      municipality_id = case when p ? 'municipality_id' then (p ->> 'municipality_id')::bigint
                             else s.municipality_id end,
      name = case when p ? 'name' then btrim(p ->> 'name') else s.name end,
      short_name = case when p ? 'short_name' then btrim(p ->> 'short_name') else s.short_name end,
      address = case when p ? 'address' then nullif(btrim(p ->> 'address'), '') else s.address end,
      is_rural = case when p ? 'is_rural' then (p ->> 'is_rural')::boolean else s.is_rural end,
      unfavorable_conditions = case when p ? 'unfavorable_conditions'
                                    then (p ->> 'unfavorable_conditions')::boolean
                                    else s.unfavorable_conditions end,
      education_levels = case when p ? 'education_levels' then app.education_levels_of(p)
                              else s.education_levels end,
      has_ovz_pupils = case when p ? 'has_ovz_pupils' then (p ->> 'has_ovz_pupils')::boolean
                            else s.has_ovz_pupils end
    where s.id = p_id;
  exception when unique_violation then
    get stacked diagnostics v_constraint = constraint_name;
    perform app.raise_if_school_code_taken(v_constraint, p);
    raise;
  end;
  return app.school_get(p_id);
end
$$;
grant execute on function app.school_update(bigint,integer,jsonb) to orientir_committee;
comment on function app.school_update(bigint, integer, jsonb) is
  'Committee: change a school of its region (If-Match via p_version); audited by trigger';

-- Field errors of a role and its organisation: the organisation the role
-- requires must be set and visible to the caller, the others empty; a
-- municipality may only assign role school (and, through visibility, only
-- its own schools).
create or replace function app.user_assignment_errors(p_role text, p_region_id bigint,
                                           p_municipality_id bigint, p_school_id bigint)
returns jsonb
language plpgsql stable set search_path = app, pg_temp as $$
declare
  v_required text;
  v_label    text;
begin
  if p_role is null then
    return jsonb_build_array(app.field_error('role', 'required', 'Укажите роль'));
  end if;
  if p_role <> all (array['committee', 'loiro', 'municipality', 'school']) then
    return app.one_of_errors('role', p_role, array['committee', 'loiro', 'municipality', 'school'], 'Допустимые роли');
  end if;
  if app.claim_role() = 'municipality' and p_role <> 'school' then
    return jsonb_build_array(app.field_error('role', 'not_allowed',
      'Муниципалитет может назначать только роль «Школа»'));
  end if;
  v_label := app.role_label(p_role);
  v_required := case p_role when 'municipality' then 'municipality_id'
                            when 'school' then 'school_id'
                            else 'region_id' end;

  -- The organisation the role requires: set (required) and visible (not_found);
  -- the other two: empty (must_be_empty).
  return coalesce((
    select jsonb_agg(case when o.field <> v_required
                          then app.field_error(o.field, 'must_be_empty',
                                               format('Для роли «%s» поле «%s» должно быть пустым', v_label, o.title))
                          when o.id is null
                          then app.field_error(o.field, 'required', format('Для роли «%s» укажите %s', v_label, o.what))
                          else app.field_error(o.field, 'not_found', o.not_found) end
                     order by o.ord)
    from (values (1, 'region_id', p_region_id, 'регион', 'Регион', 'Регион не найден',
                  exists (select 1 from app.regions r where r.id = p_region_id)),
                 (2, 'municipality_id', p_municipality_id, 'муниципалитет', 'Муниципалитет', 'Муниципалитет не найден',
                  exists (select 1 from app.municipalities m where m.id = p_municipality_id)),
                 (3, 'school_id', p_school_id, 'школу', 'Школа', 'Школа не найдена',
                  exists (select 1 from app.schools s where s.id = p_school_id)))
         o(ord, field, id, what, title, not_found, visible)
    where case when o.field = v_required then o.id is null or not o.visible else o.id is not null end),
    '[]'::jsonb);
end
$$;
grant execute on function app.user_assignment_errors(text,bigint,bigint,bigint) to orientir_committee, orientir_municipality;
comment on function app.user_assignment_errors(text, bigint, bigint, bigint) is
  'Committee, municipality: field errors of a role and its organisation';

-- The user as /users returns it, NULL when not visible (404):
-- {id, login, full_name, role, region_id, municipality_id, school_id,
--  organisation_name, is_active, version}. The organisation ids are the
-- stored assignment: only the one the role requires is set.
-- (plpgsql for the reason given at school_get.)
create or replace function app.user_get(p_id bigint) returns json
language plpgsql stable set search_path = app, pg_temp as $$
begin
  return (
    select json_build_object(
             'id', u.id, 'login', u.login, 'full_name', u.full_name, 'role', u.role,
             'region_id', u.region_id, 'municipality_id', u.municipality_id, 'school_id', u.school_id,
             'organisation_name', case u.role
                                    when 'committee' then r.committee_name
                                    when 'loiro' then r.institute_name
                                    when 'municipality' then m.name
                                    else s.short_name
                                  end,
             'is_active', u.is_active, 'version', u.version)
    from app.users u
    left join app.regions r on r.id = u.region_id
    left join app.municipalities m on m.id = u.municipality_id
    left join app.schools s on s.id = u.school_id
    where u.id = p_id);
end
$$;
grant execute on function app.user_get(bigint) to orientir_committee, orientir_municipality;
comment on function app.user_get(bigint) is 'Committee, municipality: one visible user, NULL when not visible';

-- Items as user_get, by full_name (ru collation) then id, or by p_sort:
-- full_name, login, role, each also descending ('-login'), ties in the
-- default order. Filters (NULL: none): role; municipality (its municipality
-- users and the users of its schools); school; p_q: substring of the full
-- name or the login, case-insensitive (blank: no filter; % and _ literal).
create or replace function app.users_list(p_role text, p_municipality_id bigint, p_school_id bigint,
                               p_limit integer, p_offset integer, p_sort text default null, p_q text default null)
returns json
language plpgsql stable set search_path = app, pg_temp as $$
declare
  v_pattern text := app.like_pattern(p_q);
begin
  select * into p_limit, p_offset
  from app.list_page(p_limit, p_offset, p_sort, array['full_name', 'login', 'role']);
  perform app.raise_if_invalid(app.one_of_errors('role', p_role,
                                                 array['committee', 'loiro', 'municipality', 'school'], 'Допустимые роли'));
  return (
    with found as (
      select u.id, u.login, u.full_name, u.role, u.region_id, u.municipality_id, u.school_id,
             u.is_active, u.version
      from app.users u
      left join app.schools s on s.id = u.school_id
      where (p_role is null or u.role = p_role)
        and (p_municipality_id is null or coalesce(u.municipality_id, s.municipality_id) = p_municipality_id)
        and (p_school_id is null or u.school_id = p_school_id)
        and (v_pattern is null or u.full_name ilike v_pattern or u.login ilike v_pattern)
    ),
    page as (
      select f.*, row_number() over (order by
               case p_sort when 'login' then f.login end,
               case p_sort when '-login' then f.login end desc,
               case p_sort when 'role' then array_position(array['committee', 'loiro', 'municipality', 'school'], f.role) end,
               case p_sort when '-role' then array_position(array['committee', 'loiro', 'municipality', 'school'], f.role) end desc,
               case p_sort when '-full_name' then f.full_name end desc,
               f.full_name, f.id) as pos
      from found f
      order by pos
      limit p_limit offset p_offset
    )
    select app.page_json((
        select json_agg(json_build_object(
                 'id', p.id, 'login', p.login, 'full_name', p.full_name, 'role', p.role,
                 'region_id', p.region_id, 'municipality_id', p.municipality_id,
                 'school_id', p.school_id,
                 'organisation_name', case p.role
                                        when 'committee' then r.committee_name
                                        when 'loiro' then r.institute_name
                                        when 'municipality' then m.name
                                        else s.short_name
                                      end,
                 'is_active', p.is_active, 'version', p.version) order by p.pos)
        from page p
        left join app.regions r on r.id = p.region_id
        left join app.municipalities m on m.id = p.municipality_id
        left join app.schools s on s.id = p.school_id),
      (select count(*) from found), p_limit, p_offset));
end
$$;
grant execute on function app.users_list(text,bigint,bigint,integer,integer,text,text) to orientir_committee, orientir_municipality;
comment on function app.users_list(text, bigint, bigint, integer, integer, text, text) is
  'Committee, municipality: visible users by full_name or p_sort, filtered by role, municipality, school';

-- Creates a user. p: {login, full_name, role, region_id?, municipality_id?,
-- school_id?, is_active?}; the login is stored lower-cased. OR422 with one
-- HINT entry per offending field (role/organisation mismatch, organisation
-- not visible → not_found, municipality assigning another role →
-- role not_allowed, login taken → login taken). Returns user_get.
create or replace function app.user_create(p jsonb, p_password_hash text) returns json
language plpgsql set search_path = app, pg_temp as $$
declare
  v_errors     jsonb;
  v_login      text;
  v_id         bigint;
  v_constraint text;
begin
  p := coalesce(p, '{}'::jsonb);
  perform app.raise_if_invalid(
    app.type_errors(p, array['login', 'full_name', 'role'], 'string')
    || app.type_errors(p, array['region_id', 'municipality_id', 'school_id'], 'integer')
    || app.type_errors(p, array['is_active'], 'boolean'));

  v_login := lower(btrim(p ->> 'login'));
  v_errors := app.text_errors(v_login, 'login', true, 64);
  if jsonb_array_length(v_errors) = 0 and v_login !~ '^[a-z0-9._-]{3,64}$' then
    v_errors := jsonb_build_array(app.field_error('login', 'invalid',
      'Логин: от 3 до 64 символов — латинские буквы, цифры, «.», «_», «-»'));
  end if;
  v_errors := v_errors
    || app.text_errors(p ->> 'full_name', 'full_name', true, 200)
    || app.user_assignment_errors(p ->> 'role', (p ->> 'region_id')::bigint,
                                  (p ->> 'municipality_id')::bigint, (p ->> 'school_id')::bigint);
  if p_password_hash is null then
    v_errors := v_errors || app.field_error('password', 'required', 'Задайте пароль');
  end if;
  perform app.raise_if_invalid(v_errors);

  begin
    insert into app.users (login, full_name, role, region_id, municipality_id, school_id,
                           is_active, password_hash)
    values (v_login, btrim(p ->> 'full_name'), p ->> 'role', (p ->> 'region_id')::bigint,
            (p ->> 'municipality_id')::bigint, (p ->> 'school_id')::bigint,
            coalesce((p ->> 'is_active')::boolean, true), p_password_hash)
    returning id into v_id;
  exception when unique_violation then
    get stacked diagnostics v_constraint = constraint_name;
    if v_constraint <> 'users_login_key' then
      raise;
    end if;
    perform app.raise_if_invalid(jsonb_build_array(app.field_error('login', 'taken',
      format('Логин «%s» уже занят', v_login))));
  end;
  return app.user_get(v_id);
end
$$;
grant execute on function app.user_create(jsonb,text) to orientir_committee, orientir_municipality;
comment on function app.user_create(jsonb, text) is
  'Committee (users of its region), municipality (school users of its schools): create a user; audited';

-- Changes any of full_name, is_active, role, region_id, municipality_id,
-- school_id. When p contains any of role/region_id/municipality_id/school_id
-- the assignment is replaced as a whole: role = p.role or the current role,
-- and organisation fields absent from p become NULL. Nobody deactivates
-- themselves or changes their own assignment (field code self).
-- OR404 not visible; OR403 visible but not manageable (a municipality and
-- itself); OR409 conflict.stale_version; OR422 field errors.
-- Deactivation and assignment changes revoke the user's refresh tokens (trigger).
create or replace function app.user_update(p_id bigint, p_version integer, p jsonb) returns json
language plpgsql set search_path = app, pg_temp as $$
declare
  v_old         record;
  v_errors      jsonb;
  v_assign      boolean;
  v_role        text;
  v_region      bigint;
  v_municipality bigint;
  v_school      bigint;
begin
  p := coalesce(p, '{}'::jsonb);
  perform 1 from app.users u where u.id = p_id;
  if not found then
    perform app.raise_not_found('Пользователь не найден');
  end if;
  select u.id, u.role, u.region_id, u.municipality_id, u.school_id, u.is_active, u.version
  into v_old from app.users u where u.id = p_id for update;
  if not found then
    raise exception using errcode = 'OR403', message = 'Недостаточно прав для изменения этого пользователя',
      detail = 'auth.forbidden';
  end if;
  if p_version is not null and p_version <> v_old.version then
    raise exception using errcode = 'OR409',
      message = 'Запись изменена другим пользователем. Обновите страницу и повторите',
      detail = 'conflict.stale_version';
  end if;

  perform app.raise_if_invalid(
    app.type_errors(p, array['full_name', 'role'], 'string')
    || app.type_errors(p, array['region_id', 'municipality_id', 'school_id'], 'integer')
    || app.type_errors(p, array['is_active'], 'boolean'));

  v_errors := '[]'::jsonb;
  if p ? 'full_name' then
    v_errors := v_errors || app.text_errors(p ->> 'full_name', 'full_name', true, 200);
  end if;
  if p ? 'is_active' and jsonb_typeof(p -> 'is_active') = 'null' then
    v_errors := v_errors || app.field_error('is_active', 'required', 'Укажите значение');
  end if;
  v_assign := p ?| array['role', 'region_id', 'municipality_id', 'school_id'];
  if v_assign then
    v_role := case when p ? 'role' then p ->> 'role' else v_old.role end;
    v_region := (p ->> 'region_id')::bigint;
    v_municipality := (p ->> 'municipality_id')::bigint;
    v_school := (p ->> 'school_id')::bigint;
    v_errors := v_errors || app.user_assignment_errors(v_role, v_region, v_municipality, v_school);
  else
    v_role := v_old.role;
    v_region := v_old.region_id;
    v_municipality := v_old.municipality_id;
    v_school := v_old.school_id;
  end if;
  if p_id = app.claim_user_id() then
    if p ? 'is_active' and not (p ->> 'is_active')::boolean then
      v_errors := v_errors || app.field_error('is_active', 'self', 'Нельзя отключить собственную учётную запись');
    end if;
    if (v_role, v_region, v_municipality, v_school)
       is distinct from (v_old.role, v_old.region_id, v_old.municipality_id, v_old.school_id) then
      v_errors := v_errors || app.field_error('role', 'self', 'Нельзя изменить собственную роль или организацию');
    end if;
  end if;
  perform app.raise_if_invalid(v_errors);

  update app.users u set
    full_name = case when p ? 'full_name' then btrim(p ->> 'full_name') else u.full_name end,
    is_active = case when p ? 'is_active' then (p ->> 'is_active')::boolean else u.is_active end,
    role = v_role,
    region_id = v_region,
    municipality_id = v_municipality,
    school_id = v_school
  where u.id = p_id;
  return app.user_get(p_id);
end
$$;
grant execute on function app.user_update(bigint,integer,jsonb) to orientir_committee, orientir_municipality;
comment on function app.user_update(bigint, integer, jsonb) is
  'Committee, municipality: change a user in scope (If-Match via p_version); audited; deactivation revokes sessions';

-- Sets another user's password hash. OR404 not visible, OR403 visible but not
-- manageable. Audited as password_set; revokes the user's refresh tokens.
create or replace function app.user_set_password(p_id bigint, p_hash text) returns void
language plpgsql set search_path = app, pg_temp as $$
begin
  perform 1 from app.users u where u.id = p_id;
  if not found then
    perform app.raise_not_found('Пользователь не найден');
  end if;
  if p_hash is null then
    perform app.raise_if_invalid(jsonb_build_array(app.field_error('password', 'required', 'Задайте пароль')));
  end if;
  update app.users u set password_hash = p_hash where u.id = p_id;
  if not found then
    raise exception using errcode = 'OR403', message = 'Недостаточно прав для изменения этого пользователя',
      detail = 'auth.forbidden';
  end if;
end
$$;
grant execute on function app.user_set_password(bigint,text) to orientir_committee, orientir_municipality;
comment on function app.user_set_password(bigint, text) is
  'Committee, municipality: reset the password of a user in scope; audited; revokes sessions';

reset role;
