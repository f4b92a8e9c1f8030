-- 0053_deficits_summary_speed: app.deficits_summary (issue 3, with the
-- states of issue 4, 0043) made fast for a region of 10,000 schools —
-- CREATE OR REPLACE, same signature, same output, same ordering, same
-- security: still SECURITY INVOKER, so the SELECT policies decide what the
-- caller sees (grants of 0014 are kept: CREATE OR REPLACE leaves them).
--
-- 0043 joined every deficit row of the scope (~320,000 for the synthetic
-- region ru-99) to indicators and directions one row at a time and counted
-- count(distinct school_id) per code (a sort of all those rows, spilling to
-- disk), read the deficit rows a second time for the states, and ran with
-- the plan cache of PL/pgSQL (a generic plan cannot know how many schools a
-- campaign has). Now, as app.report_deficit_facts (0051) does:
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

set local role orientir_owner;

create or replace function app.deficits_summary(p_campaign_id bigint, p_municipality_id bigint,
                                                p_limit integer, p_offset integer)
returns json
language plpgsql stable
set search_path = app, pg_temp
-- Planned with the actual arguments on every call (see the header).
set plan_cache_mode = force_custom_plan
as $$
declare
  v_limit  integer := coalesce(p_limit, 50);
  v_offset integer := coalesce(p_offset, 0);
begin
  perform app.check_paging(v_limit, v_offset);
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
      select * from found
      order by deficit_schools desc, growth_schools desc, indicator_code
      limit v_limit offset v_offset
    )
    select json_build_object(
      'campaign_id', p_campaign_id,
      'municipality_id', p_municipality_id,
      'assessed', (select count(distinct school_id) from subs),
      'states', (select json_build_object('open', coalesce(sum(pi.st_open), 0)::bigint,
                                          'in_work', coalesce(sum(pi.st_in_work), 0)::bigint,
                                          'eliminated', coalesce(sum(pi.st_eliminated), 0)::bigint,
                                          'closed', coalesce(sum(pi.st_closed), 0)::bigint)
                 from per_indicator pi),
      'items', coalesce((
        select json_agg(json_build_object(
                 'indicator_code', p.indicator_code, 'indicator_ids', p.indicator_ids,
                 'indicator_text', p.indicator_text, 'direction_code', p.direction_code,
                 'direction_title', p.direction_title, 'critical', p.critical,
                 'deficit_schools', p.deficit_schools, 'growth_schools', p.growth_schools)
               order by p.deficit_schools desc, p.growth_schools desc, p.indicator_code)
        from page p), '[]'::json),
      'total', (select count(*) from found),
      'limit', v_limit,
      'offset', v_offset));
end
$$;
comment on function app.deficits_summary(bigint, bigint, integer, integer) is
  'Committee, ЛОИРО, municipality: per indicator code, how many visible schools have it as a deficit / growth area in a campaign, and the deficits by lifecycle state';

reset role;
