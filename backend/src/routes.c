/* routes.c — the whole API on one screen: every route, who may call it, and the shape of its input. */
#include "routes.h"
#include "api/api.h"
#include "role.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- input shapes ---- */

static const char *const education_levels[] = { "primary", "basic", "secondary", NULL };
static const char *const role_names[] = { "committee", "loiro", "municipality", "school", NULL };

#define PASSWORD_FIELD(name, flags, min) { name, FT_STRING, flags, min, 256, 0, 0, NULL, 0, NULL }

static const struct field_spec login_fields[] = {
	{ "login", FT_STRING, FF_REQUIRED, 1, 100, 0, 0, NULL, 0, NULL },
	PASSWORD_FIELD("password", FF_REQUIRED, 1),
};
static const struct body_spec login_body = { login_fields, N(login_fields), 0, 0, NULL };

static const struct field_spec me_password_fields[] = {
	PASSWORD_FIELD("current_password", FF_REQUIRED, 1),
	PASSWORD_FIELD("new_password", FF_REQUIRED, 10),
};
static const struct body_spec me_password_body = { me_password_fields, N(me_password_fields), 0, 0, NULL };

/* Create and update share the fields; create requires some (R), update none. */
#define SCHOOL_FIELDS(R)                                                                                 \
	{ "code", FT_STRING, (R) | FF_NOT_BLANK, 1, 32, 0, 0, NULL, 0, NULL },                           \
	{ "name", FT_STRING, (R) | FF_NOT_BLANK, 1, 500, 0, 0, NULL, 0, NULL },                          \
	{ "short_name", FT_STRING, (R) | FF_NOT_BLANK, 1, 500, 0, 0, NULL, 0, NULL },                    \
	{ "municipality_id", FT_ID, (R), 0, 0, 0, 0, NULL, 0, NULL },                                    \
	{ "address", FT_STRING, FF_NULLABLE, 0, 500, 0, 0, NULL, 0, NULL },                              \
	{ "is_rural", FT_BOOL, 0, 0, 0, 0, 0, NULL, 0, NULL },                                           \
	{ "unfavorable_conditions", FT_BOOL, 0, 0, 0, 0, 0, NULL, 0, NULL },                             \
	{ "education_levels", FT_STRING_ARRAY, (R) | FF_UNIQUE, 0, 0, 0, 0, education_levels, 3, NULL }, \
	{ "has_ovz_pupils", FT_BOOL, 0, 0, 0, 0, 0, NULL, 0, NULL }

static const struct field_spec school_create_fields[] = { SCHOOL_FIELDS(FF_REQUIRED) };
static const struct body_spec school_create_body = { school_create_fields, N(school_create_fields), 0, 0, NULL };
static const struct field_spec school_update_fields[] = { SCHOOL_FIELDS(0) };
static const struct body_spec school_update_body = { school_update_fields, N(school_update_fields), 1, 0, NULL };

#define USER_FIELDS(R)                                                               \
	{ "full_name", FT_STRING, (R) | FF_NOT_BLANK, 1, 200, 0, 0, NULL, 0, NULL }, \
	{ "role", FT_STRING, (R), 0, 0, 0, 0, role_names, 0, NULL },                 \
	{ "region_id", FT_ID, FF_NULLABLE, 0, 0, 0, 0, NULL, 0, NULL },              \
	{ "municipality_id", FT_ID, FF_NULLABLE, 0, 0, 0, 0, NULL, 0, NULL },        \
	{ "school_id", FT_ID, FF_NULLABLE, 0, 0, 0, 0, NULL, 0, NULL },              \
	{ "is_active", FT_BOOL, 0, 0, 0, 0, 0, NULL, 0, NULL }

static const struct field_spec user_create_fields[] = {
	{ "login", FT_STRING, FF_REQUIRED | FF_LOGIN, 3, 64, 0, 0, NULL, 0, NULL },
	USER_FIELDS(FF_REQUIRED),
	PASSWORD_FIELD("password", FF_REQUIRED, 10),
};
static const struct body_spec user_create_body = { user_create_fields, N(user_create_fields), 0, 0, NULL };
static const struct field_spec user_update_fields[] = { USER_FIELDS(0) };
static const struct body_spec user_update_body = { user_update_fields, N(user_update_fields), 1, 0, NULL };

static const struct field_spec new_password_fields[] = {
	PASSWORD_FIELD("new_password", FF_REQUIRED, 10),
};
static const struct body_spec new_password_body = { new_password_fields, N(new_password_fields), 0, 0, NULL };

/* ---- self-diagnostics (issue 3): SQL checks every value again, and the state ---- */

