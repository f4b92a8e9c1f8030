-- Big data: three campaigns per region, each targeting every school of the
-- region with the region's instrument, created by its committee user:
--   two closed ones (opened 745 and 380 days before the load day, five weeks
--   each) that every school answered in full and that were all accepted, and
--   an open one (opened 7 days ago, closes in 30 days) in which the first five
--   schools of every municipality have a draft — what `make bench` saves
--   answers into.
-- Titles as in the demo: «Самодиагностика ОО «Школа Минпросвещения России», <месяц> <год>».

create temp table bd_campaign_dates on commit drop as
select k.kind, k.opens_on, k.closes_on
from (values ('first', current_date - 745, current_date - 710),
             ('second', current_date - 380, current_date - 345),
             ('open', current_date - 7, current_date + 30)) k(kind, opens_on, closes_on);

insert into app.campaigns (region_id, title, opens_on, closes_on, target, created_by, created_at, updated_at)
select r.id,
       format('Самодиагностика ОО «Школа Минпросвещения России», %s %s',
              (array['январь', 'февраль', 'март', 'апрель', 'май', 'июнь', 'июль', 'август', 'сентябрь',
                     'октябрь', 'ноябрь', 'декабрь'])[extract(month from k.opens_on)],
              extract(year from k.opens_on)),
       k.opens_on, k.closes_on, '{"all": true}'::jsonb, u.id,
       k.opens_on - 10 + time '10:00', k.opens_on - 10 + time '10:00'
from app.regions r
join bd_region b on b.code = r.code
join app.users u on u.login = 'committee-' || r.code
cross join bd_campaign_dates k
order by r.id, k.opens_on;

create temp table bd_campaign on commit drop as
select c.id, c.region_id, k.kind, c.opens_on, c.closes_on, i.id as instrument_id
from app.campaigns c
join app.regions r on r.id = c.region_id
join bd_region b on b.code = r.code
join bd_campaign_dates k on k.opens_on = c.opens_on and k.closes_on = c.closes_on
join app.instruments i on i.region_id = r.id and i.code = 'shmr-ru' and i.version = 1;
create unique index on bd_campaign (id);

insert into app.campaign_instruments (campaign_id, instrument_id, position)
select c.id, c.instrument_id, 1 from bd_campaign c order by c.id;

insert into app.campaign_schools (campaign_id, school_id, instrument_id)
select c.id, s.id, c.instrument_id
from bd_campaign c
join app.municipalities mu on mu.region_id = c.region_id
join app.schools s on s.municipality_id = mu.id
order by c.id, s.id;
