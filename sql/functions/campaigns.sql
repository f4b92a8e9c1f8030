-- Self-diagnostic campaigns: create, update, read, list and progress.
-- Function file (see shared.sql for how function files are applied).

set local role orientir_owner;

create or replace function app.campaign_status(p_opens_on date, p_closes_on date) returns text
language sql stable set search_path = app, pg_temp as $$
  select case when app.moscow_today() < p_opens_on then 'planned'
              when app.moscow_today() <= p_closes_on then 'open'
              else 'closed' end
$$;
grant execute on function app.campaign_status(date,date) to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.campaign_status(date, date) is
  'planned before opens_on, open through closes_on, closed after (dates in Europe/Moscow)';

-- A visible campaign, NULL when not visible (404):
-- {id, title, status, opens_on, closes_on, target, instruments: [{id, code,
--  version, title, applies_to}] (in variant order), targeted, version, created_at}.
-- targeted counts the targeted schools the caller can see (a municipality:
-- its own; a school: 1).
create or replace function app.campaign_get(p_id bigint) returns json
language plpgsql stable set search_path = app, pg_temp as $$
begin
  return (
    select json_build_object(
             'id', c.id, 'title', c.title, 'status', app.campaign_status(c.opens_on, c.closes_on),
             'opens_on', c.opens_on, 'closes_on', c.closes_on, 'target', c.target,
             'instruments', coalesce((
               select json_agg(json_build_object('id', i.id, 'code', i.code, 'version', i.version,
                                                 'title', i.title,
                                                 'applies_to', app.applies_to_json(i.applies_levels, i.applies_ovz))
                               order by ci.position)
               from app.campaign_instruments ci join app.instruments i on i.id = ci.instrument_id
               where ci.campaign_id = c.id), '[]'::json),
             'targeted', (select count(*) from app.campaign_schools cs where cs.campaign_id = c.id),
             'version', c.version, 'created_at', c.created_at)
    from app.campaigns c
    where c.id = p_id);
end
$$;
grant execute on function app.campaign_get(bigint) to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.campaign_get(bigint) is 'Four roles: one visible campaign, NULL when not visible';

-- Items as campaign_get, newest first (opens_on desc, id desc), or by
-- p_sort: title, opens_on, closes_on, each also descending ('-opens_on'),
-- ties in the default order. p_status: planned | open | closed | NULL (all).
create or replace function app.campaigns_list(p_status text, p_limit integer, p_offset integer,
                                              p_sort text default null) returns json
language plpgsql stable set search_path = app, pg_temp as $$
begin
  select * into p_limit, p_offset
  from app.list_page(p_limit, p_offset, p_sort, array['title', 'opens_on', 'closes_on']);
  perform app.raise_if_invalid(app.one_of_errors('status', p_status,
                                                 array['planned', 'open', 'closed'], 'Допустимые статусы'));
  return (
    with found as (
      select c.id, c.title, c.opens_on, c.closes_on
      from app.campaigns c
      where p_status is null or app.campaign_status(c.opens_on, c.closes_on) = p_status
    )
    select app.page_json((select json_agg(app.campaign_get(p.id) order by p.pos)
                          from (select f.id,
                                       row_number() over (order by
                                         case p_sort when 'title' then f.title end,
                                         case p_sort when '-title' then f.title end desc,
                                         -- one key a type and direction: only the field asked for is not null
                                         case p_sort when 'opens_on' then f.opens_on when 'closes_on' then f.closes_on end,
                                         case p_sort when '-closes_on' then f.closes_on end desc,
                                         f.opens_on desc, f.id desc) as pos
                                from found f order by pos limit p_limit offset p_offset) p),
                         (select count(*) from found), p_limit, p_offset));
end
$$;
grant execute on function app.campaigns_list(text,integer,integer,text) to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.campaigns_list(text, integer, integer, text) is
  'Four roles: visible campaigns, newest first or by p_sort, optionally by computed status';

