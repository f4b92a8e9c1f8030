/* config.c — environment variables of `orientir-api serve`, validated before anything starts. */
#include "config.h"
#include "log.h"
#include "mem.h"
#include "strutil.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *env_or(const char *name, const char *dflt)
{
	const char *v = getenv(name);
	return v && *v ? v : dflt;
}

/* Reads an integer variable into *out; -1 with err set when it is not an integer in [min, max]. */
static int env_long(const char *name, long dflt, long min, long max, long *out, char *err,
		    size_t errsz)
{
	const char *v = getenv(name);
	if (v == NULL || *v == '\0') {
		*out = dflt;
		return 0;
	}
	int64_t n;
	if (parse_int64(v, strlen(v), &n) != 0 || n < min || n > max) {
		snprintf(err, errsz, "%s must be an integer from %ld to %ld", name, min, max);
		return -1;
	}
	*out = (long)n;
	return 0;
}

/*
 * Reads the secret file into cfg->jwt_key. Refuses anything but a regular
 * file of CONFIG_SECRET_MIN..CONFIG_SECRET_MAX bytes; warns when group or
 * others may read it.
 */
static int load_secret(struct config *cfg, const char *path, char *err, size_t errsz)
{
	int rc = -1;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	unsigned char *key = NULL;
	size_t len = 0, cap = 0;
	struct stat st;

	if (fd < 0) {
		snprintf(err, errsz, "cannot open ORIENTIR_JWT_SECRET_FILE %s: %s", path, strerror(errno));
		goto out;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errsz, "ORIENTIR_JWT_SECRET_FILE %s is not a regular file", path);
		goto out;
	}
	if (st.st_size < CONFIG_SECRET_MIN || st.st_size > CONFIG_SECRET_MAX) {
		snprintf(err, errsz, "ORIENTIR_JWT_SECRET_FILE %s must hold %d to %d bytes", path,
			 CONFIG_SECRET_MIN, CONFIG_SECRET_MAX);
		goto out;
	}
	if (st.st_mode & 077)
		log_msg(LL_WARN, NULL, "JWT secret file %s is readable by group or others; chmod 600 it",
			path);
	cap = (size_t)st.st_size;
	key = xmalloc(cap);
	while (len < cap) {
		ssize_t r = read(fd, key + len, cap - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		len += (size_t)r;
	}
	if (len < CONFIG_SECRET_MIN) {
		snprintf(err, errsz, "cannot read ORIENTIR_JWT_SECRET_FILE %s", path);
		goto out;
	}
	cfg->jwt_key = key;
	cfg->jwt_key_len = len;
	key = NULL;
	rc = 0;
out:
	if (key) {
		OPENSSL_cleanse(key, cap);
		free(key);
	}
	if (fd >= 0)
		close(fd);
	return rc;
}

/*
 * Appends " password='…'" read from path (ORIENTIR_DB_PASSWORD_FILE: the password alone, a
 * trailing newline ignored, as container secrets are written) to cfg->db_conninfo, quoted
 * as libpq wants (\\ and \' escaped). Returns 0, or -1 with err set (never the password).
 */
static int load_db_password(struct config *cfg, const char *path, char *err, size_t errsz)
{
	char pw[256], *ci = NULL;
	size_t n = 0, cap, len;
	FILE *f = fopen(path, "re");
	if (f == NULL) {
		snprintf(err, errsz, "cannot open ORIENTIR_DB_PASSWORD_FILE %s: %s", path, strerror(errno));
		return -1;
	}
	n = fread(pw, 1, sizeof pw, f);
	fclose(f);
	while (n > 0 && (pw[n - 1] == '\n' || pw[n - 1] == '\r'))
		n--;
	if (n == 0 || n == sizeof pw || memchr(pw, '\0', n) != NULL || memchr(pw, '\n', n) != NULL) {
		OPENSSL_cleanse(pw, sizeof pw);
		snprintf(err, errsz, "ORIENTIR_DB_PASSWORD_FILE %s must hold one line of 1 to %zu bytes",
			 path, sizeof pw - 1);
		return -1;
	}
	len = strlen(cfg->db_conninfo);
	cap = len + sizeof " password=''" + 2 * n;
	ci = xmalloc(cap);
	memcpy(ci, cfg->db_conninfo, len);
	memcpy(ci + len, " password='", 11);
	len += 11;
	for (size_t i = 0; i < n; i++) {
		if (pw[i] == '\\' || pw[i] == '\'')
			ci[len++] = '\\';
		ci[len++] = pw[i];
	}
	ci[len++] = '\'';
	ci[len] = '\0';
	OPENSSL_cleanse(pw, sizeof pw);
	free(cfg->db_conninfo);
	cfg->db_conninfo = ci;
	return 0;
}

