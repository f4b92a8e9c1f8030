-- The demo data (sql/demo), when it is loaded: the real 18 municipalities,
-- a realistic spread of schools, one user per organisation, and the demo
-- logins behave like any other user. Skipped on a database without it.
begin;
\ir fixtures.psql
select plan(12);
select exists (select 1 from app.regions where code = '47') as has_demo \gset

\if :has_demo
select results_eq($$
  select m.code, m.name::text collate "default" from app.municipalities m join app.regions r on r.id = m.region_id
  where r.code = '47' order by m.code $$,
  $$ values ('47-01', 'Бокситогорский муниципальный район'), ('47-02', 'Волосовский муниципальный район'),
            ('47-03', 'Волховский муниципальный район'), ('47-04', 'Всеволожский муниципальный район'),
            ('47-05', 'Выборгский муниципальный район'), ('47-06', 'Гатчинский муниципальный район'),
            ('47-07', 'Кингисеппский муниципальный район'), ('47-08', 'Киришский муниципальный район'),
            ('47-09', 'Кировский муниципальный район'), ('47-10', 'Лодейнопольский муниципальный район'),
            ('47-11', 'Ломоносовский муниципальный район'), ('47-12', 'Лужский муниципальный район'),
            ('47-13', 'Подпорожский муниципальный район'), ('47-14', 'Приозерский муниципальный район'),
            ('47-15', 'Сланцевский муниципальный район'), ('47-16', 'Тихвинский муниципальный район'),
            ('47-17', 'Тосненский муниципальный район'), ('47-18', 'Сосновоборский городской округ') $$,
  'the 18 municipal formations of Leningrad Oblast with stable codes');
select cmp_ok((select count(*)::int from app.schools where code like '47-%'), '>=', 300, 'at least 300 schools');
select is((select mu.code from app.schools s join app.municipalities mu on mu.id = s.municipality_id
           where mu.code like '47-%' group by mu.code order by count(*) desc limit 1), '47-04',
  'Всеволожский district has the most schools');
select cmp_ok((select min(n) from (select count(*)::int n from app.schools s join app.municipalities mu
                                    on mu.id = s.municipality_id where mu.code like '47-%' group by mu.code) c),
  '>=', 8, 'every municipality has at least 8 schools');
select ok((select count(*) filter (where unfavorable_conditions)::numeric / count(*) between 0.05 and 0.2
           from app.schools where code like '47-%'), 'about one school in ten works in unfavourable conditions');
select ok((select count(distinct education_levels) = 4 and bool_or(has_ovz_pupils) and bool_or(not has_ovz_pupils)
                  and bool_or(is_rural) and bool_or(not is_rural)
           from app.schools where code like '47-%'),
  'a mix of levels (СОШ, basic, primary-only, lyceums without primary), ОВЗ, rural and town schools');
select is_empty($$ select s.code from app.schools s where s.code like '47-%'
                   and not exists (select 1 from app.users u where u.login = 'school-' || s.code and u.school_id = s.id) $$,
  'every demo school has its user school-<code>');
select is((select count(*)::int from app.users u join app.municipalities m on m.id = u.municipality_id
           where m.code like '47-%' and u.login like 'mo-%'), 18, 'every municipality has its user mo-<district>');
select results_eq($$ select login, role from app.users where login in ('committee', 'loiro') order by login $$,
  $$ values ('committee', 'committee'), ('loiro', 'loiro') $$, 'the committee and ЛОИРО users exist');
select pg_temp.act_as('mo-vsevolozhsky');
select is((app.schools_list(null, null, 50, 0) ->> 'total')::int,
          (select count(*)::int from app.schools s join app.municipalities m on m.id = s.municipality_id
           where m.code = '47-04'),
  'mo-vsevolozhsky sees exactly the schools of Всеволожский district');
select pg_temp.act_as('school-47-16-001');
select is(app.schools_list(null, null, 50, 0) -> 'items' -> 0 ->> 'short_name', 'СОШ № 1 г. Тихвин',
  'school-47-16-001 sees itself: СОШ № 1 г. Тихвин');
select pg_temp.act_as('committee');
select is((app.schools_list(null, null, 50, 0) ->> 'total')::int,
          (select count(*)::int from app.schools where code like '47-%'),
  'the demo committee sees every school of Leningrad Oblast');
reset role;
\else
select skip('no demo data loaded', 12);
\endif

select * from finish();
rollback;