-- Progress of a visible campaign, NULL when not visible (404):
-- {campaign_id, total: {targeted, not_started, draft, submitted, returned,
--  accepted}, municipalities: [{municipality_id, name, targeted, not_started,
--  draft, submitted, returned, accepted}]} — municipalities by name; only the
-- schools the caller can see are counted (a municipality: its own).
create or replace function app.campaign_progress(p_id bigint) returns json
language plpgsql stable set search_path = app, pg_temp as $$
begin
  if not exists (select 1 from app.campaigns c where c.id = p_id) then
    return null;
  end if;
  return (
    with rows as (
      select s.municipality_id, coalesce(sub.status, 'not_started') as status
      from app.campaign_schools cs
      join app.schools s on s.id = cs.school_id
      left join app.submissions sub on sub.campaign_id = cs.campaign_id and sub.school_id = cs.school_id
      where cs.campaign_id = p_id
    ),
    per_municipality as (
      select r.municipality_id, m.name,
             count(*) as targeted,
             count(*) filter (where r.status = 'not_started') as not_started,
             count(*) filter (where r.status = 'draft') as draft,
             count(*) filter (where r.status = 'submitted') as submitted,
             count(*) filter (where r.status = 'returned') as returned,
             count(*) filter (where r.status = 'accepted') as accepted
      from rows r
      join app.municipalities m on m.id = r.municipality_id
      group by r.municipality_id, m.name
    )
    select json_build_object(
      'campaign_id', p_id,
      'total', json_build_object(
                 'targeted', coalesce(sum(p.targeted), 0), 'not_started', coalesce(sum(p.not_started), 0),
                 'draft', coalesce(sum(p.draft), 0), 'submitted', coalesce(sum(p.submitted), 0),
                 'returned', coalesce(sum(p.returned), 0), 'accepted', coalesce(sum(p.accepted), 0)),
      'municipalities', coalesce(json_agg(json_build_object(
                 'municipality_id', p.municipality_id, 'name', p.name, 'targeted', p.targeted,
                 'not_started', p.not_started, 'draft', p.draft, 'submitted', p.submitted,
                 'returned', p.returned, 'accepted', p.accepted) order by p.name, p.municipality_id)
                 filter (where p.municipality_id is not null), '[]'::json))
    from per_municipality p);
end
$$;
grant execute on function app.campaign_progress(bigint) to orientir_committee, orientir_loiro, orientir_municipality;
comment on function app.campaign_progress(bigint) is
  'Committee, ЛОИРО, municipality: counts by status per municipality of a visible campaign, NULL when not visible';

-- Creates a campaign of the caller's region. p: {title, instrument_ids,
-- opens_on, closes_on, target}; target is exactly one of {"all": true},
-- {"municipality_ids": [...]}, {"school_ids": [...]}. Every instrument must
-- be a published one of the region; each targeted school gets the first
-- variant (in instrument_ids order) whose applies_to fits it. OR422 with a
-- HINT entry per field; a target leaving schools without a fitting variant
-- → field target code no_instrument (how many, the first few codes).
-- Returns campaign_get.
create or replace function app.campaign_create(p jsonb) returns json
language plpgsql set search_path = app, pg_temp as $$
declare
  v_errors      jsonb := '[]'::jsonb;
  v_ids         bigint[];
  v_target      jsonb := p -> 'target';
  v_kind        text;
  v_target_ids  bigint[];
  v_missing     bigint[];
  v_norm_target jsonb;
  v_schools     bigint[];
  v_variants    bigint[];
  v_unfit       text[];
  v_unfit_count integer;
  v_id          bigint;
