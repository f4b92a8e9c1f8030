-- Demo: projects and control of execution (issue 5). Included by load.sql
-- inside its transaction, after the organisations and users. Everything is
-- created through the API's functions, acting as the user who would do it
-- (claims set per step), so the audit log reads like real use.
--
-- Projects (committee): «Школа Минпросвещения России»; «Повышение качества
-- образования в школах с низкими результатами обучения…» (ШНОР) with 60
-- schools in the three groups (24 low_results, 20 risk_zone, 16
-- academic_failure; school-47-16-001 … 003 of Тихвинский district among
-- them) and the order that approved the list; «Поддержка школ со стабильно
-- высокими образовательными результатами» (led by ЛОИРО).
-- The approving order's number (2510-р) is illustrative: the seeds do not give it.
--
-- Documents: the real items of the five seed documents (shared/seeds), text
-- condensed where long: the plan-graph of order 1584-р (004), the decision of
-- the meeting of 22.12.2023 on «Школа Минпросвещения России» (002), the
-- complex of measures for 2019–2020 (001, order 1812-р), the council decision
-- of 22.12.2020 № 1 (000) and the letter to ЛОИРО (003, no number or date in
-- the seed: «б/н», 20.12.2019). Executors as the seeds name them: КОПО →
-- committee, ЛОИРО → loiro, МОУО → all_municipalities («руководители ОО» and
-- professional colleges are not organisations here and are left out; the
-- plan-graph 1584-р names none: ЛОИРО, as the institute that runs
-- diagnostics and courses, and the committee for the list of schools).
--
-- DATES ARE SHIFTED: every date and every year written in a text (document
-- numbers, titles, «в течение 2024 года») is moved by whole years so that
-- the seeds' 2024 becomes the current year (loaded in 2026: 2019 → 2021,
-- 2023 → 2025, 2024 → 2026). So the old plans are past (overdue where not
-- done), the decision's «в течение года» items are in the future, and its
-- January–June items are past. The municipal road map of Тихвинский
-- district (mo-tikhvinsky, our own demo content after seed 002 item 11) is
-- dated relative to the load day, so the demo always has items overdue,
-- due within 7 days and in the future.
--
-- Execution records in every state, deterministic per record: not started,
-- in progress, done awaiting review, accepted, returned (with a comment);
-- pinned for demos in the decision of 22.12.2023 for mo-tikhvinsky: item 9
-- accepted, 10 done (awaiting review), 11 returned, 12 in progress, 13 not
-- started, 14 returned then reported again. Loading again adds nothing
-- (keyed on the region having projects).

select exists (select 1 from app.projects p join app.regions r on r.id = p.region_id where r.code = '47')
  as demo_execution_loaded \gset

\if :demo_execution_loaded
\else

-- Becomes a demo user for the functions (claims as the API sets them; the
-- load runs as the superuser, the functions check the claims themselves).
create function pg_temp.demo_as(p_login text) returns void language plpgsql
as $$
declare
  u json;
begin
  select app.user_json(id) into u from app.users where login = p_login;
  perform app.set_claims_of((u ->> 'id')::bigint);
  perform set_config('request.id', 'demo-data', true);
end
$$;

-- The year shift: the seeds' 2024 becomes the current year.
create function pg_temp.demo_shift() returns integer language sql stable
as $$ select extract(year from current_date)::integer - 2024 $$;

-- A seed date moved by the shift, as 'YYYY-MM-DD'.
create function pg_temp.d(p date) returns text language sql stable
as $$ select to_char(p + make_interval(years => pg_temp.demo_shift()), 'YYYY-MM-DD') $$;

-- Every year 2015..2025 written in a text moved by the shift.
create function pg_temp.t(p text) returns text language plpgsql stable
as $$
declare
  y integer;
begin
  for y in 2015..2025 loop
    p := replace(p, y::text, '§' || (y - 2000)::text);
  end loop;
  for y in reverse 2025..2015 loop
    p := replace(p, '§' || (y - 2000)::text, (y + pg_temp.demo_shift())::text);
  end loop;
  return p;
end
$$;

-- One item body; executors: 'committee', 'loiro', 'all' (all municipalities).
create function pg_temp.item(p_number text, p_content text, p_deadline date, p_deadline_text text,
                             p_expected text, p_executors text[]) returns jsonb
