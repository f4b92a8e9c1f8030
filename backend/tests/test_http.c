/* test_http.c — request parsing (query, cookies, FastCGI params, body) and response building. */
#include "testutil.h"
#include "strutil.h"

#include <stdio.h>
#include <stdlib.h>

/* ---- query strings ---- */

static void query_pairs_are_decoded_in_order(void **state)
{
	(void)state;
	struct pool pool = POOL_INIT;
	struct kv *q;
	size_t n;
	assert_int_equal(http_parse_query(&pool, "a=1&b=%D0%BC%D0%B8%D1%80&c=x+y%2Bz", &q, &n), 0);
	assert_int_equal(n, 3);
	assert_string_equal(q[0].key, "a");
	assert_string_equal(q[0].val, "1");
	assert_string_equal(q[1].val, "мир");
	assert_int_equal(q[1].val_len, strlen("мир"));
	assert_string_equal(q[2].val, "x y+z");
	pool_free(&pool);
}

static void query_empty_pieces_are_skipped_and_bare_names_have_empty_values(void **state)
{
	(void)state;
	struct pool pool = POOL_INIT;
	struct kv *q;
	size_t n;
	assert_int_equal(http_parse_query(&pool, "&&a&b=&", &q, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(q[0].key, "a");
	assert_string_equal(q[0].val, "");
	assert_string_equal(q[1].key, "b");
	assert_string_equal(q[1].val, "");
	assert_int_equal(http_parse_query(&pool, "", &q, &n), 0);
	assert_int_equal(n, 0);
	pool_free(&pool);
}

static void query_malformed_inputs_are_rejected(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"a=%", "a=%4", "a=%zz", "a=%4g", "a=%00", "%00=1", "=1", "%=1", "a%ff=1", "%c3%28=1",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct pool pool = POOL_INIT;
		struct kv *q;
		size_t n;
		if (http_parse_query(&pool, bad[i], &q, &n) != -1)
			fail_msg("accepted %s", bad[i]);
		pool_free(&pool);
	}
}

static void query_limits_on_length_and_pairs(void **state)
{
	(void)state;
	struct pool pool = POOL_INIT;
	struct kv *q;
	size_t n;
	char big[HTTP_MAX_QUERY + 2];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	assert_int_equal(http_parse_query(&pool, big, &q, &n), -1);

	char many[512] = "";
	for (int i = 0; i < HTTP_MAX_PARAMS; i++)
		strcat(many, "a=1&");
	assert_int_equal(http_parse_query(&pool, many, &q, &n), 0);
	assert_int_equal(n, HTTP_MAX_PARAMS);
	strcat(many, "b=2");
	assert_int_equal(http_parse_query(&pool, many, &q, &n), -1);
	pool_free(&pool);
}

static void query_values_may_be_any_bytes_checked_later(void **state)
{
	(void)state;
	struct pool pool = POOL_INIT;
	struct kv *q;
	size_t n;
	assert_int_equal(http_parse_query(&pool, "q=%ff%fe", &q, &n), 0);
	assert_int_equal(q[0].val_len, 2);
	assert_false(utf8_valid(q[0].val, q[0].val_len));
	pool_free(&pool);
}

/* ---- cookies ---- */

static void cookies_are_split_and_trimmed(void **state)
{
	(void)state;
	struct pool pool = POOL_INIT;
	struct kv *c;
	size_t n = http_parse_cookies(&pool, " a=1;b = 2 ;  orientir_refresh=\"xyz\" ; junk; =v; e=", &c);
	assert_int_equal(n, 4);
	assert_string_equal(c[0].key, "a");
	assert_string_equal(c[0].val, "1");
	assert_string_equal(c[1].key, "b");
	assert_string_equal(c[1].val, "2");
	assert_string_equal(c[2].key, "orientir_refresh");
	assert_string_equal(c[2].val, "xyz");
	assert_string_equal(c[3].key, "e");
	assert_string_equal(c[3].val, "");
	pool_free(&pool);
}

static void cookies_missing_or_oversized_headers_give_none(void **state)
{
	(void)state;
	struct pool pool = POOL_INIT;
	struct kv *c;
	assert_int_equal(http_parse_cookies(&pool, NULL, &c), 0);
	assert_int_equal(http_parse_cookies(&pool, "", &c), 0);
	char *big = malloc(HTTP_MAX_COOKIE_HEADER + 10);
	memset(big, 'a', HTTP_MAX_COOKIE_HEADER + 9);
	memcpy(big, "x=", 2);
	big[HTTP_MAX_COOKIE_HEADER + 9] = '\0';
	assert_int_equal(http_parse_cookies(&pool, big, &c), 0);
	free(big);
	pool_free(&pool);
}

static void cookies_are_capped_in_number(void **state)
{
	(void)state;
	struct pool pool = POOL_INIT;
	struct kv *c;
	char h[2048] = "";
	for (int i = 0; i < HTTP_MAX_COOKIES + 10; i++)
		sprintf(h + strlen(h), "c%d=%d; ", i, i);
	assert_int_equal(http_parse_cookies(&pool, h, &c), HTTP_MAX_COOKIES);
	pool_free(&pool);
}

static void the_first_cookie_of_a_name_wins(void **state)
{
	(void)state;
	struct req req;
	char *env[] = { "HTTP_COOKIE=orientir_refresh=one; orientir_refresh=two", NULL };
	req_init(&req, NULL, NULL);
	req_load_params(&req, env);
	assert_string_equal(req_cookie(&req, "orientir_refresh"), "one");
	assert_null(req_cookie(&req, "other"));
	req_free(&req);
}

/* ---- FastCGI params ---- */

static void params_fill_the_request(void **state)
{
	(void)state;
	struct req req;
	char *env[] = {
		"REQUEST_METHOD=PATCH",
		"DOCUMENT_URI=/api/v1/schools/7",
		"REQUEST_URI=/api/v1/schools/7?x=1",
		"QUERY_STRING=limit=10&q=%D1%88%D0%BA",
		"HTTP_AUTHORIZATION=Bearer abc",
		"CONTENT_TYPE=application/json",
		"CONTENT_LENGTH=12",
		"HTTP_IF_MATCH=\"3\"",
		"REMOTE_ADDR=10.0.0.1",
		"HTTP_X_REQUEST_ID=req-123_abc.def",
		NULL,
	};
	req_init(&req, NULL, NULL);
	req_load_params(&req, env);
	assert_string_equal(req.method, "PATCH");
	assert_string_equal(req.path, "/api/v1/schools/7");
	assert_int_equal(req.nquery, 2);
	assert_string_equal(req.query[1].val, "шк");
	assert_string_equal(req.authorization, "Bearer abc");
	assert_string_equal(req.content_type, "application/json");
	assert_int_equal(req.content_length, 12);
	assert_string_equal(req.if_match, "\"3\"");
	assert_string_equal(req.remote_addr, "10.0.0.1");
	assert_string_equal(req.request_id, "req-123_abc.def");
	assert_false(req.query_malformed);
	req_free(&req);
}

static void path_falls_back_to_request_uri_without_query(void **state)
{
	(void)state;
	struct req req;
	char *env[] = { "REQUEST_METHOD=GET", "REQUEST_URI=/api/v1/me?x=1", NULL };
	req_init(&req, NULL, NULL);
	req_load_params(&req, env);
	assert_string_equal(req.path, "/api/v1/me");
	assert_null(req.authorization);
	assert_int_equal(req.content_length, -1);
	req_free(&req);
}

static void insane_request_ids_are_replaced(void **state)
{
	(void)state;
	static const char *const ids[] = {
		"HTTP_X_REQUEST_ID=has space", "HTTP_X_REQUEST_ID=a\"b", "HTTP_X_REQUEST_ID=",
		"HTTP_X_REQUEST_ID=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", /* 65 */
		"OTHER=1",
	};
	for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
		struct req req;
		char *env[] = { (char *)ids[i], NULL };
		req_init(&req, NULL, NULL);
		req_load_params(&req, env);
		assert_int_equal(strlen(req.request_id), 32);
		assert_true(token_is_sane(req.request_id, 64));
		req_free(&req);
	}
}

