/* test_exports.c — monitoring summaries and exports (issue 6): column kinds and widths, the XLSX writer on synthetic results, the CSV statement, the file body and its sending, the report routes' guards; in process, no database. */
#include "testutil.h"
#include "config.h"
#include "export_csv.h"
#include "export_xlsx.h"
#include "router.h"
#include "routes.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* pg_type oids the tests name */
#define BOOL 16
#define INT8 20
#define INT2 21
#define INT4 23
#define TEXT 25
#define FLOAT8 701
#define DATE 1082
#define TIMESTAMPTZ 1184
#define NUMERIC 1700

/* ---- column kinds, widths, dates ---- */

static void column_kinds_follow_the_type_and_a_percent_name(void **state)
{
	(void)state;
	static const struct {
		const char *name;
		Oid type;
		enum xlsx_kind want;
	} cases[] = {
		{ "Школ", INT4, XK_NUMBER },
		{ "Школ", INT2, XK_NUMBER },
		{ "Школ", INT8, XK_NUMBER },
		{ "Средний балл", NUMERIC, XK_NUMBER },
		{ "Средний балл", FLOAT8, XK_NUMBER },
		{ "Доля принятых, %", NUMERIC, XK_PERCENT },
		{ "%", INT4, XK_PERCENT },
		{ "% принятых", NUMERIC, XK_NUMBER }, /* only a name that ends in % */
		{ "Срок", DATE, XK_DATE },
		{ "Муниципалитет", TEXT, XK_TEXT },
		{ "Сельская", BOOL, XK_TEXT },
		{ "Отправлено", TIMESTAMPTZ, XK_TEXT },
		{ "", TEXT, XK_TEXT },
		{ NULL, INT4, XK_NUMBER },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		if (xlsx_column_kind(cases[i].name, cases[i].type) != cases[i].want)
			fail_msg("%s (%u): kind %d, want %d", cases[i].name ? cases[i].name : "(null)", cases[i].type,
				 xlsx_column_kind(cases[i].name, cases[i].type), cases[i].want);
}

static void column_widths_fit_header_kind_and_text(void **state)
{
	(void)state;
	/* the header and its filter button */
	assert_true(xlsx_column_width(20, XK_NUMBER, 3) == 23.0);
	/* short headers still get the kind's usual width */
	assert_true(xlsx_column_width(2, XK_DATE, 10) == 11.0);
	assert_true(xlsx_column_width(1, XK_PERCENT, 5) == 8.0);
	/* texts widen for their data, numbers do not (their display is fixed) */
	assert_true(xlsx_column_width(5, XK_TEXT, 30) == 31.0);
	assert_true(xlsx_column_width(5, XK_NUMBER, 30) == 10.0);
	/* and nothing is wider than a screen */
	assert_true(xlsx_column_width(5, XK_TEXT, 500) == 60.0);
	assert_true(xlsx_column_width(200, XK_NUMBER, 0) == 60.0);
}

static void dates_parse_only_as_postgresql_prints_them(void **state)
{
	(void)state;
	int y = 0, m = 0, d = 0;
	assert_int_equal(xlsx_parse_date("2025-09-01", &y, &m, &d), 0);
	assert_int_equal(y, 2025);
	assert_int_equal(m, 9);
	assert_int_equal(d, 1);
	assert_int_equal(xlsx_parse_date("2024-02-29", &y, &m, &d), 0);
	static const char *const bad[] = { "2023-02-29", "2025-13-01", "2025-04-31", "2025-00-10", "1899-12-31",
					   "2025-9-01", "2025-09-01 00:00", "01.09.2025", "", "abcd-ef-gh",
					   "infinity" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (xlsx_parse_date(bad[i], &y, &m, &d) != -1)
			fail_msg("accepted %s", bad[i]);
	assert_int_equal(xlsx_parse_date(NULL, &y, &m, &d), -1);
}

/* ---- CSV ---- */

static void csv_separator_defaults_to_semicolon(void **state)
{
	(void)state;
	assert_int_equal(csv_separator(NULL), ';');
	assert_int_equal(csv_separator("semicolon"), ';');
	assert_int_equal(csv_separator("comma"), ',');
}

static void csv_copy_statement_names_format_header_and_delimiter(void **state)
{
	(void)state;
	char sql[256];
	assert_int_equal(csv_copy_statement(sql, sizeof sql, "SELECT * FROM app.r(1)", ';'), 0);
	assert_string_equal(sql, "COPY (SELECT * FROM app.r(1)) TO STDOUT (FORMAT csv, HEADER true, DELIMITER ';')");
	assert_int_equal(csv_copy_statement(sql, sizeof sql, "SELECT 1", ','), 0);
	assert_string_equal(sql, "COPY (SELECT 1) TO STDOUT (FORMAT csv, HEADER true, DELIMITER ',')");
	/* nothing but the two separators, and nothing cut short */
	assert_int_equal(csv_copy_statement(sql, sizeof sql, "SELECT 1", '\''), -1);
	assert_int_equal(csv_copy_statement(sql, 20, "SELECT 1", ';'), -1);
}

/* ---- temporary files ---- */

static char tmpdir[PATH_MAX];

/* A fresh directory as $TMPDIR, so a test can see what an export leaves behind. */
static int setup_tmpdir(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "%s/orientir-test-exports-XXXXXX", P_tmpdir);
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	return setenv("TMPDIR", tmpdir, 1);
}

static int teardown_tmpdir(void **state)
{
	(void)state;
	unsetenv("TMPDIR");
	return rmdir(tmpdir); /* fails (and so the test) when a file was left behind */
}

static int files_in(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;
	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

static void temp_files_are_private_and_in_tmpdir(void **state)
{
	(void)state;
	char path[PATH_MAX];
	struct stat st;
	int fd = export_temp_file(path, sizeof path);
	assert_true(fd >= 0);
	assert_int_equal(strncmp(path, tmpdir, strlen(tmpdir)), 0);
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(export_write_all(fd, "abc", 3), 0);
	assert_int_equal(unlink(path), 0);
	close(fd);
	/* a path buffer too small is refused, not cut */
	assert_int_equal(export_temp_file(path, 8), -1);
}

/* ---- the XLSX writer on results made by hand (libpq builds them without a server) ---- */

static PGresult *result_of(int ncols, const char *const *names, const Oid *types)
{
	PGresult *r = PQmakeEmptyPGresult(NULL, PGRES_TUPLES_OK);
	PGresAttDesc attrs[8];
	assert_true(ncols <= 8);
	memset(attrs, 0, sizeof attrs);
	for (int c = 0; c < ncols; c++) {
		attrs[c].name = (char *)names[c];
		attrs[c].typid = types[c];
		attrs[c].typlen = -1;
		attrs[c].atttypmod = -1;
	}
	assert_int_equal(PQsetResultAttrs(r, ncols, attrs), 1);
	return r;
}

/* Sets row `row` from values (NULL = SQL NULL). */
static void set_row(PGresult *r, int row, const char *const *values)
{
	for (int c = 0; c < PQnfields(r); c++)
		assert_int_equal(PQsetvalue(r, row, c, (char *)values[c], values[c] ? (int)strlen(values[c]) : -1), 1);
}

static int file_starts_with_zip_magic(const char *path, off_t *size)
{
	char magic[4] = { 0 };
	struct stat st;
	int fd = open(path, O_RDONLY);
	int ok = fd >= 0 && read(fd, magic, 4) == 4 && memcmp(magic, "PK\x03\x04", 4) == 0 && fstat(fd, &st) == 0;
	if (ok)
		*size = st.st_size;
	if (fd >= 0)
		close(fd);
	return ok;
}

static void a_workbook_is_written_from_row_results(void **state)
{
	(void)state;
	static const char *const names[] = { "Муниципалитет", "Школ", "Доля принятых, %", "Срок", "Средний балл" };
	static const Oid types[] = { TEXT, INT4, NUMERIC, DATE, NUMERIC };
	static const char *const rows[][5] = {
		{ "Бокситогорский муниципальный район", "17", "0.9412", "2025-10-01", "87.25" },
		{ "Волосовский; «кавычки» \"и\" точка с запятой", "0", NULL, NULL, NULL },
		{ "Управляющие\x01символы\x1f", "NaN", "не число", "31.12.2025", "Infinity" },
		{ "Итого", "17", "0.9412", "2025-10-01", "87.25" },
	};
	json_t *params = json_pack("[[s,s],[s,i],[s,n],[s,[i]]]", "Кампания", "Самодиагностика", "Школ", 348,
				   "Пусто", "Массив");
	char path[PATH_MAX];
	int fd = export_temp_file(path, sizeof path);
	off_t size = 0;
	assert_true(fd >= 0);
	close(fd);

	struct xlsx_book *book = xlsx_book_new(path, tmpdir);
	assert_non_null(book);
	assert_int_equal(xlsx_book_pairs_sheet(book, "Параметры", params), 0);

	/* as single-row mode delivers them: the columns with every row, then an empty final result */
	struct xlsx_sheet *sheet = xlsx_sheet_begin(book, "Сводка по МО");
	assert_non_null(sheet);
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		PGresult *r = result_of(5, names, types);
		set_row(r, 0, rows[i]);
		if (i == 0)
			assert_int_equal(xlsx_sheet_header(sheet, r), 0);
		assert_int_equal(xlsx_sheet_row(sheet, r, 0), 0);
		PQclear(r);
	}
	/* a result of other columns does not fit this sheet */
	PGresult *other = result_of(2, names, types);
	assert_int_equal(xlsx_sheet_header(sheet, other), -1);
	PQclear(other);
	assert_int_equal(xlsx_sheet_end(sheet), 0);

	/* a query without rows still has its header */
	sheet = xlsx_sheet_begin(book, "Исполнение");
	PGresult *empty = result_of(3, names, types);
	assert_int_equal(xlsx_sheet_header(sheet, empty), 0);
	PQclear(empty);
	assert_int_equal(xlsx_sheet_end(sheet), 0);

	/* a sheet name Excel refuses is an error, not a broken file */
	assert_null(xlsx_sheet_begin(book, "Сводка по МО"));
	assert_null(xlsx_sheet_begin(book, "a/b"));

	assert_int_equal(xlsx_book_close(book, "test"), 0);
	assert_true(file_starts_with_zip_magic(path, &size));
	assert_true(size > 1000);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(files_in(tmpdir), 0); /* libxlsxwriter's own temporary files are gone too */
	json_decref(params);
}

static void rows_need_a_header_first(void **state)
{
	(void)state;
	static const char *const names[] = { "a" };
	static const Oid types[] = { INT4 };
	static const char *const one[] = { "1" };
	char path[PATH_MAX];
	int fd = export_temp_file(path, sizeof path);
	close(fd);
	struct xlsx_book *book = xlsx_book_new(path, tmpdir);
	struct xlsx_sheet *sheet = xlsx_sheet_begin(book, "Лист");
	PGresult *r = result_of(1, names, types);
	set_row(r, 0, one);
	assert_int_equal(xlsx_sheet_row(sheet, r, 0), -1);
	PQclear(r);
	assert_int_equal(xlsx_sheet_end(sheet), 0);
	assert_int_equal(xlsx_sheet_end(NULL), 0);
	xlsx_book_free(book); /* abandoned: nothing written */
	xlsx_book_free(NULL);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 0);
	unlink(path);
}

