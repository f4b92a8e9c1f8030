-- 0044_practice_functions: ЛОИРО's practices library, mentor suggestions and
-- the municipalities' mentoring partnerships (docs/design.md "Development
-- programs (issue 4)").
--
-- Practices: read by everyone of the region (invoker, RLS); written by ЛОИРО
-- through SECURITY DEFINER functions — editing a practice replaces its
-- indicator links, a DELETE no API role may do (0041). Mentors and
-- partnerships are SECURITY DEFINER reads: a mentor school or a partner may
-- be in another municipality, whose schools (and results) the caller's RLS
-- does not show; the functions expose only names and the one indicator's
-- points, and check the caller's scope themselves. Errors as in 0043.

set local role orientir_owner;

------------------------------------------------------------------------------
-- Practices
------------------------------------------------------------------------------

-- A visible practice, NULL when not visible (404): {id, title, body, links,
-- indicators: [{id, code, text, instrument_id, instrument_code}] (instrument
-- code, then instrument order), author_name, created_at, updated_at, version}.
create function app.practice_get(p_id bigint) returns json
language plpgsql stable
set search_path = app, pg_temp
as $$
begin
  return (
    select json_build_object(
             'id', pr.id, 'title', pr.title, 'body', pr.body, 'links', to_json(pr.links),
             'indicators', coalesce((
               select json_agg(json_build_object('id', x.id, 'code', x.code, 'text', x.text,
                                                 'instrument_id', i.id, 'instrument_code', i.code)
                               order by i.code, i.version, d.position, x.position)
               from app.practice_indicators pi
               join app.indicators x on x.id = pi.indicator_id
               join app.directions d on d.id = x.direction_id
               join app.instruments i on i.id = x.instrument_id
               where pi.practice_id = pr.id), '[]'::json),
             'author_name', pr.author_name, 'created_at', pr.created_at, 'updated_at', pr.updated_at,
             'version', pr.version)
    from app.practices pr where pr.id = p_id);
end
$$;
comment on function app.practice_get(bigint) is 'Four roles: one practice of the region with its indicators, NULL when not visible';