begin
  p := coalesce(p, '{}'::jsonb);
  v_errors := app.doc_unknown_errors(p, array['title', 'instrument_ids', 'opens_on', 'closes_on', 'target'], '')
           || app.doc_string_errors(p, 'title', 'title', true, 500);

  -- instrument_ids: published instruments of the region, distinct, in order.
  v_ids := app.doc_ids(p -> 'instrument_ids');
  if jsonb_typeof(p -> 'instrument_ids') is null or jsonb_typeof(p -> 'instrument_ids') = 'null'
     or p -> 'instrument_ids' = '[]'::jsonb then
    v_errors := v_errors || app.field_error('instrument_ids', 'required', 'Выберите хотя бы один инструмент');
  elsif v_ids is null then
    v_errors := v_errors || app.field_error('instrument_ids', 'invalid', 'Ожидается список идентификаторов');
  elsif cardinality(v_ids) > 20 then
    v_errors := v_errors || app.field_error('instrument_ids', 'too_many', 'Не больше 20 инструментов');
  elsif cardinality(v_ids) <> (select count(distinct x) from unnest(v_ids) x) then
    v_errors := v_errors || app.field_error('instrument_ids', 'duplicate', 'Инструменты не должны повторяться');
  else
    select array_agg(x order by o) into v_missing
    from unnest(v_ids) with ordinality u(x, o)
    where not exists (select 1 from app.instruments i where i.id = u.x and i.region_id = app.claim_region_id());
    if v_missing is not null then
      v_errors := v_errors || app.field_error('instrument_ids', 'not_found',
        format('Инструмент не найден: %s', array_to_string(v_missing, ', ')));
    elsif exists (select 1 from app.instruments i where i.id = any (v_ids) and i.status <> 'published') then
      v_errors := v_errors || app.field_error('instrument_ids', 'not_published',
        format('Инструмент не опубликован: %s', (
          select string_agg(format('«%s» v%s', i.code, i.version), ', ' order by i.code, i.version)
          from app.instruments i where i.id = any (v_ids) and i.status <> 'published')));
    end if;
  end if;

  v_errors := v_errors || app.doc_date_errors(p, 'opens_on', true) || app.doc_date_errors(p, 'closes_on', true);
  if app.parse_date(p ->> 'closes_on') < app.parse_date(p ->> 'opens_on') then
    v_errors := v_errors || app.field_error('closes_on', 'invalid', 'Дата окончания раньше даты начала');
  end if;

  -- target: exactly one way of choosing schools, every id visible.
  if v_target is null or jsonb_typeof(v_target) = 'null' then
    v_errors := v_errors || app.field_error('target', 'required', 'Укажите, какие школы участвуют');
  elsif jsonb_typeof(v_target) <> 'object'
        or (select count(*) from jsonb_object_keys(v_target)) <> 1
        or not (v_target ?| array['all', 'municipality_ids', 'school_ids']) then
    v_errors := v_errors || app.field_error('target', 'invalid',
      'Укажите ровно одно из: {"all": true}, {"municipality_ids": […]}, {"school_ids": […]}');
  else
    v_kind := (select k from jsonb_object_keys(v_target) k);
    if v_kind = 'all' then
      if v_target -> 'all' <> 'true'::jsonb then
        v_errors := v_errors || app.field_error('target.all', 'invalid', 'Ожидается значение true');
      else
        v_norm_target := '{"all": true}'::jsonb;
      end if;
    else
      v_target_ids := app.doc_ids(v_target -> v_kind);
      if v_target_ids is null then
        v_errors := v_errors || app.field_error('target.' || v_kind, 'invalid', 'Ожидается список идентификаторов');
      elsif cardinality(v_target_ids) = 0 then
        v_errors := v_errors || app.field_error('target.' || v_kind, 'required',
          case v_kind when 'municipality_ids' then 'Выберите хотя бы один муниципалитет'
                      else 'Выберите хотя бы одну школу' end);
      elsif cardinality(v_target_ids) > 100000 then
        v_errors := v_errors || app.field_error('target.' || v_kind, 'too_many', 'Слишком длинный список');
      else
        select array_agg(distinct x order by x) into v_target_ids from unnest(v_target_ids) x;
        if v_kind = 'municipality_ids' then
          select array_agg(x order by x) into v_missing from unnest(v_target_ids) x
          where not exists (select 1 from app.region_municipality_ids() id where id = x);
        else
          select array_agg(x order by x) into v_missing from unnest(v_target_ids) x
          where not exists (select 1 from app.region_school_ids() id where id = x);
        end if;
        if v_missing is not null then
          v_errors := v_errors || app.field_error('target.' || v_kind, 'not_found',
            format('%s не найдены: %s',
                   case v_kind when 'municipality_ids' then 'Муниципалитеты' else 'Школы' end,
                   array_to_string(v_missing[1:10], ', ')));
        else
          v_norm_target := jsonb_build_object(v_kind, to_jsonb(v_target_ids));
        end if;
      end if;
    end if;
  end if;
  perform app.raise_if_invalid(v_errors);

  -- Resolve the variant of every targeted school of the region.
  with targeted as (
    select s.id, s.code, s.education_levels, s.has_ovz_pupils
    from app.schools s
    where s.id in (select id from app.region_school_ids() id)
      and case v_kind when 'all' then true
                      when 'municipality_ids' then s.municipality_id = any (v_target_ids)
                      else s.id = any (v_target_ids) end
  ),
  resolved as (
    select t.id, t.code,
           (select v.id
            from unnest(v_ids) with ordinality v(id, pos)
            join app.instruments i on i.id = v.id
            where app.instrument_fits(i.applies_levels, i.applies_ovz, t.education_levels, t.has_ovz_pupils)
            order by v.pos limit 1) as instrument_id
    from targeted t
  )
  select array_agg(r.id order by r.id) filter (where r.instrument_id is not null),
         array_agg(r.instrument_id order by r.id) filter (where r.instrument_id is not null),
         (array_agg(r.code order by r.code) filter (where r.instrument_id is null))[1:5],
         count(*) filter (where r.instrument_id is null)
  into v_schools, v_variants, v_unfit, v_unfit_count
  from resolved r;

  if v_unfit_count > 0 then
    perform app.raise_if_invalid(jsonb_build_array(app.field_error('target', 'no_instrument',
      format('Для %s %s нет подходящего инструмента: %s%s', v_unfit_count,
             case when v_unfit_count % 10 = 1 and v_unfit_count % 100 <> 11 then 'школы' else 'школ' end,
             array_to_string(v_unfit, ', '), case when v_unfit_count > 5 then '…' else '' end))));
  end if;
  if v_schools is null then
    perform app.raise_if_invalid(jsonb_build_array(app.field_error('target', 'required',
      'В выбранных муниципалитетах нет школ')));
  end if;

  insert into app.campaigns (region_id, title, opens_on, closes_on, target, created_by)
  values (app.claim_region_id(), btrim(p ->> 'title'), (p ->> 'opens_on')::date, (p ->> 'closes_on')::date,
          v_norm_target, app.claim_user_id())
  returning id into v_id;
  insert into app.campaign_instruments (campaign_id, instrument_id, position)
  select v_id, u.x, u.o from unnest(v_ids) with ordinality u(x, o);
  insert into app.campaign_schools (campaign_id, school_id, instrument_id)
  select v_id, u.school_id, u.instrument_id from unnest(v_schools, v_variants) u(school_id, instrument_id);
  return app.campaign_get(v_id);