language sql stable
as $$
  select jsonb_strip_nulls(jsonb_build_object(
           'number', p_number, 'content', pg_temp.t(p_content),
           'deadline', case when p_deadline is not null then pg_temp.d(p_deadline) end,
           'deadline_text', pg_temp.t(p_deadline_text), 'expected_result', p_expected))
         || jsonb_build_object('executors', coalesce((
              select jsonb_agg(case e when 'all' then jsonb_build_object('kind', 'all_municipalities')
                                      else jsonb_build_object('kind', e) end order by o)
              from unnest(p_executors) with ordinality u(e, o)), '[]'::jsonb))
$$;

-- Projects, as the committee ------------------------------------------------------------
select pg_temp.demo_as('committee');

select app.project_create(jsonb_build_object(
  'title', 'Школа Минпросвещения России',
  'description', 'Федеральный проект: развитие школ по восьми магистральным направлениям (Знание, Воспитание, Здоровье, Творчество, Профориентация, Учитель. Школьная команда, Школьный климат, Образовательная среда) на основе самодиагностики.',
  'starts_on', pg_temp.d('2023-09-01'), 'lead', 'committee')) ->> 'id' as demo_project_shmr \gset

select app.project_create(jsonb_build_object(
  'title', 'Повышение качества образования в школах с низкими результатами обучения и в школах, функционирующих в неблагоприятных социальных условиях',
  'description', 'Региональный проект (ШНОР): выявление школ по трём группам — низкие образовательные результаты, зона риска по снижению результатов, признаки учебной неуспешности — и методическая помощь им.',
  'starts_on', pg_temp.d('2019-08-22'), 'lead', 'committee',
  'order_number', '2510-р', 'order_date', pg_temp.d('2023-10-20'))) ->> 'id' as demo_project_shnor \gset

select app.project_create(jsonb_build_object(
  'title', 'Поддержка школ со стабильно высокими образовательными результатами',
  'description', 'Организационно-финансовая и научно-методическая поддержка школ, обладающих стабильно высокими результатами и лидерской практикой в олимпиадном движении.',
  'starts_on', pg_temp.d('2020-01-01'), 'lead', 'loiro')) ->> 'id' as demo_project_high \gset

-- 60 schools of ШНОР: three pinned Тихвин schools, then 57 drawn
-- deterministically (hash of the code) across the region; groups by rank.
select count(*) as demo_shnor_schools
from (
  select s.id, row_number() over (order by s.code !~ '^47-16-00[1-3]$', md5(s.code)) as n,
         s.unfavorable_conditions
  from app.schools s join app.municipalities m on m.id = s.municipality_id
  where m.code like '47-%'
  order by 2 limit 60
) x,
lateral app.project_school_add(:demo_project_shnor, jsonb_build_object(
  'school_id', x.id,
  'group', case when x.n <= 24 then 'low_results' when x.n <= 44 then 'risk_zone' else 'academic_failure' end,
  'unfavorable_conditions', x.unfavorable_conditions or x.n % 7 = 0)) r \gset

-- Documents, as the committee ---------------------------------------------------------------
-- 004: the plan-graph of order 1584-р of 20.06.2023.
select (app.document_create(jsonb_build_object(
  'kind', 'plan', 'number', pg_temp.t('1584-р'), 'date', pg_temp.d('2023-06-20'), 'project_id', :demo_project_shnor,
  'title', pg_temp.t('План-график реализации регионального проекта «Повышение качества образования в школах с низкими результатами обучения и в школах, функционирующих в неблагоприятных социальных условиях» в июне – декабре 2023 года (распоряжение комитета от 20.06.2023 № 1584-р)')))
  ->> 'id') as demo_doc_1584 \gset
