-- Monitoring summaries: the scope of a report, counters, schools, deficits,
-- programs and the school card.
-- Function file (see shared.sql for how function files are applied).

set local role orientir_owner;

-- The caller's scope over a campaign: zero rows when the campaign does not
-- exist or is not visible (a campaign of another region, or a caller that is
-- not the committee, ЛОИРО or a municipality). municipality_id is set for a
-- municipality (its own schools only), NULL for the whole region.
create or replace function app.report_scope(p_campaign_id bigint)
returns table (campaign_id bigint, region_id bigint, municipality_id bigint)
language sql stable set search_path = app, pg_temp as $$
  select c.id, c.region_id,
         case when app.claim_role() = 'municipality' then app.claim_municipality_id() end
  from app.campaigns c
  where c.id = p_campaign_id
    and c.region_id = app.claim_region_id()
    and app.claim_role() in ('committee', 'loiro', 'municipality')
    and (app.claim_role() <> 'municipality' or app.claim_municipality_id() is not null)
$$;
comment on function app.report_scope(bigint) is
  'Internal: the caller''s scope over a campaign (region, and the municipality for a municipality caller); no row when not visible';

-- Russian names of the codes the exports show.
create or replace function app.report_label(p_kind text, p_value text) returns text
language sql immutable set search_path = app, pg_temp as $$
  select case p_kind
    when 'submission' then case p_value when 'not_started' then 'Не начата' when 'draft' then 'Заполняется'
                                        when 'submitted' then 'На проверке' when 'returned' then 'Возвращена'
                                        when 'accepted' then 'Принята' end
    when 'level' then case p_value when 'below_basic' then 'Ниже базового' when 'basic' then 'Базовый'
                                   when 'medium' then 'Средний' when 'high' then 'Высокий' end
    when 'change' then case p_value when 'rose' then 'Повысился' when 'fell' then 'Понизился'
                                    when 'same' then 'Без изменений' end
    when 'program' then case p_value when 'not_started' then 'Не начата' when 'draft' then 'Черновик'
                                     when 'submitted' then 'На согласовании' when 'returned' then 'Возвращена'
                                     when 'approved' then 'Утверждена' when 'superseded' then 'Заменена' end
    when 'assignment' then case p_value when 'not_started' then 'Не начато' when 'in_progress' then 'В работе'
                                        when 'done' then 'На проверке' when 'accepted' then 'Принято'
                                        when 'returned' then 'Возвращено' end
    when 'document' then case p_value when 'order' then 'Распоряжение' when 'decision' then 'Решение'
                                      when 'plan' then 'План-график' when 'letter' then 'Письмо'
                                      when 'roadmap' then 'Дорожная карта' end
  end
$$;
comment on function app.report_label(text, text) is
  'Internal: Russian name of a submission or program status, level, change, record status or document kind';

-- One row per targeted school of a campaign in the scope (p_municipality_id
-- NULL: the whole region), with what every summary needs:
--   status        the submission's status, not_started without one;
--   accepted_id   the submission when accepted (NULL otherwise);
--   total_points, max_points, level — of the accepted submission only;
--   previous_level the school's accepted level in the previous campaign
--                 (the region's newest campaign that opened before this one);
--   change        rose | fell | same (level rank below_basic < basic < medium
--                 < high), NULL unless both levels are known;
--   deficits, growth — deficit-/growth-kind rows of the accepted submission;
--   program_*     the school's current program in this campaign (the approved
--                 revision if any, else its newest), only for a school with
--                 an accepted submission, and the counts of its measures
--                 (overdue: due before today in Moscow, planned or in progress).
-- Not ordered; callers order.
create or replace function app.report_school_facts(p_campaign_id bigint, p_region_id bigint, p_municipality_id bigint)
returns table (school_id bigint, code text, short_name text, municipality_id bigint, status text,
               accepted_id bigint, total_points integer, max_points integer, level text, previous_level text,
               change text, deficits integer, growth integer, program_id bigint, program_status text, program_revision integer,
               period_start date, period_end date, measures_total integer, measures_done integer,
               measures_overdue integer)
