/* api.h — every resource handler (one file per resource under api/) and the helpers they share. */
#ifndef ORIENTIR_API_H
#define ORIENTIR_API_H

#include "../http.h"

/* health.c */
int h_health(struct req *req, struct resp *resp);
/* auth.c */
int h_auth_login(struct req *req, struct resp *resp);
int h_auth_refresh(struct req *req, struct resp *resp);
int h_auth_logout(struct req *req, struct resp *resp);
/* me.c */
int h_me_get(struct req *req, struct resp *resp);
int h_me_password(struct req *req, struct resp *resp);
/* regions.c */
int h_regions_list(struct req *req, struct resp *resp);
/* municipalities.c */
int h_municipalities_list(struct req *req, struct resp *resp);
/* schools.c */
int h_schools_list(struct req *req, struct resp *resp);
int h_schools_get(struct req *req, struct resp *resp);
int h_schools_create(struct req *req, struct resp *resp);
int h_schools_update(struct req *req, struct resp *resp);
/* users.c */
int h_users_list(struct req *req, struct resp *resp);
int h_users_get(struct req *req, struct resp *resp);
int h_users_create(struct req *req, struct resp *resp);
int h_users_update(struct req *req, struct resp *resp);
int h_users_password(struct req *req, struct resp *resp);
/* instruments.c */
int h_instruments_list(struct req *req, struct resp *resp);
int h_instruments_get(struct req *req, struct resp *resp);
int h_instruments_document(struct req *req, struct resp *resp);
int h_instruments_create(struct req *req, struct resp *resp);
int h_instruments_publish(struct req *req, struct resp *resp);
/* campaigns.c */
int h_campaigns_list(struct req *req, struct resp *resp);
int h_campaigns_get(struct req *req, struct resp *resp);
int h_campaigns_create(struct req *req, struct resp *resp);
int h_campaigns_update(struct req *req, struct resp *resp);
int h_campaigns_progress(struct req *req, struct resp *resp);
/* submissions.c */
int h_submissions_open(struct req *req, struct resp *resp);
int h_submissions_list(struct req *req, struct resp *resp);
int h_submissions_get(struct req *req, struct resp *resp);
int h_submissions_answer(struct req *req, struct resp *resp);
int h_submissions_submit(struct req *req, struct resp *resp);
int h_submissions_accept(struct req *req, struct resp *resp);
int h_submissions_return(struct req *req, struct resp *resp);
int h_submissions_reopen(struct req *req, struct resp *resp);
/* deficits.c */
int h_school_deficits(struct req *req, struct resp *resp);
int h_school_results(struct req *req, struct resp *resp);
int h_deficits_summary(struct req *req, struct resp *resp);
int h_deficits_close(struct req *req, struct resp *resp);
/* projects.c */
int h_projects_list(struct req *req, struct resp *resp);
int h_projects_get(struct req *req, struct resp *resp);
int h_projects_create(struct req *req, struct resp *resp);
int h_projects_update(struct req *req, struct resp *resp);
int h_project_schools_list(struct req *req, struct resp *resp);
int h_project_schools_add(struct req *req, struct resp *resp);
int h_project_schools_remove(struct req *req, struct resp *resp);
int h_project_schools_import(struct req *req, struct resp *resp);
/* documents.c */
int h_documents_list(struct req *req, struct resp *resp);
int h_documents_get(struct req *req, struct resp *resp);
int h_documents_create(struct req *req, struct resp *resp);
int h_documents_update(struct req *req, struct resp *resp);
int h_documents_items_create(struct req *req, struct resp *resp);
/* assignments.c */
int h_assignments_list(struct req *req, struct resp *resp);
int h_assignments_summary(struct req *req, struct resp *resp);
int h_assignments_get(struct req *req, struct resp *resp);
int h_assignments_report(struct req *req, struct resp *resp);
int h_assignments_accept(struct req *req, struct resp *resp);
int h_assignments_return(struct req *req, struct resp *resp);
/* programs.c */
int h_programs_list(struct req *req, struct resp *resp);
int h_programs_create(struct req *req, struct resp *resp);
int h_programs_get(struct req *req, struct resp *resp);
int h_programs_update(struct req *req, struct resp *resp);
int h_programs_analysis_set(struct req *req, struct resp *resp);
int h_program_measures_create(struct req *req, struct resp *resp);
int h_program_measures_update(struct req *req, struct resp *resp);
int h_program_measures_delete(struct req *req, struct resp *resp);
int h_programs_submit(struct req *req, struct resp *resp);
int h_programs_approve(struct req *req, struct resp *resp);
int h_programs_return(struct req *req, struct resp *resp);
int h_programs_comment(struct req *req, struct resp *resp);
int h_programs_revise(struct req *req, struct resp *resp);
int h_program_measures_progress(struct req *req, struct resp *resp);
/* practices.c */
int h_practices_list(struct req *req, struct resp *resp);
int h_practices_create(struct req *req, struct resp *resp);
int h_practices_get(struct req *req, struct resp *resp);
int h_practices_update(struct req *req, struct resp *resp);
int h_indicator_mentors(struct req *req, struct resp *resp);
/* partnerships.c */
int h_partnerships_list(struct req *req, struct resp *resp);
int h_partnerships_create(struct req *req, struct resp *resp);
int h_partnerships_delete(struct req *req, struct resp *resp);
/* reports.c */
int h_reports_summary(struct req *req, struct resp *resp);
int h_reports_schools(struct req *req, struct resp *resp);
int h_reports_deficits(struct req *req, struct resp *resp);
int h_reports_programs(struct req *req, struct resp *resp);
int h_reports_summary_xlsx(struct req *req, struct resp *resp);
int h_reports_summary_csv(struct req *req, struct resp *resp);
int h_school_card(struct req *req, struct resp *resp);

/* ---- common.c ---- */

/*
 * Runs sql (one json column, one row) through db_call and answers ok_status
 * with PostgreSQL's text as it is; a NULL value or no row is 404 not_found.
 * Errors are answered by db_call. Returns the status set.
 */
int api_json_call(struct req *req, struct resp *resp, int ok_status, const char *sql, int nparams,
		  const char *const *params);

/*
 * For "create or return the existing one" calls: sql yields one row of two
 * columns, (created boolean, object json). Answers 201 with the object when
 * created is true, 200 when false; no row or a NULL is 404. The JSON goes
 * out untouched. Returns the status set.
 */
int api_json_call_created(struct req *req, struct resp *resp, const char *sql, int nparams,
			  const char *const *params);

/* Runs sql through db_call and answers 204. Returns the status set. */
int api_void_call(struct req *req, struct resp *resp, const char *sql, int nparams,
		  const char *const *params);

/* The validated body re-serialised compactly, in the request pool (for a jsonb parameter). */
const char *api_body_text(struct req *req);

/*
 * The raw body of a BS_DOCUMENT route, exactly as the client sent it (for a
 * json parameter that keeps the client's layout and key order); borrowed
 * from the request. NULL when there is none (cannot happen after the
 * dispatcher accepted the body).
 */
const char *api_raw_body(const struct req *req);

/*
 * Hashes a password taken from the validated body into out
 * (PASSWORD_HASH_MAX bytes) and wipes the plain text inside req->json.
 * Returns 0, or -1 after answering 500.
 */
int api_hash_body_password(struct req *req, struct resp *resp, const char *field, char *out);

/* Overwrites a JSON string's bytes in place (passwords), so freed memory does not keep them. */
void api_wipe_json_string(json_t *s);

#endif