select app.document_items_create(:demo_doc_1584, jsonb_build_array(
  pg_temp.item('1', 'Диагностика по выявлению школ', null, null, null, '{}'),
  pg_temp.item('1.1', 'Разработка программы диагностики по выявлению школ с низкими образовательными результатами; находящихся в зоне риска по снижению образовательных результатов; имеющих признаки учебной неуспешности', '2023-06-30', null, 'Программа диагностики', '{loiro}'),
  pg_temp.item('1.2', 'Проведение диагностики, обработка данных', '2023-09-15', null, 'Результаты диагностики', '{loiro}'),
  pg_temp.item('1.3', 'Представление списка школ по 3 группам', '2023-10-05', null, 'Список школ по трём группам', '{loiro,committee}'),
  pg_temp.item('1.4', 'Представление результатов и методических рекомендаций', '2023-10-30', null, 'Аналитические материалы, методические рекомендации', '{loiro}'),
  pg_temp.item('2', 'Оказание методической помощи школам с низкими результатами обучения и/или школам, функционирующим в неблагоприятных социальных условиях', null, null, null, '{}'),
  pg_temp.item('2.1', 'Методическое сопровождение школ и школьных управленческих команд', null, null, null, '{}'),
  pg_temp.item('2.1.1', 'Диагностика профессиональных компетенций управленческих кадров по работе с педагогами', '2023-09-15', null, null, '{loiro}'),
  pg_temp.item('2.1.2', 'Разработка курса повышения квалификации, направленного на обучение администрации по работе с педагогами, имеющими профессиональные дефициты по результатам диагностик', '2023-10-01', null, 'Программа курса', '{loiro}'),
  pg_temp.item('2.1.3', 'Реализация курса повышения квалификации', '2023-11-30', null, 'Обученные управленческие команды', '{loiro}'),
  pg_temp.item('2.1.4', 'Стажировка на базе школы с высокими образовательными результатами', '2023-11-30', null, null, '{loiro}'),
  pg_temp.item('2.2', 'Методическое сопровождение педагогов, показавших низкие и очень низкие результаты в прохождении диагностики профессиональных дефицитов', null, null, null, '{}'),
  pg_temp.item('2.2.1', 'Разработка индивидуальных образовательных маршрутов (ИОМ), направленных на совершенствование предметных и методических компетенций', '2023-09-15', null, 'ИОМ педагогов', '{loiro}'),
  pg_temp.item('2.2.2', 'Сопровождение индивидуальных образовательных маршрутов (ИОМ), направленных на совершенствование предметных и методических компетенций', '2023-11-30', null, null, '{loiro}')
)) is not null as ok \gset

-- 002: the decision of the meeting of 22.12.2023 on «Школа Минпросвещения России».
select (app.document_create(jsonb_build_object(
  'kind', 'decision', 'number', pg_temp.t('19-50660/2023'), 'date', pg_temp.d('2023-12-22'), 'project_id', :demo_project_shmr,
  'title', pg_temp.t('Решение совещания с муниципальными координаторами по вопросам реализации проекта «Школа Минпросвещения России» в Ленинградской области в 2024 году')))
  ->> 'id') as demo_doc_shmr \gset
select app.document_items_create(:demo_doc_shmr, jsonb_build_array(
  pg_temp.item('1', 'Актуализировать региональную «дорожную карту» по сопровождению образовательных организаций в рамках реализации проекта в Ленинградской области на 2024 год', '2024-01-10', null, 'Региональная дорожная карта', '{loiro}'),
  pg_temp.item('2', 'Разработать план постоянно действующего семинара для образовательных организаций-участников проекта по направлениям совершенствования по результатам самодиагностики', '2024-01-10', null, 'План семинара', '{loiro}'),
  pg_temp.item('3', 'Разработать план работы методических стажировочных площадок с рассмотрением особенностей каждого из 8 направлений (треков) проекта', '2024-01-10', null, 'План стажировочных площадок', '{loiro}'),
  pg_temp.item('4', 'Обеспечить проведение курсов повышения квалификации для педагогических работников и управленческих команд по вопросам реализации проекта', '2024-12-31', 'в течение 2024 года', null, '{loiro}'),
  pg_temp.item('5', 'Обеспечить методическую поддержку педагогических работников в рамках реализации проекта', '2024-12-31', 'в течение 2024 года', null, '{loiro}'),
  pg_temp.item('6', 'Обеспечить информационную поддержку реализации проекта', '2024-12-31', 'в течение 2024 года', null, '{loiro}'),
  pg_temp.item('7', 'Обеспечить проведение и анализ результатов мониторинга выполнения плана мероприятий Ленинградской области по реализации проекта', '2024-06-30', 'июнь 2024 года', 'Аналитическая справка', '{loiro}'),
  pg_temp.item('8', 'Информировать общественность о результатах деятельности общеобразовательных организаций Ленинградской области по реализации проекта', '2024-12-31', 'в течение 2024 года', null, '{loiro}'),
  pg_temp.item('9', 'Проанализировать данные, полученные в результате самодиагностики общеобразовательными организациями', '2024-01-10', null, 'Анализ результатов самодиагностики', '{all}'),
  pg_temp.item('10', 'Довести результаты самодиагностики до сведения руководителей общеобразовательных организаций', '2024-01-10', null, null, '{all}'),
  pg_temp.item('11', 'Актуализировать муниципальную «дорожную карту» по сопровождению общеобразовательных организаций в рамках реализации проекта, включающую адресную поддержку общеобразовательных организаций, вовлечённых в проект', '2024-01-19', null, 'Муниципальная дорожная карта', '{all}'),
  pg_temp.item('12', 'Организовать работу по разработке (актуализации) программ развития общеобразовательных организаций на основе дефицитов, выявленных по итогам самодиагностики (основой для мероприятий программы развития являются «дефицитарные» позиции)', '2024-02-01', null, 'Программы развития ОО', '{all}'),
  pg_temp.item('13', 'Обеспечить участие управленческих команд общеобразовательных организаций в постоянно действующем семинаре согласно плану ГАОУ ДПО «ЛОИРО»', '2024-12-31', 'в течение 2024 года', null, '{all}'),
  pg_temp.item('14', 'Обеспечить участие педагогических работников и управленческих команд в курсах повышения квалификации по направлениям деятельности общеобразовательных организаций с учётом задач проекта, согласно плану ГАОУ ДПО «ЛОИРО»', '2024-12-31', 'в течение 2024 года', null, '{all}'),
  pg_temp.item('15', 'Организовать работу по устранению дефицитов, выявленных в ходе анализа результатов самодиагностики; обеспечить проведение и анализ результатов мониторинга выполнения плана мероприятий по реализации проекта', '2024-05-31', null, 'Результаты мониторинга', '{all}'),
  pg_temp.item('16', 'Информировать общественность о результатах деятельности общеобразовательных организаций по реализации проекта', '2024-06-30', null, null, '{all}'),
  pg_temp.item('17', 'Провести собеседование с руководителями общеобразовательных организаций, показавших по результатам самодиагностики в ноябре 2023 года уровень «ниже базового» и не вошедших в проект; организовать работу по устранению дефицитов для достижения уровня не ниже «базового»; подготовить отчёт о проделанной работе', '2024-05-30', null, 'Отчёт о проделанной работе', '{all}')
)) is not null as ok \gset

