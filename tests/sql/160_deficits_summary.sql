-- app.deficits_summary (0053: aggregated per indicator, then folded into
-- codes) against a straightforward recomputation from the raw rows — the
-- submitted and accepted submissions of the scope, their deficit rows joined
-- to indicators and directions, count(distinct school) per code, states over
-- the accepted deficit-kind rows — for the committee (the region), the
-- committee filtered to a municipality, and a municipality (its schools).
-- Campaign «Сравнение» targets T1: T1-A-1 and T1-B-1 answer t-main, T1-A-2
-- t-basic (a variant sharing the codes I1, I2); T1-A-1 is accepted, T1-A-2
-- and T1-B-1 stay submitted.
begin;
\ir fixtures.psql
\ir diagnostics_fixtures.psql
select plan(8);
grant insert on fx to public;

-- The expected summary, computed as the superuser with the scope spelled out.
create function pg_temp.expected(p_campaign_id bigint, p_municipality_id bigint, p_limit integer, p_offset integer)
returns jsonb language sql stable as $$
  with subs as (
    select s.id, s.school_id, s.status from app.submissions s join app.schools sc on sc.id = s.school_id
    where s.campaign_id = p_campaign_id and s.status in ('submitted', 'accepted')
      and (p_municipality_id is null or sc.municipality_id = p_municipality_id)),
  rows as (
    select df.*, x.code, x.text, d.code as dcode, d.title as dtitle
    from app.deficits df join subs on subs.id = df.submission_id
    join app.indicators x on x.id = df.indicator_id join app.directions d on d.id = x.direction_id),
  codes as (
    select r.code,
           (select jsonb_agg(distinct r2.indicator_id) from rows r2 where r2.code = r.code) as ids,
           (select r2.text from rows r2 where r2.code = r.code order by r2.indicator_id limit 1) as text,
           (select r2.dcode from rows r2 where r2.code = r.code order by r2.indicator_id limit 1) as dcode,
           (select r2.dtitle from rows r2 where r2.code = r.code order by r2.indicator_id limit 1) as dtitle,
           bool_or(r.critical) as critical,
           count(distinct r.school_id) filter (where r.kind = 'deficit') as dn,
           count(distinct r.school_id) filter (where r.kind = 'growth') as gn
    from rows r group by r.code)
  select jsonb_build_object(
    'campaign_id', p_campaign_id, 'municipality_id', p_municipality_id,
    'assessed', (select count(distinct school_id) from subs),
    'states', (select jsonb_build_object('open', count(*) filter (where df.status = 'open'),
                                         'in_work', count(*) filter (where df.status = 'in_work'),
                                         'eliminated', count(*) filter (where df.status = 'eliminated'),
                                         'closed', count(*) filter (where df.status = 'closed'))
               from app.deficits df join subs on subs.id = df.submission_id
               where subs.status = 'accepted' and df.kind = 'deficit'),
    'items', coalesce((select jsonb_agg(jsonb_build_object(
               'indicator_code', c.code, 'indicator_ids', c.ids, 'indicator_text', c.text,
               'direction_code', c.dcode, 'direction_title', c.dtitle, 'critical', c.critical,
               'deficit_schools', c.dn, 'growth_schools', c.gn) order by c.dn desc, c.gn desc, c.code)
             from (select * from codes order by dn desc, gn desc, code limit p_limit offset p_offset) c), '[]'::jsonb),
    'total', (select count(*) from codes), 'limit', p_limit, 'offset', p_offset)
$$;

select pg_temp.act_as('t-committee');
insert into fx select 'campaign:cmp', (app.campaign_create(jsonb_build_object(
  'title', 'Сравнение', 'opens_on', app.moscow_today() - 1, 'closes_on', app.moscow_today() + 10, 'target', '{"all": true}'::jsonb,
  'instrument_ids', jsonb_build_array(pg_temp.fx('instrument:t-main'), pg_temp.fx('instrument:t-basic')))) ->> 'id')::bigint;
reset role;