/* POST /instruments: the document is checked in depth by app.instrument_create (field paths
 * such as directions[2].indicators[0].code); here only what every JSON body gets. */
static const struct body_spec instrument_document_body = { NULL, 0, 0, BS_DOCUMENT, NULL };

/* target: exactly one of {"all": true}, {"municipality_ids": [...]}, {"school_ids": [...]}. */
static const struct field_spec campaign_target_fields[] = {
	{ "all", FT_BOOL, FF_TRUE_ONLY, 0, 0, 0, 0, NULL, 0, NULL },
	{ "municipality_ids", FT_ID_ARRAY, FF_NOT_EMPTY | FF_UNIQUE, 0, 0, 0, 0, NULL, 1000, NULL },
	{ "school_ids", FT_ID_ARRAY, FF_NOT_EMPTY | FF_UNIQUE, 0, 0, 0, 0, NULL, 10000, NULL },
};
static const struct body_spec campaign_target = { campaign_target_fields, N(campaign_target_fields), 0,
						  BS_EXACTLY_ONE, NULL };

/* closes_on may not precede opens_on (both already real dates; YYYY-MM-DD sorts as text). */
static void campaign_dates_check(const json_t *obj, json_t *errors)
{
	const char *opens = json_string_value(json_object_get(obj, "opens_on"));
	const char *closes = json_string_value(json_object_get(obj, "closes_on"));
	if (opens && closes && strcmp(closes, opens) < 0)
		field_error_add(errors, "closes_on", "invalid", "Дата окончания раньше даты начала");
}

static const struct field_spec campaign_create_fields[] = {
	{ "title", FT_STRING, FF_REQUIRED | FF_NOT_BLANK, 1, 500, 0, 0, NULL, 0, NULL },
	{ "instrument_ids", FT_ID_ARRAY, FF_REQUIRED | FF_NOT_EMPTY | FF_UNIQUE, 0, 0, 0, 0, NULL, 20, NULL },
	{ "opens_on", FT_DATE, FF_REQUIRED, 0, 0, 0, 0, NULL, 0, NULL },
	{ "closes_on", FT_DATE, FF_REQUIRED, 0, 0, 0, 0, NULL, 0, NULL },
	{ "target", FT_OBJECT, FF_REQUIRED, 0, 0, 0, 0, NULL, 0, &campaign_target },
};
static const struct body_spec campaign_create_body = { campaign_create_fields, N(campaign_create_fields), 0, 0,
						       campaign_dates_check };

/* PATCH /campaigns/{id}: only the closing date moves (SQL: not before opens_on). */
static const struct field_spec campaign_update_fields[] = {
	{ "closes_on", FT_DATE, FF_REQUIRED, 0, 0, 0, 0, NULL, 0, NULL },
};
static const struct body_spec campaign_update_body = { campaign_update_fields, N(campaign_update_fields), 0, 0,
						       NULL };

/* One answer: the option's value (SQL: one the indicator offers) and an optional comment. */
static const struct field_spec answer_fields[] = {
	{ "value", FT_STRING, FF_REQUIRED | FF_LOGIN, 1, 32, 0, 0, NULL, 0, NULL },
	{ "comment", FT_STRING, FF_NULLABLE, 0, 2000, 0, 0, NULL, 0, NULL },
};
static const struct body_spec answer_body = { answer_fields, N(answer_fields), 0, 0, NULL };

/* Return and reopen say why; no body at all is a missing comment/reason (422), not 400. */
static const struct field_spec return_fields[] = {
	{ "comment", FT_STRING, FF_REQUIRED | FF_NOT_BLANK, 1, 2000, 0, 0, NULL, 0, NULL },
};
static const struct body_spec return_body = { return_fields, N(return_fields), 0, BS_EMPTY_IS_OBJECT, NULL };
static const struct field_spec reopen_fields[] = {
	{ "reason", FT_STRING, FF_REQUIRED | FF_NOT_BLANK, 1, 2000, 0, 0, NULL, 0, NULL },
};
static const struct body_spec reopen_body = { reopen_fields, N(reopen_fields), 0, BS_EMPTY_IS_OBJECT, NULL };

static const char *const instrument_statuses[] = { "draft", "published", NULL };
static const char *const campaign_statuses[] = { "planned", "open", "closed", NULL };
/* not_started lists the targeted schools without a submission (the review queue's "not started"). */
static const char *const submission_statuses[] = { "not_started", "draft", "submitted", "returned", "accepted",
						   NULL };

#define Q_LIMIT  { "limit", QP_INT, 1, 200, 1, 50, 0, NULL }
#define Q_OFFSET { "offset", QP_INT, 0, INT32_MAX, 1, 0, 0, NULL }
#define Q_ID(name) { name, QP_ID, 0, 0, 0, 0, 0, NULL }

