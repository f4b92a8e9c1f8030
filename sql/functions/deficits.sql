-- Deficits: a school's deficits, the summary over a scope, their lifecycle
-- (in work, eliminated, closed) and the triggers that keep it.
-- Function file (see shared.sql for how function files are applied).

set local role orientir_owner;

-- Deficits and growth areas of a school in a campaign, NULL when the school
-- is not visible (404). p_campaign_id NULL: the latest campaign (by opens_on)
-- in which the school has a scored submission.
-- {school_id, campaign_id, submission_id, status, items: [{id, indicator_id,
--  indicator_code, indicator_text, direction_id, direction_code,
--  direction_title, points, max_points, critical, kind, official, status,
--  status_at, closed_reason, measures: [{id, program_id, program_status,
--  title, status, due_date}]}], total, states: {open, in_work, eliminated,
--  closed}} — states count the deficit-kind rows.
-- items: critical first, then deficits before growth areas, then instrument order.
create or replace function app.school_deficits(p_school_id bigint, p_campaign_id bigint) returns json
language plpgsql stable set search_path = app, pg_temp as $$
declare
  v_sub record;
begin
  if not exists (select 1 from app.schools s where s.id = p_school_id) then
    return null;
  end if;
  select s.id, s.campaign_id, s.status into v_sub
  from app.submissions s join app.campaigns c on c.id = s.campaign_id
  where s.school_id = p_school_id and s.total_points is not null
    and (p_campaign_id is null or s.campaign_id = p_campaign_id)
  order by c.opens_on desc, c.id desc
  limit 1;
  return json_build_object(
    'school_id', p_school_id,
    'campaign_id', coalesce(v_sub.campaign_id, p_campaign_id),
    'submission_id', v_sub.id,
    'status', v_sub.status,
    'items', app.deficits_json(v_sub.id, null),
    'total', (select count(*) from app.deficits df where df.submission_id = v_sub.id),
    'states', (select json_build_object('open', count(*) filter (where df.status = 'open'),
                                        'in_work', count(*) filter (where df.status = 'in_work'),
                                        'eliminated', count(*) filter (where df.status = 'eliminated'),
                                        'closed', count(*) filter (where df.status = 'closed'))
               from app.deficits df where df.submission_id = v_sub.id and df.kind = 'deficit'));
end
$$;
grant execute on function app.school_deficits(bigint,bigint) to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.school_deficits(bigint, bigint) is
  'Four roles: deficits and growth areas of a visible school in a campaign (default: its latest scored one), with lifecycle and measures';

-- How many schools have each indicator as a deficit (and as a growth area)
-- in a campaign, over the submitted and accepted submissions the caller can
-- see, optionally of one municipality. Indicators are grouped by code (the
-- variants of a campaign share codes). NULL when the campaign is not visible.
-- {campaign_id, municipality_id, assessed, items: [{indicator_code,
--  indicator_ids, indicator_text, direction_code, direction_title, critical,
--  deficit_schools, growth_schools}], total, limit, offset}
-- items: most frequent deficits first, then growth areas, then code; plus
-- states: {open, in_work, eliminated, closed} over the deficit-kind rows of
-- the accepted submissions counted. SECURITY INVOKER: the SELECT policies
-- decide what the caller sees.
--
-- Made fast for a region of 10,000 schools, as app.report_deficit_facts does:
--   * the submissions of the scope are materialized once (subs);
--   * the deficit rows are read once and aggregated per indicator id
--     (a hash aggregate of a few hundred groups), the states counted in the
--     same pass; only those few hundred groups are joined to indicators and
--     directions and folded into codes;
--   * planned with the actual arguments on every call (force_custom_plan).
-- Counting rows instead of distinct schools is the same number: a school has
-- one submission per campaign (submissions_campaign_id_school_id_key), a
-- submission at most one row per indicator (deficits_submission_id_
-- indicator_id_key), and its rows are of its instrument's indicators
-- (submissions_score), whose codes are unique (indicators_instrument_id_
-- code_key) — so per code each school has at most one row of each kind
-- (tests/sql/160_deficits_summary.sql checks the result against the
-- distinct-count recomputation).
-- p_sort: indicator_code, deficit_schools, growth_schools, each also
-- descending ('-deficit_schools'), ties in the default order (most deficits
-- first, then growth areas, then the code).
create or replace function app.deficits_summary(p_campaign_id bigint, p_municipality_id bigint,
                                                p_limit integer, p_offset integer, p_sort text default null)
