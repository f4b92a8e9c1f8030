-- Big data: one instrument per region, «shmr-ru» v1, 104 indicators in the 8
-- directions of «Школа Минпросвещения России» (the demo's shmr document with
-- one more indicator per direction and no applies_to, so it fits every
-- school; bigdata.sh makes it with jq and passes it as :'bigdata_doc').
--
-- The first region's instrument goes through app.instrument_create and
-- app.instrument_publish as its ЛОИРО user — the API's path, so the document
-- is validated and its rows are what the application itself makes. The
-- other 89 regions get copies of those rows, set-based (an instrument
-- belongs to a region, so each region has its own ids; its document is the
-- same bytes).

select app.set_claims_of(u.id),
       set_config('request.id', 'bigdata', true)
from app.users u where u.login = 'loiro-ru-01'
\gset bd_ignored_
set local role orientir_loiro;
select (app.instrument_publish((app.instrument_create(:'bigdata_doc'::json) ->> 'id')::bigint) ->> 'id')::bigint
       as bd_template_id
\gset
reset role;
select app.set_claims_of(null)
\gset bd_ignored_

insert into app.instruments (region_id, code, version, title, applies_levels, applies_ovz, critical_rule,
                             threshold_basic, threshold_medium, threshold_high, max_points, status, document,
                             created_by, created_at, published_at)
select r.id, t.code, t.version, t.title, t.applies_levels, t.applies_ovz, t.critical_rule,
       t.threshold_basic, t.threshold_medium, t.threshold_high, t.max_points, t.status, t.document,
       u.id, t.created_at, t.published_at
from app.instruments t
cross join app.regions r
join bd_region b on b.code = r.code
join app.users u on u.login = 'loiro-' || r.code
where t.id = :bd_template_id and r.id <> t.region_id
order by r.id;

create temp table bd_instrument on commit drop as
select i.id, i.region_id from app.instruments i
join app.regions r on r.id = i.region_id
join bd_region b on b.code = r.code
where i.code = 'shmr-ru' and i.version = 1 and i.id <> :bd_template_id;

insert into app.directions (instrument_id, code, title, position, threshold_basic, threshold_medium,
                            threshold_high, max_points)
select n.id, d.code, d.title, d.position, d.threshold_basic, d.threshold_medium, d.threshold_high, d.max_points
from bd_instrument n
cross join app.directions d
where d.instrument_id = :bd_template_id
order by n.id, d.position;

insert into app.indicators (instrument_id, direction_id, code, text, hint, critical, position, max_points)
select n.id, nd.id, x.code, x.text, x.hint, x.critical, x.position, x.max_points
from bd_instrument n
cross join app.indicators x
join app.directions td on td.id = x.direction_id
join app.directions nd on nd.instrument_id = n.id and nd.code = td.code
where x.instrument_id = :bd_template_id
order by n.id, td.position, x.position;

insert into app.indicator_options (instrument_id, indicator_id, value, label, points, position)
select n.id, nx.id, o.value, o.label, o.points, o.position
from bd_instrument n
cross join app.indicator_options o
join app.indicators tx on tx.id = o.indicator_id
join app.indicators nx on nx.instrument_id = n.id and nx.code = tx.code
where o.instrument_id = :bd_template_id
order by n.id, nx.id, o.position;
