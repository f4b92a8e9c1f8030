/* routes.c — the whole API on one screen: every route, who may call it, and the shape of its input. */
#include "routes.h"
#include "api/api.h"
#include "role.h"
#include "field_messages.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- input shapes ---- */

static const char *const education_levels[] = { "primary", "basic", "secondary", NULL };
static const char *const role_names[] = { "committee", "loiro", "municipality", "school", NULL };

#define PASSWORD_FIELD(field, with, min) { .name = (field), .type = FT_STRING, .flags = (with), .min_len = (min), .max_len = 256 }

static const struct field_spec login_fields[] = {
	{ .name = "login", .type = FT_STRING, .flags = FF_REQUIRED, .min_len = 1, .max_len = 100 },
	PASSWORD_FIELD("password", FF_REQUIRED, 1),
};
static const struct body_spec login_body = { .fields = login_fields, .nfields = N(login_fields) };

static const struct field_spec me_password_fields[] = {
	PASSWORD_FIELD("current_password", FF_REQUIRED, 1),
	PASSWORD_FIELD("new_password", FF_REQUIRED, 10),
};
static const struct body_spec me_password_body = {
	.fields = me_password_fields, .nfields = N(me_password_fields),
};

/* Create and update share the fields; create requires some (R), update none. */
#define SCHOOL_FIELDS(R)                                                                                                                \
	{ .name = "code", .type = FT_STRING, .flags = (R) | FF_NOT_BLANK, .min_len = 1, .max_len = 32 },                                \
	{ .name = "name", .type = FT_STRING, .flags = (R) | FF_NOT_BLANK, .min_len = 1, .max_len = 500 },                               \
	{ .name = "short_name", .type = FT_STRING, .flags = (R) | FF_NOT_BLANK, .min_len = 1, .max_len = 500 },                         \
	{ .name = "municipality_id", .type = FT_ID, .flags = (R) },                                                                     \
	{ .name = "address", .type = FT_STRING, .flags = FF_NULLABLE, .max_len = 500 },                                                 \
	{ .name = "is_rural", .type = FT_BOOL },                                                                                        \
	{ .name = "unfavorable_conditions", .type = FT_BOOL },                                                                          \
	{ .name = "education_levels", .type = FT_STRING_ARRAY, .flags = (R) | FF_UNIQUE, .allowed = education_levels, .max_items = 3 }, \
	{ .name = "has_ovz_pupils", .type = FT_BOOL }

static const struct field_spec school_create_fields[] = { SCHOOL_FIELDS(FF_REQUIRED) };
static const struct body_spec school_create_body = {
	.fields = school_create_fields, .nfields = N(school_create_fields),
};
static const struct field_spec school_update_fields[] = { SCHOOL_FIELDS(0) };
static const struct body_spec school_update_body = {
	.fields = school_update_fields, .nfields = N(school_update_fields), .min_fields = 1,
};

#define USER_FIELDS(R)                                                                                         \
	{ .name = "full_name", .type = FT_STRING, .flags = (R) | FF_NOT_BLANK, .min_len = 1, .max_len = 200 }, \
	{ .name = "role", .type = FT_STRING, .flags = (R), .allowed = role_names },                            \
	{ .name = "region_id", .type = FT_ID, .flags = FF_NULLABLE },                                          \
	{ .name = "municipality_id", .type = FT_ID, .flags = FF_NULLABLE },                                    \
	{ .name = "school_id", .type = FT_ID, .flags = FF_NULLABLE },                                          \
	{ .name = "is_active", .type = FT_BOOL }

static const struct field_spec user_create_fields[] = {
	{ .name = "login", .type = FT_STRING, .flags = FF_REQUIRED | FF_LOGIN, .min_len = 3, .max_len = 64 },
	USER_FIELDS(FF_REQUIRED),
	PASSWORD_FIELD("password", FF_REQUIRED, 10),
};
static const struct body_spec user_create_body = {
	.fields = user_create_fields, .nfields = N(user_create_fields),
};
static const struct field_spec user_update_fields[] = { USER_FIELDS(0) };
static const struct body_spec user_update_body = {
	.fields = user_update_fields, .nfields = N(user_update_fields), .min_fields = 1,
};

static const struct field_spec new_password_fields[] = {
	PASSWORD_FIELD("new_password", FF_REQUIRED, 10),
};
static const struct body_spec new_password_body = {
	.fields = new_password_fields, .nfields = N(new_password_fields),
};

/* ---- self-diagnostics (issue 3): SQL checks every value again, and the state ---- */

/* POST /instruments: the document is checked in depth by app.instrument_create (field paths
 * such as directions[2].indicators[0].code); here only what every JSON body gets. */
static const struct body_spec instrument_document_body = { .flags = BS_DOCUMENT };

/* target: exactly one of {"all": true}, {"municipality_ids": [...]}, {"school_ids": [...]}. */
static const struct field_spec campaign_target_fields[] = {
	{ .name = "all", .type = FT_BOOL, .flags = FF_TRUE_ONLY },
	{ .name = "municipality_ids", .type = FT_ID_ARRAY, .flags = FF_NOT_EMPTY | FF_UNIQUE, .max_items = 1000 },
	{ .name = "school_ids", .type = FT_ID_ARRAY, .flags = FF_NOT_EMPTY | FF_UNIQUE, .max_items = 10000 },
};
static const struct body_spec campaign_target = {
	.fields = campaign_target_fields, .nfields = N(campaign_target_fields), .flags = BS_EXACTLY_ONE,
};

/* closes_on may not precede opens_on (both already real dates; YYYY-MM-DD sorts as text). */
static void campaign_dates_check(const json_t *obj, json_t *errors)
{
	const char *opens = json_string_value(json_object_get(obj, "opens_on"));
	const char *closes = json_string_value(json_object_get(obj, "closes_on"));
	if (opens && closes && strcmp(closes, opens) < 0)
		field_error_add(errors, "closes_on", "invalid", "Дата окончания раньше даты начала");
}

static const struct field_spec campaign_create_fields[] = {
	{ .name = "title", .type = FT_STRING, .flags = FF_REQUIRED | FF_NOT_BLANK, .min_len = 1, .max_len = 500 },
	{ .name = "instrument_ids", .type = FT_ID_ARRAY, .flags = FF_REQUIRED | FF_NOT_EMPTY | FF_UNIQUE, .max_items = 20 },
	{ .name = "opens_on", .type = FT_DATE, .flags = FF_REQUIRED },
	{ .name = "closes_on", .type = FT_DATE, .flags = FF_REQUIRED },
	{ .name = "target", .type = FT_OBJECT, .flags = FF_REQUIRED, .object = &campaign_target },
};
static const struct body_spec campaign_create_body = {
	.fields = campaign_create_fields, .nfields = N(campaign_create_fields), .check = campaign_dates_check,
};

/* PATCH /campaigns/{id}: only the closing date moves (SQL: not before opens_on). */
static const struct field_spec campaign_update_fields[] = {
	{ .name = "closes_on", .type = FT_DATE, .flags = FF_REQUIRED },
};
static const struct body_spec campaign_update_body = {
	.fields = campaign_update_fields, .nfields = N(campaign_update_fields),
};

/* One answer: the option's value (SQL: one the indicator offers) and an optional comment. */
static const struct field_spec answer_fields[] = {
	{ .name = "value", .type = FT_STRING, .flags = FF_REQUIRED | FF_LOGIN, .min_len = 1, .max_len = 32 },
	{ .name = "comment", .type = FT_STRING, .flags = FF_NULLABLE, .max_len = 2000 },
};
static const struct body_spec answer_body = { .fields = answer_fields, .nfields = N(answer_fields) };