returns json
language plpgsql stable
set search_path = app, pg_temp
-- Planned with the actual arguments on every call (see the header).
set plan_cache_mode = force_custom_plan
as $$
begin
  select * into p_limit, p_offset
  from app.list_page(p_limit, p_offset, p_sort, array['indicator_code', 'deficit_schools', 'growth_schools']);
  if p_campaign_id is null then
    perform app.raise_if_invalid(jsonb_build_array(app.field_error('campaign_id', 'required', 'Укажите кампанию')));
  end if;
  if not exists (select 1 from app.campaigns c where c.id = p_campaign_id) then
    return null;
  end if;
  return (
    with subs as materialized (
      select s.id, s.school_id, s.status = 'accepted' as accepted
      from app.submissions s
      join app.schools sc on sc.id = s.school_id
      where s.campaign_id = p_campaign_id and s.status in ('submitted', 'accepted')
        and (p_municipality_id is null or sc.municipality_id = p_municipality_id)
    ),
    per_indicator as materialized (
      select df.indicator_id,
             bool_or(df.critical) as critical,
             count(*) filter (where df.kind = 'deficit') as deficit_rows,
             count(*) filter (where df.kind = 'growth') as growth_rows,
             count(*) filter (where subs.accepted and df.kind = 'deficit' and df.status = 'open') as st_open,
             count(*) filter (where subs.accepted and df.kind = 'deficit' and df.status = 'in_work') as st_in_work,
             count(*) filter (where subs.accepted and df.kind = 'deficit' and df.status = 'eliminated') as st_eliminated,
             count(*) filter (where subs.accepted and df.kind = 'deficit' and df.status = 'closed') as st_closed
      from app.deficits df
      join subs on subs.id = df.submission_id
      where df.campaign_id = p_campaign_id
      group by df.indicator_id
    ),
    found as (
      select x.code as indicator_code,
             array_agg(x.id order by x.id) as indicator_ids,
             (array_agg(x.text order by x.id))[1] as indicator_text,
             (array_agg(d.code order by x.id))[1] as direction_code,
             (array_agg(d.title order by x.id))[1] as direction_title,
             bool_or(pi.critical) as critical,
             sum(pi.deficit_rows)::bigint as deficit_schools,
             sum(pi.growth_rows)::bigint as growth_schools
      from per_indicator pi
      join app.indicators x on x.id = pi.indicator_id
      join app.directions d on d.id = x.direction_id
      group by x.code
    ),
    page as (
      select f.*, row_number() over (order by
               case p_sort when 'indicator_code' then f.indicator_code end,
               case p_sort when '-indicator_code' then f.indicator_code end desc,
               -- one key a type and direction: only the field asked for is not null
               case p_sort when 'deficit_schools' then f.deficit_schools when 'growth_schools' then f.growth_schools end,
               case p_sort when '-growth_schools' then f.growth_schools end desc,
               f.deficit_schools desc, f.growth_schools desc, f.indicator_code) as pos
      from found f
      order by pos
      limit p_limit offset p_offset
    )
    select app.page_json(jsonb_build_object(
      'campaign_id', p_campaign_id,
      'municipality_id', p_municipality_id,
      'assessed', (select count(distinct school_id) from subs),
      'states', (select jsonb_build_object('open', coalesce(sum(pi.st_open), 0)::bigint,
                                           'in_work', coalesce(sum(pi.st_in_work), 0)::bigint,
                                           'eliminated', coalesce(sum(pi.st_eliminated), 0)::bigint,
                                           'closed', coalesce(sum(pi.st_closed), 0)::bigint)
                 from per_indicator pi)),
      (select json_agg(json_build_object(
                 'indicator_code', p.indicator_code, 'indicator_ids', p.indicator_ids,
                 'indicator_text', p.indicator_text, 'direction_code', p.direction_code,
                 'direction_title', p.direction_title, 'critical', p.critical,
                 'deficit_schools', p.deficit_schools, 'growth_schools', p.growth_schools)
               order by p.pos)
       from page p),
      (select count(*) from found), p_limit, p_offset));
end
$$;
grant execute on function app.deficits_summary(bigint,bigint,integer,integer,text) to orientir_committee, orientir_loiro, orientir_municipality;
comment on function app.deficits_summary(bigint, bigint, integer, integer, text) is
  'Committee, ЛОИРО, municipality: per indicator code, how many visible schools have it as a deficit / growth area in a campaign, and the deficits by lifecycle state';

