-- 0054_session_epoch: an account check that costs one primary-key lookup and
-- revokes access tokens at once, and claims that policies read without
-- parsing JSON.
--
-- Each user carries token_epoch; the access token carries it as claim `ep`.
-- Sign-out, a password change (own or by an administrator), deactivation and
-- a change of role or organisation (the user's own, or its school's
-- municipality) bump it, so every token issued before stops at once.
-- Reactivation does not restore an old epoch.
--
-- The claims are separate transaction-local settings (request.sub,
-- request.role, request.reg, request.mun, request.sch) instead of one JSON
-- document: the claim helpers become inlinable SQL expressions, which a
-- policy evaluates without a function call or a JSON parse.

set local role orientir_owner;

alter table app.users add column token_epoch integer not null default 1;
comment on column app.users.token_epoch is
  'Access tokens carry it as claim ep; bumped on sign-out, password change, deactivation, role or organisation change';

reset role;
