-- Mentor-school partnerships («Наставничество») and the mentors of an indicator.
-- Function file (see shared.sql for how function files are applied).

set local role orientir_owner;

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
-- region). p_sort: short_name, municipality_name, each also descending
-- ('-short_name'), ties in the default order. Definer: mentors are looked
-- for across the region.
create or replace function app.indicator_mentors(p_indicator_id bigint, p_campaign_id bigint, p_limit integer, p_offset integer,
                                                 p_sort text default null)
returns json
language plpgsql stable security definer set search_path = app, pg_temp as $$
declare
  v          record;
  v_campaign bigint;
  v_own_mun  bigint;
begin
  select * into p_limit, p_offset
  from app.list_page(p_limit, p_offset, p_sort, array['short_name', 'municipality_name']);
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
      select f.*, row_number() over (order by
               case p_sort when 'short_name' then f.short_name end,
               case p_sort when '-short_name' then f.short_name end desc,
               case p_sort when 'municipality_name' then f.municipality_name end,
               case p_sort when '-municipality_name' then f.municipality_name end desc,
               f.same_municipality desc, f.municipality_name, f.short_name, f.school_id) as pos
      from found f
      order by pos
      limit p_limit offset p_offset
    )
    select app.page_json(jsonb_build_object('indicator_id', p_indicator_id, 'campaign_id', v_campaign),
      (select json_agg(json_build_object(
                 'school_id', pg.school_id, 'name', pg.name, 'short_name', pg.short_name,
                 'municipality_id', pg.municipality_id, 'municipality_name', pg.municipality_name,
                 'points', pg.points, 'max_points', pg.max_points, 'same_municipality', pg.same_municipality)
               order by pg.pos)
       from page pg),
      (select count(*) from found), p_limit, p_offset));
end
$$;
grant execute on function app.indicator_mentors(bigint,bigint,integer,integer,text) to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.indicator_mentors(bigint, bigint, integer, integer, text) is
  'Four roles (definer): schools of the region with full points on an indicator (same codes), own municipality first';

-- Whether the caller sees a partnership: the committee and ЛОИРО the
-- region's, a municipality those where the school or the mentor is its own,
-- a school those where it is the school or the mentor (the SELECT policies
-- of 0042_program_policies, with the schools' municipalities as they are now).
create or replace function app.partnership_in_scope(pa app.partnerships) returns boolean
language sql stable set search_path = app, pg_temp as $$
  select coalesce(case app.claim_role()
    when 'committee' then pa.region_id = app.claim_region_id()
    when 'loiro' then pa.region_id = app.claim_region_id()
    when 'municipality' then pa.school_id in (select id from app.municipality_school_ids() id)
                             or pa.mentor_school_id in (select id from app.municipality_school_ids() id)
    when 'school' then app.claim_school_id() in (pa.school_id, pa.mentor_school_id)
  end, false)
$$;
comment on function app.partnership_in_scope(app.partnerships) is 'Internal: the caller may see this partnership';

-- {id, school: {id, name, short_name, municipality_id, municipality_name},
--  mentor: {same}, indicators: [{id, code, text}], created_at, created_by_name}.
create or replace function app.partnership_json(p_id bigint) returns json
language sql stable set search_path = app, pg_temp as $$
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

-- The partnerships the caller sees, newest first, or by p_sort:
-- school_name, mentor_school_name (short names), created_at, each also
-- descending ('-school_name'), ties in the default order; p_school_id: those
-- where that school is the school or the mentor. Definer: the partner school
-- may be in a municipality whose schools the caller's RLS does not show.
create or replace function app.partnerships_list(p_school_id bigint, p_limit integer, p_offset integer,
                                                 p_sort text default null) returns json
language plpgsql stable security definer set search_path = app, pg_temp as $$
begin
  select * into p_limit, p_offset
  from app.list_page(p_limit, p_offset, p_sort, array['school_name', 'mentor_school_name', 'created_at']);
  return (
    with found as (
      select pa.id, pa.created_at, s.short_name as school_name, ms.short_name as mentor_school_name
      from app.partnerships pa
      join app.schools s on s.id = pa.school_id
      join app.schools ms on ms.id = pa.mentor_school_id
      where pa.region_id = app.claim_region_id() and app.partnership_in_scope(pa)
        and (p_school_id is null or p_school_id in (pa.school_id, pa.mentor_school_id))
    ),
    page as (
      select f.id, row_number() over (order by
               -- one key a type and direction: only the field asked for is not null
               case p_sort when 'school_name' then f.school_name when 'mentor_school_name' then f.mentor_school_name end,
               case p_sort when '-school_name' then f.school_name
                           when '-mentor_school_name' then f.mentor_school_name end desc,
               case p_sort when 'created_at' then f.created_at end,
               f.created_at desc, f.id desc) as pos
      from found f
      order by pos
      limit p_limit offset p_offset
    )
    select app.page_json((select json_agg(app.partnership_json(pg.id) order by pg.pos) from page pg),
      (select count(*) from found), p_limit, p_offset));
end
$$;
grant execute on function app.partnerships_list(bigint,integer,integer,text) to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.partnerships_list(bigint, integer, integer, text) is
  'Four roles (definer): the partnerships the caller sees (committee/ЛОИРО: region; municipality, school: where theirs)';

-- Municipality: records a partnership of one of its schools with a mentor
-- school of the region. p = {school_id (its own school, else not_found),
-- mentor_school_id (a school of the region, else not_found; the same school
-- → invalid), indicator_ids (0..100 distinct ids of the region's
-- instruments)}. With valid schools, an existing pair is OR409
-- conflict.duplicate. Returns the partnership (201).
create or replace function app.partnership_create(p jsonb) returns json
language plpgsql security definer set search_path = app, pg_temp as $$
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
  elsif v_school not in (select id from app.municipality_school_ids() id) then
    v_errors := v_errors || app.field_error('school_id', 'not_found', 'Школа не найдена среди школ муниципалитета');
  end if;
  if v_mentor is null then
    v_errors := v_errors || app.field_error('mentor_school_id', 'required', 'Выберите школу-наставника');
  elsif not exists (select 1 from app.region_school_ids() id where id = v_mentor) then
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
grant execute on function app.partnership_create(jsonb) to orientir_municipality;
comment on function app.partnership_create(jsonb) is
  'Municipality: record a mentoring partnership of its school with a mentor school of the region; audited';

-- Municipality: removes a partnership of one of its schools (the mentee's
-- municipality; others, the mentor's municipality included, get OR404).
create or replace function app.partnership_delete(p_id bigint) returns void
language plpgsql security definer set search_path = app, pg_temp as $$
begin
  if app.claim_role() is distinct from 'municipality'
     or not exists (select 1 from app.partnerships pa
                    where pa.id = p_id and pa.school_id in (select id from app.municipality_school_ids() id)) then
    perform app.raise_not_found('Наставничество не найдено');
  end if;
  delete from app.partnerships pa where pa.id = p_id;
end
$$;
grant execute on function app.partnership_delete(bigint) to orientir_municipality;
comment on function app.partnership_delete(bigint) is 'Municipality: delete a partnership of its school; audited';

reset role;
