-- The development-program demo data (sql/demo/programs.sql), when loaded:
-- programs of last year's campaign in every state, consistent with the
-- guards (submitted and approved programs cover every open deficit, due
-- dates within the period, deficits in work exactly where an approved
-- program addresses them), measures in every progress state, the pinned
-- Тихвин schools, practices and partnerships; the demo logins work through
-- the functions. Skipped on a database without the demo data.
begin;
\ir fixtures.psql
select plan(16);
select exists (select 1 from app.programs p join app.regions r on r.id = p.region_id where r.code = '47') as has_demo \gset

\if :has_demo
select id as c_closed from app.campaigns c where c.closes_on < app.moscow_today() order by opens_on desc limit 1 \gset
select id as c_open from app.campaigns c where c.closes_on >= app.moscow_today() order by opens_on desc limit 1 \gset

select results_eq($$ select status from app.programs group by status order by status $$,
  $$ values ('approved'), ('draft'), ('returned'), ('submitted'), ('superseded') $$, 'programs in every state');
select is((select count(distinct s.municipality_id)::int from app.programs p join app.schools s on s.id = p.school_id), 18,
  'programs across all 18 municipalities');
select results_eq($$ select status from app.program_measures group by status order by status $$,
  $$ values ('done'), ('in_progress'), ('not_done'), ('planned') $$, 'measures in every progress state');
select cmp_ok((select count(*)::int from app.program_measures m join app.programs p on p.id = m.program_id
               where p.status = 'approved' and app.measure_overdue(m.due_date, m.status)), '>', 100,
  'many measures of approved programs are overdue');
select results_eq($$ select s.code, p.revision, p.status from app.programs p join app.schools s on s.id = p.school_id
                     where s.code in ('47-16-001', '47-16-002', '47-16-003', '47-16-004', '47-16-006', '47-16-007')
                     order by 1, 2 $$,
  $$ values ('47-16-001', 1, 'approved'), ('47-16-002', 1, 'submitted'), ('47-16-003', 1, 'returned'),
            ('47-16-004', 1, 'draft'), ('47-16-006', 1, 'approved'), ('47-16-006', 2, 'draft'),
            ('47-16-007', 1, 'superseded'), ('47-16-007', 2, 'approved') $$,
  'the pinned Тихвин programs');
select is((select count(*)::int from app.programs p join app.schools s on s.id = p.school_id
           where s.code = '47-16-005' and p.campaign_id = :c_open), 0,
  'school-47-16-005 has no program for the open campaign');
select ok((select bool_or(m.status = 'done') and bool_or(m.status = 'in_progress' and app.measure_overdue(m.due_date, m.status))
           from app.program_measures m join app.programs p on p.id = m.program_id join app.schools s on s.id = p.school_id
           where s.code = '47-16-001'), 'school-47-16-001 has a measure done and one in progress and overdue');
select is_empty($$ select p.id from app.programs p
                   join app.deficits df on df.submission_id = p.submission_id and df.kind = 'deficit'
                                       and df.status in ('open', 'in_work')
                   where p.status in ('submitted', 'approved', 'superseded')
                     and not exists (select 1 from app.program_measure_deficits l join app.program_measures m on m.id = l.measure_id
                                     where l.deficit_id = df.id and m.program_id = p.id) $$,
  'every submitted or approved demo program covers every open deficit');
select is_empty($$ select df.id from app.deficits df
                   where (df.status = 'in_work') <> exists (
                     select 1 from app.program_measure_deficits l join app.program_measures m on m.id = l.measure_id
                     join app.programs p on p.id = m.program_id where l.deficit_id = df.id and p.status = 'approved')
                     and df.status in ('open', 'in_work') $$,
  'deficits are in work exactly where an approved program addresses them');
select results_eq($$ select status from app.deficits group by status order by status $$,
  $$ values ('closed'), ('eliminated'), ('in_work'), ('open') $$, 'deficits in every lifecycle state');
select cmp_ok((select count(*)::int from app.practices p join app.regions r on r.id = p.region_id where r.code = '47'), '>=', 25,
  'about 30 practices of ЛОИРО');
select is_empty($$ select p.id from app.practices p where not exists (select 1 from app.practice_indicators i where i.practice_id = p.id) $$,
  'every practice is linked to indicators');
select is((select count(*)::int from app.partnerships pa join app.schools s on s.id = pa.school_id join app.schools t on t.id = pa.mentor_school_id
           where s.code = '47-16-001' and t.code = '47-16-007'), 1, 'mo-tikhvinsky paired 47-16-001 with mentor 47-16-007');

select pg_temp.act_as('mo-tikhvinsky');
select is(app.program_approve((select p.id from app.programs p join app.schools s on s.id = p.school_id
                               where s.code = '47-16-002' and p.status = 'submitted'), null) ->> 'status',
  'approved', 'mo-tikhvinsky approves the submitted demo program of 47-16-002');
reset role;
select pg_temp.act_as('school-47-16-003');
select is(app.program_get((select p.id from app.programs p join app.schools s on s.id = p.school_id
                           where s.code = '47-16-003')) -> 'history' -> -1 ->> 'action',
  'return', 'school-47-16-003 sees the municipality''s return in its history');
reset role;

select count(*) as programs_before from app.programs \gset
select app.moscow_today() as demo_today \gset
\ir ../../sql/demo/programs.sql
select is((select count(*) from app.programs), :programs_before::bigint, 'loading the demo again adds nothing');
\else
select skip('no demo data loaded', 16);
\endif

select * from finish();
rollback;