/* Return, reopen and a deficit's closing say why; no body at all is a missing comment/reason (422), not 400. */
static const struct field_spec return_fields[] = {
	{ .name = "comment", .type = FT_STRING, .flags = FF_REQUIRED | FF_NOT_BLANK, .min_len = 1, .max_len = 2000 },
};
static const struct body_spec return_body = {
	.fields = return_fields, .nfields = N(return_fields), .flags = BS_EMPTY_IS_OBJECT,
};
static const struct field_spec reason_fields[] = {
	{ .name = "reason", .type = FT_STRING, .flags = FF_REQUIRED | FF_NOT_BLANK, .min_len = 1, .max_len = 2000 },
};
/* {reason}: reopening a submission, closing a deficit. */
static const struct body_spec reason_body = {
	.fields = reason_fields, .nfields = N(reason_fields), .flags = BS_EMPTY_IS_OBJECT,
};

static const char *const instrument_statuses[] = { "draft", "published", NULL };
static const char *const campaign_statuses[] = { "planned", "open", "closed", NULL };
/* not_started lists the targeted schools without a submission (the review queue's "not started"). */
static const char *const submission_statuses[] = { "not_started", "draft", "submitted", "returned", "accepted",
						   NULL };

#define Q_LIMIT  { .name = "limit", .type = QP_INT, .min = 1, .max = 200, .has_default = 1, .dflt = 50 }
#define Q_OFFSET { .name = "offset", .type = QP_INT, .max = INT32_MAX, .has_default = 1 }
#define Q_ID(param) { .name = (param), .type = QP_ID }
/* 0 or 1 flags in query strings (?mine=1, ?dry_run=1). */
#define Q_FLAG(param) { .name = (param), .type = QP_INT, .max = 1 }
/*
 * ?sort=<field> or ?sort=-<field> (descending): the list's allow-list of both, NULL-terminated
 * (anything else is 422 sort invalid). The SQL function orders by the field, then by the
 * list's own order, which ends with a unique id.
 */
#define Q_SORT(allowed_) { .name = "sort", .type = QP_ENUM, .allowed = (allowed_), .description = SORT_DESCRIPTION }
#define SORT_DESCRIPTION "Порядок: поле по возрастанию, «-поле» по убыванию; равные — в порядке списка по умолчанию, " \
			 "последним — по идентификатору"

/* The review queue sorts by status in the order a reviewer needs them (see submissions_list). */
static const char *const submission_sorts[] = {
	"status", "-status", "school_name", "-school_name", "municipality_name", "-municipality_name",
	"submitted_at", "-submitted_at", "total_points", "-total_points", NULL,
};

static const struct qparam_spec page_params[] = { Q_LIMIT, Q_OFFSET };
static const struct query_spec page_query = { .params = page_params, .n = N(page_params) };
static const struct qparam_spec municipality_params[] = { Q_ID("region_id"), Q_LIMIT, Q_OFFSET };
static const struct query_spec municipality_query = { .params = municipality_params, .n = N(municipality_params) };
static const struct qparam_spec school_params[] = {
	Q_ID("municipality_id"), { .name = "q", .type = QP_STRING, .max_len = 200 }, Q_LIMIT, Q_OFFSET,
};
static const struct query_spec school_query = { .params = school_params, .n = N(school_params) };
static const struct qparam_spec user_params[] = {
	{ .name = "role", .type = QP_ENUM, .allowed = role_names }, Q_ID("municipality_id"), Q_ID("school_id"),
	Q_LIMIT, Q_OFFSET,
};
static const struct query_spec user_query = { .params = user_params, .n = N(user_params) };
static const struct qparam_spec instrument_params[] = {
	{ .name = "status", .type = QP_ENUM, .allowed = instrument_statuses }, Q_LIMIT, Q_OFFSET,
};
static const struct query_spec instrument_query = { .params = instrument_params, .n = N(instrument_params) };
static const struct qparam_spec campaign_params[] = {
	{ .name = "status", .type = QP_ENUM, .allowed = campaign_statuses }, Q_LIMIT, Q_OFFSET,
};
static const struct query_spec campaign_query = { .params = campaign_params, .n = N(campaign_params) };
static const struct qparam_spec submission_params[] = {
	Q_ID("campaign_id"), { .name = "status", .type = QP_ENUM, .allowed = submission_statuses }, Q_ID("municipality_id"),
	Q_FLAG("with_not_started"), Q_SORT(submission_sorts), Q_LIMIT, Q_OFFSET,
};
static const struct query_spec submission_query = { .params = submission_params, .n = N(submission_params) };
static const struct qparam_spec school_deficit_params[] = { Q_ID("campaign_id") };
static const struct query_spec school_deficit_query = { .params = school_deficit_params, .n = N(school_deficit_params) };
static const struct qparam_spec deficit_params[] = {
	{ .name = "campaign_id", .type = QP_ID, .required = "Укажите кампанию" }, Q_ID("municipality_id"), Q_LIMIT, Q_OFFSET,
};
static const struct query_spec deficit_query = { .params = deficit_params, .n = N(deficit_params) };

/* ---- projects and control of execution (issue 5): SQL checks every value again, and the scope ---- */

static const char *const project_leads[] = { "committee", "loiro", NULL };
static const char *const project_groups[] = { "low_results", "risk_zone", "academic_failure", NULL };
static const char *const document_kinds[] = { "order", "decision", "plan", "letter", "roadmap", NULL };
static const char *const executor_kinds[] = { "committee", "loiro", "all_municipalities", "municipality",
					      "school", NULL };
static const char *const report_statuses[] = { "not_started", "in_progress", "done", NULL };
static const char *const assignment_statuses[] = { "not_started", "in_progress", "done", "accepted", "returned",
						   NULL };
static const char *const summary_by[] = { "document", "executor", NULL };

/* The string member name of obj, NULL when absent, null or blank. */
static const char *present_text(const json_t *obj, const char *name)
{
	const char *s = json_string_value(json_object_get(obj, name));
	if (s == NULL)
		return NULL;
	for (const char *c = s; *c; c++)
		if (*c != ' ' && *c != '\t' && *c != '\n' && *c != '\r')
			return s;
	return NULL;
}

/* The period in order, and the approving order's number and date both or neither (create). */
static void project_create_check(const json_t *obj, json_t *errors)
{
	const char *starts = json_string_value(json_object_get(obj, "starts_on"));
	const char *ends = json_string_value(json_object_get(obj, "ends_on"));
	int number = present_text(obj, "order_number") != NULL;
	int date = json_string_value(json_object_get(obj, "order_date")) != NULL;
	if (starts && ends && strcmp(ends, starts) < 0)
		field_error_add(errors, "ends_on", "invalid", "Окончание не раньше начала");
	if (number && !date)
		field_error_add(errors, "order_date", "required", "Укажите дату распоряжения");
	if (date && !number)
		field_error_add(errors, "order_number", "required", "Укажите номер распоряжения");
}

/* Update: only what the body alone shows (SQL checks the stored row as a whole). */
static void project_update_check(const json_t *obj, json_t *errors)
{
	const char *starts = json_string_value(json_object_get(obj, "starts_on"));
	const char *ends = json_string_value(json_object_get(obj, "ends_on"));
	if (starts && ends && strcmp(ends, starts) < 0)
		field_error_add(errors, "ends_on", "invalid", "Окончание не раньше начала");
}

