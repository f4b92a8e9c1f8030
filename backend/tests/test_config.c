/* test_config.c — where `orientir-api serve` listens: ORIENTIR_LISTEN (TCP) and ORIENTIR_SOCKET (unix). */
#include "testutil.h"
#include "config.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static char secret_path[] = "/tmp/orientir-test-config-XXXXXX";

static int make_secret(void **state)
{
	(void)state;
	int fd = mkstemp(secret_path);
	if (fd < 0)
		return -1;
	const char key[] = "0123456789abcdef0123456789abcdef0123456789";
	int ok = write(fd, key, sizeof key - 1) == (ssize_t)(sizeof key - 1);
	close(fd);
	setenv("ORIENTIR_JWT_SECRET_FILE", secret_path, 1);
	return ok ? 0 : -1;
}

static int remove_secret(void **state)
{
	(void)state;
	unlink(secret_path);
	return 0;
}

/* Loads the configuration with the two variables set as given (NULL: unset). */
static int load(const char *listen, const char *sock, struct config *cfg, char *err, size_t errsz)
{
	if (listen) setenv("ORIENTIR_LISTEN", listen, 1); else unsetenv("ORIENTIR_LISTEN");
	if (sock) setenv("ORIENTIR_SOCKET", sock, 1); else unsetenv("ORIENTIR_SOCKET");
	return config_load(cfg, err, errsz);
}

static void unix_socket_is_the_default(void **state)
{
	(void)state;
	struct config cfg;
	char err[256];
	assert_int_equal(load(NULL, NULL, &cfg, err, sizeof err), 0);
	assert_string_equal(cfg.socket_path, "var/run/api.sock");
	config_free(&cfg);
	assert_int_equal(load(NULL, "/run/orientir/api-1.sock", &cfg, err, sizeof err), 0);
	assert_string_equal(cfg.socket_path, "/run/orientir/api-1.sock");
	config_free(&cfg);
}

static void listen_takes_host_and_port_over_the_socket(void **state)
{
	(void)state;
	const char *good[] = {"127.0.0.1:9000", ":9000", "api_1:1", "orientir-api.internal:65535"};
	for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
		struct config cfg;
		char err[256];
		assert_int_equal(load(good[i], "/run/x.sock", &cfg, err, sizeof err), 0);
		assert_string_equal(cfg.socket_path, good[i]);
		config_free(&cfg);
	}
}

static void malformed_listen_addresses_are_refused(void **state)
{
	(void)state;
	const char *bad[] = {"9000", "host:", "host:0", "host:65536", "host:90x", "a:b:9000",
			     "[::1]:9000", "host/x:9000", "host :9000"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct config cfg;
		char err[256] = "";
		assert_int_equal(load(bad[i], NULL, &cfg, err, sizeof err), -1);
		assert_non_null(strstr(err, "ORIENTIR_LISTEN"));
		config_free(&cfg);
	}
}

static void socket_path_with_a_colon_is_refused(void **state)
{
	(void)state;
	struct config cfg;
	char err[256] = "";
	/* FCGX_OpenSocket would silently listen on TCP port 9000 of every address. */
	assert_int_equal(load(NULL, "localhost:9000", &cfg, err, sizeof err), -1);
	assert_non_null(strstr(err, "ORIENTIR_SOCKET"));
	config_free(&cfg);
}

/* Writes text to a fresh temporary file; its path is in path (unlink it). */
static void write_file(char *path, const char *text)
{
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static void db_password_file_reaches_the_connection_string_quoted(void **state)
{
	(void)state;
	char path[] = "/tmp/orientir-test-dbpw-XXXXXX", err[256];
	struct config cfg;
	PQconninfoOption *opts, *o;
	write_file(path, "it's a \\ secret\n");
	setenv("ORIENTIR_DB_PASSWORD_FILE", path, 1);
	setenv("ORIENTIR_DB", "host=db dbname=orientir user=orientir_api", 1);
	assert_int_equal(load(NULL, NULL, &cfg, err, sizeof err), 0);
	opts = PQconninfoParse(cfg.db_conninfo, NULL);
	assert_non_null(opts);
	for (o = opts; o->keyword && strcmp(o->keyword, "password") != 0; o++)
		;
	assert_non_null(o->keyword);
	assert_string_equal(o->val, "it's a \\ secret");
	PQconninfoFree(opts);
	config_free(&cfg);
	unlink(path);
	unsetenv("ORIENTIR_DB_PASSWORD_FILE");
	unsetenv("ORIENTIR_DB");
}

static void missing_or_empty_db_password_file_is_refused(void **state)
{
	(void)state;
	char path[] = "/tmp/orientir-test-dbpw-XXXXXX", err[256] = "";
	struct config cfg;
	write_file(path, "\n");
	setenv("ORIENTIR_DB_PASSWORD_FILE", path, 1);
	assert_int_equal(load(NULL, NULL, &cfg, err, sizeof err), -1);
	assert_non_null(strstr(err, "ORIENTIR_DB_PASSWORD_FILE"));
	config_free(&cfg);
	unlink(path);
	setenv("ORIENTIR_DB_PASSWORD_FILE", path, 1);
	assert_int_equal(load(NULL, NULL, &cfg, err, sizeof err), -1);
	assert_non_null(strstr(err, "cannot open"));
	config_free(&cfg);
	unsetenv("ORIENTIR_DB_PASSWORD_FILE");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(unix_socket_is_the_default),
		cmocka_unit_test(listen_takes_host_and_port_over_the_socket),
		cmocka_unit_test(malformed_listen_addresses_are_refused),
		cmocka_unit_test(socket_path_with_a_colon_is_refused),
		cmocka_unit_test(db_password_file_reaches_the_connection_string_quoted),
		cmocka_unit_test(missing_or_empty_db_password_file_is_refused),
	};
	return cmocka_run_group_tests_name("config", tests, make_secret, remove_secret);
}