-- Eliminated and closed deficits are final; a deficit moves only open →
-- in_work, open|in_work → eliminated|closed. (Rescoring a reopened submission
-- may still rewrite kind/points of a row: the lifecycle columns are what is
-- guarded.)
create or replace function app.deficit_guard() returns trigger
language plpgsql set search_path = app, pg_temp as $$
begin
  if old.status in ('eliminated', 'closed') then
    perform app.raise_conflict_state(case old.status when 'eliminated' then 'Дефицит уже устранён'
                                                     else 'Дефицит уже закрыт' end);
  end if;
  if not ((old.status, new.status) in (('open', 'in_work'), ('open', 'eliminated'), ('open', 'closed'),
                                        ('in_work', 'eliminated'), ('in_work', 'closed'))) then
    perform app.raise_conflict_state(format('Недопустимый переход дефицита: %s → %s', old.status, new.status));
  end if;
  return new;
end
$$;
comment on function app.deficit_guard() is
  'Trigger: deficits move only open → in_work → eliminated|closed (eliminated and closed are final)';

-- Marks as eliminated the open/in_work deficits of these schools that a
-- later accepted submission of the same school meets: the same indicator —
-- same instrument code and indicator code, so variants and versions compare
-- — answered above 0 points (a deficit row) or at its maximum (a growth
-- row), in a campaign that opened later than the deficit's. The earliest
-- such submission is recorded as eliminated_by; each change is audited
-- (entity deficits, action eliminate). Set-based: the trigger below and the
-- migration's backfill call it for many schools at once.
create or replace function app.deficits_eliminate(p_school_ids bigint[]) returns integer
language plpgsql security definer set search_path = app, pg_temp as $$
declare
  v_count integer;
begin
  with met as (
    select s.id as submission_id, s.school_id, c.opens_on, i.code as instrument_code, x.code as indicator_code,
           a.points, x.max_points
    from app.submissions s
    join app.campaigns c on c.id = s.campaign_id
    join app.instruments i on i.id = s.instrument_id
    join app.answers a on a.submission_id = s.id
    join app.indicators x on x.id = a.indicator_id
    where s.school_id = any (p_school_ids) and s.status = 'accepted' and a.points > 0
  ),
  hit as (
    select distinct on (df.id) df.id, df.status as old_status, m.submission_id
    from app.deficits df
    join app.campaigns c on c.id = df.campaign_id
    join app.indicators x on x.id = df.indicator_id
    join app.instruments i on i.id = x.instrument_id
    join met m on m.school_id = df.school_id and m.instrument_code = i.code and m.indicator_code = x.code
              and m.opens_on > c.opens_on
    where df.school_id = any (p_school_ids) and df.status in ('open', 'in_work')
      and (df.kind = 'deficit' or m.points >= m.max_points)
    order by df.id, m.opens_on, m.submission_id
  ),
  done as (
    update app.deficits df
    set status = 'eliminated', status_at = now(), eliminated_by = h.submission_id
    from hit h
    where df.id = h.id
    returning df.id, h.old_status, h.submission_id
  )
  insert into app.audit_log (user_id, role, request_id, action, entity, entity_id, before, after)
  select app.claim_user_id(), coalesce(app.claim_role(), 'system'), nullif(current_setting('request.id', true), ''),
         'eliminate', 'deficits', d.id, jsonb_build_object('status', d.old_status),
         jsonb_build_object('status', 'eliminated', 'eliminated_by', d.submission_id)
  from done d;
  get diagnostics v_count = row_count;
  return v_count;
end
$$;
comment on function app.deficits_eliminate(bigint[]) is
  'Internal: eliminate the open/in_work deficits of these schools met by a later accepted submission (audited)';

-- Statement trigger of submissions (INSERT and UPDATE): the schools whose
-- submission became accepted in this statement get the lifecycle applied.
-- Per statement with transition tables: the demo accepts hundreds at once.
create or replace function app.submissions_accepted_eliminate() returns trigger
language plpgsql security definer set search_path = app, pg_temp as $$
begin
  if tg_op = 'INSERT' then
    perform app.deficits_eliminate(array(select distinct n.school_id from new_rows n where n.status = 'accepted'));
  else
    perform app.deficits_eliminate(array(select distinct n.school_id from new_rows n join old_rows o on o.id = n.id
                                         where n.status = 'accepted' and o.status <> 'accepted'));
  end if;
  return null;
end
$$;
comment on function app.submissions_accepted_eliminate() is
  'Trigger (per statement): a submission becoming accepted eliminates the earlier deficits of its school it meets';