static const struct qparam_spec page_params[] = { Q_LIMIT, Q_OFFSET };
static const struct query_spec page_query = { page_params, N(page_params) };
static const struct qparam_spec municipality_params[] = { Q_ID("region_id"), Q_LIMIT, Q_OFFSET };
static const struct query_spec municipality_query = { municipality_params, N(municipality_params) };
static const struct qparam_spec school_params[] = {
	Q_ID("municipality_id"), { "q", QP_STRING, 0, 0, 0, 0, 200, NULL }, Q_LIMIT, Q_OFFSET,
};
static const struct query_spec school_query = { school_params, N(school_params) };
static const struct qparam_spec user_params[] = {
	{ "role", QP_ENUM, 0, 0, 0, 0, 0, role_names }, Q_ID("municipality_id"), Q_ID("school_id"),
	Q_LIMIT, Q_OFFSET,
};
static const struct query_spec user_query = { user_params, N(user_params) };
static const struct qparam_spec instrument_params[] = {
	{ "status", QP_ENUM, 0, 0, 0, 0, 0, instrument_statuses }, Q_LIMIT, Q_OFFSET,
};
static const struct query_spec instrument_query = { instrument_params, N(instrument_params) };
static const struct qparam_spec campaign_params[] = {
	{ "status", QP_ENUM, 0, 0, 0, 0, 0, campaign_statuses }, Q_LIMIT, Q_OFFSET,
};
static const struct query_spec campaign_query = { campaign_params, N(campaign_params) };
static const struct qparam_spec submission_params[] = {
	Q_ID("campaign_id"), { "status", QP_ENUM, 0, 0, 0, 0, 0, submission_statuses }, Q_ID("municipality_id"),
	Q_LIMIT, Q_OFFSET,
};
static const struct query_spec submission_query = { submission_params, N(submission_params) };
static const struct qparam_spec school_deficit_params[] = { Q_ID("campaign_id") };
static const struct query_spec school_deficit_query = { school_deficit_params, N(school_deficit_params) };
static const struct qparam_spec deficit_params[] = {
	Q_ID("campaign_id"), Q_ID("municipality_id"), Q_LIMIT, Q_OFFSET,
};
static const struct query_spec deficit_query = { deficit_params, N(deficit_params) };

/* ---- the table ---- */

#define ALL ROLES_ALL
#define MANAGERS (ROLE_COMMITTEE | ROLE_MUNICIPALITY)
#define REGIONAL (ROLE_COMMITTEE | ROLE_LOIRO)
#define REVIEWERS (ROLE_COMMITTEE | ROLE_LOIRO | ROLE_MUNICIPALITY)
#define IFM RF_IF_MATCH

