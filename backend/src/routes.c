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

/* Return, reopen and a deficit's closing say why; no body at all is a missing comment/reason (422), not 400. */
static const struct field_spec return_fields[] = {
	{ "comment", FT_STRING, FF_REQUIRED | FF_NOT_BLANK, 1, 2000, 0, 0, NULL, 0, NULL },
};
static const struct body_spec return_body = { return_fields, N(return_fields), 0, BS_EMPTY_IS_OBJECT, NULL };
static const struct field_spec reason_fields[] = {
	{ "reason", FT_STRING, FF_REQUIRED | FF_NOT_BLANK, 1, 2000, 0, 0, NULL, 0, NULL },
};
/* {reason}: reopening a submission, closing a deficit. */
static const struct body_spec reason_body = { reason_fields, N(reason_fields), 0, BS_EMPTY_IS_OBJECT, NULL };

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
#define PROJECT_FIELDS(R)                                                                              \
	{ "title", FT_STRING, (R) | FF_NOT_BLANK, 1, 500, 0, 0, NULL, 0, NULL },                       \
	{ "description", FT_STRING, FF_NULLABLE, 0, 4000, 0, 0, NULL, 0, NULL },                       \
	{ "starts_on", FT_DATE, (R), 0, 0, 0, 0, NULL, 0, NULL },                                      \
	{ "ends_on", FT_DATE, FF_NULLABLE, 0, 0, 0, 0, NULL, 0, NULL },                                \
	{ "lead", FT_STRING, 0, 0, 0, 0, 0, project_leads, 0, NULL },                                  \
	{ "order_number", FT_STRING, FF_NULLABLE, 0, 64, 0, 0, NULL, 0, NULL },                        \
	{ "order_date", FT_DATE, FF_NULLABLE, 0, 0, 0, 0, NULL, 0, NULL }

static const struct field_spec project_create_fields[] = { PROJECT_FIELDS(FF_REQUIRED) };
static const struct body_spec project_create_body = { project_create_fields, N(project_create_fields), 0, 0,
						      project_create_check };
static const struct field_spec project_update_fields[] = { PROJECT_FIELDS(0) };
static const struct body_spec project_update_body = { project_update_fields, N(project_update_fields), 1, 0,
						      project_update_check };

/* unfavorable_conditions absent: the school's own flag (SQL). */
static const struct field_spec project_school_fields[] = {
	{ "school_id", FT_ID, FF_REQUIRED, 0, 0, 0, 0, NULL, 0, NULL },
	{ "group", FT_STRING, FF_REQUIRED, 0, 0, 0, 0, project_groups, 0, NULL },
	{ "unfavorable_conditions", FT_BOOL, 0, 0, 0, 0, 0, NULL, 0, NULL },
};
static const struct body_spec project_school_body = { project_school_fields, N(project_school_fields), 0, 0,
						      NULL };

#define DOCUMENT_FIELDS(R)                                                                   \
	{ "kind", FT_STRING, (R), 0, 0, 0, 0, document_kinds, 0, NULL },                     \
	{ "number", FT_STRING, (R) | FF_NOT_BLANK, 1, 64, 0, 0, NULL, 0, NULL },             \
	{ "date", FT_DATE, (R), 0, 0, 0, 0, NULL, 0, NULL },                                 \
	{ "title", FT_STRING, (R) | FF_NOT_BLANK, 1, 1000, 0, 0, NULL, 0, NULL },            \
	{ "project_id", FT_ID, FF_NULLABLE, 0, 0, 0, 0, NULL, 0, NULL }

static const struct field_spec document_create_fields[] = { DOCUMENT_FIELDS(FF_REQUIRED) };
static const struct body_spec document_create_body = { document_create_fields, N(document_create_fields), 0, 0,
						       NULL };
static const struct field_spec document_update_fields[] = { DOCUMENT_FIELDS(0) };
static const struct body_spec document_update_body = { document_update_fields, N(document_update_fields), 1, 0,
						       NULL };