language plpgsql stable
-- A scope is a municipality's few dozen schools far more often than a whole
-- region: estimate few rows, so that callers probe indexes per school.
rows 100
set search_path = app, pg_temp
-- Planned with the actual arguments on every call (a generic plan cannot know
-- how many schools a campaign has, and nests loops over 10,000 of them).
set plan_cache_mode = force_custom_plan
as $$
#variable_conflict use_column
begin
  return query
    with previous as (
      select c.id
      from app.campaigns c join app.campaigns cur on cur.region_id = c.region_id
      where cur.id = p_campaign_id and c.opens_on < cur.opens_on
      order by c.opens_on desc, c.id desc
      limit 1
    ),
    base as materialized (
      select cs.school_id, sc.code, sc.short_name, sc.municipality_id,
             coalesce(s.status, 'not_started') as status,
             case when s.status = 'accepted' then s.id end as accepted_id,
             case when s.status = 'accepted' then s.total_points end as total_points,
             case when s.status = 'accepted' then s.max_points end as max_points,
             case when s.status = 'accepted' then s.level end as level,
             ps.level as previous_level
      from app.campaign_schools cs
      join app.schools sc on sc.id = cs.school_id
      join app.municipalities m on m.id = sc.municipality_id
      left join app.submissions s on s.campaign_id = cs.campaign_id and s.school_id = cs.school_id
      left join app.submissions ps on ps.campaign_id = (select id from previous) and ps.school_id = cs.school_id
                                  and ps.status = 'accepted'
      where cs.campaign_id = p_campaign_id
        and m.region_id = p_region_id
        and (p_municipality_id is null or sc.municipality_id = p_municipality_id)
    ),
    marks as (
      select b.school_id,
             count(*) filter (where df.kind = 'deficit')::integer as deficits,
             count(*) filter (where df.kind = 'growth')::integer as growth
      from base b join app.deficits df on df.submission_id = b.accepted_id
      group by b.school_id
    ),
    current_program as (
      select distinct on (p.school_id) p.school_id, p.id, p.status, p.revision, p.period_start, p.period_end
      from base b join app.programs p on p.school_id = b.school_id and p.campaign_id = p_campaign_id
      where b.accepted_id is not null
      order by p.school_id, p.status = 'approved' desc, p.revision desc
    ),
    measures as (
      select cp.school_id, count(*)::integer as total,
             count(*) filter (where pm.status = 'done')::integer as done,
             count(*) filter (where pm.due_date < app.moscow_today()
                                and pm.status in ('planned', 'in_progress'))::integer as overdue
      from current_program cp join app.program_measures pm on pm.program_id = cp.id
      group by cp.school_id
    )
    select b.school_id, b.code, b.short_name, b.municipality_id, b.status, b.accepted_id,
           b.total_points, b.max_points, b.level, b.previous_level,
           case sign(array_position(array['below_basic', 'basic', 'medium', 'high'], b.level)
                     - array_position(array['below_basic', 'basic', 'medium', 'high'], b.previous_level))
             when 1 then 'rose' when -1 then 'fell' when 0 then 'same' end,
           case when b.accepted_id is not null then coalesce(mk.deficits, 0) end,
           case when b.accepted_id is not null then coalesce(mk.growth, 0) end,
           cp.id, cp.status, cp.revision, cp.period_start, cp.period_end,
           case when cp.id is not null then coalesce(ms.total, 0) end,
           case when cp.id is not null then coalesce(ms.done, 0) end,
           case when cp.id is not null then coalesce(ms.overdue, 0) end
    from base b
    left join marks mk on mk.school_id = b.school_id
    left join current_program cp on cp.school_id = b.school_id
    left join measures ms on ms.school_id = b.school_id;
end
$$;
comment on function app.report_school_facts(bigint, bigint, bigint) is
  'Internal: per targeted school of a campaign in the scope — status, accepted result, previous level, deficits, current program and its measures';

-- The counters of a campaign: one row per municipality of the scope (key =
-- its id; zeros when it has no school in the campaign), ordered by name, then
-- the scope's row (key 0, municipality_id and name NULL) — every count of it
-- the sum of the rows (one GROUP BY with grouping sets), its means and top
-- lists over the whole scope. directions and top_deficits are the JSON
-- arrays of COUNTERS (docs/design.md). Execution counts the records of each
-- municipality and its schools (assignments.municipality_id), not
-- campaign-bound. p_full false computes only the status and program counters
-- (directions, top_deficits and execution stay empty/zero: the parts behind
-- "where p_full" are never run).
create or replace function app.report_counters(p_campaign_id bigint, p_region_id bigint, p_municipality_id bigint,
                                    p_full boolean)
