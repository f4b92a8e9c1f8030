-- Monitoring summaries and exports (issue 6): every counter of the summary
-- recomputed here from the raw rows and compared; the region's counts are
-- the sums of the municipalities' rows; a municipality without schools in the
-- campaign still gets a row of zeros; a municipality sees only its own row;
-- the school list, deficits by indicator, program counters, the school card
-- and its scope; the five export row functions — their scope, Russian column
-- names and types; the export's audit row; 404s.
--
-- Fixture region T1: T1-A (T1-A-1 t-main, T1-A-2 t-basic, T1-A-3 t-main),
-- T1-B (T1-B-1, T1-B-2, T1-B-3, T1-B-4, all t-main), T1-C (no schools).
-- «Осень» (previous, moved a year back after it is filled) and «Весна»
-- (current) target all of T1. In «Весна»:
--   T1-A-1 accepted: I1 yes, I2 2, I3 no, I4 1  → 4, basic   (d1 3, d2 1); deficit I3, growth I4
--   T1-A-2 accepted: I1 yes, I2 1, H1 2         → 4, medium  (d1 2, d3 2); growth I2, H1 (no deficit)
--   T1-A-3 returned; T1-B-1 accepted: I1 no, I2 0, I3 yes, I4 3 → below_basic (critical), deficits I1, I2
--   T1-B-2 submitted; T1-B-3 draft; T1-B-4 not started.
-- In «Осень»: T1-A-1 medium (→ fell), T1-A-2 below_basic (→ rose), T1-B-1 below_basic (→ same).
begin;
\ir fixtures.psql
\ir diagnostics_fixtures.psql
select plan(87);
grant insert on fx to public;  -- tests remember ids while acting as a role

-- More schools and a municipality without schools -----------------------------------------------
insert into app.municipalities (region_id, code, name)
values (pg_temp.fx('region:T1'), 'T1-C', 'Цетинский район');
insert into app.schools (code, municipality_id, name, short_name, education_levels)
select v.code, m.id, v.name, v.name, '{primary,basic,secondary}'
from (values ('T1-A-3', 'T1-A', 'Гимназия Альфинска'), ('T1-B-2', 'T1-B', 'Лицей Бетинска'),
             ('T1-B-3', 'T1-B', 'Школа № 3 Бетинска'), ('T1-B-4', 'T1-B', 'Школа № 4 Бетинска')) v(code, mun, name)
join app.municipalities m on m.code = v.mun;
insert into app.users (login, full_name, role, school_id, password_hash)
select 't-school-' || lower(replace(s.code, 'T1-', '')), 'Школьный ' || s.code, 'school', s.id, pg_temp.hash()
from app.schools s where s.code in ('T1-A-3', 'T1-B-2', 'T1-B-3');
insert into fx select 'municipality:T1-C', id from app.municipalities where code = 'T1-C'
  union all select 'school:' || code, id from app.schools where code in ('T1-A-3', 'T1-B-2', 'T1-B-3', 'T1-B-4');

-- Fill a school's submission: open, answer {code: value}, then up to the final status
-- (draft | submitted | returned | accepted), acting as the school and its municipality.
create function pg_temp.fill(p_school text, p_campaign bigint, p_answers jsonb, p_final text) returns bigint
language plpgsql as $$
declare
  v_sub bigint;
  v_mun text := case when p_school like 'T1-A%' then 't-mun-a' else 't-mun-b' end;
  k text;