-- 001: the complex of measures for 2019–2020 (order 1812-р of 22.08.2019).
select (app.document_create(jsonb_build_object(
  'kind', 'plan', 'number', pg_temp.t('1812-р'), 'date', pg_temp.d('2019-08-22'), 'project_id', :demo_project_shnor,
  'title', pg_temp.t('Комплекс мер, направленных на создание условий для получения качественного общего образования в образовательных организациях со стабильно низкими результатами обучения и в школах, функционирующих в неблагоприятных социальных условиях, на 2019–2020 учебный год')))
  ->> 'id') as demo_doc_1812 \gset
select app.document_items_create(:demo_doc_1812, jsonb_build_array(
  pg_temp.item('1', 'Реализация мероприятия «Повышение качества образования в школах с низким результатом обучения и в школах, функционирующих в неблагоприятных социальных условиях» (проект «Школы с НРО»)', '2019-12-31', 'август – декабрь 2019 года', 'Региональная концепция поддержки; региональная система работы; дорожная карта регионального мониторинга; программы перехода школ в эффективный режим работы', '{committee,loiro}'),
  pg_temp.item('2', 'Обеспечение участия школ в идентификации школ, находящихся в сложных социальных условиях и показывающих низкие образовательные результаты', '2019-09-30', 'август – сентябрь 2019', 'Распоряжение КОПО об участии в реализации проекта', '{committee,all}'),
  pg_temp.item('3', 'Выявление общеобразовательных организаций со стабильно низкими образовательными результатами на основе исследования', '2019-09-30', 'август – сентябрь 2019', 'Список школ со стабильно низкими образовательными результатами', '{committee,loiro}'),
  pg_temp.item('4', 'Утверждение списка общеобразовательных организаций со стабильно низкими образовательными результатами', '2019-11-30', 'октябрь – ноябрь 2019 года', 'Распоряжение по КОПО', '{committee}'),
  pg_temp.item('5', 'Разработка и утверждение муниципальных программ поддержки школ с низкими результатами обучения и школ, функционирующих в сложных социальных условиях; муниципальный план действий на 2019–2020 учебный год', '2019-09-30', 'сентябрь 2019 года', 'Муниципальные программы поддержки школ; пакет нормативных актов', '{all}'),
  pg_temp.item('6', 'Выявление проблемных зон образовательной организации и разработка плана перевода школы в эффективный режим развития', '2019-10-31', 'сентябрь – октябрь 2019 года', 'Анализ проблемных зон; план перехода в эффективный режим работы', '{all}'),
  pg_temp.item('7', 'Утверждение списка сетевого партнёрства образовательных организаций с низкими и с высокими образовательными результатами', '2019-09-30', 'сентябрь 2019 года', 'Нормативный акт', '{all}'),
  pg_temp.item('8', 'Адресная помощь через тьюторское, консультационное сопровождение со стороны муниципальной методической службы, директоров и педагогов школ с высоким качеством образовательных результатов', '2020-06-30', null, 'Единое информационное пространство; трансляция позитивного педагогического опыта', '{committee,all}'),
  pg_temp.item('9', 'Проблемные семинары для руководителей методических служб, кураторов сопровождения школ, показавших низкие результаты, и муниципальных программ поддержки таких школ', '2020-11-30', 'апрель – ноябрь 2020 года', 'Программа семинаров', '{committee,loiro}'),
  pg_temp.item('10', 'Выявление и распространение эффективных практик перехода школ с низкими результатами в режим эффективного развития', '2020-02-29', 'январь – февраль 2020 года', 'Тиражирование опыта', '{committee}'),
  pg_temp.item('11', 'Подготовка сборника материалов «Управление процессом реализации программ по переходу в эффективный режим развития»', '2020-12-31', 'ноябрь – декабрь 2020 года', 'Сборник материалов', '{committee,loiro}'),
  pg_temp.item('12', 'Анализ муниципальных программ поддержки школ, показавших низкие образовательные результаты, по переходу в эффективный режим развития', '2020-03-31', 'февраль – март 2020 года', 'Аналитическая справка, методические рекомендации', '{committee,loiro}'),
  pg_temp.item('13', 'Разработка региональной инновационной программы «Сетевое наставничество во взаимодействии школ, показавших высокие и низкие образовательные результаты по итогам оценочных процедур»', '2020-04-30', 'апрель 2020 года', 'Инновационная программа', '{committee,loiro}'),
  pg_temp.item('14', 'Разработка методических рекомендаций по созданию сетевых объединений школ с низкими результатами со школами с высокими результатами обучения', '2020-05-31', 'май 2020 года', 'Методические рекомендации', '{committee,loiro}'),
  pg_temp.item('15', 'Методическая помощь школам со стабильно низкими результатами по вопросу «Выявление профессиональных дефицитов по результатам самооценки и построение индивидуального плана профессионального развития педагога»', '2019-10-31', 'сентябрь – октябрь 2019 года', 'Планы профессионального развития педагогов; муниципальные программы сопровождения школ', '{loiro,all}'),
  pg_temp.item('16', 'Экспертные сессии (с дистанционной поддержкой) для школьных команд, показавших низкие образовательные результаты, в каждом из 5 образовательных округов', '2020-12-31', 'сентябрь – декабрь 2020 года', 'Программы экспертных сессий', '{loiro,all}'),
  pg_temp.item('17', 'Мониторинг профессиональных проблем и дефицитов педагогов образовательных организаций, показывающих стабильно низкие образовательные результаты', '2019-11-30', 'октябрь – ноябрь 2019 года', 'Аналитические справки, корректировка госзадания ЛОИРО на 2020 год', '{all}'),
  pg_temp.item('18', 'Разработка и утверждение планов ОО по сопровождению неуспевающих и слабоуспевающих обучающихся и по повышению профессионализма педагогов', '2019-09-30', 'август – сентябрь 2019 года', 'Планы индивидуального сопровождения обучающихся и педагогов', '{all}'),
  pg_temp.item('19', 'Обсуждение реализации комплекса мероприятий на заседаниях Координационного совета по качеству образования и регионального методического совета', '2019-11-30', 'ноябрь 2019 года', 'Принятие решений', '{committee,loiro}'),
  pg_temp.item('20', 'Методические рекомендации по разработке образовательных программ, индивидуальных планов, выбору методов обучения и воспитания обучающихся, испытывающих сложности в освоении образовательных программ', '2020-01-31', 'январь 2020 года', 'Методические рекомендации', '{committee,loiro}'),
  pg_temp.item('21', 'Методические рекомендации для МОУО и муниципальных методических служб по интеграции муниципальных проектов поддержки школ с низкими результатами с созданием центров «Точка роста»', '2020-03-31', 'март 2020', 'Методические рекомендации', '{committee,loiro}'),
  pg_temp.item('22', 'Региональный мониторинг эффективности управления качеством образования в школах, показавших низкие результаты обучения', '2019-11-30', 'сентябрь – ноябрь 2019 года', 'Аналитическая справка, управленческие решения, адресные методические рекомендации', '{committee,loiro}'),
  pg_temp.item('23', 'Региональный мониторинг результативности программ улучшения образовательных результатов в школах с низкими результатами и в неблагоприятных социальных условиях', '2020-11-30', 'октябрь – ноябрь 2020 года', 'Аналитическая справка', '{committee,loiro}'),
  pg_temp.item('24', 'Программы повышения квалификации по вопросам оценки качества образования в ОО для руководителей и педагогов школ со стабильно низкими результатами', '2020-05-31', 'февраль – май 2020 года', 'Обучение руководителей и педагогов', '{committee,loiro}'),
  pg_temp.item('25', 'Программы повышения квалификации по оцениванию ответов на задания ВПР в 4 классах для педагогов школ со стабильно низкими результатами', '2020-05-31', 'февраль – май 2020 года', 'Обучение педагогов', '{committee,loiro}'),
  pg_temp.item('26', 'Выездные стажировки команд школ с низкими результатами в образовательные организации регионов — лидеров по качеству образования', '2020-12-31', 'сентябрь – декабрь 2020', 'Программы стажировок', '{committee,loiro}'),
  pg_temp.item('27', 'Разработка индивидуальных планов профессионального развития педагогов для работы с контингентом повышенной сложности', '2019-10-31', 'сентябрь – октябрь 2019 года', 'Индивидуальные планы профессионального развития педагогов', '{all}'),
  pg_temp.item('28', 'Мониторинг индивидуальных планов профессионального развития педагогов', '2019-12-31', 'декабрь 2019 года', 'Анализ мониторинга, методические рекомендации, управленческие решения', '{all}'),
  pg_temp.item('29', 'Организационно-методические совещания с руководителями методических служб и образовательных организаций', '2020-06-30', 'в течение учебного года', 'Система комплексного научно-методического сопровождения школ со стабильно низкими результатами', '{committee,loiro}')
)) is not null as ok \gset

