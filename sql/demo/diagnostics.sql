-- Demo: self-diagnostics (issue 3). Included by load.sql inside its
-- transaction, after the organisations and users; :demo_dir is this
-- directory (load.sql finds it).
--
-- Instruments: the three variants of «Школа Минпросвещения России» in
-- instruments/*.json, loaded and published through app.instrument_create /
-- app.instrument_publish as the ЛОИРО user — the same path as the API:
--   shmr      schools with senior classes (applies_to levels [secondary]), 96 indicators
--   shmr-oo   basic schools without senior classes (levels [basic]), 91 indicators
--   shmr-noo  primary schools (levels [primary]), 80 indicators
-- Campaigns, created through app.campaign_create as the committee, both
-- targeting every school with the variants in that order, dates relative to
-- the load day:
--   «Самодиагностика ОО … <month year>»  a year ago (opened 380 days ago,
--     closed 345 days ago): ~97 % accepted, a few left submitted or draft,
--     one in a hundred never started;
--   «Самодиагностика ОО … <month year>»  open (opened 14 days ago, closes in
--     21 days): ~20 % not started, ~25 % draft, ~20 % submitted, ~10 %
--     returned with a comment, ~25 % accepted.
-- Pinned for demos and browser tests, in the open campaign (Тихвинский
-- district, municipality login mo-tikhvinsky):
--   school-47-16-001 not started, school-47-16-002 draft (some answers),
--   school-47-16-003 submitted, school-47-16-004 returned, school-47-16-005 accepted;
-- all five were accepted in the closed campaign (results to compare with).
--
-- Answers are generated set-based from a deterministic pseudo-random draw
-- per school (hashtext of its code): each school has a "strength" (weak to
-- strong) and a bias per direction; critical indicators are mostly met.
-- Results are then computed by app.submissions_score — the one scoring
-- implementation submit uses. Loading again adds nothing (keyed on the
-- instrument codes and on the region having campaigns).

\set demo_doc_shmr `cat :'demo_dir'/instruments/shmr-v1.json`
\set demo_doc_shmr_oo `cat :'demo_dir'/instruments/shmr-oo-v1.json`
\set demo_doc_shmr_noo `cat :'demo_dir'/instruments/shmr-noo-v1.json`

-- Instruments, as ЛОИРО -------------------------------------------------------------
select app.set_claims_of(u.id),
       set_config('request.id', 'demo-data', true)
from app.users u where u.login = 'loiro'
\gset demo_ignored_
set local role orientir_loiro;

select count(app.instrument_publish((app.instrument_create(d.doc) ->> 'id')::bigint)) as demo_published
from (values ('shmr', :'demo_doc_shmr'::json), ('shmr-oo', :'demo_doc_shmr_oo'::json),
             ('shmr-noo', :'demo_doc_shmr_noo'::json)) d(code, doc)
where not exists (select 1 from app.instruments i where i.code = d.code and i.version = 1)
\gset

reset role;
select exists (select 1 from app.campaigns c join app.regions r on r.id = c.region_id where r.code = '47')
       as demo_has_campaigns
\gset

\if :demo_has_campaigns
\else

-- Campaigns, as the committee ---------------------------------------------------------
select app.set_claims_of(u.id)
from app.users u where u.login = 'committee'
\gset demo_ignored_
set local role orientir_committee;

select count(app.campaign_create(jsonb_build_object(
         'title', format('Самодиагностика ОО «Школа Минпросвещения России», %s %s',
                         (array['январь', 'февраль', 'март', 'апрель', 'май', 'июнь', 'июль', 'август',
                                'сентябрь', 'октябрь', 'ноябрь', 'декабрь'])[extract(month from k.opens_on)],
                         extract(year from k.opens_on)),
         'instrument_ids', (select jsonb_agg(i.id order by array_position(array['shmr', 'shmr-oo', 'shmr-noo'], i.code))
                            from app.instruments i where i.code in ('shmr', 'shmr-oo', 'shmr-noo') and i.version = 1),
         'opens_on', k.opens_on, 'closes_on', k.closes_on,
         'target', jsonb_build_object('all', true)))) as demo_campaigns
from (values (current_date - 380, current_date - 345), (current_date - 14, current_date + 21)) k(opens_on, closes_on)
\gset

-- Submissions, set-based, as the system (audit role system) ------------------------------
reset role;
select app.set_claims_of(null)
\gset demo_ignored_

-- One row per targeted school and campaign: its fate, strength and timestamps.
create temp table demo_sub on commit drop as
with base as (
  select cs.campaign_id, cs.school_id, cs.instrument_id, s.code, s.municipality_id, c.opens_on, c.closes_on,
         case when c.closes_on < current_date then 'past' else 'current' end as kind,
         abs(hashtext(s.code || ':state:' || c.opens_on)) % 100 as h,
         0.36 + 0.60 * (abs(hashtext(s.code || ':strength')) % 1000) / 1000.0 as strength
  from app.campaign_schools cs
  join app.campaigns c on c.id = cs.campaign_id
  join app.schools s on s.id = cs.school_id
  join app.municipalities m on m.id = s.municipality_id
  join app.regions r on r.id = m.region_id
  where r.code = '47'
),
fated as (
  select b.*,
         case
           when b.kind = 'past' and b.code between '47-16-001' and '47-16-005' then 'accepted'
           when b.kind = 'current' and b.code = '47-16-001' then 'not_started'
           when b.kind = 'current' and b.code = '47-16-002' then 'draft'
           when b.kind = 'current' and b.code = '47-16-003' then 'submitted'
           when b.kind = 'current' and b.code = '47-16-004' then 'returned'
           when b.kind = 'current' and b.code = '47-16-005' then 'accepted'
           when b.kind = 'past' then case when b.h = 0 then 'not_started' when b.h = 1 then 'draft'
                                          when b.h = 2 then 'submitted' else 'accepted' end
           else case when b.h < 20 then 'not_started' when b.h < 45 then 'draft' when b.h < 65 then 'submitted'
                     when b.h < 75 then 'returned' else 'accepted' end
         end as fate
  from base b
)
select f.*,
       f.strength + case when f.kind = 'current' then 0.04 else 0 end as effort,
       f.opens_on + (f.h % 5) + interval '9 hours' + (f.h % 53) * interval '1 minute' as opened_at,
       f.opens_on + (f.h % 5) + 1 + (f.h % 6) + interval '14 hours' + (f.h % 41) * interval '1 minute' as submitted_at,
       f.opens_on + (f.h % 5) + 2 + (f.h % 6) + (f.h % 3) + interval '11 hours' + (f.h % 37) * interval '1 minute'
         as decided_at,
       20 + f.h % 70 as draft_share
from fated f
where f.fate <> 'not_started';

insert into app.submissions (campaign_id, school_id, instrument_id, created_at, updated_at)
select d.campaign_id, d.school_id, d.instrument_id, d.opened_at, d.opened_at
from demo_sub d
order by d.campaign_id, d.school_id;

-- Answers: points drawn per school, direction and indicator; drafts answer a
-- share of the indicators only. A few zero answers carry a comment.
insert into app.answers (submission_id, instrument_id, indicator_id, option_id, points, comment, updated_at, updated_by)
select sub.id, sub.instrument_id, x.id, o.id, o.points,
       case when o.points = 0 and a.u < 0.06
            then (array['Планируется в следующем учебном году',
                        'Нет кадров: вакансия объявлена',
                        'Вопрос решается с учредителем',
                        'Частично: работа начата в этом году'])[1 + (abs(hashtext(d.code || x.code)) % 4)] end,
       d.opened_at + (a.u * 20) * interval '1 hour', u.id
from demo_sub d
join app.submissions sub on sub.campaign_id = d.campaign_id and sub.school_id = d.school_id
join app.indicators x on x.instrument_id = sub.instrument_id
join app.directions dir on dir.id = x.direction_id
join app.users u on u.login = 'school-' || d.code
cross join lateral (
  select (abs(hashtext(d.code || ':' || x.code || ':' || d.kind)) % 1000) / 1000.0 as u,
         (abs(hashtext(d.code || ':' || dir.code)) % 300) / 1000.0 - 0.15 as bias
) a
cross join lateral (
  select case
           when x.critical then case when a.u < (case when d.strength < 0.45 then 0.06 else 0.01 end) then 0
                                     else x.max_points end
           else least(x.max_points, greatest(0, round(x.max_points * (d.effort + a.bias + a.u - 0.5))))::integer
         end as points
) p
join app.indicator_options o on o.indicator_id = x.id and o.points = p.points
where d.fate <> 'draft' or abs(hashtext(d.code || ':' || x.code || ':draft')) % 100 < d.draft_share;

-- Versions: 1, plus one per saved answer, plus one per state change below.
update app.submissions s
set version = 1 + (select count(*) from app.answers a where a.submission_id = s.id)
              + case d.fate when 'draft' then 0 when 'submitted' then 1 else 2 end
from demo_sub d
where s.campaign_id = d.campaign_id and s.school_id = d.school_id;

select app.submissions_score(array_agg(s.id))
from app.submissions s join demo_sub d on d.campaign_id = s.campaign_id and d.school_id = s.school_id
where d.fate <> 'draft'
\gset demo_ignored_

update app.submissions s
set status = 'submitted', submitted_at = d.submitted_at, updated_at = d.submitted_at
from demo_sub d
where s.campaign_id = d.campaign_id and s.school_id = d.school_id and d.fate <> 'draft';

update app.submissions s
set status = d.fate, decided_at = d.decided_at, updated_at = d.decided_at
from demo_sub d
where s.campaign_id = d.campaign_id and s.school_id = d.school_id and d.fate in ('accepted', 'returned');

update app.deficits df set official = true
from app.submissions s
where s.id = df.submission_id and s.status = 'accepted'
  and s.campaign_id in (select campaign_id from demo_sub);

-- History: opened and submitted by the school, accepted or returned by its
-- municipality (names and organisations as app.submission_event records them).
insert into app.submission_events (submission_id, action, status, at, user_id, actor_role, actor_name,
                                   actor_organisation, comment)
select sub.id, e.action, e.status, e.at, u.id, u.role, u.full_name,
       case when u.role = 'school' then sc.short_name else m.name end, e.comment
from demo_sub d
join app.submissions sub on sub.campaign_id = d.campaign_id and sub.school_id = d.school_id
join app.schools sc on sc.id = d.school_id
join app.municipalities m on m.id = d.municipality_id
cross join lateral (values
  ('open', 'draft', d.opened_at, 'school-' || d.code, null::text, true),
  ('submit', 'submitted', d.submitted_at, 'school-' || d.code, null, d.fate <> 'draft'),
  ('accept', 'accepted', d.decided_at, (select mu.login from app.users mu where mu.municipality_id = d.municipality_id
                                        and mu.role = 'municipality' order by mu.id limit 1), null,
   d.fate = 'accepted'),
  ('return', 'returned', d.decided_at, (select mu.login from app.users mu where mu.municipality_id = d.municipality_id
                                        and mu.role = 'municipality' order by mu.id limit 1),
   (array['Проверьте показатель Z02: обеспеченность учебниками не совпадает с данными отчёта ОО-1. Уточните и отправьте снова.',
          'Школьный спортивный клуб (H01, H02) не найден во всероссийском реестре. Исправьте ответ или приложите подтверждение.',
          'Ответ по вакансиям (U01) расходится с данными муниципалитета на 1 сентября. Уточните, пожалуйста.',
          'Укажите корректно охват дополнительным образованием (T02): по данным «Навигатора» он ниже.'])
     [1 + d.h % 4],
   d.fate = 'returned')
) e(action, status, at, login, comment, happened)
join app.users u on u.login = e.login
where e.happened;

\endif
reset role;
select app.set_claims_of(null), set_config('request.id', '', true)
\gset demo_ignored_