static const struct field_spec executor_fields[] = {
	{ "kind", FT_STRING, FF_REQUIRED, 0, 0, 0, 0, executor_kinds, 0, NULL },
	{ "id", FT_ID, FF_NULLABLE, 0, 0, 0, 0, NULL, 0, NULL },
};
static const struct body_spec executor_body = { executor_fields, N(executor_fields), 0, 0, NULL };

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
			field_error_add(errors, "number", "required", "Обязательное поле");
		if (json_object_get(obj, "content") == NULL)
			field_error_add(errors, "content", "required", "Обязательное поле");
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
#define ITEM_FIELDS(R)                                                                                \
	{ "number", FT_STRING, (R) | FF_NOT_BLANK, 1, 32, 0, 0, NULL, 0, NULL },                      \
	{ "content", FT_STRING, (R) | FF_NOT_BLANK, 1, 4000, 0, 0, NULL, 0, NULL },                   \
	{ "deadline", FT_DATE, FF_NULLABLE, 0, 0, 0, 0, NULL, 0, NULL },                              \
	{ "deadline_text", FT_STRING, FF_NULLABLE, 0, 200, 0, 0, NULL, 0, NULL },                     \
	{ "expected_result", FT_STRING, FF_NULLABLE, 0, 2000, 0, 0, NULL, 0, NULL },                  \
	{ "executors", FT_OBJECT_ARRAY, FF_NULLABLE, 0, 0, 0, 0, NULL, 200, &executor_body }

static const struct field_spec item_fields[] = { ITEM_FIELDS(FF_REQUIRED) };
static const struct body_spec item_body = { item_fields, N(item_fields), 0, 0, NULL };
/* POST /documents/{id}/items: one item (its required fields checked by the rule) or {items: [...]}. */
static const struct field_spec item_post_fields[] = {
	ITEM_FIELDS(0),
	{ "items", FT_OBJECT_ARRAY, FF_NOT_EMPTY, 0, 0, 0, 0, NULL, 500, &item_body },
};
static const struct body_spec item_post_body = { item_post_fields, N(item_post_fields), 0, 0,
						 item_or_items_check };

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
	{ "status", FT_STRING, FF_REQUIRED, 0, 0, 0, 0, report_statuses, 0, NULL },
	{ "text", FT_STRING, FF_NULLABLE, 0, 10000, 0, 0, NULL, 0, NULL },
	{ "links", FT_STRING_ARRAY, FF_NULLABLE, 1, 500, 0, 0, NULL, 10, NULL },
};
static const struct body_spec report_body = { report_fields, N(report_fields), 0, 0, report_check };

/* 0 or 1 flags in query strings (?mine=1, ?dry_run=1). */
#define Q_FLAG(name) { name, QP_INT, 0, 1, 0, 0, 0, NULL }

static const struct qparam_spec project_school_params[] = {
	{ "group", QP_ENUM, 0, 0, 0, 0, 0, project_groups }, Q_ID("municipality_id"), Q_LIMIT, Q_OFFSET,
};
static const struct query_spec project_school_query = { project_school_params, N(project_school_params) };
static const struct qparam_spec import_params[] = { Q_FLAG("dry_run") };
static const struct query_spec import_query = { import_params, N(import_params) };
static const struct qparam_spec document_params[] = {
	{ "kind", QP_ENUM, 0, 0, 0, 0, 0, document_kinds }, Q_ID("project_id"), Q_LIMIT, Q_OFFSET,
};
static const struct query_spec document_query = { document_params, N(document_params) };
/* executor: committee | loiro | municipality:<id> | school:<id> — the form is SQL's to check. */
static const struct qparam_spec assignment_params[] = {
	Q_FLAG("mine"), Q_FLAG("overdue"), { "executor", QP_STRING, 0, 0, 0, 0, 40, NULL },
	Q_ID("document_id"), Q_ID("municipality_id"), { "status", QP_ENUM, 0, 0, 0, 0, 0, assignment_statuses },
	Q_LIMIT, Q_OFFSET,
};
static const struct query_spec assignment_query = { assignment_params, N(assignment_params) };
static const struct qparam_spec summary_params[] = {
	{ "by", QP_ENUM, 0, 0, 0, 0, 0, summary_by }, Q_ID("municipality_id"),
};
static const struct query_spec summary_query = { summary_params, N(summary_params) };

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
#define PROGRAM_FIELDS(R)                                                               \
	{ "title", FT_STRING, (R) | FF_NOT_BLANK, 1, 500, 0, 0, NULL, 0, NULL },        \
	{ "period_start", FT_DATE, (R), 0, 0, 0, 0, NULL, 0, NULL },                     \
	{ "period_end", FT_DATE, (R), 0, 0, 0, 0, NULL, 0, NULL }