/* ---- the file body ---- */

struct sink {
	size_t calls, bytes, largest;
	size_t fail_at_call; /* 0: never */
	unsigned char *data;
};

static int sink_write(void *ctx, const char *p, size_t n)
{
	struct sink *s = ctx;
	s->calls++;
	if (s->fail_at_call && s->calls == s->fail_at_call)
		return -1;
	if (n > s->largest)
		s->largest = n;
	memcpy(s->data + s->bytes, p, n);
	s->bytes += n;
	return 0;
}

/* An unlinked file of n bytes (byte i = i * 7 mod 251), positioned at offset. */
static int pattern_file(size_t n, off_t offset)
{
	char path[PATH_MAX];
	int fd = export_temp_file(path, sizeof path);
	unsigned char *b = malloc(n + 1);
	assert_true(fd >= 0);
	unlink(path);
	for (size_t i = 0; i < n; i++)
		b[i] = (unsigned char)(i * 7 % 251);
	assert_int_equal(export_write_all(fd, b, n), 0);
	assert_int_equal(lseek(fd, offset, SEEK_SET), offset);
	free(b);
	return fd;
}

static int is_closed(int fd)
{
	return fcntl(fd, F_GETFD) == -1 && errno == EBADF;
}

static void a_file_body_goes_out_in_64k_chunks_and_is_closed(void **state)
{
	(void)state;
	const size_t n = 3 * HTTP_FILE_CHUNK + 1234;
	struct resp resp;
	struct buf head = BUF_INIT;
	struct sink s = { .data = malloc(n) };
	char want[64];
	int fd = pattern_file(n, 0);

	resp_init(&resp, "rid");
	assert_int_equal(resp_file(&resp, 200, "text/csv; charset=utf-8", fd), 0);
	resp_header(&resp, "Content-Disposition", "attachment; filename=\"a.csv\"");
	resp_head(&resp, &head);
	snprintf(want, sizeof want, "Content-Length: %zu\r\n", n);
	assert_non_null(strstr(head.data, "Status: 200 OK\r\nContent-Type: text/csv; charset=utf-8\r\n"));
	assert_non_null(strstr(head.data, want));
	assert_non_null(strstr(head.data, "Content-Disposition: attachment; filename=\"a.csv\"\r\n"));
	assert_int_equal(resp.body.len, 0);

	assert_int_equal(resp_send_file(&resp, sink_write, &s), n);
	assert_int_equal(s.bytes, n);
	assert_int_equal(s.largest, HTTP_FILE_CHUNK);
	assert_int_equal(s.calls, 4);
	for (size_t i = 0; i < n; i++)
		if (s.data[i] != (unsigned char)(i * 7 % 251))
			fail_msg("byte %zu differs", i);
	assert_false(resp.has_file);
	assert_true(is_closed(fd));
	/* nothing more to send */
	assert_int_equal(resp_send_file(&resp, sink_write, &s), 0);
	free(s.data);
	buf_free(&head);
	resp_free(&resp);
}

