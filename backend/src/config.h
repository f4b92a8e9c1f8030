/* config.h — the settings of `orientir-api serve`, read from the environment once. */
#ifndef ORIENTIR_CONFIG_H
#define ORIENTIR_CONFIG_H

#include <stddef.h>

#define CONFIG_SECRET_MIN 32
#define CONFIG_SECRET_MAX 4096

struct config {
	char *socket_path;        /* ORIENTIR_LISTEN "host:port" if set, else ORIENTIR_SOCKET; owned */
	char *db_conninfo;        /* ORIENTIR_DB (+ password of ORIENTIR_DB_PASSWORD_FILE), owned, wiped */
	int workers;              /* ORIENTIR_WORKERS, 1..256 */
	unsigned char *jwt_key;   /* bytes of ORIENTIR_JWT_SECRET_FILE, owned, wiped on free */
	size_t jwt_key_len;       /* CONFIG_SECRET_MIN..CONFIG_SECRET_MAX */
	long access_ttl;          /* ORIENTIR_ACCESS_TTL seconds, 60..86400 */
	long refresh_ttl;         /* ORIENTIR_REFRESH_TTL seconds, 300..31536000 */
	int log_level;            /* ORIENTIR_LOG_LEVEL as enum log_level */
	int cookie_secure;        /* ORIENTIR_COOKIE_SECURE=1 adds "Secure" to the cookie */
	long long max_upload;     /* ORIENTIR_MAX_UPLOAD bytes of one attached file (default 20 MiB) */
	long long max_import;     /* ORIENTIR_MAX_IMPORT bytes of one CSV import (default 64 MiB) */
	long long file_quota;     /* ORIENTIR_FILE_QUOTA bytes of attachments per organisation (default 1 GiB) */
	char *files_dir;          /* ORIENTIR_FILES: the content-addressed store of attachments; owned */
	char *scan_command;       /* ORIENTIR_SCAN_COMMAND: run with a file's path; exit 1 = infected; owned, NULL: none */
};

/* The body limits when there is no configuration (unit tests): the defaults above. */
#define CONFIG_MAX_UPLOAD_DEFAULT (20LL * 1024 * 1024)
#define CONFIG_MAX_IMPORT_DEFAULT (64LL * 1024 * 1024)
#define CONFIG_FILE_QUOTA_DEFAULT (1024LL * 1024 * 1024)

/*
 * Fills cfg from the environment (defaults in docs/design.md). The JWT secret
 * is the exact bytes of the file (no trimming). Returns 0, or -1 with a
 * human-readable reason in err (never the secret); on -1 cfg holds nothing
 * that needs freeing beyond config_free(), which is always safe to call.
 */
int config_load(struct config *cfg, char *err, size_t errsz);

/* Frees every field, wiping the key with OPENSSL_cleanse; accepts NULL and a zeroed struct. */
void config_free(struct config *cfg);

#endif