static const struct field_spec program_create_fields[] = {
	{ "campaign_id", FT_ID, FF_REQUIRED, 0, 0, 0, 0, NULL, 0, NULL },
	PROGRAM_FIELDS(FF_REQUIRED),
};
static const struct body_spec program_create_body = { program_create_fields, N(program_create_fields), 0, 0,
						      program_period_check };
static const struct field_spec program_update_fields[] = { PROGRAM_FIELDS(0) };
static const struct body_spec program_update_body = { program_update_fields, N(program_update_fields), 1, 0,
						      program_period_check };

/* PUT …/analyses/{direction_id}: text required as a member; null or blank removes the analysis. */
static const struct field_spec analysis_fields[] = {
	{ "text", FT_STRING, FF_REQUIRED | FF_NULLABLE, 0, 10000, 0, 0, NULL, 0, NULL },
};
static const struct body_spec analysis_body = { analysis_fields, N(analysis_fields), 0, 0, NULL };

/* deficit_ids: ids of the school's deficits or growth areas of that campaign (SQL: deficit_ids[i] not_found). */
#define MEASURE_FIELDS(R)                                                                                   \
	{ "title", FT_STRING, (R) | FF_NOT_BLANK, 1, 1000, 0, 0, NULL, 0, NULL },                           \
	{ "deficit_ids", FT_ID_ARRAY, (R) | FF_NOT_EMPTY | FF_UNIQUE, 0, 0, 0, 0, NULL, 50, NULL },         \
	{ "due_date", FT_DATE, (R), 0, 0, 0, 0, NULL, 0, NULL },                                            \
	{ "responsible", FT_STRING, (R) | FF_NOT_BLANK, 1, 300, 0, 0, NULL, 0, NULL },                      \
	{ "expected_result", FT_STRING, FF_NULLABLE, 0, 2000, 0, 0, NULL, 0, NULL }

static const struct field_spec measure_create_fields[] = { MEASURE_FIELDS(FF_REQUIRED) };
static const struct body_spec measure_create_body = { measure_create_fields, N(measure_create_fields), 0, 0, NULL };
static const struct field_spec measure_update_fields[] = { MEASURE_FIELDS(0) };
static const struct body_spec measure_update_body = { measure_update_fields, N(measure_update_fields), 1, 0, NULL };

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
	{ "status", FT_STRING, FF_REQUIRED, 0, 0, 0, 0, measure_statuses, 0, NULL },
	{ "note", FT_STRING, FF_NULLABLE, 0, 2000, 0, 0, NULL, 0, NULL },
};
static const struct body_spec progress_body = { progress_fields, N(progress_fields), 0, BS_EMPTY_IS_OBJECT,
						progress_check };

static const struct field_spec comment_fields[] = {
	{ "text", FT_STRING, FF_REQUIRED | FF_NOT_BLANK, 1, 4000, 0, 0, NULL, 0, NULL },
};
static const struct body_spec comment_body = { comment_fields, N(comment_fields), 0, 0, NULL };

/* indicator_ids: indicators of the region's instruments (SQL: indicator_ids[i] not_found). */
#define PRACTICE_FIELDS(R)                                                                                     \
	{ "title", FT_STRING, (R) | FF_NOT_BLANK, 1, 500, 0, 0, NULL, 0, NULL },                               \
	{ "body", FT_STRING, (R) | FF_NOT_BLANK, 1, 20000, 0, 0, NULL, 0, NULL },                              \
	{ "links", FT_STRING_ARRAY, FF_NULLABLE, 1, 500, 0, 0, NULL, 10, NULL },                               \
	{ "indicator_ids", FT_ID_ARRAY, (R) | FF_NOT_EMPTY | FF_UNIQUE, 0, 0, 0, 0, NULL, 100, NULL }

