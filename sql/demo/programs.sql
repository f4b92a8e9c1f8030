-- Demo: development programs (issue 4). Included by load.sql inside its
-- transaction, after diagnostics.sql and execution.sql.
--
-- Programs for last year's (closed) self-diagnostic campaign, written as the
-- schools and decided by their municipalities would have done it over the
-- past year. Set-based: rows are inserted in valid states and moved along
-- the state machine by plain UPDATEs as the superuser — the guards of 0040
-- hold throughout (measures are inserted while their program is a draft,
-- progress is set while it is approved, a revision supersedes its
-- predecessor before it is approved), the audit triggers record every row
-- with role system, and the history (program_events) names the school's and
-- the municipality's users as app.program_event would.
--
-- Fates, deterministic per school (hashtext of its code), over the schools
-- whose accepted submission of the closed campaign holds a deficit:
--   ~8 % no program (the municipality's «Без программы» tab), ~6 % draft
--   (some deficits not yet covered), ~10 % submitted, ~8 % returned with a
--   comment, ~4 % approved with a draft revision 2, ~2 % revision 2 approved
--   with revision 1 superseded, the rest approved. Approved programs carry
--   measures in every progress state (done, not done with a reason, in
--   progress, planned), many overdue.
-- Pinned (Тихвинский district, mo-tikhvinsky): school-47-16-001 approved (a
--   measure done, one in progress and overdue), 47-16-002 submitted,
--   47-16-003 returned, 47-16-004 draft, 47-16-006 approved with a draft
--   revision 2, 47-16-007 revision 2 approved (revision 1 superseded).
--   school-47-16-005 has no program for the open campaign (its accepted
--   open-campaign submission is the browser test's).
-- Measures: one per deficit (title by indicator code, realistic for the
-- direction), plus one for a growth area in some programs. Deficits
-- addressed by an approved program are in work; a few closed by the
-- municipality with a reason; those met by this year's accepted
-- self-diagnostics were already eliminated by the trigger of 0040.
-- Practices: 30 by ЛОИРО, linked to every indicator of the named code in the
-- region's instruments. Partnerships: a few per the municipalities' choice,
-- pinned mo-tikhvinsky: 47-16-001 ← mentor 47-16-007, 47-16-003 ← 47-16-008.
-- Loading again adds nothing (keyed on the region having programs).

select exists (select 1 from app.programs p join app.regions r on r.id = p.region_id where r.code = '47')
  as demo_programs_loaded \gset

\if :demo_programs_loaded
\else

reset role;
select app.set_claims_of(null), set_config('request.id', 'demo-data', true)
\gset demo_ignored_
-- Today in Moscow once: app.moscow_today() pins search_path, so it is not
-- inlined and costs a function call per row.
select app.moscow_today() as demo_today \gset

-- Measure titles by indicator code (shared by the three variants) --------------------------------
create temp table demo_measure_title (code text primary key, title text not null) on commit drop;
insert into demo_measure_title values
  ('Z01', 'Перевести преподавание всех учебных предметов на федеральные рабочие программы, утвердить изменения в ООП приказом директора'),
  ('Z02', 'Доукомплектовать библиотечный фонд учебниками из федерального перечня (заявка учредителю, перераспределение через обменный фонд района)'),
  ('Z03', 'Включить электронные образовательные ресурсы из федерального перечня в рабочие программы и КТП учителей'),
  ('Z04', 'Открыть классы (группы) с углублённым изучением математики и информатики по запросу родителей'),
  ('Z05', 'Разработать учебный план профильного обучения (технологический и универсальный профили) на уровне СОО'),
  ('Z06', 'Организовать выполнение индивидуальных проектов всеми обучающимися 10–11 классов, назначить руководителей проектов'),
  ('Z07', 'Вовлечь обучающихся 5–9 классов в учебно-исследовательскую деятельность: школьная научно-практическая конференция'),
  ('Z08', 'Заключить договоры о сетевой форме реализации программ с организациями дополнительного образования и СПО'),
  ('Z09', 'Организовать подготовку обучающихся к муниципальному этапу всероссийской олимпиады школьников (кружки, наставники)'),
  ('Z10', 'Разработать и утвердить положение о ВСОКО, график внутришкольного контроля и анализа результатов'),
  ('Z11', 'Обеспечить объективность проведения ВПР: независимые наблюдатели, перекрёстная проверка работ'),
  ('Z12', 'Организовать индивидуальную подготовку к ГИА-9 обучающихся группы риска, консультации по предметам'),
  ('Z13', 'Организовать подготовку к ГИА-11 по обязательным предметам, мониторинг пробных экзаменов'),
  ('Z14', 'Включить в план внеурочной деятельности занятия по учебным предметам не менее 1 часа в неделю в каждом классе'),
  ('Z15', 'Разработать адаптированные основные общеобразовательные программы для обучающихся с ОВЗ по заключениям ПМПК'),
  ('Z16', 'Провести диагностику функциональной грамотности на платформе РЭШ и спланировать работу по её результатам'),
  ('Z17', 'Разработать индивидуальные образовательные маршруты для обучающихся с трудностями в обучении'),
  ('V01', 'Привести рабочую программу воспитания и календарный план воспитательной работы в соответствие с федеральными'),
  ('V02', 'Ввести в штатное расписание должность советника директора по воспитанию, направить кандидата на отбор'),
  ('V03', 'Создать первичное отделение «Движения первых», провести учредительное собрание'),
  ('V04', 'Сформировать совет обучающихся, утвердить положение об ученическом самоуправлении'),
  ('V05', 'Обеспечить еженедельную церемонию поднятия (спуска) Государственного флага и исполнения гимна'),
  ('V06', 'Включить цикл «Разговоры о важном» в план внеурочной деятельности всех классов'),
  ('V07', 'Создать волонтёрский отряд, зарегистрировать его на платформе «Добро.рф»'),
  ('V08', 'Открыть военно-патриотический клуб (отряд «Юнармии») при участии местного отделения'),
  ('V09', 'Подключить 1–4 классы к программе «Орлята России», обучить классных руководителей'),
  ('V10', 'Создать родительский совет школы, утвердить план родительского всеобуча'),
  ('V11', 'Организовать тематические смены в пришкольном лагере в летний период'),
  ('V12', 'Обеспечить участие обучающихся в проектах «Движения первых» регионального и всероссийского уровня'),
  ('V13', 'Разработать и утвердить школьную символику (флаг, гимн, эмблема) с участием обучающихся'),
  ('V14', 'Разработать программу краеведения и школьного туризма, организовать походы и экскурсии по области'),
  ('H01', 'Создать школьный спортивный клуб и внести сведения о нём во всероссийский реестр ШСК'),
  ('H02', 'Расширить число видов спорта в школьном спортивном клубе (волейбол, лёгкая атлетика, шахматы)'),
  ('H03', 'Организовать подготовку и сдачу нормативов ВФСК «ГТО» обучающимися'),
  ('H04', 'Обеспечить участие в «Президентских состязаниях» и «Президентских спортивных играх»'),
  ('H05', 'Обеспечить бесплатным горячим питанием всех обучающихся 1–4 классов'),
  ('H06', 'Разработать и реализовать программу здоровьесбережения и формирования ЗОЖ'),
  ('H07', 'Получить лицензию на медицинскую деятельность для медицинского кабинета (договор с ЦРБ)'),
  ('H08', 'Провести цикл профилактических мероприятий по предупреждению употребления ПАВ с участием специалистов'),
  ('H09', 'Обновить спортивную инфраструктуру: ремонт спортзала, оборудование площадки ГТО'),
  ('H10', 'Организовать внутришкольные спортивные лиги и соревнования между классами'),
  ('T01', 'Открыть объединения дополнительного образования технической и естественнонаучной направленностей'),
  ('T02', 'Увеличить охват обучающихся дополнительным образованием, вести учёт в «Навигаторе»'),
  ('T03', 'Создать школьный театр, включить его в реестр школьных театров'),
  ('T04', 'Создать школьный музей (музейную комнату) и паспортизировать его'),
  ('T05', 'Создать школьный хор, организовать участие в муниципальном фестивале хоров'),
  ('T06', 'Создать школьный медиацентр (газета, сообщество в социальной сети)'),
  ('T07', 'Включить посещение мероприятий по «Пушкинской карте» в план воспитательной работы'),
  ('T08', 'Организовать участие обучающихся в творческих конкурсах и фестивалях муниципального и регионального уровня'),
  ('T09', 'Заключить соглашения о сотрудничестве с музеями, библиотеками и театрами района'),
  ('T10', 'Создать школьный киноклуб, подключиться к проекту «Киноуроки в школах России»'),
  ('T11', 'Открыть объединение технического творчества (робототехника, 3D-моделирование) на базе «Точки роста»'),
  ('P01', 'Внедрить единую модель профориентации (профориентационный минимум) в 6–11 классах'),
  ('P02', 'Зарегистрировать школу и обучающихся 6–11 классов в проекте «Билет в будущее»'),
  ('P03', 'Включить курс «Россия — мои горизонты» в план внеурочной деятельности 6–11 классов'),
  ('P04', 'Назначить педагога-навигатора, направить его на обучение'),
  ('P05', 'Организовать профессиональные пробы и экскурсии на предприятия района'),
  ('P06', 'Открыть предпрофессиональный (агро-, инженерный, педагогический) класс'),
  ('P07', 'Организовать профессиональное обучение старшеклассников по профессиям рабочих совместно с колледжем'),
  ('P08', 'Обеспечить участие обучающихся в чемпионатах «Профессионалы» и «Абилимпикс»'),
  ('P09', 'Заключить договоры о сотрудничестве с колледжами и предприятиями района'),
  ('P10', 'Провести цикл родительских собраний и консультаций по профориентации'),
  ('P11', 'Организовать знакомство младших школьников с миром профессий (экскурсии, встречи с родителями)'),
  ('U01', 'Закрыть вакансии педагогических работников: целевое обучение, привлечение молодых специалистов'),
  ('U02', 'Направить педагогов на курсы повышения квалификации из федерального реестра, составить план-график'),
  ('U03', 'Ввести ставку педагога-психолога, при отсутствии кадров — договор с ППМС-центром'),
  ('U04', 'Ввести ставку социального педагога'),
  ('U05', 'Обеспечить логопедическое сопровождение (учитель-логопед по совместительству или договор)'),
  ('U06', 'Разработать положение о наставничестве педагогов, закрепить наставников за молодыми учителями'),
  ('U07', 'Направить управленческую команду на обучение по программам развития школы (ЛОИРО)'),
  ('U08', 'Составить план аттестации педагогов на первую и высшую квалификационные категории'),
  ('U09', 'Организовать участие педагогов в профессиональных конкурсах («Учитель года», «Педагогический дебют»)'),
  ('U10', 'Привлечь молодых педагогов: договоры о целевом обучении, практика студентов педвузов'),
  ('U11', 'Провести диагностику профессиональных дефицитов педагогов, составить индивидуальные маршруты'),
  ('U12', 'Ввести должность педагога-библиотекаря (тьютора)'),
  ('K01', 'Разработать программу психолого-педагогического сопровождения обучающихся'),
  ('K02', 'Создать школьную службу медиации (примирения), обучить кураторов'),
  ('K03', 'Оборудовать кабинет педагога-психолога и зону психологической разгрузки'),
  ('K04', 'Реализовать программу профилактики травли (буллинга): тренинги, анонимный ящик доверия'),
  ('K05', 'Обеспечить участие обучающихся в социально-психологическом тестировании, работа с родителями'),
  ('K06', 'Создать совет профилактики правонарушений, утвердить план его работы'),
  ('K07', 'Создать психолого-педагогический консилиум для сопровождения обучающихся с ОВЗ и инвалидностью'),
  ('K08', 'Провести анкетирование родителей о качестве образования и обсудить результаты на родительском совете'),
  ('K09', 'Принять единые требования к школьной форме и правилам поведения с учётом мнения совета обучающихся'),
  ('K10', 'Оборудовать зоны отдыха (рекреации) для обучающихся'),
  ('S01', 'Обеспечить использование ФГИС «Моя школа» всеми педагогами и обучающимися'),
  ('S02', 'Перевести коммуникацию участников образовательных отношений в мессенджер «Сферум»'),
  ('S03', 'Подключить школу к ЕСПД, установить беспроводную сеть в здании'),
  ('S04', 'Перейти на электронный журнал и электронный дневник для всех классов'),
  ('S05', 'Открыть центр «Точка роста» (подать заявку на оснащение в рамках нацпроекта)'),
  ('S06', 'Оснастить кабинеты оборудованием цифровой образовательной среды'),
  ('S07', 'Обеспечить контентную фильтрацию доступа к сети Интернет на всех устройствах'),
  ('S08', 'Создать информационно-библиотечный центр на базе школьной библиотеки'),
  ('S09', 'Обеспечить архитектурную доступность здания: пандус, поручни, тактильные указатели'),
  ('S10', 'Перенести официальный сайт школы на платформу «Госвеб», привести его в соответствие с требованиями'),
  ('S11', 'Благоустроить школьный двор: спортивная, игровая и учебно-опытная зоны');

-- Who answers for a measure, by direction code.
create temp table demo_responsible (direction text primary key, responsible text not null) on commit drop;
insert into demo_responsible values
  ('knowledge', 'Заместитель директора по учебной работе'),
  ('upbringing', 'Заместитель директора по воспитательной работе, советник директора по воспитанию'),
  ('health', 'Руководитель школьного спортивного клуба, заместитель директора по ВР'),
  ('creativity', 'Заместитель директора по воспитательной работе, педагог дополнительного образования'),
  ('career', 'Педагог-навигатор, классные руководители 6–11 классов'),
  ('team', 'Директор школы'),
  ('climate', 'Педагог-психолог, социальный педагог'),
  ('environment', 'Заместитель директора по АХР');

-- The schools and their fate -------------------------------------------------------------------------
create temp table demo_prog on commit drop as
with past as (
  select c.id, c.region_id, c.closes_on from app.campaigns c join app.regions r on r.id = c.region_id
  where r.code = '47' and c.closes_on < :'demo_today'::date order by c.opens_on desc limit 1
),
base as (
  select s.id as submission_id, s.campaign_id, past.region_id, past.closes_on, sc.id as school_id, sc.code,
         sc.municipality_id, abs(hashtext(sc.code || ':program')) % 100 as h,
         (select u.id from app.users u where u.login = 'school-' || sc.code) as school_user,
         (select u.id from app.users u where u.municipality_id = sc.municipality_id and u.role = 'municipality'
          order by u.id limit 1) as mun_user
  from past
  join app.submissions s on s.campaign_id = past.id and s.status = 'accepted'
  join app.schools sc on sc.id = s.school_id
  where exists (select 1 from app.deficits df where df.submission_id = s.id and df.kind = 'deficit')
)
select b.*,
       case b.code
         when '47-16-001' then 'approved' when '47-16-002' then 'submitted' when '47-16-003' then 'returned'
         when '47-16-004' then 'draft' when '47-16-006' then 'revising' when '47-16-007' then 'superseded'
         when '47-16-005' then 'approved'
         else case when b.h < 8 then 'none' when b.h < 14 then 'draft' when b.h < 24 then 'submitted'
                   when b.h < 32 then 'returned' when b.h < 36 then 'revising' when b.h < 38 then 'superseded'
                   else 'approved' end
       end as fate,
       b.closes_on + 30 as period_start,
       b.closes_on + 30 + interval '2 years' - interval '1 day' as period_end,
       b.closes_on + 8 + (b.h % 9) + time '10:15' + (b.h % 40) * interval '1 minute' as created_at,
       b.closes_on + 20 + (b.h % 7) + time '15:40' + (b.h % 17) * interval '1 minute' as submitted_at,
       b.closes_on + 27 + (b.h % 5) + time '11:05' + (b.h % 23) * interval '1 minute' as decided_at
from base b;
delete from demo_prog where fate = 'none';
analyze demo_prog;

-- Revision 1 of every program, as a draft ----------------------------------------------------------------
insert into app.programs (region_id, municipality_id, school_id, campaign_id, submission_id, title, period_start,
                          period_end, created_by, created_at, updated_at)
select d.region_id, d.municipality_id, d.school_id, d.campaign_id, d.submission_id,
       format('Программа развития %s на %s–%s годы «%s»', sc.short_name, extract(year from d.period_start),
              extract(year from d.period_end),
              (array['Школа возможностей', 'Школа Минпросвещения России: переход на базовый уровень',
                     'Качество образования — каждому', 'Вектор развития', 'Школа равных возможностей',
                     'Новые горизонты'])[1 + d.h % 6]),
       d.period_start, d.period_end, d.school_user, d.created_at, d.created_at
from demo_prog d join app.schools sc on sc.id = d.school_id
order by d.school_id;

-- Measures: one per deficit (drafts cover about two thirds so far), plus one
-- for a growth area in a third of the programs. Due dates spread over the
-- two years of the period, so the older ones are past.
create temp table demo_measure on commit drop as
with candidates as (
  select p.id as program_id, d.fate, d.h, d.code as school_code, df.id as deficit_id, df.kind, df.critical,
         x.code as indicator_code, x.text as indicator_text, dir.code as direction_code, dir.position as dpos,
         x.position as xpos, p.period_start, p.period_end,
         row_number() over (partition by p.id, df.kind order by abs(hashtext(d.code || x.code || ':growth')), x.id)
           as kind_rank
  from demo_prog d
  join app.programs p on p.school_id = d.school_id and p.campaign_id = d.campaign_id and p.revision = 1
  join app.deficits df on df.submission_id = d.submission_id
  join app.indicators x on x.id = df.indicator_id
  join app.directions dir on dir.id = x.direction_id
),
targets as (
  select c.*, row_number() over (partition by c.program_id order by c.critical desc, c.kind = 'growth', c.dpos, c.xpos)
                as rn
  from candidates c
  where (c.kind = 'deficit' and (c.fate <> 'draft' or abs(hashtext(c.school_code || c.indicator_code)) % 3 <> 0))
     or (c.kind = 'growth' and c.h % 3 = 0 and c.kind_rank = 1)
)
select t.*,
       coalesce(mt.title, 'Обеспечить выполнение показателя: ' || t.indicator_text) as title,
       coalesce(r.responsible, 'Директор школы') as responsible,
       format('Показатель «%s» выполнен и подтверждён при следующей самодиагностике',
              case when char_length(t.indicator_text) > 160 then left(t.indicator_text, 159) || '…'
                   else t.indicator_text end) as expected_result,
       least(t.period_end, t.period_start + (45 + (t.rn * 37 + abs(hashtext(t.school_code || t.indicator_code)) % 90) % 640)::integer)
         as due_date,
       abs(hashtext(t.school_code || ':' || t.indicator_code || ':progress')) % 100 as ph
from targets t
left join demo_measure_title mt on mt.code = t.indicator_code
left join demo_responsible r on r.direction = t.direction_code;
-- Temporary tables have no statistics until analysed (autovacuum skips them).
create unique index on demo_measure (program_id, rn);
analyze demo_measure;

with made as (
  insert into app.program_measures (program_id, title, due_date, responsible, expected_result, position,
                                    created_at, updated_at)
  select m.program_id, m.title, m.due_date, m.responsible, m.expected_result, m.rn, p.created_at, p.created_at
  from demo_measure m join app.programs p on p.id = m.program_id
  order by m.program_id, m.rn
  returning id, program_id, position
)
insert into app.program_measure_deficits (measure_id, deficit_id)
select made.id, m.deficit_id from made join demo_measure m on m.program_id = made.program_id and m.rn = made.position;

-- Problem analysis for the direction with the most deficits, in half of the programs.
insert into app.program_analyses (program_id, direction_id, text, updated_at)
select distinct on (p.id) p.id, dir.id,
       format('По направлению «%s» самодиагностика выявила дефицитов: %s. Основные причины — нехватка кадров '
              'и ресурсов, недостаточная координация работы педагогического коллектива. Меры программы '
              'направлены на устранение каждого дефицита в течение периода программы, ход выполнения '
              'рассматривается на педагогическом совете не реже раза в полугодие.', dir.title, count(*)),
       p.created_at
from demo_prog d
join app.programs p on p.school_id = d.school_id and p.campaign_id = d.campaign_id
join app.deficits df on df.submission_id = d.submission_id and df.kind = 'deficit'
join app.indicators x on x.id = df.indicator_id
join app.directions dir on dir.id = x.direction_id
where d.h % 2 = 0
group by p.id, dir.id, dir.title, dir.position
order by p.id, count(*) desc, dir.position;

-- The state machine: submitted, then returned or approved ------------------------------------------------
update app.programs p set status = 'submitted', submitted_at = d.submitted_at
from demo_prog d
where p.school_id = d.school_id and p.campaign_id = d.campaign_id and d.fate <> 'draft';

update app.programs p set status = case when d.fate = 'returned' then 'returned' else 'approved' end,
                          decided_at = d.decided_at
from demo_prog d
where p.school_id = d.school_id and p.campaign_id = d.campaign_id
  and d.fate in ('returned', 'approved', 'revising', 'superseded');

-- Progress of the approved programs' measures: past due — mostly done,
-- some not done with a reason, some still in progress or planned (overdue);
-- future — some in progress, a few done early.
update app.program_measures pm
set status = x.status,
    progress_note = case x.status
      when 'done' then (array['Выполнено: приказ издан, работа ведётся по утверждённому плану.',
                              'Выполнено в срок, результаты рассмотрены на педагогическом совете.',
                              'Выполнено: информация размещена на сайте школы.',
                              'Выполнено частично за счёт внебюджетных средств, остальное — в рамках муниципальной программы.'])
                       [1 + m.ph % 4]
      when 'not_done' then (array['Не выполнено: нет финансирования, заявка направлена учредителю.',
                                  'Не выполнено: вакансия не закрыта, кандидатов нет.',
                                  'Перенесено на следующий учебный год по решению педагогического совета.'])
                           [1 + m.ph % 3]
      when 'in_progress' then case when m.ph % 2 = 0 then 'Работа начата, выполнено около половины.' end
    end,
    progress_at = case when x.status <> 'planned'
                       then least(m.due_date, :'demo_today'::date - 1 - m.ph % 20) + time '16:20' end,
    progress_by = case when x.status <> 'planned' then d.school_user end
from demo_measure m
join app.programs p on p.id = m.program_id
join demo_prog d on d.school_id = p.school_id and d.campaign_id = p.campaign_id
cross join lateral (
  select case
           when m.due_date < :'demo_today'::date then
             case when m.ph < 60 then 'done' when m.ph < 72 then 'not_done' when m.ph < 90 then 'in_progress'
                  else 'planned' end
           else case when m.ph < 25 then 'in_progress' when m.ph < 30 then 'done' else 'planned' end
         end as status
) x
where pm.program_id = m.program_id and pm.position = m.rn and p.status = 'approved'
  and x.status <> 'planned';

-- Pinned 47-16-001: its earliest measure done, the next one in progress and overdue.
update app.program_measures pm
set status = v.status, progress_note = v.note, progress_at = q.due + time '16:20',
    progress_by = (select u.id from app.users u where u.login = 'school-47-16-001')
from (select m.id, m.due_date as due, row_number() over (order by m.due_date, m.position) as k
      from app.program_measures m join app.programs p on p.id = m.program_id
      join app.schools s on s.id = p.school_id
      where s.code = '47-16-001' and m.due_date < :'demo_today'::date - 1) q
join (values (1::bigint, 'done', 'Выполнено в срок, результаты рассмотрены на педагогическом совете.'),
             (2, 'in_progress', 'Работа начата, выполнено около половины.')) v(k, status, note) on v.k = q.k
where pm.id = q.id;

-- Revisions: «revising» schools have started revision 2 (a draft copying
-- revision 1 with its progress and links); «superseded» ones had it
-- approved, revision 1 stepping down.
insert into app.programs (region_id, municipality_id, school_id, campaign_id, submission_id, title, period_start,
                          period_end, revision, previous_id, created_by, created_at, updated_at)
select p.region_id, p.municipality_id, p.school_id, p.campaign_id, p.submission_id, p.title, p.period_start,
       p.period_end, 2, p.id, p.created_by, d.decided_at + interval '120 days', d.decided_at + interval '120 days'
from demo_prog d
join app.programs p on p.school_id = d.school_id and p.campaign_id = d.campaign_id and p.revision = 1
where d.fate in ('revising', 'superseded');

insert into app.program_analyses (program_id, direction_id, text, updated_at)
select r.id, a.direction_id, a.text, r.created_at
from app.programs r join app.program_analyses a on a.program_id = r.previous_id
where r.revision = 2 and r.campaign_id in (select campaign_id from demo_prog);

with copied as (
  insert into app.program_measures (program_id, title, due_date, responsible, expected_result, status, progress_note,
                                    progress_at, progress_by, position, source_measure_id, created_at, updated_at)
  select r.id, pm.title, pm.due_date, pm.responsible, pm.expected_result, pm.status, pm.progress_note, pm.progress_at,
         pm.progress_by, pm.position, pm.id, r.created_at, r.created_at
  from app.programs r join app.program_measures pm on pm.program_id = r.previous_id
  where r.revision = 2 and r.campaign_id in (select campaign_id from demo_prog)
  returning id, source_measure_id
)
insert into app.program_measure_deficits (measure_id, deficit_id)
select c.id, l.deficit_id from copied c join app.program_measure_deficits l on l.measure_id = c.source_measure_id;

update app.programs r set status = 'submitted', submitted_at = r.created_at + interval '14 days'
from demo_prog d
where r.school_id = d.school_id and r.campaign_id = d.campaign_id and r.revision = 2 and d.fate = 'superseded';
update app.programs p set status = 'superseded'
from demo_prog d
where p.school_id = d.school_id and p.campaign_id = d.campaign_id and p.revision = 1 and d.fate = 'superseded';
update app.programs r set status = 'approved', decided_at = r.created_at + interval '20 days'
from demo_prog d
where r.school_id = d.school_id and r.campaign_id = d.campaign_id and r.revision = 2 and d.fate = 'superseded';

-- Deficits addressed by approved programs are in work (those already
-- eliminated by this year's accepted self-diagnostics stay eliminated).
update app.deficits df set status = 'in_work', status_at = p.decided_at
from app.program_measure_deficits l
join app.program_measures pm on pm.id = l.measure_id
join app.programs p on p.id = pm.program_id
where df.id = l.deficit_id and p.status = 'approved' and df.status = 'open'
  and p.campaign_id in (select campaign_id from demo_prog);

-- A few deficits closed by the municipality with a reason (audited as the
-- function does).
with closing as (
  select df.id, df.status, d.mun_user,
         (array['Показатель не применим: в школе нет обучающихся с ОВЗ, потребность подтверждена ПМПК.',
                'Решение принято учредителем: функция передана ресурсному центру района по договору.',
                'Здание школы находится в аварийном состоянии, вопрос будет решён при переезде в новое здание.'])
           [1 + abs(hashtext(df.id::text)) % 3] as reason
  from app.deficits df join demo_prog d on d.submission_id = df.submission_id
  where df.kind = 'deficit' and df.status in ('open', 'in_work') and abs(hashtext(df.id::text || ':close')) % 100 < 3
),
closed as (
  update app.deficits df
  set status = 'closed', status_at = now() - interval '30 days', closed_reason = c.reason, closed_by = c.mun_user
  from closing c where df.id = c.id
  returning df.id, c.status, c.reason, c.mun_user
)
insert into app.audit_log (user_id, role, request_id, action, entity, entity_id, before, after)
select null, 'system', 'demo-data', 'close', 'deficits', c.id, jsonb_build_object('status', c.status),
       jsonb_build_object('status', 'closed', 'reason', c.reason, 'closed_by', c.mun_user)
from closed c;

-- History, as app.program_event records it ------------------------------------------------------------
insert into app.program_events (program_id, action, status, at, user_id, actor_role, actor_name, actor_organisation,
                                comment)
select p.id, e.action, e.status, e.at, u.id, u.role, u.full_name,
       case when u.role = 'school' then sc.short_name else m.name end, e.comment
from app.programs p
join demo_prog d on d.school_id = p.school_id and d.campaign_id = p.campaign_id
join app.schools sc on sc.id = p.school_id
join app.municipalities m on m.id = sc.municipality_id
cross join lateral (values
  ('create', 'draft', p.created_at, d.school_user, null::text, p.revision = 1),
  ('revise', 'draft', p.created_at, d.school_user, null, p.revision = 2),
  ('submit', 'submitted', p.submitted_at, d.school_user, null, p.submitted_at is not null),
  ('return', 'returned', p.decided_at, d.mun_user,
   (array['Мероприятия по направлению «Учитель. Школьная команда» не обеспечены ресурсами: уточните источники и сроки.',
          'Сроки ряда мероприятий выходят за учебный год без обоснования. Уточните сроки и ответственных.',
          'Ожидаемые результаты сформулированы общими словами: укажите измеримые показатели.',
          'Не учтены рекомендации ЛОИРО по критическим показателям. Доработайте раздел и отправьте снова.'])
     [1 + d.h % 4], p.status = 'returned'),
  ('approve', 'approved', p.decided_at, d.mun_user, null, p.status in ('approved', 'superseded')),
  ('supersede', 'superseded', (select r.decided_at from app.programs r where r.previous_id = p.id), d.mun_user, null,
   p.status = 'superseded')
) e(action, status, at, actor, comment, happened)
join app.users u on u.id = e.actor
where e.happened;

-- Comments of ЛОИРО and the municipality on some programs.
insert into app.program_comments (program_id, text, at, user_id, actor_role, actor_name, actor_organisation)
select p.id, c.text, coalesce(p.submitted_at, p.created_at) + interval '2 days', u.id, u.role, u.full_name,
       case u.role when 'loiro' then r.institute_name else m.name end
from app.programs p
join demo_prog d on d.school_id = p.school_id and d.campaign_id = p.campaign_id and p.revision = 1
join app.schools sc on sc.id = p.school_id
join app.municipalities m on m.id = sc.municipality_id
join app.regions r on r.id = p.region_id
cross join lateral (values
  ('loiro', 'Рекомендуем использовать практики из библиотеки ЛОИРО по показателям направления «Школьный климат». '
            'Приглашаем управленческую команду на постоянно действующий семинар.', d.h % 5 = 0),
  ('municipality', 'Просим до конца полугодия представить отчёт о ходе выполнения мероприятий по критическим показателям.',
   d.h % 7 = 0 and p.status = 'approved')
) c(role, text, happened)
join app.users u on u.role = c.role
               and (u.role = 'loiro' and u.region_id = p.region_id or u.municipality_id = sc.municipality_id)
where c.happened;

-- Practices of ЛОИРО ---------------------------------------------------------------------------------------
create temp table demo_practice (n integer primary key, title text, body text, links text[], codes text[]) on commit drop;
insert into demo_practice values
  (1, 'Переход на федеральные рабочие программы: пошаговый алгоритм для школы',
   'Алгоритм включает анализ действующих рабочих программ, использование конструктора рабочих программ, утверждение изменений в ООП и информирование родителей. Приведены образцы приказов и протокола педсовета.',
   '{https://edsoo.ru/konstruktor-rabochih-programm/}', '{Z01,V01}'),
  (2, 'Как укомплектовать фонд учебниками: обменный фонд района',
   'Опыт Лужского района: единая база учебников школ района, перераспределение излишков, совместная заявка учредителю. Школы закрыли дефицит учебников за один учебный год.',
   '{}', '{Z02}'),
  (3, 'ВСОКО в малокомплектной школе', 'Положение о ВСОКО, сокращённый перечень процедур и график контроля для школы до 100 обучающихся; роли директора и методического объединения.', '{}', '{Z10,Z11}'),
  (4, 'Школьная научно-практическая конференция для 5–9 классов', 'Организация конференции: темы проектов, кураторы, критерии оценивания, публикация лучших работ. Вовлечение до 60 % обучающихся основной школы.', '{}', '{Z06,Z07}'),
  (5, 'Индивидуальный образовательный маршрут обучающегося с трудностями в обучении', 'Шаблон ИОМ, порядок работы ППк, формы контроля продвижения обучающегося; опыт школ Волховского района.', '{}', '{Z17,K07}'),
  (6, 'Функциональная грамотность: диагностика и работа по результатам', 'Использование банка заданий ФИПИ и РЭШ, проведение диагностики в 5–9 классах, анализ и включение заданий в уроки.', '{https://fg.resh.edu.ru/}', '{Z16}'),
  (7, 'Советник директора по воспитанию: с чего начать', 'Функционал советника, взаимодействие с классными руководителями и «Движением первых», план первых ста дней.', '{}', '{V02,V03,V12}'),
  (8, 'Церемония поднятия Государственного флага: регламент', 'Регламент еженедельной церемонии, роли обучающихся, знаменная группа, методические рекомендации Минпросвещения.', '{}', '{V05,V13}'),
  (9, '«Разговоры о важном» в малокомплектной школе', 'Разновозрастные группы, использование материалов портала, вовлечение родителей и социальных партнёров.', '{https://razgovor.edsoo.ru/}', '{V06}'),
  (10, 'Школьный волонтёрский отряд: регистрация и первые проекты', 'Пошаговая регистрация отряда на платформе «Добро.рф», примеры акций, учёт волонтёрских часов.', '{https://dobro.ru/}', '{V07}'),
  (11, 'Родительский всеобуч: программа на учебный год', 'Темы встреч по классам, формы (лекторий, консультации онлайн в «Сферуме»), анкета обратной связи.', '{}', '{V10,P10,K08}'),
  (12, 'Создание школьного спортивного клуба и включение в реестр', 'Документы для создания ШСК, порядок внесения в реестр, выбор видов спорта с учётом инфраструктуры.', '{}', '{H01,H02}'),
  (13, 'ГТО в сельской школе', 'Подготовка к сдаче нормативов, взаимодействие с центром тестирования, мотивация обучающихся и родителей.', '{https://www.gto.ru/}', '{H03,H04}'),
  (14, 'Программа здоровьесбережения: модульная структура', 'Модули программы: питание, двигательная активность, профилактика ПАВ, психологическое здоровье; показатели эффективности.', '{}', '{H06,H08}'),
  (15, 'Дополнительное образование без дополнительных ставок: сетевая модель', 'Сетевые договоры с домом творчества и учреждениями культуры, расписание, учёт в «Навигаторе».', '{}', '{T01,T02,T09,Z08}'),
  (16, 'Школьный театр: от кружка до реестра школьных театров', 'Организация театральной студии, репертуар, участие во всероссийском фестивале школьных театров.', '{}', '{T03}'),
  (17, 'Школьный музей: паспортизация', 'Требования к музею, порядок паспортизации, использование экспозиции на уроках истории и в краеведении.', '{}', '{T04,V14}'),
  (18, 'Школьный медиацентр силами обучающихся', 'Состав редакции, сообщество в социальной сети, правила модерации, обучение юных журналистов.', '{}', '{T06}'),
  (19, 'Профориентационный минимум: базовый уровень', 'Внедрение профминимума: «Россия — мои горизонты», диагностика склонностей, профпробы на платформе «Билет в будущее».', '{https://bvbinfo.ru/}', '{P01,P02,P03,P04}'),
  (20, 'Профессиональные пробы на предприятиях района', 'Договоры с предприятиями, график проб, техника безопасности, рефлексия обучающихся.', '{}', '{P05,P09}'),
  (21, 'Агрокласс в сельской школе', 'Опыт открытия агрокласса: учебный план, партнёрство с агрохолдингом, учебно-опытный участок.', '{}', '{P06,S11}'),
  (22, 'Закрытие вакансий: целевое обучение и наставничество', 'Договоры о целевом обучении с РГПУ им. А. И. Герцена, программа «Земский учитель», адаптация молодых педагогов.', '{}', '{U01,U10,U06}'),
  (23, 'Диагностика профессиональных дефицитов педагогов и ИОМ', 'Проведение диагностики, составление индивидуальных образовательных маршрутов, выбор курсов из федерального реестра.', '{}', '{U11,U02}'),
  (24, 'Психолого-педагогическое сопровождение без штатного психолога', 'Договор с ППМС-центром, выездные консультации, обучение классных руководителей первичной диагностике.', '{}', '{U03,K01,K03}'),
  (25, 'Школьная служба медиации: запуск за полгода', 'Обучение кураторов, отбор медиаторов-ровесников, журнал случаев, взаимодействие с КДН.', '{}', '{K02,K06}'),
  (26, 'Профилактика буллинга: программа для 5–9 классов', 'Тренинги, анонимный ящик доверия, правила поведения класса, работа с родителями.', '{}', '{K04,K09}'),
  (27, 'ФГИС «Моя школа» и «Сферум»: переход за один месяц', 'План перехода, обучение педагогов, создание классных чатов, контроль использования.', '{https://myschool.edu.ru/,https://sferum.ru/}', '{S01,S02,S04}'),
  (28, 'Сайт школы на платформе «Госвеб»', 'Перенос сайта, обязательные разделы, ответственные за наполнение, проверка соответствия требованиям.', '{https://gosweb.gosuslugi.ru/}', '{S10}'),
  (29, 'Доступная среда: минимальный набор мер', 'Пандус, поручни, тактильные указатели, паспорт доступности; источники финансирования.', '{}', '{S09,Z15}'),
  (30, '«Точка роста» как центр технического творчества', 'Использование оборудования центра для робототехники и 3D-моделирования, сетевые программы для соседних школ.', '{}', '{S05,T11,S06}');

with made as (
  insert into app.practices (region_id, title, body, links, created_by, author_name, created_at, updated_at)
  select r.id, dp.title, dp.body, dp.links, u.id, u.full_name,
         now() - (40 - dp.n) * interval '9 days', now() - (40 - dp.n) * interval '9 days'
  from demo_practice dp
  cross join app.regions r
  join app.users u on u.login = 'loiro'
  where r.code = '47'
  order by dp.n
  returning id, title
)
insert into app.practice_indicators (practice_id, indicator_id)
select distinct made.id, x.id
from made
join demo_practice dp on dp.title = made.title
join app.indicators x on x.code = any (dp.codes)
join app.instruments i on i.id = x.instrument_id
join app.regions r on r.id = i.region_id and r.code = '47';

-- Partnerships, recorded by the mentee's municipality ------------------------------------------------------
with pairs(school, mentor, codes) as (values
  ('47-16-001', '47-16-007', '{K02,K04,T03}'::text[]), ('47-16-003', '47-16-008', '{H01,H02}'),
  ('47-04-003', '47-04-001', '{U06,U11}'), ('47-07-005', '47-07-002', '{P01,P02}'),
  ('47-12-004', '47-01-001', '{S05,T11}'), ('47-02-006', '47-02-001', '{V02,V03}')
)
, made as (
  insert into app.partnerships (region_id, municipality_id, school_id, mentor_school_id, created_by, created_at)
  select m.region_id, s.municipality_id, s.id, t.id,
         (select u.id from app.users u where u.municipality_id = s.municipality_id and u.role = 'municipality'
          order by u.id limit 1),
         now() - interval '60 days'
  from pairs
  join app.schools s on s.code = pairs.school
  join app.schools t on t.code = pairs.mentor
  join app.municipalities m on m.id = s.municipality_id
  returning id, school_id
)
insert into app.partnership_indicators (partnership_id, indicator_id)
select distinct made.id, x.id
from made
join app.schools s on s.id = made.school_id
join pairs on pairs.school = s.code
join app.campaign_schools cs on cs.school_id = s.id
join app.indicators x on x.instrument_id = cs.instrument_id and x.code = any (pairs.codes);

\endif
reset role;
select app.set_claims_of(null), set_config('request.id', '', true)
\gset demo_ignored_