static void a_file_body_starts_at_the_current_offset(void **state)
{
	(void)state;
	struct resp resp;
	struct sink s = { .data = malloc(100) };
	int fd = pattern_file(100, 40);
	resp_init(&resp, "rid");
	assert_int_equal(resp_file(&resp, 200, "text/csv", fd), 0);
	assert_int_equal(resp.file_size, 60);
	assert_int_equal(resp_send_file(&resp, sink_write, &s), 60);
	assert_int_equal(s.data[0], (unsigned char)(40 * 7 % 251));
	free(s.data);
	resp_free(&resp);
}

static void a_client_gone_mid_file_stops_the_send_and_closes(void **state)
{
	(void)state;
	const size_t n = 5 * HTTP_FILE_CHUNK;
	struct resp resp;
	struct sink s = { .data = malloc(n), .fail_at_call = 3 };
	int fd = pattern_file(n, 0);
	resp_init(&resp, "rid");
	assert_int_equal(resp_file(&resp, 200, "text/csv", fd), 0);
	assert_int_equal(resp_send_file(&resp, sink_write, &s), 2 * HTTP_FILE_CHUNK);
	assert_int_equal(s.calls, 3);
	assert_true(is_closed(fd));
	free(s.data);
	resp_free(&resp);
}

static void a_later_answer_replaces_and_closes_the_file(void **state)
{
	(void)state;
	struct resp resp;
	struct buf head = BUF_INIT;
	int fd = pattern_file(1000, 0);
	resp_init(&resp, "rid");
	assert_int_equal(resp_file(&resp, 200, "text/csv", fd), 0);
	resp_error(&resp, 500, "internal", "Внутренняя ошибка сервера");
	assert_true(is_closed(fd));
	assert_false(resp.has_file);
	resp_head(&resp, &head);
	char want[64];
	snprintf(want, sizeof want, "Content-Length: %zu\r\n", resp.body.len);
	assert_non_null(strstr(head.data, want));
	buf_free(&head);
	/* resp_free closes a file nobody sent */
	fd = pattern_file(10, 0);
	assert_int_equal(resp_file(&resp, 200, "text/csv", fd), 0);
	resp_free(&resp);
	assert_true(is_closed(fd));
}