/* Create requires some (R), update none; null clears an optional field. */
#define PROJECT_FIELDS(R)                                                                                  \
	{ .name = "title", .type = FT_STRING, .flags = (R) | FF_NOT_BLANK, .min_len = 1, .max_len = 500 }, \
	{ .name = "description", .type = FT_STRING, .flags = FF_NULLABLE, .max_len = 4000 },               \
	{ .name = "starts_on", .type = FT_DATE, .flags = (R) },                                            \
	{ .name = "ends_on", .type = FT_DATE, .flags = FF_NULLABLE },                                      \
	{ .name = "lead", .type = FT_STRING, .allowed = project_leads },                                   \
	{ .name = "order_number", .type = FT_STRING, .flags = FF_NULLABLE, .max_len = 64 },                \
	{ .name = "order_date", .type = FT_DATE, .flags = FF_NULLABLE }

static const struct field_spec project_create_fields[] = { PROJECT_FIELDS(FF_REQUIRED) };
static const struct body_spec project_create_body = {
	.fields = project_create_fields, .nfields = N(project_create_fields), .check = project_create_check,
};
static const struct field_spec project_update_fields[] = { PROJECT_FIELDS(0) };
static const struct body_spec project_update_body = {
	.fields = project_update_fields,
	.nfields = N(project_update_fields),
	.min_fields = 1,
	.check = project_update_check,
};

/* unfavorable_conditions absent: the school's own flag (SQL). */
static const struct field_spec project_school_fields[] = {
	{ .name = "school_id", .type = FT_ID, .flags = FF_REQUIRED },
	{ .name = "group", .type = FT_STRING, .flags = FF_REQUIRED, .allowed = project_groups },
	{ .name = "unfavorable_conditions", .type = FT_BOOL },
};
static const struct body_spec project_school_body = {
	.fields = project_school_fields, .nfields = N(project_school_fields),
};

#define DOCUMENT_FIELDS(R)                                                                                  \
	{ .name = "kind", .type = FT_STRING, .flags = (R), .allowed = document_kinds },                     \
	{ .name = "number", .type = FT_STRING, .flags = (R) | FF_NOT_BLANK, .min_len = 1, .max_len = 64 },  \
	{ .name = "date", .type = FT_DATE, .flags = (R) },                                                  \
	{ .name = "title", .type = FT_STRING, .flags = (R) | FF_NOT_BLANK, .min_len = 1, .max_len = 1000 }, \
	{ .name = "project_id", .type = FT_ID, .flags = FF_NULLABLE }

static const struct field_spec document_create_fields[] = { DOCUMENT_FIELDS(FF_REQUIRED) };
static const struct body_spec document_create_body = {
	.fields = document_create_fields, .nfields = N(document_create_fields),
};
static const struct field_spec document_update_fields[] = { DOCUMENT_FIELDS(0) };
static const struct body_spec document_update_body = {
	.fields = document_update_fields, .nfields = N(document_update_fields), .min_fields = 1,
};

static const struct field_spec executor_fields[] = {
	{ .name = "kind", .type = FT_STRING, .flags = FF_REQUIRED, .allowed = executor_kinds },
	{ .name = "id", .type = FT_ID, .flags = FF_NULLABLE },
};
static const struct body_spec executor_body = { .fields = executor_fields, .nfields = N(executor_fields) };

/*
 * One item: a deadline is required when there are executors or a period
 * text; an executor names an organisation exactly when it is a
 * municipality or a school. prefix: "" for the single item, "items[i]." in bulk.
 */
static void item_rules(const json_t *obj, const char *prefix, json_t *errors)
{
	const json_t *execs = json_object_get(obj, "executors");
	const json_t *deadline = json_object_get(obj, "deadline");
	char path[128];
	size_t i;
	json_t *e;

	if ((deadline == NULL || json_is_null(deadline)) &&
	    (json_array_size(execs) > 0 || present_text(obj, "deadline_text") != NULL)) {
		snprintf(path, sizeof path, "%sdeadline", prefix);
		field_error_add(errors, path, "required", "Укажите срок исполнения");
	}
	/* An organisation is named for a municipality or a school, never for the others (one region each). */
	json_array_foreach(execs, i, e) {
		const char *kind = json_string_value(json_object_get(e, "kind"));
		const json_t *id = json_object_get(e, "id");
		int named = id != NULL && !json_is_null(id);
		int needs_id = kind && (strcmp(kind, "municipality") == 0 || strcmp(kind, "school") == 0);
		snprintf(path, sizeof path, "%sexecutors[%zu].id", prefix, i);
		if (needs_id && !named)
			field_error_add(errors, path, "required", "Укажите организацию");
		else if (!needs_id && named)
			field_error_add(errors, path, "must_be_empty",
					"Для этого исполнителя организацию указывать не нужно");
	}
}

/*
 * POST /documents/{id}/items takes either one item's fields or {items:
 * [...]} (pasted in bulk), never both. A nested check has no path prefix,
 * so the rules of every pasted item run from here.
 */
static void item_or_items_check(const json_t *obj, json_t *errors)
{
	const json_t *items = json_object_get(obj, "items");
	char prefix[32];
	size_t i;
	json_t *it;

	if (items == NULL) {
		if (json_object_get(obj, "number") == NULL)
			field_error_add(errors, "number", "required", FM_REQUIRED);
		if (json_object_get(obj, "content") == NULL)
			field_error_add(errors, "content", "required", FM_REQUIRED);
		item_rules(obj, "", errors);
		return;
	}
	if (json_object_size(obj) > 1) {
		field_error_add(errors, "items", "invalid",
				"Передайте либо один пункт, либо список пунктов items, но не вместе");
		return;
	}
	json_array_foreach(items, i, it) {
		snprintf(prefix, sizeof prefix, "items[%zu].", i);
		item_rules(it, prefix, errors);
	}
}

/* Numbers like 1, 2.1, 2.1.3 (≤ 6 levels, a trailing dot dropped): the form is SQL's to check. */
#define ITEM_FIELDS(R)                                                                                        \
	{ .name = "number", .type = FT_STRING, .flags = (R) | FF_NOT_BLANK, .min_len = 1, .max_len = 32 },    \
	{ .name = "content", .type = FT_STRING, .flags = (R) | FF_NOT_BLANK, .min_len = 1, .max_len = 4000 }, \
	{ .name = "deadline", .type = FT_DATE, .flags = FF_NULLABLE },                                        \
	{ .name = "deadline_text", .type = FT_STRING, .flags = FF_NULLABLE, .max_len = 200 },                 \
	{ .name = "expected_result", .type = FT_STRING, .flags = FF_NULLABLE, .max_len = 2000 },              \
	{ .name = "executors", .type = FT_OBJECT_ARRAY, .flags = FF_NULLABLE, .max_items = 200, .object = &executor_body }

static const struct field_spec item_fields[] = { ITEM_FIELDS(FF_REQUIRED) };
static const struct body_spec item_body = { .fields = item_fields, .nfields = N(item_fields) };
/* POST /documents/{id}/items: one item (its required fields checked by the rule) or {items: [...]}. */
static const struct field_spec item_post_fields[] = {
	ITEM_FIELDS(0),
	{ .name = "items", .type = FT_OBJECT_ARRAY, .flags = FF_NOT_EMPTY, .max_items = 500, .object = &item_body },
};
static const struct body_spec item_post_body = {
	.fields = item_post_fields, .nfields = N(item_post_fields), .check = item_or_items_check,
};