static const struct field_spec practice_create_fields[] = { PRACTICE_FIELDS(FF_REQUIRED) };
static const struct body_spec practice_create_body = { practice_create_fields, N(practice_create_fields), 0, 0,
						       links_check };
static const struct field_spec practice_update_fields[] = { PRACTICE_FIELDS(0) };
static const struct body_spec practice_update_body = { practice_update_fields, N(practice_update_fields), 1, 0,
						       links_check };

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
	{ "school_id", FT_ID, FF_REQUIRED, 0, 0, 0, 0, NULL, 0, NULL },
	{ "mentor_school_id", FT_ID, FF_REQUIRED, 0, 0, 0, 0, NULL, 0, NULL },
	{ "indicator_ids", FT_ID_ARRAY, FF_REQUIRED | FF_UNIQUE, 0, 0, 0, 0, NULL, 100, NULL },
};
static const struct body_spec partnership_body = { partnership_fields, N(partnership_fields), 0, 0,
						   partnership_check };

static const struct qparam_spec program_params[] = {
	{ "status", QP_ENUM, 0, 0, 0, 0, 0, program_statuses }, Q_ID("municipality_id"), Q_ID("school_id"),
	Q_ID("campaign_id"), Q_LIMIT, Q_OFFSET,
};
static const struct query_spec program_query = { program_params, N(program_params) };
static const struct qparam_spec practice_params[] = {
	Q_ID("indicator_id"), { "q", QP_STRING, 0, 0, 0, 0, 200, NULL }, Q_LIMIT, Q_OFFSET,
};
static const struct query_spec practice_query = { practice_params, N(practice_params) };
static const struct qparam_spec mentor_params[] = { Q_ID("campaign_id"), Q_LIMIT, Q_OFFSET };
static const struct query_spec mentor_query = { mentor_params, N(mentor_params) };
static const struct qparam_spec partnership_params[] = { Q_ID("school_id"), Q_LIMIT, Q_OFFSET };
static const struct query_spec partnership_query = { partnership_params, N(partnership_params) };

/* ---- monitoring summaries and exports (issue 6): campaign_id is required (the handlers answer 422) ---- */

static const char *const csv_separators[] = { "semicolon", "comma", NULL };

static const struct qparam_spec report_params[] = { Q_ID("campaign_id") };
static const struct query_spec report_query = { report_params, N(report_params) };
static const struct qparam_spec report_scoped_params[] = { Q_ID("campaign_id"), Q_ID("municipality_id") };
static const struct query_spec report_scoped_query = { report_scoped_params, N(report_scoped_params) };
/* One page of schools may be longer than elsewhere: the dashboard's table shows a municipality at once. */
static const struct qparam_spec report_school_params[] = {
	Q_ID("campaign_id"), Q_ID("municipality_id"), { "limit", QP_INT, 1, 500, 1, 50, 0, NULL }, Q_OFFSET,
};
static const struct query_spec report_school_query = { report_school_params, N(report_school_params) };
static const struct qparam_spec report_csv_params[] = {
	Q_ID("campaign_id"), { "sep", QP_ENUM, 0, 0, 0, 0, 0, csv_separators },
};
static const struct query_spec report_csv_query = { report_csv_params, N(report_csv_params) };

/* ---- the table ---- */