static void a_file_that_cannot_be_measured_is_500(void **state)
{
	(void)state;
	struct resp resp;
	int p[2];
	resp_init(&resp, "rid");
	assert_int_equal(resp_file(&resp, 200, "text/csv", -1), -1);
	assert_int_equal(resp.status, 500);
	assert_false(resp.has_file);
	/* a pipe is no file: refused and closed */
	assert_int_equal(pipe(p), 0);
	assert_int_equal(resp_file(&resp, 200, "text/csv", p[0]), -1);
	assert_true(is_closed(p[0]));
	close(p[1]);
	assert_string_equal(problem_code(&resp), "internal");
	resp_free(&resp);
}

static void a_zeroed_response_owns_no_file(void **state)
{
	(void)state;
	struct resp resp;
	int stdin_open = !is_closed(0);
	memset(&resp, 0, sizeof resp);
	resp_free(&resp); /* must not close descriptor 0 */
	assert_int_equal(!is_closed(0), stdin_open);
	struct sink s = { 0 };
	resp_init(&resp, "r");
	assert_int_equal(resp_send_file(&resp, sink_write, &s), 0);
	assert_int_equal(s.calls, 0);
	resp_free(&resp);
}

/* ---- the report routes through the dispatcher (no database: 503 means every guard let it through) ---- */