begin
  perform pg_temp.act_as((select login from app.users where school_id = pg_temp.fx('school:' || p_school)));
  v_sub := (app.submission_open(p_campaign) #>> '{submission,id}')::bigint;
  for k in select jsonb_object_keys(p_answers) loop
    perform pg_temp.answer(v_sub, k, p_answers ->> k);
  end loop;
  if p_final <> 'draft' then
    perform app.submission_submit(v_sub, null);
  end if;
  if p_final in ('accepted', 'returned') then
    perform pg_temp.act_as(v_mun);
    if p_final = 'accepted' then
      perform app.submission_accept(v_sub, null);
    else
      perform app.submission_return(v_sub, null, 'Уточните ответы');
    end if;
  end if;
  perform set_config('role', 'none', true);
  return v_sub;
end
$$;

-- «Осень», filled, then moved a year back -------------------------------------------------------
select pg_temp.act_as('t-committee');
insert into fx select 'campaign:autumn', (app.campaign_create(jsonb_build_object(
  'title', 'Осень', 'opens_on', app.moscow_today() - 1, 'closes_on', app.moscow_today() + 10, 'target', '{"all": true}'::jsonb,
  'instrument_ids', jsonb_build_array(pg_temp.fx('instrument:t-main'), pg_temp.fx('instrument:t-basic')))) ->> 'id')::bigint;
reset role;
select pg_temp.fill('T1-A-1', pg_temp.fx('campaign:autumn'), '{"I1": "yes", "I2": "2", "I3": "yes", "I4": "1"}', 'accepted') is not null as ignored \gset
select pg_temp.fill('T1-A-2', pg_temp.fx('campaign:autumn'), '{"I1": "no", "I2": "2", "H1": "3"}', 'accepted') is not null as ignored \gset
select pg_temp.fill('T1-B-1', pg_temp.fx('campaign:autumn'), '{"I1": "no", "I2": "0", "I3": "no", "I4": "0"}', 'accepted') is not null as ignored \gset
update app.campaigns set opens_on = app.moscow_today() - 400, closes_on = app.moscow_today() - 370
where id = pg_temp.fx('campaign:autumn');

-- «Весна» ----------------------------------------------------------------------------------------
select pg_temp.act_as('t-committee');
insert into fx select 'campaign:spring', (app.campaign_create(jsonb_build_object(
  'title', 'Весна', 'opens_on', app.moscow_today() - 1, 'closes_on', app.moscow_today() + 10, 'target', '{"all": true}'::jsonb,
  'instrument_ids', jsonb_build_array(pg_temp.fx('instrument:t-main'), pg_temp.fx('instrument:t-basic')))) ->> 'id')::bigint;
reset role;
insert into fx values
  ('sub:a1', pg_temp.fill('T1-A-1', pg_temp.fx('campaign:spring'), '{"I1": "yes", "I2": "2", "I3": "no", "I4": "1"}', 'accepted')),
  ('sub:a2', pg_temp.fill('T1-A-2', pg_temp.fx('campaign:spring'), '{"I1": "yes", "I2": "1", "H1": "2"}', 'accepted')),
  ('sub:a3', pg_temp.fill('T1-A-3', pg_temp.fx('campaign:spring'), '{"I1": "yes", "I2": "2", "I3": "yes", "I4": "3"}', 'returned')),
  ('sub:b1', pg_temp.fill('T1-B-1', pg_temp.fx('campaign:spring'), '{"I1": "no", "I2": "0", "I3": "yes", "I4": "3"}', 'accepted')),
  ('sub:b2', pg_temp.fill('T1-B-2', pg_temp.fx('campaign:spring'), '{"I1": "yes", "I2": "2", "I3": "yes", "I4": "3"}', 'submitted')),
  ('sub:b3', pg_temp.fill('T1-B-3', pg_temp.fx('campaign:spring'), '{"I1": "yes"}', 'draft'));

-- A campaign of the other region.
select pg_temp.act_as('t-committee2');
select (app.instrument_create(pg_temp.test_doc('t-other', 1)::json) ->> 'id')::bigint as other_instrument \gset
select app.instrument_publish(:other_instrument) is not null as ignored \gset
insert into fx select 'campaign:t2', (app.campaign_create(jsonb_build_object(
  'title', 'Чужая', 'opens_on', app.moscow_today() - 1, 'closes_on', app.moscow_today() + 10, 'target', '{"all": true}'::jsonb,
  'instrument_ids', jsonb_build_array(:other_instrument))) ->> 'id')::bigint;
reset role;

-- Programs (written as the owner would through the state functions: draft, measures, submit,
-- approve, progress). T1-A-1: approved, one measure done, one overdue. T1-A-2 (no deficit):
-- a draft with one measure. T1-B-1 needs one and has none.
with p as (
  insert into app.programs (region_id, municipality_id, school_id, campaign_id, submission_id, title, period_start, period_end)
  values (pg_temp.fx('region:T1'), pg_temp.fx('municipality:T1-A'), pg_temp.fx('school:T1-A-1'), pg_temp.fx('campaign:spring'),
          pg_temp.fx('sub:a1'), 'Программа СОШ № 1', app.moscow_today() - 30, app.moscow_today() + 300) returning id)
insert into fx select 'program:a1', id from p;
with p as (
  insert into app.programs (region_id, municipality_id, school_id, campaign_id, submission_id, title, period_start, period_end)
  values (pg_temp.fx('region:T1'), pg_temp.fx('municipality:T1-A'), pg_temp.fx('school:T1-A-2'), pg_temp.fx('campaign:spring'),
          pg_temp.fx('sub:a2'), 'Программа ООШ', app.moscow_today(), app.moscow_today() + 300) returning id)
insert into fx select 'program:a2', id from p;
insert into app.program_measures (program_id, title, due_date, responsible, position)
values (pg_temp.fx('program:a1'), 'Открыть объединение', app.moscow_today() - 10, 'Директор', 1),
       (pg_temp.fx('program:a1'), 'Назначить советника', app.moscow_today() + 10, 'Директор', 2),
       (pg_temp.fx('program:a2'), 'Спортивный клуб', app.moscow_today() + 20, 'Завуч', 1);
update app.programs set status = 'submitted' where id = pg_temp.fx('program:a1');
update app.programs set status = 'approved' where id = pg_temp.fx('program:a1');
update app.program_measures set status = 'done', progress_note = 'Назначен', progress_at = now()
where program_id = pg_temp.fx('program:a1') and position = 2;
-- Deficit states: T1-A-1's I3 in work, T1-B-1's I2 closed by the municipality.
update app.deficits d set status = 'in_work', status_at = now()
from app.indicators x where x.id = d.indicator_id and d.submission_id = pg_temp.fx('sub:a1') and x.code = 'I3';
update app.deficits d set status = 'closed', status_at = now(), closed_reason = 'Не применимо'
from app.indicators x where x.id = d.indicator_id and d.submission_id = pg_temp.fx('sub:b1') and x.code = 'I2';

-- Records of execution: item 1 for all municipalities (overdue), item 2 for school T1-A-1,
-- item 3 for ЛОИРО. T1-A reports item 1 done and the committee accepts it; T1-A-1 is in progress.
select pg_temp.act_as('t-committee');
select (app.document_create('{"kind": "plan", "number": "7-р", "date": "2024-03-01", "title": "План-график"}') ->> 'id')::bigint as doc \gset
select app.document_items_create(:doc, jsonb_build_array(
  jsonb_build_object('number', '1', 'content', 'Всем', 'deadline', app.moscow_today() - 3, 'executors', '[{"kind": "all_municipalities"}]'::jsonb),
  jsonb_build_object('number', '2', 'content', 'Школе', 'deadline', app.moscow_today() + 30,
                     'executors', jsonb_build_array(jsonb_build_object('kind', 'school', 'id', pg_temp.fx('school:T1-A-1')))),
  jsonb_build_object('number', '3', 'content', 'Институту', 'deadline', app.moscow_today() - 1, 'executors', '[{"kind": "loiro"}]'::jsonb)))
  is not null as ignored \gset
reset role;
create function pg_temp.rec(p_number text, p_kind text, p_mun text) returns bigint language sql stable
as $$ select a.id from app.assignments a join app.document_items i on i.id = a.item_id
      where i.number = p_number and a.executor_kind = p_kind
        and a.municipality_id is not distinct from (select id from app.municipalities where code = p_mun) $$;
select pg_temp.act_as('t-mun-a');
select app.assignment_report(pg_temp.rec('1', 'municipality', 'T1-A'), null, '{"status": "done", "text": "Сделано"}') is not null as ignored \gset
select pg_temp.act_as('t-committee');
select app.assignment_accept(pg_temp.rec('1', 'municipality', 'T1-A'), null) is not null as ignored \gset
select pg_temp.act_as('t-school-a1');
select app.assignment_report(pg_temp.rec('2', 'school', 'T1-A'), null, '{"status": "in_progress"}') is not null as ignored \gset
reset role;

-- Recomputation from the raw rows (as the superuser, no RLS) -----------------------------------
-- The scalar counters of one municipality (NULL: the region), as report_summary nests them.
create function pg_temp.expected_counts(p_mun bigint) returns jsonb language sql stable
as $$
  with cs as (
    select sc.id, sc.municipality_id, s.status as st, case when s.status = 'accepted' then s.level end as lvl,
           (select p.level from app.submissions p where p.campaign_id = pg_temp.fx('campaign:autumn')
              and p.school_id = sc.id and p.status = 'accepted') as prev
    from app.campaign_schools c join app.schools sc on sc.id = c.school_id
    left join app.submissions s on s.campaign_id = c.campaign_id and s.school_id = c.school_id
    where c.campaign_id = pg_temp.fx('campaign:spring') and (p_mun is null or sc.municipality_id = p_mun)
  ), r as (select cs.*, array_position('{below_basic,basic,medium,high}'::text[], lvl) as a,
                        array_position('{below_basic,basic,medium,high}'::text[], prev) as b from cs)
  select jsonb_build_object(
    'schools', (select count(*) from r), 'not_started', (select count(*) from r where st is null),
    'in_progress', (select count(*) from r where st = 'draft'), 'submitted', (select count(*) from r where st = 'submitted'),
    'accepted', (select count(*) from r where st = 'accepted'), 'returned', (select count(*) from r where st = 'returned'),
    'levels', jsonb_build_object('below_basic', (select count(*) from r where lvl = 'below_basic'),
                                 'basic', (select count(*) from r where lvl = 'basic'),
                                 'medium', (select count(*) from r where lvl = 'medium'),
                                 'high', (select count(*) from r where lvl = 'high')),
    'change', jsonb_build_object('compared', (select count(*) from r where a is not null and b is not null),
                                 'rose', (select count(*) from r where a > b), 'fell', (select count(*) from r where a < b),
                                 'same', (select count(*) from r where a = b)),
    'execution', (select jsonb_build_object('total', count(*), 'done', count(*) filter (where a.status = 'done'),
                                            'accepted', count(*) filter (where a.status = 'accepted'),
                                            'overdue', count(*) filter (where i.deadline < app.moscow_today()
                                                                          and a.status not in ('done', 'accepted')))
                  from app.assignments a join app.document_items i on i.id = a.item_id
                  where a.region_id = pg_temp.fx('region:T1') and a.municipality_id is not null
                    and (p_mun is null or a.municipality_id = p_mun)))
$$;
-- Directions by code: the mean points and percentage over the accepted submissions.
create function pg_temp.expected_directions(p_mun bigint) returns jsonb language sql stable
as $$
  select jsonb_agg(jsonb_build_object('code', d.code,
           'mean_points', (select round(avg(sd.points), 2) from app.submission_directions sd
                           join app.directions d2 on d2.id = sd.direction_id join app.submissions s on s.id = sd.submission_id
                           join app.schools sc on sc.id = s.school_id
                           where d2.code = d.code and s.campaign_id = pg_temp.fx('campaign:spring') and s.status = 'accepted'
                             and (p_mun is null or sc.municipality_id = p_mun)),
           'mean_percent', (select round(avg(100.0 * sd.points / sd.max_points), 2) from app.submission_directions sd
                            join app.directions d2 on d2.id = sd.direction_id join app.submissions s on s.id = sd.submission_id
                            join app.schools sc on sc.id = s.school_id
                            where d2.code = d.code and s.campaign_id = pg_temp.fx('campaign:spring') and s.status = 'accepted'
                              and (p_mun is null or sc.municipality_id = p_mun))) order by d.code)
  from (select distinct code from app.directions where instrument_id in (pg_temp.fx('instrument:t-main'), pg_temp.fx('instrument:t-basic'))) d
$$;
-- Top deficits: deficit-kind rows of accepted submissions by indicator code.
create function pg_temp.expected_top(p_mun bigint) returns jsonb language sql stable
as $$
  select coalesce(jsonb_agg(jsonb_build_object('indicator_code', code, 'critical', critical, 'schools', n)
                            order by critical desc, n desc, code), '[]')
  from (select x.code, bool_or(d.critical) as critical, count(distinct d.school_id) as n
        from app.deficits d join app.indicators x on x.id = d.indicator_id join app.submissions s on s.id = d.submission_id
        join app.schools sc on sc.id = s.school_id
        where s.campaign_id = pg_temp.fx('campaign:spring') and s.status = 'accepted' and d.kind = 'deficit'
          and (p_mun is null or sc.municipality_id = p_mun)
        group by x.code) t
$$;
-- The scalar leaves of COUNTERS (paths), to sum rows against the region.
create function pg_temp.leaves(p jsonb) returns table (path text, value numeric) language sql immutable
as $$
  select k, (p ->> k)::numeric from jsonb_object_keys(p) k where jsonb_typeof(p -> k) = 'number'
  union all
  select k || '.' || k2, (p -> k ->> k2)::numeric
  from jsonb_object_keys(p) k, jsonb_object_keys(case when jsonb_typeof(p -> k) = 'object' then p -> k else '{}' end) k2
  where jsonb_typeof(p -> k -> k2) = 'number'
$$;

-- The committee's summary ----------------------------------------------------------------------
select pg_temp.act_as('t-committee');
select app.report_summary(pg_temp.fx('campaign:spring'))::jsonb as s \gset
reset role;

select is((:'s'::jsonb -> 'campaign') - 'id' - 'opens_on' - 'closes_on', '{"title": "Весна", "status": "open"}'::jsonb,
  'the summary names the campaign and its status');
select is(:'s'::jsonb -> 'previous_campaign',
  jsonb_build_object('id', pg_temp.fx('campaign:autumn'), 'title', 'Осень'),
  'the previous campaign is the region''s newest that opened before this one');
select is(:'s'::jsonb -> 'scope',
  jsonb_build_object('kind', 'region', 'region_id', pg_temp.fx('region:T1'), 'region_name', 'Тестовая область', 'municipality_id', null),
  'the committee''s scope is its region');
select is((select jsonb_agg(m ->> 'name') from jsonb_array_elements(:'s'::jsonb -> 'municipalities') m),
  '["Альфинский район", "Бетинский район", "Цетинский район"]'::jsonb,
  'every municipality of the region gets a row, by name (none of the other region)');
select is((select m - 'municipality_id' - 'name' - 'directions' - 'execution' from jsonb_array_elements(:'s'::jsonb -> 'municipalities') m
           where m ->> 'name' = 'Цетинский район'),
  '{"schools": 0, "not_started": 0, "in_progress": 0, "submitted": 0, "accepted": 0, "returned": 0,
    "levels": {"below_basic": 0, "basic": 0, "medium": 0, "high": 0}, "change": {"compared": 0, "rose": 0, "fell": 0, "same": 0},
    "top_deficits": [],
    "programs": {"needed": 0, "not_started": 0, "draft": 0, "submitted": 0, "returned": 0, "approved": 0,
                 "measures_total": 0, "measures_done": 0, "measures_overdue": 0}}'::jsonb,
  'a municipality without schools in the campaign gets a row of zeros (its execution records are not campaign-bound)');
