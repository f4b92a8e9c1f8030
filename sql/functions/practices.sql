-- The library of practices («Практики») kept by ЛОИРО.
-- Function file (see shared.sql for how function files are applied).

set local role orientir_owner;

-- The indicators of a practice the caller sees: [{id, code, text,
-- instrument_id, instrument_code}] (instrument code, then instrument order).
-- Plain SQL without a SET clause, so that it is inlined into the caller's query.
create or replace function app.practice_indicators_json(p_practice_id bigint) returns json
language sql stable as $$
  select coalesce((
    select pg_catalog.json_agg(pg_catalog.json_build_object('id', x.id, 'code', x.code, 'text', x.text,
                                                            'instrument_id', i.id, 'instrument_code', i.code)
                               order by i.code, i.version, d.position, x.position)
    from app.practice_indicators pi
    join app.indicators x on x.id = pi.indicator_id
    join app.directions d on d.id = x.direction_id
    join app.instruments i on i.id = x.instrument_id
    where pi.practice_id = p_practice_id), '[]'::json)
$$;
grant execute on function app.practice_indicators_json(bigint) to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.practice_indicators_json(bigint) is 'Internal: the visible indicators of a practice, as practice_get shows them';

-- A visible practice, NULL when not visible (404): {id, title, body, links,
-- indicators: [{id, code, text, instrument_id, instrument_code}] (instrument
-- code, then instrument order), author_name, created_at, updated_at, version}.
create or replace function app.practice_get(p_id bigint) returns json
language plpgsql stable set search_path = app, pg_temp as $$
begin
  return (
    select json_build_object(
             'id', pr.id, 'title', pr.title, 'body', pr.body, 'links', to_json(pr.links),
             'indicators', app.practice_indicators_json(pr.id),
             'author_name', pr.author_name, 'created_at', pr.created_at, 'updated_at', pr.updated_at,
             'attachments', app.attachments_json('practice', pr.id),
             'version', pr.version)
    from app.practices pr where pr.id = p_id);
end
$$;
grant execute on function app.practice_get(bigint) to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.practice_get(bigint) is 'Four roles: one practice of the region with its indicators, NULL when not visible';

-- Practices of the region, newest first; items as practice_get without body,
-- with excerpt (the body's first 300 characters). p_indicator_id: practices
-- linked to an indicator with the same code in an instrument of the same
-- code as that one (variants and versions share recommendations; an
-- indicator the caller cannot see matches nothing). p_q: substring of title
-- or body, case-insensitive (% and _ literal; blank = no filter). p_sort:
-- title, created_at, updated_at, each also descending ('-title'), ties in
-- the default order (newest first).
create or replace function app.practices_list(p_indicator_id bigint, p_q text, p_limit integer, p_offset integer,
                                              p_sort text default null)
returns json
language plpgsql stable set search_path = app, pg_temp as $$
declare
  v_pattern text := app.like_pattern(p_q);
begin
  select * into p_limit, p_offset
  from app.list_page(p_limit, p_offset, p_sort, array['title', 'created_at', 'updated_at']);
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
      select f.*, row_number() over (order by
               case p_sort when 'title' then f.title end,
               case p_sort when '-title' then f.title end desc,
               -- one key a type and direction: only the field asked for is not null
               case p_sort when 'created_at' then f.created_at when 'updated_at' then f.updated_at end,
               case p_sort when '-updated_at' then f.updated_at end desc,
               f.created_at desc, f.id desc) as pos
      from found f
      order by pos
      limit p_limit offset p_offset
    )
    select app.page_json((
        select json_agg(json_build_object(
                 'id', pg.id, 'title', pg.title,
                 'excerpt', case when char_length(pg.body) > 300 then left(pg.body, 299) || '…' else pg.body end,
                 'links', to_json(pg.links),
                 'indicators', app.practice_indicators_json(pg.id),
                 'author_name', pg.author_name, 'created_at', pg.created_at, 'updated_at', pg.updated_at,
                 'version', pg.version) order by pg.pos)
        from page pg),
      (select count(*) from found), p_limit, p_offset));
end
$$;
grant execute on function app.practices_list(bigint,text,integer,integer,text) to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.practices_list(bigint, text, integer, integer, text) is
  'Four roles: practices of the region, newest first, by indicator code and a search string';

-- Errors of a list of links (practices): at most 10 (field links too_many),
-- each a string http(s)://… of at most 500 characters (links[i] invalid /
-- too_long). NULL or absent = none.
create or replace function app.links_errors(p jsonb) returns jsonb
language sql immutable set search_path = app, pg_temp as $$
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
create or replace function app.indicator_ids_errors(p jsonb, p_field text, p_min integer, p_region_id bigint) returns jsonb
language plpgsql stable set search_path = app, pg_temp as $$
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
create or replace function app.practice_errors(p jsonb, p_partial boolean, p_region_id bigint) returns jsonb
language sql stable set search_path = app, pg_temp as $$
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
create or replace function app.links_of(p jsonb) returns text[]
language sql immutable set search_path = app, pg_temp as $$
  select coalesce(array_agg(btrim(l.value) order by l.ord), '{}')
  from jsonb_array_elements_text(case when jsonb_typeof(p) = 'array' then p else '[]'::jsonb end)
       with ordinality l(value, ord)
$$;
comment on function app.links_of(jsonb) is 'Internal: the trimmed links of a JSON array';

-- ЛОИРО: adds a practice of its region. p = {title, body, links?,
-- indicator_ids}. Returns practice_get (201).
create or replace function app.practice_create(p jsonb) returns json
language plpgsql security definer set search_path = app, pg_temp as $$
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
grant execute on function app.practice_create(jsonb) to orientir_loiro;
comment on function app.practice_create(jsonb) is 'ЛОИРО: add a practice of its region linked to indicators; audited';

-- ЛОИРО: changes a practice of its region: any of title, body, links,
-- indicator_ids (replaces the links). OR404 not of the caller's region; OR403
-- visible but the caller is not ЛОИРО; OR409 stale version; OR422.
create or replace function app.practice_update(p_id bigint, p_version integer, p jsonb) returns json
language plpgsql security definer set search_path = app, pg_temp as $$
declare
  v       app.practices;
  v_ids   bigint[];
  v_links integer := 0;
  v_count integer;
begin
  p := coalesce(p, '{}'::jsonb);
  select * into v from app.practices pr where pr.id = p_id for update;
  if not found or v.region_id is distinct from app.claim_region_id() then
    perform app.raise_not_found('Практика не найдена');
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
grant execute on function app.practice_update(bigint,integer,jsonb) to orientir_loiro;
comment on function app.practice_update(bigint, integer, jsonb) is 'ЛОИРО: change a practice of its region; audited';

reset role;