#define ALL ROLES_ALL
#define MANAGERS (ROLE_COMMITTEE | ROLE_MUNICIPALITY)
#define REGIONAL (ROLE_COMMITTEE | ROLE_LOIRO)
#define REVIEWERS (ROLE_COMMITTEE | ROLE_LOIRO | ROLE_MUNICIPALITY)
#define IFM RF_IF_MATCH
#define CSV RF_CSV_BODY

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
	{ "POST",  "/api/v1/submissions/{id}/reopen",    h_submissions_reopen,   ROLE_COMMITTEE,    IFM, &reason_body,              NULL },
	{ "GET",   "/api/v1/schools/{id}/deficits",      h_school_deficits,      ALL,               0,   NULL,                      &school_deficit_query },
	{ "GET",   "/api/v1/schools/{id}/results",       h_school_results,       ALL,               0,   NULL,                      NULL },
	{ "GET",   "/api/v1/deficits",                   h_deficits_summary,     REVIEWERS,         0,   NULL,                      &deficit_query },
/* projects and control of execution (docs/design.md, issue 5) */
	{ "GET",   "/api/v1/projects",                   h_projects_list,          ALL,            0,   NULL,                  &page_query },
	{ "POST",  "/api/v1/projects",                   h_projects_create,        ROLE_COMMITTEE, 0,   &project_create_body,  NULL },
	{ "GET",   "/api/v1/projects/{id}",              h_projects_get,           ALL,            0,   NULL,                  NULL },
	{ "PATCH", "/api/v1/projects/{id}",              h_projects_update,        ROLE_COMMITTEE, IFM, &project_update_body,  NULL },
	{ "GET",   "/api/v1/projects/{id}/schools",      h_project_schools_list,   ALL,            0,   NULL,                  &project_school_query },
	{ "POST",  "/api/v1/projects/{id}/schools",      h_project_schools_add,    ROLE_COMMITTEE, 0,   &project_school_body,  NULL },
	{ "DELETE", "/api/v1/projects/{id}/schools/{school_id}",
							 h_project_schools_remove, ROLE_COMMITTEE, 0,   NULL,                  NULL },
	{ "POST",  "/api/v1/projects/{id}/schools/import",
							 h_project_schools_import, ROLE_COMMITTEE, CSV, NULL,                  &import_query },
	{ "GET",   "/api/v1/documents",                  h_documents_list,         ALL,            0,   NULL,                  &document_query },
	{ "POST",  "/api/v1/documents",                  h_documents_create,       MANAGERS,       0,   &document_create_body, NULL },
	{ "GET",   "/api/v1/documents/{id}",             h_documents_get,          ALL,            0,   NULL,                  NULL },
	{ "PATCH", "/api/v1/documents/{id}",             h_documents_update,       MANAGERS,       IFM, &document_update_body, NULL },
	{ "POST",  "/api/v1/documents/{id}/items",       h_documents_items_create, MANAGERS,       0,   &item_post_body,       NULL },
	{ "GET",   "/api/v1/assignments",                h_assignments_list,       ALL,            0,   NULL,                  &assignment_query },
	{ "GET",   "/api/v1/assignments/summary",        h_assignments_summary,    REVIEWERS,      0,   NULL,                  &summary_query },
	{ "GET",   "/api/v1/assignments/{id}",           h_assignments_get,        ALL,            0,   NULL,                  NULL },
	{ "POST",  "/api/v1/assignments/{id}/report",    h_assignments_report,     ALL,            IFM, &report_body,          NULL },
	{ "POST",  "/api/v1/assignments/{id}/accept",    h_assignments_accept,     ROLE_COMMITTEE, IFM, NULL,                  NULL },
	{ "POST",  "/api/v1/assignments/{id}/return",    h_assignments_return,     ROLE_COMMITTEE, IFM, &return_body,          NULL },