returns table (key bigint, municipality_id bigint, name text,
               schools integer, not_started integer, in_progress integer, submitted integer, accepted integer,
               returned integer, below_basic integer, basic integer, medium integer, high integer,
               mean_percent numeric, compared integer, rose integer, fell integer, same integer,
               programs_needed integer, programs_not_started integer, programs_draft integer,
               programs_submitted integer, programs_returned integer, programs_approved integer,
               measures_total integer, measures_done integer, measures_overdue integer,
               execution_total integer, execution_done integer, execution_accepted integer,
               execution_overdue integer, directions json, top_deficits json)
language plpgsql stable
rows 50
set search_path = app, pg_temp
-- Planned with the actual arguments on every call (a generic plan cannot know
-- how many schools a campaign has, and nests loops over 10,000 of them).
set plan_cache_mode = force_custom_plan
as $$
#variable_conflict use_column
begin
  return query
    with facts as materialized (
      select * from app.report_school_facts(p_campaign_id, p_region_id, p_municipality_id)
    ),
    munis as (
      select m.id, m.name from app.municipalities m
      where m.region_id = p_region_id and (p_municipality_id is null or m.id = p_municipality_id)
    ),
    keys as (
      select m.id as key, m.id, m.name from munis m
      union all
      select 0, null, null
    ),
    counts as (
      select case when grouping(f.municipality_id) = 1 then 0 else f.municipality_id end as key,
             count(*)::integer as schools,
             count(*) filter (where f.status = 'not_started')::integer as not_started,
             count(*) filter (where f.status = 'draft')::integer as in_progress,
             count(*) filter (where f.status = 'submitted')::integer as submitted,
             count(*) filter (where f.status = 'accepted')::integer as accepted,
             count(*) filter (where f.status = 'returned')::integer as returned,
             count(*) filter (where f.level = 'below_basic')::integer as below_basic,
             count(*) filter (where f.level = 'basic')::integer as basic,
             count(*) filter (where f.level = 'medium')::integer as medium,
             count(*) filter (where f.level = 'high')::integer as high,
             round(100 * avg(f.total_points::numeric / nullif(f.max_points, 0)), 2) as mean_percent,
             count(f.change)::integer as compared,
             count(*) filter (where f.change = 'rose')::integer as rose,
             count(*) filter (where f.change = 'fell')::integer as fell,
             count(*) filter (where f.change = 'same')::integer as same,
             count(*) filter (where f.deficits > 0)::integer as programs_needed,
             count(*) filter (where f.deficits > 0 and f.program_id is null)::integer as programs_not_started,
             count(*) filter (where f.program_status = 'draft')::integer as programs_draft,
             count(*) filter (where f.program_status = 'submitted')::integer as programs_submitted,
             count(*) filter (where f.program_status = 'returned')::integer as programs_returned,
             count(*) filter (where f.program_status = 'approved')::integer as programs_approved,
             coalesce(sum(f.measures_total), 0)::integer as measures_total,
             coalesce(sum(f.measures_done), 0)::integer as measures_done,
             coalesce(sum(f.measures_overdue), 0)::integer as measures_overdue
      from facts f
      group by grouping sets ((f.municipality_id), ())
    ),
    -- Directions by code over the campaign's variants: id, title and maximum
    -- of the first variant (campaign order) that has the code.
    direction_catalog as (
      select distinct on (d.code) d.code, d.id, d.title, d.max_points, ci.position as variant, d.position
      from app.campaign_instruments ci join app.directions d on d.instrument_id = ci.instrument_id
      where p_full and ci.campaign_id = p_campaign_id
      order by d.code, ci.position
    ),
    direction_means as (
      select case when grouping(f.municipality_id) = 1 then 0 else f.municipality_id end as key, d.code,
             round(avg(sd.points), 2) as mean_points,
             round(100 * avg(sd.points::numeric / nullif(sd.max_points, 0)), 2) as mean_percent
      from facts f
      join app.submission_directions sd on sd.submission_id = f.accepted_id
      join app.directions d on d.id = sd.direction_id
      where p_full
      group by grouping sets ((f.municipality_id, d.code), (d.code))
    ),
    directions as (
      select k.key,
             json_agg(json_build_object('direction_id', dc.id, 'code', dc.code, 'title', dc.title,
                                        'mean_points', dm.mean_points, 'max_points', dc.max_points,
                                        'mean_percent', dm.mean_percent)
                      order by dc.variant, dc.position, dc.code) as items
      from keys k
      cross join direction_catalog dc
      left join direction_means dm on dm.key = k.key and dm.code = dc.code
      group by k.key
    ),
    indicator_catalog as (
      select distinct on (x.code) x.code, x.text, d.code as direction_code
      from app.campaign_instruments ci
      join app.indicators x on x.instrument_id = ci.instrument_id
      join app.directions d on d.id = x.direction_id
      where p_full and ci.campaign_id = p_campaign_id
      order by x.code, ci.position
    ),
    deficit_counts as (
      select case when grouping(f.municipality_id) = 1 then 0 else f.municipality_id end as key, x.code,
             bool_or(df.critical) as critical, count(*)::integer as schools
      from facts f
      join app.deficits df on df.submission_id = f.accepted_id and df.kind = 'deficit'
      join app.indicators x on x.id = df.indicator_id
      where p_full
      group by grouping sets ((f.municipality_id, x.code), (x.code))
    ),
    deficit_ranked as (
      select dc.*, row_number() over (partition by dc.key order by dc.critical desc, dc.schools desc, dc.code) as n
      from deficit_counts dc
    ),
    top_deficits as (
      select r.key,
             json_agg(json_build_object('indicator_code', r.code, 'indicator_text', ic.text,
                                        'direction_code', ic.direction_code, 'critical', r.critical,
                                        'schools', r.schools) order by r.n) as items
      from deficit_ranked r join indicator_catalog ic on ic.code = r.code
      where r.n <= 10
      group by r.key
    ),
    execution as (
      select case when grouping(a.municipality_id) = 1 then 0 else a.municipality_id end as key,
             count(*)::integer as total,
             count(*) filter (where a.status = 'done')::integer as done,
             count(*) filter (where a.status = 'accepted')::integer as accepted,
             count(*) filter (where app.assignment_overdue(i.deadline, a.status))::integer as overdue
      from app.assignments a
      join app.document_items i on i.id = a.item_id
      where p_full and a.region_id = p_region_id and a.municipality_id in (select m.id from munis m)
      group by grouping sets ((a.municipality_id), ())
    )
    select k.key, k.id, k.name,
           coalesce(c.schools, 0), coalesce(c.not_started, 0), coalesce(c.in_progress, 0),
           coalesce(c.submitted, 0), coalesce(c.accepted, 0), coalesce(c.returned, 0),
           coalesce(c.below_basic, 0), coalesce(c.basic, 0), coalesce(c.medium, 0), coalesce(c.high, 0),
           c.mean_percent,
           coalesce(c.compared, 0), coalesce(c.rose, 0), coalesce(c.fell, 0), coalesce(c.same, 0),
           coalesce(c.programs_needed, 0), coalesce(c.programs_not_started, 0), coalesce(c.programs_draft, 0),
           coalesce(c.programs_submitted, 0), coalesce(c.programs_returned, 0), coalesce(c.programs_approved, 0),
           coalesce(c.measures_total, 0), coalesce(c.measures_done, 0), coalesce(c.measures_overdue, 0),
           coalesce(e.total, 0), coalesce(e.done, 0), coalesce(e.accepted, 0), coalesce(e.overdue, 0),
           coalesce(d.items, '[]'::json), coalesce(t.items, '[]'::json)
    from keys k
    left join counts c on c.key = k.key
    left join directions d on d.key = k.key
    left join top_deficits t on t.key = k.key
    left join execution e on e.key = k.key
    order by k.key = 0, k.name, k.id;