static void content_length_bad_and_too_large_are_flagged(void **state)
{
	(void)state;
	struct req req;
	char *bad[] = { "CONTENT_LENGTH=12x", NULL };
	req_init(&req, NULL, NULL);
	req_load_params(&req, bad);
	assert_true(req.content_length_bad);
	req_free(&req);

	char *big[] = { "CONTENT_LENGTH=1048577", NULL };
	req_init(&req, NULL, NULL);
	req_load_params(&req, big);
	assert_false(req.content_length_bad);
	assert_int_equal(req.content_length, 1048577);
	req_free(&req);
}

/* ---- body ---- */

struct chunks {
	const char *data;
	size_t len, pos, step;
};

static long chunk_reader(void *ctx, char *p, size_t n)
{
	struct chunks *c = ctx;
	size_t k = c->len - c->pos;
	if (k > n)
		k = n;
	if (k > c->step)
		k = c->step;
	memcpy(p, c->data + c->pos, k);
	c->pos += k;
	return (long)k;
}

static void body_is_read_through_short_reads(void **state)
{
	(void)state;
	struct req req;
	struct chunks c = { "{\"login\":\"a\"}", 13, 0, 3 };
	char *env[] = { "CONTENT_LENGTH=13", NULL };
	req_init(&req, NULL, NULL);
	req_load_params(&req, env);
	req_set_body_source(&req, chunk_reader, &c);
	assert_int_equal(req_read_body(&req, HTTP_MAX_BODY), 0);
	assert_int_equal(req.body_len, 13);
	assert_string_equal(req.body, "{\"login\":\"a\"}");
	req_free(&req);
}