select is((select jsonb_agg(jsonb_build_array(d ->> 'code', d -> 'mean_points', d -> 'max_points')) from jsonb_array_elements(
             (select m -> 'directions' from jsonb_array_elements(:'s'::jsonb -> 'municipalities') m where m ->> 'name' = 'Цетинский район')) d),
  '[["d1", null, 3], ["d2", null, 4], ["d3", null, 3]]'::jsonb,
  'its directions are listed with null means (no accepted submission)');

select is((:'s'::jsonb -> 'region') - 'directions' - 'top_deficits' - 'programs', pg_temp.expected_counts(null),
  'the region''s status counters, levels, change and execution equal those recomputed from the raw rows');
select is((select jsonb_object_agg(m ->> 'name', m - 'municipality_id' - 'name' - 'directions' - 'top_deficits' - 'programs')
           from jsonb_array_elements(:'s'::jsonb -> 'municipalities') m),
  jsonb_build_object('Альфинский район', pg_temp.expected_counts(pg_temp.fx('municipality:T1-A')),
                     'Бетинский район', pg_temp.expected_counts(pg_temp.fx('municipality:T1-B')),
                     'Цетинский район', pg_temp.expected_counts(pg_temp.fx('municipality:T1-C'))),
  'each municipality''s status counters, levels, change and execution equal those recomputed from the raw rows');