end
$$;
comment on function app.report_counters(bigint, bigint, bigint, boolean) is
  'Internal: COUNTERS of a campaign per municipality of the scope (zeros included, by name), then the scope''s row (key 0)';

-- Deficits of a campaign by indicator code over the accepted submissions of
-- the scope (p_municipality_id NULL: the whole region): every code with a
-- deficit or growth row; text and direction of the first variant (campaign
-- order) having the code; deficit_schools, growth_schools; share =
-- deficit_schools ÷ assessed (accepted submissions of the scope), 4
-- decimals; the states of the deficit-kind rows. Ordered critical first,
-- then deficit_schools desc, then code.
create or replace function app.report_deficit_facts(p_campaign_id bigint, p_region_id bigint, p_municipality_id bigint)
returns table (indicator_code text, indicator_text text, direction_code text, direction_title text,
               critical boolean, deficit_schools integer, growth_schools integer, assessed integer, share numeric,
               state_open integer, state_in_work integer, state_eliminated integer, state_closed integer)
language plpgsql stable
set search_path = app, pg_temp
-- Planned with the actual arguments on every call (a generic plan cannot know
-- how many schools a campaign has, and nests loops over 10,000 of them).
set plan_cache_mode = force_custom_plan
as $$
#variable_conflict use_column
begin
  return query
    with assessed as materialized (
      select s.id
      from app.submissions s
      join app.schools sc on sc.id = s.school_id
      join app.municipalities m on m.id = sc.municipality_id
      where s.campaign_id = p_campaign_id and s.status = 'accepted'
        and m.region_id = p_region_id
        and (p_municipality_id is null or sc.municipality_id = p_municipality_id)
    ),
    indicator_catalog as (
      select distinct on (x.code) x.code, x.text, d.code as direction_code, d.title as direction_title
      from app.campaign_instruments ci
      join app.indicators x on x.instrument_id = ci.instrument_id
      join app.directions d on d.id = x.direction_id
      where ci.campaign_id = p_campaign_id
      order by x.code, ci.position
    ),
    counts as (
      select x.code, bool_or(df.critical) as critical,
             count(*) filter (where df.kind = 'deficit')::integer as deficit_schools,
             count(*) filter (where df.kind = 'growth')::integer as growth_schools,
             count(*) filter (where df.kind = 'deficit' and df.status = 'open')::integer as state_open,
             count(*) filter (where df.kind = 'deficit' and df.status = 'in_work')::integer as state_in_work,
             count(*) filter (where df.kind = 'deficit' and df.status = 'eliminated')::integer as state_eliminated,
             count(*) filter (where df.kind = 'deficit' and df.status = 'closed')::integer as state_closed
      from assessed a
      join app.deficits df on df.submission_id = a.id
      join app.indicators x on x.id = df.indicator_id
      group by x.code
    )
    select c.code, ic.text, ic.direction_code, ic.direction_title, c.critical, c.deficit_schools, c.growth_schools,
           n.assessed, round(c.deficit_schools::numeric / nullif(n.assessed, 0), 4),
           c.state_open, c.state_in_work, c.state_eliminated, c.state_closed
    from counts c
    join indicator_catalog ic on ic.code = c.code
    cross join (select count(*)::integer as assessed from assessed) n
    order by c.critical desc, c.deficit_schools desc, c.code;