-- 000: the decision of the coordination council of 22.12.2020 № 1.
select (app.document_create(jsonb_build_object(
  'kind', 'decision', 'number', '1', 'date', pg_temp.d('2020-12-22'), 'project_id', :demo_project_high,
  'title', 'Решение Координационного совета по качеству образования при комитете общего и профессионального образования Ленинградской области'))
  ->> 'id') as demo_doc_council \gset
select app.document_items_create(:demo_doc_council, jsonb_build_array(
  pg_temp.item('1', 'О мониторинге муниципальных управленческих механизмов', null, null, null, '{}'),
  pg_temp.item('1.1', 'Принять информацию к сведению; довести до руководителей муниципальных образовательных организаций; обеспечить наличие документов на официальных сайтах муниципальных образований по всем направлениям', '2021-02-01', null, 'Документы на сайтах муниципальных образований', '{all}'),
  pg_temp.item('2', 'О результатах внешних оценочных процедур в 2020 году', null, null, null, '{}'),
  pg_temp.item('2.1', 'Довести информацию об обязательном участии 100% профессиональных образовательных организаций в мониторинге СПО в 2021 году до их руководителей (исполнители — руководители ПОО)', '2021-02-01', null, null, '{}'),
  pg_temp.item('2.2', 'Довести информацию о проведении в 2021 году в рамках ВПР одной работы по одному предмету на компьютерах до руководителей МОУО и общеобразовательных организаций', '2021-02-01', null, null, '{all}'),
  pg_temp.item('3', 'Итоги реализации регионального проекта «Поддержка школ со стабильно высокими образовательными результатами»', null, null, null, '{}'),
  pg_temp.item('3.1', 'Продолжить организационно-финансовую и научно-методическую поддержку 30 образовательных организаций 18 районов со стабильно высокими результатами и лидерской практикой в олимпиадном движении; продолжить управленческий консалтинг участников проекта 2020 года', '2021-02-25', null, null, '{committee}'),
  pg_temp.item('3.2', 'Создать условия для информационно-методической поддержки разработки и апробации межмуниципальных инновационных проектов развития качества преподавания предметов конкурсно-олимпиадного движения', '2021-02-25', null, null, '{committee}'),
  pg_temp.item('3.3', 'Продолжить управленческое консультирование участников проекта 2020 года и проектное взаимодействие на базе центров «Интеллект», «Ладога» и ЛОИРО; интегрировать их в региональную программу поддержки школ с высокими результатами', '2021-02-25', null, null, '{committee}'),
  pg_temp.item('3.4', 'Включить в техническое задание проекта на 2021 год по одной школе из каждого из 18 районов и 10–11 школ, отобранных по рейтингу (организационный скрининг)', '2021-02-25', null, 'Техническое задание на 2021 год', '{committee}'),
  pg_temp.item('4', 'Итоги реализации регионального проекта «Повышение качества образования в школах с высоким потенциалом роста»: продолжить работу со школами с низкими результатами обучения и в сложных социальных условиях', null, null, null, '{}'),
  pg_temp.item('4.1', 'Организовать региональные мониторинги состояния образовательной среды в школах с низкими результатами и эффективности муниципальных программ перевода школ в эффективный режим работы', '2021-12-15', null, 'Результаты мониторингов', '{committee}'),
  pg_temp.item('4.2', 'Обеспечить внешний аудит работы школ с низкими результатами для адресной помощи', '2021-12-15', null, null, '{committee}'),
  pg_temp.item('4.3', 'Создать мобильные экспертные группы (специалисты муниципальных служб, преподаватели ЛОИРО, специалисты комитета) для внешнего аудита', '2021-12-15', null, null, '{committee}'),
  pg_temp.item('4.4', 'Научно-методическое сопровождение школ с низкими результатами: модули в программах повышения квалификации, программа «Сетевое наставничество…», библиотека «Мои успешные практики»', '2021-12-15', null, 'Библиотека «Мои успешные практики»', '{loiro}')
)) is not null as ok \gset