end
$$;
grant execute on function app.campaign_create(jsonb) to orientir_committee, orientir_loiro;
comment on function app.campaign_create(jsonb) is
  'Committee, ЛОИРО: create a campaign of the region, resolving each targeted school''s instrument variant; audited';

-- Extends (or moves) the closing date: p is {closes_on}; any other member is
-- not_allowed. p_version NULL: no If-Match. OR404 not visible, OR409
-- conflict.stale_version, OR422 (closes_on required / invalid_date / before
-- opens_on → invalid). Returns campaign_get.
create or replace function app.campaign_update(p_id bigint, p_version integer, p jsonb) returns json
language plpgsql set search_path = app, pg_temp as $$
declare
  v_old record;
begin
  p := coalesce(p, '{}'::jsonb);
  select c.id, c.version, c.opens_on into v_old from app.campaigns c where c.id = p_id for update;
  if not found then
    perform app.raise_not_found('Кампания не найдена');
  end if;
  if p_version is not null and p_version <> v_old.version then
    raise exception using errcode = 'OR409',
      message = 'Запись изменена другим пользователем. Обновите страницу и повторите',
      detail = 'conflict.stale_version';
  end if;
  perform app.raise_if_invalid(
    (select coalesce(jsonb_agg(app.field_error(k, 'not_allowed', 'Можно изменить только дату окончания') order by k),
                     '[]'::jsonb)
     from jsonb_object_keys(p) k where k <> 'closes_on')
    || app.doc_date_errors(p, 'closes_on', true)
    || case when app.parse_date(p ->> 'closes_on') < v_old.opens_on
            then jsonb_build_array(app.field_error('closes_on', 'invalid',
                   format('Дата окончания раньше даты начала (%s)', to_char(v_old.opens_on, 'DD.MM.YYYY'))))
            else '[]'::jsonb end);
  update app.campaigns c set closes_on = (p ->> 'closes_on')::date where c.id = p_id;
  return app.campaign_get(p_id);
end
$$;
grant execute on function app.campaign_update(bigint,integer,jsonb) to orientir_committee, orientir_loiro;
comment on function app.campaign_update(bigint, integer, jsonb) is
  'Committee, ЛОИРО: change the closing date of a campaign of the region (If-Match via p_version); audited';

reset role;