-- The deficits and growth areas of a submission as school_deficits lists
-- them (critical first, deficits before growth areas, instrument order),
-- each with its lifecycle (status, status_at, closed_reason) and the
-- measures of the school's live programs (draft, submitted, returned,
-- approved) addressing it: [{id, program_id, program_status, title, status,
-- due_date}]. With p_program_id also measure_ids: that program's measures
-- addressing it.
create or replace function app.deficits_json(p_submission_id bigint, p_program_id bigint) returns json
language sql stable set search_path = app, pg_temp as $$
  -- The measures of all the submission's deficits in one pass (a lateral
  -- query per deficit would scan the measures once per deficit).
  with addressed as (
    select l.deficit_id,
           jsonb_agg(jsonb_build_object('id', pm.id, 'program_id', p.id, 'program_status', p.status,
                                        'title', pm.title, 'status', pm.status, 'due_date', pm.due_date)
                     order by pm.due_date, pm.id)
             filter (where p.status in ('draft', 'submitted', 'returned', 'approved')) as measures,
           jsonb_agg(pm.id order by pm.due_date, pm.position, pm.id) filter (where p.id = p_program_id) as own_ids
    from app.deficits df
    join app.program_measure_deficits l on l.deficit_id = df.id
    join app.program_measures pm on pm.id = l.measure_id
    join app.programs p on p.id = pm.program_id
    where df.submission_id = p_submission_id
    group by l.deficit_id
  )
  select coalesce(jsonb_agg(jsonb_build_object(
           'id', df.id, 'indicator_id', df.indicator_id, 'indicator_code', x.code, 'indicator_text', x.text,
           'direction_id', d.id, 'direction_code', d.code, 'direction_title', d.title,
           'points', df.points, 'max_points', df.max_points, 'critical', df.critical,
           'kind', df.kind, 'official', df.official,
           'status', df.status, 'status_at', df.status_at, 'closed_reason', df.closed_reason,
           'measures', coalesce(a.measures, '[]'::jsonb))
         || case when p_program_id is null then '{}'::jsonb
                 else jsonb_build_object('measure_ids', coalesce(a.own_ids, '[]'::jsonb)) end
         order by df.critical desc, df.kind = 'growth', d.position, x.position), '[]'::jsonb)::json
  from app.deficits df
  join app.indicators x on x.id = df.indicator_id
  join app.directions d on d.id = x.direction_id
  left join addressed a on a.deficit_id = df.id
  where df.submission_id = p_submission_id
$$;
grant execute on function app.deficits_json(bigint,bigint) to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.deficits_json(bigint, bigint) is
  'The deficits of a submission with their lifecycle and addressing measures (and a program''s own measure_ids)';

-- Municipality: closes an open or in-work deficit of its own school's
-- accepted self-diagnostic with a reason (1..2000). OR404 outside the
-- municipality; OR409 conflict.state when it is not official (the
-- submission is not accepted) or already eliminated/closed. Audited
-- (action close). Returns the deficit as school_deficits lists it.
create or replace function app.deficit_close(p_id bigint, p_reason text) returns json
language plpgsql security definer set search_path = app, pg_temp as $$
declare
  v record;
begin
  select df.id, df.status, df.official, df.submission_id, sc.municipality_id into v
  from app.deficits df join app.schools sc on sc.id = df.school_id
  where df.id = p_id
  for update of df;
  if not found or app.claim_role() is distinct from 'municipality'
     or v.municipality_id is distinct from app.claim_municipality_id() then
    perform app.raise_not_found('Дефицит не найден');
  end if;
  if v.status not in ('open', 'in_work') then
    perform app.raise_conflict_state(case v.status when 'eliminated' then 'Дефицит уже устранён'
                                                   else 'Дефицит уже закрыт' end);
  end if;
  if not v.official then
    perform app.raise_conflict_state('Закрыть можно только дефицит принятой самодиагностики');
  end if;
  perform app.raise_if_invalid(app.text_errors(p_reason, 'reason', true, 2000));

  update app.deficits df
  set status = 'closed', status_at = now(), closed_reason = btrim(p_reason), closed_by = app.claim_user_id()
  where df.id = p_id;
  perform app.audit_write('close', 'deficits', p_id, jsonb_build_object('status', v.status),
                          jsonb_build_object('status', 'closed', 'reason', btrim(p_reason)));
  return (select i from json_array_elements(app.deficits_json(v.submission_id, null)) i
          where (i ->> 'id')::bigint = p_id);
end
$$;
grant execute on function app.deficit_close(bigint,text) to orientir_municipality;
comment on function app.deficit_close(bigint, text) is
  'Municipality: close an open or in-work deficit of its school with a reason; audited';

reset role;
