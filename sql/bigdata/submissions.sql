-- Big data: submissions and their answers, set-based. Every school answers
-- both closed campaigns in full (they are scored and accepted by
-- results.sql); the first five schools (by code) of every municipality have
-- a draft in the open campaign with 20–80 % of the indicators answered.
--
-- Points are drawn like the demo's: a school has a strength (weak to strong),
-- a bias per direction and a persistent aptitude per indicator (so the same
-- deficits tend to come back the next campaign), plus noise per submission;
-- the second campaign is a little better than the first. The option is
-- picked by rank among the indicator's options sorted by points, so every
-- indicator gets a real option whatever its scale. Critical indicators are
-- mostly met.

create temp table bd_sub on commit drop as
select c.id as campaign_id, c.kind, cs.school_id, cs.instrument_id, s.code, s.municipality_id,
       u.id as school_user_id,
       0.30 + 0.65 * pg_temp.bd_u(s.id * 31 + 7) + case c.kind when 'second' then 0.04 else 0 end as effort,
       c.opens_on + (s.id % 7)::integer + time '09:00' + (s.id % 53) * interval '1 minute' as opened_at,
       c.opens_on + (1 + s.id % 7 + s.id % 9)::integer + time '14:00' + (s.id % 41) * interval '1 minute' as submitted_at,
       c.opens_on + (3 + s.id % 7 + s.id % 9 + s.id % 4)::integer + time '11:00' + (s.id % 37) * interval '1 minute'
         as decided_at,
       0.2 + 0.6 * pg_temp.bd_u(s.id * 31 + 11) as draft_share
from bd_campaign c
join app.campaign_schools cs on cs.campaign_id = c.id
join app.schools s on s.id = cs.school_id
join app.users u on u.school_id = s.id and u.login = 'school-' || s.code
where c.kind <> 'open' or right(s.code, 3) <= '005';

insert into app.submissions (campaign_id, school_id, instrument_id, created_at, updated_at)
select d.campaign_id, d.school_id, d.instrument_id, d.opened_at, d.opened_at
from bd_sub d
order by d.campaign_id, d.school_id;

alter table bd_sub add column submission_id bigint;
update bd_sub d set submission_id = s.id
from app.submissions s where s.campaign_id = d.campaign_id and s.school_id = d.school_id;

-- The indicators of the generated instruments with their options by points.
create temp table bd_indicator on commit drop as
select x.id, x.instrument_id, x.critical, d.position as direction_position,
       row_number() over (partition by x.instrument_id order by d.position, x.position)::integer as seq,
       o.ids as option_ids, o.points as option_points, cardinality(o.ids) as option_count
from app.indicators x
join app.directions d on d.id = x.direction_id
join app.instruments i on i.id = x.instrument_id
join app.regions r on r.id = i.region_id
join bd_region b on b.code = r.code
cross join lateral (select array_agg(o.id order by o.points, o.position) as ids,
                           array_agg(o.points order by o.points, o.position) as points
                    from app.indicator_options o where o.indicator_id = x.id) o
where i.code = 'shmr-ru' and i.version = 1;

insert into app.answers (submission_id, instrument_id, indicator_id, option_id, points, updated_at, updated_by)
select d.submission_id, d.instrument_id, x.id, x.option_ids[p.k], x.option_points[p.k],
       d.opened_at + (p.u * 20) * interval '1 hour', d.school_user_id
from bd_sub d
join bd_indicator x on x.instrument_id = d.instrument_id
cross join lateral (
  select pg_temp.bd_u(d.submission_id * 1031 + x.seq) as u,
         0.6 * pg_temp.bd_u(d.school_id * 1031 + x.seq) + 0.4 * pg_temp.bd_u(d.submission_id * 1031 + x.seq + 500)
           as knack,
         0.3 * pg_temp.bd_u(d.school_id * 16 + x.direction_position) - 0.15 as bias
) a
cross join lateral (
  select a.u,
         case when x.critical
              then case when a.knack < (case when d.effort < 0.45 then 0.08 else 0.015 end) then 1
                        else x.option_count end
              else 1 + round((x.option_count - 1)
                             * least(1, greatest(0, 1.2 * (d.effort + a.bias + a.knack - 0.55))))::integer
         end as k
) p
where d.kind <> 'open' or pg_temp.bd_u(d.submission_id * 1031 + x.seq + 900) < d.draft_share;

-- Versions as the state functions would leave them: 1, plus one per saved
-- answer, plus submit and accept for the closed campaigns.
update app.submissions s
set version = 1 + n.answered + case when d.kind = 'open' then 0 else 2 end
from bd_sub d
join (select a.submission_id, count(*)::integer as answered from app.answers a
      where a.submission_id in (select submission_id from bd_sub) group by a.submission_id) n
  on n.submission_id = d.submission_id
where s.id = d.submission_id;
