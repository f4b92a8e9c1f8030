-- 0074_users_search: app.users_list takes p_q (a name or login, like the schools' q; issue 15,
-- item 5): the old signature goes (sql/functions/organisations.sql defines the new one).
drop function if exists app.users_list(text, bigint, bigint, integer, integer, text);