static unsigned char KEY[] = "exports-test-key-exports-test-key-0123456789";
static struct config cfg = { .jwt_key = KEY, .jwt_key_len = sizeof KEY - 1, .access_ttl = 900,
			     .refresh_ttl = 3600 };

static void dispatch(struct req *req, struct resp *resp, const char *uri, enum role role)
{
	struct claims cl = { .user_id = 7, .role = role, .region_id = 1,
			     .municipality_id = role == ROLE_SCHOOL || role == ROLE_MUNICIPALITY ? 2 : 0,
			     .school_id = role == ROLE_SCHOOL ? 3 : 0, .epoch = 1 };
	char *token = NULL, m[] = "REQUEST_METHOD=GET", u[512], q[512], auth[4200];
	const char *qs = strchr(uri, '?');
	char *env[5] = { m, u, q, NULL, NULL };

	snprintf(u, sizeof u, "REQUEST_URI=%s", uri);
	snprintf(q, sizeof q, "QUERY_STRING=%s", qs ? qs + 1 : "");
	if (role != ROLE_NONE) {
		assert_int_equal(access_token_issue(KEY, sizeof KEY - 1, &cl, time(NULL), 900, &token), 0);
		snprintf(auth, sizeof auth, "HTTP_AUTHORIZATION=Bearer %s", token);
		env[3] = auth;
	}
	req_init(req, &cfg, NULL);
	req_load_params(req, env);
	resp_init(resp, req->request_id);
	router_dispatch(api_routes, api_routes_count, req, resp);
	free(token);
}

/* GET uri as role answers status with code; field/field_code: one expected entry of errors. */
static void expect_field(const char *uri, enum role role, int status, const char *code, const char *field,
			 const char *field_code)
{
	struct req req;
	struct resp resp;
	dispatch(&req, &resp, uri, role);
	if (resp.status != status || (code && strcmp(problem_code(&resp), code) != 0))
		fail_msg("GET %s: got %d %s, want %d %s", uri, resp.status, resp.body.data, status, code ? code : "");
	if (field && !has_field_error(&resp, field, field_code))
		fail_msg("GET %s: no error %s/%s in %s", uri, field, field_code, resp.body.data);
	resp_free(&resp);
	req_free(&req);
}

static void expect(const char *uri, enum role role, int status, const char *code)
{
	expect_field(uri, role, status, code, NULL, NULL);
}