/* Every item of obj's "links" (strings, already checked as such) is an http(s) address: links[i] invalid otherwise. */
static void links_check(const json_t *obj, json_t *errors)
{
	const json_t *links = json_object_get(obj, "links");
	char path[32];
	size_t i;
	json_t *l;
	json_array_foreach(links, i, l) {
		const char *s = json_string_value(l);
		if (strncmp(s, "http://", 7) != 0 && strncmp(s, "https://", 8) != 0) {
			snprintf(path, sizeof path, "links[%zu]", i);
			field_error_add(errors, path, "invalid", "Ссылка должна начинаться с http:// или https://");
		}
	}
}

/* A done report needs its text; links are http(s) addresses. */
static void report_check(const json_t *obj, json_t *errors)
{
	const char *status = json_string_value(json_object_get(obj, "status"));
	if (status && strcmp(status, "done") == 0 && present_text(obj, "text") == NULL)
		field_error_add(errors, "text", "required", "Опишите, что сделано");
	links_check(obj, errors);
}

static const struct field_spec report_fields[] = {
	{ .name = "status", .type = FT_STRING, .flags = FF_REQUIRED, .allowed = report_statuses },
	{ .name = "text", .type = FT_STRING, .flags = FF_NULLABLE, .max_len = 10000 },
	{ .name = "links", .type = FT_STRING_ARRAY, .flags = FF_NULLABLE, .min_len = 1, .max_len = 500, .max_items = 10 },
};
static const struct body_spec report_body = {
	.fields = report_fields, .nfields = N(report_fields), .check = report_check,
};

static const struct qparam_spec project_school_params[] = {
	{ .name = "group", .type = QP_ENUM, .allowed = project_groups }, Q_ID("municipality_id"), Q_LIMIT, Q_OFFSET,
};
static const struct query_spec project_school_query = { .params = project_school_params, .n = N(project_school_params) };
static const struct qparam_spec import_params[] = { Q_FLAG("dry_run") };
static const struct query_spec import_query = { .params = import_params, .n = N(import_params) };
static const struct qparam_spec document_params[] = {
	{ .name = "kind", .type = QP_ENUM, .allowed = document_kinds }, Q_ID("project_id"), Q_LIMIT, Q_OFFSET,
};
static const struct query_spec document_query = { .params = document_params, .n = N(document_params) };
/* executor: committee | loiro | municipality:<id> | school:<id> — the form is SQL's to check. */
static const struct qparam_spec assignment_params[] = {
	Q_FLAG("mine"), Q_FLAG("overdue"), { .name = "executor", .type = QP_STRING, .max_len = 40 },
	Q_ID("document_id"), Q_ID("municipality_id"), { .name = "status", .type = QP_ENUM, .allowed = assignment_statuses },
	Q_LIMIT, Q_OFFSET,
};
static const struct query_spec assignment_query = { .params = assignment_params, .n = N(assignment_params) };
static const struct qparam_spec summary_params[] = {
	{ .name = "by", .type = QP_ENUM, .allowed = summary_by }, Q_ID("municipality_id"),
};
static const struct query_spec summary_query = { .params = summary_params, .n = N(summary_params) };

/* ---- development programs (issue 4): SQL checks every value again, the scope and the state ---- */

static const char *const program_statuses[] = { "not_started", "draft", "submitted", "returned", "approved",
						"superseded", NULL };
static const char *const measure_statuses[] = { "planned", "in_progress", "done", "not_done", NULL };

/* The period in order when the body holds both ends (SQL checks the 5-year limit and a PATCH against the stored row). */
static void program_period_check(const json_t *obj, json_t *errors)
{
	const char *start = json_string_value(json_object_get(obj, "period_start"));
	const char *end = json_string_value(json_object_get(obj, "period_end"));
	if (start && end && strcmp(end, start) < 0)
		field_error_add(errors, "period_end", "invalid", "Окончание периода не раньше его начала");
}

/* Create requires all (R), update none; a program's fields are never null. */
#define PROGRAM_FIELDS(R)                                                                                  \
	{ .name = "title", .type = FT_STRING, .flags = (R) | FF_NOT_BLANK, .min_len = 1, .max_len = 500 }, \
	{ .name = "period_start", .type = FT_DATE, .flags = (R) },                                         \
	{ .name = "period_end", .type = FT_DATE, .flags = (R) }

static const struct field_spec program_create_fields[] = {
	{ .name = "campaign_id", .type = FT_ID, .flags = FF_REQUIRED },
	PROGRAM_FIELDS(FF_REQUIRED),
};
static const struct body_spec program_create_body = {
	.fields = program_create_fields, .nfields = N(program_create_fields), .check = program_period_check,
};
static const struct field_spec program_update_fields[] = { PROGRAM_FIELDS(0) };
static const struct body_spec program_update_body = {
	.fields = program_update_fields,
	.nfields = N(program_update_fields),
	.min_fields = 1,
	.check = program_period_check,
};

/* PUT …/analyses/{direction_id}: text required as a member; null or blank removes the analysis. */
static const struct field_spec analysis_fields[] = {
	{ .name = "text", .type = FT_STRING, .flags = FF_REQUIRED | FF_NULLABLE, .max_len = 10000 },
};
static const struct body_spec analysis_body = { .fields = analysis_fields, .nfields = N(analysis_fields) };

/* deficit_ids: ids of the school's deficits or growth areas of that campaign (SQL: deficit_ids[i] not_found). */
#define MEASURE_FIELDS(R)                                                                                         \
	{ .name = "title", .type = FT_STRING, .flags = (R) | FF_NOT_BLANK, .min_len = 1, .max_len = 1000 },       \
	{ .name = "deficit_ids", .type = FT_ID_ARRAY, .flags = (R) | FF_NOT_EMPTY | FF_UNIQUE, .max_items = 50 }, \
	{ .name = "due_date", .type = FT_DATE, .flags = (R) },                                                    \
	{ .name = "responsible", .type = FT_STRING, .flags = (R) | FF_NOT_BLANK, .min_len = 1, .max_len = 300 },  \
	{ .name = "expected_result", .type = FT_STRING, .flags = FF_NULLABLE, .max_len = 2000 }

static const struct field_spec measure_create_fields[] = { MEASURE_FIELDS(FF_REQUIRED) };
static const struct body_spec measure_create_body = {
	.fields = measure_create_fields, .nfields = N(measure_create_fields),
};
static const struct field_spec measure_update_fields[] = { MEASURE_FIELDS(0) };
static const struct body_spec measure_update_body = {
	.fields = measure_update_fields, .nfields = N(measure_update_fields), .min_fields = 1,
};

/* done and not_done say what was done or why not. */
static void progress_check(const json_t *obj, json_t *errors)
{
	const char *status = json_string_value(json_object_get(obj, "status"));
	if (status && strcmp(status, "done") == 0 && present_text(obj, "note") == NULL)
		field_error_add(errors, "note", "required", "Опишите, что сделано");
	else if (status && strcmp(status, "not_done") == 0 && present_text(obj, "note") == NULL)
		field_error_add(errors, "note", "required", "Укажите причину невыполнения");
}

/* No body at all is a missing status (422), not 400. */
static const struct field_spec progress_fields[] = {
	{ .name = "status", .type = FT_STRING, .flags = FF_REQUIRED, .allowed = measure_statuses },
	{ .name = "note", .type = FT_STRING, .flags = FF_NULLABLE, .max_len = 2000 },
};
static const struct body_spec progress_body = {
	.fields = progress_fields,
	.nfields = N(progress_fields),
	.flags = BS_EMPTY_IS_OBJECT,
	.check = progress_check,
};