end
$$;
comment on function app.report_deficit_facts(bigint, bigint, bigint) is
  'Internal: deficits of a campaign by indicator code over the accepted submissions of the scope, with shares and states';

-- PROGRAM_COUNTERS (see report_programs) of the program columns of a
-- report_counters row.
create or replace function app.program_counters_json(p_needed integer, p_not_started integer, p_draft integer,
                                                     p_submitted integer, p_returned integer, p_approved integer,
                                                     p_measures_total integer, p_measures_done integer,
                                                     p_measures_overdue integer)
returns jsonb
language sql immutable parallel safe as $$
  select pg_catalog.jsonb_build_object('needed', p_needed, 'not_started', p_not_started, 'draft', p_draft,
                                       'submitted', p_submitted, 'returned', p_returned, 'approved', p_approved,
                                       'measures_total', p_measures_total, 'measures_done', p_measures_done,
                                       'measures_overdue', p_measures_overdue)
$$;
comment on function app.program_counters_json(integer, integer, integer, integer, integer, integer, integer, integer, integer) is
  'Internal: PROGRAM_COUNTERS of a report, {needed, not_started, draft, submitted, returned, approved, measures_*}';

-- The summary of a campaign, NULL when it is not visible (404):
-- {campaign: {id, title, status, opens_on, closes_on},
--  previous_campaign: {id, title} | null, generated_at,
--  scope: {kind: region|municipality, region_id, region_name, municipality_id},
--  region: COUNTERS, municipalities: [{municipality_id, name, …COUNTERS}] (by name),
--  regional_execution: {total, done, accepted, overdue} | null}
-- COUNTERS = {schools, not_started, in_progress, submitted, accepted, returned,
--  levels: {below_basic, basic, medium, high}, directions: [{direction_id, code,
--  title, mean_points, max_points, mean_percent}], change: {compared, rose,
--  fell, same}, top_deficits: [{indicator_code, indicator_text,
--  direction_code, critical, schools}], programs: PROGRAM_COUNTERS,
--  execution: {total, done, accepted, overdue}}.
-- regional_execution: the records whose executor is the committee or ЛОИРО
-- (in no municipality's row); NULL for a municipality.
create or replace function app.report_summary(p_campaign_id bigint) returns json
language plpgsql stable security definer set search_path = app, pg_temp as $$
declare
  v record;
begin
  select * into v from app.report_scope(p_campaign_id);
  if not found then
    return null;
  end if;
  return (
    with counters as (
      select r.key, r.municipality_id, r.name,
             jsonb_build_object(
               'schools', r.schools, 'not_started', r.not_started, 'in_progress', r.in_progress,
               'submitted', r.submitted, 'accepted', r.accepted, 'returned', r.returned,
               'levels', jsonb_build_object('below_basic', r.below_basic, 'basic', r.basic,
                                            'medium', r.medium, 'high', r.high),
               'directions', r.directions,
               'change', jsonb_build_object('compared', r.compared, 'rose', r.rose, 'fell', r.fell, 'same', r.same),
               'top_deficits', r.top_deficits,
               'programs', app.program_counters_json(r.programs_needed, r.programs_not_started, r.programs_draft,
                                                     r.programs_submitted, r.programs_returned, r.programs_approved,
                                                     r.measures_total, r.measures_done, r.measures_overdue),
               'execution', jsonb_build_object('total', r.execution_total, 'done', r.execution_done,
                                               'accepted', r.execution_accepted,
                                               'overdue', r.execution_overdue)) as c
      from app.report_counters(v.campaign_id, v.region_id, v.municipality_id, true) r
    )
    select json_build_object(
      'campaign', json_build_object('id', c.id, 'title', c.title,
                                    'status', app.campaign_status(c.opens_on, c.closes_on),
                                    'opens_on', c.opens_on, 'closes_on', c.closes_on),
      'previous_campaign', (select json_build_object('id', pc.id, 'title', pc.title)
                            from app.campaigns pc
                            where pc.region_id = c.region_id and pc.opens_on < c.opens_on
                            order by pc.opens_on desc, pc.id desc limit 1),
      'generated_at', now(),
      'scope', json_build_object('kind', case when v.municipality_id is null then 'region' else 'municipality' end,
                                 'region_id', c.region_id, 'region_name', rg.name,
                                 'municipality_id', v.municipality_id),
      'region', (select x.c from counters x where x.key = 0),
      'municipalities', coalesce((
        select json_agg(jsonb_build_object('municipality_id', x.municipality_id, 'name', x.name) || x.c
                        order by x.name, x.municipality_id)
        from counters x where x.key <> 0), '[]'::json),
      'regional_execution', case when v.municipality_id is null then (
        select json_build_object('total', count(*), 'done', count(*) filter (where a.status = 'done'),
                                 'accepted', count(*) filter (where a.status = 'accepted'),
                                 'overdue', count(*) filter (where app.assignment_overdue(i.deadline, a.status)))
        from app.assignments a join app.document_items i on i.id = a.item_id
        where a.region_id = c.region_id and a.executor_kind in ('committee', 'loiro')) end)
    from app.campaigns c
    join app.regions rg on rg.id = c.region_id
    where c.id = v.campaign_id);
end
$$;
grant execute on function app.report_summary(bigint) to orientir_committee, orientir_loiro, orientir_municipality;
comment on function app.report_summary(bigint) is
  'Committee, ЛОИРО, municipality: a campaign''s counters per municipality and for the scope, NULL when not visible';

-- The targeted schools of a campaign in the caller's scope, optionally of one
-- municipality, by municipality name, short name: {campaign_id, items:
-- [{school_id, code, short_name, municipality_id, municipality_name, status,
-- total_points, max_points, percent, level, previous_level, change,
-- deficits, growth, program_status, measures_done, measures_overdue}], total,
-- limit, offset}. Results, deficits and the program only for an accepted
-- submission (NULL otherwise); percent = total ÷ max × 100, 2 decimals;
-- change rose|fell|same against previous_level (NULL when either is
-- missing). limit 1..500 (default 50), offset ≥ 0 (else OR422); p_sort:
-- code, short_name, municipality_name, percent, deficits (missing values
-- last either way), each also descending ('-percent'), ties in the default
-- order. NULL when the campaign is not visible.
create or replace function app.report_schools(p_campaign_id bigint, p_municipality_id bigint, p_limit integer,
                                   p_offset integer, p_sort text default null)
returns json
language plpgsql stable security definer set search_path = app, pg_temp as $$
declare
  v        record;
begin
  select * into p_limit, p_offset
  from app.list_page(p_limit, p_offset, p_sort, array['code', 'short_name', 'municipality_name', 'percent', 'deficits'], 500);
  select * into v from app.report_scope(p_campaign_id);
  if not found then
    return null;
  end if;
  if p_municipality_id is not null and v.municipality_id is not null and p_municipality_id <> v.municipality_id then
    -- Another municipality's schools: nothing in the caller's scope.
    return app.page_json(jsonb_build_object('campaign_id', p_campaign_id), null, 0, p_limit, p_offset);
  end if;
  return (
    with facts as materialized (
      select f.*, m.name as municipality_name
      from app.report_school_facts(v.campaign_id, v.region_id, coalesce(v.municipality_id, p_municipality_id)) f
      join app.municipalities m on m.id = f.municipality_id
    ),
    page as (
      select f.*, row_number() over (order by
               case p_sort when 'code' then f.code end,
               case p_sort when '-code' then f.code end desc,
               -- the facts' short_name is plain text: sorted by name, it takes the names' collation
               case p_sort when 'short_name' then f.short_name collate app.ru end,
               case p_sort when '-short_name' then f.short_name collate app.ru end desc,
               case p_sort when '-municipality_name' then f.municipality_name end desc,
               case p_sort when 'percent' then f.total_points::numeric / nullif(f.max_points, 0) end,
               case p_sort when '-percent' then f.total_points::numeric / nullif(f.max_points, 0) end desc nulls last,
               case p_sort when 'deficits' then f.deficits end,
               case p_sort when '-deficits' then f.deficits end desc nulls last,
               f.municipality_name, f.municipality_id, f.short_name, f.school_id) as pos
      from facts f
      order by pos
      limit p_limit offset p_offset
    )
    select app.page_json(jsonb_build_object('campaign_id', p_campaign_id),
      (select json_agg(json_build_object(
                 'school_id', p.school_id, 'code', p.code, 'short_name', p.short_name,
                 'municipality_id', p.municipality_id, 'municipality_name', p.municipality_name,
                 'status', p.status, 'total_points', p.total_points, 'max_points', p.max_points,
                 'percent', round(100 * p.total_points::numeric / nullif(p.max_points, 0), 2),
                 'level', p.level, 'previous_level', p.previous_level,
                 'change', p.change,
                 'deficits', p.deficits, 'growth', p.growth, 'program_status', p.program_status,
                 'measures_done', p.measures_done, 'measures_overdue', p.measures_overdue)
               order by p.pos)
       from page p),
      (select count(*) from facts), p_limit, p_offset));
end
$$;
grant execute on function app.report_schools(bigint,bigint,integer,integer,text) to orientir_committee, orientir_loiro, orientir_municipality;
comment on function app.report_schools(bigint, bigint, integer, integer, text) is
  'Committee, ЛОИРО, municipality: the targeted schools of a campaign with result, change, deficits and program, NULL when not visible';

-- Deficits of a campaign by indicator code over the accepted submissions of
-- the scope, optionally of one municipality: {campaign_id, municipality_id,
-- assessed, items: [{indicator_code, indicator_text, direction_code,
-- direction_title, critical, deficit_schools, growth_schools, share,
-- states: {open, in_work, eliminated, closed}}]} — critical first, then
-- deficit_schools desc, then code. NULL when the campaign is not visible.
create or replace function app.report_deficits(p_campaign_id bigint, p_municipality_id bigint) returns json
language plpgsql stable security definer set search_path = app, pg_temp as $$
declare
  v     record;
  v_mun bigint;
begin
  select * into v from app.report_scope(p_campaign_id);
  if not found then
    return null;
  end if;
  v_mun := coalesce(v.municipality_id, p_municipality_id);
  if p_municipality_id is not null and v.municipality_id is not null and p_municipality_id <> v.municipality_id then
    v_mun := -1;  -- another municipality: nothing in the caller's scope
  end if;
  return (
    select json_build_object(
      'campaign_id', p_campaign_id,
      'municipality_id', p_municipality_id,
      'assessed', coalesce(max(f.assessed), (
        select count(*) from app.submissions s join app.schools sc on sc.id = s.school_id
        where s.campaign_id = v.campaign_id and s.status = 'accepted'
          and sc.municipality_id = any (array(select m.id from app.municipalities m
                                              where m.region_id = v.region_id
                                                and (v_mun is null or m.id = v_mun))))),
      'items', coalesce(json_agg(json_build_object(
                 'indicator_code', f.indicator_code, 'indicator_text', f.indicator_text,
                 'direction_code', f.direction_code, 'direction_title', f.direction_title,
                 'critical', f.critical, 'deficit_schools', f.deficit_schools,
                 'growth_schools', f.growth_schools, 'share', f.share,
                 'states', json_build_object('open', f.state_open, 'in_work', f.state_in_work,
                                             'eliminated', f.state_eliminated, 'closed', f.state_closed))
               order by f.critical desc, f.deficit_schools desc, f.indicator_code), '[]'::json))
    from app.report_deficit_facts(v.campaign_id, v.region_id, v_mun) f);
end
$$;
grant execute on function app.report_deficits(bigint,bigint) to orientir_committee, orientir_loiro, orientir_municipality;
comment on function app.report_deficits(bigint, bigint) is
  'Committee, ЛОИРО, municipality: deficits of a campaign by indicator code with shares and states, NULL when not visible';

-- Development programs of a campaign: {campaign_id, region: PROGRAM_COUNTERS,
-- municipalities: [{municipality_id, name, …PROGRAM_COUNTERS}]} (by name;
-- a municipality: its own row only). PROGRAM_COUNTERS = {needed, not_started,
-- draft, submitted, returned, approved, measures_total, measures_done,
-- measures_overdue} over the schools with an accepted submission (see
-- report_school_facts). NULL when the campaign is not visible.
create or replace function app.report_programs(p_campaign_id bigint) returns json
language plpgsql stable security definer set search_path = app, pg_temp as $$
begin
  return (
    with counters as (
      select r.key, r.municipality_id, r.name,
             app.program_counters_json(r.programs_needed, r.programs_not_started, r.programs_draft,
                                       r.programs_submitted, r.programs_returned, r.programs_approved,
                                       r.measures_total, r.measures_done, r.measures_overdue) as c
      from app.report_scope(p_campaign_id) v
      cross join lateral app.report_counters(v.campaign_id, v.region_id, v.municipality_id, false) r
    )
    select json_build_object(
      'campaign_id', p_campaign_id,
      'region', (select x.c from counters x where x.key = 0),
      'municipalities', coalesce((
        select json_agg(jsonb_build_object('municipality_id', x.municipality_id, 'name', x.name) || x.c
                        order by x.name, x.municipality_id)
        from counters x where x.key <> 0), '[]'::json))
    -- NULL when the campaign is not visible.
    where exists (select 1 from app.report_scope(p_campaign_id)));
end
$$;
grant execute on function app.report_programs(bigint) to orientir_committee, orientir_loiro, orientir_municipality;
comment on function app.report_programs(bigint) is
  'Committee, ЛОИРО, municipality: program counters of a campaign per municipality and for the scope, NULL when not visible';

-- One school's card, NULL when the school is not visible (404): {school:
-- {id, code, name, short_name, municipality_id, municipality_name, address,
-- education_levels}, results: school_results items, deficits:
-- school_deficits of its latest scored campaign (with states), program:
-- program_get of that campaign's current program (the approved revision if
-- any, else the newest) | null, generated_at}. Invoker: RLS decides (a school
-- sees only itself, a municipality its own schools).
create or replace function app.school_card(p_school_id bigint) returns json
language plpgsql stable set search_path = app, pg_temp as $$
declare
  v_school   json;
  v_deficits json;
  v_program  bigint;
begin
  select json_build_object('id', s.id, 'code', s.code, 'name', s.name, 'short_name', s.short_name,
                           'municipality_id', s.municipality_id, 'municipality_name', m.name,
                           'address', s.address, 'education_levels', s.education_levels)
  into v_school
  from app.schools s left join app.municipalities m on m.id = s.municipality_id
  where s.id = p_school_id;
  if v_school is null then
    return null;
  end if;
  v_deficits := app.school_deficits(p_school_id, null);
  select p.id into v_program
  from app.programs p
  where p.school_id = p_school_id and p.campaign_id = (v_deficits ->> 'campaign_id')::bigint
  order by p.status = 'approved' desc, p.revision desc
  limit 1;
  return json_build_object(
    'school', v_school,
    'results', app.school_results(p_school_id) -> 'items',
    'deficits', v_deficits,
    'program', case when v_program is not null then app.program_get(v_program) end,
    'generated_at', now());
end
$$;
grant execute on function app.school_card(bigint) to orientir_committee, orientir_loiro, orientir_municipality, orientir_school;
comment on function app.school_card(bigint) is
  'Four roles: one visible school''s results over the campaigns, latest deficits with states, current program; NULL when not visible';

reset role;
