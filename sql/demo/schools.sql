-- Demo: 348 schools generated from demo_municipality (organisations.sql).
--
-- Codes: <municipality code>-<NNN>, town schools first (47-16-001 …), then
-- rural ones. Town schools are numbered per town and are mostly
-- «Средняя общеобразовательная школа № N», with gymnasiums, lyceums, schools
-- with in-depth study of subjects (УИОП) and a few basic schools (ООШ) mixed
-- in; rural schools are СОШ, basic ООШ (primary + basic levels) or primary
-- НОШ / «Начальная школа – детский сад». About one school in ten works in
-- unfavourable social conditions (more often rural); most town schools and
-- some rural ones teach pupils with special needs (ОВЗ). All deterministic.

-- Town schools.
insert into app.schools (code, municipality_id, name, short_name, address, is_rural,
                         unfavorable_conditions, education_levels, has_ovz_pupils)
select t.code || '-' || lpad(t.i::text, 3, '0'),
       t.municipality_id,
       format('%s «%s»',
              case when t.kind in ('gymnasium', 'lyceum') and t.ord % 2 = 0
                   then 'Муниципальное автономное общеобразовательное учреждение'
                   else t.legal end,
              case t.kind
                when 'gymnasium' then format('Гимназия № %s %s', t.k, t.town_gen)
                when 'lyceum' then format('Лицей № %s %s', t.k, t.town_gen)
                when 'uiop' then format('Средняя общеобразовательная школа с углублённым изучением отдельных предметов № %s %s', t.k, t.town_gen)
                when 'oosh' then format('Основная общеобразовательная школа № %s %s', t.k, t.town_gen)
                else format('Средняя общеобразовательная школа № %s %s', t.k, t.town_gen)
              end),
       case t.kind
         when 'gymnasium' then format('Гимназия № %s %s', t.k, t.town)
         when 'lyceum' then format('Лицей № %s %s', t.k, t.town)
         when 'uiop' then format('СОШ с УИОП № %s %s', t.k, t.town)
         when 'oosh' then format('ООШ № %s %s', t.k, t.town)
         else format('СОШ № %s %s', t.k, t.town)
       end,
       format('%s, Ленинградская область, %s, %s, д. %s',
              t.postal + t.k % 5, t.town,
              (array['ул. Советская', 'ул. Ленина', 'пр. Победы', 'ул. Школьная', 'ул. Садовая',
                     'ул. Молодёжная', 'ул. Комсомольская', 'ул. Новая', 'ул. Парковая',
                     'ул. Лесная', 'ул. Центральная', 'ул. Мира'])[1 + (t.i * 7 + t.ord) % 12],
              1 + (t.i * 13 + t.ord * 7) % 60),
       false,
       (t.i * 11 + t.ord * 3) % 23 = 0,
       case
         when t.kind = 'oosh' then array['primary', 'basic']
         when t.kind = 'lyceum' and t.k % 2 = 0 then array['basic', 'secondary']
         else array['primary', 'basic', 'secondary']
       end,
       t.kind <> 'lyceum' and (t.i * 3 + t.ord) % 10 < 7
from (
  select n.*,
         case when n.k = 1 then 'sosh'
              else (array['sosh', 'sosh', 'gymnasium', 'sosh', 'sosh', 'lyceum', 'sosh',
                          'uiop', 'sosh', 'oosh'])[1 + (n.k + n.ord) % 10]
         end as kind
  from (
    select w.*, row_number() over (partition by w.code, w.town order by w.i) as k
    from (
      select d.ord, d.code, d.legal, d.postal, mu.id as municipality_id, g.i,
             split_part(d.towns[1 + (g.i - 1) % cardinality(d.towns)], '|', 1) as town,
             split_part(d.towns[1 + (g.i - 1) % cardinality(d.towns)], '|', 2) as town_gen
      from demo_municipality d
      join app.municipalities mu on mu.code = d.code
      cross join generate_series(1, d.urban) as g(i)
    ) w
  ) n
) t
order by t.code, t.i
on conflict (code) do nothing;

-- Rural schools.
insert into app.schools (code, municipality_id, name, short_name, address, is_rural,
                         unfavorable_conditions, education_levels, has_ovz_pupils)
select t.code || '-' || lpad((t.urban + t.j)::text, 3, '0'),
       t.municipality_id,
       format('%s «%s %s%s»', t.legal,
              case t.kind
                when 'nosh' then case when t.ord % 2 = 0 then 'Начальная школа – детский сад'
                                      else 'Начальная общеобразовательная школа' end
                when 'oosh' then 'Основная общеобразовательная школа'
                else 'Средняя общеобразовательная школа'
              end, t.number, t.village),
       format('%s %s%s',
              case t.kind
                when 'nosh' then case when t.ord % 2 = 0 then 'НШ – ДС' else 'НОШ' end
                when 'oosh' then 'ООШ'
                else 'СОШ'
              end, t.number, t.village),
       format('%s, Ленинградская область, %s, %s, %s, д. %s',
              t.postal + 10 + t.j % 30, replace(t.name, 'муниципальный район', 'район'), t.village,
              (array['ул. Школьная', 'ул. Центральная', 'ул. Садовая', 'ул. Молодёжная',
                     'ул. Лесная', 'ул. Новая'])[1 + (t.j * 5 + t.ord) % 6],
              1 + (t.j * 17 + t.ord * 3) % 40),
       true,
       (t.j * 7 + t.ord) % 6 = 0,
       case t.kind
         when 'nosh' then array['primary']
         when 'oosh' then array['primary', 'basic']
         else array['primary', 'basic', 'secondary']
       end,
       t.kind <> 'nosh' and (t.j * 3 + t.ord) % 5 < 2
from (
  select d.ord, d.code, d.name, d.legal, d.postal, d.urban, mu.id as municipality_id, g.j,
         d.villages[1 + (g.j - 1) % cardinality(d.villages)] as village,
         case when (g.j - 1) / cardinality(d.villages) > 0
              then format('№ %s ', (g.j - 1) / cardinality(d.villages) + 1) else '' end as number,
         case when g.j % 7 = 0 then 'nosh' when g.j % 3 = 0 then 'oosh' else 'sosh' end as kind
  from demo_municipality d
  join app.municipalities mu on mu.code = d.code
  cross join generate_series(1, d.schools - d.urban) as g(j)
) t
order by t.code, t.j
on conflict (code) do nothing;