const struct route api_routes[] = {
/*        method   path                               handler                roles           flags        body                 query */
	{ "GET",   "/api/v1/health",                  h_health,              0,              RF_PUBLIC,   NULL,                NULL },
	{ "POST",  "/api/v1/auth/login",              h_auth_login,          0,              RF_PUBLIC,   &login_body,         NULL },
	{ "POST",  "/api/v1/auth/refresh",            h_auth_refresh,        0,              RF_PUBLIC,   NULL,                NULL },
	{ "POST",  "/api/v1/auth/logout",             h_auth_logout,         0,              RF_PUBLIC,   NULL,                NULL },
	{ "GET",   "/api/v1/me",                      h_me_get,              ALL,            0,           NULL,                NULL },
	{ "POST",  "/api/v1/me/password",             h_me_password,         ALL,            0,           &me_password_body,   NULL },
	{ "GET",   "/api/v1/regions",                 h_regions_list,        ALL,            0,           NULL,                &page_query },
	{ "GET",   "/api/v1/municipalities",          h_municipalities_list, ALL,            0,           NULL,                &municipality_query },
	{ "GET",   "/api/v1/schools",                 h_schools_list,        ALL,            0,           NULL,                &school_query },
	{ "GET",   "/api/v1/schools/{id}",            h_schools_get,         ALL,            0,           NULL,                NULL },
	{ "POST",  "/api/v1/schools",                 h_schools_create,      ROLE_COMMITTEE, 0,           &school_create_body, NULL },
	{ "PATCH", "/api/v1/schools/{id}",            h_schools_update,      ROLE_COMMITTEE, RF_IF_MATCH, &school_update_body, NULL },
	{ "GET",   "/api/v1/users",                   h_users_list,          MANAGERS,       0,           NULL,                &user_query },
	{ "GET",   "/api/v1/users/{id}",              h_users_get,           MANAGERS,       0,           NULL,                NULL },
	{ "POST",  "/api/v1/users",                   h_users_create,        MANAGERS,       0,           &user_create_body,   NULL },
	{ "PATCH", "/api/v1/users/{id}",              h_users_update,        MANAGERS,       RF_IF_MATCH, &user_update_body,   NULL },
	{ "POST",  "/api/v1/users/{id}/password",     h_users_password,      MANAGERS,       0,           &new_password_body,  NULL },
/* self-diagnostics: instruments, campaigns, submissions, deficits (docs/design.md, issue 3) */
	{ "GET",   "/api/v1/instruments",                h_instruments_list,     ALL,               0,   NULL,                      &instrument_query },
	{ "GET",   "/api/v1/instruments/{id}",           h_instruments_get,      ALL,               0,   NULL,                      NULL },
	{ "GET",   "/api/v1/instruments/{id}/document",  h_instruments_document, REGIONAL,          0,   NULL,                      NULL },
	{ "POST",  "/api/v1/instruments",                h_instruments_create,   REGIONAL,          0,   &instrument_document_body, NULL },
	{ "POST",  "/api/v1/instruments/{id}/publish",   h_instruments_publish,  REGIONAL,          0,   NULL,                      NULL },
	{ "GET",   "/api/v1/campaigns",                  h_campaigns_list,       ALL,               0,   NULL,                      &campaign_query },
	{ "GET",   "/api/v1/campaigns/{id}",             h_campaigns_get,        ALL,               0,   NULL,                      NULL },
	{ "POST",  "/api/v1/campaigns",                  h_campaigns_create,     REGIONAL,          0,   &campaign_create_body,     NULL },
	{ "PATCH", "/api/v1/campaigns/{id}",             h_campaigns_update,     REGIONAL,          IFM, &campaign_update_body,     NULL },
	{ "GET",   "/api/v1/campaigns/{id}/progress",    h_campaigns_progress,   REVIEWERS,         0,   NULL,                      NULL },
	{ "POST",  "/api/v1/campaigns/{id}/submissions", h_submissions_open,     ROLE_SCHOOL,       0,   NULL,                      NULL },
	{ "GET",   "/api/v1/submissions",                h_submissions_list,     ALL,               0,   NULL,                      &submission_query },
	{ "GET",   "/api/v1/submissions/{id}",           h_submissions_get,      ALL,               0,   NULL,                      NULL },
	{ "PUT",   "/api/v1/submissions/{id}/answers/{indicator_id}",
							 h_submissions_answer,   ROLE_SCHOOL,       IFM, &answer_body,              NULL },
	{ "POST",  "/api/v1/submissions/{id}/submit",    h_submissions_submit,   ROLE_SCHOOL,       IFM, NULL,                      NULL },
	{ "POST",  "/api/v1/submissions/{id}/accept",    h_submissions_accept,   ROLE_MUNICIPALITY, IFM, NULL,                      NULL },
	{ "POST",  "/api/v1/submissions/{id}/return",    h_submissions_return,   ROLE_MUNICIPALITY, IFM, &return_body,              NULL },
	{ "POST",  "/api/v1/submissions/{id}/reopen",    h_submissions_reopen,   ROLE_COMMITTEE,    IFM, &reopen_body,              NULL },
	{ "GET",   "/api/v1/schools/{id}/deficits",      h_school_deficits,      ALL,               0,   NULL,                      &school_deficit_query },
	{ "GET",   "/api/v1/schools/{id}/results",       h_school_results,       ALL,               0,   NULL,                      NULL },
	{ "GET",   "/api/v1/deficits",                   h_deficits_summary,     REVIEWERS,         0,   NULL,                      &deficit_query },
};

const size_t api_routes_count = N(api_routes);

int routes_print_json(FILE *out)
{
	static const enum role order[] = { ROLE_COMMITTEE, ROLE_LOIRO, ROLE_MUNICIPALITY, ROLE_SCHOOL };
	json_t *all = json_array();
	char *text;
	int rc;

	for (size_t i = 0; i < api_routes_count; i++) {
		const struct route *r = &api_routes[i];
		int pub = (r->flags & RF_PUBLIC) != 0;
		json_t *roles = json_array();
		for (size_t k = 0; !pub && k < N(order); k++)
			if (r->roles & order[k])
				json_array_append_new(roles, json_string(role_name(order[k])));
		json_array_append_new(all, json_pack("{s:s, s:s, s:o, s:b}", "method", r->method, "path",
						     r->pattern, "roles", roles, "public", pub));
	}
	text = json_dumps(all, JSON_INDENT(2));
	rc = text && fprintf(out, "%s\n", text) > 0 ? 0 : -1;
	free(text);
	json_decref(all);
	return rc;
}