-- 003: the letter to ЛОИРО (no number or date in the seed).
select (app.document_create(jsonb_build_object(
  'kind', 'letter', 'number', 'б/н', 'date', pg_temp.d('2019-12-20'), 'project_id', :demo_project_shnor,
  'title', 'Письмо ректору ЛОИРО о мерах по повышению качества образования (по решению Координационного совета от 10.12.2019)'))
  ->> 'id') as demo_doc_letter \gset
select app.document_items_create(:demo_doc_letter, jsonb_build_array(
  pg_temp.item('1', 'Организовать комплексное научно-методическое сопровождение общеобразовательных учреждений по внедрению оценочных инструментов на основе практики международных исследований PISA', '2024-12-31', '2020–2024 гг.', null, '{loiro}'),
  pg_temp.item('2', 'Разработать: методические рекомендации по интеграции муниципальных проектов поддержки школ с низкими результатами с созданием центров «Точка роста»; методические рекомендации для руководителей и педагогов школ с низкими результатами и в неблагоприятных условиях; модель сетевых мобильных групп специалистов (дефектологов, логопедов, социальных педагогов, педагогов доп. образования)', '2020-12-12', null, 'Методические рекомендации; модель сетевых мобильных групп', '{loiro}'),
  pg_temp.item('3', 'Продолжить повышение квалификации на основе выявления и устранения профессиональных дефицитов: идентифицировать учителей, нуждающихся в индивидуальном сопровождении, обеспечить тьюторское сопровождение; включить педагогов школ с НОР в межмуниципальные сетевые проблемные группы', '2020-12-31', 'в течение 2020 года', null, '{loiro}'),
  pg_temp.item('4', 'Обеспечить сопровождение районных методических объединений: адресные программы постоянно действующих семинаров на базе школ-участников, включение школ в региональные УМО, муниципальные проекты поддержки школ с низкими результатами', '2020-12-31', 'в течение 2020 года', null, '{loiro}')
)) is not null as ok \gset

