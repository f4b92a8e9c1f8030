-- 0002_tables: schema app, the Russian collation, the tables of the foundation
-- (organisations, users, refresh tokens, login attempts, audit log), their
-- constraints and indexes, and the version-bump trigger of editable tables.
--
-- Everything here is created as orientir_owner (set local role), so the owner
-- is right by construction and the owner's default privileges apply.
-- Privileges: 0004; RLS policies: 0005; functions and triggers: sql/functions/

create schema app authorization orientir_owner;
comment on schema app is 'Orientir: every table and function of the application';
revoke all on schema app from public;

set local role orientir_owner;

-- ICU sorts Russian correctly (the C collation does not); Ё sorts with Е.
create collation app.ru (provider = icu, locale = 'ru-RU');
comment on collation app.ru is 'Russian dictionary order (ICU) for names shown in lists';

create table app.regions (
  id             bigint generated always as identity,
  code           text not null,
  name           text collate app.ru not null,
  committee_name text collate app.ru not null,
  institute_name text collate app.ru not null,
  created_at     timestamptz not null default now(),
  constraint regions_pkey primary key (id),
  constraint regions_code_key unique (code),
  constraint regions_code_format check (code ~ '^[0-9A-Za-z-]{1,16}$'),
  constraint regions_name_length check (btrim(name) <> '' and char_length(name) <= 500),
  constraint regions_committee_name_length
    check (btrim(committee_name) <> '' and char_length(committee_name) <= 500),
  constraint regions_institute_name_length
    check (btrim(institute_name) <> '' and char_length(institute_name) <= 500)
);
comment on table app.regions is
  'Subjects of the Russian Federation; each has one education committee and one institute (their names are organisation_name of committee and loiro users)';
comment on column app.regions.code is 'Stable code, e.g. the subject number ''47''';

create table app.municipalities (
  id         bigint generated always as identity,
  region_id  bigint not null,
  code       text not null,
  name       text collate app.ru not null,
  created_at timestamptz not null default now(),
  constraint municipalities_pkey primary key (id),
  constraint municipalities_region_id_fkey foreign key (region_id) references app.regions (id),
  constraint municipalities_code_key unique (code),
  constraint municipalities_code_format check (code ~ '^[0-9A-Za-z-]{1,16}$'),
  constraint municipalities_name_length check (btrim(name) <> '' and char_length(name) <= 500)
);
comment on table app.municipalities is
  'Municipal formations (districts, urban okrugs) of a region; their education authority is the municipality role';
comment on column app.municipalities.code is 'Stable code, e.g. ''47-04''';
create index municipalities_region_id_name_idx on app.municipalities (region_id, name);

create table app.schools (
  id                     bigint generated always as identity,
  code                   text not null,
  municipality_id        bigint not null,
  name                   text collate app.ru not null,
  short_name             text collate app.ru not null,
  address                text,
  is_rural               boolean not null default false,
  unfavorable_conditions boolean not null default false,
  education_levels       text[] not null,
  has_ovz_pupils         boolean not null default false,
  version                integer not null default 1,
  created_at             timestamptz not null default now(),
  updated_at             timestamptz not null default now(),
  constraint schools_pkey primary key (id),
  constraint schools_municipality_id_fkey foreign key (municipality_id) references app.municipalities (id),
  constraint schools_code_key unique (code),
  constraint schools_code_format check (code ~ '^[0-9A-Za-z._-]{1,32}$'),
  constraint schools_name_length check (btrim(name) <> '' and char_length(name) <= 500),
  constraint schools_short_name_length check (btrim(short_name) <> '' and char_length(short_name) <= 500),
  constraint schools_address_length check (char_length(address) <= 500),
  constraint schools_education_levels_valid
    check (cardinality(education_levels) between 1 and 3
           and array_position(education_levels, null) is null
           and education_levels <@ array['primary', 'basic', 'secondary']::text[]),
  constraint schools_version_positive check (version > 0)
);
comment on table app.schools is
  'General-education schools (ОО); a school user sees only its own row';
comment on column app.schools.code is 'Stable code, e.g. ''47-05-012'' (municipality code and a number)';
comment on column app.schools.unfavorable_conditions is
  'Функционирует в неблагоприятных социальных условиях';
comment on column app.schools.education_levels is
  'Levels of education offered: primary (НОО), basic (ООО), secondary (СОО); non-empty, canonical order';
comment on column app.schools.has_ovz_pupils is 'Teaches pupils with special educational needs (ОВЗ)';
comment on column app.schools.version is 'Optimistic-lock version, bumped by trigger on every real change';
create index schools_municipality_id_short_name_idx on app.schools (municipality_id, short_name, id);