/* development programs, deficit lifecycle, practices, mentors, partnerships (docs/design.md, issue 4) */
	{ "GET",   "/api/v1/programs",                   h_programs_list,             ALL,               0,   NULL,                  &program_query },
	{ "POST",  "/api/v1/programs",                   h_programs_create,           ROLE_SCHOOL,       0,   &program_create_body,  NULL },
	{ "GET",   "/api/v1/programs/{id}",              h_programs_get,              ALL,               0,   NULL,                  NULL },
	{ "PATCH", "/api/v1/programs/{id}",              h_programs_update,           ROLE_SCHOOL,       IFM, &program_update_body,  NULL },
	{ "PUT",   "/api/v1/programs/{id}/analyses/{direction_id}",
							 h_programs_analysis_set,     ROLE_SCHOOL,       0,   &analysis_body,        NULL },
	{ "POST",  "/api/v1/programs/{id}/measures",     h_program_measures_create,   ROLE_SCHOOL,       0,   &measure_create_body,  NULL },
	{ "PATCH", "/api/v1/programs/{id}/measures/{measure_id}",
							 h_program_measures_update,   ROLE_SCHOOL,       IFM, &measure_update_body,  NULL },
	{ "DELETE", "/api/v1/programs/{id}/measures/{measure_id}",
							 h_program_measures_delete,   ROLE_SCHOOL,       0,   NULL,                  NULL },
	{ "POST",  "/api/v1/programs/{id}/measures/{measure_id}/progress",
							 h_program_measures_progress, ROLE_SCHOOL,       IFM, &progress_body,        NULL },
	{ "POST",  "/api/v1/programs/{id}/submit",       h_programs_submit,           ROLE_SCHOOL,       IFM, NULL,                  NULL },
	{ "POST",  "/api/v1/programs/{id}/approve",      h_programs_approve,          ROLE_MUNICIPALITY, IFM, NULL,                  NULL },
	{ "POST",  "/api/v1/programs/{id}/return",       h_programs_return,           ROLE_MUNICIPALITY, IFM, &return_body,          NULL },
	{ "POST",  "/api/v1/programs/{id}/comments",     h_programs_comment,          REVIEWERS,         0,   &comment_body,         NULL },
	{ "POST",  "/api/v1/programs/{id}/revise",       h_programs_revise,           ROLE_SCHOOL,       IFM, NULL,                  NULL },
	{ "POST",  "/api/v1/deficits/{id}/close",        h_deficits_close,            ROLE_MUNICIPALITY, 0,   &reason_body,          NULL },
	{ "GET",   "/api/v1/practices",                  h_practices_list,            ALL,               0,   NULL,                  &practice_query },
	{ "POST",  "/api/v1/practices",                  h_practices_create,          ROLE_LOIRO,        0,   &practice_create_body, NULL },
	{ "GET",   "/api/v1/practices/{id}",             h_practices_get,             ALL,               0,   NULL,                  NULL },
	{ "PATCH", "/api/v1/practices/{id}",             h_practices_update,          ROLE_LOIRO,        IFM, &practice_update_body, NULL },
	{ "GET",   "/api/v1/indicators/{id}/mentors",    h_indicator_mentors,         ALL,               0,   NULL,                  &mentor_query },
	{ "GET",   "/api/v1/partnerships",               h_partnerships_list,         ALL,               0,   NULL,                  &partnership_query },
	{ "POST",  "/api/v1/partnerships",               h_partnerships_create,       ROLE_MUNICIPALITY, 0,   &partnership_body,     NULL },
	{ "DELETE", "/api/v1/partnerships/{id}",         h_partnerships_delete,       ROLE_MUNICIPALITY, 0,   NULL,                  NULL },
/* monitoring summaries and exports (docs/design.md, issue 6); the exports answer with a file body */
	{ "GET",   "/api/v1/reports/summary",            h_reports_summary,      REVIEWERS, 0, NULL, &report_query },
	{ "GET",   "/api/v1/reports/summary.xlsx",       h_reports_summary_xlsx, REVIEWERS, 0, NULL, &report_query },
	{ "GET",   "/api/v1/reports/summary.csv",        h_reports_summary_csv,  REVIEWERS, 0, NULL, &report_csv_query },
	{ "GET",   "/api/v1/reports/schools",            h_reports_schools,      REVIEWERS, 0, NULL, &report_school_query },
	{ "GET",   "/api/v1/reports/deficits",           h_reports_deficits,     REVIEWERS, 0, NULL, &report_scoped_query },
	{ "GET",   "/api/v1/reports/programs",           h_reports_programs,     REVIEWERS, 0, NULL, &report_query },
	{ "GET",   "/api/v1/schools/{id}/card",          h_school_card,          ALL,       0, NULL, NULL },
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
