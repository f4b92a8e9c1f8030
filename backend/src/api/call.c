/* call.c — the one handler of every route that only calls SQL: builds the call from the route's row and answers. */
#include "api.h"
#include "../buf.h"
#include "../router.h"

#include <stdio.h>
#include <string.h>

#define MAX_ARGS 16

/* The text of one argument, or NULL (SQL NULL). */
static const char *arg_value(struct req *req, const struct sql_arg *a)
{
	const struct qval *q;

	switch (a->source) {
	case ARG_PATH:
		return (size_t)a->index < req->nids ? req->id_text[a->index] : NULL;
	case ARG_IF_MATCH:
		return req->has_version ? req->version_text : NULL;
	case ARG_BODY:
		return api_body_text(req);
	case ARG_DOCUMENT:
		return api_raw_body(req);
	case ARG_MEMBER:
		return json_string_value(json_object_get(req->json, a->name));
	case ARG_QUERY:
		return req_query(req, a->name)->str;
	case ARG_QUERY_FLAG:
		q = req_query(req, a->name);
		return q->present ? (q->num ? "true" : "false") : NULL;
	}
	return NULL;
}

/* Appends the SQL text of call to sql ("SELECT app.f($1::bigint, …)"); -1 when it has too many arguments. */
static int sql_text(const struct sql_call *call, struct buf *sql)
{
	if (call->nargs > MAX_ARGS)
		return -1;
	buf_puts(sql, "SELECT ");
	if (call->answer == ANSWER_CREATED_OR_OK)
		buf_printf(sql, "(r ->> 'created')::boolean, r -> '%s' FROM ", call->member);
	buf_printf(sql, "%s(", call->function);
	for (size_t i = 0; i < call->nargs; i++)
		buf_printf(sql, "%s$%zu::%s", i ? ", " : "", i + 1, call->args[i].type);
	buf_putc(sql, ')');
	if (call->answer == ANSWER_CREATED_OR_OK)
		buf_puts(sql, " AS r");
	return 0;
}

int api_sql_call(struct req *req, struct resp *resp)
{
	const struct sql_call *call = req->route->call;
	const char *params[MAX_ARGS];
	struct buf sql = BUF_INIT;

	if (call == NULL || sql_text(call, &sql) != 0) {
		resp_error(resp, 500, "internal", "Внутренняя ошибка сервера");
		goto out;
	}
	for (size_t i = 0; i < call->nargs; i++) {
		params[i] = arg_value(req, &call->args[i]);
		if (params[i] == NULL && call->args[i].source == ARG_DOCUMENT) {
			resp_error(resp, 400, "request.malformed", "Ожидается тело запроса в формате JSON");
			goto out;
		}
	}
	switch (call->answer) {
	case ANSWER_JSON:
		api_json_call(req, resp, call->status, sql.data, (int)call->nargs, params);
		break;
	case ANSWER_CREATED_OR_OK:
		api_json_call_created(req, resp, sql.data, (int)call->nargs, params);
		break;
	case ANSWER_NO_CONTENT:
		api_void_call(req, resp, sql.data, (int)call->nargs, params);
		break;
	}
out:
	buf_free(&sql);
	return resp->status;
}