select is((:'s'::jsonb -> 'region') - 'directions' - 'top_deficits' - 'execution',
  '{"schools": 7, "not_started": 1, "in_progress": 1, "submitted": 1, "accepted": 3, "returned": 1,
    "levels": {"below_basic": 1, "basic": 1, "medium": 1, "high": 0}, "change": {"compared": 3, "rose": 1, "fell": 1, "same": 1},
    "programs": {"needed": 2, "not_started": 1, "draft": 1, "submitted": 0, "returned": 0, "approved": 1,
                 "measures_total": 3, "measures_done": 1, "measures_overdue": 1}}'::jsonb,
  'the fixture''s numbers: 7 targeted, statuses, levels, one rose/fell/same, programs (current revision, measures)');
select is((select (s ->> 'not_started')::int + (s ->> 'in_progress')::int + (s ->> 'submitted')::int
                  + (s ->> 'accepted')::int + (s ->> 'returned')::int from (select :'s'::jsonb -> 'region' s) x),
  7, 'the five status counters sum to schools');
select is_empty(format($$
  select r.path, r.value, sum(m.value)
  from pg_temp.leaves(%L::jsonb -> 'region') r
  left join (select l.* from jsonb_array_elements(%L::jsonb -> 'municipalities') x, pg_temp.leaves(x) l) m on m.path = r.path
  group by r.path, r.value
  having r.value is distinct from sum(m.value) $$, :'s', :'s'),
  'every count of the region equals the sum of the municipalities'' rows');
select is((select count(*)::int from pg_temp.leaves(:'s'::jsonb -> 'region')), 27,
  'the sum check saw all 27 numeric leaves of the region''s counters (statuses, levels, change, programs, execution)');