static const struct field_spec comment_fields[] = {
	{ .name = "text", .type = FT_STRING, .flags = FF_REQUIRED | FF_NOT_BLANK, .min_len = 1, .max_len = 4000 },
};
static const struct body_spec comment_body = { .fields = comment_fields, .nfields = N(comment_fields) };

/* indicator_ids: indicators of the region's instruments (SQL: indicator_ids[i] not_found). */
#define PRACTICE_FIELDS(R)                                                                                                 \
	{ .name = "title", .type = FT_STRING, .flags = (R) | FF_NOT_BLANK, .min_len = 1, .max_len = 500 },                 \
	{ .name = "body", .type = FT_STRING, .flags = (R) | FF_NOT_BLANK, .min_len = 1, .max_len = 20000 },                \
	{ .name = "links", .type = FT_STRING_ARRAY, .flags = FF_NULLABLE, .min_len = 1, .max_len = 500, .max_items = 10 }, \
	{ .name = "indicator_ids", .type = FT_ID_ARRAY, .flags = (R) | FF_NOT_EMPTY | FF_UNIQUE, .max_items = 100 }

static const struct field_spec practice_create_fields[] = { PRACTICE_FIELDS(FF_REQUIRED) };
static const struct body_spec practice_create_body = {
	.fields = practice_create_fields, .nfields = N(practice_create_fields), .check = links_check,
};
static const struct field_spec practice_update_fields[] = { PRACTICE_FIELDS(0) };
static const struct body_spec practice_update_body = {
	.fields = practice_update_fields,
	.nfields = N(practice_update_fields),
	.min_fields = 1,
	.check = links_check,
};

/* A school is not its own mentor (SQL also checks both schools' scope and region). */
static void partnership_check(const json_t *obj, json_t *errors)
{
	const json_t *school = json_object_get(obj, "school_id");
	const json_t *mentor = json_object_get(obj, "mentor_school_id");
	if (school && mentor && json_integer_value(school) == json_integer_value(mentor))
		field_error_add(errors, "mentor_school_id", "invalid", "Школа не может быть наставником самой себе");
}

/* indicator_ids may be empty: a partnership in general, not on particular indicators. */
static const struct field_spec partnership_fields[] = {
	{ .name = "school_id", .type = FT_ID, .flags = FF_REQUIRED },
	{ .name = "mentor_school_id", .type = FT_ID, .flags = FF_REQUIRED },
	{ .name = "indicator_ids", .type = FT_ID_ARRAY, .flags = FF_REQUIRED | FF_UNIQUE, .max_items = 100 },
};
static const struct body_spec partnership_body = {
	.fields = partnership_fields, .nfields = N(partnership_fields), .check = partnership_check,
};

static const struct qparam_spec program_params[] = {
	{ .name = "status", .type = QP_ENUM, .allowed = program_statuses }, Q_ID("municipality_id"), Q_ID("school_id"),
	Q_ID("campaign_id"), Q_LIMIT, Q_OFFSET,
};
static const struct query_spec program_query = { .params = program_params, .n = N(program_params) };
static const struct qparam_spec practice_params[] = {
	Q_ID("indicator_id"), { .name = "q", .type = QP_STRING, .max_len = 200 }, Q_LIMIT, Q_OFFSET,
};
static const struct query_spec practice_query = { .params = practice_params, .n = N(practice_params) };
static const struct qparam_spec mentor_params[] = { Q_ID("campaign_id"), Q_LIMIT, Q_OFFSET };
static const struct query_spec mentor_query = { .params = mentor_params, .n = N(mentor_params) };
static const struct qparam_spec partnership_params[] = { Q_ID("school_id"), Q_LIMIT, Q_OFFSET };
static const struct query_spec partnership_query = { .params = partnership_params, .n = N(partnership_params) };

/* ---- monitoring summaries and exports (issue 6): every report is of one campaign ---- */

static const char *const csv_separators[] = { "semicolon", "comma", NULL };

#define Q_CAMPAIGN { .name = "campaign_id", .type = QP_ID, .required = "Укажите кампанию самодиагностики" }
static const struct qparam_spec report_params[] = { Q_CAMPAIGN };
static const struct query_spec report_query = { .params = report_params, .n = N(report_params) };
static const struct qparam_spec report_scoped_params[] = { Q_CAMPAIGN, Q_ID("municipality_id") };
static const struct query_spec report_scoped_query = { .params = report_scoped_params, .n = N(report_scoped_params) };
/* One page of schools may be longer than elsewhere: the dashboard's table shows a municipality at once. */
static const struct qparam_spec report_school_params[] = {
	Q_CAMPAIGN, Q_ID("municipality_id"), { .name = "limit", .type = QP_INT, .min = 1, .max = 500, .has_default = 1, .dflt = 50 }, Q_OFFSET,
};
static const struct query_spec report_school_query = { .params = report_school_params, .n = N(report_school_params) };
static const struct qparam_spec report_csv_params[] = {
	Q_CAMPAIGN, { .name = "sep", .type = QP_ENUM, .allowed = csv_separators },
};
static const struct query_spec report_csv_query = { .params = report_csv_params, .n = N(report_csv_params) };

/* ---- attachments (issue 14): the body is the file itself, its name in the query ---- */

static const struct qparam_spec upload_params[] = {
	{ .name = "name", .type = QP_STRING, .max_len = 255, .description = "Имя файла (обязательно), URL-кодированное" },
};
static const struct query_spec upload_query = { .params = upload_params, .n = N(upload_params) };

/* ---- the table ---- */

#define ALL ROLES_ALL
#define MANAGERS (ROLE_COMMITTEE | ROLE_MUNICIPALITY)
#define REGIONAL (ROLE_COMMITTEE | ROLE_LOIRO)
#define REVIEWERS (ROLE_COMMITTEE | ROLE_LOIRO | ROLE_MUNICIPALITY)
#define IFM RF_IF_MATCH
#define CSV RF_CSV_BODY
#define UPLOAD RF_UPLOAD

/*
 * A row says who may call a route, the shape of its input and — for every
 * route where C does no real work — the SQL function it calls with where
 * each argument comes from; api_sql_call() runs it. The rest name a handler.
 */
#define ROUTE(m, p) .method = (m), .pattern = (p)

/* Arguments of a call, in the function's order; the second word is the SQL type. */
#define PATH_ID(i)      { .source = ARG_PATH, .index = (i), .type = "bigint" }
#define IF_MATCH        { .source = ARG_IF_MATCH, .type = "int" }
#define BODY            { .source = ARG_BODY, .type = "jsonb" }
#define DOCUMENT        { .source = ARG_DOCUMENT, .type = "json" }
#define MEMBER(n)       { .source = ARG_MEMBER, .name = (n), .type = "text" }
#define QUERY(n, t)     { .source = ARG_QUERY, .name = (n), .type = (t) }
#define QUERY_FLAG(n)   { .source = ARG_QUERY_FLAG, .name = (n), .type = "boolean" }
#define LIMIT           QUERY("limit", "int")
#define OFFSET          QUERY("offset", "int")

#define ARGS_(...) .args = (const struct sql_arg[]){ __VA_ARGS__ }, \
		   .nargs = N(((const struct sql_arg[]){ __VA_ARGS__ }))
/* CALLS: 200 with the function's JSON (NULL: 404). CREATES: 201. */
#define CALLS(fn, ...) .call = &(const struct sql_call){ .function = "app." fn, .answer = ANSWER_JSON, \
							 .status = 200, ARGS_(__VA_ARGS__) }
