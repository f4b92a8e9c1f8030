-- Demo: one user per organisation, all with the hash :'demo_password_hash'.
--
-- Logins: committee (role committee, the region), loiro (role loiro, the
-- region), mo-<district> per municipality (demo_municipality.login, e.g.
-- mo-vsevolozhsky), school-<school code> per school (e.g. school-47-04-001).
-- Full names are plausible Russian names picked deterministically.

create function pg_temp.demo_person(n integer) returns text
language sql immutable
as $$
  select case when n % 3 = 0
    then format('%s %s %s',
                left(s[1 + n % 30], -1),
                (array['Александр', 'Сергей', 'Андрей', 'Дмитрий', 'Алексей', 'Михаил',
                       'Владимир', 'Игорь', 'Николай', 'Павел', 'Евгений'])[1 + (n * 5) % 11],
                (array['Александрович', 'Сергеевич', 'Владимирович', 'Николаевич', 'Викторович',
                       'Андреевич', 'Михайлович', 'Игоревич', 'Юрьевич', 'Петрович'])[1 + (n * 3) % 10])
    else format('%s %s %s',
                s[1 + n % 30],
                (array['Анна', 'Елена', 'Ольга', 'Наталья', 'Ирина', 'Татьяна', 'Светлана',
                       'Марина', 'Екатерина', 'Юлия', 'Людмила', 'Галина', 'Надежда',
                       'Валентина', 'Оксана'])[1 + (n * 7) % 15],
                (array['Александровна', 'Сергеевна', 'Владимировна', 'Николаевна', 'Викторовна',
                       'Андреевна', 'Михайловна', 'Игоревна', 'Юрьевна', 'Петровна',
                       'Дмитриевна', 'Алексеевна', 'Васильевна'])[1 + (n * 11) % 13])
    end
  from (select array['Иванова', 'Петрова', 'Смирнова', 'Кузнецова', 'Соколова', 'Попова',
                     'Лебедева', 'Козлова', 'Новикова', 'Морозова', 'Волкова', 'Соловьёва',
                     'Васильева', 'Зайцева', 'Павлова', 'Семёнова', 'Голубева', 'Виноградова',
                     'Богданова', 'Воробьёва', 'Фёдорова', 'Михайлова', 'Беляева', 'Тарасова',
                     'Белова', 'Комарова', 'Орлова', 'Киселёва', 'Макарова', 'Андреева'] as s) names
$$;

insert into app.users (login, full_name, role, region_id, password_hash)
select v.login, v.full_name, v.role, r.id, :'demo_password_hash'
from (values ('committee', 'Иванова Мария Петровна', 'committee'),
             ('loiro', 'Смирнов Андрей Викторович', 'loiro')) as v(login, full_name, role)
join app.regions r on r.code = '47'
on conflict (login) do nothing;

insert into app.users (login, full_name, role, municipality_id, password_hash)
select d.login, pg_temp.demo_person(d.ord * 37 + 1), 'municipality', mu.id, :'demo_password_hash'
from demo_municipality d
join app.municipalities mu on mu.code = d.code
order by d.ord
on conflict (login) do nothing;

insert into app.users (login, full_name, role, school_id, password_hash)
select 'school-' || s.code, pg_temp.demo_person(100 + row_number() over (order by s.code)::integer),
       'school', s.id, :'demo_password_hash'
from app.schools s
join app.municipalities mu on mu.id = s.municipality_id
join demo_municipality d on d.code = mu.code
order by s.code
on conflict (login) do nothing;
