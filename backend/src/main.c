/* main.c — orientir-api: `serve` (the FastCGI API), `hash-password`, `routes`, `openapi`. */
#include "auth_password.h"
#include "config.h"
#include "log.h"
#include "openapi.h"
#include "routes.h"
#include "server.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define PASSWORD_INPUT_MAX 1024

static void usage(FILE *out)
{
	fputs("usage: orientir-api serve          run the FastCGI API (configured by ORIENTIR_* variables)\n"
	      "       orientir-api hash-password  read a password on stdin, print its hash\n"
	      "       orientir-api routes         print the route table as JSON\n"
	      "       orientir-api openapi        print the OpenAPI 3.1 description\n",
	      out);
}

static int cmd_serve(void)
{
	struct config cfg;
	char err[512];
	int rc;

	if (config_load(&cfg, err, sizeof err) != 0) {
		log_msg(LL_ERROR, NULL, "configuration: %s", err);
		config_free(&cfg);
		return 1;
	}
	log_set_level((enum log_level)cfg.log_level);
	rc = server_run(&cfg);
	config_free(&cfg);
	return rc;
}

/* Reads the whole of stdin (one trailing newline dropped), prints the PBKDF2 hash. */
static int cmd_hash_password(void)
{
	char pw[PASSWORD_INPUT_MAX + 2], hash[PASSWORD_HASH_MAX];
	size_t len = 0;
	int rc = 1;

	while (len < sizeof pw) {
		ssize_t r = read(STDIN_FILENO, pw + len, sizeof pw - len);
		if (r <= 0)
			break;
		len += (size_t)r;
	}
	if (len > 0 && pw[len - 1] == '\n')
		len--;
	if (len > 0 && pw[len - 1] == '\r')
		len--;
	if (len == 0 || len > PASSWORD_INPUT_MAX || memchr(pw, '\0', len)) {
		fprintf(stderr, "hash-password: expected a password of 1..%d bytes on stdin\n", PASSWORD_INPUT_MAX);
		goto out;
	}
	if (password_hash(pw, len, PASSWORD_ITERATIONS, hash, sizeof hash) != 0) {
		fprintf(stderr, "hash-password: hashing failed\n");
		goto out;
	}
	printf("%s\n", hash);
	rc = fflush(stdout) == 0 ? 0 : 1;
out:
	OPENSSL_cleanse(pw, sizeof pw);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "serve") == 0)
		return cmd_serve();
	if (argc == 2 && strcmp(argv[1], "hash-password") == 0)
		return cmd_hash_password();
	if (argc == 2 && strcmp(argv[1], "routes") == 0)
		return routes_print_json(stdout) == 0 ? 0 : 1;
	if (argc == 2 && strcmp(argv[1], "openapi") == 0) {
		size_t len = 0;
		const char *text = openapi_text(&len);
		return text && fwrite(text, 1, len, stdout) == len && fputc('\n', stdout) != EOF ? 0 : 1;
	}
	if (argc == 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
		usage(stdout);
		return 0;
	}
	usage(stderr);
	return 2;
}