create table app.users (
  id              bigint generated always as identity,
  login           text not null,
  full_name       text collate app.ru not null,
  role            text not null,
  region_id       bigint,
  municipality_id bigint,
  school_id       bigint,
  is_active       boolean not null default true,
  password_hash   text not null,
  version         integer not null default 1,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  constraint users_pkey primary key (id),
  -- Logins are lower-case only (users_login_format), so this key is
  -- case-insensitive; login_lookup lower-cases what the user typed.
  constraint users_login_key unique (login),
  constraint users_login_format check (login ~ '^[a-z0-9._-]{3,64}$'),
  constraint users_full_name_length check (btrim(full_name) <> '' and char_length(full_name) <= 200),
  constraint users_role_valid check (role in ('committee', 'loiro', 'municipality', 'school')),
  constraint users_region_id_fkey foreign key (region_id) references app.regions (id),
  constraint users_municipality_id_fkey foreign key (municipality_id) references app.municipalities (id),
  constraint users_school_id_fkey foreign key (school_id) references app.schools (id),
  -- Exactly the organisation the role requires, nothing else.
  constraint users_organisation_matches_role check (coalesce(
    case role
      when 'committee'    then region_id is not null and municipality_id is null and school_id is null
      when 'loiro'        then region_id is not null and municipality_id is null and school_id is null
      when 'municipality' then region_id is null and municipality_id is not null and school_id is null
      when 'school'       then region_id is null and municipality_id is null and school_id is not null
    end, false)),
  constraint users_password_hash_format
    check (password_hash ~ '^pbkdf2_sha256\$[0-9]+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$'),
  constraint users_version_positive check (version > 0)
);
comment on table app.users is
  'People who sign in; the role decides which single organisation column is set. password_hash is never readable by API roles';
comment on column app.users.password_hash is
  'pbkdf2_sha256$<iterations>$<salt b64>$<key b64>; read only through definer functions';
create index users_region_id_idx on app.users (region_id) where region_id is not null;
create index users_municipality_id_idx on app.users (municipality_id) where municipality_id is not null;
create index users_school_id_idx on app.users (school_id) where school_id is not null;

create table app.refresh_tokens (
  id          bigint generated always as identity,
  token_hash  bytea not null,
  user_id     bigint not null,
  created_at  timestamptz not null default now(),
  expires_at  timestamptz not null,
  revoked_at  timestamptz,
  replaced_by bigint,
  constraint refresh_tokens_pkey primary key (id),
  constraint refresh_tokens_token_hash_key unique (token_hash),
  constraint refresh_tokens_token_hash_length check (octet_length(token_hash) = 32),
  constraint refresh_tokens_user_id_fkey foreign key (user_id) references app.users (id),
  constraint refresh_tokens_replaced_by_fkey foreign key (replaced_by) references app.refresh_tokens (id),
  constraint refresh_tokens_expiry_after_creation check (expires_at > created_at)
);
comment on table app.refresh_tokens is
  'Refresh tokens, stored as sha256(token) only; rotated on use, revoked on logout, deactivation and password change';
create index refresh_tokens_user_id_active_idx on app.refresh_tokens (user_id) where revoked_at is null;

create table app.login_attempts (
  id        bigint generated always as identity,
  at        timestamptz not null default now(),
  user_id   bigint,
  login     text not null,
  address   text,
  succeeded boolean not null,
  constraint login_attempts_pkey primary key (id),
  constraint login_attempts_user_id_fkey foreign key (user_id) references app.users (id),
  constraint login_attempts_login_length check (char_length(login) <= 200),
  constraint login_attempts_address_length check (char_length(address) <= 100)
);
comment on table app.login_attempts is
  'Sign-in attempts, for the lockout rule: more than 10 failures of one account within 15 minutes lock it for 15 minutes';
create index login_attempts_user_id_at_idx on app.login_attempts (user_id, at) where user_id is not null;

create table app.audit_log (
  id         bigint generated always as identity,
  at         timestamptz not null default now(),
  user_id    bigint,
  role       text not null,
  request_id text,
  action     text not null,
  entity     text not null,
  entity_id  bigint,
  before     jsonb,
  after      jsonb,
  constraint audit_log_pkey primary key (id)
);
comment on table app.audit_log is
  'Append-only record of every mutation and sign-in event (who, role, request, what, before/after without password hashes)';
comment on column app.audit_log.role is 'JWT role of the actor, ''anon'' for sign-in events, ''system'' for migrations and demo data';
create index audit_log_entity_idx on app.audit_log (entity, entity_id);
create index audit_log_user_id_at_idx on app.audit_log (user_id, at);
create index audit_log_at_idx on app.audit_log (at);

reset role;