#define CALLS0(fn) .call = &(const struct sql_call){ .function = "app." fn, .answer = ANSWER_JSON, .status = 200 }
#define CREATES(fn, ...) .call = &(const struct sql_call){ .function = "app." fn, .answer = ANSWER_JSON, \
							   .status = 201, ARGS_(__VA_ARGS__) }
/* 201 with the object when the function created it, 200 when it found it ({created, <member>}). */
#define CREATES_OR_FINDS(fn, m, ...) .call = &(const struct sql_call){ .function = "app." fn,                         \
								       .answer = ANSWER_CREATED_OR_OK, .member = (m), \
								       ARGS_(__VA_ARGS__) }
/* 204 after the function ran. */
#define CALLS_NO_CONTENT(fn, ...) .call = &(const struct sql_call){ .function = "app." fn, \
								    .answer = ANSWER_NO_CONTENT, ARGS_(__VA_ARGS__) }

const struct route api_routes[] = {
	{ ROUTE("GET", "/api/v1/health"), .flags = RF_PUBLIC,
	  .handler = h_health },
	{ ROUTE("GET", "/api/v1/openapi.json"), .flags = RF_PUBLIC,
	  .handler = h_openapi },
	{ ROUTE("POST", "/api/v1/auth/login"), .flags = RF_PUBLIC | RF_THROTTLED, .body = &login_body,
	  .handler = h_auth_login },
	{ ROUTE("POST", "/api/v1/auth/refresh"), .flags = RF_PUBLIC,
	  .handler = h_auth_refresh },
	{ ROUTE("POST", "/api/v1/auth/logout"), .flags = RF_PUBLIC,
	  .handler = h_auth_logout },
	{ ROUTE("GET", "/api/v1/me"), .roles = ALL,
	  CALLS0("me") },
	{ ROUTE("POST", "/api/v1/me/password"), .roles = ALL, .flags = RF_THROTTLED, .body = &me_password_body,
	  .handler = h_me_password },
	{ ROUTE("GET", "/api/v1/regions"), .roles = ALL, .query = &page_query,
	  CALLS("regions_list", LIMIT, OFFSET) },
	{ ROUTE("GET", "/api/v1/municipalities"), .roles = ALL, .query = &municipality_query,
	  CALLS("municipalities_list", QUERY("region_id", "bigint"), LIMIT, OFFSET) },
	{ ROUTE("GET", "/api/v1/schools"), .roles = ALL, .query = &school_query,
	  CALLS("schools_list", QUERY("municipality_id", "bigint"), QUERY("q", "text"), LIMIT, OFFSET) },
	{ ROUTE("GET", "/api/v1/schools/{id}"), .roles = ALL,
	  CALLS("school_get", PATH_ID(0)) },
	{ ROUTE("POST", "/api/v1/schools"), .roles = ROLE_COMMITTEE, .body = &school_create_body,
	  CREATES("school_create", BODY) },
	{ ROUTE("PATCH", "/api/v1/schools/{id}"), .roles = ROLE_COMMITTEE, .flags = RF_IF_MATCH, .body = &school_update_body,
	  CALLS("school_update", PATH_ID(0), IF_MATCH, BODY) },
	{ ROUTE("GET", "/api/v1/users"), .roles = MANAGERS, .query = &user_query,
	  CALLS("users_list", QUERY("role", "text"), QUERY("municipality_id", "bigint"), QUERY("school_id", "bigint"), LIMIT, OFFSET) },
	{ ROUTE("GET", "/api/v1/users/{id}"), .roles = MANAGERS,
	  CALLS("user_get", PATH_ID(0)) },
	{ ROUTE("POST", "/api/v1/users"), .roles = MANAGERS, .body = &user_create_body,
	  .handler = h_users_create },
	{ ROUTE("PATCH", "/api/v1/users/{id}"), .roles = MANAGERS, .flags = RF_IF_MATCH, .body = &user_update_body,
	  CALLS("user_update", PATH_ID(0), IF_MATCH, BODY) },
	{ ROUTE("POST", "/api/v1/users/{id}/password"), .roles = MANAGERS, .body = &new_password_body,
	  .handler = h_users_password },
/* self-diagnostics: instruments, campaigns, submissions, deficits (docs/design.md, issue 3) */
	{ ROUTE("GET", "/api/v1/instruments"), .roles = ALL, .query = &instrument_query,
	  CALLS("instruments_list", QUERY("status", "text"), LIMIT, OFFSET) },
	{ ROUTE("GET", "/api/v1/instruments/{id}"), .roles = ALL,
	  CALLS("instrument_get", PATH_ID(0)) },
	{ ROUTE("GET", "/api/v1/instruments/{id}/document"), .roles = REGIONAL,
	  CALLS("instrument_document", PATH_ID(0)) },
	{ ROUTE("POST", "/api/v1/instruments"), .roles = REGIONAL, .body = &instrument_document_body,
	  CREATES("instrument_create", DOCUMENT) },
	{ ROUTE("POST", "/api/v1/instruments/{id}/publish"), .roles = REGIONAL,
	  CALLS("instrument_publish", PATH_ID(0)) },
	{ ROUTE("GET", "/api/v1/campaigns"), .roles = ALL, .query = &campaign_query,
	  CALLS("campaigns_list", QUERY("status", "text"), LIMIT, OFFSET) },
	{ ROUTE("GET", "/api/v1/campaigns/{id}"), .roles = ALL,
	  CALLS("campaign_get", PATH_ID(0)) },
	{ ROUTE("POST", "/api/v1/campaigns"), .roles = REGIONAL, .body = &campaign_create_body,
	  CREATES("campaign_create", BODY) },
	{ ROUTE("PATCH", "/api/v1/campaigns/{id}"), .roles = REGIONAL, .flags = IFM, .body = &campaign_update_body,
	  CALLS("campaign_update", PATH_ID(0), IF_MATCH, BODY) },
	{ ROUTE("GET", "/api/v1/campaigns/{id}/progress"), .roles = REVIEWERS,
	  CALLS("campaign_progress", PATH_ID(0)) },
	{ ROUTE("POST", "/api/v1/campaigns/{id}/submissions"), .roles = ROLE_SCHOOL,
	  CREATES_OR_FINDS("submission_open", "submission", PATH_ID(0)) },
	{ ROUTE("GET", "/api/v1/submissions"), .roles = ALL, .query = &submission_query,
	  CALLS("submissions_list", QUERY("campaign_id", "bigint"), QUERY("status", "text"), QUERY("municipality_id", "bigint"),
	        QUERY_FLAG("with_not_started"), QUERY("sort", "text"), LIMIT, OFFSET) },
	{ ROUTE("GET", "/api/v1/submissions/{id}"), .roles = ALL,
	  CALLS("submission_get", PATH_ID(0)) },
	{ ROUTE("PUT", "/api/v1/submissions/{id}/answers/{indicator_id}"), .roles = ROLE_SCHOOL, .flags = IFM, .body = &answer_body,
	  CALLS("submission_answer", PATH_ID(0), PATH_ID(1), MEMBER("value"), MEMBER("comment"), IF_MATCH) },
	{ ROUTE("GET", "/api/v1/submissions/{id}/answers/{indicator_id}/history"), .roles = ROLE_SCHOOL | ROLE_MUNICIPALITY,
	  CALLS("answer_history", PATH_ID(0), PATH_ID(1)) },
	{ ROUTE("POST", "/api/v1/submissions/{id}/submit"), .roles = ROLE_SCHOOL, .flags = IFM,
	  CALLS("submission_submit", PATH_ID(0), IF_MATCH) },
	{ ROUTE("POST", "/api/v1/submissions/{id}/accept"), .roles = ROLE_MUNICIPALITY, .flags = IFM,
	  CALLS("submission_accept", PATH_ID(0), IF_MATCH) },
	{ ROUTE("POST", "/api/v1/submissions/{id}/return"), .roles = ROLE_MUNICIPALITY, .flags = IFM, .body = &return_body,
	  CALLS("submission_return", PATH_ID(0), IF_MATCH, MEMBER("comment")) },
	{ ROUTE("POST", "/api/v1/submissions/{id}/reopen"), .roles = ROLE_COMMITTEE, .flags = IFM, .body = &reason_body,
	  CALLS("submission_reopen", PATH_ID(0), IF_MATCH, MEMBER("reason")) },
	{ ROUTE("GET", "/api/v1/schools/{id}/deficits"), .roles = ALL, .query = &school_deficit_query,
	  CALLS("school_deficits", PATH_ID(0), QUERY("campaign_id", "bigint")) },
	{ ROUTE("GET", "/api/v1/schools/{id}/results"), .roles = ALL,
	  CALLS("school_results", PATH_ID(0)) },
	{ ROUTE("GET", "/api/v1/deficits"), .roles = REVIEWERS, .query = &deficit_query,
	  CALLS("deficits_summary", QUERY("campaign_id", "bigint"), QUERY("municipality_id", "bigint"), LIMIT, OFFSET) },
/* projects and control of execution (docs/design.md, issue 5) */
	{ ROUTE("GET", "/api/v1/projects"), .roles = ALL, .query = &page_query,
	  CALLS("projects_list", LIMIT, OFFSET) },
	{ ROUTE("POST", "/api/v1/projects"), .roles = ROLE_COMMITTEE, .body = &project_create_body,
	  CREATES("project_create", BODY) },
	{ ROUTE("GET", "/api/v1/projects/{id}"), .roles = ALL,
	  CALLS("project_get", PATH_ID(0)) },
	{ ROUTE("PATCH", "/api/v1/projects/{id}"), .roles = ROLE_COMMITTEE, .flags = IFM, .body = &project_update_body,
	  CALLS("project_update", PATH_ID(0), IF_MATCH, BODY) },
	{ ROUTE("GET", "/api/v1/projects/{id}/schools"), .roles = ALL, .query = &project_school_query,
	  CALLS("project_schools_list", PATH_ID(0), QUERY("group", "text"), QUERY("municipality_id", "bigint"), LIMIT, OFFSET) },
	{ ROUTE("POST", "/api/v1/projects/{id}/schools"), .roles = ROLE_COMMITTEE, .body = &project_school_body,
	  CREATES_OR_FINDS("project_school_add", "school", PATH_ID(0), BODY) },
	{ ROUTE("DELETE", "/api/v1/projects/{id}/schools/{school_id}"), .roles = ROLE_COMMITTEE,
	  CALLS_NO_CONTENT("project_school_remove", PATH_ID(0), PATH_ID(1)) },
	{ ROUTE("POST", "/api/v1/projects/{id}/schools/import"), .roles = ROLE_COMMITTEE, .flags = CSV, .query = &import_query,
	  .handler = h_project_schools_import },
	{ ROUTE("GET", "/api/v1/documents"), .roles = ALL, .query = &document_query,
	  CALLS("documents_list", QUERY("kind", "text"), QUERY("project_id", "bigint"), LIMIT, OFFSET) },
	{ ROUTE("POST", "/api/v1/documents"), .roles = MANAGERS, .body = &document_create_body,
	  CREATES("document_create", BODY) },
	{ ROUTE("GET", "/api/v1/documents/{id}"), .roles = ALL,
	  CALLS("document_get", PATH_ID(0)) },
	{ ROUTE("PATCH", "/api/v1/documents/{id}"), .roles = MANAGERS, .flags = IFM, .body = &document_update_body,
	  CALLS("document_update", PATH_ID(0), IF_MATCH, BODY) },
	{ ROUTE("POST", "/api/v1/documents/{id}/items"), .roles = MANAGERS, .body = &item_post_body,
	  .handler = h_documents_items_create },
	{ ROUTE("GET", "/api/v1/assignments"), .roles = ALL, .query = &assignment_query,
	  CALLS("assignments_list", QUERY_FLAG("mine"), QUERY_FLAG("overdue"), QUERY("executor", "text"), QUERY("document_id", "bigint"), QUERY("municipality_id", "bigint"), QUERY("status", "text"), LIMIT, OFFSET) },
	{ ROUTE("GET", "/api/v1/assignments/summary"), .roles = REVIEWERS, .query = &summary_query,
	  CALLS("execution_summary", QUERY("by", "text"), QUERY("municipality_id", "bigint")) },
	{ ROUTE("GET", "/api/v1/assignments/{id}"), .roles = ALL,
	  CALLS("assignment_get", PATH_ID(0)) },
	{ ROUTE("POST", "/api/v1/assignments/{id}/report"), .roles = ALL, .flags = IFM, .body = &report_body,
	  CALLS("assignment_report", PATH_ID(0), IF_MATCH, BODY) },
	{ ROUTE("POST", "/api/v1/assignments/{id}/accept"), .roles = ROLE_COMMITTEE, .flags = IFM,
	  CALLS("assignment_accept", PATH_ID(0), IF_MATCH) },
	{ ROUTE("POST", "/api/v1/assignments/{id}/return"), .roles = ROLE_COMMITTEE, .flags = IFM, .body = &return_body,
	  CALLS("assignment_return", PATH_ID(0), IF_MATCH, MEMBER("comment")) },
/* development programs, deficit lifecycle, practices, mentors, partnerships (docs/design.md, issue 4) */
	{ ROUTE("GET", "/api/v1/programs"), .roles = ALL, .query = &program_query,
	  CALLS("programs_list", QUERY("status", "text"), QUERY("municipality_id", "bigint"), QUERY("school_id", "bigint"), QUERY("campaign_id", "bigint"), LIMIT, OFFSET) },
	{ ROUTE("POST", "/api/v1/programs"), .roles = ROLE_SCHOOL, .body = &program_create_body,
	  CREATES("program_create", BODY) },
	{ ROUTE("GET", "/api/v1/programs/{id}"), .roles = ALL,
	  CALLS("program_get", PATH_ID(0)) },
	{ ROUTE("PATCH", "/api/v1/programs/{id}"), .roles = ROLE_SCHOOL, .flags = IFM, .body = &program_update_body,
	  CALLS("program_update", PATH_ID(0), IF_MATCH, BODY) },
	{ ROUTE("PUT", "/api/v1/programs/{id}/analyses/{direction_id}"), .roles = ROLE_SCHOOL, .body = &analysis_body,
	  CALLS("program_analysis_set", PATH_ID(0), PATH_ID(1), MEMBER("text")) },
	{ ROUTE("POST", "/api/v1/programs/{id}/measures"), .roles = ROLE_SCHOOL, .body = &measure_create_body,
	  CREATES("program_measure_create", PATH_ID(0), BODY) },
	{ ROUTE("PATCH", "/api/v1/programs/{id}/measures/{measure_id}"), .roles = ROLE_SCHOOL, .flags = IFM, .body = &measure_update_body,
	  CALLS("program_measure_update", PATH_ID(0), PATH_ID(1), IF_MATCH, BODY) },
	{ ROUTE("DELETE", "/api/v1/programs/{id}/measures/{measure_id}"), .roles = ROLE_SCHOOL,
	  CALLS_NO_CONTENT("program_measure_delete", PATH_ID(0), PATH_ID(1)) },
	{ ROUTE("POST", "/api/v1/programs/{id}/measures/{measure_id}/progress"), .roles = ROLE_SCHOOL, .flags = IFM, .body = &progress_body,
	  CALLS("program_measure_progress", PATH_ID(0), PATH_ID(1), IF_MATCH, BODY) },
	{ ROUTE("POST", "/api/v1/programs/{id}/submit"), .roles = ROLE_SCHOOL, .flags = IFM,
	  CALLS("program_submit", PATH_ID(0), IF_MATCH) },
	{ ROUTE("POST", "/api/v1/programs/{id}/approve"), .roles = ROLE_MUNICIPALITY, .flags = IFM,
	  CALLS("program_approve", PATH_ID(0), IF_MATCH) },
	{ ROUTE("POST", "/api/v1/programs/{id}/return"), .roles = ROLE_MUNICIPALITY, .flags = IFM, .body = &return_body,
	  CALLS("program_return", PATH_ID(0), IF_MATCH, MEMBER("comment")) },
	{ ROUTE("POST", "/api/v1/programs/{id}/comments"), .roles = REVIEWERS, .body = &comment_body,
	  CREATES("program_comment_add", PATH_ID(0), MEMBER("text")) },
	{ ROUTE("POST", "/api/v1/programs/{id}/revise"), .roles = ROLE_SCHOOL, .flags = IFM,
	  CREATES("program_revise", PATH_ID(0), IF_MATCH) },
	{ ROUTE("POST", "/api/v1/deficits/{id}/close"), .roles = ROLE_MUNICIPALITY, .body = &reason_body,
	  CALLS("deficit_close", PATH_ID(0), MEMBER("reason")) },
	{ ROUTE("GET", "/api/v1/practices"), .roles = ALL, .query = &practice_query,
	  CALLS("practices_list", QUERY("indicator_id", "bigint"), QUERY("q", "text"), LIMIT, OFFSET) },
	{ ROUTE("POST", "/api/v1/practices"), .roles = ROLE_LOIRO, .body = &practice_create_body,
	  CREATES("practice_create", BODY) },
	{ ROUTE("GET", "/api/v1/practices/{id}"), .roles = ALL,
	  CALLS("practice_get", PATH_ID(0)) },
	{ ROUTE("PATCH", "/api/v1/practices/{id}"), .roles = ROLE_LOIRO, .flags = IFM, .body = &practice_update_body,
	  CALLS("practice_update", PATH_ID(0), IF_MATCH, BODY) },
	{ ROUTE("GET", "/api/v1/indicators/{id}/mentors"), .roles = ALL, .query = &mentor_query,
	  CALLS("indicator_mentors", PATH_ID(0), QUERY("campaign_id", "bigint"), LIMIT, OFFSET) },
	{ ROUTE("GET", "/api/v1/partnerships"), .roles = ALL, .query = &partnership_query,
	  CALLS("partnerships_list", QUERY("school_id", "bigint"), LIMIT, OFFSET) },
	{ ROUTE("POST", "/api/v1/partnerships"), .roles = ROLE_MUNICIPALITY, .body = &partnership_body,
	  CREATES("partnership_create", BODY) },
	{ ROUTE("DELETE", "/api/v1/partnerships/{id}"), .roles = ROLE_MUNICIPALITY,
	  CALLS_NO_CONTENT("partnership_delete", PATH_ID(0)) },
/* monitoring summaries and exports (docs/design.md, issue 6); the exports answer with a file body */
	{ ROUTE("GET", "/api/v1/reports/summary"), .roles = REVIEWERS, .query = &report_query,
	  CALLS("report_summary", QUERY("campaign_id", "bigint")) },
	{ ROUTE("GET", "/api/v1/reports/summary.xlsx"), .roles = REVIEWERS, .query = &report_query,
	  .handler = h_reports_summary_xlsx },
	{ ROUTE("GET", "/api/v1/reports/summary.csv"), .roles = REVIEWERS, .query = &report_csv_query,
	  .handler = h_reports_summary_csv },
	{ ROUTE("GET", "/api/v1/reports/schools"), .roles = REVIEWERS, .query = &report_school_query,
	  CALLS("report_schools", QUERY("campaign_id", "bigint"), QUERY("municipality_id", "bigint"), LIMIT, OFFSET) },
	{ ROUTE("GET", "/api/v1/reports/deficits"), .roles = REVIEWERS, .query = &report_scoped_query,
	  CALLS("report_deficits", QUERY("campaign_id", "bigint"), QUERY("municipality_id", "bigint")) },
	{ ROUTE("GET", "/api/v1/reports/programs"), .roles = REVIEWERS, .query = &report_query,
	  CALLS("report_programs", QUERY("campaign_id", "bigint")) },
	{ ROUTE("GET", "/api/v1/schools/{id}/card"), .roles = ALL,
	  CALLS("school_card", PATH_ID(0)) },
/* files attached to objects (issue 14): the roles that ever change such an object; SQL checks the object itself */
	{ ROUTE("POST", "/api/v1/assignments/{id}/attachments"), .roles = ALL, .flags = UPLOAD, .query = &upload_query,
	  .handler = h_attachment_upload },
	{ ROUTE("POST", "/api/v1/programs/{id}/attachments"), .roles = ROLE_SCHOOL, .flags = UPLOAD, .query = &upload_query,
	  .handler = h_attachment_upload },
	{ ROUTE("POST", "/api/v1/programs/{id}/measures/{measure_id}/attachments"), .roles = ROLE_SCHOOL, .flags = UPLOAD,
	  .query = &upload_query, .handler = h_attachment_upload },
	{ ROUTE("POST", "/api/v1/submissions/{id}/answers/{indicator_id}/attachments"), .roles = ROLE_SCHOOL, .flags = UPLOAD,
	  .query = &upload_query, .handler = h_attachment_upload },
	{ ROUTE("POST", "/api/v1/documents/{id}/attachments"), .roles = MANAGERS, .flags = UPLOAD, .query = &upload_query,
	  .handler = h_attachment_upload },
	{ ROUTE("POST", "/api/v1/practices/{id}/attachments"), .roles = ROLE_LOIRO, .flags = UPLOAD, .query = &upload_query,
	  .handler = h_attachment_upload },
	{ ROUTE("GET", "/api/v1/attachments/{id}"), .roles = ALL,
	  .handler = h_attachment_download },
	{ ROUTE("DELETE", "/api/v1/attachments/{id}"), .roles = ALL,
	  CALLS_NO_CONTENT("attachment_remove", PATH_ID(0)) },
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
		json_t *row = json_pack("{s:s, s:s, s:o, s:b}", "method", r->method, "path", r->pattern, "roles",
					roles, "public", pub);
		if (r->call) { /* what the SQL test compares with pg_proc */
			json_t *types = json_array();
			for (size_t k = 0; k < r->call->nargs; k++)
				json_array_append_new(types, json_string(r->call->args[k].type));
			json_object_set_new(row, "call", json_pack("{s:s, s:o}", "function", r->call->function,
								   "args", types));
		}
		json_array_append_new(all, row);
	}
	text = json_dumps(all, JSON_INDENT(2));
	rc = text && fprintf(out, "%s\n", text) > 0 ? 0 : -1;
	free(text);
	json_decref(all);
	return rc;
}