-- The municipal road map of Тихвинский district, as mo-tikhvinsky -----------------------------
select pg_temp.demo_as('mo-tikhvinsky');
select (app.document_create(jsonb_build_object(
  'kind', 'roadmap', 'number', 'МДК-' || extract(year from current_date), 'date', to_char(current_date - 60, 'YYYY-MM-DD'),
  'project_id', :demo_project_shmr,
  'title', 'Муниципальная дорожная карта по сопровождению общеобразовательных организаций Тихвинского района в рамках проекта «Школа Минпросвещения России»'))
  ->> 'id') as demo_doc_roadmap \gset
select app.document_items_create(:demo_doc_roadmap, jsonb_build_array(
  jsonb_build_object('number', '1', 'content', 'Анализ результатов самодиагностики школ района, доведение до руководителей', 'deadline', to_char(current_date - 30, 'YYYY-MM-DD'),
                     'expected_result', 'Аналитическая справка', 'executors', jsonb_build_array(jsonb_build_object('kind', 'municipality', 'id', m.id))),
  jsonb_build_object('number', '2', 'content', 'Собеседования с руководителями школ уровня «ниже базового», план устранения дефицитов', 'deadline', to_char(current_date + 5, 'YYYY-MM-DD'),
                     'expected_result', 'Протоколы собеседований', 'executors', jsonb_build_array(jsonb_build_object('kind', 'school', 'id', s1.id), jsonb_build_object('kind', 'school', 'id', s2.id))),
  jsonb_build_object('number', '3', 'content', 'Актуализация программ развития школ на основе «дефицитарных» позиций', 'deadline', to_char(current_date + 40, 'YYYY-MM-DD'),
                     'expected_result', 'Программы развития', 'executors', jsonb_build_array(jsonb_build_object('kind', 'school', 'id', s1.id), jsonb_build_object('kind', 'school', 'id', s2.id), jsonb_build_object('kind', 'school', 'id', s3.id))),
  jsonb_build_object('number', '4', 'content', 'Мониторинг устранения дефицитов в школах района', 'deadline', to_char(current_date - 3, 'YYYY-MM-DD'),
                     'expected_result', 'Отчёт комитету', 'executors', jsonb_build_array(jsonb_build_object('kind', 'municipality', 'id', m.id)))
)) is not null as ok
from app.municipalities m, app.schools s1, app.schools s2, app.schools s3
where m.code = '47-16' and s1.code = '47-16-001' and s2.code = '47-16-002' and s3.code = '47-16-003' \gset

