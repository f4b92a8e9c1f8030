-- 0056_login_throttling: failed sign-ins throttle a (login, address) pair, an
-- address and a login instead of locking the account (anyone could lock anyone
-- out). Attempts are kept by the login as typed (lower-cased), known or not, so
-- an unknown login is throttled exactly like a real one.
update app.login_attempts set login = lower(login) where login <> lower(login);
create index login_attempts_login_at_idx on app.login_attempts (login, at);
create index login_attempts_address_at_idx on app.login_attempts (address, at) where not succeeded;
create index login_attempts_at_idx on app.login_attempts (at);
comment on table app.login_attempts is
  'Sign-in attempts (and failed current passwords of POST /me/password), for throttling: per (login, address), per address and per login (app.login_throttle)';

drop function if exists app.account_locked_until(bigint);
drop function if exists app.login_lookup(text);
drop function if exists app.login_fail(bigint, text, text);
drop function if exists app.my_password_hash();
