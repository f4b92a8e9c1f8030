/* log.h — one-line structured (logfmt) logs on stderr. Never pass secrets here. */
#ifndef ORIENTIR_LOG_H
#define ORIENTIR_LOG_H

#include <stdint.h>

enum log_level { LL_DEBUG, LL_INFO, LL_WARN, LL_ERROR };

/* Messages below level are dropped. Call once at start-up, before threads. */
void log_set_level(enum log_level level);
/* "debug", "info", "warn", "error" → level; -1 for anything else. */
int log_level_parse(const char *s);
int log_enabled(enum log_level level);

/*
 * Writes `ts=… level=… [rid=…] msg="…"` as one write(2), so lines from
 * worker threads do not interleave. rid may be NULL. The message is escaped.
 */
void log_msg(enum log_level level, const char *rid, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The fields of one finished request (all strings may be NULL). */
struct log_request_fields {
	const char *rid, *method, *path, *role, *error_code;
	int status;
	double ms;
	int64_t user_id; /* 0: anonymous */
};

/* Writes the access-log line of one request: `… event=request rid= method= path= status= ms= user= role=`. */
void log_request(const struct log_request_fields *f);

#endif