select is((select jsonb_agg(jsonb_build_object('code', d ->> 'code', 'mean_points', d -> 'mean_points',
                                               'mean_percent', d -> 'mean_percent') order by d ->> 'code')
           from jsonb_array_elements(:'s'::jsonb #> '{region,directions}') d),
  pg_temp.expected_directions(null),
  'the region''s mean points and percentages per direction code equal those recomputed over the accepted submissions');
select is((select jsonb_object_agg(m ->> 'name', (select jsonb_agg(jsonb_build_object('code', d ->> 'code',
             'mean_points', d -> 'mean_points', 'mean_percent', d -> 'mean_percent') order by d ->> 'code')
                                                  from jsonb_array_elements(m -> 'directions') d))
           from jsonb_array_elements(:'s'::jsonb -> 'municipalities') m where m ->> 'name' <> 'Цетинский район'),
  jsonb_build_object('Альфинский район', pg_temp.expected_directions(pg_temp.fx('municipality:T1-A')),
                     'Бетинский район', pg_temp.expected_directions(pg_temp.fx('municipality:T1-B'))),
  'each municipality''s direction means equal those recomputed (means over the scope, not averaged over rows)');
select is((select jsonb_agg(d - 'direction_id') from jsonb_array_elements(:'s'::jsonb #> '{region,directions}') d),
  '[{"code": "d1", "title": "Знание", "mean_points": 1.67, "max_points": 3, "mean_percent": 55.56},
    {"code": "d2", "title": "Воспитание", "mean_points": 2.50, "max_points": 4, "mean_percent": 62.50},
    {"code": "d3", "title": "Здоровье", "mean_points": 2.00, "max_points": 3, "mean_percent": 66.67}]'::jsonb,
  'directions are grouped by code over the variants, in variant order, means rounded to 2 decimals');
select is((:'s'::jsonb #>> '{region,directions,0,direction_id}')::bigint,
  (select id from app.directions where instrument_id = pg_temp.fx('instrument:t-main') and code = 'd1'),
  'a direction''s id is that of the first variant having its code');

select is((select jsonb_agg(t - 'indicator_text' - 'direction_code') from jsonb_array_elements(:'s'::jsonb #> '{region,top_deficits}') t),
  pg_temp.expected_top(null), 'the region''s top deficits equal those recomputed: critical first, then schools, then code');
select is((select jsonb_object_agg(m ->> 'name', (select coalesce(jsonb_agg(t - 'indicator_text' - 'direction_code'), '[]')
                                                  from jsonb_array_elements(m -> 'top_deficits') t))
           from jsonb_array_elements(:'s'::jsonb -> 'municipalities') m),
  jsonb_build_object('Альфинский район', pg_temp.expected_top(pg_temp.fx('municipality:T1-A')),
                     'Бетинский район', pg_temp.expected_top(pg_temp.fx('municipality:T1-B')),
                     'Цетинский район', '[]'::jsonb),
  'each municipality''s top deficits equal those recomputed');
select is(:'s'::jsonb #> '{region,top_deficits,0}',
  '{"indicator_code": "I1", "indicator_text": "Рабочие программы по ФРП", "direction_code": "d1", "critical": true, "schools": 1}'::jsonb,
  'a top deficit names its indicator and direction');
select is(:'s'::jsonb -> 'regional_execution', '{"total": 1, "done": 0, "accepted": 0, "overdue": 1}'::jsonb,
  'the records of the committee and ЛОИРО are counted beside the municipalities (regional_execution)');

-- Other callers ------------------------------------------------------------------------------------
select pg_temp.act_as('t-mun-a');
select app.report_summary(pg_temp.fx('campaign:spring'))::jsonb as m \gset
reset role;
select is(:'m'::jsonb -> 'scope',
  jsonb_build_object('kind', 'municipality', 'region_id', pg_temp.fx('region:T1'), 'region_name', 'Тестовая область',
                     'municipality_id', pg_temp.fx('municipality:T1-A')),
  'a municipality''s scope is itself');
select is((select jsonb_agg(x ->> 'name') from jsonb_array_elements(:'m'::jsonb -> 'municipalities') x),
  '["Альфинский район"]'::jsonb, 'a municipality gets only its own row');
select is(:'m'::jsonb -> 'region', (:'m'::jsonb -> 'municipalities' -> 0) - 'municipality_id' - 'name',
  'a municipality''s region is restricted to it (equal to its row)');
select is((:'m'::jsonb -> 'municipalities' -> 0), (:'s'::jsonb -> 'municipalities' -> 0),
  'its row is the same as in the committee''s summary');
select is(:'m'::jsonb -> 'regional_execution', 'null'::jsonb, 'a municipality gets no regional_execution');

select pg_temp.act_as('t-loiro');
select is((app.report_summary(pg_temp.fx('campaign:spring'))::jsonb - 'generated_at'), (:'s'::jsonb - 'generated_at'),
  'ЛОИРО gets the same summary as the committee');
select is(app.report_summary(pg_temp.fx('campaign:t2'))::text, null, 'a campaign of another region is not visible (404)');
select is(app.report_summary(-1)::text, null, 'an unknown campaign is NULL (404)');
reset role;
select pg_temp.act_as('t-committee2');
select is(app.report_summary(pg_temp.fx('campaign:spring'))::text, null, 'another region''s committee cannot see the summary');
reset role;
select pg_temp.act_as('t-school-a1');
select throws_ok(format('select app.report_summary(%s)', pg_temp.fx('campaign:spring')), '42501', null,
  'a school may not call the summary');
reset role;

-- Programs ----------------------------------------------------------------------------------------
select pg_temp.act_as('t-committee');
select app.report_programs(pg_temp.fx('campaign:spring'))::jsonb as p \gset
reset role;
select is(:'p'::jsonb -> 'region', :'s'::jsonb #> '{region,programs}', 'report_programs'' region equals the summary''s programs');
select is((select jsonb_agg(x) from jsonb_array_elements(:'p'::jsonb -> 'municipalities') x),
  (select jsonb_agg(jsonb_build_object('municipality_id', x -> 'municipality_id', 'name', x -> 'name') || (x -> 'programs'))
   from jsonb_array_elements(:'s'::jsonb -> 'municipalities') x),
  'report_programs'' rows equal the summary''s programs per municipality');
select is((select x -> 'programs' from jsonb_array_elements(:'s'::jsonb -> 'municipalities') x where x ->> 'name' = 'Альфинский район'),
  '{"needed": 1, "not_started": 0, "draft": 1, "submitted": 0, "returned": 0, "approved": 1,
    "measures_total": 3, "measures_done": 1, "measures_overdue": 1}'::jsonb,
  'T1-A: one school needs a program (it is approved), the other has a draft without needing one; measures of current programs');
select pg_temp.act_as('t-mun-b');
select is(app.report_programs(pg_temp.fx('campaign:spring'))::jsonb #> '{municipalities}',
  jsonb_build_array(jsonb_build_object('municipality_id', pg_temp.fx('municipality:T1-B'), 'name', 'Бетинский район',
    'needed', 1, 'not_started', 1, 'draft', 0, 'submitted', 0, 'returned', 0, 'approved', 0,
    'measures_total', 0, 'measures_done', 0, 'measures_overdue', 0)),
  'a municipality sees only its own program counters');
reset role;

-- Schools --------------------------------------------------------------------------------------------
select pg_temp.act_as('t-committee');
select app.report_schools(pg_temp.fx('campaign:spring'), null, null, null)::jsonb as l \gset
reset role;
select is((select jsonb_agg(i ->> 'code') from jsonb_array_elements(:'l'::jsonb -> 'items') i),
  '["T1-A-3", "T1-A-2", "T1-A-1", "T1-B-2", "T1-B-1", "T1-B-3", "T1-B-4"]'::jsonb,
  'the school list covers every targeted school, by municipality name then short name');
select is((:'l'::jsonb) - 'items', jsonb_build_object('campaign_id', pg_temp.fx('campaign:spring'), 'total', 7, 'limit', 50, 'offset', 0),
  'the list has campaign_id, total, limit and offset');
select is((select i - 'school_id' - 'municipality_id' from jsonb_array_elements(:'l'::jsonb -> 'items') i where i ->> 'code' = 'T1-A-1'),
  '{"code": "T1-A-1", "short_name": "СОШ № 1 Альфинск", "municipality_name": "Альфинский район", "status": "accepted",
    "total_points": 4, "max_points": 7, "percent": 57.14, "level": "basic", "previous_level": "medium", "change": "fell",
    "deficits": 1, "growth": 1, "program_status": "approved", "measures_done": 1, "measures_overdue": 1}'::jsonb,
  'a school''s item: result, percentage, previous level and change, deficits, growth, its program and measures');
select is((select i - 'school_id' - 'municipality_id' - 'code' - 'short_name' - 'municipality_name'
           from jsonb_array_elements(:'l'::jsonb -> 'items') i where i ->> 'code' = 'T1-B-2'),
  '{"status": "submitted", "total_points": null, "max_points": null, "percent": null, "level": null, "previous_level": null,
    "change": null, "deficits": null, "growth": null, "program_status": null, "measures_done": null, "measures_overdue": null}'::jsonb,
  'a submitted (not yet accepted) school shows no result, deficits or program');
select is((select jsonb_agg(jsonb_build_array(i ->> 'code', i ->> 'status', i ->> 'level', i ->> 'change', i -> 'deficits'))
           from jsonb_array_elements(:'l'::jsonb -> 'items') i),
  (select jsonb_agg(jsonb_build_array(sc.code, coalesce(s.status, 'not_started'),
                                      case when s.status = 'accepted' then s.level end,
                                      case when s.status = 'accepted' then x.change end,
                                      case when s.status = 'accepted' then to_jsonb((select count(*) from app.deficits d
                                        where d.submission_id = s.id and d.kind = 'deficit')) else 'null' end)
                    order by m.name, sc.short_name)
   from app.campaign_schools c join app.schools sc on sc.id = c.school_id join app.municipalities m on m.id = sc.municipality_id
   left join app.submissions s on s.campaign_id = c.campaign_id and s.school_id = c.school_id
   left join lateral (select case sign(array_position('{below_basic,basic,medium,high}'::text[], s.level)
                                       - array_position('{below_basic,basic,medium,high}'::text[], p.level))
                               when 1 then 'rose' when -1 then 'fell' when 0 then 'same' end as change
                      from app.submissions p where p.campaign_id = pg_temp.fx('campaign:autumn') and p.school_id = sc.id
                        and p.status = 'accepted') x on true
   where c.campaign_id = pg_temp.fx('campaign:spring')),
  'every school''s status, level, change and deficit count equal those recomputed from the raw rows');
select pg_temp.act_as('t-committee');
select is((select jsonb_agg(i ->> 'code') from jsonb_array_elements(
             app.report_schools(pg_temp.fx('campaign:spring'), pg_temp.fx('municipality:T1-B'), 2, 1)::jsonb -> 'items') i),
  '["T1-B-1", "T1-B-3"]'::jsonb, 'the list filters by municipality and pages with limit and offset');
select is(pg_temp.error_of(format('select app.report_schools(%s, null, 501, -1)', pg_temp.fx('campaign:spring'))) -> 'hint',
  '[{"field": "limit", "code": "invalid", "message": "Допустимо от 1 до 500"},
    {"field": "offset", "code": "invalid", "message": "Не может быть отрицательным"}]'::jsonb,
  'limit over 500 and a negative offset are refused');
select is((app.report_schools(pg_temp.fx('campaign:spring'), null, 500, 0)::jsonb ->> 'limit'), '500', 'a limit of 500 is allowed');
reset role;
select pg_temp.act_as('t-mun-b');
select is((select jsonb_agg(i ->> 'code') from jsonb_array_elements(
             app.report_schools(pg_temp.fx('campaign:spring'), null, null, null)::jsonb -> 'items') i),
  '["T1-B-2", "T1-B-1", "T1-B-3", "T1-B-4"]'::jsonb, 'a municipality lists only its own schools');
select is(app.report_schools(pg_temp.fx('campaign:spring'), pg_temp.fx('municipality:T1-A'), null, null)::jsonb - 'campaign_id',
  '{"items": [], "total": 0, "limit": 50, "offset": 0}'::jsonb, 'asking for another municipality''s schools gives none');
reset role;

-- Deficits ------------------------------------------------------------------------------------------
select pg_temp.act_as('t-committee');
select app.report_deficits(pg_temp.fx('campaign:spring'), null)::jsonb as d \gset
reset role;
select is((:'d'::jsonb) - 'items', jsonb_build_object('campaign_id', pg_temp.fx('campaign:spring'), 'municipality_id', null, 'assessed', 3),
  'the deficits report counts the accepted submissions as assessed');
select is((select jsonb_agg(jsonb_build_array(i ->> 'indicator_code', i -> 'critical', i -> 'deficit_schools', i -> 'growth_schools',
                                              i -> 'share', i -> 'states'))
           from jsonb_array_elements(:'d'::jsonb -> 'items') i),
  '[["I1", true, 1, 0, 0.3333, {"open": 1, "in_work": 0, "eliminated": 0, "closed": 0}],
    ["I2", false, 1, 1, 0.3333, {"open": 0, "in_work": 0, "eliminated": 0, "closed": 1}],
    ["I3", false, 1, 0, 0.3333, {"open": 0, "in_work": 1, "eliminated": 0, "closed": 0}],
    ["H1", false, 0, 1, 0.0000, {"open": 0, "in_work": 0, "eliminated": 0, "closed": 0}],
    ["I4", false, 0, 1, 0.0000, {"open": 0, "in_work": 0, "eliminated": 0, "closed": 0}]]'::jsonb,
  'every code with a deficit or growth row: critical first, then deficit schools; share of assessed; states of the deficits');
select is((select jsonb_object_agg(i ->> 'indicator_code', jsonb_build_array((i ->> 'deficit_schools')::int, (i ->> 'growth_schools')::int))
           from jsonb_array_elements(:'d'::jsonb -> 'items') i),
  (select jsonb_object_agg(code, jsonb_build_array(dn, gn)) from (
     select x.code, count(*) filter (where d.kind = 'deficit')::int as dn, count(*) filter (where d.kind = 'growth')::int as gn
     from app.deficits d join app.indicators x on x.id = d.indicator_id join app.submissions s on s.id = d.submission_id
     where s.campaign_id = pg_temp.fx('campaign:spring') and s.status = 'accepted' group by x.code) t),
  'deficit and growth schools per code equal those recomputed from the raw rows (submitted and returned not counted)');
select is((:'d'::jsonb #> '{items,0}') - 'deficit_schools' - 'growth_schools' - 'share' - 'states' - 'critical',
  '{"indicator_code": "I1", "indicator_text": "Рабочие программы по ФРП", "direction_code": "d1", "direction_title": "Знание"}'::jsonb,
  'an item names its indicator and direction');
select pg_temp.act_as('t-committee');
select is((select jsonb_agg(i ->> 'indicator_code') from jsonb_array_elements(
             app.report_deficits(pg_temp.fx('campaign:spring'), pg_temp.fx('municipality:T1-B'))::jsonb -> 'items') i),
  '["I1", "I2"]'::jsonb, 'the deficits report filters by municipality');
reset role;
select pg_temp.act_as('t-mun-a');
select is(app.report_deficits(pg_temp.fx('campaign:spring'), null)::jsonb ->> 'assessed', '2',
  'a municipality''s deficits report covers its own schools only');
select is(app.report_deficits(pg_temp.fx('campaign:spring'), pg_temp.fx('municipality:T1-B'))::jsonb -> 'items', '[]'::jsonb,
  'and asking for another municipality gives nothing');
select is(app.report_deficits(pg_temp.fx('campaign:t2'), null)::text, null, 'a campaign of another region is NULL (404)');
reset role;

-- The school card -------------------------------------------------------------------------------------
select pg_temp.act_as('t-school-a1');
select app.school_card(pg_temp.fx('school:T1-A-1'))::jsonb as c \gset
select is(app.school_card(pg_temp.fx('school:T1-A-2'))::text, null, 'a school cannot see another school''s card (404)');
reset role;
select is((:'c'::jsonb -> 'school') - 'id' - 'municipality_id',
  '{"code": "T1-A-1", "name": "Средняя школа № 1 Альфинска", "short_name": "СОШ № 1 Альфинск", "municipality_name": "Альфинский район",
    "address": "Тестовый адрес", "education_levels": ["primary", "basic", "secondary"]}'::jsonb,
  'the card names the school');
select is((select jsonb_agg(jsonb_build_array(r ->> 'campaign_title', r ->> 'level')) from jsonb_array_elements(:'c'::jsonb -> 'results') r),
  '[["Весна", "basic"], ["Осень", "medium"]]'::jsonb, 'the card has the school''s results over the campaigns, newest first');
select is((:'c'::jsonb #>> '{deficits,campaign_id}')::bigint, pg_temp.fx('campaign:spring'),
  'its deficits are those of the latest scored campaign');
select is((:'c'::jsonb #>> '{program,id}')::bigint, pg_temp.fx('program:a1'), 'its program is that campaign''s current program');
select pg_temp.act_as('t-mun-b');
select is(app.school_card(pg_temp.fx('school:T1-A-1'))::text, null, 'a municipality cannot see another municipality''s school card');
select is((app.school_card(pg_temp.fx('school:T1-B-1'))::jsonb -> 'program'), 'null'::jsonb,
  'a school without a program has program null');
reset role;
select pg_temp.act_as('t-loiro');
select is((app.school_card(pg_temp.fx('school:T1-A-1'))::jsonb - 'generated_at'), (:'c'::jsonb - 'generated_at'),
  'ЛОИРО sees the same card');
reset role;

-- Exports ----------------------------------------------------------------------------------------------
select results_eq($$
  select p.proname::text collate "default", pg_get_function_result(p.oid)
  from pg_proc p where p.pronamespace = 'app'::regnamespace and p.proname like 'report\_%\_rows' order by 1 $$,
  $$ values
    ('report_deficit_rows', 'TABLE("Код показателя" text, "Показатель" text, "Код направления" text, "Направление" text, "Критический" text, "Школ с дефицитом" integer, "Школ с зоной роста" integer, "Доля школ с дефицитом %" numeric, "Дефицитов открыто" integer, "Дефицитов в работе" integer, "Дефицитов устранено" integer, "Дефицитов закрыто" integer)'),
    ('report_execution_rows', 'TABLE("Вид документа" text, "Номер документа" text, "Дата документа" date, "Документ" text, "Пункт" text, "Содержание" text, "Срок" date, "Срок по документу" text, "Исполнитель" text, "Муниципалитет" text, "Статус" text, "Просрочено" text, "Дата отчёта" date, "Отчёт" text)'),
    ('report_municipality_rows', 'TABLE("Муниципалитет" text, "Школ в кампании" integer, "Не начали" integer, "Заполняют" integer, "На проверке" integer, "Приняты" integer, "Возвращены" integer, "Доля принятых %" text, "Ниже базового" integer, "Базовый" integer, "Средний" integer, "Высокий" integer, "Средний результат %" text, "Сравнимы с прошлой кампанией" integer, "Уровень повысился" integer, "Уровень понизился" integer, "Уровень не изменился" integer, "Нужна программа" integer, "Программа не начата" integer, "Программ в черновике" integer, "Программ на согласовании" integer, "Программ возвращено" integer, "Программ утверждено" integer, "Мероприятий всего" integer, "Мероприятий выполнено" integer, "Мероприятий просрочено" integer, "Поручений всего" integer, "Поручений на проверке" integer, "Поручений принято" integer, "Поручений просрочено" integer)'),
    ('report_program_rows', 'TABLE("Муниципалитет" text, "Код школы" text, "Школа" text, "Дефицитов" integer, "Статус программы" text, "Редакция" integer, "Начало периода" date, "Окончание периода" date, "Мероприятий всего" integer, "Мероприятий выполнено" integer, "Мероприятий просрочено" integer)'),
    ('report_school_rows', 'TABLE("Муниципалитет" text, "Код школы" text, "Школа" text, "Статус анкеты" text, "Баллы" integer, "Максимум баллов" integer, "Результат %" numeric, "Уровень" text, "Уровень в прошлой кампании" text, "Динамика" text, "Дефицитов" integer, "Зон роста" integer, "Программа развития" text, "Мероприятий всего" integer, "Мероприятий выполнено" integer, "Мероприятий просрочено" integer)') $$,
  'the five export row functions return sets with these Russian column names and types (names ending in % are fractions)');
select is_empty($$ select p.proname from pg_proc p where p.pronamespace = 'app'::regnamespace
                   and p.proname like 'report\_%\_rows' and not p.proretset $$,
  'every export row function is set-returning (rows stream; no single JSON value)');

select pg_temp.act_as('t-committee');
select results_eq(format($$ select "Муниципалитет", "Школ в кампании", "Не начали", "Заполняют", "На проверке", "Приняты",
                                   "Возвращены", "Ниже базового", "Базовый", "Средний", "Высокий", "Сравнимы с прошлой кампанией",
                                   "Уровень повысился", "Уровень понизился", "Уровень не изменился", "Нужна программа",
                                   "Программа не начата", "Программ утверждено", "Мероприятий просрочено",
                                   "Поручений всего", "Поручений принято", "Поручений просрочено"
                            from app.report_municipality_rows(%s) $$, pg_temp.fx('campaign:spring')),
  format($$ select coalesce(x ->> 'name', 'Итого'), (x ->> 'schools')::int, (x ->> 'not_started')::int, (x ->> 'in_progress')::int,
                   (x ->> 'submitted')::int, (x ->> 'accepted')::int, (x ->> 'returned')::int,
                   (x #>> '{levels,below_basic}')::int, (x #>> '{levels,basic}')::int, (x #>> '{levels,medium}')::int,
                   (x #>> '{levels,high}')::int, (x #>> '{change,compared}')::int, (x #>> '{change,rose}')::int,
                   (x #>> '{change,fell}')::int, (x #>> '{change,same}')::int, (x #>> '{programs,needed}')::int,
                   (x #>> '{programs,not_started}')::int, (x #>> '{programs,approved}')::int,
                   (x #>> '{programs,measures_overdue}')::int, (x #>> '{execution,total}')::int,
                   (x #>> '{execution,accepted}')::int, (x #>> '{execution,overdue}')::int
            from (select x, o from jsonb_array_elements(%L::jsonb -> 'municipalities') with ordinality t(x, o)
                  union all select %L::jsonb -> 'region', 1000) t order by o $$, :'s', :'s'),
  '«Сводка по МО»: a row per municipality (zeros included) then «Итого», the same numbers as the summary');
select results_eq(format($$ select "Доля принятых %%", "Средний результат %%" from app.report_municipality_rows(%s) $$, pg_temp.fx('campaign:spring')),
  $$ values ('0.6667', '0.6190'), ('0.2500', '0.5714'), (null, null), ('0.4286', '0.6032') $$,
  'the % columns are fractions for the XLSX (accepted ÷ schools, the mean result), which shows them as percentages');
select set_config('orientir.report_decimal', 'comma', true);
select results_eq(format($$ select "Доля принятых %%", "Средний результат %%" from app.report_municipality_rows(%s) $$, pg_temp.fx('campaign:spring')),
  $$ values ('66,7', '61,9'), ('25,0', '57,1'), (null, null), ('42,9', '60,3') $$,
  'for a semicolon CSV they are 0–100 with one decimal and a decimal comma (Russian Excel reads numbers)');
select set_config('orientir.report_decimal', 'point', true);
select results_eq(format($$ select "Доля принятых %%" from app.report_municipality_rows(%s) $$, pg_temp.fx('campaign:spring')),
  $$ values ('66.7'), ('25.0'), (null), ('42.9') $$, 'for a comma CSV, with a point');
select set_config('orientir.report_decimal', '', true);
select results_eq(format($$ select "Код школы", "Статус анкеты", "Баллы", "Результат %%", "Уровень", "Уровень в прошлой кампании",
                                   "Динамика", "Дефицитов", "Программа развития", "Мероприятий просрочено"
                            from app.report_school_rows(%s) $$, pg_temp.fx('campaign:spring')),
  $$ values ('T1-A-3', 'Возвращена', null::int, null::numeric, null, null, null, null::int, null, null::int),
            ('T1-A-2', 'Принята', 4, 0.6667, 'Средний', 'Ниже базового', 'Повысился', 0, 'Черновик', 0),
            ('T1-A-1', 'Принята', 4, 0.5714, 'Базовый', 'Средний', 'Понизился', 1, 'Утверждена', 1),
            ('T1-B-2', 'На проверке', null, null, null, null, null, null, null, null),
            ('T1-B-1', 'Принята', 4, 0.5714, 'Ниже базового', 'Ниже базового', 'Без изменений', 2, null, null),
            ('T1-B-3', 'Заполняется', null, null, null, null, null, null, null, null),
            ('T1-B-4', 'Не начата', null, null, null, null, null, null, null, null) $$,
  '«Школы»: every targeted school in list order, statuses and levels in Russian');
select results_eq(format($$ select "Код показателя", "Критический", "Школ с дефицитом", "Доля школ с дефицитом %%", "Дефицитов закрыто"
                            from app.report_deficit_rows(%s) $$, pg_temp.fx('campaign:spring')),
  format($$ select i ->> 'indicator_code', case when (i ->> 'critical')::boolean then 'да' else 'нет' end,
                   (i ->> 'deficit_schools')::int, (i ->> 'share')::numeric, (i #>> '{states,closed}')::int
            from jsonb_array_elements(%L::jsonb -> 'items') with ordinality t(i, o) order by o $$, :'d'),
  '«Дефициты»: the rows of the deficits report');
select results_eq(format($$ select "Код школы", "Дефицитов", "Статус программы", "Редакция", "Начало периода", "Мероприятий всего",
                                   "Мероприятий выполнено", "Мероприятий просрочено"
                            from app.report_program_rows(%s) $$, pg_temp.fx('campaign:spring')),
  $$ values ('T1-A-2', 0, 'Черновик', 1, app.moscow_today(), 1, 0, 0),
            ('T1-A-1', 1, 'Утверждена', 1, app.moscow_today() - 30, 2, 1, 1),
            ('T1-B-1', 2, 'Не начата', null, null, null, null, null) $$,
  '«Программы»: each accepted school that needs or has a program, its current program or «Не начата»');
select results_eq($$ select "Пункт", "Исполнитель", "Муниципалитет", "Статус", "Просрочено" from app.report_execution_rows() $$,
  $$ values ('1', 'Альфинский район', 'Альфинский район', 'Принято', 'нет'),
            ('1', 'Бетинский район', 'Бетинский район', 'Не начато', 'да'),
            ('1', 'Цетинский район', 'Цетинский район', 'Не начато', 'да'),
            ('2', 'СОШ № 1 Альфинск', 'Альфинский район', 'В работе', 'нет'),
            ('3', 'Институт развития образования Тестовой области', null, 'Не начато', 'да') $$,
  '«Исполнение»: every record of the region, by document, item number, executor');
reset role;

select pg_temp.act_as('t-mun-a');
select results_eq(format($$ select "Муниципалитет", "Школ в кампании" from app.report_municipality_rows(%s) $$, pg_temp.fx('campaign:spring')),
  $$ values ('Альфинский район', 3), ('Итого', 3) $$, 'a municipality exports its own row and «Итого» over it');
select results_eq(format($$ select "Код школы" from app.report_school_rows(%s) $$, pg_temp.fx('campaign:spring')),
  $$ values ('T1-A-3'), ('T1-A-2'), ('T1-A-1') $$, 'a municipality exports only its own schools');
select results_eq(format($$ select "Код показателя", "Школ с дефицитом" from app.report_deficit_rows(%s) $$, pg_temp.fx('campaign:spring')),
  $$ values ('I3', 1), ('H1', 0), ('I2', 0), ('I4', 0) $$, 'and only its own schools'' deficits');
select results_eq(format($$ select "Код школы" from app.report_program_rows(%s) $$, pg_temp.fx('campaign:spring')),
  $$ values ('T1-A-2'), ('T1-A-1') $$, 'and programs');
select results_eq($$ select "Пункт", "Исполнитель" from app.report_execution_rows() $$,
  $$ values ('1', 'Альфинский район'), ('2', 'СОШ № 1 Альфинск') $$, 'and the records of itself and its schools');
reset role;

select pg_temp.act_as('t-committee2');
select is((select count(*)::int from app.report_execution_rows()), 0, 'another region''s committee exports none of these records');
select is(pg_temp.error_of(format('select * from app.report_school_rows(%s)', pg_temp.fx('campaign:spring'))) - 'hint',
  '{"sqlstate": "OR404", "message": "Кампания не найдена", "detail": "not_found"}'::jsonb,
  'an export of a campaign of another region is OR404');
reset role;
select pg_temp.act_as('t-committee');
select is_empty($$
  select f from unnest(array['report_municipality_rows', 'report_school_rows', 'report_deficit_rows', 'report_program_rows']) f
  where pg_temp.error_of(format('select * from app.%s(null)', f)) ->> 'sqlstate' is distinct from 'OR404'
     or pg_temp.error_of(format('select * from app.%s(%s)', f, pg_temp.fx('campaign:t2'))) ->> 'sqlstate' is distinct from 'OR404' $$,
  'each campaign export function refuses a NULL or invisible campaign with OR404');

-- The export's «Параметры» and audit row ---------------------------------------------------------------
select app.report_export_begin('summary', pg_temp.fx('campaign:spring'), 'xlsx')::jsonb as e \gset
reset role;
select is((select jsonb_agg(r -> 0) from jsonb_array_elements(:'e'::jsonb -> 'rows') r),
  '["Кампания", "Сроки", "Охват", "Выгрузил", "Дата выгрузки"]'::jsonb, '«Параметры» has its five labels in order');
select is((select jsonb_agg(r -> 1) from jsonb_array_elements(:'e'::jsonb -> 'rows') r where r ->> 0 <> 'Дата выгрузки'),
  jsonb_build_array('Весна', to_char(app.moscow_today() - 1, 'DD.MM.YYYY') || ' — ' || to_char(app.moscow_today() + 10, 'DD.MM.YYYY'),
                    'Тестовая область', 'Комитетова Анна Ивановна, Комитет образования Тестовой области'),
  'the campaign, its dates, the region as the scope, who exported');
select ok((:'e'::jsonb #>> '{rows,4,1}') ~ '^\d\d\.\d\d\.\d{4} \d\d:\d\d$'
          and :'e'::jsonb ->> 'filename' = format('orientir-summary-%s-%s', pg_temp.fx('campaign:spring'),
                                                   to_char(now() at time zone 'Europe/Moscow', 'YYYYMMDD-HH24MI')),
  'the export date is ДД.ММ.ГГГГ ЧЧ:ММ and the file name orientir-summary-<id>-<YYYYMMDD-HHMM>, Moscow time');
select results_eq(format($$ select action, entity, entity_id, role, user_id, request_id, before, after from app.audit_log
                            where action = 'export' and request_id like 'test-%%' order by id limit 1 $$),
  format($$ values ('export', 'reports', %s::bigint, 'committee', %s::bigint, 'test-t-committee', null::jsonb,
                    '{"kind": "summary", "format": "xlsx"}'::jsonb) $$, pg_temp.fx('campaign:spring'), pg_temp.fx('user:t-committee')),
  'the export writes one audit row: export of reports, the campaign, who, {kind, format}');
select pg_temp.act_as('t-mun-b');
select is((app.report_export_begin('summary', pg_temp.fx('campaign:spring'), 'csv')::jsonb #>> '{rows,2,1}'), 'Бетинский район',
  'a municipality''s export names the municipality as the scope');
select is(pg_temp.error_of(format($$select app.report_export_begin('summary', %s, 'pdf')$$, pg_temp.fx('campaign:spring'))) -> 'hint',
  '[{"field": "format", "code": "invalid", "message": "Допустимые форматы: xlsx, csv"}]'::jsonb, 'an unknown format is OR422');
select is(pg_temp.error_of(format($$select app.report_export_begin('summary', %s, 'xlsx')$$, pg_temp.fx('campaign:t2'))) ->> 'sqlstate',
  'OR404', 'an export of a campaign of another region is OR404');
reset role;
select is((select count(*)::int from app.audit_log where action = 'export' and request_id like 'test-%'), 2,
  'refused exports write no audit row');
select pg_temp.act_as('t-school-a1');
select throws_ok(format($$select app.report_export_begin('summary', %s, 'xlsx')$$, pg_temp.fx('campaign:spring')), '42501', null,
  'a school may not export a summary');
reset role;

select * from finish();
rollback;