-- Practices of the region, newest first; items as practice_get without body,
-- with excerpt (the body's first 300 characters). p_indicator_id: practices
-- linked to an indicator with the same code in an instrument of the same
-- code as that one (variants and versions share recommendations; an
-- indicator the caller cannot see matches nothing). p_q: substring of title
-- or body, case-insensitive (% and _ literal; blank = no filter).
create function app.practices_list(p_indicator_id bigint, p_q text, p_limit integer, p_offset integer)
returns json
language plpgsql stable
set search_path = app, pg_temp
as $$
declare
  v_limit   integer := coalesce(p_limit, 50);
  v_offset  integer := coalesce(p_offset, 0);
  v_pattern text;
begin
  perform app.check_paging(v_limit, v_offset);
  if nullif(btrim(p_q), '') is not null then
    v_pattern := '%' || replace(replace(replace(btrim(p_q), '\', '\\'), '%', '\%'), '_', '\_') || '%';
  end if;
  return (
    with target as (
      select i.code as instrument_code, x.code as indicator_code
      from app.indicators x join app.instruments i on i.id = x.instrument_id
      where x.id = p_indicator_id
    ),
    found as (
      select pr.id, pr.title, pr.body, pr.links, pr.author_name, pr.created_at, pr.updated_at, pr.version
      from app.practices pr
      where (v_pattern is null or pr.title ilike v_pattern or pr.body ilike v_pattern)
        and (p_indicator_id is null
             or pr.id = any (array(select pi.practice_id from app.practice_indicators pi
                                   join app.indicators x on x.id = pi.indicator_id
                                   join app.instruments i on i.id = x.instrument_id
                                   join target t on t.instrument_code = i.code and t.indicator_code = x.code)))
    ),
    page as (
      select * from found order by created_at desc, id desc limit v_limit offset v_offset
    )
    select json_build_object(
      'items', coalesce((
        select json_agg(json_build_object(
                 'id', pg.id, 'title', pg.title,
                 'excerpt', case when char_length(pg.body) > 300 then left(pg.body, 299) || '…' else pg.body end,
                 'links', to_json(pg.links),
                 'indicators', coalesce((
                   select json_agg(json_build_object('id', x.id, 'code', x.code, 'text', x.text,
                                                     'instrument_id', i.id, 'instrument_code', i.code)
                                   order by i.code, i.version, d.position, x.position)
                   from app.practice_indicators pi
                   join app.indicators x on x.id = pi.indicator_id
                   join app.directions d on d.id = x.direction_id
                   join app.instruments i on i.id = x.instrument_id
                   where pi.practice_id = pg.id), '[]'::json),
                 'author_name', pg.author_name, 'created_at', pg.created_at, 'updated_at', pg.updated_at,
                 'version', pg.version) order by pg.created_at desc, pg.id desc)
        from page pg), '[]'::json),
      'total', (select count(*) from found),
      'limit', v_limit,
      'offset', v_offset));
end
$$;
comment on function app.practices_list(bigint, text, integer, integer) is
  'Four roles: practices of the region, newest first, by indicator code and a search string';

-- Errors of a list of links (practices): at most 10 (field links too_many),
-- each a string http(s)://… of at most 500 characters (links[i] invalid /
-- too_long). NULL or absent = none.
create function app.links_errors(p jsonb) returns jsonb
language sql immutable
set search_path = app, pg_temp
as $$
  select case
    when p is null or jsonb_typeof(p) = 'null' then '[]'::jsonb
    when jsonb_typeof(p) <> 'array' then jsonb_build_array(app.field_error('links', 'invalid', 'Ожидается список ссылок'))
    when jsonb_array_length(p) > 10 then jsonb_build_array(app.field_error('links', 'too_many', 'Не больше 10 ссылок'))
    else (select coalesce(jsonb_agg(app.field_error(format('links[%s]', l.ord - 1),
                                      case when jsonb_typeof(l.value) = 'string' and char_length(l.value #>> '{}') > 500
                                           then 'too_long' else 'invalid' end,
                                      case when jsonb_typeof(l.value) = 'string' and char_length(l.value #>> '{}') > 500
                                           then 'Ссылка не длиннее 500 символов'
                                           else 'Ссылка должна начинаться с http:// или https://' end)
                                    order by l.ord), '[]'::jsonb)
          from jsonb_array_elements(p) with ordinality l(value, ord)
          where jsonb_typeof(l.value) <> 'string' or char_length(l.value #>> '{}') > 500
             or btrim(l.value #>> '{}') !~ '^https?://[^[:space:]]+$')
  end
$$;
comment on function app.links_errors(jsonb) is 'Internal: field errors of a list of http(s) links';

-- Errors of a list of indicator ids (field p_field): p_min..100 distinct
-- positive ids of instruments of the region (others: p_field[i] not_found).
create function app.indicator_ids_errors(p jsonb, p_field text, p_min integer, p_region_id bigint) returns jsonb
language plpgsql stable
set search_path = app, pg_temp
as $$
declare
  v_ids bigint[] := app.doc_ids(p);
begin
  if (p is null or jsonb_typeof(p) = 'null' or v_ids = '{}') then
    return case when p_min > 0
                then jsonb_build_array(app.field_error(p_field, 'required', 'Выберите показатели'))
                else '[]'::jsonb end;
  elsif v_ids is null then
    return jsonb_build_array(app.field_error(p_field, 'invalid', 'Ожидается список идентификаторов показателей'));
  elsif cardinality(v_ids) > 100 then
    return jsonb_build_array(app.field_error(p_field, 'too_many', 'Не больше 100 показателей'));
  elsif cardinality(v_ids) <> (select count(distinct i) from unnest(v_ids) i) then
    return jsonb_build_array(app.field_error(p_field, 'duplicate', 'Показатель указан дважды'));
  end if;
  return (select coalesce(jsonb_agg(app.field_error(format('%s[%s]', p_field, i.ord - 1), 'not_found',
                                      'Нет такого показателя') order by i.ord), '[]'::jsonb)
          from unnest(v_ids) with ordinality i(id, ord)
          where not exists (select 1 from app.indicators x join app.instruments ins on ins.id = x.instrument_id
                            where x.id = i.id and ins.region_id = p_region_id));
end
$$;
comment on function app.indicator_ids_errors(jsonb, text, integer, bigint) is
  'Internal: field errors of a list of indicator ids of the region';

-- Errors of a practice body: title (1..500), body (1..20000), links,
-- indicator_ids (1..100). p_partial: only the members present (PATCH).
create function app.practice_errors(p jsonb, p_partial boolean, p_region_id bigint) returns jsonb
language sql stable
set search_path = app, pg_temp
as $$
  select case when not p_partial or p ? 'title' then app.text_errors(p ->> 'title', 'title', true, 500)
              else '[]'::jsonb end
         || case when not p_partial or p ? 'body' then app.text_errors(p ->> 'body', 'body', true, 20000)
                 else '[]'::jsonb end
         || app.links_errors(p -> 'links')
         || case when not p_partial or p ? 'indicator_ids'
                 then app.indicator_ids_errors(p -> 'indicator_ids', 'indicator_ids', 1, p_region_id)
                 else '[]'::jsonb end
$$;
comment on function app.practice_errors(jsonb, boolean, bigint) is 'Internal: field errors of a practice body';

-- The links of a body, trimmed, in order ('{}' when none).
create function app.links_of(p jsonb) returns text[]
language sql immutable
set search_path = app, pg_temp
as $$
  select coalesce(array_agg(btrim(l.value) order by l.ord), '{}')
  from jsonb_array_elements_text(case when jsonb_typeof(p) = 'array' then p else '[]'::jsonb end)
       with ordinality l(value, ord)
$$;
comment on function app.links_of(jsonb) is 'Internal: the trimmed links of a JSON array';

-- ЛОИРО: adds a practice of its region. p = {title, body, links?,
-- indicator_ids}. Returns practice_get (201).
create function app.practice_create(p jsonb) returns json
language plpgsql
security definer
set search_path = app, pg_temp
as $$
declare
  v_id bigint;
begin
  p := coalesce(p, '{}'::jsonb);
  if app.claim_role() is distinct from 'loiro' then
    raise exception using errcode = 'OR403', message = 'Практики добавляет ЛОИРО', detail = 'auth.forbidden';
  end if;
  perform app.raise_if_invalid(app.body_unknown_errors(p, array['title', 'body', 'links', 'indicator_ids'])
                               || app.type_errors(p, array['title', 'body'], 'string'));
  perform app.raise_if_invalid(app.practice_errors(p, false, app.claim_region_id()));

  insert into app.practices (region_id, title, body, links, created_by, author_name)
  select app.claim_region_id(), btrim(p ->> 'title'), btrim(p ->> 'body'), app.links_of(p -> 'links'),
         u.id, u.full_name
  from app.users u where u.id = app.claim_user_id()
  returning id into v_id;
  insert into app.practice_indicators (practice_id, indicator_id)
  select v_id, i from unnest(app.doc_ids(p -> 'indicator_ids')) i;
  return app.practice_get(v_id);
end
$$;
comment on function app.practice_create(jsonb) is 'ЛОИРО: add a practice of its region linked to indicators; audited';

-- ЛОИРО: changes a practice of its region: any of title, body, links,
-- indicator_ids (replaces the links). OR404 not of the caller's region; OR403
-- visible but the caller is not ЛОИРО; OR409 stale version; OR422.
create function app.practice_update(p_id bigint, p_version integer, p jsonb) returns json
language plpgsql
security definer
set search_path = app, pg_temp
as $$
declare
  v       app.practices;
  v_ids   bigint[];
  v_links integer := 0;
  v_count integer;
begin
  p := coalesce(p, '{}'::jsonb);
  select * into v from app.practices pr where pr.id = p_id for update;
  if not found or v.region_id is distinct from app.claim_region_id() then
    raise exception using errcode = 'OR404', message = 'Практика не найдена', detail = 'not_found';
  end if;
  if app.claim_role() is distinct from 'loiro' then
    raise exception using errcode = 'OR403', message = 'Практики изменяет ЛОИРО', detail = 'auth.forbidden';
  end if;
  perform app.check_version(p_version, v.version);
  perform app.raise_if_invalid(app.body_unknown_errors(p, array['title', 'body', 'links', 'indicator_ids'])
                               || app.type_errors(p, array['title', 'body'], 'string'));
  perform app.raise_if_invalid(app.practice_errors(p, true, v.region_id));

  if p ? 'indicator_ids' then
    v_ids := app.doc_ids(p -> 'indicator_ids');
    delete from app.practice_indicators pi where pi.practice_id = p_id and pi.indicator_id <> all (v_ids);
    get diagnostics v_count = row_count;
    v_links := v_count;
    insert into app.practice_indicators (practice_id, indicator_id)
    select p_id, i from unnest(v_ids) i on conflict do nothing;
    get diagnostics v_count = row_count;
    v_links := v_links + v_count;
  end if;
  update app.practices pr
  set title = case when p ? 'title' then btrim(p ->> 'title') else pr.title end,
      body = case when p ? 'body' then btrim(p ->> 'body') else pr.body end,
      links = case when p ? 'links' then app.links_of(p -> 'links') else pr.links end,
      version = case when v_links > 0 then pr.version + 1 else pr.version end
  where pr.id = p_id;
  return app.practice_get(p_id);
end
$$;
comment on function app.practice_update(bigint, integer, jsonb) is 'ЛОИРО: change a practice of its region; audited';

------------------------------------------------------------------------------
-- Mentors
------------------------------------------------------------------------------

-- Schools of the caller's region that reached full points on an indicator:
-- their accepted submission in p_campaign_id (NULL: the newest campaign, by
-- opens_on, with an accepted submission answering an indicator of that
-- instrument code and indicator code) gives the indicator with the same
-- instrument code and indicator code its maximum. The caller's own
-- municipality first (a school: its municipality; a municipality: itself),
-- then municipality name, short name; the caller's own school is left out.
-- {indicator_id, campaign_id, items: [{school_id, name, short_name,
-- municipality_id, municipality_name, points, max_points,
-- same_municipality}], total, limit, offset}. NULL (404) when the indicator
-- is not visible to the caller (or p_campaign_id is not a campaign of its
-- region). Definer: mentors are looked for across the region.
create function app.indicator_mentors(p_indicator_id bigint, p_campaign_id bigint, p_limit integer, p_offset integer)
returns json
language plpgsql stable
security definer
set search_path = app, pg_temp
as $$
declare
  v_limit    integer := coalesce(p_limit, 50);
  v_offset   integer := coalesce(p_offset, 0);
  v          record;
  v_campaign bigint;
  v_own_mun  bigint;
begin
  perform app.check_paging(v_limit, v_offset);
  select x.code, i.code as instrument_code, i.region_id into v
  from app.indicators x join app.instruments i on i.id = x.instrument_id
  where x.id = p_indicator_id and i.region_id = app.claim_region_id()
    and (i.status = 'published' or app.claim_role() in ('committee', 'loiro'));
  if not found then
    return null;
  end if;
  if p_campaign_id is not null then
    select c.id into v_campaign from app.campaigns c where c.id = p_campaign_id and c.region_id = v.region_id;
    if not found then
      return null;
    end if;
  else
    select c.id into v_campaign
    from app.campaigns c
    where c.region_id = v.region_id
      and exists (select 1 from app.submissions s
                  join app.instruments i on i.id = s.instrument_id and i.code = v.instrument_code
                  join app.indicators x on x.instrument_id = i.id and x.code = v.code
                  join app.answers a on a.submission_id = s.id and a.indicator_id = x.id
                  where s.campaign_id = c.id and s.status = 'accepted')
    order by c.opens_on desc, c.id desc
    limit 1;
  end if;
  v_own_mun := case app.claim_role()
                 when 'municipality' then app.claim_municipality_id()
                 when 'school' then (select s.municipality_id from app.schools s where s.id = app.claim_school_id())
               end;
  return (
    with found as (
      select sc.id as school_id, sc.name, sc.short_name, sc.municipality_id, m.name as municipality_name,
             a.points, x.max_points, coalesce(sc.municipality_id = v_own_mun, false) as same_municipality
      from app.submissions s
      join app.instruments i on i.id = s.instrument_id and i.code = v.instrument_code
      join app.indicators x on x.instrument_id = i.id and x.code = v.code
      join app.answers a on a.submission_id = s.id and a.indicator_id = x.id and a.points >= x.max_points
      join app.schools sc on sc.id = s.school_id
      join app.municipalities m on m.id = sc.municipality_id
      where s.campaign_id = v_campaign and s.status = 'accepted'
        and s.school_id is distinct from app.claim_school_id()
    ),
    page as (
      select * from found
      order by same_municipality desc, municipality_name, short_name, school_id
      limit v_limit offset v_offset
    )
    select json_build_object(
      'indicator_id', p_indicator_id,
      'campaign_id', v_campaign,
      'items', coalesce((
        select json_agg(json_build_object(
                 'school_id', pg.school_id, 'name', pg.name, 'short_name', pg.short_name,
                 'municipality_id', pg.municipality_id, 'municipality_name', pg.municipality_name,
                 'points', pg.points, 'max_points', pg.max_points, 'same_municipality', pg.same_municipality)
               order by pg.same_municipality desc, pg.municipality_name, pg.short_name, pg.school_id)
        from page pg), '[]'::json),
      'total', (select count(*) from found),
      'limit', v_limit,
      'offset', v_offset));
end
$$;
comment on function app.indicator_mentors(bigint, bigint, integer, integer) is
  'Four roles (definer): schools of the region with full points on an indicator (same codes), own municipality first';

------------------------------------------------------------------------------
-- Partnerships
------------------------------------------------------------------------------

-- Whether the caller sees a partnership: the committee and ЛОИРО the
-- region's, a municipality those where the school or the mentor is its own,
-- a school those where it is the school or the mentor (the SELECT policies
-- of 0042, with the schools' municipalities as they are now).
create function app.partnership_in_scope(pa app.partnerships) returns boolean
language sql stable
set search_path = app, pg_temp
as $$
  select coalesce(case app.claim_role()
    when 'committee' then pa.region_id = app.claim_region_id()
    when 'loiro' then pa.region_id = app.claim_region_id()
    when 'municipality' then exists (select 1 from app.schools s
                                     where s.id in (pa.school_id, pa.mentor_school_id)
                                       and s.municipality_id = app.claim_municipality_id())
    when 'school' then app.claim_school_id() in (pa.school_id, pa.mentor_school_id)
  end, false)
$$;
comment on function app.partnership_in_scope(app.partnerships) is 'Internal: the caller may see this partnership';

-- {id, school: {id, name, short_name, municipality_id, municipality_name},
--  mentor: {same}, indicators: [{id, code, text}], created_at, created_by_name}.
create function app.partnership_json(p_id bigint) returns json
language sql stable
set search_path = app, pg_temp
as $$
  select json_build_object(
           'id', pa.id,
           'school', json_build_object('id', s.id, 'name', s.name, 'short_name', s.short_name,
                                       'municipality_id', s.municipality_id, 'municipality_name', sm.name),
           'mentor', json_build_object('id', t.id, 'name', t.name, 'short_name', t.short_name,
                                       'municipality_id', t.municipality_id, 'municipality_name', tm.name),
           'indicators', coalesce((
             select json_agg(json_build_object('id', x.id, 'code', x.code, 'text', x.text) order by x.code, x.id)
             from app.partnership_indicators pi join app.indicators x on x.id = pi.indicator_id
             where pi.partnership_id = pa.id), '[]'::json),
           'created_at', pa.created_at,
           'created_by_name', (select u.full_name from app.users u where u.id = pa.created_by))
  from app.partnerships pa
  join app.schools s on s.id = pa.school_id
  join app.municipalities sm on sm.id = s.municipality_id
  join app.schools t on t.id = pa.mentor_school_id
  join app.municipalities tm on tm.id = t.municipality_id
  where pa.id = p_id
$$;
comment on function app.partnership_json(bigint) is 'Internal: a partnership as the API shows it';

-- The partnerships the caller sees, newest first; p_school_id: those where
-- that school is the school or the mentor. Definer: the partner school may
-- be in a municipality whose schools the caller's RLS does not show.
create function app.partnerships_list(p_school_id bigint, p_limit integer, p_offset integer) returns json
language plpgsql stable
security definer
set search_path = app, pg_temp
as $$
declare
  v_limit  integer := coalesce(p_limit, 50);
  v_offset integer := coalesce(p_offset, 0);
begin
  perform app.check_paging(v_limit, v_offset);
  return (
    with found as (
      select pa.id, pa.created_at
      from app.partnerships pa
      where pa.region_id = app.claim_region_id() and app.partnership_in_scope(pa)
        and (p_school_id is null or p_school_id in (pa.school_id, pa.mentor_school_id))
    ),
    page as (
      select * from found order by created_at desc, id desc limit v_limit offset v_offset
    )
    select json_build_object(
      'items', coalesce((select json_agg(app.partnership_json(pg.id) order by pg.created_at desc, pg.id desc)
                         from page pg), '[]'::json),
      'total', (select count(*) from found),
      'limit', v_limit,
      'offset', v_offset));
end
$$;
comment on function app.partnerships_list(bigint, integer, integer) is
  'Four roles (definer): the partnerships the caller sees (committee/ЛОИРО: region; municipality, school: where theirs)';

-- Municipality: records a partnership of one of its schools with a mentor
-- school of the region. p = {school_id (its own school, else not_found),
-- mentor_school_id (a school of the region, else not_found; the same school
-- → invalid), indicator_ids (0..100 distinct ids of the region's
-- instruments)}. With valid schools, an existing pair is OR409
-- conflict.duplicate. Returns the partnership (201).
create function app.partnership_create(p jsonb) returns json
language plpgsql
security definer
set search_path = app, pg_temp
as $$
declare
  v_errors jsonb := '[]'::jsonb;
  v_school bigint;
  v_mentor bigint;
  v_id     bigint;
begin
  p := coalesce(p, '{}'::jsonb);
  if app.claim_role() is distinct from 'municipality' then
    raise exception using errcode = 'OR403', message = 'Наставничество оформляет муниципалитет', detail = 'auth.forbidden';
  end if;
  perform app.raise_if_invalid(app.body_unknown_errors(p, array['school_id', 'mentor_school_id', 'indicator_ids'])
                               || app.type_errors(p, array['school_id', 'mentor_school_id'], 'integer'));

  v_school := (p ->> 'school_id')::bigint;
  v_mentor := (p ->> 'mentor_school_id')::bigint;
  if v_school is null then
    v_errors := v_errors || app.field_error('school_id', 'required', 'Выберите школу');
  elsif not exists (select 1 from app.schools s where s.id = v_school
                                                  and s.municipality_id = app.claim_municipality_id()) then
    v_errors := v_errors || app.field_error('school_id', 'not_found', 'Школа не найдена среди школ муниципалитета');
  end if;
  if v_mentor is null then
    v_errors := v_errors || app.field_error('mentor_school_id', 'required', 'Выберите школу-наставника');
  elsif not exists (select 1 from app.schools s join app.municipalities m on m.id = s.municipality_id
                    where s.id = v_mentor and m.region_id = app.claim_region_id()) then
    v_errors := v_errors || app.field_error('mentor_school_id', 'not_found', 'Школа-наставник не найдена в регионе');
  elsif v_mentor = v_school then
    v_errors := v_errors || app.field_error('mentor_school_id', 'invalid', 'Школа не может быть наставником самой себе');
  end if;
  if v_errors = '[]'::jsonb
     and exists (select 1 from app.partnerships pa where pa.school_id = v_school and pa.mentor_school_id = v_mentor) then
    raise exception using errcode = 'OR409', message = 'Такое наставничество уже оформлено',
      detail = 'conflict.duplicate';
  end if;
  perform app.raise_if_invalid(v_errors
    || app.indicator_ids_errors(p -> 'indicator_ids', 'indicator_ids', 0, app.claim_region_id()));

  insert into app.partnerships (region_id, municipality_id, school_id, mentor_school_id, created_by)
  values (app.claim_region_id(), app.claim_municipality_id(), v_school, v_mentor, app.claim_user_id())
  returning id into v_id;
  insert into app.partnership_indicators (partnership_id, indicator_id)
  select v_id, i from unnest(coalesce(app.doc_ids(p -> 'indicator_ids'), '{}')) i;
  return app.partnership_json(v_id);
end
$$;
comment on function app.partnership_create(jsonb) is
  'Municipality: record a mentoring partnership of its school with a mentor school of the region; audited';

-- Municipality: removes a partnership of one of its schools (the mentee's
-- municipality; others, the mentor's municipality included, get OR404).
create function app.partnership_delete(p_id bigint) returns void
language plpgsql
security definer
set search_path = app, pg_temp
as $$
begin
  if app.claim_role() is distinct from 'municipality'
     or not exists (select 1 from app.partnerships pa join app.schools s on s.id = pa.school_id
                    where pa.id = p_id and s.municipality_id = app.claim_municipality_id()) then
    raise exception using errcode = 'OR404', message = 'Наставничество не найдено', detail = 'not_found';
  end if;
  delete from app.partnerships pa where pa.id = p_id;
end
$$;
comment on function app.partnership_delete(bigint) is 'Municipality: delete a partnership of its school; audited';

------------------------------------------------------------------------------
-- Grants
------------------------------------------------------------------------------

revoke execute on function
  app.practice_get(bigint), app.practices_list(bigint, text, integer, integer), app.links_errors(jsonb),
  app.indicator_ids_errors(jsonb, text, integer, bigint), app.practice_errors(jsonb, boolean, bigint),
  app.links_of(jsonb), app.practice_create(jsonb), app.practice_update(bigint, integer, jsonb),
  app.indicator_mentors(bigint, bigint, integer, integer), app.partnership_in_scope(app.partnerships),
  app.partnership_json(bigint), app.partnerships_list(bigint, integer, integer), app.partnership_create(jsonb),
  app.partnership_delete(bigint)
  from public;

grant execute on function
  app.practice_get(bigint), app.practices_list(bigint, text, integer, integer),
  app.indicator_mentors(bigint, bigint, integer, integer), app.partnerships_list(bigint, integer, integer)
  to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;

grant execute on function app.practice_create(jsonb), app.practice_update(bigint, integer, jsonb)
  to orientir_loiro;

grant execute on function app.partnership_create(jsonb), app.partnership_delete(bigint)
  to orientir_municipality;

reset role;