static void body_shorter_than_announced_is_an_error(void **state)
{
	(void)state;
	struct req req;
	struct chunks c = { "{}", 2, 0, 100 };
	char *env[] = { "CONTENT_LENGTH=10", NULL };
	req_init(&req, NULL, NULL);
	req_load_params(&req, env);
	req_set_body_source(&req, chunk_reader, &c);
	assert_int_equal(req_read_body(&req, HTTP_MAX_BODY), -1);
	req_free(&req);
}

static void body_over_the_limit_is_not_read(void **state)
{
	(void)state;
	struct req req;
	struct chunks c = { "{}", 2, 0, 100 };
	char *env[] = { "CONTENT_LENGTH=2000000", NULL };
	req_init(&req, NULL, NULL);
	req_load_params(&req, env);
	req_set_body_source(&req, chunk_reader, &c);
	assert_int_equal(req_read_body(&req, HTTP_MAX_BODY), 1);
	assert_int_equal(c.pos, 0);
	assert_null(req.body);
	req_free(&req);
}

/* Uploads stream the body in pieces; what an early answer left unread is drained. */
static void body_streams_in_pieces_and_the_rest_is_drained(void **state)
{
	(void)state;
	struct req req;
	char piece[4];
	struct chunks c = { "0123456789", 10, 0, 100 };
	char *env[] = { "CONTENT_LENGTH=10", NULL };
	req_init(&req, NULL, NULL);
	req_load_params(&req, env);
	req_set_body_source(&req, chunk_reader, &c);
	assert_int_equal(req_body_next(&req, piece, sizeof piece), 4);
	assert_memory_equal(piece, "0123", 4);
	req_body_discard(&req);
	assert_int_equal(c.pos, 10);
	assert_int_equal(req_body_next(&req, piece, sizeof piece), 0);
	req_free(&req);
}

/* ---- responses ---- */

static void problem_responses_carry_status_code_title_and_request_id(void **state)
{
	(void)state;
	struct resp resp;
	json_t *errors = json_array();
	resp_init(&resp, "rid1");
	field_error_add(errors, "login", "required", "Обязательное поле");
	resp_error_fields(&resp, 422, "validation.failed", "Проверьте введённые данные", errors);
	json_t *j = body_json(&resp);
	assert_int_equal(json_integer_value(json_object_get(j, "status")), 422);
	assert_string_equal(json_string_value(json_object_get(j, "code")), "validation.failed");
	assert_string_equal(json_string_value(json_object_get(j, "title")), "Проверьте введённые данные");
	assert_string_equal(json_string_value(json_object_get(j, "request_id")), "rid1");
	assert_true(has_field_error(&resp, "login", "required"));
	assert_string_equal(resp.content_type, "application/problem+json");
	json_decref(j);
	json_decref(errors);
	resp_free(&resp);
}

static void problem_without_errors_has_no_errors_member(void **state)
{
	(void)state;
	struct resp resp;
	resp_init(&resp, "r");
	resp_error(&resp, 404, "not_found", "Ресурс не найден");
	json_t *j = body_json(&resp);
	assert_null(json_object_get(j, "errors"));
	json_decref(j);
	resp_free(&resp);
}

static void response_head_has_status_length_and_no_store(void **state)
{
	(void)state;
	struct resp resp;
	struct buf head = BUF_INIT;
	resp_init(&resp, "rid");
	resp_json(&resp, 201, "{\"id\":1}", 8);
	resp_header(&resp, "Set-Cookie", "a=b");
	resp_header(&resp, "X-Evil", "a\r\nSet-Cookie: x=y"); /* refused */
	resp_head(&resp, &head);
	assert_string_equal(head.data, "Status: 201 Created\r\n"
				       "Content-Type: application/json\r\n"
				       "Content-Length: 8\r\n"
				       "Cache-Control: no-store\r\n"
				       "X-Request-Id: rid\r\n"
				       "Set-Cookie: a=b\r\n"
				       "\r\n");
	buf_free(&head);
	resp_free(&resp);
}

static void no_content_has_no_body_headers(void **state)
{
	(void)state;
	struct resp resp;
	struct buf head = BUF_INIT;
	resp_init(&resp, "");
	resp_no_content(&resp);
	resp_head(&resp, &head);
	assert_string_equal(head.data, "Status: 204 No Content\r\nCache-Control: no-store\r\n\r\n");
	buf_free(&head);
	resp_free(&resp);
}

