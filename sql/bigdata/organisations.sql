-- Big data: regions, municipalities and schools of a Russia-sized data set.
-- Included by load.sql inside its transaction. Set-based, deterministic:
-- every size and flag is drawn from pg_temp.bd_u(key), a hash of the
-- organisation's number or code (never of a generated id), so the shape is the
-- same whatever the database held before.
--
--   89 regions ru-01 … ru-89 (the names of the subjects of the Russian
--   Federation, in the order of the Constitution; codes are positions, not the
--   official subject numbers, so they never clash with the demo region '47'),
--   each with 8–37 municipalities of 4–35 schools (about 2,000 municipalities
--   and 41,000 schools in all), and one oversized synthetic region ru-99 of
--   50 municipalities × 200 = 10,000 schools.

create temp table bd_region on commit drop as
select format('ru-%s', lpad(r.ord::text, 2, '0')) as code, r.name, r.ord::integer as ord,
       (8 + floor(30 * pg_temp.bd_u(r.ord * 7919 + 1)))::integer as municipalities,
       0 as schools_each
from unnest(array[
  'Республика Адыгея', 'Республика Башкортостан', 'Республика Бурятия', 'Республика Алтай',
  'Республика Дагестан', 'Республика Ингушетия', 'Кабардино-Балкарская Республика', 'Республика Калмыкия',
  'Карачаево-Черкесская Республика', 'Республика Карелия', 'Республика Коми', 'Республика Марий Эл',
  'Республика Мордовия', 'Республика Саха (Якутия)', 'Республика Северная Осетия — Алания',
  'Республика Татарстан', 'Республика Тыва', 'Удмуртская Республика', 'Республика Хакасия',
  'Чеченская Республика', 'Чувашская Республика', 'Алтайский край', 'Краснодарский край',
  'Красноярский край', 'Приморский край', 'Ставропольский край', 'Хабаровский край', 'Амурская область',
  'Архангельская область', 'Астраханская область', 'Белгородская область', 'Брянская область',
  'Владимирская область', 'Волгоградская область', 'Вологодская область', 'Воронежская область',
  'Ивановская область', 'Иркутская область', 'Калининградская область', 'Калужская область',
  'Камчатский край', 'Кемеровская область — Кузбасс', 'Кировская область', 'Костромская область',
  'Курганская область', 'Курская область', 'Ленинградская область', 'Липецкая область',
  'Магаданская область', 'Московская область', 'Мурманская область', 'Нижегородская область',
  'Новгородская область', 'Новосибирская область', 'Омская область', 'Оренбургская область',
  'Орловская область', 'Пензенская область', 'Пермский край', 'Псковская область', 'Ростовская область',
  'Рязанская область', 'Самарская область', 'Саратовская область', 'Сахалинская область',
  'Свердловская область', 'Смоленская область', 'Тамбовская область', 'Тверская область',
  'Томская область', 'Тульская область', 'Тюменская область', 'Ульяновская область',
  'Челябинская область', 'Забайкальский край', 'Ярославская область', 'Москва', 'Санкт-Петербург',
  'Еврейская автономная область', 'Ненецкий автономный округ',
  'Ханты-Мансийский автономный округ — Югра', 'Чукотский автономный округ',
  'Ямало-Ненецкий автономный округ', 'Республика Крым', 'Севастополь', 'Донецкая Народная Республика',
  'Луганская Народная Республика', 'Запорожская область', 'Херсонская область'
]) with ordinality r(name, ord)
union all
select 'ru-99', 'Синтетический регион (10 000 школ)', 99, 50, 200;

insert into app.regions (code, name, committee_name, institute_name)
select b.code, b.name,
       format('Орган управления образованием: %s', b.name),
       format('Институт развития образования: %s', b.name)
from bd_region b
order by b.ord;

-- Municipalities: an adjective and a kind, e.g. «Берёзовский муниципальный район».
insert into app.municipalities (region_id, code, name)
select r.id, format('%s-%s', b.code, lpad(m.n::text, 3, '0')),
       format('%s %s',
              (array['Берёзовский', 'Озёрский', 'Каменский', 'Ключевской', 'Сосновский', 'Лесной',
                     'Заречный', 'Луговской', 'Приморский', 'Советский', 'Первомайский', 'Октябрьский',
                     'Кировский', 'Ленинский', 'Центральный', 'Северный', 'Южный', 'Восточный',
                     'Западный', 'Зелёный', 'Красноярский', 'Светлый', 'Тихий', 'Песчаный', 'Лиственный',
                     'Родниковый', 'Полевой', 'Горный', 'Степной', 'Таёжный', 'Речной', 'Озерной',
                     'Кедровый', 'Ольховский', 'Дубовский', 'Рябиновский', 'Липовский', 'Солнечный',
                     'Ясный', 'Новосельский'])[1 + (m.n * 7 + b.ord) % 40],
              (array['муниципальный район', 'муниципальный округ', 'городской округ'])[1 + (m.n + b.ord) % 3])
       || case when m.n > 40 then format(' № %s', m.n) else '' end
from bd_region b
join app.regions r on r.code = b.code
cross join lateral generate_series(1, b.municipalities) m(n)
order by b.ord, m.n;

-- Schools: 4–35 per municipality (200 in the oversized region). Kind by the
-- levels it teaches: СОШ (all three, 70 %), ООШ (primary and basic, 20 %),
-- НОШ (primary only, 10 %).
insert into app.schools (code, municipality_id, name, short_name, address, is_rural,
                         unfavorable_conditions, education_levels, has_ovz_pupils)
select format('%s-%s', mu.code, lpad(s.n::text, 3, '0')), mu.id,
       format('Муниципальное бюджетное общеобразовательное учреждение «%s № %s»', k.full, s.n),
       format('%s № %s', k.short, s.n),
       format('%s, ул. Школьная, д. %s', mu.name, s.n),
       pg_temp.bd_u(hashtext(mu.code)::bigint * 1000 + s.n * 3 + 1) < 0.45,
       pg_temp.bd_u(hashtext(mu.code)::bigint * 1000 + s.n * 3 + 2) < 0.08,
       k.levels,
       pg_temp.bd_u(hashtext(mu.code)::bigint * 1000 + s.n * 3 + 3) < 0.3
from bd_region b
join app.regions r on r.code = b.code
join app.municipalities mu on mu.region_id = r.id
cross join lateral generate_series(1, case when b.schools_each > 0 then b.schools_each
                                           else (4 + floor(32 * pg_temp.bd_u(hashtext(mu.code)::bigint * 104729 + 5)))::integer end) s(n)
cross join lateral (
  select case when u < 0.7 then 'Средняя общеобразовательная школа'
              when u < 0.9 then 'Основная общеобразовательная школа'
              else 'Начальная общеобразовательная школа' end as full,
         case when u < 0.7 then 'СОШ' when u < 0.9 then 'ООШ' else 'НОШ' end as short,
         case when u < 0.7 then array['primary', 'basic', 'secondary']
              when u < 0.9 then array['primary', 'basic'] else array['primary'] end as levels
  from (select pg_temp.bd_u(hashtext(mu.code)::bigint * 1000 + s.n * 3) as u) x
) k
order by mu.id, s.n;