-- Execution: reports by each executor, reviews by the committee -----------------------------------
-- The target state of each record, deterministic: pinned ones first, then
-- by age: records of the old plans (deadline over a year ago) mostly
-- accepted, the rest spread over every state.
create temp table demo_target as
select a.id, a.executor_kind, a.municipality_id, a.school_id, i.number, d.id as document_id,
       case
         when d.id = :demo_doc_shmr and mu.code = '47-16' then
           case i.number when '9' then 'accepted' when '10' then 'done' when '11' then 'returned'
                         when '12' then 'in_progress' when '13' then 'not_started' when '14' then 'reported_again'
                         else 'not_started' end
         when d.id = :demo_doc_roadmap then
           case i.number when '1' then 'accepted' when '2' then (case when sc.code = '47-16-001' then 'in_progress' else 'not_started' end)
                         when '3' then (case when sc.code = '47-16-001' then 'done' else 'not_started' end)
                         else 'not_started' end
         when i.deadline < current_date - 365 then
           (array['accepted', 'accepted', 'accepted', 'accepted', 'accepted', 'accepted', 'done', 'in_progress', 'returned', 'not_started'])
             [1 + abs(hashtext(a.id::text || i.number)) % 10]
         else
           (array['accepted', 'accepted', 'done', 'done', 'in_progress', 'in_progress', 'returned', 'not_started', 'not_started', 'accepted'])
             [1 + abs(hashtext(a.id::text || i.number)) % 10]
       end as target
from app.assignments a
join app.document_items i on i.id = a.item_id
join app.documents d on d.id = a.document_id
left join app.municipalities mu on mu.id = a.municipality_id
left join app.schools sc on sc.id = a.school_id
join app.regions r on r.id = a.region_id
where r.code = '47';

do $$
declare
  t       record;
  v_login text;
  v_rep   text;
begin
  for t in select * from demo_target where target <> 'not_started' order by id loop
    v_login := case t.executor_kind
                 when 'committee' then 'committee'
                 when 'loiro' then 'loiro'
                 when 'municipality' then (select u.login from app.users u where u.municipality_id = t.municipality_id and u.role = 'municipality' order by u.id limit 1)
                 else (select u.login from app.users u where u.school_id = t.school_id order by u.id limit 1)
               end;
    perform pg_temp.demo_as(v_login);
    v_rep := case when t.target = 'in_progress' then 'in_progress' else 'done' end;
    perform app.assignment_report(t.id, null, jsonb_build_object(
      'status', v_rep,
      'text', case v_rep when 'in_progress' then format('Работа по пункту %s ведётся: мероприятия проводятся по плану, отчёт будет представлен в срок.', t.number)
                         else format('Пункт %s выполнен. Материалы размещены на сайте, справка направлена в комитет.', t.number) end,
      'links', case v_rep when 'done' then jsonb_build_array(format('https://docs.example.org/orientir/%s/%s', t.id, t.number))
                          else '[]'::jsonb end));
    if t.target in ('accepted', 'returned', 'reported_again') then
      perform pg_temp.demo_as('committee');
      if t.target = 'accepted' then
        perform app.assignment_accept(t.id, null);
      else
        perform app.assignment_return(t.id, null,
          'Отчёт неполный: приложите перечень проведённых мероприятий с датами и ссылку на опубликованные материалы.');
      end if;
    end if;
    if t.target = 'reported_again' then
      perform pg_temp.demo_as(v_login);
      perform app.assignment_report(t.id, null, jsonb_build_object(
        'status', 'done',
        'text', format('Пункт %s: доработано по замечаниям — перечень мероприятий с датами приложен.', t.number),
        'links', jsonb_build_array(format('https://docs.example.org/orientir/%s/%s-v2', t.id, t.number))));
    end if;
  end loop;
end
$$;

select app.set_claims_of(null), set_config('request.id', '', true) \gset
\endif