/*
 * Checks ORIENTIR_LISTEN: "host:port" or ":port" (every address), port 1..65535,
 * the form FCGX_OpenSocket takes for TCP. Returns 0, or -1 with err set.
 */
static int check_listen(const char *v, char *err, size_t errsz)
{
	const char *colon = strrchr(v, ':');
	int64_t port;
	if (colon == NULL || strchr(v, ':') != colon || colon[1] == '\0'
	    || parse_int64(colon + 1, strlen(colon + 1), &port) != 0 || port < 1 || port > 65535
	    || strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") != (size_t)(colon - v)) {
		snprintf(err, errsz, "ORIENTIR_LISTEN must be host:port or :port with a port from 1 to 65535");
		return -1;
	}
	return 0;
}

int config_load(struct config *cfg, char *err, size_t errsz)
{
	long workers, level;
	const char *listen = env_or("ORIENTIR_LISTEN", NULL);
	const char *sock = env_or("ORIENTIR_SOCKET", "var/run/api.sock");
	memset(cfg, 0, sizeof *cfg);
	/* A colon makes FCGX_OpenSocket listen on TCP: a socket path must not carry one. */
	if (listen == NULL && strchr(sock, ':') != NULL) {
		snprintf(err, errsz, "ORIENTIR_SOCKET must be a path without ':' (TCP is ORIENTIR_LISTEN)");
		return -1;
	}
	if (listen != NULL && check_listen(listen, err, errsz) != 0)
		return -1;
	cfg->socket_path = xstrdup(listen != NULL ? listen : sock);
	cfg->db_conninfo = xstrdup(env_or("ORIENTIR_DB", "dbname=orientir user=orientir_api"));
	const char *pwfile = env_or("ORIENTIR_DB_PASSWORD_FILE", NULL);
	if (pwfile != NULL && load_db_password(cfg, pwfile, err, errsz) != 0)
		return -1;
	if (env_long("ORIENTIR_WORKERS", 4, 1, 256, &workers, err, errsz) != 0)
		return -1;
	cfg->workers = (int)workers;
	if (env_long("ORIENTIR_ACCESS_TTL", 900, 60, 86400, &cfg->access_ttl, err, errsz) != 0)
		return -1;
	if (env_long("ORIENTIR_REFRESH_TTL", 1209600, 300, 31536000, &cfg->refresh_ttl, err, errsz) != 0)
		return -1;
	level = log_level_parse(env_or("ORIENTIR_LOG_LEVEL", "info"));
	if (level < 0) {
		snprintf(err, errsz, "ORIENTIR_LOG_LEVEL must be debug, info, warn or error");
		return -1;
	}
	cfg->log_level = (int)level;
	const char *secure = env_or("ORIENTIR_COOKIE_SECURE", "0");
	if (strcmp(secure, "0") != 0 && strcmp(secure, "1") != 0) {
		snprintf(err, errsz, "ORIENTIR_COOKIE_SECURE must be 0 or 1");
		return -1;
	}
	cfg->cookie_secure = secure[0] == '1';
	long upload, import, quota;
	if (env_long("ORIENTIR_MAX_UPLOAD", CONFIG_MAX_UPLOAD_DEFAULT, 1024, 1L << 32, &upload, err, errsz) != 0 ||
	    env_long("ORIENTIR_MAX_IMPORT", CONFIG_MAX_IMPORT_DEFAULT, 1024, 1L << 32, &import, err, errsz) != 0 ||
	    env_long("ORIENTIR_FILE_QUOTA", CONFIG_FILE_QUOTA_DEFAULT, 0, 1L << 50, &quota, err, errsz) != 0)
		return -1;
	cfg->max_upload = upload;
	cfg->max_import = import;
	cfg->file_quota = quota;
	cfg->files_dir = xstrdup(env_or("ORIENTIR_FILES", "var/files"));
	const char *scan = env_or("ORIENTIR_SCAN_COMMAND", NULL);
	cfg->scan_command = scan ? xstrdup(scan) : NULL;
	return load_secret(cfg, env_or("ORIENTIR_JWT_SECRET_FILE", "var/secret/jwt.key"), err, errsz);
}

void config_free(struct config *cfg)
{
	if (cfg == NULL)
		return;
	if (cfg->jwt_key) {
		OPENSSL_cleanse(cfg->jwt_key, cfg->jwt_key_len);
		free(cfg->jwt_key);
	}
	free(cfg->socket_path);
	free(cfg->files_dir);
	free(cfg->scan_command);
	if (cfg->db_conninfo) /* may hold the password of ORIENTIR_DB_PASSWORD_FILE */
		OPENSSL_cleanse(cfg->db_conninfo, strlen(cfg->db_conninfo));
	free(cfg->db_conninfo);
	memset(cfg, 0, sizeof *cfg);
}
