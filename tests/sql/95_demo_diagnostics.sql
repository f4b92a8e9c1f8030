-- The self-diagnostic demo data (sql/demo/diagnostics.sql), when loaded: the
-- «Школа Минпросвещения России» instrument and its variants, a closed and an
-- open campaign with schools in every state, results computed by the one
-- scoring function, and the pinned demo logins work through the state
-- functions. Skipped on a database without the demo data.
begin;
\ir fixtures.psql
select plan(16);
select exists (select 1 from app.instruments i join app.regions r on r.id = i.region_id
               where r.code = '47' and i.code = 'shmr') as has_demo \gset

\if :has_demo
select id as shmr from app.instruments where code = 'shmr' and version = 1 \gset
select id as c_open from app.campaigns c where c.closes_on >= app.moscow_today() order by opens_on desc limit 1 \gset
select id as c_closed from app.campaigns c where c.closes_on < app.moscow_today() order by opens_on desc limit 1 \gset

select results_eq($$ select i.code, i.status from app.instruments i join app.regions r on r.id = i.region_id
                     where r.code = '47' order by i.code $$,
  $$ values ('shmr', 'published'), ('shmr-noo', 'published'), ('shmr-oo', 'published') $$,
  'three published variants: shmr, shmr-oo, shmr-noo');
select results_eq(format($$ select title::text collate "default" from app.directions where instrument_id = %s order by position $$, :shmr),
  $$ values ('Знание'), ('Воспитание'), ('Здоровье'), ('Творчество'), ('Профориентация'),
            ('Учитель. Школьная команда'), ('Школьный климат'), ('Образовательная среда') $$,
  'shmr has the eight directions of «Школа Минпросвещения России»');
select cmp_ok((select count(*)::int from app.indicators where instrument_id = :shmr), '>=', 80, 'shmr has at least 80 indicators');
select ok((select count(*) filter (where critical) between 3 and 15 and count(*) filter (where max_points > 1) >= 10
           from app.indicators where instrument_id = :shmr), 'several critical indicators, and graded ones besides yes/no');
select is((select count(*)::int from app.campaigns c join app.regions r on r.id = c.region_id where r.code = '47'), 2,
  'two campaigns');
select is((select array[app.campaign_status(opens_on, closes_on)] from app.campaigns where id = :c_closed)
          || (select array[app.campaign_status(opens_on, closes_on)] from app.campaigns where id = :c_open),
  array['closed', 'open'], 'one closed a year ago, one open now');
select is((select count(*)::int from app.campaign_schools where campaign_id = :c_open),
          (select count(*)::int from app.schools where code like '47-%'), 'every demo school is targeted, each with a fitting variant');
select ok((select count(*) filter (where status = 'accepted') >= 0.9 * (select count(*) from app.campaign_schools where campaign_id = :c_closed)
           from app.submissions where campaign_id = :c_closed), 'almost every school was accepted in the closed campaign');
select is((select array_agg(distinct level order by level) from app.submissions where campaign_id = :c_closed and level is not null),
  array['basic', 'below_basic', 'high', 'medium'], 'the closed campaign has a spread of all four levels');
select results_eq(format($$ select s.code, coalesce(sub.status, 'not_started') from app.schools s
                            left join app.submissions sub on sub.school_id = s.id and sub.campaign_id = %s
                            where s.code between '47-16-001' and '47-16-005' order by 1 $$, :c_open),
  $$ values ('47-16-001', 'not_started'), ('47-16-002', 'draft'), ('47-16-003', 'submitted'),
            ('47-16-004', 'returned'), ('47-16-005', 'accepted') $$,
  'the pinned Тихвин schools are in every state of the open campaign');
select is_empty($$ select s.id from app.submissions s
                   where s.total_points is distinct from
                         (select case when s.total_points is null then null else coalesce(sum(a.points), 0) end
                          from app.answers a where a.submission_id = s.id)
                      or (s.status <> 'draft' and (select count(*) from app.answers a where a.submission_id = s.id)
                                                  <> (select count(*) from app.indicators x where x.instrument_id = s.instrument_id)) $$,
  'every scored demo submission is complete and its total is the sum of its answers');
select is_empty($$ select d.id from app.deficits d join app.submissions s on s.id = d.submission_id
                   where d.official <> (s.status = 'accepted') $$,
  'deficits are official exactly for accepted submissions');

select pg_temp.act_as('school-47-16-005');
select is(json_array_length(app.school_results((select id from app.schools where code = '47-16-005')) -> 'items'), 2,
  'school-47-16-005 sees its results of both campaigns');
reset role;
select pg_temp.act_as('school-47-16-001');
select is(app.submission_open(:c_open) ->> 'created', 'true', 'school-47-16-001 opens its draft in the open campaign');
reset role;
select pg_temp.act_as('mo-tikhvinsky');
select is(app.submission_accept((select id from app.submissions where campaign_id = :c_open
                                 and school_id = (select id from app.schools where code = '47-16-003')), null) ->> 'status',
  'accepted', 'mo-tikhvinsky accepts the submitted demo submission of school 47-16-003');
reset role;
select pg_temp.act_as('school-47-16-004');
select is(app.submission_get((select id from app.submissions where campaign_id = :c_open
                              and school_id = (select id from app.schools where code = '47-16-004'))) -> 'history' -> -1 ->> 'action',
  'return', 'school-47-16-004 sees the municipality''s return in its history');
reset role;
\else
select skip('no demo data loaded', 16);
\endif

select * from finish();
rollback;