select pg_temp.act_as('t-school-a1');
insert into fx values ('sub:a1', (app.submission_open(pg_temp.fx('campaign:cmp')) #>> '{submission,id}')::bigint);
select count(pg_temp.answer(pg_temp.fx('sub:a1'), v.code, v.value))
  from (values ('I1', 'no'), ('I2', '0'), ('I3', 'yes'), ('I4', '1')) v(code, value) \gset ignored_
select app.submission_submit(pg_temp.fx('sub:a1'), null) is not null as ok \gset ignored_
reset role;
select pg_temp.act_as('t-school-b1');
insert into fx values ('sub:b1', (app.submission_open(pg_temp.fx('campaign:cmp')) #>> '{submission,id}')::bigint);
select count(pg_temp.answer(pg_temp.fx('sub:b1'), v.code, v.value))
  from (values ('I1', 'yes'), ('I2', '1'), ('I3', 'no'), ('I4', '0')) v(code, value) \gset ignored_
select app.submission_submit(pg_temp.fx('sub:b1'), null) is not null as ok \gset ignored_
reset role;
select pg_temp.act_as('t-school-a2');
insert into fx values ('sub:a2', (app.submission_open(pg_temp.fx('campaign:cmp')) #>> '{submission,id}')::bigint);
select count(pg_temp.answer(pg_temp.fx('sub:a2'), v.code, v.value))
  from (values ('I1', 'no'), ('I2', '1'), ('H1', '0')) v(code, value) \gset ignored_
select app.submission_submit(pg_temp.fx('sub:a2'), null) is not null as ok \gset ignored_
reset role;
select pg_temp.act_as('t-mun-a');
select app.submission_accept(pg_temp.fx('sub:a1'), null) is not null as ok \gset ignored_
reset role;

select cmp_ok((select count(*)::int from app.deficits where campaign_id = pg_temp.fx('campaign:cmp')), '>=', 8,
  'the fixture has deficit and growth rows in three schools');

select pg_temp.expected(pg_temp.fx('campaign:cmp'), null, 50, 0) as exp_region \gset
select pg_temp.expected(pg_temp.fx('campaign:cmp'), pg_temp.fx('municipality:T1-A'), 50, 0) as exp_mun_a \gset
select pg_temp.expected(pg_temp.fx('campaign:cmp'), null, 2, 1) as exp_page \gset

select pg_temp.act_as('t-committee');
select is(app.deficits_summary(pg_temp.fx('campaign:cmp'), null, 50, 0)::jsonb, :'exp_region'::jsonb,
  'committee: the region''s summary equals the recomputation from the raw rows');
select is(app.deficits_summary(pg_temp.fx('campaign:cmp'), pg_temp.fx('municipality:T1-A'), 50, 0)::jsonb, :'exp_mun_a'::jsonb,
  'committee filtered to a municipality: equals the recomputation');
select is(app.deficits_summary(pg_temp.fx('campaign:cmp'), null, 2, 1)::jsonb, :'exp_page'::jsonb,
  'committee, a page (limit 2 offset 1): same items, total, limit and offset');
select is((app.deficits_summary(pg_temp.fx('campaign:cmp'), null, 50, 0) #>> '{items,0,indicator_ids}')::jsonb,
  (select jsonb_agg(x.id order by x.id) from app.indicators x
   where x.code = (app.deficits_summary(pg_temp.fx('campaign:cmp'), null, 50, 0) #>> '{items,0,indicator_code}')
     and x.instrument_id in (pg_temp.fx('instrument:t-main'), pg_temp.fx('instrument:t-basic'))),
  'a code answered in both variants lists both indicator ids');
reset role;

select pg_temp.act_as('t-mun-a');
select is(app.deficits_summary(pg_temp.fx('campaign:cmp'), null, 50, 0)::jsonb,
  jsonb_set(:'exp_mun_a'::jsonb, '{municipality_id}', 'null'::jsonb),
  'municipality: its schools only, equal to the recomputation over them');
select is(app.deficits_summary(pg_temp.fx('campaign:cmp'), pg_temp.fx('municipality:T1-B'), 50, 0)::jsonb
            - 'campaign_id' - 'municipality_id' - 'limit' - 'offset',
  '{"assessed": 0, "states": {"open": 0, "in_work": 0, "eliminated": 0, "closed": 0}, "items": [], "total": 0}'::jsonb,
  'municipality filtering another municipality: nothing');
reset role;

select pg_temp.act_as('t-committee2');
select is(app.deficits_summary(pg_temp.fx('campaign:cmp'), null, 50, 0)::text, null,
  'a committee of another region: NULL (404)');
reset role;

select * from finish();
rollback;