/* ---- string helpers ---- */

static void utf8_validation_table(void **state)
{
	(void)state;
	static const struct { const char *s; int ok; } cases[] = {
		{ "", 1 }, { "abc", 1 }, { "мир", 1 }, { "\xe2\x82\xac", 1 }, { "\xf0\x9f\x98\x80", 1 },
		{ "\xc0\xaf", 0 },         /* overlong '/' */
		{ "\xe0\x80\xaf", 0 },     /* overlong */
		{ "\xed\xa0\x80", 0 },     /* surrogate */
		{ "\xf4\x90\x80\x80", 0 }, /* > U+10FFFF */
		{ "\xd0", 0 },             /* truncated */
		{ "\x80", 0 },             /* lone continuation */
		{ "\xff", 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_int_equal(utf8_valid(cases[i].s, strlen(cases[i].s)), cases[i].ok);
	assert_int_equal(utf8_len("мир", strlen("мир")), 3);
}

static void integers_parse_strictly(void **state)
{
	(void)state;
	int64_t v;
	assert_int_equal(parse_int64("9223372036854775807", 19, &v), 0);
	assert_true(v == INT64_MAX);
	assert_int_equal(parse_int64("-9223372036854775808", 20, &v), 0);
	assert_true(v == INT64_MIN);
	assert_int_equal(parse_int64("9223372036854775808", 19, &v), -1);
	assert_int_equal(parse_int64("", 0, &v), -1);
	assert_int_equal(parse_int64("-", 1, &v), -1);
	assert_int_equal(parse_int64("+1", 2, &v), -1);
	assert_int_equal(parse_int64(" 1", 2, &v), -1);
	assert_int_equal(parse_int64("1e3", 3, &v), -1);
	assert_int_equal(parse_id("0", 1, &v), -1);
	assert_int_equal(parse_id("01", 2, &v), -1);
	assert_int_equal(parse_id("-1", 2, &v), -1);
	assert_int_equal(parse_id("42", 2, &v), 0);
	assert_int_equal(v, 42);
}

static void base64url_round_trips_and_rejects_noise(void **state)
{
	(void)state;
	unsigned char raw[32], back[40];
	char enc[64];
	for (size_t i = 0; i < sizeof raw; i++)
		raw[i] = (unsigned char)(i * 37 + 11);
	for (size_t n = 0; n <= sizeof raw; n++) {
		size_t len = b64url_encode(raw, n, enc);
		assert_int_equal(len, b64url_encoded_len(n));
		assert_int_equal(b64url_decode(enc, len, back, sizeof back), (long)n);
		assert_memory_equal(raw, back, n);
	}
	assert_int_equal(b64url_decode("ab+c", 4, back, sizeof back), -1);
	assert_int_equal(b64url_decode("abcde", 5, back, sizeof back), -1);
	assert_int_equal(b64url_decode("AB", 2, back, sizeof back), -1); /* non-zero leftover bits */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(query_pairs_are_decoded_in_order),
		cmocka_unit_test(query_empty_pieces_are_skipped_and_bare_names_have_empty_values),
		cmocka_unit_test(query_malformed_inputs_are_rejected),
		cmocka_unit_test(query_limits_on_length_and_pairs),
		cmocka_unit_test(query_values_may_be_any_bytes_checked_later),
		cmocka_unit_test(cookies_are_split_and_trimmed),
		cmocka_unit_test(cookies_missing_or_oversized_headers_give_none),
		cmocka_unit_test(cookies_are_capped_in_number),
		cmocka_unit_test(the_first_cookie_of_a_name_wins),
		cmocka_unit_test(params_fill_the_request),
		cmocka_unit_test(path_falls_back_to_request_uri_without_query),
		cmocka_unit_test(insane_request_ids_are_replaced),
		cmocka_unit_test(content_length_bad_and_too_large_are_flagged),
		cmocka_unit_test(body_is_read_through_short_reads),
		cmocka_unit_test(body_shorter_than_announced_is_an_error),
		cmocka_unit_test(body_over_the_limit_is_not_read),
		cmocka_unit_test(body_streams_in_pieces_and_the_rest_is_drained),
		cmocka_unit_test(problem_responses_carry_status_code_title_and_request_id),
		cmocka_unit_test(problem_without_errors_has_no_errors_member),
		cmocka_unit_test(response_head_has_status_length_and_no_store),
		cmocka_unit_test(no_content_has_no_body_headers),
		cmocka_unit_test(utf8_validation_table),
		cmocka_unit_test(integers_parse_strictly),
		cmocka_unit_test(base64url_round_trips_and_rejects_noise),
	};
	return cmocka_run_group_tests_name("http", tests, NULL, NULL);
}