static void report_routes_guard_role_and_query(void **state)
{
	(void)state;
	static const char *const summary_routes[] = {
		"/api/v1/reports/summary", "/api/v1/reports/summary.xlsx", "/api/v1/reports/summary.csv",
		"/api/v1/reports/schools", "/api/v1/reports/deficits",     "/api/v1/reports/programs",
	};
	const char *bad = "validation.failed";
	char uri[256];
	for (size_t i = 0; i < sizeof summary_routes / sizeof summary_routes[0]; i++) {
		snprintf(uri, sizeof uri, "%s?campaign_id=5", summary_routes[i]);
		/* a school never uses a summary; the others pass every guard */
		expect(uri, ROLE_SCHOOL, 403, "auth.forbidden");
		expect(uri, ROLE_NONE, 401, "auth.unauthorized");
		expect(uri, ROLE_COMMITTEE, 503, "service.unavailable");
		expect(uri, ROLE_LOIRO, 503, "service.unavailable");
		expect(uri, ROLE_MUNICIPALITY, 503, "service.unavailable");
		/* the campaign is required, before any database work; an empty value is no value */
		expect_field(summary_routes[i], ROLE_COMMITTEE, 422, bad, "campaign_id", "required");
		snprintf(uri, sizeof uri, "%s?campaign_id=", summary_routes[i]);
		expect_field(uri, ROLE_COMMITTEE, 422, bad, "campaign_id", "required");
		snprintf(uri, sizeof uri, "%s?campaign_id=0", summary_routes[i]);
		expect_field(uri, ROLE_COMMITTEE, 422, bad, "campaign_id", "type");
		snprintf(uri, sizeof uri, "%s?campaign_id=5&x=1", summary_routes[i]);
		expect_field(uri, ROLE_COMMITTEE, 422, bad, "x", "unknown");
	}
	expect("/api/v1/reports/schools?campaign_id=5&municipality_id=3&limit=500&offset=1000", ROLE_MUNICIPALITY,
	       503, "service.unavailable");
	expect_field("/api/v1/reports/schools?campaign_id=5&limit=501", ROLE_COMMITTEE, 422, bad, "limit",
		     "out_of_range");
	expect("/api/v1/reports/deficits?campaign_id=5&municipality_id=3", ROLE_LOIRO, 503, "service.unavailable");
	expect_field("/api/v1/reports/summary?campaign_id=5&municipality_id=3", ROLE_COMMITTEE, 422, bad,
		     "municipality_id", "unknown");
	expect("/api/v1/reports/summary.csv?campaign_id=5&sep=comma", ROLE_COMMITTEE, 503, "service.unavailable");
	expect("/api/v1/reports/summary.csv?campaign_id=5&sep=semicolon", ROLE_COMMITTEE, 503,
	       "service.unavailable");
	expect_field("/api/v1/reports/summary.csv?campaign_id=5&sep=tab", ROLE_COMMITTEE, 422, bad, "sep",
		     "invalid");
	expect_field("/api/v1/reports/summary.xlsx?campaign_id=5&sep=comma", ROLE_COMMITTEE, 422, bad, "sep",
		     "unknown");
	/* the card: every role (SQL decides the scope); its id is a path segment */
	expect("/api/v1/schools/3/card", ROLE_SCHOOL, 503, "service.unavailable");
	expect("/api/v1/schools/3/card", ROLE_COMMITTEE, 503, "service.unavailable");
	expect("/api/v1/schools/x/card", ROLE_COMMITTEE, 404, "not_found");
	expect("/api/v1/reports/summary.pdf?campaign_id=5", ROLE_COMMITTEE, 404, "not_found");
	/* the exports tried and gave up without leaving a file behind */
	assert_int_equal(files_in(tmpdir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(column_kinds_follow_the_type_and_a_percent_name),
		cmocka_unit_test(column_widths_fit_header_kind_and_text),
		cmocka_unit_test(dates_parse_only_as_postgresql_prints_them),
		cmocka_unit_test(csv_separator_defaults_to_semicolon),
		cmocka_unit_test(csv_copy_statement_names_format_header_and_delimiter),
		cmocka_unit_test(temp_files_are_private_and_in_tmpdir),
		cmocka_unit_test(a_workbook_is_written_from_row_results),
		cmocka_unit_test(rows_need_a_header_first),
		cmocka_unit_test(a_file_body_goes_out_in_64k_chunks_and_is_closed),
		cmocka_unit_test(a_file_body_starts_at_the_current_offset),
		cmocka_unit_test(a_client_gone_mid_file_stops_the_send_and_closes),
		cmocka_unit_test(a_later_answer_replaces_and_closes_the_file),
		cmocka_unit_test(a_file_that_cannot_be_measured_is_500),
		cmocka_unit_test(a_zeroed_response_owns_no_file),
		cmocka_unit_test(report_routes_guard_role_and_query),
	};
	return cmocka_run_group_tests(tests, setup_tmpdir, teardown_tmpdir);
}
