-- Big data: one committee and one ЛОИРО user per region, one user per
-- municipality and one per school, all with the one precomputed hash
-- :'bigdata_password_hash'. Logins follow the organisation codes:
--   committee-ru-01, loiro-ru-01, mo-ru-01-001, school-ru-01-001-001.

insert into app.users (login, full_name, role, region_id, password_hash)
select format('%s-%s', v.role, r.code), pg_temp.bd_person(r.id::integer * 2 + v.k), v.role, r.id,
       :'bigdata_password_hash'
from app.regions r
join bd_region b on b.code = r.code
cross join (values ('committee', 0), ('loiro', 1)) v(role, k)
order by r.id, v.k;

insert into app.users (login, full_name, role, municipality_id, password_hash)
select 'mo-' || mu.code, pg_temp.bd_person(mu.id::integer * 3 + 1), 'municipality', mu.id,
       :'bigdata_password_hash'
from app.municipalities mu
join app.regions r on r.id = mu.region_id
join bd_region b on b.code = r.code
order by mu.id;

insert into app.users (login, full_name, role, school_id, password_hash)
select 'school-' || s.code, pg_temp.bd_person(s.id::integer * 5 + 2), 'school', s.id,
       :'bigdata_password_hash'
from app.schools s
join app.municipalities mu on mu.id = s.municipality_id
join app.regions r on r.id = mu.region_id
join bd_region b on b.code = r.code
order by s.id;
